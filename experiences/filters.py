"""The filters and facets of experience reports: one layer for the list, the map, the feeds,
the search page and the JSON APIs.

``REPORT_FILTERS`` declares each filter once: its label, its vocabulary, how a value is
checked (``clean_values``), the column it matches and counts on (``narrow``, ``facet_rows``),
the engine field it matches (search/engines/query.py) and how a value reads (``value_label``).
Two readers use that declaration. The list (``parse_filters``) takes one value per filter
and ignores a value it cannot use, so that an old link still gives a list and says what was
left out; the search (search/params.py) takes several values per filter and refuses a bad
one with the message of ``FilterValueError`` (a 400). The search adds the filters that are
not about reports (``type``, ``language``) on top of these.

Why a small declared table of our own rather than django-filter or pydantic: each filter is
used in five ways (validated, applied in SQL, applied as an OpenSearch ``terms`` query,
counted as a facet with its own value left out, labelled in two languages), in two reading
modes with different bad-input answers. django-filter covers only validation and the ORM
(its form errors would have to be re-worded filter by filter to keep the API's messages), and
pydantic only validation; either would leave the other uses where they are, spread again.

The query parameters are the public interface of docs/product.md: ``q``, ``theme``,
``sdg``, ``country`` (ISO 3166-1 alpha-2), ``region``, ``size``, ``status`` and
``tag``; they combine (AND). ``sort`` is ``newest``, ``updated``, ``title`` or,
with a query, ``relevance``.

Facet counts are computed with one SQL aggregation per facet, so the number of
queries does not grow with the number of experiences. The count shown next to
a value is the number of results the reader gets by choosing that value, given
the other filters (the facet's own filter is left out of its own counts, as a
value replaces the current one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from taggit.models import Tag
from wagtail.models import Locale

from cooperation_hub import page_cache
from cooperation_hub.compat import engine_hit_pks
from cooperation_hub.query import QueryError, check_value_count, clean_text, parse_int, parse_query
from cooperation_hub.sql import ids_subquery
from cooperation_hub.text import fold
from cooperation_hub.visibility import HubPageQuerySet

from . import vocabulary
from .models import ExperiencePage, ExperiencePageTag
from .regions import country_name, is_country_code


@dataclass(frozen=True)
class ReportFilter:
    """One filter of experience reports, declared once for every reader."""

    name: str
    label: Promise
    column: str  # the ORM path of its value from ExperiencePage: matched by ``narrow``, counted by ``facet_rows``
    engine_field: str  # the keyword field of the engine's document (search/documents.py)
    terms: tuple[vocabulary.Term, ...] = ()  # its controlled vocabulary, when it has one


REPORT_FILTERS: dict[str, ReportFilter] = {
    f.name: f
    for f in (
        ReportFilter("theme", _("Theme"), "themes__slug", "hub_themes", vocabulary.THEMES),
        ReportFilter("sdg", _("Sustainable Development Goal"), "sdgs__number", "hub_sdgs", vocabulary.SDGS),
        ReportFilter("country", _("Country"), "city__country", "hub_country"),
        ReportFilter("region", _("North / South"), "city__region", "hub_region", vocabulary.REGIONS),
        ReportFilter("size", _("City size"), "city__size", "hub_size", vocabulary.SIZES),
        # not Wagtail's "Status"
        ReportFilter(
            "status", pgettext_lazy("experience progress", "Status"), "status", "hub_status", vocabulary.STATUSES
        ),
        ReportFilter("tag", _("Tag"), "tagged_items__tag__slug", "hub_tags"),
    )
}
FILTERS = tuple(REPORT_FILTERS)
PARAMS = ("q", *FILTERS)
MAX_TAG_LENGTH = 100
SORTS = {
    "newest": ("-first_published_at", "-pk"),
    "updated": ("-last_published_at", "-pk"),
    # A–Z as a reader reads it: "Béthune accueille" before "Béthune Smart", "Écoles" before "Wuhan"
    "title": ("sort_title", "pk"),
}
SORT_LABELS = {
    "relevance": _("Relevance"),
    "newest": pgettext_lazy("reports sort", "Newest"),
    "updated": _("Recently updated"),
    "title": _("Title (A–Z)"),
}
FACET_LABELS = {**{name: f.label for name, f in REPORT_FILTERS.items()}, "q": pgettext_lazy("filter label", "Search")}
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
    queryset: QuerySet | _RelevanceOrdered  # the latter when sorted by search relevance
    filters: dict[str, str]
    sort: str
    facets: list[Facet] = field(default_factory=list)
    active: list[ActiveFilter] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    # Parameters refused with a reason (a 400 for the page): {name: message}, and the text typed in the box.
    errors: dict[str, str] = field(default_factory=dict)
    typed_query: str = ""
    # A search text with no words in it (a lone quote, punctuation): said so, and the list shown unsearched.
    wordless_query: str = ""
    # How many reports match, counted with the facets (the same statement) when they were; else None.
    total: int | None = None

    @property
    def matches(self) -> QuerySet:
        """The matching reports as a queryset, in no particular order (``queryset`` keeps the sort)."""
        return self.queryset.queryset if isinstance(self.queryset, _RelevanceOrdered) else self.queryset

    @property
    def ignored_labels(self) -> list[str]:
        """The ignored filters as the reader knows them: by their labels, not their parameter names."""
        return [str(FACET_LABELS.get(name, name)) for name in self.ignored]

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


class FilterValueError(ValueError):
    """A filter value refused; ``message`` is for the reader (translated)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def clean_values(name: str, values: list[str]) -> list[str]:
    """The values of one report filter in their stored form, or FilterValueError saying why not.

    ``sdg`` values become plain numbers ("07" is "7"), ``country`` codes upper-case;
    a vocabulary filter lists every unknown value in its message.
    """
    # Each value becomes a condition of one SQL expression: SQLite refuses about a thousand.
    try:
        check_value_count(values)
    except QueryError as exc:
        raise FilterValueError(exc.message) from exc
    spec = REPORT_FILTERS[name]
    if name == "sdg":
        numbers = [parse_int(v, max_digits=2) for v in values]
        if not all(n is not None and 1 <= n <= 17 for n in numbers):
            raise FilterValueError(gettext_now("An SDG is a number from 1 to 17."))
        return [str(n) for n in numbers]
    if name == "country":
        values = [v.upper() for v in values]
        if not all(len(v) == 2 and v.isalpha() for v in values):
            raise FilterValueError(gettext_now("A country is an ISO 3166-1 alpha-2 code such as FR or SN."))
        return values
    if name == "tag":
        if any(len(v) > MAX_TAG_LENGTH for v in values):
            raise FilterValueError(gettext_now("A tag has at most 100 characters."))
        return values
    known = vocabulary.by_slug(spec.terms)
    unknown = [v for v in values if v not in known]
    if unknown:
        raise FilterValueError(
            gettext_now("Unknown value %(value)s; expected one of: %(choices)s.")
            % {"value": ", ".join(unknown), "choices": ", ".join(sorted(known))}
        )
    return values


