"""The experience list's search box asks what the search page asks (search/database.py, through the
``experiences_search_query`` hook): words light-stemmed and translated by the lexicon, so a French
query finds English reports and an English one French reports, on either language's list."""

import re

import pytest

# On the configured backend: the database one in the embedded pass, the engine in the other.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def _titles(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return re.findall(r"<h3[^>]*>\s*<a [^>]*>([^<]+)</a>", response.content.decode())


@pytest.mark.parametrize(
    ("url", "found"),
    [
        ("/en/experiences/?q=écoles", "school"),  # French words, English list
        ("/fr/experiences/?q=schools", "école"),  # English words, French list
    ],
)
def test_a_query_in_the_other_language_finds_the_lists_reports(client, demo, url, found):
    titles = _titles(client, url)
    assert any(found in title.lower() for title in titles), titles
