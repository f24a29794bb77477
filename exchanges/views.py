"""The pages of exchanges: proposing one, a member's exchanges, and a thread.

A thread answers 404 to anyone who is not one of its participants (not 403: that
a request exists between two cities is itself private). Every refusal keeps
what the member typed, with the reason, and stores nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from contributions import ratelimit
from cooperation_hub.models import AuthenticatedHttpRequest
from cooperation_hub.query import parse_int
from experiences.models import City, ExperiencePage

from . import actions, forms, rules
from .models import EXCHANGE_LANGUAGES, ExchangeRequest
from .tokens import read_propose_token

TOO_FAST = _("You are going too fast: please wait a while before trying again. Your text is kept below.")


def _initial(request: AuthenticatedHttpRequest) -> dict:
    """The form's prefill: a signed digest link (?t=), or a report (?report=) or a city (?city=)."""
    initial: dict = {}
    token = request.GET.get("t")
    data = read_propose_token(token) if token else None
    if data:
        initial["target_city"] = data["to"]
        if "from" in data:
            initial["requesting_city"] = data["from"]
        if "report" in data:
            initial["report"] = data["report"]
    report_pk = parse_int(request.GET.get("report"))
    if report_pk is not None:
        report = ExperiencePage.objects.live().filter(pk=report_pk).select_related("city").first()
        if report is not None:
            initial["report"] = report.pk
            initial["target_city"] = report.city_id
            initial["themes"] = list(report.themes.values_list("pk", flat=True))
    slug = request.GET.get("city", "")
    if slug and "target_city" not in initial:
        city = City.objects.filter(slug=slug).first()
        if city is not None:
            initial["target_city"] = city.pk
    user = request.user
    if "requesting_city" not in initial and user.city:
        mine = City.objects.filter(name__iexact=user.city.strip()).first()
        if mine is not None:
            initial["requesting_city"] = mine.pk
    initial.setdefault("organisation", user.organisation)
    # The member's own language and the one they are reading the site in: both they can work in.
    reading = (get_language() or "")[:2]
    initial.setdefault("languages", [code for code, _name in EXCHANGE_LANGUAGES if code in (user.language, reading)])
    return initial


