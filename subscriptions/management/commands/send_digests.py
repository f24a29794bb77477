"""python manage.py send_digests --frequency daily|weekly|monthly [--dry-run]
python manage.py send_digests --preview EMAIL [--html FILE]

The same path as the Celery batches (digests.process_batch), run here in this
process, with a progress bar and a summary. SMTP failures are handed to the
Celery retry task, exactly as a worker would.

``--preview`` renders the next digest of one subscription as it stands now
(from the end of its last digest to now), whatever its state, and sends
nothing: the text part on standard output, the HTML part in a file."""

import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Max
from django.utils import timezone, translation
from tqdm import tqdm

from cooperation_hub.compat import raw_stream
from subscriptions import digests
from subscriptions.models import DigestDelivery, Frequency, Subscription
from subscriptions.tasks import _schedule_retries


def period_label(frequency: str, boundary: datetime) -> str:
    """How people name the period that ends at ``boundary``: 2026-11-30, 2026-W48, 2026-11."""
    day = timezone.localtime(boundary, digests.site_timezone()).date() - timedelta(days=1)
    if frequency == Frequency.WEEKLY:
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}"
    if frequency == Frequency.MONTHLY:
        return f"{day:%Y-%m}"
    return f"{day:%Y-%m-%d}"


class Command(BaseCommand):
    help = "Build and send the digests due now for one frequency, or preview one subscriber's digest."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--frequency", choices=Frequency.values, help="Required unless --preview is given.")
        parser.add_argument("--dry-run", action="store_true", help="Build the digests, claim and send nothing.")
        parser.add_argument("--now", help="Pretend it is this ISO 8601 instant (catch-up, tests).")
        parser.add_argument(
            "--batch-size", type=int, default=None, help="Subscribers per batch (default: DIGEST_BATCH_SIZE)."
        )
        parser.add_argument(
            "--preview", metavar="EMAIL", help="Render this subscriber's next digest as it stands now; send nothing."
        )
        parser.add_argument(
            "--html",
            metavar="FILE",
            help="With --preview: where to write the HTML part ('-' for standard output). "
            "Default: a new file in the temporary directory.",
        )

    def handle(
        self,
        *args,
        frequency: str | None,
        dry_run: bool,
        now: str | None,
        batch_size: int | None,
        preview: str | None,
        html: str | None,
        **options,
    ) -> None:
        try:
            instant = datetime.fromisoformat(now) if now else timezone.now()
        except ValueError as exc:
            raise CommandError(f"--now: not an ISO 8601 date-time: {now}") from exc
        if timezone.is_naive(instant):
            instant = timezone.make_aware(instant, digests.site_timezone())
        if preview is not None:
            self.preview(preview, instant, html)
            return
        if html:
            raise CommandError("--html goes with --preview EMAIL.")
        if not frequency:
            raise CommandError("--frequency is required (daily, weekly or monthly), unless you --preview EMAIL.")
        boundary, batches = digests.dispatch_due(frequency, instant, batch_size)
        total = sum(len(b) for b in batches)
        if total == 0:
            self.stdout.write(self.nothing_to_do(frequency, boundary))
            return
        result = digests.RunResult()
        with tqdm(total=total, unit="digest", disable=options["verbosity"] == 0, file=raw_stream(self.stderr)) as bar:
            for ids in batches:
                part = digests.process_batch(ids, frequency, boundary, dry_run=dry_run, progress=bar.update)
                if not dry_run:
                    _schedule_retries(part.retry_ids)
                result.add(part)
        prefix = "dry run, nothing sent — would have " if dry_run else ""
        self.stdout.write(
            f"{prefix}{frequency} digests up to {self._local(boundary)}: "
            f"sent {result.sent}, skipped {result.skipped} (nothing new), failed {result.failed} (retry scheduled), "
            f"already claimed {result.already_claimed}"
        )

    @staticmethod
    def _local(moment: datetime) -> str:
        return f"{timezone.localtime(moment, digests.site_timezone()):%Y-%m-%d %H:%M %Z}"

    def nothing_to_do(self, frequency: str, boundary: datetime) -> str:
        """Say plainly why nothing goes out: the period was handled already, or nobody is due."""
        label = f"{frequency} period {period_label(frequency, boundary)} (up to {self._local(boundary)})"
        handled = DigestDelivery.objects.filter(frequency=frequency, period_end=boundary).aggregate(
            n=Count("id"),
            last=Max("sent_at"),
            claimed=Max("claimed_at"),
        )
        if handled["n"]:
            states = dict(
                DigestDelivery.objects.filter(frequency=frequency, period_end=boundary)
                .values_list("state")
                .annotate(n=Count("id"))
                .values_list("state", "n")
            )
            counts = ", ".join(f"{n} {state}" for state, n in sorted(states.items()))
            when = handled["last"] or handled["claimed"]
            return f"digests for {label} were already sent on {self._local(when)} ({counts}); nothing to do."
        active = Subscription.objects.active().filter(frequency=frequency).count()
        if not active:
            return f"no active {frequency} subscription: nothing to do for {label}."
        return (
            f"none of the {active} active {frequency} subscriptions is due for {label} "
            f"(confirmed after it began, or already sent); nothing to do."
        )

    def preview(self, email: str, instant: datetime, html_path: str | None) -> None:
        subscription = Subscription.objects.filter(email=email.strip().lower()).first()
        if subscription is None:
            raise CommandError(f"no subscription for {email.strip()!r}.")
        start, end, widened = digests.preview_period(subscription, instant)
        digest = digests.digest_for_period(subscription, start, end)
        message = digests.render_digest(digest)  # rendered, never handed to a connection
        html = message.alternatives[0][0]
        assert isinstance(html, str)  # render_digest's HTML part is text
        if html_path == "-":
            target = None
        elif html_path:
            target = Path(html_path)
        else:
            with tempfile.NamedTemporaryFile(
                prefix=f"digest-preview-{subscription.pk}-", suffix=".html", delete=False
            ) as file:
                target = Path(file.name)
        with translation.override("en"):  # the command speaks English, the digest its reader's language
            state = str(subscription.state_label)
        self.stdout.write(
            f"Preview of the {subscription.frequency} digest of {subscription.email} "
            f"({state}), {self._local(start)} → {self._local(end)}: "
            f"{digest.item_count} item(s). Nothing sent.\n"
        )
        if widened:
            self.stdout.write(
                f"(No {subscription.frequency} digest yet: shown over a full period back from now, "
                "as the first one will look.)\n"
            )
        self.stdout.write(f"Subject: {message.subject}\n")
        self.stdout.write(str(message.body))  # typed as possibly lazy text
        if target is None:
            self.stdout.write(html)
        else:
            target.write_text(html, encoding="utf-8")
            self.stdout.write(f"HTML part written to {target}")
