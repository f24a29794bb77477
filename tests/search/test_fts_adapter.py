"""cooperation_hub/fts.py reaches into django-modelsearch's SQLite internals: these tests
fail loudly when an upgrade moves or changes them (instead of the search
silently falling back to the slow public path)."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modelsearch.backends import get_search_backend

from cooperation_hub import fts
from experiences.models import ExperiencePage
from search.database import database_query, database_search, filtered_querysets
from search.params import parse_params
from search.query import parse_query

from .conftest import database_backends

pytestmark = pytest.mark.django_db
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 path is SQLite's")


@sqlite_only
def test_the_internal_names_the_adapter_uses_still_exist():
    missing = fts.missing_internals()
    assert not missing, f"django-modelsearch changed, update cooperation_hub/fts.py: {missing} are gone"


@sqlite_only
def test_fts_first_gives_the_public_apis_hits_and_scores(settings, demo):
    settings.WAGTAILSEARCH_BACKENDS = database_backends()
    backend = get_search_backend("database")
    assert fts.is_sqlite_backend(backend)
    found = 0
    for text in ("écoles", "plan climat", '"budget participatif"', "energy renovation housing", "bethune"):
        query = database_query(parse_query(text))
        public = backend.search(query, ExperiencePage.objects.all(), order_by_relevance=True).annotate_score("s")
        expected = {pk: round(score, 9) for pk, score in public.get_queryset().values_list("pk", "s")}
        got = {pk: round(score, 9) for pk, score in fts.sqlite_matches(backend, ExperiencePage, query).ranked()}
        assert got == expected, text
        found += bool(got)
    assert found >= 3


@sqlite_only
def test_scoring_each_hit_once_gives_the_same_hits_scores_and_order(settings, demo):
    """``scored`` computes bm25 once per hit instead of once per word form: the very same floats and order."""
    settings.WAGTAILSEARCH_BACKENDS = database_backends()
    backend = get_search_backend("database")
    found = 0
    for text in ("écoles", "plan climat", '"budget participatif"', "energy renovation housing", "the city"):
        sp = parse_params({"q": text, "lang": "en"})
        qs = filtered_querysets(sp)["experience"]
        matches = fts.sqlite_matches(backend, qs.model, database_query(sp.query), qs)
        for ties in ("entry", "-oid"):
            expected = list(matches.ranked(ties))
            assert matches.scored(ties) == expected, (text, ties)
            assert matches.scored(ties, 3) == matches.best(3, ties) == expected[:3], (text, ties)
        found += bool(expected)
    assert found >= 3


@sqlite_only
def test_the_plan_reads_the_full_text_index_first(settings, demo):
    """Not the index entries by content type with the MATCH re-run for each (seconds at 10,000 reports)."""
    settings.WAGTAILSEARCH_BACKENDS = database_backends()
    sp = parse_params({"q": "écoles", "theme": "energy-climate"})
    qs = filtered_querysets(sp)["experience"]
    found = fts.sqlite_matches(get_search_backend("database"), qs.model, database_query(sp.query), qs)
    sql, params = found.ranked().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = [row[-1] for row in cursor.fetchall()]
    top = [step for step in plan if "SUBQUERY" not in step]
    assert top[0].startswith("SCAN") and "_fts VIRTUAL TABLE" in top[0], plan
    assert any("wagtailsearch_indexentry USING INTEGER PRIMARY KEY" in step for step in plan), plan
    assert not any("content_type_id" in step for step in plan), plan
    # The statement that scores every hit once (``scored``) reads the FTS table first too.
    with CaptureQueriesContext(connection) as captured:
        found.scored()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + captured.captured_queries[-1]["sql"])
        plan = [row[-1] for row in cursor.fetchall()]
    assert plan[0].startswith("MATERIALIZE") and "_fts VIRTUAL TABLE" in plan[1], plan
    assert not any("content_type_id" in step for step in plan), plan


def test_no_fallback_to_the_public_path(settings, demo, caplog):
    settings.WAGTAILSEARCH_BACKENDS = database_backends()
    with caplog.at_level(logging.ERROR, logger="search.database"):
        result = database_search(parse_params({"q": "écoles", "region": "north"}))
    assert result.count > 0
    assert not [r for r in caplog.records if "path failed" in r.getMessage()]


@sqlite_only
def test_the_experience_list_search_gives_the_public_apis_ids_in_its_order(settings, demo):
    """experiences.filters.search_ids reads FTS-first on SQLite: the same ids, in the same order."""
    from experiences.filters import SEARCH_LIMIT, base_queryset, search_ids

    settings.WAGTAILSEARCH_BACKENDS = database_backends()
    found = 0
    for text in ("ecoles", "energy", "plan climat", '"smart city"', "bethune dakar", "the"):
        for locale in (None, *{p.locale for p in ExperiencePage.objects.select_related("locale")}):
            # The query as the list words it (search/wagtail_hooks.py: stemmed, translated, every word).
            public = base_queryset(locale).order_by().search(database_query(parse_query(text), every_word=True))
            expected = [page.pk for page in public[:SEARCH_LIMIT]]
            assert search_ids(locale, text) == expected, (text, locale)
            found += bool(expected)
    assert found >= 4
