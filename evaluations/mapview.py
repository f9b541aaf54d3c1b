"""Geometry of the public map: views (zoom and pan), marker layout, the coastline.

Plain data only: ``templates/public/includes/map.html`` draws the SVG.

- A **view** is a zoom level and a centre on a grid (``z``, ``x``, ``y`` in the URL, so every
  view is a link a keyboard, a screen reader and a reader without JavaScript can follow, and a
  finite set of pages the cache can hold).
- **Markers never overlap.** Every marker is a link with a round hit area of ``HIT_RADIUS``
  units, which is at least 24 CSS pixels on a 390 px phone (the map is then about 364 px wide
  for 920 units). Markers closer than two radii are grouped into a cluster that links to the
  next zoom level around it; at the deepest level they are spread on a circle around their
  centre with a line to their true position. Before this, markers overlapped and a click on
  one opened whichever was drawn on top.
- **The coastline** comes from Natural Earth through the npm package ``world-atlas``
  (``scripts/build_land_outline.py`` made ``reference_data/land.json``), simplified for each
  zoom level so that the home page stays light.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from django.http import QueryDict

WIDTH, HEIGHT = 920, 340
# Centre of the whole archipelago, and its box (Sabang to Merauke).
CENTRE_LON, CENTRE_LAT = 118.0, -2.5
WEST, EAST, NORTH, SOUTH = 95.0, 141.0, 6.0, -11.0
# Degrees of longitude the map shows at each zoom level.
ZOOM_WIDTHS = (46.0, 18.0, 7.0, 2.8, 1.1)
MAX_ZOOM = len(ZOOM_WIDTHS) - 1
# A view's centre moves in steps of 1/GRID of its width or height.
GRID = 8
HIT_RADIUS = 32.0  # units: 64 units ≥ 24 px at 364 px for 920 units
MARKER_RADIUS = 11.0
LAND_FILE = Path(__file__).resolve().parent / "reference_data" / "land.json"


@dataclass(frozen=True)
class View:
    """What the map shows: zoom level ``z`` and a centre ``(x, y)`` in grid steps."""

    z: int = 0
    x: int = 0
    y: int = 0

    @property
    def width_deg(self) -> float:
        return ZOOM_WIDTHS[self.z]

    @property
    def height_deg(self) -> float:
        return self.width_deg * HEIGHT / WIDTH

    @property
    def centre(self) -> tuple[float, float]:
        """(longitude, latitude) of the centre."""
        return (
            CENTRE_LON + self.x * self.width_deg / GRID,
            CENTRE_LAT + self.y * self.height_deg / GRID,
        )

    @property
    def west(self) -> float:
        return self.centre[0] - self.width_deg / 2

    @property
    def north(self) -> float:
        return self.centre[1] + self.height_deg / 2

    def project(self, latitude: float, longitude: float) -> tuple[float, float]:
        """Equirectangular projection onto the SVG (x right, y down)."""
        return (
            (longitude - self.west) / self.width_deg * WIDTH,
            (self.north - latitude) / self.height_deg * HEIGHT,
        )

    @staticmethod
    def around(z: int, longitude: float, latitude: float) -> View:
        """The view at level ``z`` whose centre is nearest to a point."""
        z = max(0, min(MAX_ZOOM, z))
        if z == 0:
            return View()
        probe = View(z, 0, 0)
        return View(
            z,
            round((longitude - CENTRE_LON) / (probe.width_deg / GRID)),
            round((latitude - CENTRE_LAT) / (probe.height_deg / GRID)),
        ).clamped()

    def clamped(self) -> View:
        """This view with its centre kept over the archipelago's box."""
        if self.z <= 0:
            return View()
        z = min(self.z, MAX_ZOOM)
        sx, sy = ZOOM_WIDTHS[z] / GRID, ZOOM_WIDTHS[z] * HEIGHT / WIDTH / GRID
        lo_x, hi_x = math.ceil((WEST - CENTRE_LON) / sx), math.floor((EAST - CENTRE_LON) / sx)
        lo_y, hi_y = math.ceil((SOUTH - CENTRE_LAT) / sy), math.floor((NORTH - CENTRE_LAT) / sy)
        return View(z, max(lo_x, min(hi_x, self.x)), max(lo_y, min(hi_y, self.y)))

    def zoomed_in(self) -> View | None:
        if self.z >= MAX_ZOOM:
            return None
        lon, lat = self.centre
        return View.around(self.z + 1, lon, lat)

    def zoomed_out(self) -> View | None:
        if self.z <= 0:
            return None
        lon, lat = self.centre
        return View.around(self.z - 1, lon, lat)

    def panned(self, dx: int, dy: int) -> View | None:
        """Half a screen east (dx=1), west, north (dy=1) or south; None at the edge."""
        if self.z == 0:
            return None
        moved = View(self.z, self.x + GRID // 2 * dx, self.y + GRID // 2 * dy).clamped()
        return moved if moved != self else None

    def query(self) -> dict[str, str]:
        return {} if self.z == 0 else {"z": str(self.z), "x": str(self.x), "y": str(self.y)}


def parse_view(params: QueryDict) -> View:
    """The view a URL asks for (missing or malformed parts fall back to the whole map)."""
    try:
        z, x, y = (int(params.get(k, "0")) for k in ("z", "x", "y"))
    except ValueError:
        return View()
    return View(z, x, y).clamped()


@dataclass(frozen=True)
class Place:
    """A region to put on the map, with what its marker says and where it links."""

    slug: str
    name: str
    label: str
    url: str
    latitude: float
    longitude: float
    band_class: str
    band_shape: int


@dataclass
class Marker:
    """A region's marker: drawn at (x, y); (ax, ay) is its true position when spread."""

    place: Place
    x: float
    y: float
    ax: float
    ay: float

    @property
    def spread(self) -> bool:
        return (self.x, self.y) != (self.ax, self.ay)

    @property
    def transform(self) -> str:
        """The SVG ``transform`` that puts the marker's shape (drawn at 0,0) in place."""
        return f"translate({self.x:.1f} {self.y:.1f})"

    @property
    def coords(self) -> dict[str, str]:
        """Drawn and true position, as SVG numbers (never localised: "12.5", not "12,5")."""
        return {k: f"{getattr(self, k):.1f}" for k in ("x", "y", "ax", "ay")}


@dataclass
class Cluster:
    """Regions too close to tell apart at this zoom: one marker that zooms in on them."""

    places: list[Place] = field(default_factory=list)
    x: float = 0.0
    y: float = 0.0
    view: View | None = None

    sx: float = 0.0  # the first member's position
    sy: float = 0.0

    def add(self, place: Place, x: float, y: float) -> None:
        n = len(self.places)
        if not n:
            self.sx, self.sy = x, y
        self.x = (self.x * n + x) / (n + 1)
        self.y = (self.y * n + y) / (n + 1)
        self.places.append(place)

    @property
    def count(self) -> int:
        return len(self.places)

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.places]


