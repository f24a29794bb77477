"""Every public page of the experiences costs a number of database queries
that does not grow with the number of experiences it lists: measured with a
few, then with more (pages rendered every time: no page cache)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from experiences.models import City, ExperiencePage
from tests.hostile import database_search_only  # noqa: F401 - fixture

from .helpers import import_records, record

# On the database backend: with an engine, whether a report just imported is
# already searchable (refresh interval) decides whether its comparable projects
# are loaded, and so the count would measure the engine's timing, not the page.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_search_only")]
PROBE = "costprobe"


def _probes(start: int, count: int) -> None:
    """English reports in one city and tag, each with partners, indicators, tags, themes and SDGs of its own."""
    import_records(*[
        record(f"cost-{i}", city="Probeville", country="SN", latitude=14.0, longitude=-16.0, population=90_000,
               themes=["energy-climate", "mobility-transport"], sdgs=[7, 11], tags=[PROBE, f"cost-tag-{i}"],
               status="in_progress", partner_cities=[{"city": f"Partnerville {i}", "country": "FR"}],
               indicators=[{"name": f"Indicator {i}", "value": float(i), "unit": "%", "year": 2024}])
        for i in range(start, start + count)
    ])  # fmt: skip


def queries_for(client, url: str) -> int:
    assert client.get(url).status_code == 200, url  # the first one fills Wagtail's own caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _urls() -> dict[str, str]:
    city = City.objects.get(name="Probeville").slug
    return {
        "home": "/en/",
        "experiences list": f"/en/experiences/?tag={PROBE}",
        "tag page": f"/en/experiences/tag/{PROBE}/",
        "theme page": f"/en/experiences/theme/energy-climate/?tag={PROBE}",
        "city page": f"/en/experiences/city/{city}/",
        "peers page": f"/en/cities/{city}/peers/",
        "map": f"/en/experiences/map/?tag={PROBE}",
        "rss feed": f"/en/experiences/feed/?tag={PROBE}",
        "atom feed": f"/en/experiences/feed/atom/?tag={PROBE}",
    }


def test_list_pages_cost_the_same_with_one_or_seven_experiences(client, no_page_cache):
    _probes(0, 1)
    few = {name: queries_for(client, url) for name, url in _urls().items()}
    _probes(1, 6)
    many = {name: queries_for(client, url) for name, url in _urls().items()}
    assert many == few


def test_the_pages_api_costs_the_same_for_eight_or_twenty_experiences(client, no_page_cache):
    url = "/api/v2/pages/?type=experiences.ExperiencePage&fields=*&limit="
    assert queries_for(client, url + "20") == queries_for(client, url + "8")


def test_a_report_costs_the_same_with_one_or_six_partners_indicators_and_tags(client, no_page_cache):
    import_records(
        # The same themes and SDGs: both get as many comparable projects.
        record("cost-small", city="Probeville", country="SN", tags=["one"],
               themes=["energy-climate", "mobility-transport", "health-wellbeing"], sdgs=[3, 7, 11, 13],
               partner_cities=[{"city": "Partnerville 1", "country": "FR"}],
               indicators=[{"name": "Only", "value": 1.0, "unit": "%", "year": 2024}]),
        record("cost-big", city="Probeville", country="SN", tags=[f"tag {i}" for i in range(6)],
               themes=["energy-climate", "mobility-transport", "health-wellbeing"], sdgs=[3, 7, 11, 13],
               partner_cities=[{"city": f"Partnerville {i}", "country": "FR"} for i in range(6)],
               indicators=[{"name": f"Indicator {i}", "value": float(i), "unit": "%", "year": 2024} for i in range(6)]),
    )  # fmt: skip
    small, big = (
        ExperiencePage.objects.get(external_id=e, locale__language_code="en") for e in ("cost-small", "cost-big")
    )
    assert queries_for(client, big.url) == queries_for(client, small.url)
    assert queries_for(client, f"/api/v2/pages/{big.pk}/") == queries_for(client, f"/api/v2/pages/{small.pk}/")
