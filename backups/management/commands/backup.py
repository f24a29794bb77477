"""Back up the database and the media into a new directory, while the site runs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backups.archive import BackupError, take_backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite's online backup, or pg_dump's custom format), the media files and a "
        "manifest (time, code, migrations, rows and checksums) into DIR, which must be new or empty."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="A new or empty directory, e.g. /backups/hub-2026-11-30")

    def handle(self, *args, **options) -> None:
        try:
            manifest = take_backup(options["directory"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = sum(item["bytes"] for item in manifest.files.values())
        summary = ", ".join(f"{count} {name}" for name, count in manifest.summary.items())
        media = manifest.media
        media_line = (
            f"{media['files']} media files"
            if media.get("in_backup")
            else f"media on S3 bucket {media.get('bucket')}: "
            "not in this backup (its versioning/replication is the backup)"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {manifest.engine} ({len(manifest.tables)} tables, {len(manifest.migrations)} migrations) "
                f"and {media_line} into {options['directory']}: {size / 1e6:.1f} MB in {manifest.seconds:.1f} s"
            )
        )
        self.stdout.write(f"  {summary}")
        self.stdout.write(f"  code {manifest.code['git_commit']}, taken at {manifest.created_at}")
