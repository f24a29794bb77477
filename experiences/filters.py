"""Filtering, faceting and sorting of the experiences list.

The query parameters are the public interface of docs/product.md: ``q``, ``theme``,
``sdg``, ``country`` (ISO 3166-1 alpha-2), ``region``, ``size``, ``status`` and
``tag``; they combine (AND). ``sort`` is ``newest``, ``updated``, ``title`` or,
with a query, ``relevance``. The logic lives here rather than in the view so
that the list page, the map, the feeds and the search API apply the same rules.

Facet counts are computed with one SQL aggregation per facet, so the number of
queries does not grow with the number of experiences. The count shown next to
a value is the number of results the reader gets by choosing that value, given
the other filters (the facet's own filter is left out of its own counts, as a
value replaces the current one).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from taggit.models import Tag
from wagtail.models import Locale

from cooperation_hub import page_cache
from search.query import QueryError, clean_text, parse_int, parse_query

from . import vocabulary
from .models import ExperiencePage, ExperiencePageTag
from .regions import country_name, is_country_code

FILTERS = ("theme", "sdg", "country", "region", "size", "status", "tag")
PARAMS = ("q", *FILTERS)
SORTS = {
    "newest": ("-first_published_at", "-pk"),
    "updated": ("-last_published_at", "-pk"),
    "title": ("title", "pk"),
}
SORT_LABELS = {
    "relevance": _("Relevance"),
    "newest": _("Newest"),
    "updated": _("Recently updated"),
    "title": _("Title (A–Z)"),
}
FACET_LABELS = {
    "theme": _("Theme"),
    "sdg": _("Sustainable Development Goal"),
    "country": _("Country"),
    "region": _("North / South"),
    "size": _("City size"),
    "status": pgettext_lazy("experience progress", "Status"),  # not Wagtail's "Status"
    "tag": _("Tag"),
    "q": _("Search"),
}
TAG_FACET_LIMIT = 25
SEARCH_LIMIT = 1000


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    url: str


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]
    selected: str = ""


@dataclass
class ActiveFilter:
    name: str
    label: str
    value_label: str
    remove_url: str


@dataclass
class FilterResult:
    queryset: QuerySet
    filters: dict[str, str]
    sort: str
    facets: list[Facet] = field(default_factory=list)
    active: list[ActiveFilter] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    # Parameters refused with a reason (a 400 for the page): {name: message}, and the text typed in the box.
    errors: dict[str, str] = field(default_factory=dict)
    typed_query: str = ""

    @property
    def facets_by_name(self) -> dict[str, Facet]:
        return {facet.name: facet for facet in self.facets}

    def counts(self, name: str) -> dict[str, int]:
        """{value: count} of one facet, as the search API's ``facets`` expects."""
        facet = self.facets_by_name.get(name)
        return {v.value: v.count for v in facet.values} if facet else {}


def parse_filters(params: QueryDict | dict) -> tuple[dict[str, str], list[str]]:
    """The valid filters among query parameters, and the names of those ignored as invalid.

    An unknown value is ignored rather than answered with an error page: a reader
    who follows an old link still gets a list, and is told what was left out.
    """
    filters: dict[str, str] = {}
    ignored: list[str] = []
    for name in PARAMS:
        raw = params.get(name)
        if raw is None:
            continue
        value = str(raw).strip()
        if not value:
            continue
        cleaned = _clean(name, value)
        if cleaned is None:
            ignored.append(name)
        else:
            filters[name] = cleaned
    return filters, ignored


def query_errors(params: QueryDict | dict) -> dict[str, str]:
    """{"q": reason} when the search text is refused (too long, too many words), else {}."""
    try:
        parse_query(params.get("q"))
    except QueryError as exc:
        return {"q": exc.message}
    return {}


