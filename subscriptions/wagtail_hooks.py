"""Subscriptions and digest deliveries in the Wagtail admin, read-only.

Operators see every delivery and its state (a failed one with its last error)
without being able to forge or edit the ledger. One write is allowed: erasing
a subscriber who asks for it (GDPR), with the record of their digests."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton
from wagtail.permissions import register_permission_policy

from cooperation_hub.admin_permissions import ReadOnlyPolicy

from . import retention
from .models import DigestDelivery, Subscription

logger = logging.getLogger(__name__)

register_permission_policy(Subscription, ReadOnlyPolicy(Subscription))
register_permission_policy(DigestDelivery, ReadOnlyPolicy(DigestDelivery))


# The ledgers stay read-only; erasing a subscriber on request (GDPR) is a
# separate, explicit action for those allowed to delete subscriptions.
ERASE_PERMISSION = "subscriptions.delete_subscription"


def can_erase(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm(ERASE_PERMISSION))


def erase_subscriber(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then erase a subscription and its delivery ledger."""
    if not can_erase(request.user):
        raise PermissionDenied
    subscription = get_object_or_404(Subscription, pk=pk)
    if request.method == "POST":
        retention.erase(subscription)
        # The log names the row, not the address: the address is what was erased.
        logger.info("subscription %s erased on request by user %s", pk, request.user.pk)
        messages.success(request, gettext("The subscriber is erased, with the record of their digests."))
        return redirect("digest_subscriptions:index")
    return TemplateResponse(
        request,
        "subscriptions/admin/erase_subscriber.html",
        {
            "subscription": subscription,
            "delivery_count": subscription.deliveries.count(),
            "page_title": gettext("Erase a subscriber"),
            "header_title": gettext("Erase a subscriber"),
            "header_icon": "bin",
        },
    )


class SubscriptionIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if can_erase(self.request.user):
            buttons.append(
                ListingButton(
                    gettext("Erase (on request)"),
                    url=reverse("digest_subscriptions:erase", args=[instance.pk]),
                    icon_name="bin",
                    priority=50,
                )
            )
        return buttons


class SubscriptionViewSet(ModelViewSet):
    model = Subscription
    index_view_class = SubscriptionIndexView
    icon = "mail"
    menu_label = _("Subscriptions")
    list_display = ["email", "state_label", "frequency", "language", "city", "created_at", "confirmed_at", "paused_at"]
    list_filter = ["frequency", "language"]
    search_fields = ["email"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["email"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("erase/<int:pk>/", erase_subscriber, name="erase")]


class DigestDeliveryViewSet(ModelViewSet):
    model = DigestDelivery
    icon = "history"
    menu_label = _("Digest deliveries")
    list_display = [
        "subscription",
        "frequency",
        "period_start",
        "period_end",
        "state",
        "attempts",
        "last_error",
        "sent_at",
    ]
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


@hooks.register("refresh_kept_answers")
def refresh_peer_corpus() -> None:
    """After a publication (cooperation_hub/page_cache.py ``refresh_soon``): the facts the peers pages
    compare, worked out by the worker before a reader asks."""
    from . import matching

    matching.kept_corpus()
