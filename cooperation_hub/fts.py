"""The one place that reaches into django-modelsearch's SQLite FTS5 internals.

Why: django-modelsearch's public ``search()`` on SQLite builds
``SELECT … FROM fts JOIN indexentry … WHERE fts MATCH ? AND content_type_id IN (…)``
and scores each hit with a correlated subquery. SQLite's planner then walks
``wagtailsearch_indexentry`` through its ``content_type_id`` index and asks the
FTS5 table, row after row, whether *that* row matches: the MATCH runs again for
every report of the type (seconds at 10,000 reports, ~900× a plain FTS5 query).

``sqlite_matches`` builds the same MATCH and the same score with the backend's
own query compiler, but makes the FTS5 table the only way in: the content-type
test is written ``content_type_id + 0`` (no index can serve it), so SQLite reads
the full-text index once, then joins each hit to its index entry by primary key.

Everything here uses names that are not django-modelsearch's public API
(``query_compiler_class``, ``_build_rank_expression``, ``MatchExpression``,
``SQLiteFTSIndexEntry``…). tests/search/test_fts_adapter.py checks them one by
one, so that an upgrade that moves them fails there, loudly, rather than
silently falling back to the slow path.

It lives in the project package because both the experience list (``?q=``) and the search's
database backend use it, and ``experiences`` must not import ``search``.
"""

import importlib
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import ExpressionWrapper, F, FloatField, IntegerField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.db.models.sql import Query

if TYPE_CHECKING:
    from modelsearch.index import Indexed

# The internal names used below, checked by tests/search/test_fts_adapter.py.
REQUIRED = {
    "modelsearch.backends.database.sqlite.sqlite": (
        "SQLiteFTSIndexEntry",
        "MatchExpression",
        "normalize",
        "get_descendants_content_types_pks",
        "SQLiteSearchQueryCompiler",
    ),
    "modelsearch.backends.database.sqlite.query": ("BM25",),  # replaced by one bm25() per hit (scored)
    "modelsearch.backends.database.sqlite.sqlite.SQLiteSearchQueryCompiler": (
        "get_config",
        "build_search_query",
        "_build_rank_expression",
        "get_search_vectors",
        "FTS_TABLE_FIELDS",
    ),
}


def missing_internals() -> list[str]:
    """The names of ``REQUIRED`` that the installed django-modelsearch no longer has."""
    missing = []
    for path, names in REQUIRED.items():
        module_path, _, attribute = path.partition(".SQLiteSearchQueryCompiler")
        owner: Any = importlib.import_module(module_path)
        if path.endswith(".SQLiteSearchQueryCompiler"):
            owner = getattr(owner, "SQLiteSearchQueryCompiler", None)
        missing += [f"{path}.{name}" for name in names if owner is None or not hasattr(owner, name)]
    return missing


def is_sqlite_backend(backend: Any) -> bool:
    return backend.__class__.__name__.startswith("SQLite")


class FtsMatches:
    """The FTS5 hits of one query for one model, read FTS-first.

    ``entries``: a queryset of index entries with ``oid`` (the object's integer
    primary key) and ``entry`` (the index entry id, FTS5's rowid), without the
    score: cheap to count and to use as a subquery (``entries.values("oid")``).
    ``best(end)``: the ``end`` best (oid, score), the backend's own score (lower
    is better, as FTS5's bm25), equal scores in index-entry order (FTS5's own).
    """

    def __init__(self, entries: QuerySet, rank: Any):
        self.entries = entries
        self.rank = rank

    def ranked(self, ties: str = "entry") -> QuerySet:
        """(oid, score) rows, best first; equal scores by ``ties``: "entry" (FTS5's own order)
        or "-oid" (the order of django-modelsearch's public ``search()``)."""
        # bm25() is only allowed in the statement that scans the FTS table:
        # no window function or subquery around it (SQLite refuses them).
        return self.entries.annotate(score=self.rank).order_by("score", ties).values_list("oid", "score")

    def best(self, end: int, ties: str = "entry") -> list[tuple[int, float]]:
        return self.scored(ties, end)

    def scored(self, ties: str = "entry", end: int | None = None) -> list[tuple[int, float]]:
        """What ``ranked`` gives (the same scores, the same order), every hit or the ``end`` best, in one
        statement that computes bm25 once per hit.

        Why: the backend's rank expression names ``bm25()`` once per word form and field (31 times
        for "plan climat" with its forms and translations) and SQLite evaluates each one; here the
        FTS scan keeps bm25 and the boosts' columns once per hit (a materialized CTE: bm25 is only
        allowed in the statement that scans the FTS table), and the same expression is computed
        over them: the same arithmetic on the same values, so the same floats. Reading every hit
        also gives the count and the ids the facets count over, without running the MATCH again.
        """
        columns: dict[str, str] = {}  # field path -> its column in the CTE
        score = _over_columns(self.rank, columns)
        inner = self.entries.order_by().annotate(
            hub_bm25=_bm25(), **{column: F(path) for path, column in columns.items()}
        )
        inner_sql, inner_params = inner.values("oid", "entry", "hub_bm25", *columns.values()).query.sql_with_params()
        query = Query(inner.model)
        score_sql, score_params = score.resolve_expression(query).as_sql(
            query.get_compiler(connection=connection), connection
        )
        order = {"entry": '"entry" ASC', "-oid": '"oid" DESC'}[ties]
        sql = (
            f"WITH hub_fts_hits AS MATERIALIZED ({inner_sql}) "
            f'SELECT "oid", {score_sql} AS "score" FROM hub_fts_hits ORDER BY 2 ASC, {order}'
        )
        params = [*inner_params, *score_params]
        if end is not None:
            sql += " LIMIT %s"
            params.append(end)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(oid, score) for oid, score in cursor.fetchall()]


