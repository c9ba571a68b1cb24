"""What the web page shows about an entity: search results grouped by kind and an entity card.

A card is the entity's facts plus one section per kind of link (table: cards.yaml), each
row naming the entity at the other end and what the link itself says (a contact's title
and phone, a position's date). A locality card adds its partners and its agreements.
All text is returned as data; the page inserts it with ``textContent``.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, TypeAdapter

from graph.model import Graph, Node, Source
from graph.store import GraphFilter, GraphStore
from visualize.render import labelled_facts, styles

HERE = Path(__file__).parent
SEARCH_LIMIT = 40


@lru_cache(maxsize=1)
def card_table() -> dict[str, Any]:
    """The card sections table (cards.yaml)."""
    return yaml.safe_load((HERE / "cards.yaml").read_text(encoding="utf-8"))


class Hit(BaseModel):
    """One search result."""

    id: str
    name: str
    score: float


class HitGroup(BaseModel):
    """Search results of one kind, best first."""

    kind: str
    label: str = Field(description="the kind in Vietnamese")
    hits: list[Hit]


class Fact(BaseModel):
    """A labelled value of the entity (its own properties)."""

    label: str
    value: str


class CardRow(BaseModel):
    """An entity at the other end of a link, with what the link says."""

    id: str
    name: str
    kind: str
    detail: str = ""
    source: Source | None = Field(default=None, description="where the link was read (its first source)")
    date: str = Field(default="", description="the date an agreement was signed (for the timeline)")


class CardSection(BaseModel):
    """The rows of one kind of link."""

    title: str
    rows: list[CardRow]
    timeline: bool = Field(default=False, description="rows are dated and shown on a timeline too")


class EntityCard(BaseModel):
    """Everything the page shows about one entity."""

    id: str
    kind: str
    kind_label: str
    name: str
    aliases: list[str]
    facts: list[Fact]
    sections: list[CardSection]
    sources: list[Source]


def grouped_search(store: GraphStore, text: str) -> list[HitGroup]:
    """Search hits grouped by kind; groups ordered by their best hit, kinds as in styles.yaml."""
    groups: dict[str, list[Hit]] = defaultdict(list)
    for hit in store.search(text, limit=SEARCH_LIMIT):
        groups[hit.kind].append(Hit(id=hit.id, name=hit.name, score=round(hit.score, 3)))
    kinds = styles()["nodes"]
    ordered = sorted(groups, key=lambda kind: (-groups[kind][0].score, list(kinds).index(kind)))
    return [HitGroup(kind=kind, label=kinds[kind]["label"], hits=groups[kind]) for kind in ordered]


def _facts(values: dict[str, Any]) -> list[Fact]:
    """Known properties with their Vietnamese labels, in the table's order."""
    return [Fact(label=label, value=text) for label, text in labelled_facts(values)]


def _detail(values: dict[str, Any]) -> str:
    return " · ".join(f"{fact.label}: {fact.value}" for fact in _facts(values))


def _link_sections(node: Node, around: Graph) -> list[CardSection]:
    others = {n.id: n for n in around.nodes}
    rows: dict[tuple[str, str], list[CardRow]] = defaultdict(list)
    for rel in around.relationships:
        if rel.start == node.id and rel.end in others:
            direction, other = "out", others[rel.end]
        elif rel.end == node.id and rel.start in others:
            direction, other = "in", others[rel.start]
        else:
            continue
        rows[(rel.type, direction)].append(
            CardRow(id=other.id, name=other.name, kind=other.kind, detail=_detail(rel.properties),
                    source=rel.sources[0] if rel.sources else None))
    table = card_table()
    limit = table["rows_per_section"]
    return [CardSection(title=entry["title"], rows=sorted(found, key=lambda r: r.name)[:limit])
            for entry in table["sections"] if (found := rows.get((entry["type"], entry["direction"])))]


