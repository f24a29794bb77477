"""lexicon.expand: the translations search adds to a query, both ways, plurals and accents aside."""

import pytest

from lexicon import expand
from lexicon.lexicon import Lexicon, Pair, expand_with, key

pytestmark = pytest.mark.django_db


def test_the_issue_words_translate_both_ways():
    found = expand(["téléphérique", "écoles", "tramway", "bonheur", "habitants", "cable cars", "schools"])
    assert "cable car" in found["téléphérique"]
    assert "school" in found["écoles"]
    assert "tram" in found["tramway"]
    assert "happiness" in found["bonheur"]
    assert "resident" in found["habitants"]
    assert "téléphérique" in found["cable cars"]
    assert "école" in found["schools"]


def test_folded_words_as_the_search_parser_gives_them():
    found = expand(["telepherique", "ECOLE", "Santé"])
    assert "cable car" in found["telepherique"] and "school" in found["ECOLE"] and "health" in found["Santé"]


def test_a_phrase_translates_as_a_whole():
    assert expand(["qualité de l'air"])["qualité de l'air"] == ["air quality"]
    assert "qualité de l'air" in expand(["air quality"])["air quality"]


def test_the_language_restricts_the_direction():
    assert expand(["tram"], "en")["tram"] == ["tramway"]
    assert expand(["tram"], "fr")["tram"] == []
    assert expand(["zorblax", "de"]) == {"zorblax": [], "de": []}


def test_expansion_can_be_switched_off(settings):
    settings.LEXICON_EXPANSION = False
    assert expand(["téléphérique"]) == {"téléphérique": []}


def test_expand_with_is_pure_and_honours_removed_pairs():
    pairs = [Pair("vélo", "bike"), Pair("vélo", "bicycle"), Pair("vélos", "bikes"), Pair("route", "road")]
    lexicon = Lexicon.build(pairs, removed=[("velo", "bicycle")])
    assert expand_with(lexicon, ["vélos", "bike", "road"]) == {"vélos": ["bike"], "bike": ["vélo"], "road": ["route"]}
    assert key("Les Écoles") == "ecole" and key("l'air") == "air"
