"""What members and moderators do, as plain functions that check the rules
and write. Views translate a ``Refused`` into a page that keeps the typed text."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cooperation_hub import once

from . import rules
from .models import (
    ConsultationPage,
    ConsultationSection,
    Contribution,
    ContributionRevision,
    ModerationAction,
    Reply,
    ReplyNotification,
    ReplyRevision,
    Report,
    Support,
)


class Refused(Exception):
    """An action the rules do not allow; ``message`` is shown to the person."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.message = message
        self.status = status


def _require(decision: rules.Decision, status: int = 403) -> None:
    if not decision:
        raise Refused(decision.reason, status)


def check_participation(user, consultation: ConsultationPage, action: rules.Action, now: datetime | None = None):
    _require(rules.may_participate(user))
    _require(rules.can_act(consultation, action, now))


def create_contribution(
    user,
    consultation: ConsultationPage,
    *,
    title: str,
    body: str,
    tags: list[str] | None = None,
    section: ConsultationSection | None = None,
    language: str | None = None,
    now: datetime | None = None,
    submission_token: uuid.UUID | None = None,
) -> Contribution:
    """A new contribution; posted again with the same ``submission_token`` (a lost
    answer, a second click), the one already stored is returned and nothing is written."""

    def insert(token: uuid.UUID | None) -> Contribution:
        check_participation(user, consultation, rules.Action.CONTRIBUTE, now)
        if section is not None and section.consultation_id != consultation.pk:
            raise Refused(_("This section belongs to another consultation."), 400)
        with transaction.atomic():
            contribution = Contribution.objects.create(
                consultation=consultation,
                author=user,
                title=title,
                body=body,
                section=section,
                language=language or consultation.locale.language_code or get_language(),
                created_at=now or timezone.now(),
                submission_token=token,
            )
            contribution.tags.set(tags or [])
        return contribution

    return once.create_once(
        Contribution, user, submission_token, insert, same=_same_contribution(consultation, title, body)
    )


def _same_contribution(consultation: ConsultationPage, title: str, body: str):
    # A token back with other content is a new text written on an old page (history), not a replay.
    return lambda c: (c.consultation_id, c.title, c.body) == (consultation.pk, title, body)


def submitted_contribution(
    user, consultation: ConsultationPage, token: uuid.UUID | None, *, title: str, body: str
) -> Contribution | None:
    """The contribution this very form already stored, if it did (answered before any limit)."""
    return once.replayed(Contribution, user, token, _same_contribution(consultation, title, body))


def edit_contribution(
    user,
    contribution: Contribution,
    *,
    title: str,
    body: str,
    tags: list[str] | None = None,
    section: ConsultationSection | None = None,
    now: datetime | None = None,
) -> Contribution:
    """Change one's own contribution; the previous version is kept."""
    _require(rules.may_participate(user))
    _require(rules.can_change_contribution(user, contribution, rules.Action.EDIT, now))
    with transaction.atomic():
        ContributionRevision.objects.create(
            contribution=contribution,
            title=contribution.title,
            body=contribution.body,
            tags=", ".join(t.name for t in contribution.tags.all()),
            section_title=contribution.section.title if contribution.section else "",
            edited_at=now or timezone.now(),
        )
        contribution.title, contribution.body, contribution.section = title, body, section
        contribution.save()
        contribution.tags.set(tags or [])
    return contribution


def withdraw_contribution(user, contribution: Contribution, now: datetime | None = None) -> Contribution:
    _require(rules.can_change_contribution(user, contribution, rules.Action.WITHDRAW, now))
    contribution.state = Contribution.State.WITHDRAWN
    contribution.save(update_fields=["state", "updated_at"])
    return contribution


def add_reply(
    user,
    contribution: Contribution,
    body: str,
    now: datetime | None = None,
    submission_token: uuid.UUID | None = None,
) -> Reply:
    """A new reply (and its e-mail); the same form posted again stores and sends nothing more."""

    def insert(token: uuid.UUID | None) -> Reply:
        check_participation(user, contribution.consultation, rules.Action.REPLY, now)
        if not contribution.is_published:
            raise Refused(_("This contribution is no longer open to replies."), 404)
        to_author = contribution.author_id != user.pk
        with transaction.atomic():  # a reply to someone else never exists without its e-mail's ledger row
            reply = Reply.objects.create(
                contribution=contribution,
                author=user,
                body=body,
                created_at=now or timezone.now(),
                submission_token=token,
            )
            if to_author:
                from cooperation_hub.background import enqueue_on_commit

                from .tasks import notify_reply

                ReplyNotification.objects.create(reply=reply)  # claimed: the task sends it after the commit
                enqueue_on_commit(notify_reply, reply.pk)  # dropped with the savepoint if the insert loses a race
        return reply

    return once.create_once(Reply, user, submission_token, insert, same=_same_reply(contribution, body))


