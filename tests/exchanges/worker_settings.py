"""Settings of the Celery worker the exchanges' real-service test starts: those of the
digests' worker (tests/subscriptions/worker_settings.py), and a broker that hands a
dead worker's unacknowledged task to the next worker after seconds, not the hour of
production (cooperation_hub/settings.py), so that the test sees the redelivery."""

from tests.subscriptions.worker_settings import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 4,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
