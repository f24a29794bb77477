"""Talking to OpenSearch/Elasticsearch through django-modelsearch's own client.

django-modelsearch has no highlighting and no more-like-this, so the hub's
queries (search/engines/query.py, search/comparable.py) are sent here with the
backend's client. A small circuit breaker remembers, per engine URL, that the
engine failed, so that while it is down each request goes straight to the
database backend instead of waiting for a timeout.
"""

import json
import os
import time
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from modelsearch.backends import get_search_backend
from modelsearch.conf import get_app_config

from contributions.models import Contribution
from cooperation_hub.breaker import BreakerSet
from experiences.models import ExperiencePage

# Read at each failure, so that override_settings and the fault tests' short pause apply.
# The pauses before asking a busy cluster again (2.1 s at most: a reader is waiting).
RETRY_PAUSES = (0.3, 0.6, 1.2)
_breakers = BreakerSet("search engine", lambda: getattr(settings, "SEARCH_ENGINE_RETRY_AFTER", 30))


class EngineUnavailable(Exception):
    """The engine did not answer (down, timeout, missing index)."""


def engine_backend() -> Any | None:
    """The configured engine backend, or None on the embedded default.

    One per configuration and process: django-modelsearch builds a backend, and with it a new
    client and connection pool, at each call, and every search then opened a new connection."""
    config = get_app_config().get_search_backend_config().get("default")
    key = (os.getpid(), json.dumps(config, sort_keys=True, default=str))  # a forked process opens its own
    if key in _backends:
        return _backends[key]
    try:
        backend = get_search_backend("default")
    except Exception:  # a misconfigured engine must not take the site down
        return None
    backend = backend if hasattr(backend, "es") else None
    _backends[key] = backend
    return backend


_backends: dict[tuple[int, str], Any] = {}


def _key(backend: Any) -> str:
    return repr(getattr(backend, "hosts", ""))


def is_marked_down(backend: Any) -> bool:
    return _breakers[_key(backend)].is_open()


def mark_down(backend: Any, exc: BaseException | str = "") -> None:
    _breakers[_key(backend)].trip(exc)


def mark_up(backend: Any) -> None:
    _breakers[_key(backend)].reset()


def _status(exc: Exception) -> int | None:
    """The HTTP status an engine error carries (opensearch-py and elasticsearch-py spell it differently)."""
    status = getattr(exc, "status_code", None)
    if not isinstance(status, int):
        status = getattr(getattr(exc, "meta", None), "status", None)
    return status if isinstance(status, int) else None


def _passing(exc: Exception) -> bool:
    """Whether an engine error is a cluster's passing trouble worth one more try: busy (503), a
    shard copy's node not connected yet (500), or an index still reopening on a node that
    rejoined (400 "this Analyzer is closed"; any other 400 is the query's fault, not asked again)."""
    status, text = _status(exc), str(exc)
    if status == 503:
        return True
    return (
        status in (400, 500) and "search_phase_execution_exception" in text and (status == 500 or "is closed" in text)
    )


def index_names(backend: Any) -> list[str]:
    """The indexes holding experiences/consultations (the page index) and contributions."""
    return [backend.get_index_for_model(ExperiencePage).name, backend.get_index_for_model(Contribution).name]


def make_searchable(backend: Any) -> None:
    """What was indexed a moment ago searchable now in the indexes searched (the engine otherwise
    refreshes each second; one not created yet is passed over); an engine that does not answer
    is marked down, as a failed search would."""
    try:
        backend.es.indices.refresh(index=",".join(index_names(backend)), ignore_unavailable=True)
    except Exception as exc:
        mark_down(backend, exc)


def search(
    backend: Any, index: str | list[str], body: dict[str, Any], named_scores: bool = False, **params: Any
) -> dict[str, Any]:
    """One search request; any failure of the engine becomes EngineUnavailable. With ``named_scores``
    each hit's ``matched_queries`` maps the name of each matching clause to its own score."""
    if isinstance(index, list):
        index = ",".join(index)
    if getattr(backend, "use_new_elasticsearch_api", False):
        if named_scores:
            params["include_named_queries_score"] = True
        send = lambda: backend.es.search(index=index, **body, **params)  # noqa: E731
    else:
        if named_scores:  # opensearch-py passes URL parameters it does not name through `params`
            params["params"] = {**params.get("params", {}), "include_named_queries_score": "true"}
        send = lambda: backend.es.search(index=index, body=body, **params)  # noqa: E731
    for pause in (*RETRY_PAUSES, None):
        try:
            response = send()
            break
        except Exception as exc:
            # A node that rejoined the cluster a moment ago: the coordinating node answers 503,
            # 500 "Node not connected" or 400 "this Analyzer is closed" while the shard copies on
            # the rejoined node come back (the soak met all three, for up to a few seconds). The
            # cluster answers, so it is asked again, a little later each time.
            if pause is not None and _passing(exc):
                time.sleep(pause)
                continue
            # A query the engine refuses (400) is this query's problem, not an outage: only that
            # search falls back, the engine stays in use.
            if _status(exc) != 400:
                mark_down(backend, exc)
            raise EngineUnavailable(f"{exc.__class__.__name__}: {exc}") from exc
    return response.body if hasattr(response, "body") else response


def scan(backend: Any, index: str, body: dict[str, Any], size: int = 1000) -> Iterator[dict[str, Any]]:
    """Every hit of a query, page after page (search_after on the pk keyword)."""
    body = {**body, "sort": [{"pk": "asc"}], "size": size}
    after = None
    while True:
        page_body = {**body, **({"search_after": after} if after else {})}
        hits = search(backend, index, page_body)["hits"]["hits"]
        if not hits:
            return
        yield from hits
        after = hits[-1]["sort"]
