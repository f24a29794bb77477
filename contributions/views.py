"""Views of a consultation's sub-routes (see ConsultationPage) and the profile page.

Every refusal is rendered as the same page with a clear message and the bound
form, so a contributor never loses what they typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import get_template
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from cooperation_hub import page_cache
from cooperation_hub.models import AuthenticatedHttpRequest
from cooperation_hub.process_memo import KEPT_PAGES, kept_by_process, rendered_name
from cooperation_hub.query import page_number

from . import actions, charts, queries, ratelimit, rules
from .forms import ContributionForm, ProfileForm, ReplyForm, ReplyReportForm, ReportForm
from .models import ConsultationPage, Contribution, Reply, Support

PER_PAGE = 10


def _render(request, page: ConsultationPage, template: str, context: dict, status: int = 200) -> TemplateResponse:
    base = page.get_context(request)
    base.update(context)
    return TemplateResponse(request, template, base, status=status)


def _forbidden(request, page: ConsultationPage, message: str, status: int = 403) -> TemplateResponse:
    return _render(request, page, "contributions/refused.html", {"refusal": message}, status=status)


def _refusal_for_bot_or_rate(form, request, action: str) -> tuple[str, int] | None:
    if form.is_bot:
        return _("Your message could not be accepted. If you are a person, please leave the last field empty."), 400
    if not ratelimit.allow(action, request):
        return _("You are going too fast: please wait a few minutes before trying again. Your text is kept below."), 429
    return None


def _submit(
    request: HttpRequest,
    form,
    action: str,
    perform: Callable[[dict], Any],
    replay: Callable[[dict], Any] | None = None,
) -> tuple[Any, int | None]:
    """A member's posted form: bot and rate checks, validation, then ``perform(cleaned_data)``.

    Returns (what ``perform`` returned, None) once done; otherwise (None, the
    status to answer with), the reason added to the form, which keeps the text.
    ``replay(cleaned_data)`` finds what this very form already stored (its answer
    was lost): that is answered again before the rate limit counts a second post.
    """
    if replay is not None and not form.is_bot and form.is_valid():
        done = replay(form.cleaned_data)
        if done is not None:
            return done, None
    refusal = _refusal_for_bot_or_rate(form, request, action)
    if refusal is None and form.is_valid():
        try:
            return perform(form.cleaned_data), None
        except actions.Refused as refused:
            refusal = (refused.message, refused.status)
    if refusal:
        form.add_error(None, refusal[0])
        return None, refusal[1]
    return None, 400


def _get_contribution(page: ConsultationPage, contribution_id: int, request=None) -> Contribution:
    """A contribution of this consultation (any language). Non-published ones
    exist only for their author and moderators."""
    contribution = (
        page.all_contributions().select_related("author", "section", "consultation").filter(pk=contribution_id).first()
    )
    if contribution is None:
        raise Http404
    if not contribution.is_published:
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated and (user.pk == contribution.author_id or user.is_staff)):
            raise Http404
    return contribution


def _permalink(page: ConsultationPage, contribution: Contribution) -> str:
    return page.contribution_url(contribution.pk)


def _on_this_page(page: ConsultationPage, contributions, request: HttpRequest) -> None:
    """Contributions shown on ``page`` speak its language: their section's heading is
    the one of this translation (matched by slug) and their link stays on this page."""
    headings = {section.slug: section.title for section in page.sections.all()}
    base = page.get_url(request)  # once, with the request: the site's root paths are kept on it
    for contribution in contributions:
        contribution.page_url = page.contribution_url(contribution.pk, page_url=base)
        if contribution.section_id:
            contribution.section_label = headings.get(contribution.section.slug, contribution.section.title)


# --- The consultation page: list and contribute ------------------------------
def consultation_listing(request: HttpRequest, page: ConsultationPage) -> HttpResponse:
    form, status = None, 200
    if request.method == "POST":
        form = ContributionForm(request.POST, consultation=page)
        contribution, refused = _submit(
            request,
            form,
            "contribute",
            lambda data: actions.create_contribution(
                request.user,
                page,
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                section=data["section"],
                submission_token=form.token,
            ),
            replay=lambda data: actions.submitted_contribution(
                request.user, page, form.token, title=data["title"], body=data["body"]
            ),
        )
        if refused is None:  # also for a replay: the answer the first post should have had
            messages.success(request, _("Thank you: your contribution is published."))
            return HttpResponseRedirect(_permalink(page, contribution))
        status = refused  # the form again, with the reason
    return _render(request, page, "contributions/consultation_page.html", _listing_context(request, page, form), status)


def _tag_counts(page: ConsultationPage) -> list[tuple[str, str, int]]:
    """``queries.tag_counts``, counted over every published contribution once per change: kept
    until the consultation's next activity (its tag's generation) or the next publication."""
    tag = page_cache.consultation_tag(page.translation_key)
    return page_cache.kept_for_generation(f"consultation-tags:{page.pk}", lambda: queries.tag_counts(page), tag)


def _section_counts(page: ConsultationPage) -> list[tuple[str, str, int]]:
    """``queries.section_counts`` kept the same way (the headings change with a publication)."""
    tag = page_cache.consultation_tag(page.translation_key)
    return page_cache.kept_for_generation(f"consultation-sections:{page.pk}", lambda: queries.section_counts(page), tag)


def _listing_context(request, page: ConsultationPage, form=None) -> dict:
    participation = rules.may_participate(request.user)
    window = rules.can_act(page, rules.Action.CONTRIBUTE)
    if form is None and participation and window:
        form = ContributionForm(consultation=page)
    return {
        "contribution_form": form,
        "participation": participation,
        "window": window,
        "listing": _kept_listing(request, page),
    }


def _kept_listing(request: HttpRequest, page: ConsultationPage) -> str:
    """The contributions' section, rendered once per process for the consultation's activity and
    each sort, tag, section and first page: its cards, counts and facets change only through a
    write that bumps the consultation's generation (contributions/signals.py: a contribution, a
    reply, a support, a moderation, a member's public name). A search in it is worked out each time."""
    params = queries.ListingParams.from_query(request.GET)
    number = page_number(request.GET.get("page"))
    activity = page_cache.generation(page_cache.consultation_tag(page.translation_key))
    if params.q or number > KEPT_PAGES or activity is None:
        return _listing(request, page, params, number)
    name = rendered_name("consultation", request, page.pk, activity, params.sort, params.tag, params.section, number)
    return kept_by_process(name, lambda: _listing(request, page, params, number))


