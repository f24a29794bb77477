"""The privacy page, a member's data download and the erasure of their account."""

from __future__ import annotations

import json

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cooperation_hub.models import AuthenticatedHttpRequest
from subscriptions import retention, tokens

from . import privacy
from .forms import EraseAccountForm


def privacy_page(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "accounts/privacy.html",
        {
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
            "subscription_retention_days": retention.retention_days(),
            "confirm_days": tokens.confirm_days(),
            "session_days": settings.SESSION_COOKIE_AGE // 86400,
        },
    )


@never_cache
@login_required
def download_data(request: HttpRequest) -> HttpResponse:
    data = privacy.export_member_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="cooperation-hub-my-data.json"'
    return response


def _erased_message(erasure: privacy.Erasure) -> str:
    message = _(
        "Your account is deleted and you are signed out. Your e-mail address, name, city and "
        "organisation are erased, with your preferences and digest subscriptions."
    )
    contributions = ngettext("%(n)d contribution", "%(n)d contributions", erasure.contributions) % {
        "n": erasure.contributions
    }
    replies = ngettext("%(n)d reply", "%(n)d replies", erasure.replies) % {"n": erasure.replies}
    if erasure.contributions and erasure.replies:
        kept = _("Your %(contributions)s and %(replies)s stay in the consultations under “Former participant”.") % {
            "contributions": contributions,
            "replies": replies,
        }
    elif erasure.contributions or erasure.replies:
        kept = _("Your %(items)s stay in the consultations under “Former participant”.") % {
            "items": contributions if erasure.contributions else replies
        }
    else:
        return message
    return f"{message} {kept}"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def erase_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form, status = EraseAccountForm(user=user), 200
    if request.method == "POST":
        form = EraseAccountForm(request.POST, user=user)
        if not ratelimit.consume(request, action="reauthenticate", user=user):
            form.is_valid()  # keeps the bound form's other errors
            form.add_error(None, _("Too many attempts: please wait a minute before trying again."))
            status = 429
        elif form.is_valid():
            erasure = privacy.erase_member(user)
            logout(request)
            messages.success(request, _erased_message(erasure))
            return redirect("wagtail_serve", "")  # the home page, in the language being read
        else:
            status = 400
    context = {
        "form": form,
        "download_url": reverse("accounts:download_data"),
        "contribution_count": user.contributions.count(),
        "reply_count": user.replies.count(),
    }
    return TemplateResponse(request, "accounts/erase_account.html", context, status=status)
