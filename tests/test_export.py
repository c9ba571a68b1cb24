"""``lienket export``: every format keeps every node, relationship and source.

The real command runs in a child process against an embedded store holding the factory
documents plus a third one that adds a parallel relationship (a second position at the
same organization) and a property whose type differs between nodes.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph.embedded import EmbeddedStore
from graph.export import read_node_link
from graph.model import DocumentGraph, Graph, Node, Relationship, Source, relationship_id
from tests.cli_process import lienket
from tests.factory import mou_document, plan_document

PROMOTION_DOC = "promotion.txt"


def promotion_document() -> DocumentGraph:
    """A later document: the plan's contact now heads her division, and a task numbered by an int."""
    quote = "Bà Lê Thị Mẫu - Trưởng phòng, Sở Công Thương Thành phố Hồ Chí Minh"
    source = [Source(document=PROMOTION_DOC, quote=quote)]
    person = Node(id="person:le-thi-mau", kind="Person", name="Lê Thị Mẫu", properties={"phones": ["0901.234.567"]},
                  sources=source)
    org = Node(id="org:sct-hcm", kind="Organization", name="Sở Công Thương Thành phố Hồ Chí Minh",
               properties={"category": "Department"}, sources=source)
    task = Node(id="task:promotion", kind="Task", name="Hội nghị xúc tiến thương mại", properties={"number": 3},
                sources=source)
    holds = Relationship(id=relationship_id("HOLDS", person.id, org.id, "Trưởng phòng"), type="HOLDS",
                         start=person.id, end=org.id, properties={"title": "Trưởng phòng", "as_of": "2025-01-10"},
                         sources=source)
    led = Relationship(id=relationship_id("LED_BY", task.id, org.id), type="LED_BY", start=task.id, end=org.id,
                       sources=source)
    return DocumentGraph(document=PROMOTION_DOC, sha256="test-promotion", nodes=[person, org, task],
                         relationships=[holds, led])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """An embedded store folder holding the factory documents and the promotion document."""
    folder = tmp_path / "db"
    store = EmbeddedStore(folder)
    for doc in (mou_document(), plan_document(), promotion_document()):
        store.write_document(doc)
    return folder


def whole_graph(db: Path) -> Graph:
    return EmbeddedStore(db).subgraph()


def export(db: Path, fmt: str, target: Path, *filters: str) -> Path:
    result = lienket(db, "export", "--format", fmt, "-o", str(target), *filters)
    assert result.returncode == 0, result.stderr
    return target


def _sources(item: Node | Relationship) -> list[dict[str, str]]:
    return [s.model_dump() for s in item.sources]


def _scalar_properties(item: Node | Relationship) -> dict[str, Any]:
    return {f"p_{k}": v for k, v in item.properties.items() if isinstance(v, (str, int, float, bool))}


def in_id_order(graph: Graph) -> Graph:
    """The same graph with nodes and relationships sorted by id (exports keep networkx's order)."""
    return Graph(nodes=sorted(graph.nodes, key=lambda n: n.id),
                 relationships=sorted(graph.relationships, key=lambda r: r.id))


def test_parallel_relationships_are_present(db: Path) -> None:
    holds = [r for r in whole_graph(db).relationships
             if (r.type, r.start, r.end) == ("HOLDS", "person:le-thi-mau", "org:sct-hcm")]
    assert len(holds) == 2


def test_graphml_keeps_every_node_relationship_and_source(db: Path, tmp_path: Path) -> None:
    expected = whole_graph(db)
    loaded = nx.read_graphml(export(db, "graphml", tmp_path / "graph.graphml"), force_multigraph=True)

    assert set(loaded.nodes) == {n.id for n in expected.nodes}
    for node in expected.nodes:
        data = loaded.nodes[node.id]
        assert (data["kind"], data["name"]) == (node.kind, node.name)
        assert json.loads(data["aliases"]) == node.aliases
        assert json.loads(data["properties"]) == node.properties
        assert json.loads(data["sources"]) == _sources(node)
        scalars = {k: v for k, v in data.items() if k.startswith("p_")}
        assert {k: str(v) for k, v in scalars.items()} == {k: str(v) for k, v in _scalar_properties(node).items()}

    assert loaded.number_of_edges() == len(expected.relationships)
    edges = {key: (u, v, data) for u, v, key, data in loaded.edges(keys=True, data=True)}
    assert set(edges) == {r.id for r in expected.relationships}
    for rel in expected.relationships:
        start, end, data = edges[rel.id]
        assert (start, end, data["type"]) == (rel.start, rel.end, rel.type)
        assert json.loads(data["properties"]) == rel.properties
        assert json.loads(data["sources"]) == _sources(rel)


