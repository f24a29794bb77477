"""The site a new user meets: both languages, the demo content, the ways in."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape

from contributions.models import ConsultationPage, Contribution
from experiences.models import City, ExperiencePage

pytestmark = pytest.mark.django_db
FOUNDING = "ville-intelligente-cooperation-decentralisee"


def test_root_sends_a_french_browser_to_french_pages(client, demo):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_root_sends_an_english_browser_to_english_pages(client, demo):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Location"] == "/en/"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "Les villes intelligentes apprennent"), ("en", "Smart cities learning from each other")],
)
def test_home_page_says_what_the_network_is_in_each_language(client, demo, language, expected):
    response = client.get(f"/{language}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert expected in html
    for path in ("/experiences/", "/consultations/", "/search/", "/subscribe/"):
        assert f'href="/{language}{path}' in html


def test_language_switcher_leads_to_the_translation_of_the_page(client, demo):
    page = ExperiencePage.objects.get(external_id="dubai-happiness-index", locale__language_code="fr")
    html = client.get(page.url).content.decode()
    english = page.get_translation(page.locale.__class__.objects.get(language_code="en"))
    assert f'href="{english.url}" hreflang="en"' in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_experience_report_shows_its_facts_at_a_glance(client, demo, language):
    page = ExperiencePage.objects.get(external_id="dubai-happiness-index", locale__language_code=language)
    html = client.get(page.url).content.decode()
    assert escape(page.title) in html
    assert "Dubai" in html or "Dubaï" in html
    assert 'class="factbox"' in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_founding_consultation_renders_with_its_window(client, demo, language):
    page = ConsultationPage.objects.get(locale__language_code=language, external_id=FOUNDING)
    response = client.get(page.url)
    assert response.status_code == 200
    assert escape(page.question) in response.content.decode()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_search_page_renders(client, demo, language):
    response = client.get(f"/{language}/search/", {"q": "Béthune"})
    assert response.status_code == 200
    assert "Béthune" in response.content.decode()


def test_demo_covers_the_founding_documents(demo):
    external_ids = set(ExperiencePage.objects.values_list("external_id", flat=True))
    assert {"bethune-smart-city", "dubai-happiness-index", "engie-ohio-state-energy-contract"} <= external_ids
    assert (
        ExperiencePage.objects.filter(locale__language_code="fr").count()
        == ExperiencePage.objects.filter(locale__language_code="en").count()
    )
    consultation = ConsultationPage.objects.get(locale__language_code="fr", external_id=FOUNDING)
    assert consultation.title.startswith("La ville intelligente française en coopération décentralisée")
    assert Contribution.objects.filter(consultation=consultation).count() >= 5


def test_load_demo_twice_changes_nothing(demo):
    def snapshot():
        return (
            list(ExperiencePage.objects.order_by("pk").values_list("pk", "latest_revision_id", "last_published_at")),
            list(City.objects.order_by("pk").values_list("pk", "name", "population")),
            Contribution.objects.count(),
            list(ConsultationPage.objects.values_list("pk", "latest_revision_id")),
        )

    # The same day twice (the session's demo may have been loaded before midnight, Paris time).
    today = timezone.localdate().isoformat()
    call_command("load_demo", verbosity=0, today=today)
    before = snapshot()
    call_command("load_demo", verbosity=0, today=today)
    assert snapshot() == before
