"""graph/schema.yaml is the graph's contract: every property written and every pair of kinds a
relationship joins must be declared there. Checked on what the real pipeline writes from the
samples, on the hand-built factory documents and on the benchmark corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.national_corpus import national_corpus
from graph.embedded import EmbeddedStore
from graph.model import DocumentGraph, schema
from ingest.pipeline import collect_files, ingest_files
from tests import factory

SAMPLES = Path(__file__).parents[1] / "samples"


def undeclared(docs: list[DocumentGraph]) -> list[str]:
    """What the documents write that schema.yaml does not declare, one line each."""
    declared = schema()
    kinds = {n.id: n.kind for doc in docs for n in doc.nodes}
    found = set()
    for doc in docs:
        for node in doc.nodes:
            allowed = set(declared["nodes"][node.kind]["properties"])
            found |= {f"{doc.document}: {node.kind}.{key}" for key in node.properties if key not in allowed}
        for rel in doc.relationships:
            spec = declared["relationships"][rel.type]
            allowed = set(spec.get("properties", []))
            found |= {f"{doc.document}: {rel.type}.{key}" for key in rel.properties if key not in allowed}
            start, end = kinds.get(rel.start), kinds.get(rel.end)
            if (start and start not in spec["from"]) or (end and end not in spec["to"]):
                found.add(f"{doc.document}: {start} -[{rel.type}]-> {end}")
    return sorted(found)


def factory_documents() -> list[DocumentGraph]:
    return [factory.mou_document(), factory.plan_document(), factory.investment_document(),
            factory.isolated_document(), factory.regional_document(), factory.contact_list_document()]


def test_the_pipeline_writes_only_what_the_schema_declares(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "db")
    results = ingest_files(store, collect_files([SAMPLES]))
    assert results and not [r.error for r in results if r.error]
    whole = store.subgraph()
    as_one = DocumentGraph(document="samples", sha256="-", nodes=whole.nodes, relationships=whole.relationships)
    assert undeclared([as_one]) == []


def test_factory_and_benchmark_documents_keep_to_the_schema() -> None:
    assert undeclared([*factory_documents(), *national_corpus(30)]) == []


@pytest.mark.parametrize("where", ["node", "relationship"])
def test_an_undeclared_property_is_caught(where: str) -> None:
    doc = factory.plan_document()
    if where == "node":
        doc.nodes[0].properties["colour"] = "xanh"
    else:
        doc.relationships[0].properties["colour"] = "xanh"
    assert [line for line in undeclared([doc]) if line.endswith(".colour")]


def test_the_neo4j_store_keeps_on_its_facts_only_what_the_schema_declares(request: pytest.FixtureRequest) -> None:
    server = request.getfixturevalue("neo4j_server")
    from graph.neo4j_store import Neo4jStore

    store = Neo4jStore(server.uri, server.user, server.password, database=server.database)
    store.clear()
    for doc in factory_documents():
        store.write_document(doc)
    declared = schema()
    kept = store.read_cypher("MATCH (n:Entity) UNWIND keys(n) AS key RETURN DISTINCT n.kind AS owner, key UNION "
                             "MATCH (:Entity)-[r]->(:Entity) UNWIND keys(r) AS key RETURN DISTINCT type(r) AS owner, key",
                             {}, 10_000, 30).rows
    store.close()
    undeclared_keys = [f"{owner}.{key}" for owner, key in kept
                       if key not in (declared["nodes"][owner]["properties"] + declared["neo4j_kept"]["nodes"]
                                      if owner in declared["nodes"] else
                                      declared["relationships"][owner].get("properties", [])
                                      + declared["neo4j_kept"]["relationships"])]
    assert ("Task", "answer") in {tuple(row) for row in kept}
    assert undeclared_keys == []