@login_required
def propose(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The form; signing in first brings the member back here with the same prefill (?next=)."""
    decision = rules.may_request(request.user)
    status = 200
    report = None
    if request.method == "POST":
        form = forms.ProposeForm(request.POST)
        if not decision:
            form.add_error(None, decision.reason)
            status = 403
        elif form.is_valid():
            data = form.cleaned_data
            if data.get("report"):
                report = ExperiencePage.objects.live().filter(pk=data["report"]).first()
            replay = actions.replayed_request(request.user, form.token, data["target_city"], data["message"])
            if replay is not None:  # the same form again (a lost answer, a second click): the first answer
                messages.success(request, _("Your request is sent: the city's contacts are told by e-mail."))
                return redirect("exchanges:detail", pk=replay.pk)
            if not ratelimit.allow("exchange", request):
                form.add_error(None, TOO_FAST)
                status = 429
            else:
                try:
                    exchange = actions.send_request(
                        request.user,
                        target_city=data["target_city"],
                        requesting_city=data.get("requesting_city"),
                        requesting_city_name=data.get("new_city_name", ""),
                        requesting_country=data.get("new_city_country", ""),
                        organisation=data["organisation"],
                        role=data["role"],
                        themes=data.get("themes") or [],
                        report=report,
                        kind=data["kind"],
                        languages=data.get("languages") or [],
                        message=data["message"],
                        consent=data["consent"],
                        submission_token=form.token,
                    )
                except actions.Refused as refused:
                    form.add_error(None, refused.message)
                    status = refused.status
                else:
                    messages.success(request, _("Your request is sent: the city's contacts are told by e-mail."))
                    return redirect("exchanges:detail", pk=exchange.pk)
        else:
            status = 400
    else:
        form = forms.ProposeForm(initial=_initial(request))
    report_pk = parse_int(form["report"].value())
    if report is None and report_pk is not None:
        report = ExperiencePage.objects.live().filter(pk=report_pk).select_related("city").first()
    context = {"form": form, "report": report, "refusal": "" if decision else decision.reason}
    return TemplateResponse(request, "exchanges/propose.html", context, status=status)


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The member's exchanges: those they asked, and those they answer or answered for a city."""
    user = request.user
    contact_cities = list(user.city_contacts.filter(verified=True).values_list("city_id", flat=True))
    answering = Q(assigned_to=user) | Q(target_city_id__in=contact_cities, assigned_to__isnull=True)
    took_part = Q(accepted_by=user) | Q(messages__author=user, messages__kind="message")
    sent = list(ExchangeRequest.objects.filter(requester=user).select_related("target_city", "requesting_city"))
    received = list(
        ExchangeRequest.objects.filter(answering | took_part | Q(report__owner=user, assigned_to__isnull=True))
        .exclude(requester=user)
        .select_related("target_city", "requesting_city", "report")
        .distinct()
    )
    received = [r for r in received if rules.can_see(user, r)]
    return TemplateResponse(request, "exchanges/mine.html", {"sent": sent, "received": received})


ACTIONS = ("reply", "accept", "decline", "hand_over", "withdraw", "report", "block", "partnership")


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    exchange = get_object_or_404(
        ExchangeRequest.objects.select_related(
            "requester", "target_city", "requesting_city", "report", "assigned_to", "accepted_by"
        ),
        pk=pk,
    )
    user = request.user
    if not rules.can_see(user, exchange):
        raise Http404
    bound: dict = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            messages.error(request, _("Unknown action."))
            status = 400
        else:
            done, form, status = _perform(request, exchange, action)
            if done:
                return redirect("exchanges:detail", pk=exchange.pk)
            if form is not None:
                bound[action] = form
    return TemplateResponse(request, "exchanges/detail.html", _context(request, exchange, bound), status=status)


def _perform(request: AuthenticatedHttpRequest, exchange: ExchangeRequest, action: str):
    """(done, the bound form when not done, status)."""
    user, post = request.user, request.POST
    form_class = {
        "reply": forms.MessageForm,
        "accept": forms.AcceptForm,
        "decline": forms.DeclineForm,
        "report": forms.ReportForm,
    }.get(action)
    form: Form | None
    if action == "hand_over":
        form = forms.HandOverForm(post, request=exchange, user=user)
    elif form_class is not None:
        form = form_class(post)
    else:
        form = None
    if form is not None and not form.is_valid():
        return False, form, 400
    limited = {"reply": "exchange_message", "report": "report"}.get(action)
    if limited and form is not None and not ratelimit.allow(limited, request):
        form.add_error(None, TOO_FAST)
        return False, form, 429
    data = form.cleaned_data if form is not None else {}
    try:
        if action == "reply":
            assert isinstance(form, forms.MessageForm)  # the form of "reply" (form_class above)
            actions.post_message(user, exchange, data["body"], submission_token=form.token)
            messages.success(request, _("Your message is sent."))
        elif action == "accept":
            actions.accept(user, exchange, consent=data["consent"])
            messages.success(request, _("You accepted the exchange: both sides now see each other's contact details."))
        elif action == "decline":
            actions.decline(user, exchange, reason=data["reason"])
            messages.success(request, _("You declined the request; the requester is told why."))
        elif action == "hand_over":
            actions.hand_over(user, exchange, data["colleague"])
            messages.success(request, _("The request is handed over to your colleague."))
        elif action == "withdraw":
            actions.withdraw(user, exchange)
            messages.success(request, _("Your request is withdrawn."))
        elif action == "report":
            actions.report_request(user, exchange, data["reason"])
            messages.success(request, _("Thank you: the moderators will look at this exchange."))
        elif action == "block":
            actions.block_requester(user, exchange)
            messages.success(request, _("Your city will no longer receive requests from this member."))
        elif action == "partnership":
            actions.make_partnership(user, exchange)
            messages.success(request, _("The partnership is started: both cities can now complete it."))
    except actions.Refused as refused:
        if form is None:
            messages.error(request, refused.message)
            return False, None, refused.status
        form.add_error(None, refused.message)
        return False, form, refused.status
    return True, None, 200


def _context(request: HttpRequest, exchange: ExchangeRequest, bound: dict) -> dict:
    user = request.user
    answer = rules.can_answer(user, exchange)
    is_contact = rules.city_contacts(exchange.target_city_id).filter(pk=user.pk).exists()
    shows = rules.shows_contact_details(user, exchange)
    contacts = []
    if shows:
        # Who agreed on each side, with the address they consented to share.
        contacts = [
            (exchange.requester, exchange.requesting_city_label),
            (exchange.accepted_by, exchange.target_city.name),
        ]
        contacts = [(member, city) for member, city in contacts if member is not None]
    return {
        "exchange": exchange,
        "thread": exchange.messages.select_related("author"),
        "themes": list(exchange.themes.all()),
        "is_requester": user.pk == exchange.requester_id,
        "can_answer": bool(answer),
        "can_withdraw": bool(rules.can_withdraw(user, exchange)),
        "can_post": bool(rules.can_post(user, exchange)),
        "can_block": is_contact and user.pk != exchange.requester_id,
        "can_partner": bool(rules.can_make_partnership(user, exchange)),
        "shows_contacts": shows,
        "contacts": contacts,
        "answerers": rules.answerers(exchange),
        "reply_form": bound.get("reply") or forms.MessageForm(),
        "accept_form": bound.get("accept") or forms.AcceptForm(),
        "decline_form": bound.get("decline") or forms.DeclineForm(),
        "hand_over_form": bound.get("hand_over") or forms.HandOverForm(request=exchange, user=user),
        "report_form": bound.get("report") or forms.ReportForm(),
        "open_form": next(iter(bound), ""),
    }
