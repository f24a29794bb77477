"""Outcomes become knowledge: six months after a partnership starts, and when it ends, each
city's people are asked for a short outcome; an answer becomes a draft report submitted to review.

- ``claim_due(today)`` writes one ``OutcomeRequest`` per (partnership, city, milestone, person)
  that is due; the unique constraint makes a second run write nothing.
- ``send_claimed()`` sends each claimed request once (the ledger's fence: a row is re-claimed
  under a new token before its e-mail goes out, so two workers never both send it), in the
  person's language, with a link to the answer form.
- ``answer(request, ...)`` stores the answer and makes the draft report (``draft_report_from``),
  submitted to the review workflow of experiences/publishing.py.

Who is asked for a city: the members the apps that register the ``partnerships_city_contacts``
Wagtail hook name (exchanges: a city's verified contacts), else the owners of the partnership's
linked reports of that city, else the owner of the city's newest report. ``answers_for`` is the
same rule as one SQL condition (the admin's list of the partnerships an officer may edit).

The hook's contract: ``hook(city)`` returns a queryset of users, where ``city`` is a City, its pk,
or an expression naming the city of an outer query (``OuterRef("city_id")``), so that the rule
can be asked of every city of every partnership at once.
"""

from __future__ import annotations

import datetime
import logging
import uuid

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.lookups import Exact
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cooperation_hub.sites import absolute_reverse
from experiences.models import City, ExperienceIndexPage, ExperiencePage, ExperiencePartnerCity

from .models import OutcomeRequest, Partnership

logger = logging.getLogger(__name__)
Milestone = OutcomeRequest.Milestone


def max_attempts() -> int:
    return int(getattr(settings, "PARTNERSHIP_OUTCOME_MAX_ATTEMPTS", 5))


def milestones_due(partnership: Partnership, today: datetime.date) -> list[str]:
    """The milestone at which this partnership's outcome is due on ``today``: its end once it has
    ended (a six-month outcome not asked for by then is not asked for at all: one e-mail, not two
    alike on the same day), else six months after its start."""
    if partnership.status == Partnership.Status.EXPLORING or partnership.start_date is None:
        return []
    ended = partnership.end_date is not None and today >= partnership.end_date
    if ended or partnership.status == Partnership.Status.COMPLETED:
        return [Milestone.END.value]
    if today >= partnership.start_date + relativedelta(months=6):
        return [Milestone.SIX_MONTHS.value]
    return []


def contacts_for(partnership: Partnership, city: City) -> list:
    """The people who answer for ``city`` in this partnership (see the module's docstring)."""
    from wagtail import hooks

    users = [user for hook in hooks.get_hooks("partnerships_city_contacts") for user in hook(city)]
    if not users:
        owners = partnership.reports.filter(city=city, owner__isnull=False).values_list("owner_id", flat=True)
        users = list(get_user_model().objects.filter(pk__in=owners))
    if not users:
        newest = ExperiencePage.objects.filter(city=city, owner__isnull=False).order_by(*NEWEST_FIRST).first()
        users = [newest.owner] if newest is not None else []
    return [u for u in dict.fromkeys(users) if u.is_active and u.email]


# The city's newest report, the same on every engine (PostgreSQL puts NULLs first when descending).
NEWEST_FIRST = (F("first_published_at").desc(nulls_last=True), "-pk")


def answers_for(user) -> Q:
    """``contacts_for`` as a condition on ``PartnershipCity`` rows: ``user`` answers for the row's
    city in the row's partnership. One SQL condition, whatever the number of partnerships."""
    from wagtail import hooks

    if not (getattr(user, "is_authenticated", False) and user.is_active and user.email):
        return Q(pk__in=[])
    contact_sets = [hook(OuterRef("city_id")) for hook in hooks.get_hooks("partnerships_city_contacts")]
    is_contact = Q(pk__in=[])
    has_contacts = Q(pk__in=[])
    for contacts in contact_sets:
        is_contact |= Q(Exists(contacts.filter(pk=user.pk)))
        has_contacts |= Q(Exists(contacts))
    linked = ExperiencePage.objects.filter(
        city_id=OuterRef("city_id"), partnerships=OuterRef("partnership_id"), owner__isnull=False
    )
    newest_owner = Subquery(
        ExperiencePage.objects.filter(city_id=OuterRef("city_id"), owner__isnull=False)
        .order_by(*NEWEST_FIRST)
        .values("owner_id")[:1]
    )
    by_reports = Q(Exists(linked.filter(owner=user))) | (~Q(Exists(linked)) & Q(Exact(newest_owner, user.pk)))
    return is_contact | (~has_contacts & by_reports)


def claim_due(today: datetime.date | None = None) -> int:
    """Write the outcome requests due on ``today`` (none twice); the number written."""
    today = today or timezone.localdate()
    rows: list[OutcomeRequest] = []
    candidates = (
        Partnership.objects.exclude(status=Partnership.Status.EXPLORING).filter(
            start_date__lte=today - relativedelta(months=6)
        )
        | Partnership.objects.filter(end_date__lte=today)
        | Partnership.objects.filter(status=Partnership.Status.COMPLETED)
    )
    for partnership in candidates.distinct().prefetch_related("partner_cities__city"):
        milestones = milestones_due(partnership, today)
        if not milestones:
            continue
        for city in partnership.cities:
            for user in contacts_for(partnership, city):
                rows.extend(
                    OutcomeRequest(partnership=partnership, city=city, milestone=m, recipient=user) for m in milestones
                )
    before = OutcomeRequest.objects.count()
    OutcomeRequest.objects.bulk_create(rows, ignore_conflicts=True)  # the unique constraint: once each
    return OutcomeRequest.objects.count() - before


