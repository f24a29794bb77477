"""Engine indexes outlive the test database. A test's rollback leaves the documents of what it
indexed (or removes those of what it deleted); a transactional test's flush removes the demo's
pages but not their documents, and the demo loaded again gets new primary keys (PostgreSQL's
sequences never go back). Documents of pages that no longer exist would crowd the demo's out of
the first results. Whenever the demo is (re)loaded, and after any test that left an index with
another number of documents, every index a session searches is repaired: documents of objects
that no longer exist deleted, objects without one indexed (search.indexing.reconcile)."""

from typing import Any

from django.test import override_settings

# Each engine configuration in use (a WAGTAILSEARCH_BACKENDS value; None: the run's own settings)
# and the number of documents its searched indexes held after its last rebuild or repair.
_documents: dict[int, tuple[dict[str, Any] | None, int]] = {}


def keep_in_step(config: dict[str, Any]) -> None:
    """Build the indexes of ``config`` now, and keep them in step from then on."""
    _documents[id(config)] = (config, _rebuild(config))


def _backend() -> Any:
    from wagtail.search.backends import get_search_backend

    from search.indexing import is_engine

    backend = get_search_backend()
    return backend if is_engine(backend) else None


def _rebuild(config: dict[str, Any] | None) -> int:
    from search.indexing import rebuild

    with override_settings(WAGTAILSEARCH_BACKENDS=config) if config else override_settings():
        rebuild(progress=False)
    return _count(config)


def _repair(config: dict[str, Any] | None, content: bool = False) -> int:
    """Documents of objects that no longer exist deleted, those of objects restored added back
    (far cheaper than a rebuild, which creates the indexes again), and with ``content`` those
    whose document no longer says what the object does; the number of documents after."""
    from search.indexing import reconcile

    with override_settings(WAGTAILSEARCH_BACKENDS=config) if config else override_settings():
        reconcile(progress=False, content=content)
    return _count(config)


def _count(config: dict[str, Any] | None) -> int:
    from search.engines import client

    with override_settings(WAGTAILSEARCH_BACKENDS=config) if config else override_settings():
        backend = _backend()
        backend.refresh_indexes()
        return backend.es.count(index=",".join(client.index_names(backend)))["count"]


def rebuild_all(content: bool = False) -> None:
    """After a demo load: the run's engine (when its default backend is one) and every other kept in
    step. Built from scratch the first time in a process (an index left by an earlier run may have
    older mappings), repaired afterwards. ``content``: the demo came back with the primary keys it
    had (tests/demo_snapshot.py), so a document an earlier test rewrote is refreshed too."""
    if _backend() is not None:
        _documents[0] = (None, _repair(None, content) if 0 in _documents else _rebuild(None))
    for key, (config, _) in list(_documents.items()):
        if config is not None:
            _documents[key] = (config, _repair(config, content))


def resync_drifted() -> None:
    """After a test: repair the indexes whose number of documents is no longer what it was."""
    for key, (config, held) in list(_documents.items()):
        try:
            if _count(config) != held:
                _documents[key] = (config, _repair(config))
        except Exception:  # noqa: BLE001 - an engine a fault test stopped: checked again after the next test
            continue
