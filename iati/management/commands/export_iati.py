from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from experiences.filters import FILTERS
from iati import export


class Command(BaseCommand):
    help = (
        "Write every public experience report as an IATI 2.03 activity file (one iati-activity per report, "
        "every language as narratives). The experience list's filters narrow the selection. "
        "The file is written activity by activity: memory stays flat however large the hub."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the XML file to write")
        parser.add_argument("--q", dest="q", help="full-text search, as the list's q")
        for name in FILTERS:
            parser.add_argument(f"--{name}", dest=name, help=f"the list's {name} filter")

    def handle(self, *args, file: Path, **options):
        params = {name: options[name] for name in ("q", *FILTERS) if options.get(name)}
        try:
            selected = export.selected_queryset(params)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        total = selected.order_by().values("translation_key").distinct().count()
        show = options.get("verbosity", 1) > 0
        partial = file.with_name(file.name + ".part")
        try:
            with (
                partial.open("wb") as handle,
                tqdm(total=total, desc="Exporting", unit="activity", disable=not show, file=self.stderr) as bar,
            ):
                for chunk in export.stream(self._counted(export.report_groups(selected), bar)):
                    handle.write(chunk)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(f"{file}: {exc.strerror or exc}") from None
        # A finished file only: a reader never sees half an export under the real name.
        partial.replace(file)
        self.stdout.write(self.style.SUCCESS(f"{total} activity(ies) written to {file}."))

    @staticmethod
    def _counted(groups, bar):
        for group in groups:
            yield group
            bar.update(1)
