"""The Neo4j store: the same graph in a Neo4j 5 server, readable by researchers in Neo4j Browser.

Layout in Neo4j. Every graph node is ``(:Entity:<Kind> {id, kind, name, aliases, ...})`` and
every relationship ``-[:<TYPE> {id, ...}]->``, with the effective properties written flat
(scalars and lists; nested values as JSON text), ``sources`` and ``claims`` as JSON text and
``documents`` as the names of the documents that support the fact. ``claims`` holds what each
document said ({document: node or relationship}); the effective fact is merged from it with
``graph.claims`` exactly as the embedded store does, so removing a document recomputes the
facts from the documents that remain. The merged fact is also kept whole as JSON text
(``node`` / ``rel``), which is what reads return: nothing is merged or validated again on a
read. Ingested documents are registered as
``(:LienketDocument {name, sha256, node_ids, relationship_ids, relationship_types})`` — not to
be confused with graph nodes of kind Document. A relationship whose node no document
supports waits as a ``(:LienketPendingRelationship)`` until the node is written.

Writing: one managed write transaction per document, batched UNWIND + MERGE; writers take a
lock node first so two processes never merge claims from stale reads. Labels and
relationship types come only from graph/schema.yaml; every value travels as a parameter.

Reading: the questions are written once in ``graph.store``; this backend gives them their
primitives in Cypher, run on the server with parameters and indexes (the uniqueness
constraint on ``id``, one index per relationship type). Candidate retrieval goes through the
full-text index ``lienket_terms`` over ``terms``: the folded words of each name, each
prefixed with the node's kind ("Task_hoi"), under the whitespace analyzer, so every word is
indexed as written (no stop words, no stemming) and a kind's words never meet another's.
Researchers get ``lienket_names`` over ``search_text`` (the folded names, one a line).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase, ManagedTransaction
from neo4j.exceptions import Neo4jError
from neo4j.graph import Node as Neo4jNode
from neo4j.graph import Path as Neo4jPath
from neo4j.graph import Relationship as Neo4jRelationship

from graph.claims import merge_node, merge_relationship, trusted_node, trusted_relationship
from graph.matching import folded_names
from graph.cypher_guard import check_read_query, cypher_failure
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
from graph.store import (
    CypherResult,
    GraphStore,
    Links,
)

ENTITY = "Entity"
REGISTRY = "LienketDocument"
WRITE_LOCK = "LienketWriteLock"
PENDING = "LienketPendingRelationship"
# Resolution's data: each document's graph as read, and the judgements (readable in Neo4j Browser).
MENTIONS = "LienketMentionGraph"
JUDGEMENT = "LienketJudgement"
DOCUMENT_TEXT = "LienketDocumentText"  # a document's own text, apart from the graph's nodes
TERMS_INDEX = "lienket_terms"
TERMS_ANALYZER = "whitespace"
# For researchers in Neo4j Browser: folded names and aliases under Lucene's usual analyzer.
NAMES_INDEX = "lienket_names"
NAMES_ANALYZER = "standard-folding"
NODE_RESERVED = frozenset({"id", "kind", "name", "aliases", "claims", "sources", "documents", "node", "names", "terms",
                           "search_text"})
REL_RESERVED = frozenset({"id", "claims", "sources", "documents", "rel"})
TERMS_PER_QUERY = 500  # below Lucene's 1024 clauses per query

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


def _terms(kind: str, names: list[list[str]]) -> str:
    """The words the full-text index holds for a node: its folded name words, prefixed by its kind."""
    return " ".join(f"{kind}_{word}" for word in sorted({w for name in names for w in name}))


def _node_row(node_id: str, claims: Claims) -> dict[str, Any]:
    """The Neo4j properties of a node, from its claims."""
    node = _merge_node(claims)
    names = folded_names([node.name, *node.aliases])
    props = _flat_properties(node.properties, NODE_RESERVED)
    props.update(id=node.id, kind=node.kind, name=node.name, aliases=node.aliases,
                 sources=_json([s.model_dump() for s in node.sources]), claims=_json(claims),
                 documents=sorted(claims), node=node.model_dump_json(), names=_json(names),
                 terms=_terms(node.kind, names), search_text="\n".join(" ".join(name) for name in names))
    return {"id": node_id, "props": props}


def _rel_row(rel_id: str, claims: Claims) -> dict[str, Any]:
    """The Neo4j properties of a relationship, from its claims, with its endpoints."""
    rel = _merge_relationship(claims)
    props = _flat_properties(rel.properties, REL_RESERVED)
    props.update(id=rel.id, sources=_json([s.model_dump() for s in rel.sources]), claims=_json(claims),
                 documents=sorted(claims), rel=rel.model_dump_json())
    return {"id": rel_id, "start": rel.start, "end": rel.end, "props": props}


def _merge_node(claims: Claims) -> Node:
    return merge_node({doc: Node.model_validate(c) for doc, c in claims.items()})


def _merge_relationship(claims: Claims) -> Relationship:
    return merge_relationship({doc: Relationship.model_validate(c) for doc, c in claims.items()})


def _node_of(node_json: str) -> Node:
    return trusted_node(json.loads(node_json))


def _rel_of(rel_json: str) -> Relationship:
    return trusted_relationship(json.loads(rel_json))


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
        except BaseException:
            self._driver.close()
            raise

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
        tx.run(f"MATCH (t:{DOCUMENT_TEXT} {{document: $name}}) DELETE t", name=document).consume()
        return RemoveSummary(document=document, nodes_deleted=sum(1 for c in node_claims.values() if not c),
                             relationships_deleted=sum(1 for c in rel_claims.values() if not c))

    def clear(self) -> None:
        def work(tx: ManagedTransaction) -> None:
            self._lock(tx)
            tx.run(f"MATCH (n) WHERE n:{ENTITY} OR n:{REGISTRY} OR n:{PENDING} OR n:{MENTIONS} OR n:{JUDGEMENT} "
                   f"OR n:{DOCUMENT_TEXT} "
                   "DETACH DELETE n").consume()

        self._write(work)

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

    def document_text(self, document: str) -> str | None:
        rows = self._rows(f"MATCH (t:{DOCUMENT_TEXT} {{document: $document}}) RETURN t.text AS text",
                          document=document)
        return rows[0]["text"] if rows else None

    def save_document_text(self, document: str, text: str) -> None:
        def work(tx: ManagedTransaction) -> None:
            self._lock(tx)
            if self._registered(tx, document) is None:
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

    def documents(self) -> list[DocumentInfo]:
        rows = self._rows(f"MATCH (d:{REGISTRY}) RETURN d.name AS name, d.sha256 AS sha256, "
                          "size(d.node_ids) AS nodes, size(d.relationship_ids) AS rels ORDER BY name")
        return [DocumentInfo(document=r["name"], sha256=r["sha256"], nodes=r["nodes"], relationships=r["rels"])
                for r in rows]

    # --- primitives --------------------------------------------------------------------------
    def _nodes(self, ids: Iterable[str], sources: bool = True) -> dict[str, Node]:
        rows = self._rows(f"MATCH (n:{ENTITY}) WHERE n.id IN $ids RETURN n.id AS id, n.node AS node",
                          ids=sorted(set(ids)))
        return {r["id"]: _node_of(r["node"]) for r in rows}

    def _ids_of(self, kind: str) -> list[str]:
        return [r["id"] for r in self._rows(f"MATCH (n:{_label(kind)}:{ENTITY}) RETURN n.id AS id ORDER BY id")]

    def _walk(self, ids: Iterable[str], rel_type: str, outgoing: bool, sources: bool = True) -> Links:
        pattern = f"(a:{ENTITY})-[r:{_rel_type(rel_type)}]->(b:{ENTITY})" if outgoing else \
            f"(a:{ENTITY})<-[r:{_rel_type(rel_type)}]-(b:{ENTITY})"
        rows = self._rows(f"MATCH {pattern} WHERE a.id IN $ids "
                          "RETURN a.id AS id, r.rel AS rel, b.id AS other_id, b.node AS other ORDER BY a.id, r.id",
                          ids=sorted(set(ids)))
        others: dict[str, Node] = {}
        found: Links = defaultdict(list)
        for r in rows:
            other = others.get(r["other_id"]) or others.setdefault(r["other_id"], _node_of(r["other"]))
            found[r["id"]].append((_rel_of(r["rel"]), other))
        return found

    def _holder_counts(self, groups: list[tuple[str, list[str]]], cap: int) -> list[int]:
        queries = [self._queries([(kind, word) for word in words]) for kind, words in groups]
        rows = self._rows(f"UNWIND range(0, size($queries) - 1) AS i CALL {{ WITH i UNWIND $queries[i] AS q "
                          f"CALL db.index.fulltext.queryNodes('{TERMS_INDEX}', q, {{limit: $cap}}) YIELD node "
                          "RETURN count(node) AS n } RETURN i, n ORDER BY i", queries=queries, cap=cap)
        return [min(r["n"], cap) for r in rows]

    def _holders(self, wanted: dict[str, list[str]]) -> dict[str, tuple[str, list[list[str]]]]:
        pairs = [(kind, word) for kind, words in wanted.items() for word in words]
        if not pairs:
            return {}
        rows = self._rows(f"UNWIND $queries AS q CALL db.index.fulltext.queryNodes('{TERMS_INDEX}', q) YIELD node "
                          "RETURN DISTINCT node.id AS id, node.kind AS kind, node.names AS names",
                          queries=self._queries(pairs))
        return {r["id"]: (r["kind"], json.loads(r["names"])) for r in rows}

    @staticmethod
    def _queries(pairs: list[tuple[str, str]]) -> list[str]:
        """Lucene queries (any of the terms) for (kind, word) pairs, split below the clause limit."""
        terms = [f"{_label(kind)}_{word}" for kind, word in pairs]
        return [" ".join(terms[i:i + TERMS_PER_QUERY]) for i in range(0, len(terms), TERMS_PER_QUERY)]

    def _adjacency(self, ids: Iterable[str]) -> dict[str, set[str]]:
        rows = self._rows(f"MATCH (a:{ENTITY})--(b:{ENTITY}) WHERE a.id IN $ids "
                          "RETURN a.id AS id, collect(DISTINCT b.id) AS others", ids=sorted(set(ids)))
        return {r["id"]: set(r["others"]) for r in rows}

    def _relationships_among(self, ids: set[str]) -> list[Relationship]:
        rows = self._rows(f"MATCH (a:{ENTITY})-[r]->(b:{ENTITY}) WHERE a.id IN $ids AND b.id IN $ids "
                          "RETURN r.rel AS rel ORDER BY r.id", ids=sorted(ids))
        return [_rel_of(r["rel"]) for r in rows]

    def _relationships_between(self, pairs: list[tuple[str, str]]) -> list[list[Relationship]]:
        rows = self._rows(f"UNWIND range(0, size($pairs) - 1) AS i "
                          f"OPTIONAL MATCH (a:{ENTITY} {{id: $pairs[i][0]}})-[r]-(b:{ENTITY} {{id: $pairs[i][1]}}) "
                          "WITH i, r ORDER BY r.id RETURN i, collect(r.rel) AS rels ORDER BY i",
                          pairs=[list(p) for p in pairs])
        return [[_rel_of(text) for text in r["rels"]] for r in rows]

    # --- reading: the whole store -------------------------------------------------------------
    def counts(self) -> Counts:
        nodes = self._rows(f"MATCH (n:{ENTITY}) RETURN n.kind AS key, count(*) AS n ORDER BY key")
        rels = self._rows(f"MATCH (:{ENTITY})-[r]->(:{ENTITY}) RETURN type(r) AS key, count(*) AS n ORDER BY key")
        documents = self._rows(f"MATCH (d:{REGISTRY}) RETURN count(d) AS n")[0]["n"]
        return Counts(nodes={r["key"]: r["n"] for r in nodes}, relationships={r["key"]: r["n"] for r in rels},
                      documents=documents)

    def _whole_graph(self) -> Graph:
        nodes = self._rows(f"MATCH (n:{ENTITY}) RETURN n.node AS node ORDER BY n.id")
        rels = self._rows(f"MATCH (:{ENTITY})-[r]->(:{ENTITY}) RETURN r.rel AS rel ORDER BY r.id")
        return Graph(nodes=[_node_of(r["node"]) for r in nodes], relationships=[_rel_of(r["rel"]) for r in rels])

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
