"""Fields of cooperation a text announces, and agreements whose announced fields were not read.

An agreement answered with its date but only some of the fields its text gives misleads as much as a wrong date:
the agreement question leaves it out, while its parties, date and title stay facts (the partners question lists
them). Every text here was written for these tests; people, pairings and dates are invented.
"""

from __future__ import annotations

from pathlib import Path

from graph.embedded import EmbeddedStore
from ingest.agreements import about_the_agreement
from ingest.announced import Announcement, announced_items, read_fully
from ingest.extract import extract
from ingest.pipeline import ingest_bytes
from ingest.readers.text import read_text
from ingest.sectors import sector_statements


def unread_of(text: str) -> list[list[str]]:
    """The quotes announcing unread fields, for every agreement a news text yields."""
    graph, _ = extract(read_text("tin.txt", text.encode("utf-8"), "tin.txt"), "test")
    return [n.properties.get("fields_unread") or [] for n in graph.nodes if n.kind == "Agreement"]


def test_a_list_after_a_cue_is_announced_item_by_item() -> None:
    assert announced_items("Hai bên hợp tác trên các lĩnh vực: du lịch; thương mại; y tế.") == (
        "du lịch", "thương mại", "y tế")
    assert announced_items("Hai bên hợp tác về: (1) trồng rừng gỗ lớn; (2) phòng cháy rừng.") == (
        "trồng rừng gỗ lớn", "phòng cháy rừng")
    # the words closing the list go on about its purpose
    assert announced_items("Thỏa thuận tập trung vào du lịch, nông nghiệp và giáo dục nhằm thúc đẩy tăng trưởng.") == (
        "du lịch", "nông nghiệp", "giáo dục")


def test_a_list_written_elsewhere_is_announced_without_items() -> None:
    assert announced_items("Theo thỏa thuận, hai bên hợp tác trên 4 lĩnh vực chính:") == ()
    assert announced_items("Hai tỉnh ký kết thỏa thuận hợp tác trên 6 lĩnh vực.") == ()


def test_words_that_announce_no_fields() -> None:
    assert announced_items("Hai bên trao đổi kinh nghiệm phát triển kinh tế.") is None
    # 'về' after a signing announces fields only when a plain list in lower case closes the clause
    assert announced_items(" biên bản ghi nhớ, sau đó đoàn về thăm tỉnh Sóc Trăng.", after_keyword=True) is None
    assert announced_items(" biên bản ghi nhớ với Sở Công Thương về bao tiêu hồ tiêu và nhân giống sâm dây.",
                           after_keyword=True) == ("bao tiêu hồ tiêu", "nhân giống sâm dây")
    # a cue after a semicolon belongs to another clause: the plan's contents, not the agreement's fields
    assert announced_items(" Thỏa thuận hợp tác ký ngày 3/2/2024; UBND tỉnh ban hành Kế hoạch với các nội dung sau:",
                           after_keyword=True) is None


def test_fields_read_cover_the_items_as_whole_words() -> None:
    announced = Announcement("...", ("phát triển du lịch cộng đồng", "khám, chữa bệnh từ xa", "trồng rừng"))
    assert read_fully(announced, ["du lịch cộng đồng", "khám chữa bệnh từ xa", "trồng rừng"])
    # a known sector an item only stands for ('đào tạo' is education) does not read it
    assert not read_fully(Announcement("...", ("đào tạo bác sĩ nội trú", "trồng rừng")), ["giáo dục", "trồng rừng"])
    # a list mostly read is read: four of five items
    assert read_fully(Announcement("...", ("a b", "c d", "e g", "h i", "k l")), ["a b", "c d", "e g", "h i"])
    assert not read_fully(Announcement("...", ("a b", "c d", "e g")), ["a b", "c d"])
    # fields written elsewhere are read when any field was
    assert read_fully(Announcement("...", ()), ["du lịch"]) and not read_fully(Announcement("...", ()), [])


