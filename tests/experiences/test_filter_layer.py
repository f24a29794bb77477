"""One filter-and-facet layer (experiences/filters.py) for the list, the search page and the JSON API,
and the apps below ``search`` importing nothing from it."""

import html

import pytest
from django.http import QueryDict
from django.utils import translation

from experiences import vocabulary
from experiences.filters import REPORT_FILTERS, parse_filters
from search.params import SearchParamsError, parse_params
from tests.imports import ROOT, imported_modules


@pytest.mark.parametrize("app", ["cooperation_hub", "experiences", "contributions"])
def test_apps_below_search_do_not_import_it(app):
    files = [p for p in sorted((ROOT / app).rglob("*.py")) if "migrations" not in p.parts]
    assert files
    offenders = {
        path.relative_to(ROOT).as_posix(): [m for m in imported_modules(path) if m.split(".")[0] == "search"]
        for path in files
    }
    assert {name: modules for name, modules in offenders.items() if modules} == {}


@pytest.mark.parametrize("name", [name for name, spec in REPORT_FILTERS.items() if spec.terms])
def test_list_and_search_accept_the_same_vocabulary(name):
    slugs = [term.slug for term in REPORT_FILTERS[name].terms]
    assert slugs
    for slug in slugs:
        assert parse_filters(QueryDict(f"{name}={slug}")) == ({name: slug}, [])
        assert parse_params({name: slug}).filters == {name: [slug]}
    # The same unknown value: left out by the list, refused with a reason by the search.
    assert parse_filters(QueryDict(f"{name}=zz-unknown")) == ({}, [name])
    with translation.override("en"), pytest.raises(SearchParamsError) as refused:
        parse_params({name: "zz-unknown"})
    assert refused.value.errors[name] == (
        "An SDG is a number from 1 to 17."
        if name == "sdg"
        else f"Unknown value zz-unknown; expected one of: {', '.join(sorted(slugs))}."
    )


@pytest.mark.django_db
def test_bad_sdg_left_out_of_the_list_and_refused_by_the_api(client):
    listed = client.get("/en/experiences/", {"sdg": "18"})
    assert listed.status_code == 200
    assert "Some filters were not recognised and were left out:" in listed.content.decode()
    answer = client.get("/api/search/", {"sdg": "18", "lang": "en"})
    assert answer.status_code == 400
    # In the site's default language, French, as before the filters moved to experiences/filters.py.
    assert answer.json() == {"error": "invalid parameters", "errors": {"sdg": "Un ODD est un nombre de 1 à 17."}}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_list_and_search_page_label_a_filter_alike(client, lang):
    """The active filter reads the same on the list and on the search page (one table of labels)."""
    sdg = vocabulary.by_slug(vocabulary.SDGS)["7"]
    label = f"7. {sdg.fr if lang == 'fr' else sdg.en}"
    path = {"en": "/en/experiences/", "fr": "/fr/experiences/"}[lang]
    listed = html.unescape(client.get(path, {"sdg": "7"}).content.decode())
    searched = html.unescape(client.get(f"/{lang}/search/", {"sdg": "7"}).content.decode())
    facet = {"en": "Sustainable Development Goal", "fr": "Objectif de développement durable"}[lang]
    for page in (listed, searched):
        assert label in page
        assert facet in page
