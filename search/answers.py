"""A database search's answer, kept under the site's generation: a repeated or popular search
costs loading its page of hits and rendering them.

What is kept (``kept_answer``), per normalised query (its folded words and its phrases),
filters, language, ``translate``, page and page size: the number of matches, the facet
counts, the page's hits as (score, type, pk), best first, and the spelling suggestion of a
search that found nothing. Not the hits themselves: they
are loaded and highlighted for each request, so nothing a report's page would show
differently is kept. Only the first ``MAX_PAGES`` pages: deeper pages are rarer than the
cache entries they would take.

Why it may be kept: on the database backend a search's answer changes only when
- a page is published, unpublished, moved or made private, or a city, tag or theme changes:
  "site" is bumped (cooperation_hub/page_cache.py);
- a contribution is posted, edited, moderated or withdrawn: "contributions" is bumped
  (contributions/signals.py);
- the search index is written, which a worker does *after* the publication's commit:
  "search-index" is bumped (search/indexing.py), so an answer worked out between the commit
  and the index write (without the new report) is not served afterwards;
- the lexicon's translations change (lexicon/lexicon.py keeps its own generation).
Each is part of the key: a change makes a new key, nothing has to be found and deleted.
An entry lives at most ``page_cache.timeout()`` seconds. ``SEARCH_ANSWER_CACHE = False``
in the settings turns the cache off (every search is worked out again).

A repeated search is not even loaded again: its whole result (the hits loaded and
highlighted, the translations also searched) is kept by the process under the generations
above (``kept_result``), and forgotten with the site's generation. On an engine
(OpenSearch/Elasticsearch) too: its index is refreshed before each "search-index" bump
(search/indexing.py ``index_written``), so what it answers under a generation stays its answer.
Not an answer from the database while the engine is down: it carries a notice, and the
engine's own answer comes back with the engine.

The engines' answers are not in the shared cache (``kept_answer``): they answer in a few
milliseconds, and it is the loading and rendering that a kept result saves.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from cooperation_hub import page_cache
from cooperation_hub.process_memo import forget, kept_by_process

from .engines import client
from .params import SearchParams
from .results import SearchResult

MAX_PAGES = 5


@dataclass
class Answer:
    """What a search's page needs besides its hits' objects."""

    count: int
    page: list[tuple[float, str, Any]]  # (score, type, pk) of the page's hits, best first
    facets: dict[str, dict[str, int]]
    # The spelling suggestion of a search that found nothing (search/spelling.py reads the
    # network's vocabulary for it: cities, tags, titles, which "site" covers).
    suggestions: list[str] | None = None


def answer_key(sp: SearchParams) -> str:
    """The search's identity: what its answer depends on, as typed words folded
    ("Écoles" and "ecoles" are one search) and filters in a fixed order."""
    from lexicon.lexicon import generation_in_force

    return json.dumps(
        {
            "terms": sp.query.terms,
            "phrases": sp.query.phrases,
            "lang": sp.lang,
            "filters": sorted(sp.filters.items()),
            "translate": sp.translate,
            # The lexicon widens a query with its translations: its own generation.
            "lexicon": generation_in_force() if sp.translate else None,
            "page": sp.page,
            "per_page": sp.per_page,
        },
        sort_keys=True,
        ensure_ascii=False,
    )


def kept_answer(sp: SearchParams, compute: Callable[[], Answer]) -> Answer:
    """``compute()``, or the answer kept for the same search since nothing it shows changed."""
    if not getattr(settings, "SEARCH_ANSWER_CACHE", True) or sp.page > MAX_PAGES:
        return compute()
    return page_cache.kept_for_generation(
        "search-answer:" + answer_key(sp), compute, page_cache.CONTRIBUTIONS, page_cache.SEARCH_INDEX
    )


def kept_result(sp: SearchParams, correct: bool, compute: Callable[[], SearchResult]) -> SearchResult:
    """``compute()``, or the result this process worked out for the same search (spelling
    correction on or off) since nothing it shows changed."""
    keepable = getattr(settings, "SEARCH_ANSWER_CACHE", True) and sp.page <= MAX_PAGES
    if not keepable:
        return compute()
    generations = [page_cache.generation(tag) for tag in (page_cache.CONTRIBUTIONS, page_cache.SEARCH_INDEX)]
    if None in generations:
        return compute()
    # The site's generation is the process memo's own: a publication forgets every kept result.
    # The text as typed too: "Écoles" and "ecoles" share an answer, each is shown as typed.
    # Which backend answers is part of it as well: a process whose engine is configured later
    # (tests switch) never serves the database's result for the engine's.
    backend = client.engine_backend()
    source = client.index_names(backend) if backend is not None else "database"
    name = "search-result:" + json.dumps(
        [correct, generations, source, sp.query.raw, answer_key(sp)], ensure_ascii=False
    )

    def named() -> SearchResult:
        result = compute()
        result.kept_as = name if not result.notice else ""
        return result

    result = kept_by_process(name, named)
    if result.notice:  # the database's answer while the engine is down: not for later requests
        forget(name)
    return result
