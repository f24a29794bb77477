"""What the seed documents leave out of the demo's reports: where every city is, and when
each report was published.

GeoNames (experiences/geonames.py) places most cities. The seed names a partner place
"Sanjai" (China) that GeoNames does not know, so the map would show one city fewer than
its accessible table; the demo places it explicitly (illustrative, like the report).

The importer stamps every report with the load's instant, so a fresh demo looked as if
the whole network had published the same minute: "newest first" meant nothing and every
report said it was published today. Each report gets a publication day instead, counted
back from the day the demo is loaded (so the network keeps looking alive, as the open
consultation's window does) and in the order the seed documents tell the projects
(the earliest projects were written up first).
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

# (name, country) -> (latitude, longitude), only for what GeoNames cannot place.
DEMO_PLACES: dict[tuple[str, str], tuple[float, float]] = {
    # Named by the founding consultation among the Chinese places of the school exchanges,
    # not located there: placed in Hubei, south-west of Wuhan, as an illustrative position.
    ("Sanjai", "CN"): (30.05, 113.2),
}

# external_id -> days before the load day the report was published (same day in both
# languages), spread over about two years; the oldest projects first.
PUBLISHED_DAYS_AGO: dict[str, int] = {
    "curitiba-recycling-for-food": 702,
    "dubai-happiness-index": 655,
    "loos-en-gohelle-citizen-solar": 611,
    "bethune-smart-city": 563,
    "cerema-medium-cities-study": 518,
    "engie-ohio-state-energy-contract": 470,
    "da-nang-flood-alerts": 427,
    "medium-cities-smart-rise": 381,
    "bethune-fnccr-tour": 334,
    "schools-international-cooperation-montpellier": 290,
    "schools-international-cooperation-grenoble": 246,
    "saint-quentin-online-public-services": 199,
    "southern-cities-learning-from-north": 151,
    "smart-city-digital-cultural-heritage": 104,
    "lorient-school-energy-monitoring": 58,
    "chefchaouen-market-composting": 17,
}
# Mid-morning, Paris time: a plausible moment for an officer to publish.
PUBLISHED_AT = time(10, 30)


def place_demo_cities() -> int:
    """Give coordinates to the demo's cities GeoNames could not place; an editor's values stay."""
    from experiences.models import City

    placed = 0
    for (name, country), (latitude, longitude) in DEMO_PLACES.items():
        placed += (
            City.objects.filter(name__iexact=name, country=country)
            .filter(Q(latitude__isnull=True) | Q(longitude__isnull=True))
            .update(latitude=latitude, longitude=longitude)
        )
    return placed


def published_at(external_id: str, today: date) -> datetime | None:
    days = PUBLISHED_DAYS_AGO.get(external_id)
    if days is None:
        return None
    day = today - timedelta(days=days)
    return datetime.combine(day, PUBLISHED_AT, tzinfo=ZoneInfo(settings.TIME_ZONE or "UTC"))


def date_demo_reports(since: datetime, today: date | None = None) -> int:
    """Give the reports this load created (first published at ``since`` or later) their
    publication day. A report loaded on an earlier day, or edited and republished by an
    officer since, keeps its dates."""
    from modelsearch.backends import get_search_backends_with_name
    from wagtail.models import Revision

    from experiences.models import ExperiencePage

    today = today or timezone.localdate()
    pages = list(
        ExperiencePage.objects.filter(external_id__in=PUBLISHED_DAYS_AGO, first_published_at__gte=since).select_related(
            "city", "locale"
        )
    )
    for page in pages:
        when = published_at(page.external_id, today)
        ExperiencePage.objects.filter(pk=page.pk).update(
            first_published_at=when, last_published_at=when, latest_revision_created_at=when
        )
        if page.live_revision_id:
            Revision.objects.filter(pk=page.live_revision_id).update(created_at=when)
        page.first_published_at = page.last_published_at = page.latest_revision_created_at = when
    if pages:
        # The search documents carry the date ("newest first" on the search page).
        for _name, backend in get_search_backends_with_name(with_auto_update=True):
            try:
                backend.add_bulk(ExperiencePage, pages)
            except Exception:  # an engine that is down: the search reconcile catches up
                pass
    return len(pages)
