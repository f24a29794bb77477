"""The provider's bounce webhooks: nobody can pause or unsubscribe an address
without the webhook secret, and production refuses to deploy without one."""

import base64
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from subscriptions.models import Subscription

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
SECRET = "hub:" + "s" * 24


def _bounces(addresses: list[str]) -> bytes:
    """Postmark's bounce event for the first address (one event per POST)."""
    return json.dumps(
        {
            "RecordType": "Bounce",
            "Type": "HardBounce",
            "TypeCode": 1,
            "Email": addresses[0],
            "MessageID": "m1",
            "ID": 1,
            "BouncedAt": "2026-11-29T10:00:00Z",
            "Description": "forged",
        }
    ).encode()


def _auth(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def _post_bounce(client, email: str, **extra):
    return client.post("/anymail/postmark/tracking/", _bounces([email]), content_type="application/json", **extra)


@pytest.fixture
def subscriber(demo):
    from django.utils import timezone

    return Subscription.objects.create(email="reader@cahors.example", confirmed_at=timezone.now())


@pytest.mark.parametrize(
    "path",
    [
        "/anymail/postmark/tracking/",
        "/anymail/mailgun/tracking/",
        "/anymail/sendgrid/tracking/",
        "/anymail/brevo/tracking/",
    ],
)
def test_without_a_secret_the_webhooks_are_not_there(client, subscriber, settings, path):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": ""}
    response = client.post(path, _bounces([subscriber.email]), content_type="application/json")
    assert response.status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.is_active


def test_without_a_secret_a_forged_bounce_pauses_nobody(client, subscriber, settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": ""}
    for kind in ("tracking", "inbound"):
        client.post(f"/anymail/postmark/{kind}/", _bounces([subscriber.email]), content_type="application/json")
    subscriber.refresh_from_db()
    assert subscriber.is_active and subscriber.unsubscribed_at is None


def test_with_a_secret_a_caller_without_it_is_refused(client, subscriber, settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET}
    assert _post_bounce(client, subscriber.email).status_code in (400, 401, 403)
    assert _post_bounce(client, subscriber.email, **_auth("hub:wrong-password-123456")).status_code in (400, 401, 403)
    subscriber.refresh_from_db()
    assert subscriber.is_active


def test_with_the_secret_the_provider_pauses_a_bouncing_address(client, subscriber, settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET}
    assert _post_bounce(client, subscriber.email, **_auth(SECRET)).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.paused_at is not None and not subscriber.is_active


def _deploy_check(tmp_path, **extra_env) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ANYMAIL_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "cooperation_hub.settings", "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_HSTS_SECONDS": "31536000", "DJANGO_SSL_REDIRECT": "1", "HUB_VAR_DIR": str(tmp_path), **extra_env,
    })  # fmt: skip
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("secret", ["", "nopassword", "hub:short"])
def test_deployment_checks_fail_without_a_strong_webhook_secret(tmp_path, secret):
    result = _deploy_check(tmp_path, ANYMAIL_WEBHOOK_SECRET=secret)
    assert result.returncode != 0
    assert "ANYMAIL_WEBHOOK_SECRET" in result.stdout + result.stderr
