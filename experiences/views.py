"""Views behind the experiences index routes (list, tag, theme, city, map).

The rules (which experiences, which counts) are in filters.py and mapping.py;
these functions only gather them for a template.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.template.loader import get_template
from django.utils.translation import gettext as _
from taggit.models import Tag

from cooperation_hub import page_cache
from cooperation_hub.process_memo import KEPT_PAGES, kept_by_process, rendered_name
from cooperation_hub.query import page_number

from . import vocabulary
from .filters import PARAMS, SORT_LABELS, FilterResult, filter_experiences, url_with
from .mapping import MapData, build_map, map_data
from .media import COVER_RENDITIONS, with_covers
from .models import City, ExperienceIndexPage, ExperiencePage, ExperiencePartnerCity
from .translation import listed_experiences, mark_fallbacks, reports_in_order, sibling_indexes

PER_PAGE = 12
LIST_PARTS = ("title", "head", "body")
MAP_TABLE_PER_PAGE = 25  # cities per page of the map's table


def _language(index: ExperienceIndexPage) -> str:
    return index.locale.language_code


def index_urls(index: ExperienceIndexPage, request: HttpRequest) -> dict[str, str]:
    base = index.get_url(request) or ""
    return {
        "list": base,
        "map": base + index.reverse_subpage("map_view"),
        "rss": base + index.reverse_subpage("rss_view"),
        "atom": base + index.reverse_subpage("atom_view"),
    }


def experiences_of(index: ExperienceIndexPage, others: list[ExperienceIndexPage] | None = None) -> QuerySet:
    """What ``index`` shows, on its list, its map and its city pages alike: its own reports visible to
    the public, and those of the other languages not translated into its own (experiences.translation)."""
    return listed_experiences(index, others)


def _listed(
    index: ExperienceIndexPage, params, locked: dict[str, str] | None, others: list[ExperienceIndexPage]
) -> FilterResult:
    """The list's reports filtered by ``params``, with their facets (kept under the site's generation)."""
    # Reports not yet translated into this language are listed too, marked (experiences.translation);
    # so the search runs over every language (locale None) and the base keeps one version of each.
    base = with_covers(experiences_of(index, others))
    return filter_experiences(
        params, None, _language(index), locked=locked, base=base, facet_cache=f"experience-list:{index.pk}"
    )


def _list_family(index: ExperienceIndexPage) -> str:
    return f"experience-list:{index.pk}"


def _map_family(index: ExperienceIndexPage) -> str:
    return f"experience-map:{index.pk}"


def _variant(result: FilterResult, locked: dict[str, str] | None) -> tuple[str, str]:
    """The list's filters as a query string, and its digest for the keys of what is kept."""
    query = url_with({**result.filters, **(locked or {})})
    return query, hashlib.sha256(query.encode()).hexdigest()


def _kept_list_count(
    index: ExperienceIndexPage, result: FilterResult, locked: dict[str, str] | None, reader: bool = True
) -> int | None:
    """How many reports the list holds, kept under the site's generation; None with a text query
    (search hits may lag behind publication). A filtered list a ``reader`` worked out is noted, so
    that the refresh after the next publication works it out before them."""
    if "q" in result.filters or (locked or {}).get("q"):
        return None
    # Counting every listed report is the list's dearest query (~50 ms at 10,000 on SQLite): kept
    # under the site's generation, as the facet counts are, and refreshed after a publication.
    query, variant = _variant(result, locked)

    def count() -> int:
        if reader and result.filters and not locked:
            page_cache.note_worked_out(_list_family(index), query)
        # Counted in the facets' statement (experiences.filters.facet_statement) when they were counted.
        return result.total if result.total is not None else result.queryset.count()

    return page_cache.kept_for_generation(
        f"list-count:{index.pk}:{variant}", count, seconds=page_cache.REFRESHED_SECONDS
    )


