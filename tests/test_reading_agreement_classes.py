"""Agreements in news of every kind: who signs, when, and about what; and what is no agreement.

Every text here was written for these tests; the people, pairings and dates are invented.
"""

from __future__ import annotations

from graph.text import fold
from ingest.extract import extract
from ingest.readers.text import read_text
from ingest.sectors import sector_statements


def agreements_of(text: str) -> list[tuple[list[str], str | None, list[str]]]:
    """(parties, signing date, sectors) of every agreement a news text yields."""
    graph, _ = extract(read_text("tin.txt", text.encode("utf-8"), "tin.txt"), "test")
    nodes = {n.id: n for n in graph.nodes}
    found = []
    for agreement in (n for n in graph.nodes if n.kind == "Agreement"):
        parties = sorted(nodes[r.end].name for r in graph.relationships if r.start == agreement.id and r.type == "PARTY")
        sectors = [nodes[r.end].name for r in graph.relationships if r.start == agreement.id and r.type == "COVERS"]
        found.append((parties, agreement.properties.get("date_signed"), sectors))
    return found


def test_a_region_counted_smaller_than_it_is_names_no_party() -> None:
    text = ("Hai huyện của 2 tỉnh Tây Nguyên ký kết nghĩa sau nhiều năm gắn bó\n\n"
            "Sáng 7/4/2024, huyện Đăk Glei (tỉnh Kon Tum) và huyện Krông Bông (tỉnh Đắk Lắk) ký kết nghĩa "
            "giai đoạn 2024 - 2029.\n")
    found = agreements_of(text)
    assert [parties for parties, _, _ in found] == [["Huyện Krông Bông", "Huyện Đắk Glei"]]


def test_a_body_of_both_places_is_each_place_s_body() -> None:
    text = ("Tin\n\nNgày 3/5/2024, Hội Nông dân hai tỉnh Cao Bằng và Hà Giang ký kết chương trình phối hợp "
            "giai đoạn 2024 - 2026.\n")
    (parties, date, _), = agreements_of(text)
    assert parties == ["Hội Nông dân tỉnh Cao Bằng", "Hội Nông dân tỉnh Hà Giang"]
    assert date == "2024-05-03"


def test_a_hospital_agreement_lists_its_specialties_and_an_added_field() -> None:
    sectors = sector_statements("Theo thỏa thuận, hai bệnh viện tập trung hợp tác vào các chuyên khoa: sản khoa; nhi "
                                "sơ sinh; ung bướu, cùng với nâng cao năng lực quản lý bệnh viện.")
    assert {"sản khoa", "nhi sơ sinh", "ung bướu", "nâng cao năng lực quản lý bệnh viện"} <= set(sectors)


def test_pairs_listed_in_the_sentence_of_their_group_take_its_month() -> None:
    text = ("Tin\n\nTrong tháng 3/2023, 2 xã của huyện Yên Mô (tỉnh Ninh Bình) đã lần lượt ký kết nghĩa với 2 xã của "
            "huyện Bảo Lạc (tỉnh Cao Bằng), cụ thể: xã Yên Thắng kết nghĩa với xã Cô Ba; xã Yên Thái kết "
            "nghĩa với xã Hưng Đạo.\n"
            "Theo biên bản kết nghĩa, mỗi cặp xã hợp tác trên các lĩnh vực: giáo dục; y tế; trồng rừng.\n")
    found = agreements_of(text)
    assert len(found) == 2
    for _, date, sectors in found:
        assert date == "2023-03"
        assert "trong rung" in [fold(s) for s in sectors]


def test_pairs_listed_as_x_twins_with_y_are_each_an_agreement() -> None:
    text = ("Tin\n\nChiều 12/4/2022, huyện Tiên Lữ (tỉnh Hưng Yên) và huyện Mường Lát (tỉnh Thanh Hóa) tổ chức Lễ ký kết "
            "kết nghĩa. Cùng dịp, 3 xã của huyện Tiên Lữ kết nghĩa với 3 xã của huyện Mường Lát.\n"
            "Các cặp xã kết nghĩa gồm: xã Thụy Lôi kết nghĩa với xã Trung Lý; xã Thủ Sỹ kết nghĩa với xã Pù Nhi; xã "
            "Lệ Xá kết nghĩa với xã Tam Chung.\n")
    pairs = [parties for parties, _, _ in agreements_of(text) if parties[0].startswith("Xã")]
    assert sorted(pairs) == [["Xã Lệ Xá", "Xã Tam Chung"], ["Xã Pù Nhi", "Xã Thủ Sỹ"], ["Xã Thụy Lôi", "Xã Trung Lý"]]
