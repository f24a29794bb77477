"""A report written in one language is read from the other: a notice, not a 404."""

import re

import pytest
from django.contrib.auth.models import Group

from experiences.models import ExperiencePage
from experiences.publishing import OFFICERS
from tests.hostile import database_search_only  # noqa: F401 - fixture

from .helpers import import_records, record
from .test_media import own_cache  # noqa: F401 - fixture (used by name)
from .test_page_costs import queries_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_search_only")]

FR_ONLY = "rapport-seulement-en-francais"


def _french_only(external_id: str = FR_ONLY, **extra) -> ExperiencePage:
    import_records(
        record(
            external_id,
            language="fr",
            title="Vélos partagés à Quimperlé",
            city="Quimperlé",
            summary="Une flotte de vélos partagés pour une ville de 12 000 habitants.",
            themes=["mobility-transport"],
            **extra,
        )
    )
    return ExperiencePage.objects.get(external_id=external_id, locale__language_code="fr")


def _switcher(html: str) -> dict[str, str]:
    nav = html[html.index('class="lang-switch"') :]
    nav = nav[: nav.index("</nav>")]
    return dict((code, url) for url, code in re.findall(r'href="([^"]+)" hreflang="(\w+)"', nav))


def test_the_english_switcher_on_a_french_only_report_leads_to_the_report_with_a_notice(client):
    page = _french_only()
    html = client.get(page.url).content.decode()
    english = _switcher(html)["en"]
    assert english == f"/en/experiences/{page.slug}/"

    response = client.get(english)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html  # the reader's layout…
    assert "This report is available in French only." in html
    assert '<h1 lang="fr">Vélos partagés à Quimperlé</h1>' in html  # …the original's words, marked as French…
    assert '<p class="summary" lang="fr">' in html and '<div class="story" lang="fr">' in html
    assert '<h2 id="facts-h">At a glance</h2>' in html  # …the reader's labels around them are not
    assert '<div class="report-content">' in html
    # the link's words are the reader's English; hreflang says where it leads
    assert f'href="{page.url}" hreflang="fr">Read the original in French</a>' in html
    assert f'<link rel="canonical" href="{page.full_url}">' in html
    assert '<meta name="robots" content="noindex, follow">' in html
    assert 'href="/en/experiences/">Experiences</a>' in html  # the reader's own navigation