def test_an_agreement_whose_announced_fields_were_not_written_is_known_incomplete() -> None:
    text = ("Tin\n\nNgày 5/3/2024, UBND tỉnh Cà Mau và UBND tỉnh Lạng Sơn ký kết thỏa thuận hợp tác trên 6 lĩnh vực "
            "giai đoạn 2024 - 2028.\n")
    (unread,), = unread_of(text)
    assert unread.startswith("Ngày 5/3/2024, UBND tỉnh Cà Mau")


def test_fields_announced_in_one_sentence_and_written_in_the_next_are_read() -> None:
    text = ("Tin\n\nNgày 5/3/2024, UBND tỉnh Cà Mau và UBND tỉnh Lạng Sơn ký kết thỏa thuận hợp tác trên 3 lĩnh vực "
            "giai đoạn 2024 - 2028. Theo đó, hai bên hợp tác trên các lĩnh vực: du lịch; thương mại; y tế.\n")
    assert unread_of(text) == [[]]


def test_a_list_read_in_full_leaves_nothing_unread() -> None:
    text = ("Tin\n\nNgày 5/3/2024, UBND tỉnh Cà Mau và UBND tỉnh Lạng Sơn ký kết thỏa thuận hợp tác giai đoạn "
            "2024 - 2028, tập trung vào các lĩnh vực: du lịch; thương mại; nông nghiệp.\n")
    assert unread_of(text) == [[]]


def test_what_someone_proposes_about_fields_announces_none_of_the_agreement() -> None:
    text = ("Tin\n\nNgày 5/3/2024, UBND tỉnh Cà Mau và UBND tỉnh Lạng Sơn ký kết thỏa thuận hợp tác về du lịch và "
            "thương mại. Ông Lò Văn Quyết đề nghị hai tỉnh mở rộng hợp tác sang lĩnh vực kinh tế biển, cảng cá và "
            "trung tâm nghề cá.\n")
    assert unread_of(text) == [[]]


INCOMPLETE = ("Cà Mau và Lạng Sơn ký kết hợp tác\n\n"
              "Ngày 5/3/2024, UBND tỉnh Cà Mau và UBND tỉnh Lạng Sơn ký kết thỏa thuận hợp tác trên 6 lĩnh vực giai "
              "đoạn 2024 - 2028.\n")


