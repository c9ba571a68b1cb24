"""The store interface, and the users' questions written once over it.

Writing is per document (the unit of provenance). Each backend (embedded SQLite, Neo4j)
implements a small set of primitives natively: candidate retrieval through its index of
folded name words, one-hop traversal of a relationship type from a set of nodes, nodes by
id, neighbours. Every question (contacts, partners, agreements, tasks, lead, person, an
organization's tasks, neighbourhood, search) is written here, once, on those primitives:
it starts from the entities the text names and walks outwards, never scanning a kind
unless it must return all of it. Answers are shaped by ``graph.answers``. The contract
suite in tests/ runs the same checks against every backend.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from functools import wraps
from heapq import heappush, heapreplace
from typing import Any, Generic, NamedTuple, TypeVar

from pydantic import BaseModel, Field

from graph import answers, localities
from graph.matching import Match, Names, Ranking, accept, held_bound, rank, spellings, top_tier, words_to_look_up
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
    Relationship,
    RemoveSummary,
    SearchHit,
    TaskAnswer,
    WriteSummary,
    node_kinds,
)
from graph.text import fold, tokens

Links = dict[str, list[tuple[Relationship, Node]]]
T = TypeVar("T")


MAX_PLACE_WORDS = 5  # "thành phố Hồ Chí Minh": the longest locality name a question ends with
# Limits every front end applies alike (command-line options, API parameters): defined here, once.
YEARS = (1900, 2200)  # a year filter outside these is a typo
MAX_DEPTH = 4  # hops of a neighbourhood
MAX_TEXT = 300  # characters of a name typed in a question or filter
# A node or relationship in a neighbourhood or search answer lists the sources of its first documents only.
ANSWER_DOCUMENTS = 20
HELD_CHUNK = 256  # candidates ranked at a time by ``_rank_held``, between looks at whether the rest can matter


class GraphFilter(BaseModel):
    """A part of the graph: nodes of these kinds, touching these sectors, years or localities.

    Empty fields do not filter. ``sector``, ``year`` and ``locality`` keep the matching
    agreements and tasks with their direct neighbours.
    """

    kinds: list[str] = Field(default_factory=list, description="keep only these node kinds")
    sector: str | None = Field(None, min_length=1, max_length=MAX_TEXT,
                               description="only agreements and tasks of this sector")
    year: int | None = Field(None, ge=YEARS[0], le=YEARS[1], description="only agreements and tasks of this year")
    locality: str | None = Field(None, min_length=1, max_length=MAX_TEXT,
                                 description="only agreements and tasks of this locality")


class AnswerPage(BaseModel, Generic[T]):
    """A slice of a question's answers, in their order, and how many answers there are in all."""

    items: list[T]
    total: int