def test_graphml_invents_no_values_for_absent_properties(db: Path, tmp_path: Path) -> None:
    loaded = nx.read_graphml(export(db, "graphml", tmp_path / "graph.graphml"), force_multigraph=True)
    assert "p_latitude" not in loaded.nodes["agr:q3-tuyduc"]
    assert loaded.nodes["loc:79"]["p_latitude"] == pytest.approx(10.8231)
    assert "p_title" not in next(iter(loaded.get_edge_data("agr:q3-tuyduc", "sector:van-hoa").values()))


def test_gexf_keeps_every_node_relationship_and_source(db: Path, tmp_path: Path) -> None:
    expected = whole_graph(db)
    target = export(db, "gexf", tmp_path / "graph.gexf")
    loaded = nx.read_gexf(target)

    assert set(loaded.nodes) == {n.id for n in expected.nodes}
    for node in expected.nodes:
        data = loaded.nodes[node.id]
        assert (data["kind"], data["label"]) == (node.kind, node.name)
        assert json.loads(data["properties"]) == node.properties
        assert json.loads(data["sources"]) == _sources(node)

    assert loaded.is_multigraph()
    edges = {key: (u, v, data) for u, v, key, data in loaded.edges(keys=True, data=True)}
    assert set(edges) == {r.id for r in expected.relationships}
    for rel in expected.relationships:
        start, end, data = edges[rel.id]
        assert (start, end, data["rel_type"], data["label"]) == (rel.start, rel.end, rel.type, rel.type)
        assert data["id"] == rel.id
        assert json.loads(data["properties"]) == rel.properties
        assert json.loads(data["sources"]) == _sources(rel)


def test_gexf_edge_types_are_gexf_directions(db: Path, tmp_path: Path) -> None:
    """GEXF reserves an edge's ``type`` for directed / undirected / mutual (Gephi reads it so)."""
    text = export(db, "gexf", tmp_path / "graph.gexf").read_text(encoding="utf-8")
    assert 'type="COVERS"' not in text
    assert 'defaultedgetype="directed"' in text


def test_node_link_json_round_trips_through_import(db: Path, tmp_path: Path) -> None:
    expected = whole_graph(db)
    target = export(db, "json", tmp_path / "graph.json")
    assert in_id_order(read_node_link(target)) == expected

    fresh = tmp_path / "fresh"
    result = lienket(fresh, "import", str(target))
    assert result.returncode == 0, result.stderr
    imported = EmbeddedStore(fresh)
    assert imported.subgraph() == expected
    assert imported.counts().nodes == EmbeddedStore(db).counts().nodes
    assert {d.document for d in imported.documents()} == {d.document for d in EmbeddedStore(db).documents()}


def test_import_replace_clears_the_store_first(db: Path, tmp_path: Path) -> None:
    only_mou = tmp_path / "only_mou"
    EmbeddedStore(only_mou).write_document(mou_document())
    target = export(only_mou, "json", tmp_path / "mou.json")

    result = lienket(db, "import", "--replace", str(target))

    assert result.returncode == 0, result.stderr
    assert EmbeddedStore(db).subgraph() == whole_graph(only_mou)


