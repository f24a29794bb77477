"""The subscription rules as plain functions: subscribe, confirm, update, leave, pause."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from cooperation_hub.background import enqueue_on_commit

from .emails import CONFIRM, MANAGE
from .models import Subscription

PREFERENCE_FIELDS = (
    "tags", "regions", "countries", "consultations", "city", "frequency", "language", "nothing_new_note",
)


def apply_preferences(subscription: Subscription, preferences: dict) -> None:
    """Store the chosen preferences (the subscription must already be saved)."""
    for name in PREFERENCE_FIELDS:
        if name in preferences:
            setattr(subscription, name, preferences[name])
    subscription.save()
    if "themes" in preferences:
        subscription.themes.set(preferences["themes"])
    if "sdgs" in preferences:
        subscription.sdgs.set(preferences["sdgs"])


def _owns_verified_address(user, email: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def subscribe(email: str, preferences: dict, *, user=None, language: str = "fr") -> tuple[Subscription, str]:
    """Record a subscription request and queue the one e-mail it triggers.

    The caller's response must not depend on the result: for a new or
    unconfirmed address the e-mail is a confirmation link; for an address
    already subscribed it is a link to manage the subscription (its
    preferences are left untouched: only the address owner may change them).
    Returns (subscription, kind of e-mail sent)."""
    from .tasks import send_subscription_email

    email = email.strip().lower()
    with transaction.atomic():
        try:
            with transaction.atomic():
                subscription, created = Subscription.objects.get_or_create(
                    email=email, defaults={"language": preferences.get("language", language)}
                )
        except IntegrityError:  # a concurrent request created it first
            subscription, created = Subscription.objects.get(email=email), False
        already_active = bool(subscription.confirmed_at and not subscription.unsubscribed_at) and not created
        if already_active:
            kind = MANAGE
        else:
            subscription.confirmed_at = None
            subscription.unsubscribed_at = None
            apply_preferences(subscription, preferences)
            kind = CONFIRM
            if _owns_verified_address(user, email):
                # The account already proved it owns the address: no second opt-in.
                subscription.confirmed_at = timezone.now()
                kind = MANAGE
        if user is not None and getattr(user, "is_authenticated", False) and _owns_verified_address(user, email):
            subscription.user = user
        subscription.save()
        enqueue_on_commit(send_subscription_email, subscription.pk, kind, language)
    return subscription, kind


def confirm(subscription: Subscription) -> bool:
    """Use the double opt-in link; True the first time."""
    if subscription.confirmed_at and not subscription.unsubscribed_at:
        return False
    subscription.confirmed_at = timezone.now()
    subscription.unsubscribed_at = None
    subscription.save(update_fields=["confirmed_at", "unsubscribed_at"])
    return True


def unsubscribe(subscription: Subscription) -> None:
    if not subscription.unsubscribed_at:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])


def pause(subscription: Subscription, reason: str) -> None:
    subscription.paused_at = timezone.now()
    subscription.pause_reason = reason[:200]
    subscription.save(update_fields=["paused_at", "pause_reason"])


def resume(subscription: Subscription) -> None:
    subscription.paused_at = None
    subscription.pause_reason = ""
    subscription.save(update_fields=["paused_at", "pause_reason"])


def pause_address(email: str, reason: str) -> int:
    """Pause every active subscription of an address (bounces, complaints)."""
    return Subscription.objects.filter(email=email.strip().lower(), paused_at__isnull=True).update(
        paused_at=timezone.now(), pause_reason=reason[:200]
    )
