"""The pictures users ask for, chosen from the store: twinning map, a programme's
agreements, an entity's neighbourhood, the whole graph or a filtered part.

Everything goes through the ``GraphStore`` interface, so every backend draws alike.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from graph.model import Graph, Node, Relationship
from graph.store import GraphFilter, GraphStore
from visualize.render import Link, Picture, links_of, picture_of, styles

TWINNING_TITLE = "Bản đồ kết nghĩa giữa các quận, huyện"
PROGRAMME_KINDS = ["Agreement", "Locality", "Organization", "Sector"]
PROGRAMME_LINKS = {"PARTY", "COVERS", "OF"}


def _by_type(graph: Graph, rel_type: str) -> list[Relationship]:
    return [r for r in graph.relationships if r.type == rel_type]


def _places_of_parties(graph: Graph, nodes: dict[str, Node]) -> dict[str, list[Node]]:
    """For each agreement: the localities of its parties (a locality itself, or the one its body serves)."""
    served = {r.start: r.end for r in _by_type(graph, "OF")}
    places: dict[str, list[Node]] = defaultdict(list)
    for rel in _by_type(graph, "PARTY"):
        party = nodes.get(rel.end)
        if party is None:
            continue
        place = party if party.kind == "Locality" else nodes.get(served.get(party.id, ""))
        if place is not None and place not in places[rel.start]:
            places[rel.start].append(place)
    return places


def twinning(store: GraphStore, period: str = "before", level: str | None = None) -> Picture:
    """Districts (and provinces) joined by agreements that have a district-level party, placed on a map.

    Each agreement becomes a line between every two of its parties' localities: TWINNING when
    both are of the twinning level (``level``: district by default, or commune), COOPERATION
    otherwise; each unit is linked to the province it is part of. With ``period="after"`` that
    province is the one it belongs to since 1 July 2025 (SUCCEEDED_BY), where the store knows it,
    and the borders drawn are the 34 provinces'. A unit without coordinates is placed beside
    what it is linked to.
    """
    graph = store.subgraph(GraphFilter(kinds=["Agreement", "Locality", "Organization"]))
    nodes = {node.id: node for node in graph.nodes}
    twinning_levels = {level} if level else set(styles()["twinning_levels"])
    shown: dict[str, Node] = {}
    links: list[Link] = []
    for agreement_id, places in _places_of_parties(graph, nodes).items():
        if len(places) < 2 or not any(p.properties.get("level") in twinning_levels for p in places):
            continue
        agreement = nodes[agreement_id]
        facts = {**agreement.properties, "agreement": agreement.name}
        for a, b in combinations(places, 2):
            both = {a.properties.get("level"), b.properties.get("level")} <= twinning_levels
            links.append(Link(a.id, b.id, "TWINNING" if both else "COOPERATION", facts, tuple(agreement.sources)))
            shown.update({a.id: a, b.id: b})
    successor = {r.start: r.end for r in _by_type(graph, "SUCCEEDED_BY") if r.end in nodes} if period == "after" else {}
    for rel in _by_type(graph, "PART_OF"):
        parent = successor.get(rel.end, rel.end)
        if rel.start in shown and parent in nodes and parent != rel.start:
            shown[parent] = _placed_like(nodes[parent], nodes[rel.end])
            links.append(Link(rel.start, parent, rel.type, dict(rel.properties), tuple(rel.sources)))
    return Picture(title=TWINNING_TITLE, nodes=list(shown.values()), links=links, geographic=True, period=period)


def _placed_like(unit: Node, former: Node) -> Node:
    """A 2025 province without coordinates takes those of the former province that kept its code."""
    if "latitude" in unit.properties or unit.properties.get("code") != former.properties.get("code"):
        return unit
    where = {key: former.properties[key] for key in ("latitude", "longitude") if key in former.properties}
    return unit.model_copy(update={"properties": {**unit.properties, **where}})


def resolve_locality(store: GraphStore, name: str) -> Node:
    """The locality a name means (best search hit). LookupError when nothing matches."""
    hits = store.search(name, kinds=["Locality"], limit=1)
    node = store.node(hits[0].id) if hits else None
    if node is None:
        raise LookupError(f"no locality matches {name!r}")
    return node


def agreements(store: GraphStore, locality: str) -> Picture:
    """A locality's cooperation programme: its agreements, their parties and sectors.

    LookupError when no locality matches the name.
    """
    home = resolve_locality(store, locality)
    chosen = store.subgraph(GraphFilter(locality=locality, kinds=["Agreement"]))
    nodes: dict[str, Node] = {home.id: home}
    rels: dict[str, Relationship] = {}
    for agreement in chosen.nodes:
        around = store.neighbourhood(agreement.id, depth=1)
        _keep(around, nodes, rels)
        for party in around.nodes:
            if party.kind == "Organization":
                _keep(store.neighbourhood(party.id, depth=1), nodes, rels, kinds=["Locality"])
    graph = Graph(nodes=list(nodes.values()), relationships=list(rels.values()))
    return picture_of(graph, f"Chương trình hợp tác của {home.name}", focus=home.id)


def _keep(graph: Graph, nodes: dict[str, Node], rels: dict[str, Relationship],
          kinds: list[str] = PROGRAMME_KINDS) -> None:
    """Add a neighbourhood's nodes of these kinds, and its programme links between kept nodes."""
    for node in graph.nodes:
        if node.kind in kinds:
            nodes.setdefault(node.id, node)
    for rel in graph.relationships:
        if rel.type in PROGRAMME_LINKS and rel.start in nodes and rel.end in nodes:
            rels.setdefault(rel.id, rel)


def neighbourhood(store: GraphStore, node_id: str, depth: int = 1) -> Picture:
    """Everything within ``depth`` hops of a node. LookupError when the id is unknown."""
    centre = store.node(node_id)
    if centre is None:
        raise LookupError(f"no entity with id {node_id!r}")
    graph = store.neighbourhood(node_id, depth=depth)
    return picture_of(graph, f"Quan hệ của {centre.name} (bán kính {depth})", focus=node_id)


def whole(store: GraphStore, graph_filter: GraphFilter | None = None) -> Picture:
    """The whole graph, or the part a filter selects."""
    chosen = graph_filter or GraphFilter()
    graph = store.subgraph(chosen)
    parts = [f"{label} {value}" for label, value in (
        ("loại", ", ".join(styles()["nodes"][kind]["label"] for kind in chosen.kinds)),
        ("lĩnh vực", chosen.sector), ("năm", chosen.year),
        ("địa phương", chosen.locality)) if value]
    title = "Đồ thị hợp tác" + (f" ({'; '.join(parts)})" if parts else "")
    return Picture(title=title, nodes=graph.nodes, links=links_of(graph))
