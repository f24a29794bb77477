"""Celery tasks: the beat-driven fan-out, the batches and the per-delivery retries.

Beat calls ``send_due_digests`` (schedule in settings.CELERY_BEAT_SCHEDULE); it
splits the due subscriptions into batches that any number of workers process in
parallel. The exactly-once guarantees live in ``digests`` (claims), not here:
these tasks can be repeated, redelivered or run concurrently without sending
anything twice.
"""

from datetime import datetime, timedelta

from celery import Task, shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.utils import timezone

from . import digests, emails, retention
from .models import Frequency


# Read at call time (not in the decorators, which run at import): override_settings
# and a worker's settings module both apply.
def retry_backoff() -> int:
    """Seconds before the first retry, doubled at every retry (DIGEST_RETRY_BACKOFF)."""
    return int(getattr(settings, "DIGEST_RETRY_BACKOFF", 60))


def max_retries() -> int:
    return int(getattr(settings, "DIGEST_MAX_RETRIES", 5))


def _retry(task: Task, exc: BaseException):
    """Celery's autoretry with exponential backoff, its figures read now. Past the
    last retry Celery raises ``exc`` itself: the task fails (on_failure runs)."""
    countdown = get_exponential_backoff_interval(
        factor=max(1, retry_backoff()),
        retries=task.request.retries,
        maximum=3600,
        full_jitter=getattr(settings, "DIGEST_RETRY_JITTER", True),
    )
    return task.retry(exc=exc, countdown=countdown, max_retries=max_retries())


class DeliveryTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """After the last retry: a visible 'failed' delivery, never a silent drop."""
        delivery_id = kwargs.get("delivery_id", args[0] if args else None)
        token = kwargs.get("token", args[1] if len(args) > 1 else None)
        if delivery_id is not None and token is not None:
            digests.mark_failed(delivery_id, token, f"{type(exc).__name__}: {exc}")


@shared_task(bind=True, base=DeliveryTask, name="subscriptions.deliver_digest", acks_late=True)
def deliver_digest(self, delivery_id: int, token: str) -> str:
    try:
        return digests.deliver_one(delivery_id, token)
    except digests.SEND_ERRORS as exc:
        raise _retry(self, exc) from exc


def _schedule_retries(retry_ids: list[tuple[int, str]]) -> None:
    for delivery_id, token in retry_ids:
        deliver_digest.apply_async((delivery_id, token), countdown=retry_backoff())


@shared_task(name="subscriptions.send_digest_batch", acks_late=True)
def send_digest_batch(subscription_ids: list[int], frequency: str, boundary: str) -> dict:
    result = digests.process_batch(subscription_ids, frequency, datetime.fromisoformat(boundary))
    _schedule_retries(result.retry_ids)
    return {
        "sent": result.sent,
        "skipped": result.skipped,
        "failed": result.failed,
        "already_claimed": result.already_claimed,
    }


@shared_task(name="subscriptions.send_due_digests", ignore_result=False)  # its summary is read
def send_due_digests(
    frequency: str | None = None,
    now: str | None = None,
    stale_after_seconds: float | None = None,
    batch_size: int | None = None,
) -> dict:
    """Fan-out: enqueue one batch task per slice of due subscribers, and re-try stale claims."""
    instant = datetime.fromisoformat(now) if now else timezone.now()
    frequencies = [frequency] if frequency else list(Frequency.values)
    summary = {"batches": 0, "subscriptions": 0, "recovered": 0}
    stale_after = None if stale_after_seconds is None else timedelta(seconds=stale_after_seconds)
    recovered = digests.recover_stale_claims(stale_after, instant)
    for delivery_id, token in recovered:
        deliver_digest.delay(delivery_id, token)
    summary["recovered"] = len(recovered)
    for freq in frequencies:
        boundary, batches = digests.dispatch_due(freq, instant, batch_size)
        for ids in batches:
            send_digest_batch.delay(ids, freq, boundary.isoformat())
            summary["batches"] += 1
            summary["subscriptions"] += len(ids)
    return summary


@shared_task(bind=True, name="subscriptions.send_subscription_email", acks_late=True)
def send_subscription_email(self, subscription_id: int, kind: str, language: str | None = None) -> None:
    try:
        emails.send_subscription_email(subscription_id, kind, language)
    except digests.SEND_ERRORS as exc:
        raise _retry(self, exc) from exc


@shared_task(name="subscriptions.purge_expired_subscriptions")
def purge_expired_subscriptions() -> int:
    """Beat, daily: erase unsubscribed and never-confirmed subscriptions past their retention period."""
    return retention.purge_expired()
