"""Views behind the experiences index routes (list, tag, theme, city, map).

The rules (which experiences, which counts) are in filters.py and mapping.py;
these functions only gather them for a template.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from taggit.models import Tag

from . import vocabulary
from .filters import SORT_LABELS, base_queryset, filter_experiences, url_with
from .mapping import build_map
from .media import with_covers
from .models import City, ExperienceIndexPage, ExperiencePage
from .translation import listed_experiences, mark_fallbacks, sibling_indexes

PER_PAGE = 12
MAP_TABLE_PER_PAGE = 25  # cities per page of the map's table


def _language(index: ExperienceIndexPage) -> str:
    return index.locale.language_code


def index_urls(index: ExperienceIndexPage) -> dict[str, str]:
    base = index.url or ""
    return {
        "list": base,
        "map": base + index.reverse_subpage("map_view"),
        "rss": base + index.reverse_subpage("rss_view"),
        "atom": base + index.reverse_subpage("atom_view"),
    }


def experiences_of(index: ExperienceIndexPage) -> QuerySet:
    return base_queryset(index.locale).child_of(index)


def experience_list(index: ExperienceIndexPage, request: HttpRequest, locked: dict[str, str] | None = None):
    """The list, the tag pages and the theme pages: one filtered, faceted, paginated list."""
    language = _language(index)
    heading = index.title
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
    # Reports not yet translated into this language are listed too, marked (experiences.translation);
    # so the search runs over every language (locale None) and the base keeps one version of each.
    others = sibling_indexes(index)
    base = with_covers(listed_experiences(index, others))
    result = filter_experiences(
        request.GET, None, language, locked=locked, base=base, facet_cache=f"experience-list:{index.pk}"
    )
    paginator = Paginator(result.queryset, PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    keep_sort = result.sort if "sort" in request.GET else None
    page_base = url_with(result.filters, keep_sort)
    page_base = page_base + ("&" if page_base != "?" else "") + "page="
    sorts = ["relevance"] if "q" in result.filters or (locked or {}).get("q") else []
    sorts += ["newest", "updated", "title"]
    urls = index_urls(index)
    feed_query = url_with(result.filters) if result.filters else ""
    response = index.render(
        request,
        template="experiences/experience_index_page.html",
        context_overrides={
            "result": result,
            "experiences": mark_fallbacks(index, list(page_obj.object_list), others),
            "page_obj": page_obj,
            "paginator": paginator,
            "page_base": page_base,
            "heading": heading,
            "scope": scope,
            "sorts": [{"value": s, "label": SORT_LABELS[s], "selected": s == result.sort} for s in sorts],
            "urls": urls,
            "map_url": urls["map"] + (url_with(result.filters) if result.filters else ""),
            "rss_url": urls["rss"] + feed_query,
            "atom_url": urls["atom"] + feed_query,
            "reset_url": request.path,
            "hidden_filters": {k: v for k, v in result.filters.items() if k != "q"},
        },
    )
    return _refused(response, result)


def _refused(response, result):
    """A search the list cannot run (too many words…) is a 400: the page, with the reason, without that search."""
    if result.errors:
        response.status_code = 400
    return response


def city_detail(index: ExperienceIndexPage, request: HttpRequest, slug: str):
    """A city, every experience it takes part in, its partner cities and their experiences."""
    city = City.objects.filter(slug=slug).first()
    if city is None:
        raise Http404("No such city")
    experiences = (
        with_covers(experiences_of(index))
        .filter(Q(city=city) | Q(partner_cities__city=city))
        .distinct()
        .select_related("city")
        .prefetch_related("partner_cities__city")
        .order_by("-first_published_at")
    )
    experiences = list(experiences)
    partners: dict[int, City] = {}
    for experience in experiences:
        for other in [experience.city] + [p.city for p in experience.partner_cities.all()]:
            if other.pk != city.pk:
                partners[other.pk] = other
    shown = {e.pk for e in experiences}
    partner_experiences = list(
        with_covers(experiences_of(index))
        .filter(city__in=list(partners))
        .exclude(pk__in=shown)
        .select_related("city")
        .prefetch_related("partner_cities__city")
        .order_by("-first_published_at")
    )
    network = build_map(experiences + partner_experiences)
    return index.render(
        request,
        template="experiences/city_page.html",
        context_overrides={
            "city": city,
            "experiences": experiences,
            "partners": sorted(partners.values(), key=lambda c: c.name),
            "partner_experiences": partner_experiences,
            "network": network,
            "urls": index_urls(index),
        },
    )


def experience_map(index: ExperienceIndexPage, request: HttpRequest):
    """The interactive map of the experiences (or the filtered ones) and its accessible table.

    The map draws what the GeoJSON endpoint answers (experiences/api.py); the
    page itself only holds the filters and a paginated table of the cities, read
    with a fixed number of queries and no page object, however many reports.
    """
    from .api import endpoint_url
    from .mapping import map_data

    language = _language(index)
    result = filter_experiences(request.GET, index.locale, language, base=experiences_of(index))
    queryset = getattr(result.queryset, "queryset", result.queryset)
    data = map_data(queryset)
    paginator = Paginator(data.rows(), MAP_TABLE_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    city_pattern = (index.url or "") + index.reverse_subpage("city_view", kwargs={"slug": "__slug__"})
    rows = [{"city": city, "url": city_pattern.replace("__slug__", city.slug)} for city in page_obj.object_list]
    page_base = url_with(result.filters)
    page_base = page_base + ("&" if page_base != "?" else "") + "page="
    urls = index_urls(index)
    response = index.render(
        request,
        template="experiences/map_page.html",
        context_overrides={
            "result": result,
            "data": data,
            "rows": rows,
            "page_obj": page_obj,
            "paginator": paginator,
            "page_range": paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1),
            "page_base": page_base,
            "geojson_url": endpoint_url(language, result.filters),
            "urls": urls,
            "reset_url": request.path,
            "list_url": urls["list"] + (url_with(result.filters) if result.filters else ""),
        },
    )
    return _refused(response, result)


__all__ = ["experience_list", "city_detail", "experience_map", "ExperiencePage"]
