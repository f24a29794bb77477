"""Subscribers' personal data is not kept longer than it serves: unsubscribed
and never-confirmed subscriptions are purged after SUBSCRIPTION_RETENTION_DAYS
by a daily beat task, and an administrator can erase a subscriber on request."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from subscriptions import retention, services, tasks
from subscriptions.models import DigestDelivery, Subscription

from .helpers import subscriber

pytestmark = pytest.mark.django_db


def _ago(days: float):
    return timezone.now() - timedelta(days=days)


def _delivery(sub: Subscription, error: str = "") -> DigestDelivery:
    start = _ago(8)
    return DigestDelivery.objects.create(
        subscription=sub,
        frequency="weekly",
        period_start=start,
        period_end=start + timedelta(days=7),
        state="sent",
        last_error=error,
    )


@pytest.fixture
def mixed(db, settings):
    settings.SUBSCRIPTION_RETENTION_DAYS = 30
    rows = {
        "active_for_years": subscriber("active@example.org", confirmed_at=_ago(900), created_at=_ago(900)),
        "paused_long_ago": subscriber(
            "paused@example.org",
            confirmed_at=_ago(400),
            created_at=_ago(400),
            paused_at=_ago(300),
            pause_reason="bounce",
        ),
        "left_recently": subscriber(
            "left-recently@example.org", confirmed_at=_ago(100), created_at=_ago(100), unsubscribed_at=_ago(10)
        ),
        "left_long_ago": subscriber(
            "left-long-ago@example.org", confirmed_at=_ago(100), created_at=_ago(100), unsubscribed_at=_ago(31)
        ),
        "waiting_for_confirmation": subscriber("waiting@example.org", confirmed_at=None, created_at=_ago(2)),
        "never_confirmed": subscriber("never@example.org", confirmed_at=None, created_at=_ago(31)),
    }
    _delivery(rows["left_long_ago"], error="550 left-long-ago@example.org: mailbox unavailable")
    _delivery(rows["active_for_years"])
    return rows


def test_the_purge_removes_only_expired_unconfirmed_and_unsubscribed_rows(mixed):
    assert retention.purge_expired() == 2
    kept = set(Subscription.objects.values_list("email", flat=True))
    assert kept == {"active@example.org", "paused@example.org", "left-recently@example.org", "waiting@example.org"}
    # The delivery ledger of a purged subscription goes with it, the mail server's answer included.
    assert not DigestDelivery.objects.filter(last_error__contains="left-long-ago@example.org").exists()
    assert DigestDelivery.objects.filter(subscription=mixed["active_for_years"]).exists()
    assert retention.purge_expired() == 0  # nothing left to purge


def test_the_retention_period_comes_from_the_settings(mixed, settings):
    settings.SUBSCRIPTION_RETENTION_DAYS = 5
    retention.purge_expired()
    assert not Subscription.objects.filter(email="left-recently@example.org").exists()
    # Never before the confirmation link expires, whatever the setting.
    assert Subscription.objects.filter(email="waiting@example.org").exists()
    settings.SUBSCRIPTION_RETENTION_DAYS = 1
    retention.purge_expired()
    assert Subscription.objects.filter(email="waiting@example.org").exists()


def test_subscribing_again_restarts_the_clock(mixed):
    old = mixed["left_long_ago"]
    services.subscribe(old.email, {"frequency": "weekly"}, language="en")
    retention.purge_expired()
    old.refresh_from_db()
    assert old.unsubscribed_at is None and old.confirmed_at is None  # a fresh opt-in, not purged


def test_beat_runs_the_purge_every_day(mixed):
    entry = settings.CELERY_BEAT_SCHEDULE["purge-expired-subscriptions"]
    assert entry["task"] == tasks.purge_expired_subscriptions.name
    assert tasks.purge_expired_subscriptions.delay().get() == 2  # eager in the tests
    assert Subscription.objects.count() == 4


# --- Erasing a subscriber on request, in the Wagtail admin -----------------------------
@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser(
        username="dpo", email="dpo@example.org", password="a-long-test-password-42"
    )


def test_an_administrator_erases_a_subscriber_and_their_ledger(client, mixed, admin_user):
    sub = mixed["active_for_years"]
    client.force_login(admin_user)
    listing = client.get(reverse("digest_subscriptions:index")).content.decode()
    url = reverse("digest_subscriptions:erase", args=[sub.pk])
    assert url in listing
    confirm = client.get(url)
    assert confirm.status_code == 200 and "active@example.org" in confirm.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert not Subscription.objects.filter(email="active@example.org").exists()
    assert not DigestDelivery.objects.filter(subscription_id=sub.pk).exists()
    assert Subscription.objects.count() == 5  # nobody else


def test_only_those_allowed_to_delete_subscriptions_may_erase(client, mixed, admin_user):
    staff = get_user_model().objects.create_user(
        username="editor", email="editor@example.org", password="a-long-test-password-42", is_staff=True
    )
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    url = reverse("digest_subscriptions:erase", args=[mixed["active_for_years"].pk])
    assert client.post(url).status_code in (302, 403)
    assert Subscription.objects.filter(email="active@example.org").exists()
