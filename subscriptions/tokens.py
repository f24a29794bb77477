"""Signed links for confirming, managing and leaving a subscription.

Each purpose has its own salt, so a manage token cannot be used to confirm and
vice versa. A token carries the subscription id and a digest of its address:
it cannot be replayed against another subscriber, and it stops working if the
address changes. The address itself never appears in the link. Once the
address unsubscribes, its old confirmation links stop working: coming back
takes a new request and the fresh link it sends.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing

from cooperation_hub.sites import absolute_reverse

from .models import Subscription

# A link's purpose, and also the kind of e-mail that carries it (emails.py):
CONFIRM = "confirm"  # first subscription, or not yet confirmed: the double opt-in link
MANAGE = "manage"  # address already subscribed: a link to manage, nothing revealed on the page
UNSUBSCRIBE = "unsubscribe"
DIGEST = "digest"  # the web version of one digest

# Links in old digests keep working for a long time (RFC 8058 expects the
# unsubscribe link to work for as long as the message may be read).
LONG_LIVED = timedelta(days=400)


def confirm_days() -> int:
    """How long a confirmation link works (SUBSCRIPTION_CONFIRM_DAYS, read at call time)."""
    return int(getattr(settings, "SUBSCRIPTION_CONFIRM_DAYS", 7))


def max_age(purpose: str) -> timedelta:
    if purpose == CONFIRM:
        return timedelta(days=confirm_days())
    if purpose in (MANAGE, UNSUBSCRIBE, DIGEST):
        return LONG_LIVED
    raise KeyError(purpose)


class TokenError(Exception):
    """A link that cannot be honoured; ``expired`` and ``superseded`` tell
    which page to show."""

    def __init__(self, expired: bool = False, superseded: bool = False):
        super().__init__("expired" if expired else "superseded" if superseded else "invalid")
        self.expired = expired
        self.superseded = superseded


@dataclass(frozen=True)
class _Signer:
    purpose: str

    @property
    def signer(self) -> signing.TimestampSigner:
        return signing.TimestampSigner(salt=f"subscriptions.{self.purpose}")


def _address_digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def make_token(subscription: Subscription, purpose: str) -> str:
    payload = {"s": subscription.pk, "a": _address_digest(subscription.email)}
    return _Signer(purpose).signer.sign_object(payload, compress=True)


def read_token(token: str, purpose: str) -> Subscription:
    """The subscription a token was issued for, or TokenError."""
    try:
        payload = _Signer(purpose).signer.unsign_object(token, max_age=max_age(purpose))
    except signing.SignatureExpired as exc:
        raise TokenError(expired=True) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise TokenError() from exc
    if not isinstance(payload, dict):
        raise TokenError()
    pk = payload.get("s")
    subscription = Subscription.objects.filter(pk=pk).first() if pk is not None else None
    if subscription is None or _address_digest(subscription.email) != payload.get("a"):
        raise TokenError()
    if purpose == CONFIRM and subscription.unsubscribed_at is not None:
        # Every confirmation link was sent before the address left: a new
        # request (services.subscribe) sends a fresh one and only then
        # reopens the subscription.
        raise TokenError(superseded=True)
    return subscription


def _link(viewname: str, token: str, language: str) -> str:
    return absolute_reverse(viewname, language=language, kwargs={"token": token})


def confirm_url(subscription: Subscription, language: str | None = None) -> str:
    return _link("subscriptions:confirm", make_token(subscription, CONFIRM), language or subscription.language)


def manage_url(subscription: Subscription, language: str | None = None) -> str:
    return _link("subscriptions:manage", make_token(subscription, MANAGE), language or subscription.language)


def unsubscribe_url(subscription: Subscription, language: str | None = None) -> str:
    return _link("subscriptions:unsubscribe", make_token(subscription, UNSUBSCRIBE), language or subscription.language)


def digest_token(subscription: Subscription, start: datetime, end: datetime) -> str:
    """A link to one digest: the subscription and the period it covers (exact instants, UTC)."""
    payload = {
        "s": subscription.pk,
        "a": _address_digest(subscription.email),
        "p": [start.astimezone(UTC).isoformat(), end.astimezone(UTC).isoformat()],
    }
    return _Signer(DIGEST).signer.sign_object(payload, compress=True)


def read_digest_token(token: str) -> tuple[Subscription, datetime, datetime]:
    """The subscription and period of a web-version link, or TokenError."""
    subscription = read_token(token, DIGEST)
    payload = _Signer(DIGEST).signer.unsign_object(token)  # already verified above
    try:
        start, end = (datetime.fromisoformat(t) for t in payload["p"])
        if start.tzinfo is None or end.tzinfo is None or not start < end:
            raise ValueError("not a period")
    except (KeyError, TypeError, ValueError) as exc:
        raise TokenError() from exc
    return subscription, start, end


def digest_url(subscription: Subscription, start: datetime, end: datetime) -> str:
    return _link("subscriptions:digest_web", digest_token(subscription, start, end), subscription.language)
