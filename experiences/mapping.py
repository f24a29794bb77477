"""The network map, drawn on the server as SVG: no tile server, no JavaScript.

Projection: equirectangular (plate carrée), x = longitude + 180 and
y = 90 - latitude in a 360 × 180 box, the coordinates of the Natural Earth
world outline in mapdata/land-110m.svgpath (see build_land_path.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .models import City, ExperiencePage

LAND_PATH_FILE = Path(__file__).resolve().parent / "mapdata" / "land-110m.svgpath"
# Antarctica and the high Arctic hold no member city: crop them off.
VIEWBOX = (0.0, 8.0, 360.0, 148.0)


@lru_cache(maxsize=1)
def land_path() -> str:
    return LAND_PATH_FILE.read_text().strip()


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """SVG coordinates of a point."""
    return round(longitude + 180, 2), round(90 - latitude, 2)


@dataclass
class MapPoint:
    city: City
    x: float
    y: float
    experiences: list[ExperiencePage] = field(default_factory=list)

    @property
    def radius(self) -> float:
        # Area grows with the number of reports, kept readable at world scale.
        return round(1.2 + 0.6 * math.sqrt(max(len(self.experiences), 1) - 1), 2)


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
    viewbox: str = " ".join(f"{v:g}" for v in VIEWBOX)

    @property
    def north_south_links(self) -> list[MapLink]:
        return [link for link in self.links if link.crosses_divide]

    @property
    def land(self) -> str:
        return land_path()


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
        if not city.has_coordinates:
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
