"""The GDPR rules for a member's account, as plain functions.

- ``export_member_data(user)``: everything the site keeps about a member, as
  JSON-ready data (right of access and portability).
- ``erase_member(user)``: the one way an account is deleted, from the profile
  page and from the Wagtail admin alike (right to erasure). The consultation's
  record stays readable: contributions and replies move to a shared anonymous
  placeholder ("Former participant"), supports are kept as anonymous counts,
  open reports stay in the moderators' queue without their reporter; the
  account, its e-mail addresses, preferences and digest subscriptions are
  deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail import hooks

from contributions.models import Contribution, NotificationPreference, Reply, Report, Support
from cooperation_hub import page_cache
from cooperation_hub.models import FORMER_PARTICIPANT_USERNAME
from cooperation_hub.sites import absolute_url
from subscriptions import retention


class CannotErase(Exception):
    """This account is not a member's: the placeholder itself."""


@dataclass(frozen=True)
class Erasure:
    """What erasing an account did, for the message shown afterwards."""

    contributions: int
    replies: int
    supports: int
    reports: int
    subscriptions: int


def former_participant():
    """The placeholder account that keeps erased members' contributions and replies.

    It cannot sign in (inactive, no usable password) and has no personal field;
    its public name is translated when shown (User.public_name)."""
    User = get_user_model()
    placeholder, created = User.objects.get_or_create(
        username=FORMER_PARTICIPANT_USERNAME,
        defaults={"is_active": False, "email": ""},
    )
    if created:
        placeholder.set_unusable_password()
        placeholder.save(update_fields=["password"])
    return placeholder


def _email_addresses(user) -> list[str]:
    addresses = set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    if user.email:
        addresses.add(user.email)
    return sorted(a.lower() for a in addresses)


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def _url(contribution: Contribution) -> str:
    return absolute_url(contribution.get_url())


def export_member_data(user) -> dict:
    """Everything kept about ``user``, and nothing about anyone else."""
    addresses = _email_addresses(user)
    contributions = (
        Contribution.objects.filter(author=user)
        .select_related("consultation", "section")
        # django-stubs does not know taggit's manager can be prefetched.
        .prefetch_related("tags", "revisions")  # type: ignore[misc]
        .order_by("created_at", "pk")
    )
    replies = Reply.objects.filter(author=user).select_related("contribution__consultation").order_by("created_at")
    supports = Support.objects.filter(user=user).select_related("contribution__consultation").order_by("created_at")
    reports = Report.objects.filter(reporter=user).select_related("contribution__consultation").order_by("created_at")
    subscriptions = (
        retention.linked_to(addresses, user)
        .select_related("city")
        .prefetch_related("themes", "sdgs")
        .order_by("created_at")
    )
    data = {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "username": user.username,
            "email": user.email,
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user).order_by("email")
            ],
            "display_name": user.display_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "city": user.city,
            "organisation": user.organisation,
            "language": user.language,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "notification_preferences": {"email_on_reply": NotificationPreference.wants_reply_emails(user)},
        "contributions": [
            {
                "id": c.pk,
                "url": _url(c),
                "consultation": c.consultation.title,
                "title": c.title,
                "text": c.body,
                "tags": sorted(t.name for t in c.tags.all()),
                "section": c.section.title if c.section else "",
                "language": c.language,
                "state": c.state,
                "created_at": _when(c.created_at),
                "updated_at": _when(c.updated_at),
                "previous_versions": [
                    {"title": r.title, "text": r.body, "tags": r.tags, "replaced_at": _when(r.edited_at)}
                    for r in c.revisions.all()
                ],
            }
            for c in contributions
        ],
        "replies": [
            {
                "id": r.pk,
                "contribution": r.contribution.title,
                "contribution_url": _url(r.contribution),
                "text": r.body,
                "state": r.state,
                "created_at": _when(r.created_at),
            }
            for r in replies
        ],
        "supports": [
            {
                "contribution": s.contribution.title,
                "contribution_url": _url(s.contribution),
                "created_at": _when(s.created_at),
            }
            for s in supports
        ],
        "reports": [
            {
                "contribution": r.contribution.title,
                "contribution_url": _url(r.contribution),
                "reply_id": r.reply_id,
                "reason": r.reason,
                "created_at": _when(r.created_at),
                "resolved_at": _when(r.resolved_at),
            }
            for r in reports
        ],
        "subscriptions": [
            {
                "email": s.email,
                "state": s.state_label,
                "frequency": s.frequency,
                "language": s.language,
                "themes": sorted(t.slug for t in s.themes.all()),
                "sdgs": sorted(g.number for g in s.sdgs.all()),
                "tags": s.tags,
                "regions": s.regions,
                "countries": s.countries,
                "consultations": [str(key) for key in s.consultations],
                "city": s.city.name if s.city else "",
                "nothing_new_note": s.nothing_new_note,
                "created_at": _when(s.created_at),
                "confirmed_at": _when(s.confirmed_at),
                "paused_at": _when(s.paused_at),
                "pause_reason": s.pause_reason,
                "unsubscribed_at": _when(s.unsubscribed_at),
                "digests_delivered": s.deliveries.count(),
            }
            for s in subscriptions
        ],
    }
    # Apps that keep more about a member (exchanges: requests and threads) add their part
    # with the "hub_member_data" Wagtail hook: (key, JSON-ready data); accounts imports none of them.
    for hook in hooks.get_hooks("hub_member_data"):
        key, value = hook(user)
        data[key] = value
    return data


def erase_member(user) -> Erasure:
    """Delete ``user``'s account, keeping the consultations' record readable.

    All or nothing, in one transaction. Raises CannotErase for the placeholder."""
    if user.username == FORMER_PARTICIPANT_USERNAME:
        raise CannotErase(user.pk)
    with transaction.atomic():
        placeholder = former_participant()
        # Queryset updates: the contributions' "updated" dates stay those of their last edit.
        contributions = Contribution.objects.filter(author=user).update(author=placeholder)
        replies = Reply.objects.filter(author=user).update(author=placeholder)
        supports = Support.objects.filter(user=user).update(user=None)
        reports = Report.objects.filter(reporter=user).update(reporter=None)
        for hook in hooks.get_hooks("hub_member_erasure"):  # other apps' data (exchanges' threads)
            hook(user, placeholder)
        subscriptions = retention.erase_addresses(_email_addresses(user), user)
        # The rest goes with the account: e-mail addresses, preferences, sessions' user, admin data.
        get_user_model().objects.filter(pk=user.pk).delete()
        # Every page that named the member is out of date (no signal fires for the updates above).
        page_cache.invalidate(page_cache.SITE)
    return Erasure(contributions, replies, supports, reports, subscriptions)
