"""Wagtail hooks of the site as a whole."""

from django.http import Http404, HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .visibility import document_visible_to


@hooks.register("before_serve_document")
def serve_only_documents_of_visible_pages(document, request: HttpRequest):
    """/documents/<id>/<file> answers 404 for a document no page the reader may see links
    to (uploaded for a draft, or used only on a private page whose password the reader
    has not given): as if it did not exist, like the draft page itself."""
    if not document_visible_to(document, request):
        raise Http404("No such document")


@hooks.register("register_admin_urls")
def register_system_status_url():
    return [path("system-status/", admin_views.status, name="hub_system_status")]


class SystemStatusMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return admin_views.can_see_status(request.user)


@hooks.register("register_settings_menu_item")
def register_system_status_menu_item() -> MenuItem:
    return SystemStatusMenuItem(_("System status"), reverse("hub_system_status"), icon_name="pick", order=900)
