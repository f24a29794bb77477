"""What members do with exchange requests, as plain functions that check the
rules and write. Each step writes an event in the thread and queues its
e-mails in the same transaction (the ledger rows, sent once after the commit).
Views translate a ``Refused`` into a page that keeps the typed text."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contributions.actions import Refused
from cooperation_hub import once
from experiences.models import City, ExperiencePage, Theme

from . import rules
from .models import (
    EXCHANGE_LANGUAGES,
    ExchangeBlock,
    ExchangeMessage,
    ExchangeNotification,
    ExchangeReport,
    ExchangeRequest,
)

__all__ = ["Refused"]


def _require(decision: rules.Decision, status: int = 403) -> None:
    if not decision:
        raise Refused(decision.reason, status)


def notify(request: ExchangeRequest, entry: ExchangeMessage, recipients: Iterable) -> list[ExchangeNotification]:
    """One ledger row per recipient for this step, then one task each after the commit.

    The row's key (the thread entry's id) makes the same step mail nobody twice."""
    from cooperation_hub.background import enqueue_on_commit

    from .tasks import notify_exchange

    rows = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen or (entry.author_id and user.pk == entry.author_id):
            continue
        seen.add(user.pk)
        row, created = ExchangeNotification.objects.get_or_create(
            request=request,
            recipient=user,
            key=f"m{entry.pk}",
            defaults={"event": entry.event or entry.kind, "message": entry},
        )
        if created:
            rows.append(row)
            enqueue_on_commit(notify_exchange, row.pk, str(row.claim_token))
    return rows


def _event(request: ExchangeRequest, event: str, author=None, body: str = "", now: datetime | None = None):
    return ExchangeMessage.objects.create(
        request=request,
        author=author,
        kind=ExchangeMessage.Kind.EVENT,
        event=event,
        body=body,
        created_at=now or timezone.now(),
    )


def send_request(
    user,
    *,
    target_city: City,
    organisation: str,
    role: str,
    kind: str,
    message: str,
    consent: bool,
    requesting_city: City | None = None,
    requesting_city_name: str = "",
    requesting_country: str = "",
    themes: Iterable[Theme] = (),
    report: ExperiencePage | None = None,
    languages: Iterable[str] = (),
    now: datetime | None = None,
    submission_token: uuid.UUID | None = None,
) -> ExchangeRequest:
    """A verified member asks ``target_city`` for an exchange; its contacts are told.
    The same form posted again (``submission_token``) gets the first request back."""
    _require(rules.may_request(user))
    _require(rules.can_request_city(user, target_city))
    now = now or timezone.now()
    if not consent:
        raise Refused(_("Agree to share your contact details with the city if it accepts."), 400)
    if kind not in ExchangeRequest.Kind.values:
        raise Refused(_("Choose a kind of exchange."), 400)
    languages = [code for code in languages if code in dict(EXCHANGE_LANGUAGES)]
    if requesting_city is None and not requesting_city_name.strip():
        raise Refused(_("Choose your city, or name it if it is not listed."), 400)
    if requesting_city is not None and requesting_city.pk == target_city.pk:
        raise Refused(_("Propose an exchange to another city than your own."), 400)
    if report is not None and report.city_id != target_city.pk:
        report = None  # a report of another city says nothing about who answers
    draft = _NewRequest(
        requester=user,
        target_city=target_city,
        requesting_city=requesting_city,
        # A city of the network is named by its row; a new city by what the member typed.
        requesting_city_name="" if requesting_city else requesting_city_name.strip(),
        requesting_country="" if requesting_city else requesting_country.strip().upper(),
        organisation=organisation.strip(),
        role=role.strip(),
        report=report,
        kind=kind,
        languages=languages,
        message=message.strip(),
        themes=tuple(themes),
        sent_at=now,
    )
    return once.create_once(
        ExchangeRequest,
        user,
        submission_token,
        draft.create,
        same=lambda row: _same_request(row, target_city, draft.message),
    )


def _same_request(row: ExchangeRequest, target_city: City, message: str) -> bool:
    return row.target_city_id == target_city.pk and row.message == message.strip()


def replayed_request(user, submission_token: uuid.UUID | None, target_city: City, message: str):
    """The request this very form already stored, if it is posted again (answered as the first post)."""
    return once.replayed(ExchangeRequest, user, submission_token, lambda row: _same_request(row, target_city, message))


@dataclass(frozen=True)
class _NewRequest:
    """A request checked by ``send_request`` and cleaned once, written by ``create``."""

    requester: Any
    target_city: City
    requesting_city: City | None
    requesting_city_name: str
    requesting_country: str
    organisation: str
    role: str
    report: ExperiencePage | None
    kind: str
    languages: list[str]
    message: str
    themes: tuple[Theme, ...]
    sent_at: datetime

    def create(self, token: uuid.UUID | None) -> ExchangeRequest:
        """The request, its "sent" event and its contacts' e-mails, in one transaction."""
        with transaction.atomic():
            request = ExchangeRequest.objects.create(
                submission_token=token,
                requester=self.requester,
                requesting_city=self.requesting_city,
                requesting_city_name=self.requesting_city_name,
                requesting_country=self.requesting_country,
                organisation=self.organisation,
                role=self.role,
                report=self.report,
                target_city=self.target_city,
                kind=self.kind,
                languages=self.languages,
                message=self.message,
                requester_consent_at=self.sent_at,
                created_at=self.sent_at,
                awaiting_since=self.sent_at,
            )
            request.themes.set(self.themes)
            entry = _event(request, "sent", author=self.requester, now=self.sent_at)
            notify(request, entry, rules.answerers(request))
        return request


