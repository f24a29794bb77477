"""The business rules of a consultation, as plain functions.

The window is the law: every action that changes a consultation's content is
checked here, on the server, at the instant the request arrives — never only
in the page that showed the form.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import ConsultationPage, Contribution, Reply


class Action(enum.StrEnum):
    CONTRIBUTE = "contribute"
    REPLY = "reply"
    EDIT = "edit"
    WITHDRAW = "withdraw"
    SUPPORT = "support"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""  # a translatable message shown to the person refused

    def __bool__(self) -> bool:
        return self.allowed


def window_instants(opens: date, closes: date, tz_name: str) -> tuple[datetime, datetime]:
    """A window entered as dates: from the start of the first day to the end of
    the last one, in the consultation's time zone.

    The closing instant is exclusive, so it is midnight *after* the last day:
    the whole last day counts and a one-day window (opens == closes) lasts 24 h.
    """
    tz = ZoneInfo(tz_name)
    start = datetime.combine(opens, time.min, tzinfo=tz)
    end = datetime.combine(closes + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def last_open_day(closes_at: datetime, tz_name: str) -> date | None:
    """The last whole day of a window that closes at midnight (as a window entered as dates
    does), so that pages say "open until 30 December inclusive" rather than the ambiguous
    "open until 31 December, midnight"; None when it closes at another time of day."""
    local = closes_at.astimezone(ZoneInfo(tz_name))
    return local.date() - timedelta(days=1) if local.time() == time.min else None


def window_state(opens_at: datetime, closes_at: datetime, now: datetime | None = None) -> str:
    """'upcoming', 'open' or 'closed': open on [opens_at, closes_at)."""
    now = now or timezone.now()
    if now < opens_at:
        return "upcoming"
    if now < closes_at:
        return "open"
    return "closed"


def window_error(opens_at: datetime | None, closes_at: datetime | None) -> str | None:
    """Why a window is impossible (closing not after opening), or None."""
    if opens_at and closes_at and closes_at <= opens_at:
        return str(_("The consultation must close after it opens."))
    return None


def can_act(consultation: ConsultationPage, action: Action | str, now: datetime | None = None) -> Decision:
    """Whether the window of ``consultation`` allows ``action`` at ``now``."""
    state = window_state(consultation.opens_at, consultation.closes_at, now)
    if state == "open":
        return Decision(True)
    if state == "upcoming":
        return Decision(False, str(_("This consultation is not open yet: nothing can be added before it opens.")))
    action = Action(action)
    messages = {
        Action.CONTRIBUTE: _("This consultation is closed: new contributions are no longer accepted."),
        Action.REPLY: _("This consultation is closed: replies are no longer accepted."),
        Action.EDIT: _("This consultation is closed: contributions can no longer be edited."),
        Action.WITHDRAW: _("This consultation is closed: contributions can no longer be withdrawn."),
        Action.SUPPORT: _("This consultation is closed: supports can no longer be given or withdrawn."),
    }
    return Decision(False, str(messages[action]))


def may_participate(user) -> Decision:
    """Signed in, active and with a verified e-mail address (staff excepted)."""
    if not getattr(user, "is_authenticated", False):
        return Decision(False, str(_("Sign in to take part in this consultation.")))
    if not user.is_active:
        return Decision(False, str(_("This account is inactive.")))
    if user.is_staff:
        return Decision(True)
    from allauth.account.models import EmailAddress

    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        return Decision(False, str(_("Confirm your e-mail address before taking part: check your inbox.")))
    if not (user.display_name or "").strip():
        # Without it, pages would fall back on the username, often taken from the e-mail address.
        return Decision(False, str(_("Choose the display name shown with your contributions in your profile first.")))
    return Decision(True)


def is_author_of(user, contribution: Contribution) -> Decision:
    """Ownership alone (whatever the window): the author, on a published contribution."""
    if not getattr(user, "is_authenticated", False) or contribution.author_id != user.pk:
        return Decision(False, str(_("Only the author of a contribution can change or withdraw it.")))
    if contribution.state != "published":
        return Decision(False, str(_("This contribution can no longer be changed.")))
    return Decision(True)


def can_change_contribution(
    user, contribution: Contribution, action: Action | str, now: datetime | None = None
) -> Decision:
    """Edit or withdraw: only the author, only while the window is open, only
    a contribution still published."""
    owner = is_author_of(user, contribution)
    if not owner:
        return owner
    return can_act(contribution.consultation, Action(action), now)


def is_reply_author(user, reply: Reply) -> Decision:
    """Ownership of a reply (whatever the window): its author, while it is shown."""
    if not getattr(user, "is_authenticated", False) or reply.author_id != user.pk:
        return Decision(False, str(_("Only the author of a reply can change or withdraw it.")))
    if reply.state != "published":
        return Decision(False, str(_("This reply can no longer be changed.")))
    return Decision(True)


def can_change_reply(user, reply: Reply, action: Action | str, now: datetime | None = None) -> Decision:
    """Edit or withdraw one's reply: the same rules as a contribution (the author,
    while the consultation's window is open, a reply still published)."""
    owner = is_reply_author(user, reply)
    if not owner:
        return owner
    return can_act(reply.contribution.consultation, Action(action), now)


def can_support(user, contribution: Contribution) -> Decision:
    """Nobody supports their own contribution: the count says what others think of it."""
    if getattr(user, "is_authenticated", False) and contribution.author_id == user.pk:
        return Decision(False, str(_("You cannot support your own contribution.")))
    return Decision(True)
