"""Build evaluations/reference_data/land.json, the coastline the public map draws.

Source: the npm package ``world-atlas`` 2.0.2 (ISC licence, © Michael Bostock), a TopoJSON
build of Natural Earth's 1:10m "Admin 0 – Countries" (public domain). Run from the
repository root after ``npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz``:

    python scripts/build_land_outline.py package/countries-10m.json

Indonesia's rings are kept whole, the neighbours' rings only where they touch the map's box
(context, drawn lighter). Islands smaller than about 10 km² are dropped and every ring is
simplified (Douglas–Peucker, 0.005°, about 500 m): finer than the map's deepest zoom shows.
Natural Earth has no Indonesian province boundaries and no package on PyPI or npm found
while building this offers them under an open licence, so the map draws the coastline only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

WEST, EAST, NORTH, SOUTH = 93.0, 143.0, 8.0, -13.0
INDONESIA = "360"
NEIGHBOURS = {"458", "626", "096", "598", "608", "702", "036"}
TOLERANCE = 0.005
MIN_AREA = 0.001  # square degrees ≈ 12 km² near the equator
OUT = Path(__file__).resolve().parents[1] / "evaluations" / "reference_data" / "land.json"

Point = tuple[float, float]


def decode_arcs(topo: dict) -> list[list[Point]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[Point]], indices: list[int]) -> list[Point]:
    points: list[Point] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc if not points else arc[1:])
    return points


def simplify_ring(points: list[Point], tol: float) -> list[Point]:
    """A closed ring (first point = last): split at the point farthest from the first."""
    x0, y0 = points[0]
    far = max(range(len(points)), key=lambda i: (points[i][0] - x0) ** 2 + (points[i][1] - y0) ** 2)
    return simplify(points[: far + 1], tol) + simplify(points[far:], tol)[1:]


def simplify(points: list[Point], tol: float) -> list[Point]:
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5 or 1e-12
        best, index = 0.0, -1
        for i in range(a + 1, b):
            x, y = points[i]
            d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm
            if d > best:
                best, index = d, i
        if best > tol:
            keep[index] = True
            stack += [(a, index), (index, b)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def area(points: list[Point]) -> float:
    return (
        abs(
            sum(
                x1 * y2 - x2 * y1
                for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=False)
            )
        )
        / 2
    )


def in_box(points: list[Point]) -> bool:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return max(xs) >= WEST and min(xs) <= EAST and max(ys) >= SOUTH and min(ys) <= NORTH


def main(path: str) -> None:
    topo = json.loads(Path(path).read_text())
    arcs = decode_arcs(topo)
    out: dict[str, list[list[list[float]]]] = {"indonesia": [], "neighbours": []}
    for geometry in topo["objects"]["countries"]["geometries"]:
        gid = geometry.get("id")
        if gid != INDONESIA and gid not in NEIGHBOURS:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            outer = ring(arcs, polygon[0])  # holes (lakes) are not drawn
            if area(outer) < MIN_AREA or not in_box(outer):
                continue
            simple = simplify_ring(outer, TOLERANCE)
            if len(simple) < 4:
                continue
            key = "indonesia" if gid == INDONESIA else "neighbours"
            out[key].append([[round(x, 3), round(y, 3)] for x, y in simple])
    data = {
        "source": "world-atlas 2.0.2 (npm, ISC) from Natural Earth 1:10m Admin 0 (public domain)",
        "tolerance_degrees": TOLERANCE,
        **out,
    }
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    n = sum(len(r) for k in ("indonesia", "neighbours") for r in out[k])
    print(f"{OUT}: {len(out['indonesia'])} + {len(out['neighbours'])} rings, {n} points")


if __name__ == "__main__":
    main(sys.argv[1])
