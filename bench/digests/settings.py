"""Settings of the digest benchmark: the project's, on a database of its own."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "b" * 40)
os.environ.setdefault("HUB_VAR_DIR", str(ROOT / "var" / "bench-digests"))
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
# Tasks run inline here: a refresh of the kept answers after each write of the setup would be too.
os.environ.setdefault("KEPT_ANSWERS_REFRESH", "false")

from cooperation_hub.settings import *  # noqa: E402, F403

VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["NAME"] = str(VAR_DIR / "bench.sqlite3")  # noqa: F405
DIGEST_RETRY_BACKOFF = 1
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
