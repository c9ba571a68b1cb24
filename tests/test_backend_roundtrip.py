"""Moving a graph between backends: export node-link JSON from one, import it into the other.

Nodes, relationships, properties and sources must arrive unchanged, in both directions,
through the library and through the ``lienket`` command with NEO4J_* settings.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.export import read_node_link, write
from graph.model import Graph
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore
from tests.factory import investment_document, mou_document, plan_document

pytestmark = pytest.mark.neo4j

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def embedded(tmp_path: Path) -> EmbeddedStore:
    return EmbeddedStore(tmp_path / "embedded")


@pytest.fixture
def neo4j(request: pytest.FixtureRequest) -> Iterator[Neo4jStore]:
    server = request.getfixturevalue("neo4j_server")
    store = Neo4jStore(server.uri, server.user, server.password, database=server.database)
    store.clear()
    yield store
    store.close()


def fill(store: GraphStore) -> None:
    for doc in (mou_document(), plan_document(), investment_document()):
        store.write_document(doc)


def comparable(graph: Graph) -> dict[str, object]:
    """Everything a graph says, keyed by id, with sources as sets (their order carries no meaning)."""
    def entry(item: object) -> dict[str, object]:
        data = item.model_dump(exclude={"sources"})  # type: ignore[attr-defined]
        data["sources"] = sorted((s.document, s.quote) for s in item.sources)  # type: ignore[attr-defined]
        return data

    return {"nodes": {n.id: entry(n) for n in graph.nodes},
            "relationships": {r.id: entry(r) for r in graph.relationships}}


def roundtrip(source: GraphStore, target: GraphStore, tmp_path: Path) -> None:
    exported = tmp_path / "graph.json"
    write(source.subgraph(), "json", exported)
    target.import_graph(read_node_link(exported))


def test_embedded_to_neo4j(embedded: EmbeddedStore, neo4j: Neo4jStore, tmp_path: Path) -> None:
    fill(embedded)
    roundtrip(embedded, neo4j, tmp_path)
    assert comparable(neo4j.subgraph()) == comparable(embedded.subgraph())
    assert neo4j.counts() == embedded.counts()
    assert neo4j.contacts("hội chợ cà phê") == embedded.contacts("hội chợ cà phê")


def test_neo4j_to_embedded(embedded: EmbeddedStore, neo4j: Neo4jStore, tmp_path: Path) -> None:
    fill(neo4j)
    roundtrip(neo4j, embedded, tmp_path)
    assert comparable(embedded.subgraph()) == comparable(neo4j.subgraph())
    assert embedded.counts() == neo4j.counts()
    assert embedded.person("Phạm Văn Mẫu") == neo4j.person("Phạm Văn Mẫu")


def test_an_imported_document_is_removed_alike(embedded: EmbeddedStore, neo4j: Neo4jStore, tmp_path: Path) -> None:
    fill(embedded)
    exported = tmp_path / "graph.json"
    write(embedded.subgraph(), "json", exported)
    imported = EmbeddedStore(tmp_path / "imported")
    for store in (imported, neo4j):
        store.import_graph(read_node_link(exported))
        store.remove_document(mou_document().document)
    assert comparable(neo4j.subgraph()) == comparable(imported.subgraph())
    assert neo4j.node("agr:q3-tuyduc") is None and neo4j.node("org:ubnd-q3") is not None


def lienket(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lienket.cli", *args], cwd=REPO, env={**os.environ, **env},
                          capture_output=True, text=True, encoding="utf-8", timeout=300, check=False)


def test_cli_moves_a_graph_from_embedded_to_neo4j(embedded: EmbeddedStore, neo4j: Neo4jStore, tmp_path: Path,
                                                  request: pytest.FixtureRequest) -> None:
    fill(embedded)
    server = request.getfixturevalue("neo4j_server")
    exported = tmp_path / "export.json"
    done = lienket("export", "--format", "json", "-o", str(exported),
                   env={"LIENKET_BACKEND": "embedded", "LIENKET_DB": str(embedded.path)})
    assert done.returncode == 0, done.stderr
    neo4j_env = {"NEO4J_URI": server.uri, "NEO4J_USER": server.user, "NEO4J_PASSWORD": server.password,
                 "NEO4J_DATABASE": server.database}
    done = lienket("import", str(exported), "--backend", "neo4j", env=neo4j_env)
    assert done.returncode == 0, done.stderr
    assert comparable(neo4j.subgraph()) == comparable(embedded.subgraph())
    back = tmp_path / "back.json"
    done = lienket("export", "--format", "json", "-o", str(back), "--backend", "neo4j", env=neo4j_env)
    assert done.returncode == 0, done.stderr
    assert comparable(read_node_link(back)) == comparable(embedded.subgraph())
