"""A password-protected report leaves the experience list, its tag, theme and city
pages, the map, the feeds and the home page at once (the anonymous page cache
included), and stays readable at its own address with the password
(issue #11, item 3)."""

import pytest
from django.conf import settings
from django.utils import timezone

from experiences.models import City, ExperiencePage
from tests.privacy import ENGLISH_TITLE, PRIVATE_REPORT, make_private, make_report_private

pytestmark = pytest.mark.django_db


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def what_the_public_sees_of_the_report(client) -> dict[str, bool]:
    partner = City.objects.get(name="Saint-Louis").slug  # the report's partner city
    pages = {
        "list": "/en/experiences/",
        "list, searched": "/en/experiences/?q=recycling",
        "tag page": "/en/experiences/tag/recycling/",
        "theme page": "/en/experiences/theme/food-consumption/",
        "partner city page": f"/en/experiences/city/{partner}/",
        "RSS feed": "/en/experiences/feed/",
        "Atom feed": "/en/experiences/feed/atom/",
        "home page": "/en/",
        "Wagtail API": "/api/v2/pages/?type=experiences.ExperiencePage&locale=en&limit=20",
    }
    seen = {name: ENGLISH_TITLE in _html(client, url) for name, url in pages.items()}
    seen["country facet"] = 'href="?country=BR"' in _html(client, "/en/experiences/")
    # The map's table lists cities, its popups the reports' titles (GeoJSON).
    # (the partnerships table below the map names Curitiba whatever its reports: a
    # partnership is not the report, so the map is read through its data).
    features = client.get("/api/map/experiences.geojson?tag=recycling&lang=en").json()["features"]
    seen["map"] = any(r["title"] == ENGLISH_TITLE for f in features for r in f["properties"].get("reports", []))
    return seen


def test_a_private_report_leaves_every_listing_even_cached_ones(client, demo):
    # The demo dates its reports over two years; this one is made the newest so
    # that the home page and the list's first page show it before it turns private.
    ExperiencePage.objects.filter(external_id=PRIVATE_REPORT).update(first_published_at=timezone.now())
    before = what_the_public_sees_of_the_report(client)  # the pages are now in the page cache
    assert before == dict.fromkeys(before, True)
    make_report_private()
    after = what_the_public_sees_of_the_report(client)
    assert after == dict.fromkeys(after, False)


def test_the_private_report_itself_asks_for_its_password(client, demo):
    make_report_private()
    page = ExperiencePage.objects.get(external_id=PRIVATE_REPORT, locale__language_code="en")
    restriction = page.get_view_restrictions().get()
    form = _html(client, page.url)
    assert ENGLISH_TITLE not in form and 'name="password"' in form
    action = f"/en/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"
    response = client.post(action, {"password": "not-for-everyone", "return_url": page.url})
    assert response.status_code == 302
    assert ENGLISH_TITLE in _html(client, page.url)
    # Listings are the same for everyone (and cached as such): it is still not listed.
    assert ENGLISH_TITLE not in _html(client, "/en/experiences/")


def test_a_private_translation_is_not_announced_as_an_alternate(client, demo):
    english = ExperiencePage.objects.get(external_id=PRIVATE_REPORT, locale__language_code="en")
    french = ExperiencePage.objects.get(external_id=PRIVATE_REPORT, locale__language_code="fr")
    alternate = f'<link rel="alternate" hreflang="en" href="{settings.SITE_URL}{english.url}">'
    assert alternate in _html(client, french.url)
    make_private(english)
    html = _html(client, french.url)
    assert alternate not in html and 'hreflang="fr"' in html
