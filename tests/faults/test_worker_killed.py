"""A Celery worker SIGKILLed in the middle of sending digests."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from .stack import wait_until

pytestmark = [pytest.mark.faults, pytest.mark.slow]

READERS = 16


def _readers(site) -> list[str]:
    """Confirmed daily subscribers who want an e-mail even when nothing is new."""
    rows = site.sql(
        "INSERT INTO subscriptions_subscription (email, tags, regions, countries, consultations, frequency, "
        "language, nothing_new_note, created_at, confirmed_at, pause_reason) "
        "SELECT 'killed' || n || '@faults.example', '[]', '[]', '[]', '[]', 'daily', 'fr', true, now(), now(), '' "
        "FROM generate_series(1, %s) AS n RETURNING email",
        READERS,
    )
    return [email for (email,) in rows]


def _delivered(site, emails, state: str) -> int:
    return site.count(
        "SELECT count(*) FROM subscriptions_digestdelivery d JOIN subscriptions_subscription s "
        "ON s.id = d.subscription_id WHERE s.email = ANY(%s) AND d.state = %s",
        emails,
        state,
    )


def test_no_subscriber_gets_two_digests_or_none_when_a_worker_is_killed_mid_digest(healthy):
    stack, site, smtp = healthy, healthy.site, healthy.smtp
    emails = _readers(site)
    received = lambda: sum(len(smtp.handler.digests_to(e)) for e in emails)  # noqa: E731
    smtp.handler.rcpt_delay = 0.3
    now = timezone.now() + timedelta(days=1)

    stack.digest_tick(now, batch_size=4)
    wait_until(lambda: received() >= 2, timeout=60, what="the first digests")
    smtp.handler.rcpt_started.clear()
    assert smtp.handler.rcpt_started.wait(10)
    stack.worker.kill()  # between RCPT and DATA: that digest was not accepted
    killed_after = received()
    left_claimed = _delivered(site, emails, "claimed")
    assert killed_after < READERS and left_claimed >= 1

    smtp.handler.rcpt_delay = 0
    restarted_at = time.monotonic()
    stack.start_worker()  # takes the batches still queued
    wait_until(
        lambda: _delivered(site, emails, "sent") + _delivered(site, emails, "claimed") == READERS,
        timeout=60,
        what="the queued batches",
    )
    # The catch-up tick (every 15 minutes under beat) re-claims what the dead worker held.
    time.sleep(2)
    summary = stack.digest_tick(now, stale_after_seconds=1)
    wait_until(lambda: _delivered(site, emails, "sent") == READERS, timeout=60, what="every digest sent")
    time.sleep(2)  # a duplicate would arrive now
    counts = {e: len(smtp.handler.digests_to(e)) for e in emails}
    assert set(counts.values()) == {1}, counts

    stack.record(
        "celery worker killed mid-digest",
        subscribers=READERS,
        sent_before_kill=killed_after,
        claims_left_by_dead_worker=left_claimed,
        recovered_by_catch_up_tick=summary["recovered"],
        duplicates=sum(c - 1 for c in counts.values() if c > 1),
        forgotten=sum(c == 0 for c in counts.values()),
        all_sent_after_restart_s=round(time.monotonic() - restarted_at, 1),
    )
