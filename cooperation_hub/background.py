"""Queuing background work so that a broker outage loses none of it.

A request that saves something and queues follow-up work (a reply's e-mail, a
search index update, a confirmation e-mail) must neither hang nor fail while
Redis is down: publishing is tried briefly (settings.CELERY_TASK_PUBLISH_RETRY_POLICY),
and what could not be queued is kept as a ``DeferredTask`` row. Beat re-queues
those rows every ``DEFERRED_TASKS_REQUEUE_SECONDS``, and so does a worker when
it starts, oldest first.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task
from celery.signals import worker_ready
from django.db import transaction
from kombu.exceptions import OperationalError

from .breaker import Breaker

logger = logging.getLogger(__name__)

# What an unreachable broker raises (kombu wraps the transport's own errors).
BROKER_DOWN = (OperationalError, OSError)


# After a refusal this process keeps work aside for a few seconds without
# trying the broker, so that a request queuing several tasks pays the tries once.
BROKER_RETRY_AFTER = 5.0
broker_breaker = Breaker("broker", BROKER_RETRY_AFTER)


def enqueue(task: Task, *args: Any, **kwargs: Any) -> bool:
    """Queue ``task``; if the broker does not take it, keep it for later. True if queued now."""
    error = "broker unavailable a moment ago"
    if not broker_breaker.is_open():
        try:
            task.apply_async(args, kwargs)
            return True
        except BROKER_DOWN as exc:
            error = f"{type(exc).__name__}: {exc}"
            broker_breaker.trip(f"{task.name} kept for later ({error})")
    from .models import DeferredTask

    DeferredTask.objects.create(task_name=task.name, args=list(args), kwargs=kwargs, last_error=error[:2000])
    return False


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Queue ``task`` once the current transaction commits (a worker must see the saved rows)."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))


def requeue_deferred(limit: int = 1000) -> int:
    """Send the kept work to the broker; stops at the first refusal. Returns how many were sent."""
    from .celery import app
    from .models import DeferredTask

    sent = 0
    with transaction.atomic():
        # Two runs at once (beat and a starting worker) split the rows instead of sending them twice.
        for row in DeferredTask.objects.select_for_update(skip_locked=True).order_by("id")[:limit]:
            try:
                app.send_task(row.task_name, args=row.args, kwargs=row.kwargs)
            except BROKER_DOWN as exc:
                logger.warning(
                    "broker still unavailable, %s deferred tasks wait: %s", DeferredTask.objects.count() - sent, exc
                )
                break
            row.delete()
            sent += 1
    return sent


@shared_task(name="cooperation_hub.requeue_deferred_tasks")
def requeue_deferred_tasks() -> int:
    return requeue_deferred()


@worker_ready.connect
def _requeue_when_a_worker_starts(**kwargs) -> None:
    try:
        requeue_deferred()
    except Exception:  # the database may be down too: beat tries again later
        logger.warning("could not re-queue deferred tasks at worker start", exc_info=True)