def _list_page(
    index: ExperienceIndexPage, result: FilterResult, locked: dict[str, str] | None, number: int, reader: bool = True
) -> tuple[Paginator, Page, list[ExperiencePage]]:
    """The paginator, the page ``number`` and its reports. Without a text query the page's report
    ids are kept under the site's generation, as its count is: sorting the listed reports of two
    languages for a page of 12 is the list's dearest statement (7-9 ms at 10,000 on SQLite), and
    reading 12 reports by their ids costs a fraction of it. A page's order is the list's order at the
    last publication, tag, theme, city or privacy change: each bumps the generation."""
    paginator = Paginator(result.queryset, PER_PAGE)
    count = _kept_list_count(index, result, locked, reader)
    if count is not None:
        paginator.count = count
    page_obj = paginator.get_page(number)
    # A search's hits may lag behind publication: nothing is kept. Nor are the pages past the first
    # few: a crawler walking hundreds of them would push what every reader needs out of the
    # embedded default's file cache (it culls at a few hundred entries).
    ordered = result.queryset
    if count is None or page_obj.number > KEPT_PAGES or not isinstance(ordered, QuerySet):
        return paginator, page_obj, list(page_obj.object_list)
    _query, variant = _variant(result, locked)
    first = (page_obj.number - 1) * paginator.per_page
    ids = page_cache.kept_for_generation(
        f"list-page:{index.pk}:{variant}:{result.sort}:{page_obj.number}",
        lambda: list(ordered.values_list("pk", flat=True)[first : first + paginator.per_page]),
        seconds=page_cache.REFRESHED_SECONDS,
    )
    return paginator, page_obj, reports_in_order(ids, COVER_RENDITIONS)


def _mapped(index: ExperienceIndexPage, params) -> FilterResult:
    return filter_experiences(
        params, None, _language(index), base=experiences_of(index), facet_cache=f"experience-map:{index.pk}"
    )


def _kept_map_data(index: ExperienceIndexPage, result: FilterResult, reader: bool = True) -> MapData:
    """The cities of every report the map shows: kept under the site's generation, as the facet
    counts are; with a text query worked out each time (search hits may lag behind publication).
    A filtered map a ``reader`` worked out is noted for the refresh, as a filtered list is."""
    if "q" in result.filters:
        return map_data(result.matches)
    query = url_with(result.filters)
    variant = hashlib.sha256(query.encode()).hexdigest()

    def cities() -> MapData:
        if reader and result.filters:
            page_cache.note_worked_out(_map_family(index), query)
        return map_data(result.matches)

    # v2: a city's reports are counted, no longer listed (a v1 value would read 0 reports per city).
    return page_cache.kept_for_generation(
        f"map-data:v2:{index.pk}:{variant}", cities, seconds=page_cache.REFRESHED_SECONDS
    )


def keep_answers(index: ExperienceIndexPage) -> None:
    """Work out what the list and the map of ``index`` keep (facet counts, count, first page, cities), unfiltered
    and in the filtered variants readers worked out lately, as their next reader would: called by a
    worker after a publication (wagtail_hooks.py)."""
    others = sibling_indexes(index)
    for query in ["", *page_cache.worked_out_variants(_list_family(index))]:
        _list_page(index, _listed(index, _params(query), None, others), None, 1, reader=False)
    for query in ["", *page_cache.worked_out_variants(_map_family(index))]:
        _kept_map_data(index, _mapped(index, _params(query)), reader=False)


def _params(query: str) -> dict[str, str]:
    return dict(parse_qsl(query.lstrip("?")))


