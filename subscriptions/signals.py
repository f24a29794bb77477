"""Bounces and complaints reported by the e-mail provider pause the subscription."""

from anymail.signals import tracking
from django.dispatch import receiver

from . import services

PAUSING_EVENTS = {"bounced", "complained", "rejected"}


@receiver(tracking, dispatch_uid="subscriptions.pause_on_bounce")
def pause_on_bounce(sender, event, esp_name: str, **kwargs) -> None:
    if not isinstance(event.recipient, str):
        return  # a malformed payload (a list, an object): no address to act on
    if event.event_type in PAUSING_EVENTS and event.recipient:
        reason = f"{event.event_type} ({esp_name})"
        if event.reject_reason:
            reason += f": {event.reject_reason}"
        services.pause_address(event.recipient, reason)
    elif event.event_type == "unsubscribed" and event.recipient:
        from .models import Subscription

        for subscription in Subscription.objects.filter(email=event.recipient.strip().lower()):
            services.unsubscribe(subscription)
