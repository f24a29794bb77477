"""Signed links and the subscription pages: double opt-in, preferences, unsubscribe."""

import re
import time

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.test import Client

from subscriptions import tokens
from subscriptions.models import Subscription

from .helpers import subscriber

pytestmark = pytest.mark.django_db


def _links(body: str) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+", body)


def test_token_round_trip_and_purpose_separation():
    sub = subscriber("alice@example.org")
    token = tokens.make_token(sub, tokens.MANAGE)
    assert tokens.read_token(token, tokens.MANAGE) == sub
    with pytest.raises(tokens.TokenError):
        tokens.read_token(token, tokens.UNSUBSCRIBE)  # another purpose's salt
    with pytest.raises(tokens.TokenError):
        tokens.read_token(("x" if token[0] != "x" else "y") + token[1:], tokens.MANAGE)


def test_token_cannot_be_replayed_against_another_subscriber():
    alice = subscriber("alice2@example.org")
    token = tokens.make_token(alice, tokens.UNSUBSCRIBE)
    # Alice's row now belongs to another address: the old token must not act on it.
    alice.email = "mallory@example.org"
    alice.save()
    with pytest.raises(tokens.TokenError):
        tokens.read_token(token, tokens.UNSUBSCRIBE)


def test_expired_confirmation_link_gets_a_clear_410(client, monkeypatch):
    sub = subscriber("late@example.org", confirmed_at=None)
    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() - 30 * 86400)
    token = tokens.make_token(sub, tokens.CONFIRM)
    monkeypatch.setattr(signing.time, "time", real)
    response = client.get(f"/en/subscriptions/confirm/{token}/")
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    response = client.get(f"/fr/subscriptions/confirm/{token}/")
    assert "Ce lien a expiré" in response.content.decode()


@pytest.mark.parametrize("kind", ["confirm", "manage", "unsubscribe"])
def test_tampered_links_get_a_clear_400(client, kind):
    response = client.get(f"/en/subscriptions/{kind}/not-a-real-token:abc:def/")
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    response = client.post(f"/en/subscriptions/{kind}/not-a-real-token:abc:def/")
    assert response.status_code == 400


def _subscribe(client, email: str, lang: str = "en", **extra) -> object:
    data = {"email": email, "frequency": "weekly", "language": lang, "themes": [], **extra}
    return client.post(f"/{lang}/subscribe/", data)


