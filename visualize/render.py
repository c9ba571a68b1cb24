"""Turn a part of the graph into a standalone, offline HTML page drawn by vis.js (via pyvis).

Colours, shapes, dashes and Vietnamese words come from ``styles.yaml``. Document text is
untrusted: tooltips are HTML built here with every document string escaped; labels are
drawn on the canvas as plain text; the data reaches the page through Jinja's ``tojson``,
which escapes ``<``, ``>`` and ``&`` so no name can close the script block.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyvis
import yaml
from jinja2 import Environment, FileSystemLoader
from pyvis.edge import Edge
from pyvis.network import Network

from graph.model import Graph, Node, Source
from visualize.layout import geo_position, layout

HERE = Path(__file__).parent
VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
PHYSICS_NODE_LIMIT = 300  # above this, vis.js physics takes minutes (pyvis issue #204): positions are final
EDGE_LABEL_LIMIT = 30  # more edge labels than this clutter the picture
LABEL_CHARS = 48
QUOTE_CHARS = 240
SOURCES_SHOWN = 3


@lru_cache(maxsize=1)
def styles() -> dict[str, Any]:
    """The picture styles table (styles.yaml)."""
    return yaml.safe_load((HERE / "styles.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Link:
    """A line in a picture: a relationship of the graph, or one a picture derives (TWINNING)."""

    start: str
    end: str
    type: str
    facts: dict[str, Any] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()


@dataclass
class Picture:
    """What a page shows: nodes, links, a title; ``geographic`` pictures are maps (physics off)."""

    title: str
    nodes: list[Node]
    links: list[Link]
    geographic: bool = False
    focus: str | None = None


def links_of(graph: Graph) -> list[Link]:
    """The graph's relationships as picture links."""
    return [Link(r.start, r.end, r.type, dict(r.properties), tuple(r.sources)) for r in graph.relationships]


def picture_of(graph: Graph, title: str, focus: str | None = None) -> Picture:
    """A picture of a graph (a neighbourhood, a subgraph) as it is stored."""
    return Picture(title=title, nodes=graph.nodes, links=links_of(graph), focus=focus)


def physics_enabled(picture: Picture) -> bool:
    """Physics only polishes small non-map pictures; big ones keep the Python layout."""
    return not picture.geographic and len(picture.nodes) <= PHYSICS_NODE_LIMIT


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def labelled_facts(values: dict[str, Any]) -> list[tuple[str, str]]:
    """(Vietnamese label, text) of the properties the styles table names, in its order."""
    names, words = styles()["properties"], styles()["values"]
    facts = []
    for key, label in names.items():
        value = values.get(key)
        if value not in (None, "", [], ()):
            facts.append((label, words.get(key, {}).get(value, _text(value)) if isinstance(value, str) else _text(value)))
    return facts


def _tooltip(heading: str, kind_label: str, facts: dict[str, Any], sources: tuple[Source, ...] | list[Source]) -> str:
    """Tooltip HTML: the structure is ours, every piece of document text is escaped."""
    words = styles()["words"]
    lines = [f"<b>{html.escape(heading)}</b>", f"{html.escape(words['kind'])}: {html.escape(kind_label)}"]
    lines += [f"{html.escape(label)}: {html.escape(text)}" for label, text in labelled_facts(facts)]
    if sources:
        lines.append(f"<u>{html.escape(words['sources'])}</u>:")
        for source in list(sources)[:SOURCES_SHOWN]:
            quote = _short(source.quote, QUOTE_CHARS)
            lines.append(f"<i>{html.escape(source.document)}</i>: «{html.escape(quote)}»")
    return "<br>".join(lines)


def _node_options(node: Node, picture: Picture, physics: bool) -> dict[str, Any]:
    style = styles()["nodes"][node.kind]
    level = styles()["levels"].get(node.properties.get("level", ""), {}) if node.kind == "Locality" else {}
    title = _tooltip(node.name, style["label"], node.properties, node.sources)
    if node.aliases:
        words = styles()["words"]
        title += f"<br>{html.escape(words['also_known_as'])}: {html.escape(', '.join(node.aliases))}"
    options: dict[str, Any] = {
        "label": _short(node.name, LABEL_CHARS),
        "title": title,
        "color": level.get("color", style["color"]),
        "shape": style["shape"],
        "size": level.get("size", style["size"]),
        "kind": node.kind,
    }
    font: dict[str, Any] = {}
    if node.id == picture.focus:
        options.update(borderWidth=4, size=options["size"] * 1.6)
        font.update(size=18, strokeWidth=3)
    if level.get("label_above"):
        font["vadjust"] = -(2 * options["size"] + 22)
    if font:
        options["font"] = font
    if physics and geo_position(node) is not None:
        options["fixed"] = True  # a place stays where it is on the map
    return options


