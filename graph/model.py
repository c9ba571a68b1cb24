"""The cooperation graph model, shared by every backend, the ingest pipeline and the API.

The kinds of node and relationship are data (``schema.yaml``); this module gives them
types. Every node and relationship carries its ``sources``: the documents and quotes it
was read from. A fact may be supported by several documents; a store keeps one
``Claim`` per document so that removing a document removes exactly what it supported.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

SCHEMA_PATH = Path(__file__).parent / "schema.yaml"


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The node kinds and relationship types of the graph, as read from schema.yaml."""
    import yaml  # here, not at the top: a question answered from the command line needs no YAML parser
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when the wheel has it
    return yaml.load(SCHEMA_PATH.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader


def node_kinds() -> list[str]:
    """Names of all node kinds, in schema order."""
    return list(schema()["nodes"])


def relationship_types() -> list[str]:
    """Names of all relationship types, in schema order."""
    return list(schema()["relationships"])


@lru_cache(maxsize=1)
def _known() -> tuple[frozenset[str], frozenset[str]]:
    """The node kinds and relationship types as sets, for the validators (a node is validated
    once per write and once per read: a long table's graph has tens of thousands)."""
    return frozenset(node_kinds()), frozenset(relationship_types())


def stable_id(prefix: str, *parts: str) -> str:
    """A deterministic id: the same facts always get the same id."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return f"{prefix}:{digest}"


class Source(BaseModel):
    """Where a fact was read: the document's name and the quote."""

    model_config = ConfigDict(frozen=True)

    document: str = Field(examples=["ke_hoach_mau.txt"])
    quote: str = Field(examples=["Sở Du lịch Thành phố Hồ Chí Minh (Ông Nguyễn Văn A - Trưởng phòng ...)"])
    page: int | None = Field(default=None, description="page of the document the quote is on (PDF, scans)")
    row: int | None = Field(default=None, description="row of the table the quote is, counted from the table's first row")


class Node(BaseModel):
    """A node of the graph: an entity with a kind, a display name and properties."""

    id: str
    kind: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    properties: dict[str, Any] = Field(default_factory=dict)
    sources: list[Source] = Field(default_factory=list)

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        if kind not in _known()[0]:
            raise ValueError(f"unknown node kind {kind!r}; see graph/schema.yaml")
        return kind


class Relationship(BaseModel):
    """A directed relationship between two nodes, with properties and sources."""

    id: str
    type: str
    start: str
    end: str
    properties: dict[str, Any] = Field(default_factory=dict)
    sources: list[Source] = Field(default_factory=list)

    @field_validator("type")
    @classmethod
    def _known_type(cls, kind: str) -> str:
        if kind not in _known()[1]:
            raise ValueError(f"unknown relationship type {kind!r}; see graph/schema.yaml")
        return kind


def relationship_id(rel_type: str, start: str, end: str, key: str = "") -> str:
    """The id of a relationship: one per (type, start, end, key)."""
    return stable_id("rel", rel_type, start, end, key)


class MergeDecision(BaseModel):
    """An entity-resolution decision made while reading a document (kept for inspection)."""

    kind: str
    kept: str
    merged: str
    decision: str = Field(description="yes, no or unsure")
    reason: str


class Judgement(BaseModel):
    """A decision that two entities are the same, different, or unsure (after nomenklatura's resolver).

    Decided by the rules (``rule``) or by a person (``person:NAME``); a person's judgement outranks
    the rules'. The two ids are the entities as documents name them (their mention ids)."""

    id: str
    kind: str
    left: str
    right: str
    judgement: str = Field(description="same, different or unsure")
    score: float = Field(description="how alike the two are, 0 to 1")
    evidence: list[str] = Field(default_factory=list, description="the features that decided, in words")
    decided_by: str = Field(description="rule, or person:NAME")
    decided_at: str = Field(description="ISO time of the decision")


class DocumentGraph(BaseModel):
    """Everything one document says: the unit of ingest, removal and provenance."""

    document: str
    sha256: str
    nodes: list[Node] = Field(default_factory=list)
    relationships: list[Relationship] = Field(default_factory=list)
    merge_decisions: list[MergeDecision] = Field(default_factory=list)


class Graph(BaseModel):
    """A whole graph or a part of it, as plain nodes and relationships."""

    nodes: list[Node] = Field(default_factory=list)
    relationships: list[Relationship] = Field(default_factory=list)
    document_counts: dict[str, int] = Field(
        default_factory=dict, description="for each node or relationship whose ``sources`` this answer gives "
        "from its first documents only (by name), how many documents support it in all")


class DocumentInfo(BaseModel):
    """A document known to the store."""

    document: str
    sha256: str
    nodes: int
    relationships: int


class WriteSummary(BaseModel):
    """What writing one document changed."""

    document: str
    status: str = Field(description="added, replaced or unchanged")
    nodes_added: int = 0
    relationships_added: int = 0
    nodes: int = 0
    relationships: int = 0


class RemoveSummary(BaseModel):
    """What removing one document deleted."""

    document: str
    nodes_deleted: int
    relationships_deleted: int


class Counts(BaseModel):
    """Node counts by kind and relationship counts by type."""

    nodes: dict[str, int]
    relationships: dict[str, int]
    documents: int


class SearchHit(BaseModel):
    """A node found by a text search, with its match score (1 is a perfect match)."""

    id: str
    kind: str
    name: str
    score: float
    sources: list[Source] = Field(default_factory=list)
    document_count: int | None = Field(None, description="when ``sources`` come from the node's first documents "
                                       "only (by name): how many documents support it in all")


# Answers to the users' questions (see ../shared/eval/CONTRACT.md).


class ContactAnswer(BaseModel):
    task: str
    task_id: str
    person: str
    title: str | None = None
    organization: str | None = None
    phone: str | None = None
    score: float
    sources: list[Source]


class PartnerAnswer(BaseModel):
    locality: str
    locality_id: str
    agreement: str
    agreement_id: str
    date: str | None = None
    agreements: list[str] = Field(default_factory=list)
    link: str | None = Field(None, description="how the agreements' own party is linked to the locality asked, "
                             "when it is not that locality: a predecessor or successor across the 2025 "
                             "reorganisation, or a unit within it")
    sources: list[Source]


class AgreementAnswer(BaseModel):
    id: str
    title: str
    date: str | None = None
    period: str | None = None
    parties: list[str]
    sectors: list[str]
    sources: list[Source]


class LeadAnswer(BaseModel):
    task: str
    task_id: str
    organization: str
    organization_id: str
    score: float
    sources: list[Source]


class PersonAnswer(BaseModel):
    person: str
    person_id: str
    title: str | None = None
    organization: str | None = None
    organization_id: str | None = None
    phone: str | None = None
    as_of: str | None = None
    sources: list[Source]


class TaskAnswer(BaseModel):
    """A task or event with its lead agencies, coordinators, sectors, timeframe and place."""

    task: str
    task_id: str
    number: str | None = None
    leads: list[str] = Field(default_factory=list)
    coordinators: list[str] = Field(default_factory=list)
    sectors: list[str] = Field(default_factory=list)
    timeframe: str | None = None
    place: str | None = None
    places: list[str] = Field(default_factory=list, description="localities the task is held in (HELD_IN)")
    plans: list[str] = Field(default_factory=list, description="plans whose appendix lists the task")
    sources: list[Source]


class OrgTaskAnswer(BaseModel):
    task: str
    task_id: str
    role: str = Field(description="lead or coordinate")
    organization: str
    timeframe: str | None = None
    sources: list[Source]
