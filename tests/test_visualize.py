"""Network pictures, the /viz and /ui routes and `lienket viz`: offline, UTF-8, escaped, styled from the table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.deps import get_store
from graph.embedded import EmbeddedStore
from graph.model import Graph, Node, Relationship, Source, node_kinds, relationship_id, relationship_types
from graph.store import GraphFilter, GraphStore
from lienket.cli import app as cli_app
from tests.factory import hostile_document, mou_document, plan_document
from visualize import views
from visualize.cards import card_table
from visualize.layout import PIXELS_PER_DEGREE, geo_position
from visualize.render import PHYSICS_NODE_LIMIT, Picture, payload, picture_of, render, styles, vis_data, write_page

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


@pytest.fixture
def embedded(tmp_path: Path) -> EmbeddedStore:
    """The two factory documents and the hostile one, in an embedded store."""
    store = EmbeddedStore(tmp_path / "db")
    for doc in (mou_document(), plan_document(), hostile_document()):
        store.write_document(doc)
    return store


@pytest.fixture
def client(embedded: EmbeddedStore) -> TestClient:
    app = create_app()
    app.dependency_overrides[get_store] = lambda: embedded
    return TestClient(app)


def link_pairs(picture: Picture, link_type: str) -> set[frozenset[str]]:
    return {frozenset((link.start, link.end)) for link in picture.links if link.type == link_type}


# --- what each picture chooses (every backend) ------------------------------------------


def test_twinning_joins_the_two_districts_and_shows_their_provinces(filled_store: GraphStore) -> None:
    picture = views.twinning(filled_store)
    assert {n.id for n in picture.nodes} == {"loc:79-770", "loc:67-667", "loc:79", "loc:67"}
    assert link_pairs(picture, "TWINNING") == {frozenset({"loc:79-770", "loc:67-667"})}
    assert link_pairs(picture, "PART_OF") == {frozenset({"loc:79-770", "loc:79"}), frozenset({"loc:67-667", "loc:67"})}
    # the province-level agreement (TP.HCM - Đắk Nông) has no district party: not a twinning line
    assert not link_pairs(picture, "COOPERATION")
    assert picture.geographic


def test_twinning_line_carries_the_agreement_and_its_source(filled_store: GraphStore) -> None:
    link = next(link for link in views.twinning(filled_store).links if link.type == "TWINNING")
    assert link.facts["agreement"] == "Biên bản ghi nhớ hợp tác giữa Quận 3 và huyện Tuy Đức"
    assert link.facts["date_signed"] == "2024-03-12"
    assert [s.document for s in link.sources] == ["mou_quan3_tuyduc.txt"]


def test_programme_of_a_locality_shows_its_agreements_parties_and_sectors(filled_store: GraphStore) -> None:
    picture = views.agreements(filled_store, "TP.HCM")
    names = {n.name for n in picture.nodes}
    assert {"Thành phố Hồ Chí Minh", "Tỉnh Đắk Nông", "thương mại", "nông nghiệp"} <= names
    assert "Thỏa thuận hợp tác giữa Thành phố Hồ Chí Minh và tỉnh Đắk Nông" in names
    assert "Biên bản ghi nhớ hợp tác giữa Quận 3 và huyện Tuy Đức" not in names
    assert {n.kind for n in picture.nodes} <= {"Agreement", "Locality", "Organization", "Sector"}
    assert link_pairs(picture, "PARTY") == {frozenset({"agr:hcm-dn", "loc:79"}), frozenset({"agr:hcm-dn", "loc:67"})}
    assert picture.focus == "loc:79"


def test_programme_through_peoples_committees_reaches_their_localities(filled_store: GraphStore) -> None:
    picture = views.agreements(filled_store, "Quận 3")
    ids = {n.id for n in picture.nodes}
    assert {"agr:q3-tuyduc", "org:ubnd-q3", "org:ubnd-tuyduc", "loc:67-667"} <= ids
    assert frozenset({"org:ubnd-tuyduc", "loc:67-667"}) in link_pairs(picture, "OF")


def test_programme_of_an_unknown_locality_is_a_lookup_error(filled_store: GraphStore) -> None:
    with pytest.raises(LookupError):
        views.agreements(filled_store, "Xyzzy Qwerty")


def test_neighbourhood_picture_centres_on_the_entity(filled_store: GraphStore) -> None:
    picture = views.neighbourhood(filled_store, "task:hoi-cho", depth=1)
    ids = {n.id for n in picture.nodes}
    assert {"task:hoi-cho", "person:le-thi-mau", "org:sct-dn", "org:sct-hcm"} <= ids
    assert "person:tran-van-thu" not in ids
    assert picture.focus == "task:hoi-cho"
    with pytest.raises(LookupError):
        views.neighbourhood(filled_store, "task:none")


def test_filtered_graph_keeps_only_the_chosen_part(filled_store: GraphStore) -> None:
    everything = views.whole(filled_store)
    places = views.whole(filled_store, GraphFilter(kinds=["Locality"]))
    assert {n.kind for n in places.nodes} == {"Locality"}
    assert len(places.nodes) == 4 < len(everything.nodes)
    assert "Địa phương" not in everything.title and "Địa phương" in places.title


# --- the pages ----------------------------------------------------------------------------


def all_pictures(store: GraphStore) -> list[Picture]:
    return [views.twinning(store), views.agreements(store, "TP.HCM"),
            views.neighbourhood(store, "org:evil", 2), views.whole(store)]


def test_pages_need_no_network(embedded: EmbeddedStore) -> None:
    for picture in all_pictures(embedded):
        page = render(picture)
        assert not EXTERNAL.findall(page), picture.title
        assert "<script src" not in page and "<link" not in page
        assert "vis.Network" in page and "new vis.DataSet" in page  # vis.js itself is inlined


def test_pages_are_written_as_utf8(embedded: EmbeddedStore, tmp_path: Path) -> None:
    path = write_page(render(views.twinning(embedded)), tmp_path / "twinning.html")
    data = path.read_bytes()
    assert "Bản đồ kết nghĩa".encode("utf-8") in data
    assert '<meta charset="utf-8">' in data.decode("utf-8")


def test_hostile_names_never_become_markup(embedded: EmbeddedStore) -> None:
    picture = views.neighbourhood(embedded, "org:evil", 2)
    page = render(picture)
    assert "<script>window.__pwned" not in page
    assert "<img src=x" not in page.lower()
    assert "<b>Thử" not in page
    nodes, edges, _ = vis_data(picture)
    evil = next(n for n in nodes if n["id"] == "org:evil")
    assert evil["label"] == "<script>window.__pwned=1</script>Sở <b>Thử</b>"  # canvas text, drawn as is
    assert evil["tip"]["h"] == evil["label"]  # tooltip data: the script makes text nodes of it
    assert "title" not in evil and all("title" not in e for e in edges)  # no HTML travels
    assert "innerHTML" not in (Path(__file__).parent.parent / "visualize" / "templates" / "picture.js").read_text()


def test_page_allows_only_its_own_scripts(embedded: EmbeddedStore) -> None:
    page = render(views.whole(embedded))
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    text = policy.group(1).replace("&#x27;", "'")
    assert "default-src 'none'" in text and "unsafe-inline" not in text.split("style-src")[0]
    data_blocks = page.count('<script type="application/json"')  # data, never run
    assert text.count("'sha256-") == page.count("</script>") - data_blocks  # one hash per inline script block


def test_nodes_edges_and_legend_follow_the_styles_table(embedded: EmbeddedStore) -> None:
    picture = views.whole(embedded)
    nodes, edges, _ = vis_data(picture)
    assert len(nodes) == len(picture.nodes) and len(edges) == len(picture.links)
    table = styles()
    for node in nodes:
        level = table["levels"].get(next(n for n in picture.nodes if n.id == node["id"]).properties.get("level"), {})
        style = table["nodes"][node["kind"]]
        assert (node["color"], node["shape"]) == (level.get("color", style["color"]), style["shape"])
    for edge in edges:
        assert (edge["color"], edge["dashes"]) == (table["links"][edge["relation"]]["color"],
                                                   bool(table["links"][edge["relation"]]["dashes"]))
    page = render(picture)
    legend = page.split('<details id="legend" open>')[1].split("</details>")[0]
    for kind in {n.kind for n in picture.nodes} - {"Locality"}:
        assert table["nodes"][kind]["label"] in legend
    assert table["levels"]["province"]["label"] in legend and table["levels"]["district"]["label"] in legend
    assert table["links"]["CONTACT"]["label"] in legend
    assert table["links"]["TWINNING"]["label"] not in legend  # only what the picture shows


def test_styles_and_cards_cover_the_schema() -> None:
    table = styles()
    assert set(node_kinds()) == set(table["nodes"])
    assert set(relationship_types()) <= set(table["links"])
    assert {entry["type"] for entry in card_table()["sections"]} <= set(relationship_types())


def test_locality_positions_follow_their_coordinates(filled_store: GraphStore) -> None:
    nodes, _, options = vis_data(views.twinning(filled_store))
    at = {n["id"]: tuple(n.get("geo", (n["x"], n["y"]))) for n in nodes}  # "geo": the spot of a place fanned out
    q3, tuy_duc = at["loc:79-770"], at["loc:67-667"]
    assert tuy_duc[0] > q3[0]  # Tuy Đức lies east of Quận 3 ...
    assert tuy_duc[1] < q3[1]  # ... and north of it (north is up: y grows southwards)
    assert tuy_duc[0] - q3[0] == pytest.approx((107.3849 - 106.6851) * PIXELS_PER_DEGREE, abs=0.2)
    assert q3[1] - tuy_duc[1] == pytest.approx((12.1504 - 10.7818) * PIXELS_PER_DEGREE, abs=0.2)
    assert options["physics"]["enabled"] is False  # a map does not move
    order = [n["id"] for n in nodes]
    assert max(order.index("loc:79"), order.index("loc:67")) < min(order.index("loc:79-770"), order.index("loc:67-667"))


@pytest.mark.parametrize("lat,lon,placed", [(12.15, 107.38, True), ("12.15", "107.38", True), (None, 107.38, False),
                                            ("", "", False), ("nan", "1", False)])
def test_only_real_coordinates_place_a_locality(lat: object, lon: object, placed: bool) -> None:
    node = Node(id="loc:x", kind="Locality", name="Huyện X", properties={"latitude": lat, "longitude": lon})
    assert (geo_position(node) is not None) is placed


def big_graph(size: int) -> Graph:
    """A province with ``size - 1`` organizations under it (enough to cross the physics limit)."""
    province = Node(id="loc:1", kind="Locality", name="Tỉnh Thử", properties={"latitude": 12.0, "longitude": 108.0})
    orgs = [Node(id=f"org:{i}", kind="Organization", name=f"Cơ quan {i}") for i in range(size - 1)]
    rels = [Relationship(id=relationship_id("OF", o.id, "loc:1"), type="OF", start=o.id, end="loc:1") for o in orgs]
    return Graph(nodes=[province, *orgs], relationships=rels)


def test_big_pictures_have_physics_off_and_every_node_placed() -> None:
    big = picture_of(big_graph(PHYSICS_NODE_LIMIT + 50), "lớn")
    nodes, _, options = vis_data(big)
    assert options["physics"]["enabled"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in nodes)
    assert len({(n["x"], n["y"]) for n in nodes}) == len(nodes)  # no two nodes on one spot
    small = picture_of(big_graph(20), "nhỏ")
    assert vis_data(small)[2]["physics"]["enabled"] is True


def test_big_pictures_draw_plain_lines_to_pan_smoothly() -> None:
    assert styles()["links"]["OF"]["dashes"]
    _, big_edges, big_options = vis_data(picture_of(big_graph(PHYSICS_NODE_LIMIT + 50), "lớn"))
    assert not any(e["dashes"] or e["arrows"]["to"]["enabled"] for e in big_edges)
    assert big_options["interaction"]["hideEdgesOnDrag"] is True
    _, small_edges, _ = vis_data(picture_of(big_graph(20), "nhỏ"))
    assert all(e["dashes"] and e["arrows"]["to"]["enabled"] for e in small_edges)


# --- API routes -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/viz/twinning", "/viz/agreements?locality=TP.HCM", "/viz/neighbourhood/loc:79?depth=2",
                                 "/viz/graph?kind=Locality&kind=Agreement&year=2024"])
def test_viz_routes_return_pages(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "new vis.Network" in response.text and not EXTERNAL.findall(response.text)


@pytest.mark.parametrize("url,status", [("/viz/agreements?locality=Xyzzy%20Qwerty", 404),
                                        ("/viz/neighbourhood/loc:none", 404), ("/viz/graph?kind=Planet", 422),
                                        ("/viz/neighbourhood/loc:79?depth=9", 422), ("/static/secret.py", 404)])
def test_viz_and_page_errors_are_problems(client: TestClient, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"


def test_search_groups_hits_by_kind(client: TestClient) -> None:
    groups = client.get("/ui/search", params={"q": "quan 3"}).json()
    assert groups[0]["kind"] == "Locality" and groups[0]["hits"][0]["name"] == "Quận 3"
    assert groups[0]["label"] == styles()["nodes"]["Locality"]["label"]
    assert "Organization" in {g["kind"] for g in groups}


def test_task_card_names_lead_coordinator_and_contact_with_phone(client: TestClient) -> None:
    card = client.get("/ui/entity/task:hoi-cho").json()
    sections = {s["title"]: s["rows"] for s in card["sections"]}
    assert [r["name"] for r in sections["Cơ quan chủ trì"]] == ["Sở Công Thương tỉnh Đắk Nông"]
    assert [r["name"] for r in sections["Cơ quan phối hợp"]] == ["Sở Công Thương Thành phố Hồ Chí Minh"]
    contact = sections["Đầu mối liên hệ"][0]
    assert contact["name"] == "Lê Thị Mẫu"
    assert "Phó phòng" in contact["detail"] and "0901.234.567" in contact["detail"]
    assert {"label": "Thời gian", "value": "2024-09"} in card["facts"]
    assert card["sources"][0]["document"] == "plan_kh_101.txt"


def test_locality_card_lists_partners_and_agreements(client: TestClient) -> None:
    card = client.get("/ui/entity/loc:79-770").json()
    sections = {s["title"]: s["rows"] for s in card["sections"]}
    assert [r["id"] for r in sections[card_table()["partners_title"]]] == ["loc:67-667"]
    assert [r["id"] for r in sections[card_table()["agreements_title"]]] == ["agr:q3-tuyduc"]
    assert client.get("/ui/entity/none").status_code == 404


def test_person_card_lists_positions(client: TestClient) -> None:
    card = client.get("/ui/entity/person:q3-chair").json()
    positions = {s["title"]: s["rows"] for s in card["sections"]}["Chức vụ"]
    assert positions[0]["name"] == "Ủy ban nhân dân Quận 3" and "Chủ tịch" in positions[0]["detail"]


def test_web_page_is_served_with_its_assets_and_a_strict_policy(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and 'id="q"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert not EXTERNAL.findall(page.text)
    script = client.get("/static/app.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert "innerHTML" not in script.text  # document text goes in with textContent only
    assert client.get("/static/style.css").status_code == 200


# --- CLI ------------------------------------------------------------------------------------


def test_cli_draws_each_kind_of_picture(embedded: EmbeddedStore, tmp_path: Path) -> None:
    db = str(tmp_path / "db")
    runner = CliRunner()
    for args in (["twinning"], ["agreements", "TP.HCM"], ["neighbourhood", "loc:79", "--depth", "2"],
                 ["graph", "--kind", "Locality", "--year", "2024"]):
        output = tmp_path / f"{args[0]}.html"
        result = runner.invoke(cli_app, ["viz", *args, "-o", str(output), "--db", db])
        assert result.exit_code == 0, result.output
        assert "new vis.Network" in output.read_text(encoding="utf-8")
    missing = runner.invoke(cli_app, ["viz", "agreements", "Xyzzy Qwerty", "-o", str(tmp_path / "x.html"), "--db", db])
    assert missing.exit_code == 1 and not (tmp_path / "x.html").exists()


# --- readable labels, the page's data and its static files ----------------------------------


def test_short_labels_are_distinct_and_keep_the_full_name_in_the_tooltip() -> None:
    stem = "Hợp tác song phương giữa Thành phố Hồ Chí Minh và"
    nodes = [Node(id=f"agr:{i}", kind="Agreement", name=f"{stem} tỉnh {place}")
             for i, place in enumerate(["Đắk Nông", "Đắk Lắk", "Kon Tum", "Gia Lai"])]
    picture = Picture(title="t", nodes=nodes, links=[])
    labels = [n["label"] for n in vis_data(picture)[0]]
    assert len(set(labels)) == 4 and all(len(label) <= 44 for label in labels)
    assert any("Đắk Nông" in label for label in labels)
    assert all(n["tip"]["h"].startswith(stem) for n in vis_data(picture)[0])  # the full name, in the tooltip


def test_map_places_on_one_spot_are_fanned_out_with_their_spot_kept() -> None:
    spot = {"latitude": 10.78, "longitude": 106.68, "level": "district"}
    nodes = [Node(id=f"loc:79-{i}", kind="Locality", name=f"Quận {i}", properties=spot) for i in range(3)]
    nodes, _, _ = vis_data(Picture(title="t", nodes=nodes, links=[], geographic=True))
    assert len({(n["x"], n["y"]) for n in nodes}) == 3
    assert all(n["geo"] == [round(106.68 * PIXELS_PER_DEGREE, 1), round(-10.78 * PIXELS_PER_DEGREE, 1)] for n in nodes)


def test_picture_data_routes_feed_the_page(client: TestClient) -> None:
    twinning = client.get("/viz/data/twinning", params={"period": "after"}).json()
    assert twinning["map"]["period"] == "after" and len(twinning["nodes"]) >= 3
    assert all("tip" in n and "title" not in n for n in twinning["nodes"])  # tooltips become markup only on hover
    assert {"loc:79-770", "loc:67-667"} <= {n["id"] for n in twinning["nodes"]}
    graph = client.get("/viz/data/graph", params={"kind": "Locality"}).json()
    assert {n["kind"] for n in graph["nodes"]} == {"Locality"}
    assert client.get("/viz/data/neighbourhood/loc:none").status_code == 404
    assert client.get("/viz/twinning", params={"period": "later"}).status_code == 422


def test_document_view_lists_its_quotes(client: TestClient) -> None:
    view = client.get("/ui/document/plan_kh_101.txt").json()
    quotes = [q["quote"] for q in view["quotes"]]
    assert len(quotes) == len(set(quotes)) > 2
    assert any("Lê Thị Mẫu" in q for q in quotes)
    assert client.get("/ui/document/none.txt").status_code == 404


def test_vis_js_is_served_once_cached_and_compressed(client: TestClient) -> None:
    first = client.get("/static/vis-network.min.js", headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200 and first.headers["content-encoding"] == "gzip"
    assert "max-age" in first.headers["cache-control"] and first.headers["etag"]
    again = client.get("/static/vis-network.min.js", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and not again.content
    assert client.get("/static/favicon.svg").headers["content-type"] == "image/svg+xml"
    page = client.get("/").text
    assert '<script src="/static/vis-network.min.js"' in page and 'rel="icon"' in page


def test_docs_use_swagger_ui_from_the_package(client: TestClient) -> None:
    docs = client.get("/docs").text
    assert "/static/swagger-ui-bundle.js" in docs and not EXTERNAL.findall(docs)
    assert client.get("/static/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/swagger-ui.css").status_code == 200


def test_twinning_of_communes_after_2025_places_units_without_coordinates(tmp_path: Path) -> None:
    read = [Source(document="thu.txt", quote="Xã Thử A kết nghĩa với Phường Thử B")]

    def place(node_id: str, name: str, level: str, code: str, **where: float) -> Node:
        return Node(id=node_id, kind="Locality", name=name, properties={"level": level, "code": code, **where},
                    sources=read)

    def rel(kind: str, start: str, end: str) -> Relationship:
        return Relationship(id=relationship_id(kind, start, end), type=kind, start=start, end=end, sources=read)

    nodes = [place("loc:a", "Xã Thử A", "commune", "90001", latitude=11.0, longitude=107.0),
             place("loc:b", "Phường Thử B", "commune", "90002"),  # no coordinates: placed beside its links
             place("loc:p", "Tỉnh Thử", "province", "90", latitude=11.2, longitude=107.2),
             place("loc:p2025", "Tỉnh Mới (từ 2025-07-01)", "province", "91"),
             place("loc:q", "Tỉnh Cũ", "province", "92", latitude=12.0, longitude=108.0),
             place("loc:q2025", "Tỉnh Cũ (từ 2025-07-01)", "province", "92"),
             place("loc:c", "Xã Thử C", "commune", "92001", latitude=12.1, longitude=108.1),
             Node(id="agr:ab", kind="Agreement", name="Kết nghĩa xã A và phường B", sources=read)]
    rels = [rel("PARTY", "agr:ab", "loc:a"), rel("PARTY", "agr:ab", "loc:b"), rel("PART_OF", "loc:a", "loc:p"),
            rel("SUCCEEDED_BY", "loc:p", "loc:p2025"), rel("PARTY", "agr:ab", "loc:c"),
            rel("PART_OF", "loc:c", "loc:q"), rel("SUCCEEDED_BY", "loc:q", "loc:q2025")]
    store = EmbeddedStore(tmp_path / "db")
    store.import_graph(Graph(nodes=nodes, relationships=rels))
    assert not link_pairs(views.twinning(store), "TWINNING")  # communes are not twinning at the district level
    picture = views.twinning(store, period="after", level="commune")
    assert frozenset({"loc:a", "loc:b"}) in link_pairs(picture, "TWINNING")
    assert link_pairs(picture, "PART_OF") == {frozenset({"loc:a", "loc:p2025"}), frozenset({"loc:c", "loc:q2025"})}
    drawn, _, _ = vis_data(picture)
    assert len({(n["x"], n["y"]) for n in drawn}) == len(drawn) == 5
    shown = {n.id: n for n in picture.nodes}
    assert geo_position(shown["loc:p2025"]) is None  # a code of its own: placed beside what it is linked to
    assert geo_position(shown["loc:q2025"]) == geo_position(nodes[4])  # kept the former province's code and spot
    assert payload(picture)["map"]["period"] == "after"


def test_labels_are_sized_by_links_and_the_least_linked_wait_for_zoom() -> None:
    nodes, _, options = vis_data(picture_of(big_graph(20), "nhỏ"))
    value = {n["id"]: n["value"] for n in nodes}
    assert value["loc:1"] == 20 and value["org:0"] == 2  # the province holds every link
    label = options["nodes"]["scaling"]["label"]
    assert label["enabled"] and label["drawThreshold"] > 0 and label["max"] > label["min"]
    _, _, map_options = vis_data(Picture(title="t", nodes=big_graph(3).nodes, links=[], geographic=True))
    assert map_options["nodes"]["scaling"]["label"]["enabled"] is False  # a map shows every label
