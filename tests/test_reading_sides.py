"""Reading news and questions where two sides meet: contact points listed side by side, the names a question
uses for a renamed unit, bodies named by a short name defined in brackets, and look-alikes.

Every text here was written for these tests; the names, pairings and phones are invented.
"""

from __future__ import annotations

from pathlib import Path

from graph.embedded import EmbeddedStore
from ingest.normalize import expand
from ingest.people import prose_contacts
from ingest.pipeline import ingest_bytes


def contacts_read(sentence: str) -> list[tuple[str | None, str, str | None]]:
    return [(org.name if org else None, person.name, person.phone) for org, person in prose_contacts(expand(sentence))]


# --- several contact points in one sentence --------------------------------------------------------

def test_each_contact_of_a_list_goes_to_the_side_written_before_it() -> None:
    assert contacts_read("Đầu mối triển khai chương trình: phía tỉnh Tuyên Quang là ông Lục Văn Bình, Phó Giám đốc "
                         "Sở Kế hoạch và Đầu tư, ĐT 0915.222.781; phía tỉnh Đồng Tháp là bà Cao Thị Mỹ Lan, Phó Giám "
                         "đốc Sở Công Thương, ĐT 0939.441.205.") == [
        ("Sở Kế hoạch và Đầu tư tỉnh Tuyên Quang", "Lục Văn Bình", "0915.222.781"),
        ("Sở Công Thương tỉnh Đồng Tháp", "Cao Thị Mỹ Lan", "0939.441.205")]
    # the side's body written before the person in brackets, and 'và' before the next side
    assert contacts_read("Đầu mối thực hiện thỏa thuận: phía Tuyên Quang là Sở Du lịch (ông Lục Văn Bình, Phó Giám "
                         "đốc, ĐT: 0915.222.781) và phía Đồng Tháp là Sở Văn hóa, Thể thao và Du lịch tỉnh Đồng Tháp "
                         "(bà Cao Thị Mỹ Lan, Trưởng phòng Quản lý du lịch).") == [
        ("Sở Du lịch tỉnh Tuyên Quang", "Lục Văn Bình", "0915.222.781"),
        ("Sở Văn hóa, Thể thao và Du lịch tỉnh Đồng Tháp", "Cao Thị Mỹ Lan", None)]


def test_each_contact_of_a_list_without_sides_goes_with_the_body_written_with_it() -> None:
    assert contacts_read("Đầu mối phối hợp giữa hai sở: bà Cao Thị Mỹ Lan, Trưởng phòng Quản lý lữ hành, Sở Du lịch "
                         "tỉnh Đồng Tháp, ĐT 0939.441.205; ông Lục Văn Bình, Phó Chánh Văn phòng, Sở Du lịch tỉnh "
                         "Tuyên Quang, ĐT 0207 381 2233.") == [
        ("Sở Du lịch tỉnh Đồng Tháp", "Cao Thị Mỹ Lan", "0939.441.205"),
        ("Sở Du lịch tỉnh Tuyên Quang", "Lục Văn Bình", "0207 381 2233")]


def test_a_contact_of_a_list_whose_side_is_not_written_is_left_out() -> None:
    # neither a side nor a body: whose contact each one is stays unsure
    assert contacts_read("Đầu mối liên hệ: ông Lục Văn Bình, ĐT 0915.222.781; bà Cao Thị Mỹ Lan, ĐT 0939.441.205.") == []
    # one contact point with its phone after a semicolon is still one contact point
    assert contacts_read("Đầu mối liên hệ: ông Lục Văn Bình, Phó Giám đốc Sở Du lịch tỉnh Tuyên Quang; ĐT "
                         "0915.222.781.") == [("Sở Du lịch tỉnh Tuyên Quang", "Lục Văn Bình", "0915.222.781")]


NEWS_TWO_SIDES = """Tuyên Quang và Đồng Tháp ký kết thỏa thuận hợp tác giai đoạn 2024 - 2028

Ngày 14/3/2024, tại thành phố Tuyên Quang, UBND tỉnh Tuyên Quang và UBND tỉnh Đồng Tháp đã ký kết Thỏa thuận hợp tác giai đoạn 2024 - 2028 trên các lĩnh vực du lịch, nông nghiệp, thương mại.

Đầu mối triển khai thỏa thuận: phía Đồng Tháp là bà Cao Thị Mỹ Lan, Phó Giám đốc Sở Công Thương, ĐT 0939.441.205; phía Tuyên Quang là ông Lục Văn Bình, Phó Giám đốc Sở Kế hoạch và Đầu tư, ĐT 0915.222.781.
"""


