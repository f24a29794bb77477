"""Celery tasks of the site itself (found by the worker's autodiscovery)."""

from celery import shared_task

from . import page_cache
from .background import requeue_deferred_tasks
from .status import record_beat_tick

__all__ = ["beat_tick", "refresh_kept_answers", "requeue_deferred_tasks"]


@shared_task(name="cooperation_hub.beat_tick")
def beat_tick() -> None:
    """Written at every beat tick, so that the system status panel can tell a stopped beat."""
    record_beat_tick()


@shared_task(name="cooperation_hub.refresh_kept_answers")
def refresh_kept_answers() -> None:
    """After a publication: the lists', maps' and peers' kept answers worked out by a worker
    (cooperation_hub/page_cache.py ``refresh_soon``)."""
    page_cache.refresh_kept_answers()
