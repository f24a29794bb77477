"""One search over experiences, contributions and consultations.

``run_search(params, language)`` is what the page, the API and the tests call.
It validates the parameters (``parse_params``), then answers from the engine
(OpenSearch/Elasticsearch, with the hub's analyzers, highlighting and facets)
or from Wagtail's database backend (SQLite FTS5 / PostgreSQL), and falls back
to the database backend with a notice when the engine does not answer.

What is searched: live experience reports and consultations, published
contributions of live consultations (never hidden or withdrawn ones). For the
pages, ``lang`` picks the translation: an item is shown in the requested
language, or in its own language when it has no translation in it.
"""

import difflib
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils.translation import gettext as _
from modelsearch.backends import get_search_backend
from modelsearch.query import And, Or, Phrase, PlainText
from wagtail.models import Page

from contributions.models import ConsultationPage, Contribution
from cooperation_hub.visibility import public_cities, public_tags, visible_to_public
from experiences import vocabulary
from experiences.filters import FACET_COLUMNS, facet_rows
from experiences.models import City, ExperiencePage, Theme

from . import engine, fts, ranking, spelling
from .documents import TYPES, document_for, page_languages
from .query import ParsedQuery, QueryError, check_value_count, parse_int, parse_query
from .text import STOPWORDS, fold, highlight, variants, words

logger = logging.getLogger(__name__)

LANGUAGES = ("fr", "en")
FILTERS = ("theme", "sdg", "country", "region", "size", "status", "tag", "type", "language")
FACETS = ("type", "theme", "sdg", "region", "country", "size", "status", "tag", "language")
# Filters that only describe experience reports: they leave consultations and contributions out.
EXPERIENCE_ONLY = ("theme", "sdg", "country", "region", "size", "status")
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20