def test_double_opt_in_and_address_never_revealed(client, mailoutbox, django_capture_on_commit_callbacks):
    assert client.get("/en/subscribe/").status_code == 200
    assert client.get("/fr/subscribe/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        first = _subscribe(client, "New.Reader@Example.org", regions=["south"], countries="sn, vn")
    assert first.status_code == 302
    sub = Subscription.objects.get(email="new.reader@example.org")
    assert sub.confirmed_at is None and sub.regions == ["south"] and sub.countries == ["SN", "VN"]
    assert len(mailoutbox) == 1
    confirm_link = next(link for link in _links(mailoutbox[0].body) if "/subscriptions/confirm/" in link)
    assert confirm_link.startswith("http")

    # Nothing is sent before confirmation: the subscription is not active.
    assert not Subscription.objects.active().filter(pk=sub.pk).exists()

    # A GET (e.g. a mail scanner) does not confirm; the button's POST does.
    path = confirm_link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
    sub.refresh_from_db()
    assert sub.confirmed_at is None
    assert client.post("/" + path).status_code == 200
    sub.refresh_from_db()
    assert sub.confirmed_at is not None

    # Subscribing again with the known address: same response, one e-mail, no change.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = _subscribe(client, "new.reader@example.org", regions=["north"])
        unknown = _subscribe(client, "someone.else@example.org")
    assert again.status_code == unknown.status_code == 302
    assert again["Location"] == unknown["Location"]
    assert client.get(again["Location"]).content == client.get(unknown["Location"]).content
    assert sorted(m.to[0] for m in mailoutbox) == ["new.reader@example.org", "someone.else@example.org"]
    known_mail = next(m for m in mailoutbox if m.to[0] == "new.reader@example.org")
    assert "/subscriptions/manage/" in known_mail.body
    sub.refresh_from_db()
    assert sub.regions == ["south"]  # a stranger cannot change someone's preferences


def test_invalid_country_is_reported(client):
    response = _subscribe(client, "x@example.org", countries="FR, ZZ")
    assert response.status_code == 400
    assert "ZZ" in response.content.decode()


def _described_by(page, element) -> str:
    return " ".join(page.find(id=i).get_text(" ", strip=True) for i in element["aria-describedby"].split())


def test_errors_are_read_out_with_their_field(client):
    """A screen reader on the invalid field hears why: the message is its description."""
    response = _subscribe(client, "x@example.org", countries="FR, ZZ", frequency="hourly")
    page = BeautifulSoup(response.content, "html.parser")
    countries = page.find("select", attrs={"name": "countries"})
    assert countries["aria-invalid"] == "true" and "ZZ" in _described_by(page, countries)
    frequency = page.find("input", attrs={"name": "frequency"}).find_parent("fieldset")
    assert frequency["aria-invalid"] == "true" and "hourly" in _described_by(page, frequency)


def test_manage_preferences(client):
    sub = subscriber("prefs@example.org", frequency="weekly", language="en")
    url = f"/fr/subscriptions/manage/{tokens.make_token(sub, tokens.MANAGE)}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Gérer votre abonnement" in page.content.decode()
    response = client.post(
        url,
        {
            "frequency": "monthly",
            "language": "fr",
            "themes": ["1", "2"],
            "tags": "Compost, happiness index",
            "nothing_new_note": "on",
        },
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert (sub.frequency, sub.language, sub.nothing_new_note) == ("monthly", "fr", True)
    assert sub.tags == ["compost", "happiness index"]
    assert sub.themes.count() == 2


def test_unsubscribe_get_confirms_and_one_click_post_needs_no_csrf():
    sub = subscriber("bye@example.org")
    url = f"/en/subscriptions/unsubscribe/{tokens.make_token(sub, tokens.UNSUBSCRIBE)}/"
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200 and "Unsubscribe" in page.content.decode()
    sub.refresh_from_db()
    assert sub.unsubscribed_at is None  # GET never unsubscribes
    response = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    sub.refresh_from_db()
    assert sub.unsubscribed_at is not None
    assert not Subscription.objects.active().filter(pk=sub.pk).exists()


def test_other_forms_keep_csrf_protection():
    sub = subscriber("csrf@example.org")
    client = Client(enforce_csrf_checks=True)
    url = f"/en/subscriptions/manage/{tokens.make_token(sub, tokens.MANAGE)}/"
    assert client.post(url, {"frequency": "daily", "language": "en"}).status_code == 403


def test_subscribing_from_an_account_with_a_verified_address(client, mailoutbox, django_capture_on_commit_callbacks):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("city-officer", "officer@city.example", "pw-" + "x" * 12)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    assert 'value="officer@city.example"' in client.get("/en/subscribe/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _subscribe(client, "officer@city.example")
    assert response.status_code == 302
    sub = Subscription.objects.get(email="officer@city.example")
    assert sub.user == user and sub.confirmed_at is not None  # the account already proved the address
    assert len(mailoutbox) == 1 and "/subscriptions/manage/" in mailoutbox[0].body
    # Another address from the same account still needs the double opt-in.
    with django_capture_on_commit_callbacks(execute=True):
        _subscribe(client, "someone@elsewhere.example")
    other = Subscription.objects.get(email="someone@elsewhere.example")
    assert other.confirmed_at is None and other.user is None


def test_anymail_webhooks_are_mounted():
    from django.urls import reverse

    assert reverse("anymail:postmark_tracking_webhook") == "/anymail/postmark/tracking/"
