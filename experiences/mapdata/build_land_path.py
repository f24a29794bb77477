"""Regenerate land-110m.svgpath, the world outline drawn under the experiences map.

Source: Natural Earth 1:110m land polygons (public domain,
https://www.naturalearthdata.com/), as TopoJSON in the npm package
world-atlas 2.0.2 (ISC). Run once by hand, not at request time:

    npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
    python experiences/mapdata/build_land_path.py package/land-110m.json

The output is an SVG path in an equirectangular projection whose viewBox is
"0 0 360 180" (x = longitude + 180, y = 90 - latitude), so the site draws the
map server-side with no tile server and no JavaScript.
"""

import json
import sys
from pathlib import Path


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    scale = topology["transform"]["scale"]
    translate = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def to_path(topology: dict) -> str:
    arcs = decode_arcs(topology)
    parts = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                previous = None
                coords = []
                for lon, lat in ring_points(ring, arcs):
                    point = (round(lon + 180, 1), round(90 - lat, 1))
                    if point != previous:
                        coords.append(point)
                        previous = point
                if len(coords) < 3:
                    continue
                parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in coords) + "Z")
    return "".join(parts)


if __name__ == "__main__":
    source = Path(sys.argv[1])
    target = Path(__file__).with_name("land-110m.svgpath")
    target.write_text(to_path(json.loads(source.read_text())) + "\n")
    print(f"{target}: {target.stat().st_size} bytes")
