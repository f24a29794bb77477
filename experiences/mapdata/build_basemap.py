"""Regenerate the basemap of the interactive maps: country outlines as GeoJSON.

Source: Natural Earth 1:110m admin-0 countries (public domain,
https://www.naturalearthdata.com/), as TopoJSON in the npm package
world-atlas 2.0.2 (ISC), the same data as land-110m.svgpath. Run once by hand,
not at request time:

    npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
    python experiences/mapdata/build_basemap.py package/countries-110m.json

The output, experiences/static/experiences/basemap/countries-110m.geo.json, is
drawn by Leaflet as a GeoJSON layer: the site needs no tile server. It is a
static file, so in production it is served under a hashed name with a year-long
max-age (whitenoise's CompressedManifestStaticFilesStorage), gzip/brotli compressed.

Antarctica is left out (no member city, and Web Mercator cannot draw the pole);
coordinates are rounded to 0.01° (about 1 km, finer than the 1:110m data).
"""

import json
import sys
from pathlib import Path

from build_land_path import decode_arcs, ring_points

TARGET = Path(__file__).resolve().parents[1] / "static" / "experiences" / "basemap" / "countries-110m.geo.json"
LEFT_OUT = {"010"}  # ISO 3166-1 numeric: Antarctica


def ring(points: list[tuple[float, float]]) -> list[list[float]]:
    """A closed ring, unwrapped at the antimeridian: a polygon that crosses it (Fiji,
    Chukotka) keeps going past ±180° instead of drawing a line across the whole world."""
    coords: list[list[float]] = []
    shift = 0.0
    previous = None
    for lon, lat in points:
        if previous is not None and abs(lon - previous) > 180:
            shift += 360 if previous > lon else -360
        previous = lon
        point = [round(lon + shift, 2), round(lat, 2)]
        if not coords or point != coords[-1]:
            coords.append(point)
    if coords and coords[0] != coords[-1]:
        coords.append(coords[0])
    return coords


def to_geojson(topology: dict) -> dict:
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") in LEFT_OUT or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        shapes = []
        for polygon in polygons:
            rings = [ring(ring_points(r, arcs)) for r in polygon]
            rings = [r for r in rings if len(r) >= 4]
            if rings:
                shapes.append(rings)
        if shapes:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": geometry.get("properties", {}).get("name", "")},
                    "geometry": {"type": "MultiPolygon", "coordinates": shapes},
                }
            )
    return {"type": "FeatureCollection", "features": features}


if __name__ == "__main__":
    source = Path(sys.argv[1])
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(json.dumps(to_geojson(json.loads(source.read_text())), separators=(",", ":")) + "\n")
    print(f"{TARGET}: {TARGET.stat().st_size} bytes")
