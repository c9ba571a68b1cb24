"""The Neo4j store: the same graph in a Neo4j 5 server, readable by researchers in Neo4j Browser.

Layout in Neo4j. Every graph node is ``(:Entity:<Kind> {id, kind, name, aliases, ...})`` and
every relationship ``-[:<TYPE> {id, ...}]->``, with the effective properties written flat
(scalars and lists; nested values as JSON text) and ``documents``, the names of the documents
that support the fact. What each document said is a ``(:LienketClaim {document, fact, claim,
sources})`` node per document and fact (``type`` set for a relationship's claims), found
through the index on ``fact``: a claim is written, replaced or deleted with its document
only. The effective fact is merged from the claims with ``graph.claims`` exactly as the
embedded store does, so removing a document recomputes the facts from the documents that
remain; the merge is kept on the fact (``state`` and ``last_document``), so that a claim from
a document whose name sorts after the others' is folded in without reading them, and whole
as JSON text without sources (``node`` / ``rel``), which is what reads return, with the
sources of the fact's claims (one index look-up): nothing is merged or validated again on a
read. A fact also keeps the sources of its first documents' claims (``first_sources``, as many
documents as an answer shows, ``graph.store.ANSWER_DOCUMENTS``): a neighbourhood or a search
reads them in one property instead of a look-up per document (a fact written before they were
kept reads its claims), and its JSON as an answer shows it with those sources (``answer``, set by the same
write; a database written before gains it on open): a neighbourhood sends those joined, building no fact. A
hub (a province claimed by thousands of plans) therefore costs a write no more than any other node. Ingested documents are registered as ``(:LienketDocument {name, sha256,
nodes, relationships})`` — not to be confused with graph nodes of kind Document. A
relationship whose node no document supports waits as a ``(:LienketPendingRelationship)``
until the node is written. A database of the earlier layout (claims as JSON on each fact) is
migrated when the store opens.

Writing: one managed write transaction per document, a few statements of batched UNWIND +
MERGE; writers take a lock node first so two processes never merge claims from stale reads.
Labels and relationship types come only from graph/schema.yaml; every value travels as a
parameter. The Cypher needs Neo4j 5.26 or later (``CALL () {…}`` and ``COLLECT {…}``
subqueries).

Reading: the questions are written once in ``graph.store``; this backend gives them their
primitives in Cypher, run on the server with parameters and indexes (the uniqueness
constraint on ``id``, one index per relationship type). Candidate retrieval goes through the
full-text index ``lienket_terms`` over ``terms``: the folded words of each name, each
prefixed with the node's kind ("Task_hoi"), under the whitespace analyzer, so every word is
indexed as written (no stop words, no stemming) and a kind's words never meet another's. Each store
keeps the posting lists it read, as bit sets, every node's folded names, and what contacts questions read of
their tasks (``_Postings``), until a write leaves a new version on the write lock: a look-up is counted in
memory, as the embedded store does.
Researchers get ``lienket_names`` over ``search_text`` (the folded names, one a line).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache, partial, reduce
from itertools import islice
from operator import or_
from sys import intern
from typing import Any, TypeVar
from urllib.parse import urlsplit

import neo4j
from neo4j import GraphDatabase, ManagedTransaction
from neo4j.exceptions import (
    AuthError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)
from neo4j.graph import Node as Neo4jNode
from neo4j.graph import Path as Neo4jPath
from neo4j.graph import Relationship as Neo4jRelationship

from graph import answers, localities
from graph.claims import (
    Claim,
    State,
    fold_node,
    fold_relationship,
    merged_node_state,
    merged_relationship,
    node_of_state,
    trusted_node,
    trusted_relationship,
    with_sources,
)
from graph.cypher_guard import check_read_query, cypher_failure
from graph.matching import Names, folded_names
from graph.model import (
    Counts,
    DocumentGraph,
    DocumentInfo,
    Graph,
    Judgement,
    Node,
    Relationship,
    RemoveSummary,
    WriteSummary,
    node_kinds,
    relationship_types,
)
from graph.postings import Numbering, bits_in_at_least
from graph.store import (
    ANSWER_DOCUMENTS,
    CypherResult,
    GraphStore,
    IndexEntry,
    Links,
    StoreUnavailable,
)

ENTITY = "Entity"
REGISTRY = "LienketDocument"
WRITE_LOCK = "LienketWriteLock"
PENDING = "LienketPendingRelationship"
CLAIM = "LienketClaim"  # what one document said about one node or relationship
# Resolution's data: each document's graph as read, and the judgements (readable in Neo4j Browser).
MENTIONS = "LienketMentionGraph"
JUDGEMENT = "LienketJudgement"
INDEX_ENTRY = "LienketIndexEntry"  # a row of resolution's index (graph.store.IndexEntry)
DOCUMENT_TEXT = "LienketDocumentText"  # a document's own text, apart from the graph's nodes
# Every word the full-text index has held ("Task_hoi"): a look-up asks the index only for the spellings
# one letter off that exist, a few instead of hundreds. Never deleted: a word no longer held costs nothing.
TERM = "LienketTerm"
TERMS_INDEX = "lienket_terms"
TERMS_ANALYZER = "whitespace"
# For researchers in Neo4j Browser: folded names and aliases under Lucene's usual analyzer.
NAMES_INDEX = "lienket_names"
NAMES_ANALYZER = "standard-folding"
NODE_RESERVED = frozenset({"id", "kind", "name", "aliases", "claims", "sources", "documents", "node", "names", "terms",
                           "search_text", "state", "last_document", "first_sources", "answer"})
REL_RESERVED = frozenset({"id", "claims", "sources", "documents", "rel", "last_document", "type", "start", "end",
                          "first_sources", "answer"})
# An answer that cuts each fact's sources to its first documents (a neighbourhood, a search) reads
# them from the fact, kept there when it is written: else it reads them from that many claims.
KEPT_SOURCES = ANSWER_DOCUMENTS
# Facts whose kept answer (``answer``) a migration writes per transaction.
ANSWERS_BATCH = 5000
TERMS_PER_QUERY = 500  # two joined stay below Lucene's 1024 clauses per query
# Posting lists a process keeps at most (a bit per node met: 13 KB for the 107,853 nodes of 10,000
# documents); past that they are read again as asked.
POSTINGS_KEPT = 4096
NAMES_KEPT = 200_000  # nodes whose folded names (tasks whose dates, counts of contacts) a process keeps at most
# ``warm_up`` keeps beforehand the posting lists of the terms at least this many nodes hold: read as a
# question first needs it, such a list costs the server milliseconds, a rare term's less than one.
WARM_MIN_HOLDERS = 100
PENDING_UPSERT = (f"UNWIND $rows AS row MERGE (p:{PENDING} {{id: row.id}}) "
                  "SET p = row.props, p.type = row.type, p.start = row.start, p.end = row.end")

ReadTransaction = ManagedTransaction | neo4j.Transaction
NodeClaims = dict[str, tuple[str, str]]  # node id -> (claim without sources, sources), as JSON texts
RelClaims = dict[str, tuple[str, str, str]]  # relationship id -> (type, claim without sources, sources)
T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")
# A question whose reads fail this way is asked again, whole, like ``execute_read`` would retry one
# transaction: a cluster changing leader or a replica going away, a read deadlocked.
RETRIED_FAILURES = (TransientError, ServiceUnavailable, SessionExpired)
QUESTION_ATTEMPTS = 3
# The database cannot be used at all: nothing answers at the URI (the server is down, the port or host
# is wrong), or it refuses our login (a wrong password, or too many wrong ones in a row).
UNREACHABLE = (ServiceUnavailable, SessionExpired)
LOGIN_RATE_LIMITED = "Neo.ClientError.Security.AuthenticationRateLimit"
RETRY_PAUSE_S = 0.2  # doubled after each failed attempt


@lru_cache(maxsize=1)
def _kinds() -> frozenset[str]:
    return frozenset(node_kinds())


def _label(kind: str) -> str:
    """A node label for Cypher text: only kinds from graph/schema.yaml pass."""
    if kind not in _kinds():
        raise ValueError(f"unknown node kind {kind!r}; see graph/schema.yaml")
    return kind


def _known_terms_of(kind: str, words: Iterable[str], known: frozenset[str] | set[str]) -> list[str]:
    """The index's terms for a kind's words ("Task_hoi"), of those it knows (a search asks thousands of spellings)."""
    prefix = f"{_label(kind)}_"
    return [term for word in words if (term := prefix + word) in known]


def _rel_type(rel_type: str) -> str:
    """A relationship type for Cypher text: only types from graph/schema.yaml pass."""
    if rel_type not in relationship_types():
        raise ValueError(f"unknown relationship type {rel_type!r}; see graph/schema.yaml")
    return rel_type


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _flat_value(value: Any) -> Any:
    """A value Neo4j can store as a property: scalars and same-typed scalar lists as they are."""
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, list) and all(isinstance(v, (str, int, float, bool)) for v in value) \
            and len({type(v) for v in value}) <= 1:
        return value
    return _json(value)


def _flat_properties(properties: dict[str, Any], reserved: frozenset[str]) -> dict[str, Any]:
    return {k: _flat_value(v) for k, v in properties.items() if k not in reserved and v is not None}


def _terms(kind: str, names: list[list[str]]) -> str:
    """The words the full-text index holds for a node: its folded name words, prefixed by its kind."""
    return " ".join(f"{kind}_{word}" for word in sorted({w for name in names for w in name}))


def _split(claim: dict[str, Any]) -> tuple[str, str]:
    """A claim as stored: its JSON without sources, and its sources' JSON."""
    return _json({k: v for k, v in claim.items() if k != "sources"}), _json(claim.get("sources", []))


