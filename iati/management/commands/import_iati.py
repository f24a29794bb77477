from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from experiences.importer import ImportError_, add_import_arguments
from iati.importing import IatiFileError, import_file


class Command(BaseCommand):
    help = (
        "Import an IATI 2.x activity file: each iati-activity becomes an experience report (one page per "
        "language of its narratives, linked as translations). The whole file is validated first, against "
        "the official IATI 2.03 schema, and imported all or nothing; idempotent by iati-identifier. "
        "Reports are submitted to their review workflow; with --publish they go live at once."
    )

    def add_arguments(self, parser):
        add_import_arguments(parser, "IATI activity XML file")

    def handle(self, *args, file: Path, dry_run: bool, publish: bool = False, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        show = options.get("verbosity", 1) > 0
        size = file.stat().st_size
        with (
            tqdm(total=size, desc="Reading", unit="B", unit_scale=True, disable=not show, file=self.stderr) as reading,
            tqdm(desc="Importing", unit="page", disable=not show, file=self.stderr) as writing,
        ):
            last = [0]

            def advance(position: int) -> None:
                reading.update(max(0, position - last[0]))
                last[0] = position

            try:
                result = import_file(
                    file, dry_run=dry_run, publish=publish, read_progress=advance, write_progress=writing.update
                )
            except IatiFileError as exc:
                raise CommandError(f"{file}: {exc}; nothing was imported") from None
            except ImportError_ as exc:
                for error in exc.errors:
                    self.stderr.write(error)
                raise CommandError(f"{len(exc.errors)} error(s); nothing was imported") from None
        for note in result.notes:
            self.stdout.write(note)
        report = result.report
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.activities} activity(ies) read as {report.total} report page(s): {report.created} {verb} "
                f"created, {report.updated} {verb} updated, {report.unchanged} unchanged."
            )
        )
        self.stdout.write(report.outcome(dry_run=dry_run, publish=publish))
