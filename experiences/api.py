"""GET /api/map/experiences.geojson: the cities of the experience reports, for the interactive map.

Parameters: ``lang`` (fr|en, default fr) and the filters of the experience list
(``q``, ``theme``, ``sdg``, ``country``, ``region``, ``size``, ``status``,
``tag``), read by experiences/filters.py as the list reads them. A value the
list would leave out is refused here: 400 with ``{"error", "errors": {param: message}}``,
as the other JSON APIs answer.

The answer is a GeoJSON FeatureCollection (application/geo+json):

- one Point per city with coordinates, ``properties``: ``kind`` "city",
  ``name``, ``country`` (its ISO code), ``country_name`` (in ``lang``), ``region``, ``url`` (its city page), ``count`` (its
  reports) and ``reports``: the newest REPORTS_PER_CITY as ``{title, url, status}``;
- one LineString per pair of partner cities, ``properties``: ``kind`` "link",
  ``cities`` (their slugs), ``count``, ``north_south``;
- ``statuses``: the label of each status in ``lang``.
- what other apps add through the ``experiences_map_geojson`` hook, as further top-level
  members: ``partnerships`` (partnerships/wagtail_hooks.py), one
  ``{id, title, url, cities: [slug], kind, status, region_pair}`` per public partnership.

Only reports visible to the public (live, outside any private section) are
listed. The body is built with three ``values_list`` queries whatever the number
of reports, kept in the cache under the site's generation (a publication outdates
it), and sent with an ETag and a public max-age. The map page asks for it with the
site's generation as ``v`` (``endpoint_url``): after a publication its address is
new, so no browser shows the copy it kept for that max-age.
"""

from __future__ import annotations

import hashlib
import json

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from ninja import Query, Router
from wagtail.models import Locale

from cooperation_hub import page_cache
from cooperation_hub.api_errors import ApiError, Error

from . import vocabulary
from .api_schema import FeatureCollection, MapQuery
from .filters import filter_experiences, parse_filters, query_errors, url_with
from .mapping import geojson, map_data
from .models import ExperienceIndexPage

LANGUAGES = ("fr", "en")
CONTENT_TYPE = "application/geo+json"
# Mounted with the other JSON APIs by cooperation_hub/json_api.py.
router = Router(tags=["experiences"])


def map_geojson(lang: str, filters: dict[str, str]) -> dict:
    """The FeatureCollection of the public reports of ``lang`` that match ``filters`` (already valid)."""
    from .views import experiences_of

    statuses = {term.slug: term.fr if lang == "fr" else term.en for term in vocabulary.STATUSES}
    locale = Locale.objects.filter(language_code=lang).first()
    index = (
        ExperienceIndexPage.objects.visible_to_public().filter(locale=locale).order_by("path").first()
        if locale is not None
        else None
    )
    if index is None:
        return {"type": "FeatureCollection", "features": [], "statuses": statuses}
    result = filter_experiences(filters, None, lang, with_facets=False, base=experiences_of(index))
    queryset = result.matches
    base = index.url or ""
    # One reverse for every city: the slug is put in place of a marker.
    city_pattern = base + index.reverse_subpage("city_view", kwargs={"slug": "__slug__"})
    collection = geojson(
        map_data(queryset, with_reports=True),
        # The report's slug under this index: its own address, or where a report not translated
        # into ``lang`` is read in this language (experiences.translation.fallback_url).
        report_url=lambda path: base + path.rstrip("/").rsplit("/", 1)[-1] + "/",
        city_url=lambda slug: city_pattern.replace("__slug__", slug),
        statuses=statuses,
        language=lang,
    )
    # Other apps add top-level members (partnerships: "partnerships"), never change the features.
    from wagtail import hooks

    # Filtered, what they add is about the cities on this map only (a map filtered to nothing drew
    # every partnership of the network over no city).
    shown = {f["id"] for f in collection["features"] if f["properties"]["kind"] == "city"} if filters else None
    for hook in hooks.get_hooks("experiences_map_geojson"):
        for key, value in hook(lang, shown).items():
            collection.setdefault(key, value)
    return collection


def geojson_body(lang: str, filters: dict[str, str]) -> bytes:
    """The endpoint's body, kept under the site's generation (refreshed after a publication when
    unfiltered: experiences/wagtail_hooks.py)."""
    return page_cache.kept_for_generation(
        f"map-geojson:{lang}{url_with(filters)}",
        lambda: json.dumps(map_geojson(lang, filters), ensure_ascii=False, separators=(",", ":")).encode(),
        seconds=page_cache.REFRESHED_SECONDS,
    )


def endpoint_url(lang: str, filters: dict[str, str], version: int | None = None) -> str:
    """The address of the endpoint for these filters (the map page gives it to its script), for
    the site's ``version``: a browser keeps each version's answer apart."""
    from django.urls import reverse

    query = url_with(filters)
    url = reverse("api:map_geojson") + "?lang=" + lang + ("&" + query[1:] if query != "?" else "")
    return url + (f"&v={version}" if version is not None else "")


@router.get(
    "/map/experiences.geojson",
    url_name="map_geojson",
    operation_id="map",
    summary="The cities of the public experience reports and their partnerships, for the map",
    response={200: FeatureCollection, 304: None, 400: Error},
    openapi_extra={
        "responses": {
            # The body is sent as built (and cached) here: the schema describes it, nothing re-validates it.
            200: {
                "description": "A GeoJSON FeatureCollection, with an ETag and a public max-age.",
                "content": {CONTENT_TYPE: {}},
            },
            304: {"description": "Unchanged since the ETag given in If-None-Match."},
            400: {"description": "A bad parameter: a message per parameter."},
        }
    },
)
def experiences_geojson(request: HttpRequest, params: Query[MapQuery]) -> HttpResponse:
    """Parameters: those of the experience list, one value each. A value the list would leave out is
    refused here."""
    lang = request.GET.get("lang") or "fr"
    if lang not in LANGUAGES:
        raise ApiError({"lang": "Use fr or en."})
    errors = query_errors(request.GET)
    filters, ignored = parse_filters(request.GET)
    for name in ignored:
        errors.setdefault(name, f"Unknown or invalid value for {name}.")
    if errors:
        raise ApiError(errors)

    generation = page_cache.site_generation()
    etag = '"' + hashlib.sha256(f"{generation}:{lang}{url_with(filters)}".encode()).hexdigest()[-32:] + '"'
    max_age = page_cache.timeout()
    if generation is not None and etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(geojson_body(lang, filters), content_type=CONTENT_TYPE)
    if generation is not None:
        response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response
