"""Where a path leads, remembered for the site's generation (cooperation_hub/routing.py): the
next reader of a report reaches it by its id instead of walking the tree again, and whatever
changes where a path leads (a new address, an unpublication, a deletion) counts at once."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from experiences.models import ExperiencePage
from tests.experiences.helpers import import_records, record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def _report() -> ExperiencePage:
    return ExperiencePage.objects.live().filter(locale__language_code="en").order_by("pk").first()


def _walks_to(queries: CaptureQueriesContext, slug: str) -> bool:
    """Whether a page was read by its slug among its parent's children (Wagtail's walk; a mere
    "is there a translation at this slug" check reads no page)."""
    return any(
        q["sql"].startswith('SELECT "wagtailcore_page"."id"') and f"\"slug\" = '{slug}'" in q["sql"]
        for q in queries.captured_queries
    )


def test_the_next_reader_reaches_a_report_without_walking_the_tree(client, demo):
    # A report no earlier test has read (the process remembers paths across tests).
    probe = f"routing-probe-{uuid.uuid4().hex[:8]}"
    import_records(record(probe, title=f"Routing probe {probe}"))
    report = ExperiencePage.objects.get(external_id=probe)
    with CaptureQueriesContext(connection) as first:
        assert client.get(report.url).status_code == 200
    with CaptureQueriesContext(connection) as next_one:
        response = client.get(report.url)
    assert response.status_code == 200 and report.title in response.content.decode()
    assert _walks_to(first, report.slug) and not _walks_to(next_one, report.slug)
    assert len(next_one) < len(first)


def test_an_index_routes_are_still_its_own_after_the_first_reader(client, demo):
    city = _report().city.slug
    for url in ("/en/experiences/map/", f"/en/experiences/city/{city}/", "/fr/experiences/", "/en/experiences/feed/"):
        assert client.get(url).status_code == 200, url
        assert client.get(url).status_code == 200, url


def test_a_new_address_counts_at_once(client, demo):
    report = _report()
    old = report.url
    client.get(old), client.get(old)  # remembered
    report.slug = "a-new-address-for-routing"
    report.save_revision().publish()
    assert client.get(old).status_code == 404
    assert client.get("/en/experiences/a-new-address-for-routing/").status_code == 200


def test_an_unpublished_or_deleted_report_is_gone_at_once(client, demo):
    report, other = ExperiencePage.objects.live().filter(locale__language_code="en").order_by("pk")[:2]
    for page in (report, other):
        client.get(page.url), client.get(page.url)  # remembered
    report.unpublish()
    gone = [(report.url, report.title), (other.url, other.title)]
    other.delete()
    # Neither is served any more: a 404, or the original each was translated from, as a report
    # not translated into English is shown (experiences.translation).
    for url, title in gone:
        response = client.get(url)
        assert response.status_code == 404 or title not in response.content.decode(), url
