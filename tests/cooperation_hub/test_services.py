"""The same code on the real services: PostgreSQL, Redis, OpenSearch — and on
the embedded default with nothing installed."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

from tests.services import require_postgres, require_redis, require_search_engine

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
@pytest.mark.django_db
def test_site_runs_on_postgresql(client):
    require_postgres()
    assert connection.vendor == "postgresql"
    assert client.get("/fr/").status_code == 200


@pytest.mark.redis
def test_cache_and_broker_are_redis():
    url = require_redis()
    from django.conf import settings

    assert settings.CELERY_BROKER_URL == url
    cache.set("hub-test-key", "valeur é", 30)
    assert cache.get("hub-test-key") == "valeur é"


@pytest.mark.opensearch
@pytest.mark.django_db
def test_a_report_published_is_found_by_the_hubs_search_on_the_engine(django_capture_on_commit_callbacks):
    """The hub's whole path on the configured engine: publishing (our signals and
    tasks) indexes the hub's document, and the hub's search answers from the engine."""
    require_search_engine()
    from search.engines.client import engine_backend
    from search.service import run_search
    from tests.subscriptions.helpers import city, publish_experience

    backend = engine_backend()
    assert backend is not None, "SEARCH_ENGINE and SEARCH_URL configure an engine backend"
    with django_capture_on_commit_callbacks(execute=True):
        page = publish_experience(title="Quartzelmoot heat survey", city=city("Béthune", "FR", 25000))
    try:
        backend.refresh_indexes()
        result = run_search({"q": "quartzelmoot"}, "en")
        assert result.backend == "engine"
        assert [(h.external_id, h.title) for h in result.hits] == [(page.external_id, page.title)]
    finally:  # the database rolls back, the index does not
        backend.delete(page)
        backend.refresh_indexes()


@pytest.mark.slow
def test_embedded_default_boots_with_nothing_configured(tmp_path):
    """What `make run` does, on SQLite with no service: migrate, load the demo twice, serve pages."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "SEARCH_", "EMAIL_URL"))
    }
    var = tmp_path / "var"  # does not exist yet, as in a fresh clone
    env.update({"DJANGO_DEBUG": "1", "HUB_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "cooperation_hub.settings"})
    env.pop("DJANGO_SECRET_KEY", None)

    def manage(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    manage("migrate", "--noinput", "-v0")
    first = manage("load_demo")
    second = manage("load_demo")
    assert "Demo admin" in first
    assert "0 created, 0 updated" in second
    assert (var / "db.sqlite3").exists()
    probe = (
        "from django.test import Client; c = Client(HTTP_HOST='127.0.0.1');"
        "print(c.get('/fr/').status_code, c.get('/en/experiences/').status_code, c.get('/fr/search/?q=ecole').status_code)"
    )
    assert manage("shell", "--no-imports", "-c", probe).split() == ["200", "200", "200"]