def test_a_question_for_one_side_gets_that_side_s_contact_first(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_tuyenquang_dongthap.txt", NEWS_TWO_SIDES.encode()).status == "added"
    (first, *_) = store.contacts("đầu mối triển khai thỏa thuận Tuyên Quang - Đồng Tháp phía Tuyên Quang")
    assert (first.person, first.phone, first.organization) == ("Lục Văn Bình", "0915.222.781",
                                                               "Sở Kế hoạch và Đầu tư tỉnh Tuyên Quang")
    (first, *_) = store.contacts("dau moi phia Dong Thap cua thoa thuan hop tac Tuyen Quang Dong Thap")
    assert (first.person, first.organization) == ("Cao Thị Mỹ Lan", "Sở Công Thương tỉnh Đồng Tháp")


# --- a unit asked by the type it had before ------------------------------------------------------------

TWINNING_TOWN = """Lễ kết nghĩa giữa thị xã Phú Mỹ và huyện Mường Lát

Ngày 9/6/2022, tại huyện Mường Lát, tỉnh Thanh Hóa, đã diễn ra Lễ ký kết kết nghĩa giữa thị xã Phú Mỹ (tỉnh Bà Rịa - Vũng Tàu) và huyện Mường Lát (tỉnh Thanh Hóa).
"""

TWO_NAMESAKES = """Hai huyện Châu Thành kết nghĩa với các huyện miền núi

Ngày 20/5/2023, huyện Châu Thành (tỉnh Tiền Giang) và huyện Quan Sơn (tỉnh Thanh Hóa) đã ký kết kết nghĩa. Cùng ngày, huyện Châu Thành (tỉnh Long An) và huyện Quan Hóa (tỉnh Thanh Hóa) cũng ký kết kết nghĩa.
"""


def test_a_unit_asked_by_its_earlier_type_finds_it_under_its_type_since(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_phumy_muonglat.txt", TWINNING_TOWN.encode()).status == "added"
    # the gazetteer knows the town by the type it was raised to (a thành phố); a question may use either
    for asked in ("TX Phú Mỹ", "thị xã Phú Mỹ", "Tx. Phu My", "thành phố Phú Mỹ", "huyện Phú Mỹ"):
        assert [p.locality for p in store.partners(asked)] == ["Huyện Mường Lát, Tỉnh Thanh Hóa"], asked
    # a unit is raised, never lowered: a huyện is not found as a thị xã
    assert store.partners("thị xã Mường Lát") == []


def test_a_name_asked_with_another_type_finds_nothing_when_namesakes_share_it(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_chauthanh.txt", TWO_NAMESAKES.encode()).status == "added"
    assert len(store.partners("huyện Châu Thành")) == 2  # asked by the type both have: both, as before
    assert store.partners("thị xã Châu Thành") == []


# --- look-alikes that must not be read as what they resemble ----------------------------------------------

def test_a_person_s_name_ending_like_a_province_without_its_marks_is_no_place() -> None:
    from ingest.localities import find_localities
    places = lambda text: [m.unit.short for m in find_localities(expand(text))]  # noqa: E731
    assert places("Bà Đinh Thị Thanh Hoa, Phó Giám đốc Sở Du lịch tỉnh Quảng Bình, phát biểu.") == ["Quảng Bình"]
    assert places("Ông Vũ Thanh Hoa - Chủ tịch UBND huyện Lệ Thủy cho biết.") == ["Lệ Thủy"]
    # the province written with its marks, with its type, or in a text typed without any marks is still read
    assert places("Đoàn công tác của Thanh Hóa thăm Đắk Lắk.") == ["Thanh Hóa", "Đắk Lắk"]
    assert places("tinh Quang Binh va Thanh Hoa") == ["Quảng Bình", "Thanh Hóa"]
    assert places("UBND tỉnh Thanh Hoa") == ["Thanh Hóa"]


def test_the_codes_of_a_document_number_are_not_spelled_out() -> None:
    assert expand("Căn cứ Kế hoạch số 41/KH-UBND ngày 2/3/2024 của UBND tỉnh") == (
        "Căn cứ Kế hoạch số 41/KH-UBND ngày 2/3/2024 của Ủy ban nhân dân tỉnh")
    assert expand("Công văn 77/UBND-KT và Quyết định số 09/2023/QĐ-UBND") == (
        "Công văn 77/UBND-KT và Quyết định số 09/2023/QĐ-UBND")
    # a city written 'TP.' before its name keeps no dot once spelled out
    assert expand("Sở Y tế TP. Vị Thanh, TP.Sa Đéc") == "Sở Y tế Thành phố Vị Thanh, Thành phố Sa Đéc"


def test_a_word_that_folds_like_a_body_s_head_but_has_other_marks_is_no_body() -> None:
    from ingest.orgs import head_of
    assert head_of("sơ kết 3 năm thực hiện") is None  # not 'Sở'
    assert head_of("Viên chức Sở Y tế") is None  # not 'Viện'
    assert head_of("Viện Nghiên cứu Rau quả") == ("Viện", "Academic")
    assert head_of("Vien Nghien cuu Rau qua") == ("Viện", "Academic")  # typed without marks
    assert head_of("Uỷ ban nhân dân xã") == ("Ủy ban nhân dân", "PeopleCommittee")  # old tone placement
