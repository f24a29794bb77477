"""Search benchmark: index N synthetic experience reports, then time /api/search/ next to its floor.

    python -m bench.search --n 10000            # database backend (SQLite FTS5 or PostgreSQL)
    SEARCH_ENGINE=opensearch SEARCH_URL=http://127.0.0.1:9200 python -m bench.search --n 10000
                                                # the same, plus the engine

The data lives in its own database (HUB_VAR_DIR, default /tmp/hub-bench-search-N)
so repeated runs reuse it (--no-rebuild keeps its search index as it is);
--fresh starts again. The import is the real importer (``import_experiences
--publish``, search indexing deferred to the rebuild); at 10,000 reports it takes
10-20 minutes on a busy 2-core machine: run it once, niced (``nice -n 15``).

Prints the rebuild time, then per class of query p50/p95 of the product
(``/api/search/`` through the Django test client: parsing, search, facets,
snippets, JSON) next to its floor, interleaved, and their ratio. The database
backend's floor is a plain FTS5 ``MATCH … ORDER BY rank LIMIT 20`` on the same
database file, with the MATCH the product builds; it is timed twice, on a repeated
search (answered from the kept answers) and on searches worked out (kept answers
forgotten before each run). An engine's floor is the same requests the product
sent it, posted to it directly on the same client. Then the experience list (page cache off) next to a page of the same
base template with no data. Never asserts on time.
"""

import argparse
import os
import sys
import tempfile
import time
from typing import Any
from urllib.parse import urlencode


def _setup(n: int, fresh: bool) -> None:
    var = os.environ.setdefault("HUB_VAR_DIR", os.path.join(tempfile.gettempdir(), f"hub-bench-search-{n}"))
    if fresh and os.path.exists(os.path.join(var, "db.sqlite3")):
        os.remove(os.path.join(var, "db.sqlite3"))
    os.makedirs(var, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation_hub.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "b" * 40)
    os.environ.setdefault("SEARCH_INDEX_PREFIX", f"hub_bench{n}")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
    # Tasks run inline here: a refresh of the kept answers after each write of the setup would be too.
    os.environ.setdefault("KEPT_ANSWERS_REFRESH", "false")
    import django

    django.setup()


# Query classes: each is timed through /api/search/ (the product: parsing, search,
# facets, snippets, JSON) and next to its floor, interleaved in one run.
QUERIES = [
    ("one word", {"q": "écoles"}), ("one word", {"q": "schools", "lang": "en"}), ("one word", {"q": "bethune"}),
    ("two words", {"q": "plan climat"}), ("two words", {"q": "données ouvertes", "size": "large"}),
    ("phrase", {"q": '"budget participatif"'}),
    ("long question", {"q": "energy renovation housing", "lang": "en"}), ("long question", {"q": "happiness index",
                                                                                           "lang": "en"}),
    ("word + filter", {"q": "compost", "region": "south"}), ("word + filter", {"q": "bus", "theme": "mobility-transport"}),
    ("word + filter", {"q": "jardins partagés", "tag": "compost"}), ("word + filter", {"q": "cantine", "country": "FR"}),
    ("word + filter", {"q": "santé", "type": "experience"}),
    ("empty", {"q": ""}), ("empty", {"q": "", "sdg": "7", "status": "completed"}),
]  # fmt: skip
# The experience list (uncached, as a first reader sees it) next to a page of the same base template with no data.
LIST_PAGES = [
    ("list", "/en/experiences/"), ("list", "/fr/experiences/"), ("list + filter", "/en/experiences/?theme=energy-climate"),
    ("list + filter", "/en/experiences/?region=south&sdg=7"), ("list + query", "/en/experiences/?q=schools"),
]  # fmt: skip
LIST_FLOOR = "/en/privacy/"


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] * 1000


