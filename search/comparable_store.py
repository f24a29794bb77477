"""Comparable projects, worked out once and stored (issue #12).

Working out a report's comparable projects loads and scores hundreds of
candidate reports (search/comparable.py): too much for every view of a report.
They are stored per report and reading language (``ComparableList``, its
``ComparableItem`` rows) and refreshed in the background:

- when a report is published, unpublished or deleted, or its section is made
  private or public again: that report and its translations (which one of them
  is listed depends on the languages a report exists in), then its neighbours;
- the neighbours of a changed report are the reports that list it, and the
  reports it may now enter: the same candidates its own list is chosen from,
  scored against it (the score is symmetric), kept when that score comes close
  enough to their own fifth (see ``_may_enter``);
- an import notes what it published and queues one batch at its end
  (``deferred_refresh``); a large one refreshes everything, in batches;
- ``manage.py refresh_comparable [--all]`` fills what is missing (or rebuilds all).

Pages read the stored lists (``comparable_for``) in a constant few queries,
dropping any target that stopped being visible to the public since. A report
with no stored list yet (just published, worker behind) is worked out on the
fly, as before, and a refresh is queued.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count

from cooperation_hub.visibility import page_visible_to_public, private_paths
from experiences.models import ExperiencePage

from .comparable import (
    LIMIT,
    ComparableProject,
    _facts,
    candidate_ids,
    comparable_projects,
    database_scored,
    facts_kept,
    render_reasons,
)
from .engines import client as engine
from .models import ComparableItem, ComparableList

logger = logging.getLogger(__name__)

LANGUAGES = ("fr", "en")
BATCH = 50  # reports per background task
# More changed reports than this at once (an import, a section made private): refresh everything.
FULL_REFRESH_ABOVE = 200
# With an engine, stored scores are the engine's, not comparable with the database score:
# the reports sharing most with a changed one are refreshed instead.
ENGINE_NEIGHBOURS = 100
# How close to a list's fifth a newcomer must come to possibly enter it. _rank orders by
# relevance rounded to a tenth of the best score, so a score within 0.1 × best of the fifth
# may pass it on the North–South tie-break; 0.12 covers a best score just outside the stored five.
ENTRY_MARGIN = 0.12
# A view that finds no stored list queues one refresh, not one per view while the worker is behind.
QUEUED_GUARD_SECONDS = 120

_deferred: ContextVar[set[int] | None] = ContextVar("comparable_deferred", default=None)


# --- reading ------------------------------------------------------------------------


def stored_comparable(page: ExperiencePage, lang: str, limit: int = LIMIT) -> list[ComparableProject] | None:
    """The stored comparable projects of ``page`` in ``lang``, None if never worked out.

    Two queries (the items with their pages and cities, the private sections) or one
    (no item: whether a list exists). Targets no longer visible to the public are dropped.
    """
    rows = list(
        ComparableItem.objects.filter(comparable_list__source_id=page.pk, comparable_list__language=lang)
        .select_related("target__city")
        .order_by("rank")
    )
    if not rows:
        return [] if ComparableList.objects.filter(source_id=page.pk, language=lang).exists() else None
    private = private_paths()
    region = page.city.region
    items = []
    for row in rows:
        target = row.target
        if not page_visible_to_public(target, private):
            continue  # unpublished or made private since: its refresh is queued or running
        items.append(
            ComparableProject(target, row.score, render_reasons(row.why, lang), target.city.region != region, row.why)
        )
    return items[:limit]


def comparable_for(page: ExperiencePage, lang: str, limit: int = LIMIT) -> list[ComparableProject]:
    """What pages and the API show: the stored list, or (none stored yet) the list worked out now."""
    if limit <= LIMIT:
        items = stored_comparable(page, lang, limit)
        if items is not None:
            return items
        if page.live and cache.add(f"comparable-refresh-queued:{page.pk}", 1, QUEUED_GUARD_SECONDS):
            queue_refresh([page.pk])
    return comparable_projects(page, lang, limit)


# --- refreshing -----------------------------------------------------------------------


def refresh_comparable(page: ExperiencePage) -> bool:
    """Work out and store the comparable projects of ``page`` in every language, with the very
    function a page would call. A report that is not live keeps no list. True if a list changed."""
    if not page.live:
        deleted, _ = ComparableList.objects.filter(source_id=page.pk).delete()
        return bool(deleted)
    changed = False
    for lang in LANGUAGES:
        backend = engine.engine_backend()
        method = "engine" if backend is not None and not engine.is_marked_down(backend) else "database"
        changed |= _store(page, lang, comparable_projects(page, lang), method)
    return changed


def _store(page: ExperiencePage, lang: str, items: list[ComparableProject], method: str) -> bool:
    new = [(item.page.pk, round(item.score, 6), item.why) for item in items]
    with transaction.atomic():
        # A report deleted while this list was worked out (in the same delete, whose signals
        # refresh its neighbours, or by another worker) must not be stored as a target.
        existing = set(ExperiencePage.objects.filter(pk__in=[t for t, _, _ in new]).values_list("pk", flat=True))
        new = [row for row in new if row[0] in existing]
        stored, created = ComparableList.objects.get_or_create(
            source_id=page.pk, language=lang, defaults={"method": method}
        )
        # One refresh of a list at a time (two workers on the same report).
        stored = ComparableList.objects.select_for_update().get(pk=stored.pk)
        old = [
            (t, round(s, 6), w) for t, s, w in stored.items.order_by("rank").values_list("target_id", "score", "why")
        ]
        stored.method = method
        stored.save()  # refreshed_at
        if not created and old == new:
            return False
        stored.items.all().delete()
        ComparableItem.objects.bulk_create([
            ComparableItem(comparable_list=stored, rank=rank, target_id=target, score=score, why=why)
            for rank, (target, score, why) in enumerate(new, start=1)
        ])  # fmt: skip
    return True


def refresh_pages(page_ids: Iterable[int], neighbours: bool = True) -> int:
    """Refresh these reports (with their translations) and queue their neighbours' refresh in
    batches. Returns how many lists of these reports changed."""
    ids = set(page_ids)
    if neighbours:
        keys = ExperiencePage.objects.filter(pk__in=ids).values("translation_key")
        ids |= set(ExperiencePage.objects.filter(translation_key__in=keys).values_list("pk", flat=True))
        if len(ids) > FULL_REFRESH_ABOVE:
            queue_refresh_all()
            return 0
    backend = engine.engine_backend()
    if backend is not None and not engine.is_marked_down(backend):
        # A report published a moment ago must be found by its neighbours' lists (and find them).
        engine.make_searchable(backend)
    pages = list(ExperiencePage.objects.filter(pk__in=ids).select_related("city", "locale").order_by("pk"))
    with facts_kept():
        around = neighbour_ids(pages) - ids if neighbours else set()
        changed = sum(refresh_comparable(page) for page in pages)
    for batch in _batches(sorted(around)):
        _send(batch, False)
    if changed:
        _pages_changed()
    return changed


def neighbour_ids(pages: list[ExperiencePage]) -> set[int]:
    """Reports whose stored lists may change with these: the ones listing one of them, and the
    ones a live one of them may now enter."""
    ids = set(
        ComparableList.objects.filter(items__target__in=[p.pk for p in pages]).values_list("source_id", flat=True)
    )
    for page in pages:
        if page.live:
            ids |= _may_enter(page)
    return ids


def _may_enter(page: ExperiencePage) -> set[int]:
    """Reports whose lists ``page`` may now enter: its own candidates (in any language) scored
    against it. The database score is symmetric, so a report enters another's list only when it
    comes within ``ENTRY_MARGIN`` of that list's fifth (or the list has fewer than five)."""
    source = _facts(page)
    ids: set[int] = set()
    for lang in LANGUAGES:
        ids |= candidate_ids(page, source, lang)
    scored = [item for item in database_scored(source, ids, LANGUAGES[0]) if item.score > 0 and item.reasons]
    lists: dict[int, dict[int, tuple[str, list[float]]]] = {}  # source: {list: (method, scores)}
    for source_id, list_id, method, score in ComparableList.objects.filter(source_id__in=ids).values_list(
        "source_id", "id", "method", "items__score"
    ):
        entry = lists.setdefault(source_id, {}).setdefault(list_id, (method, []))
        if score is not None:
            entry[1].append(score)
    found: set[int] = set()
    engine_scored = []
    for item in scored:
        for method, scores in lists.get(item.page.pk, {}).values():
            if method == "engine":
                engine_scored.append(item)
            elif len(scores) < LIMIT or item.score >= min(scores) - ENTRY_MARGIN * max(max(scores), item.score):
                found.add(item.page.pk)
    engine_scored.sort(key=lambda i: i.score, reverse=True)
    found |= {item.page.pk for item in engine_scored[:ENGINE_NEIGHBOURS]}
    return found


