"""The site's name appears once in a page's <title> (issue #15: the home page read
"Cooperation Hub · Cooperation Hub")."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _title(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_home_page_names_the_site_once(client, demo, lang):
    assert _title(client, f"/{lang}/") == "Cooperation Hub"


def test_other_pages_keep_the_site_name_after_their_own(client, demo):
    assert _title(client, "/en/experiences/").endswith(" · Cooperation Hub")
    assert _title(client, "/fr/subscribe/").endswith(" · Cooperation Hub")


@pytest.mark.parametrize(("lang", "label"), [("fr", "Expériences"), ("en", "Experiences")])
def test_a_city_peers_page_leads_back_to_the_city(client, demo, lang, label):
    html = client.get(f"/{lang}/cities/bethune-fr/peers/").content.decode()
    assert (
        f'<a href="/{lang}/experiences/">{label}</a> › <a href="/{lang}/experiences/city/bethune-fr/">Béthune</a>'
        in html
    )
    assert client.get(f"/{lang}/experiences/city/bethune-fr/").status_code == 200
