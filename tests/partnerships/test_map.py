"""The map draws the public partnerships as lines (their cities' coordinates in the GeoJSON),
and the table below the map lists them: the text alternative of the lines."""

import re

import pytest

from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def test_the_geojson_gives_each_partnership_its_cities_coordinates(demo, client):
    data = client.get("/api/map/experiences.geojson").json()
    public = Partnership.objects.visible_to_public().count()
    assert public and len(data["partnerships"]) == public
    for row in data["partnerships"]:
        assert len(row["coordinates"]) == len(row["cities"]) >= 2
        assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in row["coordinates"])


def test_a_filtered_map_draws_the_partnerships_of_its_cities_only(demo, client):
    """Walked: the map filtered to an unknown tag showed no city, and every partnership's line."""
    nothing = client.get("/api/map/experiences.geojson", {"tag": "no-such-tag"}).json()
    assert nothing["features"] == [] and nothing["partnerships"] == []
    south = client.get("/api/map/experiences.geojson", {"region": "south"}).json()
    shown = {f["id"] for f in south["features"] if f["properties"]["kind"] == "city"}
    assert south["partnerships"] and all(set(row["cities"]) & shown for row in south["partnerships"])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_table_below_a_filtered_map_lists_the_partnerships_it_draws(demo, client, lang):
    """Walked: filtered to nothing, the map drew no line, and its table still listed every partnership."""
    for filters in ({"tag": "no-such-tag"}, {"region": "south"}, {}):
        drawn = client.get("/api/map/experiences.geojson", {"lang": lang, **filters}).json()["partnerships"]
        html = client.get(f"/{lang}/experiences/map/", filters).content.decode()
        listed = {int(pk) for pk in re.findall(r'id="partnership-(\d+)"', html)}
        assert listed == {row["id"] for row in drawn}, filters


@pytest.mark.parametrize("lang,heading", [("en", "Partnerships on the map"), ("fr", "Les partenariats sur la carte")])
def test_the_map_page_lists_the_public_partnerships(demo, client, lang, heading):
    page = client.get(f"/{lang}/experiences/map/")
    html = page.content.decode()
    assert page.status_code == 200 and heading in html
    for partnership in Partnership.objects.visible_to_public():
        assert f'id="partnership-{partnership.pk}"' in html
    for partnership in Partnership.objects.filter(is_public=False):
        assert f'id="partnership-{partnership.pk}"' not in html


def test_the_map_names_partnerships_in_the_maps_language(demo, client):
    titles = {
        lang: {
            row["title"] for row in client.get("/api/map/experiences.geojson", {"lang": lang}).json()["partnerships"]
        }
        for lang in ("fr", "en")
    }
    assert "Saint-Louis – Curitiba : des déchets recyclables contre des aliments" in titles["fr"]
    assert "Saint-Louis – Curitiba: recycling for food" in titles["en"]
    html = client.get("/fr/experiences/map/").content.decode()
    assert "Lorient – Da Nang : énergie des écoles et alertes aux inondations" in html
