"""Numbered wards and districts, places asked with chained abbreviations, a contact's unit placed by the body it
belongs to, signers of a joint plan, and the fields of a three-way twinning told of later. Texts written for the
project; names and phones invented."""

from __future__ import annotations

from pathlib import Path

from graph.embedded import EmbeddedStore
from ingest.extract import extract
from ingest.gazetteer import gazetteer
from ingest.localities import province_named
from ingest.people import parse_contact
from ingest.pipeline import ingest_bytes
from ingest.readers.text import read_text

TWINNING_NEWS = (
    "Sáng 12/3/2020, UBND Phường 4, Quận 10 (TP.HCM) tổ chức lễ ký kết kết nghĩa với UBND xã Đắk Ơ, huyện Bù Gia "
    "Mập, tỉnh Bình Phước. Cùng dịp, P. 14 (Q.10), xã Tân Lập (huyện Đồng Phú, tỉnh Bình Phước) và xã Bình Sơn "
    "(huyện Long Thành, tỉnh Đồng Nai) ký kết kết nghĩa ba bên.\n\n"
    "Tham dự có bà Phan Thị Nguyệt Ánh – Chủ tịch UBND Phường 4; ông Lạc Văn Hòa, Bí thư Đảng ủy Phường 14.\n\n"
    "Nội dung kết nghĩa giữa P.4 và xã Đắk Ơ gồm: an sinh xã hội; giao lưu văn hóa, thể thao.\n\n"
    "Ông Lạc Văn Hòa cho biết, kết nghĩa ba bên giúp ba địa phương cùng phát triển nông nghiệp hữu cơ.\n"
)


def graph_of(name: str, text: str) -> tuple[dict[str, object], list[object]]:
    graph, _ = extract(read_text(name, text.encode("utf-8"), name), "test")
    return {n.id: n for n in graph.nodes}, graph.relationships


def held(nodes: dict, rels: list, person: str) -> list[tuple[str, str]]:
    (node,) = [n for n in nodes.values() if n.kind == "Person" and n.name == person]
    return [(r.properties.get("title"), nodes[r.end].name) for r in rels if r.start == node.id and r.type == "HOLDS"]


def test_a_unit_whose_name_is_its_type_and_a_number_is_named_once() -> None:
    units = gazetteer().units.values()
    numbered = [u for u in units if u.numbered]
    assert {u.type_word for u in numbered} >= {"Phường", "Quận"}
    # the package files a few numbered wards under another type ('Xã'): still named as written
    assert all(u.in_running_text == u.name for u in numbered)
    # a ward whose own name begins with the type word, without a number, keeps the type word before it
    assert {u.in_running_text for u in units if u.short == "Phường Đúc"} == {"phường Phường Đúc"}


def test_bodies_of_a_numbered_ward_are_named_as_people_write_them() -> None:
    nodes, rels = graph_of("tin.txt", TWINNING_NEWS)
    assert held(nodes, rels, "Phan Thị Nguyệt Ánh") == [("Chủ tịch", "Ủy ban nhân dân Phường 4")]
    assert held(nodes, rels, "Lạc Văn Hòa") == [("Bí thư", "Đảng ủy Phường 14")]
    assert not [n.name for n in nodes.values() if "phường Phường" in n.name]


