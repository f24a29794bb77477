"""Celery tasks of the site itself (found by the worker's autodiscovery)."""

from celery import shared_task

from .background import requeue_deferred_tasks
from .status import record_beat_tick

__all__ = ["beat_tick", "requeue_deferred_tasks"]


@shared_task(name="cooperation_hub.beat_tick")
def beat_tick() -> None:
    """Written at every beat tick, so that the system status panel can tell a stopped beat."""
    record_beat_tick()
