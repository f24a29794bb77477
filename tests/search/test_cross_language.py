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
           summary="Two new light rail lines and park-and-ride sites replaced thousands of car trips.", tags=["tram"]),
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
    record("xl-montpellier-tram", language="fr", city="Montpellier", country="FR", tags=["tramway"],
           title="Montpellier ouvre la cinquième ligne de son tramway",
           summary="La nouvelle ligne dessert les quartiers nord et la gare."),
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
def single_language_reports(search_backend, demo, forget_in_engine, comparable_lists_left_alone):
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


PLURAL_FORMS = [
    record("xl-lille-housing", language="fr", city="Lille", country="FR",
           title="Lille isole les façades de ses logements sociaux",
           summary="Les locataires paient un tiers de moins pour le chauffage."),
    record("xl-glasgow-twinning", language="en", city="Glasgow", country="GB",
           title="Glasgow and Blantyre renew their twinning",
           summary="The two cities exchange council staff every year."),
    record("xl-paris-schoolyards", language="fr", city="Paris", country="FR",
           title="Paris ouvre les cours d'école aux habitants le samedi",
           summary="Arbres et fontaines remplacent le bitume."),
]  # fmt: skip


@pytest.mark.parametrize(("query", "lang", "target"), [
    ("social housing", "en", "xl-lille-housing"),  # "logement social" written "logements sociaux"
    ("jumelage villes", "fr", "xl-glasgow-twinning"),  # "villes": "city", written "cities"
    ("schoolyard", "en", "xl-paris-schoolyards"),  # "cour d'école" written "cours d'école"
])  # fmt: skip
def test_a_translation_is_found_in_the_plural_the_report_uses(
    single_language_reports, forget_in_engine, query, lang, target
):
    from experiences.models import ExperiencePage

    import_records(*PLURAL_FORMS)
    forget_in_engine.extend(ExperiencePage.objects.filter(external_id__in=[r["external_id"] for r in PLURAL_FORMS]))
    refresh()
    assert target in top_five(query, lang), (query, top_five(query, lang))


def test_without_the_lexicon_the_other_language_is_not_found(single_language_reports, settings):
    """What the lexicon adds: switched off, the cross-language queries find (almost) nothing."""
    settings.LEXICON_EXPANSION = False
    found = sum(target in top_five(query, lang) for query, lang, target in CROSS_LANGUAGE)
    assert found <= 2, found


def test_the_api_answer_keeps_its_shape(single_language_reports, client):
    answer = client.get("/api/search/", {"q": "téléphérique", "lang": "fr"}).json()
    # Fields are only ever added: "language" on each hit, "also_searched" when something was translated.
    assert set(answer) == {"count", "results", "facets", "also_searched"}
    assert {r["external_id"] for r in answer["results"]} >= {"xl-brest-cable", "xl-medellin-cable"}
    assert all(set(r) == {"type", "title", "url", "snippet", "external_id", "language"} for r in answer["results"])


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


def test_an_expression_is_translated_as_one_never_word_by_word(single_language_reports, forget_in_engine, client):
    """The expression "cable car" is "téléphérique": "car" alone would have searched "voiture" too, and found a
    report about cables and cars that has nothing to do with cable cars."""
    from experiences.models import ExperiencePage

    import_records(
        record("xl-grenoble-cables", language="fr", city="Grenoble", country="FR",
               title="Grenoble enterre ses câbles électriques",
               summary="Les câbles passent sous la chaussée et la voiture cède la place aux piétons."),
    )  # fmt: skip
    forget_in_engine.extend(ExperiencePage.objects.filter(external_id="xl-grenoble-cables"))
    refresh()
    answer = client.get("/api/search/", {"q": "cable car", "lang": "en"}).json()
    found = [r["external_id"] for r in answer["results"]]
    assert "xl-brest-cable" in found and "xl-grenoble-cables" not in found, found
    assert answer["also_searched"] == ["téléphérique"]
    # Each word alone still translates ("car": "voiture"), and a longer question still finds both.
    assert client.get("/api/search/", {"q": "car", "lang": "en"}).json()["also_searched"] == ["voiture"]
    longer = client.get("/api/search/", {"q": "cable car hillside gondola", "lang": "en"}).json()
    assert "voiture" not in longer["also_searched"] and "téléphérique" in longer["also_searched"]


# --- what the reader is told: each hit's language, what was also searched, and the way to turn it off ---


def test_the_api_says_each_hits_language_and_what_it_also_searched(single_language_reports, client):
    answer = client.get("/api/search/", {"q": "téléphérique", "lang": "fr"}).json()
    languages = {r["external_id"]: r["language"] for r in answer["results"]}
    assert languages["xl-medellin-cable"] == "en" and languages["xl-brest-cable"] == "fr"
    assert "cable car" in answer["also_searched"]


