"""GET /api/partnerships/ and the exports: filters, bad parameters, what stays private, query counts."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import Partnership
from partnerships.services import start_partnership

pytestmark = pytest.mark.django_db
URL = "/api/partnerships/"


@pytest.fixture
def private(cities):
    """A partnership not shown to the public, and a public one whose money facts stay private."""
    hidden = start_partnership(
        cities=[cities["Grenoble"], cities["Wuhan"]], kind="school-twinning", title="Hidden twinning"
    )
    shown = start_partnership(
        cities=[cities["Montpellier"], cities["Wuhan"]], kind="school-twinning", title="Shown twinning", is_public=True
    )
    Partnership.objects.filter(pk=shown.pk).update(
        budget="SECRET-BUDGET", cofunding_source="SECRET-FUNDER", internal_notes="SECRET-NOTE"
    )
    Partnership.objects.filter(pk=hidden.pk).update(internal_notes="SECRET-NOTE")
    return hidden, shown


def titles(response):
    return sorted(item["title"] for item in response.json()["results"])


def test_lists_the_public_partnerships_with_a_stable_shape(client, demo):
    response = client.get(URL, {"lang": "en"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "page", "page_size", "num_pages", "next", "previous", "results"}
    assert body["count"] == 2
    item = next(i for i in body["results"] if i["region_pair"] == "north-south")
    assert set(item) == {
        "id", "title", "url", "kind", "kind_label", "status", "status_label", "start_date", "end_date",
        "region_pair", "region_pair_label", "description", "budget", "cofunding_source", "cities", "themes",
        "sdgs", "reports", "updated_at", "titles", "descriptions",
    }  # fmt: skip
    assert [c["name"] for c in item["cities"]] == ["Lorient", "Da Nang"]
    assert item["status_label"] == "Active" and item["region_pair_label"] == "North–South"
    assert item["url"].endswith(f"/en/partnerships/{item['id']}/")
    assert all("/en/experiences/" in r["url"] for r in item["reports"]) and len(item["reports"]) == 2
    french = client.get(URL, {"lang": "fr"}).json()["results"]
    assert {i["status_label"] for i in french} == {"Actif", "Terminé"}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"region_pair": "north-south"}, ["Lorient – Da Nang: school energy and flood alerts"]),
        ({"region_pair": "south-south"}, ["Saint-Louis – Curitiba: recycling for food"]),
        ({"region_pair": "north-north"}, []),
        ({"country": "vn"}, ["Lorient – Da Nang: school energy and flood alerts"]),
        ({"country": "SN"}, ["Saint-Louis – Curitiba: recycling for food"]),
        ({"theme": "food-consumption"}, ["Saint-Louis – Curitiba: recycling for food"]),
        ({"status": "active"}, ["Lorient – Da Nang: school energy and flood alerts"]),
        ({"status": "completed", "country": "FR"}, []),
    ],
)
def test_filters(client, demo, params, expected):
    response = client.get(URL, {**params, "lang": "en"})
    assert response.status_code == 200
    assert titles(response) == expected


@pytest.mark.parametrize(
    "params, field",
    [
        ({"country": "ZZ"}, "country"),
        ({"country": "France"}, "country"),
        ({"region_pair": "east-west"}, "region_pair"),
        ({"theme": "nope"}, "theme"),
        ({"status": "dormant"}, "status"),
        ({"kind": "dinner"}, "kind"),
        ({"lang": "de"}, "lang"),
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page": "99"}, "page"),
        ({"page_size": "1000"}, "page_size"),
    ],
)
def test_bad_parameters_answer_400_in_json(client, demo, params, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert field in response.json()["errors"]


@pytest.mark.parametrize("url", ["/api/partnerships/export.csv", "/api/partnerships/export.json"])
def test_exports_refuse_bad_parameters_too(client, demo, url):
    response = client.get(url, {"region_pair": "east-west"})
    assert response.status_code == 400
    assert "region_pair" in response.json()["errors"]


def test_pages_link_to_each_other(client, demo):
    first = client.get(URL, {"page_size": 1}).json()
    assert first["num_pages"] == 2 and first["previous"] is None
    assert "page=2" in first["next"] and "page_size=1" in first["next"]
    assert client.get(URL, {"page_size": 1, "page": 2}).json()["results"][0]["id"] != first["results"][0]["id"]


def test_private_partnerships_and_fields_never_leave(client, private):
    body = client.get(URL).content.decode()
    assert "Shown twinning" in body and "Hidden twinning" not in body
    for secret in ("SECRET-BUDGET", "SECRET-FUNDER", "SECRET-NOTE"):
        assert secret not in body
    exported = client.get("/api/partnerships/export.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert "Shown twinning" in [r["title"] for r in rows] and "Hidden twinning" not in exported
    assert "SECRET" not in exported
    Partnership.objects.filter(title_en="Shown twinning").update(financials_public=True)
    body = client.get(URL).content.decode()
    assert "SECRET-BUDGET" in body and "SECRET-FUNDER" in body and "SECRET-NOTE" not in body


def test_csv_cells_cannot_be_formulas(client, cities):
    start_partnership(
        cities=[cities["Lille"], cities["Saint-Louis"]], kind="documents", title="=HYPERLINK(1)", is_public=True
    )
    exported = client.get("/api/partnerships/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in exported


def test_query_count_does_not_grow_with_the_partnerships(client, cities):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"lang": "en"}).status_code == 200
        return len(queries)

    count()  # the first request also reads what is then cached (the site's root paths)
    before = count()
    for i in range(4):
        start_partnership(
            cities=[cities["Lille"], cities["Curitiba"], cities["Wuhan"]],
            themes=["energy-climate", "food-consumption"],
            sdgs=[7, 11],
            kind="study-visit",
            reports=list(cities["Lille"].experiences.all()[:2]),
            title=f"Extra {i}",
            is_public=True,
        )
    count()  # as on the page: what the site's generation keeps is read again once
    assert count() == before


def test_title_and_description_answer_in_the_requests_language(client, demo):
    by_lang = {
        lang: {i["region_pair"]: i for i in client.get(URL, {"lang": lang}).json()["results"]} for lang in ("fr", "en")
    }
    french, english = by_lang["fr"]["south-south"], by_lang["en"]["south-south"]
    assert french["title"] == "Saint-Louis – Curitiba : des déchets recyclables contre des aliments"
    assert english["title"] == "Saint-Louis – Curitiba: recycling for food"
    assert french["description"].startswith("Une délégation") and english["description"].startswith("A delegation")
    assert french["titles"] == english["titles"] == {"fr": french["title"], "en": english["title"]}
    assert english["descriptions"]["fr"] == french["description"]
