"""Digest and subscription settings are read when used, not when a module is
imported: ``override_settings`` (and a worker's own settings) reach them."""

import re
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import signing
from django.test import override_settings

from subscriptions import tasks, tokens

from .helpers import subscriber

pytestmark = pytest.mark.django_db
T0 = datetime(2031, 3, 10, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))


def test_the_batch_size_setting_splits_the_due_subscribers():
    for _ in range(5):
        subscriber(confirmed_at=T0 - timedelta(days=2), frequency="daily")
    with override_settings(DIGEST_BATCH_SIZE=2):
        summary = tasks.send_due_digests.delay("daily", now=T0.isoformat()).get()
    assert (summary["subscriptions"], summary["batches"]) == (5, 3)


def test_the_confirmation_link_lifetime_setting_expires_links(client, monkeypatch):
    sub = subscriber(confirmed_at=None)
    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() - 2 * 86400)  # the link was sent two days ago
    path = re.sub(r"^https?://[^/]+", "", tokens.confirm_url(sub))
    monkeypatch.setattr(signing.time, "time", real)
    with override_settings(SUBSCRIPTION_CONFIRM_DAYS=1):
        response = client.get(path)
    assert response.status_code == 410 and "This link has expired" in response.content.decode()
    with override_settings(SUBSCRIPTION_CONFIRM_DAYS=3):
        assert client.get(path).status_code == 200  # the same link, within a longer lifetime


def test_links_in_emails_follow_site_url():
    sub = subscriber(language="fr")
    with override_settings(SITE_URL="https://hub.example.net"):
        assert tokens.manage_url(sub).startswith("https://hub.example.net/fr/subscriptions/manage/")
        assert tokens.unsubscribe_url(sub, "en").startswith("https://hub.example.net/en/subscriptions/unsubscribe/")
