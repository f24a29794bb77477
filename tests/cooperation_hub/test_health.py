"""/healthz and /readyz: what a load balancer asks before sending readers (issue #16)."""

import pytest
from celery import Celery
from django.db import OperationalError, connection

from cooperation_hub import health
from cooperation_hub.celery import app as celery_app

NOWHERE = "redis://127.0.0.1:9/0"  # the discard port: nothing listens on it here


def test_healthz_answers_without_asking_anything(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_reports_every_part_up_with_what_serves_it(client, db, settings):
    response = client.get("/readyz")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "search"}
    for name, check in body["checks"].items():
        assert check["state"] == "up", (name, check)
        assert isinstance(check["latency_ms"], float) and check["latency_ms"] >= 0
    assert body["checks"]["database"]["required"] is True
    assert body["checks"]["database"]["backend"] == connection.vendor  # sqlite on the embedded default
    embedded = not settings.REDIS_URL
    if embedded:
        assert body["checks"]["cache"]["backend"] == "FileBasedCache"
    if "database" in settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]:
        assert body["checks"]["search"]["backend"] == "database"
    assert not any(c["required"] for n, c in body["checks"].items() if n != "database")


def test_readyz_is_not_under_a_language_prefix_nor_cached(client, db):
    assert client.get("/fr/readyz", follow=True).status_code == 404
    first, second = client.get("/readyz"), client.get("/readyz")
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second


def test_a_database_outage_answers_503_with_the_reason(client, db, monkeypatch):
    class Down:
        vendor = "postgresql"

        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Down())
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["database"]["state"] == "down"
    assert "connection refused" in body["checks"]["database"]["error"]
    assert body["checks"]["cache"]["state"] == "up"


def test_a_cache_or_broker_outage_is_degraded_not_down(client, db, settings, monkeypatch):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "cooperation_hub.cache.FailOpenRedisCache",
            "LOCATION": NOWHERE,
            "OPTIONS": {"socket_connect_timeout": 1},
        },
    }
    down = Celery("broker-down", broker=NOWHERE, set_as_current=False)
    down.conf.broker_connection_timeout = 1
    monkeypatch.setattr(celery_app, "connection_for_write", down.connection_for_write)
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"]["state"] == "down" and body["checks"]["broker"]["state"] == "down"
    assert body["checks"]["database"]["state"] == "up"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_probes_only_read(client, method):
    assert getattr(client, method)("/readyz").status_code == 405
