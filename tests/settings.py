"""Settings for the test suite: the project's own, with test-only defaults for
what a developer's environment would otherwise provide."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-" + "k" * 40)
os.environ.setdefault("HUB_VAR_DIR", str(ROOT / "var" / "test"))
# Tasks run inline unless a test starts a real worker (see tests/services.py).
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")

from cooperation_hub.settings import *  # noqa: E402, F403

# No collectstatic before tests: serve the source files.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

# Django's test client sends "Host: testserver"; production settings do not allow it.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405

# Signing in is part of many tests: a fast hasher instead of PBKDF2's
# deliberate slowness (production keeps Django's default).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
