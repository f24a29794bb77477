"""GET /api/search/, the autocomplete endpoint and the /<lang>/search/ page."""

import pytest


def test_api_returns_exactly_the_product_json(search_backend, client):
    response = client.get("/api/search/?q=bethune&lang=fr")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"count", "results", "facets"}
    assert data["count"] >= 1
    # "language" was added by #17 (the hit may be in the other language); nothing else changes.
    assert set(data["results"][0]) == {"type", "title", "url", "snippet", "external_id", "language"}
    assert "<mark>" in data["results"][0]["snippet"]
    assert set(data["facets"]) == {"type", "theme", "sdg", "region", "country", "size", "status", "tag", "language"}
    assert all(isinstance(n, int) for values in data["facets"].values() for n in values.values())


def test_api_filters_and_pagination(search_backend, client):
    everything = client.get("/api/search/?lang=en&type=experience&per_page=5").json()
    assert len(everything["results"]) == 5 and {r["type"] for r in everything["results"]} == {"experience"}
    second = client.get("/api/search/?lang=en&type=experience&per_page=5&page=2").json()
    assert not {r["url"] for r in everything["results"]} & {r["url"] for r in second["results"]}
    themed = client.get("/api/search/?lang=en&theme=energy-climate&theme=education-employment").json()
    assert themed["count"] == sum(themed["facets"]["type"].values())


@pytest.mark.parametrize(
    "query, bad",
    [
        ("sdg=abc", "sdg"),
        ("sdg=18", "sdg"),
        ("theme=unknown", "theme"),
        ("lang=de", "lang"),
        ("type=page", "type"),
        ("per_page=-1", "per_page"),
    ],
)
def test_api_bad_parameters_are_a_clear_400(client, db, query, bad):
    response = client.get(f"/api/search/?{query}")
    assert response.status_code == 400
    assert bad in response.json()["errors"]


def test_autocomplete_titles_cities_tags(search_backend, client):
    cities = client.get("/api/search/autocomplete/?q=beth&lang=fr").json()["suggestions"]
    assert {"value": "Béthune", "kind": "city"} in cities
    assert any(s["kind"] == "title" and "Béthune" in s["value"] for s in cities)
    tags = client.get("/api/search/autocomplete/?q=scho&lang=en").json()["suggestions"]
    assert any(s["kind"] == "tag" and s["value"].startswith("school") for s in tags), tags
    assert client.get("/api/search/autocomplete/?q=b&lang=fr").json() == {"suggestions": []}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_search_page_renders_results_and_facets(search_backend, client, lang):
    query = "ecole" if lang == "fr" else "schools"
    response = client.get(f"/{lang}/search/?q={query}&theme=education-employment")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html and 'list="search-suggestions"' in html
    assert "<fieldset>" in html and 'type="checkbox"' in html and " checked" in html
    assert "<mark>" in html
    assert ("Affiner" if lang == "fr" else "Refine") in html


def test_search_page_no_hits_suggests_removing_filters_and_spelling(search_backend, client):
    html = client.get("/en/search/?q=bethunne&region=south").content.decode()
    assert "Nothing matches this search." in html
    assert "region=south" not in html.split("Try removing a filter:")[1].split("</li>")[0]
    assert "Did you mean" in html and "bethune" in html


def test_a_search_without_results_shows_no_empty_refine_panel(search_backend, client):
    """Walked on a phone: "tramway" found nothing, and under the "no result" box stood a
    "Refine" heading with nothing to refine and a lone "Apply filters" button."""
    html = client.get("/fr/search/?q=zzyzxquux").content.decode()
    assert "0 résultat" in html
    assert "Affiner" not in html and "Appliquer les filtres" not in html


def test_search_page_bad_filter_is_explained(client, db):
    response = client.get("/fr/search/?sdg=abc")
    assert response.status_code == 400
    assert "1 à 17" in response.content.decode()
