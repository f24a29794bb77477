"""What comes first when many items match: the place the query names, then the
items whose title and summary hold the words (close together), then the rest.

Peers search by place ("Sénégal", "Dakar", "Wuhan écoles", "Senegal compost")
and by topics that half the corpus mentions ("qualité de l'air"). Full-text
scores alone put a report that names Senegal once in its body above the report
of a Senegalese city, and a body-only mention above a report about the topic.

- ``places_in(query)``: the cities (City model) and countries (pycountry names,
  in French and English) that the query's words name.
- Database backend: ``database_matches`` replaces the plain full-text matches.
  A place word is satisfied by the report's own city or country as well as by
  the text; the best candidates of each type (a fixed window) are re-ranked:
  report of the named place, then title/summary mentioning the place, then
  all words in the title, all words in title + summary, words close together,
  then the backend's own score. A query word whose translation (lexicon/, #17) is
  in the title or summary counts too, at half the weight of the word itself
  (``translated_credit``). A fixed number of statements, none of which
  lists ids as parameters: the cost does not grow with the data
  (tests/search/test_page_costs.py).
- Engine: ``engine_query`` adds the same ideas as clauses (a constant boost for
  the named place, a phrase-with-slop clause for words close together).
"""

import gettext
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pycountry
from django.db.models import Model, Q, QuerySet

from cooperation_hub.sql import ids_subquery
from cooperation_hub.text import STOPWORDS, fold, stem, words
from lexicon.lexicon import expand
from lexicon.queries import segments

from .query import ParsedQuery, parse_query

WINDOW = 50  # best candidates per type re-ranked on the database backend (a constant: the same SQL every time)
MAX_PLACE_WORDS = 5  # "Saint-Vincent-et-les-Grenadines" is the longest name worth looking for


@dataclass
class Places:
    """The places a query names, and the words that named them."""

    city_ids: list[int] = field(default_factory=list)
    city_names: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # ISO 3166-1 alpha-2
    terms: set[str] = field(default_factory=set)  # folded words of the query that named a place

    def __bool__(self) -> bool:
        return bool(self.city_ids or self.countries)

    def q(self, city: str = "city") -> Q:
        """Reports of these places, for a queryset of experience reports."""
        return Q(**{f"{city}__in": self.city_ids}) | Q(**{f"{city}__country__in": self.countries})


@lru_cache(maxsize=1)
def _country_names() -> dict[tuple[str, ...], str]:
    """Folded word tuples of every country name, in English and French -> alpha-2 code."""
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    names: dict[tuple[str, ...], str] = {}
    for country in pycountry.countries:
        forms = {
            country.name,
            getattr(country, "common_name", "") or "",
            getattr(country, "official_name", "") or "",
            french.gettext(country.name),
        }
        for form in filter(None, forms):
            key = tuple(words(form))
            if key:
                names.setdefault(key, country.alpha_2)
                names.setdefault(("".join(key),), country.alpha_2)  # "Viet Nam" is also typed "Vietnam"
    return names


def _query_words(query: ParsedQuery) -> list[str]:
    return [w for phrase in query.phrases for w in words(phrase)] + list(query.terms)


def _spans(terms: list[str], name: tuple[str, ...]) -> bool:
    n = len(name)
    return any(tuple(terms[i : i + n]) == name for i in range(len(terms) - n + 1))


def places_in(query: ParsedQuery) -> Places:
    """Cities and countries named by the query's words (one query for the city names)."""
    from experiences.models import City

    terms = _query_words(query)
    found = Places()
    if not terms:
        return found
    for pk, name in City.objects.order_by().values_list("pk", "name"):
        key = tuple(words(name))
        if key and len(key) <= MAX_PLACE_WORDS and _spans(terms, key):
            found.city_ids.append(pk)
            if name not in found.city_names:
                found.city_names.append(name)
            found.terms.update(key)
    names = _country_names()
    for size in range(min(MAX_PLACE_WORDS, len(terms)), 0, -1):
        for i in range(len(terms) - size + 1):
            key = tuple(terms[i : i + size])
            if size == 1 and (key[0] in STOPWORDS or len(key[0]) < 4):
                continue  # "Inde" yes, "de" or "uk" no
            code = names.get(key)
            if code and code not in found.countries:
                found.countries.append(code)
                found.terms.update(key)
    return found


