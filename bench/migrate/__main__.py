"""Migrations on a network of 10,000 reports: what each one costs a running site (issue #16).

    python -m bench.migrate [--n 10000] [--last 3] [--from /tmp/hub-bench-search-10000]

The database is a copy (never the original) of the pages or search benchmark's SQLite file
at N reports, or one built here the same way (``bench.pages``' importer: 10-20 minutes at
10,000 on a busy 2-core machine). First ``migrate`` brings the copy up to date (timed: what
an upgrade from that file's state costs). Then, for each app, its last ``--last`` migrations
are unapplied (as far as they can be: an irreversible one stops the walk) and applied again,
one by one, each timed.

Two floors, measured in the same run on the same file: ``migrate`` with nothing to apply (the
command's own fixed cost: the migration graph, the ``post_migrate`` handlers such as the
planner's statistics, which every run below pays too), and one full copy of the largest table
of reports (``CREATE TABLE … AS SELECT *``), what a migration that rewrites that table pays at
least. Each migration's own cost (its time less the first floor) is given as a ratio to the
second: well under 1 says it does not rewrite the reports; near or over 1 is a rewrite a
running site would wait for (SQLite locks the whole file meanwhile;
``manage.py lint_migrations`` refuses such operations on PostgreSQL). Prints figures, never
asserts on time. With ``DATABASE_URL`` set, the same walk runs on that PostgreSQL database
instead (it must already hold the reports: ``bench.load``'s or ``bench.pages``' data).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time

APPS = (
    "cooperation_hub",
    "experiences",
    "contributions",
    "search",
    "subscriptions",
    "partnerships",
    "exchanges",
    "lexicon",
)


def _setup(source: str | None, n: int) -> None:
    if not os.environ.get("DATABASE_URL"):
        var = tempfile.mkdtemp(prefix="hub-bench-migrations-")
        os.environ["HUB_VAR_DIR"] = var
        if source and os.path.exists(os.path.join(source, "db.sqlite3")):
            shutil.copy(os.path.join(source, "db.sqlite3"), os.path.join(var, "db.sqlite3"))
            print(f"database: a copy of {source}/db.sqlite3 in {var}", file=sys.stderr)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation_hub.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "m" * 40)
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
    # Tasks run inline here: a refresh of the kept answers after each write of the setup would be too.
    os.environ.setdefault("KEPT_ANSWERS_REFRESH", "false")
    import django

    django.setup()


def _timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _floor() -> float:
    """One full copy of the reports' table, then dropped: what a table rewrite costs at least."""
    from django.db import connection

    from experiences.models import ExperiencePage

    table = ExperiencePage._meta.db_table

    def copy() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE TABLE bench_floor_copy AS SELECT * FROM "{table}"')  # noqa: S608 (our table)
            cursor.execute("DROP TABLE bench_floor_copy")

    return min(_timed(copy) for _ in range(3))


def _walk_back(app: str, last: int) -> list[str]:
    """Unapply up to ``last`` of the app's latest applied migrations; the names unapplied, oldest first."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.exceptions import IrreversibleError
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    names = sorted(name for (label, name) in loader.applied_migrations if label == app)
    undone: list[str] = []
    for name in reversed(names[-last:]):
        index = names.index(name)
        target = names[index - 1] if index else "zero"
        if target == "zero":
            break  # the app's first migration creates its tables: not a migration a running site takes
        try:
            call_command("migrate", app, target, verbosity=0)
        except (IrreversibleError, NotImplementedError) as exc:
            print(f"  {app}.{name}: not reversible ({type(exc).__name__}), the walk stops there", file=sys.stderr)
            break
        undone.insert(0, name)
    return undone


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--last", type=int, default=3, help="migrations per app to unapply and apply again")
    parser.add_argument("--from", dest="source", default=None, help="a benchmark's var dir holding db.sqlite3")
    args = parser.parse_args()
    source = args.source
    if source is None:
        for candidate in (f"/tmp/hub-bench-pages-{args.n}", f"/tmp/hub-bench-search-{args.n}"):
            if os.path.exists(os.path.join(candidate, "db.sqlite3")):
                source = candidate
                break
    _setup(source, args.n)
    from django.conf import settings
    from django.core.management import call_command

    from experiences.models import ExperiencePage

    upgrade = _timed(lambda: call_command("migrate", verbosity=0))
    reports = ExperiencePage.objects.count()
    if reports < args.n:
        from bench.pages.__main__ import _reports

        print(f"{reports} reports: building {args.n} (bench.pages' importer)", file=sys.stderr)
        _reports(args.n)
        reports = ExperiencePage.objects.count()
    floor = _floor()
    noop = min(_timed(lambda: call_command("migrate", verbosity=0)) for _ in range(3))
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"\n{engine}, {reports:,} reports; floor (a full copy of the reports' table): {floor * 1000:.0f} ms")
    print(f"`migrate` with nothing to apply: {noop:.2f} s")
    print(f"migrate to the latest state from the copied file: {upgrade:.2f} s\n")
    print(f"{'migration':<58} {'s':>7} {'own s':>7} {'own × copy':>10}")
    worst = 0.0
    for app in APPS:
        for name in _walk_back(app, args.last):
            seconds = _timed(lambda app=app, name=name: call_command("migrate", app, name, verbosity=0))
            own = max(0.0, seconds - noop)
            worst = max(worst, own / floor)
            print(f"{app + '.' + name:<58} {seconds:>7.3f} {own:>7.3f} {own / floor:>10.2f}")
    call_command("migrate", verbosity=0)
    print(f"\nthe dearest migration, its own cost: {worst:.2f}× a full copy of the reports' table")
    return 0


if __name__ == "__main__":
    sys.exit(main())
