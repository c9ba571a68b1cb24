"""A Neo4j database written before claims were nodes (each fact held a ``claims`` JSON map), or before
each fact kept its answer JSON, is migrated when the store opens: the same graph, sources, documents and
answers as a fresh store's."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from neo4j import GraphDatabase

import graph.neo4j_store
from graph.embedded import EmbeddedStore
from graph.model import DocumentGraph
from graph.neo4j_store import Neo4jStore
from graph.store import ANSWER_DOCUMENTS
from tests.factory import mou_document, plan_document
from tests.test_api import make_client
from tests.test_store_scale import region_document

pytestmark = pytest.mark.neo4j


def write_old_layout(uri: str, auth: tuple[str, str] | None, database: str, docs: list[DocumentGraph]) -> None:
    """The layout of the earlier store, written by hand: claims as JSON on each fact, ids in the registry."""
    node_claims: dict[str, dict[str, Any]] = defaultdict(dict)
    rel_claims: dict[str, dict[str, Any]] = defaultdict(dict)
    for doc in docs:
        for node in doc.nodes:
            node_claims[node.id][doc.document] = node.model_dump(mode="json")
        for rel in doc.relationships:
            rel_claims[rel.id][doc.document] = rel.model_dump(mode="json")
    with GraphDatabase.driver(uri, auth=auth) as driver, driver.session(database=database) as session:
        for node_id, claims in node_claims.items():
            kind = next(iter(claims.values()))["kind"]
            session.run(f"CREATE (n:Entity:{kind} {{id: $id, kind: $kind, claims: $claims, documents: $documents}})",
                        id=node_id, kind=kind, claims=json.dumps(claims), documents=sorted(claims)).consume()
        for rel_id, claims in rel_claims.items():
            rel = next(iter(claims.values()))
            drawn = session.run(f"MATCH (a:Entity {{id: $start}}), (b:Entity {{id: $end}}) "
                                f"CREATE (a)-[r:{rel['type']} {{id: $id, claims: $claims}}]->(b) RETURN count(r) AS n",
                                start=rel["start"], end=rel["end"], id=rel_id, claims=json.dumps(claims)).single()
            if drawn is None or drawn["n"] == 0:
                session.run("CREATE (:LienketPendingRelationship {id: $id, type: $type, start: $start, end: $end, "
                            "claims: $claims})", id=rel_id, type=rel["type"], start=rel["start"], end=rel["end"],
                            claims=json.dumps(claims)).consume()
        for doc in docs:
            session.run("CREATE (:LienketDocument {name: $name, sha256: $sha256, node_ids: $nodes, "
                        "relationship_ids: $rels, relationship_types: $types})", name=doc.document, sha256=doc.sha256,
                        nodes=[n.id for n in doc.nodes], rels=[r.id for r in doc.relationships],
                        types=[r.type for r in doc.relationships]).consume()


def test_an_old_database_is_migrated_on_open(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    server = request.getfixturevalue("neo4j_server")
    auth = (server.user, server.password) if server.password else None
    Neo4jStore(server.uri, server.user, server.password, database=server.database).clear()
    lonely = plan_document()
    lonely.document, lonely.sha256 = "plan_without_its_nodes.txt", "lonely"
    lonely.nodes = []  # its relationships wait for nodes no document brings: pending
    docs = [mou_document(), plan_document(), lonely]
    write_old_layout(server.uri, auth, server.database, docs)
    reference = EmbeddedStore(tmp_path / "db")
    for doc in docs:
        reference.write_document(doc)

    store = Neo4jStore(server.uri, server.user, server.password, database=server.database)
    assert store.subgraph() == reference.subgraph()
    assert store.documents() == reference.documents()
    assert store.contacts("hội chợ cà phê") == reference.contacts("hội chợ cà phê")
    left = store.read_cypher("MATCH (n) WHERE n.claims IS NOT NULL OR n.node_ids IS NOT NULL RETURN count(n)", {}, 1, 10)
    assert left.rows == [[0]]
    assert [store.write_document(doc).status for doc in docs] == ["unchanged"] * 3
    store.remove_document(lonely.document)
    reference.remove_document(lonely.document)
    assert store.subgraph() == reference.subgraph()
    store.close()
    reference.close()


def test_a_database_whose_facts_keep_no_answer_gains_them_on_open(request: pytest.FixtureRequest,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A database written before each fact kept its answer JSON gains it when the store opens, in batches,
    and a neighbourhood then sends the same JSON as it would build from the facts."""
    server = request.getfixturevalue("neo4j_server")
    auth = (server.user, server.password) if server.password else None
    written = Neo4jStore(server.uri, server.user, server.password, database=server.database)
    written.clear()
    docs = [mou_document(), plan_document(), *(region_document(number) for number in range(ANSWER_DOCUMENTS + 3))]
    for doc in docs:
        written.write_document(doc)
    asked = [("loc:66", 2, 500), ("sector:van-hoa", 2, 500), ("org:ubnd-q3", 3, 9)]
    expected = [written.neighbourhood_json(*question) for question in asked]
    assert expected == [written.neighbourhood(*question, first_documents=ANSWER_DOCUMENTS).model_dump_json().encode()
                        for question in asked]
    written.close()
    with GraphDatabase.driver(server.uri, auth=auth) as driver, driver.session(database=server.database) as session:
        session.run("MATCH (n:Entity) REMOVE n.answer").consume()
        session.run("MATCH ()-[r]->() REMOVE r.answer").consume()
        session.run("MATCH (l:LienketWriteLock) REMOVE l.answers_kept").consume()
    monkeypatch.setattr(graph.neo4j_store, "ANSWERS_BATCH", 2)  # every kind and type in several batches

    migrated = Neo4jStore(server.uri, server.user, server.password, database=server.database)

    without = migrated.read_cypher("MATCH (n:Entity) WHERE n.answer IS NULL RETURN count(n) AS n UNION ALL "
                                   "MATCH ()-[r]->() WHERE r.answer IS NULL RETURN count(r) AS n", {}, 2, 10)
    assert without.rows == [[0], [0]]
    assert [migrated.neighbourhood_json(*question) for question in asked] == expected
    migrated.remove_document(region_document(0).document)  # a hub's first documents change: its answer follows
    assert migrated.neighbourhood_json("loc:66", 1) == \
        migrated.neighbourhood("loc:66", 1, first_documents=ANSWER_DOCUMENTS).model_dump_json().encode()
    migrated.close()


