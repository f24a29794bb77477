"""Comparable projects: up to five experience reports a peer should read next, and why.

Relevance is a sum of what two reports share: themes (3 points each), tags
(2), SDGs (1.5), the city size class (1) and their text. The text part is the
engine's ``more_like_this`` on the language's stemmed field when an engine is
configured, and a stemmed-vocabulary overlap (Jaccard) on the database
backend. Among candidates of equal relevance (within 10 % of each other), a
peer on the other side of the North–South divide comes first: finding it is
the point of the network.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import override

from experiences import vocabulary
from experiences.models import ExperiencePage

from . import engine
from .service import _page_language_rule
from .text import significant_words

LIMIT = 5
WEIGHTS = {"theme": 3.0, "tag": 2.0, "sdg": 1.5, "size": 1.0, "text": 6.0}
# Vocabulary overlap (Jaccard) is small even for close texts: scaled up on the database backend.
DATABASE_TEXT_WEIGHT = 25.0
CANDIDATES = 300


@dataclass
class ComparableProject:
    page: ExperiencePage
    score: float
    reasons: list[str] = field(default_factory=list)
    crosses_divide: bool = False

    def to_api(self) -> dict[str, Any]:
        city = self.page.city
        return {
            "external_id": self.page.external_id,
            "title": self.page.title,
            "city": city.name,
            "country": city.country,
            "region": city.region,
            "reasons": self.reasons,
        }


@dataclass
class _Facts:
    themes: set[str]
    tags: set[str]
    sdgs: set[int]
    size: str
    region: str
    words: set[str]


def _facts(page: ExperiencePage) -> _Facts:
    return _Facts(
        themes={t.slug for t in page.themes.all()},
        tags={t.name.lower() for t in page.tags.all()},
        sdgs={s.number for s in page.sdgs.all()},
        size=page.city.size or "",
        region=page.city.region,
        words=significant_words(" ".join([page.title, page.summary or "", page.lessons or ""])),
    )


def _candidates(page: ExperiencePage, lang: str) -> Any:
    qs = _page_language_rule(ExperiencePage.objects.visible_to_public(), lang).exclude(
        translation_key=page.translation_key)
    if page.external_id:
        qs = qs.exclude(external_id=page.external_id)
    return qs


def _reasons(source: _Facts, other: _Facts, text_similar: bool, lang: str) -> tuple[float, list[str]]:
    themes = vocabulary.by_slug(vocabulary.THEMES)
    sdgs = vocabulary.by_slug(vocabulary.SDGS)
    sizes = vocabulary.by_slug(vocabulary.SIZES)
    shared_themes = sorted(source.themes & other.themes)
    shared_tags = sorted(source.tags & other.tags)
    shared_sdgs = sorted(source.sdgs & other.sdgs)
    same_size = bool(source.size) and source.size == other.size
    score = (WEIGHTS["theme"] * len(shared_themes) + WEIGHTS["tag"] * len(shared_tags)
             + WEIGHTS["sdg"] * len(shared_sdgs) + (WEIGHTS["size"] if same_size else 0.0))
    reasons: list[str] = []
    with override(lang):
        if shared_themes:
            reasons.append(_("Shared themes: %s") % ", ".join(themes[s].label for s in shared_themes if s in themes))
        if shared_tags:
            reasons.append(_("Shared tags: %s") % ", ".join(shared_tags))
        if same_size:
            reasons.append(_("Similar city size: %s") % (sizes[source.size].label if source.size in sizes else source.size))
        if shared_sdgs:
            reasons.append(_("Same SDGs: %s") % ", ".join(
                f"{n} ({sdgs[str(n)].label})" if str(n) in sdgs else str(n) for n in shared_sdgs))
        if text_similar:
            reasons.append(_("Similar text"))
    return score, reasons


def _rank(items: list[ComparableProject], limit: int) -> list[ComparableProject]:
    """Best first; within 10 % of the same relevance, peers across the North–South divide first."""
    items = [i for i in items if i.score > 0 and i.reasons]
    if not items:
        return []
    top = max(i.score for i in items)
    items.sort(key=lambda i: (round(i.score / top, 1), i.crosses_divide, i.score), reverse=True)
    return items[:limit]


def comparable_projects(page: ExperiencePage, lang: str | None = None, limit: int = LIMIT) -> list[ComparableProject]:
    """Up to ``limit`` comparable experience reports for ``page``, each with its reasons."""
    lang = lang or page.locale.language_code
    backend = engine.engine_backend()
    if backend is not None and not engine.is_marked_down(backend):
        try:
            return _engine_comparable(backend, page, lang, limit)
        except engine.EngineUnavailable:
            pass
    return _database_comparable(page, lang, limit)


def _prefetched(qs: Any) -> Any:
    return qs.select_related("city").prefetch_related("themes", "tags", "sdgs")


def _database_comparable(page: ExperiencePage, lang: str, limit: int) -> list[ComparableProject]:
    source = _facts(page)
    candidates = _candidates(page, lang)
    # Narrow a large network to the reports sharing most vocabulary with this one.
    shared = (
        candidates.filter(themes__slug__in=source.themes or ["-"]).values("pk").annotate(n=Count("pk"))
        .order_by("-n")[:CANDIDATES]
    )
    ids = {row["pk"] for row in shared}
    ids |= set(candidates.filter(tags__name__in=source.tags or ["-"]).values_list("pk", flat=True)[:CANDIDATES])
    ids |= set(candidates.filter(city__size=source.size).values_list("pk", flat=True)[:50]) if source.size else set()
    items = []
    for other_page in _prefetched(ExperiencePage.objects.filter(pk__in=ids)):
        other = _facts(other_page)
        union = source.words | other.words
        similarity = len(source.words & other.words) / len(union) if union else 0.0
        score, reasons = _reasons(source, other, similarity >= 0.08, lang)
        items.append(ComparableProject(other_page, score + DATABASE_TEXT_WEIGHT * similarity, reasons,
                                       other.region != source.region))
    return _rank(items, limit)


def _engine_comparable(backend: Any, page: ExperiencePage, lang: str, limit: int) -> list[ComparableProject]:
    from .query import parse_query
    from .service import SearchParams, engine_filters

    source = _facts(page)
    index = backend.get_index_for_model(ExperiencePage).name
    should: list[dict[str, Any]] = [
        {"more_like_this": {
            "fields": [f"hub_text.{lang}", f"hub_title.{lang}", "hub_text"],
            "like": [{"_index": index, "_id": str(page.pk)}],
            "min_term_freq": 1, "min_doc_freq": 1, "max_query_terms": 30, "minimum_should_match": "10%",
            "boost": WEIGHTS["text"], "_name": "text",
        }}
    ]
    should += [{"term": {"hub_themes": {"value": t, "boost": WEIGHTS["theme"]}}} for t in source.themes]
    should += [{"term": {"hub_tags": {"value": t, "boost": WEIGHTS["tag"]}}} for t in source.tags]
    should += [{"term": {"hub_sdgs": {"value": str(s), "boost": WEIGHTS["sdg"]}}} for s in source.sdgs]
    if source.size:
        should.append({"term": {"hub_size": {"value": source.size, "boost": WEIGHTS["size"]}}})
    sp = SearchParams(query=parse_query(""), lang=lang, filters={"type": ["experience"]})
    body = {
        "query": {"bool": {"should": should, "minimum_should_match": 1, "filter": engine_filters(sp),
                           "must_not": [{"term": {"hub_group": str(page.translation_key)}}]}},
        "size": limit * 4,
        "_source": ["hub_id"],
    }
    hits = engine.search(backend, index, body)["hits"]["hits"]
    pages = {str(p.pk): p for p in _prefetched(ExperiencePage.objects.visible_to_public().filter(
        pk__in=[h["_source"]["hub_id"] for h in hits]))}
    items = []
    for hit in hits:
        other_page = pages.get(hit["_source"]["hub_id"])
        if other_page is None:
            continue
        other = _facts(other_page)
        _score, reasons = _reasons(source, other, "text" in (hit.get("matched_queries") or []), lang)
        items.append(ComparableProject(other_page, float(hit["_score"]), reasons, other.region != source.region))
    return _rank(items, limit)


def comparable_for_external_id(external_id: str, lang: str | None = None) -> list[ComparableProject] | None:
    """Comparable projects of the public report with this external id (in ``lang`` if it exists), None if unknown
    (a draft or private report is unknown to the public)."""
    pages = ExperiencePage.objects.visible_to_public().filter(external_id=external_id).select_related("locale", "city")
    page = None
    if lang:
        page = pages.filter(locale__language_code=lang).first()
    page = page or pages.first()
    if page is None:
        return None
    return comparable_projects(page, lang or page.locale.language_code)
