"""The search on Wagtail's database backend (SQLite FTS5, PostgreSQL full-text search).

What may be found, filtered (``filtered_querysets``: the report filters of
experiences/filters.py, then type and language); the parsed query as django-modelsearch
query objects (``database_query``); the matches per type, read FTS-first on SQLite
(cooperation_hub/fts.py) and re-ranked by search/ranking.py; the page of hits; the facet
counts in one statement (search/facets.py). The count, facets and ranked page are kept for
a repeated search until something they show changes (search/answers.py).
"""

import logging
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from modelsearch.backends import get_search_backend
from modelsearch.query import And, Or, Phrase, PlainText
from wagtail.models import Page
from wagtail.search.index import Indexed

from contributions.models import ConsultationPage, Contribution
from cooperation_hub import fts
from cooperation_hub.query import ParsedQuery
from cooperation_hub.text import STOPWORDS, highlight, variants, words
from cooperation_hub.visibility import visible_to_public
from experiences.filters import REPORT_FILTERS, linked_tags, narrow
from experiences.models import ExperiencePage
from lexicon import queries as lexicon_queries

from . import answers, ranking
from .documents import document_for, load_for_documents
from .facets import database_facets
from .params import SearchParams
from .results import SearchHit, SearchResult, hit_from_doc
from .spelling import with_suggestions

logger = logging.getLogger(__name__)

EXPERIENCE_FILTERS = tuple(REPORT_FILTERS)
MODELS: dict[str, type[Indexed]] = {
    "experience": ExperiencePage,
    "consultation": ConsultationPage,
    "contribution": Contribution,
}


def page_language_rule(qs: QuerySet, lang: str) -> QuerySet:
    """Pages in ``lang``, plus pages that have no public translation in ``lang``."""
    # NOT EXISTS, not NOT IN a list of every translation key: one lookup in the (translation_key,
    # locale) index per page instead of a list of 5,000 keys built for each statement at 10,000 reports.
    translated = visible_to_public(Page.objects.filter(translation_key=OuterRef("translation_key")))
    return qs.filter(Q(locale__language_code=lang) | ~Exists(translated.filter(locale__language_code=lang)))


def filtered_querysets(sp: SearchParams) -> dict[str, QuerySet]:
    """The ORM querysets of what may be found, every filter applied, per type."""
    f = sp.filters
    out: dict[str, QuerySet] = {}
    types = sp.types()
    if "experience" in types:
        qs = page_language_rule(ExperiencePage.objects.visible_to_public(), sp.lang)
        for name in EXPERIENCE_FILTERS:
            if f.get(name):
                qs = narrow(qs, name, f[name], tag_slugs=False)
        if f.get("language"):
            qs = qs.filter(locale__language_code__in=f["language"])
        out["experience"] = qs.distinct()
    if "consultation" in types:
        qs = page_language_rule(ConsultationPage.objects.visible_to_public(), sp.lang)
        if f.get("tag"):
            qs = qs.filter(_tag_q("suggested_tags__name", f["tag"]))
        if f.get("language"):
            qs = qs.filter(locale__language_code__in=f["language"])
        out["consultation"] = qs.distinct()
    if "contribution" in types:
        qs = Contribution.objects.visible_to_public()
        if f.get("tag"):
            qs = qs.filter(_tag_q("tags__name", f["tag"]))
        if f.get("language"):
            qs = qs.filter(language__in=f["language"])
        out["contribution"] = qs.distinct()
    return out


def _tag_q(lookup: str, tags: list[str]) -> Q:
    q = Q()
    for tag in linked_tags(tags):  # a tag's translation is the same concept
        q |= Q(**{f"{lookup}__iexact": tag})
    return q


