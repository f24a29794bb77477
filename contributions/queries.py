"""Read-side queries: the public list of a consultation's contributions,
with their counts in one query (no N+1), and the synthesis figures."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .models import ConsultationPage, Contribution, Reply, Support

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

SORTS = {
    "newest": ("-created_at", "-pk"),
    "supported": ("-support_count", "-created_at", "-pk"),
    "discussed": ("-reply_count", "-created_at", "-pk"),
}


def _count(model, filters: dict | None = None):
    sub = (
        model.objects.filter(contribution=OuterRef("pk"), **(filters or {}))
        .order_by()
        .values("contribution")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


class Counts(TypedDict):
    """The columns ``with_counts`` adds (for the type checker: filters and sorts may name them)."""

    support_count: int
    reply_count: int


def with_counts(qs: QuerySet[Contribution]) -> QuerySet[WithAnnotations[Contribution, Counts]]:
    return qs.annotate(
        support_count=_count(Support),
        reply_count=_count(Reply, {"state": Contribution.State.PUBLISHED}),
    )


def published(consultation: ConsultationPage) -> QuerySet[Contribution]:
    """What the public sees: published contributions of every translation."""
    return (
        consultation.all_contributions()
        .filter(state=Contribution.State.PUBLISHED)
        .select_related("author", "section", "consultation")
        .prefetch_related("tags")
    )


@dataclass
class ListingParams:
    sort: str = "newest"
    tag: str = ""
    section: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, data) -> ListingParams:
        sort = data.get("sort", "newest")
        return cls(
            sort=sort if sort in SORTS else "newest",
            tag=(data.get("tag") or "").strip()[:100],
            section=(data.get("section") or "").strip()[:60],
            q=(data.get("q") or "").strip()[:200],
        )

    def in_query(self) -> list[tuple[str, str]]:
        """The parameters that ask for this listing again (the default sort left out)."""
        values = {
            "q": self.q,
            "sort": "" if self.sort == "newest" else self.sort,
            "tag": self.tag,
            "section": self.section,
        }
        return [(name, value) for name, value in values.items() if value]


def listing(consultation: ConsultationPage, params: ListingParams) -> QuerySet[Contribution]:
    qs = with_counts(published(consultation))
    if params.tag:
        qs = qs.filter(tags__slug=params.tag)
    if params.section:
        # Sections are per translation; their slug is shared by all of them.
        qs = qs.filter(section__slug=params.section)
    if params.q:
        words = params.q.split()[:8]
        for word in words:
            qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word) | Q(tags__name__iexact=word))
        qs = qs.distinct()
    return qs.order_by(*SORTS[params.sort])


def tag_counts(consultation: ConsultationPage) -> list[tuple[str, str, int]]:
    """(slug, name, count) of the tags used by published contributions, most used first."""
    rows = (
        published(consultation)
        .order_by()
        .values("tags__slug", "tags__name")
        .annotate(n=Count("pk", distinct=True))
        .filter(tags__slug__isnull=False)
        .order_by("-n", "tags__name")
    )
    return [(r["tags__slug"], r["tags__name"], r["n"]) for r in rows]


def section_counts(consultation: ConsultationPage) -> list[tuple[str, str, int]]:
    """(slug, heading in this page's language, count) for every section of the page."""
    counts = Counter(published(consultation).order_by().exclude(section=None).values_list("section__slug", flat=True))
    return [(s.slug, s.title, counts.get(s.slug, 0)) for s in consultation.sections.all()]


def most_supported(consultation: ConsultationPage, limit: int = 5) -> list[Contribution]:
    return list(
        with_counts(published(consultation))
        .filter(support_count__gt=0)
        .order_by("-support_count", "-created_at")[:limit]
    )


@dataclass
class Timeline:
    """Published contributions per period (week or month), per section and per tag."""

    granularity: str  # "week" or "month"
    periods: list  # the first day of each period, oldest first, with no gap
    totals: list[int]
    sections: list[tuple[str, list[int], int]]  # (heading in the page's language, counts per period, total)
    tags: list[tuple[str, list[int], int]]


def timeline(consultation: ConsultationPage, max_tags: int = 8) -> Timeline:
    """Weeks when the contributions span less than about three months, months otherwise;
    days in the consultation's time zone. Sections by slug (shared by translations),
    headed in ``consultation``'s language."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(consultation.timezone_name)
    rows = [
        (c.created_at.astimezone(tz).date(), c.section.slug if c.section else None, [t.name for t in c.tags.all()])
        for c in published(consultation).order_by("created_at")
    ]
    if not rows:
        return Timeline("week", [], [], [], [])
    first, last = rows[0][0], rows[-1][0]
    granularity = "week" if (last - first).days <= 91 else "month"

    def start(day):
        return day - timedelta(days=day.weekday()) if granularity == "week" else day.replace(day=1)

    periods, cursor = [], start(first)
    while cursor <= last:
        periods.append(cursor)
        cursor = cursor + timedelta(days=7) if granularity == "week" else (cursor + timedelta(days=32)).replace(day=1)
    index = {p: i for i, p in enumerate(periods)}
    totals = [0] * len(periods)
    by_section: dict[str, list[int]] = {}
    by_tag: dict[str, list[int]] = {}
    for day, section, tags in rows:
        i = index[start(day)]
        totals[i] += 1
        if section:
            by_section.setdefault(section, [0] * len(periods))[i] += 1
        for tag in tags:
            by_tag.setdefault(tag, [0] * len(periods))[i] += 1
    headings = [(s.slug, s.title) for s in consultation.sections.all()]
    sections = [
        (title, by_section.get(slug, [0] * len(periods)), sum(by_section.get(slug, []))) for slug, title in headings
    ]
    tags = sorted(((name, counts, sum(counts)) for name, counts in by_tag.items()), key=lambda r: (-r[2], r[0].lower()))
    return Timeline(granularity, periods, totals, sections, tags[:max_tags])


def most_discussed(consultation: ConsultationPage, limit: int = 5) -> list[Contribution]:
    return list(
        with_counts(published(consultation)).filter(reply_count__gt=0).order_by("-reply_count", "-created_at")[:limit]
    )


def participation(consultation: ConsultationPage) -> dict[str, int]:
    """The figures at the top of the synthesis: contributions, replies, supports, people."""
    contributions = published(consultation)
    replies = Reply.objects.filter(contribution__in=contributions, state=Contribution.State.PUBLISHED)
    supports = Support.objects.filter(contribution__in=contributions)
    people = set(contributions.values_list("author_id", flat=True)) | set(replies.values_list("author_id", flat=True))
    return {
        "contributions": contributions.count(),
        "replies": replies.count(),
        "supports": supports.count(),
        "people": len(people),
    }