def _listing(request: HttpRequest, page: ConsultationPage, params: queries.ListingParams, number: int) -> str:
    """The contributions' section (contributions/includes/contribution_listing.html): its count,
    filters, a page of cards and the pager, the same for every reader."""
    paginator = Paginator(queries.listing(page, params), PER_PAGE)
    results = paginator.get_page(number)
    _on_this_page(page, results, request)
    context = {
        "request": request,
        "LANGUAGE_CODE": get_language(),  # what the i18n context processor gives a page: the badges compare with it
        "params": params,
        "results": results,
        "sorts": [
            ("newest", pgettext("contributions sort", "Newest")),
            ("supported", _("Most supported")),
            ("discussed", _("Most discussed")),
        ],
        "tags": _tag_counts(page),
        "sections": _section_counts(page),
        # The pager keeps what the listing reads, nothing else.
        "query_string": urlencode(params.in_query()),
        "total": paginator.count,
    }
    return get_template("contributions/includes/contribution_listing.html").render(context)


# --- One contribution ----------------------------------------------------------
def _detail_context(request, page: ConsultationPage, contribution: Contribution, **forms) -> dict:
    user = request.user
    counts = queries.with_counts(page.all_contributions().filter(pk=contribution.pk)).values(
        "support_count", "reply_count"
    )[0]
    participation = rules.may_participate(user)
    window = rules.can_act(contribution.consultation, rules.Action.REPLY)
    can_take_part = bool(participation and window and contribution.is_published)
    _on_this_page(page, [contribution], request)
    replies = list(
        contribution.replies.filter(state=Contribution.State.PUBLISHED)
        .select_related("author")
        .annotate(revision_count=Count("revisions"))
        # Explicit: Django drops a model's default ordering from a grouped query.
        .order_by("created_at", "pk")
    )
    for reply in replies:  # the window is the consultation's: one decision for all of one's replies
        reply.changeable = bool(
            reply.author_id == getattr(user, "pk", None) and rules.can_change_reply(user, reply, rules.Action.EDIT)
        )
    context = {
        "contribution": contribution,
        "replies": replies,
        "own": bool(user.is_authenticated and contribution.author_id == user.pk),
        "support_count": counts["support_count"],
        "reply_count": counts["reply_count"],
        "supported": user.is_authenticated and Support.objects.filter(contribution=contribution, user=user).exists(),
        "participation": participation,
        "window": window,
        "can_edit": bool(rules.can_change_contribution(user, contribution, rules.Action.EDIT)),
        "reply_form": forms.get("reply_form") or (ReplyForm() if can_take_part else None),
        "report_form": forms.get("report_form") or (ReportForm() if user.is_authenticated else None),
        "action_error": forms.get("action_error"),
        "revision_count": contribution.revisions.count(),
    }
    return context


