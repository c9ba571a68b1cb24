"""The 2025 reorganisation: units of both periods, names read as of the document's date,
and questions across the change — on documents written for the project after July 2025
(tests/fixtures/after_2025), on both backends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.localities import LocalityLinks, proper_name, scope
from graph.model import Graph, Node, PartnerAnswer, Relationship
from graph.store import GraphStore
from ingest.gazetteer import AFTER, BEFORE, gazetteer, predecessors, successors
from ingest.localities import drop_qualifiers, find_localities, reading
from ingest.pipeline import ingest_bytes, ingest_files
from tests.cli_process import lienket
from tests.test_api import make_client
from visualize.views import twinning

AFTER_2025_DOCS = Path(__file__).parent / "fixtures" / "after_2025"
AFTER_2025 = ["tin_ket_nghia_phuong_xa_2025.txt", "ke_hoach_lam_dong_2025.txt", "tin_phuong_bac_kan_2025.txt",
              "tin_xuan_hoa_tuy_duc_2026.txt"]


def named(text: str, as_of: str | None = None) -> list[tuple[str, str]]:
    """(name, period) of the units a text names, parents written after a unit left out."""
    with reading(as_of, text):
        return [(m.unit.name, m.unit.period) for m in drop_qualifiers(find_localities(text), text)]


# --- the gazetteer ---------------------------------------------------------------------------

def test_unit_counts_match_the_package() -> None:
    """Every unit of both periods is loaded: counted independently through the package's own API."""
    from vietnamadminunits.database import get_data

    legacy = get_data(["provinceCode", "districtCode", "wardCode"], table="admin_units_legacy")
    new = get_data(["provinceCode", "wardCode"], table="admin_units")
    expected = {
        ("province", BEFORE): len({r["provinceCode"] for r in legacy}),
        ("district", BEFORE): len({(r["provinceCode"], r["districtCode"]) for r in legacy}),
        ("commune", BEFORE): len({r["wardCode"] for r in legacy if r["wardCode"]}),
        ("province", AFTER): len({r["provinceCode"] for r in new}),
        ("district", AFTER): 0,
        ("commune", AFTER): len({r["wardCode"] for r in new}),
    }
    loaded = {key: gazetteer().count(*key) for key in expected}
    assert loaded == expected
    assert (loaded[("province", BEFORE)], loaded[("province", AFTER)]) == (63, 34)


def test_every_former_unit_has_a_successor_and_every_new_commune_its_predecessors() -> None:
    units = gazetteer().units.values()
    assert all(successors(u) for u in units if u.period == BEFORE)
    assert all(predecessors(u) for u in units if u.period == AFTER)
    assert all(s.period == AFTER for u in units if u.period == BEFORE for s in successors(u))


def test_a_former_district_leads_to_the_communes_that_took_its_area() -> None:
    (district,) = gazetteer().by_name["huyen tuy duc"]
    assert {s.name for s in successors(district)} >= {"Xã Tuy Đức", "Xã Quảng Trực"}
    assert {s.successor_name for s in successors(district)} == {"Tỉnh Lâm Đồng"}


# --- names as of the document's date ------------------------------------------------------------

def test_a_province_name_is_the_unit_of_the_documents_date() -> None:
    assert named("UBND tỉnh Lâm Đồng", "2024-05-02") == [("Tỉnh Lâm Đồng", BEFORE)]
    assert named("UBND tỉnh Lâm Đồng", "2026-03-01") == [("Tỉnh Lâm Đồng", AFTER)]
    assert named("tỉnh Đắk Nông (cũ)", "2026-03-01") == [("Tỉnh Đắk Nông", BEFORE)]


def test_a_new_ward_named_like_a_former_province_is_never_that_province() -> None:
    assert named("UBND phường Bắc Kạn, tỉnh Thái Nguyên", "2025-10-20") == [("Phường Bắc Kạn", AFTER)]
    assert named("P. Bắc Kạn") == [("Phường Bắc Kạn", AFTER)]
    assert named("tỉnh Bắc Kạn", "2024-01-10") == [("Tỉnh Bắc Kạn", BEFORE)]


def test_abbreviated_type_words_are_read() -> None:
    assert named("P. Bến Thành và X. Ia Grai", "2025-09-01") == [("Phường Bến Thành", AFTER), ("Xã Ia Grai", AFTER)]
    assert named("Q.5 và TT. Đắk Hà") == [("Quận 5", BEFORE), ("Thị trấn Đăk Hà", BEFORE)]  # the package spells it Đăk


def test_names_with_an_apostrophe_typed_or_typeset() -> None:
    assert named("huyện Đắk R'Lấp") == named("huyện Đắk R’Lấp") == [("Huyện Đắk R'Lấp", BEFORE)]


