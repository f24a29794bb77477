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
