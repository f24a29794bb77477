"""Signed links for confirming, managing and leaving a subscription.

Each purpose has its own salt, so a manage token cannot be used to confirm and
vice versa. A token carries the subscription id and a digest of its address:
it cannot be replayed against another subscriber, and it stops working if the
address changes. The address itself never appears in the link.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing

from .models import Subscription

CONFIRM = "confirm"
MANAGE = "manage"
UNSUBSCRIBE = "unsubscribe"

MAX_AGE: dict[str, timedelta] = {
    CONFIRM: timedelta(days=getattr(settings, "SUBSCRIPTION_CONFIRM_DAYS", 7)),
    # Links in old digests keep working for a long time (RFC 8058 expects the
    # unsubscribe link to work for as long as the message may be read).
    MANAGE: timedelta(days=400),
    UNSUBSCRIBE: timedelta(days=400),
}


class TokenError(Exception):
    """A link that cannot be honoured; ``expired`` tells which page to show."""

    def __init__(self, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


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
        payload = _Signer(purpose).signer.unsign_object(token, max_age=MAX_AGE[purpose])
    except signing.SignatureExpired as exc:
        raise TokenError(expired=True) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise TokenError() from exc
    if not isinstance(payload, dict):
        raise TokenError()
    subscription = Subscription.objects.filter(pk=payload.get("s")).first()
    if subscription is None or _address_digest(subscription.email) != payload.get("a"):
        raise TokenError()
    return subscription


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def confirm_url(subscription: Subscription, language: str | None = None) -> str:
    return absolute(f"/{language or subscription.language}/subscriptions/confirm/{make_token(subscription, CONFIRM)}/")


def manage_url(subscription: Subscription, language: str | None = None) -> str:
    return absolute(f"/{language or subscription.language}/subscriptions/manage/{make_token(subscription, MANAGE)}/")


def unsubscribe_url(subscription: Subscription, language: str | None = None) -> str:
    lang = language or subscription.language
    return absolute(f"/{lang}/subscriptions/unsubscribe/{make_token(subscription, UNSUBSCRIBE)}/")
