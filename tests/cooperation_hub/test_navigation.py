"""The header's links: right for each language, read from the database once
per language and publication, not on every page."""

import re

import pytest
from django.test import RequestFactory
from django.utils import translation

from cooperation_hub.context_processors import site_navigation
from experiences.models import ExperienceIndexPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_header_links_to_the_sections_of_the_readers_language(client, demo, language):
    html = client.get(f"/{language}/").content.decode()
    with translation.override(language):
        links = site_navigation(RequestFactory().get(f"/{language}/"))["nav"]
    assert links["home"] == f"/{language}/"
    assert links["experiences"].startswith(f"/{language}/") and links["consultations"].startswith(f"/{language}/")
    assert f'href="{links["experiences"]}"' in html and f'href="{links["consultations"]}"' in html


def test_the_navigation_costs_no_query_once_known(demo, django_assert_num_queries):
    request = RequestFactory().get("/fr/")
    with translation.override("fr"):
        site_navigation(request)
        with django_assert_num_queries(0):
            assert site_navigation(request)["nav"]["experiences"]


def test_unpublishing_a_section_removes_it_from_the_header(client, demo):
    index = ExperienceIndexPage.objects.live().get(locale__language_code="en")
    url = index.get_url()
    assert f'href="{url}"' in client.get("/en/").content.decode()
    index.unpublish()
    assert f'href="{url}"' not in client.get("/en/").content.decode()


def _switch_to(html: str, code: str) -> str:
    nav = html[html.index('class="lang-switch"') :]
    nav = nav[: nav.index("</nav>")]
    links = {c: url for url, c in re.findall(r'href="([^"]+)" hreflang="(\w+)"', nav)}
    return links[code].replace("&amp;", "&")


@pytest.mark.parametrize(
    "path, other",
    [
        ("/fr/experiences/map/?region=south&page=2", "/en/experiences/map/?region=south"),
        ("/en/experiences/?theme=energy-climate&sort=title", "/fr/experiences/?theme=energy-climate&sort=title"),
    ],
)
def test_the_language_switch_stays_on_the_same_view_with_the_same_filters(client, demo, path, other):
    """Walked: from the French map filtered to the South, "English" led to the English list,
    unfiltered; from a city or a contribution, to the section's first page."""
    response = client.get(path)
    assert response.status_code == 200
    assert _switch_to(response.content.decode(), other[1:3]) == other
    assert client.get(other).status_code == 200


@pytest.mark.parametrize(
    "path, other",
    [
        ("/fr/experiences/?region=south&tag=nord-sud", "/en/experiences/?region=south&tag=north-south"),
        ("/en/experiences/map/?tag=north-south", "/fr/experiences/map/?tag=nord-sud"),
        ("/fr/experiences/?tag=compost", "/en/experiences/?tag=compost"),  # a word of both languages
    ],
)
def test_the_language_switch_names_a_tag_filter_as_the_other_list_does(client, demo, path, other):
    """Walked: from the French list filtered on "nord-sud", "English" kept "tag=nord-sud": the same
    reports, but the chip read "Tag: nord-sud" and the facet showed it selected with a count of 0,
    above an unselected "north-south"."""
    assert _switch_to(client.get(path).content.decode(), other[1:3]) == other
    html = client.get(other).content.decode()
    tag = other.rsplit("tag=", 1)[1]
    assert f"tag={tag}" in html


def test_a_list_asked_for_many_tags_costs_no_more_for_its_language_switch(client, demo, django_assert_max_num_queries):
    """Each tag named again costs a query or two: past what a filter may combine, the switch keeps
    the address as it is (the list itself refuses it) instead of a query per value."""
    many = "&".join(f"tag=t{i}" for i in range(500))
    client.get("/fr/experiences/?tag=compost")  # what the page keeps, worked out once
    with django_assert_max_num_queries(60):
        response = client.get(f"/fr/experiences/?{many}")
    assert response.status_code in (200, 400)


def test_the_language_switch_of_a_city_stays_on_the_city(client, demo):
    from experiences.models import City

    city = City.objects.filter(experiences__live=True).first()
    html = client.get(f"/fr/experiences/city/{city.slug}/").content.decode()
    assert _switch_to(html, "en") == f"/en/experiences/city/{city.slug}/"


def test_the_language_switch_of_a_contribution_opens_it_in_the_other_language(client, demo):
    from contributions.models import Contribution

    contribution = Contribution.objects.filter(state="published", consultation__locale__language_code="fr").first()
    html = client.get(contribution.get_url("fr")).content.decode()
    english = _switch_to(html, "en")
    assert english.startswith("/en/") and english.endswith(f"/contributions/{contribution.pk}/")
    assert contribution.title in client.get(english).content.decode()
