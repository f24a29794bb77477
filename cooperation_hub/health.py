"""Health endpoints for a load balancer or an orchestrator (issue #16).

``/healthz`` says the process answers: no database, no cache, nothing that can
hang. ``/readyz`` checks each part the site talks to and says its state and how
long it took to answer:

- the database is required: without it no page can be served, so ``/readyz``
  answers 503 and the balancer should send readers elsewhere;
- the cache, the broker and the search engine are not: the site is built to
  work without them (the cache fails open, tasks are kept in the database,
  search falls back to the database backend), so their outage reads
  ``"status": "degraded"`` with a 200.

Both are outside the language prefix and never cached (``Cache-Control: no-store``;
the page cache only stores pages under ``/fr/`` and ``/en/``).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

UP, DOWN = "up", "down"


def _timed(check: Callable[[], dict[str, Any]], required: bool) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        result = {"state": UP, **check()}
    except Exception as exc:  # any failure of a part is its state, never a 500 of the probe
        result = {"state": DOWN, "error": f"{type(exc).__name__}: {exc}"[:300]}
    result["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
    result["required"] = required
    return result


def check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"backend": connection.vendor}


def check_cache() -> dict[str, Any]:
    # The cache fails open (cooperation_hub/cache.py): a write that Redis did not
    # take reads back as a miss, so a round trip tells whether it answers.
    cache = caches["default"]
    key, value = "readyz:probe", uuid.uuid4().hex
    cache.set(key, value, 30)
    if cache.get(key) != value:
        raise ConnectionError("the cache did not keep a value")
    return {"backend": type(cache).__name__}


def check_broker() -> dict[str, Any]:
    from .celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        transport = conn.transport_cls
    return {"backend": str(transport), "eager": bool(app.conf.task_always_eager)}


def check_search() -> dict[str, Any]:
    # django-modelsearch's own registry, so that the project package does not import the search app.
    from modelsearch.backends import get_search_backend

    backend = get_search_backend("default")
    client = getattr(backend, "es", None)
    if client is None:  # the embedded default: the database backend, checked with the database
        return {"backend": "database"}
    if not client.ping():
        raise ConnectionError("the search engine did not answer")
    return {"backend": type(backend).__name__}


CHECKS: dict[str, tuple[Callable[[], dict[str, Any]], bool]] = {
    "database": (check_database, True),
    "cache": (check_cache, False),
    "broker": (check_broker, False),
    "search": (check_search, False),
}


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers."""
    return JsonResponse({"status": "ok"})


def run_checks() -> dict[str, dict[str, Any]]:
    """Each part's state and latency (also shown in the admin's system status panel)."""
    return {name: _timed(check, required) for name, (check, required) in CHECKS.items()}


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Each part's state and latency; 503 while a required part is down."""
    checks = run_checks()
    if any(c["required"] and c["state"] == DOWN for c in checks.values()):
        status = "down"
    elif any(c["state"] == DOWN for c in checks.values()):
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse({"status": status, "checks": checks}, status=503 if status == "down" else 200)
