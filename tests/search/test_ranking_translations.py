"""On the database backend, the re-ranking credits a query word found through its translation
(search/ranking.py ``translated_credit``, #17), at half the weight of the word itself.

Before, only the words as typed counted: among many reports, a French report holding just
"éclairage" or an English one sharing "public" came before the English report that holds
every concept of "éclairage public solaire" through its translations.
"""

import pytest

from lexicon.lexicon import untranslated
from search.ranking import field_tier, term_translations
from search.service import run_search
from tests.experiences.helpers import import_records, record

from .conftest import database_backends

# Every report in one language only; each competitor shares a word or a concept of the query.
REPORTS = [
    record("rk-accra-lights", language="en", city="Accra", country="GH",
           title="Accra installs solar street lights in market streets",
           summary="Stand-alone solar lamps light the streets of three markets at night, with batteries "
                   "replaced by local technicians."),
    record("rk-nairobi-schools", language="en", city="Nairobi", country="KE",
           title="Nairobi puts solar panels on the roofs of public schools",
           summary="Rooftop photovoltaic systems power classrooms, and the surplus is sold to the grid."),
    record("rk-leeds-library", language="en", city="Leeds", country="GB",
           title="Leeds turns a former bank into a public library",
           summary="The library network of the city lends books, tools and laptops."),
    record("rk-edinburgh-books", language="en", city="Edinburgh", country="GB",
           title="Edinburgh's book festival comes to public libraries",
           summary="Free readings for children and families in every library of the city."),
    record("rk-singapore-wifi", language="en", city="Singapore", country="SG",
           title="Singapore extends free public Wi-Fi to its hawker centres",
           summary="Wireless hotspots in food courts and libraries let residents go online."),
    record("rk-bordeaux-stadium", language="fr", city="Bordeaux", country="FR",
           title="Bordeaux rénove les tribunes de son stade",
           summary="Des écrans numériques et un nouvel éclairage pour les matchs du week-end."),
    record("rk-poitiers-pool", language="fr", city="Poitiers", country="FR",
           title="Poitiers chauffe sa piscine publique à l'énergie solaire",
           summary="Des capteurs sur le toit de la piscine municipale réchauffent l'eau des bassins."),
]  # fmt: skip

# The same concepts in the reader's own language: at equal relevance it keeps its place.
FRENCH_LIGHTS = record(
    "rk-ouaga-lights", language="fr", city="Ouagadougou", country="BF",
    title="Ouagadougou installe un éclairage public solaire dans les rues des marchés",
    summary="Des lampadaires solaires autonomes éclairent trois marchés la nuit.",
)  # fmt: skip


@pytest.fixture
def competing_reports(settings, demo, comparable_lists_left_alone):
    settings.WAGTAILSEARCH_BACKENDS = database_backends()  # the engine's ranking is its own (lexicon/queries.py)


def ranked(query: str, lang: str, translate: str = "1") -> list[str]:
    params = {"q": query, "lang": lang, "type": "experience", "translate": translate}
    return [hit.external_id for hit in run_search(params, lang, correct=False).hits]


def test_the_report_holding_every_concept_through_translations_ranks_first(competing_reports):
    import_records(*REPORTS)
    found = ranked("éclairage public solaire", "fr")
    assert found[0] == "rk-accra-lights", found
    # Without the translations, the words as typed only: the English report is not first.
    assert ranked("éclairage public solaire", "fr", translate="0")[:1] != ["rk-accra-lights"]


def test_the_same_concepts_in_the_readers_language_still_come_first(competing_reports):
    import_records(*REPORTS, FRENCH_LIGHTS)
    found = ranked("éclairage public solaire", "fr")
    assert found[:2] == ["rk-ouaga-lights", "rk-accra-lights"], found


def test_a_same_language_query_keeps_its_order(competing_reports):
    import_records(*REPORTS, FRENCH_LIGHTS)
    # English words, English reports: "public library" is what a reader typing it wants first.
    found = ranked("public library", "en")
    # The two library reports first (their order is the full-text engine's: SQLite's and
    # PostgreSQL's differ), and exactly the order of the words as typed.
    assert set(found[:2]) == {"rk-leeds-library", "rk-edinburgh-books"}, found
    assert found == ranked("public library", "en", translate="0")


# --- the rule itself ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("own", "translated"),
    [
        # Same place in the text, the word itself or its translation.
        ("Wuhan écoles primaires", "Wuhan primary schools"),
        ("Le budget des écoles de Wuhan", "The budget of Wuhan schools"),
        ("Rapport annuel", "Annual report"),
    ],
)
def test_the_word_itself_weighs_more_than_its_translation(own, translated):
    terms = ["ecoles", "wuhan"]
    translations = term_translations(terms)
    assert translations == [[["school"]], []]
    summary = "Les écoles de Wuhan" if own == "Rapport annuel" else ""
    summary_en = "The schools of Wuhan" if own == "Rapport annuel" else ""
    assert field_tier(terms, own, summary, translations) > field_tier(terms, translated, summary_en, translations)
    # ...and a translation still counts: more than the place alone.
    assert field_tier(terms, translated, summary_en, translations) > field_tier(terms, "Wuhan", "", translations)


@pytest.mark.django_db
def test_without_translations_the_tier_is_the_words_as_typed():
    terms = ["ecoles", "wuhan"]
    with untranslated():  # translate=0
        translations = term_translations(terms, terms)
    assert translations == [[], []]
    for title in ("Wuhan primary schools", "Wuhan écoles", "Paris"):
        assert field_tier(terms, title, "", translations) == field_tier(terms, title, "")