def _clean(name: str, value: str) -> str | None:
    if name == "q":
        # Only text with words to search for is kept (search_ids parses it again for the backend).
        try:
            return clean_text(value) if not parse_query(value).is_empty else None
        except QueryError:
            return None
    if name == "theme":
        return value if value in vocabulary.by_slug(vocabulary.THEMES) else None
    if name == "sdg":
        number = parse_int(value, max_digits=2)
        return str(number) if number is not None and 1 <= number <= 17 else None
    if name == "country":
        return value.upper() if len(value) == 2 and is_country_code(value) else None
    if name == "region":
        return value if value in vocabulary.by_slug(vocabulary.REGIONS) else None
    if name == "size":
        return value if value in vocabulary.by_slug(vocabulary.SIZES) else None
    if name == "status":
        return value if value in vocabulary.by_slug(vocabulary.STATUSES) else None
    if name == "tag":
        return value[:100]
    return None


def base_queryset(locale: Locale | None) -> QuerySet:
    """Experiences visible to the public, of one language (all languages when no locale is given)."""
    queryset = ExperiencePage.objects.visible_to_public()
    if locale is not None:
        queryset = queryset.filter(locale=locale)
    return queryset


def search_ids(locale: Locale | None, query: str) -> list[int]:
    """Primary keys of the live experiences of a language matching a full-text query, best first.

    The search runs on the configured Wagtail backend (database by default,
    OpenSearch/Elasticsearch when set) with only the filters every backend
    indexes (live, locale); the structured filters are then applied in SQL on
    these ids, so any queryset can be narrowed by ``q``.
    """
    # The backend gets the parsed words and phrases only, never the text as typed (QueryError when refused).
    parsed = parse_query(query).backend_query()
    if not parsed:
        return []
    from modelsearch.backends import get_search_backend
    from modelsearch.query import PlainText

    from search import fts

    backend = get_search_backend()
    if fts.is_sqlite_backend(backend):
        # The public search() is quadratic on SQLite (search/fts.py): the same hits, scores and order, FTS-first.
        query_object = PlainText(parsed, operator="and") if isinstance(parsed, str) else parsed
        found = fts.sqlite_matches(backend, ExperiencePage, query_object, allowed=base_queryset(locale))
        return [pk for pk, _score in found.best(SEARCH_LIMIT, ties="-oid")]
    results = base_queryset(locale).order_by().search(parsed, operator="and" if isinstance(parsed, str) else None)
    return [page.pk for page in results[:SEARCH_LIMIT]]


def apply_filters(
    queryset: QuerySet,
    filters: dict[str, str],
    exclude: str | None = None,
    ids: list[int] | None = None,
    locale: Locale | None = None,
) -> QuerySet:
    """The queryset narrowed by every filter but ``exclude``; ``ids`` are the search hits of ``q``."""
    for name, value in filters.items():
        if name == exclude:
            continue
        if name == "q":
            queryset = queryset.filter(pk__in=ids if ids is not None else search_ids(locale, value))
        elif name == "theme":
            queryset = queryset.filter(themes__slug=value)
        elif name == "sdg":
            queryset = queryset.filter(sdgs__number=int(value))
        elif name == "country":
            queryset = queryset.filter(city__country=value)
        elif name == "region":
            queryset = queryset.filter(city__region=value)
        elif name == "size":
            queryset = queryset.filter(city__size=value)
        elif name == "status":
            queryset = queryset.filter(status=value)
        elif name == "tag":
            # A tag is named in links by its slug; a person typing it may use its name.
            tagged = ExperiencePageTag.objects.filter(tag__slug=value) | ExperiencePageTag.objects.filter(
                tag__name__iexact=value
            )
            queryset = queryset.filter(pk__in=tagged.values("content_object_id"))
    return queryset


FACET_COLUMNS = {
    "theme": "themes__slug",
    "sdg": "sdgs__number",
    "country": "city__country",
    "region": "city__region",
    "size": "city__size",
    "status": "status",
    "tag": "tagged_items__tag__slug",
}


