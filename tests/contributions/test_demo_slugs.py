"""The demo's consultations read in the page's language, their address included (issue #15):
the English pages kept the French slug (/en/consultations/cooperer-face-au-climat/)."""

import pytest

from contributions.models import ConsultationPage


@pytest.mark.django_db
def test_english_consultations_have_english_addresses(demo, client):
    english = ConsultationPage.objects.filter(locale__language_code="en")
    french_slugs = set(ConsultationPage.objects.filter(locale__language_code="fr").values_list("slug", flat=True))
    assert english.count() == 2
    for page in english:
        assert page.slug not in french_slugs
        assert page.url.startswith("/en/consultations/")
        assert client.get(page.url).status_code == 200
    assert {p.url for p in english} == {
        "/en/consultations/cooperating-on-a-changing-climate/",
        "/en/consultations/smart-city-decentralised-cooperation/",
    }
    # The French pages keep their addresses (links already shared).
    assert french_slugs == {"cooperer-face-au-climat", "ville-intelligente-cooperation-decentralisee"}


@pytest.mark.django_db
def test_reloading_the_demo_gives_an_english_address_to_an_older_english_page(demo, client):
    from contributions.demo import load_consultation
    from cooperation_hub.demo import load_open_consultation_data

    page = ConsultationPage.objects.get(locale__language_code="en", external_id="cooperer-face-au-climat")
    page.slug = "cooperer-face-au-climat"  # as an earlier demo left it
    page.save_revision().publish()
    load_consultation(load_open_consultation_data())
    page.refresh_from_db()
    assert page.url == "/en/consultations/cooperating-on-a-changing-climate/"
    assert client.get("/en/consultations/cooperating-on-a-changing-climate/").status_code == 200
