"""What an administrator needs to see at a glance (issue #16): each part's state
(the same checks as ``/readyz``), how much work waits in the broker's queue and in
the database (tasks deferred while the broker was down), and how long ago beat's
last tick ran, which says whether periodic work (digests, reminders, re-queues)
still happens."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from .health import DOWN, run_checks
from .models import DeferredTask, Heartbeat

BEAT_TICK = "beat"


def beat_interval() -> int:
    """Seconds between two ticks (read when used, so ``override_settings`` reaches it)."""
    return int(getattr(settings, "BEAT_TICK_SECONDS", 60))


def record_beat_tick(now: datetime | None = None) -> None:
    Heartbeat.objects.update_or_create(name=BEAT_TICK, defaults={"at": now or timezone.now()})


def beat_state(now: datetime | None = None) -> dict[str, Any]:
    """``ok`` while ticks arrive, ``late`` after three missed ones, ``never`` before the first."""
    now = now or timezone.now()
    last = Heartbeat.objects.filter(name=BEAT_TICK).values_list("at", flat=True).first()
    if last is None:
        return {"state": "never", "last": None, "age_seconds": None}
    age = max(0.0, (now - last).total_seconds())
    return {"state": "ok" if age <= 3 * beat_interval() else "late", "last": last, "age_seconds": round(age)}


def broker_queues(names: list[str] | None = None) -> list[dict[str, Any]]:
    """Messages waiting in each queue the workers consume (the default one unless
    named); a broker that does not answer is reported, never raised: the panel is
    most useful during an outage."""
    from .celery import app

    names = names or [app.conf.task_default_queue or "celery"]
    rows = []
    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
            channel = conn.default_channel
            for name in names:
                # A plain declare answers the count on every kombu transport (Redis,
                # filesystem); a passive one refuses a queue nothing was sent to yet.
                _, count, consumers = channel.queue_declare(queue=name)
                rows.append({"name": name, "state": "up", "messages": count, "consumers": consumers})
    except Exception as exc:  # the broker is down: say so in the panel
        rows = [{"name": name, "state": DOWN, "error": f"{type(exc).__name__}: {exc}"[:300]} for name in names]
    return rows


def deferred_tasks(now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    summary = DeferredTask.objects.aggregate(oldest=Min("created_at"))
    count = DeferredTask.objects.count()
    oldest = summary["oldest"]
    return {
        "count": count,
        "oldest_age_seconds": round((now - oldest).total_seconds()) if oldest else None,
    }


def system_status(now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    return {
        "checks": run_checks(),
        "queues": broker_queues(),
        "deferred": deferred_tasks(now),
        "beat": beat_state(now),
        "beat_interval": timedelta(seconds=beat_interval()),
    }
