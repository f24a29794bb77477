"""Rebuild the search indexes from the database, with a progress bar.

On OpenSearch/Elasticsearch the rebuild goes into a new index and the alias
switches at the end, so searches keep answering from the old index meanwhile.
"""

from django.core.management.base import BaseCommand, CommandParser

from search.indexing import backend_names, rebuild


class Command(BaseCommand):
    help = "Rebuild the search indexes (every configured backend, or --backend NAME) with a progress bar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--backend", help="Only this backend alias (e.g. default, database).")
        parser.add_argument("--chunk-size", type=int, default=500)

    def handle(self, *args, **options) -> None:
        names = [options["backend"]] if options["backend"] else backend_names()
        for name in names:
            total = rebuild(name, progress=options["verbosity"] > 0, chunk_size=options["chunk_size"])
            self.stdout.write(self.style.SUCCESS(f"{name}: {total} objects indexed"))
