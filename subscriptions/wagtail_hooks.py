"""Subscriptions and digest deliveries in the Wagtail admin, read-only.

Operators see every delivery and its state (a failed one with its last error)
without being able to forge or edit the ledger."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from cooperation_hub.admin_permissions import ReadOnlyPolicy

from .models import DigestDelivery, Subscription

register_permission_policy(Subscription, ReadOnlyPolicy(Subscription))
register_permission_policy(DigestDelivery, ReadOnlyPolicy(DigestDelivery))


class SubscriptionViewSet(ModelViewSet):
    model = Subscription
    icon = "mail"
    menu_label = _("Subscriptions")
    list_display = ["email", "state_label", "frequency", "language", "city", "created_at", "confirmed_at", "paused_at"]
    list_filter = ["frequency", "language"]
    search_fields = ["email"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["email"]


class DigestDeliveryViewSet(ModelViewSet):
    model = DigestDelivery
    icon = "history"
    menu_label = _("Digest deliveries")
    list_display = ["subscription", "frequency", "period_start", "period_end", "state", "attempts", "last_error", "sent_at"]
    list_filter = ["state", "frequency"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["state"]


class DigestGroup(ViewSetGroup):
    menu_label = _("Digests")
    menu_icon = "mail"
    menu_order = 600
    items = (SubscriptionViewSet("digest_subscriptions"), DigestDeliveryViewSet("digest_deliveries"))


@hooks.register("register_admin_viewset")
def register_digest_viewsets():
    return DigestGroup()