def test_a_commune_named_with_its_former_parents_is_the_former_commune() -> None:
    assert named("xã Quảng Tân, huyện Tuy Đức, tỉnh Đắk Nông", "2026-01-10") == [("Xã Quảng Tân", BEFORE)]


def test_a_commune_name_shared_by_several_units_needs_its_parent() -> None:
    assert len(gazetteer().by_name["xa tan hoa"]) > 1
    assert named("xã Tân Hòa", "2026-01-01") == []  # unsure: left out rather than guessed
    assert named("xã Tân Hòa, tỉnh Đồng Tháp", "2026-01-01") == [("Xã Tân Hòa", AFTER)]
    assert named("xã Tân Hòa (Đồng Tháp)", "2026-01-01") == [("Xã Tân Hòa", AFTER)]  # not 'Xã Tân Hòa Đông'
    assert named("phường An Phú (TP.HCM)", "2026-01-01") == [("Phường An Phú", AFTER)]


def test_lower_case_words_are_not_communes() -> None:
    assert named("công tác an sinh xã hội của phường", "2026-01-10") == []


# --- questions across the change (both backends) ----------------------------------------------

@pytest.fixture
def reorganised(store: GraphStore) -> GraphStore:
    results = ingest_files(store, [AFTER_2025_DOCS / name for name in AFTER_2025])
    assert [r.error for r in results] == [None] * len(AFTER_2025)
    return store


def places(answers: list[PartnerAnswer]) -> set[str]:
    return {a.locality.split(",")[0] for a in answers}


def test_the_old_and_the_new_name_give_linked_answers(reorganised: GraphStore) -> None:
    by_old = reorganised.partners("huyện Tuy Đức")
    by_new = reorganised.partners("xã Tuy Đức")
    # the former district signed only its own agreement; the 2025 commune has both, the old one linked
    assert places(by_old) == {"Quận 3"}
    assert places(by_new) == {"Quận 3", "Phường Xuân Hòa"}
    new_link = next(a.link for a in by_new if a.locality.startswith("Quận 3"))
    assert new_link and new_link.startswith("Huyện Tuy Đức") and "Tỉnh Lâm Đồng" in new_link and "Xã Tuy Đức" in new_link
    assert next(a.link for a in by_old if a.locality.startswith("Quận 3")) is None


def test_a_new_ward_named_like_a_former_province_does_not_answer_for_it(reorganised: GraphStore) -> None:
    assert places(reorganised.partners("phường Bắc Kạn")) == {"Phường Hoàn Kiếm"}
    assert reorganised.partners("tỉnh Bắc Kạn") == []
    assert reorganised.partners("Bắc Kạn") == []


def test_a_province_gets_only_its_own_agreements_unless_within(reorganised: GraphStore) -> None:
    assert places(reorganised.partners("tỉnh Lâm Đồng")) == {"Thành phố Hồ Chí Minh"}
    within = reorganised.partners("tỉnh Lâm Đồng", within=True)
    assert places(within) == {"Thành phố Hồ Chí Minh", "Phường Bàn Cờ", "Phường Xuân Hòa", "Quận 3"}
    assert all(a.link and "within" in a.link for a in within if a.locality != "Thành phố Hồ Chí Minh")


def test_a_former_province_does_not_get_its_successors_agreements(reorganised: GraphStore) -> None:
    # the 2025 Lâm Đồng signed with the city after Đắk Nông ceased: not Đắk Nông's partner
    assert reorganised.partners("tỉnh Đắk Nông") == []
    (answer,) = reorganised.partners("tỉnh Lâm Đồng")
    assert answer.locality == "Thành phố Hồ Chí Minh" and answer.link is None


def test_a_province_merged_into_the_asked_one_in_2025_stays_its_partner_before(store: GraphStore) -> None:
    text = ("Tin hợp tác\n\nSáng 14/5/2024, UBND tỉnh Gia Lai và UBND tỉnh Bình Định ký kết thỏa thuận hợp tác "
            "phát triển du lịch giai đoạn 2024 - 2027.\n")
    assert ingest_bytes(store, "tin_gia_lai_binh_dinh.txt", text.encode()).status == "added"
    assert places(store.partners("tỉnh Gia Lai")) == {"Tỉnh Bình Định"}
    assert places(store.partners("tỉnh Bình Định")) == {"Tỉnh Gia Lai"}
    assert store.partners("tỉnh Gia Lai", as_of="2025-10-01") == []  # one province since: no partner