def rest_of(query: ParsedQuery, places: Places) -> ParsedQuery | None:
    """The query without the words that named a place (None when nothing else is left)."""
    kept = [w for w in query.words if fold(w) not in places.terms]
    phrases = " ".join(f'"{p}"' for p in query.phrases if not set(words(p)) <= places.terms)
    rest = parse_query(f"{phrases} {' '.join(kept)}".strip())
    significant = [t for t in rest.terms if t not in STOPWORDS]
    return rest if (rest.phrases or significant) else None


# --- scoring one item -----------------------------------------------------------------------------


def _has(words_: list[str], term: str) -> bool:
    s = stem(term)
    return any(w == term or stem(w) == s for w in words_)


def field_tier(terms: list[str], title: str, summary: str, translations: list[list[list[str]]] | None = None) -> float:
    """How well the title and summary hold the words: 0 (body only) to 9 (all in the title, together).

    ``translations`` (``term_translations``): what each word translates to; a word whose
    translation is there counts at half weight (``translated_credit``). None or no translations:
    the words as typed only.
    """
    if not terms:
        return 0.0
    title_words, summary_words = words(title), words(summary)
    in_title = sum(_has(title_words, t) for t in terms) / len(terms)
    in_both = sum(_has(title_words, t) or _has(summary_words, t) for t in terms) / len(terms)
    tier = 4.0 * (in_title == 1) + 2.0 * (in_both == 1) + in_title + in_both
    if len(terms) > 1 and (_close(terms, title_words) or _close(terms, summary_words)):
        tier += 1.0  # words close together: "qualité de l'air", not "air" here and "qualité" there
    if translations and any(translations):
        tier += translated_credit(terms, translations, title_words, summary_words)
    return tier


# Weights of a word found through its translation, each half of the word's own (field_tier:
# 1 per field, 4 and 2 when every word is in the title / title or summary): a report that has
# the word itself always weighs more, so the reader's language keeps its place at equal relevance.
TRANSLATED_WORD = 0.5
ALL_TRANSLATED_IN_TITLE = 2.0
ALL_TRANSLATED_IN_BOTH = 1.0


def term_translations(terms: list[str], whole_query: list[str] | None = None) -> list[list[list[str]]]:
    """For each of ``terms`` (folded, significant), the translations it may be found through, each as
    its significant folded words: those of the lexicon expression the word belongs to
    (lexicon.queries.segments: ["qualite", "air"] -> "air quality" for both words) and those of the
    whole query as one expression (``whole_query``, small words included: "journée sans voiture"
    -> "car-free day"), as the database query searched them. All empty when nothing translates,
    or while translation is off (``translate=0``: lexicon.expand translates nothing)."""

    def significant(alternatives: list[str]) -> list[list[str]]:
        out = []
        for alternative in alternatives:
            alt_words = [w for w in words(alternative) if w not in STOPWORDS] or words(alternative)
            if alt_words:
                out.append(alt_words)
        return out

    per_term: list[list[list[str]]] = [[] for _ in terms]
    i = 0
    for span, alternatives in segments(terms):
        n = len(span.split())
        for j in range(i, i + n):
            per_term[j] = significant(alternatives)
        i += n
    if whole_query and len(whole_query) > 1:
        phrase = " ".join(whole_query)
        whole = significant(expand([phrase]).get(phrase, []))
        if whole:
            per_term = [own + [w for w in whole if w not in own] for own in per_term]
    return per_term


