"""Access to the real services a test needs, and what happens when one is missing.

Locally a missing service skips its tests with the reason; under CI=true it
fails them, so a green CI run always means the service-backed tests ran.
"""

import contextlib
import os
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# `make test`'s second pass re-runs the tests that matter on the embedded default
# on purpose: there a service-backed test has already run in the first pass.
EMBEDDED_PASS = os.environ.get("HUB_EMBEDDED_PASS", "") == "1"


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port), timeout=2):
            return True
    except OSError:
        return False


def require(name: str, env_var: str, expected_scheme: tuple[str, ...] | None = None) -> str:
    """The URL of a configured, reachable service, or skip/fail the test."""
    url = os.environ.get(env_var, "")
    problem = None
    if not url:
        problem = f"{name} is not configured ({env_var} is not set; see scripts/services.sh)"
    elif expected_scheme and not url.startswith(expected_scheme):
        problem = f"{env_var} does not point at {name}: {url}"
    elif not _reachable(url):
        problem = f"{name} does not answer at {url}"
    if problem:
        if IN_CI and not EMBEDDED_PASS:
            pytest.fail(f"CI needs {name}: {problem}")
        pytest.skip(problem)
    return url


def require_postgres() -> str:
    return require("PostgreSQL", "DATABASE_URL", ("postgres",))


def drop_database(admin: Any, name: str) -> None:
    """``DROP DATABASE … WITH (FORCE)`` as the unprivileged ``hub`` role, on an open autocommit
    connection. FORCE refuses to end an autovacuum worker's session in that database ("must be a
    member of the role whose process is being terminated": the worker has no role), and one often
    runs after a test filled the database; it ends within moments, so the drop is tried again."""
    import psycopg

    for attempt in range(50):
        try:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.errors.InsufficientPrivilege:
            if attempt == 49:
                raise
            time.sleep(0.2)


def require_redis() -> str:
    return require("Redis", "REDIS_URL", ("redis",))


def require_search_engine() -> str:
    url = require("OpenSearch/Elasticsearch", "SEARCH_URL", ("http",))
    if not os.environ.get("SEARCH_ENGINE"):
        problem = "SEARCH_ENGINE is not set (opensearch or elasticsearch)"
        if IN_CI and not EMBEDDED_PASS:
            pytest.fail(problem)
        pytest.skip(problem)
    return url


@contextlib.contextmanager
def worker_and_smtp(log_dir: Path, env: dict[str, str] | None = None) -> Iterator[tuple[Any, Callable[[], Any]]]:
    """A real SMTP server on loopback and a way to start real Celery workers against it (on Redis,
    on the PostgreSQL test database), for the tests that send e-mails through a worker: yields
    ``(smtp, start_worker)``; every worker started is stopped at the end, and Celery goes back
    to eager. ``env`` adds to the worker's environment (its settings module, for instance).
    Skipped without the services (failed in CI); shared through the ``worker_services`` fixture."""
    from cooperation_hub.celery import app
    from tests.subscriptions.smtp import SMTPServer
    from tests.subscriptions.worker import Worker

    require_postgres()
    require_redis()
    app.conf.task_always_eager = False
    workers: list[Worker] = []
    try:
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge("celery")  # nothing left over from another test
        with SMTPServer() as smtp:

            def start_worker() -> Worker:
                worker = Worker(smtp.url, log_dir, env=env)
                workers.append(worker)
                return worker

            try:
                yield smtp, start_worker
            finally:
                for worker in workers:
                    worker.stop()
    finally:
        app.conf.task_always_eager = True


def wait_until(predicate: Callable[[], Any], timeout: float = 60, what: str = "condition") -> None:
    """Poll ``predicate`` (what a worker does happens in another process) until true or ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")