def test_the_agreement_question_leaves_out_an_incomplete_agreement_the_partners_question_lists(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_camau_langson.txt", INCOMPLETE.encode()).status == "added"
    assert store.agreements_between("tỉnh Cà Mau", "tỉnh Lạng Sơn") == []
    (partner,) = store.partners("tỉnh Cà Mau")
    assert partner.locality == "Tỉnh Lạng Sơn" and partner.date == "2024-03-05"


def test_another_document_that_reads_the_fields_vouches_for_them(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_camau_langson.txt", INCOMPLETE.encode()).status == "added"
    plan = ("Tin\n\nTheo thỏa thuận ký ngày 5/3/2024 giữa UBND tỉnh Cà Mau và UBND tỉnh Lạng Sơn, hai tỉnh hợp tác "
            "trên các lĩnh vực: du lịch; thương mại; nông nghiệp; y tế; giáo dục; logistics.\n")
    assert ingest_bytes(store, "tin_camau_langson_2.txt", plan.encode()).status == "added"
    (agreement,) = store.agreements_between("tỉnh Cà Mau", "tỉnh Lạng Sơn")
    assert {"du lịch", "logistics"} <= set(agreement.sectors)


# --- fields read where they were missed -------------------------------------------------------------------------


def test_a_numbered_list_after_ve_and_a_colon_gives_its_items() -> None:
    sectors = sector_statements("Cùng dịp, Sở Nội vụ tỉnh Hòa Bình và Sở Nội vụ tỉnh Bến Tre ký kết chương trình phối "
                                "hợp về: (1) tuyển dụng, bồi dưỡng công chức; (2) cải cách chế độ công vụ; (3) thi "
                                "đua, khen thưởng.")
    assert {"tuyển dụng, bồi dưỡng công chức", "cải cách chế độ công vụ", "thi đua, khen thưởng"} <= set(sectors)


def test_ve_without_a_written_list_after_it_is_no_cue() -> None:
    assert sector_statements("Sau lễ ký, đoàn công tác về thăm khu du lịch sinh thái của huyện.") == []


def test_a_short_plain_list_closing_the_sentence_after_a_cue_gives_its_items() -> None:
    sectors = sector_statements("Ngày 2/6/2024, hai bệnh viện ký thỏa thuận hợp tác giai đoạn 2024 - 2027, tập trung "
                                "vào các chuyên ngành nhi khoa, gây mê hồi sức và phục hồi chức năng.")
    assert {"nhi khoa", "gây mê hồi sức", "phục hồi chức năng"} <= set(sectors)


def test_a_clause_after_a_cue_is_no_list_of_fields() -> None:
    # items too long, or a proper name: what the parties will do, not names of fields
    assert sector_statements("Hai bên tập trung vào việc sớm hoàn thành tuyến đường nối hai huyện và khánh thành "
                             "cầu Phú Lộc.") == []


def agreements_of(text: str) -> dict[tuple[str, ...], tuple[list[str], list[str]]]:
    """Parties (sorted) -> (sectors, quotes announcing unread fields) of every agreement a news text yields."""
    graph, _ = extract(read_text("tin.txt", text.encode("utf-8"), "tin.txt"), "test")
    nodes = {n.id: n for n in graph.nodes}
    found = {}
    for agreement in (n for n in graph.nodes if n.kind == "Agreement"):
        links = [r for r in graph.relationships if r.start == agreement.id]
        parties = tuple(sorted(nodes[r.end].name for r in links if r.type == "PARTY"))
        found[parties] = ([nodes[r.end].name for r in links if r.type == "COVERS"],
                          agreement.properties.get("fields_unread") or [])
    return found


PER_PARTNER = ("Tin\n\nNgày 4/10/2023, tại TP Vị Thanh, Trường Đại học Y Dược Cần Thơ đã ký kết thỏa thuận hợp tác với "
               "Sở Y tế tỉnh Hậu Giang và Công ty Cổ phần Dược Hậu Giang.\n"
               "Theo thỏa thuận với Sở Y tế tỉnh Hậu Giang, hai bên hợp tác (1) đào tạo điều dưỡng; (2) nghiên cứu dược "
               "liệu bản địa.\n"
               "Với Công ty Cổ phần Dược Hậu Giang, nhà trường hợp tác nhân giống cây dược liệu quý hiếm và tiếp nhận "
               "sinh viên thực tập.\n")


def test_fields_given_partner_by_partner_make_one_agreement_per_pair() -> None:
    found = agreements_of(PER_PARTNER)
    with_department = next(v for k, v in found.items() if "Sở Y tế tỉnh Hậu Giang" in k)
    with_company = next(v for k, v in found.items() if "Công ty Cổ phần Dược Hậu Giang" in k)
    assert len(found) == 2
    assert {"đào tạo điều dưỡng", "nghiên cứu dược liệu bản địa"} <= set(with_department[0])
    assert with_department[1] == []
    # the company's fields are written after the verb of cooperation: the short one is read, the longer one is not
    # read as a label, so the list is announced and not read in full
    assert with_company[0] == ["tiếp nhận sinh viên thực tập"]
    assert with_company[1][0].startswith("Với Công ty Cổ phần Dược Hậu Giang")


def test_partners_told_apart_are_answered_each_on_its_own(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_yduoc_haugiang.txt", PER_PARTNER.encode()).status == "added"
    (agreement,) = store.agreements_between("Trường Đại học Y Dược Cần Thơ", "Sở Y tế tỉnh Hậu Giang")
    assert agreement.date == "2023-10-04" and "đào tạo điều dưỡng" in agreement.sectors
    assert store.agreements_between("Trường Đại học Y Dược Cần Thơ", "Công ty Cổ phần Dược Hậu Giang") == []
    assert store.agreements_between("Sở Y tế tỉnh Hậu Giang", "Công ty Cổ phần Dược Hậu Giang") == []


def test_with_the_attendance_of_names_no_partner() -> None:
    text = ("Tin\n\nNgày 4/10/2023, Trường Đại học Y Dược Cần Thơ ký kết thỏa thuận hợp tác với Sở Y tế tỉnh Hậu Giang "
            "và Công ty Cổ phần Dược Hậu Giang. Với sự tham dự của lãnh đạo tỉnh Hậu Giang, các bên hợp tác trên các "
            "lĩnh vực: đào tạo; nghiên cứu.\n")
    assert len(agreements_of(text)) == 1


def test_what_a_party_will_do_under_the_agreement_is_its_fields() -> None:
    text = ("Tin\n\nNgày 11/5/2025, Bệnh viện Nhi Trung ương và Bệnh viện Đa khoa tỉnh Tuyên Quang ký kết thỏa thuận hợp "
            "tác.\nTheo thỏa thuận, Bệnh viện Nhi Trung ương sẽ chuyển giao kỹ thuật cho Bệnh viện Đa khoa tỉnh Tuyên "
            "Quang ở 2 chuyên khoa: sơ sinh và hồi sức nhi; đồng thời đào tạo điều dưỡng theo hình thức luân phiên, "
            "hỗ trợ hội chẩn trực tuyến.\n")
    (sectors, unread), = agreements_of(text).values()
    assert {"chuyển giao kỹ thuật", "sơ sinh", "hồi sức nhi", "đào tạo điều dưỡng", "hỗ trợ hội chẩn trực tuyến"} <= set(
        sectors)
    assert unread == []


def test_what_someone_will_do_outside_a_sentence_about_the_agreement_is_no_field() -> None:
    assert not about_the_agreement("Ông Hà Văn Lực cho biết tỉnh sẽ sớm mở đường bay thẳng.")
    assert about_the_agreement("Theo thỏa thuận, tỉnh A sẽ chuyển giao giống lúa.")
    text = ("Tin\n\nNgày 11/5/2025, UBND tỉnh Tuyên Quang và UBND tỉnh Bạc Liêu ký kết thỏa thuận hợp tác về du lịch "
            "và thương mại.\nÔng Hà Văn Lực cho biết tỉnh sẽ sớm mở đường bay thẳng.\n")
    (sectors, _), = agreements_of(text).values()
    assert "sớm mở đường bay thẳng" not in sectors


def test_a_plain_list_after_ve_closing_a_signing_is_its_fields() -> None:
    text = ("Tin\n\nCùng ngày, Tổng Công ty Cà phê Việt Nam ký biên bản ghi nhớ với Sở Nông nghiệp và Môi trường tỉnh "
            "Lâm Đồng về bao tiêu cà phê đặc sản và tái canh vườn cà phê già cỗi.\n")
    (sectors, unread), = agreements_of(text).values()
    assert {"bao tiêu cà phê đặc sản", "tái canh vườn cà phê già cỗi"} <= set(sectors) and unread == []


def test_sentences_pointing_back_at_the_agreement_announce_its_fields() -> None:
    assert about_the_agreement("Theo nội dung ký kết, ba địa phương tập trung vào: du lịch; y tế.")
    assert about_the_agreement("Theo các thỏa thuận, thành phố và mỗi tỉnh hợp tác trên 5 lĩnh vực.")
    assert about_the_agreement("Ba địa phương thống nhất hợp tác trên các lĩnh vực: du lịch; y tế.")
    assert not about_the_agreement("Theo báo cáo, sau 3 năm hai tỉnh đã hoàn thành nâng cấp tuyến đường.")


def test_a_plain_list_right_behind_a_cooperation_keyword_is_announced() -> None:
    text = ("Tin\n\nNgày 2/3/2024, Hội Nông dân tỉnh Sóc Trăng và Hội Nông dân tỉnh Hà Nam ký kết chương trình phối hợp "
            "hỗ trợ hội viên vay vốn, xây dựng tổ hợp tác và bao tiêu nông sản giai đoạn 2024 - 2027.\n")
    (sectors, unread), = agreements_of(text).values()
    assert unread == [] and "xây dựng tổ hợp tác" in sectors
    # a list behind the keyword whose items run on: announced, not read
    text = ("Tin\n\nNgày 2/3/2024, Hội Nông dân tỉnh Sóc Trăng và Hội Nông dân tỉnh Hà Nam ký kết chương trình phối hợp "
            "chăm lo đời sống vật chất, tinh thần cho hội viên ở vùng sâu vùng xa theo hướng bền vững lâu dài và phát "
            "triển hội viên.\n")
    (sectors, unread), = agreements_of(text).values()
    assert sectors == [] and len(unread) == 1


def test_a_sentence_opening_with_the_kind_of_agreement_after_theo_points_back_at_it() -> None:
    assert about_the_agreement("Theo quy chế, hai Sở tập trung vào: phòng cháy rừng; quản lý giống.")
    assert about_the_agreement("Theo hợp đồng, bệnh viện tuyến trên sẽ chuyển giao 3 kỹ thuật.")


def test_what_the_sides_cooperate_on_without_a_cue_is_read_up_to_where_and_how() -> None:
    # the sides, then their verb of cooperation and a plain list: the fields of the agreement just signed, each up to
    # the words saying where ('tại'), through what ('qua') or for whom ('đối với') it is done
    text = ("Tin\n\nNgày 9/4/2024, Bệnh viện Đa khoa tỉnh Lạng Sơn và Bệnh viện Đa khoa tỉnh Hà Nam ký kết hợp đồng "
            "hỗ trợ chuyên môn. Hai bệnh viện còn hợp tác nghiên cứu khoa học và khám sàng lọc tại cộng đồng.\n")
    (sectors, unread), = agreements_of(text).values()
    assert {"nghiên cứu khoa học", "khám sàng lọc"} <= set(sectors) and unread == []
    text = ("Tin\n\nNgày 9/4/2024, Bệnh viện Đa khoa tỉnh Lạng Sơn và Bệnh viện Đa khoa tỉnh Hà Nam ký kết hợp đồng "
            "hỗ trợ chuyên môn. Hai bên cũng hợp tác đọc phim chẩn đoán hình ảnh qua mạng nội bộ và tập huấn điều "
            "dưỡng đối với các khoa lâm sàng.\n")
    (sectors, unread), = agreements_of(text).values()
    assert {"đọc phim chẩn đoán hình ảnh", "tập huấn điều dưỡng"} <= set(sectors) and unread == []
    # an item too long to be a label leaves the list announced and not read in full: no answer with part of it
    text = ("Tin\n\nNgày 9/4/2024, Bệnh viện Đa khoa tỉnh Lạng Sơn và Bệnh viện Đa khoa tỉnh Hà Nam ký kết hợp đồng "
            "hỗ trợ chuyên môn. Hai bên cũng hợp tác khám bệnh và từng bước xây dựng mạng lưới bác sĩ gia đình "
            "vùng biên giới.\n")
    (sectors, unread), = agreements_of(text).values()
    assert len(unread) == 1


def test_a_quoted_programme_name_keeps_a_list_after_ve_plain() -> None:
    assert announced_items(' chương trình phối hợp về thăm hỏi đoàn viên; tổ chức ngày hội "Mái Ấm Xanh" chung.',
                           after_keyword=True) is not None
    # a proper name outside quotation marks is still a place one goes to
    assert announced_items(" biên bản ghi nhớ, sau đó đoàn về thăm tỉnh Sóc Trăng.", after_keyword=True) is None


def test_the_list_under_a_renewal_signed_at_a_review_conference_is_the_renewal_s(tmp_path: Path) -> None:
    text = ("Tổng kết hợp tác Lạng Sơn – Cà Mau\n\n"
            "Ngày 6/11/2024, UBND tỉnh Lạng Sơn và UBND tỉnh Cà Mau tổ chức Hội nghị tổng kết Chương trình hợp tác "
            "giai đoạn 2020 - 2024 và ký kết Chương trình hợp tác giai đoạn 2025 - 2029.\n\n"
            "Chương trình hợp tác giai đoạn trước được hai tỉnh ký kết vào tháng 5/2020 tại Cà Mau, tập trung vào: thương "
            "mại biên mậu; thủy sản.\n\n"
            "Chương trình hợp tác giai đoạn 2025 - 2029 được ký kết ngay tại hội nghị, với các nội dung:\n"
            "- Logistics nông sản;\n- Du lịch cộng đồng;\n- Đào tạo nghề.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_tongket.txt", text.encode()).status == "added"
    answers = {a.date: a for a in store.agreements_between("tỉnh Lạng Sơn", "tỉnh Cà Mau")}
    assert answers["2024-11-06"].period == "2025-2029"
    assert {"logistics nông sản", "du lịch cộng đồng", "đào tạo nghề"} <= set(answers["2024-11-06"].sectors)
    # the programme it renews keeps its own fields only
    assert "du lịch cộng đồng" not in answers["2020-05"].sectors


def test_two_bodies_of_one_kind_before_a_dashed_pair_of_places_are_each_place_s() -> None:
    text = ("Hai Sở Y tế Lạng Sơn – Hà Nam ký kết quy chế phối hợp\n\n"
            "Ngày 4/9/2025, Sở Y tế tỉnh Lạng Sơn và Sở Y tế tỉnh Hà Nam đã ký kết quy chế phối hợp giai đoạn "
            "2025 - 2030. Theo quy chế, hai Sở tập trung vào: kiểm soát dịch bệnh; y tế dự phòng.\n")
    (parties, (sectors, unread)), = agreements_of(text).items()
    assert parties == ("Sở Y tế tỉnh Hà Nam", "Sở Y tế tỉnh Lạng Sơn")
    assert {"kiểm soát dịch bệnh", "y tế dự phòng"} <= set(sectors) and unread == []


def test_a_side_written_right_after_the_venue_is_restored_by_the_count_of_sides(tmp_path: Path) -> None:
    text = ("Ba huyện kết nghĩa\n\n"
            "Ngày 3/10/2021, tại thị trấn Tam Đường, huyện Tam Đường (Lai Châu), huyện Nho Quan (Ninh Bình) và huyện "
            "Ba Vì (TP. Hà Nội) tổ chức lễ ký kết kết nghĩa ba huyện.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_ba_huyen.txt", text.encode()).status == "added"
    assert {p.locality.split(",")[0] for p in store.partners("huyện Tam Đường")} == {"Huyện Nho Quan", "Huyện Ba Vì"}
    # a venue whose parent no count asks for stays a venue
    text = ("Tin\n\nNgày 3/10/2021, tại thị trấn Tam Đường, huyện Tam Đường (Lai Châu), huyện Nho Quan (Ninh Bình) và "
            "huyện Ba Vì (TP. Hà Nội) tổ chức lễ ký kết kết nghĩa.\n")
    store = EmbeddedStore(tmp_path / "without_count")
    assert ingest_bytes(store, "tin_hai_huyen.txt", text.encode()).status == "added"
    assert [p.locality.split(",")[0] for p in store.partners("huyện Nho Quan")] == ["Huyện Ba Vì"]


def test_a_comprehensive_programme_signed_after_the_reorganisation_announces_no_fields() -> None:
    # 'toàn diện' qualifies the programme; what follows 'sau khi' says when, not what it covers
    text = ("Tin\n\nNgày 5/11/2025, UBND tỉnh Lào Cai và UBND tỉnh Vĩnh Long ký kết chương trình hợp tác giai đoạn "
            "2025 - 2030. Theo chương trình, hai địa phương hợp tác trên các lĩnh vực: du lịch; thương mại; y tế. Ông "
            "Lò Văn Dũng cho biết đây là lần đầu hai địa phương ký kết một chương trình hợp tác toàn diện sau khi sắp "
            "xếp đơn vị hành chính và vận hành chính quyền hai cấp.\n")
    (sectors, unread), = agreements_of(text).values()
    assert {"du lịch", "thương mại", "y tế"} <= set(sectors) and unread == []
