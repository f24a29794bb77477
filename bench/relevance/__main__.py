"""Relevance benchmark (issue #17): does a peer find the report whatever language it was written in?

    python -m bench.relevance                  # the database backend (SQLite FTS5 or PostgreSQL)
    python -m bench.relevance --set heldout    # the held-out set (bench/relevance/heldout.py), written blind
    python -m bench.relevance --set heldout2   # the second held-out set, written after the lexicon's enrichment
    python -m bench.relevance --set all        # every set's reports competing, every set's queries
    SEARCH_ENGINE=opensearch SEARCH_URL=http://127.0.0.1:9200 python -m bench.relevance
                                               # the same, plus the engine when it answers

Over a corpus where every report exists in one language only (bench/relevance/corpus.py,
the demo's reports unpublished so that only judged reports compete), each query is run
through the product's search (``run_search``, reports only, top five) with the lexicon's
expansion off (``translate=0``) and on, and scored: recall@5 and nDCG@5, for the queries in
the reports' own language ("same") and in the other ("cross"), printed side by side per
backend, with the median time of a search. Then the queries that still miss with
expansion on. Its own database under HUB_VAR_DIR (default /tmp/hub-bench-relevance).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from typing import Any

from .metrics import ndcg_at, recall_at

K = 5


def _setup() -> None:
    var = os.environ.setdefault("HUB_VAR_DIR", os.path.join(tempfile.gettempdir(), "hub-bench-relevance"))
    os.makedirs(var, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation_hub.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "r" * 40)
    os.environ.setdefault("SEARCH_INDEX_PREFIX", "hub_benchrel")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
    # Tasks run inline here: a refresh of the kept answers after each write of the setup would be too.
    os.environ.setdefault("KEPT_ANSWERS_REFRESH", "false")
    import django

    django.setup()


SETS = ("corpus", "heldout", "heldout2", "all")


def _modules(name: str) -> list[Any]:
    from . import corpus, heldout, heldout2

    sets = {"corpus": [corpus], "heldout": [heldout], "heldout2": [heldout2]}
    return sets[name] if name in sets else [corpus, heldout, heldout2]


def _records(name: str) -> list[dict]:
    return [record for module in _modules(name) for record in module.records()]


def _queries(name: str) -> list[dict[str, Any]]:
    return [query for module in _modules(name) for query in module.queries()]


def _load_corpus(name: str = "corpus") -> int:
    """The set's reports imported and published, alone: the demo's and the other set's reports are unpublished."""
    import json

    from django.core.management import call_command

    from experiences.models import ExperiencePage

    call_command("migrate", verbosity=0)
    if not ExperiencePage.objects.exists():
        call_command("load_demo", verbosity=0)
    wanted = _records(name)
    have = set(ExperiencePage.objects.filter(external_id__startswith="rel-").values_list("external_id", flat=True))
    if {r["external_id"] for r in wanted} - have:
        path = os.path.join(os.environ["HUB_VAR_DIR"], "relevance.jsonl")
        with open(path, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in wanted)
        call_command("import_experiences", path, "--publish", verbosity=0)
    # Only judged reports compete (a demo report on schools would be relevant but unjudged).
    ids = {r["external_id"] for r in wanted}
    others = ExperiencePage.objects.exclude(external_id__in=ids).filter(live=True)
    others.update(live=False)
    # A report of this set left unpublished by an earlier run of the other set.
    # (The index is rebuilt before the queries run, so a plain update is enough both ways.)
    ExperiencePage.objects.filter(external_id__in=ids, live=False).update(live=True)
    return ExperiencePage.objects.filter(live=True).count()


def _engine_reachable(config: dict[str, Any]) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(config["URLS"][0], timeout=3) as response:
            return response.status < 500
    except Exception:
        return False