def refresh_all(progress: bool = False, missing_only: bool = False) -> int:
    """Refresh every live report here and now (or only those with a list missing); drop the
    lists of reports no longer live. Returns how many reports were worked out."""
    from tqdm import tqdm

    ComparableList.objects.exclude(source__live=True).delete()
    pages = ExperiencePage.objects.live().order_by("pk")
    if missing_only:
        complete = (
            ComparableList.objects.filter(language__in=LANGUAGES)
            .values("source_id")
            .annotate(n=Count("id"))
            .filter(n=len(LANGUAGES))
            .values("source_id")
        )
        pages = pages.exclude(pk__in=complete)
    ids = list(pages.values_list("pk", flat=True))
    with facts_kept():
        for batch in tqdm(list(_batches(ids)), desc="comparable projects", unit="batch", disable=not progress):
            for page in ExperiencePage.objects.filter(pk__in=batch).select_related("city", "locale").order_by("pk"):
                refresh_comparable(page)
    if ids:
        _pages_changed()
    return len(ids)


# --- queuing --------------------------------------------------------------------------


def queue_refresh(page_ids: Iterable[int], neighbours: bool = True) -> None:
    """Queue the refresh of these reports (and their neighbours), once the transaction commits."""
    ids = sorted(set(page_ids))
    if not ids:
        return
    deferred = _deferred.get()
    if deferred is not None and neighbours:
        deferred.update(ids)
        return
    _send(ids, neighbours)


def queue_refresh_all() -> None:
    """Queue a refresh of every report, in batches of ``BATCH`` (one task each)."""
    ComparableList.objects.exclude(source__live=True).delete()
    ids = list(ExperiencePage.objects.live().order_by("pk").values_list("pk", flat=True))
    for batch in _batches(ids):
        _send(batch, False)


@contextmanager
def deferred_refresh() -> Iterator[None]:
    """Within: reports published or unpublished are noted, and one refresh of them all is queued
    at the end (an import writes thousands of reports; their neighbours overlap)."""
    token = _deferred.set(set())
    try:
        yield
        ids = _deferred.get() or set()
    finally:
        _deferred.reset(token)
    if ids:
        _send(sorted(ids), True)


def _send(ids: list[int], neighbours: bool) -> None:
    from cooperation_hub.background import enqueue

    from .tasks import refresh_comparable_task

    def send() -> None:
        enqueue(refresh_comparable_task, ids, neighbours)

    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        send()  # tests and inline mode: on_commit never fires inside a test's transaction
    else:
        transaction.on_commit(send)


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _pages_changed() -> None:
    """Cached report pages show the lists: a changed list outdates them."""
    from cooperation_hub import page_cache

    page_cache.invalidate(page_cache.SITE)