def experience_list(index: ExperienceIndexPage, request: HttpRequest, locked: dict[str, str] | None = None):
    """The list, the tag pages and the theme pages: one filtered, faceted, paginated list."""
    language = _language(index)
    scope = None
    if locked and "tag" in locked:
        tag = Tag.objects.filter(slug=locked["tag"]).first()
        if tag is None:
            raise Http404("No such tag")
        scope = {"kind": _("Tag"), "label": tag.name}
        locked = {"tag": tag.slug}
    elif locked and "theme" in locked:
        term = vocabulary.by_slug(vocabulary.THEMES).get(locked["theme"])
        if term is None:
            raise Http404("No such theme")
        scope = {"kind": _("Theme"), "label": term.fr if language.startswith("fr") else term.en}
    variant = None if (locked or {}).get("q") else kept_variant(request, "sort")
    if variant is None:
        parts = list_parts(index, request, locked, scope)
    else:
        parts = kept_by_process(
            rendered_name("list", request, index.pk, url_with(locked or {}), variant),
            lambda: list_parts(index, request, locked, scope),
        )
    response = index.render(
        request,
        template="experiences/experience_index_page.html",
        context_overrides={"parts": parts, "page_number": parts["number"]},
    )
    if parts["refused"]:
        # A search the list cannot run (too many words…) is a 400: the page, with the reason, without that search.
        response.status_code = 400
    return response


def kept_variant(request: HttpRequest, *also: str) -> str | None:
    """What names the list's or the map's rendered parts for ``request``, among those the process keeps:
    the filters it reads (experiences.filters.PARAMS), the parameters named in ``also`` and the page
    number. None when they are worked out each time: a search, whose hits may lag behind publication,
    and a page past the first few. Any other parameter is left out of the name, so a crawler adding
    its own cannot push what every reader needs out of what the process keeps."""
    number = page_number(request.GET.get("page"))
    # The sort form sends its search box too, empty ("?q=&sort=title"): no search, kept as any list.
    if request.GET.get("q", "").strip() or number > KEPT_PAGES:
        return None
    names = [name for name in (*PARAMS, *also) if name != "q"]
    return urlencode([(name, request.GET.get(name) or "") for name in names] + [("page", number)])


def list_parts(
    index: ExperienceIndexPage, request: HttpRequest, locked: dict[str, str] | None, scope: dict | None
) -> dict:
    """The list's <title>, <head> lines and body (experiences/includes/list_*.html), rendered for
    ``request``'s filters, sort and page; ``refused`` when its search cannot run. Everything it
    shows changes only through a write that bumps the site's generation, as its kept counts do."""
    others = sibling_indexes(index)
    result = _listed(index, request.GET, locked, others)
    paginator, page_obj, reports = _list_page(index, result, locked, page_number(request.GET.get("page")))
    chosen_sort = bool(request.GET.get("sort"))
    keep_sort = result.sort if chosen_sort else None
    page_base = url_with(result.filters, keep_sort)
    page_base = page_base + ("&" if page_base != "?" else "") + "page="
    sorts = ["relevance"] if "q" in result.filters or (locked or {}).get("q") else []
    sorts += ["newest", "updated", "title"]
    urls = index_urls(index, request)
    feed_query = url_with(result.filters) if result.filters else ""
    context = {
        "page": index,
        "request": request,
        "result": result,
        "experiences": mark_fallbacks(index, reports, others),
        "page_obj": page_obj,
        "paginator": paginator,
        "page_range": paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1),
        "page_base": page_base,
        "heading": index.title,
        "scope": scope,
        # The default order, not chosen, is sent as "": a search typed next is then ranked by
        # relevance, instead of keeping the "newest" a list without a search defaults to.
        "sorts": [
            {
                "value": s if chosen_sort or s != result.sort else "",
                "label": SORT_LABELS[s],
                "selected": s == result.sort,
            }
            for s in sorts
        ],
        "urls": urls,
        "map_url": urls["map"] + (url_with(result.filters) if result.filters else ""),
        "rss_url": urls["rss"] + feed_query,
        "atom_url": urls["atom"] + feed_query,
        "reset_url": request.path,
        "hidden_filters": {k: v for k, v in result.filters.items() if k != "q"},
    }
    parts = {name: get_template(f"experiences/includes/list_{name}.html").render(context) for name in LIST_PARTS}
    return {**parts, "refused": bool(result.errors), "number": page_obj.number}


