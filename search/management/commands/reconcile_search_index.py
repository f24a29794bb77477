"""Bring the search indexes back in line with the database after an engine outage.

Compares what each index holds with what should be there (ids, and on the
engines a fingerprint of every document), then adds what is missing, refreshes
what is stale and removes what should no longer be found. Safe to run at any
time; only differences are written.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from search.indexing import backend_names, reconcile


class Command(BaseCommand):
    help = "Add missing, refresh stale and delete orphaned search index entries (progress bar per model)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--backend", help="Only this backend alias (e.g. default, database).")

    def handle(self, *args, **options) -> None:
        names = [options["backend"]] if options["backend"] else backend_names()
        for name in names:
            try:
                counts = reconcile(name, progress=options["verbosity"] > 0)
            except Exception as exc:  # engine still down: say so, exit non-zero
                raise CommandError(f"{name}: cannot reconcile: {exc.__class__.__name__}: {exc}") from exc
            if counts.get("added") == -1:
                self.stdout.write(self.style.SUCCESS(f"{name}: index was missing, rebuilt"))
            else:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{name}: {counts['checked']} checked, {counts['added']} added, "
                        f"{counts['updated']} refreshed, {counts['deleted']} removed"
                    )
                )
