"""Merging what several documents say about one node or relationship.

A store keeps, for each node and relationship, one claim per document. The effective
fact is computed here, the same way for every backend, so that removing a document
recomputes the fact from the documents that remain.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from graph.model import Node, Relationship, Source


def _merge_properties(claims: list[dict[str, Any]]) -> dict[str, Any]:
    """Lists are united in order; for other values the first document's value wins."""
    merged: dict[str, Any] = {}
    for props in claims:
        for key, value in props.items():
            if value is None or value == "" or value == []:
                continue
            if isinstance(value, list):
                existing = merged.setdefault(key, [])
                merged[key] = existing + [v for v in value if v not in existing]
            else:
                merged.setdefault(key, value)
    return merged


def _merge_sources(claims: list[list[Source]]) -> list[Source]:
    seen: dict[tuple[str, str], Source] = {}
    for sources in claims:
        for source in sources:
            seen.setdefault((source.document, source.quote), source)
    return list(seen.values())


def merge_node(claims: dict[str, Node]) -> Node:
    """One node from its per-document claims (documents taken in name order)."""
    ordered = [claims[doc] for doc in sorted(claims)]
    names = Counter(c.name for c in ordered)
    top = max(names.values())
    name = next(c.name for c in ordered if names[c.name] == top)
    aliases: list[str] = []
    for claim in ordered:
        for alias in [claim.name, *claim.aliases]:
            if alias != name and alias not in aliases:
                aliases.append(alias)
    return Node(
        id=ordered[0].id,
        kind=ordered[0].kind,
        name=name,
        aliases=aliases,
        properties=_merge_properties([c.properties for c in ordered]),
        sources=_merge_sources([c.sources for c in ordered]),
    )


def merge_relationship(claims: dict[str, Relationship]) -> Relationship:
    """One relationship from its per-document claims."""
    ordered = [claims[doc] for doc in sorted(claims)]
    first = ordered[0]
    return Relationship(
        id=first.id,
        type=first.type,
        start=first.start,
        end=first.end,
        properties=_merge_properties([c.properties for c in ordered]),
        sources=_merge_sources([c.sources for c in ordered]),
    )
