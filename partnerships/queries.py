"""The partnerships' filters (list page, API, exports) and what a row shows.

One table of filters, read leniently by the list page (a bad value is left out and
said so) and strictly by the API (400 with the reason), like the reports' filters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from cooperation_hub.text import fold
from experiences import vocabulary
from experiences.models import ExperiencePage
from experiences.regions import country_name, is_country_code

from .models import Partnership, PartnershipCity, PartnershipQuerySet, RegionPair

FILTERS = ("country", "region_pair", "theme", "status", "kind")
LABELS = {
    "country": gettext_lazy("Country"),
    "region_pair": gettext_lazy("Region pair"),
    "theme": gettext_lazy("Theme"),
    "status": gettext_lazy("Status"),
    "kind": gettext_lazy("Kind"),
}
# The option that sets a filter aside, where French gives it the gender of its noun ("Paire de
# régions : Toutes"); the others take the list's "All" ("Tous").
ALL_LABELS = {"region_pair": pgettext_lazy("partnership filter, region pair", "All")}
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


@dataclass
class Filters:
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def parse_filters(params) -> Filters:
    """The valid filters of ``params`` (a QueryDict or dict) and a message for each bad one."""
    result = Filters()
    for name in FILTERS:
        raw = (params.get(name) or "").strip()
        if not raw:
            continue
        value = raw.upper() if name == "country" else raw.lower()
        if name == "country" and not (len(value) == 2 and is_country_code(value)):
            result.errors[name] = _("Unknown country code: %(value)s (ISO 3166-1 alpha-2, e.g. FR).") % {
                "value": raw[:20]
            }
        elif name == "region_pair" and value not in RegionPair.values:
            result.errors[name] = _("Unknown region pair: %(value)s (one of %(allowed)s).") % {
                "value": raw[:40],
                "allowed": ", ".join(RegionPair.values),
            }
        elif name == "theme" and value not in vocabulary.by_slug(vocabulary.THEMES):
            result.errors[name] = _("Unknown theme: %(value)s.") % {"value": raw[:40]}
        elif name == "status" and value not in Partnership.Status.values:
            result.errors[name] = _("Unknown status: %(value)s (one of %(allowed)s).") % {
                "value": raw[:40],
                "allowed": ", ".join(Partnership.Status.values),
            }
        elif name == "kind" and value not in Partnership.Kind.values:
            result.errors[name] = _("Unknown kind: %(value)s (one of %(allowed)s).") % {
                "value": raw[:40],
                "allowed": ", ".join(Partnership.Kind.values),
            }
        else:
            result.values[name] = value
    return result


def filter_partnerships(queryset: QuerySet[Partnership], values: dict[str, str]) -> QuerySet[Partnership]:
    """``queryset`` narrowed to ``values`` (valid filters). Subqueries, so no row comes twice."""
    if "country" in values:
        queryset = queryset.filter(
            pk__in=PartnershipCity.objects.filter(city__country=values["country"]).values("partnership_id")
        )
    if "region_pair" in values:
        queryset = queryset.filter(pk__in=Partnership.objects.in_region_pair(values["region_pair"]).values("pk"))
    if "theme" in values:
        queryset = queryset.filter(
            pk__in=Partnership.themes.through.objects.filter(theme__slug=values["theme"]).values("partnership_id")
        )
    if "status" in values:
        queryset = queryset.filter(status=values["status"])
    if "kind" in values:
        queryset = queryset.filter(kind=values["kind"])
    return queryset


def display_queryset() -> PartnershipQuerySet:
    """Every partnership with everything a row reads (a fixed number of queries); linked reports
    only when the public may see them."""
    return Partnership.objects.for_display().prefetch_related(
        Prefetch("reports", queryset=ExperiencePage.objects.visible_to_public().select_related("locale").order_by("pk"))
    )


def public_queryset() -> QuerySet[Partnership]:
    """What the public may see."""
    return display_queryset().visible_to_public()


def localized_reports(partnerships: list[Partnership], language: str) -> dict[int, list[ExperiencePage]]:
    """For each partnership, its public linked reports in ``language`` when translated (else as linked).

    One query for all the partnerships given (their ``reports`` already prefetched)."""
    keys = {report.translation_key for p in partnerships for report in p.reports.all()}
    translated = (
        {
            page.translation_key: page
            for page in ExperiencePage.objects.visible_to_public().filter(
                translation_key__in=keys, locale__language_code=language
            )
        }
        if keys
        else {}
    )
    result: dict[int, list[ExperiencePage]] = {}
    for partnership in partnerships:
        seen: dict[Any, ExperiencePage] = {}
        for report in partnership.reports.all():
            seen.setdefault(report.translation_key, translated.get(report.translation_key, report))
        result[partnership.pk] = list(seen.values())
    return result


def country_choices(language: str) -> list[tuple[str, str]]:
    """The countries of public partnerships, by name in ``language``."""
    codes = set(
        PartnershipCity.objects.filter(partnership__is_public=True).values_list("city__country", flat=True).distinct()
    )
    return sorted(((code, country_name(code, language)) for code in codes), key=lambda item: fold(item[1]))
