"""Engine indexes outlive the test database. A test's rollback leaves the documents of what it
indexed (or removes those of what it deleted); a transactional test's flush removes the demo's
pages but not their documents, and the demo loaded again gets new primary keys (PostgreSQL's
sequences never go back). Documents of pages that no longer exist would crowd the demo's out of
the first results: every index a session searches is rebuilt whenever the demo is (re)loaded, and
after any test that left it with another number of documents than its rebuild gave."""

from typing import Any

from django.test import override_settings

# Each engine configuration in use (a WAGTAILSEARCH_BACKENDS value; None: the run's own settings)
# and the number of documents its last rebuild wrote.
_documents: dict[int, tuple[dict[str, Any] | None, int]] = {}


def keep_in_step(config: dict[str, Any]) -> None:
    """Rebuild the engine of ``config`` with every demo load and after every test that drifted."""
    _documents[id(config)] = (config, _rebuild(config))


def _backend() -> Any:
    from wagtail.search.backends import get_search_backend

    from search.indexing import is_engine

    backend = get_search_backend()
    return backend if is_engine(backend) else None


def _rebuild(config: dict[str, Any] | None) -> int:
    from search.indexing import rebuild

    with override_settings(WAGTAILSEARCH_BACKENDS=config) if config else override_settings():
        return rebuild(progress=False)


def _count(config: dict[str, Any] | None) -> int:
    from search.engines import client

    with override_settings(WAGTAILSEARCH_BACKENDS=config) if config else override_settings():
        backend = _backend()
        backend.refresh_indexes()
        return backend.es.count(index=",".join(client.index_names(backend)))["count"]


def rebuild_all() -> None:
    """After a demo load: the run's engine (when its default backend is one) and every other kept in step."""
    if _backend() is not None:
        _documents[0] = (None, _rebuild(None))
    for key, (config, _) in list(_documents.items()):
        if config is not None:
            _documents[key] = (config, _rebuild(config))


def resync_drifted() -> None:
    """After a test: rebuild the indexes whose number of documents is no longer what their rebuild wrote."""
    for key, (config, written) in list(_documents.items()):
        try:
            if _count(config) != written:
                _documents[key] = (config, _rebuild(config))
        except Exception:  # noqa: BLE001 - an engine a fault test stopped: checked again after the next test
            continue