def city_detail(index: ExperienceIndexPage, request: HttpRequest, slug: str):
    """A city, the experiences it takes part in (paginated), its partner cities and their newest experiences.

    Its <head> lines and body are rendered once per process for the site's generation and each of
    its first pages (``city_parts``), as the list's are: what they show changes only through a
    write that bumps it (a report, a city, a partnership)."""
    city = City.by_slug(slug)
    if city is None:
        raise Http404("No such city")
    number = page_number(request.GET.get("page"))
    if number > KEPT_PAGES:
        parts = city_parts(index, request, city)
    else:
        parts = kept_by_process(
            rendered_name("city", request, index.pk, city.pk, number), lambda: city_parts(index, request, city)
        )
    return index.render(
        request,
        template="experiences/city_page.html",
        context_overrides={"city": city, "parts": parts, "page_number": parts["number"]},
    )


def city_parts(index: ExperienceIndexPage, request: HttpRequest, city: City) -> dict:
    """The city page's <head> lines and body (experiences/includes/city_{head,body}.html).

    A fixed number of queries and at most two pages of cards however many reports a city
    has: its own experiences come PER_PAGE at a time (``?page=``), its partner cities are
    read as ids, and the partners' experiences are the newest PER_PAGE (each partner city
    has its own page). The small map shows the partnerships of the experiences shown.
    """
    others = sibling_indexes(index)
    # What the page shows is kept under the site's generation; the statements below are built only
    # when something must be worked out again (building them costs the ORM a few milliseconds).

    def involved() -> QuerySet:
        # Two id lists read through the city indexes (an OR across the join would read every report of the language).
        return experiences_of(index, others).filter(
            Q(pk__in=ExperiencePage.objects.filter(city=city).values("pk"))
            | Q(pk__in=ExperiencePartnerCity.objects.filter(city=city).values("experience_id"))
        )

    def own() -> QuerySet:
        return (
            experiences_of(index, others)
            .filter(pk__in=involved().values("pk"))
            .order_by("-first_published_at", "-pk")
            .values_list("pk", flat=True)
        )

    count = page_cache.kept_for_generation(f"city-count:{index.pk}:{city.pk}", lambda: own().count())
    paginator = Paginator(range(count), PER_PAGE)  # positions: the page's reports are read by id below
    page_obj = paginator.get_page(page_number(request.GET.get("page")))
    first = page_obj.start_index() - 1 if count else 0

    def page_ids() -> list[int]:
        return list(own()[first : first + PER_PAGE])

    # The first pages' report ids are kept, as the list's are: ordering a city's reports of two
    # languages is its dearest statement (~9 ms at 10,000 reports on SQLite).
    ids = (
        page_cache.kept_for_generation(f"city-page:{index.pk}:{city.pk}:{page_obj.number}", page_ids)
        if page_obj.number <= KEPT_PAGES
        else page_ids()
    )
    experiences = mark_fallbacks(index, reports_in_order(ids, COVER_RENDITIONS, "partner_cities__city"), others)
    # Every city sharing an experience with this one: the cities of the experiences it is a partner
    # of, and the partners of its own (whatever page they are on).
    # At 100,000 reports, the OR across the reports and their partner links is a ~110 ms statement
    # on PostgreSQL for a city with thousands of reports.
    partners = page_cache.kept_for_generation(f"city-partners:{index.pk}:{city.pk}", lambda: list(
        City.objects.filter(
            Q(pk__in=involved().values("city_id")) | Q(pk__in=ExperiencePartnerCity.objects.filter(
                experience__in=involved().values("pk")).values("city_id"))
        ).exclude(pk=city.pk).order_by("name", "pk")
    ))  # fmt: skip
    partner_ids = page_cache.kept_for_generation(f"city-partner-reports:{index.pk}:{city.pk}", lambda: list(
        experiences_of(index, others)
        .filter(city__in=[p.pk for p in partners])
        .exclude(pk__in=involved().values("pk"))
        .order_by("-first_published_at", "-pk")
        .values_list("pk", flat=True)[:PER_PAGE]
    ))  # fmt: skip
    partner_experiences = mark_fallbacks(
        index, reports_in_order(partner_ids, COVER_RENDITIONS, "partner_cities__city"), others
    )
    # The city and its partner cities, with the city's own links: the partners' reports linked
    # them to cities of their own, whose lines said nothing of this city's cooperation.
    network = build_map(experiences)
    context = {
        "page": index,
        "request": request,
        "city": city,
        "experiences": experiences,
        "page_obj": page_obj,
        "paginator": paginator,
        "page_range": paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1),
        "page_base": "?page=",
        "partners": partners,
        "partner_experiences": partner_experiences,
        "network": network,
        "urls": index_urls(index, request),
    }
    parts = {name: get_template(f"experiences/includes/city_{name}.html").render(context) for name in ("head", "body")}
    return {**parts, "number": page_obj.number}