def translated_credit(
    terms: list[str], translations: list[list[list[str]]], title_words: list[str], summary_words: list[str]
) -> float:
    """What ``field_tier`` adds for the words found through their translations only.

    Why: on the database backend, SQL cannot weight a translated alternative of a MATCH, and
    the re-ranking that decides the order among many matches credited only the words as typed;
    so a French report holding just "écoles", or an English one sharing a word like "public",
    came before the English report that holds every concept of "éclairage public solaire"
    through its translations ("street lighting", "solar"). A word counts here when it is not in a
    field but one of its translations is (all its words); at ``TRANSLATED_WORD`` of the weight of
    the word itself per field, plus a bonus when the words and translations together cover the
    whole query, half that of the words themselves covering it. 0 when nothing translates.
    """
    n = len(terms)
    if not n or not any(translations):
        return 0.0
    # Each field's words and stems once (``_has``'s test), not once per translated word.
    title_forms = (set(title_words), {stem(w) for w in title_words})
    both_forms = (title_forms[0] | set(summary_words), title_forms[1] | {stem(w) for w in summary_words})

    def covered(alternatives: list[list[str]], forms: tuple[set[str], set[str]]) -> bool:
        return any(all(w in forms[0] or stem(w) in forms[1] for w in alt) for alt in alternatives)

    own_title = [_has(title_words, t) for t in terms]
    own_both = [own or _has(summary_words, t) for own, t in zip(own_title, terms, strict=True)]
    alts = list(translations) + [[]] * (n - len(translations))
    via_title = [not own and covered(a, title_forms) for own, a in zip(own_title, alts, strict=True)]
    via_both = [not own and covered(a, both_forms) for own, a in zip(own_both, alts, strict=True)]
    credit = TRANSLATED_WORD * (sum(via_title) + sum(via_both)) / n
    # Every concept of the query is there, some of them in the other language.
    if any(via_title) and all(o or v for o, v in zip(own_title, via_title, strict=True)):
        credit += ALL_TRANSLATED_IN_TITLE
    if any(via_both) and all(o or v for o, v in zip(own_both, via_both, strict=True)):
        credit += ALL_TRANSLATED_IN_BOTH
    return credit


def _close(terms: list[str], text_words: list[str], slop: int = 2) -> bool:
    """All terms within ``len(terms) + slop`` consecutive words."""
    stems = [stem(t) for t in terms]
    width = len(terms) + slop
    text_stems = [stem(w) for w in text_words]
    return any(all(s in text_stems[i : i + width] for s in stems) for i in range(max(1, len(text_stems) - width + 1)))


def _significant(query: ParsedQuery) -> list[str]:
    return [t for t in dict.fromkeys(_query_words(query)) if t not in STOPWORDS] or _query_words(query)


# --- database backend -----------------------------------------------------------------------------


def by_ids(model: type[Model], ids: list[Any]) -> QuerySet:
    """``model`` objects of ``ids`` in a statement whose text does not depend on how many ids there are."""
    return model._default_manager.filter(pk__in=ids_subquery(ids))


def _texts(kind: str, ids: list[Any]) -> dict[Any, tuple[str, str, Any, str]]:
    """(title, summary, city id, country) of the candidates of one type, in one statement."""
    from contributions.models import ConsultationPage, Contribution
    from experiences.models import ExperiencePage

    if kind == "experience":
        rows = by_ids(ExperiencePage, ids).values_list("pk", "title", "summary", "city_id", "city__country")
        return {pk: (title, summary or "", city, country) for pk, title, summary, city, country in rows}
    if kind == "consultation":
        rows = by_ids(ConsultationPage, ids).values_list("pk", "title", "question")
        return {pk: (title, question or "", None, "") for pk, title, question in rows}
    rows = by_ids(Contribution, ids).values_list("pk", "title", "body")
    return {pk: (title, (body or "")[:300], None, "") for pk, title, body in rows}


def _rerank(
    kind: str,
    top: list[tuple[Any, float]],
    terms: list[str],
    places: Places,
    in_place: set[Any],
    mentions: set[Any],
    translations: list[list[list[str]]] | None = None,
) -> list[tuple[Any, float]]:
    """The window's candidates scored by tier; those after the window keep the backend's order below them."""
    window, after = top[:WINDOW], top[WINDOW:]
    if not window:
        return top
    texts = _texts(kind, [pk for pk, _score in window])
    place_words = sorted(places.terms)
    scored = []
    for pk, score in window:
        title, summary, city, country = texts.get(pk, ("", "", None, ""))
        place_tier = 0
        if places:
            if pk in in_place or city in places.city_ids or country in places.countries:
                place_tier = 2
            elif pk in mentions or any(_has(words(title + " " + summary), w) for w in place_words):
                place_tier = 1
        # Tiers dominate; the backend's score (bm25, |score| < 1e5) orders within a tier.
        scored.append((pk, place_tier * 1e7 + field_tier(terms, title, summary, translations) * 1e5 + score))
    scored.sort(key=lambda row: row[1], reverse=True)
    floor = min((s for _pk, s in scored), default=0.0)
    return scored + [(pk, min(score, floor)) for pk, score in after]