def facet_rows(queryset: QuerySet, name: str) -> QuerySet:
    """The aggregate query of one facet: rows of {FACET_COLUMNS[name]: value, "n": experiences}."""
    column = FACET_COLUMNS[name]
    return (
        queryset.order_by()
        .filter(**{f"{column}__isnull": False})
        .values(column)
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", column)
    )


def facet_counts(queryset: QuerySet, name: str) -> dict[str, int]:
    """{value: number of experiences} for one facet, in one aggregate query."""
    column = FACET_COLUMNS[name]
    rows = facet_rows(queryset, name)
    if name == "tag":
        rows = rows[:TAG_FACET_LIMIT]
    return {str(row[column]): row["n"] for row in rows if row[column] not in ("", None)}


def value_label(name: str, value: str, language: str, tag_names: dict[str, str] | None = None) -> str:
    if name == "theme":
        term = vocabulary.by_slug(vocabulary.THEMES).get(value)
    elif name == "sdg":
        term = vocabulary.by_slug(vocabulary.SDGS).get(value)
        if term is not None:
            return f"{value}. {term.fr if language.startswith('fr') else term.en}"
    elif name == "region":
        term = vocabulary.by_slug(vocabulary.REGIONS).get(value)
    elif name == "size":
        term = vocabulary.by_slug(vocabulary.SIZES).get(value)
    elif name == "status":
        term = vocabulary.by_slug(vocabulary.STATUSES).get(value)
    elif name == "country":
        return country_name(value, language)
    elif name == "tag":
        return (tag_names or {}).get(value) or value
    else:
        return value
    if term is None:
        return value
    return term.fr if language.startswith("fr") else term.en


def url_with(filters: dict[str, str], sort: str | None = None, **changes: str | None) -> str:
    """A query string for these filters with some changed (None removes); always resets pagination."""
    params = {**filters}
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    ordered = [(name, params[name]) for name in PARAMS if params.get(name)]
    if sort:
        ordered.append(("sort", sort))
    return "?" + urlencode(ordered) if ordered else "?"


def filter_experiences(
    params: QueryDict | dict,
    locale: Locale | None,
    language: str = "en",
    locked: dict[str, str] | None = None,
    with_facets: bool = True,
    base: QuerySet | None = None,
    facet_cache: str | None = None,
) -> FilterResult:
    """Everything the list needs: the sorted results, facets with counts, active filters.

    ``locked`` filters come from the page itself (a tag or theme page): they
    always apply and are neither offered as facets nor removable.
    ``facet_cache`` names what ``base`` is (e.g. one index's list): the facet
    counts of a list without a text query are then kept under the site's
    generation, which every publication, tag, theme, city or privacy change outdates.
    """
    filters, ignored = parse_filters(params)
    errors = query_errors(params)
    ignored = [name for name in ignored if name not in errors]
    locked = locked or {}
    for name in locked:
        filters.pop(name, None)
    effective = {**filters, **locked}
    base = base if base is not None else base_queryset(locale)
    ids = search_ids(locale, effective["q"]) if "q" in effective else None

    sort = str(params.get("sort") or "")
    if sort not in SORTS and not (sort == "relevance" and ids is not None):
        sort = "relevance" if ids is not None else "newest"
    results = apply_filters(base, effective, ids=ids).select_related("city")
    if sort == "relevance":
        rank = {pk: position for position, pk in enumerate(ids or [])}
        # Relevance order comes from the search backend: keep it for the page slice.
        results = _RelevanceOrdered(results.order_by("pk"), rank)
    else:
        results = results.order_by(*SORTS[sort])

    result = FilterResult(queryset=results, filters=filters, sort=sort, ignored=ignored, errors=errors,
                          typed_query=clean_text(params.get("q"))[:1000] if errors else filters.get("q", ""))
    keep_sort = sort if sort != "newest" and "sort" in params else None
    tag_names: dict[str, str] = {}
    if with_facets:
        all_counts, tag_names = _facets(base, effective, ids, locked, filters.get("tag", ""), facet_cache)
        for name in FILTERS:
            if name in locked:
                continue
            counts = dict(all_counts[name])
            if name == "sdg":
                counts = dict(sorted(counts.items(), key=lambda item: int(item[0])))
            elif name in ("theme", "status", "size", "region"):
                order = [t.slug for t in _terms(name)]
                counts = {v: counts[v] for v in order if v in counts}
            elif name == "country":
                counts = dict(sorted(counts.items(), key=lambda item: value_label("country", item[0], language)))
            selected = filters.get(name, "")
            if selected and selected not in counts:
                counts[selected] = 0
            values = [
                FacetValue(
                    value=value,
                    label=value_label(name, value, language, tag_names),
                    count=count,
                    selected=value == selected,
                    url=url_with(filters, keep_sort, **{name: None if value == selected else value}),
                )
                for value, count in counts.items()
            ]
            result.facets.append(Facet(name=name, label=str(FACET_LABELS[name]), values=values, selected=selected))
    elif "tag" in filters:
        tag_names = dict(Tag.objects.filter(slug=filters["tag"]).values_list("slug", "name"))
    for name, value in filters.items():
        result.active.append(
            ActiveFilter(
                name=name,
                label=str(FACET_LABELS[name]),
                value_label=value_label(name, value, language, tag_names),
                remove_url=url_with(filters, keep_sort, **{name: None}),
            )
        )
    return result