@dataclass
class Layout:
    markers: list[Marker]
    clusters: list[Cluster]
    outside: int  # places beyond the edges of this view


def _inside(x: float, y: float, margin: float) -> tuple[float, float]:
    """(x, y) pulled inside the map by ``margin`` (a whole target stays on screen)."""
    return (
        max(margin, min(WIDTH - margin, x)),
        max(margin, min(HEIGHT - margin, y)),
    )


def _group(view: View, places: list[Place]) -> tuple[list[Cluster], int]:
    """Places in view grouped so that no two groups' hit areas overlap.

    Positions within a hit radius of an edge are pulled inwards first, so that every target
    is whole on screen (a line then joins the marker to its true place).
    """
    groups: list[Cluster] = []
    outside = 0
    for place in sorted(places, key=lambda p: (-p.latitude, p.longitude, p.slug)):
        x, y = view.project(place.latitude, place.longitude)
        if not (0 <= x <= WIDTH and 0 <= y <= HEIGHT):
            outside += 1
            continue
        x, y = _inside(x, y, HIT_RADIUS)
        # Measured from each group's first member, so that a group cannot creep across a
        # whole island by chaining neighbours.
        near = min(groups, key=lambda g: math.hypot(g.sx - x, g.sy - y), default=None)
        if near is not None and math.hypot(near.sx - x, near.sy - y) < 2 * HIT_RADIUS:
            near.add(place, x, y)
        else:
            group = Cluster()
            group.add(place, x, y)
            groups.append(group)
    merged = True
    while merged:  # a moved centroid can come close to another group
        merged = False
        for i, a in enumerate(groups):
            for b in groups[i + 1 :]:
                if math.hypot(a.x - b.x, a.y - b.y) < 2 * _reach(view, a, b):
                    for place in b.places:
                        x, y = view.project(place.latitude, place.longitude)
                        a.add(place, *_inside(x, y, HIT_RADIUS))
                    groups.remove(b)
                    merged = True
                    break
            if merged:
                break
    return groups, outside


def _spread_radius(n: int) -> float:
    """Radius of the circle on which ``n`` markers sit two hit radii apart."""
    return 0.0 if n < 2 else HIT_RADIUS / math.sin(math.pi / n)


def _reach(view: View, a: Cluster, b: Cluster) -> float:
    """Half the distance two groups' centres must keep (their spread circles at max zoom)."""
    if view.z < MAX_ZOOM:
        return HIT_RADIUS
    return HIT_RADIUS + (_spread_radius(a.count) + _spread_radius(b.count)) / 2