def run_queries(translate: bool, name: str = "corpus") -> list[dict[str, Any]]:
    """Every query of the set, with its top five, scores and time."""
    from search.service import run_search

    out = []
    for query in _queries(name):
        params = {"q": query["q"], "lang": query["lang"], "type": "experience", "per_page": K}
        params["translate"] = "1" if translate else "0"
        started = time.perf_counter()
        result = run_search(params, query["lang"], correct=False)
        seconds = time.perf_counter() - started
        ranked = [hit.external_id for hit in result.hits]
        out.append(
            {
                **query,
                "ranked": ranked,
                "recall": recall_at(ranked, query["relevant"], K),
                "ndcg": ndcg_at(ranked, query["relevant"], K),
                "seconds": seconds,
            }
        )
    return out


def table(rows: dict[tuple[str, bool], list[dict[str, Any]]]) -> list[str]:
    """Markdown lines: per backend and query kind, expansion off and on side by side."""
    lines = [
        "| backend | queries | n | recall@5 off | recall@5 on | nDCG@5 off | nDCG@5 on | p50 ms off | p50 ms on |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    backends = list(dict.fromkeys(backend for backend, _on in rows))
    for backend in backends:
        for kind in ("same", "cross", "all"):
            off = [r for r in rows[(backend, False)] if kind in ("all", r["kind"])]
            on = [r for r in rows[(backend, True)] if kind in ("all", r["kind"])]

            def mean(items: list[dict[str, Any]], name: str) -> float:
                return 100 * statistics.fmean(r[name] for r in items) if items else 0.0

            def p50(items: list[dict[str, Any]]) -> float:
                return 1000 * statistics.median(r["seconds"] for r in items) if items else 0.0

            lines.append(
                f"| {backend} | {kind} | {len(on)} | {mean(off, 'recall'):.1f} | {mean(on, 'recall'):.1f} | "
                f"{mean(off, 'ndcg'):.1f} | {mean(on, 'ndcg'):.1f} | {p50(off):.1f} | {p50(on):.1f} |"
            )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=SETS, default="corpus", help="which judged set (default: corpus)")
    parser.add_argument("--database-only", action="store_true", help="leave the engine out even when configured")
    args = parser.parse_args()
    _setup()

    from django.conf import settings
    from django.test import override_settings

    from search.indexing import rebuild

    reports = _load_corpus(args.set)
    database = {"BACKEND": "wagtail.search.backends.database", **settings.WAGTAILSEARCH_BACKENDS["database"]}
    backends = [("database", {"database": database, "default": {**database, "AUTO_UPDATE": False}})]
    default = settings.WAGTAILSEARCH_BACKENDS["default"]
    if "engines" in default["BACKEND"] and not args.database_only:
        if _engine_reachable(default):
            backends.append((f"engine ({settings.SEARCH_ENGINE})", {"database": database, "default": default}))
        else:
            print(f"engine: {default['URLS'][0]} does not answer; database backend only", file=sys.stderr)
    judged = _queries(args.set)
    print(
        f"Relevance benchmark ({args.set}): {reports} single-language reports, {len(judged)} queries "
        f"({sum(q['kind'] == 'same' for q in judged)} same-language, {sum(q['kind'] == 'cross' for q in judged)} "
        f"cross-language), top {K}, {time.strftime('%Y-%m-%d %H:%M')}"
    )
    rows: dict[tuple[str, bool], list[dict[str, Any]]] = {}
    for label, config in backends:
        with override_settings(WAGTAILSEARCH_BACKENDS=config):
            rebuild("default" if label != "database" else "database", progress=False)
            if label != "database":
                from search.engines.client import engine_backend

                engine_backend().refresh_indexes()
            run_queries(True, args.set)  # warm-up: lexicon, caches, connections
            for translate in (False, True):
                rows[(label, translate)] = run_queries(translate, args.set)
    print("\n".join(["", *table(rows)]))
    print("\nMissed with expansion on (query [language, kind]: the report to find, then the top five found):")
    for (label, translate), results in rows.items():
        for r in results:
            if translate and r["recall"] < 1:
                print(f"- {label}: {r['q']!r} [{r['lang']}, {r['kind']}]: {', '.join(sorted(r['relevant']))}; "
                      f"found {', '.join(r['ranked']) or 'nothing'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
