"""How long a subscriber's personal data is kept, and erasing it on request.

An address that left (unsubscribed) or never confirmed has no reason to stay:
beat runs ``purge_expired`` daily (settings.CELERY_BEAT_SCHEDULE) and deletes
those rows once ``SUBSCRIPTION_RETENTION_DAYS`` have passed. Deleting a
subscription deletes its digest-delivery ledger with it (CASCADE): the ledger
names the subscription, and a failed delivery keeps the mail server's answer,
which often quotes the address. The privacy page states the same periods.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import tokens
from .models import Subscription


def retention_days() -> int:
    """Days an unsubscribed or never-confirmed subscription is kept."""
    return int(getattr(settings, "SUBSCRIPTION_RETENTION_DAYS", 30))


def _unconfirmed_days() -> int:
    # Never before its confirmation link expires: the link must still work.
    return max(retention_days(), tokens.confirm_days())


def expired(now: datetime | None = None):
    """The subscriptions past their retention period."""
    now = now or timezone.now()
    left = Q(unsubscribed_at__lt=now - timedelta(days=retention_days()))
    # created_at is reset whenever a new opt-in starts (services.subscribe).
    never_confirmed = Q(
        confirmed_at__isnull=True,
        unsubscribed_at__isnull=True,
        created_at__lt=now - timedelta(days=_unconfirmed_days()),
    )
    return Subscription.objects.filter(left | never_confirmed)


def purge_expired(now: datetime | None = None) -> int:
    """Delete the expired subscriptions (and their delivery ledgers); returns how many."""
    with transaction.atomic():
        ids = list(expired(now).values_list("pk", flat=True))
        Subscription.objects.filter(pk__in=ids).delete()
    return len(ids)


def erase(subscription: Subscription) -> None:
    """Erase a subscriber on request: the subscription and its delivery ledger."""
    Subscription.objects.filter(pk=subscription.pk).delete()


def linked_to(emails: Iterable[str], user=None):
    """The subscriptions of these addresses, or linked to ``user``."""
    linked = Q(email__in={e.strip().lower() for e in emails if e})
    if user is not None:
        linked |= Q(user=user)
    return Subscription.objects.filter(linked)


def erase_addresses(emails: Iterable[str], user=None) -> int:
    """Erase every subscription of these addresses, or linked to ``user``; returns how many."""
    with transaction.atomic():
        ids = list(linked_to(emails, user).values_list("pk", flat=True))
        Subscription.objects.filter(pk__in=ids).delete()
    return len(ids)