class CypherResult(BaseModel):
    """Rows of a read-only Cypher query, as JSON values; ``truncated`` when more rows existed."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool


class IndexEntry(NamedTuple):
    """A row of resolution's index (``graph.resolution``): ``owner`` is what wrote it (a document, a
    mention's profile) and replaces it whole; ``key`` is what it is looked up by; ``member`` the
    mention it is about; ``data`` a JSON text (or empty)."""

    owner: str
    key: str
    member: str
    data: str


class CypherNotSupported(Exception):
    """The backend cannot run Cypher (the embedded store)."""


class CypherRefused(Exception):
    """The query is not a valid read-only query, so it was not run."""


class CypherTimedOut(Exception):
    """The query ran longer than its time limit and was stopped by the server."""


class StoreUnavailable(Exception):
    """The store's database cannot be used at all: it cannot be reached, or it refuses the login. The
    message says which, and where (never with the password)."""


QuestionMethod = TypeVar("QuestionMethod", bound=Callable[..., Any])


def question(method: QuestionMethod) -> QuestionMethod:
    """A question: the backend runs it whole (``GraphStore._answer``), so that one that reads a
    cluster in the middle of a leader change can be asked again rather than fail."""
    @wraps(method)
    def answered(self: GraphStore, *args: Any, **kwargs: Any) -> Any:
        return self._answer(lambda: method(self, *args, **kwargs))
    return answered  # type: ignore[return-value]


class GraphStore(ABC):
    """A cooperation graph store. Safe to share between threads; backends make concurrent
    processes safe themselves."""

    # Whether ``_holders`` costs the same whatever the length of the words' posting lists (they are
    # intersected in memory): then a look-up needs as many of the query's words as the threshold allows
    # (``matching.words_to_look_up``), else it stays within a budget of index entries read.
    _narrowest_look_up = False
    # Whether the backend tells a look-up's candidates apart by how many of the question's words they hold
    # before reading their names (``_holder_tiers``, ``_names``), so that a page of search reads only those
    # that can be on it or counted (``_rank_held``).
    _tiers_held = False

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

    def import_graph(self, graph: Graph) -> None:
        """Load a whole exported graph: each source's document becomes a claim owner."""
        for doc in answers.split_by_document(graph):
            self.write_document(doc)

    @abstractmethod
    def close(self) -> None:
        """Release connections and locks."""

    def warm_up(self) -> None:
        """Read into memory what questions will need, once, before a long-lived process answers its first
        (``lienket serve``'s workers). A store whose server keeps its own caches has nothing to do."""

    # --- resolution: what documents named, and the judgements (graph.resolution) ------
    @abstractmethod
    def mention_graphs(self, skip: str | None = None, only: Iterable[str] | None = None) -> dict[str, DocumentGraph]:
        """Each resolved document's graph as it was read, before resolution renamed its entities
        (but the document ``skip``: resolving a document just read, its graph is at hand; ``only``:
        of these documents only)."""

    @abstractmethod
    def save_mention_graph(self, doc: DocumentGraph) -> None:
        """Keep a document's graph as it was read (replacing an earlier version)."""

    @abstractmethod
    def drop_mention_graph(self, document: str) -> None:
        """Forget a document's graph as read (nothing happens when there is none)."""

    @abstractmethod
    def document_text(self, document: str) -> str | None:
        """A document's own text as the readers gave it (None when the store has none for it)."""

    @abstractmethod
    def save_document_text(self, document: str, text: str) -> None:
        """Keep a known document's text beside its facts, outside the graph; removing the document removes it."""

    @abstractmethod
    def judgements(self) -> list[Judgement]:
        """Every stored judgement, by id."""

    @abstractmethod
    def save_judgements(self, judgements: list[Judgement]) -> None:
        """Add or replace judgements (by id)."""

    @abstractmethod
    def drop_judgements(self, ids: list[str]) -> None:
        """Delete judgements by id (unknown ids are ignored)."""

    @abstractmethod
    def judgements_about(self, ids: Iterable[str]) -> list[Judgement]:
        """The stored judgements whose left or right is one of these ids, by id (read through an index)."""

    @abstractmethod
    def index_entries(self, keys: Iterable[str] = (), owners: Iterable[str] = (),
                      limit: int | None = None) -> list[IndexEntry]:
        """Resolution's index entries under these keys (at most ``limit`` of each key's, by member)
        and those of these owners, each once, by owner, key and member (read through an index)."""

    @abstractmethod
    def replace_index_entries(self, owners: Iterable[str] | None, entries: list[IndexEntry]) -> None:
        """Drop the index entries of these owners (every entry when ``owners`` is None), then add these."""

    def read_cypher(self, query: str, parameters: dict[str, Any], limit: int, timeout_s: float) -> CypherResult:
        """Run a read-only Cypher query with parameters: at most ``limit`` rows, stopped after ``timeout_s``.

        Raises CypherNotSupported on backends without Cypher, CypherRefused for a query that
        could write (or is not valid Cypher), CypherTimedOut when the server stops it."""
        raise CypherNotSupported(f"the {type(self).__name__} backend cannot run Cypher; use the neo4j backend")

    # --- primitives each backend implements natively --------------------------------------
    @abstractmethod
    def _nodes(self, ids: Iterable[str], sources: bool = True, first: int | None = None) -> dict[str, Node]:
        """The nodes with these ids that exist, by id (``sources=False``: a backend may leave their
        sources out, when only names and properties are read; ``first``: only the sources of each
        node's first documents, by name)."""

    def _dated(self, ids: Iterable[str]) -> dict[str, answers.Dated]:
        """The nodes with these ids that exist, by id, as telling their years reads them (``answers.Dated``: names
        and date properties; a backend may read only those, without building the nodes)."""
        return {node_id: answers.dated(node) for node_id, node in self._nodes(ids, sources=False).items()}

    @abstractmethod
    def _document_counts(self, node_ids: Iterable[str], rel_ids: Iterable[str]) -> dict[str, int]:
        """How many documents support each of these nodes and relationships, by id."""

    @abstractmethod
    def _ids_of(self, kind: str) -> list[str]:
        """Ids of every node of a kind (only for questions that return all of them)."""

    @abstractmethod
    def _walk(self, ids: Iterable[str], rel_type: str, outgoing: bool, sources: bool = True,
              far_sources: bool | None = None) -> Links:
        """For each of the nodes, its relationships of a type (outgoing, or incoming) with the node at
        their other end, ordered by relationship id. A backend may leave out the sources of the
        relationships when ``sources`` is false, and those of the nodes at the other end when
        ``far_sources`` is (by default, as ``sources``)."""

    @abstractmethod
    def _out_counts(self, ids: Iterable[str], rel_type: str) -> dict[str, int]:
        """For each of the nodes, how many outgoing relationships of a type ``_walk`` would give it (none:
        left out), counted without reading them."""

    @abstractmethod
    def _holder_counts(self, groups: list[tuple[str, list[str]]], cap: int) -> list[int]:
        """For each (kind, folded words), about how many nodes of the kind have a name holding one
        of the words (counting stops at ``cap``; a node holding two of them may count twice).
        Only the order matters: it decides which words are looked up, never which nodes match."""

    @abstractmethod
    def _holders(self, wanted: dict[str, tuple[list[list[str]], int]]) -> dict[str, tuple[str, Names]]:
        """Nodes of each kind whose names hold a word of at least ``n`` of the kind's groups of folded
        words (kind → (groups, n)): id → (kind, folded names). A name word in two groups counts for both."""

    def _holder_tiers(self, kind: str, groups: list[list[str]], at_least: int,
                      counted_groups: list[list[str]]) -> list[tuple[tuple[int, int] | None, list[str]]]:
        """(A backend whose ``_tiers_held``.) The ids ``_holders`` finds for one kind (groups, at least), by how
        many of ``counted_groups`` they hold, as ((exact, held), ids): the group's first word in ``exact`` of
        them, any of its words in ``held``; or all it finds as (None, ids), when it does not tell them apart."""
        raise NotImplementedError

    def _names(self, node_ids: list[str]) -> dict[str, Names]:
        """(A backend whose ``_tiers_held``.) The folded names of these nodes."""
        raise NotImplementedError

    @abstractmethod
    def _adjacency(self, ids: Iterable[str]) -> dict[str, set[str]]:
        """For each of the nodes, the ids one relationship away from it (either direction)."""

    @abstractmethod
    def _relationships_between(self, pairs: list[tuple[str, str]]) -> list[list[Relationship]]:
        """For each pair of nodes, the relationships joining them (either direction), by id."""

    @abstractmethod
    def _relationships_among(self, ids: set[str], first: int | None = None) -> list[Relationship]:
        """The relationships whose two ends are both among these nodes, by id (``first``: only the
        sources of each one's first documents, by name)."""

    def _graph_json(self, ids: set[str]) -> bytes:
        """The JSON of the Graph of these nodes and the relationships among them, each fact with the sources of
        its first ``ANSWER_DOCUMENTS`` documents (a backend that keeps each fact's JSON may write it as kept)."""
        return self._graph_of(ids, ANSWER_DOCUMENTS).model_dump_json().encode()

    def _snapshot(self) -> Any:
        """A context in which every read sees one state of the store (a backend may offer it)."""
        return nullcontext()

    def resolving(self) -> Any:
        """A context held while resolution reads its index, judges and rewrites, in several
        transactions: one resolver at a time over the store (a backend may offer it)."""
        return nullcontext()

    def _answer(self, work: Callable[[], T]) -> T:
        """Run a whole question (a backend may run it again when its reads fail transiently)."""
        return work()

    # --- reading: the graph --------------------------------------------------------
    def node(self, node_id: str) -> Node | None:
        """The node with this id, or None."""
        return self._nodes([node_id]).get(node_id)

    def search(self, text: str, kinds: list[str] | None = None, limit: int = 20,
               first_documents: int | None = None) -> list[SearchHit]:
        """Nodes whose name matches the text (accent- and case-insensitive), best first.

        ``first_documents``: each hit's sources come from its first documents only (by name), and
        a hit supported by more says how many in ``document_count``."""
        return self.search_page(text, kinds, 0, limit, limit, first_documents).items

    @question
    def search_page(self, text: str, kinds: list[str] | None = None, offset: int = 0, limit: int = 20,
                    most: int | None = None, first_documents: int | None = None) -> AnswerPage[SearchHit]:
        """The hits from ``offset`` on (at most ``limit``) among the best ``most``, and how many of those
        there are; as ``search``. Only the page's nodes are read, with their sources."""
        with self._snapshot():
            page = None if most is None else (min(offset + limit, most), most)  # what must be right
            ranked = self._rank_kinds(text, kinds or node_kinds(), page)
            ranked.sort(key=lambda entry: (-entry[2].score, entry[0], entry[1]))
            best = ranked[:most]
            chosen = best[offset:offset + limit]
            nodes = self._nodes((node_id for _, node_id, _ in chosen), first=first_documents)
            counts = self._cut_counts(nodes, [], first_documents)
            return AnswerPage(items=[SearchHit(id=node_id, kind=kind, name=nodes[node_id].name, score=match.score,
                                               sources=nodes[node_id].sources, document_count=counts.get(node_id))
                                     for kind, node_id, match in chosen], total=len(best))

    @question
    def neighbourhood(self, node_id: str, depth: int = 1, limit: int = 500,
                      first_documents: int | None = None) -> Graph:
        """The node and everything within ``depth`` hops (either direction), the nearest ``limit``
        of them (ties by id). KeyError if unknown.

        ``first_documents``: the sources of each node and relationship come from its first
        documents only (by name), and ``document_counts`` says how many support those cut so:
        a province or a sector named in thousands of documents stays a small answer."""
        with self._snapshot():
            return self._graph_of(self._nearest(node_id, depth, limit), first_documents)

    @question
    def neighbourhood_json(self, node_id: str, depth: int = 1, limit: int = 500) -> bytes:
        """``neighbourhood`` with the sources of each fact's first ``ANSWER_DOCUMENTS`` documents, as its
        Graph's JSON (what the API sends, ``Graph.model_dump_json``). KeyError if unknown."""
        with self._snapshot():
            return self._graph_json(self._nearest(node_id, depth, limit))

    def _nearest(self, node_id: str, depth: int, limit: int) -> set[str]:
        """The node and the nearest ``limit`` within ``depth`` hops of it (ties by id). KeyError if unknown."""
        if not self._nodes([node_id], sources=False):  # a hub's own sources are read with the others, cut
            raise KeyError(node_id)
        reached = {node_id: 0}
        frontier = [node_id]
        for distance in range(1, depth + 1):
            if not frontier or len(reached) >= limit:
                break  # nodes farther out would sort after the ones already kept
            frontier = self._ring(frontier, set(reached), limit - len(reached))
            reached.update({i: distance for i in frontier})
        return set(sorted(reached, key=lambda i: (reached[i], i))[:limit])

    @question
    def shortest_path(self, start_id: str, end_id: str) -> Graph | None:
        """A shortest path (ignoring direction) between two nodes, or None when there is none.
        KeyError if either id is unknown.

        A breadth-first search from both ends, a level at a time, expanding the smaller side;
        among equally short paths the one through the smallest ids, so every backend gives the same."""
        with self._snapshot():
            ends = self._nodes([start_id, end_id])
            for node_id in (start_id, end_id):
                if node_id not in ends:
                    raise KeyError(node_id)
            parents: tuple[dict[str, str | None], dict[str, str | None]] = ({start_id: None}, {end_id: None})
            frontiers = ([start_id], [end_id])
            meeting = {start_id} & {end_id}
            while not meeting and frontiers[0] and frontiers[1]:
                side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
                reached = parents[side]
                adjacency = self._adjacency(frontiers[side])
                following = []
                for node_id in frontiers[side]:
                    for other in sorted(adjacency.get(node_id, ())):
                        if other not in reached:
                            reached[other] = node_id
                            following.append(other)
                frontiers = (following, frontiers[1]) if side == 0 else (frontiers[0], following)
                meeting = set(following) & set(parents[1 - side])
            if not meeting:
                return None
            middle = min(meeting)
            path = self._trace(parents[0], middle)[::-1] + self._trace(parents[1], middle)[1:]
            nodes = self._nodes(path)
            rels = [min(found, key=lambda r: r.id) for found in self._relationships_between(list(zip(path, path[1:])))]
            return Graph(nodes=[nodes[i] for i in path], relationships=rels)

    @staticmethod
    def _trace(parents: dict[str, str | None], node_id: str) -> list[str]:
        """From a node back to where the search started."""
        path = [node_id]
        while (parent := parents[path[-1]]) is not None:
            path.append(parent)
        return path

    def _ring(self, ids: Iterable[str], reached: set[str], at_most: int) -> list[str]:
        """The ``at_most`` first by id of the nodes one relationship away from these and not reached yet,
        sorted: nearer nodes than those cut would come first (a backend may cut them where they are read)."""
        return sorted(self._neighbours(ids) - reached)[:at_most]

    def _neighbours(self, ids: Iterable[str]) -> set[str]:
        """Ids of the nodes one relationship away (either direction) from any of these."""
        return {other for others in self._adjacency(ids).values() for other in others}

    @abstractmethod
    def counts(self) -> Counts:
        """Node counts by kind, relationship counts by type, number of documents."""

    @abstractmethod
    def _whole_graph(self) -> Graph:
        """Every node and relationship, by id."""

    @question
    def subgraph(self, graph_filter: GraphFilter | None = None) -> Graph:
        """The whole graph, or the part that a filter selects."""
        chosen = graph_filter or GraphFilter()
        with self._snapshot():
            if not (chosen.sector or chosen.year or chosen.locality):
                whole = self._whole_graph()
                if not chosen.kinds:
                    return whole
                keep = {n.id for n in whole.nodes if n.kind in chosen.kinds}
                return Graph(nodes=[n for n in whole.nodes if n.id in keep],
                             relationships=[r for r in whole.relationships if r.start in keep and r.end in keep])
            seeds = self._selected(chosen)
            keep_ids = seeds | (self._neighbours(sorted(seeds)) if seeds else set())
            if chosen.kinds:
                keep_ids = {i for i, n in self._nodes(keep_ids).items() if n.kind in chosen.kinds}
            return self._graph_of(keep_ids)

    def _selected(self, chosen: GraphFilter) -> set[str]:
        """Agreements and tasks that touch the filter's sector, year and locality."""
        candidates = self._nodes(self._ids_of("Agreement") + self._ids_of("Task"))
        covers = self._out(candidates, "COVERS")
        wanted = set(self._resolve(chosen.locality, ["Locality"])) if chosen.locality else set()
        places: dict[str, set[str]] = defaultdict(set)
        if chosen.locality:  # the localities an agreement or task touches, itself or through its bodies
            near = [(a, n) for rel_type in ("PARTY", "HELD_IN", "LED_BY", "COORDINATED_BY")
                    for a, links in self._out(candidates, rel_type).items() for _, n in links]
            bodies_of = self._out({n.id for _, n in near if n.kind == "Organization"}, "OF")
            for seed, neighbour in near:
                if neighbour.kind == "Locality":
                    places[seed].add(neighbour.id)
                places[seed].update(loc.id for _, loc in bodies_of.get(neighbour.id, []))
        selected = set()
        for node in candidates.values():
            if chosen.sector and not any(answers.same_name(chosen.sector, s) for _, s in covers.get(node.id, [])):
                continue
            if chosen.year and not answers.in_year(node, chosen.year):
                continue
            if chosen.locality and not places[node.id] & wanted:
                continue
            selected.add(node.id)
        return selected

    # --- reading: the users' questions --------------------------------------------
    def contacts(self, activity: str) -> list[ContactAnswer]:
        """Contact points of the tasks and events that match the activity, best first."""
        return self.contacts_page(activity).items

    @question
    def contacts_page(self, activity: str, offset: int = 0, limit: int | None = None) -> AnswerPage[ContactAnswer]:
        """The contacts from ``offset`` on (at most ``limit``) and how many there are in all.

        The contacts are in order by score, task, side asked and name: by task first, so only the
        contacts of the page's tasks are read (``_links_page``), with their tasks and sources: a question
        matching hundreds of tasks builds a page of answers, not all of them."""
        with self._snapshot():
            scores = {task_id: match.score for task_id, match in self._rank_tasks(activity)}
            if spans := answers.asked_years(activity):
                # "... năm 2023": an edition of another year has other contacts; its contact would mislead
                tasks = self._dated(scores)
                scores = {i: s for i, s in scores.items() if not answers.of_other_years(tasks[i], spans)}
            tasks_in_order = sorted(scores, key=lambda task_id: (-scores[task_id], task_id))
            page_tasks, skipped, total = self._links_page(tasks_in_order, "CONTACT", offset, limit)
            side = asked_side(activity)
            order = sorted(((-scores[task_id], task_id, -on_side(side, rel.properties.get("organization")), person.name,
                             rel.id), rel, person)  # a contact's own sources are not shown
                           for task_id, links in self._out(page_tasks, "CONTACT", far_sources=False).items()
                           for rel, person in links)
            chosen = order[offset - skipped:] if limit is None else order[offset - skipped:offset - skipped + limit]
            tasks = self._nodes(page_tasks)
            return AnswerPage(items=[answers.contact(tasks[key[1]], scores[key[1]], rel, person)
                                     for key, rel, person in chosen], total=total)

    def lead(self, task: str) -> list[LeadAnswer]:
        """Lead agencies of the tasks that match, best match first."""
        return self.lead_page(task).items

    @question
    def lead_page(self, task: str, offset: int = 0, limit: int | None = None) -> AnswerPage[LeadAnswer]:
        """The lead agencies from ``offset`` on (at most ``limit``) and how many there are in all; as
        ``contacts_page``, only the page's tasks, lead agencies and sources are read."""
        with self._snapshot():
            ranked = self._rank_tasks(task)
            if spans := answers.asked_years(task):
                tasks = self._dated(i for i, _ in ranked)
                ranked = [(i, m) for i, m in ranked if not answers.of_other_years(tasks[i], spans)]
            scores = {task_id: match.score for task_id, match in ranked}
            page_tasks, skipped, total = self._links_page(list(scores), "LED_BY", offset, limit)
            leads = self._out(page_tasks, "LED_BY", far_sources=False)  # nor a lead agency's sources
            order = [(task_id, rel, org) for task_id in page_tasks for rel, org in leads.get(task_id, [])]
            chosen = order[offset - skipped:] if limit is None else order[offset - skipped:offset - skipped + limit]
            tasks = self._nodes(page_tasks)
            return AnswerPage(items=[answers.lead(tasks[task_id], scores[task_id], rel, org)
                                     for task_id, rel, org in chosen], total=total)

    def _links_page(self, ordered: list[str], rel_type: str, offset: int,
                    limit: int | None) -> tuple[list[str], int, int]:
        """For answers listed node by node in this order, each node's outgoing relationships of a type
        together: the nodes whose relationships fall in the page from ``offset`` (at most ``limit``), how
        many relationships come before the first of them, and how many there are in all (counted, not read)."""
        counts = self._out_counts(ordered, rel_type)
        page, skipped, before = [], 0, 0
        for node_id in ordered:
            count = counts.get(node_id, 0)
            if count and before + count > offset and (limit is None or before < offset + limit):
                skipped = skipped if page else before
                page.append(node_id)
            before += count
        return page, skipped, before

    @question
    def partners(self, locality: str, within: bool = False, as_of: str | None = None) -> list[PartnerAnswer]:
        """Localities that share an agreement with this locality (or the bodies that govern it: its
        People's Committee, Council or Party committee; a Sở, a hospital or a union signs for itself).

        The name also finds the agreements of the former unit it carries on in the 2025
        reorganisation (the one whose name it kept, or only renamed; each such answer says how, in ``link``),
        not those of units merged into it under another name, never its successor's; units inside it count only
        ``within``; ``as_of`` (ISO day) reads the name as the unit of that day and keeps the
        agreements signed by then. See ``graph.localities``."""
        with self._snapshot():
            asked = self._resolve_party(locality, ["Locality"])
            links = self._locality_links(asked, within)
            covered = localities.scope(asked, links, within, as_of)
            agreements = self._agreements_signed_by(set(covered))
            party_links, places, labels = self._parties_placed(agreements)
            return localities.partner_answers(
                covered, [(agreement, party_links.get(agreement_id, [])) for agreement_id, agreement in
                          sorted(agreements.items())],
                lambda party: places.get(party.id), lambda place: labels[place.id], as_of,
                frozenset(localities.absorbed(asked, links, as_of)))

    def _parties_placed(self, agreement_ids: Iterable[str]) -> tuple[Links, dict[str, Node], dict[str, str]]:
        """The agreements' PARTY links (no sources), the locality each party acting for one stands for, and those
        localities' display names. A backend may read them in one go (the walks' order kept)."""
        party_links = self._out(agreement_ids, "PARTY", sources=False)
        # a Sở, a hospital or a university signs for itself, not for its province (organization_categories.csv),
        # as a district signs for itself and not for its province
        places = self._localities_of(p for items in party_links.values() for _, p in items
                                     if answers.acts_for_locality(p))
        labels = self._displays({place.id: place for place in places.values()}.values())
        return party_links, places, labels

    def _locality_links(self, asked: list[str], within: bool) -> localities.LocalityLinks:
        """The localities a partner question can reach, with their links: those asked, the units
        they took over in the 2025 reorganisation, with ``within`` every unit inside these, and
        each one's parent (for labels). A backend may read them in one go (the walks' order kept)."""
        succession = list(self._in(asked, "SUCCEEDED_BY", sources=False).values())
        rels = [rel for items in succession for rel, node in items if node.kind == "Locality"]
        reached = set(asked) | {r.start for r in rels} | {r.end for r in rels}
        # where each former unit went: all of it into the asked unit, or split among several
        rels += [rel for items in self._out({r.start for r in rels}, "SUCCEEDED_BY", sources=False).values()
                 for rel, node in items if node.kind == "Locality"]
        if within:
            reached = self._with_descendants(reached)
        rels += [rel for items in self._out(reached, "PART_OF", sources=False).values() for rel, node in items
                 if node.kind == "Locality"]
        nodes = self._nodes(reached | {r.end for r in rels}, sources=False)
        return localities.LocalityLinks.of(Graph(nodes=list(nodes.values()), relationships=rels))

    @question
    def agreements_between(self, party_a: str, party_b: str) -> list[AgreementAnswer]:
        """Agreements that have both parties (localities or organizations), newest first."""
        with self._snapshot():
            side_a = set(self._resolve_party(party_a, ["Locality", "Organization"]))
            side_b = set(self._resolve_party(party_b, ["Locality", "Organization"]))
            of_a, of_b = self._agreements_signed_by(side_a), self._agreements_signed_by(side_b)
            agreements = {i: a for i, a in of_a.items() if i in of_b}
            links = self._out(agreements, "PARTY")
            parties = {a: [p for _, p in links.get(a, [])] for a in agreements}
            places = self._localities_of(p for items in parties.values() for p in items)
            covers = self._out(agreements, "COVERS", far_sources=False)
            matched = []
            for agreement_id, agreement in sorted(agreements.items()):
                if answers.fields_unread(agreement, [rel for rel, _ in covers.get(agreement_id, [])]):
                    continue  # its date and parties are read, its fields not: they would be answered as all it covers
                direct = {p.id for p in parties[agreement_id]}
                via = {places[p.id].id for p in parties[agreement_id] if p.id in places}
                sides = [({p.id} | ({places[p.id].id} if p.id in places else set()), rel.properties.get("side"))
                         for rel, p in links.get(agreement_id, [])]
                if not answers.face_each_other([s for ids, s in sides if ids & side_a],
                                               [s for ids, s in sides if ids & side_b]):
                    continue  # both on the side that cooperates with the convener, not with each other
                if (direct & side_a and direct & side_b) or (via & side_a and via & side_b):
                    closeness = 0 if (direct & side_a and direct & side_b) else 1
                    matched.append((closeness, agreement, parties[agreement_id]))
            return answers.sort_agreements(self._agreement_answers(matched))

    @question
    def person(self, name: str) -> list[PersonAnswer]:
        """Positions of the person that matches the name, the most relevant first."""
        with self._snapshot():
            people = self._nodes(self._resolve(name, ["Person"]))
            holds = self._out(people, "HOLDS")
            result = [answers.position(people[pid], rel, org) for pid in people for rel, org in holds.get(pid, [])]
            return answers.sort_positions(result, {org.id: org for items in holds.values() for _, org in items})

    @question
    def org_tasks(self, organization: str, coordinating: bool = False) -> list[OrgTaskAnswer]:
        """Tasks an organization leads (role ``lead``): the tasks it carries out, as the question
        contract counts them; with ``coordinating`` also those it coordinates (role ``coordinate``)."""
        roles = [("LED_BY", "lead")] + ([("COORDINATED_BY", "coordinate")] if coordinating else [])
        with self._snapshot():
            orgs = self._nodes(self._resolve(organization, ["Organization"]))
            result = []
            for rel_type, role in roles:
                tasks = self._in(orgs, rel_type)
                result += [answers.org_task(task, role, rel, orgs[oid])
                           for oid in orgs for rel, task in tasks.get(oid, [])]
            return answers.sort_org_tasks(result)

    @question
    def find_tasks(self, lead: str | None = None, coordinator: str | None = None, sector: str | None = None,
                   timeframe: str | None = None, place: str | None = None) -> list[TaskAnswer]:
        """Tasks that meet every given filter (all tasks when none is given), ordered by id.

        ``lead``, ``coordinator`` (organizations), ``sector`` and ``place`` (a locality; a task
        held in a district is also in its province) are texts resolved to entities like any
        question; a text that names no entity matches no task. ``timeframe`` is ISO ("2024",
        "2024-09"): the task's timeframe starts with it, or, for a year, its period spans it."""
        with self._snapshot():
            leads_wanted = self._wanted(lead, ["Organization"])
            coordinators_wanted = self._wanted(coordinator, ["Organization"])
            sectors_wanted = self._wanted(sector, ["Sector"])
            places_wanted = self._wanted(place, ["Locality"])
            # Start from the narrowest filter that names entities; only no filter at all reads every task.
            if leads_wanted is not None:
                tasks = self._ends(self._in(leads_wanted, "LED_BY"))
            elif coordinators_wanted is not None:
                tasks = self._ends(self._in(coordinators_wanted, "COORDINATED_BY"))
            elif sectors_wanted is not None:
                tasks = self._ends(self._in(sectors_wanted, "COVERS"), "Task")
            elif places_wanted is not None:
                tasks = self._ends(self._in(self._with_descendants(places_wanted), "HELD_IN"))
            else:
                tasks = self._nodes(self._ids_of("Task"))
            leads, coordinators = self._out(tasks, "LED_BY"), self._out(tasks, "COORDINATED_BY")
            covers, held, listed = self._out(tasks, "COVERS"), self._out(tasks, "HELD_IN"), self._out(tasks, "LISTED_IN")
            labels = self._displays(loc for items in held.values() for _, loc in items)
            result = []
            for node in tasks.values():
                places = [loc for _, loc in held.get(node.id, [])]
                checks = [
                    (leads_wanted, {o.id for _, o in leads.get(node.id, [])}),
                    (coordinators_wanted, {o.id for _, o in coordinators.get(node.id, [])}),
                    (sectors_wanted, {s.id for _, s in covers.get(node.id, [])}),
                    (places_wanted, self._with_ancestors({loc.id for loc in places}) if places_wanted else set()),
                ]
                if any(wanted is not None and not wanted & have for wanted, have in checks):
                    continue
                if timeframe is not None and not answers.in_timeframe(node, timeframe):
                    continue
                result.append(answers.task(node, leads.get(node.id, []), coordinators.get(node.id, []),
                                           [s for _, s in covers.get(node.id, [])], [labels[loc.id] for loc in places],
                                           [d for _, d in listed.get(node.id, [])]))
            return sorted(result, key=lambda a: a.task_id)

    @question
    def find_agreements(self, party: str | None = None, sector: str | None = None,
                        year: int | None = None) -> list[AgreementAnswer]:
        """Agreements that meet every given filter (all agreements when none is given), newest first.

        ``party`` is a locality or organization that signed (directly or through one of its
        bodies), ``sector`` a sector the agreement covers, ``year`` one its date touches (its period
        when it has no date: see ``graph.answers.in_year``)."""
        with self._snapshot():
            parties_wanted = self._wanted(party, ["Locality", "Organization"])
            sectors_wanted = self._wanted(sector, ["Sector"])
            if parties_wanted is not None:
                agreements = self._agreements_signed_by(parties_wanted)
            elif sectors_wanted is not None:
                agreements = self._ends(self._in(sectors_wanted, "COVERS"), "Agreement")
            else:
                agreements = self._nodes(self._ids_of("Agreement"))
            parties = self._parties(agreements)
            places = self._localities_of(p for items in parties.values() for p in items)
            covers = self._out(agreements, "COVERS")
            matched = []
            for agreement_id, agreement in sorted(agreements.items()):
                signed = parties[agreement_id]
                signers = {p.id for p in signed} | {places[p.id].id for p in signed if p.id in places}
                if parties_wanted is not None and not parties_wanted & signers:
                    continue
                if sectors_wanted is not None and not sectors_wanted & {s.id for _, s in covers.get(agreement_id, [])}:
                    continue
                if year is not None and not answers.in_year(agreement, year):
                    continue
                matched.append((0, agreement, signed))
            return answers.sort_agreements(self._agreement_answers(matched))

    # --- walking, shared by the questions -----------------------------------------------
    # ``sources=False`` where an answer shows only names: a province or a sector at the other end
    # of a walk is supported by thousands of documents, whose sources nobody would read.
    def _out(self, ids: Iterable[str], rel_type: str, sources: bool = True, far_sources: bool | None = None) -> Links:
        return self._walk(ids, rel_type, outgoing=True, sources=sources, far_sources=far_sources)

    def _in(self, ids: Iterable[str], rel_type: str, sources: bool = True) -> Links:
        return self._walk(ids, rel_type, outgoing=False, sources=sources)

    @staticmethod
    def _ends(links: Links, kind: str | None = None) -> dict[str, Node]:
        """The nodes at the other end of the links, optionally of one kind only."""
        return {n.id: n for items in links.values() for _, n in items if kind is None or n.kind == kind}

    def _graph_of(self, node_ids: set[str], first_documents: int | None = None) -> Graph:
        nodes = self._nodes(node_ids, first=first_documents)
        rels = self._relationships_among(set(nodes), first_documents)
        return Graph(nodes=[nodes[i] for i in sorted(nodes)], relationships=rels,
                     document_counts=self._cut_counts(nodes, [r.id for r in rels], first_documents))

    def _cut_counts(self, node_ids: Iterable[str], rel_ids: list[str], first: int | None) -> dict[str, int]:
        """How many documents support the facts whose sources were cut to their ``first`` documents."""
        if first is None:
            return {}
        return {i: n for i, n in self._document_counts(node_ids, rel_ids).items() if n > first}

    def _agreements_signed_by(self, signers: set[str]) -> dict[str, Node]:
        """Agreements (with their sources) with one of these localities or organizations as a party, or a
        body OF one of them (a backend may walk there in one read)."""
        bodies = self._ends(self._in(signers, "OF", sources=False))
        return self._nodes(self._ends(self._in(signers | set(bodies), "PARTY", sources=False), "Agreement"))

    def _parties(self, agreements: dict[str, Node]) -> dict[str, list[Node]]:
        links = self._out(agreements, "PARTY", sources=False)
        return {a: [p for _, p in links.get(a, [])] for a in agreements}

    def _agreement_answers(self, matched: list[tuple[int, Node, list[Node]]]) -> list[tuple[int, AgreementAnswer]]:
        sectors = self._out([a.id for _, a, _ in matched], "COVERS")
        labels = self._displays(p for _, _, parties in matched for p in parties)
        return [(closeness, answers.agreement(a, [labels[p.id] for p in parties],
                                              [s.name for _, s in sectors.get(a.id, [])]))
                for closeness, a, parties in matched]

    def _localities_of(self, nodes: Iterable[Node]) -> dict[str, Node]:
        """Each node's locality: itself for a locality, else the first place it is OF."""
        nodes = list(nodes)
        return self._placed(nodes, self._out([n.id for n in nodes if n.kind != "Locality"], "OF", sources=False))

    @staticmethod
    def _placed(nodes: list[Node], places: Links) -> dict[str, Node]:
        """``_localities_of`` from the OF links of the nodes that are not localities (of others too, unused)."""
        found = {n.id: n for n in nodes if n.kind == "Locality"}
        found.update({n.id: places[n.id][0][1] for n in nodes if n.kind != "Locality" and places.get(n.id)})
        return found

    def _displays(self, nodes: Iterable[Node]) -> dict[str, str]:
        """Display names: a district or commune with its parent ('Huyện Tuy Đức, Tỉnh Đắk Nông')."""
        nodes = list(nodes)
        return self._labelled(nodes, self._out([n.id for n in nodes if n.kind == "Locality"], "PART_OF",
                                               sources=False))

    @staticmethod
    def _labelled(nodes: list[Node], parents: Links) -> dict[str, str]:
        """``_displays`` from the PART_OF links of the localities among the nodes (of others too, unused)."""
        return {n.id: answers.locality_label(n, parents[n.id][0][1]) if n.kind == "Locality" and parents.get(n.id)
                else n.name for n in nodes}

    def _with_ancestors(self, locality_ids: set[str]) -> set[str]:
        """The localities and every unit they are PART_OF (a district's province, its region)."""
        found: set[str] = set()
        todo = set(locality_ids)
        while todo:
            found |= todo
            todo = set(self._ends(self._out(todo, "PART_OF", sources=False))) - found
        return found

    def _with_descendants(self, locality_ids: set[str]) -> set[str]:
        """The localities and every unit PART_OF them, at any depth."""
        found: set[str] = set()
        todo = set(locality_ids)
        while todo:
            found |= todo
            todo = set(self._ends(self._in(todo, "PART_OF", sources=False), "Locality")) - found
        return found

    # --- matching text to nodes ----------------------------------------------------------
    def _rank_kinds(self, text: str, kinds: list[str],
                    page: tuple[int, int] | None = None) -> list[tuple[str, str, Match]]:
        """(kind, id, match) of the nodes of these kinds whose names match the text, each kind
        ranked by graph.matching, best first (``page`` (k, most): only the best k of all kinds, and
        as many as there are up to ``most``, for sure; see ``_rank_held``).

        Candidates come from the backend's index: only the query's rarer words are looked up, each
        with its one-letter-off spellings, and only the nodes holding enough of them are read (see
        ``matching.words_to_look_up``); two round trips to the index whatever the number of kinds."""
        words = tokens(text)
        if not words:
            return []
        distinct = list(dict.fromkeys(words))
        counts = self._remembered_holder_counts([(kind, w) for kind in kinds for w in distinct])
        wanted = {}
        for index, kind in enumerate(kinds):
            holders = dict(zip(distinct, counts[index * len(distinct):(index + 1) * len(distinct)]))
            needed = words_to_look_up(kind, words, [holders[w] for w in words], self._narrowest_look_up)
            wanted[kind] = ([spellings(w) for w in needed.words], needed.at_least)
        if self._tiers_held and page is not None:
            ranked = self._rank_held(words, wanted, page)
            return [(kind, node_id, match) for kind in kinds for node_id, match in ranked.get(kind, [])]
        found: dict[str, dict[str, Names]] = defaultdict(dict)
        for node_id, (kind, names) in self._holders(wanted).items():
            found[kind][node_id] = names
        return [(kind, node_id, match) for kind in kinds for node_id, match in rank(words, kind, found[kind])]

    def _rank_held(self, words: list[str], wanted: dict[str, tuple[list[list[str]], int]],
                   page: tuple[int, int]) -> dict[str, list[tuple[str, Match]]]:
        """``rank`` of each kind's candidates, best first, as far as a page needs: ``page`` (k, most), the best
        k of all kinds, and at least ``most`` of the answers or all of them. The candidates are told apart
        beforehand by how many of the question's words they hold (``_holder_tiers``) and read most first: those
        holding too few to be accepted (``held_bound``) are never read nor scored, nor those left once the
        ranking holds enough answers and its k-th best score is above what they could score (a search for a
        People's Committee finds 6,500 plans of every province and shows 50, the best of about 1,000 read).
        (Contacts rank every candidate: telling them apart cost as much as it saved.)"""
        counted_groups = [spellings(word) for word in dict.fromkeys(words)]
        chunks = []
        with self._snapshot():
            for kind, (groups, at_least) in wanted.items():
                for tier, ids in self._holder_tiers(kind, groups, at_least, counted_groups):
                    bound = Match(1.0, 1.0) if tier is None else held_bound(tuple(words), *tier)
                    if accept(kind, bound):
                        chunks += [(bound.score, kind, ids[start:start + HELD_CHUNK])
                                   for start in range(0, len(ids), HELD_CHUNK)]
            chunks.sort(key=lambda chunk: -chunk[0])
            rankings = {kind: Ranking(words, kind) for kind in wanted}
            ranked: dict[str, list[tuple[str, Match]]] = defaultdict(list)
            shown, most = page
            found_in_all, best_shown = 0, []  # how many answers found, and the best ``shown`` scores (a heap)
            for bound, kind, ids in chunks:
                if found_in_all >= most and (not shown or best_shown[0] > bound):
                    break
                found = rankings[kind].accepted(self._names(ids))
                ranked[kind] += found
                found_in_all += len(found)
                for _, match in found if shown else ():
                    if len(best_shown) < shown:
                        heappush(best_shown, match.score)
                    elif match.score > best_shown[0]:
                        heapreplace(best_shown, match.score)
        return {kind: sorted(found, key=lambda item: (-item[1].score, -item[1].recall, item[0]))
                for kind, found in ranked.items()}

    def _remembered_holder_counts(self, words: list[tuple[str, str]]) -> list[int]:
        """How many nodes of each kind hold each word or a spelling one letter off, remembered for
        ``HOLDER_COUNT_TTL_S``: the counts only order the look-ups (see ``_holder_counts``), so one
        a little out of date changes no answer, and a question reads the index once, not twice."""
        cache: dict[tuple[str, str], tuple[float, int]] = self.__dict__.setdefault("_holder_count_cache", {})
        now = time.monotonic()
        known = {key: entry[1] for key in words if (entry := cache.get(key)) and now - entry[0] <= HOLDER_COUNT_TTL_S}
        missing = [key for key in dict.fromkeys(words) if key not in known]
        if missing:
            counts = self._holder_counts([(kind, spellings(word)) for kind, word in missing], HOLDER_COUNT_CAP)
            if len(cache) > HOLDER_COUNT_ENTRIES:
                cache.clear()  # another thread may be reading it: each reads from its own ``known``
            for key, count in zip(missing, counts):
                cache[key] = (now, count)
                known[key] = count
        return [known[key] for key in words]

    def _rank(self, text: str, kind: str) -> list[tuple[str, Match]]:
        """Nodes of one kind whose names match the text, best first."""
        return [(node_id, match) for _, node_id, match in self._rank_kinds(text, [kind])]

    def _resolve(self, text: str, kinds: list[str]) -> list[str]:
        """Ids of the entity the text names: the best-scoring tier across the kinds."""
        ranked = [(node_id, match) for _, node_id, match in self._rank_kinds(text, kinds)]
        ranked.sort(key=lambda item: (-item[1].score, -item[1].recall, item[0]))
        return top_tier(ranked)

    def _resolve_party(self, text: str, kinds: list[str]) -> list[str]:
        """Ids a party's name stands for, including the locality a People's Committee signs for. A place
        written with its parents ('xã X, huyện Y, tỉnh Z') is the unit of that name inside them."""
        found: list[str] = []
        for name in answers.party_names(text):
            found += [i for i in self._resolve(name, kinds) if i not in found]
        if not found and "Locality" in kinds:
            found = self._unit_then_parents(text)
        return found or self._renamed_district(text) if "Locality" in kinds else found

    def _unit_then_parents(self, text: str) -> list[str]:
        """A place written with the places it is in: 'xã X, huyện Y, tỉnh Z', or without commas, 'xa Tan Hoa Tay
        Ninh', 'P.9 Q.3 TP.HCM' (abbreviations chained, spelled out by folding). Without commas, the longest
        leading words that name a unit inside the places the remaining words name; else nothing."""
        unit, comma, parents = text.partition(",")
        if comma:
            return self._inside(self._resolve(unit.strip(), ["Locality"]), fold(parents.replace(",", " ")))
        words = fold(text).split()
        for cut in range(len(words) - 1, 1, -1):
            inside = self._inside(self._resolve(" ".join(words[:cut]), ["Locality"]), " ".join(words[cut:]))
            if inside:
                return inside
        return []

    def _renamed_district(self, text: str) -> list[str]:
        """The one district-level unit a name asked with its earlier type stands for ('thị xã X' when the store
        knows it as 'Thành phố X', its type since): by its name alone, of a higher district type. Nothing
        when the name finds no such unit or several (namesakes in other provinces)."""
        written = answers.district_written(text)
        if written is None:
            return []
        name, asked_type = written
        units = [node for node in self._nodes(self._resolve(name, ["Locality"]), sources=False).values()
                 if answers.raised_since(asked_type, node)]
        return [units[0].id] if len(units) == 1 else []

    def _inside(self, ids: list[str], parents: str) -> list[str]:
        """Of these localities, those inside (PART_OF, up the chain) every place the folded text names one after
        another ('quan 3 thanh pho ho chi minh')."""
        kept = []
        for unit_id in ids:
            names, seen, frontier = set(), {unit_id}, {unit_id}
            while frontier:
                links = self._out(frontier, "PART_OF", sources=False)
                above = {node.id: node for items in links.values() for _, node in items if node.kind == "Locality"}
                names |= {answers.place_key(node.name) for node in above.values()}
                frontier = set(above) - seen
                seen |= frontier
            if answers.names_places(parents, names - {""}):
                kept.append(unit_id)
        return kept

    def _wanted(self, text: str | None, kinds: list[str]) -> set[str] | None:
        """Ids a filter text names; None when there is no filter (an empty set matches nothing)."""
        return None if text is None else set(self._resolve(text, kinds))

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
            inside = self._tasks_in([i for i, _ in ranked], places)
            return [item for item in ranked if item[0] in inside] or ranked
        ranked = self._rank(rest, "Task")
        inside = self._tasks_in([i for i, _ in ranked], places)
        return [item for item in ranked if item[0] in inside]

    def _trailing_locality(self, text: str) -> tuple[str, list[Node]] | None:
        """The text before the locality that ends it (the longest such ending), and the locality; a
        cooperation's pair written at the end ("... Cần Thơ - Bạc Liêu", "... A và B") gives both."""
        ending = self._last_place(text.split())
        if ending is None:
            return None
        words, places = ending
        if len(words) > 1 and words[-1] in PAIR_JOINERS and (first := self._last_place(words[:-1])) is not None:
            words, places = first[0], [*first[1], *places]
        return " ".join(words), places

    def _last_place(self, words: list[str]) -> tuple[list[str], list[Node]] | None:
        """The words before a locality that ends them, and the locality (the longest such ending)."""
        for size in range(min(MAX_PLACE_WORDS, len(words) - 1), 0, -1):
            if words[-size] in PAIR_JOINERS:  # "- Tây Ninh" is the place and what joins it to the one before
                continue
            ranked = self._rank(" ".join(words[-size:]), "Locality")
            if ranked:
                return words[:-size], list(self._nodes(top_tier(ranked), sources=False).values())
        return None

    def _tasks_in(self, task_ids: list[str], places: list[Node]) -> set[str]:
        """The tasks held in, led from, or planned by one of the places (the relationships a task
        has to a locality, a body or its plan, walked for all the tasks at once). A task no body leads,
        carrying out an agreement as a whole (the contact point an article names for it), is of the
        places of the agreement's parties."""
        codes = {p.properties.get("code") for p in places} - {None}
        names = {fold(n) for p in places for n in [p.name, *p.aliases]}

        def placed(node: Node) -> bool:
            props = node.properties
            return bool((node.kind == "Locality" and {props.get("code"), props.get("parent_code")} & codes)
                        or (node.kind == "Organization" and props.get("locality_code") in codes)
                        or (node.kind == "Document" and fold(props.get("place")) in names))

        inside, led = set(), set()
        for rel_type in ("HELD_IN", "LED_BY", "COORDINATED_BY", "LISTED_IN"):
            for task_id, links in self._walk(task_ids, rel_type, outgoing=True, sources=False).items():
                led |= {task_id} if rel_type == "LED_BY" and links else set()
                inside |= {task_id} if any(placed(node) for _, node in links) else set()
        unled = [t for t in task_ids if t not in inside and t not in led]
        carried_out = self._walk(unled, "IMPLEMENTS", outgoing=True, sources=False) if unled else {}
        agreements = {node.id for links in carried_out.values() for _, node in links}
        of_places = {agreement_id for agreement_id, links in self._walk(agreements, "PARTY", outgoing=True,
                                                                         sources=False).items()
                     if any(placed(node) for _, node in links)} if agreements else set()
        return inside | {t for t, links in carried_out.items() if any(node.id in of_places for _, node in links)}

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def asked_side(text: str) -> list[str]:
    """The folded words a question writes after 'phía' ('đầu mối phía Cần Thơ của ...'): whose side of a
    cooperation it asks the contact point of; empty when it names no side."""
    words = tokens(text)
    return words[words.index("phia") + 1:][:MAX_PLACE_WORDS] if "phia" in words else []


def on_side(side: list[str], organization: str | None) -> int:
    """How many of the side's first words the contact's body names, in a row ('can tho' in 'So ... Thanh pho Can
    Tho'): a task's contacts for the side asked come before those of the other sides."""
    name = f" {' '.join(tokens(organization or ''))} "
    return next((size for size in range(len(side), 0, -1) if f" {' '.join(side[:size])} " in name), 0)


# What joins the two places of a cooperation written at the end of a question.
PAIR_JOINERS = {"-", "–", "—", "và", "va", "với", "voi"}

# Counting how many nodes hold a word stops here: past it a word is common, whatever its count.
HOLDER_COUNT_CAP = 100_000
HOLDER_COUNT_TTL_S = 60.0  # how long a count is reused: enough to follow a store that grows
HOLDER_COUNT_ENTRIES = 100_000  # counts remembered at most (about 10 MB)
