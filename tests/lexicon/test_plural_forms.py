"""The forms a translation is searched in on the database backend (lexicon/queries.py) and the
French -al/-aux plural of the light stemmer (cooperation_hub/text.py): found missing by the
held-out relevance set (bench/relevance/heldout.py)."""

from cooperation_hub.text import variants
from lexicon.queries import phrase_forms


def test_a_translated_expression_is_searched_in_its_plurals_too():
    # English -y/-ies, French -al/-aux, and the head noun of a French compound in the plural.
    assert "sister cities" in phrase_forms(["sister", "city"])
    assert "logements sociaux" in phrase_forms(["logement", "social"])
    assert "cours d ecole" in phrase_forms(["cour", "d", "ecole"])
    assert "bornes de recharge" in phrase_forms(["borne", "de", "recharge"])
    assert "cable cars" in phrase_forms(["cable", "car"])
    assert "walking school buses" in phrase_forms(["walking", "school", "bus"])
    assert "agents de sante communautaires" in phrase_forms(["agent", "de", "sante", "communautaire"])


def test_french_al_and_aux_plurals_are_one_word():
    assert {"social", "sociale", "sociales"} <= set(variants("sociaux"))
    assert "sociaux" in variants("social") and "locaux" in variants("locales")
    assert "cities" in variants("city")
