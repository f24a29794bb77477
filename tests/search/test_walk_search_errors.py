"""Walked as a peer: a search text over the limit answered "q : Votre recherche est trop
longue…", the address's parameter name shown to people, and an English colon on French pages."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_too_long_search_says_so_without_the_parameter_name(client, demo):
    response = client.get("/fr/search/", {"q": "a" * 3000})
    assert response.status_code == 400
    html = response.content.decode()
    assert "trop longue" in html
    assert "<strong>q</strong>" not in html


def test_a_bad_filter_is_named_with_a_french_colon(client, demo):
    html = client.get("/fr/search/", {"q": "école", "type": "bogus"}).content.decode()
    assert "<strong>type</strong>\xa0: Valeur inconnue" in html


def test_a_refused_search_text_is_not_called_a_filter(client, demo):
    html = client.get("/en/search/", {"q": "a" * 3000}).content.decode()
    assert "Your search could not be run" in html and "Some filters could not be used" not in html
    french = client.get("/fr/search/", {"q": "a" * 3000}).content.decode()
    assert "Votre recherche n’a pas pu être lancée" in french


@pytest.mark.parametrize(
    "lang, typed, hint",
    [
        ("fr", '"', "ne contient aucun mot à rechercher"),
        ("en", '"', "has no words to search for"),
        ("fr", "* ' \\", "ne contient aucun mot à rechercher"),
    ],
)
def test_a_search_without_any_word_says_so_instead_of_ranking_everything(client, demo, lang, typed, hint):
    """Walked as a peer (issue #15): a lone quote answered "32 résultats pour « " »" and "Sorted by
    relevance: 32 results mention these words", though it holds no word and the list was the newest."""
    response = client.get(f"/{lang}/search/", {"q": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert hint in html
    assert "pertinence" not in html and "relevance" not in html
    assert ("du plus récent au plus ancien" if lang == "fr" else "newest first") in html