FEW_ENTRIES = 20  # below this many index entries, a model's hits are read entries-first (~0.8 ms each)


def few_entries(model: "type[Indexed]") -> bool:
    """Whether ``model`` has fewer than ``FEW_ENTRIES`` index entries (one bounded count: it reads
    at most that many rows of the content-type index, however large the index)."""
    from modelsearch.backends.database.sqlite import sqlite as fts

    entry_model = fts.SQLiteFTSIndexEntry._meta.get_field("index_entry").related_model
    entries = entry_model.objects.filter(content_type_id__in=fts.get_descendants_content_types_pks(model))
    return entries.order_by().values("pk")[:FEW_ENTRIES].count() < FEW_ENTRIES


def _bm25() -> Any:
    from modelsearch.backends.database.sqlite.query import BM25

    return BM25()


def _over_columns(expression: Any, columns: dict[str, str]) -> Any:
    """``expression`` with each ``bm25()`` read from the CTE's "hub_bm25" and each field (a boost
    such as the title's ``title_norm``) from a column of its own, named in ``columns``."""
    from modelsearch.backends.database.sqlite.query import BM25

    if isinstance(expression, BM25):
        return RawSQL('"hub_bm25"', [], output_field=FloatField())
    if isinstance(expression, F):
        # F.name is public (the field path F was given) but missing from django-stubs.
        column = columns.setdefault(expression.name, f"hub_f{len(columns)}")  # type: ignore[attr-defined]
        return RawSQL(f'"{column}"', [], output_field=FloatField())
    if not hasattr(expression, "get_source_expressions"):
        return expression
    clone = expression.copy()
    clone.set_source_expressions([_over_columns(e, columns) for e in expression.get_source_expressions()])
    return clone


def sqlite_matches(
    backend: Any, model: "type[Indexed]", query: Any, allowed: QuerySet | None = None, entries_first: bool = False
) -> FtsMatches:
    """FTS5 hits of ``query`` among ``model``'s index entries; ``allowed``: the objects that may be found.

    ``entries_first``: for a model with few index entries (``few_entries``), the planner may start
    from them and ask the FTS5 table about each one (a handful of rowid lookups), instead of
    reading every hit of the query in the whole index (the reports' too) to keep none.
    The same hits, scores and order either way."""
    from modelsearch.backends.database.sqlite import sqlite as fts

    compiler = backend.query_compiler_class(model.objects.all(), query, order_by_relevance=True)
    config = compiler.get_config(backend)
    built = compiler.build_search_query(fts.normalize(compiler.query), config=config)
    match = fts.MatchExpression(compiler.fields or compiler.FTS_TABLE_FIELDS, built)
    rank = compiler._build_rank_expression(compiler.get_search_vectors(), config)
    content_types = fts.get_descendants_content_types_pks(model)
    entries = fts.SQLiteFTSIndexEntry.objects.filter(match)
    if entries_first:
        # The FTS5 table's rowids constrained by a list: SQLite asks FTS5 about each one (rowid=?).
        entry_model = fts.SQLiteFTSIndexEntry._meta.get_field("index_entry").related_model
        own = entry_model.objects.filter(content_type_id__in=content_types).order_by().values("pk")
        entries = entries.filter(index_entry_id__in=own)
    else:
        # "+ 0": no index may serve this test, so the planner cannot start from index entries.
        entries = entries.alias(
            ct=ExpressionWrapper(F("index_entry__content_type_id") + 0, output_field=IntegerField())
        ).filter(ct__in=content_types)
    entries = entries.annotate(oid=Cast("index_entry__object_id", IntegerField()), entry=F("index_entry_id"))
    if allowed is not None:
        among = allowed.order_by().values("pk")
        # IN ignores duplicates: without the DISTINCT of a filtered list (joins over tags, themes…),
        # SQLite skips a temporary B-tree over every allowed row (half the statement at 10,000 reports).
        among.query.distinct = False
        entries = entries.filter(oid__in=among)
    return FtsMatches(entries, rank)