def _same_reply(contribution: Contribution, body: str):
    return lambda r: (r.contribution_id, r.body) == (contribution.pk, body)


def submitted_reply(user, contribution: Contribution, token: uuid.UUID | None, *, body: str) -> Reply | None:
    """The reply this very form already stored, if it did."""
    return once.replayed(Reply, user, token, _same_reply(contribution, body))


def edit_reply(user, reply: Reply, body: str, now: datetime | None = None) -> Reply:
    """Change one's own reply while the window is open; the previous version is kept."""
    _require(rules.may_participate(user))
    _require(rules.can_change_reply(user, reply, rules.Action.EDIT, now))
    with transaction.atomic():
        ReplyRevision.objects.create(reply=reply, body=reply.body, edited_at=now or timezone.now())
        reply.body = body
        reply.save(update_fields=["body"])
    return reply


def withdraw_reply(user, reply: Reply, now: datetime | None = None) -> Reply:
    _require(rules.can_change_reply(user, reply, rules.Action.WITHDRAW, now))
    reply.state = Contribution.State.WITHDRAWN
    reply.save(update_fields=["state"])
    return reply


def set_support(user, contribution: Contribution, supported: bool, now: datetime | None = None) -> bool:
    """Give (True) or withdraw (False) one's support; returns whether it changed anything."""
    check_participation(user, contribution.consultation, rules.Action.SUPPORT, now)
    if supported:
        _require(rules.can_support(user, contribution))
    if not contribution.is_published:
        raise Refused(_("This contribution can no longer be supported."), 404)
    if supported:
        try:
            with transaction.atomic():
                Support.objects.create(contribution=contribution, user=user, created_at=now or timezone.now())
        except IntegrityError:  # one per account: a double click changes nothing
            return False
        return True
    return Support.objects.filter(contribution=contribution, user=user).delete()[0] > 0


def report_contribution(user, contribution: Contribution, reason: str) -> Report:
    """Anyone signed in may report, even after closing (moderation outlives the window)."""
    if not getattr(user, "is_authenticated", False):
        raise Refused(_("Sign in to report a contribution."), 403)
    report, created = Report.objects.get_or_create(
        contribution=contribution, reply=None, reporter=user, defaults={"reason": reason}
    )
    if not created:
        raise Refused(_("You have already reported this contribution; moderators will look at it."), 409)
    return report


def report_reply(user, reply: Reply, reason: str) -> Report:
    """A reply is reported like a contribution, on its own: moderators hide the reply, not the thread."""
    if not getattr(user, "is_authenticated", False):
        raise Refused(_("Sign in to report a reply."), 403)
    if reply.state != Contribution.State.PUBLISHED:
        raise Refused(_("This reply is no longer shown."), 404)
    report, created = Report.objects.get_or_create(
        contribution=reply.contribution, reply=reply, reporter=user, defaults={"reason": reason}
    )
    if not created:
        raise Refused(_("You have already reported this reply; moderators will look at it."), 409)
    return report


def _moderate(moderator, target: Contribution | Reply, kind: str, reason: str, state: str | None) -> ModerationAction:
    """Sets ``target``'s state, closes its open reports and writes the audit trail, in one transaction."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Give a reason: it is kept in the audit trail."), 400)
    if isinstance(target, Reply):
        contribution, reply = target.contribution, target
    else:
        contribution, reply = target, None
    with transaction.atomic():
        if state is not None:
            target.state = state
            target.save(update_fields=["state"] if reply else ["state", "updated_at"])
        Report.objects.filter(contribution=contribution, reply=reply, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=moderator
        )
        return ModerationAction.objects.create(
            contribution=contribution, reply=reply, moderator=moderator, action=kind, reason=reason
        )


def hide(moderator, target: Contribution | Reply, reason: str) -> ModerationAction:
    if target.state == Contribution.State.WITHDRAWN:
        raise Refused(_("A withdrawn contribution is already out of sight."), 409)
    if target.state == Contribution.State.HIDDEN:
        raise Refused(_("This is already hidden."), 409)
    return _moderate(moderator, target, ModerationAction.Kind.HIDE, reason, Contribution.State.HIDDEN)


def restore(moderator, target: Contribution | Reply, reason: str) -> ModerationAction:
    if target.state != Contribution.State.HIDDEN:
        raise Refused(_("Only a hidden contribution can be restored."), 409)
    return _moderate(moderator, target, ModerationAction.Kind.RESTORE, reason, Contribution.State.PUBLISHED)


def dismiss_reports(moderator, target: Contribution | Reply, reason: str) -> ModerationAction:
    return _moderate(moderator, target, ModerationAction.Kind.DISMISS, reason, None)