def test_import_of_an_unreadable_file_exits_1(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = lienket(tmp_path / "db", "import", str(broken))
    assert result.returncode == 1
    assert "broken.json" in result.stderr


def test_import_of_json_that_is_not_an_export_exits_1(tmp_path: Path) -> None:
    not_exports = {"list.json": "[]", "no_links.json": '{"nodes": []}',
                   "bad_kind.json": '{"nodes": [{"id": "x", "kind": "Planet", "name": "x"}], "links": []}'}
    for name, content in not_exports.items():
        source = tmp_path / name
        source.write_text(content, encoding="utf-8")
        result = lienket(tmp_path / "db", "import", str(source))
        assert result.returncode == 1, name
        assert name in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_export_into_a_missing_folder_is_a_usage_error_and_creates_nothing(db: Path, tmp_path: Path) -> None:
    result = lienket(db, "export", "--format", "graphml", "-o", str(tmp_path / "new" / "folder" / "graph.graphml"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr and not (tmp_path / "new").exists()


def test_export_under_a_file_is_a_usage_error(db: Path, tmp_path: Path) -> None:
    a_file = tmp_path / "a_file"
    a_file.write_text("x", encoding="utf-8")
    result = lienket(db, "export", "-o", str(a_file / "graph.graphml"))
    assert result.returncode == 2
    assert "is a file" in " ".join(result.stderr.split()) and "Traceback" not in result.stderr


def test_export_to_a_path_that_cannot_be_written_exits_1(db: Path, tmp_path: Path) -> None:
    result = lienket(db, "export", "-o", str(tmp_path))  # a folder where the file should go
    assert result.returncode == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def test_csv_has_neo4j_admin_headers_and_one_row_per_item(db: Path, tmp_path: Path) -> None:
    expected = whole_graph(db)
    folder = export(db, "csv", tmp_path / "csv")

    node_header, node_rows = _read_csv(folder / "nodes.csv")
    rel_header, rel_rows = _read_csv(folder / "relationships.csv")

    assert {"id:ID", ":LABEL"} <= set(node_header)
    assert {":START_ID", ":END_ID", ":TYPE"} <= set(rel_header)
    assert len(node_rows) == len(expected.nodes)
    assert len(rel_rows) == len(expected.relationships)
    nodes = {row["id:ID"]: row for row in node_rows}
    for node in expected.nodes:
        row = nodes[node.id]
        assert (row[":LABEL"], row["name"]) == (node.kind, node.name)
        assert [a for a in row["aliases:string[]"].split(";") if a] == node.aliases
        assert json.loads(row["properties"]) == node.properties
        assert json.loads(row["sources"]) == _sources(node)
    rels = {row["id"]: row for row in rel_rows}
    for rel in expected.relationships:
        row = rels[rel.id]
        assert (row[":START_ID"], row[":END_ID"], row[":TYPE"]) == (rel.start, rel.end, rel.type)
        assert row[":START_ID"] in nodes and row[":END_ID"] in nodes
        assert json.loads(row["properties"]) == rel.properties
        assert json.loads(row["sources"]) == _sources(rel)


def _exported_ids(db: Path, tmp_path: Path, *filters: str) -> tuple[set[str], set[str]]:
    exported = read_node_link(export(db, "json", tmp_path / "filtered.json", *filters))
    return {n.id for n in exported.nodes}, {r.id for r in exported.relationships}


def _with_neighbours(graph: Graph, seeds: set[str]) -> tuple[set[str], set[str]]:
    """The seeds, their direct neighbours, and the relationships among all of those."""
    keep = set(seeds)
    for rel in graph.relationships:
        if rel.start in seeds:
            keep.add(rel.end)
        if rel.end in seeds:
            keep.add(rel.start)
    return keep, {r.id for r in graph.relationships if r.start in keep and r.end in keep}


# Each filter and the agreements and tasks of the test documents it selects.
FILTER_SEEDS = {
    ("--sector", "nông nghiệp"): {"agr:hcm-dn", "task:ong"},
    ("--year", "2023"): {"agr:hcm-dn"},
    ("--year", "2024"): {"agr:q3-tuyduc", "task:hoi-cho", "task:ong"},
    ("--locality", "huyện Tuy Đức"): {"agr:q3-tuyduc"},
}


@pytest.mark.parametrize("option", list(FILTER_SEEDS), ids=lambda o: f"{o[0]}={o[1]}")
def test_filtered_export_keeps_what_the_filter_selects(db: Path, tmp_path: Path, option: tuple[str, str]) -> None:
    expected_nodes, expected_rels = _with_neighbours(whole_graph(db), FILTER_SEEDS[option])
    assert _exported_ids(db, tmp_path, *option) == (expected_nodes, expected_rels)


def test_kind_filter_keeps_only_those_kinds(db: Path, tmp_path: Path) -> None:
    graph = whole_graph(db)
    wanted = {"Task", "Organization"}
    nodes, rels = _exported_ids(db, tmp_path, "--kind", "Task", "--kind", "Organization")
    assert nodes == {n.id for n in graph.nodes if n.kind in wanted}
    assert rels == {r.id for r in graph.relationships if r.start in nodes and r.end in nodes}
    assert {r.type for r in graph.relationships if r.id in rels} == {"LED_BY", "COORDINATED_BY"}


def test_filters_combine(db: Path, tmp_path: Path) -> None:
    nodes, _ = _exported_ids(db, tmp_path, "--sector", "thương mại", "--year", "2024", "--kind", "Task")
    assert nodes == {"task:hoi-cho"}


def test_filter_that_matches_nothing_exports_an_empty_graph(db: Path, tmp_path: Path) -> None:
    assert _exported_ids(db, tmp_path, "--sector", "y tế") == (set(), set())