def database_matches(
    sp: Any,
    querysets: dict[str, QuerySet],
    end: int,
    match: Callable[[QuerySet, Any, int], Any],
    to_backend: Callable[[ParsedQuery], Any],
) -> dict:
    """Per type, the ``Matches`` of the query (search/database.py), re-ranked as this module says.

    ``match(qs, backend_query, end)`` and ``to_backend(parsed)`` are the service's
    full-text matching and query building.
    """
    places = places_in(sp.query)
    rest = rest_of(sp.query, places) if places else sp.query
    terms = _significant(rest or sp.query)
    # Once per query, not per candidate: what the words translate to ([] each with translate=0).
    text = rest or sp.query
    translations = term_translations(terms, [] if text.phrases else list(text.terms))
    window = max(end, WINDOW)
    text_query = to_backend(rest or sp.query)
    matched: dict[str, Any] = {}
    for kind, qs in querysets.items():
        found = match(qs, text_query, window)
        in_place: set[Any] = set()
        mentions: set[Any] = set()
        if places and rest is not None:
            # Items whose text names the place as well as the other words ("Wuhan écoles").
            mentions = {pk for pk, _score in match(qs, to_backend(sp.query), window).top}
        if places and kind == "experience":
            local = qs.filter(places.q())
            if rest is None:
                # Only places were named: every report of the place, and those that mention it.
                newest = list(local.order_by("-first_published_at", "-pk").values_list("pk", flat=True)[:window])
                in_place = set(newest)
                union = qs.model.objects.filter(
                    Q(pk__in=found.queryset.order_by().values("pk")) | Q(pk__in=local.order_by().values("pk"))
                )
                known = {pk for pk, _score in found.top}
                top = found.top + [
                    (pk, min((s for _p, s in found.top), default=0.0)) for pk in newest if pk not in known
                ]
                found = type(found)(union.count(), top, union)
            else:
                # Other words too: they must match; the reports of the place come first.
                local_found = match(local, text_query, window)
                in_place = {pk for pk, _score in local_found.top}
                found.top = local_found.top + [row for row in found.top if row[0] not in in_place]
        found.top = _rerank(kind, found.top, terms, places, in_place, mentions, translations)[:window]
        matched[kind] = found
    return matched


# --- engine -------------------------------------------------------------------------------------------


def engine_query(sp: Any, text_query: Callable[[ParsedQuery, str], dict[str, Any]]) -> dict[str, Any]:
    """The engine's ``bool`` query for the words of ``sp``: the same ideas as on the database backend.

    ``text_query(parsed, lang)`` is the service's text query (stemmed, fuzzy, phrases).
    """
    query = sp.query
    places = places_in(query)
    rest = rest_of(query, places) if places else query
    should: list[dict[str, Any]] = []
    terms = _significant(rest or query)
    if len(terms) > 1:
        # Words close together, in the title above all.
        should.append(
            {
                "multi_match": {
                    "query": " ".join(terms),
                    "type": "phrase",
                    "slop": 2,
                    "fields": ["hub_title^3", "hub_text"],
                    "boost": 2,
                }
            }
        )
    if not places:
        return {"must": text_query(query, sp.lang), "should": should}
    place = {
        "bool": {
            "should": [{"terms": {"hub_country": places.countries}}]
            + [{"match_phrase": {"hub_city": name}} for name in places.city_names],
            "minimum_should_match": 1,
        }
    }
    # The report of the named place first, whatever its text says.
    should.append({"constant_score": {"filter": place, "boost": 1000}})
    if rest is None:
        must = {"bool": {"should": [text_query(query, sp.lang), place], "minimum_should_match": 1}}
    else:
        must = text_query(rest, sp.lang)
        should.append({"bool": {"must": text_query(query, sp.lang), "boost": 2}})  # mentions the place too
    return {"must": must, "should": should}
