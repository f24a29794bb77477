"""Search benchmark: index N synthetic experience reports, then time /api/search/ next to the raw query.

    python -m bench.search --n 10000            # database backend (SQLite FTS5 or PostgreSQL)
    SEARCH_ENGINE=opensearch SEARCH_URL=http://127.0.0.1:9200 python -m bench.search --n 10000
                                                # the same, plus the engine

The data lives in its own database (HUB_VAR_DIR, default /tmp/hub-bench-search-N)
so repeated runs reuse it; --fresh starts again. Prints a table of indexing time
and p50/p95 latencies per backend; never asserts on time.
"""

import argparse
import os
import sys
import tempfile
import time


def _setup(n: int, fresh: bool) -> None:
    var = os.environ.setdefault("HUB_VAR_DIR", os.path.join(tempfile.gettempdir(), f"hub-bench-search-{n}"))
    if fresh and os.path.exists(os.path.join(var, "db.sqlite3")):
        os.remove(os.path.join(var, "db.sqlite3"))
    os.makedirs(var, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation_hub.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "b" * 40)
    os.environ.setdefault("SEARCH_INDEX_PREFIX", f"hub_bench{n}")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
    import django

    django.setup()


QUERIES = [
    {"q": "écoles"}, {"q": "schools", "lang": "en"}, {"q": "bethune"}, {"q": "plan climat"},
    {"q": '"budget participatif"'}, {"q": "compost", "region": "south"}, {"q": "bus", "theme": "mobility-transport"},
    {"q": "happiness index", "lang": "en"}, {"q": "données ouvertes", "size": "large"}, {"q": ""},
    {"q": "", "sdg": "7", "status": "completed"}, {"q": "energy renovation housing", "lang": "en"},
    {"q": "jardins partagés", "tag": "compost"}, {"q": "cantine", "country": "FR"}, {"q": "santé", "type": "experience"},
]


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="experience pages (half French, half English)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    _setup(args.n, args.fresh)

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, override_settings

    from experiences.models import ExperiencePage
    from search import engine
    from search.indexing import rebuild
    from search.service import _database_matches, database_query, engine_body, filtered_querysets, parse_params

    from .generate import write

    database = {"BACKEND": "wagtail.search.backends.database", **settings.WAGTAILSEARCH_BACKENDS["database"]}
    engine_conf = settings.WAGTAILSEARCH_BACKENDS["default"] if "engines" in settings.WAGTAILSEARCH_BACKENDS[
        "default"]["BACKEND"] else None
    quiet = {"database": {**database, "AUTO_UPDATE": False}, "default": {**database, "AUTO_UPDATE": False}}

    call_command("migrate", verbosity=0)
    have = ExperiencePage.objects.filter(external_id__startswith="bench-search-").count()
    if have < args.n:
        call_command("load_demo", verbosity=0)
        path = os.path.join(os.environ["HUB_VAR_DIR"], "bench.jsonl")
        write(path, args.n)
        started = time.perf_counter()
        with override_settings(WAGTAILSEARCH_BACKENDS=quiet):  # index separately below, to time it alone
            call_command("import_experiences", path, "--publish", verbosity=0)
        print(f"imported {args.n} pages in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    total_pages = ExperiencePage.objects.count()

    rows = []
    backends = [("database", {"database": database, "default": {**database, "AUTO_UPDATE": False}})]
    if engine_conf:
        backends.append((f"engine ({settings.SEARCH_ENGINE})", {"database": database, "default": engine_conf}))
    for label, config in backends:
        with override_settings(WAGTAILSEARCH_BACKENDS=config):
            started = time.perf_counter()
            indexed = rebuild("default" if label != "database" else "database", progress=True)
            index_seconds = time.perf_counter() - started
            client = Client()
            api_times: list[float] = []
            raw_times: list[float] = []
            backend = engine.engine_backend()
            for params in QUERIES:
                query = "&".join(f"{k}={v}" for k, v in params.items())
                client.get(f"/api/search/?{query}")  # warm-up
                sp = parse_params(params)
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    response = client.get(f"/api/search/?{query}")
                    api_times.append(time.perf_counter() - t0)
                    assert response.status_code == 200, response.content[:200]
                    t0 = time.perf_counter()
                    if backend is not None:
                        engine.search(backend, engine.index_names(backend), engine_body(sp))
                    elif not sp.query.is_empty:
                        for qs in filtered_querysets(sp).values():
                            _database_matches(qs, database_query(sp.query))
                    else:
                        for qs in filtered_querysets(sp).values():
                            list(qs.order_by("-pk").values_list("pk", flat=True)[:20])
                    raw_times.append(time.perf_counter() - t0)
            rows.append((label, indexed, index_seconds, _pct(api_times, .5), _pct(api_times, .95),
                         _pct(raw_times, .5), _pct(raw_times, .95)))
    db_engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"\nSearch benchmark: {total_pages} experience pages ({args.n} synthetic), database {db_engine}, "
          f"{len(QUERIES)} queries x {args.repeat}")
    print(f"{'backend':<22}{'objects':>9}{'index s':>10}{'API p50 ms':>12}{'API p95 ms':>12}"
          f"{'raw p50 ms':>12}{'raw p95 ms':>12}")
    for label, indexed, seconds, a50, a95, r50, r95 in rows:
        print(f"{label:<22}{indexed:>9}{seconds:>10.1f}{a50:>12.1f}{a95:>12.1f}{r50:>12.1f}{r95:>12.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
