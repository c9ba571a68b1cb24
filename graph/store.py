"""The store interface: what every backend (embedded networkx, Neo4j) provides.

Writing is per document (the unit of provenance); reading answers the users'
questions. Text in a question is matched by ``graph.matching`` so that both
backends rank alike; each backend fetches candidates and walks the graph its own way.
The contract suite in tests/ runs the same checks against every backend.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from graph.answers import party_names
from graph.matching import Match, top_tier
from graph.model import (
    AgreementAnswer,
    ContactAnswer,
    Counts,
    DocumentGraph,
    DocumentInfo,
    Graph,
    Judgement,
    LeadAnswer,
    Node,
    OrgTaskAnswer,
    PartnerAnswer,
    PersonAnswer,
    RemoveSummary,
    SearchHit,
    TaskAnswer,
    WriteSummary,
)
from graph.text import fold


MAX_PLACE_WORDS = 5  # "thành phố Hồ Chí Minh": the longest locality name a question ends with


class GraphFilter(BaseModel):
    """A part of the graph: nodes of these kinds, touching these sectors, years or localities.

    Empty fields do not filter. ``sector``, ``year`` and ``locality`` keep the matching
    agreements and tasks with their direct neighbours.
    """

    kinds: list[str] = Field(default_factory=list)
    sector: str | None = None
    year: int | None = None
    locality: str | None = None


class CypherResult(BaseModel):
    """Rows of a read-only Cypher query, as JSON values; ``truncated`` when more rows existed."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool


class CypherNotSupported(Exception):
    """The backend cannot run Cypher (the embedded store)."""


class CypherRefused(Exception):
    """The query is not a valid read-only query, so it was not run."""


class CypherTimedOut(Exception):
    """The query ran longer than its time limit and was stopped by the server."""