def fts_floor(params: dict[str, str]) -> Any:
    """A function running the plain FTS5 statement for these parameters:
    ``SELECT rowid … WHERE fts MATCH ? ORDER BY rank LIMIT 20`` with the MATCH the product
    builds (no filters, no facets, no join); for an empty query, the newest 20 pages."""
    from django.db import connection
    from modelsearch.backends import get_search_backend

    from cooperation_hub import fts
    from search.database import database_query
    from search.params import parse_params

    sp = parse_params(params)
    backend = get_search_backend("database")
    if sp.query.is_empty or not fts.is_sqlite_backend(backend):
        sql, args = (
            "SELECT id FROM wagtailcore_page WHERE live ORDER BY first_published_at DESC, id DESC LIMIT 20",
            [],
        )
    else:
        from modelsearch.backends.database.sqlite import sqlite as m

        from experiences.models import ExperiencePage

        entries = fts.sqlite_matches(backend, ExperiencePage, database_query(sp.query)).entries
        table = m.SQLiteFTSIndexEntry._meta.db_table
        where = entries.query.where.children[0]  # the MatchExpression
        compiler = entries.query.get_compiler(using="default")
        _sql, args = where.as_sql(compiler, connection)
        sql = f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY rank LIMIT 20"

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            cursor.fetchall()

    return run