def test_translate_0_searches_only_the_words_as_typed(single_language_reports, client):
    answer = client.get("/api/search/", {"q": "téléphérique", "lang": "fr", "translate": "0"}).json()
    found = {r["external_id"] for r in answer["results"]}
    assert "xl-brest-cable" in found and "xl-medellin-cable" not in found
    assert "also_searched" not in answer
    refused = client.get("/api/search/", {"q": "tram", "translate": "maybe"})
    assert refused.status_code == 400 and "translate" in refused.json()["errors"]


@pytest.mark.parametrize(("lang", "query", "also", "words", "written_in"), [
    ("fr", "téléphérique", "cable car", ("Également cherché", "Chercher seulement"), "Écrit en anglais"),
    ("en", "waste sorting", "tri des déchets", ("Also searched:", "Search only for"), "Written in French"),
])  # fmt: skip
def test_the_page_says_what_it_also_searched_and_how_to_turn_it_off(
    single_language_reports, client, lang, query, also, words, written_in
):
    page = client.get(f"/{lang}/search/", {"q": query}).content.decode()
    assert also in page and all(w in page for w in words)
    assert written_in in page  # the other language's hit says so
    assert "translate=0" in page
    off = client.get(f"/{lang}/search/", {"q": query, "translate": "0"}).content.decode()
    assert also not in off.split('id="results-heading"')[1].split("search-hits")[0]
    assert ("Chercher aussi leurs traductions" if lang == "fr" else "Also search their translations") in off
    # Kept when filters are applied or removed: the filter form carries it.
    assert '<input type="hidden" name="translate" value="0">' in off


def test_translate_0_is_kept_across_pages(single_language_reports, client):
    page = client.get("/en/search/", {"q": "", "translate": "0", "per_page": "1"}).content.decode()
    next_link = page.split('rel="next"')[0].rsplit("href=", 1)[1]
    assert "translate=0" in next_link and "page=2" in next_link


# --- autocomplete across languages ---


@pytest.mark.parametrize(("typed", "lang", "title"), [
    ("téléph", "fr", "Medellín's Metrocable: aerial cable cars linking hillside neighbourhoods"),
    ("tramw", "fr", "Nottingham extends its tram network to the southern suburbs"),
    ("drinking wat", "en", "Ouagadougou étend l'accès à l'eau potable dans les quartiers périphériques"),
])  # fmt: skip
def test_autocomplete_suggests_titles_in_the_other_language(single_language_reports, client, typed, lang, title):
    suggestions = client.get("/api/search/autocomplete/", {"q": typed, "lang": lang}).json()["suggestions"]
    assert {"value": title, "kind": "title"} in suggestions, suggestions


def test_autocomplete_puts_the_words_as_typed_first(single_language_reports, client):
    titles = [
        s["value"]
        for s in client.get("/api/search/autocomplete/", {"q": "téléph", "lang": "fr"}).json()["suggestions"]
        if s["kind"] == "title"
    ]
    assert titles.index("Brest : le premier téléphérique urbain de France") < titles.index(
        "Medellín's Metrocable: aerial cable cars linking hillside neighbourhoods"
    )


# --- tags: a tag and its translation are one concept with two labels ---


@pytest.mark.parametrize(("tag", "lang"), [("tramway", "fr"), ("tram", "en"), ("Tramway", "en")])
def test_the_tag_filter_finds_reports_tagged_with_either_label(single_language_reports, client, tag, lang):
    answer = client.get("/api/search/", {"tag": tag, "lang": lang, "type": "experience"}).json()
    assert {r["external_id"] for r in answer["results"]} >= {"xl-nottingham-tram", "xl-montpellier-tram"}


@pytest.mark.parametrize(
    ("lang", "label", "value"), [("fr", "tramway / tram", "tramway"), ("en", "tram / tramway", "tram")]
)
def test_the_tag_facet_is_one_option_per_concept(single_language_reports, client, lang, label, value):
    page = client.get(f"/{lang}/search/", {"q": "tram"}).content.decode()
    facets = page.split('id="facets-heading"')[1]
    assert f'name="tag" value="{value}"' in facets and label in facets
    assert f'{label} <span class="facet-count">(2)</span>' in facets


@pytest.mark.parametrize(("query", "reversed_query", "lang"), [
    ("énergie climat", "climat énergie", "en"),
    ("energy climate", "climate energy", "fr"),
])  # fmt: skip
def test_two_words_the_lexicon_knows_together_are_translated_one_by_one_too(
    single_language_reports, query, reversed_query, lang
):
    """Walked: "énergie climat" on the English search found nothing (the lexicon knows it as the
    theme "Énergie & climat", and only that expression's translation was searched) while
    "climat énergie" found three reports."""
    found = run_search({"q": query, "lang": lang}, lang)
    assert found.count > 0 and found.count == run_search({"q": reversed_query, "lang": lang}, lang).count