class SearchParamsError(ValueError):
    """Bad search parameters; ``errors`` maps each parameter to a readable message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class SearchParams:
    query: ParsedQuery
    lang: str
    filters: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def types(self) -> list[str]:
        wanted = self.filters.get("type") or list(TYPES)
        if any(self.filters.get(f) for f in EXPERIENCE_ONLY):
            wanted = [t for t in wanted if t == "experience"]
        return [t for t in TYPES if t in wanted]


@dataclass
class SearchHit:
    type: str
    title: str
    url: str
    snippet: str
    external_id: str
    city: str = ""
    country: str = ""
    date: str | None = None
    language: str = ""

    def to_api(self) -> dict[str, str]:
        return {
            "type": self.type,
            "title": self.title,
            "url": self.url,
            "snippet": self.snippet,
            "external_id": self.external_id,
        }


@dataclass
class SearchResult:
    query: str
    params: SearchParams | None = None
    count: int = 0
    hits: list[SearchHit] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    backend: str = "database"
    notice: str = ""
    suggestions: list[str] = field(default_factory=list)
    corrected_from: str = ""  # the words as typed, when these results are for their spelling correction

    @property
    def page(self) -> int:
        return self.params.page if self.params else 1

    @property
    def has_next(self) -> bool:
        return bool(self.params) and self.params.offset + len(self.hits) < self.count

    def to_api(self) -> dict[str, Any]:
        answer = {"count": self.count, "results": [h.to_api() for h in self.hits], "facets": self.facets}
        if self.corrected_from:  # the results are for these corrected words (search/spelling.py)
            answer["corrected_query"] = self.query
        return answer


# --- parameters ----------------------------------------------------------------

def _getlist(params: Any, name: str) -> list[str]:
    if hasattr(params, "getlist"):
        values = params.getlist(name)
    else:
        value = params.get(name)
        values = value if isinstance(value, list | tuple) else ([value] if value not in (None, "") else [])
    out: list[str] = []
    for value in values:
        # "theme=a,b" and "theme=a&theme=b" both work
        out += [v.strip() for v in str(value).split(",") if v.strip()]
    return out


def parse_params(params: QueryDict | dict[str, Any], language: str | None = None) -> SearchParams:
    """Validate query parameters into SearchParams, or raise SearchParamsError with a message per parameter."""
    errors: dict[str, str] = {}
    lang = (params.get("lang") or language or "fr")[:2].lower()
    if lang not in LANGUAGES:
        errors["lang"] = _("Use fr or en.")
    filters: dict[str, list[str]] = {}
    allowed = {
        "theme": set(vocabulary.by_slug(vocabulary.THEMES)),
        "region": {"north", "south"},
        "size": set(vocabulary.by_slug(vocabulary.SIZES)),
        "status": set(vocabulary.by_slug(vocabulary.STATUSES)),
        "type": set(TYPES),
        "language": set(LANGUAGES),
    }
    for name in FILTERS:
        values = _getlist(params, name)
        if not values:
            continue
        try:
            # Each value becomes a condition of one SQL expression: SQLite refuses about a thousand.
            check_value_count(values)
        except QueryError as exc:
            errors[name] = exc.message
            continue
        if name == "sdg":
            numbers = [parse_int(v, max_digits=2) for v in values]
            if not all(n is not None and 1 <= n <= 17 for n in numbers):
                errors[name] = _("An SDG is a number from 1 to 17.")
                continue
            values = [str(n) for n in numbers]
        elif name == "country":
            values = [v.upper() for v in values]
            if not all(len(v) == 2 and v.isalpha() for v in values):
                errors[name] = _("A country is an ISO 3166-1 alpha-2 code such as FR or SN.")
                continue
        elif name == "tag":
            if any(len(v) > 100 for v in values):
                errors[name] = _("A tag has at most 100 characters.")
                continue
            values = [v.lower() for v in values]
        elif name in allowed:
            unknown = [v for v in values if v not in allowed[name]]
            if unknown:
                errors[name] = _("Unknown value %(value)s; expected one of: %(choices)s.") % {
                    "value": ", ".join(unknown), "choices": ", ".join(sorted(allowed[name]))}
                continue
        filters[name] = list(dict.fromkeys(values))
    page, per_page = 1, DEFAULT_PER_PAGE
    for name in ("page", "per_page"):
        raw = params.get(name)
        if raw in (None, ""):
            continue
        number = parse_int(raw, max_digits=30)  # pages beyond 1000 give the 1000th, as documented
        if number is None or number < 1:
            errors[name] = _("Expected a positive whole number.")
        elif name == "page":
            page = min(number, 1000)
        else:
            per_page = min(number, MAX_PER_PAGE)
    try:
        query = parse_query(params.get("q") or "")
    except QueryError as exc:
        errors["q"] = exc.message
    if errors:
        raise SearchParamsError(errors)
    return SearchParams(query=query, lang=lang, filters=filters, page=page, per_page=per_page)


# --- entry point -----------------------------------------------------------------

def run_search(params: QueryDict | dict[str, Any], language: str | None = None, correct: bool = True) -> SearchResult:
    """Search the network; never raises because an engine is down (see ``notice``).

    A search that finds nothing answers with its spelling correction's results
    when the suggester is confident (search/spelling.py), unless ``correct`` is False.
    """
    sp = parse_params(params, language)
    result = _search(sp)
    return spelling.retry_corrected(result, sp, _search) if correct else result


def _search(sp: SearchParams) -> SearchResult:
    backend = engine.engine_backend()
    if backend is not None and not engine.is_marked_down(backend):
        try:
            result = engine_search(backend, sp)
            engine.mark_up(backend)
            return result
        except engine.EngineUnavailable as exc:
            logger.warning("Search engine unavailable, answering from the database: %s", exc)
    result = database_search(sp)
    if backend is not None:
        result.notice = _(
            "The search engine is not answering right now: these results come from the simpler "
            "database search (no typo tolerance)."
        )
    return result


def _finish(result: SearchResult, sp: SearchParams) -> SearchResult:
    if result.count == 0 and (not sp.query.is_empty or sp.filters):
        result.suggestions = spelling_suggestions(sp.query)
    return result


# --- database backend --------------------------------------------------------------

def _page_language_rule(qs: QuerySet, lang: str) -> QuerySet:
    """Pages in ``lang``, plus pages that have no public translation in ``lang``."""
    translated = visible_to_public(Page.objects.all()).filter(locale__language_code=lang).values("translation_key")
    return qs.filter(Q(locale__language_code=lang) | ~Q(translation_key__in=translated))


def filtered_querysets(sp: SearchParams) -> dict[str, QuerySet]:
    """The ORM querysets of what may be found, every filter applied, per type."""
    f = sp.filters
    out: dict[str, QuerySet] = {}
    types = sp.types()
    if "experience" in types:
        qs = _page_language_rule(ExperiencePage.objects.visible_to_public(), sp.lang)
        if f.get("theme"):
            qs = qs.filter(themes__slug__in=f["theme"])
        if f.get("sdg"):
            qs = qs.filter(sdgs__number__in=[int(s) for s in f["sdg"]])
        if f.get("country"):
            qs = qs.filter(city__country__in=f["country"])
        if f.get("region"):
            qs = qs.filter(city__region__in=f["region"])
        if f.get("size"):
            qs = qs.filter(city__size__in=f["size"])
        if f.get("status"):
            qs = qs.filter(status__in=f["status"])
        if f.get("tag"):
            qs = qs.filter(_tag_q("tags__name", f["tag"]))
        if f.get("language"):
            qs = qs.filter(locale__language_code__in=f["language"])
        out["experience"] = qs.distinct()
    if "consultation" in types:
        qs = _page_language_rule(ConsultationPage.objects.visible_to_public(), sp.lang)
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
    for tag in tags:
        q |= Q(**{f"{lookup}__iexact": tag})
    return q


def database_query(query: ParsedQuery) -> Any:
    """The parsed query as django-modelsearch query objects, each word expanded to its light-stemmed forms."""
    significant = [t for t in query.terms if t not in STOPWORDS] or query.terms
    term_queries = []
    for term in significant:
        forms = variants(term)
        term_queries.append(Or([PlainText(v) for v in forms]) if len(forms) > 1 else PlainText(forms[0]))
    parts: list[Any] = [Phrase(" ".join(words(p))) for p in query.phrases]
    if term_queries:
        # Two or fewer words: all must match; longer questions rank by how many match.
        if len(term_queries) <= 2:
            parts += term_queries
        else:
            parts.append(Or(term_queries))
    return parts[0] if len(parts) == 1 else And(parts)


@dataclass
class Matches:
    """What one type of item gives a query: how many match, the best ones, and all of them as a subquery."""

    count: int
    top: list[tuple[Any, float]]  # (pk, score), best first, at most the ``end`` asked for
    queryset: QuerySet  # the matching objects, for facet counts in SQL (never a list of ids)


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
    """One FTS-first statement for the count and the best ``end`` hits (search/fts.py says why)."""
    found = fts.sqlite_matches(backend, qs.model, query, allowed=qs)
    top = [(pk, -float(score or 0.0)) for pk, score in found.best(end)]
    return Matches(
        count=found.entries.count() if len(top) == end else len(top),
        top=top,
        queryset=qs.model.objects.filter(pk__in=found.entries.values("oid")),
    )


def _date_field(kind: str) -> str:
    return {"experience": "first_published_at", "consultation": "opens_at", "contribution": "created_at"}[
        kind
    ]


def database_search(sp: SearchParams) -> SearchResult:
    result = SearchResult(query=sp.query.raw, params=sp, backend="database")
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
    for kind, found in matched.items():
        result.count += found.count
        ranked += [(score, kind, pk) for pk, score in found.top]
    # Among equal scores, experience reports first.
    ranked.sort(key=lambda r: (r[0], r[1] == "experience"), reverse=True)
    page = ranked[sp.offset: sp.offset + sp.per_page]
    result.hits = _hits_from_database(page, sp)
    result.facets = database_facets(matched)
    return _finish(result, sp)


def _hits_from_database(page: list[tuple[float, str, Any]], sp: SearchParams) -> list[SearchHit]:
    by_kind: dict[str, list[Any]] = {}
    for _score, kind, pk in page:
        by_kind.setdefault(kind, []).append(pk)
    objects: dict[tuple[str, Any], Any] = {}
    for kind, pks in by_kind.items():
        model = {"experience": ExperiencePage, "consultation": ConsultationPage, "contribution": Contribution}[kind]
        qs = model.objects.filter(pk__in=pks)
        if kind == "experience":
            qs = qs.select_related("city", "locale").prefetch_related("tags", "themes", "sdgs")
        elif kind == "contribution":
            qs = qs.select_related("consultation").prefetch_related("tags")
        for obj in qs:
            objects[(kind, obj.pk)] = obj
    page_languages([obj for obj in objects.values() if isinstance(obj, Page)])
    terms = sp.query.highlight_terms()
    hits = []
    for _score, kind, pk in page:
        obj = objects.get((kind, pk))
        if obj is None:
            continue
        doc = document_for(obj)
        # hub_text already opens with the summary: adding it again showed it twice.
        text = doc["hub_summary"] if not terms else (doc["hub_text"] or doc["hub_summary"])
        hits.append(_hit_from_doc(doc, highlight(text, terms)))
    return hits


def _hit_from_doc(doc: dict[str, Any], snippet: str) -> SearchHit:
    return SearchHit(
        type=doc["hub_type"], title=doc["hub_title"], url=doc["hub_url"], snippet=snippet,
        external_id=doc.get("hub_external_id") or "", city=doc.get("hub_city") or "",
        country=doc.get("hub_country") or "", date=doc.get("hub_date"), language=doc.get("hub_lang") or "",
    )


def _count_values(rows: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, n in rows:
        if key in (None, ""):
            continue
        key = str(key)
        out[key] = out.get(key, 0) + n
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def database_facets(matched: dict[str, Matches]) -> dict[str, dict[str, int]]:
    """Counts per facet value over what matched (query and filters combined).

    One statement: each type's matches are worked out once (a materialized
    common table expression over the matches' subquery), then one ``GROUP BY``
    per facet counts over them. Neither the number of statements nor their size
    grows with the number of matches.
    """
    facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    facets["type"] = {kind: found.count for kind, found in matched.items() if found.count}
    present = [kind for kind, found in matched.items() if found.count]
    if not present:
        return facets
    models = {"experience": ExperiencePage, "consultation": ConsultationPage, "contribution": Contribution}
    ctes, params = [], []
    for kind in present:
        sql, args = matched[kind].queryset.order_by().values("pk").query.sql_with_params()
        ctes.append(f"hub_{kind}_matches (pk) AS MATERIALIZED ({sql})")
        params += args
    parts: list[tuple[str, QuerySet, str]] = []  # (facet, aggregate query, its value column)
    if "experience" in present:
        # The experience facets count as the experience list does (experiences.filters.facet_rows).
        reports = ExperiencePage.objects.filter(pk__in=RawSQL("SELECT pk FROM hub_experience_matches", []))
        for name in ("theme", "sdg", "region", "country", "size", "status"):
            parts.append((name, facet_rows(reports, name), FACET_COLUMNS[name]))
    for kind in present:
        model, among = models[kind], RawSQL(f"SELECT pk FROM hub_{kind}_matches", [])
        column = "language" if model is Contribution else "locale__language_code"
        parts.append(("language", model.objects.filter(pk__in=among).order_by().values_list(column)
                      .annotate(n=Count("pk")), column))
        through = (ConsultationPage.suggested_tags if model is ConsultationPage else model.tags).through
        parts.append(("tag", through.objects.filter(content_object_id__in=among).order_by().values_list("tag__name")
                      .annotate(n=Count("id")), "tag__name"))
    selects = []
    for facet, qs, column in parts:
        sql, args = qs.query.sql_with_params()
        selects.append(f'SELECT %s, CAST(t."{column}" AS TEXT), t."n" FROM ({sql}) t')
        params += [facet, *args]
    rows: dict[str, list[tuple[Any, int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(ctes)} " + " UNION ALL ".join(selects), params)
        for facet, value, n in cursor.fetchall():
            rows.setdefault(facet, []).append((value, n))
    for name in ("theme", "sdg", "region", "country", "size", "status", "language"):
        if name in rows:
            facets[name] = _count_values(rows[name])
    tag_counts = _count_values([(str(t).lower(), n) for t, n in rows.get("tag", []) if t is not None])
    facets["tag"] = dict(list(tag_counts.items())[:30])
    return facets


# --- engine ---------------------------------------------------------------------------

def _text_fields(lang: str, prefix: str = "hub_") -> dict[str, list[str]]:
    other = "en" if lang == "fr" else "fr"
    return {
        "stemmed": [f"{prefix}title.{lang}^4", f"{prefix}title.{other}^2", f"{prefix}text.{lang}^1.5",
                    f"{prefix}text.{other}", f"{prefix}title^3", f"{prefix}text", f"{prefix}city^3",
                    f"{prefix}tags.text^2"],
        "folded": [f"{prefix}title^2", f"{prefix}text", f"{prefix}city^2", f"{prefix}tags.text"],
        "phrase": [f"{prefix}title^2", f"{prefix}text", f"{prefix}title.{lang}", f"{prefix}text.{lang}"],
    }


def engine_text_query(query: ParsedQuery, lang: str) -> dict[str, Any]:
    """French/English stemmed match, a fuzzy match for typos, and quoted phrases that must match."""
    if query.is_empty:
        return {"match_all": {}}
    fields = _text_fields(lang)
    must: list[dict[str, Any]] = [
        {"multi_match": {"query": phrase, "type": "phrase", "fields": fields["phrase"]}} for phrase in query.phrases
    ]
    if query.terms:
        text = query.free_text
        must.append({
            "bool": {
                "should": [
                    {"multi_match": {"query": text, "fields": fields["stemmed"], "type": "best_fields",
                                     "minimum_should_match": "2<75%"}},
                    # Typo tolerance on unstemmed, accent-folded words ("hapiness" -> "happiness").
                    {"multi_match": {"query": text, "fields": fields["folded"], "fuzziness": "AUTO:5,9",
                                     "prefix_length": 1, "minimum_should_match": "2<75%", "boost": 0.3}},
                ],
                "minimum_should_match": 1,
            }
        })
    return must[0] if len(must) == 1 else {"bool": {"must": must}}


def engine_filters(sp: SearchParams) -> list[dict[str, Any]]:
    f = sp.filters
    filters: list[dict[str, Any]] = [
        {"term": {"hub_visible": True}},
        {"terms": {"hub_type": sp.types() or ["none"]}},
        # Pages: the requested language, or the page's own language when it has no translation in it.
        {"bool": {"should": [{"term": {"hub_lang": sp.lang}},
                             {"bool": {"must_not": {"term": {"hub_langs": sp.lang}}}}],
                  "minimum_should_match": 1}},
    ]
    for name, column in (("theme", "hub_themes"), ("sdg", "hub_sdgs"), ("country", "hub_country"),
                         ("region", "hub_region"), ("size", "hub_size"), ("status", "hub_status"),
                         ("tag", "hub_tags"), ("language", "hub_lang")):
        if f.get(name):
            filters.append({"terms": {column: f[name]}})
    return filters


FACET_FIELDS = {"type": "hub_type", "theme": "hub_themes", "sdg": "hub_sdgs", "region": "hub_region",
                "country": "hub_country", "size": "hub_size", "status": "hub_status", "tag": "hub_tags",
                "language": "hub_lang"}
SOURCE_FIELDS = ["hub_type", "hub_id", "hub_title", "hub_summary", "hub_url", "hub_external_id", "hub_city",
                 "hub_country", "hub_date", "hub_lang"]


def engine_body(sp: SearchParams, with_facets: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "query": {"bool": {**(ranking.engine_query(sp, engine_text_query) if not sp.query.is_empty
                              else {"must": engine_text_query(sp.query, sp.lang)}),
                           "filter": engine_filters(sp)}},
        "from": sp.offset,
        "size": sp.per_page,
        "_source": SOURCE_FIELDS,
        "track_total_hits": True,
    }
    if sp.query.is_empty:
        body["sort"] = [{"hub_date": {"order": "desc", "missing": "_last"}}, {"pk": "desc"}]
    else:
        body["highlight"] = {
            "pre_tags": ["<mark>"], "post_tags": ["</mark>"], "encoder": "html",
            "fragment_size": 220, "number_of_fragments": 1, "require_field_match": False,
            "fields": {f"hub_text.{sp.lang}": {}, "hub_text": {}, f"hub_text.{'en' if sp.lang == 'fr' else 'fr'}": {}},
        }
    if with_facets:
        body["aggs"] = {name: {"terms": {"field": column, "size": 30 if name == "tag" else 50}}
                        for name, column in FACET_FIELDS.items()}
    return body


def engine_search(backend: Any, sp: SearchParams) -> SearchResult:
    response = engine.search(backend, engine.index_names(backend), engine_body(sp))
    result = SearchResult(query=sp.query.raw, params=sp, backend="engine")
    total = response["hits"]["total"]
    result.count = total["value"] if isinstance(total, dict) else int(total)
    terms = sp.query.highlight_terms()
    hidden = _no_longer_visible(response["hits"]["hits"])
    for hit in response["hits"]["hits"]:
        src = hit.get("_source") or {}
        if (src.get("hub_type"), src.get("hub_id")) in hidden:
            result.count -= 1
            continue
        fragments = [frag for frags in (hit.get("highlight") or {}).values() for frag in frags]
        snippet = fragments[0] if fragments else highlight(src.get("hub_summary", ""), terms)
        result.hits.append(_hit_from_doc({**src}, snippet))
    result.facets = {name: {} for name in FACETS}
    for name in FACETS:
        buckets = response.get("aggregations", {}).get(name, {}).get("buckets", [])
        result.facets[name] = {str(b["key"]): b["doc_count"] for b in buckets if b["doc_count"] and b["key"] != ""}
    if result.count == 0 and not sp.query.is_empty:
        result.suggestions = _engine_suggestions(backend, sp) or spelling_suggestions(sp.query)
    return result


def _no_longer_visible(hits: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """Items the index still shows but the public may no longer see (a contribution hidden,
    a page unpublished or made private since, its index update not yet done)."""
    shown: dict[str, list[int]] = {}
    for hit in hits:
        src = hit.get("_source") or {}
        if src.get("hub_type") in TYPES and str(src.get("hub_id", "")).isdigit():
            shown.setdefault(src["hub_type"], []).append(int(src["hub_id"]))
    public = {"experience": ExperiencePage.objects.visible_to_public(),
              "consultation": ConsultationPage.objects.visible_to_public(),
              "contribution": Contribution.objects.visible_to_public()}
    gone: set[tuple[str, str]] = set()
    for kind, ids in shown.items():
        visible = set(public[kind].filter(pk__in=ids).values_list("pk", flat=True))
        gone |= {(kind, str(i)) for i in ids if i not in visible}
    return gone


def _engine_suggestions(backend: Any, sp: SearchParams) -> list[str]:
    body = {"size": 0, "suggest": {"spelling": {"text": sp.query.free_text or sp.query.raw,
                                                "term": {"field": "hub_text", "suggest_mode": "always"}}}}
    try:
        response = engine.search(backend, engine.index_names(backend), body)
    except engine.EngineUnavailable:
        return []
    fixed, changed = [], False
    for entry in response.get("suggest", {}).get("spelling", []):
        options = entry.get("options") or []
        if options:
            fixed.append(options[0]["text"])
            changed = True
        else:
            fixed.append(entry["text"])
    if not changed:
        return []
    # The index's words include drafts and private pages: offer the correction only
    # if it finds something the public may see.
    corrected = " ".join(fixed)
    check = {"size": 0, "track_total_hits": True, "query": {"bool": {
        "must": engine_text_query(parse_query(corrected), sp.lang), "filter": engine_filters(sp)}}}
    try:
        total = engine.search(backend, engine.index_names(backend), check)["hits"]["total"]
    except engine.EngineUnavailable:
        return []
    return [corrected] if (total["value"] if isinstance(total, dict) else int(total)) else []


# --- no hits: spelling -------------------------------------------------------------------

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


# --- autocomplete ------------------------------------------------------------------------

def autocomplete(prefix: str, lang: str = "fr", limit: int = 8) -> list[dict[str, str]]:
    """Titles, cities and tags that start with what the person is typing (accent- and case-insensitive).

    Raises QueryError when the text is too long to be a prefix.
    """
    # The backends see only the parsed words; the raw prefix is compared in Python only.
    safe = " ".join(fold(w) for w in parse_query(prefix).all_words)
    folded = fold(prefix).strip()
    if len(folded) < 2 or not safe:
        return []
    last = folded.split()[-1] if folded.split() else folded
    suggestions: dict[tuple[str, str], dict[str, str]] = {}

    per_kind = max(2, limit // 2)  # leave room for every kind: many titles must not hide the tags

    def add(value: str, kind: str) -> None:
        if sum(1 for k, _ in suggestions if k == kind) >= per_kind:
            return
        if value and len(suggestions) < limit and (kind, fold(value)) not in suggestions:
            if any(w.startswith(last) for w in words(value)) or fold(value).startswith(folded):
                suggestions[(kind, fold(value))] = {"value": value, "kind": kind}

    public_reports = ExperiencePage.objects.visible_to_public()
    for city in City.objects.filter(experiences__in=public_reports).distinct().order_by("name")[:5000]:
        if fold(city.name).startswith(folded) or any(w.startswith(folded) for w in words(city.name)):
            add(city.name, "city")
    backend = engine.engine_backend()
    titles: list[str] = []
    if backend is not None and not engine.is_marked_down(backend):
        sp = SearchParams(query=parse_query(""), lang=lang)
        body = {"query": {"bool": {"must": {"multi_match": {"query": safe, "operator": "and",
                                                            "fields": ["hub_title.ac^2", "hub_city.ac"]}},
                                   "filter": engine_filters(sp)}},
                "size": limit, "_source": ["hub_title"]}
        try:
            titles = [h["_source"]["hub_title"] for h in engine.search(backend, engine.index_names(backend),
                                                                        body)["hits"]["hits"]]
        except engine.EngineUnavailable:
            backend = None
    if not titles:
        database = get_search_backend("database")
        sp = SearchParams(query=parse_query(""), lang=lang, filters={"type": ["experience", "consultation"]})
        for qs in filtered_querysets(sp).values():
            search_qs = qs.model.objects.filter(id__in=qs.values("id"))
            titles += [p.title for p in database.autocomplete(safe, search_qs)[:limit]]
            if not titles:
                # The database index may be empty while an engine is configured
                # (it is only the fallback): match titles directly.
                # add() keeps those whose folded words start with the prefix.
                titles += list(search_qs.order_by("title").values_list("title", flat=True)[:2000])
    for title in titles:
        add(title, "title")
    for name in public_tags().order_by("name").values_list("name", flat=True)[:5000]:
        add(name, "tag")
    order = {"title": 0, "city": 1, "tag": 2}
    return sorted(suggestions.values(), key=lambda s: order[s["kind"]])[:limit]
