"""python manage.py send_digests --frequency daily|weekly|monthly [--dry-run]

The same path as the Celery batches (digests.process_batch), run here in this
process, with a progress bar and a summary. SMTP failures are handed to the
Celery retry task, exactly as a worker would."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from subscriptions import digests
from subscriptions.models import Frequency
from subscriptions.tasks import _schedule_retries


class Command(BaseCommand):
    help = "Build and send the digests due now for one frequency."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--frequency", required=True, choices=Frequency.values)
        parser.add_argument("--dry-run", action="store_true", help="Build the digests, claim and send nothing.")
        parser.add_argument("--now", help="Pretend it is this ISO 8601 instant (catch-up, tests).")
        parser.add_argument("--batch-size", type=int, default=digests.BATCH_SIZE)

    def handle(self, *args, frequency: str, dry_run: bool, now: str | None, batch_size: int, **options) -> None:
        try:
            instant = datetime.fromisoformat(now) if now else timezone.now()
        except ValueError as exc:
            raise CommandError(f"--now: not an ISO 8601 date-time: {now}") from exc
        if timezone.is_naive(instant):
            instant = timezone.make_aware(instant, digests.site_timezone())
        boundary, batches = digests.dispatch_due(frequency, instant, batch_size)
        total = sum(len(b) for b in batches)
        result = digests.RunResult()
        with tqdm(total=total, unit="digest", disable=total == 0 or options["verbosity"] == 0,
                  file=self.stderr._out) as bar:
            for ids in batches:
                part = digests.process_batch(ids, frequency, boundary, dry_run=dry_run, progress=bar.update)
                if not dry_run:
                    _schedule_retries(part.retry_ids)
                result.add(part)
        prefix = "dry run, nothing sent — would have " if dry_run else ""
        self.stdout.write(
            f"{prefix}{frequency} digests up to {timezone.localtime(boundary, digests.site_timezone()):%Y-%m-%d %H:%M %Z}: "
            f"sent {result.sent}, skipped {result.skipped} (nothing new), failed {result.failed} (retry scheduled), "
            f"already claimed {result.already_claimed}"
        )
