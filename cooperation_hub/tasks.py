"""Celery tasks of the site itself (found by the worker's autodiscovery)."""

from .background import requeue_deferred_tasks

__all__ = ["requeue_deferred_tasks"]
