"""Keeping every search backend's index in line with the database.

- ``index_object``: write one object to every backend (Celery task, retried).
- ``rebuild``: rebuild a backend's indexes with a progress bar; on the engines
  into a new index, then the alias switches (atomic: searches never see a
  half-built index).
- ``reconcile``: after an outage, compare the index with the database (ids and
  each document's fingerprint on the engines) and fix only what differs.
"""

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from modelsearch.backends import get_search_backend
from modelsearch.conf import get_app_config
from modelsearch.index import Indexed, get_indexed_instance, get_indexed_models  # Indexed: a model mixin
from tqdm import tqdm

from cooperation_hub.compat import group_models_by_index

from .documents import document_for, fingerprint

logger = logging.getLogger(__name__)
CHUNK_SIZE = 500


class IndexingError(Exception):
    """A backend could not be written to (engine down, timeout, rejected document)."""


def backend_names() -> list[str]:
    """Configured backends, each index once ("default" may be the database backend again)."""
    config = get_app_config().get_search_backend_config()
    names = []
    for name, params in config.items():
        if params.get("AUTO_UPDATE", True) is False and params.get("BACKEND") == config.get("database", {}).get(
            "BACKEND"
        ):
            continue
        names.append(name)
    return names


def is_engine(backend: Any) -> bool:
    return hasattr(backend, "es")


def index_written() -> None:
    """The index changed: what searches found and kept (search/answers.py, the list's ``?q=``) is
    outdated. A worker writes the index after the publication's commit, whose "site" bump came first.

    The engine searched is refreshed before the bump: an engine shows a write only after its next
    refresh (a second later by default), and an answer worked out in between, without the write,
    would be kept under the new generation."""
    from cooperation_hub import page_cache

    from .engines.client import engine_backend, make_searchable

    backend = engine_backend()
    if backend is not None:
        make_searchable(backend)  # down: the write failed too and is retried, with its own bump
    page_cache.invalidate(page_cache.SEARCH_INDEX)


def index_object(model: type[models.Model], pk: str) -> None:
    """Add or update one object in every backend; raise IndexingError if any backend failed."""
    try:
        obj = model._default_manager.get(pk=pk)
    except ObjectDoesNotExist:  # the model's own DoesNotExist is a subclass
        return  # deleted since: the delete signal (or reconciliation) removes it
    instance = get_indexed_instance(obj)
    try:
        _index_instance(obj, instance)
    finally:
        index_written()  # even a partial write (one backend of two) changes what a search finds


def _index_instance(obj: Any, instance: Any) -> None:
    failures = []
    for name in backend_names():
        backend = get_search_backend(name)
        try:
            if instance is not None:
                backend.add(instance)
            else:
                backend.delete(obj)
        except Exception as exc:  # the engine's client raises many kinds of errors
            failures.append(f"{name}: {exc.__class__.__name__}: {exc}")
    # A page's translations list the languages it exists in: refresh them too.
    from wagtail.models import Page

    if isinstance(obj, Page) and document_for(instance or obj):
        for sibling in Page.objects.filter(translation_key=obj.translation_key).exclude(pk=obj.pk).specific():
            for name in backend_names():
                try:
                    get_search_backend(name).add(sibling)
                except Exception as exc:
                    failures.append(f"{name}: {exc.__class__.__name__}: {exc}")
    if failures:
        raise IndexingError("; ".join(failures))


def _chunks(qs: models.QuerySet, size: int) -> Iterator[list[Any]]:
    last = None
    qs = qs.order_by("pk")
    while True:
        page = qs.filter(pk__gt=last) if last is not None else qs
        items = list(page[:size])
        if not items:
            return
        yield items
        last = items[-1].pk


def _models_for(backend: Any) -> list[tuple[Any, list[type[Indexed]]]]:
    return list(group_models_by_index(backend, get_indexed_models()).items())


def rebuild(name: str = "default", progress: bool = True, chunk_size: int = CHUNK_SIZE) -> int:
    """Rebuild one backend's indexes from the database; returns the number of objects indexed."""
    backend = get_search_backend(name)
    total = 0
    for index, index_models in _models_for(backend):
        rebuilder = backend.rebuilder_class(index) if backend.rebuilder_class else None
        target = rebuilder.start() if rebuilder else index
        for model in index_models:
            target.add_model(model)
        for model in index_models:
            qs = model.get_indexed_objects()
            bar = tqdm(total=qs.count(), desc=f"{name}: {model._meta.label}", unit="obj", disable=not progress)
            for chunk in _chunks(qs, chunk_size):
                target.add_items(model, chunk)
                total += len(chunk)
                bar.update(len(chunk))
            bar.close()
        if rebuilder:
            rebuilder.finish()
    index_written()
    return total


