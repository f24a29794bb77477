"""A newcomer's `make run` printed "WARNING kombu.connection: No hostname was supplied. Reverting
to default 'localhost'" in the middle of load_demo's output, and the worker's log twice (issue #15):
the embedded filesystem broker needs no host, and nothing was wrong."""

import logging

import pytest
from django.conf import settings
from kombu import Connection


def test_the_embedded_broker_connects_without_a_warning(caplog):
    if not settings.CELERY_BROKER_URL.startswith("filesystem:"):
        pytest.skip("the services' broker (Redis) is configured")
    connection = Connection(settings.CELERY_BROKER_URL, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    with caplog.at_level(logging.WARNING, logger="kombu"):
        info = connection.info()
    assert info["transport"] == "filesystem"
    assert not [r for r in caplog.records if "hostname" in r.getMessage()]
