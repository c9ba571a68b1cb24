"""The Neo4j store: the same graph in a Neo4j 5 server, readable by researchers in Neo4j Browser.

Layout in Neo4j. Every graph node is ``(:Entity:<Kind> {id, kind, name, aliases, ...})`` and
every relationship ``-[:<TYPE> {id, ...}]->``, with the effective properties written flat
(scalars and lists; nested values as JSON text), ``sources`` and ``claims`` as JSON text and
``documents`` as the names of the documents that support the fact. ``claims`` holds what each
document said ({document: node or relationship}); the effective fact is merged from it with
``graph.claims`` exactly as the embedded store does, so removing a document recomputes the
facts from the documents that remain. Ingested documents are registered as
``(:LienketDocument {name, sha256, node_ids, relationship_ids, relationship_types})`` — not to
be confused with graph nodes of kind Document. A relationship whose node no document
supports waits as a ``(:LienketPendingRelationship)`` until the node is written.

Writing: one managed write transaction per document, batched UNWIND + MERGE; writers take a
lock node first so two processes never merge claims from stale reads. Labels and
relationship types come only from graph/schema.yaml; every value travels as a parameter.

Reading: a typed text is matched like in every backend — candidates are ranked by
``graph.matching``. They come from the full-text index ``lienket_names`` (analyzer
``standard-folding``, over ``search_text``: the folded names and aliases), queried with each
word and all its one-edit spellings (not Lucene's ``~``, which stops after 50 expansions).
The analyzer drops English stop words, and "an", "to", "no", "the", "in", "on" are
Vietnamese syllables once folded: when such words weigh enough that a node could be accepted
on them alone, every node of the kind is a candidate instead, so answers never differ.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import pairwise
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase, ManagedTransaction
from neo4j.exceptions import Neo4jError
from neo4j.graph import Node as Neo4jNode
from neo4j.graph import Path as Neo4jPath
from neo4j.graph import Relationship as Neo4jRelationship

from graph import answers, localities
from graph.claims import merge_node, merge_relationship
from graph.cypher_guard import check_read_query, cypher_failure
from graph.matching import (
    STOPWORD_WEIGHT,
    Match,
    one_edit_apart,
    rank,
    stopwords,
    threshold,
)
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
    relationship_types,
)
from graph.store import (
    CypherResult,
    GraphFilter,
    GraphStore,
)
from graph.text import tokens

ENTITY = "Entity"
REGISTRY = "LienketDocument"
WRITE_LOCK = "LienketWriteLock"
PENDING = "LienketPendingRelationship"
# Resolution's data: each document's graph as read, and the judgements (readable in Neo4j Browser).
MENTIONS = "LienketMentionGraph"
JUDGEMENT = "LienketJudgement"
FULLTEXT_INDEX = "lienket_names"
FULLTEXT_ANALYZER = "standard-folding"
NODE_RESERVED = frozenset({"id", "kind", "name", "aliases", "claims", "sources", "documents", "search_text"})
REL_RESERVED = frozenset({"id", "claims", "sources", "documents"})
# Folded text is made of these characters only, so one-edit spellings over them are all there are.
FOLDED_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
FUZZY_MIN_LENGTH = 3  # graph.matching credits a one-letter-off word only from this length on
TERMS_PER_QUERY = 500  # below Lucene's 1024 clauses per query
RECALL_ROUNDING = 1e-3  # matching rounds recall to 4 places: stay on the safe side of it

Claims = dict[str, dict[str, Any]]
T = TypeVar("T")


def _label(kind: str) -> str:
    """A node label for Cypher text: only kinds from graph/schema.yaml pass."""
    if kind not in node_kinds():
        raise ValueError(f"unknown node kind {kind!r}; see graph/schema.yaml")
    return kind


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


def _node_row(node_id: str, claims: Claims) -> dict[str, Any]:
    """The Neo4j properties of a node, from its claims."""
    node = _merge_node(claims)
    names = [node.name, *node.aliases]
    props = _flat_properties(node.properties, NODE_RESERVED)
    props.update(id=node.id, kind=node.kind, name=node.name, aliases=node.aliases,
                 sources=_json([s.model_dump() for s in node.sources]), claims=_json(claims),
                 documents=sorted(claims), search_text="\n".join(dict.fromkeys(" ".join(tokens(n)) for n in names)))
    return {"id": node_id, "props": props}


def _rel_row(rel_id: str, claims: Claims) -> dict[str, Any]:
    """The Neo4j properties of a relationship, from its claims, with its endpoints."""
    rel = _merge_relationship(claims)
    props = _flat_properties(rel.properties, REL_RESERVED)
    props.update(id=rel.id, sources=_json([s.model_dump() for s in rel.sources]), claims=_json(claims),
                 documents=sorted(claims))
    return {"id": rel_id, "start": rel.start, "end": rel.end, "props": props}


def _merge_node(claims: Claims) -> Node:
    return merge_node({doc: Node.model_validate(c) for doc, c in claims.items()})


def _merge_relationship(claims: Claims) -> Relationship:
    return merge_relationship({doc: Relationship.model_validate(c) for doc, c in claims.items()})


def _node_of(claims_json: str) -> Node:
    return _merge_node(json.loads(claims_json))


def _rel_of(claims_json: str) -> Relationship:
    return _merge_relationship(json.loads(claims_json))


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


def one_edit_spellings(word: str) -> set[str]:
    """Every folded word one substitution, insertion or deletion away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletions = {a + b[1:] for a, b in splits if b}
    substitutions = {a + c + b[1:] for a, b in splits if b for c in FOLDED_ALPHABET if c != b[0]}
    insertions = {a + c + b for a, b in splits for c in FOLDED_ALPHABET}
    return (deletions | substitutions | insertions) - {word, ""}


