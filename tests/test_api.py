"""The HTTP API, through HTTP, on every backend, over the factory documents.

Each test builds the app with the store and the settings as dependency overrides, so
the same routes run over the embedded store and over a real Neo4j.
"""

from __future__ import annotations

import io
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import jsonschema_rs
import networkx as nx
import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.app import create_app
from api.deps import get_store, key_digest
from api.problems import PROBLEM_MEDIA_TYPE
from api.settings import Settings, get_settings
from graph.embedded import STORE_FILE, EmbeddedStore
from graph.store import GraphStore
from tests.conftest import open_backend
from tests.factory import MOU_DOC, PLAN_DOC, mou_document, plan_document, plan_text

API_KEY = "key-for-tests-only"


def make_client(store: GraphStore, **settings: object) -> TestClient:
    """A client of an app reading this store, accepting API_KEY for writes."""
    app = create_app()
    chosen = Settings(_env_file=None, **{"lienket_api_key_hashes": key_digest(API_KEY), **settings})  # type: ignore[arg-type]
    app.dependency_overrides[get_store] = lambda: store
    app.dependency_overrides[get_settings] = lambda: chosen
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client(filled_store: GraphStore) -> TestClient:
    return make_client(filled_store)


def ok_json(response: Response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


def assert_problem(response: Response, status: int) -> dict:
    """The response is a problem+json of this status, with no trace of server internals."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


def assert_sourced(items: list[dict]) -> None:
    assert items, "expected at least one item"
    for item in items:
        assert item["sources"], f"no sources on {item}"
        assert all(s["document"] in (MOU_DOC, PLAN_DOC) and s["quote"] for s in item["sources"])


# --- search and entities ------------------------------------------------------------

def test_search_folds_accents_and_filters_by_kind(client: TestClient) -> None:
    page = ok_json(client.get("/search", params={"q": "so cong thuong dak nong", "kind": "Organization"}))
    assert page["items"][0]["id"] == "org:sct-dn"
    assert {hit["kind"] for hit in page["items"]} == {"Organization"}
    assert_sourced(page["items"])
    tasks_only = ok_json(client.get("/search", params={"q": "so cong thuong dak nong", "kind": "Task"}))
    assert all(hit["kind"] == "Task" for hit in tasks_only["items"])


def test_search_pages_with_total(client: TestClient) -> None:
    whole = ok_json(client.get("/search", params={"q": "Đắk Nông"}))
    assert whole["total"] >= 3
    second = ok_json(client.get("/search", params={"q": "Đắk Nông", "limit": 1, "offset": 1}))
    assert second["total"] == whole["total"]
    assert second["items"] == whole["items"][1:2]


def test_search_rejects_unknown_kind_and_empty_text(client: TestClient) -> None:
    assert_problem(client.get("/search", params={"q": "x", "kind": "Planet"}), 422)
    assert_problem(client.get("/search", params={"q": ""}), 422)


def test_entity_has_its_neighbours_with_sources(client: TestClient) -> None:
    body = ok_json(client.get("/entities/agr:hcm-dn"))
    assert body["entity"]["name"].startswith("Thỏa thuận hợp tác")
    seen = {(n["direction"], n["relationship"]["type"], n["node"]["id"]) for n in body["neighbours"]}
    assert {("out", "PARTY", "loc:79"), ("out", "PARTY", "loc:67"), ("in", "IMPLEMENTS", "task:hoi-cho"),
            ("in", "IMPLEMENTS", "doc:plan-101"), ("out", "COVERS", "sector:thuong-mai")} <= seen
    assert body["total"] == len(body["neighbours"])
    assert_sourced([n["relationship"] for n in body["neighbours"]] + [n["node"] for n in body["neighbours"]])
    paged = ok_json(client.get("/entities/agr:hcm-dn", params={"limit": 2, "offset": 1}))
    assert paged["neighbours"] == body["neighbours"][1:3] and paged["total"] == body["total"]


def test_unknown_ids_are_404_problems(client: TestClient) -> None:
    assert "org:nowhere" in assert_problem(client.get("/entities/org:nowhere"), 404)["detail"]
    assert_problem(client.get("/entities/org:nowhere/neighbourhood"), 404)
    assert_problem(client.get("/paths", params={"start": "loc:79", "end": "org:nowhere"}), 404)
    assert_problem(client.get("/people/person:nobody"), 404)
    assert_problem(client.get("/no/such/route"), 404)


def test_neighbourhood_grows_with_depth(client: TestClient) -> None:
    one = ok_json(client.get("/entities/task:ong/neighbourhood", params={"depth": 1}))
    two = ok_json(client.get("/entities/task:ong/neighbourhood", params={"depth": 2}))
    ids_one = {n["id"] for n in one["nodes"]}
    assert {"task:ong", "org:snn-dn", "person:tran-van-thu", "doc:plan-101"} <= ids_one
    assert "loc:67" not in ids_one
    assert "loc:67" in {n["id"] for n in two["nodes"]}
    assert_sourced(two["relationships"])
    assert_problem(client.get("/entities/task:ong/neighbourhood", params={"depth": 0}), 422)


def test_shortest_path_joins_the_two_entities(client: TestClient) -> None:
    body = ok_json(client.get("/paths", params={"start": "person:le-thi-mau", "end": "loc:67"}))
    assert body["found"] and body["length"] == len(body["relationships"]) == len(body["nodes"]) - 1
    assert body["nodes"][0]["id"] == "person:le-thi-mau" and body["nodes"][-1]["id"] == "loc:67"
    assert_sourced(body["relationships"])


# --- the users' questions --------------------------------------------------------

def test_contacts_of_an_activity(client: TestClient) -> None:
    page = ok_json(client.get("/contacts", params={"activity": "hoi cho ca phe Tay Nguyen"}))
    first = page["items"][0]
    assert (first["person"], first["phone"], first["task_id"]) == ("Lê Thị Mẫu", "0901.234.567", "task:hoi-cho")
    assert_sourced(page["items"])
    none = ok_json(client.get("/contacts", params={"activity": "lễ hội nhảy dù Quảng Ninh"}))
    assert none == {"items": [], "total": 0, "limit": 50, "offset": 0}


def test_partners_of_a_locality(client: TestClient) -> None:
    page = ok_json(client.get("/localities/partners", params={"locality": "Quan 3"}))
    assert [p["locality_id"] for p in page["items"]] == ["loc:67-667"]
    assert page["items"][0]["agreement_id"] == "agr:q3-tuyduc"
    assert_sourced(page["items"])


def test_agreements_between_two_parties(client: TestClient) -> None:
    page = ok_json(client.get("/agreements/between", params={"party_a": "TP.HCM", "party_b": "Dak Nong"}))
    assert page["items"][0]["id"] == "agr:hcm-dn"
    assert page["items"][0]["date"] == "2023-12-20"
    assert_sourced(page["items"])


@pytest.mark.parametrize(("params", "expected"), [
    ({}, ["agr:q3-tuyduc", "agr:hcm-dn"]),
    ({"party": "Quận 3"}, ["agr:q3-tuyduc"]),
    ({"party": "UBND huyen Tuy Duc"}, ["agr:q3-tuyduc"]),
    ({"sector": "van hoa"}, ["agr:q3-tuyduc"]),
    ({"year": 2023}, ["agr:hcm-dn"]),
    ({"party": "Đắk Nông", "sector": "thương mại", "year": 2023}, ["agr:hcm-dn"]),
    ({"party": "Đắk Nông", "year": 2024}, []),
    ({"party": "Quảng Ninh"}, []),
])
def test_agreements_filtered(client: TestClient, params: dict, expected: list[str]) -> None:
    page = ok_json(client.get("/agreements", params=params))
    assert [a["id"] for a in page["items"]] == expected
    assert page["total"] == len(expected)
    if expected:
        assert_sourced(page["items"])


@pytest.mark.parametrize(("params", "expected"), [
    ({}, ["task:hoi-cho", "task:ong"]),
    ({"lead": "So Cong Thuong tinh Dak Nong"}, ["task:hoi-cho"]),
    ({"lead": "Sở NN&PTNT tỉnh Đắk Nông"}, ["task:ong"]),
    ({"coordinator": "Sở Công Thương TP.HCM"}, ["task:hoi-cho"]),
    ({"sector": "nong nghiep"}, ["task:ong"]),
    ({"timeframe": "2024-09"}, ["task:hoi-cho"]),
    ({"timeframe": "2024"}, ["task:hoi-cho", "task:ong"]),
    ({"timeframe": "2023"}, []),
    ({"place": "Thành phố Hồ Chí Minh"}, ["task:hoi-cho"]),
    ({"lead": "Sở Công Thương tỉnh Đắk Nông", "sector": "nông nghiệp"}, []),
    ({"lead": "Sở Giao thông vận tải Cà Mau"}, []),
])
def test_tasks_filtered(client: TestClient, params: dict, expected: list[str]) -> None:
    page = ok_json(client.get("/tasks", params=params))
    assert [t["task_id"] for t in page["items"]] == expected
    if expected:
        assert_sourced(page["items"])


def test_task_answer_names_its_roles(client: TestClient) -> None:
    task = ok_json(client.get("/tasks", params={"coordinator": "So Cong Thuong Thanh pho Ho Chi Minh"}))["items"][0]
    assert task["leads"] == ["Sở Công Thương tỉnh Đắk Nông"]
    assert task["coordinators"] == ["Sở Công Thương Thành phố Hồ Chí Minh"]
    assert task["sectors"] == ["thương mại"] and task["timeframe"] == "2024-09"
    assert task["places"] == ["Thành phố Hồ Chí Minh"] and task["plans"] == ["Kế hoạch 101/KH-UBND"]


def test_tasks_reject_a_timeframe_that_is_not_iso(client: TestClient) -> None:
    assert_problem(client.get("/tasks", params={"timeframe": "quý 4/2023"}), 422)


def test_lead_agency_of_a_task(client: TestClient) -> None:
    page = ok_json(client.get("/tasks/leads", params={"task": "tap huan nuoi ong"}))
    assert page["items"][0]["organization_id"] == "org:snn-dn"
    assert_sourced(page["items"])


def test_person_by_name_and_by_id(client: TestClient) -> None:
    page = ok_json(client.get("/people", params={"name": "Pham Van Mau"}))
    assert page["items"][0]["title"] == "Chủ tịch"
    assert page["items"][0]["organization"] == "Ủy ban nhân dân Quận 3"
    assert_sourced(page["items"])
    profile = ok_json(client.get("/people/person:le-thi-mau"))
    assert profile["person"]["name"] == "Lê Thị Mẫu"
    assert [(p["title"], p["organization_id"]) for p in profile["positions"]] == [("Phó phòng", "org:sct-hcm")]
    assert [(t["task_id"], t["phone"]) for t in profile["tasks"]] == [("task:hoi-cho", "0901.234.567")]
    assert_sourced(profile["positions"] + profile["tasks"])
    assert "not a Person" in assert_problem(client.get("/people/loc:79"), 404)["detail"]


def test_tasks_of_an_organization(client: TestClient) -> None:
    assert ok_json(client.get("/organizations/tasks", params={"organization": "Sở Công Thương TP.HCM"}))["items"] == []
    page = ok_json(client.get("/organizations/tasks", params={"organization": "Sở Công Thương TP.HCM",
                                                              "coordinating": "true"}))
    assert [(t["task_id"], t["role"]) for t in page["items"]] == [("task:hoi-cho", "coordinate")]
    assert_sourced(page["items"])


def test_stats_count_the_store(client: TestClient, filled_store: GraphStore) -> None:
    body = ok_json(client.get("/stats"))
    assert body == filled_store.counts().model_dump()
    assert body["documents"] == 2 and body["nodes"]["Task"] == 2


# --- exports ------------------------------------------------------------------------

def _export(client: TestClient, fmt: str, **params: object) -> Response:
    response = client.get(f"/export/{fmt}", params=params)
    assert response.status_code == 200, response.text
    assert "attachment" in response.headers["content-disposition"]
    return response


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_hold_the_whole_graph(client: TestClient, filled_store: GraphStore, fmt: str,
                                          tmp_path: Path) -> None:
    target = tmp_path / f"export.{fmt}"
    target.write_bytes(_export(client, fmt).content)
    graph = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(target)
    counts = filled_store.counts()
    assert graph.number_of_nodes() == sum(counts.nodes.values())
    assert graph.number_of_edges() == sum(counts.relationships.values())
    assert all(json.loads(data["sources"]) for _, data in graph.nodes(data=True))


def test_json_export_is_node_link_with_sources(client: TestClient, filled_store: GraphStore) -> None:
    data = _export(client, "json").json()
    assert len(data["nodes"]) == sum(filled_store.counts().nodes.values())
    assert all(node["sources"] for node in data["nodes"])


def test_csv_export_is_a_zip_of_nodes_and_relationships(client: TestClient, filled_store: GraphStore) -> None:
    response = _export(client, "csv")
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["nodes.csv", "relationships.csv"]
        nodes = archive.read("nodes.csv").decode("utf-8").splitlines()
    assert nodes[0].startswith("id:ID,:LABEL")
    assert len(nodes) - 1 == sum(filled_store.counts().nodes.values())


def test_filtered_export_keeps_only_the_selected_part(client: TestClient) -> None:
    orgs = _export(client, "json", kind="Organization").json()
    assert orgs["nodes"] and {n["kind"] for n in orgs["nodes"]} == {"Organization"}
    culture = _export(client, "json", sector="văn hóa").json()
    ids = {n["id"] for n in culture["nodes"]}
    assert "agr:q3-tuyduc" in ids and "agr:hcm-dn" not in ids and "task:hoi-cho" not in ids


def test_export_rejects_an_unknown_format(client: TestClient) -> None:
    assert_problem(client.get("/export/pdf"), 422)


# --- documents: listing, removal and upload behind the API key -----------------------

def test_documents_are_listed(client: TestClient) -> None:
    page = ok_json(client.get("/documents"))
    assert [d["document"] for d in page["items"]] == sorted([MOU_DOC, PLAN_DOC]) and page["total"] == 2


def test_writes_need_a_valid_key(client: TestClient, filled_store: GraphStore) -> None:
    assert_problem(client.delete(f"/documents/{PLAN_DOC}"), 401)
    assert_problem(client.delete(f"/documents/{PLAN_DOC}", headers={"X-API-Key": "wrong"}), 403)
    assert_problem(client.post("/documents", files={"files": ("a.txt", b"text")}), 401)
    assert_problem(client.post("/documents", files={"files": ("a.txt", b"text")}, headers={"X-API-Key": "no"}), 403)
    assert filled_store.counts().documents == 2


def test_no_key_is_accepted_when_none_is_configured(filled_store: GraphStore) -> None:
    closed = make_client(filled_store, lienket_api_key_hashes="")
    assert_problem(closed.delete(f"/documents/{PLAN_DOC}", headers={"X-API-Key": API_KEY}), 403)


def test_removing_a_document_keeps_facts_another_document_supports(client: TestClient,
                                                                   filled_store: GraphStore) -> None:
    summary = ok_json(client.delete(f"/documents/{PLAN_DOC}", headers={"X-API-Key": API_KEY}))
    assert summary["document"] == PLAN_DOC and summary["nodes_deleted"] > 0
    assert_problem(client.get("/entities/task:hoi-cho"), 404)
    shared = ok_json(client.get("/entities/org:ubnd-q3"))["entity"]
    assert {s["document"] for s in shared["sources"]} == {MOU_DOC}
    assert ok_json(client.get("/stats"))["documents"] == 1
    assert_problem(client.delete(f"/documents/{PLAN_DOC}", headers={"X-API-Key": API_KEY}), 404)


def test_oversized_upload_is_refused_before_ingest(filled_store: GraphStore) -> None:
    small = make_client(filled_store, lienket_max_upload_bytes=100)
    response = small.post("/documents", headers={"X-API-Key": API_KEY},
                          files=[("files", ("small.txt", b"x" * 50)), ("files", ("big.txt", b"x" * 101))])
    assert "big.txt" in assert_problem(response, 413)["detail"]
    assert filled_store.counts().documents == 2


SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "ke_hoach_kon_tum_2024.txt"


def test_upload_ingests_each_file_and_reports_bad_ones(client: TestClient, filled_store: GraphStore) -> None:
    files = [("files", (SAMPLE.name, SAMPLE.read_bytes(), "text/plain")),
             ("files", ("scan.pdf", b"%PDF-1.7\x00\x01\x02 binary", "application/pdf"))]
    report = ok_json(client.post("/documents", headers={"X-API-Key": API_KEY}, files=files))
    added, bad = report["results"]
    assert (added["document"], added["status"], added["error"]) == (SAMPLE.name, "added", None)
    assert added["nodes"] > 0 and added["relationships"] > 0
    assert (bad["document"], bad["status"]) == ("scan.pdf", "error") and "damaged PDF" in bad["error"]
    assert report["errors"] == 1
    listed = [d["document"] for d in ok_json(client.get("/documents"))["items"]]
    assert SAMPLE.name in listed and "scan.pdf" not in listed
    again = ok_json(client.post("/documents", headers={"X-API-Key": API_KEY},
                                files={"files": (SAMPLE.name, SAMPLE.read_bytes())}))
    assert again["results"][0]["status"] == "unchanged"
    kept = ok_json(client.get(f"/ui/document/{SAMPLE.name}"))["text"]  # the ingest kept the document's own text
    assert kept and "KẾ HOẠCH" in {block["text"] for block in kept if block["kind"] == "heading"}
    ok_json(client.delete(f"/documents/{SAMPLE.name}", headers={"X-API-Key": API_KEY}))
    assert filled_store.document_text(SAMPLE.name) is None  # removed with its document


def test_document_view_shows_its_text_with_the_quote_marked(client: TestClient, filled_store: GraphStore) -> None:
    filled_store.save_document_text(PLAN_DOC, plan_text())
    view = ok_json(client.get(f"/ui/document/{PLAN_DOC}"))
    quotes = [q["quote"] for q in view["quotes"]]
    heading, markup, cited, _, table = view["text"]
    assert (heading["kind"], heading["text"], heading["page"]) == ("heading", "KẾ HOẠCH", 1)
    assert markup["text"] == "Thực hiện <b>Thỏa thuận</b> hợp tác giữa hai địa phương."  # text, never markup
    assert [quotes[i] for i in cited["quotes"]] == ["Kế hoạch số 101/KH-UBND ngày 02/5/2024 của UBND tỉnh Đắk Nông"]
    assert markup["quotes"] == [] and table["page"] == 2
    header, first, second = table["rows"]
    assert header["quotes"] == [] and [quotes[i] for i in first["quotes"]] == [" | ".join(first["cells"])]
    assert "Lê Thị Mẫu" in quotes[first["quotes"][0]] and "Trần Văn Thử" in quotes[second["quotes"][0]]
    assert ok_json(client.get(f"/ui/document/{MOU_DOC}"))["text"] is None  # no text kept: the quotes alone


def test_upload_of_too_many_files_is_refused(filled_store: GraphStore) -> None:
    few = make_client(filled_store, lienket_max_upload_files=2)
    files = [("files", (f"doc{i}.txt", SAMPLE.read_bytes())) for i in range(3)]
    assert "at most 2" in assert_problem(few.post("/documents", headers={"X-API-Key": API_KEY}, files=files),
                                         413)["detail"]
    assert filled_store.counts().documents == 2


def test_upload_needs_files(client: TestClient) -> None:
    assert_problem(client.post("/documents", headers={"X-API-Key": API_KEY}), 422)


# --- Cypher -----------------------------------------------------------------------------

def test_cypher_on_the_embedded_store_says_how_to_switch(tmp_path: Path) -> None:
    embedded = EmbeddedStore(tmp_path / "db")
    body = assert_problem(make_client(embedded).post("/cypher", json={"query": "RETURN 1 AS one"}), 501)
    assert "LIENKET_BACKEND=neo4j" in body["detail"] and "NEO4J_URI" in body["detail"]


@pytest.fixture
def neo4j_store(request: pytest.FixtureRequest, tmp_path: Path) -> GraphStore:
    """A real Neo4j holding the two factory documents."""
    request.applymarker(pytest.mark.neo4j)
    store = open_backend("neo4j", tmp_path, request)
    store.write_document(mou_document())
    store.write_document(plan_document())
    request.addfinalizer(store.close)
    return store


def test_cypher_reads_rows_as_objects(neo4j_store: GraphStore) -> None:
    client = make_client(neo4j_store)
    body = ok_json(client.post("/cypher", json={
        "query": "MATCH (a:Agreement)-[:PARTY]->(p) WHERE a.id = $id RETURN p.name AS party ORDER BY party",
        "parameters": {"id": "agr:hcm-dn"}}))
    assert body["columns"] == ["party"]
    assert [row["party"] for row in body["rows"]] == ["Thành phố Hồ Chí Minh", "Tỉnh Đắk Nông"]
    assert body["truncated"] is False


@pytest.mark.parametrize("query", [
    "CREATE (n:Organization {id: 'org:intruder', name: 'x'}) RETURN n",
    "MERGE (n:Organization {id: 'org:intruder'}) RETURN n",
    "MATCH (n:Task) SET n.name = 'changed' RETURN n",
    "MATCH (n:Task) DETACH DELETE n",
    "MATCH ()-[r:LED_BY]->() DELETE r",
    "MATCH (n:Task) REMOVE n.name RETURN n",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "CREATE INDEX intruder_index IF NOT EXISTS FOR (n:Task) ON (n.number)",
    "CALL db.createLabel('Intruder')",
    "CALL db.index.fulltext.createNodeIndex('intruder', ['Task'], ['name'])",
    "MATCH (n:Task) CALL { WITH n SET n.name = 'changed' } RETURN n",
])
def test_cypher_refuses_anything_that_could_write(neo4j_store: GraphStore, query: str) -> None:
    before = neo4j_store.counts()
    names = sorted(t.name for t in neo4j_store.subgraph().nodes)
    body = assert_problem(make_client(neo4j_store).post("/cypher", json={"query": query}), 400)
    assert body["detail"].startswith("refused")
    assert neo4j_store.counts() == before
    assert sorted(t.name for t in neo4j_store.subgraph().nodes) == names


def test_cypher_stops_a_query_past_its_timeout(neo4j_store: GraphStore) -> None:
    client = make_client(neo4j_store, lienket_cypher_timeout_s=1.0)
    response = client.post("/cypher", json={
        "query": "UNWIND range(1, 10000000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS n"})
    assert_problem(response, 408)


def test_cypher_caps_and_pages_rows(neo4j_store: GraphStore) -> None:
    client = make_client(neo4j_store, lienket_cypher_max_rows=100)
    capped = ok_json(client.post("/cypher", json={"query": "UNWIND range(1, 5000) AS x RETURN x", "limit": 1000}))
    assert len(capped["rows"]) == 100 and capped["limit"] == 100 and capped["truncated"] is True
    paged = ok_json(client.post("/cypher", json={"query": "UNWIND range(1, 20) AS x RETURN x ORDER BY x",
                                                 "limit": 5, "offset": 10}))
    assert [row["x"] for row in paged["rows"]] == [11, 12, 13, 14, 15] and paged["truncated"] is True


def test_cypher_parameters_neo4j_cannot_hold_are_bad_input(neo4j_store: GraphStore) -> None:
    client = make_client(neo4j_store)
    too_big = client.post("/cypher", json={"query": "RETURN $n AS n", "parameters": {"n": 2 ** 70}})
    assert "64-bit" in assert_problem(too_big, 422)["detail"]
    nested = ok_json(client.post("/cypher", json={"query": "RETURN $p AS p", "parameters": {"p": {"a": [1, "b"]}}}))
    assert nested["rows"] == [{"p": {"a": [1, "b"]}}]


# --- errors and the schema ------------------------------------------------------------

def test_unexpected_failure_is_a_generic_500_problem(tmp_path: Path) -> None:
    embedded = EmbeddedStore(tmp_path / "db")
    embedded.write_document(mou_document())
    with sqlite3.connect(tmp_path / "db" / STORE_FILE) as connection:  # a fact no code could have written
        connection.execute("UPDATE nodes SET kind = 'Planet'")
    body = assert_problem(make_client(embedded).get("/stats"), 500)
    assert "Planet" not in body["detail"] and STORE_FILE not in body["detail"]


def test_every_operation_documents_its_answers(tmp_path: Path) -> None:
    schema = ok_json(make_client(EmbeddedStore(tmp_path / "db")).get("/openapi.json"))
    assert "Problem" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            ok = operation["responses"]["200"]["content"]
            assert any("example" in media or media.get("schema") for media in ok.values()), (method, path)
            for status, answer in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert list(answer["content"]) == [PROBLEM_MEDIA_TYPE], (method, path, status)


# --- lienket serve ----------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_reads_its_store_and_keys_from_the_environment(tmp_path: Path) -> None:
    """`lienket serve` answers over real HTTP, with the store and key digests from LIENKET_* variables."""
    EmbeddedStore(tmp_path / "db").write_document(mou_document())
    port = _free_port()
    env = {**os.environ, "LIENKET_BACKEND": "embedded", "LIENKET_DB": str(tmp_path / "db"),
           "LIENKET_API_KEY_HASHES": key_digest(API_KEY)}
    server = subprocess.Popen([sys.executable, "-m", "lienket.cli", "serve", "--port", str(port)],
                              cwd=Path(__file__).resolve().parent.parent, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as http:
            stats = _first_answer(http, server)
            assert stats["documents"] == 1 and stats["nodes"]["Agreement"] == 1
            assert_problem(http.delete("/documents/none.txt", headers={"X-API-Key": "wrong"}), 403)
            assert_problem(http.delete("/documents/none.txt", headers={"X-API-Key": API_KEY}), 404)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _first_answer(http: httpx.Client, server: subprocess.Popen) -> dict:
    """GET /stats once the server listens (it may take a few seconds to import and bind)."""
    for _ in range(300):
        if server.poll() is not None:
            pytest.fail(f"lienket serve exited: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            return ok_json(http.get("/stats"))
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail("lienket serve did not start listening")


# A password no answer may show.
NEO4J_SECRET = "not-the-password-7Qx"


def _answers_of_serve_on_neo4j(uri: str) -> list[Response]:
    """What `lienket serve` on the Neo4j at ``uri`` answers to a question (in a worker), a search (in a worker)
    and the counts (in the server's own process), given a password Neo4j does not accept."""
    port = _free_port()
    env = {**os.environ, "LIENKET_BACKEND": "neo4j", "NEO4J_URI": uri, "NEO4J_USER": "neo4j",
           "NEO4J_PASSWORD": NEO4J_SECRET, "LIENKET_MAX_BUSY_REQUESTS": "1"}
    server = subprocess.Popen([sys.executable, "-m", "lienket.cli", "serve", "--port", str(port)],
                              cwd=Path(__file__).resolve().parent.parent, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
            for _ in range(600):
                if server.poll() is not None:
                    pytest.fail(f"lienket serve exited: {server.stderr.read().decode() if server.stderr else ''}")
                try:
                    first = http.get("/contacts", params={"activity": "hội chợ cà phê"})
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                pytest.fail("lienket serve did not start listening")
            return [first, http.get("/search", params={"q": "Quận 5"}), http.get("/stats")]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_with_nothing_listening_at_the_database_uri_answers_503_saying_where() -> None:
    closed = _free_port()  # nothing listens there any more
    for answer in _answers_of_serve_on_neo4j(f"bolt://127.0.0.1:{closed}"):
        detail = assert_problem(answer, 503)["detail"]
        assert f"bolt://127.0.0.1:{closed} cannot be reached" in detail and "Connection refused" in detail
        assert NEO4J_SECRET not in answer.text


def test_serve_on_a_neo4j_refusing_the_login_answers_503_saying_so(neo4j_server_checking_logins: str) -> None:
    for answer in _answers_of_serve_on_neo4j(neo4j_server_checking_logins):
        detail = assert_problem(answer, 503)["detail"]
        assert f"{neo4j_server_checking_logins} refused the login of user 'neo4j'" in detail
        assert NEO4J_SECRET not in answer.text


def test_schema_examples_are_valid_answers() -> None:
    """Every example in the OpenAPI schema validates against the answer schema it illustrates."""
    schema = create_app().openapi()
    checked = 0
    for operations in schema["paths"].values():
        for operation in operations.values():
            media = operation["responses"]["200"]["content"].get("application/json", {})
            if "example" in media:
                answer_schema = {**media["schema"], "components": schema["components"]}
                jsonschema_rs.validate(answer_schema, media["example"])
                checked += 1
    assert checked >= 17


@pytest.mark.parametrize("path", ["/documents/url", "/review/judgements"])
def test_a_json_body_that_is_not_utf8_is_a_documented_400(tmp_path: Path, path: str) -> None:
    client = make_client(EmbeddedStore(tmp_path / "db"))
    answer = client.post(path, headers={"X-API-Key": API_KEY, "Content-Type": "application/json"},
                         content=b'{"urls": ["\xff\xfe"]}')
    assert answer.status_code == 400 and answer.headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert "400" in create_app().openapi()["paths"][path]["post"]["responses"]
