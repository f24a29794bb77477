from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from experiences.importer import ImportError_, import_records, read_records


class Command(BaseCommand):
    help = (
        "Import experience reports from a JSON Lines file (one experience per line). Each written report "
        "is submitted to its review workflow; with --publish it goes live at once (trusted bulk loads)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="JSON Lines file, UTF-8, format in README.md")
        parser.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
        parser.add_argument(
            "--publish", action="store_true",
            help="publish the reports without review (trusted bulk loads); by default they await a reviewer",
        )

    def handle(self, *args, file: Path, dry_run: bool, publish: bool = False, **options):
        try:
            with file.open(encoding="utf-8") as handle:
                records, errors = read_records(handle)
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file") from None
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        if errors:
            for error in errors:
                self.stderr.write(error)
            raise CommandError(f"{len(errors)} bad line(s); nothing was imported")
        show = options.get("verbosity", 1) > 0
        with tqdm(total=len(records), desc="Importing", unit="exp", disable=not show, file=self.stderr) as bar:
            try:
                report = import_records(records, dry_run=dry_run, progress=bar.update, publish=publish)
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
        if publish:
            self.stdout.write(f"Written reports {verb} published.")
        else:
            self.stdout.write(
                f"Written reports {verb} saved as new revisions and submitted for review "
                f"({report.submitted} workflow(s) started); nothing was published."
            )
