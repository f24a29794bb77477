import time

from django.core.management.base import BaseCommand

from search.comparable_store import refresh_all


class Command(BaseCommand):
    help = (
        "Work out and store the comparable projects of the live experience reports that have none stored "
        "(with --all: of every live report). Pages read the stored lists; the background keeps them up to date."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Rebuild every report's lists, not only the missing ones."
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        count = refresh_all(progress=options["verbosity"] > 0, missing_only=not options["all"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Comparable projects of {count} reports worked out in {time.monotonic() - started:.1f} s."
            )
        )