def engine_floor(client: Any, url: str) -> Any:
    """A function posting to the engine, on the product's own client, exactly the requests that one
    ``/api/search/`` call for this URL sends it (the search, and a spelling or count check if it
    makes one): the product less its parsing, ranking, facets as the page shows them, loading of
    hits, snippets and JSON."""
    from search.engines import client as engine

    es_class = type(engine.engine_backend().es)
    original = es_class.search
    sent: list[tuple[Any, tuple[Any, ...], dict[str, Any]]] = []

    def recording(es: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append((es, args, kwargs))
        return original(es, *args, **kwargs)

    es_class.search = recording
    try:
        assert client.get(url).status_code == 200, url
    finally:
        es_class.search = original
    assert sent, f"{url} sent nothing to the engine"

    def run() -> None:
        for es, args, kwargs in sent:
            original(es, *args, **kwargs)

    return run


def _table(title: str, rows: list[tuple[str, list[float], list[float]]]) -> None:
    print(f"\n{title}")
    print("| class | n | product p50 ms | product p95 ms | floor p50 ms | floor p95 ms | ratio p50 | ratio p95 |")
    print("|---|---|---|---|---|---|---|---|")
    classes: dict[str, tuple[list[float], list[float]]] = {}
    for label, product, floor in rows:
        classes.setdefault(label, ([], []))
        classes[label][0].extend(product)
        classes[label][1].extend(floor)
    everything = ([t for p, _f in classes.values() for t in p], [t for _p, f in classes.values() for t in f])
    for label, (product, floor) in [*classes.items(), ("all", everything)]:
        p50, p95, f50, f95 = _pct(product, 0.5), _pct(product, 0.95), _pct(floor, 0.5), _pct(floor, 0.95)
        print(
            f"| {label} | {len(product)} | {p50:,.1f} | {p95:,.1f} | {f50:,.1f} | {f95:,.1f} | "
            f"{p50 / max(f50, 1e-3):,.1f} | {p95 / max(f95, 1e-3):,.1f} |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="experience pages (half French, half English)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--bulk", action="store_true", help="write the reports in bulk (bench/search/bulk.py)")
    parser.add_argument("--no-rebuild", action="store_true", help="time the queries on the index as it is")
    parser.add_argument("--no-list", action="store_true", help="leave out the experience list pages")
    args = parser.parse_args()
    _setup(args.n, args.fresh)

    from django.conf import settings
    from django.test import Client, override_settings

    from experiences.models import ExperiencePage
    from search.indexing import rebuild

    from .bulk import ensure_reports

    database = {"BACKEND": "wagtail.search.backends.database", **settings.WAGTAILSEARCH_BACKENDS["database"]}
    engine_conf = (
        settings.WAGTAILSEARCH_BACKENDS["default"]
        if "engines" in settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
        else None
    )
    ensure_reports(args.n, bulk=args.bulk)
    total_pages = ExperiencePage.objects.count()
    db_engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"Search benchmark: {total_pages} experience pages ({args.n} synthetic), database {db_engine}, "
        f"{len(QUERIES)} queries x {args.repeat}, {time.strftime('%Y-%m-%d %H:%M')}, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )

    backends = [("database", {"database": database, "default": {**database, "AUTO_UPDATE": False}})]
    if engine_conf:
        backends.append((f"engine ({settings.SEARCH_ENGINE})", {"database": database, "default": engine_conf}))
    for label, config in backends:
        static = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        # No collected static files here: plain static storage, so that pages render without a manifest.
        with override_settings(WAGTAILSEARCH_BACKENDS=config, PAGE_CACHE_ENABLED=False, STORAGES=static):
            if not (args.no_rebuild and label == "database"):
                started = time.perf_counter()
                indexed = rebuild("default" if label != "database" else "database", progress=True)
                print(f"{label}: rebuilt {indexed} objects in {time.perf_counter() - started:.1f} s")
            client = Client(HTTP_HOST="localhost")  # an allowed host without test settings
            rows = []
            for query_class, params in QUERIES:
                query = urlencode(params)
                client.get(f"/api/search/?{query}")  # warm-up
                floor = fts_floor(params) if label == "database" else engine_floor(client, f"/api/search/?{query}")
                product_times: list[float] = []
                floor_times: list[float] = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    response = client.get(f"/api/search/?{query}")
                    product_times.append(time.perf_counter() - t0)
                    assert response.status_code == 200, response.content[:200]
                    t0 = time.perf_counter()
                    floor()
                    floor_times.append(time.perf_counter() - t0)
                rows.append((query_class, product_times, floor_times))
            floor_name = "FTS5 floor (MATCH … ORDER BY rank LIMIT 20)" if label == "database" else "the engine alone"
            _table(f"/api/search/ ({label}) vs {floor_name}", rows)
            if label == "database":
                # A search nobody made since the last publication: its answer is not kept yet
                # (search/answers.py), so each run works it out, as its first reader does.
                from cooperation_hub import page_cache

                cold = []
                for query_class, params in QUERIES:
                    query = urlencode(params)
                    floor = fts_floor(params)
                    product_times, floor_times = [], []
                    for _ in range(args.repeat):
                        page_cache.forget_all()
                        t0 = time.perf_counter()
                        assert client.get(f"/api/search/?{query}").status_code == 200, query
                        product_times.append(time.perf_counter() - t0)
                        t0 = time.perf_counter()
                        floor()
                        floor_times.append(time.perf_counter() - t0)
                    cold.append((query_class, product_times, floor_times))
                _table("the same searches worked out (their answers not kept yet)", cold)
            if label == "database" and not args.no_list:
                rows, cold_rows = [], []
                for page_class, url in LIST_PAGES:
                    client.get(url)
                    client.get(LIST_FLOOR)
                    product_times, floor_times = [], []
                    for _ in range(args.repeat):
                        t0 = time.perf_counter()
                        assert client.get(url).status_code == 200, url
                        product_times.append(time.perf_counter() - t0)
                        t0 = time.perf_counter()
                        assert client.get(LIST_FLOOR).status_code == 200
                        floor_times.append(time.perf_counter() - t0)
                    rows.append((page_class, product_times, floor_times))
                    # The first reader after a publication: facet counts not yet kept for this generation.
                    product_times, floor_times = [], []
                    for _ in range(args.repeat):
                        page_cache.forget_all()
                        t0 = time.perf_counter()
                        assert client.get(url).status_code == 200, url
                        product_times.append(time.perf_counter() - t0)
                        t0 = time.perf_counter()
                        assert client.get(LIST_FLOOR).status_code == 200
                        floor_times.append(time.perf_counter() - t0)
                    cold_rows.append((page_class, product_times, floor_times))
                _table(f"experience list, page cache off, vs {LIST_FLOOR} (same base template, no data)", rows)
                _table("the same, first reader after a publication (facets counted again)", cold_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