def contribution_detail(request: HttpRequest, page: ConsultationPage, contribution_id: int) -> HttpResponse:
    contribution = _get_contribution(page, contribution_id, request)
    return _render(
        request, page, "contributions/contribution_detail.html", _detail_context(request, page, contribution)
    )


def _post_on_contribution(
    request: HttpRequest,
    page: ConsultationPage,
    contribution_id: int,
    *,
    form_class,
    action: str,
    perform,
    success: str,
    anchor: str = "",
    form_key: str,
    replay=None,
) -> HttpResponse:
    """A member's form posted on a contribution (reply, report): done and
    redirected to the permalink, or the page again with the form, its text and
    why it was refused. ``replay(user, contribution, form, data)``: see ``_submit``."""
    contribution = _get_contribution(page, contribution_id, request)
    if request.method != "POST":
        return redirect(_permalink(page, contribution))
    form = form_class(request.POST)
    _done, status = _submit(
        request,
        form,
        action,
        lambda data: perform(request.user, contribution, form, data),
        replay and (lambda data: replay(request.user, contribution, form, data)),
    )
    if status is None:
        messages.success(request, success)
        return redirect(_permalink(page, contribution) + anchor)
    context = _detail_context(request, page, contribution, **{form_key: form})
    return _render(request, page, "contributions/contribution_detail.html", context, status)


def contribution_reply(request: HttpRequest, page: ConsultationPage, contribution_id: int) -> HttpResponse:
    return _post_on_contribution(
        request,
        page,
        contribution_id,
        form_class=ReplyForm,
        action="reply",
        perform=lambda user, contribution, form, data: actions.add_reply(
            user, contribution, data["body"], submission_token=form.token
        ),
        replay=lambda user, contribution, form, data: actions.submitted_reply(
            user, contribution, form.token, body=data["body"]
        ),
        success=_("Your reply is published."),
        anchor="#replies",
        form_key="reply_form",
    )


def contribution_support(request: HttpRequest, page: ConsultationPage, contribution_id: int) -> HttpResponse:
    contribution = _get_contribution(page, contribution_id, request)
    if request.method != "POST":
        return redirect(_permalink(page, contribution))
    wanted = request.POST.get("supported", "1") == "1"
    try:
        if not ratelimit.allow("support", request):
            raise actions.Refused(_("You are going too fast: please wait a few minutes before trying again."), 429)
        actions.set_support(request.user, contribution, wanted)
    except actions.Refused as refused:
        context = _detail_context(request, page, contribution, action_error=refused.message)
        return _render(request, page, "contributions/contribution_detail.html", context, refused.status)
    messages.success(
        request, _("Your interest in an exchange is recorded.") if wanted else _("Your support is withdrawn.")
    )
    return redirect(_permalink(page, contribution))


def contribution_report(request: HttpRequest, page: ConsultationPage, contribution_id: int) -> HttpResponse:
    return _post_on_contribution(
        request,
        page,
        contribution_id,
        form_class=ReportForm,
        action="report",
        perform=lambda user, contribution, _form, data: actions.report_contribution(user, contribution, data["reason"]),
        success=_("Thank you: moderators will look at this contribution."),
        form_key="report_form",
    )