def post_message(
    user,
    request: ExchangeRequest,
    body: str,
    now: datetime | None = None,
    submission_token: uuid.UUID | None = None,
) -> ExchangeMessage:
    """A participant writes in the thread; the same form posted again is stored once."""
    body = body.strip()
    same = once.replayed(ExchangeMessage, user, submission_token)
    if same is not None and same.request_id == request.pk and same.body == body:
        return same
    _require(rules.can_post(user, request))
    if not body:
        raise Refused(_("Write a message."), 400)
    now = now or timezone.now()
    return once.create_once(
        ExchangeMessage,
        user,
        submission_token,
        lambda token: _create_message(user, request, body, now, token),
        same=lambda row: row.request_id == request.pk and row.body == body,
    )


def _create_message(user, request: ExchangeRequest, body: str, now: datetime, token) -> ExchangeMessage:
    with transaction.atomic():
        entry = ExchangeMessage.objects.create(
            request=request, author=user, body=body, created_at=now, submission_token=token
        )
        if user.pk != request.requester_id and request.answered_at is None:
            # A contact's first word is an answer: no reminder for a request someone is discussing.
            request.answered_at = now
            request.save(update_fields=["answered_at", "updated_at"])
        others = [get_user_model().objects.get(pk=pk) for pk in rules.participant_ids(request) if pk != user.pk]
        notify(request, entry, others)
    return entry


def _close(request: ExchangeRequest, state: str, now: datetime, **fields) -> None:
    request.state = state
    request.closed_at = now
    if request.answered_at is None:
        request.answered_at = now
    for name, value in fields.items():
        setattr(request, name, value)
    request.save()


def accept(user, request: ExchangeRequest, *, consent: bool, now: datetime | None = None) -> ExchangeRequest:
    """The city's contact agrees: both sides' contact details are shared, with both consents recorded."""
    _require(rules.can_answer(user, request))
    if not consent:
        raise Refused(_("Agree to share your contact details with the requester to accept."), 400)
    now = now or timezone.now()
    with transaction.atomic():
        _close(request, ExchangeRequest.State.ACCEPTED, now, accepted_by=user, contact_consent_at=now)
        entry = _event(request, "accepted", author=user, now=now)
        notify(request, entry, [request.requester])
    return request


def decline(user, request: ExchangeRequest, *, reason: str, now: datetime | None = None) -> ExchangeRequest:
    _require(rules.can_answer(user, request))
    reason = reason.strip()
    if not reason:
        raise Refused(_("Say why you decline: the requester can then look elsewhere."), 400)
    now = now or timezone.now()
    with transaction.atomic():
        _close(request, ExchangeRequest.State.DECLINED, now, decline_reason=reason)
        entry = _event(request, "declined", author=user, body=reason, now=now)
        notify(request, entry, [request.requester])
    return request


def hand_over(user, request: ExchangeRequest, colleague, now: datetime | None = None) -> ExchangeRequest:
    """Pass the request to another verified contact of the same city, who answers from now on."""
    _require(rules.can_answer(user, request))
    if colleague is None or colleague.pk == user.pk:
        raise Refused(_("Choose a colleague to hand the request over to."), 400)
    if not rules.city_contacts(request.target_city_id).filter(pk=colleague.pk).exists():
        raise Refused(_("Only another contact of the same city can take over the request."), 400)
    now = now or timezone.now()
    with transaction.atomic():
        request.state = ExchangeRequest.State.HANDED_OVER
        request.assigned_to = colleague
        request.awaiting_since = now
        request.answered_at = None
        request.save()
        entry = _event(request, "handed_over", author=user, body=colleague.public_name, now=now)
        notify(request, entry, [colleague, request.requester])
    return request


def withdraw(user, request: ExchangeRequest, now: datetime | None = None) -> ExchangeRequest:
    _require(rules.can_withdraw(user, request))
    now = now or timezone.now()
    with transaction.atomic():
        recipients = rules.answerers(request)
        _close(request, ExchangeRequest.State.WITHDRAWN, now)
        entry = _event(request, "withdrawn", author=user, now=now)
        notify(request, entry, recipients)
    return request


def report_request(user, request: ExchangeRequest, reason: str, now: datetime | None = None) -> ExchangeReport:
    """A participant tells the moderators; once per member and request."""
    if not rules.can_see(user, request):
        raise Refused(_("Only the participants of an exchange can report it."), 404)
    reason = reason.strip()
    if not reason:
        raise Refused(_("Say what is wrong."), 400)
    try:
        with transaction.atomic():
            return ExchangeReport.objects.create(
                request=request, reporter=user, reason=reason, created_at=now or timezone.now()
            )
    except IntegrityError:
        raise Refused(_("You already reported this exchange: the moderators will look at it."), 400) from None


