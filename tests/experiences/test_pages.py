"""What readers see: the list, tag/theme/city pages, the map, the report, feeds and the API."""

import html as html_module
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation
from django.utils.html import escape

from experiences.models import ExperiencePage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "heading"), [("fr", "Expériences"), ("en", "Experiences")])
def test_the_list_renders_in_both_languages_with_facets_and_feeds(client, demo, language, heading):
    response = client.get(f"/{language}/experiences/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in html
    assert 'type="application/rss+xml"' in html and f'href="/{language}/experiences/feed/"' in html
    assert 'type="application/atom+xml"' in html
    # Each feed announced once: the list's own links stand in for the site-wide ones.
    assert html.count('type="application/rss+xml"') == 1 and html.count('type="application/atom+xml"') == 1
    assert 'id="facets-h"' in html and 'href="?region=south"' in html
    label = "Thème" if language == "fr" else "Theme"
    assert f"<summary>{label}</summary>" in html
    count = ExperiencePage.objects.live().filter(locale__language_code=language).count()
    assert re.search(rf"\b{count} (experience reports|retours d’expérience)", html)


def test_filters_stay_in_the_url_and_show_as_removable(client, demo):
    html = client.get("/en/experiences/", {"region": "south", "theme": "health-wellbeing"}).content.decode()
    assert "Dubai" in html
    assert 'href="?region=south"' in html  # removes the theme filter
    assert '<input type="hidden" name="region" value="south">' in html
    assert 'aria-current="true"' in html
    assert 'href="/en/experiences/map/?theme=health-wellbeing&amp;region=south"' in html


def test_empty_results_say_so_and_suggest_removing_a_filter(client, demo):
    response = client.get("/en/experiences/", {"theme": "food-consumption", "size": "metropolis", "q": "zzzz"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No experience report matches these filters." in html
    assert "Try removing a filter:" in html
    assert 'href="?theme=food-consumption&amp;size=metropolis"' in html  # without q
    assert "See all experience reports" in html
    fr = client.get("/fr/experiences/", {"size": "small", "region": "south", "status": "planned"}).content.decode()
    assert "Aucun retour d’expérience ne correspond à ces filtres." in fr


def test_pagination_and_sort_keep_the_filters(client, demo):
    response = client.get("/fr/experiences/", {"sort": "title"})
    html = response.content.decode()
    titles = [m for m in re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', html)]
    # The demo has more reports than a page holds: a full first page, sorted, and a second one.
    assert ExperiencePage.objects.live().filter(locale__language_code="fr").count() > 12
    titles = [html_module.unescape(t) for t in titles]
    assert len(titles) == 12 and titles == sorted(titles, key=str.casefold)
    assert 'href="?sort=title&amp;page=2"' in html
    page2 = client.get("/fr/experiences/", {"sort": "title", "page": 2}).content.decode()
    assert 'aria-current="page">2<' in page2
    assert '<option value="title" selected>' in html


def test_unknown_filter_values_are_ignored_with_a_note(client, demo):
    html = client.get("/en/experiences/", {"theme": "space"}).content.decode()
    # Named as the filter panel names it, not by its parameter.
    assert "were not recognised and were left out: Theme</p>" in html


@pytest.mark.parametrize(("lang", "said"), [("en", "has no words to search for"), ("fr", "ne contient aucun mot")])
def test_a_search_with_no_words_is_said_so_and_kept_in_the_box(client, demo, lang, said):
    """A lone quote was "a filter not recognised: q", and the box came back empty."""
    for url in (f"/{lang}/experiences/", f"/{lang}/experiences/map/"):
        response = client.get(url, {"q": '"'})
        html = response.content.decode()
        assert response.status_code == 200 and said in html, url
        assert "not recognised" not in html and "pas été reconnus" not in html, url
    assert 'name="q" value="&quot;"' in client.get(f"/{lang}/experiences/", {"q": '"'}).content.decode()


def test_tag_theme_and_city_pages(client, demo):
    report = ExperiencePage.objects.get(external_id="dubai-happiness-index", locale__language_code="en")
    tag = report.tags.first()
    html = client.get(f"/en/experiences/tag/{tag.slug}/").content.decode()
    assert escape(report.title) in html and f"Tag: {tag.name}" in html
    html = client.get("/en/experiences/theme/health-wellbeing/").content.decode()
    assert escape(report.title) in html and "Theme: Health &amp; well-being" in html
    assert client.get("/en/experiences/theme/space/").status_code == 404
    assert client.get("/en/experiences/tag/no-such-tag-anywhere/").status_code == 404
    html = client.get(f"/en/experiences/city/{report.city.slug}/").content.decode()
    assert f"<h1>{report.city.name}</h1>" in html and escape(report.title) in html
    assert client.get("/en/experiences/city/nowhere-zz/").status_code == 404


def test_a_city_page_lists_its_partners_and_their_experiences(client, demo):
    from .helpers import import_records, record

    import_records(
        record("pc-a", city="Dakar", country="SN", partner_cities=[{"city": "Lyon", "country": "FR"}]),
        record("pc-b", city="Lyon", country="FR", title="Lyon's own report"),
    )
    dakar = ExperiencePage.objects.get(external_id="pc-a").city
    html = client.get(f"/en/experiences/city/{dakar.slug}/").content.decode()
    assert "Partner cities" in html and "/en/experiences/city/lyon-fr/" in html
    assert "Lyon&#x27;s own report" in html
    lyon_html = client.get("/en/experiences/city/lyon-fr/").content.decode()
    assert "Report pc-a (en)" in lyon_html  # Lyon takes part in Dakar's report…
    # …under a heading that does not claim Dakar's report as Lyon's own
    assert "Experiences involving Lyon</h2>" in lyon_html and "Experiences of Lyon" not in lyon_html
    assert "Expériences impliquant Lyon</h2>" in client.get("/fr/experiences/city/lyon-fr/").content.decode()
    # Countries by their names, in the reader's language, not their ISO codes.
    assert "Lyon (France)" in html and "(FR)" not in html


def test_the_map_draws_cities_and_north_south_links_without_tiles(client, demo):
    from .helpers import import_records, record

    import_records(
        record("map-a", city="Dakar", country="SN", latitude=14.69, longitude=-17.44,
               partner_cities=[{"city": "Lyon", "country": "FR"}]),
    )  # fmt: skip
    response = client.get("/en/experiences/map/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<td class="hide-narrow">Senegal</td>' in html  # the table names the country, never leaves it blank
    # Leaflet and the basemap come from the site itself: no tile server, no CDN, no inline script.
    assert re.findall(r'<script src="([^"]+)"', html) and all(
        src.startswith("/static/") for src in re.findall(r'<script src="([^"]+)"', html)
    )
    assert "tile" not in html.lower() and "<script>" not in html
    assert 'data-basemap="/static/experiences/basemap/countries-110m.geo.json"' in html
    # The table lists both cities; the GeoJSON draws their partnership as a North–South line.
    assert '<tr id="city-dakar-sn">' in html and '<tr id="city-lyon-fr">' in html
    geo = client.get("/api/map/experiences.geojson", {"lang": "en"}).json()
    assert any(
        f["properties"]["kind"] == "link"
        and f["properties"]["north_south"]
        and set(f["properties"]["cities"]) == {"dakar-sn", "lyon-fr"}
        for f in geo["features"]
    )
    fr = client.get("/fr/experiences/map/").content.decode()
    assert "Carte des expériences" in fr


def test_the_map_follows_the_list_filters(client, demo):
    html = client.get("/en/experiences/map/", {"region": "north", "country": "FR"}).content.decode()
    table = html.split('<table class="map-table">', 1)[1].split("</table>", 1)[0]
    assert "Dubai" not in table and '<th scope="row">' in table
    assert "region=north" in html.split('data-geojson="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_report_has_its_fact_box_partners_map_and_json_ld(client, demo, language):
    from .helpers import import_records, record

    import_records(
        record("rep-a", language, city="Dakar", country="SN", latitude=14.69, longitude=-17.44,
               partner_cities=[{"city": "Lyon", "country": "FR"}], themes=["energy-climate"], tags=["solar"],
               contact_email="cooperation@dakar.example"),
    )  # fmt: skip
    page = ExperiencePage.objects.get(external_id="rep-a", locale__language_code=language)
    html = client.get(page.url).content.decode()
    assert 'class="factbox"' in html
    assert f'href="/{language}/experiences/city/lyon-fr/"' in html
    assert 'class="badge badge-north"' in html and 'class="badge badge-south"' in html
    assert f'href="/{language}/experiences/theme/energy-climate/"' in html
    assert f'href="/{language}/experiences/tag/solar/"' in html
    assert "openstreetmap.org/?mlat=14.6900" in html
    assert "mailto:cooperation@dakar.example" in html
    head = html.split("</head>", 1)[0]
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.S).group(1))
    assert data["@type"] == "Article" and data["inLanguage"] == language
    assert data["contentLocation"]["geo"] == {"@type": "GeoCoordinates", "latitude": 14.69, "longitude": -17.44}
    assert data["spatialCoverage"][0]["name"] == "Lyon"
    assert data["identifier"] == "rep-a"
    # The status as a word of the report's language, not the key stored in the database.
    with translation.override(language):
        assert data["creativeWorkStatus"] == str(page.status_label()) and "_" not in data["creativeWorkStatus"]


def test_json_ld_cannot_be_closed_by_content(client, demo):
    from .helpers import import_records, record

    import_records(record("rep-xss", title="</script><script>alert(1)</script>"))
    page = ExperiencePage.objects.get(external_id="rep-xss")
    html = client.get(page.url).content.decode()
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_rss_and_atom_feeds_of_new_reports(client, demo, language):
    rss = client.get(f"/{language}/experiences/feed/")
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(rss.content).find("channel")
    items = channel.findall("item")
    newest = ExperiencePage.objects.live().filter(locale__language_code=language).order_by("-first_published_at")
    assert items and items[0].find("title").text == newest.first().title
    assert items[0].find("link").text.startswith("http://testserver/")
    atom = client.get(f"/{language}/experiences/feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert ET.fromstring(atom.content).findall("{http://www.w3.org/2005/Atom}entry")


def test_a_feed_can_follow_a_filter(client, demo):
    feed = ET.fromstring(client.get("/en/experiences/feed/", {"theme": "health-wellbeing"}).content)
    titles = [i.find("title").text for i in feed.find("channel").findall("item")]
    expected = ExperiencePage.objects.live().filter(locale__language_code="en", themes__slug="health-wellbeing")
    assert sorted(titles) == sorted(p.title for p in expected)


def test_the_api_exposes_every_fact(client, demo):
    response = client.get(
        "/api/v2/pages/", {"type": "experiences.ExperiencePage", "fields": "*", "limit": 20, "locale": "en"}
    )
    assert response.status_code == 200, response.content
    items = {item["external_id"]: item for item in response.json()["items"]}
    dubai = items["dubai-happiness-index"]
    assert dubai["city"]["name"] == "Dubai" and dubai["city"]["country"] == "AE"
    assert dubai["city"]["region"] == "south" and dubai["city"]["size"] == "metropolis"
    assert dubai["city"]["latitude"] == pytest.approx(25.2, abs=0.1)
    assert "health-wellbeing" in dubai["themes"]
    assert 3 in dubai["sdgs"]
    assert isinstance(dubai["tags"], list) and dubai["tags"]
    with_figures = [i for i in items.values() if i["indicators"]]
    assert with_figures and {"name", "value", "unit", "year"} <= set(with_figures[0]["indicators"][0])
    for name in ("summary", "status", "start_year", "end_year", "actors", "partner_cities", "lessons", "source_url"):
        assert name in dubai
    with_partner = [i for i in items.values() if i["partner_cities"]]
    assert with_partner and {"name", "country", "region"} <= set(with_partner[0]["partner_cities"][0]["city"])


def test_a_search_typed_in_the_lists_box_is_ranked_by_relevance(client, demo):
    """The box's form also sends the sort menu: its default ("Newest" without a search) went with
    every new search, which then came back newest first."""
    html = client.get("/en/experiences/").content.decode()
    assert '<option value="" selected>Newest</option>' in html
    # What the browser submits: the typed words and the menu as it stands.
    html = client.get("/en/experiences/", {"q": "schools", "sort": ""}).content.decode()
    assert '<option value="" selected>Relevance</option>' in html
    # A sort chosen by the reader stays chosen.
    html = client.get("/en/experiences/", {"q": "schools", "sort": "newest"}).content.decode()
    assert '<option value="newest" selected>Newest</option>' in html