def _indexed_state_engine(backend: Any, index_name: str, model: type[models.Model]) -> dict[str, str]:
    """{pk: fingerprint} of one model's documents in an engine index (exact type only)."""
    mapping = backend.mapping_class(model)
    body = {"query": {"term": {"_django_content_type": mapping.get_content_type()}}, "_source": ["hub_fingerprint"]}
    from .engines.client import scan

    state = {}
    for hit in scan(backend, index_name, body):
        pk = hit["_id"].split(":", 1)[-1] if ":" in hit["_id"] else hit["_id"]
        state[str(pk)] = (hit.get("_source") or {}).get("hub_fingerprint", "")
    return state


def _indexed_state_database(model: type[models.Model]) -> dict[str, str]:
    from django.contrib.contenttypes.models import ContentType

    IndexEntry = get_app_config().get_model("IndexEntry")  # wagtailsearch's table under Wagtail
    ct = ContentType.objects.get_for_model(model)
    return {str(pk): "" for pk in IndexEntry.objects.filter(content_type=ct).values_list("object_id", flat=True)}


def _leaf_models(index_models: Iterable[type[Indexed]]) -> list[type[Indexed]]:
    """Models whose own objects are indexed as that exact type (pages: the specific classes)."""
    index_models = list(index_models)
    return [m for m in index_models if not any(o is not m and issubclass(o, m) for o in index_models)] or index_models


def reconcile(
    name: str = "default", progress: bool = True, chunk_size: int = CHUNK_SIZE, content: bool = True
) -> dict[str, int]:
    """Make one backend's index match the database: add missing, refresh stale, delete orphans.
    Without ``content`` only which objects are indexed is compared, not what their documents say."""
    backend = get_search_backend(name)
    counts = {"added": 0, "updated": 0, "deleted": 0, "checked": 0}
    engine = is_engine(backend)
    for index, index_models in _models_for(backend):
        if engine and not index.exists():
            rebuild(name, progress=progress, chunk_size=chunk_size)
            return {**counts, "added": -1}
        for model in _leaf_models(index_models):
            if model._meta.abstract:
                continue
            indexed = _indexed_state_engine(backend, index.name, model) if engine else _indexed_state_database(model)
            qs = model.get_indexed_objects()
            if hasattr(qs, "exact_type"):
                qs = qs.exact_type(model)
            bar = tqdm(total=qs.count(), desc=f"{name}: {model._meta.label}", unit="obj", disable=not progress)
            seen: set[str] = set()
            for chunk in _chunks(qs, chunk_size):
                to_write = []
                for obj in chunk:
                    pk = str(obj.pk)
                    seen.add(pk)
                    if pk not in indexed:
                        counts["added"] += 1
                        to_write.append(obj)
                    elif engine and content and indexed[pk] != _expected_fingerprint(obj):
                        counts["updated"] += 1
                        to_write.append(obj)
                counts["checked"] += len(chunk)
                if to_write:
                    backend.add_bulk(model, to_write)
                bar.update(len(chunk))
            bar.close()
            for pk in set(indexed) - seen:
                counts["deleted"] += 1
                _delete(backend, model, pk)
    if engine:
        backend.refresh_indexes()
    if counts["added"] or counts["updated"] or counts["deleted"]:
        index_written()
    return counts


def _expected_fingerprint(obj: Any) -> str:
    doc = document_for(obj)
    return fingerprint(doc) if doc else ""


def _delete(backend: Any, model: type[models.Model], pk: str) -> None:
    stub = model(pk=pk)
    try:
        backend.delete(stub)
    except Exception:
        logger.exception("Could not delete %s %s from the index", model._meta.label, pk)


def reconcile_all(progress: bool = True) -> dict[str, int]:
    totals: dict[str, int] = {}
    for name in backend_names():
        for key, value in reconcile(name, progress=progress).items():
            totals[key] = totals.get(key, 0) + value
    return totals


def objects_of_section(page_id: int) -> list[tuple[str, str, str]]:
    """(app label, model name, pk) of the indexed objects whose visibility follows this page's
    privacy: the page, its descendants and the published contributions of those consultations."""
    from modelsearch.index import class_is_indexed
    from wagtail.models import Page

    from contributions.models import Contribution

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return []
    found = []
    pages = Page.objects.descendant_of(page, inclusive=True)
    for item in pages.specific():
        if class_is_indexed(type(item)):
            found.append((item._meta.app_label, item._meta.model_name, str(item.pk)))
    contributions = Contribution.objects.filter(state=Contribution.State.PUBLISHED, consultation__in=pages)
    found += [("contributions", "contribution", str(pk)) for pk in contributions.values_list("pk", flat=True)]
    return found
