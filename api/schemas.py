"""Response and request models of the API that are not answers of the store itself."""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from graph.model import Node, PersonAnswer, Relationship, Source, node_kinds

NodeKind = Enum("NodeKind", {kind: kind for kind in node_kinds()}, type=str)  # type: ignore[misc]
NodeKind.__doc__ = "A node kind of graph/schema.yaml."


class Neighbour(BaseModel):
    """A node next to the entity, and the relationship that joins them."""

    direction: Literal["out", "in"] = Field(description="out: entity → neighbour; in: neighbour → entity")
    relationship: Relationship
    node: Node


class EntityDetail(BaseModel):
    """An entity with a page of its direct neighbours; each node and relationship with the sources of its
    first 20 documents (by name), as in a neighbourhood."""

    entity: Node
    neighbours: list[Neighbour]
    total: int = Field(description="number of neighbours in all")
    limit: int
    offset: int
    document_counts: dict[str, int] = Field(
        default_factory=dict, description="for the entity and each neighbour or relationship of the page whose "
        "sources are those of its first documents only (by name), how many documents support it in all")


class GraphView(BaseModel):
    """Nodes and relationships, each with its sources (of its first documents, when ``document_counts``
    names it)."""

    nodes: list[Node]
    relationships: list[Relationship]
    document_counts: dict[str, int] = Field(
        default_factory=dict, description="for each node or relationship whose sources are those of its "
        "first documents only (by name), how many documents support it in all")


class PathResult(BaseModel):
    """A shortest path, ignoring direction; ``found`` is false when the two are not connected."""

    found: bool
    length: int = Field(description="number of relationships on the path")
    nodes: list[Node]
    relationships: list[Relationship]


class PersonTask(BaseModel):
    """A task for which the person is the contact point."""

    task: str
    task_id: str
    title: str | None = None
    organization: str | None = None
    phone: str | None = None
    sources: list[Source]


class PersonProfile(BaseModel):
    """A person with the positions they hold and the tasks they are the contact for."""

    person: Node
    positions: list[PersonAnswer]
    tasks: list[PersonTask]


class FileOutcome(BaseModel):
    """What ingesting one uploaded file did."""

    path: str
    document: str | None = None
    status: str = Field(description="added, replaced, unchanged or error")
    nodes: int = 0
    nodes_added: int = 0
    relationships: int = 0
    relationships_added: int = 0
    error: str | None = None


class UploadReport(BaseModel):
    """One outcome per uploaded file, in upload order."""

    results: list[FileOutcome]
    errors: int = Field(description="number of files that could not be ingested")


class CypherRequest(BaseModel):
    """A read-only Cypher query with its parameters."""

    query: str = Field(min_length=1, max_length=20_000,
                       examples=["MATCH (a:Agreement)-[:PARTY]->(p) RETURN a.name AS agreement, p.name AS party"])
    parameters: dict[str, Any] = Field(default_factory=dict, description=(
        "JSON values; integers must fit 64 bits; lists of at most 10,000 items, nested at most 8 deep, "
        "50,000 values in all (with the query, at most 1 MB)"))
    limit: int = Field(100, ge=1, description="most rows to return (capped by the server)")
    offset: int = Field(0, ge=0, description="rows to skip")

    @field_validator("limit", "offset", mode="before")
    @classmethod
    def _not_a_boolean(cls, value: Any) -> Any:
        if isinstance(value, bool):  # JSON true/false are not numbers, though Python's bools are ints
            raise ValueError("must be an integer, not a boolean")
        return value

    @field_validator("parameters")
    @classmethod
    def _cypher_can_hold(cls, parameters: dict[str, Any]) -> dict[str, Any]:
        for count, (value, depth) in enumerate(_values(parameters), start=1):
            if count > MAX_PARAMETER_VALUES:
                raise ValueError(f"more than {MAX_PARAMETER_VALUES} values in the parameters")
            if depth > MAX_PARAMETER_DEPTH:
                raise ValueError(f"parameters nested more than {MAX_PARAMETER_DEPTH} deep")
            if isinstance(value, list) and len(value) > MAX_PARAMETER_LIST:
                raise ValueError(f"a list of {len(value)} items: parameters hold lists of at most {MAX_PARAMETER_LIST}")
            if isinstance(value, int) and not isinstance(value, bool) and not INT64_MIN <= value <= INT64_MAX:
                raise ValueError(f"integer {value} does not fit Cypher's 64-bit integers")
        return parameters


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# Parameter caps: what a researcher's query needs, far below what would cost the server
# memory or time outside the query's timeout (the driver and the server both copy them).
MAX_PARAMETER_LIST = 10_000
MAX_PARAMETER_DEPTH = 8
MAX_PARAMETER_VALUES = 50_000


def _values(value: Any, depth: int = 0) -> Iterator[tuple[Any, int]]:
    """Every value inside nested JSON lists and objects (containers too), with its depth."""
    yield value, depth
    if isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _values(item, depth + 1)


class CypherResponse(BaseModel):
    """Rows of a read-only query, one object per row keyed by column."""

    columns: list[str]
    rows: list[dict[str, Any]]
    limit: int
    offset: int
    truncated: bool = Field(description="true when the query had more rows than were returned")