def _closer_view(view: View, group: Cluster) -> View:
    """The deepest view that still shows all of ``group`` (at least one level deeper)."""
    lons = [p.longitude for p in group.places]
    lats = [p.latitude for p in group.places]
    lon, lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    for z in range(MAX_ZOOM, view.z + 1, -1):
        candidate = View.around(z, lon, lat)
        if all(
            HIT_RADIUS <= x <= WIDTH - HIT_RADIUS and HIT_RADIUS <= y <= HEIGHT - HIT_RADIUS
            for x, y in (candidate.project(p.latitude, p.longitude) for p in group.places)
        ):
            return candidate
    return View.around(view.z + 1, lon, lat)


def layout(view: View, places: list[Place]) -> Layout:
    """Markers and clusters of ``places`` in ``view``; no two hit areas overlap."""
    groups, outside = _group(view, places)
    markers: list[Marker] = []
    clusters: list[Cluster] = []
    for group in groups:
        if group.count == 1:
            place = group.places[0]
            ax, ay = view.project(place.latitude, place.longitude)
            markers.append(Marker(place, group.x, group.y, ax, ay))
        elif view.z < MAX_ZOOM:
            group.view = _closer_view(view, group)
            clusters.append(group)
        else:
            radius = _spread_radius(group.count)
            cx, cy = _inside(group.x, group.y, HIT_RADIUS + radius)
            for k, place in enumerate(group.places):
                angle = -math.pi / 2 + 2 * math.pi * k / group.count
                ax, ay = view.project(place.latitude, place.longitude)
                markers.append(
                    Marker(
                        place,
                        cx + radius * math.cos(angle),
                        cy + radius * math.sin(angle),
                        ax,
                        ay,
                    )
                )
    _relax([*markers, *clusters])
    return Layout(markers=markers, clusters=clusters, outside=outside)


def _relax(targets: list[Marker | Cluster], rounds: int = 60) -> None:
    """Push apart targets still closer than two hit radii (a spread group pulled in from an
    edge can land next to another marker); markers keep their line to their true place."""
    for _ in range(rounds):
        moved = False
        for i, a in enumerate(targets):
            for b in targets[i + 1 :]:
                dx, dy = b.x - a.x, b.y - a.y
                d = math.hypot(dx, dy)
                if d >= 2 * HIT_RADIUS:
                    continue
                if d < 1e-9:
                    dx, dy, d = 1.0, 0.0, 1.0
                push = (2 * HIT_RADIUS - d) / 2 + 0.01
                a.x, a.y = _inside(a.x - dx / d * push, a.y - dy / d * push, HIT_RADIUS)
                b.x, b.y = _inside(b.x + dx / d * push, b.y + dy / d * push, HIT_RADIUS)
                moved = True
        if not moved:
            return


# --- Coastline ------------------------------------------------------------------------------


@cache
def _land() -> dict[str, list[list[list[float]]]]:
    return json.loads(LAND_FILE.read_text(encoding="utf-8"))


def _simplify(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Radial-distance simplification: drop points closer than ``tol`` to the last kept."""
    kept = [points[0]]
    for p in points[1:]:
        if abs(p[0] - kept[-1][0]) + abs(p[1] - kept[-1][1]) >= tol:
            kept.append(p)
    return kept


@lru_cache(maxsize=512)
def land_paths(view: View) -> tuple[str, str]:
    """SVG path data of Indonesia's and its neighbours' coasts in ``view`` (cached per view).

    Rings under three units across are left out, points closer than 1.5 units merged, and
    points beyond the edges pulled onto a frame just outside them (the filled shape inside
    the map is unchanged), in whole units: the whole archipelago is about 30 KB of path data.
    """
    unit = view.width_deg / WIDTH
    east, south = view.west + view.width_deg, view.north - view.height_deg
    pad = 4
    out = []
    for key in ("indonesia", "neighbours"):
        parts = []
        for ring in _land()[key]:
            xs = [p[0] for p in ring]
            ys = [p[1] for p in ring]
            if max(xs) < view.west or min(xs) > east or max(ys) < south or min(ys) > view.north:
                continue
            if (max(xs) - min(xs)) + (max(ys) - min(ys)) < 3 * unit:
                continue
            coords: list[tuple[int, int]] = []
            tolerance = (1.5 if key == "indonesia" else 3) * unit  # neighbours: context only
            for lon, lat in _simplify([(p[0], p[1]) for p in ring], tolerance):
                x, y = view.project(lat, lon)
                point = (
                    round(max(-pad, min(WIDTH + pad, x))),
                    round(max(-pad, min(HEIGHT + pad, y))),
                )
                if not coords or coords[-1] != point:
                    coords.append(point)
            if (
                len(coords) < 3
                or len({c[0] for c in coords}) < 2
                or len({c[1] for c in coords}) < 2
            ):
                continue
            parts.append("M" + "L".join(f"{x} {y}" for x, y in coords) + "Z")
        out.append("".join(parts))
    return out[0], out[1]
