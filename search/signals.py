"""The search index follows the privacy of pages.

Adding a view restriction (password, login, groups) to a page, or removing it,
changes whether its section may be found (``hub_visible`` in the engines'
documents, see search/documents.py). The database backend needs nothing: its
searches apply ``visible_to_public()`` in SQL. The periodic reconciliation
would catch up too; this makes it immediate.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction


def _restriction_changed(sender, instance: PageViewRestriction, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    from cooperation_hub.background import enqueue

    from .tasks import reindex_section_task

    page_id = instance.page_id

    def send() -> None:
        enqueue(reindex_section_task, page_id)

    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        send()  # tests and inline mode: on_commit never fires inside a test's transaction
    else:
        transaction.on_commit(send)


def connect() -> None:
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search_restriction_saved")
    post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search_restriction_deleted")