def _locality_sections(store: GraphStore, node: Node) -> list[CardSection]:
    """Partners (the store's answer) and the agreements the locality or its bodies are party to."""
    table = card_table()
    partners = [CardRow(id=p.locality_id, name=p.locality, kind="Locality",
                        detail=" · ".join(filter(None, [p.agreement, p.date])),
                        source=p.sources[0] if p.sources else None)
                for p in store.partners(node.name)]
    around = store.neighbourhood(node.id, depth=2)
    bodies = {r.start for r in around.relationships if r.type == "OF" and r.end == node.id}
    party_of = {r.start for r in around.relationships if r.type == "PARTY" and r.end in bodies | {node.id}}
    agreements = [CardRow(id=n.id, name=n.name, kind=n.kind, detail=_detail(n.properties),
                          date=str(n.properties.get("date_signed") or ""),
                          source=n.sources[0] if n.sources else None)
                  for n in around.nodes if n.id in party_of]
    sections = [CardSection(title=table["partners_title"], rows=partners),
                CardSection(title=table["agreements_title"], timeline=True,
                            rows=sorted(agreements, key=lambda r: (r.date or "9999", r.name)))]
    return [section for section in sections if section.rows]


def entity_card(store: GraphStore, node_id: str) -> EntityCard | None:
    """The card of an entity, or None when the id is unknown."""
    node = store.node(node_id)
    if node is None:
        return None
    sections = _locality_sections(store, node) if node.kind == "Locality" else []
    sections += _link_sections(node, store.neighbourhood(node_id, depth=1))
    return EntityCard(id=node.id, kind=node.kind, kind_label=styles()["nodes"][node.kind]["label"], name=node.name,
                      aliases=node.aliases, facts=_facts(node.properties), sections=sections, sources=node.sources)


class Quote(BaseModel):
    """A quote of a document and the facts the graph read from it."""

    quote: str
    page: int | None = Field(default=None, description="page of the document, where the reader knows it")
    row: int | None = Field(default=None, description="table row, where the reader knows it")
    facts: list[str] = Field(description="names of the entities and links it supports")


class TextRow(BaseModel):
    """A table row of a document's text: its cells, its page, and the quotes it holds."""

    cells: list[str]
    page: int | None = None
    quotes: list[int] = Field(default_factory=list, description="indexes into the view's quotes")


class TextBlock(BaseModel):
    """A heading, paragraph or table of a document's text, as the readers gave it."""

    kind: str = Field(description="heading | paragraph | table")
    page: int | None = None
    text: str = ""
    rows: list[TextRow] = Field(default_factory=list)
    quotes: list[int] = Field(default_factory=list, description="indexes into the view's quotes found in this text")


class DocumentView(BaseModel):
    """A document as the graph knows it: every quote taken from it, and its own text when the store keeps it
    (documents ingested before the store kept text, and imported graphs, have none)."""

    document: str
    quotes: list[Quote]
    text: list[TextBlock] | None = None


def document_view(store: GraphStore, document: str) -> DocumentView | None:
    """The quotes the graph took from a document, in the order they were read; None when there are none."""
    graph = store.subgraph(GraphFilter())
    names = {node.id: node.name for node in graph.nodes}
    link_words = styles()["links"]
    found: dict[tuple[str, int | None, int | None], list[str]] = {}
    items = [(node.name, node.sources) for node in graph.nodes] + [
        (f"{names.get(rel.start, rel.start)} — {link_words[rel.type]['label']} — {names.get(rel.end, rel.end)}",
         rel.sources) for rel in graph.relationships]
    for fact, sources in items:
        for source in sources:
            if source.document == document:
                key = (source.quote, getattr(source, "page", None), getattr(source, "row", None))
                facts = found.setdefault(key, [])
                if fact not in facts:
                    facts.append(fact)
    if not found:
        return None
    quotes = [Quote(quote=q, page=page, row=row, facts=facts) for (q, page, row), facts in found.items()]
    kept = store.document_text(document)
    text = _mark_quotes(TypeAdapter(list[TextBlock]).validate_json(kept), quotes) if kept is not None else None
    return DocumentView(document=document, quotes=quotes, text=text)


def _folded(text: str) -> str:
    return " ".join(text.split())


def _mark_quotes(blocks: list[TextBlock], quotes: list[Quote]) -> list[TextBlock]:
    """Say which quotes each block holds: a table row when the quote is the row (its cells joined by
    ' | ', as a row's quote is) or stands in one of its cells, other text when it holds the quote's
    first line (quotes built from several lines join them by ' / ')."""
    for index, quote in enumerate(quotes):
        first_line = _folded(quote.quote.split(" / ")[0])
        row_quote = _folded(quote.quote)
        for block in blocks:
            if block.kind == "table":
                for row in block.rows:
                    cells = [_folded(c) for c in row.cells if c]
                    if row_quote == " | ".join(cells) or any(first_line in cell for cell in cells):
                        row.quotes.append(index)
            elif first_line and first_line in _folded(block.text):
                block.quotes.append(index)
    return blocks