def test_a_former_partner_is_named_as_today_when_the_asked_unit_is_reached_through_2025(
        store: GraphStore) -> None:
    text = ("Tin hợp tác\n\nNgày 9/10/2023, UBND tỉnh Thừa Thiên Huế và UBND tỉnh Kon Tum ký kết thỏa thuận "
            "hợp tác về y tế và du lịch giai đoạn 2023 - 2028.\n")
    assert ingest_bytes(store, "tin_hue_kon_tum.txt", text.encode()).status == "added"
    assert places(store.partners("tỉnh Thừa Thiên Huế")) == {"Tỉnh Kon Tum"}
    (today,) = store.partners("thành phố Huế")  # the province only renamed in 2025: the same unit
    assert today.locality == "Tỉnh Quảng Ngãi (Tỉnh Kon Tum until 2025-06-30)"
    assert today.link and today.link.startswith("Tỉnh Thừa Thiên Huế")


def test_a_unit_merged_into_another_in_2025_keeps_its_partners_to_itself(store: GraphStore) -> None:
    # Kon Tum went into Quảng Ngãi: its agreements are found by its own name, not by the province it joined
    # (an official asking about Quảng Ngãi means the agreements that name Quảng Ngãi)
    text = ("Tin hợp tác\n\nNgày 2/11/2023, UBND tỉnh Kon Tum và UBND tỉnh Bình Định ký kết thỏa thuận hợp tác "
            "về du lịch giai đoạn 2023 - 2026.\n")
    assert ingest_bytes(store, "tin_kon_tum_binh_dinh.txt", text.encode()).status == "added"
    assert places(store.partners("tỉnh Kon Tum")) == {"Tỉnh Bình Định"}
    assert store.partners("tỉnh Quảng Ngãi") == []
    within = store.partners("tỉnh Quảng Ngãi", within=True)  # asked for its whole area, Kon Tum's count
    assert places(within) == {"Tỉnh Gia Lai (Tỉnh Bình Định until 2025-06-30)"}
    assert within[0].link and within[0].link.startswith("Tỉnh Kon Tum")


def test_as_of_a_date_reads_the_name_then(reorganised: GraphStore) -> None:
    assert places(reorganised.partners("Quận 3", as_of="2024-12-31")) == {"Huyện Tuy Đức"}
    # Quận 3 ceased on 2025-06-30: what its wards signed since is theirs, not its
    assert places(reorganised.partners("Quận 3", as_of="2025-10-01")) == {"Huyện Tuy Đức"}
    assert reorganised.partners("tỉnh Lâm Đồng", as_of="2024-12-31") == []  # the 2025 province signed nothing then


def test_a_merged_provinces_plan_places_its_tasks_in_its_new_communes(reorganised: GraphStore) -> None:
    (task,) = reorganised.find_tasks(place="phường Bắc Gia Nghĩa")
    assert task.task.startswith("Tập huấn chuyển đổi số")
    assert [t.task_id for t in reorganised.find_tasks(place="tỉnh Lâm Đồng")] == [task.task_id]
    ward = reorganised.node(reorganised.search("phường Bắc Gia Nghĩa", kinds=["Locality"], limit=1)[0].id)
    assert ward is not None
    props = ward.properties
    assert (props["level"], props["period"], props["valid_from"]) == ("commune", AFTER, "2025-07-01")
    assert props["latitude"] and props["longitude"]
    former = reorganised.search("Thành phố Gia Nghĩa", kinds=["Locality"], limit=1)[0]
    links = reorganised.neighbourhood(former.id).relationships
    assert any((r.type, r.start, r.end) == ("SUCCEEDED_BY", former.id, ward.id) for r in links)


def test_partners_over_http_take_within_and_as_of(reorganised: GraphStore) -> None:
    client = make_client(reorganised)
    page = client.get("/localities/partners", params={"locality": "tỉnh Lâm Đồng", "within": "true"}).json()
    assert {i["locality"].split(",")[0] for i in page["items"]} >= {"Phường Bàn Cờ", "Quận 3"}
    page = client.get("/localities/partners", params={"locality": "Quận 3", "as_of": "2024-12-31"}).json()
    assert [i["locality"].split(",")[0] for i in page["items"]] == ["Huyện Tuy Đức"]
    assert client.get("/localities/partners", params={"locality": "Quận 3", "as_of": "2024-13-01"}).status_code == 422


def test_the_twinning_map_at_commune_level_and_after_2025(reorganised: GraphStore) -> None:
    """The data the map needs: level, period, coordinates and succession on the Locality nodes."""

    def pairs(period: str, level: str | None, link_type: str) -> set[frozenset[str]]:
        picture = twinning(reorganised, period=period, level=level)
        names = {n.id: n.name for n in picture.nodes}
        return {frozenset((names[link.start], names[link.end])) for link in picture.links if link.type == link_type}

    communes = pairs("after", "commune", "TWINNING")
    assert {frozenset(("Phường Bàn Cờ", "Xã Quảng Trực")), frozenset(("Phường Xuân Hòa", "Xã Tuy Đức"))} <= communes
    assert frozenset(("Xã Quảng Trực", "Tỉnh Lâm Đồng")) in pairs("after", "commune", "PART_OF")
    assert pairs("before", None, "TWINNING") == {frozenset(("Quận 3", "Huyện Tuy Đức"))}
    assert frozenset(("Huyện Tuy Đức", "Tỉnh Đắk Nông")) in pairs("before", None, "PART_OF")
    assert frozenset(("Huyện Tuy Đức", "Tỉnh Lâm Đồng")) in pairs("after", None, "PART_OF")


