"""Comparable projects: up to five, with reasons, across the North–South divide at equal relevance."""

import pytest

from experiences.models import ExperiencePage
from search.comparable import ComparableProject, _rank, comparable_for_external_id, comparable_projects


def montpellier() -> ExperiencePage:
    return ExperiencePage.objects.live().get(external_id="schools-international-cooperation-montpellier",
                                             locale__language_code="en")


def test_up_to_five_comparable_projects_with_reasons(search_backend):
    page = montpellier()
    items = comparable_projects(page, "en")
    assert 1 <= len(items) <= 5
    ids = [i.page.external_id for i in items]
    assert page.external_id not in ids and len(ids) == len(set(ids))
    assert all(i.reasons for i in items)
    # The other school-cooperation reports share its themes, tags and SDGs.
    assert {"schools-international-cooperation-grenoble", "lorient-school-energy-monitoring"} & set(ids)
    grenoble = next((i for i in items if i.page.external_id == "schools-international-cooperation-grenoble"), None)
    if grenoble:
        assert any(r.startswith("Shared themes") for r in grenoble.reasons)


def test_comparable_in_the_requested_language(search_backend):
    items = comparable_for_external_id("schools-international-cooperation-montpellier", "fr")
    assert items and all(i.page.locale.language_code == "fr" or not ExperiencePage.objects.live().filter(
        translation_key=i.page.translation_key, locale__language_code="fr").exists() for i in items)
    assert any(r.startswith("Thèmes") or r.startswith("Mots-clés") for i in items for r in i.reasons)


def test_unknown_external_id_is_none(search_backend):
    assert comparable_for_external_id("no-such-report", "en") is None


class _Page:
    def __init__(self, name):
        self.external_id = name


def test_peer_across_the_divide_first_at_equal_relevance():
    same = ComparableProject(_Page("same-side"), 10.0, ["Shared themes: x"], crosses_divide=False)
    other = ComparableProject(_Page("other-side"), 9.8, ["Shared themes: x"], crosses_divide=True)
    far_better = ComparableProject(_Page("much-better"), 20.0, ["Shared themes: x"], crosses_divide=False)
    ranked = [i.page.external_id for i in _rank([same, other, far_better], 5)]
    assert ranked == ["much-better", "other-side", "same-side"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_comparable_api(search_backend, client, lang):
    response = client.get(f"/api/experiences/schools-international-cooperation-montpellier/comparable/?lang={lang}")
    assert response.status_code == 200
    results = response.json()["results"]
    assert results and len(results) <= 5
    assert set(results[0]) == {"external_id", "title", "city", "country", "region", "reasons"}
    assert results[0]["region"] in {"north", "south"}


def test_comparable_api_unknown_id_is_a_json_404(client, db):
    response = client.get("/api/experiences/no-such-report/comparable/")
    assert response.status_code == 404
    assert "no-such-report" in response.json()["errors"]["external_id"]


def test_experience_page_shows_comparable_projects(search_backend, client):
    page = montpellier()
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="comparable-heading"' in html and "Grenoble" in html
