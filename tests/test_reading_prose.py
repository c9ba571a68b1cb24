"""Reading unseen documents: people, sectors, commitments and agreements in prose, and tables.

Every text here was written for these tests; the names, places' pairings and phones are invented.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.text import fold
from ingest.agreements import agreement_clauses, find_agreement, parties_in, party_fields, separate_pairs
from ingest.commitments import commitments_in, named_from_before, named_in_full, taking_up
from ingest.dates import month_dates
from ingest.extract import extract
from ingest.gazetteer import ancestors
from ingest.localities import find_localities, reading
from ingest.news import without_dateline
from ingest.normalize import clean, expand
from ingest.orgs import parse_org
from ingest.people import parse_contact, people_in_sentence, prose_contact, prose_contacts
from ingest.pipeline import ingest_bytes
from ingest.plan import first_person
from ingest.readers.text import blocks_from_lines, read_text
from ingest.sectors import bullet_sectors, respelled, sector_labels, sector_statements
from ingest.tables import read_appendices

HEADER = "STT\tNội dung công việc\tCơ quan chủ trì\tCơ quan phối hợp\tSản phẩm\tThời gian thực hiện\tĐịa điểm\tĐầu mối liên hệ"


def positions(sentence: str) -> dict[str, list[tuple[str, str]]]:
    """Name -> (title, organization) pairs read from one sentence of prose."""
    return {p.name: [(pos.title, pos.org.name if pos.org else "") for pos in p.positions]
            for p in people_in_sentence(expand(clean(sentence)), None)}


def extract_localities(text: str) -> list[str]:
    return [m.unit.name for m in find_localities(expand(text))]


def graph_of(name: str, text: str) -> tuple[dict[str, object], list[object]]:
    graph, _ = extract(read_text(name, text.encode("utf-8"), name), "test")
    return {n.id: n for n in graph.nodes}, graph.relationships


def related(nodes: dict, rels: list, start_name: str, rel_type: str) -> list[str]:
    starts = {i for i, n in nodes.items() if n.name == start_name}
    return [nodes[r.end].name for r in rels if r.start in starts and r.type == rel_type]


# --- people in prose -------------------------------------------------------------------------

def test_a_coordinated_list_gives_each_person_their_own_titles() -> None:
    found = positions("Ký kết có ông Đào Văn Khải - Phó Bí thư Huyện ủy, Chủ tịch UBND huyện Krông Bông và "
                      "bà Mạc Thị Huyền - Phó Chủ tịch UBND Quận 8, cùng lãnh đạo các phòng, ban của Quận 8.")
    assert found["Đào Văn Khải"] == [("Phó Bí thư", "Huyện ủy huyện Krông Bông"),
                                     ("Chủ tịch", "Ủy ban nhân dân huyện Krông Bông")]
    assert found["Mạc Thị Huyền"] == [("Phó Chủ tịch", "Ủy ban nhân dân Quận 8")]


def test_a_dao_surname_starts_a_name_in_a_list_of_comrades() -> None:
    found = positions("Tới dự có các đồng chí: Vàng Văn Pao – Bí thư Huyện ủy Mường Tè; Tẩn Thị Dín – Chủ tịch Ủy "
                      "ban MTTQ huyện Mường Tè cùng lãnh đạo các phòng, ban của huyện.")
    assert found["Tẩn Thị Dín"] == [("Chủ tịch", "Ủy ban Mặt trận Tổ quốc huyện Mường Tè")]


def test_a_comma_before_va_does_not_hide_where_the_next_person_begins() -> None:
    # "..., và T2 ORG2 Name": the next person's title and body are written before the name
    found = positions("Dự lễ ký có ông Triệu Minh Sang, Giám đốc Sở Công Thương tỉnh Yên Bái, và Phó Giám đốc "
                      "Sở Công Thương tỉnh Bình Phước Lương Thị Duyên.")
    assert found["Triệu Minh Sang"] == [("Giám đốc", "Sở Công Thương tỉnh Yên Bái")]
    assert found["Lương Thị Duyên"] == [("Phó Giám đốc", "Sở Công Thương tỉnh Bình Phước")]


def test_names_then_their_titles_respectively() -> None:
    found = positions("Tham dự có ông Đặng Quốc Vinh và bà Phùng Thị Lài, lần lượt là Bí thư Huyện ủy và Chủ tịch UBND "
                      "huyện Đức Cơ; về phía tỉnh Hà Nam có ông Kiều Văn Sang, Phó Chủ tịch UBND tỉnh Hà Nam.")
    assert found["Đặng Quốc Vinh"] == [("Bí thư", "Huyện ủy huyện Đức Cơ")]
    assert found["Phùng Thị Lài"] == [("Chủ tịch", "Ủy ban nhân dân huyện Đức Cơ")]
    # as many titles as names, or nothing is sure
    unsure = positions("Có ông Đặng Quốc Vinh và bà Phùng Thị Lài, lần lượt là lãnh đạo Huyện ủy, UBND huyện Đức Cơ.")
    assert "Phùng Thị Lài" not in unsure


def test_one_title_then_names_each_with_its_body_in_brackets_respectively() -> None:
    found = positions("Ký biên bản là Giám đốc hai đơn vị, lần lượt là TS.BS Quách Văn Dũng (Bệnh viện Đa khoa tỉnh "
                      "Hòa Bình) và BSCKII Nông Thị Hảo (BVĐK tỉnh Cao Bằng).")
    assert found["Quách Văn Dũng"] == [("Giám đốc", "Bệnh viện Đa khoa tỉnh Hòa Bình")]
    assert found["Nông Thị Hảo"] == [("Giám đốc", "Bệnh viện Đa khoa tỉnh Cao Bằng")]
    # a name without its body in brackets: nothing is sure
    unsure = positions("Ký biên bản là Giám đốc hai đơn vị, lần lượt là ông Quách Văn Dũng (Bệnh viện Đa khoa tỉnh "
                       "Hòa Bình) và bà Nông Thị Hảo.")
    assert unsure == {}


def test_a_title_held_concurrently_is_held_in_the_body_named_after_it() -> None:
    found = positions("Ký kết có bà Chu Thị Lan - Chủ tịch HĐQT kiêm TGĐ Công ty Cổ phần Chè Sương Mai.")
    assert found["Chu Thị Lan"] == [("Chủ tịch Hội đồng quản trị", "Công ty Cổ phần Chè Sương Mai"),
                                    ("Tổng Giám đốc", "Công ty Cổ phần Chè Sương Mai")]


def test_a_title_before_the_name_after_a_semicolon_belongs_to_that_name() -> None:
    found = positions("Dự lễ có bà Kha Thị Mỹ - Phó Chủ tịch UBND tỉnh Bạc Liêu; Phó Giám đốc Sở Y tế tỉnh "
                      "Bạc Liêu Tiêu Văn Bền và ông Ông Văn Tài, Giám đốc Bệnh viện Đa khoa tỉnh Bạc Liêu.")
    assert found["Kha Thị Mỹ"] == [("Phó Chủ tịch", "Ủy ban nhân dân tỉnh Bạc Liêu")]
    assert found["Tiêu Văn Bền"] == [("Phó Giám đốc", "Sở Y tế tỉnh Bạc Liêu")]


def test_a_title_in_charge_or_acting_keeps_its_qualifier() -> None:
    found = positions("Ký kết có ông Vi Văn Sáng, Phó Giám đốc phụ trách Sở Du lịch tỉnh Hà Nam và bà Lò Thị Vui - "
                      "Quyền Giám đốc Sở Y tế tỉnh Hà Nam.")
    assert found["Vi Văn Sáng"] == [("Phó Giám đốc phụ trách", "Sở Du lịch tỉnh Hà Nam")]
    assert found["Lò Thị Vui"] == [("Quyền Giám đốc", "Sở Y tế tỉnh Hà Nam")]


def test_a_degree_before_a_name_is_not_part_of_it() -> None:
    found = positions("Ký văn bản là PGS.TS.BS Lư Quang Vĩnh, Phó Giám đốc Bệnh viện Thống Nhất và "
                      "BS.CKII Kiên Thị Sa, Giám đốc Bệnh viện Đa khoa tỉnh Hậu Giang.")
    assert found["Lư Quang Vĩnh"] == [("Phó Giám đốc", "Bệnh viện Thống Nhất")]
    assert found["Kiên Thị Sa"] == [("Giám đốc", "Bệnh viện Đa khoa tỉnh Hậu Giang")]


def test_a_member_title_without_a_body_does_not_take_the_next_title_s_body() -> None:
    found = positions("Ông Lục Văn Sáng, Tỉnh ủy viên, Giám đốc Sở Kế hoạch và Đầu tư tỉnh Cao Bằng cho biết.")
    assert ("Giám đốc", "Sở Kế hoạch và Đầu tư tỉnh Cao Bằng") in found["Lục Văn Sáng"]


def test_a_title_at_the_commune_s_committee_in_a_contact_cell_is_the_cell_s_body() -> None:
    outer, person = parse_contact(expand("UBND xã Tân Thử (Ông Kim Văn Đen - Phó Chủ tịch UBND xã; ĐT: 0299.3000.111)"), None)
    assert person is not None and person.positions[0].org == outer
    assert person.phone == "0299.3000.111"



def contact_position(cell: str, default_locality_text: str | None = None) -> tuple[str, str]:
    """(title, organization) of the person a contact cell names."""
    default = find_localities(default_locality_text)[0].unit if default_locality_text else None
    _, person = parse_contact(expand(cell), default)
    assert person is not None and person.positions
    position = person.positions[0]
    return position.title, position.org.name if position.org else ""


def test_a_department_named_with_commas_keeps_its_whole_name_and_its_own_province() -> None:
    written = "Ông Hà Quốc Lâm, Phó Giám đốc Sở Văn hóa, Thể thao và Du lịch tỉnh Điện Biên, ĐT: 0981 400 512"
    assert contact_position(written, "tỉnh Bạc Liêu") == ("Phó Giám đốc", "Sở Văn hóa, Thể thao và Du lịch tỉnh Điện Biên")
    for short in ("Sở VH-TT&DL", "Sở VHTTDL", "Sở VHTT&DL"):
        cell = f"Bà Vi Thị Sen, Giám đốc {short} tỉnh Điện Biên, ĐT: 0981 400 513"
        assert contact_position(cell, "tỉnh Bạc Liêu") == ("Giám đốc", "Sở Văn hóa, Thể thao và Du lịch tỉnh Điện Biên")
    dashed = "Ông Lò Văn Phiêng - Trưởng phòng Sở Lao động - Thương binh và Xã hội tỉnh Lai Châu; ĐT: 0981 400 514"
    assert contact_position(dashed) == ("Trưởng phòng", "Sở Lao động - Thương binh và Xã hội tỉnh Lai Châu")


def test_a_centre_whose_name_goes_on_after_a_comma_keeps_it_written_out_or_in_short() -> None:
    full = "Ông Đinh Công Tước, Phó Giám đốc Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh Kon Tum, ĐT: 0981 400 515"
    short = "Bà Y Hồng Nhung, Giám đốc Trung tâm XTĐT, TM&DL tỉnh Kon Tum, ĐT: 0981 400 516"
    centre = "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh Kon Tum"
    assert contact_position(full, "tỉnh Cà Mau") == ("Phó Giám đốc", centre)
    assert contact_position(short, "tỉnh Cà Mau") == ("Giám đốc", centre)  # "ĐT" ends "XTĐT": no phone label there


def test_a_name_not_known_to_hold_a_comma_is_cut_at_it() -> None:
    cell = "Ông Đinh Công Tước, Phó Giám đốc Trung tâm Dịch vụ Khách hàng, Sở Công Thương tỉnh Kon Tum, ĐT: 0981 400 517"
    assert contact_position(cell, "tỉnh Kon Tum") == ("Phó Giám đốc", "Trung tâm Dịch vụ Khách hàng tỉnh Kon Tum")


def test_a_title_chain_in_prose_keeps_a_department_named_with_commas() -> None:
    found = positions("Bà Lường Thị Xuân, Tỉnh ủy viên, Giám đốc Sở Văn hóa, Thể thao và Du lịch tỉnh Hà Giang phát biểu.")
    assert ("Giám đốc", "Sở Văn hóa, Thể thao và Du lịch tỉnh Hà Giang") in found["Lường Thị Xuân"]


def test_a_bracket_repeating_the_name_in_short_is_not_part_of_the_name() -> None:
    assert parse_org(expand("Sở Khoa học và Công nghệ (KH&CN) Yên Bái"), None).name == "Sở Khoa học và Công nghệ tỉnh Yên Bái"
    found = positions("Phó Giám đốc Sở Nông nghiệp và Phát triển nông thôn (NN&PTNT) Bắc Kạn Triệu Văn Quang cho biết.")
    assert found["Triệu Văn Quang"] == [("Phó Giám đốc", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Bắc Kạn")]


# --- sectors in prose ----------------------------------------------------------------------------

def test_a_numbered_list_keeps_its_labels_as_written() -> None:
    found = sector_statements(expand("Thỏa thuận xác định 4 nhóm nội dung: (1) kết nối cung - cầu; (2) phát triển "
                                     "du lịch sinh thái; (3) thích ứng với biến đổi khí hậu; (4) chuyển đổi số."))
    for label in ("kết nối cung - cầu", "phát triển du lịch sinh thái", "thích ứng với biến đổi khí hậu", "chuyển đổi số"):
        assert label in found
    assert "thương mại" in found and "du lịch" in found  # the canonical sectors too


def test_fields_after_a_cue_split_at_semicolons_or_commas() -> None:
    assert {"quy hoạch, thu hút đầu tư", "y tế"} <= set(sector_statements(
        "Hai bên hợp tác trên các lĩnh vực: quy hoạch, thu hút đầu tư; nông nghiệp; y tế."))
    assert {"tim mạch can thiệp", "ung bướu"} <= set(sector_statements(
        "Hai bệnh viện hợp tác trong các chuyên ngành: tim mạch can thiệp, ung bướu (xạ trị) và sản khoa."))


def test_fields_after_tap_trung_alone_closing_a_signing_are_read() -> None:
    sentence = ("Hội Nông dân tỉnh Kon Tum và Hội Nông dân tỉnh Hậu Giang ký kết chương trình phối hợp giai đoạn "
                "2026 – 2030, tập trung chuyển giao giống cây trồng; xây dựng \"Tổ hợp tác kiểu mẫu\"; giao lưu "
                "ẩm thực dân tộc.")
    assert {"chuyển giao giống cây trồng", 'xây dựng "Tổ hợp tác kiểu mẫu"', "giao lưu ẩm thực dân tộc"} <= set(
        sector_statements(expand(sentence)))
    assert sector_statements(expand("Hai bên sẽ tập trung chỉ đạo các sở, ngành triển khai kế hoạch.")) == []


def test_industry_and_trade_is_a_field_of_its_own() -> None:
    assert sector_statements("Hai bên hợp tác trên các lĩnh vực giáo dục; công thương, đầu tư; văn hóa.") == [
        "giáo dục", "công thương", "đầu tư", "văn hóa"]


def test_agreeing_on_something_lists_fields_only_when_a_list_follows() -> None:
    assert sector_statements(expand("Hai bên thống nhất giao Sở Y tế tỉnh Hà Nam chủ trì xây dựng kế hoạch.")) == []
    assert sector_statements(expand("Hai bên thống nhất 3 nội dung: (1) du lịch; (2) y tế; (3) chuyển đổi số.")) == [
        "du lịch", "y tế", "chuyển đổi số"]


def test_a_type_word_before_lower_case_words_names_no_unit() -> None:
    found = extract_localities("Sau hội nghị, lãnh đạo hai huyện thống nhất tổ chức hội chợ tại huyện Thống Nhất.")
    assert found == ["Huyện Thống Nhất"]  # once: the capitalised one


def test_a_long_item_s_label_ends_where_it_goes_on_about_the_field_and_a_typo_is_respelled() -> None:
    found = sector_statements(expand(
        "Hai trường hợp tác trong các nội dung: đào tạo bác sĩ ngành y tế dự phòng giữa hai khoa chuyên môn của hai "
        "trường; liên kết doanh nghiệp lễ hành mở tuyến Mộc Châu - Cần Giờ; chia sẻ học liệu số; Trường Cao đẳng Thử "
        "nhận sinh viên thực tập tại các trạm y tế xã."))
    assert "đào tạo bác sĩ ngành y tế dự phòng" in found
    assert "liên kết doanh nghiệp lữ hành mở tuyến" in found  # 'lễ hành' is one letter off the sector term
    assert "chia sẻ học liệu số" in found
    assert not [label for label in found if label.lower().startswith("trường")]  # a sentence, not a label
    assert respelled("nông nghiệp, thủy sản") == "nông nghiệp, thủy sản"  # both words of the dictionary
    assert respelled("tỉnh Lâm Đồng") == "tỉnh Lâm Đồng"  # a name is not 'lao động'
    assert sector_statements(expand("Kế hoạch có 3 nội dung chính về thu hút đầu tư.")) == []  # no list follows


def test_a_bullet_s_label_is_the_words_before_its_colon() -> None:
    assert bullet_sectors("- Lĩnh vực y tế, chăm sóc sức khỏe: quận hỗ trợ khám bệnh cho bà con.") == ["y tế", "y tế, chăm sóc sức khỏe"]
    assert bullet_sectors("- Công tác thanh niên: tổ chức chiến dịch tình nguyện.") == ["công tác thanh niên"]
    assert bullet_sectors("2. Công tác thanh niên: tổ chức chiến dịch tình nguyện.") == ["công tác thanh niên"]


def test_bullets_under_an_introducing_line_are_the_agreement_s_fields() -> None:
    text = ("TIN TỨC\n\nNgày 5/3/2024, UBND tỉnh Phú Thọ và UBND tỉnh Bình Phước ký kết thỏa thuận hợp tác giai đoạn "
            "2024 - 2026 tại tỉnh Phú Thọ với nhiều nội dung thiết thực cho người dân hai tỉnh.\n"
            "Đối với tỉnh Bình Phước, nội dung hợp tác gồm:\n- Chế biến hạt điều xuất khẩu;\n- Du lịch.\n")
    nodes, rels = graph_of("tin.txt", text)
    (agreement,) = [n for n in nodes.values() if n.kind == "Agreement"]
    assert {"chế biến hạt điều xuất khẩu", "du lịch"} <= set(related(nodes, rels, agreement.name, "COVERS"))


def test_numbered_items_under_an_introducing_line_are_the_agreement_s_fields_too() -> None:
    text = ("TIN TỨC\n\nSáng 8/6/2024, UBND tỉnh Yên Bái ký kết thỏa thuận hợp tác với UBND tỉnh Trà Vinh "
            "giai đoạn 2024 - 2028.\n"
            "Thỏa thuận tập trung vào 3 lĩnh vực:\n"
            "1. Thủy sản: liên kết vùng nuôi cá nước lạnh;\n"
            "2) Giáo dục - đào tạo: trao đổi giáo viên;\n"
            "3. Chế biến dược liệu: xây dựng nhà máy sơ chế quế.\n")
    nodes, rels = graph_of("tin.txt", text)
    (agreement,) = [n for n in nodes.values() if n.kind == "Agreement"]
    assert {"thủy sản", "giáo dục - đào tạo", "chế biến dược liệu"} <= set(related(nodes, rels, agreement.name, "COVERS"))


def test_a_signing_with_each_party_in_turn_gives_each_pair_its_own_agreement_and_the_shared_fields() -> None:
    for cue in ("UBND tỉnh Lào Cai lần lượt ký kết thỏa thuận hợp tác với từng tỉnh: Bến Tre, Hậu Giang và Kon Tum.",
                "UBND tỉnh Lào Cai ký kết thỏa thuận hợp tác với tỉnh Bến Tre, tỉnh Hậu Giang và tỉnh Kon Tum. "
                "Đây là ba thỏa thuận song phương riêng biệt."):
        text = (f"Lào Cai ký kết hợp tác với 3 tỉnh Bến Tre, Hậu Giang, Kon Tum\n\nSáng 2/4/2024, {cue}\nCác thỏa thuận tập trung vào 2 lĩnh vực:\n1. Du lịch: tour chung;\n2. Thủy sản: giống tôm.\n")
        nodes, rels = graph_of("tin.txt", text)
        agreements = [n for n in nodes.values() if n.kind == "Agreement"]
        assert len(agreements) == 3
        for agreement in agreements:
            assert {"du lịch", "thủy sản"} <= set(related(nodes, rels, agreement.name, "COVERS"))


def test_a_renewal_for_a_new_period_is_its_own_agreement_with_its_own_date() -> None:
    text = ("Tin\n\nNgày 12/6/2024, UBND tỉnh Quảng Ninh và UBND tỉnh Điện Biên tổ chức hội nghị tổng kết Thỏa thuận "
            "hợp tác giai đoạn 2019 - 2024 và ký kết Chương trình hợp tác giai đoạn 2024 - 2029.\n"
            "Thỏa thuận hợp tác giai đoạn 2019 - 2024 được hai địa phương ký ngày 14/3/2019 tại Điện Biên, tập trung "
            "vào hai lĩnh vực y tế và du lịch.\n")
    nodes, _ = graph_of("tin.txt", text)
    dates = sorted(n.properties.get("date_signed") for n in nodes.values() if n.kind == "Agreement")
    assert dates == ["2019-03-14", "2024-06-12"]



def test_pairs_twinned_at_a_signing_ceremony_after_menu_lines_take_the_ceremony_s_day() -> None:
    text = ("Trang chủ | Liên hệ\n\nTIN TỨC   VĂN HÓA   THỂ THAO\n\n"
            "Huyện Tam Đảo và huyện Lâm Thao ký kết kết nghĩa\n\nThứ năm, 05/10/2023 - 07:00\n\n"
            "Sáng 4/10, UBND huyện Tam Đảo và UBND huyện Lâm Thao tổ chức lễ ký kết kết nghĩa, đồng thời ký kết "
            "kết nghĩa giữa 2 cặp xã của hai huyện.\n\nHai cặp xã kết nghĩa gồm:\n\n"
            "- Xã Đại Đình kết nghĩa với xã Sơn Vi;\n\n- Xã Hồ Sơn kết nghĩa với xã Xuân Huy.\n")
    nodes, _ = graph_of("tin.txt", text)
    dates = [n.properties.get("date_signed") for n in nodes.values() if n.kind == "Agreement"]
    assert dates == ["2023-10-04"] * 3


# --- commitments in news ----------------------------------------------------------------------------

def test_a_body_that_leads_a_task_with_its_helpers_time_and_place() -> None:
    (found,) = commitments_in(expand("Theo kế hoạch, Sở Công Thương tỉnh Nam Định sẽ chủ trì tổ chức \"Phiên chợ "
                                     "nông sản Nam Định tại Hà Nội\" tại quận Cầu Giấy vào tháng 9/2024; Sở Công "
                                     "Thương Hà Nội phối hợp bố trí địa điểm."))
    assert found.task == "Phiên chợ nông sản Nam Định tại Hà Nội"
    assert found.lead.name == "Sở Công Thương tỉnh Nam Định"
    assert [o.name for o in found.coordinators] == ["Sở Công Thương Thành phố Hà Nội"]
    assert found.timeframe == "2024-09" and found.place == "quận Cầu Giấy"


def test_a_task_led_by_a_body_written_after_do() -> None:
    (found,) = commitments_in(expand("- Hội thi ẩm thực hai vùng năm 2025 do Trung tâm Xúc tiến Du lịch tỉnh Hà Nam "
                                     "chủ trì, Sở Du lịch tỉnh Bến Tre hỗ trợ gian hàng;"))
    assert found.task == "Hội thi ẩm thực hai vùng năm 2025"
    assert found.lead.name == "Trung tâm Xúc tiến Du lịch tỉnh Hà Nam"
    assert [o.name for o in found.coordinators] == ["Sở Du lịch tỉnh Bến Tre"]


def test_a_lead_that_names_its_helper_before_the_task() -> None:
    (found,) = commitments_in(expand("Hai bên thống nhất: UBND huyện Mèo Vạc chủ trì, phối hợp với UBND Quận 11 tổ "
                                     "chức \"Ngày hội văn hóa vùng cao\" tại Quận 11 trong quý IV/2024."))
    assert (found.task, found.lead.name) == ("Ngày hội văn hóa vùng cao", "Ủy ban nhân dân huyện Mèo Vạc")
    assert [o.name for o in found.coordinators] == ["Ủy ban nhân dân Quận 11"] and found.timeframe == "2024-Q4"


def test_a_lead_with_no_task_after_it_leads_the_task_the_clause_before_organises() -> None:
    sentence = expand("Hai bên thống nhất tổ chức Hội chợ hàng Việt miền núi tại phường Đông Sơn vào tháng 3/2026; "
                      "UBND phường Đông Sơn chủ trì, bố trí mặt bằng tại công viên trung tâm.")
    (found,) = commitments_in(sentence)
    assert (found.task, found.lead.name) == ("Hội chợ hàng Việt miền núi", "Ủy ban nhân dân phường Đông Sơn")
    assert commitments_in(expand("UBND xã Ea Kar chủ trì, bố trí mặt bằng tại công viên trung tâm.")) == []
    led = commitments_in(expand("Sở Công Thương tỉnh Ninh Bình chủ trì tổ chức Hội chợ nông sản vùng cao; "
                                "UBND phường Đông Sơn chủ trì, bố trí mặt bằng."))
    assert [c.lead.name for c in led] == ["Sở Công Thương tỉnh Ninh Bình"]
    (helped,) = commitments_in(expand("Sở Xây dựng tỉnh Ninh Bình chủ trì, phối hợp với Sở Xây dựng tỉnh Nam Định "
                                      "hoàn thiện phương án nâng cấp đường ven sông."))
    assert "phương án nâng cấp đường ven sông" in helped.task and helped.lead.name == "Sở Xây dựng tỉnh Ninh Bình"


def test_a_commune_whose_name_goes_on_is_not_a_shorter_commune_of_the_gazetteer() -> None:
    # "xã Phong Mỹ Quyết" (a commune the gazetteer does not know) is not "xã Phong Mỹ"; when unsure, nothing
    assert "Xã Phong Mỹ" not in extract_localities("Đoàn đến thăm xã Phong Mỹ Quyết, huyện Phong Điền.")
    assert "Xã Phong Mỹ" in extract_localities("Đoàn đến thăm xã Phong Mỹ, huyện Phong Điền.")


def test_a_locality_as_the_subject_of_leading_is_its_people_s_committee() -> None:
    (found,) = commitments_in(expand("Ông Lò Văn Sáu cho biết, Hà Nam sẽ chủ trì đoàn khảo sát vùng lúa chất lượng cao "
                                     "vào tháng 6/2024."))
    assert (found.task, found.lead.name, found.timeframe) == (
        "đoàn khảo sát vùng lúa chất lượng cao", "Ủy ban nhân dân tỉnh Hà Nam", "2024-06")
    assert commitments_in(expand("Hai tỉnh sẽ chủ trì đoàn khảo sát vùng nguyên liệu.")) == []  # no named unit


def test_a_time_written_before_the_leading_body_opens_its_clause() -> None:
    (found,) = commitments_in(expand("Hai bên thống nhất, năm 2027 Sở Công Thương tỉnh Yên Bái chủ trì, phối hợp với "
                                     "Sở Công Thương tỉnh Bến Tre tổ chức Tuần lễ quảng bá trái cây Bến Tre tại Yên Bái "
                                     "vào tháng 9/2027."))
    assert (found.task, found.lead.name, [c.name for c in found.coordinators], found.timeframe) == (
        "Tuần lễ quảng bá trái cây Bến Tre", "Sở Công Thương tỉnh Yên Bái", ["Sở Công Thương tỉnh Bến Tre"], "2027-09")
    # with no comma, "năm 2027" may end the words before ("thống nhất năm 2027 ..."): who leads is not read
    assert commitments_in(expand("Hai bên thống nhất năm 2027 Sở Công Thương tỉnh Yên Bái chủ trì hội nghị.")) == []


def test_the_body_that_receives_a_gift_and_builds_leads_the_works_it_pays_for() -> None:
    gift = expand("Dịp này, tỉnh Phú Thọ trao tặng 4 tỷ đồng hỗ trợ xây dựng 80 căn nhà ở cho hộ nghèo, hộ cận nghèo "
                  "tại các bản vùng cao tỉnh Lai Châu.")
    carried_out = {
        "Khoản hỗ trợ được chuyển cho Ủy ban MTTQ Việt Nam tỉnh Lai Châu; Ủy ban MTTQ Việt Nam tỉnh Lai Châu chịu "
        "trách nhiệm tiếp nhận, phân bổ và tổ chức xây dựng các căn nhà.": "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lai Châu",
        "Số tiền được chuyển về Ủy ban MTTQ Việt Nam huyện Phong Thổ để tổ chức xây dựng, hoàn thành trước Tết.":
            "Ủy ban Mặt trận Tổ quốc Việt Nam huyện Phong Thổ",
        "Số tiền được trao cho Ủy ban MTTQ Việt Nam tỉnh Lai Châu để tiếp nhận, phân bổ và giám sát việc xây dựng.":
            "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lai Châu",
        "Theo ông Lò Văn Pản, UBND xã Mường So sẽ tiếp nhận kinh phí và tổ chức xây dựng công trình.":
            "Ủy ban nhân dân xã Mường So",
    }
    for sentence, lead in carried_out.items():
        (found,) = [taking_up(c, gift) for c in commitments_in(expand(sentence))]
        assert (found.task, found.lead.name) == ("Xây dựng 80 căn nhà ở cho hộ nghèo", lead)
        assert "hộ cận nghèo tại các bản vùng cao" in found.full  # the whole purpose, as a reader may ask for it
    # receiving the money alone carries nothing out
    assert commitments_in(expand("UBND xã Mường So sẽ tiếp nhận số tiền này.")) == []


def test_an_event_named_by_its_kind_alone_is_the_one_the_article_named_in_full() -> None:
    (found,) = commitments_in(expand("Lễ hội do Sở Văn hóa, Thể thao và Du lịch tỉnh Thái Nguyên chủ trì tổ chức, phối hợp "
                                     "với Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ, gồm 30 gian hàng trà."))
    # a helper's name ends at a comma outside it: what follows tells of the event
    assert [c.name for c in found.coordinators] == ["Sở Văn hóa, Thể thao và Du lịch Thành phố Cần Thơ"]
    told = ["Khai mạc Lễ hội Trà Thái Nguyên tại Cần Thơ", "Tối 5/3, Lễ hội Trà Thái Nguyên tại Cần Thơ đã khai mạc.",
            "Lễ hội kéo dài ba ngày."]
    named = named_in_full(found, told)
    assert (named.task, named.lead.name) == ("Lễ hội Trà Thái Nguyên", "Sở Văn hóa, Thể thao và Du lịch tỉnh Thái Nguyên")
    assert "tại Cần Thơ" in named.full
    # two festivals named before: which one is meant is not clear
    assert named_in_full(found, [*told, "Lễ hội Hoa Mận Mộc Châu cũng diễn ra."]).task == "Lễ hội"


def test_the_investor_named_after_a_groundbreaking_leads_the_works_begun() -> None:
    before = expand("Chiều cùng ngày, Công ty đã phối hợp tổ chức lễ khởi công xây dựng Trường Mầm non Hoa Sen tại thôn 3, "
                    "xã Mường Lói, với tổng kinh phí 4 tỷ đồng do Công ty tài trợ.")
    (investor,) = commitments_in(expand("UBND xã Mường Lói làm chủ đầu tư, dự kiến hoàn thành trong năm 2027."))
    found = taking_up(investor, before)
    assert (found.task, found.lead.name) == ("Xây dựng Trường Mầm non Hoa Sen", "Ủy ban nhân dân xã Mường Lói")
    assert "xã Mường Lói" in found.full
    # two groundbreakings before: which works the investor carries out is not clear
    twice = expand("Hai bên khởi công xây dựng Trường Mầm non Hoa Sen và khởi công xây dựng cầu Nậm Ma.")
    assert taking_up(investor, twice) == investor


def test_hosting_leads_and_a_leading_time_or_assignment_is_not_part_of_a_name() -> None:
    (hosted,) = commitments_in(expand("Tháng 9/2025, Hội nghị kết nối giao thương sẽ do UBND tỉnh Cà Mau đăng cai tổ chức."))
    assert (hosted.task, hosted.lead.name, hosted.timeframe) == (
        "Hội nghị kết nối giao thương", "Ủy ban nhân dân tỉnh Cà Mau", "2025-09")
    (assigned,) = commitments_in(expand("Sở Du lịch tỉnh Cà Mau được giao chủ trì xây dựng tour liên tuyến."))
    assert assigned.lead.name == "Sở Du lịch tỉnh Cà Mau"
    assert commitments_in(expand("Lãnh đạo hai tỉnh gặp nhau mỗi năm, luân phiên đăng cai.")) == []


def test_a_gift_with_its_amount_is_a_task_its_giver_leads() -> None:
    (gift,) = commitments_in(expand("Ngay tại buổi lễ, huyện Nga Sơn trao tặng huyện Quế Phong 300 suất quà cho học sinh."))
    assert (gift.task, gift.lead.name) == ("Trao tặng huyện Quế Phong 300 suất quà cho học sinh",
                                           "Ủy ban nhân dân huyện Nga Sơn")
    (fund,) = commitments_in(expand("Nhân dịp này, Sở Y tế tỉnh Hà Nam trao tặng Trạm Y tế xã Thử 01 máy siêu âm."))
    assert fund.lead.name == "Sở Y tế tỉnh Hà Nam"
    assert commitments_in(expand("Quận 3 hỗ trợ huyện Krông Bông tổ chức các đợt khám bệnh cho đồng bào.")) == []  # no amount


def test_a_gift_for_a_purpose_does_not_make_the_giver_its_lead() -> None:
    for text in ("Ngay tại buổi lễ, huyện Nga Sơn trao hỗ trợ 2,5 tỷ đồng để xây dựng 40 nhà đại đoàn kết cho hộ nghèo "
                 "huyện Quế Phong.",
                 "Phường Hòa Khánh trao tặng xã Ea Tiêu 150 triệu đồng hỗ trợ sửa chữa Trường Mầm non Hoa Ban.",
                 "Theo kế hoạch, UBND huyện Thạch Khê hỗ trợ 4 tỷ đồng xây dựng Trường Tiểu học xã Đắk Rơ."):
        assert commitments_in(expand(text)) == []
    (built,) = commitments_in(expand("UBND huyện Quế Phong giao Phòng Lao động - Thương binh và Xã hội huyện chủ trì, "
                                     "phối hợp với UBND xã Châu Kim tổ chức xây dựng nhà trước tháng 12/2024."))
    assert built.lead.body == "Phòng Lao động - Thương binh và Xã hội"


def test_a_task_taking_up_the_purpose_of_a_gift_is_that_purpose_led_by_the_body_assigned(tmp_path: Path) -> None:
    news = ("Hai huyện kết nghĩa\n\n"
            "Ngày 5/5/2022, huyện Bình Lục (tỉnh Hà Nam) và huyện Đức Cơ (tỉnh Gia Lai) đã ký kết chương trình kết "
            "nghĩa giai đoạn 2022 - 2027 với nhiều nội dung hợp tác thiết thực cho nhân dân hai huyện.\n"
            "Nhân dịp này, huyện Bình Lục trao tặng huyện Đức Cơ 450 triệu đồng để hỗ trợ xây dựng 09 nhà tình nghĩa "
            "cho hộ nghèo xã Ia Pnôn. UBND huyện Đức Cơ giao Phòng Lao động - Thương binh và Xã hội huyện Đức Cơ chủ "
            "trì tổ chức xây dựng, bàn giao nhà trước tháng 12/2022.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_binhluc_ducco.txt", news.encode()).status == "added"
    (lead, *_) = store.lead("xây dựng 09 nhà tình nghĩa cho hộ nghèo xã Ia Pnôn")
    assert lead.organization == "Phòng Lao động - Thương binh và Xã hội huyện Đức Cơ"


def test_works_a_gift_pays_for_are_led_by_the_body_assigned_to_carry_them_out(tmp_path: Path) -> None:
    news = ("Hai huyện kết nghĩa\n\n"
            "Ngày 9/3/2023, huyện Thạch Khê (tỉnh Hà Tĩnh) và huyện Đắk Rơ (tỉnh Kon Tum) đã ký kết chương trình kết "
            "nghĩa giai đoạn 2023 - 2028.\n"
            "Theo chương trình, UBND huyện Thạch Khê hỗ trợ 4 tỷ đồng xây dựng Trường Tiểu học xã Ngọc Lâm. "
            "Ban Quản lý dự án đầu tư xây dựng huyện Đắk Rơ được giao làm chủ đầu tư, thi công trong năm 2024.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_thachkhe_dakro.txt", news.encode()).status == "added"
    (lead, *_) = store.lead("xây dựng Trường Tiểu học xã Ngọc Lâm")
    assert (lead.task, lead.organization) == ("Xây dựng Trường Tiểu học xã Ngọc Lâm",
                                              "Ban Quản lý dự án đầu tư xây dựng huyện Đắk Rơ")


def test_people_who_co_chair_a_meeting_are_not_leads() -> None:
    assert commitments_in(expand("Ông Lã Văn Bình và bà Mẫn Thị Thu đồng chủ trì hội nghị.")) == []
    assert commitments_in(expand("Năm 2026 do UBND Quận 11 chủ trì.")) == []  # no task, only a year


def test_a_news_commitment_is_a_task_with_its_lead_in_the_graph(tmp_path: Path) -> None:
    text = ("Báo Thử\n\nSáng 2/6/2024, UBND tỉnh Yên Bái và UBND tỉnh Long An ký kết thỏa thuận hợp tác giai đoạn "
            "2024 - 2028 với nhiều nội dung về nông nghiệp và du lịch giữa hai tỉnh.\n"
            "Sở Văn hóa, Thể thao và Du lịch tỉnh Yên Bái chủ trì tổ chức đoàn khảo sát ruộng bậc thang cho 20 "
            "doanh nghiệp lữ hành Long An trong tháng 9/2024.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin.txt", text.encode()).status == "added"
    (lead, *_) = store.lead("doan khao sat ruong bac thang cho doanh nghiep lu hanh Long An")
    assert lead.organization == "Sở Văn hóa, Thể thao và Du lịch tỉnh Yên Bái"


def test_a_task_named_by_pointing_back_takes_the_activity_of_the_sentence_before() -> None:
    previous = expand("Năm 2025, hai tỉnh sẽ tổ chức Tuần hàng nông sản Hà Giang tại tỉnh Vĩnh Long vào tháng 9/2025.")
    (pointing,) = commitments_in(expand("Hoạt động này do Sở Công Thương tỉnh Hà Giang chủ trì."))
    named = named_from_before(pointing, previous, None)
    assert (named.task, named.timeframe) == ("Tuần hàng nông sản Hà Giang", "2025-09")
    (own,) = commitments_in(expand("Hội chợ hàng Việt năm 2025 do Sở Công Thương tỉnh Hà Giang chủ trì."))
    assert named_from_before(own, previous, None).task == "Hội chợ hàng Việt năm 2025"  # it names itself


def test_a_meeting_named_only_by_its_year_is_the_meeting_of_the_parties_the_sentence_before_names() -> None:
    text = ("Tin\n\nSáng 6/3/2024, UBND Quận 10 và UBND huyện Kông Chro ký kết thỏa thuận hợp tác giai đoạn 2024 - "
            "2026 về giáo dục và y tế.\n"
            "Hằng năm, lãnh đạo hai bên sẽ gặp nhau để đánh giá kết quả. Theo đó, cuộc gặp năm 2024 do UBND huyện "
            "Kông Chro chủ trì tổ chức tại huyện.\n")
    nodes, rels = graph_of("tin.txt", text)
    (task,) = [n for n in nodes.values() if n.kind == "Task"]
    assert task.name == "Cuộc gặp giữa lãnh đạo Quận 10 và huyện Kông Chro năm 2024"
    assert related(nodes, rels, task.name, "LED_BY") == ["Ủy ban nhân dân huyện Kông Chro"]


def test_the_contact_point_an_article_names_is_the_contact_for_carrying_out_its_agreement(tmp_path: Path) -> None:
    text = ("Tin\n\nSáng 12/4/2024, Bệnh viện Trung ương Thái Nguyên và Bệnh viện Đa khoa tỉnh Bắc Kạn ký thỏa thuận "
            "hợp tác chuyển giao kỹ thuật giai đoạn 2024 - 2026.\n"
            "Đầu mối triển khai phía Bệnh viện Trung ương Thái Nguyên là ThS.BS Nông Văn Thử, Phó Trưởng phòng Chỉ đạo "
            "tuyến (ĐT: 0900.111.222).\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin.txt", text.encode()).status == "added"
    (contact, *_) = store.contacts("triển khai thỏa thuận chuyển giao kỹ thuật Bệnh viện Trung ương Thái Nguyên")
    assert (contact.person, contact.phone, contact.organization) == (
        "Nông Văn Thử", "0900.111.222", "Bệnh viện Trung ương Thái Nguyên")  # a national body keeps its name
    assert contact.title == "Phó Trưởng phòng Chỉ đạo tuyến"
    assert parse_org("BV TW Thái Nguyên", None).name == "Bệnh viện Trung ương Thái Nguyên"


# --- agreements -------------------------------------------------------------------------------------

def test_pairs_twinned_at_the_ceremony_the_article_reports_take_its_day() -> None:
    text = ("Tin\n\nSáng 14/3/2024, tại huyện Mai Châu, hai tỉnh tổ chức Lễ kết nghĩa giữa các huyện của hai tỉnh.\n"
            "Theo đó, huyện Ba Vì kết nghĩa với huyện Mai Châu. Trước đó, huyện Quốc Oai kết nghĩa với huyện Lạc Sơn "
            "từ năm 2015.\n")
    nodes, rels = graph_of("tin.txt", text)
    dates = {n.name: n.properties.get("date_signed") for n in nodes.values() if n.kind == "Agreement"}
    assert next(d for name, d in dates.items() if "Ba Vì" in name) == "2024-03-14"
    assert next(d for name, d in dates.items() if "Quốc Oai" in name) is None  # its own year: an earlier twinning


def test_a_city_signing_with_each_province_on_its_own_makes_one_agreement_per_pair() -> None:
    text = ("Tin\n\nChiều 5/5/2024, UBND thành phố Hải Phòng ký kết chương trình hợp tác với UBND các tỉnh Hà Giang, "
            "Cao Bằng và Bắc Kạn. Tại hội nghị, Hải Phòng đã ký 03 thỏa thuận hợp tác song phương, mỗi tỉnh một "
            "thỏa thuận riêng.\nVới tỉnh Cao Bằng, hai địa phương thống nhất: (1) du lịch; (2) logistics.\n")
    nodes, rels = graph_of("tin.txt", text)
    agreements = [n for n in nodes.values() if n.kind == "Agreement"]
    assert sorted(len(related(nodes, rels, a.name, "PARTY")) for a in agreements) == [2, 2, 2]
    with_cao_bang = next(a for a in agreements if "Cao Bằng" in a.name)
    assert "logistics" in related(nodes, rels, with_cao_bang.name, "COVERS")
    assert all(a.properties.get("date_signed") == "2024-05-05" for a in agreements)


def test_fields_stated_for_the_convener_and_each_province_are_every_pair_s() -> None:
    text = ("Tin\n\nChiều 9/4/2024, UBND tỉnh Nghệ An ký 02 thỏa thuận hợp tác song phương với UBND tỉnh Thanh Hóa "
            "và UBND tỉnh Hà Tĩnh.\nTheo các thỏa thuận, Nghệ An và mỗi tỉnh hợp tác trên 3 lĩnh vực: (1) du lịch; "
            "(2) logistics; (3) trồng rừng gỗ lớn.\n")
    nodes, rels = graph_of("tin.txt", text)
    agreements = [n for n in nodes.values() if n.kind == "Agreement"]
    assert len(agreements) == 2
    for agreement in agreements:
        assert {"logistics", "trồng rừng gỗ lớn"} <= set(related(nodes, rels, agreement.name, "COVERS"))


def test_a_longer_plain_field_after_ve_is_kept_beside_the_known_sector_its_cue_names() -> None:
    mention = find_agreement(expand("Tháng 5/2023, Sở Khoa học và Công nghệ tỉnh Bình Định và Sở Khoa học và Công nghệ "
                                    "tỉnh Phú Yên đã ký kết chương trình hợp tác về chuyển giao tiến bộ kỹ thuật nông "
                                    "nghiệp và phát triển du lịch sinh thái."), "", 2023)
    assert mention is not None
    assert {"chuyển giao tiến bộ kỹ thuật nông nghiệp", "phát triển du lịch sinh thái"} <= set(mention.sectors)


def test_fields_right_behind_a_programme_of_coordination_are_its_sectors() -> None:
    mention = find_agreement(expand("Công đoàn Viên chức tỉnh Bình Định và Công đoàn Viên chức tỉnh Phú Yên ký kết chương "
                                    "trình phối hợp bảo vệ quyền lợi đoàn viên và tổ chức hội thao công nhân giai đoạn "
                                    "2024 - 2026."), "", 2024)
    assert mention is not None
    assert {"bảo vệ quyền lợi đoàn viên", "tổ chức hội thao công nhân"} <= set(mention.sectors)
    # one word group alone right behind the keyword qualifies the agreement, it names no field
    whole = find_agreement(expand("Tỉnh Bình Định và tỉnh Phú Yên ký kết chương trình hợp tác toàn diện."), "", 2024)
    assert whole is not None and "toàn diện" not in whole.sectors


def test_the_fields_an_agreement_s_own_name_gives_are_its_sectors() -> None:
    mention = find_agreement(expand("Sáng nay, thị xã Sơn Tây và huyện Ba Vì ký kết Bản ghi nhớ hợp tác phát triển du lịch."),
                             "", 2023)
    assert mention is not None and mention.sectors == ["du lịch"]


def test_the_date_after_ky_ngay_is_the_signing_not_the_plan_that_carries_it_out() -> None:
    mention = find_agreement(expand("UBND tỉnh Bình Định ban hành Kế hoạch số 12/KH-UBND ngày 14/02/2025 thực hiện "
                                    "Thỏa thuận hợp tác giữa tỉnh Bình Định và tỉnh Đắk Nông, ký kết ngày 03/10/2024 "
                                    "tại thành phố Gia Nghĩa."), "", 2025)
    assert mention is not None and mention.date_signed == "2024-10-03"
    spelled = find_agreement(expand("Kế hoạch ngày 2 tháng 3 năm 2024 thực hiện Chương trình hợp tác giữa tỉnh Bình Định "
                                    "và tỉnh Đắk Nông ký ngày 15 tháng 12 năm 2023."), "", 2024)
    assert spelled is not None and spelled.date_signed == "2023-12-15"


def test_separate_pairs_keep_the_convener_on_each() -> None:
    mention = find_agreement(expand("UBND tỉnh Nghệ An ký thỏa thuận hợp tác với tỉnh Hà Tĩnh, tỉnh Quảng Bình."), "", 2024)
    assert mention is not None
    assert [[p.short for p in m.parties] for m in separate_pairs(mention)] == [["Nghệ An", "Hà Tĩnh"], ["Nghệ An", "Quảng Bình"]]


def test_hai_tinh_stands_for_the_two_parties_named_before_and_its_day_is_the_signing() -> None:
    named = find_agreement(expand("UBND tỉnh Thái Bình và UBND tỉnh Cà Mau tổ chức hội nghị tổng kết Thỏa thuận hợp tác."), "", 2025)
    assert named is not None and named.date_signed is None  # a review conference is not a signing
    later = find_agreement(expand("Thỏa thuận giai đoạn 2020 - 2025 được UBND hai tỉnh ký ngày 10/5/2020 tại Cà Mau."),
                           "", 2025, named.parties)
    assert later is not None and later.party_ids == named.party_ids and later.date_signed == "2020-05-10"


def test_a_venue_named_after_a_party_s_place_is_not_a_party() -> None:
    mention = find_agreement(expand("Sáng 3/9/2024, tại Trung tâm Hội nghị huyện Bảo Lạc (Cao Bằng), huyện Giao Thủy "
                                    "(tỉnh Nam Định) và huyện Bảo Lạc đã tổ chức lễ ký kết kết nghĩa giữa hai địa phương."),
                             "", 2024)
    assert mention is not None
    assert sorted(p.name for p in mention.parties) == ["Huyện Bảo Lạc", "Huyện Giao Thủy"]
    review = find_agreement(expand("Sáng 9/10/2024, tại Trung tâm Hội nghị tỉnh Gia Lai (thành phố Pleiku), UBND tỉnh "
                                   "Gia Lai và UBND tỉnh Hưng Yên tổng kết Chương trình hợp tác giữa hai tỉnh."), "", 2024)
    assert review is not None
    assert sorted(p.name for p in review.parties) == ["Tỉnh Gia Lai", "Tỉnh Hưng Yên"]  # the bracket is the venue's


def test_units_merged_or_succeeded_in_the_reorganisation_are_not_parties() -> None:
    for sentence in ("Chương trình hợp tác mới được ký khi tỉnh Bắc Giang đã hợp nhất với tỉnh Bắc Ninh.",
                     "Tỉnh Bắc Ninh kế thừa các quyền và nghĩa vụ của tỉnh Bắc Giang (cũ) theo Thỏa thuận nêu trên."):
        assert find_agreement(expand(sentence), "", 2025) is None


def test_a_signing_known_only_to_the_month() -> None:
    assert month_dates("được ký tại tỉnh Trà Vinh hồi tháng 3/2023") == ["2023-03"]
    mention = find_agreement(expand("Thỏa thuận giữa tỉnh Trà Vinh và tỉnh Bình Định được ký hồi tháng 10/2022."), "", 2024)
    assert mention is not None and mention.date_signed == "2022-10"


def test_hospitals_named_without_a_place_sign_with_each_other() -> None:
    mention = find_agreement(expand("Ngày 2/7/2024, tại TP. Vị Thanh, Bệnh viện Thống Nhất và Bệnh viện Đa khoa tỉnh "
                                    "Hậu Giang đã ký kết bản ghi nhớ hợp tác."), "", 2024)
    assert mention is not None
    assert [party.name for party in mention.parties] == ["Bệnh viện Thống Nhất", "Bệnh viện Đa khoa tỉnh Hậu Giang"]
    assert mention.date_signed == "2024-07-02"


def test_one_of_many_pairs_is_not_an_agreement_between_the_regions() -> None:
    assert find_agreement(expand("Đây là một trong những cặp kết nghĩa đầu tiên giữa TP.HCM và các tỉnh miền Tây."), "", 2025) is None


def test_parties_are_not_read_from_a_list_after_a_colon() -> None:
    assert find_agreement(expand("Thỏa thuận xác định 3 lĩnh vực: (1) hành lang Hà Nội - Lạng Sơn; (2) du lịch."), "", 2025) is None


def test_two_departments_of_one_field_sign_about_that_field() -> None:
    parties = [parse_org("Sở Y tế tỉnh Vĩnh Long", None), parse_org("Sở Y tế tỉnh Trà Vinh", None)]
    assert party_fields([p for p in parties if p]) == ["y tế"]



def test_a_denied_agreement_names_no_parties() -> None:
    text = "Đây là chương trình giao lưu giữa hai thị xã, không phải thỏa thuận cấp tỉnh giữa tỉnh Hà Giang và tỉnh Bến Tre."
    assert find_agreement(expand(text), "", 2021) is None
    kept = find_agreement(expand("Không phải lần đầu tỉnh Hà Giang và tỉnh Bến Tre ký kết thỏa thuận hợp tác."), "", 2021)
    assert kept is not None and {p.name for p in kept.parties} == {"Tỉnh Hà Giang", "Tỉnh Bến Tre"}


def test_a_region_in_a_body_s_name_and_the_body_s_address_are_not_parties() -> None:
    mention = find_agreement(expand("Sáng 3/5/2022, UBND tỉnh Hòa Bình và Học viện Nông nghiệp Tây Bắc (TP Sơn La, tỉnh "
                                    "Sơn La) đã ký kết thỏa thuận hợp tác."), "", 2022)
    assert mention is not None
    assert [getattr(p, "body", None) or p.name for p in mention.parties] == ["Tỉnh Hòa Bình", "Học viện Nông nghiệp Tây Bắc"]


def test_a_region_further_inside_a_company_s_name_is_not_its_provinces() -> None:
    # 'cá' before the region is a word of the name, not the group word 'cả'
    for company in ("Công ty TNHH Cà phê Tây Nguyên Vàng", "Công ty Cổ phần Nông sản Đông Nam Bộ",
                    "Công ty TNHH Giống cá Tây Nguyên Sạch"):
        mention = find_agreement(expand(f"Chiều 8/9/2023, UBND tỉnh Lâm Đồng ký thỏa thuận hợp tác với {company} về "
                                        "phát triển vùng trồng."), "", 2023)
        assert mention is not None
        assert [getattr(p, "body", None) or p.name for p in mention.parties] == ["Tỉnh Lâm Đồng", company]
    # after a word that makes it a group, the region is still its provinces
    grouped = find_agreement(expand("Thỏa thuận hợp tác giữa UBND 5 tỉnh Tây Nguyên được ký năm 2021."), "", 2021)
    assert grouped is not None and len(grouped.parties) == 5


def test_a_dateline_is_where_the_news_comes_from_not_a_party() -> None:
    assert without_dateline("Bình Phước: Huyện Đồng Phú ký kết hợp tác") == "Huyện Đồng Phú ký kết hợp tác"
    assert without_dateline("NINH BÌNH - Sáng qua, hai huyện ký kết") == "Sáng qua, hai huyện ký kết"
    assert without_dateline("(Baoninhbinh.vn) – Sáng qua, hai huyện ký kết") == "Sáng qua, hai huyện ký kết"
    assert without_dateline("PHÚ THỌ (TTXVN) - Ngày 4/5, hai tỉnh ký kết") == "Ngày 4/5, hai tỉnh ký kết"
    assert without_dateline("NINH BÌNH, 4/5 – Hai huyện ký kết") == "Hai huyện ký kết"
    assert without_dateline("Ninh Bình - Sáng 4/5, hai huyện ký kết") == "Sáng 4/5, hai huyện ký kết"
    # two places before a dash, or words that are no place before a colon, are the text itself
    assert without_dateline("Ninh Bình - Phú Thọ ký kết hợp tác") == "Ninh Bình - Phú Thọ ký kết hợp tác"
    assert without_dateline("Ngày 4/5: hai tỉnh ký kết") == "Ngày 4/5: hai tỉnh ký kết"


def test_a_city_twinned_under_a_dateline_does_not_make_its_province_a_party(tmp_path: Path) -> None:
    news = ("Tiền Giang: Thị xã Cai Lậy kết nghĩa với huyện Cam Lâm (Khánh Hòa)\n\n"
            "Sáng 6/6/2021, UBND thị xã Cai Lậy (tỉnh Tiền Giang) và UBND huyện Cam Lâm (tỉnh Khánh Hòa) ký kết "
            "kết nghĩa giữa hai địa phương.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_cailay_camlam.txt", news.encode()).status == "added"
    assert store.partners("tỉnh Tiền Giang") == []
    (partner,) = store.partners("thị xã Cai Lậy")
    assert partner.locality.startswith("Huyện Cam Lâm")
    (agreement,) = store.agreements_between("thị xã Cai Lậy", "huyện Cam Lâm")
    assert "(Thị xã)" not in agreement.title


def test_departments_and_hospitals_sign_for_themselves_not_as_their_provinces(tmp_path: Path) -> None:
    news = ("Sở Y tế hai tỉnh ký kết hợp tác\n\n"
            "Ngày 14/10/2022, tại TP Pleiku, Sở Y tế tỉnh Gia Lai và Sở Y tế tỉnh Nam Định đã ký kết chương trình hợp "
            "tác phát triển y tế giai đoạn 2022 - 2026. Cùng ngày, Bệnh viện Đa khoa tỉnh Gia Lai và Bệnh viện Đa "
            "khoa tỉnh Nam Định ký biên bản ghi nhớ về chuyển giao kỹ thuật.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_soyte_gialai_namdinh.txt", news.encode()).status == "added"
    assert store.agreements_between("Sở Y tế tỉnh Gia Lai", "Sở Y tế tỉnh Nam Định")
    assert store.agreements_between("Bệnh viện Đa khoa tỉnh Gia Lai", "Bệnh viện Đa khoa tỉnh Nam Định")
    assert store.partners("tỉnh Gia Lai") == [] and store.partners("tỉnh Nam Định") == []


def test_a_university_signs_for_itself_not_for_its_city(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    news = ("Trường Đại học Vinh và tỉnh Yên Bái ký kết hợp tác\n\n"
            "Ngày 12/6/2023, tại TP Yên Bái, UBND tỉnh Yên Bái và Trường Đại học Vinh (tỉnh Nghệ An) đã ký kết thỏa "
            "thuận hợp tác về đào tạo nguồn nhân lực và nghiên cứu khoa học giai đoạn 2023 - 2028. Lễ ký diễn ra trang "
            "trọng với sự tham dự của lãnh đạo hai bên và nhiều cán bộ, giảng viên nhà trường.\n")
    assert ingest_bytes(store, "tin_vinh_yenbai.txt", news.encode()).status == "added"
    assert store.agreements_between("Trường Đại học Vinh", "tỉnh Yên Bái")
    assert store.partners("tỉnh Nghệ An") == []
    assert store.partners("tỉnh Yên Bái") == []


def test_the_person_named_like_the_city_is_not_the_city() -> None:
    assert "Thành phố Hồ Chí Minh" not in extract_localities("Nhân kỷ niệm Ngày sinh Chủ tịch Hồ Chí Minh, hai xã giao lưu.")
    assert extract_localities("học tập và làm theo tư tưởng Hồ Chí Minh") == []
    assert extract_localities("Đoàn công tác của TP Hồ Chí Minh") == ["Thành phố Hồ Chí Minh"]


def test_both_sides_are_the_last_two_named_not_an_earlier_list(tmp_path: Path) -> None:
    news = ("Học viện Tài chính và tỉnh Phú Yên ký kết hợp tác\n\n"
            "Ngày 8/4/2024, tại TP Tuy Hòa, UBND tỉnh Phú Yên và Học viện Tài chính đã ký kết thỏa thuận hợp tác giai "
            "đoạn 2024 - 2029, mở ra nhiều cơ hội cho cán bộ của tỉnh được đào tạo bài bản.\n"
            "Học viện Tài chính trước đây đã ký thỏa thuận với UBND tỉnh Ninh Thuận (tháng 5/2019) và UBND tỉnh "
            "Bình Thuận (tháng 9/2020).\n"
            "Theo thỏa thuận, hai bên hợp tác trong các lĩnh vực: đào tạo nguồn nhân lực; tài chính công.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_hvtc_phuyen.txt", news.encode()).status == "added"
    (newest, *_) = store.agreements_between("Học viện Tài chính", "tỉnh Phú Yên")
    assert newest.date == "2024-04-08" and "đào tạo" in " ".join(newest.sectors)


def test_an_article_that_prints_its_tasks_as_a_table_is_read_row_by_row(tmp_path: Path) -> None:
    news = ("Hai phường kết nghĩa\n\n"
            "Ngày 4/6/2026, tại phường Ninh Kiều, UBND phường Ninh Kiều (TP Cần Thơ) và UBND phường Hội An (TP Đà "
            "Nẵng) đã ký kết kết nghĩa giai đoạn 2026 - 2030, hợp tác trong các lĩnh vực du lịch, văn hóa.\n"
            "Các nội dung triển khai năm 2026 như sau:\n"
            + HEADER + "\n"
            "1\tTổ chức tuần ẩm thực đèn lồng phố Hội\tUBND phường Hội An\tUBND phường Ninh Kiều\t01 tuần ẩm thực\t"
            "Tháng 9/2026\tPhường Ninh Kiều\tBà Lâm Thị Ngọc Vân, Phó Chủ tịch UBND phường Hội An, 0905.771.342\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_ketnghia_phuong.txt", news.encode()).status == "added"
    (lead, *_) = store.lead("tuần ẩm thực đèn lồng phố Hội")
    assert lead.organization == "Ủy ban nhân dân phường Hội An"
    (contact, *_) = store.contacts("tuần ẩm thực đèn lồng phố Hội")
    assert contact.person == "Lâm Thị Ngọc Vân"


def test_a_long_field_opened_by_an_exchange_of_experience_is_labelled_by_its_field() -> None:
    found = sector_statements(expand("Hai phường thống nhất hợp tác trên các lĩnh vực: thể thao; chia sẻ kinh nghiệm quản lý "
                                     "trật tự đô thị ở khu dân cư."))
    assert "quản lý trật tự đô thị ở khu dân cư" in found


def test_a_contact_point_after_a_task_speaks_for_that_task_of_its_body(tmp_path: Path) -> None:
    news = ("Huyện Đức Cơ và huyện Bình Lục kết nghĩa\n\n"
            "Ngày 2/3/2023, tại huyện Đức Cơ (tỉnh Gia Lai), huyện Đức Cơ và huyện Bình Lục (tỉnh Hà Nam) đã ký kết "
            "chương trình kết nghĩa giai đoạn 2023 - 2027, với nhiều nội dung hợp tác thiết thực cho cả hai bên.\n"
            "Trung tâm Y tế huyện Đức Cơ chủ trì tổ chức khám sàng lọc bệnh tuyến giáp cho phụ nữ vùng biên giới; "
            "Bệnh viện Đa khoa tỉnh Hà Nam phối hợp cử bác sĩ. Đầu mối phía Hà Nam là ông Tạ Minh Khuê, Phó Giám đốc "
            "Bệnh viện Đa khoa tỉnh Hà Nam, điện thoại 0226.3851.770.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_ducco_binhluc.txt", news.encode()).status == "added"
    (contact, *_) = store.contacts("khám sàng lọc bệnh tuyến giáp cho phụ nữ vùng biên giới")
    assert (contact.person, contact.organization) == ("Tạ Minh Khuê", "Bệnh viện Đa khoa tỉnh Hà Nam")


def test_a_long_numbered_field_is_labelled_by_its_first_part() -> None:
    found = sector_statements(expand("Hai bên hợp tác trong 3 nhóm nội dung: (1) phòng chống sạt lở, cảnh báo sớm lũ quét ở "
                                     "các xã vùng cao giáp ranh hai tỉnh; (2) du lịch; (3) y tế."))
    assert "phòng chống sạt lở" in found


def test_a_department_whose_name_has_and_in_it_is_one_party() -> None:
    mention = find_agreement(expand("Trong tháng 4/2022, Sở Văn hóa, Thể thao và Du lịch (VHTTDL) tỉnh Phú Thọ và Sở "
                                    "Kế hoạch và Đầu tư tỉnh Trà Vinh đã ký kết chương trình hợp tác."), "", 2022)
    assert mention is not None and mention.date_signed == "2022-04"
    assert [p.name for p in mention.parties] == ["Sở Văn hóa, Thể thao và Du lịch tỉnh Phú Thọ",
                                                 "Sở Kế hoạch và Đầu tư tỉnh Trà Vinh"]

# --- tables ----------------------------------------------------------------------------------------

def test_an_empty_lead_continues_the_span_but_an_own_lead_does_not_borrow_a_contact() -> None:
    lines = ["PHỤ LỤC", HEADER,
             "1\tHội chợ thử\tSở Công Thương tỉnh Bắc Kạn\t\tHội chợ\t2024\tTỉnh Bắc Kạn\tÔng Lò Văn Thử, ĐT: 0900.000.002",
             "2\tTập huấn thử\t\t\tLớp\t2024\t\t",
             "3\tHội thảo thử\tSở Y tế tỉnh Bắc Kạn\t\tHội thảo\t2025\t\t"]
    (appendix,) = read_appendices(blocks_from_lines(lines))
    merged, own = appendix.rows[1], appendix.rows[2]
    assert merged.cells["lead"] == "Sở Công Thương tỉnh Bắc Kạn" and merged.cells["contact"].endswith("0900.000.002")
    assert merged.cells["place"] == "Tỉnh Bắc Kạn"
    assert own.cells["lead"] == "Sở Y tế tỉnh Bắc Kạn" and own.cells["contact"] == "" and own.cells["place"] == ""


PLAN = """ỦY BAN NHÂN DÂN
TỈNH BẮC KẠN