def reply_report(request: HttpRequest, page: ConsultationPage, contribution_id: int, reply_id: int) -> HttpResponse:
    """A page of its own for reporting one reply: the reply quoted, a reason, and back to it."""
    contribution = _get_contribution(page, contribution_id, request)
    reply = get_object_or_404(
        Reply.objects.select_related("author"),
        pk=reply_id,
        contribution=contribution,
        state=Contribution.State.PUBLISHED,
    )
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    back = _permalink(page, contribution) + f"#reply-{reply.pk}"
    form, status = ReplyReportForm(), 200
    if request.method == "POST":
        form = ReplyReportForm(request.POST)
        _report, refused = _submit(
            request, form, "report", lambda data: actions.report_reply(request.user, reply, data["reason"])
        )
        if refused is None:
            messages.success(request, _("Thank you: moderators will look at this reply."))
            return redirect(_permalink(page, contribution))  # the thanks are shown at the top
        status = refused  # the form again, with the reason
    context = {"contribution": contribution, "reply": reply, "report_form": form, "back": back}
    return _render(request, page, "contributions/reply_report.html", context, status)


def _get_own_reply(request, page: ConsultationPage, contribution_id: int, reply_id: int):
    contribution = _get_contribution(page, contribution_id, request)
    reply = get_object_or_404(
        Reply.objects.select_related("author", "contribution__consultation"), pk=reply_id, contribution=contribution
    )
    if reply.state != Contribution.State.PUBLISHED and reply.author_id != getattr(request.user, "pk", None):
        raise Http404
    return contribution, reply


def reply_edit(request: HttpRequest, page: ConsultationPage, contribution_id: int, reply_id: int) -> HttpResponse:
    """The author changes their reply, under the rules of contributions (rules.can_change_reply)."""
    contribution, reply = _get_own_reply(request, page, contribution_id, reply_id)
    owner = rules.is_reply_author(request.user, reply)
    if not owner:
        return _forbidden(request, page, owner.reason)
    back = _permalink(page, contribution) + f"#reply-{reply.pk}"
    status = 200
    if request.method == "POST":
        form = ReplyForm(request.POST)
        _edited, refused = _submit(
            request, form, "edit", lambda data: actions.edit_reply(request.user, reply, data["body"])
        )
        if refused is None:
            messages.success(request, _("Your reply is updated; the previous version is kept."))
            return redirect(back)
        status = refused  # the form again, with the reason
    else:
        form = ReplyForm(initial={"body": reply.body})
        window = rules.can_act(contribution.consultation, rules.Action.EDIT)
        if not window:
            form.add_error(None, window.reason)
            status = 403
    context = {"contribution": contribution, "reply": reply, "reply_form": form, "back": back}
    return _render(request, page, "contributions/reply_edit.html", context, status)


def reply_withdraw(request: HttpRequest, page: ConsultationPage, contribution_id: int, reply_id: int) -> HttpResponse:
    contribution, reply = _get_own_reply(request, page, contribution_id, reply_id)
    owner = rules.is_reply_author(request.user, reply)
    if not owner:
        return _forbidden(request, page, owner.reason)
    back = _permalink(page, contribution) + f"#reply-{reply.pk}"
    error, status = None, 200
    if request.method == "POST":
        try:
            actions.withdraw_reply(request.user, reply)
        except actions.Refused as refused:
            error, status = refused.message, refused.status
        else:
            messages.success(request, _("Your reply is withdrawn."))
            return redirect(_permalink(page, contribution) + "#replies")
    context = {"contribution": contribution, "reply": reply, "action_error": error, "back": back}
    return _render(request, page, "contributions/reply_withdraw.html", context, status)


def contribution_edit(request: HttpRequest, page: ConsultationPage, contribution_id: int) -> HttpResponse:
    contribution = _get_contribution(page, contribution_id, request)
    consultation = contribution.consultation
    owner = rules.is_author_of(request.user, contribution)
    if not owner:  # not the author (or not published): nothing to edit here
        return _forbidden(request, page, owner.reason)
    status = 200
    if request.method == "POST":
        form = ContributionForm(request.POST, consultation=consultation)
        _edited, refused = _submit(
            request,
            form,
            "edit",
            lambda data: actions.edit_contribution(
                request.user,
                contribution,
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                section=data["section"],
            ),
        )
        if refused is None:
            messages.success(request, _("Your contribution is updated; the previous version is kept."))
            return redirect(_permalink(page, contribution))
        status = refused  # the form again, with the reason
    else:
        form = ContributionForm(
            consultation=consultation,
            initial={
                "title": contribution.title,
                "body": contribution.body,
                "tags": ", ".join(t.name for t in contribution.tags.all()),
                "section": str(contribution.section_id or ""),
            },
        )
        window = rules.can_act(consultation, rules.Action.EDIT)
        if not window:
            form.add_error(None, window.reason)
            status = 403
    context = {"contribution": contribution, "contribution_form": form}
    return _render(request, page, "contributions/contribution_edit.html", context, status)