def _sources_of(fact: str, wanted: bool = True, first: int | None = None) -> str:
    """Cypher for the sources (JSON texts) of the claims on the fact bound to ``fact``, in document
    order: one hop through the claim index (``[]`` when the sources are not wanted; with ``first``,
    those of the first ``$first`` documents)."""
    if not wanted:
        return "[]"
    if first is None:
        return f"COLLECT {{ MATCH (c:{CLAIM} {{fact: {fact}.id}}) RETURN c.sources ORDER BY c.document }}"
    if first == KEPT_SOURCES:  # a fact written before they were kept reads them from its claims
        return f"coalesce({fact}.first_sources, {_first_sources(fact, '$first')})"
    return _first_sources(fact, "$first")


def _first_sources(fact: str, first: str) -> str:
    """Cypher for the sources of the claims on a fact from its first ``first`` documents. A hub's
    claims are thousands: its first documents come from its sorted ``documents``, and each of their
    claims from the index on (fact, document)."""
    return (f"COLLECT {{ UNWIND {fact}.documents[..{first}] AS d MATCH (c:{CLAIM} {{fact: {fact}.id, document: d}}) "
            "RETURN c.sources ORDER BY c.document }")


def _parsed(fact_json: str, sources: list[str]) -> Any:
    """A fact and the sources of its claims, from their JSON texts parsed at once (one parse, not one a claim)."""
    fact, groups = json.loads(f"[{fact_json},[{','.join(sources)}]]")
    return with_sources(fact, groups)


def _node_of(node_json: str, sources: list[str]) -> Node:
    return trusted_node(_parsed(node_json, sources))


def _rel_of(rel_json: str, sources: list[str]) -> Relationship:
    return trusted_relationship(_parsed(rel_json, sources))


def _names_of(names_json: str) -> Names:
    """A node's folded names from their JSON (``names``), as a process keeps them: tuples, which the collector
    stops tracking, of interned words (the names of a corpus share a small vocabulary): every node's names,
    kept by each worker, take a third of the memory they would as lists."""
    return tuple([tuple([intern(word) for word in name]) for name in json.loads(names_json)])


def _dated_of(node_json: str) -> answers.Dated:
    """A node's names and dates (``answers.dated``) from its JSON, without building the node."""
    node = json.loads(node_json)
    return answers.Dated(node["name"], node["aliases"], {key: value for key in answers.DATE_PROPERTIES
                                                         if (value := node["properties"].get(key)) is not None})


def _node_answer(node_json: str, first_sources: list[str]) -> str:
    """A node's JSON as an answer shows it (``Node.model_dump_json``), with the sources of its first documents."""
    return _node_of(node_json, first_sources).model_dump_json()


def _rel_answer(rel_json: str, first_sources: list[str]) -> str:
    """A relationship's JSON as an answer shows it, with the sources of its first documents."""
    return _rel_of(rel_json, first_sources).model_dump_json()


def _upsert_nodes(kind: str) -> str:
    """Cypher that writes node rows of one kind. A hub's documents (a province's, a sector's) are
    thousands: the list is edited on the server, kept sorted, and never travels."""
    others = "".join(f":{_label(k)}" for k in node_kinds() if k != kind)
    # A document after a hub's first ones leaves their sources, kept on it, as they are.
    return (f"UNWIND $rows AS row MERGE (n:{ENTITY} {{id: row.id}}) "
            "WITH n, row, coalesce(n.documents, []) AS before, n.first_sources AS kept "
            f"SET n = row.props, n:{_label(kind)} REMOVE n{others} "
            "SET n.documents = [d IN before WHERE d < $document] "
            "+ CASE WHEN row.claimed THEN [$document] ELSE [] END + [d IN before WHERE d > $document] "
            f"SET n.first_sources = CASE WHEN kept IS NOT NULL AND size(before) >= {KEPT_SOURCES} "
            f"AND $document > before[{KEPT_SOURCES - 1}] THEN kept ELSE {_first_sources('n', str(KEPT_SOURCES))} END")


def _upsert_relationships(rel_type: str) -> str:
    """Cypher that writes relationship rows of one type between existing nodes."""
    return (f"UNWIND $rows AS row MATCH (a:{ENTITY} {{id: row.start}}), (b:{ENTITY} {{id: row.end}}) "
            f"MERGE (a)-[r:{_rel_type(rel_type)} {{id: row.id}}]->(b) SET r = row.props "
            f"SET r.first_sources = {_first_sources('r', str(KEPT_SOURCES))}")


def _run_blocks(tx: ManagedTransaction, blocks: list[tuple[str, dict[str, Any]]]) -> None:
    """Run updating blocks, each a Cypher text with its own parameters, as one statement (one round
    trip): each becomes a ``CALL`` subquery, its parameters renamed apart."""
    if not blocks:
        return
    texts, params = [], {}
    for n, (text, block_params) in enumerate(blocks):
        for name, value in block_params.items():
            text = re.sub(rf"\${name}\b", f"$b{n}_{name}", text)
            params[f"b{n}_{name}"] = value
        texts.append(f"CALL () {{ {text} }}")
    tx.run(" ".join(texts), params).consume()


@dataclass(frozen=True)
class Stored:
    """A fact as the database holds it before a write: its merged state and the last document folded in."""

    state: State
    last_document: str
    names: str | None = None  # a node's folded names (JSON), kept when its names do not change
    documents: tuple[str, ...] = ()  # a relationship's documents (a node's stay on the server)


Merged = dict[str, tuple[State, str] | None]  # fact id -> (state, last document), None when no claim is left


def _node_row(node_id: str, state: State, last_document: str, old: Stored | None, claimed: bool) -> dict[str, Any]:
    """The Neo4j properties of a node from its merged state (sources stay in the claims)."""
    node = node_of_state(state)
    if old is not None and node_of_state(old.state)["name"] == node["name"] and old.state["names"] == state["names"]:
        names_text = old.names or "[]"  # same names: folding them again would give the same words
    else:
        names_text = _json(folded_names([node["name"], *node["aliases"]]))
    names = json.loads(names_text)
    props = _flat_properties(node["properties"], NODE_RESERVED)
    props.update(id=node_id, kind=node["kind"], name=node["name"], aliases=node["aliases"], node=_json(node),
                 state=_json(state), last_document=last_document, names=names_text,
                 terms=_terms(node["kind"], names), search_text="\n".join(" ".join(name) for name in names))
    return {"id": node_id, "claimed": claimed, "props": props}


def _rel_row(rel: State, last_document: str, documents: list[str]) -> dict[str, Any]:
    """The Neo4j properties of a relationship from its merged state, with its type and endpoints."""
    props = _flat_properties(rel["properties"], REL_RESERVED)
    props.update(id=rel["id"], rel=_json(rel), last_document=last_document, documents=documents)
    return {"id": rel["id"], "type": rel["type"], "start": rel["start"], "end": rel["end"], "props": props}


def _shown_uri(uri: str) -> str:
    """The URI as an error message may show it: without a user and password written into it."""
    parts = urlsplit(uri)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def _why_unusable(exc: Exception, uri: str, user: str) -> StoreUnavailable | None:
    """``StoreUnavailable`` saying why the database at ``uri`` cannot be used, when ``exc`` means so; else None.
    The driver's messages name the address and the refusal, never the password."""
    if isinstance(exc, AuthError) or (isinstance(exc, Neo4jError) and exc.code == LOGIN_RATE_LIMITED):
        return StoreUnavailable(f"Neo4j at {_shown_uri(uri)} refused the login of user {user!r} "
                                f"(check NEO4J_USER and NEO4J_PASSWORD): {exc.message or exc.code}")
    if isinstance(exc, UNREACHABLE):
        reason = " ".join(str(exc).split())
        return StoreUnavailable(f"Neo4j at {_shown_uri(uri)} cannot be reached (check NEO4J_URI and that the "
                                f"server runs): {reason}")
    return None


