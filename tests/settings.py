"""Settings for the test suite: the project's own, with test-only defaults for
what a developer's environment would otherwise provide."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-" + "k" * 40)
os.environ.setdefault("HUB_VAR_DIR", str(ROOT / "var" / "test"))
# Never the indexes of a site run on the same engine (`make run` with OpenSearch uses "hub").
os.environ.setdefault("SEARCH_INDEX_PREFIX", "hubtest")


def _isolate_xdist_worker(worker: str) -> None:
    """Under pytest-xdist (`make test` runs two processes) each process gets its own
    var directory (file cache, outbox), Redis database and search index prefix:
    a test clearing the cache or an index must never empty the other process's.
    Written to the environment, so the Celery workers and servers a test starts
    inherit the same isolation: they also inherit PYTEST_XDIST_WORKER, so the
    environment is marked as isolated and never shifted twice (a worker would
    otherwise listen on another Redis database than the test that feeds it).
    pytest-django already gives each its own database."""
    if os.environ.get("HUB_ISOLATED_FOR") == worker:
        return
    os.environ["HUB_ISOLATED_FOR"] = worker
    number = int(worker.removeprefix("gw") or 0)
    os.environ["HUB_VAR_DIR"] = f"{os.environ['HUB_VAR_DIR'].rstrip('/')}-{worker}"
    os.environ["SEARCH_INDEX_PREFIX"] = f"{os.environ.get('SEARCH_INDEX_PREFIX', 'hub').rstrip('_')}{worker}"
    if redis_url := os.environ.get("REDIS_URL"):
        base, _, database = redis_url.rpartition("/")
        if database.isdigit():
            os.environ["REDIS_URL"] = f"{base}/{int(database) + 1 + number}"


if worker := os.environ.get("PYTEST_XDIST_WORKER"):
    _isolate_xdist_worker(worker)
# Tasks run inline unless a test starts a real worker (see tests/services.py).
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")

from cooperation_hub.settings import *  # noqa: E402, F403

# No collectstatic before tests: serve the source files.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

# Tasks run inline here: a refresh of the kept answers after every publication would be paid by
# every test that publishes; tests/cooperation_hub/test_kept_answers_refresh.py turns it on.
KEPT_ANSWERS_REFRESH = False

# Django's test client sends "Host: testserver"; production settings do not allow it.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405

# Signing in is part of many tests: a fast hasher instead of PBKDF2's
# deliberate slowness (production keeps Django's default).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The site's SQLite transactions take the write lock when they begin (cooperation_hub/settings.py).
# The in-memory test database, which a live server's threads share, answers that with "database
# table is locked": the tests run without it, and test_sqlite_concurrency checks the site's own
# value on a file, as the site and its worker use it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    SITE_SQLITE_TRANSACTION_MODE = DATABASES["default"]["OPTIONS"].pop("transaction_mode", None)  # noqa: F405

# django-debug-toolbar is for development only (DJANGO_DEBUG=1): it would rewrite every page's HTML.
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "debug_toolbar"]  # noqa: F405
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("debug_toolbar.")]  # noqa: F405