def _reclaim(row: OutcomeRequest) -> bool:
    """Take the row under a new token: only one of two workers gets it."""
    token = uuid.uuid4()
    taken = OutcomeRequest.objects.filter(
        pk=row.pk, claim_token=row.claim_token, state=OutcomeRequest.State.CLAIMED
    ).update(claim_token=token, claimed_at=timezone.now())
    row.claim_token = token
    return bool(taken)


def message_for(row: OutcomeRequest) -> EmailMultiAlternatives:
    language = row.recipient.language if row.recipient.language in ("fr", "en") else "fr"
    with translation.override(language):
        context = {
            "request": row,
            "partnership": row.partnership,
            "milestone": row.get_milestone_display(),
            "answer_url": absolute_reverse("partnerships:outcome", language=language, kwargs={"token": row.token}),
            "partnership_url": absolute_reverse(
                "partnerships:detail", language=language, kwargs={"pk": row.partnership_id}
            ),
        }
        subject = _("How did “%(title)s” go? A short outcome") % {"title": row.partnership.display_title}
        body = render_to_string("partnerships/email/outcome_request.txt", context)
    return EmailMultiAlternatives(subject, body, to=[row.recipient.email], headers={"Auto-Submitted": "auto-generated"})


def send_claimed(connection=None) -> dict[str, int]:
    """Send every claimed request once; a failure is retried at the next run, up to max_attempts()."""
    counts = {"sent": 0, "failed": 0, "retry": 0}
    pending = OutcomeRequest.objects.filter(state=OutcomeRequest.State.CLAIMED).select_related(
        "partnership", "recipient", "city"
    )
    for row in pending:
        if not _reclaim(row):
            continue  # another worker has it
        try:
            message = message_for(row)
            if connection is not None:
                message.connection = connection
            message.send(fail_silently=False)
        except Exception as error:  # the mail server's answer is kept on the row
            if row.attempts + 1 >= max_attempts():
                row.mark_failed(str(error), attempted=True)
                counts["failed"] += 1
            else:
                row.note_error(str(error))
                counts["retry"] += 1
            continue
        if row.mark_sent():
            counts["sent"] += 1
    return counts


def draft_report_from(row: OutcomeRequest) -> ExperiencePage:
    """A draft report of the answering city, pre-filled from the partnership and the answer,
    submitted to the review workflow (nothing goes live)."""
    partnership = row.partnership
    language = row.recipient.language if row.recipient.language in ("fr", "en") else "fr"
    index = (
        ExperienceIndexPage.objects.filter(locale__language_code=language).order_by("path").first()
        or ExperienceIndexPage.objects.order_by("path").first()
    )
    with translation.override(language):
        title = _("Outcome of the partnership %(title)s") % {"title": partnership.display_title}
        body = [
            {"type": "paragraph", "value": f"<h2>{escape(heading)}</h2><p>{escape(text)}</p>"}
            for heading, text in (
                (_("What was exchanged"), row.what_exchanged),
                (_("What changed"), row.what_changed),
            )
            if text
        ]
    page = ExperiencePage(
        title=title[:255],
        slug=slugify(f"outcome-{partnership.pk}-{row.city.slug}-{row.milestone}")[:255],
        summary=(row.what_changed or row.what_exchanged)[:600] or title,
        lessons=row.do_differently,
        city=row.city,
        owner=row.recipient,
        live=False,
        has_unpublished_changes=True,
        start_year=partnership.start_date.year if partnership.start_date else None,
        end_year=partnership.end_date.year if partnership.end_date else None,
        body=body,
    )
    page.partner_cities = [ExperiencePartnerCity(city=c) for c in partnership.cities if c.pk != row.city_id]
    page.themes = list(partnership.themes.all())
    page.sdgs = list(partnership.sdgs.all())
    index.add_child(instance=page)
    page.save_revision(user=row.recipient, clean=False, log_action=True)
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, user=row.recipient)
    else:
        logger.warning("no review workflow for the outcome of partnership %s: left as a draft", partnership.pk)
    return page


@transaction.atomic
def answer(row: OutcomeRequest, *, what_exchanged: str, what_changed: str, do_differently: str) -> ExperiencePage:
    """Store the answer and make its draft report (once: a second answer edits the same draft's text)."""
    row = OutcomeRequest.objects.select_for_update().select_related("partnership", "city", "recipient").get(pk=row.pk)
    row.what_exchanged, row.what_changed, row.do_differently = what_exchanged, what_changed, do_differently
    row.answered_at = timezone.now()
    if row.draft_report is None:
        row.draft_report = draft_report_from(row)
        # Through the table itself: the partnership is not saved again for it.
        Partnership.reports.through.objects.get_or_create(
            partnership_id=row.partnership_id, experiencepage_id=row.draft_report.pk
        )
    row.save(update_fields=["what_exchanged", "what_changed", "do_differently", "answered_at", "draft_report"])
    return row.draft_report
