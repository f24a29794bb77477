"""Migrations safe for a running site (issue #16), checked in CI (`make lint`, .ci/run's "migrations").

First, no model changed without its migration (`makemigrations --check`). Then
django-migration-linter reads the SQL each migration runs on the configured database (CI:
PostgreSQL, the production engine) and flags what a site still serving requests cannot take:
dropping or renaming a column or a table, a NOT NULL column without a default, a column type
change (a table rewrite), a unique constraint added to an existing table (the code still running
during a rolling deploy breaks, or the table is locked while it is rewritten or scanned). An index
built or dropped without CONCURRENTLY blocks writes to its table while it runs: printed as a
warning on any table, and unsafe on the tables that grow with use (LARGE_MODELS), where it takes
long enough for members to notice.

The project's migrations that existed when the check arrived are deployed everywhere: they are
listed in migrations_baseline.txt and not linted again. Every migration added since is. One that
must do something flagged (in a release with downtime, say) says so itself: add
`django_migration_linter.IgnoreMigration()` to its operations, with a comment on why.
Migrations of installed packages (Wagtail, allauth…) are not ours to change and are not linted.
"""

import re
import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader

BASELINE = Path(__file__).resolve().parents[2] / "migrations_baseline.txt"
# The tables that grow with use: an index built or dropped on them without CONCURRENTLY stops
# writes (contributions, subscriptions, publishing) for as long as it takes.
LARGE_MODELS = [
    "wagtailcore.Page", "wagtailcore.Revision", "wagtailcore.PageLogEntry", "wagtailsearch.IndexEntry",
    "experiences.ExperiencePage", "contributions.Contribution", "contributions.ContributionRevision",
    "contributions.Reply", "contributions.Support", "subscriptions.Subscription", "subscriptions.DigestDelivery",
    "exchanges.ExchangeMessage", "cooperation_hub.User",
]  # fmt: skip
_INDEX = re.compile(
    r'^\s*(CREATE (?:UNIQUE )?INDEX|DROP INDEX|REINDEX)\b(?!\s+CONCURRENTLY)(?:.*?\bON\s+"?(\w+)"?)?', re.I
)


def large_tables() -> set[str]:
    tables = set()
    for label in LARGE_MODELS:
        try:
            tables.add(apps.get_model(label)._meta.db_table)
        except LookupError:
            continue
    return tables


def locking_statements(sql: list[str], large: set[str]) -> list[str]:
    """Statements that build or drop an index on a large table without CONCURRENTLY. A table the
    same migration creates is empty: indexing it is instant."""
    created = {m.group(1) for line in sql if (m := re.match(r'\s*CREATE TABLE "?(\w+)"?', line, re.I))}
    found = []
    for line in sql:
        match = _INDEX.match(line)
        if not match:
            continue
        table = match.group(2)
        if table is None:  # DROP INDEX / REINDEX name the index only: the index's table is unknown here
            found.append(line.strip())
        elif table in large and table not in created:
            found.append(line.strip())
    return found


def project_migrations() -> list[tuple[str, str]]:
    """(app label, name) of the migrations on disk of the project's own apps (not installed packages)."""
    ours = {
        config.label
        for config in apps.get_app_configs()
        if "site-packages" not in config.path and not config.path.startswith(sys.prefix)
    }
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(key for key in loader.disk_migrations if key[0] in ours)


def read_baseline(path: Path) -> set[tuple[str, str]]:
    if not path.is_file():
        return set()
    entries = set()
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            app_label, _, name = line.partition(".")
            entries.add((app_label, name))
    return entries


class Command(BaseCommand):
    help = "Lint the project's migrations added since migrations_baseline.txt for operations unsafe on a running site."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--baseline", type=Path, default=BASELINE, help="Migrations not linted (one app.name a line)."
        )
        parser.add_argument(
            "--write-baseline", action="store_true", help="Write every current project migration to the baseline."
        )
        parser.add_argument("--no-cache", action="store_true", help="Lint again migrations already linted unchanged.")

    def handle(self, *args, **options) -> None:
        current = project_migrations()
        if options["write_baseline"]:
            lines = [f"{app}.{name}" for app, name in current]
            header = "# Migrations deployed before the migration check (manage.py lint_migrations): not linted.\n"
            options["baseline"].write_text(header + "\n".join(lines) + "\n")
            self.stdout.write(f"{len(lines)} migrations written to {options['baseline']}")
            return
        try:  # a model changed without its migration would be made by hand on deploy day, unlinted
            call_command("makemigrations", check=True, dry_run=True, verbosity=1, stdout=self.stdout)
        except SystemExit as exit:
            raise CommandError("models changed without a migration: run `manage.py makemigrations`") from exit
        try:
            from django_migration_linter import MigrationLinter
        except ImportError as error:
            raise CommandError("django-migration-linter is not installed (requirements-dev.txt)") from error

        baseline = read_baseline(options["baseline"])
        todo = [key for key in current if key not in baseline]
        vendor = connections[DEFAULT_DB_ALIAS].vendor
        linter = MigrationLinter(
            str(settings.BASE_DIR),
            database=DEFAULT_DB_ALIAS,
            cache_path=str(Path(settings.VAR_DIR) / f"migration-lint-{vendor}"),
            no_cache=options["no_cache"],
        )
        large = large_tables()
        locking = 0
        for app_label, name in todo:
            migration = linter.migration_loader.get_migration(app_label, name)
            erroneous = linter.nb_erroneous
            linter.lint_migration(migration)
            if linter.should_ignore_migration(app_label, name, migration.operations):
                continue
            if statements := locking_statements(linter.get_sql(app_label, name), large):
                locking += linter.nb_erroneous == erroneous  # each unsafe migration counted once
                self.stdout.write(f"({app_label}, {name})... ERR\n\tlocks a large table while it runs:")
                for statement in statements:
                    self.stdout.write(f"\t  {statement}")
        if linter.should_use_cache():
            linter.new_cache.save()
        summary = (
            f"{len(todo)} migrations linted on {vendor} ({len(current) - len(todo)} in the baseline): "
            f"{linter.nb_erroneous + locking} unsafe, {linter.nb_warnings} with warnings, {linter.nb_ignored} ignored on purpose"
        )
        if linter.has_errors or locking:
            raise CommandError(
                summary + ". A running site cannot take them: split the change (add, backfill, then constrain; "
                "stop using a column a release before dropping it; build indexes CONCURRENTLY with "
                "AddIndexConcurrently), or mark the migration with IgnoreMigration() and say why."
            )
        self.stdout.write(self.style.SUCCESS(summary))