def _clean(name: str, value: str) -> str | None:
    """One value of the list's parameter ``name`` in its stored form, or None to ignore it."""
    if name == "q":
        # Only text with words to search for is kept (search_ids parses it again for the backend).
        try:
            return clean_text(value) if not parse_query(value).is_empty else None
        except QueryError:
            return None
    if name == "tag":
        value = value[:MAX_TAG_LENGTH]  # an over-long tag of an old link is cut, not ignored
    try:
        (cleaned,) = clean_values(name, [value])
    except FilterValueError:
        return None
    # The list also leaves out a well-formed code that names no country (its facet could not label it).
    if name == "country" and not is_country_code(cleaned):
        return None
    return cleaned


def base_queryset(locale: Locale | None) -> HubPageQuerySet:
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
    words = parse_query(query)
    parsed = words.backend_query()
    if not parsed:
        return []
    from modelsearch.backends import get_search_backend
    from modelsearch.query import PlainText
    from wagtail import hooks

    from cooperation_hub import fts

    # The search app words the query as its search page does (stemmed, translated: a French query
    # finds English reports); without it, the words as typed.
    query_object, vocabulary_version = PlainText(parsed, operator="and") if isinstance(parsed, str) else parsed, ""
    for worded in hooks.get_hooks("experiences_search_query"):
        query_object, vocabulary_version = worded(words)
    backend = get_search_backend()
    engine = hasattr(backend, "es")

    def hits() -> list[int]:
        if fts.is_sqlite_backend(backend):
            # The public search() is quadratic on SQLite (cooperation_hub/fts.py): the same hits, scores
            # and order, FTS-first.
            found = fts.sqlite_matches(backend, ExperiencePage, query_object, allowed=base_queryset(locale))
            return [pk for pk, _score in found.best(SEARCH_LIMIT, ties="-oid")]
        results = base_queryset(locale).order_by().search(query_object)
        if engine:  # the ids alone, in one request, no page built for them
            return [int(pk) for pk in engine_hit_pks(results, SEARCH_LIMIT)]
        return [page.pk for page in results[:SEARCH_LIMIT]]

    # The search is the dearest part of a list with ``q`` (~20 ms at 10,000 reports on SQLite, a
    # request to the engine at 100,000): kept while neither the reports ("site") nor the index
    # ("search-index", bumped once a worker has written it and the engine has refreshed it:
    # search/indexing.py ``index_written``) change. The words in lower case (every index folds
    # case); accents kept.
    key = [
        "engine" if engine else "database",
        locale.pk if locale else None,
        [p.lower() for p in words.phrases],
        [w.lower() for w in words.words],
        vocabulary_version,
    ]
    return page_cache.kept_for_generation(f"search-ids:{key}", hits, page_cache.SEARCH_INDEX)


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
            hits = ids if ids is not None else search_ids(locale, value)
            # Up to 1,000 hits as one parameter (cooperation_hub/sql.py); none: the empty list, which
            # Django answers without SQL (EmptyResultSet: the facets of a search without hits are skipped).
            queryset = queryset.filter(pk__in=ids_subquery(hits) if hits else [])
        else:
            queryset = narrow(queryset, name, [value])
    return queryset


