"""What a request works out once: the private sections' paths (each list, count and search
starts from them), and what makes the rest of the request work them out again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cooperation_hub.request_memo import kept_within
from cooperation_hub.visibility import private_paths
from experiences.models import ExperiencePage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo", "no_page_cache")]


def _restriction_reads(queries) -> int:
    """The statement of ``private_paths`` (Wagtail's own check of the page served is another)."""
    statement = 'SELECT "wagtailcore_pageviewrestriction"."page_id" AS "page_id" FROM "wagtailcore_pageviewrestriction"'
    return sum(q["sql"].strip() == statement for q in queries)


@pytest.mark.parametrize("url", ["report", "/en/experiences/", "/en/search/?q=schools", "/api/search/?q=energy"])
def test_a_page_reads_the_private_sections_once(client, url):
    if url == "report":
        url = ExperiencePage.objects.live().filter(locale__language_code="en").first().url
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert _restriction_reads(queries.captured_queries) <= 1


def test_a_restriction_made_within_a_request_counts_for_the_rest_of_it():
    page = ExperiencePage.objects.live().first()
    with kept_within():
        assert page.path not in private_paths()
        restriction = PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
        assert page.path in private_paths()
        restriction.delete()
        assert page.path not in private_paths()


def test_outside_a_request_nothing_is_kept():
    page = ExperiencePage.objects.live().first()
    assert page.path not in private_paths()
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    assert page.path in private_paths()
