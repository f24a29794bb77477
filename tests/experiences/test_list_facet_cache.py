"""The experience list keeps its facet counts under the site's generation: a reader
after the first pays no facet query, and a publication shows in the counts at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .helpers import import_records, record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("comparable_lists_left_alone")]


def _render(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("url", ["/en/experiences/", "/fr/experiences/?region=south"])
def test_a_second_reader_pays_no_facet_query(client, demo, no_page_cache, url):
    from cooperation_hub import page_cache

    _render(client, url)  # Wagtail's own caches
    page_cache.forget_all()  # a new generation: the facets are counted again
    cold, html_cold = _render(client, url)
    warm, html_warm = _render(client, url)
    # Kept: the facet counts and the list's count, with the statements they rest on.
    assert warm <= cold - 5, (cold, warm)
    assert html_warm == html_cold


def test_a_publication_shows_in_the_counts_at_once(client, demo, no_page_cache):
    url = "/en/experiences/?tag=facetcacheprobe"
    _render(client, url)
    _queries, html = _render(client, url)  # counted, and kept: no report has the tag yet
    assert "theme=energy-climate" not in html
    import_records(record("facet-cache-probe", tags=["facetcacheprobe"], themes=["energy-climate"]))
    _queries, html = _render(client, url)
    assert "theme=energy-climate" in html  # the theme facet now offers the new report's theme


def _sorting_the_list(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if 'ORDER BY "wagtailcore_page"."first_published_at" DESC' in q["sql"]
    ]


@pytest.mark.parametrize("url", ["/en/experiences/", "/fr/experiences/?page=2", "/en/experiences/?region=south"])
def test_a_second_reader_reads_the_page_of_reports_by_their_ids(client, demo, no_page_cache, url):
    from cooperation_hub import page_cache

    _render(client, url)
    page_cache.forget_all()
    with CaptureQueriesContext(connection) as cold:
        html_cold = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as warm:
        html_warm = client.get(url).content.decode()
    # Sorting the listed reports of both languages is done once per generation; the next reader
    # reads the page's twelve reports by their ids, and sees the same page.
    assert _sorting_the_list(cold) and not _sorting_the_list(warm)
    assert html_warm == html_cold


def test_a_new_report_heads_the_kept_first_page_at_once(client, demo, no_page_cache):
    _render(client, "/en/experiences/")
    _render(client, "/en/experiences/")  # its first page kept
    import_records(record("kept-page-probe", title="Kept page probe: a river park in Cahors"))
    _queries, html = _render(client, "/en/experiences/")
    first_card = html.split('<ul class="cards">', 1)[1].split("</li>", 1)[0]
    assert "Kept page probe" in first_card