def linked_tags(values: list[str]) -> list[str]:
    """Tag ``values`` (names or slugs) and the labels linked to them: one concept, two labels
    ("tramway" and "tram"). The lexicon app links them (its ``experiences_linked_tags`` hook),
    without this app depending on it."""
    from wagtail import hooks

    linked = list(values)
    for labels_of in hooks.get_hooks("experiences_linked_tags"):
        linked += labels_of(list(values))
    return list(dict.fromkeys(linked))


def tags_in_language(slugs: list[str], language: str) -> list[str]:
    """The list's ``tag`` slugs as the list of ``language`` names them: a slug its reports carry
    stays, another becomes the slug of the first linked tag that they carry ("nord-sud" on the
    English list: "north-south"), else stays as it was. For the language switch: the English list
    found the same reports under "nord-sud", but its chip and its tag facet named the French tag,
    selected with a count of 0, above the unselected "north-south"."""
    in_language = ExperiencePageTag.objects.filter(content_object__locale__language_code=language)
    named = []
    for slug in slugs:
        if in_language.filter(tag__slug=slug).exists():
            named.append(slug)
            continue
        linked = [label for label in linked_tags([slug]) if label != slug]
        carried: dict[str, str] = {}
        if linked:
            names = Q()
            for label in linked:
                names |= Q(tag__name__iexact=label)
            rows = in_language.filter(names | Q(tag__slug__in=[slugify(label) for label in linked]))
            carried = {name.lower(): tag_slug for name, tag_slug in rows.values_list("tag__name", "tag__slug")}
            carried |= {tag_slug: tag_slug for tag_slug in carried.values()}
        named.append(
            next((carried[key] for label in linked for key in (label.lower(), slugify(label)) if key in carried), slug)
        )
    return list(dict.fromkeys(named))


