"""Names in a sentence (reasons of a match, a digest's why-lines): each name reads as one, even
when it holds a comma, as French theme names do ("Éducation, emploi")."""

from django.utils import translation

from cooperation_hub.text import name_list


def test_names_without_commas_are_joined_with_commas():
    assert name_list(["compost", "jardin partagé"]) == "compost, jardin partagé"
    assert name_list(["7", "11"]) == "7, 11"


def test_names_holding_commas_are_told_apart_by_semicolons_in_each_language():
    themes = ["Éducation, emploi", "Énergie, climat"]
    with translation.override("fr"):
        assert name_list(themes) == "Éducation, emploi\u00a0; Énergie, climat"
    with translation.override("en"):
        assert name_list(["Education, jobs", "Energy & climate"]) == "Education, jobs; Energy & climate"


def test_one_name_is_itself():
    assert name_list(["Habitat, environnement"]) == "Habitat, environnement"


def test_french_elides_de_and_que_before_a_name_that_starts_with_a_vowel():
    from cooperation_hub.text import elide

    with translation.override("fr"):
        assert elide("Béthune a réalisé ce que Annecy prévoit") == "Béthune a réalisé ce qu’Annecy prévoit"
        assert elide("Villes pairs de Agadir") == "Villes pairs d’Agadir"
        assert elide("Villes pairs de Béthune") == "Villes pairs de Béthune"
        assert elide("Expériences de Écully") == "Expériences d’Écully"
    with translation.override("en"):
        assert elide("Peer cities de Annecy") == "Peer cities de Annecy"  # English is left alone


def test_the_elided_filter_adds_no_markup_and_escapes_what_it_is_given():
    from django.template import Context, Template

    with translation.override("fr"):
        html = Template("{% load hub_format %}{{ text|elided }}").render(Context({"text": "L’équipe de Annecy & co"}))
    assert html == "L’équipe d’Annecy &amp; co"
