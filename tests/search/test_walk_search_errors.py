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
