from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from experiences.importer import ImportError_, add_import_arguments, check_lines, import_records, valid_records


class Command(BaseCommand):
    help = (
        "Import experience reports from a JSON Lines file (one experience per line). Each written report "
        "is submitted to its review workflow; with --publish it goes live at once (trusted bulk loads)."
    )

    def add_arguments(self, parser):
        add_import_arguments(parser, "JSON Lines file, UTF-8, format in README.md")

    def handle(self, *args, file: Path, dry_run: bool, publish: bool = False, **options):
        # Read twice as it streams (check every line, then write), never held in memory whole.
        try:
            with file.open(encoding="utf-8") as handle:
                count, errors = check_lines(handle)
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file") from None
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        if errors:
            for error in errors:
                self.stderr.write(error)
            raise CommandError(f"{len(errors)} bad line(s); nothing was imported")
        show = options.get("verbosity", 1) > 0
        with tqdm(total=count, desc="Importing", unit="exp", disable=not show, file=self.stderr) as bar:
            try:
                with file.open(encoding="utf-8") as handle:
                    report = import_records(
                        valid_records(handle), dry_run=dry_run, progress=bar.update, publish=publish
                    )
            except ImportError_ as exc:
                for error in exc.errors:
                    self.stderr.write(error)
                raise CommandError("nothing was imported") from None
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.total} experience(s) read: {report.created} {verb} created, "
                f"{report.updated} {verb} updated, {report.unchanged} unchanged."
            )
        )
        self.stdout.write(report.outcome(dry_run=dry_run, publish=publish))
