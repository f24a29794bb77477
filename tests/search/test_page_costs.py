"""Search pages and APIs cost a number of database queries that does not grow
with the number of results (database backend: it also loads the hits from the
database; pages rendered every time, no page cache)."""

import pytest
from django.db import connection

from tests.experiences.helpers import import_records, record
from tests.experiences.test_page_costs import queries_for

from .conftest import database_backends

pytestmark = pytest.mark.django_db
URLS = {
    "search page": "/en/search/?q=zorblax",
    "api search": "/api/search/?q=zorblax&lang=en",
    "api autocomplete": "/api/search/autocomplete/?q=zorbl&lang=en",
    "api comparable": "/api/experiences/zorblax-0/comparable/?lang=en",
}


def _zorblax(start: int, count: int) -> None:
    import_records(*[
        record(f"zorblax-{i}", title=f"Zorblax plan {i}", summary=f"The zorblax energy plan number {i}.",
               city=f"Zorbcity {i}", country="SN", themes=["energy-climate"], sdgs=[7], tags=["zorblax", f"z{i}"],
               partner_cities=[{"city": "Lyon", "country": "FR"}])
        for i in range(start, start + count)
    ])  # fmt: skip


def test_search_costs_the_same_with_one_or_six_results(client, settings, no_page_cache):
    settings.WAGTAILSEARCH_BACKENDS = database_backends()
    settings.SEARCH_ANSWER_CACHE = False  # what working the answer out costs (search/answers.py keeps it)
    _zorblax(0, 1)
    few = {name: queries_for(client, url) for name, url in URLS.items()}
    _zorblax(1, 5)
    many = {name: queries_for(client, url) for name, url in URLS.items()}
    assert b"Zorblax plan 5" in client.get(URLS["search page"]).content
    assert many == few


def _facet_statements(params: dict[str, str]) -> list[str]:
    """Every SQL statement (placeholders, not values) a database search with facets runs."""
    from django.db import connection

    from search.database import database_search
    from search.params import parse_params

    statements: list[str] = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        result = database_search(parse_params({**params, "per_page": "3"}))
    assert result.facets["theme"] and len(result.hits) == 3, params
    return statements


@pytest.mark.parametrize("params", [
    {"q": "zorblax", "lang": "en"},
    {"q": "zorblax energy", "lang": "en", "theme": "energy-climate", "sdg": "7"},
    {"q": "", "lang": "en", "tag": "zorblax"},
])  # fmt: skip
def test_search_with_facets_costs_the_same_on_3_or_30_reports(settings, params, django_assert_max_num_queries):
    """Facets are counted in SQL over the matches as a subquery: neither the number
    of statements nor their size (no lists of ids) grows with the matches."""
    settings.WAGTAILSEARCH_BACKENDS = database_backends()
    settings.SEARCH_ANSWER_CACHE = False  # what working the answer out costs (search/answers.py keeps it)
    _zorblax(0, 3)
    _facet_statements(params)  # the first one fills Wagtail's own caches (sites, URLs)
    few = _facet_statements(params)
    _zorblax(3, 27)
    _facet_statements(params)
    with django_assert_max_num_queries(len(few)):
        many = _facet_statements(params)
    assert many == few


PAGES = [
    "/fr/search/?q=zorblax",
    "/fr/search/?q=zorblax+energy&theme=energy-climate&sdg=7",
    "/en/search/?q=plan+zorblax&per_page=2&page=2",
]


def test_the_search_page_costs_the_same_with_3_or_30_reports(client, settings, no_page_cache):
    """The page of a search with facets, on the embedded default: more matches (30 fill two pages
    of results) cost no more statements, in French and English, with filters and a second page."""
    settings.WAGTAILSEARCH_BACKENDS = database_backends()
    settings.SEARCH_ANSWER_CACHE = False  # what working the answer out costs (search/answers.py keeps it)
    _zorblax(0, 3)
    few = [queries_for(client, url) for url in PAGES]
    _zorblax(3, 27)
    many = [queries_for(client, url) for url in PAGES]
    response = client.get(PAGES[0])
    assert response.context["result"].count == 30 and len(response.context["result"].hits) == 20
    assert "30 résultats" in response.content.decode()
    facets = {
        group["name"]: {o["value"]: o["count"] for o in group["options"]} for group in response.context["facet_groups"]
    }
    assert facets["theme"]["energy-climate"] == 30 and facets["country"]["SN"] == 30
    assert many == few


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 path is SQLite's")
def test_a_search_reads_the_full_text_index_once_per_type(settings, demo):
    """Count, best hits and facets come from one FTS5 MATCH per type of item (experiences,
    consultations, contributions), not from one statement each that runs the MATCH again."""
    settings.WAGTAILSEARCH_BACKENDS = database_backends()
    _zorblax(0, 30)
    for params in ({"q": "zorblax", "lang": "en"}, {"q": "zorblax", "lang": "fr", "theme": "energy-climate"}):
        matching = [sql for sql in _facet_statements(params) if " MATCH " in sql]
        reports = [sql for sql in matching if "experiences_experiencepage" in sql and "consultation" not in sql]
        assert len(reports) == 1 and len(matching) <= 3, matching
