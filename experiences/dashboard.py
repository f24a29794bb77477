"""What a cooperation officer (or a reviewer) sees first in the admin.

Their drafts, the reports awaiting their review, what was published lately,
and how many comparable projects each of their published reports has, with
the ones published since. Comparable projects are not stored: they are worked
out for the officer's few latest reports only (see search.comparable).
"""

import logging
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail import hooks
from wagtail.models import Page, TaskState, WorkflowState

from .models import ExperiencePage
from .publishing import OFFICERS, REVIEWERS

logger = logging.getLogger(__name__)
LIMIT = 8
COMPARABLE_REPORTS = 5


@dataclass
class Draft:
    page: ExperiencePage
    in_review: bool


@dataclass
class PublishedReport:
    page: ExperiencePage
    comparable: int
    new_comparable: int  # published after this report was


@dataclass
class OfficerDashboard:
    drafts: list[Draft] = field(default_factory=list)
    to_review: list[ExperiencePage] = field(default_factory=list)
    recently_published: list[ExperiencePage] = field(default_factory=list)
    my_published: list[PublishedReport] = field(default_factory=list)
    is_reviewer: bool = False


def works_on_reports(user) -> bool:
    """Officers, reviewers and administrators: the people the panel is for."""
    return bool(user.is_superuser or user.groups.filter(name__in=[OFFICERS, REVIEWERS]).exists())


def officer_dashboard(user) -> OfficerDashboard:
    dashboard = OfficerDashboard(is_reviewer=user.is_superuser or user.groups.filter(name=REVIEWERS).exists())
    reports = ExperiencePage.objects.select_related("locale", "city")
    # A draft is what the user owns or last saved and has not gone live as it stands.
    drafts = list(
        reports.filter(Q(owner=user) | Q(latest_revision__user=user))
        .filter(Q(live=False) | Q(has_unpublished_changes=True))
        .order_by("-latest_revision_created_at")[:LIMIT]
    )
    in_review = (
        set(
            WorkflowState.objects.filter(
                status=WorkflowState.STATUS_IN_PROGRESS,
                base_content_type=ContentType.objects.get_for_model(Page),
                object_id__in=[str(page.pk) for page in drafts],
            ).values_list("object_id", flat=True)
        )
        if drafts
        else set()
    )
    dashboard.drafts = [Draft(page, str(page.pk) in in_review) for page in drafts]
    if dashboard.is_reviewer:
        report_type = ContentType.objects.get_for_model(ExperiencePage)
        ids = (
            TaskState.objects.reviewable_by(user)
            .filter(revision__content_type=report_type)
            .values_list("revision__object_id", flat=True)
        )
        dashboard.to_review = list(
            reports.filter(pk__in=[int(pk) for pk in ids]).order_by("-latest_revision_created_at")[:LIMIT]
        )
    dashboard.recently_published = list(reports.live().order_by("-last_published_at")[:LIMIT])
    dashboard.my_published = _with_comparable(
        list(reports.live().filter(owner=user).order_by("-last_published_at")[:COMPARABLE_REPORTS])
    )
    return dashboard


def _with_comparable(pages: list[ExperiencePage]) -> list[PublishedReport]:
    # The search app answers through a hook (search/wagtail_hooks.py): experiences does not import search.
    providers = hooks.get_hooks("experiences_comparable_projects")
    result = []
    for page in pages:
        try:
            items = [item for provider in providers for item in provider(page, page.locale.language_code)]
        except Exception as exc:  # the dashboard must open even when the search engine does not answer
            logger.warning("comparable projects of %s not counted (%s)", page.pk, exc)
            items = []
        since = page.first_published_at
        new = sum(
            1 for item in items if since and item.page.first_published_at and item.page.first_published_at > since
        )
        result.append(PublishedReport(page, len(items), new))
    return result