class GraphStore(ABC):
    """A cooperation graph store. Every method is safe to call from one process at a time;
    backends make concurrent processes safe themselves."""

    # --- writing -------------------------------------------------------------------
    @abstractmethod
    def write_document(self, doc: DocumentGraph) -> WriteSummary:
        """Store what one document says, replacing what an earlier version of it said.

        Writing the same document twice changes nothing (status ``unchanged``)."""

    @abstractmethod
    def remove_document(self, document: str) -> RemoveSummary:
        """Remove a document and every fact that only it supported.

        Raises KeyError when the store does not know the document."""

    @abstractmethod
    def documents(self) -> list[DocumentInfo]:
        """The documents in the store, by name."""

    @abstractmethod
    def clear(self) -> None:
        """Delete everything (used before importing a whole graph)."""

    @abstractmethod
    def import_graph(self, graph: Graph) -> None:
        """Load a whole exported graph: each source's document becomes a claim owner."""

    # --- resolution: what documents named, and the judgements (graph.resolution) ------
    @abstractmethod
    def mention_graphs(self) -> dict[str, DocumentGraph]:
        """Each resolved document's graph as it was read, before resolution renamed its entities."""

    @abstractmethod
    def save_mention_graph(self, doc: DocumentGraph) -> None:
        """Keep a document's graph as it was read (replacing an earlier version)."""

    @abstractmethod
    def drop_mention_graph(self, document: str) -> None:
        """Forget a document's graph as read (nothing happens when there is none)."""

    @abstractmethod
    def judgements(self) -> list[Judgement]:
        """Every stored judgement, by id."""

    @abstractmethod
    def save_judgements(self, judgements: list[Judgement]) -> None:
        """Add or replace judgements (by id)."""

    @abstractmethod
    def drop_judgements(self, ids: list[str]) -> None:
        """Delete judgements by id (unknown ids are ignored)."""

    # --- reading: the graph --------------------------------------------------------
    @abstractmethod
    def node(self, node_id: str) -> Node | None:
        """The node with this id, or None."""

    @abstractmethod
    def search(self, text: str, kinds: list[str] | None = None, limit: int = 20) -> list[SearchHit]:
        """Nodes whose name matches the text (accent- and case-insensitive), best first."""

    @abstractmethod
    def neighbourhood(self, node_id: str, depth: int = 1, limit: int = 500) -> Graph:
        """The node and everything within ``depth`` hops (either direction). KeyError if unknown."""

    @abstractmethod
    def shortest_path(self, start_id: str, end_id: str) -> Graph | None:
        """A shortest path (ignoring direction) between two nodes, or None when there is none.
        KeyError if either id is unknown."""

    @abstractmethod
    def counts(self) -> Counts:
        """Node counts by kind, relationship counts by type, number of documents."""

    @abstractmethod
    def subgraph(self, graph_filter: GraphFilter | None = None) -> Graph:
        """The whole graph, or the part that a filter selects."""

    # --- reading: the users' questions --------------------------------------------
    @abstractmethod
    def contacts(self, activity: str) -> list[ContactAnswer]:
        """Contact points of the tasks and events that match the activity, best first."""

    @abstractmethod
    def partners(self, locality: str, within: bool = False, as_of: str | None = None) -> list[PartnerAnswer]:
        """Localities that share an agreement with this locality (or its own bodies).

        The name also finds the agreements of the units linked to it across the 2025
        reorganisation (each such answer says how, in ``link``); units inside it count only
        ``within``; ``as_of`` (ISO day) reads the name as the unit of that day and keeps the
        agreements signed by then. See ``graph.localities``."""

    @abstractmethod
    def agreements_between(self, party_a: str, party_b: str) -> list[AgreementAnswer]:
        """Agreements that have both parties (localities or organizations), newest first."""

    @abstractmethod
    def lead(self, task: str) -> list[LeadAnswer]:
        """Lead agencies of the tasks that match, best match first."""

    @abstractmethod
    def person(self, name: str) -> list[PersonAnswer]:
        """Positions of the person that matches the name, the most relevant first."""

    @abstractmethod
    def org_tasks(self, organization: str) -> list[OrgTaskAnswer]:
        """Tasks an organization leads (role ``lead``) or coordinates (role ``coordinate``)."""

    @abstractmethod
    def find_tasks(self, lead: str | None = None, coordinator: str | None = None, sector: str | None = None,
                   timeframe: str | None = None, place: str | None = None) -> list[TaskAnswer]:
        """Tasks that meet every given filter (all tasks when none is given), ordered by id.

        ``lead``, ``coordinator`` (organizations), ``sector`` and ``place`` (a locality; a task
        held in a district is also in its province) are texts resolved to entities like any
        question; a text that names no entity matches no task. ``timeframe`` is ISO ("2024",
        "2024-09"): the task's timeframe starts with it, or, for a year, its period spans it."""

    @abstractmethod
    def find_agreements(self, party: str | None = None, sector: str | None = None,
                        year: int | None = None) -> list[AgreementAnswer]:
        """Agreements that meet every given filter (all agreements when none is given), newest first.

        ``party`` is a locality or organization that signed (directly or through one of its
        bodies), ``sector`` a sector the agreement covers, ``year`` one its date touches (its period
        when it has no date: see ``graph.answers.in_year``)."""

    def read_cypher(self, query: str, parameters: dict[str, Any], limit: int, timeout_s: float) -> CypherResult:
        """Run a read-only Cypher query with parameters: at most ``limit`` rows, stopped after ``timeout_s``.

        Raises CypherNotSupported on backends without Cypher, CypherRefused for a query that
        could write (or is not valid Cypher), CypherTimedOut when the server stops it."""
        raise CypherNotSupported(f"the {type(self).__name__} backend cannot run Cypher; use the neo4j backend")

    @abstractmethod
    def close(self) -> None:
        """Release connections and locks."""

    # --- matching text to nodes (shared: backends differ only in how they fetch candidates) ---
    @abstractmethod
    def _rank(self, text: str, kind: str) -> list[tuple[str, Match]]:
        """Nodes of one kind whose names match the text, ranked by graph.matching, best first."""

    def _resolve(self, text: str, kinds: list[str]) -> list[str]:
        """Ids of the entity the text names: the best-scoring tier across the kinds."""
        ranked = [item for kind in kinds for item in self._rank(text, kind)]
        ranked.sort(key=lambda item: (-item[1].score, -item[1].recall, item[0]))
        return top_tier(ranked)

    def _resolve_party(self, text: str, kinds: list[str]) -> list[str]:
        """Ids a party's name stands for, including the locality a People's Committee signs for."""
        found: list[str] = []
        for name in party_names(text):
            found += [i for i in self._resolve(name, kinds) if i not in found]
        return found

    def _rank_tasks(self, text: str) -> list[tuple[str, Match]]:
        """Tasks the text names. A question may end by saying whose plan or where ("... phía tỉnh X",
        "(kế hoạch của tỉnh X)", "ở huyện Y"): then the words before it name the task, and of the tasks
        they name, those of that locality (their plan's place, their bodies', where they are held) answer."""
        ranked = self._rank(text, "Task")
        context = self._trailing_locality(text)
        if context is None:
            return ranked
        rest, places = context
        if ranked:
            return [item for item in ranked if self._task_in(item[0], places)] or ranked
        return [item for item in self._rank(rest, "Task") if self._task_in(item[0], places)]

    def _trailing_locality(self, text: str) -> tuple[str, list[Node]] | None:
        """The text before a locality that ends it, and the locality (the longest such ending)."""
        words = text.split()
        for size in range(min(MAX_PLACE_WORDS, len(words) - 1), 0, -1):
            ranked = self._rank(" ".join(words[-size:]), "Locality")
            if ranked:
                places = [node for i in top_tier(ranked) if (node := self.node(i)) is not None]
                return " ".join(words[:-size]), places
        return None

    def _task_in(self, task_id: str, places: list[Node]) -> bool:
        """Whether the task is held in, led from, or planned by one of the places."""
        codes = {p.properties.get("code") for p in places} - {None}
        names = {fold(n) for p in places for n in [p.name, *p.aliases]}
        for node in self.neighbourhood(task_id, 1).nodes:
            props = node.properties
            if node.kind == "Locality" and {props.get("code"), props.get("parent_code")} & codes:
                return True
            if node.kind == "Organization" and props.get("locality_code") in codes:
                return True
            if node.kind == "Document" and fold(props.get("place")) in names:
                return True
        return False

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def default_db_path() -> Path:
    """Where the embedded store lives: ``$LIENKET_DB``, else ``./data``."""
    return Path(os.environ.get("LIENKET_DB") or "data")


def open_store(backend: str | None = None, db_path: Path | None = None) -> GraphStore:
    """Open the configured backend: ``embedded`` (default) or ``neo4j`` (from NEO4J_* settings)."""
    chosen = (backend or os.environ.get("LIENKET_BACKEND") or "embedded").lower()
    if chosen == "embedded":
        from graph.embedded import EmbeddedStore

        return EmbeddedStore(db_path or default_db_path())
    if chosen == "neo4j":
        from graph.neo4j_store import Neo4jStore

        return Neo4jStore.from_environment()
    raise ValueError(f"unknown backend {chosen!r}: use 'embedded' or 'neo4j'")