Số: 77/KH-UBND

Bắc Kạn, ngày 02 tháng 5 năm 2024

KẾ HOẠCH
Triển khai Thỏa thuận hợp tác giữa Thành phố Hồ Chí Minh và tỉnh Bắc Kạn năm 2024

I. NỘI DUNG

Hai địa phương triển khai 02 nhóm lĩnh vực:

1. Y tế: chuyển giao kỹ thuật.

2. Du lịch cộng đồng: khảo sát điểm đến.

PHỤ LỤC
{header}
1\tChuyển giao kỹ thuật mổ nội soi\tBệnh viện Đa khoa tỉnh Bắc Kạn\tBệnh viện Thống Nhất\tKỹ thuật\t2024\tHuyện Ba Bể\tBệnh viện Thống Nhất (BS.CKII Tạ Văn Thử - Phó Trưởng khoa; ĐT: 0900.000.003)
""".format(header=HEADER)


def test_a_body_named_like_the_row_s_contact_is_the_partner_s_and_a_plan_s_listed_fields() -> None:
    nodes, rels = graph_of("ke_hoach.txt", PLAN)
    (task,) = [n for n in nodes.values() if n.kind == "Task"]
    assert related(nodes, rels, task.name, "COORDINATED_BY") == ["Bệnh viện Thống Nhất Thành phố Hồ Chí Minh"]
    assert related(nodes, rels, task.name, "CONTACT") == ["Tạ Văn Thử"]  # a degree before the name
    assert f"{task.name} Huyện Ba Bể" in task.aliases  # its place is part of another name of it
    (agreement,) = [n for n in nodes.values() if n.kind == "Agreement"]
    assert {"y tế", "du lịch cộng đồng"} <= set(related(nodes, rels, agreement.name, "COVERS"))


def test_a_question_may_add_a_task_s_time_as_people_write_it(tmp_path: Path) -> None:
    plan = PLAN.replace("\tKỹ thuật\t2024\t", "\tKỹ thuật\tTháng 10/2024\t")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "ke_hoach.txt", plan.encode()).status == "added"
    for asked in ("chuyển giao kỹ thuật mổ nội soi tháng 10/2024", "chuyen giao ky thuat mo noi soi nam 2024"):
        (lead, *_) = store.lead(asked)
        assert lead.organization == "Bệnh viện Đa khoa tỉnh Bắc Kạn"


NUMBERED_POINT_PLAN = """ỦY BAN NHÂN DÂN
TỈNH LÀO CAI

