"""Celery tasks of the search: django-tasks runner and index upkeep, retried while an engine is down."""

import logging
from typing import Any

from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils.module_loading import import_string

from .indexing import IndexingError, index_object, reconcile_all

logger = logging.getLogger(__name__)

MODELSEARCH_UPDATE = "modelsearch.tasks.insert_or_update_object_task"


@shared_task(bind=True, max_retries=None, acks_late=True)
def run_django_task(self, module_path: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    """Run one django-tasks task in a Celery worker.

    Search index updates are routed to ``index_object_task`` so that a failing
    engine raises (modelsearch itself only logs) and the update is retried.
    """
    if module_path == MODELSEARCH_UPDATE:
        index_object_task.delay(*args)
        return
    task = import_string(module_path)
    try:
        task.call(*args, **kwargs)
    finally:
        if module_path.startswith("modelsearch."):  # an object deleted from the index
            from .indexing import index_written

            index_written()


@shared_task(bind=True, max_retries=12, acks_late=True)
def index_object_task(self, app_label: str, model_name: str, pk: str) -> None:
    """Write one object to every search backend; retry with back-off while an engine is down.

    After the last retry the object stays stale until ``reconcile_search_index``
    (also scheduled periodically) brings it back: nothing goes silently missing.
    """
    model = apps.get_model(app_label, model_name)
    try:
        index_object(model, pk)
    # The database down too (the soak's PostgreSQL crash): the object could not even be read.
    # Without a retry the update waited for the nightly reconciliation.
    except (IndexingError, OperationalError, InterfaceError) as exc:
        if self.request.is_eager:
            # Inline mode cannot wait between tries: leave it to reconciliation.
            logger.warning("Search index update of %s.%s %s failed: %s", app_label, model_name, pk, exc)
            return
        countdown = min(600, settings.SEARCH_INDEX_RETRY_SECONDS * 2**self.request.retries)
        logger.warning(
            "Search index update of %s.%s %s failed (%s); retry in %ss", app_label, model_name, pk, exc, countdown
        )
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(acks_late=True)
def reconcile_search_index_task() -> dict[str, int]:
    """Periodic safety net: bring every backend's index in line with the database."""
    return reconcile_all(progress=False)


@shared_task(acks_late=True)
def reindex_section_task(page_id: int) -> int:
    """A view restriction was added to or removed from this page: every indexed object of its
    section is written again (``hub_visible`` changed), each by its own retried task."""
    from cooperation_hub.background import enqueue

    from .indexing import objects_of_section

    objects = objects_of_section(page_id)
    for app_label, model_name, pk in objects:
        enqueue(index_object_task, app_label, model_name, pk)
    return len(objects)


@shared_task(acks_late=True)
def refresh_comparable_task(page_ids: list[int], neighbours: bool = True) -> int:
    """Work out and store the comparable projects of these reports (search/comparable_store.py);
    with ``neighbours``, their translations too, then queue the reports whose lists they may change."""
    from .comparable_store import refresh_pages

    return refresh_pages(page_ids, neighbours=neighbours)
