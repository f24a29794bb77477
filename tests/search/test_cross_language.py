"""A peer finds the comparable project whatever language it was written in (#17), on both backends.

Every report below exists in one language only (no translation), as a Southern partner's
report usually does. The queries are the issue's, plus the reverse direction.
"""

import pytest

from search.service import run_search
from tests.experiences.helpers import import_records, record
from tests.search.conftest import refresh

SINGLE_LANGUAGE = [
    record("xl-medellin-cable", language="en", city="Medellín", country="CO",
           title="Medellín's Metrocable: aerial cable cars linking hillside neighbourhoods",
           summary="Gondola lines connect informal hillside settlements to the metro, cutting commutes "
                   "from two hours to thirty minutes."),
    record("xl-wuhan-schools", language="en", city="Wuhan", country="CN",
           title="Wuhan's primary schools teach children how the city works",
           summary="Pupils of ten primary schools map their neighbourhood and present projects to the district."),
    record("xl-nottingham-tram", language="en", city="Nottingham", country="GB",
           title="Nottingham extends its tram network to the southern suburbs",
           summary="Two new light rail lines and park-and-ride sites replaced thousands of car trips."),
    record("xl-bhutan-happiness", language="en", city="Thimphu", country="BT",
           title="Thimphu measures the happiness of its residents",
           summary="A citywide happiness index asks residents every year about their well-being and trust."),
    record("xl-nouakchott-waste", language="fr", city="Nouakchott", country="MR",
           title="Nouakchott organise le tri des déchets ménagers par quartier",
           summary="Des points de collecte gérés par des coopératives de femmes trient les ordures ménagères."),
    record("xl-porto-budget", language="fr", city="Porto Alegre", country="BR",
           title="Porto Alegre : trente ans de budget participatif",
           summary="Les habitants votent chaque année les investissements de leur quartier."),
    record("xl-ouaga-water", language="fr", city="Ouagadougou", country="BF",
           title="Ouagadougou étend l'accès à l'eau potable dans les quartiers périphériques",
           summary="Des bornes-fontaines gérées par des comités d'usagers et des tarifs sociaux."),
    # Same-language competitors: the reader's own language comes first at equal relevance.
    record("xl-brest-cable", language="fr", city="Brest", country="FR",
           title="Brest : le premier téléphérique urbain de France",
           summary="Le téléphérique franchit la Penfeld et relie les deux rives de la ville."),
    record("xl-leeds-waste", language="en", city="Leeds", country="GB",
           title="Leeds improves household waste sorting",
           summary="Waste sorting bins and collection rounds were redesigned with residents."),
]  # fmt: skip

# (query, reading language, external id of the report to find in the top five)
CROSS_LANGUAGE = [
    ("téléphérique", "fr", "xl-medellin-cable"),
    ("écoles Wuhan", "fr", "xl-wuhan-schools"),
    ("tramway", "fr", "xl-nottingham-tram"),
    ("bonheur des habitants", "fr", "xl-bhutan-happiness"),
    ("waste sorting", "en", "xl-nouakchott-waste"),
    ("participatory budget", "en", "xl-porto-budget"),
    ("drinking water", "en", "xl-ouaga-water"),
    ("cable car", "en", "xl-brest-cable"),
]


@pytest.fixture
def single_language_reports(search_backend, demo, forget_in_engine):
    from experiences.models import ExperiencePage

    import_records(*SINGLE_LANGUAGE)
    forget_in_engine.extend(ExperiencePage.objects.filter(external_id__startswith="xl-"))
    refresh()
    return search_backend


def top_five(query: str, lang: str) -> list[str]:
    return [hit.external_id for hit in run_search({"q": query, "lang": lang}, lang).hits[:5]]


@pytest.mark.parametrize(("query", "lang", "target"), CROSS_LANGUAGE)
def test_a_report_in_the_other_language_is_in_the_top_five(single_language_reports, query, lang, target):
    assert target in top_five(query, lang), (query, top_five(query, lang))


@pytest.mark.parametrize(("query", "lang", "first", "other"), [
    ("téléphérique", "fr", "xl-brest-cable", "xl-medellin-cable"),
    ("waste sorting", "en", "xl-leeds-waste", "xl-nouakchott-waste"),
])  # fmt: skip
def test_same_language_matches_still_rank_first(single_language_reports, query, lang, first, other):
    found = top_five(query, lang)
    assert found[0] == first and other in found, (query, found)


def test_without_the_lexicon_the_other_language_is_not_found(single_language_reports, settings):
    """What the lexicon adds: switched off, the cross-language queries find (almost) nothing."""
    settings.LEXICON_EXPANSION = False
    found = sum(target in top_five(query, lang) for query, lang, target in CROSS_LANGUAGE)
    assert found <= 2, found


def test_the_api_answer_keeps_its_shape(single_language_reports, client):
    answer = client.get("/api/search/", {"q": "téléphérique", "lang": "fr"}).json()
    assert set(answer) == {"count", "results", "facets"}
    assert {r["external_id"] for r in answer["results"]} >= {"xl-brest-cable", "xl-medellin-cable"}
    assert all(set(r) == {"type", "title", "url", "snippet", "external_id"} for r in answer["results"])


def test_a_long_query_of_translatable_words_is_still_answered(single_language_reports, client):
    """32 words that all translate (the parser's cap): the expanded query stays within the SQL parser's limits."""
    words = (
        "école transport énergie déchets eau santé logement habitants tramway téléphérique bonheur vélo "
        "jumelage financement gouvernance quartier ville numérique données marché emploi climat pluie "
        "inondation chaleur arbre jardin bruit route rue pont gare"
    ).split()
    assert len(words) == 32
    response = client.get("/api/search/", {"q": " ".join(words), "lang": "fr"})
    assert response.status_code == 200, response.content[:300]
    assert set(response.json()) >= {"count", "results", "facets"}
    phrase = client.get("/api/search/", {"q": '"qualité de l\'air" "cable car"', "lang": "fr"})
    assert phrase.status_code == 200
