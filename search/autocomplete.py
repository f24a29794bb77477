"""Suggestions while a person types in the search box (/api/search/autocomplete/)."""

import json

from django.conf import settings
from modelsearch.backends import get_search_backend

from cooperation_hub import page_cache
from cooperation_hub.query import parse_query
from cooperation_hub.text import fold, words
from cooperation_hub.visibility import public_tags
from experiences.models import City, ExperiencePage
from lexicon import lexicon

from .database import filtered_querysets
from .engines import client
from .engines.query import engine_filters
from .params import SearchParams


def autocomplete(prefix: str, lang: str = "fr", limit: int = 8) -> list[dict[str, str]]:
    """Titles, cities and tags that start with what the person is typing (accent- and case-insensitive).

    Kept like a search's answer (search/answers.py), since each keystroke of each reader asks:
    under the site's generation (publications, cities, tags, privacy), the search index's, the
    contributions' and the lexicon's. Raises QueryError when the text is too long to be a prefix.
    """
    # The backends see only the parsed words; the raw prefix is compared in Python only.
    safe = " ".join(fold(w) for w in parse_query(prefix).all_words)
    folded = fold(prefix).strip()
    if len(folded) < 2 or not safe:
        return []
    if not getattr(settings, "SEARCH_ANSWER_CACHE", True):
        return _suggestions(safe, folded, lang, limit)
    key = json.dumps([safe, folded, lang, limit, lexicon.generation()], ensure_ascii=False)
    return page_cache.kept_for_generation(
        "autocomplete:" + key,
        lambda: _suggestions(safe, folded, lang, limit),
        page_cache.SEARCH_INDEX,
        page_cache.CONTRIBUTIONS,  # the tags suggested include the contributions' (public_tags)
    )


def _suggestions(safe: str, folded: str, lang: str, limit: int) -> list[dict[str, str]]:
    last = folded.split()[-1] if folded.split() else folded
    suggestions: dict[tuple[str, str], dict[str, str]] = {}

    per_kind = max(2, limit // 2)  # leave room for every kind: many titles must not hide the tags

    def add(value: str, kind: str, translation: str = "") -> None:
        if sum(1 for k, _ in suggestions if k == kind) >= per_kind:
            return
        if value and len(suggestions) < limit and (kind, fold(value)) not in suggestions:
            if translation:  # a translation of what is typed: each of its words begins a word of the value
                found = words(value)
                matches = all(any(w.startswith(t) for w in found) for t in words(translation))
            else:
                matches = any(w.startswith(last) for w in words(value)) or fold(value).startswith(folded)
            if matches:
                suggestions[(kind, fold(value))] = {"value": value, "kind": kind}

    public_reports = ExperiencePage.objects.visible_to_public()
    for city in City.objects.filter(experiences__in=public_reports).distinct().order_by("name")[:5000]:
        if fold(city.name).startswith(folded) or any(w.startswith(folded) for w in words(city.name)):
            add(city.name, "city")
    titles = _titles(safe, lang, limit)
    for title in titles:
        add(title, "title")
    tag_names = list(public_tags().order_by("name").values_list("name", flat=True)[:5000])
    for name in tag_names:
        add(name, "tag")
    # Across languages (#17): what the typed word translates to ("téléph": "cable car") finds the
    # titles and tags of the other language, after those that match the words as typed.
    for translation in lexicon.completions(folded):
        for title in _titles(" ".join(words(translation)), lang, limit):
            add(title, "title", translation)
        for name in tag_names:
            add(name, "tag", translation)
    order = {"title": 0, "city": 1, "tag": 2}
    return sorted(suggestions.values(), key=lambda s: order[s["kind"]])[:limit]


def _titles(safe: str, lang: str, limit: int) -> list[str]:
    """Titles of public reports and consultations whose words start with the words of ``safe``
    (from the engine when it answers, else from the database backend)."""
    backend = client.engine_backend()
    if backend is not None and not client.is_marked_down(backend):
        sp = SearchParams(query=parse_query(""), lang=lang)
        body = {
            "query": {
                "bool": {
                    "must": {
                        "multi_match": {"query": safe, "operator": "and", "fields": ["hub_title.ac^2", "hub_city.ac"]}
                    },
                    "filter": engine_filters(sp),
                }
            },
            "size": limit,
            "_source": ["hub_title"],
        }
        try:
            titles = [
                h["_source"]["hub_title"]
                for h in client.search(backend, client.index_names(backend), body)["hits"]["hits"]
            ]
        except client.EngineUnavailable:
            titles = []
        if titles:
            return titles
    titles = []
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
    return titles
