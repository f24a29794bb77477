"""Who may do what with an exchange request, as plain functions.

Every check is made on the server when the request arrives; pages only hide
buttons the rules would refuse anyway.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contributions.rules import Decision

if TYPE_CHECKING:
    from experiences.models import City

    from .models import ExchangeRequest


def remind_after() -> timedelta:
    """Days without an answer before the city's contacts are reminded (EXCHANGE_REMIND_DAYS)."""
    return timedelta(days=int(getattr(settings, "EXCHANGE_REMIND_DAYS", 7)))


def offer_after() -> timedelta:
    """Days without an answer before the request is offered elsewhere (EXCHANGE_OFFER_DAYS)."""
    return timedelta(days=int(getattr(settings, "EXCHANGE_OFFER_DAYS", 21)))


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def may_request(user) -> Decision:
    """Signed in, active, with a verified e-mail address (staff excepted), as for contributions."""
    if not getattr(user, "is_authenticated", False):
        return Decision(False, str(_("Sign in to propose an exchange.")))
    if not user.is_active:
        return Decision(False, str(_("This account is inactive.")))
    if user.is_staff:
        return Decision(True)
    from allauth.account.models import EmailAddress

    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        return Decision(False, str(_("Confirm your e-mail address before proposing an exchange: check your inbox.")))
    return Decision(True)


def city_contacts(city: City | int):
    """The members who answer for ``city``: its verified contacts (a queryset of users). ``city``
    may also be an expression (``OuterRef("city_id")``) for a subquery."""
    city_id = getattr(city, "pk", city)
    return (
        get_user_model()
        .objects.filter(city_contacts__city_id=city_id, city_contacts__verified=True, is_active=True)
        .distinct()
        .order_by("pk")
    )


def answerers(request: ExchangeRequest) -> list:
    """Who answers this request now: the member it was handed over to, else the
    target city's verified contacts, else the author of the report concerned
    (when it is the target city's), else nobody."""
    assigned = request.assigned_to  # None without a query when nobody was assigned
    if assigned is not None:
        return [assigned] if assigned.is_active else []
    contacts = list(city_contacts(request.target_city_id))
    if contacts:
        return contacts
    report = request.report
    if report is not None and report.city_id == request.target_city_id and report.owner_id and report.owner.is_active:
        return [report.owner]
    return []


def can_answer(user, request: ExchangeRequest) -> Decision:
    """Only who answers for the target city may accept, decline or hand over."""
    if not _signed_in(user) or user.pk not in {u.pk for u in answerers(request)}:
        return Decision(False, str(_("Only the contacts of the city asked can answer this request.")))
    if not request.is_open:
        return Decision(False, str(_("This request has already been answered or withdrawn.")))
    return Decision(True)


def participant_ids(request: ExchangeRequest) -> set[int]:
    """The requester, who answers now, who accepted, and whoever wrote or acted in the thread
    (a contact who handed the request over keeps reading what they took part in)."""
    ids = {request.requester_id}
    ids.update(u.pk for u in answerers(request))
    if request.accepted_by_id:
        ids.add(request.accepted_by_id)
    ids.update(
        request.messages.filter(author__isnull=False, author__is_active=True)
        .values_list("author_id", flat=True)
        .distinct()
    )
    return ids


def can_see(user, request: ExchangeRequest) -> bool:
    """Nobody but the participants sees a thread (not even staff: it is a private correspondence)."""
    return _signed_in(user) and user.pk in participant_ids(request)


def can_post(user, request: ExchangeRequest) -> Decision:
    if not can_see(user, request):
        return Decision(False, str(_("Only the participants of an exchange can write in its thread.")))
    if request.state in ("declined", "withdrawn"):
        return Decision(False, str(_("This exchange is closed.")))
    return Decision(True)


def shows_contact_details(user, request: ExchangeRequest) -> bool:
    """E-mail addresses: only after acceptance, with both consents recorded, only to participants."""
    return (
        request.state == "accepted"
        and request.requester_consent_at is not None
        and request.contact_consent_at is not None
        and can_see(user, request)
    )


def can_withdraw(user, request: ExchangeRequest) -> Decision:
    if not _signed_in(user) or user.pk != request.requester_id:
        return Decision(False, str(_("Only the requester can withdraw a request.")))
    if not request.is_open:
        return Decision(False, str(_("This request has already been answered or withdrawn.")))
    return Decision(True)


def is_blocked(user, city: City | int) -> bool:
    from .models import ExchangeBlock

    return ExchangeBlock.objects.filter(member=user, city_id=getattr(city, "pk", city)).exists()


def can_request_city(user, city: City) -> Decision:
    """A city blocks requesters it no longer wants to hear from; a contact does not ask their own city."""
    if is_blocked(user, city):
        return Decision(False, str(_("This city does not accept your requests.")))
    if city_contacts(city).filter(pk=user.pk).exists():
        return Decision(False, str(_("You answer for this city: propose an exchange to another one.")))
    return Decision(True)


def can_make_partnership(user, request: ExchangeRequest) -> Decision:
    if request.state != "accepted":
        return Decision(False, str(_("Only an accepted exchange can become a partnership.")))
    if getattr(request, "partnership_id", None):
        return Decision(False, str(_("This exchange is already a partnership.")))
    if not can_see(user, request):
        return Decision(False, str(_("Only the participants of an exchange can make it a partnership.")))
    return Decision(True)


def due_for_reminder(request: ExchangeRequest, now: datetime | None = None) -> bool:
    """Still awaiting a first answer 7 days after it reached its current contacts, not reminded since."""
    now = now or timezone.now()
    if request.state not in (request.State.SENT, request.State.HANDED_OVER, request.State.OFFERED_ELSEWHERE):
        return False
    if request.answered_at and request.answered_at >= request.awaiting_since:
        return False
    return request.awaiting_since <= now - remind_after()


def due_for_offer(request: ExchangeRequest, now: datetime | None = None) -> bool:
    """Still unanswered 21 days after it reached its contacts, and never offered elsewhere yet (once is enough:
    the requester is told and may propose again)."""
    now = now or timezone.now()
    if not request.is_open or request.offered_at is not None:
        return False
    if request.answered_at and request.answered_at >= request.awaiting_since:
        return False
    return request.awaiting_since <= now - offer_after()
