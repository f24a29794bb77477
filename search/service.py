"""One search over experiences, contributions and consultations: the entry point.

``run_search(params, language)`` is what the page, the API and the tests call.
It validates the parameters (search/params.py), then answers from the engine
(OpenSearch/Elasticsearch, with the hub's analyzers, highlighting and facets:
search/engines/) or from Wagtail's database backend (SQLite FTS5 / PostgreSQL:
search/database.py), and falls back to the database backend with a notice when
the engine does not answer.

What is searched: live experience reports and consultations, published
contributions of live consultations (never hidden or withdrawn ones). For the
pages, ``lang`` picks the translation: an item is shown in the requested
language, or in its own language when it has no translation in it.

Where the rest lives: the filters and facets shared with the experience list in
experiences/filters.py; the facet counts and labels in search/facets.py; spelling in
search/spelling.py; autocomplete in search/autocomplete.py.
"""

import logging
from contextlib import nullcontext
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from contributions.models import ConsultationPage
from experiences.translation import fallback_urls
from lexicon.lexicon import untranslated
from lexicon.queries import also_searched

from . import answers, spelling
from .database import database_search
from .engines import client
from .engines.query import engine_search
from .params import SearchParams, SearchParamsError, parse_params
from .results import SearchResult

__all__ = ["SearchParamsError", "SearchResult", "parse_params", "run_search"]

logger = logging.getLogger(__name__)


def run_search(params: QueryDict | dict[str, Any], language: str | None = None, correct: bool = True) -> SearchResult:
    """Search the network; never raises because an engine is down (see ``notice``).

    A search that finds nothing answers with its spelling correction's results
    when the suggester is confident (search/spelling.py), unless ``correct`` is False.
    """
    sp = parse_params(params, language)
    return answers.kept_result(sp, correct, lambda: _answered(sp, correct))


def _answered(sp: SearchParams, correct: bool) -> SearchResult:
    # "translate=0": the words as typed only; otherwise their translations too (lexicon/, #17).
    with nullcontext() if sp.translate else untranslated():
        result = _search(sp)
        result = spelling.retry_corrected(result, sp, _search) if correct else result
        # The words searched: the spelling correction's when these are its results.
        searched = result.params.query if result.params else sp.query
        result.also_searched = also_searched(searched.terms, searched.phrases)
    return result


def _search(sp: SearchParams) -> SearchResult:
    backend = client.engine_backend()
    if backend is not None and not client.is_marked_down(backend):
        try:
            result = engine_search(backend, sp)
            client.mark_up(backend)
            return _in_reader_language(result, sp)
        except client.EngineUnavailable as exc:
            logger.warning("Search engine unavailable, answering from the database: %s", exc)
    result = database_search(sp)
    if backend is not None:
        result.notice = _(
            "The search engine is not answering right now: these results come from the simpler "
            "database search (no typo tolerance)."
        )
    return _in_reader_language(result, sp)


def _in_reader_language(result: SearchResult, sp: SearchParams) -> SearchResult:
    """Every hit opens in the reader's language, as the list's links do: a contribution on its
    consultation in that language when there is one (the index holds the permalink on the one it
    was posted to), a report with no translation in it under that language's experiences, with
    a notice (the index holds the original's address)."""
    contributions = [hit for hit in result.hits if hit.type == "contribution" and hit.id]
    untranslated = [hit for hit in result.hits if hit.type == "experience" and hit.id and hit.language != sp.lang]
    for hits, reader_urls in ((contributions, ConsultationPage.permalinks_in), (untranslated, fallback_urls)):
        if hits:
            links = reader_urls(sp.lang, [int(hit.id) for hit in hits])
            for hit in hits:
                hit.url = links.get(int(hit.id), hit.url)
    return result