def experience_map(index: ExperienceIndexPage, request: HttpRequest):
    """The interactive map of the experiences (or the filtered ones) and its accessible table.

    Its <head> lines and body are rendered once per process for the site's generation and each
    filter set and first pages (``map_parts``), as the list's are; a search is worked out each time."""
    variant = kept_variant(request)
    if variant is None:
        parts = map_parts(index, request)
    else:
        parts = kept_by_process(rendered_name("map", request, index.pk, variant), lambda: map_parts(index, request))
    response = index.render(
        request,
        template="experiences/map_page.html",
        context_overrides={"parts": parts, "page_number": parts["number"]},
    )
    if parts["refused"]:
        # A search the map cannot run (too many words…) is a 400: the page, with the reason, without that search.
        response.status_code = 400
    return response


def map_parts(index: ExperienceIndexPage, request: HttpRequest) -> dict:
    """The map page's <head> lines and body (experiences/includes/map_{head,body}.html); ``refused``
    when its search cannot run.

    The map draws what the GeoJSON endpoint answers (experiences/api.py); the
    page itself only holds the filters and a paginated table of the cities, read
    with a fixed number of queries and no page object, however many reports.
    """
    from .api import endpoint_url

    language = _language(index)
    result = _mapped(index, request.GET)
    data = _kept_map_data(index, result)
    paginator = Paginator(data.rows(), MAP_TABLE_PER_PAGE)
    page_obj = paginator.get_page(page_number(request.GET.get("page")))
    city_pattern = (index.url or "") + index.reverse_subpage("city_view", kwargs={"slug": "__slug__"})
    rows = [{"city": city, "url": city_pattern.replace("__slug__", city.slug)} for city in page_obj.object_list]
    page_base = url_with(result.filters)
    page_base = page_base + ("&" if page_base != "?" else "") + "page="
    urls = index_urls(index, request)
    context = {
        "page": index,
        "request": request,
        "result": result,
        "data": data,
        "rows": rows,
        "page_obj": page_obj,
        "paginator": paginator,
        "page_range": paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1),
        "page_base": page_base,
        "geojson_url": endpoint_url(language, result.filters, page_cache.site_generation()),
        # Filtered, the sections other apps add speak of the cities on the map only (as its GeoJSON).
        "cities_shown": {city.slug for city in data.placed()} if result.filters else None,
        "urls": urls,
        "reset_url": request.path,
        "list_url": urls["list"] + (url_with(result.filters) if result.filters else ""),
    }
    parts = {name: get_template(f"experiences/includes/map_{name}.html").render(context) for name in ("head", "body")}
    return {**parts, "refused": bool(result.errors), "number": page_obj.number}


__all__ = ["experience_list", "city_detail", "experience_map", "ExperiencePage"]
