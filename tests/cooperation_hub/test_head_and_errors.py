"""The page's <head> (canonical, languages, description, link previews, feeds,
icon) and the error pages a reader may meet, in the site's look and language."""

import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from experiences.models import ExperiencePage

pytestmark = pytest.mark.django_db


def _head(html: str) -> str:
    return html.split("</head>", 1)[0]


def _meta(head: str, prop: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', head)
    assert match, f"no {prop} in the head"
    return match.group(1)


@pytest.mark.parametrize(
    ("language", "title", "other"),
    [
        ("fr", "Page introuvable", "Retour à l'accueil"),
        ("en", "Page not found", "Back to the home page"),
    ],
)
def test_an_unknown_address_gives_the_branded_404_in_the_readers_language(client, demo, language, title, other):
    assert not settings.DEBUG
    response = client.get(f"/{language}/nulle-part/pas-ici/")
    html = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{language}">' in html
    assert f"<h1>{title}</h1>" in html and other in html
    assert "css/hub.css" in html and 'class="brand"' in html  # the site's header and stylesheet
    assert f'action="/{language}/search/"' in html  # a way on: search
    assert '<meta name="robots" content="noindex">' in html and 'rel="canonical"' not in html
    assert "Not Found" not in html


@pytest.mark.parametrize(("language", "expected"), [("fr", "Une erreur est survenue"), ("en", "Something went wrong")])
def test_the_500_page_renders_translated_without_the_database(demo, django_assert_num_queries, language, expected):
    request = RequestFactory().get(f"/{language}/")
    with translation.override(language), django_assert_num_queries(0):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}">' in html and expected in html and "css/hub.css" in html
    with translation.override(language):
        assert render_to_string("500.html") == html  # no context processor needed either


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_an_experience_report_tells_search_engines_and_previews_what_it_is(client, demo):
    page = ExperiencePage.objects.live().get(external_id="dubai-happiness-index", locale__language_code="en")
    french = page.get_translation(page.locale.__class__.objects.get(language_code="fr"))
    head = _head(client.get(page.url).content.decode())
    url = f"{settings.SITE_URL}{page.url}"
    assert f'<link rel="canonical" href="{url}">' in head
    assert f'<link rel="alternate" hreflang="en" href="{url}">' in head
    assert f'<link rel="alternate" hreflang="fr" href="{settings.SITE_URL}{french.url}">' in head
    assert f'<link rel="alternate" hreflang="x-default" href="{settings.SITE_URL}{french.url}">' in head
    assert _meta(head, "og:title") == page.title.replace("'", "&#x27;")
    assert _meta(head, "og:url") == url and _meta(head, "og:type") == "article"
    assert _meta(head, "og:locale") == "en_GB" and _meta(head, "og:locale:alternate") == "fr_FR"
    assert _meta(head, "description") == _meta(head, "og:description")
    assert _meta(head, "description")[:40] in page.summary.replace("'", "&#x27;")
    assert 'type="application/rss+xml"' in head and 'href="/en/experiences/feed/"' in head
    assert 'type="application/atom+xml"' in head and 'href="/en/experiences/feed/atom/"' in head
    assert 'rel="icon" href="/static/img/favicon.svg" type="image/svg+xml"' in head


def test_a_page_in_one_language_only_announces_no_translation(client, demo):
    page = ExperiencePage.objects.live().get(external_id="bethune-smart-city", locale__language_code="fr")
    ExperiencePage.objects.get(translation_key=page.translation_key, locale__language_code="en").unpublish()
    head = _head(client.get(page.url).content.decode())
    assert "hreflang=" not in head
    assert f'<link rel="canonical" href="{settings.SITE_URL}{page.url}">' in head


@pytest.mark.parametrize("path", ["/fr/", "/en/search/?q=energie"])
def test_the_home_and_the_search_page_have_their_head_tags(client, demo, path):
    head = _head(client.get(path).content.decode())
    language = path[1:3]
    assert f'<link rel="canonical" href="{settings.SITE_URL}{path.split("?")[0]}">' in head  # no query string
    for code in ("fr", "en", "x-default"):
        assert f'hreflang="{code}"' in head
    for prop in ("og:title", "og:description", "og:url", "og:type", "og:locale", "description"):
        assert _meta(head, prop)
    assert _meta(head, "og:locale") == {"fr": "fr_FR", "en": "en_GB"}[language]


def test_a_list_s_further_pages_are_their_own_canonical_without_the_filters(client, demo):
    """Walked: /en/experiences/?page=2 named page 1 as its canonical address, so a search engine
    would take it for a copy of page 1 and never follow the reports it links to."""
    second = _head(client.get("/en/experiences/?page=2&sort=title").content.decode())
    assert f'<link rel="canonical" href="{settings.SITE_URL}/en/experiences/?page=2">' in second
    # Its French version is the French list's page 2, not its first page.
    assert f'<link rel="alternate" hreflang="fr" href="{settings.SITE_URL}/fr/experiences/?page=2">' in second
    first = _head(client.get("/en/experiences/?page=1").content.decode())
    assert f'<link rel="canonical" href="{settings.SITE_URL}/en/experiences/">' in first
    # "²".isdigit() is true, and int() refuses it, as it refuses 5,000 digits: the first page is shown.
    for odd in ("2x", "²", "9" * 5000):
        response = client.get(f"/en/experiences/?page={odd}")
        assert response.status_code == 200
        assert f'<link rel="canonical" href="{settings.SITE_URL}/en/experiences/">' in _head(response.content.decode())
    # A filtered list's canonical is the whole list, at the page shown (here its only one).
    filtered = _head(client.get("/en/experiences/?page=9&theme=energy-climate").content.decode())
    assert f'<link rel="canonical" href="{settings.SITE_URL}/en/experiences/">' in filtered
    # A number past the end shows the last page, and names it.
    past = client.get("/en/experiences/?page=99").content.decode()
    last = re.search(r'aria-current="page">(\d+)<', past).group(1)
    assert int(last) > 1 and f'<link rel="canonical" href="{settings.SITE_URL}/en/experiences/?page={last}">' in past
