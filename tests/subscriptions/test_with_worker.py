"""Digests through a real Celery worker (subprocess) on Redis, into a real SMTP
server on loopback, against PostgreSQL. Skipped locally without the services,
failed in CI (tests/services.py)."""

import re
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from subscriptions import tasks
from subscriptions.models import DigestDelivery, Subscription
from tests.services import require_postgres, require_redis, wait_until

from .helpers import city, publish_experience, subscriber

# serialized_rollback: each test starts from the migrated state (locales, root page)
# even after another transactional test flushed the database; the fixture adds the demo.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.slow,
]

PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2031, 3, 10, 12, 0, tzinfo=PARIS)
B0 = datetime(2031, 3, 10, 7, 0, tzinfo=PARIS)


@pytest.fixture
def services(request):
    """The worker and SMTP server (``worker_services``, tests/conftest.py) on a database holding
    the demo (the ``demo`` fixture), put back first while Celery is still eager (its tasks run
    here, not in the worker)."""
    require_postgres()
    require_redis()
    request.getfixturevalue("demo")
    return request.getfixturevalue("worker_services")


def _all_settled(subs) -> bool:
    rows = DigestDelivery.objects.filter(subscription__in=subs)
    return rows.count() == len(subs) and not rows.filter(state="claimed").exists()


def test_double_opt_in_then_one_digest_each_under_a_repeated_tick(services, client):
    smtp, start_worker = services
    start_worker()
    grenoble = city("Grenoble-W", "FR", 158000)
    publish_experience(
        title="Schools monitor their energy",
        city=grenoble,
        themes=["energy-climate"],
        language="en",
        at=T0 - timedelta(days=1),
    )
    publish_experience(
        title="Les écoles suivent leur énergie",
        city=grenoble,
        themes=["energy-climate"],
        language="fr",
        at=T0 - timedelta(days=1),
    )

    response = client.post("/en/subscribe/", {"email": "optin@example.org", "frequency": "daily", "language": "en"})
    assert response.status_code == 302
    smtp.handler.wait_for(1)
    confirmation = smtp.handler.to("optin@example.org")[0]
    body = confirmation.get_body(("plain",)).get_content()
    link = re.search(r"http://\S+/subscriptions/confirm/\S+/", body).group(0)
    assert client.post(link.split("8000", 1)[1]).status_code == 200
    Subscription.objects.filter(email="optin@example.org").update(confirmed_at=T0 - timedelta(days=2))

    others = [
        subscriber(confirmed_at=T0 - timedelta(days=2), frequency="daily", language=lang) for lang in ["en", "fr"] * 4
    ]
    subs = [Subscription.objects.get(email="optin@example.org"), *others]
    for _tick in range(2):  # beat fires twice for the same period
        tasks.send_due_digests.apply_async(("daily",), {"now": T0.isoformat(), "batch_size": 3}).get(timeout=30)
    wait_until(lambda: _all_settled(subs), what="all digests sent")
    time.sleep(1)  # anything extra would arrive now
    for sub in subs:
        received = smtp.handler.digests_to(sub.email)
        assert len(received) == 1, (sub.email, len(received))
        message = received[0]
        expected = "Schools monitor their energy" if sub.language == "en" else "Les écoles suivent leur énergie"
        assert expected in message.get_body(("plain",)).get_content()
        assert "<table" in message.get_body(("html",)).get_content()
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert smtp.handler.digests_to("optin@example.org")[0]["Subject"] == "Cooperation Hub: 1 new item for you"

    # One-click unsubscribe with the header's URL, as a mail client does it.
    url = re.fullmatch(r"<(http://[^>]+)>", smtp.handler.digests_to("optin@example.org")[0]["List-Unsubscribe"].strip())
    url = url.group(1)
    response = client.post(
        url.split("8000", 1)[1], "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Subscription.objects.get(email="optin@example.org").unsubscribed_at is not None


def test_smtp_refusal_is_retried_with_backoff_by_the_worker(services):
    smtp, start_worker = services
    start_worker()
    sub = subscriber("busy@example.org", confirmed_at=T0 - timedelta(days=2), frequency="daily", nothing_new_note=True)
    smtp.handler.refuse_once.add("busy@example.org")
    tasks.send_due_digests.apply_async(("daily",), {"now": T0.isoformat()}).get(timeout=30)
    wait_until(lambda: _all_settled([sub]), what="the retried digest")
    delivery = DigestDelivery.objects.get(subscription=sub)
    assert delivery.state == "sent" and delivery.attempts == 2
    assert "451" in delivery.last_error
    assert len(smtp.handler.to("busy@example.org")) == 1


def test_worker_killed_mid_batch_then_each_subscriber_gets_exactly_one(services):
    smtp, start_worker = services
    subs = [
        subscriber(confirmed_at=T0 - timedelta(days=2), frequency="daily", nothing_new_note=True) for _ in range(24)
    ]
    smtp.handler.rcpt_delay = 0.25
    first = start_worker()
    tasks.send_due_digests.apply_async(("daily",), {"now": T0.isoformat(), "batch_size": 8}).get(timeout=30)
    smtp.handler.wait_for(5)
    # Kill while the worker is inside an SMTP transaction (between RCPT and DATA).
    smtp.handler.rcpt_started.clear()
    assert smtp.handler.rcpt_started.wait(10)
    first.kill()
    killed_at = len(smtp.handler.messages)
    assert killed_at < len(subs)
    assert DigestDelivery.objects.filter(subscription__in=subs, state="claimed").exists()

    smtp.handler.rcpt_delay = 0
    start_worker()  # takes the batches still queued
    wait_until(
        lambda: DigestDelivery.objects.filter(subscription__in=subs).count() == len(subs), what="the queued batches"
    )
    wait_until(lambda: len(smtp.handler.messages) >= killed_at + 16, what="the surviving worker's two batches")
    time.sleep(2)
    # The next tick re-claims what the dead worker left behind.
    result = tasks.send_due_digests.apply_async(("daily",), {"now": T0.isoformat(), "stale_after_seconds": 2}).get(
        timeout=30
    )
    assert result["recovered"] >= 1
    wait_until(lambda: _all_settled(subs), what="recovered digests")
    time.sleep(1)
    counts = {s.email: len(smtp.handler.to(s.email)) for s in subs}
    assert set(counts.values()) == {1}, counts
    assert set(DigestDelivery.objects.filter(subscription__in=subs).values_list("state", flat=True)) == {"sent"}