def _to_json_value(value: Any) -> Any:
    """A Cypher result value as JSON: nodes, relationships and paths become dicts, temporals ISO text."""
    if isinstance(value, Neo4jNode):
        return {"labels": sorted(value.labels), "properties": _to_json_value(dict(value))}
    if isinstance(value, Neo4jRelationship):
        return {"type": value.type, "start": value.start_node.get("id") if value.start_node else None,
                "end": value.end_node.get("id") if value.end_node else None,
                "properties": _to_json_value(dict(value))}
    if isinstance(value, Neo4jPath):
        return {"nodes": [_to_json_value(n) for n in value.nodes],
                "relationships": [_to_json_value(r) for r in value.relationships]}
    if isinstance(value, dict):
        return {str(k): _to_json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_json_value(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return str(value)




def _links_read(rows: list[list[Any]]) -> Links:
    """Links without sources from rows of [start id, relationship JSON, end id, end node JSON], in their order."""
    ends: dict[str, Node] = {}
    found: Links = defaultdict(list)
    for start, rel, end, node in rows:
        found[start].append((_rel_of(rel, []), ends.get(end) or ends.setdefault(end, _node_of(node, []))))
    return found


class _Postings:
    """What this process keeps of the database as it was after the write ``version`` (a random token each write
    leaves on the write lock; None when nothing was written since the store kept it), as far as questions asked
    for it: the posting lists of the full-text index's terms, each a bit set over the nodes (``graph.postings``),
    every node's folded names (``warm_up``), and the names and dates (``_dated``) and the numbers of outgoing
    relationships (``_out_counts``) of the tasks contacts questions ranked. A look-up then counts which nodes hold
    enough of a question's words in memory, with no Lucene query once their terms have been asked for, and a
    contacts question reads what its page shows: of the hundreds of tasks it ranks, most were dated and counted
    by the questions before it (the pool's costliest 50 read 95 KB a question to date them)."""

    def __init__(self, version: str | None, numbering: Numbering) -> None:
        self.version = version
        self.numbering = numbering
        self.terms: dict[str, int] = {}  # "Task_hoi" -> bit set of the nodes holding it
        self.names: dict[str, Names] = {}  # node id -> its folded names
        self.dated: dict[str, answers.Dated] = {}  # node id -> its names and dates
        self.out_counts: dict[tuple[str, str], int] = {}  # (node id, relationship type) -> how many go out (``_out_counts``)
        self.lock = threading.Lock()

    def keep_terms(self, found: dict[str, list[str]]) -> None:
        """Keep posting lists read (term -> ids of the nodes holding it)."""
        with self.lock:
            if len(self.terms) + len(found) > POSTINGS_KEPT:
                self.terms.clear()
            self.terms.update((term, self.numbering.bits(ids)) for term, ids in found.items())

    def keep(self, kept: dict[K, V], found: dict[K, V]) -> None:
        """Keep what was read of the nodes (their names, dates or counts) beside what ``kept`` holds already."""
        with self.lock:
            if len(kept) + len(found) > NAMES_KEPT:
                kept.clear()
            kept.update(found)


class Neo4jStore(GraphStore):
    """A GraphStore in a Neo4j 5 database, reached over Bolt with the official driver."""

    _narrowest_look_up = True  # posting lists counted in memory (``_Postings``)

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j") -> None:
        auth = (user, password) if password else None
        self.database = database
        self._uri, self._user = uri, user
        self._remembered_vocabulary: tuple[int, frozenset[str]] | None = None
        self._postings = _Postings(None, Numbering())  # the latest version read, shared by the threads
        self._question = threading.local()  # a thread's open read transaction (``_snapshot``)
        # Warnings such as "property key does not exist" on an empty database are noise here.
        self._driver = GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF")
        try:
            with self._reaching():
                self._driver.verify_connectivity()
                self._create_schema()
                self._migrate()
                self._fill_vocabulary()
                self._give_version()
                self._keep_missing_answers()
        except BaseException:
            self._driver.close()
            raise

    def close(self) -> None:
        """Close the driver and its connections."""
        self._driver.close()

    # --- sessions ----------------------------------------------------------------------
    @contextmanager
    def _reaching(self) -> Iterator[None]:
        """Failures meaning the database cannot be used at all (unreachable, or refusing the login) raised
        as ``StoreUnavailable`` saying which: callers (the API, the command line) tell it from a fault."""
        try:
            yield
        except Exception as exc:
            unusable = _why_unusable(exc, self._uri, self._user)
            if unusable is None:
                raise
            raise unusable from exc

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """One read transaction for everything a question reads (nested uses share it): each read
        is a message in it, not a transaction begun and committed of its own (0.6 ms of the server's
        CPU and 0.5 ms of ours each, and a contact question made 21). Within it the vocabulary's
        size is read once."""
        if getattr(self._question, "tx", None) is not None:
            yield
            return
        with self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
            with session.begin_transaction() as tx:
                self._question.tx, self._question.index, self._question.counts = tx, None, {}
                try:
                    yield
                finally:
                    self._question.tx = self._question.index = self._question.counts = None

    def _answer(self, work: Callable[[], T]) -> T:
        """Ask a question in one read transaction, again (up to ``QUESTION_ATTEMPTS``) when it fails
        transiently; a question asked inside another is retried with it."""
        if getattr(self._question, "tx", None) is not None:
            return work()
        with self._reaching():
            for attempt in range(QUESTION_ATTEMPTS - 1):
                try:
                    with self._snapshot():
                        return work()
                except RETRIED_FAILURES:
                    time.sleep(RETRY_PAUSE_S * 2 ** attempt)
            with self._snapshot():
                return work()

    def _read(self, work: Callable[[ReadTransaction], T]) -> T:
        """Run reads in the open question's transaction (``_snapshot``), else in one of their own."""
        tx = getattr(self._question, "tx", None)
        return work(tx) if tx is not None else self._own_read(work)

    def _own_read(self, work: Callable[[ManagedTransaction], T]) -> T:
        with self._reaching(), self._driver.session(database=self.database,
                                                    default_access_mode=neo4j.READ_ACCESS) as session:
            return session.execute_read(work)

    def _write(self, work: Callable[[ManagedTransaction], T]) -> T:
        with self._reaching(), self._driver.session(database=self.database) as session:
            return session.execute_write(work)

    def _rows(self, query: str, **params: Any) -> list[neo4j.Record]:
        return self._read(lambda tx: list(tx.run(query, params)))

    def _collected(self, query: str, **params: Any) -> list[list[Any]]:
        """The rows of a query that returns them as one list (``RETURN collect([...])``): the driver
        spends about 15 µs of our CPU on each record it receives, and a neighbourhood is 1,000 of them."""
        return self._rows(query, **params)[0][0]

    def _create_schema(self) -> None:
        """Constraints and indexes, each created once (by name) before anything is written."""
        wanted = {
            "lienket_entity_id": f"CREATE CONSTRAINT lienket_entity_id IF NOT EXISTS FOR (n:{ENTITY}) "
                                 "REQUIRE n.id IS UNIQUE",
            "lienket_document_name": f"CREATE CONSTRAINT lienket_document_name IF NOT EXISTS FOR (d:{REGISTRY}) "
                                     "REQUIRE d.name IS UNIQUE",
            # MERGE on a uniquely constrained lock node takes the index lock: writers queue on it.
            "lienket_write_lock": f"CREATE CONSTRAINT lienket_write_lock IF NOT EXISTS FOR (l:{WRITE_LOCK}) "
                                  "REQUIRE l.name IS UNIQUE",
            "lienket_pending_id": f"CREATE CONSTRAINT lienket_pending_id IF NOT EXISTS FOR (p:{PENDING}) "
                                  "REQUIRE p.id IS UNIQUE",
            "lienket_judgement_id": f"CREATE CONSTRAINT lienket_judgement_id IF NOT EXISTS FOR (j:{JUDGEMENT}) "
                                    "REQUIRE j.id IS UNIQUE",
            "lienket_mentions_document": f"CREATE CONSTRAINT lienket_mentions_document IF NOT EXISTS "
                                         f"FOR (m:{MENTIONS}) REQUIRE m.document IS UNIQUE",
            "lienket_judgement_left": f"CREATE INDEX lienket_judgement_left IF NOT EXISTS FOR (j:{JUDGEMENT}) "
                                      "ON (j.left)",
            "lienket_judgement_right": f"CREATE INDEX lienket_judgement_right IF NOT EXISTS FOR (j:{JUDGEMENT}) "
                                       "ON (j.right)",
            "lienket_index_key": f"CREATE INDEX lienket_index_key IF NOT EXISTS FOR (e:{INDEX_ENTRY}) ON (e.key)",
            "lienket_index_owner": f"CREATE INDEX lienket_index_owner IF NOT EXISTS FOR (e:{INDEX_ENTRY}) ON (e.owner)",
            "lienket_term": f"CREATE CONSTRAINT lienket_term IF NOT EXISTS FOR (t:{TERM}) REQUIRE t.term IS UNIQUE",
            "lienket_claim_fact": f"CREATE INDEX lienket_claim_fact IF NOT EXISTS FOR (c:{CLAIM}) ON (c.fact)",
            "lienket_claim_document": f"CREATE INDEX lienket_claim_document IF NOT EXISTS FOR (c:{CLAIM}) "
                                      "ON (c.document)",
            "lienket_claim_fact_document": f"CREATE INDEX lienket_claim_fact_document IF NOT EXISTS FOR (c:{CLAIM}) "
                                           "ON (c.fact, c.document)",
            NAMES_INDEX: f"CREATE FULLTEXT INDEX {NAMES_INDEX} IF NOT EXISTS FOR (n:{ENTITY}) "
                         f"ON EACH [n.search_text] OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{NAMES_ANALYZER}'}}}}",
            TERMS_INDEX: f"CREATE FULLTEXT INDEX {TERMS_INDEX} IF NOT EXISTS FOR (n:{ENTITY}) "
                         f"ON EACH [n.terms] OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{TERMS_ANALYZER}'}}}}",
        }
        for rel_type in relationship_types():
            name = f"lienket_{rel_type.lower()}_id"
            wanted[name] = f"CREATE INDEX {name} IF NOT EXISTS FOR ()-[r:{_rel_type(rel_type)}]-() ON (r.id)"
        with self._driver.session(database=self.database) as session:
            existing = {r["name"] for r in session.run("SHOW INDEXES YIELD name")}
            for name, statement in wanted.items():
                if name not in existing:
                    session.run(statement).consume()
            session.run("CALL db.awaitIndexes(300)").consume()

    def _migrate(self) -> None:
        """Move a database written before claims were nodes (each fact holding a ``claims`` JSON
        map, the registry listing ids) to one claim node per document and fact.

        Each document's claims are read back from the facts and written again, all in one
        transaction: a migration that fails leaves the old layout whole, to be tried again."""
        old_layout = f"MATCH (d:{REGISTRY}) WHERE d.node_ids IS NOT NULL RETURN d.name AS name, d.sha256 AS sha256"
        if not self._rows(old_layout):
            return  # checked in a read first: opening a migrated store takes no write lock

        def work(tx: ManagedTransaction) -> None:
            self._lock(tx)
            documents = {r["name"]: r["sha256"] for r in tx.run(old_layout)}  # again, under the lock
            said: dict[str, DocumentGraph] = {name: DocumentGraph(document=name, sha256=sha256)
                                              for name, sha256 in documents.items()}
            for r in tx.run(f"MATCH (n:{ENTITY}) WHERE n.claims IS NOT NULL RETURN n.claims AS claims"):
                for document, claim in json.loads(r["claims"]).items():
                    said[document].nodes.append(Node.model_validate(claim))
            for r in tx.run(f"MATCH ()-[r]->() WHERE r.claims IS NOT NULL RETURN r.claims AS claims "
                            f"UNION ALL MATCH (p:{PENDING}) WHERE p.claims IS NOT NULL RETURN p.claims AS claims"):
                for document, claim in json.loads(r["claims"]).items():
                    said[document].relationships.append(Relationship.model_validate(claim))
            tx.run(f"MATCH (n) WHERE n:{ENTITY} OR n:{PENDING} OR n:{REGISTRY} DETACH DELETE n").consume()
            for doc in said.values():
                nodes = {n.id: _split(n.model_dump(mode="json")) for n in doc.nodes}
                rels = {r.id: (r.type, *_split(r.model_dump(mode="json"))) for r in doc.relationships}
                self._write_tx(tx, doc.document, doc.sha256, nodes, rels)

        self._write(work)

    def _fill_vocabulary(self) -> None:
        """Record the words of every node, for a database written before the store kept its vocabulary."""
        if self._rows(f"MATCH (t:{TERM}) RETURN 1 LIMIT 1") or not self._rows(f"MATCH (n:{ENTITY}) RETURN 1 LIMIT 1"):
            return

        def work(tx: ManagedTransaction) -> None:
            self._lock(tx)
            tx.run(f"MATCH (n:{ENTITY}) UNWIND split(n.terms, ' ') AS term WITH DISTINCT term WHERE term <> '' "
                   f"MERGE (:{TERM} {{term: term}})").consume()

        self._write(work)

    def _give_version(self) -> None:
        """Leave a version on the write lock of a database written before writes left one: readers keep
        posting lists only for a known version (``_Postings``)."""
        if self._rows(f"MATCH (l:{WRITE_LOCK} {{name: 'writer'}}) WHERE l.version IS NULL RETURN 1"):
            self._write(self._lock)

    def _keep_missing_answers(self) -> None:
        """Keep each fact's answer JSON (``_keep_answers``) in a database written before facts kept it: a batch
        of ``ANSWERS_BATCH`` facts at a time in the order of their ids, each batch a write transaction of its own
        (a migration stopped half way keeps what it did), then the write lock says it is done."""
        if self._rows(f"MATCH (l:{WRITE_LOCK} {{name: 'writer'}}) WHERE l.answers_kept RETURN 1"):
            return  # checked in a read first: opening a migrated store takes no write lock
        scans: list[tuple[str | None, str]] = [(None, f"MATCH (n:{ENTITY}) WHERE n.id > $after WITH n ORDER BY n.id "
                                                      "LIMIT $batch RETURN collect(n.id)[-1] AS last, collect(CASE WHEN "
                                                      f"n.answer IS NULL THEN [n.id, n.node, {_sources_of('n', True, KEPT_SOURCES)}] "
                                                      "END) AS rows")]
        scans += [(rel_type, f"MATCH ()-[r:{_rel_type(rel_type)}]->() WHERE r.id > $after WITH r ORDER BY r.id "
                             "LIMIT $batch RETURN collect(r.id)[-1] AS last, collect(CASE WHEN r.answer IS NULL THEN "
                             f"[r.id, r.rel, {_sources_of('r', True, KEPT_SOURCES)}] END) AS rows")
                  for rel_type in relationship_types()]
        for rel_type, scan in scans:
            after: str | None = ""
            while after is not None:
                after = self._write(partial(self._answers_after, scan=scan, rel_type=rel_type, after=after))

        def done(tx: ManagedTransaction) -> None:
            self._lock(tx)
            tx.run(f"MATCH (l:{WRITE_LOCK} {{name: 'writer'}}) SET l.answers_kept = true").consume()

        self._write(done)

    def _answers_after(self, tx: ManagedTransaction, scan: str, rel_type: str | None, after: str) -> str | None:
        """Keep the answers missing among the next batch of facts (nodes, or relationships of one type) after
        the id ``after``; the batch's last id, None past the last fact."""
        self._lock(tx)
        row = tx.run(scan, after=after, batch=ANSWERS_BATCH, first=KEPT_SOURCES).single(strict=True)
        if rel_type is None:
            self._write_answers(tx, [{"id": i, "answer": _node_answer(fact, found)} for i, fact, found in row["rows"]], {})
        else:
            self._write_answers(tx, [], {rel_type: [{"id": i, "answer": _rel_answer(fact, found)}
                                                    for i, fact, found in row["rows"]]})
        return row["last"]

    @staticmethod
    def _keep_answers(tx: ManagedTransaction, node_ids: list[str], rel_ids: dict[str, list[str]]) -> None:
        """Keep on each fact just written its JSON as an answer shows it (``answer``: the fact with the sources
        of its first documents, as kept on it): a neighbourhood sends those joined (``_graph_json``)."""
        params: dict[str, Any] = {"nodes": node_ids}
        branches = [f"MATCH (n:{ENTITY}) WHERE n.id IN $nodes RETURN n.id AS id, null AS type, n.node AS fact, "
                    "n.first_sources AS sources"] if node_ids else []
        for n, (rel_type, ids) in enumerate(sorted(rel_ids.items())):
            params[f"ids{n}"] = ids
            branches.append(f"MATCH ()-[r:{_rel_type(rel_type)}]->() WHERE r.id IN $ids{n} "
                            "RETURN r.id AS id, type(r) AS type, r.rel AS fact, r.first_sources AS sources")
        if not branches:
            return
        nodes: list[dict[str, str]] = []
        rels: dict[str, list[dict[str, str]]] = defaultdict(list)
        for r in tx.run(" UNION ALL ".join(branches), params):
            if r["type"] is None:
                nodes.append({"id": r["id"], "answer": _node_answer(r["fact"], r["sources"])})
            else:
                rels[r["type"]].append({"id": r["id"], "answer": _rel_answer(r["fact"], r["sources"])})
        Neo4jStore._write_answers(tx, nodes, rels)

    @staticmethod
    def _write_answers(tx: ManagedTransaction, nodes: list[dict[str, str]], rels: dict[str, list[dict[str, str]]]) -> None:
        """Set the facts' answers, rows of id and answer (relationships by type, for their index), in one statement."""
        blocks = [(f"UNWIND $rows AS row MATCH (n:{ENTITY} {{id: row.id}}) SET n.answer = row.answer",
                   {"rows": nodes})] if nodes else []
        blocks += [(f"UNWIND $rows AS row MATCH ()-[r:{_rel_type(rel_type)}]->() WHERE r.id = row.id "
                    "SET r.answer = row.answer", {"rows": rows}) for rel_type, rows in sorted(rels.items()) if rows]
        _run_blocks(tx, blocks)

    # --- writing -------------------------------------------------------------------------
    def write_document(self, doc: DocumentGraph) -> WriteSummary:
        nodes = {n.id: _split(n.model_dump(mode="json")) for n in doc.nodes}
        rels = {r.id: (r.type, *_split(r.model_dump(mode="json"))) for r in doc.relationships}
        return self._write(lambda tx: self._write_tx(tx, doc.document, doc.sha256, nodes, rels))

    def _write_tx(self, tx: ManagedTransaction, document: str, sha256: str, nodes: NodeClaims,
                  rels: RelClaims) -> WriteSummary:
        self._lock(tx)
        known = tx.run(f"MATCH (d:{REGISTRY} {{name: $name}}) RETURN d.sha256 AS sha256", name=document).single()
        old_nodes, old_rels = self._claims_of(tx, document)
        if known and known["sha256"] == sha256 and old_nodes == nodes and old_rels == rels:
            return WriteSummary(document=document, status="unchanged", nodes=len(nodes), relationships=len(rels))
        nodes_added, rels_added = self._replace(tx, document, old_nodes, old_rels, nodes, rels)
        tx.run(f"MERGE (d:{REGISTRY} {{name: $name}}) SET d.sha256 = $sha256, d.nodes = $nodes, "
               "d.relationships = $rels", name=document, sha256=sha256, nodes=len(nodes), rels=len(rels)).consume()
        return WriteSummary(document=document, status="replaced" if known else "added", nodes_added=nodes_added,
                            relationships_added=rels_added, nodes=len(nodes), relationships=len(rels))

    @staticmethod
    def _lock(tx: ManagedTransaction) -> None:
        """Serialise writers: the write lock on this node is held until the transaction ends."""
        # A new version each write: readers keep what they read of the index until it changes (``_Postings``).
        tx.run(f"MERGE (l:{WRITE_LOCK} {{name: 'writer'}}) SET l.taken = timestamp(), "
               "l.version = randomUUID()").consume()

    @staticmethod
    def _claims_of(tx: ManagedTransaction, document: str) -> tuple[NodeClaims, RelClaims]:
        """What a document said, as stored: node claims and relationship claims (with their types)."""
        nodes: NodeClaims = {}
        rels: RelClaims = {}
        for r in tx.run(f"MATCH (c:{CLAIM} {{document: $document}}) "
                        "RETURN c.fact AS fact, c.type AS type, c.claim AS claim, c.sources AS sources",
                        document=document):
            if r["type"] is None:
                nodes[r["fact"]] = (r["claim"], r["sources"])
            else:
                rels[r["fact"]] = (r["type"], r["claim"], r["sources"])
        return nodes, rels

    def _replace(self, tx: ManagedTransaction, document: str, old_nodes: NodeClaims, old_rels: RelClaims,
                 nodes: NodeClaims, rels: RelClaims) -> tuple[int, int]:
        """Replace a document's claims by these and merge again the facts whose claims changed.

        Only the changed facts' claims are touched: a fact claimed by thousands of documents is
        written from its stored merge and the new claim (``graph.claims``), not from all its
        claims. Returns how many of the document's nodes and relationships are new to the store."""
        changed_nodes = {i for i in nodes.keys() | old_nodes.keys() if nodes.get(i) != old_nodes.get(i)}
        changed_rels = {i for i in rels.keys() | old_rels.keys() if rels.get(i) != old_rels.get(i)}
        rows = [{"fact": i, "claim": nodes[i][0], "sources": nodes[i][1]} for i in sorted(changed_nodes & nodes.keys())]
        rows += [{"fact": i, "type": rels[i][0], "claim": rels[i][1], "sources": rels[i][2]}
                 for i in sorted(changed_rels & rels.keys())]
        _run_blocks(tx, [(f"MATCH (c:{CLAIM} {{document: $document}}) WHERE c.fact IN $ids DELETE c",
                          {"document": document, "ids": sorted(changed_nodes | changed_rels)}),
                         (f"UNWIND $rows AS row CREATE (c:{CLAIM}) SET c = row, c.document = $document",
                          {"rows": rows, "document": document})])
        stored_nodes = self._stored_nodes(tx, changed_nodes)
        rel_types = {i: (rels.get(i) or old_rels[i])[0] for i in changed_rels}
        stored_rels = self._stored_rels(tx, rel_types)
        merged_nodes = self._merged(tx, document, stored_nodes, fold_node, merged_node_state,
                                    {i: json.loads(nodes[i][0]) for i in changed_nodes if i in nodes and i not in old_nodes},
                                    changed_nodes)
        merged_rels = self._merged(tx, document, stored_rels, fold_relationship, merged_relationship,
                                   {i: json.loads(rels[i][1]) for i in changed_rels if i in rels and i not in old_rels},
                                   changed_rels)
        node_rows = {i: _node_row(i, merged[0], merged[1], stored_nodes.get(i), i in nodes)
                     for i, merged in merged_nodes.items() if merged}
        rel_rows = {i: _rel_row(merged[0], merged[1], self._documents(stored_rels.get(i), document, i in rels))
                    for i, merged in merged_rels.items() if merged}
        self._apply(tx, document, node_rows, [i for i, m in merged_nodes.items() if m is None], rel_rows,
                    {i: rel_types[i] for i, m in merged_rels.items() if m is None})
        return len(nodes.keys() - stored_nodes.keys() - old_nodes.keys()), len(rels.keys() - stored_rels.keys() - old_rels.keys())

    @staticmethod
    def _documents(stored: Stored | None, document: str, claimed: bool) -> list[str]:
        """A relationship's documents after this document's claim was added or taken away."""
        documents = set(stored.documents if stored else ()) - {document}
        return sorted(documents | {document} if claimed else documents)

    @staticmethod
    def _stored_nodes(tx: ManagedTransaction, ids: set[str]) -> dict[str, Stored]:
        result = tx.run(f"MATCH (n:{ENTITY}) WHERE n.id IN $ids "
                        "RETURN n.id AS id, n.state AS state, n.last_document AS last, n.names AS names", ids=sorted(ids))
        return {r["id"]: Stored(json.loads(r["state"]), r["last"], names=r["names"]) for r in result}

    @staticmethod
    def _stored_rels(tx: ManagedTransaction, types: dict[str, str]) -> dict[str, Stored]:
        """Relationships as stored, drawn or waiting for a node (pending), read in one statement."""
        by_type: dict[str, list[str]] = defaultdict(list)
        for rel_id, rel_type in types.items():
            by_type[rel_type].append(rel_id)
        if not by_type:
            return {}
        params: dict[str, Any] = {"pending": sorted(types)}
        branches = [(f"MATCH (p:{PENDING}) WHERE p.id IN $pending "
                     "RETURN p.id AS id, p.rel AS rel, p.last_document AS last, p.documents AS documents")]
        for n, (rel_type, ids) in enumerate(sorted(by_type.items())):
            params[f"ids{n}"] = sorted(ids)
            branches.append(f"MATCH ()-[r:{_rel_type(rel_type)}]->() WHERE r.id IN $ids{n} "
                            "RETURN r.id AS id, r.rel AS rel, r.last_document AS last, r.documents AS documents")
        rows = tx.run(" UNION ALL ".join(branches), params)
        return {r["id"]: Stored(json.loads(r["rel"]), r["last"], documents=tuple(r["documents"])) for r in rows}

    @staticmethod
    def _merged(tx: ManagedTransaction, document: str, stored: dict[str, Stored], fold: Callable[[Any, Claim], State],
                merge_all: Callable[[dict[str, Claim]], State], appended: dict[str, Claim], ids: set[str]) -> Merged:
        """Each changed fact merged again: a claim appended by a document whose name sorts after every
        other claim's is folded into the stored state; otherwise the fact's claims are merged anew."""
        merged: Merged = {}
        again = []
        for fact in sorted(ids):
            old = stored.get(fact)
            if fact in appended and old is not None and old.last_document < document:
                merged[fact] = (fold(old.state, appended[fact]), document)
            else:
                again.append(fact)
        claims: dict[str, dict[str, Claim]] = defaultdict(dict)
        for r in tx.run(f"MATCH (c:{CLAIM}) WHERE c.fact IN $ids RETURN c.fact AS fact, c.document AS document, "
                        "c.claim AS claim", ids=again):
            claims[r["fact"]][r["document"]] = json.loads(r["claim"])
        for fact in again:
            merged[fact] = (merge_all(claims[fact]), max(claims[fact])) if claims[fact] else None
        return merged

    def _apply(self, tx: ManagedTransaction, document: str, node_rows: dict[str, dict[str, Any]], gone_nodes: list[str],
               rel_rows: dict[str, dict[str, Any]], gone_rels: dict[str, str]) -> None:
        """Write the merged facts: delete what lost its last claim, upsert the rest.

        A relationship needs both its nodes. One whose node no document supports (yet) waits as
        a ``LienketPendingRelationship`` and becomes a relationship when the node appears, so
        it survives — as the embedded store keeps it — until its documents go. Each step is one
        statement (a ``CALL`` block per label or type): a write is a few round trips, whatever
        the kinds it touches."""
        if gone_rels:
            blocks = [(f"MATCH ()-[r:{_rel_type(t)}]->() WHERE r.id IN $ids DELETE r",
                       {"ids": sorted(i for i, gone_type in gone_rels.items() if gone_type == t)})
                      for t in sorted(set(gone_rels.values()))]
            blocks.append((f"MATCH (p:{PENDING}) WHERE p.id IN $ids DELETE p", {"ids": sorted(gone_rels)}))
            _run_blocks(tx, blocks)
        handled = sorted(rel_rows.keys() | gone_rels.keys())
        to_place: dict[str, dict[str, Any]] = {}
        if gone_nodes:
            to_place = self._moved(tx, f"MATCH (n:{ENTITY})-[r]-() WHERE n.id IN $ids AND NOT r.id IN $handled "
                                       "RETURN DISTINCT r.id AS id, type(r) AS type, startNode(r).id AS start, "
                                       "endNode(r).id AS end, r AS fact", gone_nodes, handled)
            tx.run(f"MATCH (n:{ENTITY}) WHERE n.id IN $ids DETACH DELETE n", ids=gone_nodes).consume()
        rows_by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in node_rows.values():
            rows_by_kind[row["props"]["kind"]].append(row)
        terms = sorted({term for row in node_rows.values() for term in row["props"]["terms"].split()})
        _run_blocks(tx, [(_upsert_nodes(kind), {"rows": rows, "document": document})
                         for kind, rows in sorted(rows_by_kind.items())]
                    + ([(f"UNWIND $terms AS term MERGE (:{TERM} {{term: term}})", {"terms": terms})] if terms else []))
        if node_rows:
            to_place.update(self._moved(tx, f"MATCH (p:{PENDING}) WHERE (p.start IN $ids OR p.end IN $ids) "
                                            "AND NOT p.id IN $handled RETURN p.id AS id, p.type AS type, "
                                            "p.start AS start, p.end AS end, p AS fact", sorted(node_rows), handled))
        to_place.update(rel_rows)
        self._keep_answers(tx, sorted(node_rows), self._place_relationships(tx, to_place))

    @staticmethod
    def _moved(tx: ManagedTransaction, query: str, ids: list[str], handled: list[str]) -> dict[str, dict[str, Any]]:
        """Rows of the relationships a query finds (drawn or pending), to be placed again as they are."""
        return {r["id"]: {"id": r["id"], "type": r["type"], "start": r["start"], "end": r["end"],
                          "props": {k: v for k, v in dict(r["fact"]).items() if k not in ("type", "start", "end")}}
                for r in tx.run(query, ids=ids, handled=handled)}

    @staticmethod
    def _place_relationships(tx: ManagedTransaction, rows: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
        """Write relationships whose two nodes exist; keep the others pending. Returns the ids drawn, by type."""
        if not rows:
            return {}
        ends = sorted({row[key] for row in rows.values() for key in ("start", "end")})
        existing = {r["id"] for r in tx.run(f"MATCH (n:{ENTITY}) WHERE n.id IN $ids RETURN n.id AS id", ids=ends)}
        placed: dict[str, list[dict[str, Any]]] = defaultdict(list)
        pending = []
        for row in rows.values():
            if row["start"] in existing and row["end"] in existing:
                placed[row["type"]].append(row)
            else:
                pending.append(row)
        blocks = [(_upsert_relationships(rel_type), {"rows": type_rows}) for rel_type, type_rows in sorted(placed.items())]
        if placed:
            blocks.append((f"MATCH (p:{PENDING}) WHERE p.id IN $ids DELETE p",
                           {"ids": sorted(row["id"] for type_rows in placed.values() for row in type_rows)}))
        if pending:
            blocks.append((PENDING_UPSERT, {"rows": pending}))
        _run_blocks(tx, blocks)
        return {rel_type: [row["id"] for row in type_rows] for rel_type, type_rows in placed.items()}

    def remove_document(self, document: str) -> RemoveSummary:
        return self._write(lambda tx: self._remove_tx(tx, document))

    def _remove_tx(self, tx: ManagedTransaction, document: str) -> RemoveSummary:
        self._lock(tx)
        if tx.run(f"MATCH (d:{REGISTRY} {{name: $name}}) RETURN d", name=document).single() is None:
            raise KeyError(document)
        old_nodes, old_rels = self._claims_of(tx, document)
        self._replace(tx, document, old_nodes, old_rels, {}, {})
        tx.run(f"MATCH (d:{REGISTRY} {{name: $name}}) DELETE d", name=document).consume()
        tx.run(f"MATCH (t:{DOCUMENT_TEXT} {{document: $name}}) DELETE t", name=document).consume()
        left_nodes = tx.run(f"MATCH (n:{ENTITY}) WHERE n.id IN $ids RETURN count(n) AS n", ids=list(old_nodes)).single()
        left_rels = self._stored_rels(tx, {i: claim[0] for i, claim in old_rels.items()})
        return RemoveSummary(document=document, nodes_deleted=len(old_nodes) - left_nodes["n"],
                             relationships_deleted=len(old_rels.keys() - left_rels.keys()))

    def clear(self) -> None:
        def work(tx: ManagedTransaction) -> None:
            self._lock(tx)
            tx.run(f"MATCH (n) WHERE n:{ENTITY} OR n:{REGISTRY} OR n:{PENDING} OR n:{MENTIONS} OR n:{JUDGEMENT} "
                   f"OR n:{DOCUMENT_TEXT} OR n:{CLAIM} OR n:{TERM} OR n:{INDEX_ENTRY} "
                   "DETACH DELETE n").consume()

        self._write(work)

    # --- resolution data ----------------------------------------------------------------
    def mention_graphs(self, skip: str | None = None, only: Iterable[str] | None = None) -> dict[str, DocumentGraph]:
        if only is None:
            rows = self._rows(f"MATCH (m:{MENTIONS}) WHERE m.document <> $skip OR $skip IS NULL "
                              "RETURN m.document AS document, m.graph AS graph ORDER BY document", skip=skip)
        else:
            rows = self._rows(f"UNWIND $only AS name MATCH (m:{MENTIONS} {{document: name}}) "
                              "WHERE m.document <> $skip OR $skip IS NULL "
                              "RETURN m.document AS document, m.graph AS graph ORDER BY document",
                              skip=skip, only=sorted(set(only)))
        return {r["document"]: DocumentGraph.model_validate_json(r["graph"]) for r in rows}

    def save_mention_graph(self, doc: DocumentGraph) -> None:
        self._write(lambda tx: tx.run(f"MERGE (m:{MENTIONS} {{document: $document}}) SET m.graph = $graph",
                                      document=doc.document, graph=doc.model_dump_json()).consume())

    def drop_mention_graph(self, document: str) -> None:
        self._write(lambda tx: tx.run(f"MATCH (m:{MENTIONS} {{document: $document}}) DELETE m",
                                      document=document).consume())

    def document_text(self, document: str) -> str | None:
        rows = self._rows(f"MATCH (t:{DOCUMENT_TEXT} {{document: $document}}) RETURN t.text AS text",
                          document=document)
        return rows[0]["text"] if rows else None

    def save_document_text(self, document: str, text: str) -> None:
        def work(tx: ManagedTransaction) -> None:
            self._lock(tx)
            if tx.run(f"MATCH (d:{REGISTRY} {{name: $name}}) RETURN d", name=document).single() is None:
                raise KeyError(document)
            tx.run(f"MERGE (t:{DOCUMENT_TEXT} {{document: $document}}) SET t.text = $text",
                   document=document, text=text).consume()

        self._write(work)

    def judgements(self) -> list[Judgement]:
        rows = self._rows(f"MATCH (j:{JUDGEMENT}) RETURN j ORDER BY j.id")
        return [Judgement.model_validate(dict(r["j"])) for r in rows]

    def save_judgements(self, judgements: list[Judgement]) -> None:
        rows = [j.model_dump(mode="json") for j in judgements]
        self._write(lambda tx: tx.run(f"UNWIND $rows AS row MERGE (j:{JUDGEMENT} {{id: row.id}}) SET j += row",
                                      rows=rows).consume())

    def drop_judgements(self, ids: list[str]) -> None:
        self._write(lambda tx: tx.run(f"MATCH (j:{JUDGEMENT}) WHERE j.id IN $ids DELETE j", ids=ids).consume())

    def judgements_about(self, ids: Iterable[str]) -> list[Judgement]:
        rows = self._rows(f"UNWIND $ids AS i MATCH (j:{JUDGEMENT} {{left: i}}) RETURN j "
                          f"UNION UNWIND $ids AS i MATCH (j:{JUDGEMENT} {{right: i}}) RETURN j", ids=sorted(set(ids)))
        return sorted((Judgement.model_validate(dict(r["j"])) for r in rows), key=lambda j: j.id)

    def index_entries(self, keys: Iterable[str] = (), owners: Iterable[str] = (),
                      limit: int | None = None) -> list[IndexEntry]:
        rows = self._rows(f"UNWIND $keys AS k CALL {{ WITH k MATCH (e:{INDEX_ENTRY} {{key: k}}) "
                          "RETURN e ORDER BY e.member LIMIT $limit } RETURN e "
                          f"UNION UNWIND $owners AS o MATCH (e:{INDEX_ENTRY} {{owner: o}}) RETURN e",
                          keys=sorted(set(keys)), owners=sorted(set(owners)),
                          limit=(1 << 62) if limit is None else limit)
        return sorted({IndexEntry(r["e"]["owner"], r["e"]["key"], r["e"]["member"], r["e"]["data"]) for r in rows})

    def replace_index_entries(self, owners: Iterable[str] | None, entries: list[IndexEntry]) -> None:
        rows = [entry._asdict() for entry in sorted(set(entries))]

        def work(tx: ManagedTransaction) -> None:
            if owners is None:
                tx.run(f"MATCH (e:{INDEX_ENTRY}) DELETE e").consume()
            else:
                tx.run(f"UNWIND $owners AS o MATCH (e:{INDEX_ENTRY} {{owner: o}}) DELETE e",
                       owners=sorted(set(owners))).consume()
            tx.run(f"UNWIND $rows AS row CREATE (e:{INDEX_ENTRY}) SET e = row", rows=rows).consume()

        self._write(work)

    def documents(self) -> list[DocumentInfo]:
        rows = self._rows(f"MATCH (d:{REGISTRY}) RETURN d.name AS name, d.sha256 AS sha256, "
                          "d.nodes AS nodes, d.relationships AS rels ORDER BY name")
        return [DocumentInfo(document=r["name"], sha256=r["sha256"], nodes=r["nodes"], relationships=r["rels"])
                for r in rows]

    # --- primitives --------------------------------------------------------------------------
    def _nodes(self, ids: Iterable[str], sources: bool = True, first: int | None = None) -> dict[str, Node]:
        rows = self._collected(f"MATCH (n:{ENTITY}) WHERE n.id IN $ids RETURN collect([n.id, n.node, "
                               f"{_sources_of('n', sources, first)}, size(n.documents)])",
                               ids=sorted(set(ids)), first=first)
        if first is not None:
            self._remember_counts(rows)
        return {node_id: _node_of(node, found) for node_id, node, found, _ in rows}

    def _dated(self, ids: Iterable[str]) -> dict[str, answers.Dated]:
        # Kept for the version the question reads (``_Postings``): a contacts question dates the hundreds of tasks
        # that share its activity's words, most of them dated by the questions before it.
        postings = self._index_state()[1]
        wanted = sorted(set(ids))
        found = {node_id: dated for node_id in wanted if (dated := postings.dated.get(node_id)) is not None}
        missing = [node_id for node_id in wanted if node_id not in found]
        if missing:
            read = {node_id: _dated_of(node) for node_id, node in self._collected(
                f"MATCH (n:{ENTITY}) WHERE n.id IN $ids RETURN collect([n.id, n.node])", ids=missing)}
            postings.keep(postings.dated, read)
            found.update(read)
        return {node_id: found[node_id] for node_id in wanted if node_id in found}

    def _agreements_signed_by(self, signers: set[str]) -> dict[str, Node]:
        # the signers and the bodies OF them, then the agreements with one of them as a party, in one read
        rows = self._collected(f"MATCH (s:{ENTITY}) WHERE s.id IN $ids CALL (s) {{ RETURN s AS signer UNION "
                               f"MATCH (s)<-[:OF]-(body:{ENTITY}) RETURN body AS signer }} "
                               f"MATCH (signer)<-[:PARTY]-(a:{_label('Agreement')}:{ENTITY}) WITH DISTINCT a "
                               f"RETURN collect([a.id, a.node, {_sources_of('a')}])", ids=sorted(signers))
        return {agreement_id: _node_of(node, found) for agreement_id, node, found in rows}

    def _locality_links(self, asked: list[str], within: bool) -> localities.LocalityLinks:
        if within:  # the units inside, at any depth: the shared walks, a level at a time
            return super()._locality_links(asked, within)
        # The shared walks' four reads in one: the units that went into the asked ones, where each of those
        # went, the parents of every unit reached, then the nodes; the relationships in the walks' order.
        place = f"{_label('Locality')}:{ENTITY}"
        came, went, parents, nodes = self._collected(
            f"CALL () {{ MATCH (a:{ENTITY})<-[r:SUCCEEDED_BY]-(b:{place}) WHERE a.id IN $ids WITH a, r, b "
            "ORDER BY a.id, r.id RETURN collect(r.rel) AS came, collect(DISTINCT b.id) AS formers } "
            f"CALL (formers) {{ MATCH (a:{ENTITY})-[r:SUCCEEDED_BY]->(b:{place}) WHERE a.id IN formers WITH a, r, b "
            "ORDER BY a.id, r.id RETURN collect([r.rel, b.id]) AS went } "
            f"CALL (formers) {{ MATCH (a:{ENTITY})-[r:PART_OF]->(b:{place}) WHERE a.id IN $ids + formers WITH a, r, b "
            "ORDER BY a.id, r.id RETURN collect([r.rel, b.id]) AS parents } "
            f"CALL (formers, went, parents) {{ MATCH (n:{ENTITY}) "
            "WHERE n.id IN $ids + formers + [row IN went | row[1]] + [row IN parents | row[1]] "
            "RETURN collect([n.id, n.node]) AS nodes } "
            "RETURN collect([came, went, parents, nodes])", ids=sorted(set(asked)))[0]
        rels = [_rel_of(rel, []) for rel in [*came, *(row[0] for row in went), *(row[0] for row in parents)]]
        found = dict(sorted((node_id, _node_of(node, [])) for node_id, node in nodes))
        return localities.LocalityLinks.of(Graph(nodes=list(found.values()), relationships=rels))

    def _parties_placed(self, agreement_ids: Iterable[str]) -> tuple[Links, dict[str, Node], dict[str, str]]:
        # The shared walks' three reads in one: the parties, the places the bodies among them are OF, and the parents
        # of the localities among both (of every party: which bodies act for their place is ``answers``' to say).
        place = f"{_label('Locality')}:{ENTITY}"
        parties, places, parents = self._collected(
            f"MATCH (a:{ENTITY})-[r:PARTY]->(b:{ENTITY}) WHERE a.id IN $ids WITH a, r, b ORDER BY a.id, r.id "
            "WITH collect([a.id, r.rel, b.id, b.node]) AS parties, collect(DISTINCT b) AS signers "
            f"CALL (signers) {{ UNWIND signers AS s MATCH (s)-[r:OF]->(b:{ENTITY}) WHERE NOT s:{_label('Locality')} "
            "WITH s, r, b ORDER BY s.id, r.id RETURN collect([s.id, r.rel, b.id, b.node]) AS places, "
            "collect(DISTINCT b) AS bodies_places } "
            f"CALL (signers, bodies_places) {{ UNWIND signers + bodies_places AS s WITH DISTINCT s "
            f"MATCH (s:{place})-[r:PART_OF]->(b:{ENTITY}) WITH s, r, b ORDER BY s.id, r.id "
            "RETURN collect([s.id, r.rel, b.id, b.node]) AS parents } "
            "RETURN collect([parties, places, parents])", ids=sorted(set(agreement_ids)))[0]
        party_links, of_links, parent_links = (_links_read(rows) for rows in (parties, places, parents))
        acting = [p for items in party_links.values() for _, p in items if answers.acts_for_locality(p)]
        placed = self._placed(acting, of_links)
        return party_links, placed, self._labelled(list({n.id: n for n in placed.values()}.values()), parent_links)

    def _remember_counts(self, rows: list[list[Any]]) -> None:
        """Keep, for the open question, how many documents support the facts read cut to their first
        documents: ``_document_counts`` is asked next for the same facts, in the same transaction.
        Rows of (id, fact, sources, number of documents)."""
        if getattr(self._question, "counts", None) is not None:
            self._question.counts.update((fact_id, documents) for fact_id, _, _, documents in rows)

    def _document_counts(self, node_ids: Iterable[str], rel_ids: Iterable[str]) -> dict[str, int]:
        known: dict[str, int] = getattr(self._question, "counts", None) or {}
        node_ids, rel_ids = set(node_ids), set(rel_ids)
        # the nodes' then the relationships', each by id: the order a neighbourhood's kept answers give (``_graph_json``)
        found = {i: known[i] for i in [*sorted(node_ids), *sorted(rel_ids)] if i in known}
        # A node lists its documents: counting a hub's claims would read thousands. A relationship's
        # id does not say its type, which its index needs, so its claims are counted (few per relationship).
        if node_ids - found.keys() or rel_ids - found.keys():
            rows = self._rows(f"MATCH (n:{ENTITY}) WHERE n.id IN $nodes RETURN n.id AS id, size(n.documents) AS n "
                              f"UNION ALL MATCH (c:{CLAIM}) WHERE c.fact IN $rels RETURN c.fact AS id, count(c) AS n",
                              nodes=sorted(node_ids - found.keys()), rels=sorted(rel_ids - found.keys()))
            found.update((r["id"], r["n"]) for r in rows)
        return found

    def _ids_of(self, kind: str) -> list[str]:
        return [r["id"] for r in self._rows(f"MATCH (n:{_label(kind)}:{ENTITY}) RETURN n.id AS id ORDER BY id")]

    def _walk(self, ids: Iterable[str], rel_type: str, outgoing: bool, sources: bool = True,
              far_sources: bool | None = None) -> Links:
        pattern = f"(a:{ENTITY})-[r:{_rel_type(rel_type)}]->(b:{ENTITY})" if outgoing else \
            f"(a:{ENTITY})<-[r:{_rel_type(rel_type)}]-(b:{ENTITY})"

        def work(tx: ReadTransaction) -> tuple[list[list[Any]], dict[str, list[str]]]:
            rows = tx.run(f"MATCH {pattern} WHERE a.id IN $ids WITH a, r, b ORDER BY a.id, r.id "
                          f"RETURN collect([a.id, r.rel, {_sources_of('r', sources)}, b.id, b.node])",
                          ids=sorted(set(ids))).single(strict=True)[0]
            # Many walks end on a few hubs (tasks on their department): each end's sources once.
            ends = {r[3] for r in rows} if (sources if far_sources is None else far_sources) else set()
            by_end: dict[str, list[str]] = defaultdict(list)
            if ends:  # a round trip saved when no sources are wanted
                for r in tx.run(f"MATCH (c:{CLAIM}) WHERE c.fact IN $ids RETURN c.fact AS fact, c.sources AS sources "
                                "ORDER BY fact, c.document", ids=sorted(ends)):
                    by_end[r["fact"]].append(r["sources"])
            return rows, by_end

        rows, end_sources = self._read(work)
        others: dict[str, Node] = {}
        found: Links = defaultdict(list)
        for node_id, rel, rel_sources, other_id, other_node in rows:
            other = others.get(other_id) or others.setdefault(other_id, _node_of(other_node, end_sources[other_id]))
            found[node_id].append((_rel_of(rel, rel_sources), other))
        return found

    def _out_counts(self, ids: Iterable[str], rel_type: str) -> dict[str, int]:
        # Kept for the version the question reads (``_Postings``), none too: a contacts question counts the contacts
        # of hundreds of tasks to find its page's, most of them counted by the questions before it.
        postings = self._index_state()[1]
        wanted = sorted(set(ids))
        found = {node_id: count for node_id in wanted if (count := postings.out_counts.get((node_id, rel_type))) is not None}
        missing = [node_id for node_id in wanted if node_id not in found]
        if missing:
            counted = dict(self._collected(f"MATCH (a:{ENTITY})-[r:{_rel_type(rel_type)}]->(b:{ENTITY}) WHERE a.id IN $ids "
                                           "WITH a.id AS id, count(r) AS n RETURN collect([id, n])", ids=missing))
            read = {node_id: counted.get(node_id, 0) for node_id in missing}
            postings.keep(postings.out_counts, {(node_id, rel_type): count for node_id, count in read.items()})
            found.update(read)
        return {node_id: count for node_id, count in found.items() if count}

    def _holder_counts(self, groups: list[tuple[str, list[str]]], cap: int) -> list[int]:
        known = self._known_terms(f"{kind}_{word}" for kind, words in groups for word in words)
        # A group whose posting lists this process keeps (a common word's, ``warm_up``) is counted on them: Lucene
        # counting a word thousands of nodes hold cost the server more than the rest of a contact question.
        kept = self._index_state()[1].terms
        counts: dict[int, int] = {}
        for i, (kind, words) in enumerate(groups):
            lists = [kept.get(term) for term in _known_terms_of(kind, words, known)]
            if all(bits is not None for bits in lists):
                counts[i] = min(reduce(or_, lists, 0).bit_count(), cap)
        asked = [i for i in range(len(groups)) if i not in counts]
        if asked:
            queries = [self._queries(*groups[i], known) for i in asked]
            rows = self._rows(f"UNWIND range(0, size($queries) - 1) AS i CALL {{ WITH i UNWIND $queries[i] AS q "
                              f"CALL db.index.fulltext.queryNodes('{TERMS_INDEX}', q, {{limit: $cap}}) YIELD node "
                              "RETURN count(node) AS n } RETURN i, n ORDER BY i", queries=queries, cap=cap)
            counts.update((asked[r["i"]], min(r["n"], cap)) for r in rows)
        return [counts[i] for i in range(len(groups))]

    def _holders(self, wanted: dict[str, tuple[list[list[str]], int]]) -> dict[str, tuple[str, list[list[str]]]]:
        # Each group is the bit set of the nodes holding one of its terms, from the posting lists this process
        # keeps (``_Postings``): those not kept yet are read in one query, then the nodes under enough groups
        # are counted on the bit sets, and only the names not kept yet are read.
        vocabulary, postings = self._index_state()
        terms = {kind: [_known_terms_of(kind, words, vocabulary) for words in word_groups]
                 for kind, (word_groups, _) in wanted.items()}
        missing = sorted({term for groups in terms.values() for group in groups for term in group} - postings.terms.keys())
        if missing:
            postings.keep_terms(dict(self._collected(
                f"UNWIND $terms AS term CALL (term) {{ CALL db.index.fulltext.queryNodes('{TERMS_INDEX}', term) "
                "YIELD node RETURN collect(node.id) AS ids } RETURN collect([term, ids])", terms=missing)))
        found: dict[str, str] = {}
        for kind, (_, needed) in wanted.items():
            groups = [self._posting_list(postings, group) for group in terms[kind]]
            if len(groups) >= needed:  # a node under no group is no holder, even when none is needed
                found.update(dict.fromkeys(postings.numbering.ids_of(bits_in_at_least(groups, max(needed, 1))), kind))
        kept = postings.names  # every node's (``warm_up``) until a write: another thread may drop them meanwhile
        holders = {node_id: (kind, names) for node_id, kind in found.items() if (names := kept.get(node_id)) is not None}
        unnamed = sorted(node_id for node_id in found if node_id not in holders)
        if unnamed:
            read = {node_id: _names_of(text) for node_id, text in self._collected(
                f"MATCH (n:{ENTITY}) WHERE n.id IN $ids RETURN collect([n.id, n.names])", ids=unnamed)}
            postings.keep(postings.names, read)
            holders.update((node_id, (found[node_id], names)) for node_id, names in read.items())
        return holders

    def _posting_list(self, postings: _Postings, terms: list[str]) -> int:
        """The bit set of the nodes holding one of these terms (their posting lists read before)."""
        bits = 0
        for term in terms:
            found = postings.terms.get(term)
            if found is None:  # dropped meanwhile by another thread keeping others: read again
                found = postings.numbering.bits(self._collected(
                    f"CALL db.index.fulltext.queryNodes('{TERMS_INDEX}', $term) YIELD node "
                    "RETURN collect(node.id)", term=term))
            bits |= found
        return bits

    def warm_up(self, min_holders: int = WARM_MIN_HOLDERS) -> None:
        """Keep the posting lists of the terms many nodes hold (the most held first, at most half of
        ``POSTINGS_KEPT``) and every node's folded names (at most ``NAMES_KEPT``), from every node's names read
        at once (its terms are their words, ``_terms``): read as questions first asked for them, a fresh
        process's first questions each read thousands of entries of common words, and the names of the
        hundreds of candidates they found."""
        with self._reaching(), self._snapshot():
            postings = self._index_state()[1]
            holders: dict[str, list[str]] = defaultdict(list)
            names: dict[str, Names] = {}
            for node_id, kind, text in self._collected(f"MATCH (n:{ENTITY}) RETURN collect([n.id, n.kind, n.names])"):
                names[node_id] = folded = _names_of(text)
                for word in {word for name in folded for word in name}:
                    holders[f"{kind}_{word}"].append(node_id)
            common = sorted((term for term, ids in holders.items() if len(ids) >= min_holders),
                            key=lambda term: -len(holders[term]))[:POSTINGS_KEPT // 2]
            postings.keep_terms({term: holders[term] for term in common})
            postings.keep(postings.names, dict(islice(names.items(), NAMES_KEPT)))

    def _known_terms(self, terms: Iterable[str]) -> set[str]:
        """The terms the index has held, of these: most spellings one letter off are no word."""
        return self._index_state()[0].intersection(terms)

    def _index_state(self) -> tuple[frozenset[str], _Postings]:
        """Every term the index has held, and the posting lists kept for the version of the database the
        question reads (both read once per question). The terms are remembered, and read again when their
        number changed: terms are only ever added, so a new one changes it. The posting lists are begun
        again when a write changed the version (a token on the write lock): another process may write."""
        if (asked := getattr(self._question, "index", None)) is not None:
            return asked
        row = self._rows(f"MATCH (t:{TERM}) WITH count(t) AS n "
                         f"OPTIONAL MATCH (l:{WRITE_LOCK} {{name: 'writer'}}) RETURN n, l.version AS version")[0]
        remembered = self._remembered_vocabulary
        if remembered is None or remembered[0] != row["n"]:
            terms = frozenset(r["term"] for r in self._rows(f"MATCH (t:{TERM}) RETURN t.term AS term"))
            self._remembered_vocabulary = remembered = (len(terms), terms)
        postings = self._postings
        if row["version"] is None or postings.version != row["version"]:
            postings = _Postings(row["version"], postings.numbering)
            if row["version"] is not None:  # else nothing tells the next question whether it is still so
                self._postings = postings
        state = (remembered[1], postings)
        if getattr(self._question, "tx", None) is not None:
            self._question.index = state
        return state

    @staticmethod
    def _queries(kind: str, words: list[str], known: set[str]) -> list[str]:
        """Lucene queries (any of the terms) for a kind's words the index knows, split below the
        clause limit (none when it knows none of them)."""
        terms = _known_terms_of(kind, words, known)
        return [" ".join(terms[i:i + TERMS_PER_QUERY]) for i in range(0, len(terms), TERMS_PER_QUERY)]

    def _adjacency(self, ids: Iterable[str]) -> dict[str, set[str]]:
        rows = self._rows(f"MATCH (a:{ENTITY})--(b:{ENTITY}) WHERE a.id IN $ids "
                          "RETURN a.id AS id, collect(DISTINCT b.id) AS others", ids=sorted(set(ids)))
        return {r["id"]: set(r["others"]) for r in rows}

    def _ring(self, ids: Iterable[str], reached: set[str], at_most: int) -> list[str]:
        # cut on the server: a hub's neighbours are thousands, of which a neighbourhood keeps the first few
        return self._collected(f"MATCH (a:{ENTITY}) WHERE a.id IN $ids CALL (a) {{ MATCH (a)--(b:{ENTITY}) RETURN b.id AS id }} "
                               "WITH DISTINCT id WHERE NOT id IN $reached WITH id ORDER BY id LIMIT $at_most "
                               "RETURN collect(id)",
                               ids=sorted(set(ids)), reached=sorted(reached), at_most=at_most)

    def _relationships_among(self, ids: set[str], first: int | None = None) -> list[Relationship]:
        # Walked from the start nodes: a hub's outgoing relationships are few, its incoming ones
        # thousands (left to itself, the planner expanded every end node's incoming relationships).
        rows = self._collected(f"MATCH (a:{ENTITY}) WHERE a.id IN $ids "
                               f"CALL (a) {{ MATCH (a)-[r]->(b:{ENTITY}) WHERE b.id IN $ids RETURN r }} WITH r ORDER BY r.id "
                               f"RETURN collect([r.id, r.rel, {_sources_of('r', True, first)}, size(r.documents)])",
                               ids=sorted(ids), first=first)
        if first is not None:
            self._remember_counts(rows)
        return [_rel_of(rel, found) for _, rel, found, _ in rows]

    def _graph_json(self, ids: set[str]) -> bytes:
        # The nodes by id, then the relationships among them (walked from their start nodes, as
        # ``_relationships_among``) by id, each as its kept answer, with its number of documents. A fact
        # without one (written by a lienket from before answers were kept, after the database was migrated)
        # comes as its JSON and the sources of its first documents, and its answer is built from them.
        node_unkept = f"CASE WHEN n.answer IS NULL THEN [n.node, {_sources_of('n', True, KEPT_SOURCES)}] END"
        rel_unkept = f"CASE WHEN r.answer IS NULL THEN [r.rel, {_sources_of('r', True, KEPT_SOURCES)}] END"
        nodes, rels = self._collected(
            f"CALL () {{ MATCH (n:{ENTITY}) WHERE n.id IN $ids WITH n ORDER BY n.id "
            f"RETURN collect([n.id, n.answer, size(n.documents), {node_unkept}]) AS nodes }} "
            f"CALL () {{ MATCH (a:{ENTITY}) WHERE a.id IN $ids CALL (a) {{ MATCH (a)-[r]->(b:{ENTITY}) WHERE b.id IN $ids "
            f"RETURN r }} WITH r ORDER BY r.id RETURN collect([r.id, r.answer, size(r.documents), {rel_unkept}]) AS rels }} "
            "RETURN collect([nodes, rels])", ids=sorted(ids), first=KEPT_SOURCES)[0]
        counts = {fact_id: documents for fact_id, _, documents, _ in [*nodes, *rels] if documents > ANSWER_DOCUMENTS}
        return answers.graph_json([kept if kept is not None else _node_answer(*unkept) for _, kept, _, unkept in nodes],
                                  [kept if kept is not None else _rel_answer(*unkept) for _, kept, _, unkept in rels],
                                  counts)

    def _relationships_between(self, pairs: list[tuple[str, str]]) -> list[list[Relationship]]:
        rows = self._rows(f"UNWIND range(0, size($pairs) - 1) AS i "
                          f"OPTIONAL MATCH (a:{ENTITY} {{id: $pairs[i][0]}})-[r]-(b:{ENTITY} {{id: $pairs[i][1]}}) "
                          f"WITH i, r ORDER BY r.id RETURN i, collect([r.rel, {_sources_of('r')}]) AS rels ORDER BY i",
                          pairs=[list(p) for p in pairs])
        return [[_rel_of(text, sources) for text, sources in r["rels"]] for r in rows]

    # --- reading: the whole store -------------------------------------------------------------
    def counts(self) -> Counts:
        nodes = self._rows(f"MATCH (n:{ENTITY}) RETURN n.kind AS key, count(*) AS n ORDER BY key")
        rels = self._rows(f"MATCH (:{ENTITY})-[r]->(:{ENTITY}) RETURN type(r) AS key, count(*) AS n ORDER BY key")
        documents = self._rows(f"MATCH (d:{REGISTRY}) RETURN count(d) AS n")[0]["n"]
        return Counts(nodes={r["key"]: r["n"] for r in nodes}, relationships={r["key"]: r["n"] for r in rels},
                      documents=documents)

    def _whole_graph(self) -> Graph:
        nodes = self._rows(f"MATCH (n:{ENTITY}) RETURN n.node AS node, {_sources_of('n')} AS sources ORDER BY n.id")
        rels = self._rows(f"MATCH (:{ENTITY})-[r]->(:{ENTITY}) RETURN r.rel AS rel, {_sources_of('r')} AS sources "
                          "ORDER BY r.id")
        return Graph(nodes=[_node_of(r["node"], r["sources"]) for r in nodes],
                     relationships=[_rel_of(r["rel"], r["sources"]) for r in rels])

    # --- Cypher for researchers ------------------------------------------------------------------
    def read_cypher(self, query: str, parameters: dict[str, Any], limit: int, timeout_s: float) -> CypherResult:
        """Run a read-only query: EXPLAIN first and refuse unless its plan only reads the graph (graph.cypher_guard),
        then run it in a READ transaction with a server-side timeout, keeping at most ``limit`` rows."""
        check_read_query(self._own_read, query, parameters, self.database, timeout_s)

        @neo4j.unit_of_work(timeout=timeout_s)
        def work(tx: ManagedTransaction) -> CypherResult:
            result = tx.run(query, parameters)
            rows = []
            for record in result:
                if len(rows) == limit:
                    return CypherResult(columns=list(record.keys()), rows=rows, truncated=True)
                rows.append([_to_json_value(v) for v in record.values()])
            return CypherResult(columns=list(result.keys()), rows=rows, truncated=False)

        try:
            return self._own_read(work)
        except Neo4jError as exc:
            raise cypher_failure(exc, timeout_s) from exc
