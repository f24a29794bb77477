"""The network map: its data, for the interactive maps and their accessible tables.

Two layers live here:

- ``map_data()``: the cities of a set of experiences, their reports and the
  partnerships between them, read with three ``values_list`` queries whatever
  the number of reports (no page object is built). It feeds the GeoJSON
  endpoint (experiences/api.py) drawn by Leaflet, and the paginated table of
  the map page.
- ``build_map()``: the same facts as objects for a few pages (a city page, a
  report), whose small maps list their places in the page for map.js.

The basemap is a static GeoJSON of Natural Earth's countries (see
mapdata/build_basemap.py), drawn by Leaflet in the browser: no tile server.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import get_language

from .models import City, ExperiencePage, ExperiencePartnerCity
from .regions import country_name


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """SVG coordinates of a point."""
    return round(longitude + 180, 2), round(90 - latitude, 2)


@dataclass
class MapPoint:
    city: City
    x: float
    y: float
    experiences: list[ExperiencePage] = field(default_factory=list)


@dataclass
class MapLink:
    experience: ExperiencePage
    city: City
    partner: City
    path: str = ""

    @property
    def crosses_divide(self) -> bool:
        return self.city.region != self.partner.region


@dataclass
class NetworkMap:
    points: list[MapPoint]
    links: list[MapLink]
    unplaced: list[City]


def arc_path(start: tuple[float, float], end: tuple[float, float]) -> str:
    """A gentle curve between two points, so that links sharing a city stay distinct."""
    (x1, y1), (x2, y2) = start, end
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    dx, dy = x2 - x1, y2 - y1
    bend = 0.18
    cx, cy = mx - dy * bend, my + dx * bend
    return f"M{x1:g} {y1:g}Q{cx:.2f} {cy:.2f} {x2:g} {y2:g}"


def build_map(experiences: Iterable[ExperiencePage]) -> NetworkMap:
    """Points for the cities of these experiences and their partners, and one line per partnership.

    ``experiences`` should come with ``select_related("city")`` and
    ``prefetch_related("partner_cities__city")`` so that the map costs a fixed
    number of queries.
    """
    points: dict[int, MapPoint] = {}
    links: list[MapLink] = []
    unplaced: dict[int, City] = {}

    def point_for(city: City) -> MapPoint | None:
        if city.latitude is None or city.longitude is None:  # not has_coordinates
            unplaced[city.pk] = city
            return None
        if city.pk not in points:
            points[city.pk] = MapPoint(city, *project(city.latitude, city.longitude))
        return points[city.pk]

    for experience in experiences:
        own = point_for(experience.city)
        if own is not None:
            own.experiences.append(experience)
        for partnership in experience.partner_cities.all():
            partner = partnership.city
            other = point_for(partner)
            if other is not None and experience not in other.experiences:
                other.experiences.append(experience)
            link = MapLink(experience, experience.city, partner)
            if own is not None and other is not None:
                link.path = arc_path((own.x, own.y), (other.x, other.y))
            links.append(link)
    ordered = sorted(points.values(), key=lambda p: (-len(p.experiences), p.city.name))
    return NetworkMap(points=ordered, links=links, unplaced=sorted(unplaced.values(), key=lambda c: c.name))


# --- Compact data: the interactive map and its table ------------------------------------
# A city's popup lists its newest reports; the city page lists them all.
REPORTS_PER_CITY = 20


@dataclass
class CityOnMap:
    pk: int
    name: str
    slug: str
    country: str
    region: str
    latitude: float | None
    longitude: float | None
    # (title, url_path, status) of the reports, newest first: the city's own, then those it is a partner of.
    reports: list[tuple[str, str, str]] = field(default_factory=list)
    # A count, not the ids: the map's data is kept in the cache, and 100,000 ids made each read of
    # it cost ~25 ms of unpickling.
    report_count: int = 0
    partners: set[int] = field(default_factory=set)
    north_south: set[int] = field(default_factory=set)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def country_label(self) -> str:
        """The country's name in the reader's language, as a City gives it (City.country_label)."""
        return country_name(self.country, get_language() or "fr")

    @property
    def position(self) -> list[float]:
        """GeoJSON's [longitude, latitude], to 4 decimals (about 10 m); only for a city that has_coordinates."""
        if self.latitude is None or self.longitude is None:
            raise ValueError(f"{self.name} has no coordinates")
        return [round(self.longitude, 4), round(self.latitude, 4)]


