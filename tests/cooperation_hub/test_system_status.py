"""The administrators' system status panel: the parts, the queue, the deferred work and beat (issue #16)."""

from datetime import timedelta

import pytest
from celery import Celery
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.users.models import UserProfile

from cooperation_hub import status
from cooperation_hub.celery import app as celery_app
from cooperation_hub.models import DeferredTask
from cooperation_hub.tasks import beat_tick

NOWHERE = "redis://127.0.0.1:9/0"  # the discard port: nothing listens on it here


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser("status-admin", "status-admin@example.org", "x")
    client.force_login(admin)
    return client


def test_beat_has_no_tick_before_its_first_run_then_ticks_then_is_late(db, settings):
    settings.BEAT_TICK_SECONDS = 60
    assert status.beat_state()["state"] == "never"
    beat_tick()
    now = timezone.now()
    assert status.beat_state(now)["state"] == "ok"
    late = status.beat_state(now + timedelta(minutes=4))
    assert late["state"] == "late" and late["age_seconds"] >= 240


def test_the_queue_length_counts_what_waits_for_a_worker(db):
    queue = "status-panel-test"
    celery_app.send_task("cooperation_hub.beat_tick", queue=queue)
    try:
        (row,) = status.broker_queues([queue])
        assert row["state"] == "up" and row["messages"] == 1
    finally:
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_purge(queue)


def test_a_broker_outage_is_shown_not_raised(db, monkeypatch):
    down = Celery("broker-down", broker=NOWHERE, set_as_current=False)
    down.conf.broker_connection_timeout = 1
    monkeypatch.setattr(celery_app, "connection_for_read", down.connection_for_read)
    (row,) = status.broker_queues()
    assert row["state"] == "down" and row["error"]


def test_the_panel_shows_each_part_the_deferred_work_and_beat(admin_client):
    DeferredTask.objects.create(task_name="subscriptions.send_confirmation", args=[1])
    beat_tick()
    user = get_user_model().objects.get(username="status-admin")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    response = admin_client.get("/admin/system-status/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    for part in ("Database", "Cache", "Task broker", "Search engine"):
        assert part in page
    assert "Tasks kept while the broker was down" in page
    assert "ticking" in page and "last tick" in page
    assert "Queue “celery”" in page


def test_the_panel_speaks_french_to_a_french_administrator(admin_client):
    response = admin_client.get("/admin/system-status/")  # the admin's default language
    page = response.content.decode()
    assert "État du système" in page and "Base de données" in page and "aucun battement" in page


def test_the_panel_is_listed_in_settings_for_administrators_only(admin_client, client, db):
    assert "/admin/system-status/" in admin_client.get("/admin/").content.decode()
    editor = get_user_model().objects.create_user("status-editor", "status-editor@example.org", "x", is_staff=True)
    from django.contrib.auth.models import Group

    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get("/admin/system-status/").status_code in (302, 403)
    assert "/admin/system-status/" not in client.get("/admin/").content.decode()
