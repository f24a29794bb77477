"""The administrators' system status panel (Settings → System status)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .status import system_status


def can_see_status(user) -> bool:
    return bool(user.is_active and user.is_superuser)


def status(request: HttpRequest) -> HttpResponse:
    if not can_see_status(request.user):
        raise PermissionDenied
    context = {"page_title": _("System status"), "header_icon": "pick", **system_status()}
    response = render(request, "cooperation_hub/admin/system_status.html", context)
    response["Cache-Control"] = "no-store"
    return response