def narrow(queryset: QuerySet, name: str, values: list[str], tag_slugs: bool = True) -> QuerySet:
    """Reports of ``queryset`` having any of ``values`` (cleaned by ``clean_values``) for filter ``name``.

    A tag is named in the list's links by its slug, and a person typing it may use its name:
    both match. The search names tags by their lower-case name only (``tag_slugs=False``),
    as its engine indexes them, so that both of its backends find the same reports.
    """
    if name == "tag":
        values = linked_tags(values)  # "tramway" finds the reports tagged "tram" too (#17)
        named = Q()
        for value in values:
            named |= Q(tag__name__iexact=value)
        slugs = list(dict.fromkeys([*values, *(slugify(v) for v in values)]))
        tagged = ExperiencePageTag.objects.filter(Q(tag__slug__in=slugs) | named if tag_slugs else named)
        return queryset.filter(pk__in=tagged.values("content_object_id"))
    if name == "sdg":
        return queryset.filter(sdgs__number__in=[int(v) for v in values])
    return queryset.filter(**{f"{REPORT_FILTERS[name].column}__in": values})


FACET_COLUMNS = {name: f.column for name, f in REPORT_FILTERS.items()}


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
    """How a value of a report filter reads, in ``language`` ("12. Responsible consumption…")."""
    spec = REPORT_FILTERS.get(name)
    if spec is None:
        return value
    if spec.terms:
        term = vocabulary.by_slug(spec.terms).get(value)
        if term is None:
            return value
        label = term.fr if language.startswith("fr") else term.en
        return f"{value}. {label}" if name == "sdg" else label
    if name == "country":
        return country_name(value, language)
    if name == "tag":
        return (tag_names or {}).get(value) or value
    return value


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
    counts are then kept under the site's generation, which every publication, tag,
    theme, city or privacy change outdates; with a text query, on the database
    backend, under "search-index" too (the index is written after the commit).
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
    filtered = apply_filters(base, effective, ids=ids).select_related("city")
    results: QuerySet | _RelevanceOrdered
    if sort == "relevance":
        rank = {pk: position for position, pk in enumerate(ids or [])}
        # Relevance order comes from the search backend: keep it for the page slice.
        results = _RelevanceOrdered(filtered.order_by("pk"), rank)
    else:
        results = filtered.order_by(*SORTS[sort])

    result = FilterResult(
        queryset=results,
        filters=filters,
        sort=sort,
        ignored=ignored,
        errors=errors,
        typed_query=clean_text(params.get("q"))[:1000] if errors else filters.get("q", ""),
    )
    if "q" in ignored and not errors:
        # Not a filter left out: a search with nothing to search for (the search page says the same).
        result.ignored = [name for name in ignored if name != "q"]
        result.wordless_query = result.typed_query = clean_text(params.get("q"))[:100]
    keep_sort = sort if sort != "newest" and "sort" in params else None
    tag_names: dict[str, str] = {}
    if with_facets:
        all_counts, tag_names, result.total = _facets(base, effective, ids, locked, filters.get("tag", ""), facet_cache)
        for name in FILTERS:
            if name in locked:
                continue
            counts = dict(all_counts[name])
            if name == "sdg":
                counts = dict(sorted(counts.items(), key=lambda item: int(item[0])))
            elif name in ("theme", "status", "size", "region"):
                order = [t.slug for t in REPORT_FILTERS[name].terms]
                counts = {v: counts[v] for v in order if v in counts}
            elif name == "country":
                # "États-Unis" with the E's, not after "Viêt Nam".
                counts = dict(sorted(counts.items(), key=lambda item: fold(value_label("country", item[0], language))))
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
    base: QuerySet,
    effective: dict[str, str],
    ids: list[int] | None,
    locked: dict[str, str],
    tag: str,
    scope: str | None,
) -> tuple[dict[str, dict[str, int]], dict[str, str], int]:
    """{facet: {value: count}} of every facet not locked, the names of the tags shown, and the
    number of reports matching every filter: one statement for all of them (``facet_statement``)."""

    def compute() -> tuple[dict[str, dict[str, int]], dict[str, str], int]:
        counts, total = facet_statement(base, effective, ids, [name for name in FILTERS if name not in locked])
        slugs = [slug for slug in (*counts.get("tag", {}), tag) if slug]
        tag_names = dict(Tag.objects.filter(slug__in=slugs).values_list("slug", "name")) if slugs else {}
        return counts, tag_names, total

    if not scope:
        return compute()
    wanted = urlencode(sorted({**effective, **{f"locked-{k}": v for k, v in locked.items()}}.items()))
    # Without a text query, the site's generation alone: refreshed after a publication, kept longer.
    searched = "q" in effective
    return page_cache.kept_for_generation(
        f"facets-total:{scope}:{wanted}",
        compute,
        *([page_cache.SEARCH_INDEX] if searched else []),
        seconds=None if searched else page_cache.REFRESHED_SECONDS,
    )


