"""The experience list's ``?q=`` on an engine (experiences/filters.py ``search_ids``): the ids of
the engine's best hits, in the engine's order, read in one request without building a page for
each hit — at 1,000 hits that was ~400 ms of every uncached list with a query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from cooperation_hub.query import parse_query
from experiences.filters import SEARCH_LIMIT, base_queryset, search_ids
from search.database import database_query

pytestmark = [pytest.mark.django_db, pytest.mark.opensearch]
QUERIES = ["écoles", "schools", "energy", "plan climat", '"budget participatif"', "Dakar"]


def _as_modelsearch_iterates(locale: Locale, text: str) -> list[int]:
    # The query as the list words it (search/wagtail_hooks.py: stemmed, translated, every word).
    results = base_queryset(locale).order_by().search(database_query(parse_query(text), every_word=True))
    return [page.pk for page in results[:SEARCH_LIMIT]]


@pytest.mark.parametrize("search_backend", ["engine"], indirect=True)
def test_the_same_ids_in_the_same_order_with_no_page_loaded(demo, search_backend):
    found = 0
    for language in ("fr", "en"):
        locale = Locale.objects.get(language_code=language)
        for text in QUERIES:
            expected = _as_modelsearch_iterates(locale, text)
            with CaptureQueriesContext(connection) as queries:
                ids = search_ids(locale, text)
            # The private sections' paths at most (read once per request in the site), never a page row.
            assert not [q["sql"] for q in queries.captured_queries if "experiences_experiencepage" in q["sql"]]
            assert ids == expected, (language, text)
            found += len(ids)
    assert found, "no query found anything: the comparison proves nothing"