def test_the_french_notice_for_an_english_only_report(client):
    import_records(
        record("english-only-report", language="en", title="Shared bikes in Bristol", city="Bristol", country="GB")
    )
    page = ExperiencePage.objects.get(external_id="english-only-report")
    response = client.get(f"/fr/experiences/{page.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ce rapport n’existe qu’en anglais." in html
    assert '<h1 lang="en">Shared bikes in Bristol</h1>' in html
    assert '<div class="report-content">' in html
    assert "Lire l’original en anglais" in html


def test_the_list_of_the_other_language_shows_the_report_with_the_badge(client):
    page = _french_only()
    html = client.get("/en/experiences/", {"theme": "mobility-transport"}).content.decode()
    assert "This report is available in French only." in html
    assert f'<h3 lang="fr"><a href="/en/experiences/{page.slug}/">Vélos partagés à Quimperlé</a></h3>' in html
    # The facets and the count include it, as the cards do.
    english = ExperiencePage.objects.live().filter(locale__language_code="en").count()
    all_html = client.get("/en/experiences/").content.decode()
    assert re.search(rf"\b{english + 1} experience reports", all_html)
    assert client.get("/en/experiences/", {"q": "Quimperlé"}).content.decode().count("Vélos partagés") == 1
    # Its own language lists it once, without a notice.
    french = client.get("/fr/experiences/", {"theme": "mobility-transport"}).content.decode()
    assert french.count("Vélos partagés à Quimperlé") == 1
    assert "n’existe qu’en" not in french


def test_the_english_home_page_gives_the_newest_french_report_with_its_notice(client):
    page = _french_only()
    html = client.get("/en/").content.decode()
    latest = html[html.index("Latest experience reports") :]
    assert f'<h3 lang="fr"><a href="/en/experiences/{page.slug}/">Vélos partagés à Quimperlé</a></h3>' in latest
    assert "This report is available in French only." in latest
    # Each card names its city with a link to the city's page in the reader's language.
    assert re.search(r'<a href="/en/experiences/city/[\w-]+/">Quimperlé</a>, France', latest)
    # The French home shows it once, as its own.
    french = client.get("/fr/").content.decode()
    assert french.count("Vélos partagés à Quimperlé") == 1 and "n’existe qu’en" not in french


def test_once_translated_and_published_the_translation_replaces_the_notice(client):
    page = _french_only()
    import_records(
        record(
            FR_ONLY, language="en", title="Shared bikes in Quimperlé", city="Quimperlé", themes=["mobility-transport"]
        )
    )
    html = client.get("/en/experiences/", {"theme": "mobility-transport"}).content.decode()
    assert "Shared bikes in Quimperlé" in html and "Vélos partagés à Quimperlé" not in html
    assert "available in French only" not in html
    english = ExperiencePage.objects.get(external_id=FR_ONLY, locale__language_code="en")
    assert _switcher(client.get(page.url).content.decode())["en"] == english.url


def test_a_draft_translation_leaves_the_original_shown(client):
    page = _french_only()
    import_records(record(FR_ONLY, language="en", title="Shared bikes (draft)", city="Quimperlé"), publish=False)
    response = client.get(f"/en/experiences/{page.slug}/")
    assert response.status_code == 200
    assert "This report is available in French only." in response.content.decode()


def test_a_draft_or_unknown_report_is_still_a_404(client):
    _french_only("brouillon-francais")
    ExperiencePage.objects.get(external_id="brouillon-francais").unpublish()
    assert client.get("/en/experiences/velos-partages-a-quimperle-draft/").status_code == 404
    assert client.get("/en/experiences/no-such-report/").status_code == 404


@pytest.mark.usefixtures("own_cache")
def test_the_list_costs_the_same_with_one_or_five_untranslated_reports(client, no_page_cache):
    _french_only("cost-fr-0")
    url = "/en/experiences/?theme=mobility-transport"
    few = queries_for(client, url)
    for i in range(1, 5):
        _french_only(f"cost-fr-{i}")
    assert queries_for(client, url) == few


def test_officers_get_a_translate_action_in_the_editor(client):
    from django.contrib.auth import get_user_model

    page = _french_only()
    officer = get_user_model().objects.create_user("officer-t", "officer-t@example.org", "x")
    officer.groups.add(Group.objects.get(name=OFFICERS))
    client.force_login(officer)
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    html = response.content.decode()
    assert response.status_code == 200
    # The admin speaks the site's default language, French, to this officer.
    english = _locale_id("en")
    assert re.search(rf'formaction="/admin/translation/submit/page/\d+/"[^>]*name="locales" value="{english}"', html)
    assert "Traduire en anglais" in html
    response = client.post(f"/admin/translation/submit/page/{page.pk}/", {"locales": [_locale_id("en")]})
    english = ExperiencePage.objects.get(translation_key=page.translation_key, locale__language_code="en")
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{english.pk}/edit/"
    assert not english.live  # a draft: translated in the editor, then submitted for review
    assert "Traduire en anglais" not in client.get(f"/admin/pages/{page.pk}/edit/").content.decode()


def _locale_id(code: str) -> int:
    from wagtail.models import Locale

    return Locale.objects.get(language_code=code).pk


def test_the_map_and_the_city_page_of_the_other_language_show_what_its_list_shows(client):
    """Walked: a report published in English only was on the French list (17 reports) but not on
    the French map, its GeoJSON or its city's French page (Grenoble still counted one)."""
    page = _french_only(latitude=47.87, longitude=-3.55)
    city = page.city.slug
    listed = client.get("/en/experiences/", {"theme": "mobility-transport"}).content.decode()
    assert "Vélos partagés à Quimperlé" in listed

    html = client.get("/en/experiences/map/").content.decode()
    assert f'href="/en/experiences/city/{city}/"' in html  # the city is in the map's table
    collection = client.get("/api/map/experiences.geojson", {"lang": "en"}).json()
    [point] = [f for f in collection["features"] if f.get("id") == city]
    assert point["properties"]["reports"] == [
        {"title": "Vélos partagés à Quimperlé", "url": f"/en/experiences/{page.slug}/", "status": "in_progress"}
    ]
    html = client.get(f"/en/experiences/city/{city}/").content.decode()
    assert "This report is available in French only." in html
    assert f'<h3 lang="fr"><a href="/en/experiences/{page.slug}/">Vélos partagés à Quimperlé</a></h3>' in html
    # The original language's own pages are unchanged: the report, no notice.
    html = client.get(f"/fr/experiences/city/{city}/").content.decode()
    assert f'href="{page.url}">Vélos partagés à Quimperlé</a>' in html and "n’existe qu’en" not in html


def test_a_comparable_project_is_given_in_the_reader_s_language_or_under_their_list_with_a_notice(client):
    """Walked: on an English report, a comparable project only in French linked to /fr/…, which
    switched the whole site to French, without the notice the list's cards carry."""
    from experiences.models import ExperienceIndexPage
    from experiences.translation import for_reader

    french_only = _french_only()
    english = ExperiencePage.objects.live().filter(locale__language_code="en").order_by("pk").first()
    its_french = ExperiencePage.objects.get(translation_key=english.translation_key, locale__language_code="fr")
    index = ExperienceIndexPage.objects.get(locale__language_code="en")

    given = for_reader(index, [french_only, its_french, english])
    # The French version of a translated report becomes its English one, given once.
    assert [page.pk for page in given] == [french_only.pk, english.pk]
    assert given[0].fallback.url == f"/en/experiences/{french_only.slug}/"
    assert given[0].fallback.language == "fr"
    assert client.get(given[0].fallback.url).status_code == 200


def test_the_english_search_links_a_french_only_report_as_the_english_list_does(client):
    """Walked: the English list linked a French-only report at /en/experiences/<slug>/ (the
    original with a notice), the English search and its API at its French address."""
    from search.service import run_search

    page = _french_only()
    hit = next(h for h in run_search({"q": "Quimperlé vélos", "lang": "en"}, "en").hits if h.title == page.title)
    assert hit.url == f"/en/experiences/{page.slug}/" and hit.language == "fr"
    assert "This report is available in French only." in client.get(hit.url).content.decode()
    api = client.get("/api/search/", {"q": "Quimperlé vélos", "lang": "en"}).json()
    assert f"/en/experiences/{page.slug}/" in [r["url"] for r in api["results"]]
    french = run_search({"q": "Quimperlé vélos", "lang": "fr"}, "fr").hits
    assert page.url in [h.url for h in french]