@dataclass
class MapData:
    cities: dict[int, CityOnMap]
    # (city pk, city pk) with the smaller pk first → number of reports that link them.
    pairs: dict[tuple[int, int], int]

    def rows(self) -> list[CityOnMap]:
        """Every city, most reports first: the order of the accessible table."""
        return sorted(self.cities.values(), key=lambda c: (-c.report_count, c.name, c.pk))

    def placed(self) -> list[CityOnMap]:
        return [city for city in self.rows() if city.has_coordinates]

    @property
    def north_south_pairs(self) -> int:
        return sum(1 for a, b in self.pairs if self.cities[a].region != self.cities[b].region)


def map_data(experiences: QuerySet, with_reports: bool = False) -> MapData:
    """The cities of ``experiences`` (their own and their partners) and the partnerships: three queries.

    ``experiences`` is any queryset of ExperiencePage (already narrowed to what
    the public may see and to the filters). With ``with_reports``, each city
    keeps the title, ``url_path`` and status of its newest reports (up to
    REPORTS_PER_CITY), as the map's popups show them.
    """
    experiences = experiences.order_by()
    columns = ["pk", "city_id"] + (["title", "url_path", "status"] if with_reports else [])
    rows = list(experiences.order_by("-first_published_at", "-pk").values_list(*columns))
    partnerships = ExperiencePartnerCity.objects.filter(experience__in=experiences.values("pk"))
    partner_rows = list(
        partnerships.order_by("experience_id", "sort_order", "pk").values_list("experience_id", "city_id")
    )
    city_rows = City.objects.filter(
        Q(pk__in=experiences.values("city_id")) | Q(pk__in=partnerships.values("city_id"))
    ).values_list("pk", "name", "slug", "country", "region", "latitude", "longitude")
    cities = {row[0]: CityOnMap(*row) for row in city_rows}

    partners_of: dict[int, list[int]] = {}
    for page_id, city_id in partner_rows:
        partners_of.setdefault(page_id, []).append(city_id)
    pairs: dict[tuple[int, int], int] = {}
    for row in rows:
        page_id, own_id = row[0], row[1]
        involved = [own_id] + [c for c in partners_of.get(page_id, ()) if c != own_id]
        for city_id in dict.fromkeys(involved):
            city = cities[city_id]
            city.report_count += 1  # once per report: ``involved`` holds each city once
            if with_reports and len(city.reports) < REPORTS_PER_CITY:
                city.reports.append(row[2:5])
        own = cities[own_id]
        for partner_id in involved[1:]:
            partner = cities[partner_id]
            own.partners.add(partner_id)
            partner.partners.add(own_id)
            if own.region != partner.region:
                own.north_south.add(partner_id)
                partner.north_south.add(own_id)
            key = (min(own_id, partner_id), max(own_id, partner_id))
            pairs[key] = pairs.get(key, 0) + 1
    return MapData(cities=cities, pairs=pairs)


def geojson(
    data: MapData, report_url, city_url, statuses: dict[str, str] | None = None, language: str = "fr"
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: one Point per placed city, one LineString per partnership.

    ``report_url(url_path)`` and ``city_url(slug)`` turn the stored paths into
    the addresses of the reader's language, as ``language`` names the countries.
    Coordinates are [longitude, latitude].
    """
    features: list[dict[str, Any]] = []
    for city in data.placed():
        features.append(
            {
                "type": "Feature",
                "id": city.slug,
                "geometry": {"type": "Point", "coordinates": city.position},
                "properties": {
                    "kind": "city",
                    "name": city.name,
                    "country": city.country,
                    "country_name": country_name(city.country, language),
                    "region": city.region,
                    "url": city_url(city.slug),
                    "count": city.report_count,
                    "reports": [
                        {"title": title, "url": report_url(path), "status": status}
                        for title, path, status in city.reports
                    ],
                },
            }
        )
    for (a, b), count in sorted(data.pairs.items()):
        first, second = data.cities[a], data.cities[b]
        if not (first.has_coordinates and second.has_coordinates):
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [first.position, second.position],
                },
                "properties": {
                    "kind": "link",
                    "cities": [first.slug, second.slug],
                    "count": count,
                    "north_south": first.region != second.region,
                },
            }
        )
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if statuses is not None:
        collection["statuses"] = statuses
    return collection
