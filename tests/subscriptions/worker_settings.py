"""Settings of the Celery worker subprocess started by the service-backed tests:
the test settings, a real broker and SMTP server from the environment, and
short retry delays so that a retried delivery happens within the test."""

from tests.settings import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
DIGEST_RETRY_BACKOFF = 1
DIGEST_RETRY_JITTER = False
DIGEST_MAX_RETRIES = 3
EMAIL_TIMEOUT = 20
