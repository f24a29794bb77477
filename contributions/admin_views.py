"""The moderation queue in the Wagtail admin: reported and hidden
contributions, hide / restore / dismiss with a reason, and the audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import actions
from .forms import ModerationForm
from .models import Contribution, ModerationAction, Report

MODERATE_PERMISSION = "contributions.change_contribution"


def can_moderate(user) -> bool:
    return user.is_active and user.has_perm(MODERATE_PERMISSION)


def queue(request: HttpRequest) -> HttpResponse:
    if not can_moderate(request.user):
        raise PermissionDenied
    errors: dict[int, str] = {}
    forms: dict[int, ModerationForm] = {}
    status = 200
    if request.method == "POST":
        contribution = get_object_or_404(Contribution, pk=request.POST.get("contribution"))
        form = ModerationForm(request.POST)
        operation = {
            "hide": actions.hide_contribution,
            "restore": actions.restore_contribution,
            "dismiss": actions.dismiss_reports,
        }.get(request.POST.get("operation", ""))
        if operation and form.is_valid():
            try:
                operation(request.user, contribution, form.cleaned_data["reason"])
            except actions.Refused as refused:
                errors[contribution.pk] = refused.message
            else:
                messages.success(request, _("“%(title)s”: done, and written in the audit trail.") % {
                    "title": contribution.title
                })
                return redirect(request.get_full_path())
        else:
            errors[contribution.pk] = _("Give a reason (at least 5 characters): it is kept in the audit trail.")
        forms[contribution.pk] = form
        status = 400

    show = request.GET.get("show", "reported")
    open_reports = Q(reports__resolved_at__isnull=True)
    items = Contribution.objects.select_related("author", "consultation").annotate(
        open_reports=Count("reports", filter=open_reports, distinct=True),
        last_report=Max("reports__created_at"),
    )
    if show == "hidden":
        items = items.filter(state=Contribution.State.HIDDEN).order_by("-updated_at")
    else:
        show = "reported"
        items = items.filter(open_reports__gt=0).order_by("-last_report")
    items = items.prefetch_related(
        Prefetch("reports", queryset=Report.objects.filter(resolved_at__isnull=True).select_related("reporter"),
                 to_attr="pending_reports")
    )[:100]
    rows = [{"item": c, "form": forms.get(c.pk) or ModerationForm(), "error": errors.get(c.pk)} for c in items]
    trail = ModerationAction.objects.select_related("moderator", "contribution")[:50]
    context = {
        "rows": rows,
        "show": show,
        "trail": trail,
        "header_title": _("Moderation"),
        "page_title": _("Moderation"),
        "header_icon": "warning",
        "reported_count": Contribution.objects.filter(reports__resolved_at__isnull=True).distinct().count(),
    }
    return TemplateResponse(request, "contributions/admin/moderation_queue.html", context, status=status)