def contribution_withdraw(request: HttpRequest, page: ConsultationPage, contribution_id: int) -> HttpResponse:
    contribution = _get_contribution(page, contribution_id, request)
    owner = rules.is_author_of(request.user, contribution)
    if not owner:
        return _forbidden(request, page, owner.reason)
    error, status = None, 200
    if request.method == "POST":
        try:
            actions.withdraw_contribution(request.user, contribution)
        except actions.Refused as refused:
            error, status = refused.message, refused.status
        else:
            messages.success(request, _("Your contribution is withdrawn."))
            return redirect(page.url)
    context = {"contribution": contribution, "action_error": error}
    return _render(request, page, "contributions/contribution_withdraw.html", context, status)


# --- Synthesis -------------------------------------------------------------------
def synthesis(request: HttpRequest, page: ConsultationPage) -> HttpResponse:
    timeline = queries.timeline(page)
    # A week by its Monday, its month in words: SHORT_DATE_FORMAT is 11/23/2026 in
    # English, which half of the network reads as a month that does not exist.
    label = "F Y" if timeline.granularity == "month" else "j F Y"
    most_supported, most_discussed = queries.most_supported(page), queries.most_discussed(page)
    _on_this_page(page, most_supported + most_discussed, request)
    figures = queries.participation(page)
    context = {
        "timeline": timeline,
        "chart": charts.bar_chart(list(zip(timeline.periods, timeline.totals, strict=True)), label_format=label),
        "period_label": label,
        "tags": _tag_counts(page),
        "sections": _section_counts(page),
        "most_supported": most_supported,
        "most_discussed": most_discussed,
        "figures": figures,
        "total": figures["contributions"],
    }
    return _render(request, page, "contributions/synthesis.html", context)


# --- Profile -----------------------------------------------------------------------
@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile is saved."))
            return redirect("contributions:profile")
        status = 400
    else:
        form = ProfileForm(instance=request.user)
    context = {"form": form, "my_contributions": _my_contributions(request)}
    return TemplateResponse(request, "contributions/profile.html", context, status=status)


def _my_contributions(request: AuthenticatedHttpRequest) -> list[Contribution]:
    """All of one's contributions, whatever their state, each linked in the page's language."""
    mine = list(
        queries.with_counts(
            Contribution.objects.filter(author=request.user).select_related("consultation").order_by("-created_at")
        )
    )
    for contribution in mine:
        page = contribution.consultation_in(get_language())
        contribution.page_url = page.contribution_url(contribution.pk)
        contribution.consultation_title = page.title  # named as the link leads: in the page's language
    return mine


def member(request: HttpRequest, user_id: int) -> HttpResponse:
    """A contributor's public page: what other members already see in bylines (display
    name, city, organisation) and their visible contributions; never the e-mail address.
    Only for members who took part in public: no list of every account by number."""
    from django.contrib.auth import get_user_model
    from django.utils.translation import get_language

    person = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    if person.is_former_participant:
        raise Http404
    contributions = list(
        queries.with_counts(
            Contribution.objects.visible_to_public()
            .filter(author=person)
            .select_related("consultation", "section")
            .prefetch_related("tags")
            .order_by("-created_at")
        )
    )
    reply_count = Reply.objects.filter(
        author=person, state=Contribution.State.PUBLISHED, contribution__in=Contribution.objects.visible_to_public()
    ).count()
    if not contributions and not reply_count:
        raise Http404
    for contribution in contributions:
        contribution.page_url = contribution.get_url(get_language())
    context = {"person": person, "contributions": contributions, "reply_count": reply_count}
    return TemplateResponse(request, "contributions/member.html", context)