class Neo4jStore(GraphStore):
    """A GraphStore in a Neo4j 5 database, reached over Bolt with the official driver."""

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j") -> None:
        auth = (user, password) if password else None
        self.database = database
        # Warnings such as "property key does not exist" on an empty database are noise here.
        self._driver = GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF")
        try:
            self._driver.verify_connectivity()
            self._create_schema()
            self._index_stopwords = self._analyzer_stopwords()
        except BaseException:
            self._driver.close()
            raise

    @classmethod
    def from_environment(cls) -> Neo4jStore:
        """A store configured by NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD and NEO4J_DATABASE."""
        uri = os.environ.get("NEO4J_URI")
        if not uri:
            raise ValueError("NEO4J_URI is not set (e.g. bolt://localhost:7687)")
        return cls(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""),
                   database=os.environ.get("NEO4J_DATABASE") or "neo4j")

    def close(self) -> None:
        """Close the driver and its connections."""
        self._driver.close()

    # --- sessions ----------------------------------------------------------------------
    def _read(self, work: Callable[[ManagedTransaction], T]) -> T:
        with self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
            return session.execute_read(work)

    def _write(self, work: Callable[[ManagedTransaction], T]) -> T:
        with self._driver.session(database=self.database) as session:
            return session.execute_write(work)

    def _rows(self, query: str, **params: Any) -> list[neo4j.Record]:
        return self._read(lambda tx: list(tx.run(query, params)))

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
            FULLTEXT_INDEX: f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:{ENTITY}) "
                            f"ON EACH [n.search_text] OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{FULLTEXT_ANALYZER}'}}}}",
        }
        for rel_type in relationship_types():
            name = f"lienket_{rel_type.lower()}_id"
            wanted[name] = f"CREATE INDEX {name} IF NOT EXISTS FOR ()-[r:{_rel_type(rel_type)}]-() ON (r.id)"
        with self._driver.session(database=self.database) as session:
            existing = {r["name"] for r in session.run("SHOW INDEXES YIELD name")}
            for name, statement in wanted.items():
                if name not in existing:
                    session.run(statement).consume()

    def _analyzer_stopwords(self) -> frozenset[str]:
        """The words the full-text analyzer drops (English stop words), as the server reports them."""
        rows = self._rows("CALL db.index.fulltext.listAvailableAnalyzers() YIELD analyzer, stopwords "
                          "WHERE analyzer = $name RETURN stopwords", name=FULLTEXT_ANALYZER)
        return frozenset(rows[0]["stopwords"])

    # --- writing -------------------------------------------------------------------------
    def write_document(self, doc: DocumentGraph) -> WriteSummary:
        new_nodes = {n.id: n.model_dump(mode="json") for n in doc.nodes}
        new_rels = {r.id: r.model_dump(mode="json") for r in doc.relationships}
        return self._write(lambda tx: self._write_tx(tx, doc, new_nodes, new_rels))

    def _write_tx(self, tx: ManagedTransaction, doc: DocumentGraph, new_nodes: Claims, new_rels: Claims) -> WriteSummary:
        self._lock(tx)
        registered = self._registered(tx, doc.document)
        old_rel_types = registered["relationships"] if registered else {}
        node_claims = self._node_claims(tx, set(registered["node_ids"] if registered else []) | set(new_nodes))
        rel_types = {**old_rel_types, **{i: c["type"] for i, c in new_rels.items()}}
        rel_claims = self._rel_claims(tx, rel_types)
        old_nodes = {i: c[doc.document] for i, c in node_claims.items() if doc.document in c}
        old_rels = {i: c[doc.document] for i, c in rel_claims.items() if doc.document in c}
        known = registered is not None
        if known and registered["sha256"] == doc.sha256 and old_nodes == new_nodes and old_rels == new_rels:
            return WriteSummary(document=doc.document, status="unchanged", nodes=len(new_nodes),
                                relationships=len(new_rels))
        nodes_added = sum(1 for i in new_nodes if i not in node_claims)
        rels_added = sum(1 for i in new_rels if i not in rel_claims)
        for claims in (*node_claims.values(), *rel_claims.values()):
            claims.pop(doc.document, None)
        for node_id, claim in new_nodes.items():
            node_claims.setdefault(node_id, {})[doc.document] = claim
        for rel_id, claim in new_rels.items():
            rel_claims.setdefault(rel_id, {})[doc.document] = claim
        self._apply(tx, node_claims, rel_claims, rel_types)
        self._register(tx, doc.document, doc.sha256, list(new_nodes), {i: c["type"] for i, c in new_rels.items()})
        return WriteSummary(document=doc.document, status="replaced" if known else "added",
                            nodes_added=nodes_added, relationships_added=rels_added,
                            nodes=len(new_nodes), relationships=len(new_rels))

    @staticmethod
    def _lock(tx: ManagedTransaction) -> None:
        """Serialise writers: the write lock on this node is held until the transaction ends."""
        tx.run(f"MERGE (l:{WRITE_LOCK} {{name: 'writer'}}) SET l.taken = timestamp()").consume()

    @staticmethod
    def _registered(tx: ManagedTransaction, document: str) -> dict[str, Any] | None:
        record = tx.run(f"MATCH (d:{REGISTRY} {{name: $name}}) RETURN d.sha256 AS sha256, d.node_ids AS node_ids, "
                        "d.relationship_ids AS rel_ids, d.relationship_types AS rel_types", name=document).single()
        if record is None:
            return None
        return {"sha256": record["sha256"], "node_ids": record["node_ids"],
                "relationships": dict(zip(record["rel_ids"], record["rel_types"]))}

    @staticmethod
    def _register(tx: ManagedTransaction, document: str, sha256: str, node_ids: list[str],
                  rels: dict[str, str]) -> None:
        tx.run(f"MERGE (d:{REGISTRY} {{name: $name}}) SET d.sha256 = $sha256, d.node_ids = $node_ids, "
               "d.relationship_ids = $rel_ids, d.relationship_types = $rel_types",
               name=document, sha256=sha256, node_ids=node_ids, rel_ids=list(rels),
               rel_types=list(rels.values())).consume()

    @staticmethod
    def _node_claims(tx: ManagedTransaction, ids: set[str]) -> dict[str, Claims]:
        result = tx.run(f"MATCH (n:{ENTITY}) WHERE n.id IN $ids RETURN n.id AS id, n.claims AS claims", ids=list(ids))
        return {r["id"]: json.loads(r["claims"]) for r in result}

    @staticmethod
    def _rel_claims(tx: ManagedTransaction, types: dict[str, str]) -> dict[str, Claims]:
        by_type: dict[str, list[str]] = defaultdict(list)
        for rel_id, rel_type in types.items():
            by_type[rel_type].append(rel_id)
        found: dict[str, Claims] = {}
        for rel_type, ids in by_type.items():
            result = tx.run(f"MATCH ()-[r:{_rel_type(rel_type)}]->() WHERE r.id IN $ids "
                            "RETURN r.id AS id, r.claims AS claims", ids=ids)
            found.update({r["id"]: json.loads(r["claims"]) for r in result})
        waiting = tx.run(f"MATCH (p:{PENDING}) WHERE p.id IN $ids RETURN p.id AS id, p.claims AS claims", ids=list(types))
        found.update({r["id"]: json.loads(r["claims"]) for r in waiting})
        return found

    def _apply(self, tx: ManagedTransaction, node_claims: dict[str, Claims], rel_claims: dict[str, Claims],
               rel_types: dict[str, str]) -> None:
        """Write the new claims: delete what lost its last claim, upsert the rest.

        A relationship needs both its nodes. One whose node no document supports (yet) waits as
        a ``LienketPendingRelationship`` and becomes a relationship when the node appears, so
        its claims survive — as the embedded store keeps them — until their documents go."""
        gone_rels = [i for i, c in rel_claims.items() if not c]
        for rel_type in sorted({rel_types[i] for i in gone_rels}):
            ids = [i for i in gone_rels if rel_types[i] == rel_type]
            tx.run(f"MATCH ()-[r:{_rel_type(rel_type)}]->() WHERE r.id IN $ids DELETE r", ids=ids).consume()
        tx.run(f"MATCH (p:{PENDING}) WHERE p.id IN $ids DELETE p", ids=gone_rels).consume()
        gone_nodes = [i for i, c in node_claims.items() if not c]
        orphans = tx.run(f"MATCH (n:{ENTITY})-[r]-() WHERE n.id IN $ids AND NOT r.id IN $handled "
                         "RETURN DISTINCT r.id AS id, type(r) AS type, r.claims AS claims",
                         ids=gone_nodes, handled=list(rel_claims))
        to_place = {r["id"]: (r["type"], json.loads(r["claims"])) for r in orphans}
        tx.run(f"MATCH (n:{ENTITY}) WHERE n.id IN $ids DETACH DELETE n", ids=gone_nodes).consume()
        rows_by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for node_id, claims in node_claims.items():
            if claims:
                row = _node_row(node_id, claims)
                rows_by_kind[row["props"]["kind"]].append(row)
        for kind, rows in rows_by_kind.items():
            others = "".join(f":{_label(k)}" for k in node_kinds() if k != kind)
            tx.run(f"UNWIND $rows AS row MERGE (n:{ENTITY} {{id: row.id}}) SET n = row.props, n:{_label(kind)} "
                   f"REMOVE n{others}", rows=rows).consume()
        waiting = tx.run(f"MATCH (p:{PENDING}) WHERE (p.start IN $ids OR p.end IN $ids) AND NOT p.id IN $handled "
                         "RETURN p.id AS id, p.type AS type, p.claims AS claims",
                         ids=[i for i, c in node_claims.items() if c], handled=list(rel_claims))
        to_place.update({r["id"]: (r["type"], json.loads(r["claims"])) for r in waiting})
        to_place.update({i: (rel_types[i], c) for i, c in rel_claims.items() if c})
        self._place_relationships(tx, to_place)

    @staticmethod
    def _place_relationships(tx: ManagedTransaction, rels: dict[str, tuple[str, Claims]]) -> None:
        """Write relationships whose two nodes exist; keep the others pending."""
        rows = {rel_id: (rel_type, _rel_row(rel_id, claims)) for rel_id, (rel_type, claims) in rels.items()}
        ends = sorted({row[key] for _, row in rows.values() for key in ("start", "end")})
        existing = {r["id"] for r in tx.run(f"MATCH (n:{ENTITY}) WHERE n.id IN $ids RETURN n.id AS id", ids=ends)}
        placed: dict[str, list[dict[str, Any]]] = defaultdict(list)
        pending = []
        for rel_type, row in rows.values():
            if row["start"] in existing and row["end"] in existing:
                placed[rel_type].append(row)
            else:
                pending.append({**row, "type": rel_type})
        for rel_type, type_rows in placed.items():
            tx.run(f"UNWIND $rows AS row MATCH (a:{ENTITY} {{id: row.start}}), (b:{ENTITY} {{id: row.end}}) "
                   f"MERGE (a)-[r:{_rel_type(rel_type)} {{id: row.id}}]->(b) SET r = row.props",
                   rows=type_rows).consume()
        tx.run(f"MATCH (p:{PENDING}) WHERE p.id IN $ids DELETE p",
               ids=[row["id"] for type_rows in placed.values() for row in type_rows]).consume()
        tx.run(f"UNWIND $rows AS row MERGE (p:{PENDING} {{id: row.id}}) "
               "SET p.type = row.type, p.start = row.start, p.end = row.end, p.claims = row.props.claims",
               rows=pending).consume()

    def remove_document(self, document: str) -> RemoveSummary:
        return self._write(lambda tx: self._remove_tx(tx, document))

    def _remove_tx(self, tx: ManagedTransaction, document: str) -> RemoveSummary:
        self._lock(tx)
        registered = self._registered(tx, document)
        if registered is None:
            raise KeyError(document)
        node_claims = self._node_claims(tx, set(registered["node_ids"]))
        rel_claims = self._rel_claims(tx, registered["relationships"])
        for claims in (*node_claims.values(), *rel_claims.values()):
            claims.pop(document, None)
        self._apply(tx, node_claims, rel_claims, registered["relationships"])
        tx.run(f"MATCH (d:{REGISTRY} {{name: $name}}) DELETE d", name=document).consume()
        return RemoveSummary(document=document, nodes_deleted=sum(1 for c in node_claims.values() if not c),
                             relationships_deleted=sum(1 for c in rel_claims.values() if not c))

    def clear(self) -> None:
        def work(tx: ManagedTransaction) -> None:
            self._lock(tx)
            tx.run(f"MATCH (n) WHERE n:{ENTITY} OR n:{REGISTRY} OR n:{PENDING} OR n:{MENTIONS} OR n:{JUDGEMENT} "
                   "DETACH DELETE n").consume()

        self._write(work)

    def import_graph(self, graph: Graph) -> None:
        for doc in answers.split_by_document(graph):
            self.write_document(doc)

    # --- resolution data ----------------------------------------------------------------
    def mention_graphs(self) -> dict[str, DocumentGraph]:
        rows = self._rows(f"MATCH (m:{MENTIONS}) RETURN m.document AS document, m.graph AS graph")
        return {r["document"]: DocumentGraph.model_validate_json(r["graph"]) for r in rows}

    def save_mention_graph(self, doc: DocumentGraph) -> None:
        self._write(lambda tx: tx.run(f"MERGE (m:{MENTIONS} {{document: $document}}) SET m.graph = $graph",
                                      document=doc.document, graph=doc.model_dump_json()).consume())

    def drop_mention_graph(self, document: str) -> None:
        self._write(lambda tx: tx.run(f"MATCH (m:{MENTIONS} {{document: $document}}) DELETE m",
                                      document=document).consume())

    def judgements(self) -> list[Judgement]:
        rows = self._rows(f"MATCH (j:{JUDGEMENT}) RETURN j ORDER BY j.id")
        return [Judgement.model_validate(dict(r["j"])) for r in rows]

    def save_judgements(self, judgements: list[Judgement]) -> None:
        rows = [j.model_dump(mode="json") for j in judgements]
        self._write(lambda tx: tx.run(f"UNWIND $rows AS row MERGE (j:{JUDGEMENT} {{id: row.id}}) SET j += row",
                                      rows=rows).consume())

    def drop_judgements(self, ids: list[str]) -> None:
        self._write(lambda tx: tx.run(f"MATCH (j:{JUDGEMENT}) WHERE j.id IN $ids DELETE j", ids=ids).consume())

    def documents(self) -> list[DocumentInfo]:
        rows = self._rows(f"MATCH (d:{REGISTRY}) RETURN d.name AS name, d.sha256 AS sha256, "
                          "size(d.node_ids) AS nodes, size(d.relationship_ids) AS rels ORDER BY name")
        return [DocumentInfo(document=r["name"], sha256=r["sha256"], nodes=r["nodes"], relationships=r["rels"])
                for r in rows]

    # --- reading: helpers -------------------------------------------------------------------
    def _nodes(self, ids: Iterable[str]) -> dict[str, Node]:
        rows = self._rows(f"MATCH (n:{ENTITY}) WHERE n.id IN $ids RETURN n.claims AS claims", ids=sorted(set(ids)))
        nodes = [_node_of(r["claims"]) for r in rows]
        return {n.id: n for n in nodes}

    def _nodes_of(self, kinds: list[str]) -> list[Node]:
        rows = self._rows(f"MATCH (n:{ENTITY}) WHERE n.kind IN $kinds RETURN n.claims AS claims ORDER BY n.id",
                          kinds=[_label(k) for k in kinds])
        return [_node_of(r["claims"]) for r in rows]

    def _out(self, ids: Iterable[str], rel_type: str) -> dict[str, list[tuple[Relationship, Node]]]:
        """Outgoing relationships of a type from each node, with their end nodes, by relationship id."""
        return self._walk(ids, rel_type, outgoing=True)

    def _in(self, ids: Iterable[str], rel_type: str) -> dict[str, list[tuple[Relationship, Node]]]:
        """Incoming relationships of a type to each node, with their start nodes, by relationship id."""
        return self._walk(ids, rel_type, outgoing=False)

    def _walk(self, ids: Iterable[str], rel_type: str, outgoing: bool) -> dict[str, list[tuple[Relationship, Node]]]:
        pattern = f"(a:{ENTITY})-[r:{_rel_type(rel_type)}]->(b:{ENTITY})" if outgoing else \
            f"(a:{ENTITY})<-[r:{_rel_type(rel_type)}]-(b:{ENTITY})"
        rows = self._rows(f"MATCH {pattern} WHERE a.id IN $ids "
                          "RETURN a.id AS id, r.claims AS rel, b.claims AS other ORDER BY a.id, r.id",
                          ids=sorted(set(ids)))
        found: dict[str, list[tuple[Relationship, Node]]] = defaultdict(list)
        for r in rows:
            found[r["id"]].append((_rel_of(r["rel"]), _node_of(r["other"])))
        return found

    def _rank(self, text: str, kind: str) -> list[tuple[str, Match]]:
        """Nodes of a kind that match the text, ranked by ``graph.matching`` like every backend."""
        return rank(text, kind, self._candidates(tokens(text), kind))

    def _candidates(self, words: list[str], kind: str) -> list[tuple[str, list[str]]]:
        """(id, names) of every node of the kind that ``graph.matching`` could accept for these words.

        An accepted node shares a query word exactly or one letter off (see ``matching``). The
        full-text index finds those through each word and its one-edit spellings, unless the
        words the index cannot see (its stop words, and words one edit from them) weigh enough
        for a node to be accepted on them alone: then every node of the kind is a candidate."""
        if not words:
            return []
        if self._blind_share(words) >= threshold(kind).min_recall - RECALL_ROUNDING:
            rows = self._rows(f"MATCH (n:{_label(kind)}:{ENTITY}) RETURN n.id AS id, n.name AS name, "
                              "n.aliases AS aliases")
        else:
            terms = sorted({spelling for w in words if w not in self._index_stopwords
                            for spelling in ([w, *one_edit_spellings(w)] if len(w) >= FUZZY_MIN_LENGTH else [w])})
            queries = [" ".join(terms[i:i + TERMS_PER_QUERY]) for i in range(0, len(terms), TERMS_PER_QUERY)]
            rows = self._rows(f"UNWIND $queries AS q CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', q) "
                              "YIELD node WHERE node.kind = $kind "
                              "RETURN DISTINCT node.id AS id, node.name AS name, node.aliases AS aliases",
                              queries=queries, kind=_label(kind))
        return [(r["id"], [r["name"], *(r["aliases"] or [])]) for r in rows]

    def _blind_share(self, words: list[str]) -> float:
        """The share of the query's weight that could be matched only through words the index drops."""
        blind = self._index_stopwords

        def weight(word: str) -> float:
            return STOPWORD_WEIGHT if word in stopwords() else 1.0

        def unseen(word: str) -> bool:
            return word in blind or (len(word) >= FUZZY_MIN_LENGTH and any(
                len(b) >= FUZZY_MIN_LENGTH and one_edit_apart(word, b) for b in blind))

        return sum(weight(w) for w in words if unseen(w)) / sum(weight(w) for w in words)


    def _wanted(self, text: str | None, kinds: list[str]) -> set[str] | None:
        """Ids a filter text names; None when there is no filter (an empty set matches nothing)."""
        return None if text is None else set(self._resolve(text, kinds))

    def _graph_of(self, node_ids: set[str]) -> Graph:
        nodes = self._nodes(node_ids)
        rows = self._rows(f"MATCH (a:{ENTITY})-[r]->(b:{ENTITY}) WHERE a.id IN $ids AND b.id IN $ids "
                          "RETURN r.claims AS claims ORDER BY r.id", ids=sorted(node_ids))
        return Graph(nodes=[nodes[i] for i in sorted(nodes)], relationships=[_rel_of(r["claims"]) for r in rows])

    def _localities_of(self, nodes: Iterable[Node]) -> dict[str, Node]:
        """Each node's locality: itself for a locality, else the first place it is OF."""
        nodes = list(nodes)
        places = self._out([n.id for n in nodes if n.kind != "Locality"], "OF")
        found = {n.id: n for n in nodes if n.kind == "Locality"}
        found.update({node_id: items[0][1] for node_id, items in places.items() if items})
        return found

    def _displays(self, nodes: Iterable[Node]) -> dict[str, str]:
        """Display names: a district or commune with its parent ('Huyện Tuy Đức, Tỉnh Đắk Nông')."""
        nodes = list(nodes)
        parents = self._out([n.id for n in nodes if n.kind == "Locality"], "PART_OF")
        return {n.id: answers.locality_label(n, parents[n.id][0][1]) if n.kind == "Locality" and parents.get(n.id)
                else n.name for n in nodes}

    # --- reading: the graph -------------------------------------------------------------------
    def node(self, node_id: str) -> Node | None:
        return self._nodes([node_id]).get(node_id)

    def search(self, text: str, kinds: list[str] | None = None, limit: int = 20) -> list[SearchHit]:
        if not kinds:
            kinds = [r["kind"] for r in self._rows(f"MATCH (n:{ENTITY}) RETURN DISTINCT n.kind AS kind ORDER BY kind")]
        ranked = [(kind, item) for kind in kinds for item in self._rank(text, kind)]
        nodes = self._nodes(node_id for _, (node_id, _) in ranked)
        hits = [SearchHit(id=node_id, kind=kind, name=nodes[node_id].name, score=match.score,
                          sources=nodes[node_id].sources) for kind, (node_id, match) in ranked]
        hits.sort(key=lambda h: (-h.score, h.kind, h.id))
        return hits[:limit]

    def _neighbours(self, ids: list[str]) -> set[str]:
        rows = self._rows(f"MATCH (a:{ENTITY})--(b:{ENTITY}) WHERE a.id IN $ids RETURN DISTINCT b.id AS id", ids=ids)
        return {r["id"] for r in rows}

    def neighbourhood(self, node_id: str, depth: int = 1, limit: int = 500) -> Graph:
        if self.node(node_id) is None:
            raise KeyError(node_id)
        reached = {node_id: 0}
        frontier = [node_id]
        for distance in range(1, depth + 1):
            frontier = sorted(self._neighbours(frontier) - set(reached)) if frontier else []
            reached.update({i: distance for i in frontier})
        keep = sorted(reached, key=lambda i: (reached[i], i))[:limit]
        return self._graph_of(set(keep))

    def shortest_path(self, start_id: str, end_id: str) -> Graph | None:
        nodes = self._nodes([start_id, end_id])
        for node_id in (start_id, end_id):
            if node_id not in nodes:
                raise KeyError(node_id)
        if start_id == end_id:
            return Graph(nodes=[nodes[start_id]], relationships=[])
        rows = self._rows(f"MATCH (a:{ENTITY} {{id: $start}}), (b:{ENTITY} {{id: $end}}) "
                          "MATCH p = shortestPath((a)-[*]-(b)) RETURN [n IN nodes(p) | n.id] AS ids",
                          start=start_id, end=end_id)
        if not rows:
            return None
        path: list[str] = rows[0]["ids"]
        on_path = self._nodes(path)
        between = self._rows(f"UNWIND $pairs AS pair MATCH (a:{ENTITY} {{id: pair[0]}})-[r]-(b:{ENTITY} {{id: pair[1]}}) "
                             "RETURN pair[0] AS a, collect(r.claims) AS claims",
                             pairs=[list(p) for p in pairwise(path)])
        chosen = {}
        for r in between:
            rels = [_rel_of(c) for c in r["claims"]]
            chosen[r["a"]] = min(rels, key=lambda rel: rel.id)
        return Graph(nodes=[on_path[i] for i in path], relationships=[chosen[a] for a in path[:-1]])

    def counts(self) -> Counts:
        nodes = self._rows(f"MATCH (n:{ENTITY}) RETURN n.kind AS key, count(*) AS n ORDER BY key")
        rels = self._rows(f"MATCH (:{ENTITY})-[r]->(:{ENTITY}) RETURN type(r) AS key, count(*) AS n ORDER BY key")
        documents = self._rows(f"MATCH (d:{REGISTRY}) RETURN count(d) AS n")[0]["n"]
        return Counts(nodes={r["key"]: r["n"] for r in nodes}, relationships={r["key"]: r["n"] for r in rels},
                      documents=documents)

    def subgraph(self, graph_filter: GraphFilter | None = None) -> Graph:
        chosen = graph_filter or GraphFilter()
        if not (chosen.kinds or chosen.sector or chosen.year or chosen.locality):
            return self._whole_graph()
        if chosen.sector or chosen.year or chosen.locality:
            seeds = self._selected(chosen)
            keep = seeds | (self._neighbours(sorted(seeds)) if seeds else set())
        else:
            keep = {r["id"] for r in self._rows(f"MATCH (n:{ENTITY}) RETURN n.id AS id")}
        if chosen.kinds:
            rows = self._rows(f"MATCH (n:{ENTITY}) WHERE n.id IN $ids AND n.kind IN $kinds RETURN n.id AS id",
                              ids=sorted(keep), kinds=chosen.kinds)
            keep = {r["id"] for r in rows}
        return self._graph_of(keep)

    def _whole_graph(self) -> Graph:
        nodes = self._rows(f"MATCH (n:{ENTITY}) RETURN n.claims AS claims ORDER BY n.id")
        rels = self._rows(f"MATCH (:{ENTITY})-[r]->(:{ENTITY}) RETURN r.claims AS claims ORDER BY r.id")
        return Graph(nodes=[_node_of(r["claims"]) for r in nodes], relationships=[_rel_of(r["claims"]) for r in rels])

    def _selected(self, chosen: GraphFilter) -> set[str]:
        """Agreements and tasks that touch the filter's sector, year and locality."""
        candidates = self._nodes_of(["Agreement", "Task"])
        wanted = set(self._resolve(chosen.locality, ["Locality"])) if chosen.locality else set()
        successors: dict[str, list[Node]] = defaultdict(list)
        rows = self._rows(f"MATCH (a:{ENTITY})-->(b:{ENTITY}) WHERE a.kind IN ['Agreement', 'Task'] "
                          "RETURN a.id AS id, b.claims AS other")
        for r in rows:
            successors[r["id"]].append(_node_of(r["other"]))
        org_places = self._out({n.id for ns in successors.values() for n in ns if n.kind == "Organization"}, "OF")
        selected = set()
        for node in candidates:
            neighbours = successors.get(node.id, [])
            if chosen.sector and not any(n.kind == "Sector" and answers.same_name(chosen.sector, n)
                                         for n in neighbours):
                continue
            if chosen.year and not answers.in_year(node, chosen.year):
                continue
            if chosen.locality:
                places = {n.id for n in neighbours if n.kind == "Locality"}
                places |= {loc.id for n in neighbours if n.kind == "Organization" for _, loc in org_places.get(n.id, [])}
                if not places & wanted:
                    continue
            selected.add(node.id)
        return selected

    # --- reading: the users' questions ------------------------------------------------------------
    def contacts(self, activity: str) -> list[ContactAnswer]:
        ranked = self._rank_tasks(activity)
        tasks = self._nodes(i for i, _ in ranked)
        contacts = self._out(tasks, "CONTACT")
        result = [answers.contact(tasks[task_id], match.score, rel, person)
                  for task_id, match in ranked for rel, person in contacts.get(task_id, [])]
        return answers.sort_contacts(result)

    def lead(self, task: str) -> list[LeadAnswer]:
        ranked = self._rank_tasks(task)
        tasks = self._nodes(i for i, _ in ranked)
        leads = self._out(tasks, "LED_BY")
        return [answers.lead(tasks[task_id], match.score, rel, org)
                for task_id, match in ranked for rel, org in leads.get(task_id, [])]

    def _agreements_with_parties(self) -> list[tuple[Node, list[Node]]]:
        return [(a, [p for _, p in parties]) for a, parties in self._agreements_with_party_links()]

    def _agreements_with_party_links(self) -> list[tuple[Node, list[tuple[Relationship, Node]]]]:
        agreements = self._nodes_of(["Agreement"])
        parties = self._out([a.id for a in agreements], "PARTY")
        return [(a, parties.get(a.id, [])) for a in agreements]

    def partners(self, locality: str, within: bool = False, as_of: str | None = None) -> list[PartnerAnswer]:
        asked = self._resolve_party(locality, ["Locality"])
        covered = localities.scope(asked, localities.LocalityLinks.of(self._locality_graph()), within, as_of)
        agreements = self._agreements_with_party_links()
        places = self._localities_of(p for _, links in agreements for _, p in links)
        labels = self._displays({place.id: place for place in places.values()}.values())
        return localities.partner_answers(covered, agreements, lambda p: places.get(p.id), lambda p: labels[p.id],
                                          as_of)

    def _locality_graph(self) -> Graph:
        """Every locality with its SUCCEEDED_BY and PART_OF links to other localities."""
        nodes = self._nodes_of(["Locality"])
        ids = [n.id for n in nodes]
        rels = [rel for rel_type in localities.LINK_TYPES for items in self._out(ids, rel_type).values()
                for rel, other in items if other.kind == "Locality"]
        return Graph(nodes=nodes, relationships=rels)

    def agreements_between(self, party_a: str, party_b: str) -> list[AgreementAnswer]:
        side_a = set(self._resolve_party(party_a, ["Locality", "Organization"]))
        side_b = set(self._resolve_party(party_b, ["Locality", "Organization"]))
        agreements = self._agreements_with_parties()
        places = self._localities_of(p for _, parties in agreements for p in parties)
        matched = []
        for agreement, parties in agreements:
            direct = {p.id for p in parties}
            via = {places[p.id].id for p in parties if p.id in places}
            if (direct & side_a and direct & side_b) or (via & side_a and via & side_b):
                matched.append((0 if (direct & side_a and direct & side_b) else 1, agreement, parties))
        return answers.sort_agreements(self._agreement_answers(matched))

    def _agreement_answers(self, matched: list[tuple[int, Node, list[Node]]]) -> list[tuple[int, AgreementAnswer]]:
        sectors = self._out([a.id for _, a, _ in matched], "COVERS")
        labels = self._displays(p for _, _, parties in matched for p in parties)
        return [(closeness, answers.agreement(a, [labels[p.id] for p in parties],
                                              [s.name for _, s in sectors.get(a.id, [])]))
                for closeness, a, parties in matched]

    def person(self, name: str) -> list[PersonAnswer]:
        people = self._nodes(self._resolve(name, ["Person"]))
        holds = self._out(people, "HOLDS")
        result = [answers.position(people[pid], rel, org) for pid in people for rel, org in holds.get(pid, [])]
        orgs = {org.id: org for items in holds.values() for _, org in items}
        return answers.sort_positions(result, orgs)

    def org_tasks(self, organization: str) -> list[OrgTaskAnswer]:
        orgs = self._nodes(self._resolve(organization, ["Organization"]))
        result = []
        for rel_type, role in (("LED_BY", "lead"), ("COORDINATED_BY", "coordinate")):
            tasks = self._in(orgs, rel_type)
            result += [answers.org_task(task, role, rel, orgs[oid]) for oid in orgs for rel, task in tasks.get(oid, [])]
        return answers.sort_org_tasks(result)

    def _with_ancestors(self, locality_ids: set[str]) -> set[str]:
        """The localities and every unit they are PART_OF (a district's province, its region)."""
        found: set[str] = set()
        todo = set(locality_ids)
        while todo:
            found |= todo
            parents = self._out(todo, "PART_OF")
            todo = {p.id for items in parents.values() for _, p in items} - found
        return found

    def find_tasks(self, lead: str | None = None, coordinator: str | None = None, sector: str | None = None,
                   timeframe: str | None = None, place: str | None = None) -> list[TaskAnswer]:
        leads_wanted = self._wanted(lead, ["Organization"])
        coordinators_wanted = self._wanted(coordinator, ["Organization"])
        sectors_wanted = self._wanted(sector, ["Sector"])
        places_wanted = self._wanted(place, ["Locality"])
        tasks = self._nodes_of(["Task"])
        ids = [t.id for t in tasks]
        leads, coordinators = self._out(ids, "LED_BY"), self._out(ids, "COORDINATED_BY")
        covers, held, listed = self._out(ids, "COVERS"), self._out(ids, "HELD_IN"), self._out(ids, "LISTED_IN")
        held_places = {loc.id: loc for items in held.values() for _, loc in items}
        labels = self._displays(held_places.values())
        result = []
        for node in tasks:
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

    def find_agreements(self, party: str | None = None, sector: str | None = None,
                        year: int | None = None) -> list[AgreementAnswer]:
        parties_wanted = self._wanted(party, ["Locality", "Organization"])
        sectors_wanted = self._wanted(sector, ["Sector"])
        agreements = self._agreements_with_parties()
        places = self._localities_of(p for _, parties in agreements for p in parties)
        covers = self._out([a.id for a, _ in agreements], "COVERS")
        matched = []
        for agreement, parties in agreements:
            signers = {p.id for p in parties} | {places[p.id].id for p in parties if p.id in places}
            if parties_wanted is not None and not parties_wanted & signers:
                continue
            if sectors_wanted is not None and not sectors_wanted & {s.id for _, s in covers.get(agreement.id, [])}:
                continue
            if year is not None and not answers.in_year(agreement, year):
                continue
            matched.append((0, agreement, parties))
        return answers.sort_agreements(self._agreement_answers(matched))

    # --- Cypher for researchers ------------------------------------------------------------------
    def read_cypher(self, query: str, parameters: dict[str, Any], limit: int, timeout_s: float) -> CypherResult:
        """Run a read-only query: EXPLAIN first and refuse unless its plan only reads the graph (graph.cypher_guard),
        then run it in a READ transaction with a server-side timeout, keeping at most ``limit`` rows."""
        check_read_query(self._read, query, parameters, self.database, timeout_s)

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
            return self._read(work)
        except Neo4jError as exc:
            raise cypher_failure(exc, timeout_s) from exc