def _edge_options(link: Link, names: dict[str, str], show_label: bool, compact: bool) -> dict[str, Any]:
    """vis.js edge options; ``compact`` (big pictures) drops dashes and arrows, which cost
    most of each frame when thousands of edges are drawn — colour still tells the type."""
    style = styles()["links"][link.type]
    heading = f"{names.get(link.start, link.start)} → {names.get(link.end, link.end)}"
    options: dict[str, Any] = {
        "title": _tooltip(heading, style["label"], link.facts, link.sources),
        "color": style["color"],
        "dashes": bool(style["dashes"]) and not compact,
        "width": style.get("width", 1),
        "relation": link.type,
        "arrows": {"to": {"enabled": style.get("arrow", True) and not compact}},
    }
    if show_label:
        options["label"] = style["label"]
    return options


def vis_data(picture: Picture) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """The vis.js nodes, edges and options of a picture, built with pyvis."""
    physics = physics_enabled(picture)
    positions = layout(picture.nodes, ((link.start, link.end) for link in picture.links))
    net = Network(directed=True, cdn_resources="in_line")
    for node in sorted(picture.nodes, key=_drawing_order):
        x, y = positions[node.id]
        net.add_node(node.id, x=round(x, 1), y=round(y, 1), **_node_options(node, picture, physics))
    names = {node.id: node.name for node in picture.nodes}
    show_labels = len(picture.links) <= EDGE_LABEL_LIMIT
    compact = is_compact(picture)
    for link in picture.links:
        if link.start in names and link.end in names:
            # pyvis's add_edge scans every node per edge (quadratic); ends are checked above instead
            net.edges.append(Edge(link.start, link.end, directed=True,
                                  **_edge_options(link, names, show_labels, compact)).options)
    return net.nodes, net.edges, _options(physics, len(picture.nodes))


def _drawing_order(node: Node) -> int:
    """vis.js draws nodes in the order given: wide localities first, so smaller ones sit on top."""
    levels = list(styles()["levels"])
    level = node.properties.get("level")
    return levels.index(level) if node.kind == "Locality" and level in levels else len(levels)


def is_compact(picture: Picture) -> bool:
    """Big pictures are drawn plainer (solid lines, no arrows) so they pan smoothly."""
    return len(picture.nodes) > PHYSICS_NODE_LIMIT


def _options(physics: bool, size: int) -> dict[str, Any]:
    big = size > PHYSICS_NODE_LIMIT
    return {
        "physics": {"enabled": physics, "stabilization": {"iterations": 200, "fit": True},
                    "barnesHut": {"springLength": 110, "avoidOverlap": 0.2}},
        "nodes": {"font": {"size": 14, "face": "Arial", "multi": False}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "smooth": False if big else {"type": "continuous"},
                  "font": {"size": 10, "align": "middle"}},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "navigationButtons": False, "keyboard": True},
        "layout": {"improvedLayout": False, "randomSeed": 7},
    }


def _legend(picture: Picture) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    kinds = {node.kind for node in picture.nodes}
    types = {link.type for link in picture.links}
    compact = is_compact(picture)
    levels = {node.properties.get("level") for node in picture.nodes if node.kind == "Locality"}
    node_rows = [{"label": s["label"], "color": s["color"], "shape": s["shape"]}
                 for kind, s in styles()["nodes"].items() if kind in kinds and kind != "Locality"]
    place_shape = styles()["nodes"]["Locality"]["shape"]
    node_rows[:0] = [{"label": s["label"], "color": s["color"], "shape": place_shape}
                     for level, s in styles()["levels"].items() if level in levels]
    if levels - set(styles()["levels"]):  # localities without a known level keep the kind's colour
        node_rows.insert(0, {"label": styles()["nodes"]["Locality"]["label"],
                             "color": styles()["nodes"]["Locality"]["color"], "shape": place_shape})
    link_rows = [{"label": s["label"], "color": s["color"], "dashes": bool(s["dashes"]) and not compact}
                 for kind, s in styles()["links"].items() if kind in types]
    return node_rows, link_rows


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    return ((VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8"),
            (VIS_DIR / "vis-network.css").read_text(encoding="utf-8"))


def render(picture: Picture) -> str:
    """The picture as one standalone HTML page (vis.js inlined, no network access needed).

    The page carries its own Content-Security-Policy, so it holds as a file too."""
    nodes, edges, options = vis_data(picture)
    node_legend, link_legend = _legend(picture)
    vis_js, vis_css = _vis_assets()
    page = _environment().get_template("network.html").render(
        title=picture.title, nodes=nodes, edges=edges, options=options, words=styles()["words"],
        node_legend=node_legend, link_legend=link_legend, physics=options["physics"]["enabled"],
        compact=is_compact(picture),
        vis_js=vis_js, vis_css=vis_css)
    policy = html.escape(content_security_policy(page), quote=True)
    charset = '<meta charset="utf-8">'
    return page.replace(charset, f'{charset}\n<meta http-equiv="Content-Security-Policy" content="{policy}">', 1)


def content_security_policy(page: str) -> str:
    """A policy that lets a page run only its own inline scripts (by hash) and load nothing.

    Defence in depth: even a name that slipped past escaping could not run or call out.
    """
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
        for body in re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL))
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def write_page(page: str, path: Path) -> Path:
    """Write a page as UTF-8 (whatever the platform's default encoding) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
