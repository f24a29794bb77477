"""The search in the OpenSearch/Elasticsearch query language, sent through search/engines/client.py.

The text query (French/English stemmed fields, a fuzzy match for typos, quoted phrases),
the filters (the report filters' engine fields of experiences/filters.py, then type and
language), highlighting, the facets as aggregations, and the engine's term suggester.
"""

from typing import Any

from contributions.models import ConsultationPage, Contribution
from cooperation_hub.query import ParsedQuery, parse_query
from cooperation_hub.text import highlight
from experiences.filters import REPORT_FILTERS, linked_tags
from experiences.models import ExperiencePage
from lexicon import queries as lexicon_queries

from .. import ranking
from ..documents import TYPES
from ..params import FACETS, SearchParams
from ..results import SearchResult, hit_from_doc
from ..spelling import spelling_suggestions
from . import client


def _text_fields(lang: str, prefix: str = "hub_") -> dict[str, list[str]]:
    other = "en" if lang == "fr" else "fr"
    return {
        "stemmed": [
            f"{prefix}title.{lang}^4",
            f"{prefix}title.{other}^2",
            f"{prefix}text.{lang}^1.5",
            f"{prefix}text.{other}",
            f"{prefix}title^3",
            f"{prefix}text",
            f"{prefix}city^3",
            f"{prefix}tags.text^2",
        ],
        "folded": [f"{prefix}title^2", f"{prefix}text", f"{prefix}city^2", f"{prefix}tags.text"],
        "phrase": [f"{prefix}title^2", f"{prefix}text", f"{prefix}title.{lang}", f"{prefix}text.{lang}"],
    }


def engine_text_query(query: ParsedQuery, lang: str) -> dict[str, Any]:
    """French/English stemmed match, a fuzzy match for typos, and quoted phrases that must match."""
    if query.is_empty:
        return {"match_all": {}}
    fields = _text_fields(lang)
    # Translations of the phrases and words (lexicon/queries.py) match too, with a lower weight.
    must: list[dict[str, Any]] = [
        lexicon_queries.with_engine_translations(
            {"multi_match": {"query": phrase, "type": "phrase", "fields": fields["phrase"]}}, phrase, fields["stemmed"]
        )
        for phrase in query.phrases
    ]
    if query.terms:
        text = query.free_text
        must.append(
            {
                "bool": {
                    "should": [
                        {
                            "multi_match": {
                                "query": text,
                                "fields": fields["stemmed"],
                                "type": "best_fields",
                                "minimum_should_match": "2<75%",
                            }
                        },
                        # Typo tolerance on unstemmed, accent-folded words ("hapiness" -> "happiness").
                        {
                            "multi_match": {
                                "query": text,
                                "fields": fields["folded"],
                                "fuzziness": "AUTO:5,9",
                                "prefix_length": 1,
                                "minimum_should_match": "2<75%",
                                "boost": 0.3,
                            }
                        },
                        *lexicon_queries.engine_alternatives(query.terms, fields["stemmed"]),
                    ],
                    "minimum_should_match": 1,
                }
            }
        )
    return must[0] if len(must) == 1 else {"bool": {"must": must}}


def engine_filters(sp: SearchParams) -> list[dict[str, Any]]:
    f = sp.filters
    filters: list[dict[str, Any]] = [
        {"term": {"hub_visible": True}},
        {"terms": {"hub_type": sp.types() or ["none"]}},
        # Pages: the requested language, or the page's own language when it has no translation in it.
        {
            "bool": {
                "should": [{"term": {"hub_lang": sp.lang}}, {"bool": {"must_not": {"term": {"hub_langs": sp.lang}}}}],
                "minimum_should_match": 1,
            }
        },
    ]
    for name, column in (*((n, spec.engine_field) for n, spec in REPORT_FILTERS.items()), ("language", "hub_lang")):
        if f.get(name):
            # A tag and its translation are one concept (experiences/filters.py ``linked_tags``).
            values = [v.lower() for v in linked_tags(f[name])] if name == "tag" else f[name]
            filters.append({"terms": {column: values}})
    return filters


FACET_FIELDS = {
    "type": "hub_type",
    **{name: REPORT_FILTERS[name].engine_field for name in FACETS if name in REPORT_FILTERS},
    "language": "hub_lang",
}
SOURCE_FIELDS = [
    "hub_type",
    "hub_id",
    "hub_title",
    "hub_summary",
    "hub_url",
    "hub_external_id",
    "hub_city",
    "hub_country",
    "hub_date",
    "hub_lang",
]


def engine_body(sp: SearchParams, with_facets: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "query": {
            "bool": {
                **(
                    ranking.engine_query(sp, engine_text_query)
                    if not sp.query.is_empty
                    else {"must": engine_text_query(sp.query, sp.lang)}
                ),
                "filter": engine_filters(sp),
            }
        },
        "from": sp.offset,
        "size": sp.per_page,
        "_source": SOURCE_FIELDS,
        "track_total_hits": True,
    }
    if sp.query.is_empty:
        body["sort"] = [{"hub_date": {"order": "desc", "missing": "_last"}}, {"pk": "desc"}]
    else:
        body["highlight"] = {
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "encoder": "html",
            "fragment_size": 220,
            "number_of_fragments": 1,
            "require_field_match": False,
            "fields": {f"hub_text.{sp.lang}": {}, "hub_text": {}, f"hub_text.{'en' if sp.lang == 'fr' else 'fr'}": {}},
        }
    if with_facets:
        body["aggs"] = {
            name: {"terms": {"field": column, "size": 30 if name == "tag" else 50}}
            for name, column in FACET_FIELDS.items()
        }
    return body


def engine_search(backend: Any, sp: SearchParams) -> SearchResult:
    response = client.search(backend, client.index_names(backend), engine_body(sp))
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
        result.hits.append(hit_from_doc({**src}, snippet))
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
    public = {
        "experience": ExperiencePage.objects.visible_to_public(),
        "consultation": ConsultationPage.objects.visible_to_public(),
        "contribution": Contribution.objects.visible_to_public(),
    }
    gone: set[tuple[str, str]] = set()
    for kind, ids in shown.items():
        visible = set(public[kind].filter(pk__in=ids).values_list("pk", flat=True))
        gone |= {(kind, str(i)) for i in ids if i not in visible}
    return gone


def _engine_suggestions(backend: Any, sp: SearchParams) -> list[str]:
    body = {
        "size": 0,
        "suggest": {
            "spelling": {
                "text": sp.query.free_text or sp.query.raw,
                "term": {"field": "hub_text", "suggest_mode": "always"},
            }
        },
    }
    try:
        response = client.search(backend, client.index_names(backend), body)
    except client.EngineUnavailable:
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
    check = {
        "size": 0,
        "track_total_hits": True,
        "query": {"bool": {"must": engine_text_query(parse_query(corrected), sp.lang), "filter": engine_filters(sp)}},
    }
    try:
        total = client.search(backend, client.index_names(backend), check)["hits"]["total"]
    except client.EngineUnavailable:
        return []
    return [corrected] if (total["value"] if isinstance(total, dict) else int(total)) else []
