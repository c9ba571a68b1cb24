"""Turn a part of the graph into a standalone, offline HTML page drawn by vis.js (via pyvis).

Colours, shapes, dashes and Vietnamese words come from ``styles.yaml``. Document text is
untrusted: tooltips travel as data and the picture script builds them from text nodes;
labels are drawn on the canvas as plain text; the data reaches the page through Jinja's
``tojson``, which escapes ``<``, ``>`` and ``&`` so no name can close the script block.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyvis
import yaml
from jinja2 import Environment, FileSystemLoader
from pyvis.edge import Edge
from pyvis.node import Node as VisNode

from graph.model import Graph, Node, Source
from visualize.layout import PIXELS_PER_DEGREE, fan_out, geo_position, layout

HERE = Path(__file__).parent
VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
PHYSICS_NODE_LIMIT = 300  # above this, vis.js physics takes minutes (pyvis issue #204): positions are final
EDGE_LABEL_LIMIT = 30  # more edge labels than this clutter the picture
LABEL_CHARS = 38  # a label longer than this is shortened (the full name is in the tooltip)
GROUP_LIMIT = 300  # above this many nodes a picture opens grouped by locality or kind
BORDERS = HERE / "data" / "vn_borders.json"
PICTURE_JS = HERE / "templates" / "picture.js"  # draws a picture: standalone pages inline it, the web page loads it
PERIODS = ("before", "after")  # province borders before or after the 2025 reorganisation
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
    period: str = "before"


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


def short_labels(nodes: list[Node]) -> dict[str, str]:
    """A short label per node, distinct among the picture's nodes where the names are.

    A long name keeps its first words and its last words (what tells similar names apart:
    "Hợp tác ... giữa Thành phố Hồ Chí Minh và tỉnh Đắk Nông"); when two short labels still
    collide, they keep more of the end.
    """
    labels = {node.id: node.name for node in nodes}
    long = [node for node in nodes if len(node.name) > LABEL_CHARS]
    for tail in range(LABEL_CHARS // 2, LABEL_CHARS * 4, 6):
        for node in long:
            labels[node.id] = _head_tail(node.name, LABEL_CHARS - tail, tail)
        clashes = Counter(labels[node.id] for node in long)
        names = Counter(node.name for node in long)
        if all(clashes[labels[n.id]] == names[n.name] for n in long):
            break
    return labels


def _head_tail(name: str, head: int, tail: int) -> str:
    """The words that fit in ``head`` characters, "…", and the words that fit in the last ``tail``."""
    words = name.split()
    start, end = [], []
    for word in words:
        if len(" ".join([*start, word])) > max(head, 1) and start:
            break
        start.append(word)
    for word in reversed(words[len(start):]):
        if len(" ".join([word, *end])) > tail and end:
            break
        end.insert(0, word)
    if len(start) + len(end) >= len(words):
        return name
    return " ".join(start) + " … " + " ".join(end)


def labelled_facts(values: dict[str, Any]) -> list[tuple[str, str]]:
    """(Vietnamese label, text) of the properties the styles table names, in its order."""
    names, words = styles()["properties"], styles()["values"]
    facts = []
    for key, label in names.items():
        value = values.get(key)
        if value not in (None, "", [], ()):
            facts.append((label, words.get(key, {}).get(value, _text(value)) if isinstance(value, str) else _text(value)))
    return facts


def _tooltip(kind_label: str, facts: dict[str, Any], sources: tuple[Source, ...] | list[Source]) -> dict[str, Any]:
    """What a tooltip says, as data: kind ``k``, labelled facts ``f``, sources ``s`` (document, quote).

    The page's picture script builds the tooltip from it with text nodes only, so no piece of
    document text is ever read as HTML; an edge's heading is made there from its ends' names.
    """
    tip: dict[str, Any] = {"k": kind_label}
    if facts := labelled_facts(facts):
        tip["f"] = [list(fact) for fact in facts]
    if sources:
        tip["s"] = [[source.document, _short(source.quote, QUOTE_CHARS)] for source in list(sources)[:SOURCES_SHOWN]]
    return tip


def _node_options(node: Node, picture: Picture, physics: bool, label: str) -> dict[str, Any]:
    style = styles()["nodes"][node.kind]
    level = styles()["levels"].get(node.properties.get("level", ""), {}) if node.kind == "Locality" else {}
    tip = {"h": node.name, **_tooltip(style["label"], node.properties, node.sources)}
    if node.aliases:
        tip["a"] = ", ".join(node.aliases)
    options: dict[str, Any] = {
        "label": label,
        "tip": tip,
        "color": level.get("color", style["color"]),
        "shape": style["shape"],
        "size": level.get("size", style["size"]),
        "kind": node.kind,
    }
    font: dict[str, Any] = {}
    if node.id == picture.focus:
        options.update(borderWidth=4, size=options["size"] * 1.6)
        font.update(size=18, strokeWidth=3)
    if level.get("label_above") and not picture.geographic:  # a map moves labels apart itself
        font["vadjust"] = -(2 * options["size"] + 22)
    if font:
        options["font"] = font
    if physics and geo_position(node) is not None:
        options["fixed"] = True  # a place stays where it is on the map
    return options


def _edge_options(link: Link, show_label: bool, compact: bool) -> dict[str, Any]:
    """vis.js edge options; ``compact`` (big pictures) drops dashes and arrows, which cost
    most of each frame when thousands of edges are drawn — colour still tells the type."""
    style = styles()["links"][link.type]
    options: dict[str, Any] = {
        "tip": _tooltip(style["label"], link.facts, link.sources),
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
    """The vis.js nodes, edges and options of a picture, built with pyvis.

    Each node also carries ``value`` (its number of links: labels are sized by it and the
    least linked are hidden until zoomed in) and ``group_key`` (the locality or kind it is
    grouped under in a big picture); on a map, a place moved off its spot carries ``geo``,
    the spot, so the page can draw a line to it.
    """
    physics = physics_enabled(picture)
    pairs = [(link.start, link.end) for link in picture.links]
    positions = layout(picture.nodes, pairs, centre=not picture.geographic)
    spots = dict(positions)
    if picture.geographic:  # wide units (provinces) stay put: drawn underneath, labelled above
        wide = {level for level, style in styles()["levels"].items() if style.get("label_above")}
        positions = fan_out(positions, [n.id for n in picture.nodes if n.properties.get("level") not in wide])
    degree = Counter(end for pair in pairs for end in pair)
    groups = group_keys(picture) if len(picture.nodes) > GROUP_LIMIT else {}
    labels = short_labels(picture.nodes)
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    for node in sorted(picture.nodes, key=_drawing_order):
        x, y = positions[node.id]
        extra: dict[str, Any] = {} if picture.geographic else {"value": degree[node.id] + 1}
        if node.id in groups:
            extra["group_key"] = groups[node.id]
        if positions[node.id] != spots[node.id]:
            extra["geo"] = [round(spots[node.id][0], 1), round(spots[node.id][1], 1)]
        options = _node_options(node, picture, physics, labels[node.id])
        # pyvis's add_node scans the list of ids already added (quadratic); ids here are unique
        nodes.append(VisNode(node.id, options.pop("shape"), options.pop("label"), x=round(x, 1), y=round(y, 1),
                                 **options, **extra).options)
    names = {node.id: node.name for node in picture.nodes}
    show_labels = len(picture.links) <= EDGE_LABEL_LIMIT and not picture.geographic  # a map's legend says it
    compact = is_compact(picture)
    for link in picture.links:
        if link.start in names and link.end in names:
            # pyvis's add_edge scans every node per edge (quadratic); ends are checked above instead
            edges.append(Edge(link.start, link.end, directed=True,
                                  **_edge_options(link, show_labels, compact)).options)
    return nodes, edges, _options(physics, len(picture.nodes), picture.geographic)


def group_keys(picture: Picture) -> dict[str, str]:
    """The group of each node in a big picture: its province, or the province of what it is linked to.

    A locality is grouped under its province (itself, or the province it is PART_OF); other
    nodes take the most common group of their neighbours, spreading outwards two steps; the
    rest are grouped by kind.
    """
    nodes = {node.id: node for node in picture.nodes}
    neighbours: dict[str, list[str]] = defaultdict(list)
    for link in picture.links:
        if link.start in nodes and link.end in nodes:
            neighbours[link.start].append(link.end)
            neighbours[link.end].append(link.start)
    parent = {link.start: link.end for link in picture.links if link.type == "PART_OF" and link.end in nodes
              and nodes[link.start].kind == "Locality" and nodes[link.end].kind == "Locality"}
    groups = {node.id: nodes[parent.get(node.id, node.id)].name for node in picture.nodes if node.kind == "Locality"}
    for _ in range(2):
        found = {}
        for node_id in nodes:
            if node_id not in groups:
                around = Counter(groups[n] for n in neighbours[node_id] if n in groups)
                if around:
                    found[node_id] = around.most_common(1)[0][0]
        groups.update(found)
    kinds = styles()["nodes"]
    return {node_id: groups.get(node_id, kinds[node.kind]["label"]) for node_id, node in nodes.items()}

def _drawing_order(node: Node) -> int:
    """vis.js draws nodes in the order given: wide localities first, so smaller ones sit on top."""
    levels = list(styles()["levels"])
    level = node.properties.get("level")
    return levels.index(level) if node.kind == "Locality" and level in levels else len(levels)


def is_compact(picture: Picture) -> bool:
    """Big pictures are drawn plainer (solid lines, no arrows) so they pan smoothly."""
    return len(picture.nodes) > PHYSICS_NODE_LIMIT


def _options(physics: bool, size: int, geographic: bool) -> dict[str, Any]:
    big = size > PHYSICS_NODE_LIMIT
    # Labels sized by importance (links), hidden below drawThreshold screen pixels until zoomed in;
    # a map keeps every label (the page sets its size on screen and moves labels apart).
    scaling = {"min": 8, "max": 30, "label": {"enabled": not geographic, "min": 12, "max": 26,
                                              "maxVisible": 40, "drawThreshold": 7}}
    return {
        "physics": {"enabled": physics, "stabilization": {"iterations": 200, "fit": True},
                    "barnesHut": {"springLength": 110, "avoidOverlap": 0.2}},
        # on a map a white halo keeps labels readable over the borders
        "nodes": {"font": {"size": 14, "face": "Arial", "multi": False, "strokeWidth": 4 if geographic else 0,
                           "strokeColor": "#ffffff"}, "scaling": scaling},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "smooth": False if big or geographic else {"type": "continuous"},
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
def vis_assets() -> tuple[str, str]:
    """vis-network's script and style sheet, as pyvis ships them."""
    return ((VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8"),
            (VIS_DIR / "vis-network.css").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def picture_script() -> str:
    """The script that draws a picture (shared by standalone pages and the web page)."""
    return PICTURE_JS.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def borders() -> dict[str, Any]:
    """Province borders of Vietnam before and after 2025 (built by visualize/build_borders.py)."""
    return json.loads(BORDERS.read_text(encoding="utf-8"))


def payload(picture: Picture) -> dict[str, Any]:
    """Everything the picture script needs to draw a picture, as JSON-ready data.

    Tooltips travel as escaped HTML strings (``tip``) and become elements only when hovered.
    """
    nodes, edges, options = vis_data(picture)
    node_legend, link_legend = _legend(picture)
    words = styles()["words"]
    return {"title": picture.title, "words": {key: words[key] for key in ("kind", "sources", "also_known_as")},
            "nodes": nodes, "edges": edges, "options": options,
            "legend": {"nodes": node_legend, "links": link_legend},
            "grouped": len(picture.nodes) > GROUP_LIMIT,
            "map": {"pixels_per_degree": PIXELS_PER_DEGREE, "period": picture.period} if picture.geographic else None,
            "physics": options["physics"]["enabled"], "compact": is_compact(picture)}


def render(picture: Picture) -> str:
    """The picture as one standalone HTML page (vis.js inlined, no network access needed).

    The page carries its own Content-Security-Policy, so it holds as a file too."""
    data = payload(picture)
    vis_js, vis_css = vis_assets()
    page = _environment().get_template("network.html").render(
        title=picture.title, data=data, words=styles()["words"], borders=borders() if picture.geographic else None,
        vis_js=vis_js, vis_css=vis_css, picture_js=picture_script())
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
