"""Exports of a graph for researchers: GraphML, GEXF (Gephi), node-link JSON, neo4j-admin CSV.

Every format keeps every node, relationship and source. Formats whose attributes must be
scalars (GraphML, GEXF, CSV) carry aliases, properties and sources as JSON strings, and
scalar properties also as plain attributes so that Gephi can size and colour by them.
Node-link JSON is lossless and is what ``lienket import`` reads back.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import networkx as nx

from graph.model import Graph, Node, Relationship

FORMATS = ("graphml", "gexf", "json", "csv")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _scalars(properties: dict[str, Any]) -> dict[str, Any]:
    return {f"p_{k}": v for k, v in properties.items() if isinstance(v, (str, int, float, bool))}


def to_networkx(graph: Graph, flat: bool) -> nx.MultiDiGraph:
    """The graph as networkx; ``flat`` stringifies nested values for GraphML and GEXF."""
    g = nx.MultiDiGraph()
    for node in graph.nodes:
        if flat:
            attrs = {"kind": node.kind, "label": node.name, "name": node.name, "aliases": _json(node.aliases),
                     "properties": _json(node.properties),
                     "sources": _json([s.model_dump() for s in node.sources]), **_scalars(node.properties)}
        else:
            attrs = node.model_dump(mode="json", exclude={"id"})
        g.add_node(node.id, **attrs)
    for rel in graph.relationships:
        if flat:
            attrs = {"type": rel.type, "label": rel.type, "properties": _json(rel.properties),
                     "sources": _json([s.model_dump() for s in rel.sources]), **_scalars(rel.properties)}
        else:
            attrs = rel.model_dump(mode="json", exclude={"id", "start", "end"})
        g.add_edge(rel.start, rel.end, key=rel.id, **attrs)
    return g


def _homogenise(g: nx.MultiDiGraph) -> None:
    """GraphML and GEXF need one type per attribute name: an attribute whose values differ in
    type becomes text everywhere. Absent attributes stay absent (a blank 0.0 would be a value)."""
    for items in (list(g.nodes(data=True)), [(k, d) for _, _, k, d in g.edges(keys=True, data=True)]):
        types: dict[str, type] = {}
        for _, data in items:
            for key, value in data.items():
                types[key] = str if types.get(key, type(value)) is not type(value) else type(value)
        for _, data in items:
            for key, value in data.items():
                if types[key] is str and not isinstance(value, str):
                    data[key] = str(value)


def _gexf_edges(g: nx.MultiDiGraph) -> None:
    """GEXF reserves an edge's ``type`` for its direction and numbers edges itself: carry the
    relationship type as ``rel_type`` and use the relationship id as the edge id."""
    for _, _, key, data in g.edges(keys=True, data=True):
        data["rel_type"] = data.pop("type")
        data["id"] = key


def write(graph: Graph, fmt: str, target: Path) -> list[Path]:
    """Write the graph in a format; returns the files written (CSV writes two into a folder).

    Missing parent folders are created."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        data = nx.node_link_data(to_networkx(graph, flat=False), edges="links")
        target.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        return [target]
    if fmt in ("graphml", "gexf"):
        g = to_networkx(graph, flat=True)
        _homogenise(g)
        if fmt == "gexf":
            _gexf_edges(g)
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(g, target, encoding="utf-8")
        return [target]
    if fmt == "csv":
        target.mkdir(parents=True, exist_ok=True)
        nodes_path, rels_path = target / "nodes.csv", target / "relationships.csv"
        nodes_path.write_text(_nodes_csv(graph.nodes), encoding="utf-8")
        rels_path.write_text(_rels_csv(graph.relationships), encoding="utf-8")
        return [nodes_path, rels_path]
    raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")


def _nodes_csv(nodes: list[Node]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id:ID", ":LABEL", "name", "aliases:string[]", "properties", "sources"])
    for n in nodes:
        writer.writerow([n.id, n.kind, n.name, ";".join(a.replace(";", ",") for a in n.aliases),
                         _json(n.properties), _json([s.model_dump() for s in n.sources])])
    return out.getvalue()


def _rels_csv(rels: list[Relationship]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([":START_ID", ":END_ID", ":TYPE", "id", "properties", "sources"])
    for r in rels:
        writer.writerow([r.start, r.end, r.type, r.id, _json(r.properties),
                         _json([s.model_dump() for s in r.sources])])
    return out.getvalue()


def read_node_link(path: Path) -> Graph:
    """Read a node-link JSON export back into a Graph (the inverse of ``write(..., 'json')``)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    try:
        nodes = [Node(id=n["id"], **{k: v for k, v in n.items() if k != "id"}) for n in data["nodes"]]
        rels = [Relationship(id=e["key"], start=e["source"], end=e["target"],
                             **{k: v for k, v in e.items() if k not in ("key", "source", "target")})
                for e in data["links"]]
    except (KeyError, TypeError, AttributeError) as exc:  # JSON, but not shaped like our export
        raise ValueError(f"not a node-link graph export: missing or misshapen {exc}") from exc
    return Graph(nodes=nodes, relationships=rels)