def database_query(query: ParsedQuery, every_word: bool = False) -> Any:
    """The parsed query as django-modelsearch query objects, each word expanded to its light-stemmed forms
    and to its translations (lexicon/queries.py: a report in the other language is found too).
    ``every_word``: each word must match however many there are (the experience list's ``?q=``
    narrows the list); otherwise a question of three words or more ranks by how many match."""
    significant = [t for t in query.terms if t not in STOPWORDS] or query.terms
    parts: list[Any] = [lexicon_queries.with_translations(Phrase(" ".join(words(p))), p) for p in query.phrases]
    if significant:
        # Two or fewer words: all must match; longer questions rank by how many match.
        every_word = every_word or len(significant) <= 2
        term_queries: list[Any] = []
        # An expression the lexicon knows is translated as one ("cable car": "téléphérique"),
        # never word by word: "car" alone would also have searched "voiture".
        for span, translations in lexicon_queries.segments(significant):
            own = [_word_forms(word) for word in span.split()]
            if len(own) == 1:
                term_queries.append(lexicon_queries.with_translations(own[0], span))
            elif every_word:
                expression = lexicon_queries.with_translations(And(own), span)
                if lexicon_queries.translated_word_by_word(span, translations):  # "énergie climat"
                    each = And([lexicon_queries.with_translations(_word_forms(w), w) for w in span.split()])
                    expression = Or([expression, each])
                term_queries.append(expression)
            else:
                # A longer question ranks by how many of its pieces match: the translation's own
                # words count too ("community health workers": "santé" in "agents de santé").
                translated_words = {w for t in translations for w in words(t) if w not in STOPWORDS} - set(span.split())
                term_queries += [*own, *lexicon_queries.database_alternatives(span)]
                term_queries += [_word_forms(w) for w in sorted(translated_words)]
        if every_word:
            parts += term_queries
        else:
            parts.append(Or(term_queries))
    built = parts[0] if len(parts) == 1 else And(parts)
    # The whole query with its small words ("journée sans voiture": "car-free day"); the lexicon's key drops its own.
    return built if query.phrases else lexicon_queries.whole_query_translations(built, query.terms)


def _word_forms(term: str) -> Any:
    forms = variants(term)
    return Or([PlainText(v) for v in forms]) if len(forms) > 1 else PlainText(forms[0])


@dataclass
class Matches:
    """What one type of item gives a query: how many match, the best ones, and all of them as a subquery."""

    count: int
    top: list[tuple[Any, float]]  # (pk, score), best first, at most the ``end`` asked for
    queryset: QuerySet  # the matching objects, for facet counts in SQL (ids as one parameter, not one each)


def _database_matches(qs: QuerySet, query: Any, end: int) -> Matches:
    """The objects of ``qs`` matching ``query`` through Wagtail's database backend, best first."""
    backend = get_search_backend("database")
    if fts.is_sqlite_backend(backend):
        try:
            return _sqlite_matches(backend, qs, query, end)
        except Exception:  # internals of django-modelsearch changed (tests/search/test_fts_adapter.py says which)
            logger.exception("SQLite FTS-first path failed; using the public search API")
    # Only "id" is handed to the backend (an indexed FilterField); the other filters stay in the subquery.
    search_qs = qs.model.objects.filter(id__in=qs.values("id"))
    results = backend.search(query, search_qs, order_by_relevance=True).annotate_score("_score")
    sign = -1.0 if fts.is_sqlite_backend(backend) else 1.0  # FTS5 bm25: lower is better
    found = results.get_queryset()
    rows = [(pk, sign * float(score or 0.0)) for pk, score in found.values_list("pk", "_score")]
    if sign < 0:  # the public SQLite path breaks ties by -pk; FTS5 (and the FTS-first path) by index entry
        rows.sort(key=lambda r: r[1], reverse=True)
    # A subquery, not a list of ids: SQLite caps the number of parameters of a statement.
    return Matches(len(rows), rows[:end], qs.model.objects.filter(pk__in=found.order_by().values("pk")))


def _sqlite_matches(backend: Any, qs: QuerySet, query: Any, end: int) -> Matches:
    """One FTS-first statement (cooperation_hub/fts.py says why) for every hit, best first: the count,
    the best ``end`` and the ids the facets count over, without running the MATCH three times."""
    # Consultations are few: asking the FTS5 table about each of their entries (~1 ms each) is
    # cheaper than reading every hit of the query in the whole index to keep none (~12 ms at 10,000).
    entries_first = qs.model is not ExperiencePage and fts.few_entries(qs.model)
    found = fts.sqlite_matches(backend, qs.model, query, allowed=qs, entries_first=entries_first).scored()
    # The ids as one JSON parameter (ranking.by_ids): the statement's text does not depend on how many.
    return Matches(
        count=len(found),
        top=[(pk, -float(score or 0.0)) for pk, score in found[:end]],
        queryset=ranking.by_ids(qs.model, [pk for pk, _score in found]),
    )


