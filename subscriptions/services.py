"""The subscription rules as plain functions: subscribe, confirm, update, leave, pause."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from cooperation_hub.background import enqueue_on_commit

from .models import Subscription
from .tokens import CONFIRM, MANAGE

PREFERENCE_FIELDS = (
    "tags",
    "regions",
    "countries",
    "consultations",
    "city",
    "frequency",
    "language",
    "nothing_new_note",
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


def subscribe(email: str, preferences: dict, *, user=None, language: str = "fr") -> tuple[Subscription, str | None]:
    """Record a subscription request and queue the one e-mail it triggers.

    The caller's response must not depend on the result: for a new or
    unconfirmed address the e-mail is a confirmation link; for an address
    already subscribed it is a link to manage the subscription (its
    preferences are left untouched: only the address owner may change them).

    Nobody's inbox is flooded through this form: an address gets at most one
    confirmation link waiting per period, and a few e-mails of this kind per
    period in all (``contributions.ratelimit`` limits "subscribe_confirm" and
    "subscribe_address"). A request over those limits changes nothing.
    Returns (subscription, kind of e-mail sent), kind None when nothing was
    sent for that reason."""
    from contributions import ratelimit

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
        owns_address = _owns_verified_address(user, email)
        kind = MANAGE if already_active or owns_address else CONFIRM
        if not ratelimit.allow_key("subscribe_address", email) or (
            kind == CONFIRM and not ratelimit.allow_key("subscribe_confirm", email)
        ):
            return subscription, None
        if not already_active:
            if not created:
                # A new opt-in starts: the retention period of an unconfirmed
                # request counts from now (retention.py), not from the first one.
                subscription.created_at = timezone.now()
            subscription.confirmed_at = None
            subscription.unsubscribed_at = None
            apply_preferences(subscription, preferences)
            if owns_address:
                # The account already proved it owns the address: no second opt-in.
                subscription.confirmed_at = timezone.now()
        if owns_address:
            subscription.user = user
        subscription.save()
        enqueue_on_commit(send_subscription_email, subscription.pk, kind, language)
    return subscription, kind


def resubscribe(subscription: Subscription, language: str | None = None) -> str | None:
    """ "Subscribe again" from the manage page of an address that left: a new
    confirmation link, the preferences kept. Returns the kind of e-mail sent."""
    return subscribe(subscription.email, {}, language=language or subscription.language)[1]


def confirm(subscription: Subscription) -> bool:
    """Use the double opt-in link; True the first time."""
    if subscription.confirmed_at and not subscription.unsubscribed_at:
        return False
    subscription.confirmed_at = timezone.now()
    subscription.unsubscribed_at = None
    subscription.save(update_fields=["confirmed_at", "unsubscribed_at"])
    # No confirmation is waiting any more: the next request may send one.
    from contributions import ratelimit

    ratelimit.reset_key("subscribe_confirm", subscription.email)
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


def link_account(subscription: Subscription, user) -> bool:
    """Link the subscription to the signed-in account that confirms or manages it.

    Whoever opens the signed link received at the address and is signed in
    holds both: the subscription then shows up as the account's. An existing
    link is kept. True when a link was made."""
    if user is None or not getattr(user, "is_authenticated", False) or subscription.user_id:
        return False
    subscription.user = user
    subscription.save(update_fields=["user"])
    return True