def test_a_fact_written_without_its_answer_is_answered_from_the_fact(request: pytest.FixtureRequest) -> None:
    """A fact that keeps no answer in a database already migrated (an older lienket's write replaces a fact's
    properties, ``answer`` with them) is in the neighbourhood as it would be built from the fact, over the API too."""
    server = request.getfixturevalue("neo4j_server")
    auth = (server.user, server.password) if server.password else None
    store = Neo4jStore(server.uri, server.user, server.password, database=server.database)
    store.clear()
    store.write_document(mou_document())
    store.write_document(plan_document())
    asked = [("agr:hcm-dn", 2, 500), ("task:hoi-cho", 1, 500)]
    expected = [store.neighbourhood(*question, first_documents=ANSWER_DOCUMENTS).model_dump_json().encode()
                for question in asked]
    client = make_client(store)
    with GraphDatabase.driver(server.uri, auth=auth) as driver, driver.session(database=server.database) as session:
        removed = session.run("MATCH (n:Entity {id: 'agr:hcm-dn'})-[r:PARTY]->() REMOVE n.answer, r.answer "
                              "RETURN count(r) AS n").single(strict=True)["n"]
        assert removed >= 2  # the agreement and its parties' relationships keep no answer
        kept = session.run("MATCH (l:LienketWriteLock {name: 'writer'}) RETURN l.answers_kept AS kept").single()
        assert kept is not None and kept["kept"]  # migrated: nothing gives them back on open
    assert [store.neighbourhood_json(*question) for question in asked] == expected
    answered = client.get("/entities/agr:hcm-dn/neighbourhood", params={"depth": 2})
    assert answered.status_code == 200 and answered.content == expected[0]
    store.close()
