"""Agreements in news of every kind: who signs, when, and about what; and what is no agreement.

Every text here was written for these tests; the people, pairings and dates are invented.
"""

from __future__ import annotations

from pathlib import Path

from graph.embedded import EmbeddedStore
from graph.text import fold
from ingest.extract import extract
from ingest.pipeline import ingest_bytes
from ingest.readers.text import read_text
from ingest.sectors import sector_labels, sector_statements


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


def test_a_contract_s_field_is_what_it_trades_in_without_its_amount() -> None:
    text = ("Tin\n\nSáng 3/4/2025, UBND tỉnh Yên Bái và UBND tỉnh Hậu Giang ký kết chương trình hợp tác về du lịch và "
            "thương mại. Cùng dịp, Công ty Cổ phần Chè Sương Mai ký hợp đồng bao tiêu 350 tấn chè búp tươi với Hợp tác "
            "xã Nông nghiệp Đồi Gió.\n")
    contract = next((parties, date, sectors) for parties, date, sectors in agreements_of(text)
                    if "Công ty Cổ phần Chè Sương Mai" in parties)
    assert contract == (["Công ty Cổ phần Chè Sương Mai", "Hợp tác xã Nông nghiệp Đồi Gió"], "2025-04-03",
                        ["bao tiêu chè búp tươi"])
    text = ("Tin\n\nNgày 9/9/2024, Công ty TNHH Gạo Đồng Xanh ký hợp đồng liên kết sản xuất 200 ha lúa thơm với Hợp tác "
            "xã Dịch vụ Nông nghiệp Bờ Kênh.\n")
    assert agreements_of(text) == [(["Công ty TNHH Gạo Đồng Xanh", "Hợp tác xã Dịch vụ Nông nghiệp Bờ Kênh"],
                                    "2024-09-09", ["liên kết sản xuất lúa thơm"])]


def test_a_school_called_truong_alone_signs_an_earlier_agreement_dated_by_month() -> None:
    # a school's own news calls it 'Trường'; the earlier agreement, with a province merged in 2025, is one of its own
    text = ("Tin\n\nNgày 6/10/2025, Trường Đại học Kỹ thuật Đồi Thông và UBND tỉnh Thái Nguyên ký kết thỏa thuận hợp "
            "tác giai đoạn 2025 - 2030 về đào tạo và chuyển đổi số.\n"
            "Trước đó, tháng 4/2019, Trường đã ký thỏa thuận hợp tác giai đoạn 2019 - 2024 với tỉnh Bắc Kạn, tập "
            "trung vào đào tạo nguồn nhân lực và chuyển giao giống chè.\n")
    found = {tuple(parties): (date, sectors) for parties, date, sectors in agreements_of(text)}
    assert found[("Trường Đại học Kỹ thuật Đồi Thông", "Tỉnh Bắc Kạn")] == (
        "2019-04", ["giáo dục", "đào tạo nguồn nhân lực", "chuyển giao giống chè"])
    assert found[("Trường Đại học Kỹ thuật Đồi Thông", "Tỉnh Thái Nguyên")][0] == "2025-10-06"


def test_a_signing_proposed_as_a_matter_is_no_agreement() -> None:
    text = ("Tin\n\nNgày 2/6/2024, Bệnh viện Đa khoa tỉnh Phú Yên và Trung tâm Y tế huyện Sông Hinh ký kết thỏa thuận "
            "hợp tác chuyển giao kỹ thuật. Được biết, bệnh viện cũng đang đề xuất với Sở Y tế việc ký kết hợp tác "
            "chuyên môn với Bệnh viện Phụ sản Đồi Cát trong thời gian tới.\n")
    assert [parties for parties, _, _ in agreements_of(text)] == [
        ["Bệnh viện Đa khoa tỉnh Phú Yên", "Trung tâm Y tế huyện Sông Hinh"]]
    # a signing done as a matter ('hoàn thành việc ký kết') is one; a cue inside a name ('Sở Xây dựng') is no proposal
    text = ("Tin\n\nNgày 2/6/2024, Sở Xây dựng tỉnh Phú Yên chứng kiến việc ký kết thỏa thuận hợp tác giữa UBND huyện "
            "Sông Hinh và UBND huyện Đồng Xuân.\n")
    assert [parties for parties, _, _ in agreements_of(text)] == [["Huyện Sông Hinh", "Huyện Đồng Xuân"]]


def test_the_last_va_of_a_list_between_semicolons_joins_two_fields() -> None:
    assert sector_labels("đo đạc địa chính; cấp giấy chứng nhận quyền sử dụng đất và chỉnh lý biến động hồ sơ địa "
                         "chính theo định kỳ") == [
        "đo đạc địa chính", "cấp giấy chứng nhận quyền sử dụng đất", "chỉnh lý biến động hồ sơ địa chính"]
    # one field with 'và' inside stays whole
    assert sector_labels("du lịch; khoa học và công nghệ") == ["du lịch", "khoa học và công nghệ"]


def test_a_plain_list_after_ve_closing_a_signing_keeps_items_of_up_to_nine_syllables() -> None:
    text = ("Tin\n\nNgày 8/8/2024, Trường Cao đẳng Nghề Đồi Thông và Công ty Cổ phần Cơ khí Sông Thương ký kết thỏa "
            "thuận hợp tác về bồi dưỡng kỹ năng vận hành dây chuyền hàn; tiếp nhận học viên thực tập.\n")
    (_, date, sectors), = agreements_of(text)
    assert date == "2024-08-08"
    assert {"bồi dưỡng kỹ năng vận hành dây chuyền hàn", "tiếp nhận học viên thực tập"} <= set(sectors)


def test_an_agreement_s_kind_and_the_relation_the_signing_makes_are_its_fields() -> None:
    text = ("Tin\n\nNgày 2/6/2024, Bệnh viện Đa khoa tỉnh Phú Yên và Trung tâm Y tế huyện Sông Hinh ký kết hợp đồng "
            "chuyển giao kỹ thuật, đồng thời công nhận Trung tâm Y tế huyện Sông Hinh là bệnh viện vệ tinh của Bệnh "
            "viện Đa khoa tỉnh Phú Yên trong các chuyên ngành nhi khoa và sản khoa.\n")
    (_, date, sectors), = agreements_of(text)
    assert date == "2024-06-02"
    assert {"chuyển giao kỹ thuật", "bệnh viện vệ tinh", "nhi khoa", "sản khoa"} <= set(sectors)


def test_a_hospital_asked_by_its_initials_bv_hndk(tmp_path: Path) -> None:
    text = ("Tin\n\nNgày 2/6/2024, Bệnh viện Hữu nghị Đa khoa tỉnh Quảng Trị ký kết thỏa thuận hợp tác chuyển giao kỹ "
            "thuật với Trung tâm Y tế huyện Hướng Hóa. Hai bên cũng hợp tác đào tạo điều dưỡng tại chỗ.\n"
            "Đầu mối liên hệ: ThS. Hồ Thị Lanh, Trưởng phòng Chỉ đạo tuyến, BV HNĐK Quảng Trị.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_bv.txt", text.encode()).status == "added"
    (agreement,) = store.agreements_between("BV HNĐK Quảng Trị", "Trung tâm Y tế huyện Hướng Hóa")
    assert agreement.date == "2024-06-02" and "đào tạo điều dưỡng" in agreement.sectors
    # written with its initials in the text, the hospital is the one node its full name makes
    assert [p.organization for p in store.person("Hồ Thị Lanh")] == ["Bệnh viện Hữu nghị Đa khoa tỉnh Quảng Trị"]
