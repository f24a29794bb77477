"""The moderation queue in the Wagtail admin: reported and hidden
contributions and replies, hide / restore / dismiss with a reason, and the
audit trail."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Count, Max, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import actions
from .forms import ModerationForm
from .models import ConsultationPage, Contribution, ModerationAction, Reply, Report

MODERATE_PERMISSION = "contributions.change_contribution"


def _in_admin_language(items: list[Contribution | Reply]) -> Callable[[Contribution | Reply], dict]:
    """Each item's consultation title and contribution link in the moderator's admin language
    (one query for the whole queue): a contribution written on the English consultation is
    shown to a French moderator under the consultation's French title, and opens there. Without a
    public translation in that language, the consultation's own title and page."""
    contributions = [item.contribution if isinstance(item, Reply) else item for item in items]
    translations = {
        page.translation_key: page
        for page in ConsultationPage.objects.filter(
            translation_key__in={c.consultation.translation_key for c in contributions},
            locale__language_code=get_language(),
        ).visible_to_public()
    }

    def of(item: Contribution | Reply) -> dict:
        contribution = item.contribution if isinstance(item, Reply) else item
        page = translations.get(contribution.consultation.translation_key, contribution.consultation)
        return {"consultation_title": page.title, "link": page.contribution_url(contribution.pk)}

    return of


def can_moderate(user) -> bool:
    return user.is_active and user.has_perm(MODERATE_PERMISSION)


OPERATIONS = {"hide": actions.hide, "restore": actions.restore, "dismiss": actions.dismiss_reports}
OPEN = Q(resolved_at__isnull=True)


def _pk(value: str | None) -> int:
    """A posted id; a missing or malformed one is a bad request (400), not a 500."""
    try:
        pk = int(value or "")
    except ValueError:
        raise BadRequest("The form names no contribution or reply.") from None
    if not 0 < pk < 2**63:
        raise BadRequest("The form names no contribution or reply.")
    return pk


def _target(post) -> Contribution | Reply:
    """What a queue form acts on: a reply when it names one, else a contribution."""
    if post.get("reply"):
        return get_object_or_404(Reply.objects.select_related("contribution"), pk=_pk(post.get("reply")))
    return get_object_or_404(Contribution, pk=_pk(post.get("contribution")))


def _key(target: Contribution | Reply) -> str:
    return f"r{target.pk}" if isinstance(target, Reply) else f"c{target.pk}"


def queue(request: HttpRequest) -> HttpResponse:
    if not can_moderate(request.user):
        raise PermissionDenied
    errors: dict[str, str] = {}
    forms: dict[str, ModerationForm] = {}
    status = 200
    if request.method == "POST":
        target = _target(request.POST)
        form = ModerationForm(request.POST)
        operation = OPERATIONS.get(request.POST.get("operation", ""))
        if operation and form.is_valid():
            try:
                operation(request.user, target, form.cleaned_data["reason"])
            except actions.Refused as refused:
                errors[_key(target)] = refused.message
            else:
                title = target.contribution.title if isinstance(target, Reply) else target.title
                messages.success(request, _("“%(title)s”: done, and written in the audit trail.") % {"title": title})
                return redirect(request.get_full_path())
        else:
            errors[_key(target)] = _("Give a reason (at least 5 characters): it is kept in the audit trail.")
        forms[_key(target)] = form
        status = 400

    show = request.GET.get("show", "reported")
    contribution_reports = Q(reports__resolved_at__isnull=True, reports__reply__isnull=True)
    contributions = Contribution.objects.select_related("author", "consultation").annotate(
        open_reports=Count("reports", filter=contribution_reports, distinct=True),
        last_report=Max("reports__created_at", filter=contribution_reports),
    )
    replies = Reply.objects.select_related("author", "contribution__consultation").annotate(
        open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True), distinct=True),
        last_report=Max("reports__created_at", filter=Q(reports__resolved_at__isnull=True)),
    )
    if show == "hidden":
        contributions = contributions.filter(state=Contribution.State.HIDDEN).order_by("-updated_at")
        replies = replies.filter(state=Contribution.State.HIDDEN).order_by("-created_at")
    else:
        show = "reported"
        contributions = contributions.filter(open_reports__gt=0).order_by("-last_report")
        replies = replies.filter(open_reports__gt=0).order_by("-last_report")
    contributions = contributions.prefetch_related(
        Prefetch(
            "reports",
            queryset=Report.objects.filter(OPEN, reply__isnull=True).select_related("reporter"),
            to_attr="pending_reports",
        )
    )[:100]
    replies = replies.prefetch_related(
        Prefetch("reports", queryset=Report.objects.filter(OPEN).select_related("reporter"), to_attr="pending_reports")
    )[:100]
    items: list[Contribution | Reply] = [*contributions, *replies]
    in_admin_language = _in_admin_language(items)
    rows = [
        {
            "item": item,
            "key": _key(item),
            "is_reply": isinstance(item, Reply),
            "form": forms.get(_key(item)) or ModerationForm(),
            "error": errors.get(_key(item)),
            **in_admin_language(item),
        }
        for item in items
    ]
    trail = ModerationAction.objects.select_related("moderator", "contribution", "reply")[:50]
    reported = Report.objects.filter(OPEN)
    context = {
        "rows": rows,
        "show": show,
        "trail": trail,
        "header_title": _("Moderation"),
        "page_title": _("Moderation"),
        "header_icon": "warning",
        "reported_count": (
            reported.filter(reply__isnull=True).values("contribution").distinct().count()
            + reported.filter(reply__isnull=False).values("reply").distinct().count()
        ),
    }
    return TemplateResponse(request, "contributions/admin/moderation_queue.html", context, status=status)