def facet_statement(
    base: QuerySet, effective: dict[str, str], ids: list[int] | None, names: list[str]
) -> tuple[dict[str, dict[str, int]], int]:
    """The counts of the facets ``names`` (each with its own filter left out, as ``facet_counts``
    of ``apply_filters(base, effective, exclude=name)``) and the number of reports matching every
    filter, in one SQL statement.

    Which reports ``base`` holds is worked out once, in a materialized common table expression,
    and every aggregate reads that set. Counted one query each, each aggregate re-evaluated the
    base: for a list that shows the reports not yet translated (experiences/translation.py), the
    "no visible translation" subquery ran eight times, ~400 ms at 10,000 reports on SQLite.
    """
    if ids is not None:
        # The text query is never a facet: every count is of its hits. The set worked out once is
        # then theirs (at most SEARCH_LIMIT reports), not the whole list: at 100,000 reports each
        # facet otherwise joined the list's 50,000 reports to find its 1,000 hits (~200 ms each).
        base = base.filter(pk__in=ids_subquery(ids) if ids else [])
    try:
        base_sql, base_params = base.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # nothing can match (e.g. a search without hits): nothing to count
        return {name: {} for name in names}, 0
    params = list(base_params)
    listed = ExperiencePage.objects.filter(pk__in=RawSQL("SELECT pk FROM hub_listed", []))
    selects = []
    for name in names:
        rows = facet_rows(apply_filters(listed, effective, exclude=name, ids=ids), name)
        if name == "tag":
            rows = rows[:TAG_FACET_LIMIT]
        try:
            sql, args = rows.query.sql_with_params()
        except EmptyResultSet:  # a filter that can match nothing (an empty id list): no counts
            continue
        selects.append(f'SELECT %s, CAST(t."{FACET_COLUMNS[name]}" AS TEXT), t."n" FROM ({sql}) t')
        params += [name, *args]
    # The paginator's count, as ``result.queryset.count()`` counts it (rows of the filtered query).
    try:
        sql, args = apply_filters(listed, effective, ids=ids).order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        pass  # no row can match: the total is left out (0)
    else:
        selects.append(f"SELECT %s, NULL, COUNT(*) FROM ({sql}) t")
        params += ["", *args]
    if not selects:
        return {name: {} for name in names}, 0
    counts: dict[str, dict[str, int]] = {name: {} for name in names}
    total = 0
    with connections[base.db].cursor() as cursor:
        cursor.execute(f"WITH hub_listed (pk) AS MATERIALIZED ({base_sql}) " + " UNION ALL ".join(selects), params)
        for name, value, n in cursor.fetchall():
            if name == "":
                total = n
            elif value not in ("", None):
                counts[name][value] = n
    # Most used first, as each facet's own ORDER BY left them (a stable sort keeps its ties' order).
    return {name: dict(sorted(found.items(), key=lambda item: -item[1])) for name, found in counts.items()}, total


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