def _facets(
    base: QuerySet, effective: dict[str, str], ids: list[int] | None, locked: dict[str, str], tag: str,
    scope: str | None,
) -> tuple[dict[str, dict[str, int]], dict[str, str]]:
    """{facet: {value: count}} of every facet not locked (one query each), and the names of the tags shown."""
    key = None
    if scope and "q" not in effective:  # search hits may lag behind publication (an engine's refresh)
        generation = page_cache.site_generation()
        if generation is not None:
            wanted = urlencode(sorted({**effective, **{f"locked-{k}": v for k, v in locked.items()}}.items()))
            key = "facets:" + hashlib.sha256(f"{scope}:{generation}:{wanted}".encode()).hexdigest()
            found = cache.get(key)
            if found is not None:
                return found
    counts: dict[str, dict[str, int]] = {}
    for name in FILTERS:
        if name not in locked:
            counts[name] = facet_counts(apply_filters(base, effective, exclude=name, ids=ids), name)
    slugs = [slug for slug in (*counts.get("tag", {}), tag) if slug]
    tag_names = dict(Tag.objects.filter(slug__in=slugs).values_list("slug", "name")) if slugs else {}
    if key is not None:
        cache.set(key, (counts, tag_names), page_cache.timeout())
    return counts, tag_names


def _terms(name: str) -> tuple[vocabulary.Term, ...]:
    return {
        "theme": vocabulary.THEMES,
        "status": vocabulary.STATUSES,
        "size": vocabulary.SIZES,
        "region": vocabulary.REGIONS,
    }[name]


class _RelevanceOrdered:
    """A sliceable, countable sequence of a queryset in search-relevance order.

    Paginator slices it; only the requested page is loaded from the database.
    """

    def __init__(self, queryset: QuerySet, rank: dict[int, int]):
        self.queryset = queryset
        self.rank = rank
        self._pks: list[int] | None = None

    def _ordered_pks(self) -> list[int]:
        if self._pks is None:
            pks = list(self.queryset.values_list("pk", flat=True))
            self._pks = sorted(pks, key=lambda pk: self.rank.get(pk, len(self.rank)))
        return self._pks

    def count(self) -> int:
        return len(self._ordered_pks())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        pks = self._ordered_pks()[item] if isinstance(item, slice) else [self._ordered_pks()[item]]
        objects = {page.pk: page for page in self.queryset.filter(pk__in=pks)}
        ordered = [objects[pk] for pk in pks if pk in objects]
        return ordered if isinstance(item, slice) else ordered[0]

    def __iter__(self):
        return iter(self[:])

    def exists(self) -> bool:
        return bool(self._ordered_pks())
