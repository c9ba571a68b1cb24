"""Positions for a picture, computed in Python so the browser never has to simulate.

Localities that carry coordinates are placed like a map of Vietnam (x from longitude,
y from minus latitude). Everything else is placed around what it is linked to: a
breadth-first walk from the placed nodes puts each new node on a ring around the node
that reached it. That walk costs O(nodes + links), so a 5,000-node picture is laid out
at once; small pictures without coordinates use networkx's spring layout instead.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Iterable

import networkx as nx

from graph.model import Node

Position = tuple[float, float]

PIXELS_PER_DEGREE = 160.0  # Vietnam spans ~15 degrees of latitude: about 2,400 px tall
RING_RADIUS = 70.0  # distance from a node to the first ring of what it reached
SPRING_LIMIT = 150  # above this many nodes, spring_layout (O(n^2) per step without scipy) is too slow
SPRING_SCALE = 60.0  # spring_layout returns [-1, 1]; pixels per unit per sqrt(node)
COMPONENT_GAP = 400.0  # horizontal gap between components that have no anchor
FAN_DISTANCE = 40.0  # places closer than this (about 25 km) are spread apart on a map


def geo_position(node: Node) -> Position | None:
    """Canvas position of a node with ``latitude``/``longitude`` properties, else None."""
    try:
        lat, lon = float(node.properties["latitude"]), float(node.properties["longitude"])
    except (KeyError, TypeError, ValueError):  # absent, None, or text that is not a number
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    return (lon * PIXELS_PER_DEGREE, -lat * PIXELS_PER_DEGREE)


def layout(nodes: list[Node], edges: Iterable[tuple[str, str]], centre: bool = True) -> dict[str, Position]:
    """A position for every node: coordinates where known, rings around neighbours elsewhere.

    Returns a dict from node id to (x, y) in canvas pixels, centred on the origin unless
    ``centre`` is false (a map keeps the plain projection, so borders line up with it);
    distances between localities keep their proportions (PIXELS_PER_DEGREE).
    """
    anchors = {node.id: pos for node in nodes if (pos := geo_position(node)) is not None}
    ids = [node.id for node in nodes]
    known = set(ids)
    pairs = [(a, b) for a, b in edges if a in known and b in known and a != b]
    if not anchors and len(ids) <= SPRING_LIMIT:
        return _spring(ids, pairs)
    placed = _rings(ids, pairs, anchors)
    return _centred(placed) if centre else placed


def fan_out(positions: dict[str, Position], ids: list[str]) -> dict[str, Position]:
    """The same positions with units that sit on (nearly) one spot spread on a circle around it.

    The districts of one city share a few kilometres: on a map of the country they would be
    drawn on top of each other. Units closer than FAN_DISTANCE are grouped (transitively) and
    placed evenly on a circle around their centre, in a stable order, so each stays readable.
    """
    groups = _close_groups(positions, ids)
    spread = dict(positions)
    for group in groups:
        cx = sum(positions[i][0] for i in group) / len(group)
        cy = sum(positions[i][1] for i in group) / len(group)
        radius = FAN_DISTANCE * max(1.0, len(group) / 3)
        for k, node in enumerate(sorted(group)):
            angle = -math.pi / 2 + 2 * math.pi * k / len(group)
            spread[node] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    return spread


def _close_groups(positions: dict[str, Position], ids: list[str]) -> list[list[str]]:
    """Groups (of two or more) of ids linked by distances under FAN_DISTANCE, via a grid of that size."""
    parent = {i: i for i in ids}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    cells: dict[tuple[int, int], list[str]] = defaultdict(list)
    for i in ids:
        x, y = positions[i]
        cells[(int(x // FAN_DISTANCE), int(y // FAN_DISTANCE))].append(i)
    for (cx, cy), members in cells.items():
        near = [j for dx in (-1, 0, 1) for dy in (-1, 0, 1) for j in cells.get((cx + dx, cy + dy), [])]
        for i in members:
            for j in near:
                if i < j and math.dist(positions[i], positions[j]) < FAN_DISTANCE:
                    parent[root(i)] = root(j)
    groups: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        groups[root(i)].append(i)
    return [g for g in groups.values() if len(g) > 1]


def _centred(positions: dict[str, Position]) -> dict[str, Position]:
    """The same picture moved so its middle is the origin (vis.js fits the view around the origin first)."""
    if not positions:
        return positions
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    mx, my = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {key: (x - mx, y - my) for key, (x, y) in positions.items()}


def _spring(ids: list[str], pairs: list[tuple[str, str]]) -> dict[str, Position]:
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    graph.add_edges_from(pairs)
    scale = SPRING_SCALE * math.sqrt(max(len(ids), 4))
    raw = nx.spring_layout(graph, seed=7, iterations=60)
    return {node: (float(x) * scale, float(y) * scale) for node, (x, y) in raw.items()}


def _rings(ids: list[str], pairs: list[tuple[str, str]], anchors: dict[str, Position]) -> dict[str, Position]:
    neighbours: dict[str, list[str]] = defaultdict(list)
    for a, b in pairs:
        neighbours[a].append(b)
        neighbours[b].append(a)
    placed = dict(anchors)
    _grow(placed, deque(anchors), neighbours)
    # Components with no anchor: start each from its best-connected node, side by side.
    right = max((x for x, _ in placed.values()), default=0.0)
    for start in sorted((i for i in ids if i not in placed), key=lambda i: (-len(neighbours[i]), i)):
        if start in placed:
            continue
        right += COMPONENT_GAP
        placed[start] = (right, 0.0)
        before = len(placed)
        _grow(placed, deque([start]), neighbours)
        right += RING_RADIUS * math.sqrt(len(placed) - before + 1)
    return placed


def _grow(placed: dict[str, Position], queue: deque[str], neighbours: dict[str, list[str]]) -> None:
    """Breadth-first: each node puts its unplaced neighbours evenly on a ring around itself."""
    while queue:
        centre = queue.popleft()
        fresh = sorted({n for n in neighbours[centre] if n not in placed})
        if not fresh:
            continue
        cx, cy = placed[centre]
        radius = RING_RADIUS * max(1.0, math.sqrt(len(fresh) / 6))
        turn = _stable_angle(centre)
        for k, node in enumerate(fresh):
            angle = turn + 2 * math.pi * k / len(fresh)
            placed[node] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
            queue.append(node)


def _stable_angle(node_id: str) -> float:
    """A stable angle per node, so neighbouring rings do not all start at the same side."""
    return (sum(node_id.encode("utf-8")) % 360) * math.pi / 180
