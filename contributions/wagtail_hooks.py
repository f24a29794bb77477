from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from cooperation_hub.admin_permissions import ReadOnlyPolicy

from . import admin_views
from .models import (
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationSuggestedTag,
    Contribution,
    ContributionTag,
    Reply,
    ReplyNotification,
)


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [path("moderation/", admin_views.queue, name="contributions_moderation")]


class ModerationMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_moderate(request.user)


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return ModerationMenuItem(_("Moderation"), reverse("contributions_moderation"), icon_name="warning", order=250)


register_permission_policy(Reply, ReadOnlyPolicy(Reply))


register_permission_policy(ReplyNotification, ReadOnlyPolicy(ReplyNotification))


class ReplyEmailIndexView(IndexView):
    page_title = _("Reply e-mails")

    def get_base_queryset(self):
        # A row exists only when an author was to be told: a reply to oneself queues nothing.
        return super().get_base_queryset().select_related("reply__contribution", "reply__author")


class ReplyEmailViewSet(ModelViewSet):
    """Whether each author was told about a reply; a failed e-mail keeps the mail server's answer."""

    model = ReplyNotification
    index_view_class = ReplyEmailIndexView
    icon = "mail"
    menu_label = _("Reply e-mails")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["reply", "claimed_at", "state", "attempts", "last_error", "sent_at"]
    list_filter = ["state"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["state"]


@hooks.register("register_admin_viewset")
def register_reply_email_viewset():
    return ReplyEmailViewSet("reply_emails")


@hooks.register("hub_navigation")
def navigation_entry():
    # The header's "consultations" link (cooperation_hub/context_processors.py).
    return ("consultations", ConsultationIndexPage)


@hooks.register("hub_public_tag_ids")
def public_consultation_tag_ids():
    # Tags suggested by consultations visible to the public (cooperation_hub/visibility.public_tags).
    return ConsultationSuggestedTag.objects.filter(
        content_object__in=ConsultationPage.objects.visible_to_public()
    ).values("tag_id")


@hooks.register("hub_public_tag_ids")
def public_contribution_tag_ids():
    # Tags of published contributions on those consultations.
    return ContributionTag.objects.filter(content_object__in=Contribution.objects.visible_to_public()).values("tag_id")