def block_requester(user, request: ExchangeRequest, now: datetime | None = None) -> ExchangeBlock:
    """A contact stops their city hearing from this requester; an open request is declined with it."""
    if not rules.can_see(user, request) or not rules.city_contacts(request.target_city_id).filter(pk=user.pk).exists():
        raise Refused(_("Only the contacts of the city asked can block a requester."), 403)
    now = now or timezone.now()
    with transaction.atomic():
        block, _created = ExchangeBlock.objects.get_or_create(
            city_id=request.target_city_id, member_id=request.requester_id, defaults={"blocked_by": user}
        )
        if request.is_open:
            reason = _("The city does not accept requests from this account.")
            _close(request, ExchangeRequest.State.DECLINED, now, decline_reason=reason)
            entry = _event(request, "declined", author=user, body=reason, now=now)
            notify(request, entry, [request.requester])
    return block


# --- the clock: reminders and offers elsewhere ---------------------------------------------


def remind(request: ExchangeRequest, now: datetime | None = None) -> bool:
    """After 7 days without an answer: the contacts are reminded, the requester told."""
    now = now or timezone.now()
    with transaction.atomic():
        # Guarded: two beat ticks at once remind once.
        updated = ExchangeRequest.objects.filter(
            pk=request.pk, state__in=ExchangeRequest.OPEN_STATES, reminded_at=request.reminded_at
        ).update(state=ExchangeRequest.State.REMINDED, reminded_at=now, updated_at=now)
        if not updated:
            return False
        request.refresh_from_db()
        entry = _event(request, "reminded", now=now)
        notify(request, entry, [*rules.answerers(request), request.requester])
    return True


def comparable_choice(request: ExchangeRequest):
    """Another report to offer the request to: the first of the report's stored comparable projects
    (search/comparable_store.py) whose city has someone to answer and has not blocked the requester."""
    from search.comparable_store import comparable_for

    if request.report is None:
        return None
    excluded = {request.target_city_id, request.requesting_city_id, request.original_city_id}
    for item in comparable_for(request.report, request.requester.language or "fr"):
        city = item.page.city
        if city.pk in excluded or rules.is_blocked(request.requester, city):
            continue
        if rules.city_contacts(city).exclude(pk=request.requester_id).exists() or (
            item.page.owner_id and item.page.owner_id != request.requester_id
        ):
            return item.page
    return None


def offer_elsewhere(request: ExchangeRequest, now: datetime | None = None) -> bool:
    """After 21 days without an answer: another contact of the same city, else a comparable city.

    With neither, the requester is still told that nobody answered."""
    now = now or timezone.now()
    with transaction.atomic():
        request = ExchangeRequest.objects.select_for_update().get(pk=request.pk)
        if not rules.due_for_offer(request, now):
            return False
        asked = {u.pk for u in rules.answerers(request)}
        others = [u for u in rules.city_contacts(request.target_city_id) if u.pk not in asked]
        body = ""
        if others:
            request.assigned_to = others[0]
            body = others[0].public_name
        else:
            page = comparable_choice(request)
            if page is not None:
                request.original_city_id = request.original_city_id or request.target_city_id
                request.target_city = page.city
                # Its author answers when the new city has no contact yet.
                request.report = page
                request.assigned_to = None
                body = page.city.name
        request.state = ExchangeRequest.State.OFFERED_ELSEWHERE
        request.offered_at = now
        if body:
            request.awaiting_since = now
        request.save()
        entry = _event(request, "offered_elsewhere", body=body, now=now)
        notify(request, entry, [*(rules.answerers(request) if body else []), request.requester])
    return True


def run_clock(now: datetime | None = None) -> dict[str, int]:
    """What the periodic task does: every due offer, then every due reminder."""
    now = now or timezone.now()
    offered = reminded = 0
    candidates = ExchangeRequest.objects.filter(
        state__in=ExchangeRequest.OPEN_STATES, awaiting_since__lte=now - rules.remind_after()
    ).select_related("target_city", "report", "requester")
    for request in candidates:
        if rules.due_for_offer(request, now):
            offered += offer_elsewhere(request, now)
        elif rules.due_for_reminder(request, now):
            reminded += remind(request, now)
    return {"reminded": reminded, "offered": offered}


def make_partnership(user, request: ExchangeRequest):
    """An accepted exchange becomes a partnership between the two cities (partnerships.services)."""
    from partnerships.services import start_partnership

    _require(rules.can_make_partnership(user, request))
    if request.requesting_city_id is None:
        raise Refused(
            _("The requesting city must be one of the network's cities: ask an administrator to add it."), 400
        )
    with transaction.atomic():
        partnership = start_partnership(
            cities=[request.requesting_city_id, request.target_city_id],
            themes=list(request.themes.all()),
            kind=request.kind,
            reports=[request.report_id] if request.report_id else [],
            started_by=user,
        )
        request.partnership = partnership
        request.save(update_fields=["partnership", "updated_at"])
        _event(request, "partnership", author=user)
    return partnership