def test_a_place_asked_with_its_parents_abbreviated_and_chained_is_that_unit(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin.txt", TWINNING_NEWS.encode()).status == "added"
    expected = [a.locality for a in store.partners("Phường 4")]
    assert len(expected) == 1 and "Bù Gia Mập" in expected[0]
    for asked in ("P.4 Q.10 TP.HCM", "P.4 Q.10", "phuong 4 quan 10 tphcm", "P.4, Q.10 TP.HCM"):
        assert [a.locality for a in store.partners(asked)] == expected, asked
    # the ward of that number in another district is another unit
    assert store.partners("P.4 Q.5 TP.HCM") == []


def test_the_fields_told_of_a_three_way_twinning_are_its_own(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    ingest_bytes(store, "tin.txt", TWINNING_NEWS.encode())
    (three_way,) = store.agreements_between("Phường 14", "xã Bình Sơn")
    assert len(three_way.parties) == 3 and "nông nghiệp" in three_way.sectors
    (pair,) = store.agreements_between("Phường 4", "xã Đắk Ơ")
    assert "nông nghiệp" not in pair.sectors  # the pair's fields are the ones its own sentence lists


def test_a_contacts_unit_named_with_its_parent_belongs_to_the_parents_locality() -> None:
    partner = province_named("Lai Châu")
    cell = "Bà Lò Thị Hiên - Phó Giám đốc Trung tâm Xúc tiến đầu tư, Sở Tài chính tỉnh Yên Bái; ĐT: 0912 555 013"
    _, person = parse_contact(cell, partner)
    (position,) = person.positions
    assert position.org.name == "Trung tâm Xúc tiến đầu tư tỉnh Yên Bái"
    assert position.org.parent is not None and position.org.parent.name == "Sở Tài chính tỉnh Yên Bái"
    # named alone, the unit is the partner's counterpart, as the contact column says
    _, person = parse_contact("Bà Lò Thị Hiên - Phó Giám đốc Trung tâm Xúc tiến đầu tư; ĐT: 0912 555 013", partner)
    assert person.positions[0].org.name == "Trung tâm Xúc tiến đầu tư tỉnh Lai Châu"


JOINT_PLAN = """SỞ Y TẾ TỈNH YÊN BÁI — SỞ Y TẾ TỈNH LAI CHÂU
Số: 318/KH-SYT    Yên Bái, ngày 14 tháng 5 năm 2024

KẾ HOẠCH PHỐI HỢP
Khám chữa bệnh cho đồng bào vùng biên giới năm 2024

I. MỤC ĐÍCH: Nâng cao chất lượng khám chữa bệnh tuyến cơ sở.
Nơi nhận: UBND tỉnh Yên Bái; UBND tỉnh Lai Châu; Lưu: VT.
{signatures}
"""


def test_each_signer_of_a_joint_plan_holds_the_title_in_the_body_it_names() -> None:
    one_line = ("GIÁM ĐỐC SỞ Y TẾ TỈNH YÊN BÁI: Vàng Thị Mỷ            "
                "GIÁM ĐỐC SỞ Y TẾ TỈNH LAI CHÂU: Mè Văn Lả")
    nodes, rels = graph_of("kh.txt", JOINT_PLAN.format(signatures=one_line))
    assert held(nodes, rels, "Vàng Thị Mỷ") == [("Giám đốc", "Sở Y tế tỉnh Yên Bái")]
    # a name by its place in the block: 'Mè' is no surname the table knows
    assert held(nodes, rels, "Mè Văn Lả") == [("Giám đốc", "Sở Y tế tỉnh Lai Châu")]
    signed = {nodes[r.end].name for r in rels if r.type == "SIGNED_BY"}
    assert signed == {"Vàng Thị Mỷ", "Mè Văn Lả"}


def test_a_signature_column_may_wrap_its_place_and_print_that_it_was_signed() -> None:
    column = "PHÓ GIÁM ĐỐC SỞ Y TẾ\nTỈNH LAI CHÂU\n(Đã ký)\nMè Văn Lả"
    nodes, rels = graph_of("kh.txt", JOINT_PLAN.format(signatures=column))
    assert held(nodes, rels, "Mè Văn Lả") == [("Phó Giám đốc", "Sở Y tế tỉnh Lai Châu")]
    # capitals that name no body with its place begin no signature
    nodes, _ = graph_of("kh.txt", JOINT_PLAN.format(signatures="GIÁM ĐỐC SỞ\n(Đã ký)\nMè Văn Lả"))
    assert not [n for n in nodes.values() if n.kind == "Person"]
