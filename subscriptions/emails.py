"""Transactional e-mails of the subscription flow (not the digest itself)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from . import tokens
from .models import Subscription


def build_subscription_email(
    subscription: Subscription, kind: str, language: str | None = None
) -> EmailMultiAlternatives:
    """``kind`` is tokens.CONFIRM (the double opt-in link) or tokens.MANAGE (already subscribed)."""
    language = language or subscription.language
    with translation.override(language):
        context = {
            "subscription": subscription,
            "language": language,
            "site_url": settings.SITE_URL,
            "confirm_url": tokens.confirm_url(subscription, language) if kind == tokens.CONFIRM else "",
            "manage_url": tokens.manage_url(subscription, language),
            "unsubscribe_url": tokens.unsubscribe_url(subscription, language),
            "confirm_days": tokens.confirm_days(),
        }
        subject = " ".join(render_to_string(f"subscriptions/email/{kind}_subject.txt", context).split())
        text = render_to_string(f"subscriptions/email/{kind}.txt", context)
        html = render_to_string(f"subscriptions/email/{kind}.html", context)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [subscription.email], headers={"Auto-Submitted": "auto-generated"}
    )
    message.attach_alternative(html, "text/html")
    return message


def send_subscription_email(subscription_id: int, kind: str, language: str | None = None) -> None:
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return
    build_subscription_email(subscription, kind, language).send()
