"""A search that finds nothing because of a typo answers with the corrected words.

The engines are typo-tolerant (fuzzy matching); Wagtail's database backend is
not: "innondation" or "hapiness" found nothing there and only offered a "did
you mean". When a search finds nothing and the spelling suggester
(``spelling_suggestions`` below, the network's own vocabulary; the engine's term suggester) is
confident, the corrected words are searched and their results shown, with the
words as typed kept in ``SearchResult.corrected_from`` so the page can say
"Showing results for happiness; search instead for hapiness".

Only a search with no result is retried: the number of queries of a search
that finds something never depends on its spelling (tests/search/test_page_costs.py).
"""

import difflib
from collections.abc import Callable
from dataclasses import replace
from difflib import SequenceMatcher
from typing import Any

from wagtail.models import Page

from cooperation_hub.query import ParsedQuery, QueryError, parse_query
from cooperation_hub.text import STOPWORDS, fold, words
from cooperation_hub.visibility import public_cities, public_tags, visible_to_public
from experiences.models import Theme

# A correction replaces a word only when the two are this close (difflib ratio)
# and the typed word is long enough for a typo to be told from another word:
# "hapiness" -> "happiness" (0.94), "innondation" -> "inondation" (0.95), but not "air" -> "faire".
MIN_RATIO = 0.8
MIN_LENGTH = 4


def is_confident(query: ParsedQuery, suggestion: str) -> bool:
    """Whether ``suggestion`` only fixes typos of ``query``'s words (no word swapped for another)."""
    typed, fixed = query.terms, words(suggestion)
    if not fixed or fixed == typed:
        return False
    if len(typed) != len(fixed):
        return SequenceMatcher(None, " ".join(typed), " ".join(fixed)).ratio() >= MIN_RATIO
    for before, after in zip(typed, fixed, strict=True):
        if before == after:
            continue
        if len(before) < MIN_LENGTH or SequenceMatcher(None, fold(before), after).ratio() < MIN_RATIO:
            return False
    return True


def corrected_query(query: ParsedQuery, suggestion: str) -> ParsedQuery | None:
    """The query with its free words replaced by ``suggestion`` (quoted phrases kept), or None."""
    phrases = " ".join(f'"{phrase}"' for phrase in query.phrases)
    try:
        return parse_query(f"{phrases} {suggestion}".strip())
    except QueryError:
        return None


def retry_corrected(result: Any, params: Any, search: Callable[[Any], Any]) -> Any:
    """``result``, or the result of the corrected words when ``result`` found nothing and a confident
    correction finds something (``corrected_from`` then holds the words as typed)."""
    if result.count or params.query.is_empty or not result.suggestions:
        return result
    suggestion = result.suggestions[0]
    if not is_confident(params.query, suggestion):
        return result
    query = corrected_query(params.query, suggestion)
    if query is None:
        return result
    retried = search(replace(params, query=query))
    if not retried.count:
        return result
    retried.corrected_from = params.query.raw
    retried.notice = retried.notice or result.notice
    return retried


# --- the suggestion itself, from the network's own vocabulary ----------------------------


def _vocabulary_words() -> set[str]:
    found: set[str] = set()
    # Only what the public may see: a draft or private report, a hidden contribution
    # must not be revealed by the "did you mean" of a search that finds nothing.
    for name in public_cities().values_list("name", flat=True)[:5000]:
        found.update(words(name))
    for theme in Theme.objects.all():
        found.update(words(theme.name_en + " " + theme.name_fr))
    for name in public_tags().values_list("name", flat=True)[:5000]:
        found.update(words(name))
    titles = visible_to_public(Page.objects.all()).order_by("-latest_revision_created_at")
    for title in titles.values_list("title", flat=True)[:2000]:
        found.update(words(title))
    return {w for w in found if len(w) > 2 and w not in STOPWORDS}


def spelling_suggestions(query: ParsedQuery) -> list[str]:
    """A corrected query from the network's own vocabulary (cities, themes, tags, titles), if one differs."""
    if query.is_empty:
        return []
    vocab = _vocabulary_words()
    fixed, changed = [], False
    for term in query.terms:
        if term in vocab or term in STOPWORDS or len(term) < 4:  # "air" is no typo of "faire"
            fixed.append(term)
            continue
        close = difflib.get_close_matches(fold(term), vocab, n=1, cutoff=0.75)
        fixed.append(close[0] if close else term)
        changed = changed or bool(close)
    return [" ".join(fixed)] if changed else []


def with_suggestions(result: Any, params: Any) -> Any:
    """``result`` with a spelling suggestion when it found nothing for a query or filters."""
    if result.count == 0 and (not params.query.is_empty or params.filters):
        result.suggestions = spelling_suggestions(params.query)
    return result