Số: 31/KH-UBND

Lào Cai, ngày 06 tháng 3 năm 2024

KẾ HOẠCH
Triển khai Chương trình hợp tác giữa tỉnh Lào Cai và tỉnh Sóc Trăng năm 2024

I. MỤC ĐÍCH, YÊU CẦU

1. Thực hiện các nội dung đã ký giữa hai địa phương trong các lĩnh vực: chế biến dược liệu; giáo dục - đào tạo; thủy sản.

2. Các nhiệm vụ có cơ quan chủ trì và thời hạn cụ thể.
"""


def test_a_numbered_point_that_writes_out_the_fields_is_read_not_skipped_as_a_heading() -> None:
    nodes, rels = graph_of("ke_hoach.txt", NUMBERED_POINT_PLAN)
    (agreement,) = [n for n in nodes.values() if n.kind == "Agreement"]
    assert {"chế biến dược liệu", "giáo dục - đào tạo", "thủy sản"} <= set(related(nodes, rels, agreement.name, "COVERS"))


def test_a_unit_of_unknown_kind_before_a_dash_belongs_to_the_known_body_after_it() -> None:
    org, person = parse_contact(expand("Trường Kinh tế - ĐH Đà Lạt (ThS. Lê Văn Thử, Trưởng bộ môn Vi sinh; "
                                       "ĐT 0900.000.004)"), None)
    assert org is not None and org.body == "Trường Đại học Đà Lạt"
    assert person is not None and person.positions[0].title == "Trưởng bộ môn Vi sinh"
    assert person.positions[0].org is not None and person.positions[0].org.body == "Trường Đại học Đà Lạt"


def test_a_numbered_point_listing_fields_between_semicolons_without_a_colon_is_read() -> None:
    plan = NUMBERED_POINT_PLAN.replace("trong các lĩnh vực: chế biến dược liệu; giáo dục - đào tạo; thủy sản.",
                                       "trên các lĩnh vực chế biến dược liệu; giáo dục - đào tạo; thủy sản giữa hai tỉnh.")
    nodes, rels = graph_of("ke_hoach.txt", plan)
    (agreement,) = [n for n in nodes.values() if n.kind == "Agreement"]
    assert {"giáo dục", "thủy sản"} <= set(related(nodes, rels, agreement.name, "COVERS"))


CITING_PLAN = """ỦY BAN NHÂN DÂN
TỈNH LÀO CAI

Số: 58/KH-UBND

Lào Cai, ngày 11 tháng 4 năm 2024

KẾ HOẠCH
Tiếp tục triển khai hợp tác giữa tỉnh Lào Cai và tỉnh Sóc Trăng năm 2024

Căn cứ Thỏa thuận hợp tác giữa UBND tỉnh Lào Cai và UBND tỉnh Sóc Trăng giai đoạn 2022 - 2026, ký ngày 03/6/2022;

I. MỤC ĐÍCH, YÊU CẦU

