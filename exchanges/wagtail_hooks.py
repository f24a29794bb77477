"""The admin's side of exchanges: linking members to cities (verified), the
moderators' reports, blocked requesters and the e-mails' ledger; and the links
older apps show without importing this one (the digests' peer links)."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from cooperation_hub.admin_permissions import ReadOnlyPolicy

from . import admin_views
from .models import CityContact, ExchangeBlock, ExchangeNotification, ExchangeReport

register_permission_policy(ExchangeNotification, ReadOnlyPolicy(ExchangeNotification))


def _record_verifier(request, instance) -> None:
    # Who vouched for the link, kept with the date (the model sets the date).
    if isinstance(instance, CityContact) and instance.verified and instance.verified_by_id is None:
        CityContact.objects.filter(pk=instance.pk).update(
            verified_by=request.user, verified_at=instance.verified_at or timezone.now()
        )


class CityContactCreateView(CreateView):
    def save_instance(self):
        instance = super().save_instance()
        _record_verifier(self.request, instance)
        return instance


class CityContactEditView(EditView):
    def save_instance(self):
        instance = super().save_instance()
        _record_verifier(self.request, instance)
        return instance


class CityContactViewSet(ModelViewSet):
    """Who answers exchange requests for a city: only an administrator links a member to it."""

    model = CityContact
    add_view_class = CityContactCreateView
    edit_view_class = CityContactEditView
    icon = "user"
    menu_label = _("City contacts")
    list_display = ["member", "city", "role", "verified", "verified_by", "verified_at"]
    list_filter = ["verified", "city"]
    copy_view_enabled = False
    form_fields = ["city", "member", "role", "verified"]


class ExchangeReportViewSet(ModelViewSet):
    """Exchanges reported by a participant: the moderators look and mark them resolved."""

    model = ExchangeReport
    icon = "warning"
    menu_label = _("Reported exchanges")
    list_display = ["request", "reason", "created_at", "resolved_at"]
    list_filter = ["resolved_at"]
    inspect_view_enabled = True
    copy_view_enabled = False
    add_view_enabled = False
    form_fields = ["resolved_at"]


class ExchangeBlockViewSet(ModelViewSet):
    model = ExchangeBlock
    icon = "cross"
    menu_label = _("Blocked requesters")
    list_display = ["member", "city", "blocked_by", "created_at"]
    copy_view_enabled = False
    form_fields = ["city", "member"]


class ExchangeEmailViewSet(ModelViewSet):
    """Whether each participant was told about each step; a failed e-mail keeps the server's answer."""

    model = ExchangeNotification
    icon = "mail"
    menu_label = _("Exchange e-mails")
    list_display = ["request", "event", "recipient", "state", "attempts", "last_error", "sent_at"]
    list_filter = ["state", "event"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["state"]


class ExchangeGroup(ViewSetGroup):
    menu_label = _("Exchanges")
    menu_icon = "group"
    menu_order = 610
    items = (
        CityContactViewSet("city_contacts"),
        ExchangeReportViewSet("exchange_reports"),
        ExchangeBlockViewSet("exchange_blocks"),
        ExchangeEmailViewSet("exchange_emails"),
    )


@hooks.register("register_admin_viewset")
def register_exchange_viewsets():
    return ExchangeGroup()


@hooks.register("register_admin_urls")
def register_dashboard_urls():
    return [
        path("network-dashboard/", admin_views.dashboard, name="exchanges_dashboard"),
        path("network-dashboard/figures.csv", admin_views.dashboard_csv, name="exchanges_dashboard_csv"),
    ]


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_see_dashboard(request.user)


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return DashboardMenuItem(_("Network dashboard"), reverse("exchanges_dashboard"), icon_name="table", order=605)


@hooks.register("subscriptions_peer_action")
def propose_exchange_link(requesting_city_id: int | None, peer_city_id: int, language: str) -> tuple[str, str]:
    """Beside each peer of a digest: (label, signed link to the prefilled form)."""
    from django.utils import translation

    from .tokens import propose_url

    with translation.override(language):
        return str(_("Propose an exchange")), propose_url(peer_city_id, requesting_city_id, language)


@hooks.register("hub_member_data")
def member_exchanges(user) -> tuple[str, dict]:
    from .privacy import export_member_exchanges

    return "exchanges", export_member_exchanges(user)


@hooks.register("hub_member_erasure")
def erase_member_exchanges(user, placeholder) -> None:
    from .privacy import erase_member_exchanges as erase

    erase(user, placeholder)


@hooks.register("partnerships_city_contacts")
def verified_city_contacts(city):
    """Who answers for a city in partnerships (outcomes, confirmations, edit rights): its verified
    contacts, as a queryset of users. ``city`` may be an expression (``OuterRef("city_id")``): the
    partnerships app asks for every city of every partnership in one query."""
    from .rules import city_contacts

    return city_contacts(city)
