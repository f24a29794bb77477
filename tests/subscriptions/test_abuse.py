"""The subscription form cannot flood an inbox, and leaving is final until a
fresh confirmation: old links do not bring an address back."""

import re

import pytest
from django.test import Client

from contributions import ratelimit
from subscriptions import tokens
from subscriptions.models import Subscription

pytestmark = pytest.mark.django_db


def _post(client, email, lang="en", **extra):
    data = {"email": email, "frequency": "weekly", "language": lang, "themes": [], **extra}
    return client.post(f"/{lang}/subscribe/", data)


def _link(message, kind: str) -> str:
    url = next(u for u in re.findall(r"https?://[^\s\"<>]+", message.body) if f"/subscriptions/{kind}/" in u)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_fifteen_requests_for_one_address_send_one_email(client, mailoutbox, django_capture_on_commit_callbacks):
    responses = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(15):
            responses.append(_post(client, "flooded@example.org"))
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["flooded@example.org"]
    assert responses[0].status_code == 302
    # Whoever asked again from the same browser is told why nothing new arrives.
    again = responses[1].content.decode()
    assert responses[1].status_code == 200 and "We already sent you a confirmation" in again
    assert Subscription.objects.filter(email="flooded@example.org").count() == 1


def test_a_stranger_asking_for_the_same_address_learns_nothing(mailoutbox, django_capture_on_commit_callbacks):
    first, stranger = Client(), Client()
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(first, "pending@example.org").status_code == 302
        response = _post(stranger, "pending@example.org")
    # Same redirect as for any address; no second message.
    assert response.status_code == 302 and response["Location"].endswith("/subscribe/sent/")
    assert len(mailoutbox) == 1


def test_one_client_cannot_subscribe_address_after_address(
    client, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.CONTRIBUTIONS_RATE_LIMITS = {"subscribe": (1, 3600)}
    allowed = ratelimit.IP_FACTOR  # an anonymous client is counted by its address only
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [_post(client, f"victim{i}@example.org").status_code for i in range(allowed)]
        refused = _post(client, "one.more@example.org", lang="fr")
    assert statuses == [302] * allowed
    assert refused.status_code == 429
    assert "Trop de demandes d’abonnement" in refused.content.decode()
    assert len(mailoutbox) == allowed and not Subscription.objects.filter(email="one.more@example.org").exists()


def test_a_confirmed_address_can_ask_again_for_its_manage_link(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, "reader@example.org")
    client.post(_link(mailoutbox[0], "confirm"))
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, "reader@example.org").status_code == 302
    assert len(mailoutbox) == 2 and "/subscriptions/manage/" in mailoutbox[1].body


def _subscribed_then_unsubscribed(client, mailoutbox, capture, email):
    with capture(execute=True):
        _post(client, email)
    confirm_link = _link(mailoutbox[0], "confirm")
    assert client.post(confirm_link).status_code == 200
    sub = Subscription.objects.get(email=email)
    # The links of a digest it received.
    manage_link = f"/en/subscriptions/manage/{tokens.make_token(sub, tokens.MANAGE)}/"
    unsubscribe_link = f"/en/subscriptions/unsubscribe/{tokens.make_token(sub, tokens.UNSUBSCRIBE)}/"
    assert Client().post(unsubscribe_link).status_code == 200  # RFC 8058 one-click
    sub.refresh_from_db()
    assert sub.unsubscribed_at is not None
    return sub, confirm_link, manage_link


def test_an_old_confirmation_link_does_not_resubscribe(client, mailoutbox, django_capture_on_commit_callbacks):
    sub, confirm_link, _manage = _subscribed_then_unsubscribed(
        client, mailoutbox, django_capture_on_commit_callbacks, "leaver@example.org"
    )
    response = client.post(confirm_link)
    assert response.status_code == 410
    assert "You unsubscribed since this link was sent" in response.content.decode()
    assert client.get(confirm_link).status_code == 410
    sub.refresh_from_db()
    assert sub.unsubscribed_at is not None and not sub.is_active


def test_the_manage_form_of_an_old_digest_does_not_resubscribe(client, mailoutbox, django_capture_on_commit_callbacks):
    sub, _confirm, manage_link = _subscribed_then_unsubscribed(
        client, mailoutbox, django_capture_on_commit_callbacks, "old.digest@example.org"
    )
    page = client.get(manage_link).content.decode()
    assert "Subscribe again" in page
    saved = client.post(manage_link, {"frequency": "daily", "language": "en", "themes": []}, follow=True)
    assert "You are unsubscribed: subscribe again" in saved.content.decode()
    sub.refresh_from_db()
    assert sub.frequency == "daily" and sub.unsubscribed_at is not None and not sub.is_active

    # "Subscribe again" sends a fresh confirmation; only that link brings the address back.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage_link, {"action": "resubscribe"})
    assert len(mailoutbox) == 1
    sub.refresh_from_db()
    assert not sub.is_active
    assert client.post(_link(mailoutbox[0], "confirm")).status_code == 200
    sub.refresh_from_db()
    assert sub.is_active and sub.frequency == "daily"
