"""Access to the real services a test needs, and what happens when one is missing.

Locally a missing service skips its tests with the reason; under CI=true it
fails them, so a green CI run always means the service-backed tests ran.
"""

import os
import socket
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
