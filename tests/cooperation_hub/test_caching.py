"""The anonymous page cache: a second view costs no query, publishing shows at
once, members always get their own page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation_hub.models import HomePage
from experiences.models import ExperienceIndexPage, ExperiencePage

pytestmark = pytest.mark.django_db


def _views_twice(client, url):
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    return first, second, len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/fr/",
        "/en/",
        "/fr/experiences/",
        "/en/experiences/?theme=energy-climate&page=1",
        "/fr/experiences/map/",
        "/fr/experiences/feed/",
        "/fr/subscribe/",
    ],
)
def test_a_second_anonymous_view_costs_no_database_query(client, demo, url):
    first, second, queries = _views_twice(client, url)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content or b"csrfmiddlewaretoken" in first.content
    assert second["X-Page-Cache"] == "hit" and queries == 0


def test_each_language_has_its_own_cached_page(client, demo):
    _views_twice(client, "/fr/")
    english = client.get("/en/")
    assert english.status_code == 200 and '<html lang="en"' in english.content.decode()


def test_a_published_edit_shows_on_the_next_anonymous_view(client, demo):
    page = ExperiencePage.objects.live().filter(locale__language_code="fr").order_by("-first_published_at").first()
    index_url = page.get_parent().url
    _views_twice(client, page.url)
    _views_twice(client, index_url)
    page.title = "Un titre tout neuf pour le cache"
    page.save_revision().publish()
    assert page.title in client.get(page.url).content.decode()
    assert page.title in client.get(index_url).content.decode()


def test_an_unpublished_or_deleted_page_is_gone_on_the_next_anonymous_view(client, demo):
    first, second = ExperiencePage.objects.live().filter(locale__language_code="en")[:2]
    urls = (first.url, second.url)
    for url in urls:
        _views_twice(client, url)
    # In every language: a report missing in one language is otherwise shown
    # there from the other one, with a notice (experiences/translation.py).
    for translation in first.get_translations(inclusive=True):
        translation.unpublish()
    for translation in second.get_translations(inclusive=True):
        translation.delete()
    assert [client.get(url).status_code for url in urls] == [404, 404]


def test_a_moved_page_is_at_its_new_address_on_the_next_anonymous_view(client, demo):
    index = ExperienceIndexPage.objects.get(locale__language_code="fr")
    page = ExperiencePage.objects.live().child_of(index).first()
    old_url = page.url
    _views_twice(client, old_url)
    page.move(HomePage.objects.get(locale__language_code="fr"), pos="last-child")
    page.refresh_from_db()
    moved = client.get(old_url)  # Wagtail's automatic redirect, not the cached page
    assert moved.status_code == 301 and moved["Location"] == page.url
    assert client.get(page.url).status_code == 200


def test_a_signed_in_member_never_gets_the_anonymous_page(client, demo, django_user_model):
    _views_twice(client, "/fr/")
    member = django_user_model.objects.create_user(
        "cached", "cached@example.org", "a-long-pass-42", display_name="Camille Cache"
    )
    client.force_login(member)
    response = client.get("/fr/")
    assert "X-Page-Cache" not in response
    assert "/fr/accounts/profile/" in response.content.decode()
