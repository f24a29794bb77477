"""A city page's and the map's <head> lines and body are rendered once per process for the site's generation
and each of its first pages (experiences/views.py ``city_parts``, ``map_parts``): its next reader is served
them without working anything out; what is published next shows at once."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from experiences.models import ExperiencePage

from .helpers import import_records, record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

BODY = "experiences/includes/city_body.html"


def _city_url(language: str) -> str:
    report = ExperiencePage.objects.live().filter(locale__language_code=language).order_by("pk").first()
    return f"/{language}/experiences/city/{report.city.slug}/"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_next_reader_of_a_city_is_served_its_rendered_parts(client, demo, language):
    url = _city_url(language)
    first = client.get(url)
    client.get(url)  # a first reader may start a new generation (test_report_kept.py says why)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert BODY in [t.name for t in first.templates] and BODY not in [t.name for t in again.templates]
    assert again.content == first.content and again.status_code == 200
    assert len(queries) <= 1, [q["sql"][:120] for q in queries.captured_queries]


def test_a_report_published_in_a_city_shows_on_its_next_reading(client, demo):
    import_records(record("city-kept-old", city="Dakar", country="SN", title="Markets of Dakar"))
    url = "/en/experiences/city/dakar-sn/"
    assert "Markets of Dakar" in client.get(url).content.decode()  # kept from here on
    import_records(record("city-kept-new", city="Dakar", country="SN", title="Solar kiosks in Dakar"))
    assert "Solar kiosks in Dakar" in client.get(url).content.decode()


def test_an_unknown_city_is_a_404_and_a_city_added_later_is_found(client, demo):
    assert client.get("/en/experiences/city/nowhere-zz/").status_code == 404
    import_records(record("city-kept-later", city="Nowhere", country="FR", title="A report from nowhere"))
    slug = ExperiencePage.objects.get(external_id="city-kept-later", locale__language_code="en").city.slug
    assert client.get(f"/en/experiences/city/{slug}/").status_code == 200


@pytest.mark.parametrize("url", ["/en/experiences/map/", "/fr/experiences/map/?region=south"])
def test_the_next_reader_of_the_map_is_served_its_rendered_parts(client, demo, url):
    first = client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    body = "experiences/includes/map_body.html"
    assert body in [t.name for t in first.templates] and body not in [t.name for t in again.templates]
    assert again.content == first.content and again.status_code == 200
    assert len(queries) <= 1, [q["sql"][:120] for q in queries.captured_queries]


def test_an_unknown_filter_of_the_map_gets_its_next_reader_the_same_answer(client, demo):
    url = "/en/experiences/map/?sdg=99"
    first, again = client.get(url), client.get(url)
    assert first.status_code == again.status_code and first.content == again.content


@pytest.mark.parametrize("query", ["?page=2", "?page=9"])
def test_a_page_past_the_last_names_the_page_it_shows_as_canonical(client, demo, query):
    """A city of one page shows that page for ?page=2 or ?page=9: a search engine is told so."""
    url = _city_url("en")
    html = client.get(url + query).content.decode()
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
    assert canonical.endswith(url)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_city_maps_and_tabulates_the_links_of_its_own_reports_only(client, demo, language):
    """Walked on Lorient's page: its table of partnerships listed Annecy–Cahors and Saumur–Chefchaouen,
    links of its partners' other reports that said nothing of Lorient's cooperation. A link there
    now comes from a report of the city or one it is a partner in."""
    from experiences.models import City

    for city in City.objects.filter(experiences__live=True, experiences__partner_cities__isnull=False).distinct():
        response = client.get(f"/{language}/experiences/city/{city.slug}/")
        links = response.context["network"].links
        involved = [
            {link.experience.city_id, *(p.city_id for p in link.experience.partner_cities.all())} for link in links
        ]
        assert links and all(city.pk in cities for cities in involved), (city, links)
