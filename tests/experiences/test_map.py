"""The map of experiences (issues #12 and #15): an interactive map fed by a compact,
cached GeoJSON endpoint, over a paginated accessible table that works without JS."""

import json
import re

import pytest
from django.core.cache import cache

from cooperation_hub import page_cache
from experiences.mapping import REPORTS_PER_CITY
from experiences.models import City, ExperiencePage
from tests.privacy import ENGLISH_TITLE, make_report_private

from .helpers import import_records, record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("comparable_lists_left_alone")]
ENDPOINT = "/api/map/experiences.geojson"


def geojson(client, **params) -> dict:
    response = client.get(ENDPOINT, params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def cities(collection: dict) -> dict[str, dict]:
    return {f["properties"]["name"]: f for f in collection["features"] if f["properties"]["kind"] == "city"}


def titles(collection: dict) -> set[str]:
    return {r["title"] for f in cities(collection).values() for r in f["properties"]["reports"]}


def _pair(prefix: str, count: int = 1) -> None:
    import_records(*[
        record(f"{prefix}-{i}", city="Dakar", country="SN", latitude=14.69, longitude=-17.44, status="completed",
               themes=["energy-climate"], partner_cities=[{"city": f"{prefix.title()}ville {i}", "country": "FR"}])
        for i in range(count)
    ])  # fmt: skip


def test_one_point_per_city_with_its_reports_and_one_line_per_partnership(client):
    _pair("geo")
    City.objects.filter(name="Geoville 0").update(latitude=45.0, longitude=5.0)
    collection = geojson(client, lang="en")
    assert collection["type"] == "FeatureCollection"
    assert collection["statuses"]["completed"] == "Completed"
    dakar = cities(collection)["Dakar"]
    assert dakar["geometry"] == {"type": "Point", "coordinates": [-17.44, 14.69]}
    props = dakar["properties"]
    assert props["region"] == "south" and props["country"] == "SN"
    assert props["url"] == "/en/experiences/city/dakar-sn/"
    report = next(r for r in props["reports"] if r["title"] == "Report geo-0 (en)")
    page = ExperiencePage.objects.get(external_id="geo-0")
    assert report == {"title": "Report geo-0 (en)", "url": page.url, "status": "completed"}
    assert props["count"] >= len(props["reports"]) >= 1
    # The partner city is on the map with the same report, and the pair is a North–South line.
    assert "Report geo-0 (en)" in {r["title"] for r in cities(collection)["Geoville 0"]["properties"]["reports"]}
    links = [f for f in collection["features"] if f["properties"]["kind"] == "link"]
    link = next(f for f in links if set(f["properties"]["cities"]) == {"dakar-sn", "geoville-0-fr"})
    assert link["geometry"]["type"] == "LineString" and link["properties"]["north_south"] is True
    # French: French addresses and labels.
    fr = geojson(client, lang="fr")
    assert fr["statuses"]["completed"] == "Réalisé"
    assert cities(fr) and all(f["properties"]["url"].startswith("/fr/experiences/city/") for f in cities(fr).values())
    assert all(r["url"].startswith("/fr/experiences/") for f in cities(fr).values() for r in f["properties"]["reports"])


def test_a_city_lists_its_newest_reports_and_counts_them_all(client):
    _pair("many", REPORTS_PER_CITY + 3)
    dakar = cities(geojson(client, lang="en"))["Dakar"]["properties"]
    assert len(dakar["reports"]) == REPORTS_PER_CITY
    assert dakar["count"] >= REPORTS_PER_CITY + 3
    assert dakar["reports"][0]["title"] == f"Report many-{REPORTS_PER_CITY + 2} (en)"


def test_the_list_filters_apply(client):
    _pair("flt")
    everything = titles(geojson(client, lang="en"))
    assert "Report flt-0 (en)" in everything and ENGLISH_TITLE in everything
    brazil = geojson(client, lang="en", country="BR")
    assert ENGLISH_TITLE in titles(brazil) and "Report flt-0 (en)" not in titles(brazil)
    assert set(cities(brazil)) >= {"Curitiba"} and "Dakar" not in cities(brazil)
    completed = titles(geojson(client, lang="en", status="completed", theme="energy-climate", country="SN"))
    assert "Report flt-0 (en)" in completed and ENGLISH_TITLE not in completed
    assert titles(geojson(client, lang="en", q="recyclable waste fruit")) == {ENGLISH_TITLE}


def test_private_and_draft_reports_are_left_out(client):
    import_records(record("map-draft", city="Draftville", country="FR", latitude=48.0, longitude=2.0), publish=False)
    assert ENGLISH_TITLE in titles(geojson(client, lang="en"))  # now in the cache
    make_report_private()
    collection = geojson(client, lang="en")
    assert ENGLISH_TITLE not in titles(collection)
    assert "Draftville" not in cities(collection) and "Report map-draft (en)" not in titles(collection)
    assert "Curitiba" not in cities(geojson(client, lang="en", country="BR"))


@pytest.mark.parametrize(
    "params",
    [
        {"lang": "de"},
        {"lang": "en", "theme": "nope"},
        {"lang": "en", "sdg": "99"},
        {"lang": "en", "q": "word " * 300},
        {"lang": "en", "country": "ZZ"},
    ],
)
def test_bad_parameters_are_a_json_400(client, params):
    response = client.get(ENDPOINT, params)
    assert response.status_code == 400
    body = response.json()
    expected = {"lang"} if params["lang"] == "de" else set(params) - {"lang"}
    assert body["error"] == "invalid parameters" and set(body["errors"]) == expected


def test_the_answer_is_cached_under_the_site_generation_with_an_etag(client, django_assert_max_num_queries):
    first = client.get(ENDPOINT, {"lang": "en"})
    assert first["Cache-Control"].startswith("public, max-age=") and first["ETag"]
    with django_assert_max_num_queries(0):
        again = client.get(ENDPOINT, {"lang": "en"})
        unchanged = client.get(ENDPOINT, {"lang": "en"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.content == first.content and unchanged.status_code == 304
    _pair("fresh")  # publishing outdates it
    later = client.get(ENDPOINT, {"lang": "en"})
    assert later["ETag"] != first["ETag"] and "Report fresh-0 (en)" in titles(json.loads(later.content))


def _count_queries(client, url: str, params: dict) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page_cache.forget_all()
    cache.clear()
    assert client.get(url, params).status_code == 200  # fills Wagtail's own caches
    page_cache.forget_all()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [ENDPOINT, "/en/experiences/map/"])
def test_the_map_costs_the_same_queries_for_3_or_30_reports(client, no_page_cache, url, django_assert_max_num_queries):
    params = {"lang": "en", "theme": "energy-climate"} if url == ENDPOINT else {"theme": "energy-climate"}
    _pair("cost", 3)
    few = _count_queries(client, url, params)
    _pair("costmore", 27)
    page_cache.forget_all()
    with django_assert_max_num_queries(few):
        assert client.get(url, params).status_code == 200


def test_the_page_stays_small_and_its_table_is_paginated(client, no_page_cache):
    _pair("big", 40)  # 40 partner cities more, each on its own row
    response = client.get("/en/experiences/map/")
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < 60_000
    rows = re.findall(r'<tr id="city-', html)
    assert len(rows) == 25
    assert 'nav class="pagination"' in html and 'href="?page=2#cities-h"' in html
    second = client.get("/en/experiences/map/", {"page": 2}).content.decode()
    assert second.count('<tr id="city-') >= 1 and 'aria-current="page">2<' in second
    # The titles of the reports are in the GeoJSON, not in the page.
    assert "Report big-1 (en)" not in html


def test_the_page_has_a_skip_link_a_no_js_fallback_and_the_filtered_data_url(client):
    html = client.get("/en/experiences/map/", {"region": "south", "theme": "nope"}).content.decode()
    skip = re.search(r'<a class="map-skip" href="#([^"]+)"', html)
    assert skip and f'id="{skip.group(1)}"' in html.split('id="network-map"', 1)[1]
    assert re.search(r'data-geojson="/api/map/experiences.geojson\?lang=en&amp;region=south&amp;v=\d+"', html)
    assert "The interactive map needs JavaScript" in html
    assert '<table class="map-table">' in html and "<script>" not in html and " style=" not in html
    assert re.search(r'<select id="map-region" name="region">.*<option value="south" selected>', html, re.S)
    fr = client.get("/fr/experiences/map/").content.decode()
    assert "Carte des expériences" in fr and "Passer la carte" in fr and "lang=fr" in fr


@pytest.mark.parametrize("language", ["fr", "en"])
def test_filters_that_match_nothing_say_so_above_the_map_with_a_way_out(client, language):
    """Walked: "?tag=" of an unknown tag showed an empty map, and the only word of it was under
    the map, past the legend, where a phone reader never scrolled."""
    page = f"/{language}/experiences/map/"
    html = client.get(page, {"tag": "no-such-tag", "region": "south"}).content.decode()
    before_map = html.split('id="network-map"', 1)[0]
    nothing = {"fr": "Aucun retour d’expérience ne correspond", "en": "No experience report matches"}[language]
    assert nothing in before_map and html.count(nothing) == 1
    removes = re.findall(r'<li><a href="([^"]+)">(?:Retirer|Remove) ', before_map)
    assert len(removes) == 2 and all("tag=" not in url or "region=" not in url for url in removes)
    assert client.get(page + removes[0].replace("&amp;", "&")).status_code == 200


def test_a_filtered_map_shows_the_map_first_and_its_filters_as_chips(client):
    """Walked on a phone: the map opened from a filtered list had its filter panel open over the
    whole first screen, the map below it. The panel stays folded; the chips say what applies."""
    html = client.get("/en/experiences/map/", {"region": "south"}).content.decode()
    assert '<details class="map-filter-box">' in html and "{#" not in html
    assert 'class="chips active-filters"' in html.split('id="network-map"', 1)[0]
    refused = client.get("/en/experiences/map/", {"q": "word " * 300}).content.decode()
    assert 'role="alert"' in refused and '<details class="map-filter-box" open>' in refused


def test_the_basemap_is_a_small_geojson_of_countries():
    from django.contrib.staticfiles import finders

    path = finders.find("experiences/basemap/countries-110m.geo.json")
    data = json.loads(open(path, encoding="utf-8").read())
    names = {f["properties"]["name"] for f in data["features"]}
    assert {"France", "Senegal", "Brazil"} <= names and "Antarctica" not in names
    assert len(open(path, "rb").read()) < 300_000


def test_the_vendored_library_comes_with_its_licence():
    from django.contrib.staticfiles import finders

    for name in (
        "leaflet/leaflet.js",
        "leaflet/leaflet.css",
        "leaflet/LICENSE",
        "leaflet/images/marker-icon.png",
        "leaflet.markercluster/leaflet.markercluster.js",
        "leaflet.markercluster/MIT-LICENCE.txt",
    ):
        assert finders.find(f"experiences/vendor/{name}"), name


def test_a_report_shows_its_city_with_a_real_marker(client):
    import_records(record("mini-a", city="Dakar", country="SN", latitude=14.69, longitude=-17.44,
                          partner_cities=[{"city": "Lyon", "country": "FR"}]))  # fmt: skip
    page = ExperiencePage.objects.get(external_id="mini-a")
    html = client.get(page.url).content.decode()
    assert 'data-map="places"' in html and "leaflet.js" in html
    assert re.search(
        r'<li data-slug="dakar-sn" data-lat="14.69" data-lon="-17.44" data-region="south" data-main>Dakar', html
    )
    assert re.search(r'<li data-slug="lyon-fr" data-lat="[-0-9.]+" data-lon="[-0-9.]+" data-region="north">Lyon', html)
    assert 'data-from="dakar-sn" data-to="lyon-fr" data-ns' in html


def test_the_city_page_links_to_its_peers(client):
    slug = City.objects.get(name="Curitiba").slug
    html = client.get(f"/en/experiences/city/{slug}/").content.decode()
    assert f'href="/en/cities/{slug}/peers/">Cities to cooperate with</a>' in html
    assert f'href="/fr/cities/{slug}/peers/"' in client.get(f"/fr/experiences/city/{slug}/").content.decode()


def test_the_maps_count_of_partner_links_is_not_called_partnerships(client, demo):
    """Partnerships are data of their own now (partnerships/, listed below the map): the
    count of lines between a report's city and its partner cities must not read as theirs."""
    english = client.get("/en/experiences/map/").content.decode()
    assert "links between partner cities of reports" in english
    french = client.get("/fr/experiences/map/").content.decode()
    assert "liens entre villes partenaires de retours d’expérience" in french


def test_after_a_publication_the_map_page_asks_for_a_new_address(client):
    """The GeoJSON is sent with a max-age: the page names the site's version in its address, so a
    browser does not show the answer it kept for that time after a report is published."""

    def data_url() -> str:
        return re.search(r'data-geojson="([^"]+)"', client.get("/en/experiences/map/").content.decode()).group(1)

    before = data_url()
    _pair("newer")
    after = data_url().replace("&amp;", "&")
    assert after != before.replace("&amp;", "&")
    assert "Report newer-0 (en)" in titles(client.get(after).json())


def test_a_city_names_its_country_in_the_language_asked_for(client):
    _pair("named")
    dakar = cities(geojson(client, lang="fr"))["Dakar"]["properties"]
    assert dakar["country"] == "SN" and dakar["country_name"] == "Sénégal"
    assert cities(geojson(client, lang="en"))["Dakar"]["properties"]["country_name"] == "Senegal"
