"""The search index follows the privacy of pages.

Adding a view restriction (password, login, groups) to a page, or removing it,
changes whether its section may be found (``hub_visible`` in the engines'
documents, see search/documents.py). The database backend needs nothing: its
searches apply ``visible_to_public()`` in SQL. The periodic reconciliation
would catch up too; this makes it immediate.

Stored comparable projects (search/comparable_store.py) follow reports too:
a report published, unpublished or deleted, or a section made private or
public again, queues the refresh of those reports and of their neighbours.
"""

import logging
import threading

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

logger = logging.getLogger(__name__)
# Pages being deleted in this thread: their section's restrictions go with them, and must not
# queue (eager: run) a refresh that would write rows naming pages about to disappear.
_deleting = threading.local()


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


def _queue_comparable(page_ids: list[int], neighbours: bool = True) -> None:
    """Never breaks what sent the signal (a publication): a failed refresh leaves the page
    working its list out on the fly."""
    from .comparable_store import queue_refresh

    try:
        queue_refresh(page_ids, neighbours=neighbours)
    except Exception:
        logger.exception("refresh of comparable projects of %s not queued", page_ids)


def _report_published(sender, instance, **kwargs) -> None:
    _queue_comparable([instance.pk])


def _report_unpublished(sender, instance, **kwargs) -> None:
    if Page.objects.filter(pk=instance.pk, live=True).exists():
        # Not saved: Wagtail unpublishes a live page in memory only, in pre_delete, just
        # before deleting it. A refresh now would list it again in rows the delete has
        # already collected; the report's post_delete refreshes its neighbours once it is gone.
        return
    _queue_comparable([instance.pk])


def _report_deleting(sender, instance, **kwargs) -> None:
    """The rows naming the report go with it: its translations and the reports listing it are
    noted before (the language a report is listed in depends on its translations)."""
    from experiences.models import ExperiencePage

    from .models import ComparableList

    listing = set(ComparableList.objects.filter(items__target_id=instance.pk).values_list("source_id", flat=True))
    translations = set(
        ExperiencePage.objects.filter(translation_key=instance.translation_key)
        .exclude(pk=instance.pk)
        .values_list("pk", flat=True)
    )
    instance._comparable_to_refresh = (sorted(listing - translations - {instance.pk}), sorted(translations))


def _report_deleted(sender, instance, **kwargs) -> None:
    """Refreshed once the report is gone (an eager refresh before would list it again)."""
    listing, translations = getattr(instance, "_comparable_to_refresh", ([], []))
    _queue_comparable(listing, neighbours=False)
    _queue_comparable(translations)


def _restriction_changed_comparable(sender, instance: PageViewRestriction, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    from experiences.models import ExperiencePage

    section = Page.objects.filter(pk=instance.page_id).first()
    if section is None or instance.page_id in getattr(_deleting, "pks", set()):
        return  # the section itself is being deleted: its reports' delete signals handle them
    _queue_comparable(list(ExperiencePage.objects.descendant_of(section, inclusive=True).values_list("pk", flat=True)))


def _page_deleting(sender, instance, **kwargs) -> None:
    _deleting.pks = getattr(_deleting, "pks", set()) | {instance.pk}


def _page_deleted(sender, instance, **kwargs) -> None:
    _deleting.pks = getattr(_deleting, "pks", set()) - {instance.pk}


def connect() -> None:
    from experiences.models import ExperiencePage

    # Django sends a deleted page's signals with sender=Page for its base row.
    pre_delete.connect(_page_deleting, sender=Page, dispatch_uid="comparable_page_deleting")
    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="comparable_page_deleted")

    page_published.connect(_report_published, sender=ExperiencePage, dispatch_uid="comparable_report_published")
    page_unpublished.connect(_report_unpublished, sender=ExperiencePage, dispatch_uid="comparable_report_unpublished")
    pre_delete.connect(_report_deleting, sender=ExperiencePage, dispatch_uid="comparable_report_deleting")
    post_delete.connect(_report_deleted, sender=ExperiencePage, dispatch_uid="comparable_report_deleted")
    post_save.connect(
        _restriction_changed_comparable, sender=PageViewRestriction, dispatch_uid="comparable_restriction_saved"
    )
    post_delete.connect(
        _restriction_changed_comparable, sender=PageViewRestriction, dispatch_uid="comparable_restriction_deleted"
    )
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search_restriction_saved")
    post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search_restriction_deleted")
