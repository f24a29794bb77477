"""A report's card is rendered once per process for the site's generation
(experiences_tags.experience_card): the next reader of the home page, the list or a city gets
the cards already rendered, in their language, and any change to what a card shows is there
at once."""

import pytest
from django.utils.html import escape

from experiences.models import ExperiencePage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

CARD = "experiences/includes/experience_card.html"


def _cards_rendered(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return sum(1 for template in response.templates if template.name == CARD)


def _report(language: str = "en") -> ExperiencePage:
    return ExperiencePage.objects.live().filter(locale__language_code=language).order_by("pk").first()


@pytest.mark.parametrize("url", ["/en/", "/en/experiences/", "/fr/experiences/"])
def test_the_next_reader_gets_the_cards_already_rendered(client, demo, url):
    assert _cards_rendered(client, url) > 0
    assert _cards_rendered(client, url) == 0


def test_a_city_page_shows_the_cards_of_its_reports(client, demo):
    report = _report()
    index = report.get_parent().specific
    url = index.url + index.reverse_subpage("city_view", kwargs={"slug": report.city.slug})
    first = client.get(url).content.decode()
    assert escape(report.title) in first
    assert client.get(url).content.decode() == first


def test_each_language_gets_its_own_cards(client, demo):
    english, french = client.get("/en/experiences/").content.decode(), client.get("/fr/experiences/").content.decode()
    assert "South" in english or "North" in english
    assert "Sud" in french or "Nord" in french
    assert "Sud</span>" not in english and "South</span>" not in french


def test_a_report_published_again_shows_its_new_title_on_every_card(client, demo):
    report = client.get("/en/").context["latest_experiences"][0]
    assert escape(report.title) in client.get("/en/experiences/").content.decode()
    report.title = "A title published a moment ago"
    report.save_revision().publish()
    for url in ("/en/", "/en/experiences/"):
        assert "A title published a moment ago" in client.get(url).content.decode(), url


def test_a_city_renamed_is_renamed_on_the_cards(client, demo):
    report = _report()
    client.get("/en/experiences/")
    city = report.city
    city.name = "Renamed-on-the-cards"
    city.save()
    assert "Renamed-on-the-cards" in client.get("/en/experiences/").content.decode()


def test_the_process_keeps_a_bounded_number_of_values(demo, monkeypatch, client):
    from cooperation_hub import process_memo

    monkeypatch.setattr(process_memo, "LIMIT", 3)
    titles = [escape(report.title) for report in client.get("/en/experiences/").context["experiences"]]
    assert len(process_memo._kept) <= 3
    page = client.get("/en/experiences/").content.decode()
    assert titles and all(title in page for title in titles)