def _date_field(kind: str) -> str:
    return {"experience": "first_published_at", "consultation": "opens_at", "contribution": "created_at"}[kind]


def database_search(sp: SearchParams) -> SearchResult:
    result = SearchResult(query=sp.query.raw, params=sp, backend="database")
    # The count, facets and ranked page of a search, kept until something they show changes
    # (search/answers.py): a repeated search loads its page of hits and nothing else.
    answer = answers.kept_answer(sp, lambda: _answer(sp))
    result.count, result.facets, result.suggestions = answer.count, answer.facets, list(answer.suggestions or [])
    result.hits = _hits_from_database(answer.page, sp)
    return result


def _answer(sp: SearchParams) -> answers.Answer:
    """The count, the facet counts and the ranked page of hits of a search, worked out."""
    querysets = filtered_querysets(sp)
    # Per type: the count, the best hits up to the requested page, and the matches
    # as a subquery that the facet counts reuse in SQL.
    end = sp.offset + sp.per_page
    matched: dict[str, Matches] = {}
    ranked: list[tuple[float, str, Any]] = []
    if sp.query.is_empty:
        for kind, qs in querysets.items():
            newest = qs.order_by(f"-{_date_field(kind)}", "-pk").values_list("pk", _date_field(kind))[:end]
            top = [(pk, date.timestamp() if date else 0.0) for pk, date in newest]
            matched[kind] = Matches(qs.count(), top, qs.model.objects.filter(pk__in=qs.values("pk")))
    else:
        # The place the query names, then title and summary matches first (search/ranking.py).
        matched = ranking.database_matches(sp, querysets, end, _database_matches, database_query)
    count = 0
    for kind, found in matched.items():
        count += found.count
        ranked += [(score, kind, pk) for pk, score in found.top]
    # Among equal scores, experience reports first.
    ranked.sort(key=lambda r: (r[0], r[1] == "experience"), reverse=True)
    suggestions = with_suggestions(SearchResult(query=sp.query.raw, count=count), sp).suggestions
    return answers.Answer(count, ranked[sp.offset : sp.offset + sp.per_page], database_facets(matched), suggestions)


def _hits_from_database(page: list[tuple[float, str, Any]], sp: SearchParams) -> list[SearchHit]:
    by_kind: dict[str, list[Any]] = {}
    for _score, kind, pk in page:
        by_kind.setdefault(kind, []).append(pk)
    objects: dict[tuple[str, Any], Any] = {}
    for kind, pks in by_kind.items():
        model = MODELS[kind]
        qs = model.objects.filter(pk__in=pks)
        if kind == "experience":
            qs = qs.select_related("city", "locale").prefetch_related("tags", "themes", "sdgs")
        elif kind == "contribution":
            qs = qs.select_related("consultation").prefetch_related("tags")
        for obj in qs:
            objects[(kind, obj.pk)] = obj
    # What their documents read, for the whole page of hits (the joins above already loaded part of it).
    load_for_documents(list(objects.values()))
    terms = sp.query.highlight_terms()
    # The translations searched are marked too: the reader sees why a report in the other language matched.
    translated = lexicon_queries.also_searched(sp.query.terms, sp.query.phrases) if terms else []
    terms += [w for alternative in translated for w in words(alternative) if w not in STOPWORDS and w not in terms]
    hits = []
    for _score, kind, pk in page:
        obj = objects.get((kind, pk))
        if obj is None:
            continue
        doc = document_for(obj)
        # hub_text already opens with the summary: adding it again showed it twice.
        text = doc["hub_summary"] if not terms else (doc["hub_text"] or doc["hub_summary"])
        hits.append(hit_from_doc(doc, highlight(text, terms)))
    return hits
