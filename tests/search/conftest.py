"""Search tests run twice: on Wagtail's database backend and on the real OpenSearch/Elasticsearch node.

The engine run uses its own index prefix (built once per session from the test
database, demo content included); locally it is skipped when no engine is
configured, and under CI=true a missing engine fails (tests/services.py).
"""

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings

from tests.engine_indexes import keep_in_step
from tests.services import require_search_engine

DATABASE = {
    "BACKEND": "wagtail.search.backends.database",
    **({"SEARCH_CONFIG": "hub_search"} if "postgresql" in django_settings.DATABASES["default"]["ENGINE"] else {}),
}


def engine_config(url: str, prefix: str) -> dict[str, Any]:
    engine = os.environ.get("SEARCH_ENGINE", "opensearch")
    return {
        "BACKEND": {"opensearch": "search.engines.opensearch", "elasticsearch": "search.engines.elasticsearch"}[engine],
        "URLS": [url],
        "INDEX_PREFIX": prefix,
        "TIMEOUT": 5,
        "ATOMIC_REBUILD": True,
        "INDEX_SETTINGS": {"settings": {"index": {"number_of_replicas": 0}}},
    }


def database_backends() -> dict[str, Any]:
    return {"database": DATABASE, "default": {**DATABASE, "AUTO_UPDATE": False}}


@pytest.fixture(scope="session")
def engine_backends(django_db_setup, django_db_blocker) -> Iterator[dict[str, Any]]:
    """Backends config with the engine as default, its indexes built once from the test database."""
    url = require_search_engine()
    prefix = f"{os.environ.get('SEARCH_INDEX_PREFIX', 'hub').rstrip('_')}_test{os.getpid()}_"
    config = {"database": DATABASE, "default": engine_config(url, prefix)}
    from django.test import override_settings

    from search.indexing import rebuild

    with override_settings(WAGTAILSEARCH_BACKENDS=config), django_db_blocker.unblock():
        rebuild("default", progress=False)
    keep_in_step(config)
    yield config
    from modelsearch.backends import get_search_backend

    with override_settings(WAGTAILSEARCH_BACKENDS=config):
        backend = get_search_backend("default")
        for index in backend.es.indices.get_alias(index=f"{prefix}*"):
            backend.es.indices.delete(index=index)


@pytest.fixture(params=["database", "engine"])
def search_backend(request, settings, db) -> str:
    """Which backend answers: "database" or "engine" (settings switched for the test)."""
    if request.param == "engine":
        settings.WAGTAILSEARCH_BACKENDS = request.getfixturevalue("engine_backends")
    else:
        settings.WAGTAILSEARCH_BACKENDS = database_backends()
    return request.param


def refresh(created: list[Any] | None = None) -> None:
    """Make what was just indexed searchable on the engine (no-op on the database backend)."""
    from search.engines.client import engine_backend

    backend = engine_backend()
    if backend is not None:
        backend.refresh_indexes()


@pytest.fixture
def forget_in_engine() -> Iterator[list[Any]]:
    """Objects a test creates: removed from the engine index afterwards (the database rolls back, the index does not)."""
    created: list[Any] = []
    yield created
    from search.engines.client import engine_backend

    backend = engine_backend()
    if backend is not None:
        for obj in created:
            try:
                backend.delete(obj)
            except Exception:
                pass
        backend.refresh_indexes()
