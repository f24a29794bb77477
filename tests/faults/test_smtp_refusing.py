"""The mail server refuses every digest, permanently (5xx) or temporarily (4xx)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from .stack import Visitor, page_text, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.slow]

REFUSALS = {
    "permanent@faults.example": "550 5.7.1 Mailbox unavailable",
    "temporary@faults.example": "451 4.3.0 Mailbox busy, try again later",
}


def _subscribe(site, smtp, address: str) -> None:
    """Through the site, as a reader does: the form, then the link in the e-mail."""
    visitor = Visitor(site)
    response = visitor.post("/fr/subscribe/", {"email": address, "frequency": "daily", "language": "fr"})
    assert response.status_code == 302, page_text(response)[-1500:]
    wait_until(lambda: smtp.handler.to(address), timeout=60, what=f"the confirmation e-mail to {address}")
    body = smtp.handler.to(address)[-1].get_body(("plain",)).get_content()
    link = re.search(r"http://\S+/subscriptions/confirm/\S+/", body).group(0)
    assert visitor.post(link.split(site.url, 1)[1], {}).status_code == 200
    # Digests with nothing new are skipped unless asked for: ask, so that each one is an e-mail.
    site.sql("UPDATE subscriptions_subscription SET nothing_new_note = true WHERE email = %s RETURNING id", address)


def _states(site) -> dict[str, tuple[str, int, str]]:
    rows = site.sql(
        "SELECT s.email, d.state, d.attempts, d.last_error FROM subscriptions_digestdelivery d "
        "JOIN subscriptions_subscription s ON s.id = d.subscription_id WHERE s.email = ANY(%s)",
        list(REFUSALS),
    )
    return {email: (state, attempts, error) for email, state, attempts, error in rows}


def test_refused_digests_are_retried_then_shown_failed_in_the_admin_and_sent_with_the_next_digest(healthy):
    stack, site, smtp = healthy, healthy.site, healthy.smtp
    for address in REFUSALS:
        _subscribe(site, smtp, address)
    smtp.handler.refuse_always.update(REFUSALS)
    tomorrow = timezone.now() + timedelta(days=1)

    stack.digest_tick(tomorrow)
    took = wait_until(
        lambda: {s for s, _a, _e in _states(site).values()} == {"failed"} and len(_states(site)) == 2,
        timeout=90,
        what="both deliveries to end in the failed state",
    )
    states = _states(site)
    for address, refusal in REFUSALS.items():
        state, attempts, error = states[address]
        assert attempts > 1, "retried before giving up"
        assert refusal.split()[1] in error  # 5.7.1 / 4.3.0: the server's own words
        assert not smtp.handler.digests_to(address)

    # What an operator sees: Digests › Digest deliveries, filtered on the failed ones.
    operator = Visitor(site).sign_in_admin(site.members["admin"], site.members["admin_password"])
    listing = operator.get("/admin/digest_deliveries/?state=failed")
    assert listing.status_code == 200
    for address, refusal in REFUSALS.items():
        assert address in listing.text and refusal.split()[1] in listing.text

    # The mail server accepts again: the next day's digest covers the failed period too, once.
    smtp.handler.refuse_always.clear()
    stack.digest_tick(tomorrow + timedelta(days=1))
    wait_until(lambda: all(smtp.handler.digests_to(a) for a in REFUSALS), timeout=60, what="the next digests")
    assert {a: len(smtp.handler.digests_to(a)) for a in REFUSALS} == dict.fromkeys(REFUSALS, 1)
    assert {s for s, _a, _e in _states(site).values()} == {"sent"}

    stack.record(
        "smtp refusing every digest (550 and 451)",
        deliveries=len(REFUSALS),
        attempts_before_failed={a: states[a][1] for a in REFUSALS},
        failed_state_reached_after_s=round(took, 1),
        sent_with_next_digest=len(REFUSALS),
    )
