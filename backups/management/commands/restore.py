"""Restore a backup made by `manage.py backup` into an empty database and media directory."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backups.archive import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore DIR (made by `manage.py backup`) into the configured database and MEDIA_ROOT, which must be "
        "empty; check every table against the manifest, apply newer migrations, and reindex search. "
        "Stop the site and its workers first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace what the database and the media directory already hold (the data there is lost).",
        )

    def handle(self, *args, **options) -> None:
        try:
            restored = restore_backup(options["directory"], force=options["force"], progress=options["verbosity"] > 1)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = restored.manifest
        summary = ", ".join(f"{count} {name}" for name, count in manifest.summary.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest.created_at} (code {manifest.code['git_commit']}): "
                f"{len(manifest.tables)} tables identical to the manifest, {restored.media_files} media files, "
                f"in {restored.seconds:.1f} s"
            )
        )
        self.stdout.write(f"  {summary}")
        if restored.migrated:
            self.stdout.write(f"  applied {len(restored.migrated)} newer migrations: {', '.join(restored.migrated)}")
        for name, done in restored.search.items():
            self.stdout.write(f"  search {name}: {done}")
