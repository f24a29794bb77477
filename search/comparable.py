"""Comparable projects: up to five experience reports a peer should read next, and why.

Relevance is a sum of what two reports share: themes (3 points each), tags
(2), SDGs (1.5), their city size class (3 for the same class, 1.5 for the
next one: a metropolis learns most from metropolises and large cities, issue
#15) and their text. The text part is the
engine's ``more_like_this`` on the language's stemmed field when an engine is
configured, and a stemmed-vocabulary overlap (Jaccard) on the database
backend; between reports in different languages, whose words do not overlap,
it is the lexicon's concepts they share (1.5 each, up to four: "téléphérique"
and "cable car" are one concept, lexicon/lexicon.py), named in the reader's
language in the reasons (issue #17). Among candidates of equal relevance (within 10 % of each other), a
peer on the other side of the North–South divide comes first: finding it is
the point of the network.

Pages show the lists stored by search/comparable_store.py (refreshed in the
background when a report or its neighbours change); the functions here compute
them.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import override

from cooperation_hub.text import name_list, significant_words
from experiences import vocabulary
from experiences.filters import linked_tags
from experiences.models import ExperiencePage
from lexicon import lexicon

from .database import page_language_rule as _page_language_rule
from .engines import client as engine

LIMIT = 5
WEIGHTS = {"theme": 3.0, "tag": 2.0, "sdg": 1.5, "size": 3.0, "text": 6.0, "concept": 1.5}
# Shared lexicon concepts that count (and that the reasons name): a few say enough.
MAX_CONCEPTS = 4
# On an engine, shared concepts bring reports of the other language among the candidates, which
# more_like_this (one language's words) would miss; the boost is on the scale of its raw scores.
ENGINE_CONCEPT_SCALE = 8.0
# Share of the size weight by distance between size classes (small < medium < large < metropolis).
SIZE_AFFINITY = {0: 1.0, 1: 0.5}
SIZE_ORDER = [term.slug for term in vocabulary.SIZES]
# Vocabulary overlap (Jaccard) is small even for close texts: scaled up on the database backend.
DATABASE_TEXT_WEIGHT = 25.0
CANDIDATES = 300
# The engine's candidates, ranked again here (see _engine_comparable).
ENGINE_CANDIDATES = 50


@dataclass
class ComparableProject:
    page: ExperiencePage
    score: float
    reasons: list[str] = field(default_factory=list)
    crosses_divide: bool = False
    # What the reasons are made of, language-neutral (stored, see render_reasons).
    why: dict[str, Any] = field(default_factory=dict)

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
    # Lexicon concepts of the text and tags, the same in both languages ("téléphérique" = "cable car").
    concepts: set[str] = field(default_factory=set)
    locale_id: int | None = None  # the report's language


def _facts(page: ExperiencePage) -> _Facts:
    known = _known.get()
    if known is not None:
        if page.pk not in known:
            known[page.pk] = (page, _worked_out(page))
        return known[page.pk][1]
    return _worked_out(page)


def _worked_out(page: ExperiencePage) -> _Facts:
    text = " ".join([page.title, page.summary or "", page.lessons or ""])
    tags = {t.name.lower() for t in page.tags.all()}
    return _Facts(
        themes={t.slug for t in page.themes.all()},
        tags=tags,
        sdgs={s.number for s in page.sdgs.all()},
        size=page.city.size or "",
        region=page.city.region,
        words=significant_words(text),
        concepts=lexicon.concepts(" . ".join([text, *tags])),
        locale_id=page.locale_id,
    )


def shared_concepts(a: set[str], b: set[str]) -> list[str]:
    """The concepts two reports share, the most specific (longest) first, at most ``MAX_CONCEPTS``."""
    return sorted(a & b, key=lambda c: (-len(c.split()), c))[:MAX_CONCEPTS]


def _candidates(page: ExperiencePage, lang: str) -> Any:
    qs = _page_language_rule(ExperiencePage.objects.visible_to_public(), lang).exclude(
        translation_key=page.translation_key
    )
    if page.external_id:
        qs = qs.exclude(external_id=page.external_id)
    return qs


def size_affinity(a: str, b: str) -> float:
    """How alike two city size classes are: 1 the same, 0.5 next to each other, 0 further apart or unknown."""
    if a not in SIZE_ORDER or b not in SIZE_ORDER:
        return 0.0
    return SIZE_AFFINITY.get(abs(SIZE_ORDER.index(a) - SIZE_ORDER.index(b)), 0.0)


def _reasons(source: _Facts, other: _Facts, text_similar: bool, lang: str) -> tuple[float, list[str], dict[str, Any]]:
    shared_themes = sorted(source.themes & other.themes)
    shared_tags = sorted(source.tags & other.tags)
    shared_sdgs = sorted(source.sdgs & other.sdgs)
    # Across languages only: within one, the text similarity already compares the words (and the
    # lists of reports in one language stay what they were); across two, it finds nothing.
    across = source.locale_id != other.locale_id and WEIGHTS["concept"] > 0
    concepts = shared_concepts(source.concepts, other.concepts) if across else []
    affinity = size_affinity(source.size, other.size)
    score = (
        WEIGHTS["theme"] * len(shared_themes)
        + WEIGHTS["tag"] * len(shared_tags)
        + WEIGHTS["sdg"] * len(shared_sdgs)
        + WEIGHTS["size"] * affinity
        + WEIGHTS["concept"] * len(concepts)
    )
    why: dict[str, Any] = {}
    if shared_themes:
        why["themes"] = shared_themes
    if shared_tags:
        why["tags"] = shared_tags
    if affinity:
        why["size"] = [source.size, other.size]
    if shared_sdgs:
        why["sdgs"] = shared_sdgs
    if concepts:  # named in the reader's language, whatever language each report is in
        why["concepts"] = concepts
    if text_similar:
        why["text"] = True
    return score, render_reasons(why, lang), why


def render_reasons(why: dict[str, Any], lang: str) -> list[str]:
    """The reasons a reader sees, in ``lang``, from what two reports share (``why``)."""
    themes = vocabulary.by_slug(vocabulary.THEMES)
    sdgs = vocabulary.by_slug(vocabulary.SDGS)
    sizes = vocabulary.by_slug(vocabulary.SIZES)
    reasons: list[str] = []
    with override(lang):
        if why.get("themes"):
            reasons.append(_("Shared themes: %s") % name_list(themes[s].label for s in why["themes"] if s in themes))
        if why.get("tags"):
            reasons.append(_("Shared tags: %s") % name_list(why["tags"]))
        if why.get("size"):
            mine, theirs = why["size"]
            label = sizes[theirs].label if theirs in sizes else theirs
            reasons.append(_("Similar city size: %s") % label if mine == theirs else _("Close city size: %s") % label)
        if why.get("sdgs"):
            reasons.append(
                _("Same SDGs: %s")
                % name_list(f"{n} ({sdgs[str(n)].label})" if str(n) in sdgs else str(n) for n in why["sdgs"])
            )
        if why.get("concepts"):
            reasons.append(_("Shared subjects: %s") % name_list(lexicon.concept_labels(why["concepts"], lang)))
        if why.get("text"):
            reasons.append(_("Similar text"))
    return reasons


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


# Reports already loaded with their facts, while a refresh runs (see ``facts_kept``).
_known: ContextVar[dict[int, tuple[ExperiencePage, _Facts]] | None] = ContextVar("comparable_known", default=None)
# A refresh of every report keeps at most this many in memory at once.
KEPT_AT_MOST = 5000


@contextmanager
def facts_kept() -> Iterator[None]:
    """Within: a report is loaded and its facts worked out once. A refresh scores the same
    candidates against many reports (each of fifty reports against its few hundred candidates,
    and again for its neighbours' lists), and none of them changes while it runs."""
    token = _known.set({})
    try:
        with lexicon.held():
            yield
    finally:
        _known.reset(token)


def _loaded(ids: Iterable[int]) -> list[tuple[ExperiencePage, _Facts]]:
    """These reports with their facts, in tree order (ties in ranking keep it)."""
    known = _known.get()
    if known is None:
        return [(page, _facts(page)) for page in _prefetched(ExperiencePage.objects.filter(pk__in=ids))]
    if len(known) > KEPT_AT_MOST:
        known.clear()
    wanted = set(ids)
    missing = wanted - known.keys()
    if missing:
        for page in _prefetched(ExperiencePage.objects.filter(pk__in=missing)):
            _facts(page)
    return sorted((known[pk] for pk in wanted if pk in known), key=lambda loaded: loaded[0].path)


def _database_comparable(page: ExperiencePage, lang: str, limit: int) -> list[ComparableProject]:
    source = _facts(page)
    return _rank(database_scored(source, candidate_ids(page, source, lang), lang), limit)


def candidate_ids(page: ExperiencePage, source: _Facts, lang: str) -> set[int]:
    """The reports worth scoring against ``page`` in ``lang`` (database backend): a large network
    is narrowed to the reports sharing most vocabulary with this one."""
    candidates = _candidates(page, lang)
    shared = (
        candidates.filter(themes__slug__in=source.themes or ["-"])
        .values("pk")
        .annotate(n=Count("pk"))
        .order_by("-n")[:CANDIDATES]
    )
    ids = {row["pk"] for row in shared}
    tags = linked_tags(sorted(source.tags)) or ["-"]  # a tag's translation is the same concept
    ids |= set(candidates.filter(tags__name__in=tags).values_list("pk", flat=True)[:CANDIDATES])
    ids |= set(candidates.filter(city__size=source.size).values_list("pk", flat=True)[:50]) if source.size else set()
    return ids


def database_scored(source: _Facts, ids: set[int], lang: str) -> list[ComparableProject]:
    """Every report of ``ids`` scored against ``source`` (unranked). The score is symmetric:
    what A shares with B, B shares with A (search/comparable_store.py relies on it)."""
    items = []
    for other_page, other in _loaded(ids):
        union = source.words | other.words
        similarity = len(source.words & other.words) / len(union) if union else 0.0
        score, reasons, why = _reasons(source, other, similarity >= 0.08, lang)
        items.append(
            ComparableProject(
                other_page, score + DATABASE_TEXT_WEIGHT * similarity, reasons, other.region != source.region, why
            )
        )
    return items


def _engine_comparable(backend: Any, page: ExperiencePage, lang: str, limit: int) -> list[ComparableProject]:
    from .engines.query import engine_filters
    from .params import SearchParams
    from .query import parse_query

    source = _facts(page)
    index = backend.get_index_for_model(ExperiencePage).name
    should: list[dict[str, Any]] = [
        {
            "more_like_this": {
                "fields": [f"hub_text.{lang}", f"hub_title.{lang}", "hub_text"],
                "like": [{"_index": index, "_id": str(page.pk)}],
                "min_term_freq": 1,
                "min_doc_freq": 1,
                "max_query_terms": 30,
                "minimum_should_match": "10%",
                "boost": WEIGHTS["text"],
                "_name": "text",
            }
        }
    ]
    should += [{"term": {"hub_themes": {"value": t, "boost": WEIGHTS["theme"]}}} for t in source.themes]
    should += [{"term": {"hub_tags": {"value": t, "boost": WEIGHTS["tag"]}}} for t in source.tags]
    should += [{"term": {"hub_sdgs": {"value": str(s), "boost": WEIGHTS["sdg"]}}} for s in source.sdgs]
    # more_like_this compares words of one language: the concepts, named in the other language,
    # compare a report with those written in it.
    other_language = "en" if page.locale.language_code == "fr" else "fr"
    # Each shared concept adds the same (constant_score), on the scale of the engine's term scores.
    concept_phrases = [
        {
            "constant_score": {
                "filter": {"match_phrase": {f"hub_text.{other_language}": lexicon.concept_label(c, other_language)}},
                "boost": WEIGHTS["concept"] * ENGINE_CONCEPT_SCALE,
            }
        }
        for c in sorted(source.concepts)[:12]
    ]
    if concept_phrases:
        should.append(
            {
                "bool": {
                    "should": concept_phrases,
                    "minimum_should_match": 1,
                    "filter": [{"term": {"hub_lang": other_language}}],
                    "_name": "concept",
                }
            }
        )
    for size in SIZE_ORDER:
        if affinity := size_affinity(source.size, size):
            should.append({"term": {"hub_size": {"value": size, "boost": WEIGHTS["size"] * affinity}}})
    sp = SearchParams(query=parse_query(""), lang=lang, filters={"type": ["experience"]})
    body = {
        "query": {
            "bool": {
                "should": should,
                "minimum_should_match": 1,
                "filter": engine_filters(sp),
                "must_not": [{"term": {"hub_group": str(page.translation_key)}}],
            }
        },
        "size": ENGINE_CANDIDATES,
        "_source": ["hub_id"],
    }
    hits = engine.search(backend, index, body, named_scores=True)["hits"]["hits"]
    # The engine may lag behind a report made private a moment ago: the database says what is public.
    visible = ExperiencePage.objects.visible_to_public().filter(pk__in=[h["_source"]["hub_id"] for h in hits])
    pages = {str(p.pk): (p, facts) for p, facts in _loaded(visible.values_list("pk", flat=True))}
    # The engine finds the candidates; they are ranked as on the database backend: what the reports
    # share (language-neutral: themes, tags, SDGs, size, concepts across languages) plus the text
    # similarity, here more_like_this's score relative to the best one. Its raw score would outweigh
    # the concepts and keep reports in the other language out of the five.
    text_scores = {hit["_source"]["hub_id"]: _text_score(hit) for hit in hits}
    best_text = max(text_scores.values(), default=0.0) or 1.0
    items = []
    for hit in hits:
        loaded = pages.get(str(hit["_source"]["hub_id"]))
        if loaded is None:
            continue
        other_page, other = loaded
        text = text_scores[hit["_source"]["hub_id"]] / best_text
        score, reasons, why = _reasons(source, other, text > 0, lang)
        items.append(
            ComparableProject(other_page, score + WEIGHTS["text"] * text, reasons, other.region != source.region, why)
        )
    return _rank(items, limit)


def _text_score(hit: dict[str, Any]) -> float:
    """The score of the hit's more_like_this clause (0 when the texts are not alike)."""
    matched = hit.get("matched_queries") or {}
    if isinstance(matched, list):  # an engine that does not score named clauses: alike or not
        return 1.0 if "text" in matched else 0.0
    return float(matched.get("text", 0.0))


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
    from .comparable_store import comparable_for

    return comparable_for(page, lang or page.locale.language_code)