1. Tiếp tục thực hiện các nội dung hợp tác đã ký kết trong các lĩnh vực: chế biến dược liệu; thủy sản.
"""


def test_a_plan_whose_title_names_no_agreement_states_the_fields_of_the_one_it_cites() -> None:
    nodes, rels = graph_of("ke_hoach.txt", CITING_PLAN)
    (agreement,) = [n for n in nodes.values() if n.kind == "Agreement"]
    assert agreement.properties.get("date_signed") == "2022-06-03"
    assert {"chế biến dược liệu", "thủy sản"} <= set(related(nodes, rels, agreement.name, "COVERS"))


# --- names as people write them -------------------------------------------------------------------------

def test_abbreviations_of_bodies_and_units() -> None:
    assert fold("BVĐK tỉnh Cà Mau") == fold("Bệnh viện Đa khoa tỉnh Cà Mau")
    assert fold("UBMTTQVN phường Thử") == fold("Ủy ban Mặt trận Tổ quốc Việt Nam phường Thử")
    assert fold("H. Thử") == fold("huyện Thử") and fold("TP Vinh") == fold("Thành phố Vinh")
    assert fold("Liên hiệp HTX Thử") == fold("Liên hiệp Hợp tác xã Thử")
    assert fold("ĐH Thử") == fold("Trường Đại học Thử")


def test_a_ward_or_commune_abbreviation_stands_for_its_type_word_only_before_a_name() -> None:
    assert fold("P. Tân Định") == fold("P.Tân Định") == fold("phường Tân Định")
    assert fold("X. Ea Tiêu") == fold("xã Ea Tiêu")
    assert fold("P.GĐ Sở Y tế") == "p gd so y te"  # a title's initials, not a ward
    assert fold("P. Trưởng phòng Kinh tế") == "p truong phong kinh te"  # a title: Phó
    assert expand("UBND P. Tân Định và X. Ea Tiêu") == "Ủy ban nhân dân phường Tân Định và xã Ea Tiêu"


def test_an_organiser_s_report_names_the_lead() -> None:
    (found,) = commitments_in(expand("Từ khi ký kết, Sở Công Thương tỉnh Hưng Yên đã tổ chức thành công Hội chợ "
                                     "hàng Việt vùng đồng bằng, thu hút 90 doanh nghiệp."))
    assert (found.task, found.lead.name) == ("Hội chợ hàng Việt vùng đồng bằng", "Sở Công Thương tỉnh Hưng Yên")


def test_a_news_task_carries_out_the_agreement_of_its_lead_and_is_named_with_its_parties() -> None:
    text = ("Tin\n\nChiều 8/8/2024, UBND Quận 6 và UBND huyện Mang Yang ký kết thỏa thuận hợp tác giai đoạn 2024 - "
            "2025 với nhiều nội dung về giáo dục và y tế cho đồng bào hai địa phương.\n"
            "Theo đó, buổi gặp gỡ năm 2024 do UBND huyện Mang Yang chủ trì tổ chức tại huyện.\n")
    nodes, rels = graph_of("tin.txt", text)
    (task,) = [n for n in nodes.values() if n.kind == "Task"]
    assert related(nodes, rels, task.name, "IMPLEMENTS") == ["Thỏa thuận hợp tác giữa Quận 6 và huyện Mang Yang"]
    assert any("giữa Quận 6 và huyện Mang Yang" in alias for alias in task.aliases)


def test_an_agreement_whose_convener_is_a_common_noun_keeps_its_month() -> None:
    text = ("Tin\n\nSáng 4/4/2024, UBND Thành phố Hà Nội và UBND các tỉnh vùng Tây Nguyên tổ chức hội nghị sơ kết "
            "Thỏa thuận hợp tác giữa Hà Nội với các tỉnh vùng Tây Nguyên.\n"
            "Văn bản thỏa thuận giữa Thành phố và 5 tỉnh Tây Nguyên được ký tại tỉnh Gia Lai hồi tháng 5/2022.\n")
    nodes, _ = graph_of("tin.txt", text)
    (agreement,) = [n for n in nodes.values() if n.kind == "Agreement"]
    assert agreement.properties.get("date_signed") == "2022-05"


def test_the_contact_s_organization_is_the_body_its_cell_names() -> None:
    plan = PLAN.replace("Bệnh viện Thống Nhất (BS.CKII Tạ Văn Thử - Phó Trưởng khoa;",
                        "Sở Y tế Thành phố Hồ Chí Minh (Ông Tạ Văn Thử - Phó Chi cục trưởng Chi cục Dân số;")
    nodes, rels = graph_of("ke_hoach.txt", plan)
    (contact,) = [r for r in rels if r.type == "CONTACT"]
    assert contact.properties["organization"] == "Sở Y tế Thành phố Hồ Chí Minh"
    assert contact.properties["title"] == "Phó Chi cục trưởng Chi cục Dân số"


def test_two_units_twinning_with_a_third_each_twin_with_it() -> None:
    mention = find_agreement(expand("Ngày 3/3/2024, UBND Quận 4 và UBND Quận 6 kết nghĩa với huyện Sa Thầy, tỉnh Kon Tum."),
                             "", 2024)
    assert mention is not None and [p.name for p in mention.parties] == ["Huyện Sa Thầy", "Quận 4", "Quận 6"]
    three_way = find_agreement(expand("Quận 4, Quận 6 và Quận 8 kết nghĩa giai đoạn 2024 - 2026."), "", 2024)
    assert three_way is not None and len(three_way.parties) == 3


def test_each_clause_of_a_sentence_may_name_its_own_agreement() -> None:
    sentence = expand("Triển khai Bản thỏa thuận giữa Sở Y tế tỉnh Bình Định và Sở Y tế tỉnh Gia Lai; Bản ghi nhớ hỗ trợ "
                      "chuyên môn giữa Bệnh viện Thống Nhất và Bệnh viện Đa khoa tỉnh Gia Lai ký ngày 02/5/2024.")
    first, second = [find_agreement(clause, "", 2024) for clause in agreement_clauses(sentence)]
    assert first is not None and first.date_signed is None and party_fields(first.parties) == ["y tế"]
    assert second is not None and second.date_signed == "2024-05-02"
    assert [p.name for p in second.parties] == ["Bệnh viện Thống Nhất", "Bệnh viện Đa khoa tỉnh Gia Lai"]


def test_short_unit_prefixes_and_hidden_comments() -> None:
    assert find_agreement(expand("UBND Q.8 và UBND huyện Sa Thầy ký kết thỏa thuận hợp tác."), "", 2024) is not None
    assert expand("P. Tân Định, Q.1") == "phường Tân Định, Quận 1"
    assert "Lạc Văn Ẩn" not in clean("Tin chính.\n<!-- ông Lạc Văn Ẩn - Chủ tịch UBND tỉnh Thử\n-->\nHết.")
    assert fold("Q.5") == fold("Quận 5")


def test_unions_sign_as_bodies_of_their_province() -> None:
    mention = find_agreement(expand("Ngày 9/9/2024, Liên đoàn Lao động tỉnh Hà Nam và Liên đoàn Lao động tỉnh Sóc Trăng "
                                    "ký kết chương trình phối hợp."), "", 2024)
    assert mention is not None and mention.date_signed == "2024-09-09"
    assert [p.name for p in mention.parties] == ["Liên đoàn Lao động tỉnh Hà Nam", "Liên đoàn Lao động tỉnh Sóc Trăng"]


def test_a_contact_s_body_named_with_its_parent_keeps_the_parent() -> None:
    plan = PLAN.replace("Bệnh viện Thống Nhất (BS.CKII Tạ Văn Thử - Phó Trưởng khoa;",
                        "Trung tâm Kiểm soát bệnh tật - Sở Y tế TP.HCM (Ông Tạ Văn Thử - Phó Giám đốc;")
    _, rels = graph_of("ke_hoach.txt", plan)
    (contact,) = [r for r in rels if r.type == "CONTACT"]
    assert contact.properties["organization"] == "Trung tâm Kiểm soát bệnh tật - Sở Y tế Thành phố Hồ Chí Minh"


def test_an_agreement_that_is_its_sentence_s_subject_is_the_one_named_before(tmp_path: Path) -> None:
    # a review conference names the agreement; the next sentence ("Thỏa thuận được ký kết ngày ...") gives its
    # day and fields; the city memorandum signed at the conference keeps its own day and its own fields
    news = ("SƠ KẾT 3 NĂM THỰC HIỆN THỎA THUẬN HỢP TÁC GIỮA TỈNH BẮC KẠN VÀ TỈNH BẠC LIÊU\n\n"
            "Ngày 9/10/2024, tại TP Bạc Liêu, UBND tỉnh Bạc Liêu phối hợp với UBND tỉnh Bắc Kạn tổ chức Hội nghị sơ "
            "kết 3 năm thực hiện Thỏa thuận hợp tác giữa hai tỉnh. Thỏa thuận được ký kết ngày 3/3/2021 tại TP Bắc "
            "Kạn, tập trung vào các lĩnh vực: lâm nghiệp; thủy sản; du lịch cộng đồng.\n\n"
            "Phát biểu tại hội nghị, lãnh đạo hai tỉnh đánh giá cao kết quả đạt được.\n\n"
            "Cũng tại hội nghị, UBND thành phố Bắc Kạn và UBND thành phố Bạc Liêu đã ký kết Biên bản ghi nhớ hợp tác "
            "giai đoạn 2024 - 2027 về du lịch, thương mại và chiếu sáng đô thị.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_soket_backan_baclieu.txt", news.encode()).status == "added"
    (provinces,) = store.agreements_between("tỉnh Bắc Kạn", "tỉnh Bạc Liêu")
    assert provinces.date == "2021-03-03"
    assert {"thủy sản", "du lịch cộng đồng"} <= set(provinces.sectors)
    (cities,) = store.agreements_between("thành phố Bắc Kạn", "thành phố Bạc Liêu")
    assert cities.date == "2024-10-09"
    assert {"du lịch", "thương mại", "chiếu sáng đô thị"} <= set(cities.sectors)
    assert "thủy sản" not in cities.sectors


def test_an_agreement_named_as_subject_after_two_of_different_parties_is_left_unread() -> None:
    # which of two agreements "Thỏa thuận" means is not clear: the sentence lends its day to neither
    from ingest.news import antecedent
    first = find_agreement(expand("Tỉnh Hà Nam và tỉnh Kon Tum ký Thỏa thuận hợp tác."), "", 2022)
    second = find_agreement(expand("Tỉnh Hà Nam và tỉnh Cà Mau ký Thỏa thuận hợp tác."), "", 2022)
    assert first is not None and second is not None
    clause = expand("Thỏa thuận được ký kết ngày 5/5/2020 tại Phủ Lý.")
    assert antecedent(clause, [first]) == first.parties
    assert antecedent(clause, [first, second]) is None
    assert find_agreement(clause, "", 2022, None, antecedent(clause, [first, second])) is None


def test_a_renewal_keeps_the_older_agreement_s_day_and_fields_apart(tmp_path: Path) -> None:
    news = ("Ninh Bình và Sóc Trăng ký kết Chương trình hợp tác giai đoạn 2026 - 2030\n\n"
            "Sáng 12/1/2026, UBND tỉnh Ninh Bình và UBND tỉnh Sóc Trăng đã ký kết Chương trình hợp tác giai đoạn "
            "2026 - 2030. Đây là chương trình mới, tiếp nối Chương trình hợp tác giai đoạn 2021 - 2025 mà hai địa "
            "phương ký ngày 7/4/2021 về nông nghiệp, du lịch và đào tạo nghề.\n\n"
            "Chương trình giai đoạn 2026 - 2030 gồm các lĩnh vực: du lịch; chuyển đổi số; y tế.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_ninhbinh_soctrang.txt", news.encode()).status == "added"
    found = {a.date: a for a in store.agreements_between("Ninh Bình", "Sóc Trăng")}
    assert set(found) == {"2026-01-12", "2021-04-07"}
    assert {"nông nghiệp", "đào tạo nghề"} <= set(found["2021-04-07"].sectors)
    assert "y tế" not in found["2021-04-07"].sectors
    assert {"chuyển đổi số", "y tế"} <= set(found["2026-01-12"].sectors)


def test_fields_after_ve_are_read_only_when_they_read_as_fields() -> None:
    from ingest.agreements import fields_after_about
    assert fields_after_about("Biên bản ghi nhớ giai đoạn 2024 - 2027 về du lịch, thương mại và chiếu sáng đô thị.") == [
        "du lịch", "thương mại", "chiếu sáng đô thị"]
    assert fields_after_about("Căn cứ Thỏa thuận giữa A và B ký ngày 2/2/2025 về: nuôi ong; chế biến mật ong; du lịch "
                              "sinh thái;") == ["nuôi ong", "chế biến mật ong", "du lịch sinh thái"]
    assert fields_after_about("Thỏa thuận hợp tác về việc phát triển du lịch.") == []  # a title, not fields
    assert fields_after_about("Thỏa thuận hợp tác về việc trao đổi đoàn công tác.") == []
    assert fields_after_about("Bản ghi nhớ, sau đó đoàn về thăm xã Tân Lập.") == []


def test_cooperation_without_a_signing_makes_no_agreement_nor_lends_its_fields(tmp_path: Path) -> None:
    # the article reports one signing (A - B); C is only said to cooperate with A: no A - C agreement,
    # and its fields are not the A - B agreement's
    news = ("Hà Giang và Quảng Trị ký kết thỏa thuận hợp tác\n\n"
            "Sáng 4/6/2024, UBND tỉnh Hà Giang và UBND tỉnh Quảng Trị đã ký kết Thỏa thuận hợp tác về du lịch và "
            "nông nghiệp.\n\n"
            "Tỉnh Hà Giang và tỉnh Bình Thuận cũng đang hợp tác trên các lĩnh vực: năng lượng tái tạo; thủy sản.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_hagiang_quangtri.txt", news.encode()).status == "added"
    assert store.agreements_between("tỉnh Hà Giang", "tỉnh Bình Thuận") == []
    assert [p.locality for p in store.partners("tỉnh Hà Giang")] == ["Tỉnh Quảng Trị"]
    (agreement,) = store.agreements_between("tỉnh Hà Giang", "tỉnh Quảng Trị")
    assert "thủy sản" not in agreement.sectors and "du lịch" in agreement.sectors


def test_an_agreement_written_with_an_earlier_year_was_not_signed_at_the_event(tmp_path: Path) -> None:
    news = ("Hội nghị tổng kết hợp tác giữa Yên Bái và Bến Tre\n\n"
            "Sáng 15/10/2024, tại TP Yên Bái, hai tỉnh tổ chức hội nghị tổng kết. Thỏa thuận hợp tác giữa tỉnh Yên "
            "Bái và tỉnh Bến Tre đã được ký kết năm 2019.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_yenbai_bentre.txt", news.encode()).status == "added"
    (agreement,) = store.agreements_between("tỉnh Yên Bái", "tỉnh Bến Tre")
    assert agreement.date != "2024-10-15"


def test_a_list_of_fields_between_semicolons_keeps_its_labels_without_a_colon() -> None:
    found = sector_statements(expand("Hai thị xã thống nhất hợp tác trên các lĩnh vực kinh tế; giáo dục - y tế; "
                                     "quốc phòng - an ninh; cải cách hành chính."))
    assert {"kinh tế", "giáo dục - y tế", "quốc phòng - an ninh", "cải cách hành chính"} <= set(found)
    # one semicolon may end a clause: the words after it are no field
    one = sector_statements(expand("Hai bên hợp tác trong lĩnh vực y tế; đoàn công tác sẽ thăm bệnh viện tỉnh."))
    assert not any("đoàn" in label for label in one)


def test_a_long_field_is_named_by_its_words_before_the_standard_it_meets() -> None:
    found = sector_statements(expand("Hai bên hợp tác trên các lĩnh vực: mở rộng vùng trồng điều hữu cơ xuất khẩu đạt "
                                     "chuẩn quốc tế; chế biến hạt điều; đào tạo công nhân."))
    assert "mở rộng vùng trồng điều hữu cơ xuất khẩu" in found and "chế biến hạt điều" in found


def test_pairs_listed_after_a_twinning_are_each_an_agreement_and_no_field(tmp_path: Path) -> None:
    news = ("Huyện Tam Nông và huyện Sơn Dương kết nghĩa\n\n"
            "Ngày 5/5/2023, UBND huyện Tam Nông (tỉnh Phú Thọ) và UBND huyện Sơn Dương (tỉnh Tuyên Quang) ký kết kết "
            "nghĩa giữa hai huyện.\n\n"
            "Các cặp xã kết nghĩa gồm: xã Dị Nậu (Tam Nông) - xã Tú Thịnh (Sơn Dương); xã Thọ Văn - xã Hợp Thành.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_tamnong_sonduong.txt", news.encode()).status == "added"
    assert [p.locality.split(",")[0] for p in store.partners("xã Dị Nậu")] == ["Xã Tú Thịnh"]
    assert store.agreements_between("xã Thọ Văn", "xã Hợp Thành")
    (districts,) = store.agreements_between("huyện Tam Nông", "huyện Sơn Dương")
    assert not any("xã" in sector for sector in districts.sectors)


def test_a_list_is_not_read_as_pairs_unless_every_item_is_two_places() -> None:
    from ingest.agreements import listed_pairs
    assert listed_pairs(expand("Các cặp xã kết nghĩa gồm: xã Dị Nậu - xã Tú Thịnh; du lịch - dịch vụ."), "") == []


def test_an_item_that_opens_with_a_place_is_no_field() -> None:
    from ingest.sectors import sector_labels
    assert sector_labels("xã Dị Nậu - xã Tú Thịnh; du lịch cộng đồng; huyện Sơn Dương") == ["du lịch cộng đồng"]


def test_a_body_that_will_organise_an_event_leads_it() -> None:
    (found,) = commitments_in(expand("UBND xã Tà Xùa sẽ tổ chức Ngày hội mận hậu Tà Xùa tại phường Yên Thịnh vào "
                                     "tháng 4/2026."))
    assert found.lead.name == "Ủy ban nhân dân xã Tà Xùa" and found.task == "Ngày hội mận hậu Tà Xùa"
    assert found.timeframe == "2026-04"
    # another lead named, or a helper, or a group as the subject: the clause says no more than before
    led_by_other = commitments_in(expand("Sở Du lịch tỉnh Yên Bái sẽ tổ chức hội chợ, do Trung tâm Thông tin chủ trì."))
    assert all(c.lead.name != "Sở Du lịch tỉnh Yên Bái" for c in led_by_other)
    assert commitments_in(expand("UBND hai xã sẽ tổ chức giải bóng chuyền tại xã Tà Xùa.")) == []


def test_a_body_of_several_places_is_no_body() -> None:
    assert parse_org("Ủy ban nhân dân hai huyện", None) is None
    assert parse_org("Sở Y tế 2 tỉnh", None) is None
    assert parse_org("Ban Quản lý các khu công nghiệp tỉnh Hưng Yên", None) is not None  # a body's own name


def test_a_title_is_answered_as_the_text_writes_it(tmp_path: Path) -> None:
    from ingest.normalize import as_written
    assert as_written("Chủ tịch Hội đồng quản trị", "ông Lò Văn Páo, Chủ tịch HĐQT Công ty Y") == "Chủ tịch HĐQT"
    assert as_written("Chủ tịch Hội đồng quản trị", "Chủ tịch Hội đồng quản trị Công ty Y") == "Chủ tịch Hội đồng quản trị"
    news = ("Yên Bái ký kết với doanh nghiệp\n\n"
            "Ngày 2/3/2024, UBND tỉnh Yên Bái ký Biên bản ghi nhớ với Công ty Cổ phần Quế Hồi Tây Bắc. Tham dự có ông "
            "Lò Văn Páo, Chủ tịch HĐQT kiêm Tổng Giám đốc Công ty Cổ phần Quế Hồi Tây Bắc.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_yenbai_quehoi.txt", news.encode()).status == "added"
    assert "Chủ tịch HĐQT" in {p.title for p in store.person("Lò Văn Páo")}


def test_a_surname_that_goes_on_a_body_s_name_starts_no_person() -> None:
    # "Lâm", "Phương" are surnames, but here they end the body's name: no person "Nông Lâm" or "Phương Nam"
    found = positions("Dự lễ có TS Hà Văn Tùng, Hiệu trưởng Trường Đại học Nông Lâm; ông Vi Đức Mạnh, Chủ tịch "
                      "HĐQT Công ty Cổ phần Điện gió Xanh Phương Nam.")
    assert set(found) == {"Hà Văn Tùng", "Vi Đức Mạnh"}
    assert found["Vi Đức Mạnh"] == [("Chủ tịch Hội đồng quản trị", "Công ty Cổ phần Điện gió Xanh Phương Nam")]
    # a title and a body without a place before a name: where the name begins is not sure, unless the word
    # before it is no surname and the name has three words
    assert positions("Hiệu trưởng Trường Đại học Nông Lâm Đinh Văn Hòa phát biểu.") == {}
    assert positions("Giám đốc Bệnh viện Bãi Cháy Lục Văn Tâm phát biểu.") == {
        "Lục Văn Tâm": [("Giám đốc", "Bệnh viện Bãi Cháy")]}


def test_people_named_for_a_side_hold_their_bare_titles_there() -> None:
    found = positions("Dự lễ có ông Lý Văn Quý, Phó Chủ tịch UBND tỉnh Hà Giang; về phía Bệnh viện Đa khoa Trung ương "
                      "Thái Nguyên có TS.BS Tạ Quang Huy - Giám đốc và ThS.BS Đào Thị Nhàn - Phó Giám đốc bệnh viện.")
    assert found["Tạ Quang Huy"] == [("Giám đốc", "Bệnh viện Đa khoa Trung ương Thái Nguyên")]
    assert found["Đào Thị Nhàn"] == [("Phó Giám đốc", "Bệnh viện Đa khoa Trung ương Thái Nguyên")]
    # without a side, 'bệnh viện' (a common noun) names no body: the title is left out
    assert positions("Bà Đào Thị Nhàn - Phó Giám đốc bệnh viện cho biết.") == {}


def test_a_name_with_an_apostrophe_is_one_name() -> None:
    found = positions("Dự lễ có bà K'Điểu Thị Nhung, Giám đốc Sở Y tế tỉnh Lâm Đồng.")
    assert found == {"K'Điểu Thị Nhung": [("Giám đốc", "Sở Y tế tỉnh Lâm Đồng")]}


def test_a_contact_point_after_the_one_task_of_its_sentence_is_that_task_s(tmp_path: Path) -> None:
    news = ("Hà Giang và Vĩnh Long hợp tác\n\n"
            "Ngày 3/3/2025, UBND tỉnh Hà Giang và UBND tỉnh Vĩnh Long ký kết Thỏa thuận hợp tác.\n\n"
            "Theo kế hoạch, Sở Công Thương tỉnh Vĩnh Long sẽ tổ chức Phiên chợ trái cây Vĩnh Long tại phường Hà "
            "Giang 1 vào tháng 5/2025, đầu mối là ông Thạch Văn Sơn, Phó Chi cục trưởng Chi cục Quản lý thị "
            "trường, điện thoại 0270.3111.222.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_hagiang_vinhlong.txt", news.encode()).status == "added"
    (contact, *_) = store.contacts("Phiên chợ trái cây Vĩnh Long")
    assert contact.person == "Thạch Văn Sơn" and contact.phone == "0270.3111.222"


def test_an_agreement_planned_proposed_drafted_or_denied_is_not_made() -> None:
    for sentence in ("Lãnh đạo tỉnh Sơn La đề nghị tỉnh Cà Mau sớm ký kết Thỏa thuận hợp tác giữa hai tỉnh.",
                     "Hai tỉnh Sơn La và Cà Mau thống nhất sẽ ký kết thỏa thuận hợp tác trong thời gian tới.",
                     "Tỉnh Sơn La và tỉnh Cà Mau dự kiến ký kết Chương trình hợp tác vào quý II/2026.",
                     "Tỉnh Sơn La và tỉnh Cà Mau đang xây dựng dự thảo Thỏa thuận hợp tác.",
                     "Thỏa thuận hợp tác giữa tỉnh Sơn La và tỉnh Cà Mau sẽ được ký vào tháng 12.",
                     "Tỉnh Sơn La và tỉnh Cà Mau chưa ký kết thỏa thuận hợp tác."):
        assert find_agreement(expand(sentence), "", 2025) is None, sentence
    for sentence in ("Tỉnh Sơn La và tỉnh Cà Mau đã ký kết thỏa thuận hợp tác, sẽ triển khai từ năm 2026.",
                     "Chiều 5/5, tỉnh Sơn La và tỉnh Cà Mau ký kết Thỏa thuận hợp tác, theo đó hai bên sẽ ký kế hoạch "
                     "hằng năm."):
        assert find_agreement(expand(sentence), "", 2025) is not None, sentence


def test_a_title_s_body_ends_before_the_verb_of_the_sentence() -> None:
    assert positions("Đoàn công tác do ông Quàng Văn Nhất, Phó Bí thư Tỉnh ủy Lai Châu dẫn đầu.") == {
        "Quàng Văn Nhất": [("Phó Bí thư", "Tỉnh ủy tỉnh Lai Châu")]}
    assert positions("Đoàn do ông Quàng Văn Nhất, Giám đốc Sở Y tế dẫn đầu.") == {"Quàng Văn Nhất": [("Giám đốc", "Sở Y tế")]}


def test_a_body_asked_to_lead_is_no_lead_yet() -> None:
    for sentence in ("Sở Công Thương tỉnh Sơn La đề nghị Sở Công Thương tỉnh Cà Mau chủ trì tổ chức hội chợ OCOP.",
                     "Sở Y tế tỉnh Sơn La mong muốn Bệnh viện Đa khoa tỉnh Cà Mau chủ trì đào tạo kỹ thuật nội soi."):
        assert commitments_in(expand(sentence)) == [], sentence


def test_a_body_that_organises_an_event_with_another_leads_it_and_the_other_coordinates() -> None:
    (found,) = commitments_in(expand("Sáng 12/4/2026, tại xã Bát Xát, tỉnh Lào Cai, Ban Tuyên giáo Tỉnh ủy Lào Cai phối "
                                     "hợp với Sở Văn hóa, Thể thao và Du lịch tỉnh Tuyên Quang tổ chức Hội thi tìm hiểu "
                                     "văn hóa các dân tộc vùng cao năm 2026."))
    assert (found.task, found.lead.name) == ("Hội thi tìm hiểu văn hóa các dân tộc vùng cao năm 2026",
                                             "Ban Tuyên giáo Tỉnh ủy tỉnh Lào Cai")
    assert [c.name for c in found.coordinators] == ["Sở Văn hóa, Thể thao và Du lịch tỉnh Tuyên Quang"]
    assert (found.timeframe, found.place) == ("2026-04-12", "xã Bát Xát")  # the day and place written before
    for joint in ("Sở Công Thương tỉnh Lào Cai và Sở Du lịch tỉnh Lào Cai phối hợp với Hội Nông dân tỉnh Lào Cai tổ "
                  "chức Phiên chợ vùng cao.",  # two bodies: held jointly, no one lead
                  "Hai tỉnh phối hợp với Sở Công Thương tỉnh Lào Cai tổ chức Phiên chợ vùng cao.",
                  "Phiên chợ vùng cao do Sở Công Thương tỉnh Lào Cai phối hợp với Hội Nông dân tỉnh Lào Cai tổ chức."):
        assert commitments_in(expand(joint)) == [], joint
    (named,) = commitments_in(expand("UBND huyện Kỳ Sơn phối hợp với Sở Công Thương tỉnh Nghệ An tổ chức Phiên chợ vùng "
                                     "cao; Sở Công Thương tỉnh Nghệ An chủ trì."))
    assert named.lead.name == "Sở Công Thương tỉnh Nghệ An"  # a lead named outright outranks the body that organises


def test_a_clause_reported_after_a_verb_of_saying_opens_with_its_own_subject() -> None:
    (found,) = commitments_in(expand("Về nhiệm vụ năm tới, ông Vi Văn Thử cho biết Sở Công Thương tỉnh Cao Bằng sẽ chủ "
                                     "trì tổ chức Hội chợ biên mậu Cao Bằng năm 2026."))
    assert (found.task, found.lead.name) == ("Hội chợ biên mậu Cao Bằng năm 2026", "Sở Công Thương tỉnh Cao Bằng")


def test_a_body_given_a_standing_role_leads_the_follow_up_of_the_agreement() -> None:
    (given,) = commitments_in(expand("UBND tỉnh Bình Phước giao Sở Tài chính tỉnh Bình Phước làm cơ quan đầu mối theo "
                                     "dõi thực hiện thỏa thuận với tỉnh Kon Tum."))
    assert (given.task, given.lead.name) == ("Theo dõi thực hiện thỏa thuận với tỉnh Kon Tum",
                                             "Sở Tài chính tỉnh Bình Phước")
    (standing,) = commitments_in(expand("Sở Kế hoạch và Đầu tư tỉnh Hòa Bình là cơ quan thường trực, đầu mối theo dõi "
                                        "việc thực hiện chương trình hợp tác với hai tỉnh."))
    assert standing.lead.name == "Sở Kế hoạch và Đầu tư tỉnh Hòa Bình"
    assert standing.full.startswith("cơ quan thường trực, đầu mối theo dõi")  # asked by its role as well
    for unsure in ("Sở Công Thương hai tỉnh làm đầu mối theo dõi việc thực hiện thỏa thuận.",  # two bodies
                   "Ông Hà Văn Thử làm đầu mối theo dõi việc thực hiện thỏa thuận.",  # a person, not a body
                   "Sở Tài chính tỉnh Bình Phước và Sở Tài chính tỉnh Kon Tum là cơ quan đầu mối theo dõi thỏa thuận."):
        assert commitments_in(expand(unsure)) == [], unsure


def test_a_lead_given_a_follow_up_after_its_comma_leads_that_follow_up() -> None:
    (found,) = commitments_in(expand("Sở Y tế tỉnh Hà Giang chủ trì, theo dõi việc triển khai Đề án khám chữa bệnh từ xa "
                                     "trên địa bàn tỉnh, định kỳ 6 tháng báo cáo UBND tỉnh."))
    assert (found.task, found.lead.name) == ("theo dõi việc triển khai Đề án khám chữa bệnh từ xa trên địa bàn tỉnh",
                                             "Sở Y tế tỉnh Hà Giang")


def test_a_leader_s_request_to_a_body_of_the_committee_they_lead_is_an_assignment(tmp_path: Path) -> None:
    def article(asker: str) -> str:
        return ("Tin\n\nNgày 3/3/2026, Bệnh viện Nhi Trung ương và Bệnh viện Đa khoa tỉnh Hà Giang ký thỏa thuận hợp "
                f"tác hỗ trợ chuyên môn. Dự lễ có {asker}.\n"
                "Phát biểu tại buổi lễ, ông Lương Văn Thử đề nghị Sở Y tế tỉnh Hà Giang chủ trì, theo dõi việc triển "
                "khai Đề án khám chữa bệnh từ xa trên địa bàn tỉnh.\n")
    nodes, rels = graph_of("tin.txt", article("ông Lương Văn Thử, Phó Chủ tịch UBND tỉnh Hà Giang"))
    (task,) = [n for n in nodes.values() if n.kind == "Task"]
    assert task.name.startswith("theo dõi việc triển khai Đề án khám chữa bệnh từ xa")
    assert related(nodes, rels, task.name, "LED_BY") == ["Sở Y tế tỉnh Hà Giang"]
    # a leader of another province, or of a department, only asks: who will lead is not yet said
    for asker in ("ông Lương Văn Thử, Phó Chủ tịch UBND tỉnh Tuyên Quang", "ông Lương Văn Thử, Giám đốc Sở Y tế tỉnh Lào Cai"):
        nodes, _ = graph_of("tin.txt", article(asker))
        assert not [n for n in nodes.values() if n.kind == "Task"], asker
    assert commitments_in(expand("Ông Lương Văn Thử đề nghị Sở Y tế tỉnh Hà Giang chủ trì, theo dõi việc triển khai "
                                 "Đề án khám chữa bệnh từ xa.")) == []  # who asks is not known


def test_a_follow_up_of_an_agreement_carries_out_the_one_its_paragraph_names(tmp_path: Path) -> None:
    news = ("Hải Dương ký kết hợp tác với ba tỉnh\n\n"
            "Ngày 8/12/2025, UBND tỉnh Gia Lai tổ chức Hội nghị ký kết Thỏa thuận hợp tác giai đoạn 2026 - 2030 với "
            "UBND các tỉnh Cà Mau, An Giang và Vĩnh Long.\n"
            "Theo thỏa thuận, Gia Lai và các tỉnh hợp tác trên các lĩnh vực: du lịch; nông nghiệp. Sở Tài chính tỉnh "
            "Gia Lai là cơ quan thường trực, đầu mối theo dõi việc thực hiện thỏa thuận với 3 tỉnh.\n"
            "Cũng tại hội nghị, UBND tỉnh Gia Lai và Trường Đại học Cần Thơ ký biên bản ghi nhớ về đào tạo nhân lực.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_gialai.txt", news.encode()).status == "added"
    (lead, *_) = store.lead("cơ quan thường trực theo dõi thỏa thuận giữa Gia Lai và các tỉnh Cà Mau, An Giang, Vĩnh Long")
    assert lead.organization == "Sở Tài chính tỉnh Gia Lai"


def test_a_contact_named_after_contact_me_in_running_text_is_the_contact_of_the_task_before(tmp_path: Path) -> None:
    news = ("Bình Định và Gia Lai hợp tác xúc tiến thương mại\n\n"
            "Chiều 4/3/2025, Sở Công Thương tỉnh Bình Định và Sở Công Thương tỉnh Gia Lai ký kết Chương trình hợp tác "
            "xúc tiến thương mại.\n"
            "Hoạt động đầu tiên là Hội chợ Nông sản Bình Định – Gia Lai 2025 tại thành phố Quy Nhơn. Trung tâm Xúc tiến "
            "thương mại tỉnh Bình Định chủ trì tổ chức hội chợ. Doanh nghiệp quan tâm liên hệ ông Đặng Văn Thử, Phó Giám "
            "đốc Trung tâm Xúc tiến thương mại tỉnh Bình Định, điện thoại: 0256.3999.123.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_binhdinh.txt", news.encode()).status == "added"
    (contact, *_) = store.contacts("hội chợ nông sản Bình Định Gia Lai 2025 liên hệ ai")
    assert (contact.person, contact.phone) == ("Đặng Văn Thử", "0256.3999.123")
    assert contact.organization == "Trung tâm Xúc tiến thương mại tỉnh Bình Định"
    # the verb names a person only with an honorific and a capital after it
    assert prose_contacts(expand("Hai bên tăng cường liên hệ với bà con vùng cao.")) == []
    assert prose_contacts(expand("Doanh nghiệp liên hệ Sở Công Thương tỉnh Gia Lai để đăng ký.")) == []


def test_a_helper_s_name_ends_before_the_task_s_verb() -> None:
    (found,) = commitments_in(expand("UBND tỉnh Sơn La giao Sở Y tế tỉnh Sơn La chủ trì, phối hợp với Sở Tài chính tỉnh "
                                     "Sơn La xây dựng kế hoạch đào tạo điều dưỡng."))
    assert found.task == "xây dựng kế hoạch đào tạo điều dưỡng"
    assert [c.name for c in found.coordinators] == ["Sở Tài chính tỉnh Sơn La"]


def test_people_named_in_a_plan_s_prose_hold_their_titles(tmp_path: Path) -> None:
    plan = ("ỦY BAN NHÂN DÂN TỈNH SƠN LA\n\nSố: 77/KH-UBND\n\nSơn La, ngày 4 tháng 2 năm 2026\n\nKẾ HOẠCH\n\n"
            "Thực hiện Thỏa thuận hợp tác giữa tỉnh Sơn La và tỉnh Cà Mau năm 2026\n\n"
            "Thỏa thuận do ông Cầm Văn Sướng, Phó Chủ tịch UBND tỉnh Sơn La, và bà Quách Thị Diễm, Phó Chủ tịch UBND "
            "tỉnh Cà Mau, ký kết ngày 10/12/2025.\n\n"
            "Nơi nhận:\n- Như trên;\n\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nCầm Văn Sướng\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "kh_sonla_camau.txt", plan.encode()).status == "added"
    (held, *_) = store.person("Quách Thị Diễm")
    assert (held.title, held.organization) == ("Phó Chủ tịch", "Ủy ban nhân dân tỉnh Cà Mau")
    assert any(p.organization == "Ủy ban nhân dân tỉnh Sơn La" for p in store.person("Cầm Văn Sướng"))


def test_a_contact_opening_its_sentence_is_the_one_task_before_s_and_a_division_head_works_there(tmp_path: Path) -> None:
    news = ("Quận Cầu Giấy và huyện Mù Cang Chải hợp tác\n\n"
            "Ngày 6/6/2024, UBND quận Cầu Giấy và UBND huyện Mù Cang Chải ký kết Biên bản ghi nhớ hợp tác.\n\n"
            "Quận Cầu Giấy sẽ tổ chức Ngày hội sản vật vùng cao tại phường Dịch Vọng vào tháng 9/2024. Đầu mối: ông "
            "Triệu Văn Chiến, Trưởng phòng Kinh tế quận Cầu Giấy, ĐT 0912 000 111.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_caugiay.txt", news.encode()).status == "added"
    (contact, *_) = store.contacts("Ngày hội sản vật vùng cao")
    assert contact.person == "Triệu Văn Chiến" and fold(contact.organization) == fold("Phòng Kinh tế quận Cầu Giấy")


def test_a_contact_whose_body_is_not_known_is_given_to_no_task(tmp_path: Path) -> None:
    news = ("Quận Cầu Giấy và huyện Mù Cang Chải hợp tác\n\n"
            "Ngày 6/6/2024, UBND quận Cầu Giấy và UBND huyện Mù Cang Chải ký kết Biên bản ghi nhớ hợp tác.\n\n"
            "Quận Cầu Giấy sẽ tổ chức Ngày hội sản vật vùng cao tại phường Dịch Vọng vào tháng 9/2024. Đầu mối: ông "
            "Triệu Văn Chiến, chuyên viên, ĐT 0912 000 111.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_caugiay.txt", news.encode()).status == "added"
    assert store.contacts("Ngày hội sản vật vùng cao") == []


def test_whose_and_who_witnessed_are_not_parties() -> None:
    assert find_agreement(expand("Sở Du lịch tỉnh Lạng Sơn ký kết hợp tác với các doanh nghiệp lữ hành của tỉnh Kiên "
                                 "Giang."), "", 2024) is None
    assert find_agreement(expand("Nhân dịp này, hai tỉnh Lạng Sơn và Kiên Giang chứng kiến lễ ký kết biên bản ghi nhớ "
                                 "giữa Hiệp hội Du lịch hai tỉnh."), "", 2024) is None
    kept = find_agreement(expand("Tỉnh Lạng Sơn và tỉnh Kiên Giang ký kết thỏa thuận hợp tác, chứng kiến có đại diện "
                                 "tỉnh Cà Mau."), "", 2024)
    assert kept is not None and sorted(p.name for p in kept.parties) == ["Tỉnh Kiên Giang", "Tỉnh Lạng Sơn"]


def test_the_day_of_a_review_of_an_agreement_signed_before_is_not_its_signing(tmp_path: Path) -> None:
    sentence = ("Ngày 5/3/2024, UBND tỉnh Lạng Sơn tổ chức hội nghị sơ kết Thỏa thuận hợp tác đã ký kết giữa tỉnh Lạng "
                "Sơn và tỉnh Kiên Giang.")
    mention = find_agreement(expand(sentence), "", 2024)
    assert mention is not None and mention.date_signed is None
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_soket.txt", f"Sơ kết hợp tác\n\n{sentence}\n".encode()).status == "added"
    (agreement,) = store.agreements_between("tỉnh Lạng Sơn", "tỉnh Kiên Giang")
    assert agreement.date is None
    signing = find_agreement(expand("Ngày 5/3/2024, tỉnh Lạng Sơn và tỉnh Kiên Giang ký kết Thỏa thuận hợp tác."), "", 2024)
    assert signing is not None and signing.date_signed == "2024-03-05"


def test_a_review_of_one_agreement_and_the_signing_of_the_next_at_one_event_are_two_agreements(
        tmp_path: Path) -> None:
    news = ("Hai sở ký kết giai đoạn mới\n\nThứ Tư, 12/06/2024\n\n"
            "Ngày 11-6, Sở Tư pháp tỉnh Cao Bằng và Sở Tư pháp tỉnh Cà Mau tổ chức hội nghị tổng kết chương trình hợp tác "
            "giai đoạn 2019 - 2023 và ký kết Thỏa thuận hợp tác giai đoạn 2024 - 2028.\n\n"
            "Theo thỏa thuận mới, hai bên hợp tác trong các lĩnh vực: phổ biến, giáo dục pháp luật; trợ giúp pháp lý.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_hai_so.txt", news.encode()).status == "added"
    found = {a.title.split(" giữa ")[0]: a for a in store.agreements_between("Sở Tư pháp Cao Bằng", "Sở Tư pháp Cà Mau")}
    assert found["Thỏa thuận hợp tác"].date == "2024-06-11"
    assert "trợ giúp pháp lý" in found["Thỏa thuận hợp tác"].sectors
    assert found["Chương trình hợp tác"].date is None  # reviewed that day, signed before
    assert "trợ giúp pháp lý" not in found["Chương trình hợp tác"].sectors


def test_the_fields_after_a_semicolon_are_the_agreements_not_those_of_the_place_before(tmp_path: Path) -> None:
    news = ("Hai xã ký kết hợp tác\n\nThứ Năm, 06/11/2025\n\n"
            "Ngày 5/11/2025, UBND xã Tân Hòa, tỉnh Tây Ninh và UBND phường Láng, Thành phố Hà Nội ký kết Biên bản ghi "
            "nhớ hợp tác.\n\n"
            "Ông Lê Hải Dương cho biết, xã Tân Hòa có thế mạnh về cây mì và du lịch sinh thái; hai bên thống nhất hợp "
            "tác về nông nghiệp; văn hóa, thể thao.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_hai_xa.txt", news.encode()).status == "added"
    (agreement,) = store.agreements_between("xã Tân Hòa, Tây Ninh", "phường Láng")
    assert "nông nghiệp" in agreement.sectors


def test_each_legal_basis_of_a_plan_names_its_own_agreement() -> None:
    sentence = expand("Căn cứ Chương trình hợp tác giữa Sở Tư pháp tỉnh Cao Bằng và Sở Tư pháp tỉnh Cà Mau ký ngày "
                      "4/7/2024; căn cứ kết quả hội nghị tổng kết hợp tác giữa Sở Tư pháp tỉnh Bắc Kạn và Sở Tư pháp "
                      "tỉnh Cà Mau giai đoạn 2019 - 2023;")
    found = [m for clause in agreement_clauses(sentence) if (m := find_agreement(clause, "", 2024))]
    assert [sorted(p.name for p in m.parties) for m in found] == [
        ["Sở Tư pháp tỉnh Cao Bằng", "Sở Tư pháp tỉnh Cà Mau"]]
    assert found[0].date_signed == "2024-07-04"


def test_the_proposal_closing_a_plan_s_preamble_is_no_party_of_the_agreement_it_cites() -> None:
    sentence = expand("Căn cứ Biên bản ghi nhớ hợp tác giữa UBND tỉnh Kon Tum và UBND tỉnh Hậu Giang ký ngày "
                      "14/10/2024 tại thành phố Vị Thanh; xét đề nghị của Giám đốc Sở Nội vụ, UBND tỉnh Kon Tum ban "
                      "hành Kế hoạch như sau:")
    found = [m for clause in agreement_clauses(sentence) if (m := find_agreement(clause, "", 2025))]
    assert [sorted(p.name for p in m.parties) for m in found] == [["Tỉnh Hậu Giang", "Tỉnh Kon Tum"]]
    assert found[0].date_signed == "2024-10-14"


def test_a_hospital_named_central_with_another_head_inside_its_name_is_one_party() -> None:
    assert parse_org(expand("BVĐK Trung tâm tỉnh Bạc Liêu"), None).name == "Bệnh viện Đa khoa Trung tâm tỉnh Bạc Liêu"
    assert parse_org(expand("UBND tám tỉnh"), None) is None  # 'tám tỉnh' is eight provinces, 'tâm tỉnh' is not
    assert parse_org(expand("BVĐK Trung tâm tỉnh Bạc Liêu và đại diện Sở Y tế tỉnh Cà Mau"), None).name == (
        "Bệnh viện Đa khoa Trung tâm tỉnh Bạc Liêu")
    mention = find_agreement(expand("Sáng 3-5, Bệnh viện Nhi tỉnh Cà Mau và Bệnh viện Đa khoa Trung tâm tỉnh Bạc Liêu "
                                    "ký kết thỏa thuận hợp tác chuyên môn."), "", 2024)
    assert mention is not None and sorted(p.name for p in mention.parties) == [
        "Bệnh viện Nhi tỉnh Cà Mau", "Bệnh viện Đa khoa Trung tâm tỉnh Bạc Liêu"]


def test_the_person_in_charge_after_a_task_is_its_contact(tmp_path: Path) -> None:
    news = ("Bệnh viện hai tỉnh hợp tác\n\n"
            "Ngày 2/4/2025, Bệnh viện Đa khoa tỉnh Lạng Sơn và Bệnh viện Đa khoa tỉnh Kiên Giang ký kết Biên bản ghi "
            "nhớ hợp tác.\n\n"
            "Theo kế hoạch, Trung tâm Chấn thương - Bệnh viện Đa khoa tỉnh Lạng Sơn chủ trì đào tạo kỹ thuật mổ nội soi "
            "khớp gối trong năm 2025. Người phụ trách là ThS.BS Hoàng Văn Kiểm, Phó Giám đốc Trung tâm Chấn thương, "
            "điện thoại 0205 000 123.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_bv.txt", news.encode()).status == "added"
    (contact, *_) = store.contacts("đào tạo kỹ thuật mổ nội soi khớp gối")
    assert contact.person == "Hoàng Văn Kiểm" and contact.phone == "0205 000 123"


def test_the_body_given_an_event_leads_it_not_the_body_that_pays() -> None:
    (found,) = commitments_in(expand("Sở Công Thương tỉnh Kiên Giang tài trợ kinh phí tổ chức Phiên chợ hàng Việt về xã "
                                     "Tân Thanh (Lạng Sơn) vào tháng 11/2025; Trung tâm Khuyến công tỉnh Lạng Sơn được "
                                     "giao tổ chức thực hiện phiên chợ."))
    assert found.lead.name == "Trung tâm Khuyến công tỉnh Lạng Sơn"
    assert found.task.startswith("Phiên chợ hàng Việt về xã Tân Thanh") and found.timeframe == "2025-11"
    # assigned words that name another thing than the event before: nothing is sure
    assert commitments_in(expand("Sở Công Thương tỉnh Kiên Giang tài trợ kinh phí tổ chức Phiên chợ hàng Việt; Trung "
                                 "tâm Khuyến công tỉnh Lạng Sơn được giao thực hiện khảo sát thị trường.")) == []


def test_a_doctor_s_or_engineer_s_short_title_before_a_name_is_an_honorific() -> None:
    assert positions("Dự lễ có BS Lương Văn Khiêm, Giám đốc Bệnh viện Đa khoa tỉnh Kiên Giang.") == {
        "Lương Văn Khiêm": [("Giám đốc", "Bệnh viện Đa khoa tỉnh Kiên Giang")]}
    assert positions("Dự lễ có KS Hà Thị Lụa, Phó Giám đốc Sở Xây dựng tỉnh Lạng Sơn.") == {
        "Hà Thị Lụa": [("Phó Giám đốc", "Sở Xây dựng tỉnh Lạng Sơn")]}


def test_a_body_that_will_carry_out_works_leads_them_and_a_bare_head_leads_nothing() -> None:
    (found,) = commitments_in(expand("Trường Đại học Lâm nghiệp sẽ xây dựng mô hình trồng quế hữu cơ tại xã Tân Thanh "
                                     "trong năm 2026."))
    assert found.lead.name == "Trường Đại học Lâm nghiệp" and found.task.startswith("mô hình trồng quế hữu cơ")
    assert commitments_in(expand("Công ty sẽ xây dựng nhà máy chế biến quế tại xã Tân Thanh.")) == []
    assert commitments_in(expand("Sở sẽ chủ trì tổ chức hội chợ quế tại xã Tân Thanh.")) == []


def test_fields_numbered_in_brackets_one_a_line_are_the_agreement_s_with_a_long_item_s_first_words() -> None:
    text = ("Tin\n\nNgày 8/5/2023, UBND tỉnh Phú Yên và UBND tỉnh Hà Nam ký kết thỏa thuận hợp tác giai đoạn 2023 - 2027.\n\n"
            "Theo thỏa thuận, hai bên tập trung vào 3 nội dung chính:\n\n"
            "(1) Phát triển du lịch biển, kết nối tour giữa hai tỉnh, quảng bá điểm đến trên các nền tảng số;\n\n"
            "(2) Thương mại điện tử;\n\n(3) Y tế cơ sở.\n")
    nodes, rels = graph_of("tin.txt", text)
    (agreement,) = [n for n in nodes.values() if n.kind == "Agreement"]
    covered = related(nodes, rels, agreement.name, "COVERS")
    assert {"thương mại điện tử", "y tế cơ sở"} <= set(covered)
    assert any(label.startswith("phát triển du lịch biển") for label in covered)  # not the whole sentence


def test_numbered_fields_run_together_on_one_line_are_each_a_label() -> None:
    found = bullet_sectors("(1) Thương mại điện tử; (2) Phát triển du lịch biển, kết nối tour giữa hai tỉnh, quảng bá điểm "
                           "đến trên các nền tảng số; (3) Y tế cơ sở.")
    assert {"thương mại điện tử", "y tế cơ sở"} <= set(found)
    assert any(label.startswith("phát triển du lịch biển") for label in found)


PAIRS_TABLE = ("Ba phường ở Lào Cai kết nghĩa với ba xã vùng cao\n\nThứ Hai, 09/03/2026 - 10:00\n\n"
               "Sáng 7/3/2026, tại phường Cam Đường, Tỉnh ủy Lào Cai tổ chức lễ ký kết kết nghĩa giữa 2 phường với "
               "2 xã vùng cao. {intro}\n\n"
               "STT\tPhường\tXã kết nghĩa\tGhi chú\n1\tPhường Cam Đường\tXã Y Tý\thuyện Bát Xát (cũ)\n"
               "2\tPhường Sa Pa\tXã Bản Hồ\tthị xã Sa Pa (cũ)\n\nHai bên thống nhất hỗ trợ nhau về giáo dục.\n")


def test_a_table_of_twinned_pairs_gives_each_row_s_two_places_and_not_the_note_of_where_they_were() -> None:
    nodes, _ = graph_of("tin.txt", PAIRS_TABLE.format(intro="Các cặp kết nghĩa gồm:"))
    agreements = sorted((n.name, n.properties.get("date_signed")) for n in nodes.values() if n.kind == "Agreement")
    assert agreements == [("Kết nghĩa giữa phường Cam Đường và xã Y Tý", "2026-03-07"),
                          ("Kết nghĩa giữa phường Sa Pa và xã Bản Hồ", "2026-03-07")]


def test_a_table_no_line_announces_as_pairs_names_no_pair() -> None:
    nodes, _ = graph_of("tin.txt", PAIRS_TABLE.format(intro="Danh sách các địa phương tham dự:"))
    assert not [n for n in nodes.values() if n.kind == "Agreement" and "Y Tý" in n.name]


# --- plans a department issues ----------------------------------------------------------------------

DEPARTMENT_PLAN = ("UBND TỈNH YÊN BÁI\nSỞ Y TẾ\n\nSố: 77/KH-SYT\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                   "Độc lập - Tự do - Hạnh phúc\n\nYên Bái, ngày 02 tháng 3 năm 2023\n\nKẾ HOẠCH\n\n"
                   "Triển khai chương trình khám bệnh lưu động năm 2023\n\n"
                   "I. MỤC ĐÍCH\n\nNâng cao chất lượng khám, chữa bệnh tại tuyến xã.\n\n"
                   "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\n\nĐinh Thị Ngân Hà\n")


def test_a_department_issuing_under_its_province_signs_as_the_department() -> None:
    nodes, rels = graph_of("kh.txt", DEPARTMENT_PLAN)
    (signer,) = [n for n in nodes.values() if n.kind == "Person"]
    assert signer.name == "Đinh Thị Ngân Hà"
    held = [(nodes[r.end].name, r.properties.get("title")) for r in rels if r.start == signer.id and r.type == "HOLDS"]
    assert held == [("Sở Y tế tỉnh Yên Bái", "Phó Giám đốc")]


def test_a_head_signing_in_person_prints_only_the_title_and_may_print_a_degree_before_the_name() -> None:
    text = DEPARTMENT_PLAN.replace("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\n\nĐinh Thị Ngân Hà", "GIÁM ĐỐC\n\n\nBSCKII. Đinh Thị Ngân Hà")
    nodes, rels = graph_of("kh.txt", text)
    (signer,) = [n for n in nodes.values() if n.kind == "Person"]
    assert signer.name == "Đinh Thị Ngân Hà"
    held = [(nodes[r.end].name, r.properties.get("title")) for r in rels if r.start == signer.id and r.type == "HOLDS"]
    assert held == [("Sở Y tế tỉnh Yên Bái", "Giám đốc")]


def test_a_title_in_capitals_away_from_the_recipients_list_begins_no_signature() -> None:
    text = DEPARTMENT_PLAN.replace("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\n\nĐinh Thị Ngân Hà", "")
    text = text.replace("I. MỤC ĐÍCH\n", "I. MỤC ĐÍCH\n\nGIÁM ĐỐC\n\nĐinh Thị Ngân Hà\n")
    nodes, _ = graph_of("kh.txt", text)
    assert not [n for n in nodes.values() if n.kind == "Person"]


def test_a_place_ending_in_dong_before_chu_tri_is_no_co_chair() -> None:
    (found,) = commitments_in(expand("Hai bên thống nhất tổ chức Ngày hội ẩm thực làng nghề tại huyện Thạch Thất vào "
                                     "tháng 5/2026; UBND xã Đại Đồng chủ trì, Trung tâm Văn hóa huyện Thạch Thất phối hợp."))
    assert (found.task, found.lead.name) == ("Ngày hội ẩm thực làng nghề", "Ủy ban nhân dân xã Đại Đồng")
    assert [o.name for o in found.coordinators] == ["Trung tâm Văn hóa huyện Thạch Thất"]
    assert commitments_in(expand("Đồng chủ trì hội nghị có ông Tạ Văn Lâm và bà Kiều Thị Mơ.")) == []


def test_a_lead_that_only_organises_leads_the_event_the_clause_before_names() -> None:
    (found,) = commitments_in(expand("Theo Sở Nội vụ, năm 2026 thành phố sẽ phối hợp với hiệp hội tổ chức Lễ hội hoa "
                                     "sen Ứng Hòa tại xã Hòa Xá, từ ngày 2 đến 4/6/2026; Trung tâm Xúc tiến Du lịch "
                                     "thành phố chủ trì tổ chức."))
    assert (found.task, found.lead.body) == ("Lễ hội hoa sen Ứng Hòa", "Trung tâm Xúc tiến Du lịch")
    assert found.place == "xã Hòa Xá"


def test_a_person_given_the_lead_makes_the_body_they_head_the_lead() -> None:
    (found,) = commitments_in(expand("Sáng nay, Sở Du lịch hai địa phương đã bàn về việc tổ chức Tuần ẩm thực Phú "
                                     "Xuyên tại Sơn Tây vào tháng 8/2026; ông Khúc Văn Tường, Giám đốc Sở Du lịch "
                                     "thành phố Hà Nội, được giao chủ trì chuẩn bị nội dung."))
    assert (found.task, found.lead.name) == ("Tuần ẩm thực Phú Xuyên", "Sở Du lịch Thành phố Hà Nội")
    assert found.timeframe == "2026-08"
    # a person who chairs a meeting leads no task
    assert commitments_in(expand("Ông Khúc Văn Tường, Giám đốc Sở Du lịch thành phố Hà Nội chủ trì buổi làm việc "
                                 "với đoàn công tác.")) == []


def test_works_a_gift_pays_for_are_led_by_the_investor_named_in_the_same_sentence() -> None:
    (school,) = commitments_in(expand("Huyện Phúc Thọ hỗ trợ 3 tỷ đồng xây dựng Trường Mầm non Sơn Ca, xã Đại Đồng; "
                                      "UBND xã Đại Đồng làm chủ đầu tư, dự kiến khởi công tháng 4/2026."))
    assert (school.task, school.lead.name, school.timeframe) == ("Xây dựng Trường Mầm non Sơn Ca",
                                                                 "Ủy ban nhân dân xã Đại Đồng", "2026-04")
    (hall,) = commitments_in(expand("Thành phố cũng cam kết hỗ trợ xây dựng Nhà văn hóa bản Nà Ngần (tỉnh Tuyên "
                                    "Quang), dự kiến khởi công trong quý II/2026, do Sở Xây dựng thành phố Hà Nội làm "
                                    "chủ đầu tư."))
    assert hall.task.startswith("Xây dựng Nhà văn hóa bản Nà Ngần") and hall.lead.name == "Sở Xây dựng Thành phố Hà Nội"
    assert hall.timeframe == "2026-Q2"
    # two works before one investor: which ones it builds is not clear
    assert commitments_in(expand("Thành phố cũng hỗ trợ xây dựng Nhà văn hóa bản Nà Ngần, nâng cấp đường vào bản, do "
                                 "Sở Xây dựng thành phố Hà Nội làm chủ đầu tư.")) == []


def test_the_body_that_receives_a_gift_and_builds_leads_what_it_is_for_not_the_giver() -> None:
    (houses,) = commitments_in(expand("Dịp này, UBND huyện Phúc Thọ trao 400 triệu đồng cho Quỹ Vì người nghèo huyện "
                                      "Đà Bắc để hỗ trợ xây 8 căn nhà cho hộ nghèo; Ủy ban MTTQ Việt Nam huyện Đà Bắc "
                                      "tiếp nhận và tổ chức xây dựng."))
    assert (houses.task, houses.lead.name) == ("Xây 8 căn nhà cho hộ nghèo",
                                               "Ủy ban Mặt trận Tổ quốc Việt Nam huyện Đà Bắc")
    (moved,) = commitments_in(expand("Tại buổi lễ, thành phố Hà Nội trao tặng tỉnh Tuyên Quang 15 tỷ đồng hỗ trợ xây "
                                     "dựng 200 căn nhà Đại đoàn kết; số tiền được chuyển về Ủy ban MTTQ Việt Nam tỉnh "
                                     "Tuyên Quang để tiếp nhận và tổ chức thực hiện."))
    assert moved.lead.name == "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Tuyên Quang"
    # a body that only receives the money carries nothing out; a gift helping a place names no task
    assert commitments_in(expand("Dịp này, huyện Phúc Thọ trao 1 tỷ đồng hỗ trợ huyện Đà Bắc khắc phục hậu quả lũ "
                                 "quét; Ủy ban MTTQ Việt Nam huyện Đà Bắc tiếp nhận.")) == []


def test_help_promised_with_a_contact_of_the_helper_is_a_task_with_that_contact(tmp_path: Path) -> None:
    news = ("Hai xã kết nghĩa\n\n"
            "Ngày 4/3/2026, tại xã Võng Xuyên, xã Võng Xuyên và xã Hát Môn (thành phố Hà Nội) đã ký kết "
            "chương trình kết nghĩa giai đoạn 2026 - 2030, với nhiều nội dung thiết thực cho nhân dân hai xã.\n"
            "Xã Võng Xuyên hỗ trợ xã Hát Môn phát triển nghề dệt thổ cẩm gắn với bản Sưng; ông Đinh Công Tráng, Phó Chủ "
            "tịch UBND xã Võng Xuyên được giao làm đầu mối, ĐT 0987.120.456.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_daidong_dabac.txt", news.encode()).status == "added"
    (lead, *_) = store.lead("hỗ trợ xã Hát Môn phát triển nghề dệt thổ cẩm")
    assert lead.organization == "Ủy ban nhân dân xã Võng Xuyên"
    (contact, *_) = store.contacts("hỗ trợ xã Hát Môn phát triển nghề dệt thổ cẩm")
    assert (contact.person, contact.phone) == ("Đinh Công Tráng", "0987.120.456")
    # a promise of help with no contact of the helper stays a promise
    assert commitments_in(expand("Xã Võng Xuyên hỗ trợ xã Hát Môn phát triển nghề dệt thổ cẩm; ông Đinh Công Tráng, "
                                 "Phó Chủ tịch UBND xã Hát Môn được giao làm đầu mối.")) == []


def test_the_contact_who_organises_is_the_contact_of_the_task_before() -> None:
    (body, person) = prose_contact(expand("Đầu mối tổ chức là bà Lạc Thị Yến, Phó Giám đốc Trung tâm Xúc tiến Du lịch "
                                          "thành phố Hà Nội (ĐT 0912.300.700)."))
    assert (person.name, person.phone) == ("Lạc Thị Yến", "0912.300.700")
    assert body.name == "Trung tâm Xúc tiến Du lịch Thành phố Hà Nội"


def test_works_a_locality_promises_to_build_are_its_task_unless_another_body_carries_them_out() -> None:
    (school,) = commitments_in(expand("Huyện Phúc Thọ cam kết sẽ hỗ trợ xây dựng 02 phòng học mầm non tại xã Hát Môn "
                                      "trong năm 2026."))
    assert (school.task, school.lead.name, school.place) == ("Xây dựng 02 phòng học mầm non",
                                                             "Ủy ban nhân dân huyện Phúc Thọ", "xã Hát Môn")
    # money promised only pays; a body named to carry the works out leads them instead
    assert commitments_in(expand("Huyện Phúc Thọ cam kết sẽ hỗ trợ xây dựng 02 phòng học mầm non, trị giá 900 triệu "
                                 "đồng.")) == []
    (built,) = commitments_in(expand("Huyện Phúc Thọ cam kết sẽ hỗ trợ xây dựng 02 phòng học mầm non tại xã Hát Môn; "
                                     "UBND xã Hát Môn làm chủ đầu tư."))
    assert built.lead.name == "Ủy ban nhân dân xã Hát Môn"


def test_an_event_two_sides_agreed_to_organise_is_named_without_the_agreeing() -> None:
    (found,) = commitments_in(expand("Hai xã cũng thống nhất tổ chức Ngày hội thổ cẩm Đại Đồng - Hát Môn tại xã Hát Môn "
                                     "vào tháng 10/2026, do UBND xã Hát Môn chủ trì."))
    assert (found.task, found.lead.name) == ("Ngày hội thổ cẩm Đại Đồng - Hát Môn", "Ủy ban nhân dân xã Hát Môn")


def test_one_year_of_a_recurring_event_is_led_by_the_body_given_that_year() -> None:
    (found,) = commitments_in(expand("Hai xã thống nhất luân phiên tổ chức Liên hoan dân ca ven sông hằng năm; năm 2027 "
                                     "do UBND xã Võng Xuyên chủ trì tổ chức."))
    assert (found.task, found.lead.name) == ("Liên hoan dân ca ven sông năm 2027", "Ủy ban nhân dân xã Võng Xuyên")
    # a year alone, with no event before it, names no task
    assert commitments_in(expand("Năm 2027 do UBND xã Võng Xuyên chủ trì tổ chức.")) == []


def test_a_contact_written_without_a_body_speaks_for_the_task_led_by_the_division_they_head(tmp_path: Path) -> None:
    news = ("Hai bệnh viện hợp tác\n\n"
            "Ngày 6/4/2026, Bệnh viện Đa khoa tỉnh Phú Thọ và Bệnh viện Đa khoa tỉnh Tuyên Quang ký kết thỏa thuận "
            "hợp tác chuyên môn giai đoạn 2026 - 2030.\n"
            "Lớp tập huấn kỹ thuật nội soi phế quản sẽ diễn ra trong tháng 7/2026, do Phòng Đào tạo của bệnh viện "
            "chủ trì; đầu mối là BS Kha Thị Lụa, Trưởng phòng Đào tạo, điện thoại 0977 310 520.\n"
            "Hội thảo điều dưỡng vùng núi sẽ diễn ra trong tháng 9/2026, do Phòng Điều dưỡng của bệnh viện chủ "
            "trì; đầu mối là ông Lục Văn Cầm, Trưởng phòng Hành chính, điện thoại 0977 310 521.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_bv_phutho.txt", news.encode()).status == "added"
    (contact, *_) = store.contacts("lớp tập huấn kỹ thuật nội soi phế quản")
    assert (contact.person, contact.phone) == ("Kha Thị Lụa", "0977 310 520")
    # the head of another division: whose contact that is stays unsure
    assert [c.person for c in store.contacts("hội thảo điều dưỡng vùng núi")] == []


def test_the_contact_for_the_works_is_the_contact_of_the_works_a_gift_pays_for(tmp_path: Path) -> None:
    news = ("Hai xã kết nghĩa\n\n"
            "Ngày 4/3/2026, xã Võng Xuyên và xã Hát Môn (thành phố Hà Nội) đã ký kết chương trình kết nghĩa giai "
            "đoạn 2026 - 2030.\n"
            "Theo chương trình, UBND xã Hát Môn hỗ trợ 2 tỷ đồng xây dựng Nhà văn hóa thôn Đoài, xã Võng Xuyên. "
            "Ban Quản lý dự án đầu tư xây dựng xã Võng Xuyên được giao làm chủ đầu tư. Đầu mối liên hệ về công "
            "trình: ông Mạc Văn Tùng, Phó Giám đốc Ban Quản lý dự án đầu tư xây dựng xã Võng Xuyên, điện thoại "
            "0966 200 314.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_vongxuyen.txt", news.encode()).status == "added"
    (contact, *_) = store.contacts("xây dựng Nhà văn hóa thôn Đoài")
    assert (contact.person, contact.phone) == ("Mạc Văn Tùng", "0966 200 314")


def test_works_a_body_invests_its_own_money_in_are_its_task() -> None:
    (plant,) = commitments_in(expand("Công ty Cổ phần Chè Tân Cương cam kết đầu tư 80 tỷ đồng xây dựng nhà máy chế "
                                     "biến chè tại huyện Đại Từ, dự kiến khởi công quý II/2026."))
    assert (plant.task, plant.lead.name) == ("Xây dựng nhà máy chế biến chè", "Công ty Cổ phần Chè Tân Cương")
    assert (plant.timeframe, plant.place) == ("2026-Q2", "huyện Đại Từ")
    # "Công ty" alone names no body of its own
    assert commitments_in(expand("Công ty cam kết đầu tư 80 tỷ đồng xây dựng nhà máy chế biến chè.")) == []


def test_a_body_named_by_its_kind_alone_is_the_one_party_of_that_kind(tmp_path: Path) -> None:
    news = ("Tỉnh ký kết với doanh nghiệp\n\n"
            "Ngày 2/2/2026, UBND tỉnh Thái Nguyên và Công ty Cổ phần Chè Tân Cương ký Biên bản ghi nhớ hợp tác "
            "phát triển vùng chè giai đoạn 2026 - 2030.\n"
            "Công ty cam kết đầu tư 80 tỷ đồng xây dựng nhà máy chế biến chè tại huyện Đại Từ, dự kiến khởi công "
            "quý II/2026.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_chetancuong.txt", news.encode()).status == "added"
    (lead, *_) = store.lead("nhà máy chế biến chè tại huyện Đại Từ")
    assert lead.organization == "Công ty Cổ phần Chè Tân Cương"


def test_a_contact_cell_listing_two_people_gives_the_first_with_its_own_title_body_and_phone() -> None:
    body_first = expand("Sở Du lịch tỉnh Thái Nguyên: Ông Lưu Văn Tiệp - Trưởng phòng Lữ hành, ĐT 0911.205.300; "
                        "Bà Ninh Thị Hảo - Chuyên viên, ĐT 0911.205.301")
    outer, person = parse_contact(first_person(body_first), None)
    assert (person.name, person.phone) == ("Lưu Văn Tiệp", "0911.205.300")
    assert person.positions[0].title == "Trưởng phòng Lữ hành"
    assert outer is not None and outer.name == "Sở Du lịch tỉnh Thái Nguyên"
    person_first = expand("Ông Lưu Văn Tiệp - Trưởng phòng Lữ hành, Sở Du lịch tỉnh Thái Nguyên, ĐT 0911.205.300; "
                          "Bà Ninh Thị Hảo - Chuyên viên phòng Lữ hành, ĐT 0911.205.301")
    _, first = parse_contact(first_person(person_first), None)
    assert (first.name, first.phone) == ("Lưu Văn Tiệp", "0911.205.300")
    assert first.positions[0].org.name == "Sở Du lịch tỉnh Thái Nguyên"


def test_a_specialist_degree_with_its_full_stop_before_a_name_is_not_part_of_it() -> None:
    for degree in ("BSCKII.", "BSCKI.", "BS.CKII."):
        _, person = parse_contact(expand(f"{degree} Hứa Văn Tỉnh - Phó Giám đốc Bệnh viện Đa khoa tỉnh Thái Nguyên; "
                                         "ĐT: 0909.456.123"), None)
        assert (person.name, person.honorific, person.phone) == ("Hứa Văn Tỉnh", degree, "0909.456.123")


def test_an_agreement_cited_by_number_and_day_was_signed_that_day() -> None:
    """'Căn cứ Thỏa thuận số N ngày D giữa ...' cites a document by its number and day: D is its signing,
    with no 'ký' written; a day elsewhere in a sentence without 'ký' or a number is no signing date."""
    cited = ("Căn cứ Thỏa thuận hợp tác số 07/TTHT-UBND-HV ngày 11/3/2024 giữa Ủy ban nhân dân tỉnh Phú Yên "
             "và Học viện Nông nghiệp Việt Nam giai đoạn 2024 - 2028;")
    mention = find_agreement(expand(cited), cited, 2024)
    assert mention is not None and mention.date_signed == "2024-03-11"
    reviewed = "Ngày 11/3/2024, hai tỉnh rà soát Thỏa thuận hợp tác giữa tỉnh Phú Yên và tỉnh Lai Châu."
    mention = find_agreement(reviewed, reviewed, 2024)
    assert mention is not None and mention.date_signed is None


def test_fields_after_about_lose_the_period_and_may_end_with_one_longer_field() -> None:
    from ingest.agreements import fields_after_about
    assert fields_after_about("Thỏa thuận giữa A và B về du lịch, y tế, tư vấn quy hoạch phát triển văn hóa - xã hội "
                              "giai đoạn 2024 - 2028;") == [
        "du lịch", "y tế", "tư vấn quy hoạch phát triển văn hóa - xã hội"]
    # two long items are a sentence going on, not a list of fields
    assert fields_after_about("Thỏa thuận giữa A và B về du lịch, hỗ trợ các hộ dân làm nhà ở vùng cao, "
                              "hỗ trợ các hộ dân làm chuồng trại vùng cao.") == []


def test_two_parties_helping_each_other_in_fields_list_them() -> None:
    from ingest.sectors import sector_statements
    sentence = ("Theo văn bản kết nghĩa, hai huyện giúp đỡ nhau trong phát triển nông nghiệp; giáo dục – đào tạo; "
                "y tế; bảo đảm an sinh xã hội, trong đó ưu tiên các bản vùng cao.")
    found = sector_statements(expand(sentence))
    assert {"phát triển nông nghiệp", "giáo dục – đào tạo", "y tế", "bảo đảm an sinh xã hội"} <= set(found)
    assert not [s for s in found if "ưu tiên" in s]


def test_a_second_agreement_after_a_comma_keeps_its_own_parties_and_month() -> None:
    """'A và B ký Chương trình ... 2027 - 2031, kế thừa Thỏa thuận giữa A và C ký tháng 5/2021': the renewal
    is A–B's, signed on the day; the earlier one is A–C's, signed in its month."""
    sentence = ("Ngày 4/11/2026, UBND tỉnh Yên Bái và UBND tỉnh Lào Cai đã ký kết Chương trình hợp tác giai đoạn "
                "2027 - 2031, kế thừa thỏa thuận hợp tác giữa tỉnh Yên Bái và tỉnh Hà Giang (cũ) ký tháng 5/2021.")
    work = expand(sentence)
    found = [m for c in agreement_clauses(work) if (m := find_agreement(c, sentence, 2026))]
    assert [(sorted(p.name for p in m.parties), m.date_signed) for m in found] == [
        (["Tỉnh Lào Cai", "Tỉnh Yên Bái"], "2026-11-04"), (["Tỉnh Hà Giang", "Tỉnh Yên Bái"], "2021-05")]
    assert found[0].period == "2027-2031" and found[1].period is None


def test_a_body_doing_something_is_no_label_of_a_field() -> None:
    from ingest.sectors import sector_labels
    assert sector_labels("Sở Y tế tỉnh Nam Định chủ trì, phối hợp với Sở Y tế tỉnh Hòa Bình tổ chức khám bệnh") == []
    assert sector_labels("Y tế; Giáo dục, đào tạo nghề; Du lịch") == ["y tế", "giáo dục, đào tạo nghề", "du lịch"]


def test_a_web_page_s_list_items_keep_their_mark() -> None:
    from ingest.readers import read_document
    page = ("<html><head><title>Hai tỉnh ký kết hợp tác</title></head><body><article>"
            "<h1>Hai tỉnh ký kết hợp tác</h1><p>" + "Hai tỉnh thống nhất nhiều nội dung hợp tác trong năm tới. " * 6 +
            "</p><p>Chương trình tập trung vào 3 lĩnh vực:</p><ul><li>Nông nghiệp;</li><li>Du lịch;</li>"
            "<li>Y tế.</li></ul></article></body></html>")
    lines = [l for l in read_document("trang.html", page.encode("utf-8")).lines() if l]
    assert lines[-3:] == ["- Nông nghiệp;", "- Du lịch;", "- Y tế."]


def test_a_venue_s_bracket_is_where_the_signing_was_not_a_party() -> None:
    sentence = ("Chiều 5/6/2026, tại Nhà khách UBND tỉnh (phường Quy Nhơn Đông), UBND tỉnh Gia Lai và Công ty "
                "Cổ phần Thủy sản Biển Xanh đã ký kết Thỏa thuận hợp tác giai đoạn 2026 - 2030.")
    mention = find_agreement(expand(sentence), sentence, 2026)
    assert mention is not None and mention.date_signed == "2026-06-05"
    assert [getattr(p, "level", "body") for p in mention.parties] == ["province", "body"]


def test_twinning_to_be_considered_is_no_twinning() -> None:
    sentence = "Theo kế hoạch, xã Hua Bum và xã Sín Chéng sẽ được xem xét kết nghĩa trong đợt tiếp theo."
    assert find_agreement(expand(sentence), sentence, 2026) is None


def test_counted_pairs_twin_units_of_the_provinces_not_the_provinces() -> None:
    from ingest.agreements import bullet_pair
    title = "Kết nghĩa 3 cặp xã, phường giữa tỉnh Lai Châu và tỉnh Phú Thọ"
    assert find_agreement(expand(title), title, 2026) is None
    pair = bullet_pair(expand("- Phường Quy Nhơn Đông (tỉnh Gia Lai) – xã Hua Bum;"), "Kết nghĩa", "Các cặp kết nghĩa gồm:")
    assert pair is not None and [p.name for p in pair.parties] == ["Phường Quy Nhơn Đông", "Xã Hua Bum"]
    assert pair.listed_under == "Các cặp kết nghĩa gồm:"
    assert bullet_pair(expand("- Phường Quy Nhơn Đông trao quà cho xã Hua Bum;"), "Kết nghĩa", "") is None


def test_a_comma_list_of_fields_closing_the_sentence_keeps_its_labels() -> None:
    from ingest.sectors import sector_statements
    found = sector_statements(expand("Chương trình tập trung vào phát triển du lịch cộng đồng, y tế, giáo dục "
                                     "và bồi dưỡng cán bộ cơ sở."))
    assert {"phát triển du lịch cộng đồng", "bồi dưỡng cán bộ cơ sở"} <= set(found)
    # one sector in a clause going on is no list
    assert sector_statements(expand("Hai bên tập trung vào du lịch, tổ chức đoàn khảo sát và báo cáo kết quả.")) == [
        "du lịch"]


def test_a_department_of_both_provinces_is_each_province_s_department() -> None:
    from ingest.agreements import bodies_of_both
    before = expand("Dự lễ có lãnh đạo UBND tỉnh Sơn La và UBND tỉnh Bạc Liêu cùng bà Trần Thị Thanh Hoa.")
    sentence = expand("Sau đó, Sở Du lịch hai tỉnh đã ký Chương trình phối hợp phát triển du lịch.")
    rewritten = bodies_of_both(sentence, before)
    mention = find_agreement(rewritten, sentence, 2026)
    assert mention is not None
    assert sorted(p.locality.short for p in mention.parties) == ["Bạc Liêu", "Sơn La"]
    # the sentence before names one province only: which two is not said
    assert bodies_of_both(sentence, expand("Dự lễ có lãnh đạo UBND tỉnh Sơn La.")) == sentence


def test_a_division_s_title_followed_by_a_body_with_its_place_names_that_body() -> None:
    _, person = parse_contact(expand("Ông Lạc Văn Thử - Trưởng phòng Kế hoạch tài chính Sở Y tế tỉnh Bắc Kạn, "
                                     "ĐT: 0900 000 004"), None)
    assert person is not None and person.positions[0].title == "Trưởng phòng Kế hoạch tài chính"
    assert person.positions[0].org is not None and person.positions[0].org.name == "Sở Y tế tỉnh Bắc Kạn"
    # a word that heads bodies elsewhere, inside the division's name, is no body
    _, clerk = parse_contact(expand("Bà Lạc Thị Thử - Phó Trưởng phòng Quản lý báo chí, ĐT: 0900 000 005"), None)
    assert clerk is not None and clerk.positions[0].org is None


def test_a_contact_restated_without_a_body_keeps_the_body_the_table_gave_them(tmp_path: Path) -> None:
    restated = PLAN.rstrip("\n").rsplit("\n", 1)[0] + (
        "\n1\tChuyển giao kỹ thuật mổ nội soi\tBệnh viện Đa khoa tỉnh Bắc Kạn\tBệnh viện Thống Nhất\tKỹ thuật\t2024\t\t"
        "BS.CKII Tạ Văn Thử - Phó Trưởng khoa Ngoại, Bệnh viện Thống Nhất TP. Hồ Chí Minh; ĐT: 0900.000.003"
        "\n2\tChuyển giao kỹ thuật lọc máu\tBệnh viện Đa khoa tỉnh Bắc Kạn\t\tKỹ thuật\t2025\t\t"
        "BS.CKII Tạ Văn Thử - Phó Trưởng khoa Ngoại; ĐT: 0900.000.003\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "ke_hoach.txt", restated.encode()).status == "added"
    (contact, *_) = store.contacts("chuyển giao kỹ thuật lọc máu")
    assert contact.person == "Tạ Văn Thử"
    assert contact.organization == "Bệnh viện Thống Nhất Thành phố Hồ Chí Minh"


def test_a_body_the_contact_writes_without_a_place_is_the_one_the_row_names_with_its_place(tmp_path: Path) -> None:
    row = ("\n2\tHội chợ nông sản thử\tSở Công Thương tỉnh Bắc Kạn\tSở Du lịch Thành phố Hồ Chí Minh\tHội chợ\t2025\t\t"
           "Ông Nông Văn Thử - Phó Giám đốc Sở Công Thương, ĐT: 0900 000 006\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "ke_hoach.txt", (PLAN.rstrip("\n") + row).encode()).status == "added"
    (contact, *_) = store.contacts("hội chợ nông sản thử")
    assert contact.organization == "Sở Công Thương tỉnh Bắc Kạn"  # not the partner's, the default for a bare body


def test_a_body_given_the_lead_of_what_a_province_will_hold_leads_it() -> None:
    sentence = expand("Tỉnh Bắc Kạn sẽ tổ chức Ngày hội trà thử tại Hà Nội vào tháng 10/2025; UBND tỉnh Bắc Kạn "
                      "giao Sở Công Thương tỉnh Bắc Kạn chủ trì, Sở Công Thương Thành phố Hà Nội phối hợp.")
    assert [(c.task, c.lead.name) for c in commitments_in(sentence)] == [
        ("Ngày hội trà thử", "Sở Công Thương tỉnh Bắc Kạn")]
    # with no body named to lead it, the province that will hold it leads it
    alone = expand("Tỉnh Bắc Kạn sẽ tổ chức Ngày hội trà thử tại Hà Nội vào tháng 10/2025.")
    assert [c.lead.name for c in commitments_in(alone)] == ["Ủy ban nhân dân tỉnh Bắc Kạn"]


def test_the_words_between_an_agreement_s_keyword_and_its_parties_are_its_field() -> None:
    cited = "Căn cứ Thỏa thuận chuyển giao kỹ thuật giữa Bệnh viện Đa khoa tỉnh Bắc Kạn và Bệnh viện Thống Nhất ký ngày 02/3/2024;"
    mention = find_agreement(expand(cited), cited, 2024)
    assert mention is not None and mention.sectors == ["chuyển giao kỹ thuật"]
    # words that only say it is cooperation are no field
    plain = cited.replace("chuyển giao kỹ thuật", "phối hợp công tác")
    mention = find_agreement(expand(plain), plain, 2024)
    assert mention is not None and mention.sectors == []


def test_a_contact_s_bare_body_is_the_one_body_of_that_kind_in_the_row_or_no_contact(tmp_path: Path) -> None:
    rows = ("\n2\tMổ nội soi thử\tBệnh viện Đa khoa tỉnh Bắc Kạn\tSở Y tế tỉnh Bắc Kạn\tKỹ thuật\t2025\t\t"
            "ThS. Hà Văn Thử - Phó Giám đốc Bệnh viện, ĐT: 0900 000 007"
            "\n3\tLọc máu thử\tBệnh viện Đa khoa tỉnh Bắc Kạn\tBệnh viện Thống Nhất\tKỹ thuật\t2025\t\t"
            "ThS. Hà Văn Thử - Phó Giám đốc Bệnh viện, ĐT: 0900 000 007\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "ke_hoach.txt", (PLAN.rstrip("\n") + rows).encode()).status == "added"
    (contact, *_) = store.contacts("mổ nội soi thử")
    assert contact.organization == "Bệnh viện Đa khoa tỉnh Bắc Kạn"
    # two hospitals in the row: whose deputy director is not said, so no contact rather than a guess
    assert [c.person for c in store.contacts("lọc máu thử") if c.person == "Hà Văn Thử"] == []


def test_a_bachelor_s_degree_before_a_contact_s_name_is_not_part_of_it() -> None:
    _, person = parse_contact(expand("CN. Lý Thị Thử - Phó Trưởng phòng Điều dưỡng, Bệnh viện Đa khoa tỉnh Bắc Kạn, "
                                     "ĐT: 0900 000 008"), None)
    assert person is not None and person.name == "Lý Thị Thử" and person.honorific == "CN."


def test_pairs_listed_with_the_word_voi_are_each_one_agreement_sharing_the_fields() -> None:
    from ingest.agreements import listed_pairs
    sentence = "Các cặp kết nghĩa gồm: phường Láng với xã Pà Cò; phường Tây Hồ với xã Tà Xi Láng."
    pairs = listed_pairs(expand(sentence), sentence)
    assert [[p.name for p in pair.parties] for pair in pairs] == [["Phường Láng", "Xã Pà Cò"],
                                                                  ["Phường Tây Hồ", "Xã Tà Xi Láng"]]
    assert {pair.listed_under for pair in pairs} == {sentence}
    # an item saying more than two places' names is no pair, and then the list is not read as pairs
    assert listed_pairs(expand("Các cặp kết nghĩa gồm: phường Láng với xã Pà Cò về giáo dục; "
                               "phường Tây Hồ với xã Tà Xi Láng."), "") == []


def test_a_listed_pair_naming_a_place_no_unit_bears_is_left_out_and_the_others_stand() -> None:
    from ingest.agreements import listed_pairs
    # 'xã Vọng Mây Trắng' is no commune of either period: that pair is unknown, the list's other pairs are read
    sentence = ("Các cặp kết nghĩa gồm: phường Láng – xã Pà Cò; xã Vọng Mây Trắng kết nghĩa với xã Tà Xi Láng; "
                "phường Tây Hồ với xã Tà Xi Láng.")
    pairs = listed_pairs(expand(sentence), sentence)
    assert [[p.name for p in pair.parties] for pair in pairs] == [["Phường Láng", "Xã Pà Cò"],
                                                                  ["Phường Tây Hồ", "Xã Tà Xi Láng"]]
    # a side that is not written as a place's name still says the list is no list of pairs
    assert listed_pairs(expand("Các cặp kết nghĩa gồm: phường Láng – xã Pà Cò; Trường Vọng Mây – xã Tà Xi Láng; "
                               "phường Tây Hồ với xã Tà Xi Láng."), "") == []


def test_a_twinning_naming_two_pairs_each_after_giua_is_two_agreements() -> None:
    sentence = ("Ngày 12/3/2021 đã diễn ra lễ kết nghĩa giữa thị xã Phúc Yên (Vĩnh Phúc) với huyện Bảo Lạc "
                "(Cao Bằng) và giữa TX Chí Linh (Hải Dương) với huyện Hà Quảng (Cao Bằng).")
    clauses = agreement_clauses(expand(sentence))
    assert len(clauses) == 2
    found = [find_agreement(clause, sentence, 2021) for clause in clauses]
    # a city that was a town before its upgrade is found by its former name ('thị xã', 'TX')
    assert [[p.name for p in m.parties] for m in found if m] == [["Thành phố Phúc Yên", "Huyện Bảo Lạc"],
                                                                  ["Thành phố Chí Linh", "Huyện Hà Quảng"]]
    assert clauses[1].startswith("Ngày 12/3/2021 đã diễn ra lễ kết nghĩa giữa")  # the day stays with each pair


def test_a_town_name_still_in_use_is_that_town() -> None:
    assert [m.unit.name for m in find_localities("thị xã Sơn Tây")] == ["Thị xã Sơn Tây"]


def test_the_body_that_receives_a_gift_and_has_the_works_carried_out_leads_them() -> None:
    (rooms,) = commitments_in(expand("Nhân dịp này, huyện Bảo Lạc trao 3 tỷ đồng hỗ trợ xây dựng 06 phòng học tại "
                                     "điểm trường bản Nà Pục; Phòng Giáo dục và Đào tạo huyện Hà Quảng tiếp nhận và "
                                     "tổ chức triển khai xây dựng."))
    assert (rooms.task, rooms.lead.name) == ("Xây dựng 06 phòng học tại điểm trường bản Nà Pục",
                                             "Phòng Giáo dục và Đào tạo huyện Hà Quảng")


def test_where_a_person_stands_in_a_caption_photo_does_not_part_the_name_from_the_title() -> None:
    from ingest.people import people_in_sentence
    (person,) = people_in_sentence(expand("Ông Y Blô Ktla (bên phải), Giám đốc Sở Tài chính tỉnh Gia Lai trao "
                                          "quà cho học sinh."), None)
    assert (person.name, person.positions[0].title) == ("Y Blô Ktla", "Giám đốc")
    assert person.positions[0].org.body == "Sở Tài chính"


# --- whose side: delegations, rows naming a body on both sides, level words ---------------------------

def test_people_listed_in_a_province_s_delegation_hold_its_bodies_named_without_a_place() -> None:
    found = positions("Dự hội nghị, về phía tỉnh Lạng Sơn có đồng chí Hoàng Văn Thử, Phó Chủ tịch Thường trực UBND "
                      "tỉnh; đồng chí Lò Thị Mẫu, Giám đốc Sở Công Thương.")
    assert found["Hoàng Văn Thử"] == [("Phó Chủ tịch Thường trực", "Ủy ban nhân dân tỉnh Lạng Sơn")]
    assert found["Lò Thị Mẫu"] == [("Giám đốc", "Sở Công Thương tỉnh Lạng Sơn")]  # over the semicolon
    # without a delegation, a body written without its place has none
    assert positions("Dự hội nghị có bà Lò Thị Mẫu, Giám đốc Sở Công Thương.")["Lò Thị Mẫu"] == [
        ("Giám đốc", "Sở Công Thương")]
    # a body's delegation gives its place: 'Hội Nông dân tỉnh' is that province's
    found = positions("Về phía Hội Nông dân tỉnh Lạng Sơn có ông Mạc Văn Thử, Chủ tịch Hội Nông dân tỉnh.")
    assert found["Mạc Văn Thử"] == [("Chủ tịch", "Hội Nông dân tỉnh Lạng Sơn")]


def test_a_delegation_s_people_are_not_placed_in_the_other_province_the_article_names_in_full(tmp_path: Path) -> None:
    news = ("Lạng Sơn và Bến Tre ký kết hợp tác\n\nNgày 12/3/2024, UBND tỉnh Lạng Sơn và UBND tỉnh Bến Tre ký kết "
            "Thỏa thuận hợp tác giai đoạn 2024 - 2028.\n\nVề phía tỉnh Lạng Sơn có bà Lò Thị Mẫu, Giám đốc Sở Kế "
            "hoạch và Đầu tư. Về phía tỉnh Bến Tre có ông Đặng Văn Khảo, Phó Giám đốc Sở Kế hoạch và Đầu tư tỉnh "
            "Bến Tre.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_langson_bentre.txt", news.encode()).status == "added"
    (held, *_) = store.person("Lò Thị Mẫu")
    assert held.organization == "Sở Kế hoạch và Đầu tư tỉnh Lạng Sơn"


def test_a_row_naming_the_contact_s_body_on_both_sides_leaves_its_place_unsaid(tmp_path: Path) -> None:
    rows = ("\n2\tHội chợ nông sản thử\tSở Công Thương tỉnh Bắc Kạn\tSở Công Thương Thành phố Hồ Chí Minh\tHội chợ"
            "\t2025\t\tÔng Nông Văn Thử - Phó Giám đốc Sở Công Thương, ĐT: 0900 000 011"
            "\n3\tKhám bệnh thử\tTrung tâm Y tế huyện Ba Bể\tTrung tâm Y tế Quận 3\tKhám bệnh\t2025\t\t"
            "BS. Hà Thị Thử - Giám đốc TTYT huyện; ĐT: 0900 000 012"
            "\n4\tTập huấn thử\tPhòng Nông nghiệp và PTNT huyện Ba Bể\tPhòng Kinh tế Quận 3\tLớp học\t2025\t\t"
            "Ông Triệu Văn Thử - Trưởng phòng NN&PTNT; ĐT: 0900 000 013\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "ke_hoach.txt", (PLAN.rstrip("\n") + rows).encode()).status == "added"
    (contact, *_) = store.contacts("hội chợ nông sản thử")
    # the plan's own department or the partner's: the cell does not say, so neither province is given
    assert contact.person == "Nông Văn Thử" and contact.organization == "Sở Công Thương"
    # 'TTYT huyện': of the two health centres the row names, the one of a district (the other is a city's)
    (contact, *_) = store.contacts("khám bệnh thử")
    assert contact.organization == "Trung tâm Y tế huyện Ba Bể"
    # 'Trưởng phòng NN&PTNT': the head of the division the row names, the only one so named
    (contact, *_) = store.contacts("tập huấn thử")
    assert contact.organization == "Phòng Nông nghiệp và Phát triển nông thôn huyện Ba Bể"


def test_a_committee_or_union_named_with_a_bare_level_word_is_the_context_s() -> None:
    ward = find_localities("phường Láng, Thành phố Hà Nội")[0].unit
    assert parse_org("UBND phường", ward).name == "Ủy ban nhân dân phường Láng"
    assert parse_org("UBND xã", ward).locality is None  # a ward's context names no xã
    province = find_localities("tỉnh Lạng Sơn")[0].unit
    union = parse_org(expand("LĐLĐ tỉnh"), province)
    assert union is not None and union.node_id == parse_org("Liên đoàn Lao động tỉnh Lạng Sơn", None).node_id


# --- places: same-named communes, a place asked with its parents ------------------------------------

def test_a_commune_is_the_one_of_the_district_written_after_it_and_later_the_one_named_so() -> None:
    text = ("Tại hội trường UBND xã Tân Hòa, huyện Lai Vung, tỉnh Đồng Tháp, hai địa phương ký kết. "
            "UBND xã Tân Hòa sẽ tổ chức phiên chợ.")
    with reading("2024-05-02", text):
        first, *_ = find_localities(expand(text))
        assert ancestors(first.unit)[0].name == "Huyện Lai Vung"
        later = find_localities(expand("UBND xã Tân Hòa sẽ tổ chức phiên chợ."))
        assert [m.unit.node_id for m in later] == [first.unit.node_id]
    # with no district written anywhere, which Tân Hòa is meant is not said
    with reading("2024-05-02", "UBND xã Tân Hòa sẽ tổ chức phiên chợ."):
        assert find_localities("UBND xã Tân Hòa sẽ tổ chức phiên chợ.") == []


def test_a_province_written_after_a_commune_of_the_older_map_is_its_place_not_a_party() -> None:
    sentence = "UBND phường Láng (Hà Nội) và UBND xã Tân Hòa, tỉnh An Giang ký kết chương trình kết nghĩa."
    with reading("2025-10-02", sentence):
        mention = find_agreement(expand(sentence), sentence, 2025)
    assert mention is not None and [p.name for p in mention.parties] == ["Phường Láng", "Xã Tân Hòa"]


def test_a_place_asked_with_its_parents_is_the_unit_of_that_name_inside_them(tmp_path: Path) -> None:
    news = ("Phường Láng kết nghĩa với xã Tân Hòa\n\nNgày 02/5/2024, tại hội trường UBND xã Tân Hòa, huyện Lai Vung, "
            "tỉnh Đồng Tháp, UBND phường Láng (Thành phố Hà Nội) và UBND xã Tân Hòa tổ chức lễ ký kết kết nghĩa.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_lang_tanhoa.txt", news.encode()).status == "added"
    assert [p.locality.split(",")[0] for p in store.partners("xã Tân Hòa, huyện Lai Vung, tỉnh Đồng Tháp")] == [
        "Phường Láng"]
    assert store.partners("xã Tân Hòa, huyện Phú Tân, tỉnh An Giang") == []  # another Tân Hòa: none of its


def test_a_place_asked_with_its_province_and_no_comma_is_the_unit_inside_it(tmp_path: Path) -> None:
    news = ("Phường Láng kết nghĩa với xã Tân Hòa\n\nNgày 02/5/2024, tại hội trường UBND xã Tân Hòa, huyện Lai Vung, "
            "tỉnh Đồng Tháp, UBND phường Láng (Thành phố Hà Nội) và UBND xã Tân Hòa tổ chức lễ ký kết kết nghĩa.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_lang_tanhoa.txt", news.encode()).status == "added"
    assert [p.locality.split(",")[0] for p in store.partners("xa Tan Hoa Dong Thap")] == ["Phường Láng"]
    assert [p.locality.split(",")[0] for p in store.partners("xã Tân Hòa tỉnh Đồng Tháp")] == ["Phường Láng"]
    assert store.partners("xã Tân Hòa An Giang") == []  # another province's Tân Hòa: none of its


# --- agreements and their fields ------------------------------------------------------------------------

def test_this_is_the_agreement_names_no_new_one() -> None:
    sentence = ("Đây là thỏa thuận đầu tiên của bệnh viện kể từ khi tỉnh Bắc Kạn (cũ) hợp nhất vào tỉnh Thái "
                "Nguyên; bệnh viện hiện trực thuộc Sở Y tế tỉnh Thái Nguyên.")
    assert find_agreement(expand(sentence), sentence, 2025) is None


def test_fields_are_read_whole_past_a_lone_verb_and_a_verb_of_support() -> None:
    found = sector_statements(expand(
        "Hai bên phối hợp trong các lĩnh vực: đại diện, bảo vệ quyền lợi hợp pháp của hội viên nông dân; hỗ trợ "
        "mạng lưới hợp tác xã kiểu mới vùng biên; chuyển giao kỹ thuật phẫu thuật nội soi và hồi sức."))
    assert "bảo vệ quyền lợi hợp pháp của hội viên nông dân" in found  # not the lone verb 'đại diện'
    assert "mạng lưới hợp tác xã kiểu mới vùng biên" in found  # 'hỗ trợ' names no field
    assert "chuyển giao kỹ thuật phẫu thuật nội soi và hồi sức" in found  # eleven syllables, plainly a field


def test_a_plan_s_fields_after_the_merged_provinces_it_carries_on_from_are_its_agreement_s() -> None:
    plan = ("ỦY BAN NHÂN DÂN\nTỈNH THÁI NGUYÊN\n\nSố: 61/KH-UBND\n\nThái Nguyên, ngày 06 tháng 10 năm 2025\n\nKẾ HOẠCH\n"
            "Triển khai Thỏa thuận hợp tác giữa tỉnh Thái Nguyên và tỉnh Lào Cai giai đoạn 2025 - 2030\n\n"
            "I. MỤC ĐÍCH\n\n- Kế thừa kết quả hợp tác giữa tỉnh Bắc Kạn (cũ) và tỉnh Yên Bái (cũ); mở rộng hợp tác "
            "trên các lĩnh vực: chè và dược liệu; du lịch cộng đồng; chuyển đổi số.\n")
    nodes, rels = graph_of("ke_hoach_tn.txt", plan)
    (agreement,) = [n for n in nodes.values() if n.kind == "Agreement"]
    assert {"chè và dược liệu", "du lịch cộng đồng"} <= set(related(nodes, rels, agreement.name, "COVERS"))


def test_a_division_head_in_prose_holds_the_body_named_after_the_division() -> None:
    found = positions("Dự lễ có ông Mạc Văn Thử, Trưởng phòng Quản lý công nghệ Sở KH&CN Lạng Sơn cùng lãnh đạo các phòng.")
    assert found["Mạc Văn Thử"] == [("Trưởng phòng Quản lý công nghệ", "Sở Khoa học và Công nghệ tỉnh Lạng Sơn")]
    # a kind alone ('Văn phòng Sở') says which body only where the sentence names it: no body of its own
    assert "Hà Thị Thử" not in positions("Dự lễ có bà Hà Thị Thử, Phó Chánh Văn phòng Sở, cùng lãnh đạo các phòng.")


def test_a_contact_written_without_a_body_is_the_body_the_article_gave_them_or_the_lead_s_office(tmp_path: Path) -> None:
    news = ("Hai Sở ký kết hợp tác\n\nNgày 12/3/2024, Sở Khoa học và Công nghệ tỉnh Lạng Sơn và Sở Khoa học và Công "
            "nghệ tỉnh Bến Tre ký kết chương trình hợp tác. Dự lễ có ông Mạc Văn Thử, Trưởng phòng Quản lý công nghệ "
            "Sở KH&CN Lạng Sơn; bà Đặng Thị Mẫu, Phó Giám đốc Sở KH&CN tỉnh Bến Tre.\n\n"
            "Hai bên tổ chức Ngày hội công nghệ thử tại thành phố Lạng Sơn vào tháng 9/2024, do Sở KH&CN tỉnh Lạng Sơn "
            "chủ trì. Đầu mối liên hệ: ông Mạc Văn Thử, Trưởng phòng Quản lý công nghệ, ĐT: 0900 000 021.\n\n"
            "Sở KH&CN tỉnh Bến Tre chủ trì tổ chức Hội thảo dừa thử tại Bến Tre trong quý IV/2024; đầu mối là bà "
            "Đặng Thị Mẫu, số điện thoại 0900 000 022.\n\n"
            "Sở KH&CN tỉnh Lạng Sơn chủ trì tổ chức Hội chợ hồi thử tại Lạng Sơn trong quý I/2025; người liên hệ là "
            "bà Hà Thị Thử, Phó Chánh Văn phòng Sở, số máy 0900 000 023.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_hai_so.txt", news.encode()).status == "added"
    # named before with the same title at one body
    (contact, *_) = store.contacts("Ngày hội công nghệ thử")
    assert (contact.person, contact.organization) == ("Mạc Văn Thử", "Sở Khoa học và Công nghệ tỉnh Lạng Sơn")
    # named before, now with no title at all: the one body the article gave her
    (contact, *_) = store.contacts("Hội thảo dừa thử")
    assert (contact.organization, contact.phone) == ("Sở Khoa học và Công nghệ tỉnh Bến Tre", "0900 000 022")
    # 'Văn phòng Sở': the office of the Sở that leads; 'số máy' is the phone's label, not a body
    (contact, *_) = store.contacts("Hội chợ hồi thử")
    assert (contact.organization, contact.phone) == ("Sở Khoa học và Công nghệ tỉnh Lạng Sơn", "0900 000 023")


def test_a_contact_point_on_a_province_s_side_is_placed_there_and_speaks_for_the_renewal(tmp_path: Path) -> None:
    news = ("Lạng Sơn và Bến Tre ký lại thỏa thuận\n\nNgày 15/01/2021, UBND tỉnh Lạng Sơn và UBND tỉnh Bến Tre tổng kết "
            "Thỏa thuận hợp tác giai đoạn 2016 - 2020 và ký kết Thỏa thuận hợp tác giai đoạn 2021 - 2025.\n\n"
            "Sau 5 năm thực hiện Thỏa thuận hợp tác ký tháng 10/2016, hai tỉnh đã mở nhiều tuyến du lịch.\n\n"
            "Đầu mối phía Lạng Sơn là bà Lò Thị Mẫu, Giám đốc Sở KH&ĐT, ĐT 0900 000 031; phía Bến Tre là ông "
            "Đặng Văn Khảo, ĐT 0900 000 032.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_kyket_lai.txt", news.encode()).status == "added"
    (contact, *_) = store.contacts("triển khai thỏa thuận hợp tác Lạng Sơn - Bến Tre")
    assert (contact.person, contact.organization) == ("Lò Thị Mẫu", "Sở Kế hoạch và Đầu tư tỉnh Lạng Sơn")


# --- agreements: groups of pairs, three-way twinning, renewals, unions ----------------------------------------

GROUP_TWINNING = (
    "4 xã của tỉnh Lạng Sơn kết nghĩa với 4 xã, phường của tỉnh Cao Bằng\n\n"
    "Thứ Bảy, 08/11/2025, 06:15\n\n"
    "Ngày 7/11/2025, tại xã Thất Khê, tỉnh Lạng Sơn, Ban Tuyên giáo Tỉnh ủy Lạng Sơn phối hợp với Ban Tuyên giáo "
    "Tỉnh ủy Cao Bằng tổ chức Lễ ký kết chương trình kết nghĩa giữa 4 xã của tỉnh Lạng Sơn với 4 xã, phường của "
    "tỉnh Cao Bằng giai đoạn 2025 - 2030.\n\n"
    "Dự buổi lễ có ông Lục Văn Khoan - Phó Chủ tịch UBND tỉnh Lạng Sơn và đại diện 8 xã, phường kết nghĩa.\n\n"
    "Các cặp kết nghĩa gồm:\n"
    "- xã Thất Khê kết nghĩa với phường Thục Phán;\n"
    "- phường Kỳ Lừa kết nghĩa với xã Cốc Pàng;\n"
    "- xã Đoàn Kết với xã Bảo Lâm.\n\n"
    "Nội dung kết nghĩa tập trung vào: du lịch cộng đồng; chuyển đổi số; xây dựng nông thôn mới.\n\n"
    "Ông Lục Văn Khoan đề nghị Ban Tuyên giáo hai tỉnh theo dõi việc thực hiện chương trình kết nghĩa.\n")


def test_pairs_listed_under_a_group_twinning_take_its_day_period_and_fields(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_langson_caobang.txt", GROUP_TWINNING.encode()).status == "added"
    agreements = store.find_agreements()
    # the pairs sign, not the provinces whose communes they are, nor the bodies that held the ceremony
    assert sorted(sorted(a.parties) for a in agreements) == sorted([
        ["Phường Thục Phán, Tỉnh Cao Bằng", "Xã Thất Khê, Tỉnh Lạng Sơn"],
        ["Phường Kỳ Lừa, Tỉnh Lạng Sơn", "Xã Cốc Pàng, Tỉnh Cao Bằng"],
        ["Xã Bảo Lâm, Tỉnh Cao Bằng", "Xã Đoàn Kết, Tỉnh Lạng Sơn"]])
    for agreement in agreements:
        assert (agreement.date, agreement.period) == ("2025-11-07", "2025-2030")
        assert {"du lịch cộng đồng", "chuyển đổi số", "xây dựng nông thôn mới"} <= set(agreement.sectors)
        assert not [s for s in agreement.sectors if "kết nghĩa" in s]  # the pairs are no fields
    assert [p.locality for p in store.partners("phường Thục Phán")] == ["Xã Thất Khê, Tỉnh Lạng Sơn"]
    assert store.partners("tỉnh Lạng Sơn") == []


@pytest.mark.parametrize("pairs", [
    "Các cặp kết nghĩa gồm:\nSTT\tXã, phường tỉnh Lạng Sơn\tXã, phường tỉnh Cao Bằng\n1\txã Thất Khê\tphường Thục "
    "Phán\n2\tphường Kỳ Lừa\txã Cốc Pàng\n3\txã Đoàn Kết\txã Bảo Lâm\n",
    "Cụ thể, kết nghĩa xã Thất Khê với phường Thục Phán, phường Kỳ Lừa với xã Cốc Pàng và xã Đoàn Kết với xã Bảo Lâm.\n"])
def test_pairs_of_a_group_twinning_in_a_table_or_a_sentence_take_its_day_too(pairs: str) -> None:
    listed = GROUP_TWINNING.split("Các cặp kết nghĩa gồm:")[0] + pairs
    nodes, _ = graph_of("tin.txt", listed)
    agreements = [n for n in nodes.values() if n.kind == "Agreement"]
    assert len(agreements) == 3
    assert {(n.properties.get("date_signed"), n.properties.get("period")) for n in agreements} == {
        ("2025-11-07", "2025-2030")}


def test_a_group_twinning_of_former_districts_dates_its_pairs_too() -> None:
    news = ("Kết nghĩa 2 xã của huyện Tràng Định với 2 xã của huyện Bảo Lạc\n\n"
            "Ngày 14/9/2023, UBND huyện Tràng Định và UBND huyện Bảo Lạc ký kết kết nghĩa giữa 2 xã của huyện "
            "Tràng Định với 2 xã của huyện Bảo Lạc.\n\n"
            "Các cặp xã kết nghĩa gồm:\n- xã Tân Tiến kết nghĩa với xã Cô Ba;\n- xã Quốc Khánh kết nghĩa với xã "
            "Khánh Xuân.\n")
    nodes, _ = graph_of("tin.txt", news)
    agreements = [n for n in nodes.values() if n.kind == "Agreement"]
    assert sorted(n.name for n in agreements) == ["Kết nghĩa giữa xã Quốc Khánh và xã Khánh Xuân",
                                                  "Kết nghĩa giữa xã Tân Tiến và xã Cô Ba"]
    assert {n.properties.get("date_signed") for n in agreements} == {"2023-09-14"}


def test_a_counted_group_and_the_places_it_belongs_to_are_no_parties() -> None:
    assert find_agreement(expand("Ba xã, phường của Lạng Sơn, Hà Tĩnh và Cao Bằng ký kết kết nghĩa"), "", 2025) is None
    assert find_agreement(expand("Ba địa phương ở Lạng Sơn, Hà Tĩnh, Cao Bằng ký kết kết nghĩa ba bên"), "", 2025) is None
    assert find_agreement(expand("Lễ kết nghĩa giữa các huyện của hai tỉnh Lạng Sơn - Cao Bằng"), "", 2023) is None
    # a counted group described in a few words before whose its members are ('hai xã biên giới A, B', a headline)
    assert find_agreement(expand("Kết nghĩa giữa phường Ba Đình với hai xã biên giới Cao Bằng, Lạng Sơn"), "", 2025) is None
    # ... but 'giữa hai tỉnh A và B' names the two
    named = find_agreement(expand("Hoạt động nhằm cụ thể hóa Chương trình hợp tác giữa hai tỉnh Lạng Sơn và Cao Bằng "
                                  "giai đoạn 2021 - 2025."), "", 2023)
    assert named is not None and [p.name for p in named.parties] == ["Tỉnh Lạng Sơn", "Tỉnh Cao Bằng"]
    # ... not the provinces a clause after 'hai tỉnh' names for something else
    earlier = find_agreement(expand("Thỏa thuận đầu tiên giữa hai tỉnh sau khi hợp nhất tỉnh Lạng Sơn với tỉnh Bắc Kạn."),
                             "", 2025, named.parties)
    assert earlier is not None and [p.name for p in earlier.parties] == ["Tỉnh Lạng Sơn", "Tỉnh Cao Bằng"]
    # the communes called twinned in a list of guests name no agreement
    assert find_agreement(expand("Dự lễ có đại diện lãnh đạo tỉnh Lạng Sơn, tỉnh Cao Bằng và 8 xã, phường kết "
                                 "nghĩa."), "", 2025) is None
    # 'hai tỉnh' stands for two provinces, not for the last pair of communes named
    pair = find_agreement(expand("xã Thất Khê kết nghĩa với phường Thục Phán"), "", 2025)
    assert pair is not None
    assert find_agreement(expand("Ban Tuyên giáo hai tỉnh theo dõi việc thực hiện chương trình kết nghĩa."), "", 2025,
                          pair.parties) is None


def test_each_party_of_a_three_way_twinning_partners_the_other_two(tmp_path: Path) -> None:
    news = ("Ba xã, phường của Lạng Sơn, Hà Tĩnh và Cao Bằng ký kết kết nghĩa\n\n"
            "Ngày 3/12/2025, tại phường Kỳ Lừa (tỉnh Lạng Sơn), Đảng ủy, UBND phường Kỳ Lừa, phường Thành Sen "
            "(tỉnh Hà Tĩnh) và phường Thục Phán (tỉnh Cao Bằng) tổ chức lễ ký kết chương trình kết nghĩa ba bên giai "
            "đoạn 2025 - 2030.\n\n"
            "Theo chương trình, ba địa phương hợp tác trên 3 nội dung: (1) du lịch cộng đồng; (2) giáo dục mầm non; "
            "(3) chuyển đổi số.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_ba_ben.txt", news.encode()).status == "added"
    partners = {name: sorted(p.locality for p in store.partners(name))
                for name in ("phường Kỳ Lừa", "phường Thành Sen", "phường Thục Phán")}
    assert partners == {"phường Kỳ Lừa": ["Phường Thành Sen, Tỉnh Hà Tĩnh", "Phường Thục Phán, Tỉnh Cao Bằng"],
                        "phường Thành Sen": ["Phường Kỳ Lừa, Tỉnh Lạng Sơn", "Phường Thục Phán, Tỉnh Cao Bằng"],
                        "phường Thục Phán": ["Phường Kỳ Lừa, Tỉnh Lạng Sơn", "Phường Thành Sen, Tỉnh Hà Tĩnh"]}
    (agreement,) = store.find_agreements()
    assert agreement.date == "2025-12-03"
    assert {"du lịch cộng đồng", "giáo dục mầm non", "chuyển đổi số"} <= set(agreement.sectors)
    # a convener still faces the others alone when the text names one ('A và B kết nghĩa với C')
    convened = find_agreement(expand("Phường Kỳ Lừa và phường Thành Sen kết nghĩa với phường Thục Phán."), "", 2025)
    assert convened is not None and not convened.multilateral


RENEWAL = (
    "Lạng Sơn ký kết hợp tác với Cao Bằng và Trường Đại học Giao thông Vận tải\n\n"
    "Thứ Hai, 09/03/2026\n\n"
    "Chiều 9/3, UBND tỉnh Lạng Sơn tổ chức hội nghị xúc tiến đầu tư năm 2026.\n\n"
    "Tại hội nghị, UBND tỉnh Lạng Sơn và UBND tỉnh Cao Bằng ký kết Thỏa thuận hợp tác giai đoạn 2026 - 2030, thay "
    "thế thỏa thuận giai đoạn 2021 - 2025 ký ngày 12/5/2021. Thỏa thuận mới tập trung vào:\n"
    "• kinh tế cửa khẩu;\n"
    "• du lịch;\n"
    "• bảo vệ nguồn nước lưu vực sông Kỳ Cùng - Bằng Giang.\n"
    "UBND tỉnh Lạng Sơn giao Sở Tài chính tỉnh Lạng Sơn làm cơ quan đầu mối theo dõi thực hiện thỏa thuận với tỉnh "
    "Cao Bằng.\n\n"
    "Cũng tại hội nghị, UBND tỉnh Lạng Sơn ký biên bản ghi nhớ với Trường Đại học Giao thông Vận tải Hà Nội "
    "(phường Láng, Hà Nội) về đào tạo kỹ sư cầu đường; tư vấn quy hoạch giao thông.\n")


def test_a_renewal_named_with_the_agreement_it_replaces_is_a_new_agreement_of_its_own(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_langson_2026.txt", RENEWAL.encode()).status == "added"
    found = {(a.date, a.period): a for a in store.agreements_between("Lạng Sơn", "Cao Bằng")}
    assert set(found) == {("2026-03-09", "2026-2030"), ("2021-05-12", "2021-2025")}
    assert {"kinh tế cửa khẩu", "du lịch", "bảo vệ nguồn nước lưu vực sông Kỳ Cùng - Bằng Giang"} <= set(
        found["2026-03-09", "2026-2030"].sectors)
    assert found["2021-05-12", "2021-2025"].sectors == []
    # the body assigned to follow the agreement, the university's address and the headline's summing-up sign nothing
    parties = {p for a in store.find_agreements() for p in a.parties}
    assert parties == {"Tỉnh Lạng Sơn", "Tỉnh Cao Bằng", "Trường Đại học Giao thông Vận tải Hà Nội"}
    assert [len(a.parties) for a in store.find_agreements()] == [2, 2, 2]


def test_the_subject_written_after_ve_right_behind_the_keyword_is_the_agreement_s_fields(tmp_path: Path) -> None:
    news = ("Công đoàn hai tỉnh hợp tác\n\n"
            "Trong tháng 6/2025, Liên đoàn Lao động tỉnh Lạng Sơn và Liên đoàn Lao động tỉnh Cao Bằng đã ký kết "
            "chương trình phối hợp về hỗ trợ nhà ở cho đoàn viên, giao lưu văn nghệ công nhân khu kinh tế.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_congdoan.txt", news.encode()).status == "added"
    (agreement,) = store.agreements_between("Liên đoàn Lao động tỉnh Lạng Sơn", "Liên đoàn Lao động tỉnh Cao Bằng")
    # as written; a union's name ('Lao động') is not its field
    assert (agreement.date, sorted(agreement.sectors)) == (
        "2025-06", ["giao lưu văn nghệ công nhân khu kinh tế", "hỗ trợ nhà ở cho đoàn viên"])
    from ingest.agreements import subject_after_keyword
    assert subject_after_keyword(" về việc tổ chức hội chợ.", "chương trình phối hợp") == []  # a title, not fields
    assert subject_after_keyword(" về nhiều nội dung mà hai bên đã thống nhất tại buổi làm việc hôm trước với đoàn "
                                 "công tác của tỉnh.", "chương trình phối hợp") == []  # a clause, not a list of fields


def test_a_list_of_fields_announced_by_sau_without_a_colon_is_read_as_after_one() -> None:
    news = ("Lạng Sơn và Cao Bằng ký kết hợp tác\n\n"
            "Ngày 9/3/2026, UBND tỉnh Lạng Sơn và UBND tỉnh Cao Bằng ký kết Thỏa thuận hợp tác giai đoạn 2026 - 2030. "
            "Thỏa thuận tập trung vào các lĩnh vực sau\n1. Kinh tế cửa khẩu\n2. Du lịch sinh thái\n")
    nodes, rels = graph_of("tin.txt", news)
    (agreement,) = [n for n in nodes.values() if n.kind == "Agreement"]
    sectors = {nodes[r.end].name for r in rels if r.type == "COVERS" and r.start == agreement.id}
    assert {"kinh tế cửa khẩu", "du lịch sinh thái"} <= sectors


def test_the_agreement_a_renewal_replaces_written_as_an_aside_leaves_it_the_fields_after_the_bracket() -> None:
    news = ("Lạng Sơn và Cao Bằng ký kết hợp tác giai đoạn mới\n\nThứ Hai, 09/03/2026\n\n"
            "Chiều 9/3, UBND tỉnh Lạng Sơn và UBND tỉnh Cao Bằng ký kết Chương trình hợp tác giai đoạn 2026 - 2030 "
            "(thay thế Chương trình hợp tác ký ngày 12/5/2021) về du lịch, thương mại.\n")
    nodes, rels = graph_of("tin.txt", news)
    covers = {nodes[r.start].properties.get("date_signed"): [] for r in rels if r.type == "PARTY"}
    for r in rels:
        if r.type == "COVERS":
            covers[nodes[r.start].properties.get("date_signed")].append(nodes[r.end].name)
    assert covers == {"2026-03-09": ["du lịch", "thương mại"], "2021-05-12": []}


def test_the_front_s_committee_is_shown_as_the_document_writes_it_and_found_by_either_name(tmp_path: Path) -> None:
    rows = ("\n2\tXây dựng 20 nhà thử cho hộ nghèo\tỦy ban MTTQ Việt Nam tỉnh Bắc Kạn\tỦy ban MTTQ tỉnh Bắc Kạn"
            "\tNhà ở\t2024\tHuyện Ba Bể\tBà Lục Thị Thử - Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh Bắc Kạn; ĐT: 0900 000 041"
            "\n3\tTrao 50 suất quà thử\tỦy ban Mặt trận Tổ quốc Việt Nam huyện Ba Bể\t\tQuà\t2024\tHuyện Ba Bể\t\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "ke_hoach.txt", (PLAN.rstrip("\n") + rows).encode()).status == "added"
    # written in short: spelled out with the short form after it, as the lead and as the contact's body
    shown = "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Bắc Kạn (Ủy ban MTTQ Việt Nam tỉnh Bắc Kạn)"
    (lead, *_) = store.lead("xây dựng 20 nhà thử")
    assert lead.organization == shown
    (contact, *_) = store.contacts("xây dựng 20 nhà thử")
    assert (contact.person, contact.organization) == ("Lục Thị Thử", shown)
    # written in full: shown in full
    (lead, *_) = store.lead("trao 50 suất quà thử")
    assert lead.organization == "Ủy ban Mặt trận Tổ quốc Việt Nam huyện Ba Bể"
    # one body, asked by either spelling
    for asked in ("Ủy ban MTTQ Việt Nam tỉnh Bắc Kạn", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Bắc Kạn"):
        assert [t.task for t in store.org_tasks(asked)] == ["Xây dựng 20 nhà thử cho hộ nghèo"]


def test_a_body_written_both_ways_is_named_as_the_document_writes_it_most_often() -> None:
    from ingest.builder import GraphBuilder
    with reading("2024-05-02", ""):
        org = parse_org(expand("Ủy ban MTTQ Việt Nam huyện Ba Bể"), None)
        b = GraphBuilder("thu.txt")
        for quote in ("Nơi nhận: UBMTTQVN huyện Ba Bể;", "Ủy ban Mặt trận Tổ quốc Việt Nam huyện Ba Bể chủ trì.",
                      "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam huyện Ba Bể phối hợp."):
            b.organization(org, quote)
    (node,) = [n for n in b.build("x").nodes if n.kind == "Organization"]
    assert node.name == "Ủy ban Mặt trận Tổ quốc Việt Nam huyện Ba Bể" and "UBMTTQVN huyện Ba Bể" in node.aliases


def test_contact_points_listed_for_both_sides_speak_for_the_agreement(tmp_path: Path) -> None:
    # a district's whole political system signs as the district; each side's contact in brackets after its body
    twinning = ("Ba Bể kết nghĩa với Cần Giờ\n\nNgày 14/4/2023, tại Hội trường UBND huyện Ba Bể, Huyện ủy, HĐND, UBND, "
                "Ủy ban MTTQ Việt Nam huyện Cần Giờ và huyện Ba Bể đã tổ chức Lễ ký kết kết nghĩa giữa hai huyện.\n\n"
                "Đầu mối phối hợp: Văn phòng HĐND và UBND huyện Cần Giờ (ông Lâm Văn Thử, Chánh Văn phòng, "
                "ĐT 0900 000 051) và Phòng Nông nghiệp và PTNT huyện Ba Bể (bà Hoàng Thị Thử, Trưởng phòng, "
                "ĐT 0900 000 052).\n")
    # the sides' contacts after 'Hai bên cử đầu mối:', or after what they follow and who was given it
    agreement = ("Hai thị trấn ký thỏa thuận\n\nNgày 20/5/2024, UBND thị trấn Chợ Rã và UBND thị trấn Cần Thạnh ký kết "
                 "Thỏa thuận hợp tác giai đoạn 2024 - 2028.\n\nHai bên cử đầu mối: ông Ma Văn Mẫu, Phó Chủ tịch UBND "
                 "thị trấn Chợ Rã, điện thoại 0900 000 053 (di động 0900 000 054) và bà Trương Thị Mẫu, Chuyên viên "
                 "Văn phòng UBND thị trấn Cần Thạnh, điện thoại 0900 000 055.\n")
    plan = ("Hai phường ký thỏa thuận\n\nNgày 02/10/2025, UBND phường Bến Thành và UBND phường Sài Gòn ký kết Thỏa "
            "thuận hợp tác giai đoạn 2025 - 2030.\n\nĐầu mối theo dõi thỏa thuận được giao cho Phòng Văn hóa - Xã "
            "hội hai phường: bà Đỗ Thị Khảo, Trưởng phòng Văn hóa - Xã hội phường Bến Thành, số điện thoại "
            "0900 000 056; ông Vương Văn Khảo, Phó Trưởng phòng Văn hóa - Xã hội phường Sài Gòn, điện thoại "
            "0900 000 057.\n")
    store = EmbeddedStore(tmp_path)
    for name, text in (("tin_ket_nghia.txt", twinning), ("tin_thi_tran.txt", agreement), ("tin_phuong.txt", plan)):
        assert ingest_bytes(store, name, text.encode()).status == "added"
    (answer, *_) = store.agreements_between("huyện Cần Giờ", "huyện Ba Bể")
    assert answer.date == "2023-04-14"
    contacts = store.contacts("đầu mối phối hợp kết nghĩa Cần Giờ - Ba Bể")
    assert {(c.person, c.organization) for c in contacts} == {
        ("Lâm Văn Thử", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện Cần Giờ"),
        ("Hoàng Thị Thử", "Phòng Nông nghiệp và Phát triển nông thôn huyện Ba Bể")}
    contacts = store.contacts("đầu mối hợp tác thị trấn Chợ Rã và thị trấn Cần Thạnh")
    assert {(c.person, c.phone) for c in contacts} == {("Ma Văn Mẫu", "0900 000 053"),
                                                       ("Trương Thị Mẫu", "0900 000 055")}
    # asked with a party's province as well
    assert store.contacts("đầu mối hợp tác thị trấn Chợ Rã (Bắc Kạn) và thị trấn Cần Thạnh")
    contacts = store.contacts("đầu mối theo dõi thỏa thuận phường Bến Thành - phường Sài Gòn")
    assert {(c.person, c.organization) for c in contacts} == {
        ("Đỗ Thị Khảo", "Phòng Văn hóa - Xã hội phường Bến Thành"),
        ("Vương Văn Khảo", "Phòng Văn hóa - Xã hội phường Sài Gòn")}


def test_a_place_s_political_system_listed_by_its_bodies_signs_as_the_place() -> None:
    with reading("2023-04-14", ""):
        parties, _ = parties_in(expand("Huyện ủy, HĐND, UBND, Ủy ban MTTQ Việt Nam huyện Cần Giờ và huyện Ba Bể"))
        assert [p.name for p in parties] == ["Huyện Cần Giờ", "Huyện Ba Bể"]
        # the Front's committee alone signs for itself
        parties, _ = parties_in(expand("Ủy ban MTTQ Việt Nam huyện Cần Giờ và Ủy ban MTTQ Việt Nam huyện Ba Bể"))
        assert [p.name for p in parties] == ["Ủy ban Mặt trận Tổ quốc Việt Nam huyện Cần Giờ",
                                             "Ủy ban Mặt trận Tổ quốc Việt Nam huyện Ba Bể"]


def test_contacts_assigned_for_both_sides_after_two_tasks_are_the_programme_s_not_a_task_s(tmp_path: Path) -> None:
    news = ("Hai Sở Du lịch ký chương trình hợp tác\n\nNgày 05/6/2024, Sở Du lịch tỉnh Bắc Kạn và Sở Du lịch tỉnh Cà Mau "
            "ký kết chương trình hợp tác giai đoạn 2024 - 2028. Sở Du lịch tỉnh Cà Mau chủ trì tổ chức Hội chợ du lịch "
            "thử tại Cà Mau vào tháng 3/2025; Sở Du lịch tỉnh Bắc Kạn chủ trì Lễ hội hoa thử tại Ba Bể vào tháng 9/2025. "
            "Để triển khai, hai bên phân công ông Nông Văn Mẫu, Trưởng phòng Quản lý du lịch Sở Du lịch tỉnh Bắc Kạn "
            "(ĐT: 0900 000 058) và bà Lê Thị Mẫu, Phó Giám đốc Sở Du lịch tỉnh Cà Mau (ĐT: 0900 000 059) làm đầu mối "
            "liên hệ.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_hai_so_du_lich.txt", news.encode()).status == "added"
    contacts = store.contacts("đầu mối chương trình hợp tác Sở Du lịch Bắc Kạn - Sở Du lịch Cà Mau")
    assert {(c.person, c.phone) for c in contacts} == {("Nông Văn Mẫu", "0900 000 058"), ("Lê Thị Mẫu", "0900 000 059")}
    # neither is the contact of the task their own body leads: they were named for the programme
    assert not [c for c in store.contacts("Hội chợ du lịch thử") if c.person == "Lê Thị Mẫu"]
    assert not [c for c in store.contacts("Lễ hội hoa thử") if c.person == "Nông Văn Mẫu"]


def test_the_host_of_one_year_s_rotating_review_conference_leads_it_wherever_it_is_held() -> None:
    with reading("2024-03-02", ""):
        (found,) = commitments_in(expand("Hai bên thống nhất hằng năm sẽ luân phiên tổ chức hội nghị sơ kết; năm 2025 "
                                         "do huyện Ba Bể chủ trì tổ chức tại tỉnh Bắc Kạn."))
    assert (found.task, found.lead.name) == ("hội nghị sơ kết năm 2025", "Ủy ban nhân dân huyện Ba Bể")


def test_a_plan_s_task_for_both_sides_is_found_by_the_two_parties_names(tmp_path: Path) -> None:
    rows = "\n2\tKhảo sát thử điểm đến cho doanh nghiệp lữ hành hai tỉnh\tSở Du lịch tỉnh Bắc Kạn\t\tĐoàn\t2024\t\t\n"
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "ke_hoach.txt", (PLAN.rstrip("\n") + rows).encode()).status == "added"
    (lead, *_) = store.lead("khảo sát thử điểm đến doanh nghiệp lữ hành hai tỉnh Bắc Kạn TP.HCM")
    assert lead.organization == "Sở Du lịch tỉnh Bắc Kạn"


def test_a_rotating_review_conference_is_asked_as_the_review_of_the_agreement(tmp_path: Path) -> None:
    news = ("Ba Bể và Cần Giờ ký thỏa thuận\n\nNgày 14/4/2024, UBND huyện Ba Bể và UBND huyện Cần Giờ ký kết Thỏa thuận "
            "hợp tác giai đoạn 2024 - 2028.\n\nHai bên thống nhất hằng năm sẽ luân phiên tổ chức hội nghị sơ kết; năm "
            "2025 do huyện Cần Giờ chủ trì tổ chức tại Thành phố Hồ Chí Minh.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_so_ket.txt", news.encode()).status == "added"
    (lead, *_) = store.lead("hội nghị sơ kết thỏa thuận Ba Bể - Cần Giờ năm 2025")
    assert lead.organization == "Ủy ban nhân dân huyện Cần Giờ"


def test_a_gift_written_before_the_bodies_that_see_to_it_is_led_by_the_one_that_hands_it_over() -> None:
    with reading("2024-03-02", ""):
        (found,) = commitments_in(expand("Riêng 80 suất quà cho hộ nghèo do Công ty TNHH Thử Nghiệm tài trợ, Ủy ban "
                                         "MTTQ Việt Nam huyện Ba Bể tiếp nhận và trao tặng."))
        assert (found.task, found.lead.name) == ("80 suất quà cho hộ nghèo",
                                                 "Ủy ban Mặt trận Tổ quốc Việt Nam huyện Ba Bể")
        (found,) = commitments_in(expand("50 chiếc xe đạp cho học sinh do UBND huyện Ba Bể vận động và trực tiếp trao."))
        assert found.lead.name == "Ủy ban nhân dân huyện Ba Bể"
        # a sponsor only pays: who hands the gift over is not said
        assert commitments_in(expand("Ngoài ra, 120 suất học bổng do Công ty TNHH Thử Nghiệm tài trợ.")) == []


def test_the_agreement_s_time_or_number_after_a_list_of_fields_is_no_field() -> None:
    assert sector_labels("giáo dục, y tế và chuyển đổi số giai đoạn 2026 - 2030") == ["giáo dục", "y tế", "chuyển đổi số"]
    assert sector_labels("du lịch; nông nghiệp; giai đoạn 2025 - 2030") == ["du lịch", "nông nghiệp"]
    assert sector_labels("thương mại; số 07/TB-SNN ngày 02/3/2024") == ["thương mại"]
    # a number that is no time stays in its field's label
    assert sector_labels("văn hóa; phát triển năm nhóm sản phẩm") == ["văn hóa", "phát triển năm nhóm sản phẩm"]


def test_a_division_s_name_holding_a_dash_stays_in_its_head_s_title() -> None:
    _, person = parse_contact(expand("Ông Nguyễn Văn Thử - Trưởng phòng Kế hoạch - Tài chính, Sở NN&PTNT tỉnh Bắc Kạn; "
                                     "ĐT: 0900 000 061"), None)
    assert [(p.title, p.org.name) for p in person.positions] == [
        ("Trưởng phòng Kế hoạch - Tài chính", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Bắc Kạn")]
    _, person = parse_contact(expand("BS. Hà Văn Thử - Trưởng khoa Thận - Lọc máu; ĐT: 0900 000 062"), None)
    assert person.positions[0].title == "Trưởng khoa Thận - Lọc máu"
    # a body after the dash is the division's body, not part of its name
    _, person = parse_contact(expand("Bà Lê Thị Thử - Phó Trưởng phòng Kế hoạch - Sở Tài chính tỉnh Bắc Kạn"), None)
    assert [(p.title, p.org.name) for p in person.positions] == [("Phó Trưởng phòng Kế hoạch", "Sở Tài chính tỉnh Bắc Kạn")]


def test_people_a_clause_tells_readers_to_contact_are_the_agreement_s_contacts(tmp_path: Path) -> None:
    news = ("Hai bệnh viện ký thỏa thuận\n\nNgày 09/10/2023, Bệnh viện Đa khoa tỉnh Bắc Kạn và Bệnh viện Đa khoa tỉnh Cà "
            "Mau ký kết thỏa thuận hợp tác chuyên môn giai đoạn 2023 - 2026. Phòng Kế hoạch tổng hợp hai bệnh viện "
            "được giao làm đầu mối; mọi trao đổi chuyên môn liên hệ ThS. Hà Văn Khảo, Trưởng phòng Kế hoạch tổng hợp, "
            "điện thoại 0900 000 071, và CN. Lý Thị Khảo, Phó Trưởng phòng Kế hoạch tổng hợp Bệnh viện Đa khoa tỉnh "
            "Cà Mau, điện thoại 0900 000 072.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_hai_benh_vien.txt", news.encode()).status == "added"
    # the one written with her hospital speaks for the agreement; the other's body is not written with him
    contacts = store.contacts("đầu mối hợp tác chuyên môn BVĐK Bắc Kạn - BVĐK Cà Mau")
    assert {(c.person, c.phone) for c in contacts} == {("Lý Thị Khảo", "0900 000 072")}


def test_a_contact_point_naming_its_own_work_is_the_cooperation_s_not_the_task_before(tmp_path: Path) -> None:
    news = ("Sơ kết hợp tác giữa Lạng Sơn và Bến Tre\n\nNgày 20/6/2024, UBND tỉnh Lạng Sơn và UBND tỉnh Bến Tre sơ kết "
            "Thỏa thuận hợp tác ký ngày 12/3/2022.\n\n"
            "Hội nghị giao Sở Công Thương tỉnh Bến Tre chủ trì theo dõi chương trình kết nối tiêu thụ na thử. "
            "Đầu mối tổng hợp kết quả thực hiện thỏa thuận là bà Lò Thị Mẫu - Phó Giám đốc Sở Tài chính tỉnh "
            "Lạng Sơn, điện thoại 0900 000 041.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_soket_thu.txt", news.encode()).status == "added"
    # the sentence before names another body's task: she is no contact of it, but of the cooperation as a whole
    assert not [c for c in store.contacts("kết nối tiêu thụ na thử") if c.person == "Lò Thị Mẫu"]
    (contact, *_) = store.contacts("đầu mối tổng hợp kết quả thực hiện thỏa thuận Lạng Sơn - Bến Tre")
    assert (contact.person, contact.organization, contact.phone) == (
        "Lò Thị Mẫu", "Sở Tài chính tỉnh Lạng Sơn", "0900 000 041")
    assert contact.task.startswith("Triển khai")
    # a cue with words after it and no person after 'là' names no contact point
    assert prose_contacts("Đầu mối tổng hợp kết quả là Sở Tài chính tỉnh Lạng Sơn.") == []


def test_a_standing_body_that_leads_the_follow_up_of_all_its_side_s_agreements_is_asked_by_each(tmp_path: Path) -> None:
    news = ("Lạng Sơn ký kết với ba tỉnh\n\nNgày 05/3/2024, UBND tỉnh Lạng Sơn lần lượt ký kết thỏa thuận hợp tác "
            "với UBND tỉnh Bến Tre, UBND tỉnh Cà Mau và UBND tỉnh Kiên Giang.\n\n"
            "Theo thỏa thuận, Sở Kế hoạch và Đầu tư tỉnh Lạng Sơn là cơ quan thường trực, chủ trì theo dõi, tổng hợp "
            "kết quả triển khai các thỏa thuận hợp tác và báo cáo hằng năm.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_ba_tinh_thu.txt", news.encode()).status == "added"
    # 'là cơ quan thường trực, chủ trì ...': the role's body leads, not 'Sở ... là cơ quan thường trực'
    (lead, *_) = store.lead("theo dõi, tổng hợp kết quả triển khai các thỏa thuận hợp tác của Lạng Sơn với "
                            "Bến Tre, Cà Mau, Kiên Giang")
    assert lead.organization == "Sở Kế hoạch và Đầu tư tỉnh Lạng Sơn"
    assert lead.task.startswith("Theo dõi, tổng hợp kết quả")


def test_a_place_in_an_aside_about_the_past_is_not_a_party(tmp_path: Path) -> None:
    news = ("Hai địa phương kết nghĩa\n\n"
            "Sáng 12/9/2025, phường Hoàn Kiếm (Hà Nội) – địa bàn trước đây thuộc Q. Hoàn Kiếm – và xã Bắc Hà "
            "(tỉnh Lào Cai) ký kết kết nghĩa. Phường Hoàn Kiếm trao tặng 80 triệu đồng xây nhà văn hóa thôn.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_ketnghia_hoankiem.txt", news.encode()).status == "added"
    assert [p.locality.split(",")[0] for p in store.partners("phường Hoàn Kiếm")] == ["Xã Bắc Hà"]
    assert [p.locality.split(",")[0] for p in store.partners("xã Bắc Hà")] == ["Phường Hoàn Kiếm"]


def test_a_unions_headline_with_a_dash_names_the_two_unions_not_the_provinces(tmp_path: Path) -> None:
    news = ("Công đoàn hai tỉnh Thanh Hóa – Nghệ An ký kết chương trình phối hợp\n\n"
            "Tháng 4/2023, Liên đoàn Lao động tỉnh Thanh Hóa và Liên đoàn Lao động tỉnh Nghệ An đã ký kết chương "
            "trình phối hợp hoạt động giai đoạn 2023 – 2028.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_congdoan_thanhhoa.txt", news.encode()).status == "added"
    assert store.agreements_between("Liên đoàn Lao động tỉnh Thanh Hóa", "Liên đoàn Lao động tỉnh Nghệ An")
    assert store.partners("tỉnh Nghệ An") == [] and store.partners("tỉnh Thanh Hóa") == []


def test_a_contacts_unit_named_without_a_place_belongs_to_the_body_after_the_comma() -> None:
    _, person = parse_contact("BS Lưu Minh Trí, Trung tâm Đào tạo - Chỉ đạo tuyến, Bệnh viện Trung ương Huế, "
                              "ĐT: 0912 000 475", None)
    (position,) = person.positions
    assert position.org.body == "Trung tâm Đào tạo - Chỉ đạo tuyến"
    assert position.org.parent is not None and position.org.parent.body == "Bệnh viện Trung ương Huế"
    # a unit that names its own place keeps it, and no parent is guessed
    _, person = parse_contact("Ông Lưu Minh Trí, Trung tâm Y tế huyện Phong Điền, ĐT: 0912 000 475", None)
    assert person.positions[0].org.parent is None


def test_works_a_gift_pays_for_are_the_givers_until_another_body_is_assigned_them(tmp_path: Path) -> None:
    found = commitments_in(expand("Nhân dịp này, UBND huyện Tân Yên trao tặng 150 triệu đồng để xây 3 phòng học tại "
                                  "xã Tùng Vài, dự kiến khởi công trong tháng 6/2024."))
    (works,) = [c for c in found if c.funded]
    assert works.task == "Xây 3 phòng học" and works.lead.name == "Ủy ban nhân dân huyện Tân Yên"
    assert works.place == "xã Tùng Vài"
    # the money handed to a named recipient: the recipient builds, the giver only pays
    assert not [c for c in commitments_in(expand("Huyện Tân Yên trao tặng xã Tùng Vài 150 triệu đồng hỗ trợ sửa chữa "
                                                 "Trường Tiểu học Tùng Vài.")) if c.funded]
    # a purpose that is no works names no task; nor do works not placed
    assert commitments_in(expand("UBND huyện Tân Yên trao tặng 150 triệu đồng để hỗ trợ hộ nghèo xã Tùng Vài.")) == []
    assert commitments_in(expand("UBND huyện Tân Yên trao tặng 150 triệu đồng để xây dựng 5 nhà cho hộ nghèo.")) == []
    (hall,) = commitments_in(expand("Phường Quán Thánh trao 90 triệu đồng hỗ trợ xây dựng nhà văn hóa thôn Nà Lầu (xã "
                                    "Tùng Vài) và 50 suất quà cho học sinh."))
    assert hall.task == "Xây dựng nhà văn hóa thôn Nà Lầu (xã Tùng Vài)" and hall.funded
    news = ("Tân Yên và Quản Bạ kết nghĩa\n\n"
            "Ngày 5/4/2024, huyện Tân Yên (tỉnh Bắc Giang) và huyện Quản Bạ (tỉnh Hà Giang) ký kết kết nghĩa.\n"
            "Nhân dịp này, UBND huyện Tân Yên trao tặng 300 triệu đồng để xây 4 phòng học tại xã Tùng Vài. "
            "UBND xã Tùng Vài được giao làm chủ đầu tư, thi công trong năm 2024.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_tanyen_quanba.txt", news.encode()).status == "added"
    (lead, *others) = store.lead("xây 4 phòng học tại xã Tùng Vài")
    assert lead.organization == "Ủy ban nhân dân xã Tùng Vài" and not [o for o in others if "Tân Yên" in o.organization]


def test_a_bare_lead_leads_the_event_its_sentence_or_the_one_before_announces() -> None:
    (fair,) = commitments_in(expand(
        "Năm 2026, hai tỉnh thống nhất tổ chức Tuần hàng nông sản Yên Bái tại TP. Vinh vào tháng 5/2026, giao Sở "
        "Công Thương tỉnh Nghệ An chủ trì, Sở Công Thương tỉnh Yên Bái phối hợp."))
    assert fair.task == "Tuần hàng nông sản Yên Bái" and fair.lead.name == "Sở Công Thương tỉnh Nghệ An"
    assert [o.name for o in fair.coordinators] == ["Sở Công Thương tỉnh Yên Bái"]
    announced = expand("Theo kế hoạch năm 2026, Hội chợ thiết bị Kết Nối Xanh 2026 sẽ diễn ra từ ngày 3 đến "
                       "5/9/2026 tại phường Hạ Long.")
    (show,) = commitments_in(expand("Trung tâm Thông tin và Ứng dụng công nghệ Quảng Ninh được giao chủ trì, Sở Công "
                                    "Thương tỉnh Hòa Bình vận động 20 doanh nghiệp tham gia."), None, announced)
    assert show.task == "Hội chợ thiết bị Kết Nối Xanh 2026"
    assert show.lead.body.startswith("Trung tâm Thông tin và Ứng dụng công nghệ")
    # a sentence whose subject organises the event ('Hai tỉnh sẽ tổ chức ...') announces no event of its own
    assert commitments_in(expand("Sở Công Thương tỉnh Nghệ An được giao chủ trì, các sở phối hợp."), None,
                          expand("Hai tỉnh sẽ tổ chức nhiều hoạt động.")) == []


def test_a_bare_lead_leads_the_named_event_the_sides_agreed_to_hold_in_the_sentence_before() -> None:
    agreed = expand("Hai bên thống nhất tổ chức Ngày hội Cà phê và Chè Mộc Châu tại Phan Thiết từ ngày 4 – 6/8/2024 "
                    "tại Quảng trường Nguyễn Tất Thành.")
    (fair,) = commitments_in(expand("Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh Bình Thuận chủ trì, Sở "
                                    "Công Thương tỉnh Điện Biên phối hợp."), None, agreed)
    assert fair.task.startswith("Ngày hội Cà phê và Chè Mộc Châu") and fair.timeframe == "2024-08-06"
    assert fair.lead.body.startswith("Trung tâm Xúc tiến đầu tư")
    assert [o.name for o in fair.coordinators] == ["Sở Công Thương tỉnh Điện Biên"]
    # what the sides agreed to hold is named by its kind only: no event to lead
    assert commitments_in(expand("Sở Công Thương tỉnh Điện Biên chủ trì, các sở phối hợp."), None,
                          expand("Hai bên thống nhất tổ chức các hoạt động giao lưu.")) == []


def test_the_youth_union_of_a_ward_leads_what_it_is_said_to_lead() -> None:
    (camp,) = commitments_in(expand("Đoàn Thanh niên phường Láng chủ trì chương trình tình nguyện hè 2026 tại xã "
                                    "Pà Cò, dự kiến diễn ra trong tháng 7/2026."))
    assert camp.lead.body == "Đoàn Thanh niên phường Láng" and camp.task == "chương trình tình nguyện hè 2026"


def test_a_contact_for_details_about_a_task_named_short_is_that_tasks(tmp_path: Path) -> None:
    news = ("Quảng Ninh – Hòa Bình hợp tác khoa học\n\n"
            "Ngày 10/2/2026, Sở Khoa học và Công nghệ tỉnh Quảng Ninh và Sở Khoa học và Công nghệ tỉnh Hòa Bình ký kết "
            "chương trình hợp tác giai đoạn 2026 – 2030.\n"
            "Theo kế hoạch năm 2026, Hội chợ thiết bị Kết Nối Xanh 2026 sẽ diễn ra từ ngày 3 đến 5/9/2026 tại phường "
            "Hạ Long. Trung tâm Thông tin và Ứng dụng công nghệ Quảng Ninh được giao chủ trì, Sở Khoa học và Công "
            "nghệ tỉnh Hòa Bình vận động 20 doanh nghiệp tham gia.\n"
            "Thông tin chi tiết về Kết Nối Xanh 2026 liên hệ bà Đào Thu Hằng, Trưởng phòng Quản lý công nghệ, Sở Khoa "
            "học và Công nghệ tỉnh Quảng Ninh, điện thoại 0203 3811 427.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_khcn_quangninh.txt", news.encode()).status == "added"
    (contact, *_) = store.contacts("Kết Nối Xanh 2026")
    assert contact.person == "Đào Thu Hằng" and contact.task == "Hội chợ thiết bị Kết Nối Xanh 2026"
    (lead, *_) = store.lead("Hội chợ thiết bị Kết Nối Xanh 2026")
    assert lead.organization.startswith("Trung tâm Thông tin và Ứng dụng công nghệ")


def test_a_contact_cell_opening_with_the_person_keeps_the_bodys_short_name_in_brackets() -> None:
    _, person = parse_contact("Ông Khổng Văn Lạc, Phó Trưởng phòng Xúc tiến đầu tư, Trung tâm Xúc tiến Thương mại và "
                              "Đầu tư TP.HCM (ITPC), ĐT: 0912.000.318", None)
    assert person is not None and person.name == "Khổng Văn Lạc" and person.phone == "0912.000.318"
    (position,) = person.positions
    assert position.title == "Phó Trưởng phòng Xúc tiến đầu tư"
    assert position.org.body == "Trung tâm Xúc tiến Thương mại và Đầu tư" and position.org.acronym == "ITPC"
