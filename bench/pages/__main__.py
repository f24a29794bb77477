"""Public pages benchmark: every public page uncached at N reports, next to its floor.

    python -m bench.pages --n 10000            # embedded default: SQLite, database search
    DATABASE_URL=postgres://…/hub_bench100k SEARCH_ENGINE=opensearch SEARCH_URL=http://127.0.0.1:9200 \
        python -m bench.pages --n 100000 --bulk  # PostgreSQL + OpenSearch, reports written in bulk

The data lives in its own database (HUB_VAR_DIR, default /tmp/hub-bench-pages-N) so
repeated runs reuse it; --fresh starts again. The reports come from the search
benchmark's generator through the real importer (``import_experiences --publish``,
10-20 minutes at 10,000 on a busy 2-core machine: run it once, niced); an existing
database of ``bench.search`` may be copied into HUB_VAR_DIR instead. ``--bulk`` writes
them through the generator's bulk path instead (bench/search/bulk.py says what it skips):
100,000 in minutes. A consultation
gets ``--contributions`` contributions written with ``bulk_create`` (what that skips:
the search index of contributions, notifications, rate limits; one in twenty is hidden,
so the page must leave them out), with tags, supports and replies.

For each public page (home, the list with and without filters, a report, a city,
its peers, the map, the consultation, the search page) it prints the product's
p50/p95 through the Django test client with the page cache bypassed, next to the
floor: the privacy page, a small template of the same base with the site's context
processors, requested in alternation with it in the same run. Three times: warm (what the
site keeps under its generation is kept); just after a publication, before the worker's
refresh (the site's generation bumped before each request, what a reader who comes first
pays; for the consultation, a new contribution: its tag bumped); and after a publication
once the worker has refreshed the kept answers (cooperation_hub/page_cache.py
``refresh_soon``), with the refresh's own time. Prints figures, never asserts on time.

In the warm table the search page and the list with ``?q=`` are a *repeated* search:
their answer (count, facets, ranked ids: search/answers.py, experiences/filters.py) comes
from the cache, and their rows say so ("cached answer"). The table after a publication is
the same searches worked out cold (the generation bump outdates every kept answer).
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta

from bench.search.__main__ import _pct

FLOOR = "/en/privacy/"
MARKER = "bench-pages-"
# Pages whose warm figure is a search answered from the cache (kept under the site's generation).
CACHED_ANSWER = ("search page", "list + query")


def _setup(n: int, fresh: bool) -> None:
    var = os.environ.setdefault("HUB_VAR_DIR", os.path.join(tempfile.gettempdir(), f"hub-bench-pages-{n}"))
    if fresh and os.path.exists(os.path.join(var, "db.sqlite3")):
        os.remove(os.path.join(var, "db.sqlite3"))
    os.makedirs(var, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation_hub.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "b" * 40)
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
    # Tasks run inline here: a refresh of the kept answers after each write of the setup would be too.
    os.environ.setdefault("KEPT_ANSWERS_REFRESH", "false")
    os.environ.setdefault("SEARCH_INDEX_PREFIX", f"hub_benchpages{n}")  # never the site's own indexes
    import django

    django.setup()


def _reports(n: int, bulk: bool) -> None:
    """At least ``n`` synthetic reports (the search benchmark's), written and indexed."""
    from django.conf import settings

    from bench.search.bulk import ensure_reports
    from search.indexing import rebuild

    if ensure_reports(n, bulk=bulk):
        rebuild("database", progress=True)
        if settings.SEARCH_ENGINE:
            rebuild("default", progress=True)


def _consultation(count: int):
    """The first open consultation, with ``count`` contributions (bulk-written, see the docstring)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from taggit.models import Tag

    from contributions.models import ConsultationPage, Contribution, ContributionTag, Reply, Support

    now = timezone.now()
    consultation = (
        ConsultationPage.objects.live().filter(opens_at__lte=now, closes_at__gte=now).order_by("pk").first()
        or ConsultationPage.objects.live().order_by("pk").first()
    )
    have = Contribution.objects.filter(consultation=consultation, external_id__startswith=MARKER).count()
    if have >= count:
        return consultation
    User = get_user_model()
    users = [User.objects.get_or_create(username=f"{MARKER}{i}", defaults={"email": f"{MARKER}{i}@example.org"})[0]
             for i in range(40)]  # fmt: skip
    tags = [Tag.objects.get_or_create(slug=f"{MARKER}t{i}", defaults={"name": f"thème {i}"})[0] for i in range(30)]
    sections = list(consultation.sections.all()) or [None]
    hidden, published = Contribution.State.HIDDEN, Contribution.State.PUBLISHED
    rows = Contribution.objects.bulk_create([
        Contribution(consultation=consultation, author=users[i % len(users)], section=sections[i % len(sections)],
                     title=f"Proposition {i} : partager les données des écoles",
                     body=f"Contribution numéro {i}. La ville pourrait associer les écoles au plan climat. " * 3,
                     language="fr" if i % 3 else "en", state=hidden if i % 20 == 7 else published,
                     external_id=f"{MARKER}{i}", created_at=now - timedelta(minutes=i))
        for i in range(have, count)
    ], batch_size=500)  # fmt: skip
    ContributionTag.objects.bulk_create(
        [ContributionTag(content_object=c, tag=tags[(c.pk + k) % len(tags)]) for c in rows for k in range(2)],
        batch_size=500,
    )
    Support.objects.bulk_create(
        [Support(contribution=c, user=users[(c.pk + k) % len(users)]) for c in rows for k in range(c.pk % 4)],
        batch_size=500, ignore_conflicts=True,
    )  # fmt: skip
    Reply.objects.bulk_create(
        [Reply(contribution=c, author=users[(c.pk + 1) % len(users)], body=f"Réponse à {c.pk}.") for c in rows[::3]],
        batch_size=500,
    )
    return consultation


def _pages(consultation) -> list[tuple[str, str, str]]:
    """(label, url, what a change bumps) of each public page."""
    from experiences.models import City, ExperiencePage
    from search.comparable_store import refresh_pages

    reports = list(
        ExperiencePage.objects.live().filter(locale__language_code="en", external_id__startswith="bench-search-")
        .select_related("city").order_by("pk")[:3]
    )  # fmt: skip
    refresh_pages([r.pk for r in reports], neighbours=False)  # their stored comparable projects
    city = City.objects.get(pk=reports[0].city_id).slug
    return [
        ("home", "/en/", "site"), ("home", "/fr/", "site"),
        ("list", "/en/experiences/", "site"), ("list", "/fr/experiences/", "site"),
        ("list + filters", "/en/experiences/?theme=energy-climate", "site"),
        ("list + filters", "/en/experiences/?region=south&sdg=7&status=completed", "site"),
        ("list + query", "/en/experiences/?q=schools", "site"),
        *[("report", r.url, "site") for r in reports],
        ("city", f"/en/experiences/city/{city}/", "site"),
        ("peers", f"/en/cities/{city}/peers/", "site"),
        ("map", "/en/experiences/map/", "site"), ("map + filters", "/en/experiences/map/?theme=energy-climate", "site"),
        ("consultation", consultation.url, f"consultation:{consultation.translation_key}"),
        ("consultation", consultation.url + "?sort=supported", f"consultation:{consultation.translation_key}"),
        ("search page", "/en/search/?q=schools", "site"), ("search page", "/fr/search/?q=plan+climat", "site"),
    ]  # fmt: skip


def _table(title: str, rows: list[tuple[str, list[float], list[float], list[float], list[float], int]]) -> None:
    """Wall-clock p50/p95 and their ratio, then the p50 of the process's CPU time (the site and
    SQLite run in this process): on a machine shared with other work, the CPU ratio is the steadier."""
    print(f"\n{title}")
    print(
        "| page | n | queries | product p50 ms | product p95 ms | floor p50 ms | floor p95 ms | ratio p50 "
        "| CPU p50 ms | floor CPU p50 ms | CPU ratio p50 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    classes: dict[str, tuple[list[float], list[float], list[float], list[float], set[int]]] = {}
    for label, product, floor, product_cpu, floor_cpu, queries in rows:
        entry = classes.setdefault(label, ([], [], [], [], set()))
        for kept, values in zip(entry[:4], (product, floor, product_cpu, floor_cpu), strict=True):
            kept.extend(values)
        entry[4].add(queries)
    for label, (product, floor, product_cpu, floor_cpu, queries) in classes.items():
        p50, p95, f50, f95 = _pct(product, 0.5), _pct(product, 0.95), _pct(floor, 0.5), _pct(floor, 0.95)
        c50, fc50 = _pct(product_cpu, 0.5), _pct(floor_cpu, 0.5)
        q = "–".join(str(x) for x in sorted({min(queries), max(queries)}))
        print(f"| {label} | {len(product)} | {q} | {p50:,.1f} | {p95:,.1f} | {f50:,.1f} | {f95:,.1f} | "
              f"{p50 / max(f50, 1e-3):,.1f} | {c50:,.1f} | {fc50:,.1f} | {c50 / max(fc50, 1e-3):,.1f} |")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="experience reports (half French, half English)")
    parser.add_argument("--contributions", type=int, default=2_000, help="contributions of the consultation")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each page")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--bulk", action="store_true", help="write the reports in bulk (bench/search/bulk.py)")
    parser.add_argument("--only", default="", help="comma-separated page labels to time (default: all)")
    args = parser.parse_args()
    _setup(args.n, args.fresh)

    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from cooperation_hub import page_cache
    from experiences.models import ExperiencePage

    _reports(args.n, args.bulk)
    consultation = _consultation(args.contributions)
    pages = _pages(consultation)
    if args.only:
        pages = [p for p in pages if p[0] in args.only.split(",")]
    db_engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"Pages benchmark: {ExperiencePage.objects.count()} reports, {consultation.contributions.count()} "
        f"contributions in one consultation, database {db_engine}, search {settings.SEARCH_ENGINE or 'database'}, "
        f"{args.repeat} runs per page, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    static = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    # The page cache bypassed; no collected static files here: plain static storage, so pages render without a manifest.
    # The refresh after a publication is timed on its own below (tasks run inline here).
    with override_settings(PAGE_CACHE_ENABLED=False, STORAGES=static, DEBUG=False, KEPT_ANSWERS_REFRESH=False):
        client = Client(HTTP_HOST="localhost")  # an allowed host without test settings

        def timed(url: str) -> tuple[float, int]:
            with CaptureQueriesContext(connection) as captured:  # on the floor too: the same overhead
                t0, c0 = time.perf_counter(), time.process_time()
                response = client.get(url)
                elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
            assert response.status_code == 200, (url, response.status_code)
            return elapsed, cpu, len(captured)

        refreshes: list[float] = []
        modes = (
            ("warm", None),
            ("just after a publication / a new contribution, before the worker's refresh", "bump"),
            ("after a publication and the worker's refresh (page_cache.refresh_kept_answers)", "refresh"),
        )
        for title, bump in modes:
            rows = []
            for label, url, tag in pages:
                client.get(url), client.get(FLOOR)  # warm-up: Wagtail's own caches, the generation's
                product, floor, product_cpu, floor_cpu, queries = [], [], [], [], 0
                for _ in range(args.repeat):
                    if bump:
                        page_cache.invalidate(tag)
                    if bump == "refresh" and tag == page_cache.SITE:
                        t0 = time.perf_counter()
                        page_cache.refresh_kept_answers()
                        refreshes.append(time.perf_counter() - t0)
                    elapsed, cpu, queries = timed(url)
                    product.append(elapsed)
                    product_cpu.append(cpu)
                    elapsed, cpu, _queries = timed(FLOOR)
                    floor.append(elapsed)
                    floor_cpu.append(cpu)
                shown = label
                if label in CACHED_ANSWER:
                    shown += " (cold: worked out)" if bump else " (cached answer: a repeated search)"
                elif bump == "refresh" and tag != page_cache.SITE:
                    shown += " (a contribution: nothing refreshed)"
                rows.append((shown, product, floor, product_cpu, floor_cpu, queries))
            _table(f"{title}: page cache off, vs {FLOOR} (the same base template and context processors)", rows)
        print(
            f"\nthe worker's refresh after a publication (lists, maps, GeoJSON, peers' corpus): "
            f"p50 {_pct(refreshes, 0.5):,.0f} ms, p95 {_pct(refreshes, 0.95):,.0f} ms ({len(refreshes)} runs)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