def test_a_former_commune_on_the_2025_map_stays_in_its_district(store: GraphStore) -> None:
    news = ("Hai xã kết nghĩa\n\n09:00 12/05/2024\n\nNgày 10/5/2024, UBND xã Quảng Tân, huyện Tuy Đức, tỉnh Đắk Nông "
            "và UBND xã Ia Dom, huyện Đức Cơ, tỉnh Gia Lai đã ký kết Biên bản ghi nhớ hợp tác giai đoạn 2024 - 2026.\n\n"
            "Trước đó, UBND huyện Tuy Đức và UBND huyện Đức Cơ đã ký kết Biên bản ghi nhớ hợp tác ngày 3/4/2023.\n")
    assert ingest_bytes(store, "tin_hai_xa_2024.txt", news.encode()).error is None
    picture = twinning(store, period="after", level="commune")
    names = {n.id: n.name for n in picture.nodes}
    parents = {names[link.start]: names[link.end] for link in picture.links if link.type == "PART_OF"}
    assert parents["Xã Quảng Tân"] == "Huyện Tuy Đức"


def test_the_command_line_asks_within_and_as_of(tmp_path: Path) -> None:
    assert lienket(tmp_path, "ingest", str(AFTER_2025_DOCS)).returncode == 0
    asked = lienket(tmp_path, "ask", "partners", "Quận 3", "--as-of", "2024-12-31", "--json")
    assert [a["locality"].split(",")[0] for a in json.loads(asked.stdout)] == ["Huyện Tuy Đức"]
    within = json.loads(lienket(tmp_path, "ask", "partners", "tỉnh Lâm Đồng", "--within", "--json").stdout)
    assert any(a["link"] and a["locality"].startswith("Quận 3") for a in within)
    assert lienket(tmp_path, "ask", "partners", "Quận 3", "--as-of", "31/12/2024").returncode == 2


def test_asking_a_question_does_not_load_the_gazetteer(tmp_path: Path) -> None:
    """Questions read the graph only: the ~14,000 units are loaded when a document is read."""
    script = ("import sys; from typer.testing import CliRunner; from lienket.cli import app; "
              "result = CliRunner().invoke(app, ['ask', 'partners', 'Quận 3', '--json']); "
              "assert result.exit_code == 0, result.output; "
              "print(sorted(m for m in sys.modules if m.startswith(('ingest', 'vietnamadminunits'))))")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "LIENKET_DB": str(tmp_path)}, check=True)
    assert run.stdout.strip() == "[]"


def test_a_new_unit_carries_on_a_former_unit_whose_name_it_kept_or_that_it_only_renamed() -> None:
    def unit(node_id: str, name: str) -> Node:
        return Node(id=node_id, kind="Locality", name=name)

    def succeeded(old: str, new: str) -> Relationship:
        return Relationship(id=f"{old}>{new}", type="SUCCEEDED_BY", start=old, end=new)

    nodes = [unit("d", "Huyện Krông Xa"), unit("c", "Xã Ea Lim"), unit("n1", "Xã Krông Xa"),
             unit("n2", "Xã Ea Lim"), unit("n3", "Phường Hòa Lạc"), unit("t", "Thị xã Phước Mỹ")]
    rels = [succeeded("d", "n1"), succeeded("d", "n2"), succeeded("d", "n3"), succeeded("c", "n2"),
            succeeded("t", "n3")]
    links = LocalityLinks.of(Graph(nodes=nodes, relationships=rels))
    assert proper_name("Thị xã Phước Mỹ") == "Phước Mỹ" and proper_name("Quận 3") == "3"
    assert set(scope(["n1"], links)) == {"n1", "d"}  # the district split up, its name kept here
    assert set(scope(["n2"], links)) == {"n2", "c"}  # the commune taken whole, not the district's part
    # only this ward took the town, under another name and with a part of the district: not the town carried on,
    # but within its area
    assert set(scope(["n3"], links)) == {"n3"} and set(scope(["n3"], links, within=True)) == {"n3", "t"}
    town = Node(id="o", kind="Locality", name="Thị xã Bến Lạc", properties={"renamed_to": "Phường Lạc Hòa"})
    renamed = LocalityLinks.of(Graph(nodes=[town, unit("w", "Phường Lạc Hòa")], relationships=[succeeded("o", "w")]))
    assert set(scope(["w"], renamed)) == {"w", "o"}  # made of the town alone: the town renamed
