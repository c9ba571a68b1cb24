"""Reading news and questions where two sides meet: contact points listed side by side, the names a question
uses for a renamed unit, bodies named by a short name defined in brackets, and look-alikes.

Every text here was written for these tests; the names, pairings and phones are invented.
"""

from __future__ import annotations

from pathlib import Path

from graph.embedded import EmbeddedStore
from graph.store import GraphStore
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
    # a side contradicted by the body written with the person: unsure
    assert contacts_read("Đầu mối: phía tỉnh Tuyên Quang là ông Lục Văn Bình, Giám đốc Sở Du lịch tỉnh Đồng Tháp; phía "
                         "tỉnh Đồng Tháp là bà Cao Thị Mỹ Lan, Phó Giám đốc Sở Du lịch tỉnh Đồng Tháp.") == [
        ("Sở Du lịch tỉnh Đồng Tháp", "Cao Thị Mỹ Lan", None)]
    # neither a side nor a body: whose contact each one is stays unsure
    assert contacts_read("Đầu mối liên hệ: ông Lục Văn Bình, ĐT 0915.222.781; bà Cao Thị Mỹ Lan, ĐT 0939.441.205.") == []
    # one contact point with its phone after a semicolon is still one contact point
    assert contacts_read("Đầu mối liên hệ: ông Lục Văn Bình, Phó Giám đốc Sở Du lịch tỉnh Tuyên Quang; ĐT "
                         "0915.222.781.") == [("Sở Du lịch tỉnh Tuyên Quang", "Lục Văn Bình", "0915.222.781")]


NEWS_TWO_SIDES = """Tuyên Quang và Đồng Tháp ký kết thỏa thuận hợp tác giai đoạn 2024 - 2028

Ngày 14/3/2024, tại thành phố Tuyên Quang, UBND tỉnh Tuyên Quang và UBND tỉnh Đồng Tháp đã ký kết Thỏa thuận hợp tác giai đoạn 2024 - 2028 trên các lĩnh vực du lịch, nông nghiệp, thương mại.

Đầu mối triển khai thỏa thuận: phía Đồng Tháp là bà Cao Thị Mỹ Lan, Phó Giám đốc Sở Công Thương, ĐT 0939.441.205; phía Tuyên Quang là ông Lục Văn Bình, Phó Giám đốc Sở Kế hoạch và Đầu tư, ĐT 0915.222.781.
"""


def test_a_question_for_one_side_gets_that_side_s_contact_first(store: GraphStore) -> None:
    # a question's reading: on both backends
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


def test_a_unit_asked_by_its_earlier_type_finds_it_under_its_type_since(store: GraphStore) -> None:
    # a question's reading: on both backends
    assert ingest_bytes(store, "tin_phumy_muonglat.txt", TWINNING_TOWN.encode()).status == "added"
    # the gazetteer knows the town by the type it was raised to (a thành phố); a question may use either
    for asked in ("TX Phú Mỹ", "thị xã Phú Mỹ", "Tx. Phu My", "thành phố Phú Mỹ", "huyện Phú Mỹ"):
        assert [p.locality for p in store.partners(asked)] == ["Huyện Mường Lát, Tỉnh Thanh Hóa"], asked
    # a unit is raised, never lowered: a huyện is not found as a thị xã
    assert store.partners("thị xã Mường Lát") == []


def test_a_name_asked_with_another_type_finds_nothing_when_namesakes_share_it(store: GraphStore) -> None:
    # a question's reading: on both backends
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
    assert expand("Căn cứ Kế hoạch số 5832/KH-UBND ngày 2/3/2024 của UBND tỉnh") == (
        "Căn cứ Kế hoạch số 5832/KH-UBND ngày 2/3/2024 của Ủy ban nhân dân tỉnh")
    assert expand("Công văn 6091/UBND-KT và Quyết định số 88/2023/QĐ-UBND") == (
        "Công văn 6091/UBND-KT và Quyết định số 88/2023/QĐ-UBND")
    # a city written 'TP.' before its name keeps no dot once spelled out
    assert expand("Sở Y tế TP. Vị Thanh, TP.Sa Đéc") == "Sở Y tế Thành phố Vị Thanh, Thành phố Sa Đéc"


def test_a_word_that_folds_like_a_body_s_head_but_has_other_marks_is_no_body() -> None:
    from ingest.orgs import head_of
    assert head_of("sơ kết 3 năm thực hiện") is None  # not 'Sở'
    assert head_of("Viên chức Sở Y tế") is None  # not 'Viện'
    assert head_of("Viện Nghiên cứu Rau quả") == ("Viện", "Academic")
    assert head_of("Vien Nghien cuu Rau qua") == ("Viện", "Academic")  # typed without marks
    assert head_of("Uỷ ban nhân dân xã") == ("Ủy ban nhân dân", "PeopleCommittee")  # old tone placement


NEWS_NAMED_BEFORE = """Sở Nông nghiệp tỉnh Hậu Giang và Viện Lúa hợp tác chuyển giao giống lúa

Ngày 4/9/2024, tại thành phố Vị Thanh, Sở Nông nghiệp và Phát triển nông thôn tỉnh Hậu Giang và Viện Lúa Đồng bằng sông Cửu Long ký kết thỏa thuận hợp tác về chuyển giao giống lúa chất lượng cao. Dự buổi lễ có bà Quách Ngọc Hân, Phó Giám đốc Sở Nông nghiệp và Phát triển nông thôn tỉnh Hậu Giang.

Sở Nông nghiệp và Phát triển nông thôn tỉnh Hậu Giang chủ trì xây dựng mô hình lúa thơm giảm phát thải 300 ha tại xã Hòa An; đầu mối là bà Quách Ngọc Hân, số điện thoại 0911.705.318.
"""


def test_a_contact_named_alone_keeps_the_post_the_article_gave_them_before(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_haugiang_vienlua.txt", NEWS_NAMED_BEFORE.encode()).status == "added"
    (contact,) = store.contacts("mô hình lúa thơm giảm phát thải 300 ha Hòa An")
    assert (contact.person, contact.organization, contact.phone) == (
        "Quách Ngọc Hân", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Hậu Giang", "0911.705.318")
    # 'số điện thoại' folds like 'Sở ...': it names no body
    assert all(c.organization != "số" for c in store.contacts("mô hình lúa thơm"))


# --- photo captions of web pages -------------------------------------------------------------------------

PAGE_WITH_CAPTIONS = """<html><head><title>Bến Tre và Kon Tum ký kết hợp tác</title>
<meta property="article:published_time" content="2024-05-17"></head><body>
<nav><a href="/">Trang chủ</a> | <a href="/thoi-su">Thời sự</a></nav>
<article>
<h1>Bến Tre và Kon Tum ký kết hợp tác</h1>
<p>Ngày 16/5/2024, tại thành phố Bến Tre, UBND tỉnh Bến Tre và UBND tỉnh Kon Tum đã ký kết thỏa thuận hợp tác giai đoạn 2024 - 2029 về du lịch và nông nghiệp.</p>
<figure><img src="a.jpg"><figcaption>Ông Trịnh Công Lực (bên trái), Phó Chủ tịch UBND tỉnh Bến Tre và ông Y Khiêm Byă, Phó Chủ tịch UBND tỉnh Kon Tum ký kết thỏa thuận. Ảnh: Minh Tú</figcaption></figure>
<p>Hai tỉnh thống nhất tổ chức đoàn khảo sát du lịch trong năm 2024, kết nối các công ty lữ hành của Bến Tre với các điểm du lịch cộng đồng ở Kon Tum, xây dựng sản phẩm du lịch sông nước kết hợp đại ngàn.</p>
<p>Về nông nghiệp, hai bên trao đổi kinh nghiệm trồng cây ăn trái, dược liệu và xây dựng chuỗi liên kết tiêu thụ nông sản; doanh nghiệp của Bến Tre sẽ khảo sát vùng nguyên liệu sâm dây tại các huyện miền núi của Kon Tum.</p>
<p>Phát biểu tại buổi lễ, lãnh đạo hai tỉnh đề nghị các sở, ngành sớm cụ thể hóa nội dung thỏa thuận bằng kế hoạch hằng năm, định kỳ đánh giá kết quả thực hiện và báo cáo Ủy ban nhân dân hai tỉnh.</p>
<figure><img src="b.jpg"><figcaption>Ảnh tư liệu: ông Đoàn Văn Sáu, Chủ tịch UBND tỉnh Bến Tre tại một hội nghị năm 2019.</figcaption></figure>
</article>
<aside><h3>Tin liên quan</h3><figure><img src="c.jpg"><figcaption>Bà Lò Thị Mai, Giám đốc Sở Y tế tỉnh Sơn La thăm bệnh viện.</figcaption></figure>
<p>Sơn La tăng cường y tế cơ sở</p></aside>
</body></html>"""


def test_a_caption_of_the_article_s_own_photo_is_read_but_not_an_archive_or_sidebar_caption() -> None:
    from ingest.readers.html import read_html
    text = read_html("tin.html", PAGE_WITH_CAPTIONS.encode(), "tin.html").text()
    assert ("Ông Trịnh Công Lực (bên trái), Phó Chủ tịch UBND tỉnh Bến Tre và ông Y Khiêm Byă, Phó Chủ tịch UBND "
            "tỉnh Kon Tum ký kết thỏa thuận.") in text
    assert "Minh Tú" not in text  # the photographer's credit
    assert "Đoàn Văn Sáu" not in text  # an archive photo is of another event
    assert "Lò Thị Mai" not in text  # a sidebar's photo


def test_a_signer_named_only_in_the_caption_is_known_with_their_title(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_bentre_kontum.html", PAGE_WITH_CAPTIONS.encode()).status == "added"
    (person, *_) = store.person("Y Khiêm Byă")
    assert (person.title, person.organization) == ("Phó Chủ tịch", "Ủy ban nhân dân tỉnh Kon Tum")
    assert store.person("Đoàn Văn Sáu") == [] and store.person("Lò Thị Mai") == []


# --- a short name defined in brackets -----------------------------------------------------------------------

def test_a_short_name_defined_in_brackets_stands_for_the_body_named_in_full() -> None:
    from ingest.orgs import bracket_aliases
    text = expand("UBND tỉnh Yên Bái và Tổng Công ty Cổ phần Đầu tư Sông Hồng Xanh (Hong Xanh Group) ký kết. "
                  "Công ty TNHH Thực phẩm Hòa Lộc (gọi tắt là Hòa Lộc Food) tham gia; Hợp tác xã Chè Suối Giàng "
                  "(sau đây gọi tắt là HTX Tuyết Sơn) cung cấp nguyên liệu.")
    assert bracket_aliases(text) == {"Hong Xanh Group": "Tổng Công ty Cổ phần Đầu tư Sông Hồng Xanh",
                                     "Hòa Lộc Food": "Công ty TNHH Thực phẩm Hòa Lộc",
                                     "Hợp tác xã Tuyết Sơn": "Hợp tác xã Chè Suối Giàng"}
    # a place, a person, initials the name spells and a note are no short names
    assert bracket_aliases(expand("Trường Đại học Nông Lâm (Thái Nguyên), Sở Y tế (Ông Hà Văn Tư - Giám đốc), "
                                  "Sở Kế hoạch và Đầu tư (KH&ĐT) tỉnh Lào Cai, Bệnh viện Đa khoa (Đỗ Văn Nam)")) == {}


NEWS_WITH_ALIAS = """Doanh nghiệp đồng hành cùng Yên Bái phát triển du lịch

Ngày 12/7/2023, tại thành phố Yên Bái, UBND tỉnh Yên Bái và Tổng Công ty Cổ phần Đầu tư Sông Hồng Xanh (Hong Xanh Group) đã ký kết biên bản ghi nhớ hợp tác về phát triển du lịch và nông nghiệp công nghệ cao.

Theo biên bản, Hong Xanh Group sẽ tổ chức Hội chợ nông sản vùng cao Yên Bái tại Hà Nội vào tháng 10/2023. Ông Tạ Minh Quân, Tổng Giám đốc Hong Xanh Group cho biết doanh nghiệp cam kết đồng hành lâu dài với tỉnh.
"""


def test_later_mentions_by_the_short_name_are_the_body_named_in_full(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_yenbai_hongxanh.txt", NEWS_WITH_ALIAS.encode()).status == "added"
    full = "Tổng Công ty Cổ phần Đầu tư Sông Hồng Xanh"
    (lead, *_) = store.lead("Hội chợ nông sản vùng cao Yên Bái tại Hà Nội")
    assert lead.organization == full
    (person, *_) = store.person("Tạ Minh Quân")
    assert (person.title, person.organization) == ("Tổng Giám đốc", full)
    (agreement,) = store.agreements_between("Hong Xanh Group", "Yên Bái")  # asked by the short name
    assert agreement.date == "2023-07-12"


# --- lists of people, each name followed by its titles -------------------------------------------------------

def people_read(sentence: str) -> dict[str, list[tuple[str, str]]]:
    from ingest.normalize import clean
    from ingest.people import people_in_sentence
    return {p.name: [(pos.title, pos.org.name if pos.org else "") for pos in p.positions]
            for p in people_in_sentence(expand(clean(sentence)), None)}


def test_a_list_of_comrades_each_followed_by_their_titles_keeps_each_title_with_its_name() -> None:
    found = people_read("Dự hội nghị, về phía tỉnh Phú Thọ có các đồng chí: Đinh Công Lực, Ủy viên Ban Thường vụ Tỉnh "
                        "ủy, Phó Chủ tịch Thường trực UBND tỉnh Phú Thọ; Hà Thị Nguyệt, Tỉnh ủy viên, Giám đốc Sở Y tế "
                        "tỉnh Phú Thọ; về phía tỉnh Bạc Liêu có các đồng chí: Thạch Văn Sơn, Phó Bí thư Tỉnh ủy, Chủ "
                        "tịch UBND tỉnh Bạc Liêu; Quách Minh Triều, Giám đốc Sở Du lịch tỉnh Bạc Liêu.")
    assert ("Phó Chủ tịch Thường trực", "Ủy ban nhân dân tỉnh Phú Thọ") in found["Đinh Công Lực"]
    assert found["Hà Thị Nguyệt"] == [("Giám đốc", "Sở Y tế tỉnh Phú Thọ")]
    assert found["Thạch Văn Sơn"] == [("Phó Bí thư", "Tỉnh ủy tỉnh Bạc Liêu"), ("Chủ tịch", "Ủy ban nhân dân tỉnh Bạc Liêu")]
    assert found["Quách Minh Triều"] == [("Giám đốc", "Sở Du lịch tỉnh Bạc Liêu")]
    # the same list with dashes, and a report's 'gồm:' list
    found = people_read("Tham dự gồm: Đinh Công Lực - Phó Chủ tịch UBND tỉnh Phú Thọ; Hà Thị Nguyệt - Giám đốc Sở Y tế "
                        "tỉnh Phú Thọ; Quách Minh Triều - Giám đốc Sở Du lịch tỉnh Bạc Liêu.")
    assert found == {"Đinh Công Lực": [("Phó Chủ tịch", "Ủy ban nhân dân tỉnh Phú Thọ")],
                     "Hà Thị Nguyệt": [("Giám đốc", "Sở Y tế tỉnh Phú Thọ")],
                     "Quách Minh Triều": [("Giám đốc", "Sở Du lịch tỉnh Bạc Liêu")]}
    # a title written before the next name still goes to that name
    found = people_read("Dự lễ có bà Hà Thị Nguyệt - Giám đốc Sở Y tế tỉnh Phú Thọ; Phó Giám đốc Sở Y tế tỉnh Bạc Liêu "
                        "Quách Minh Triều.")
    assert found["Quách Minh Triều"] == [("Phó Giám đốc", "Sở Y tế tỉnh Bạc Liêu")]


# --- pairs written one after the other ---------------------------------------------------------------------

TWO_PAIRS = """Kết nghĩa phường Tây Hồ với xã Mèo Vạc, phường Hồng Hà với xã Đồng Văn

Ngày 2/10/2025, tại phường Tây Hồ (thành phố Hà Nội) đã diễn ra lễ ký kết kết nghĩa giữa các phường của Hà Nội với các xã vùng cao của tỉnh Tuyên Quang.
"""


def test_pairs_written_one_after_the_other_are_each_their_own_agreement(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_ketnghia_cap.txt", TWO_PAIRS.encode()).status == "added"
    assert [p.locality.split(",")[0] for p in store.partners("phường Hồng Hà")] == ["Xã Đồng Văn"]
    assert [p.locality.split(",")[0] for p in store.partners("xã Mèo Vạc")] == ["Phường Tây Hồ"]


NEWS_SIDES_WITH_COMMAS = """Hà Tĩnh và Bình Phước ký kết chương trình hợp tác

Ngày 11/4/2024, UBND tỉnh Hà Tĩnh và UBND tỉnh Bình Phước ký kết Chương trình hợp tác giai đoạn 2024 - 2028 về du lịch, nông nghiệp.

Sở Lao động - Thương binh và Xã hội tỉnh Hà Tĩnh chủ trì tổ chức Phiên giao dịch việc làm kết nối hai tỉnh vào tháng 6/2024.

Đầu mối tổng hợp, theo dõi: phía tỉnh Hà Tĩnh là ông Mai Đức Hòa, Phó Giám đốc Sở Kế hoạch và Đầu tư, ĐT 0239 385 1100; phía tỉnh Bình Phước là bà Điểu Thị Lan, Phó Giám đốc Sở Kế hoạch và Đầu tư, ĐT 0271 387 2200.
"""


def test_a_list_of_sides_contacts_after_a_task_is_the_cooperation_s_not_the_task_s(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_hatinh_binhphuoc.txt", NEWS_SIDES_WITH_COMMAS.encode()).status == "added"
    assert store.contacts("Phiên giao dịch việc làm kết nối hai tỉnh") == []
    (first, *_) = store.contacts("đầu mối theo dõi chương trình hợp tác Hà Tĩnh - Bình Phước phía Bình Phước")
    assert (first.person, first.organization) == ("Điểu Thị Lan", "Sở Kế hoạch và Đầu tư tỉnh Bình Phước")


# --- whose contact a plan's contact column names -----------------------------------------------------------------

CONTACT_PLAN = """ỦY BAN NHÂN DÂN
TỈNH BẮC KẠN

Số: 45/KH-UBND

Bắc Kạn, ngày 06 tháng 3 năm 2024

KẾ HOẠCH
Triển khai Thỏa thuận hợp tác giữa Thành phố Hồ Chí Minh và tỉnh Bắc Kạn năm 2024

PHỤ LỤC
STT\tNội dung công việc\tCơ quan chủ trì\tCơ quan phối hợp\tSản phẩm\tThời gian thực hiện\tĐịa điểm\tĐầu mối liên hệ
1\tTập huấn xúc tiến thương mại điện tử\tSở Công Thương tỉnh Bắc Kạn\tSở Công Thương Thành phố Hồ Chí Minh\tLớp tập huấn\tQuý II/2024\tThành phố Bắc Kạn\tSở Công Thương (Ông Nông Văn Thuấn - Phó Giám đốc; ĐT: 0209 3870 555)
2\tHội chợ nông sản Bắc Kạn\tSở Công Thương tỉnh Bắc Kạn\tSở Công Thương Thành phố Hồ Chí Minh\tHội chợ\tQuý III/2024\tQuận 1\tSở Công Thương (Bà Lâm Thị Ngọc - Phó Trưởng phòng; ĐT: 028 3829 1100)
3\tTuần hàng miến dong Bắc Kạn\tSở Công Thương tỉnh Bắc Kạn\tSở Công Thương Thành phố Hồ Chí Minh\tTuần hàng\tQuý IV/2024\tQuận 3\tSở Công Thương (Ông Trần Quốc Vũ - Chuyên viên; ĐT: 0908.112.334)
"""


def test_a_contact_cell_s_landline_of_the_plan_s_own_province_places_its_body_there() -> None:
    from tests.test_reading_prose import graph_of
    nodes, rels = graph_of("ke_hoach_backan.txt", CONTACT_PLAN)
    contact = {nodes[r.end].name: r.properties.get("organization") for r in rels if r.type == "CONTACT"}
    # 0209 is Bắc Kạn's area code: the plan's own official, not the partner's
    assert contact["Nông Văn Thuấn"] == "Sở Công Thương tỉnh Bắc Kạn"
    # 028 is Hồ Chí Minh City's; a mobile number in a column of both sides' landlines says nothing, and the row
    # names that body on both sides: it keeps no place rather than a guessed one
    assert contact["Lâm Thị Ngọc"] == "Sở Công Thương Thành phố Hồ Chí Minh"
    assert contact["Trần Quốc Vũ"] == "Sở Công Thương"


OWN_OFFICIALS_PLAN = CONTACT_PLAN.replace("ĐT: 028 3829 1100", "ĐT: 0903.441.552")


def test_a_contact_column_whose_landlines_are_all_the_plan_s_own_names_its_own_officials() -> None:
    from tests.test_reading_prose import graph_of
    assert "0903.441.552" in OWN_OFFICIALS_PLAN
    nodes, rels = graph_of("ke_hoach_backan.txt", OWN_OFFICIALS_PLAN)
    contact = {nodes[r.end].name: r.properties.get("organization") for r in rels if r.type == "CONTACT"}
    # the only landline is Bắc Kạn's: the column names Bắc Kạn's officials, the rows with mobile numbers too
    assert contact["Lâm Thị Ngọc"] == contact["Trần Quốc Vũ"] == "Sở Công Thương tỉnh Bắc Kạn"


DIVISION_PLAN = """ỦY BAN NHÂN DÂN
TỈNH YÊN BÁI

Số: 77/KH-UBND

Yên Bái, ngày 12 tháng 5 năm 2024

KẾ HOẠCH
Triển khai Thỏa thuận hợp tác giữa tỉnh Yên Bái và tỉnh Bến Tre năm 2024

PHỤ LỤC
STT\tNội dung công việc\tCơ quan chủ trì\tCơ quan phối hợp\tSản phẩm\tThời gian thực hiện\tĐịa điểm\tĐầu mối liên hệ
1\tĐón đoàn lữ hành Bến Tre khảo sát ruộng bậc thang\tSở Văn hóa, Thể thao và Du lịch tỉnh Yên Bái\tSở Văn hóa, Thể thao và Du lịch tỉnh Bến Tre\tĐoàn khảo sát\tQuý III/2024\tThị xã Nghĩa Lộ\tBà Hà Thị Quyên - Trưởng phòng Quản lý du lịch, ĐT: 0216.3852.417
2\tPhiên chợ quế Văn Yên tại Bến Tre\tSở Công Thương tỉnh Yên Bái\tSở Công Thương tỉnh Bến Tre\tPhiên chợ\tQuý IV/2024\tThành phố Bến Tre\tÔng Mạc Đình Thuyên - Phó Trưởng phòng Quản lý thương mại, ĐT: 0912.338.760
"""


def test_a_division_head_named_without_a_body_is_of_the_lead_when_the_landlines_are_the_lead_s() -> None:
    from tests.test_reading_prose import graph_of
    nodes, rels = graph_of("ke_hoach_yenbai.txt", DIVISION_PLAN)
    contact = {nodes[r.end].name: r.properties.get("organization") for r in rels if r.type == "CONTACT"}
    # 0216 is Yên Bái's: the column names the plan's own officials, a division head is of the row's lead
    assert contact["Hà Thị Quyên"] == "Sở Văn hóa, Thể thao và Du lịch tỉnh Yên Bái"
    assert contact["Mạc Đình Thuyên"] == "Sở Công Thương tỉnh Yên Bái"
    # a landline of the partner's (0275, Bến Tre) in the column: whose division either head runs stays unsaid
    nodes, rels = graph_of("ke_hoach_yenbai.txt", DIVISION_PLAN.replace("0216.3852.417", "0275.3822.641"))
    contact = {nodes[r.end].name: r.properties.get("organization") for r in rels if r.type == "CONTACT"}
    assert contact["Hà Thị Quyên"] is None and contact["Mạc Đình Thuyên"] is None


PLACED_PARTNER_ROW = ("3\tKhảo sát vùng nuôi tôm Bến Tre\tSở Nông nghiệp và Phát triển nông thôn tỉnh Bến Tre\t"
                      "Sở Nông nghiệp và Phát triển nông thôn tỉnh Yên Bái\tBáo cáo\tQuý IV/2024\tHuyện Ba Tri\t"
                      "Ông Lư Văn Khởi - Trưởng phòng Thủy sản, Sở NN&PTNT tỉnh Bến Tre, ĐT: 0275.3811.906\n")


def test_a_partner_s_landline_in_a_cell_naming_its_own_body_says_nothing_of_the_column() -> None:
    from tests.test_reading_prose import graph_of
    nodes, rels = graph_of("ke_hoach_yenbai.txt", DIVISION_PLAN + PLACED_PARTNER_ROW)
    contact = {nodes[r.end].name: r.properties.get("organization") for r in rels if r.type == "CONTACT"}
    # the Bến Tre landline is in a cell that names its Bến Tre body: the other cells are still Yên Bái's (0216)
    assert contact["Lư Văn Khởi"] == "Sở Nông nghiệp và Phát triển nông thôn tỉnh Bến Tre"
    assert contact["Hà Thị Quyên"] == "Sở Văn hóa, Thể thao và Du lịch tỉnh Yên Bái"
    assert contact["Mạc Đình Thuyên"] == "Sở Công Thương tỉnh Yên Bái"


def test_a_contact_of_a_bare_so_is_of_the_row_s_so_in_the_province_of_its_landline() -> None:
    from tests.test_reading_prose import graph_of
    text = DIVISION_PLAN.replace("Bà Hà Thị Quyên - Trưởng phòng Quản lý du lịch", "Bà Hà Thị Quyên - Phó Giám đốc Sở")
    nodes, rels = graph_of("ke_hoach_yenbai.txt", text)
    contact = {nodes[r.end].name: r.properties.get("organization") for r in rels if r.type == "CONTACT"}
    # the row names a Sở on both sides; 0216 is Yên Bái's
    assert contact["Hà Thị Quyên"] == "Sở Văn hóa, Thể thao và Du lịch tỉnh Yên Bái"
    # with a mobile number in a column holding the partner's landline, whose Sở it is stays unsaid: no contact
    nodes, rels = graph_of("ke_hoach_yenbai.txt", text.replace("0216.3852.417", "0912.771.530").replace(
        "0912.338.760", "0275.3822.641"))
    assert "Hà Thị Quyên" not in {nodes[r.end].name for r in rels if r.type == "CONTACT"}


# --- a city's bodies as the document writes them ----------------------------------------------------------------

NEWS_CITY_WRITTEN_TP = """Cần Thơ và Hậu Giang ký kết hợp tác du lịch

Ngày 8/5/2024, tại TP Cần Thơ, UBND TP Cần Thơ và UBND tỉnh Hậu Giang ký kết thỏa thuận hợp tác phát triển du lịch giai đoạn 2024 - 2028. Ký kết có ông Lâm Hữu Đạt – Chủ tịch UBND TP Cần Thơ và bà Thạch Thị Ngân – Phó Chủ tịch UBND tỉnh Hậu Giang.

Hoạt động đầu tiên là Hội chợ ẩm thực sông nước miền Tây, diễn ra trong tháng 9/2024 tại bến Ninh Kiều, do Sở Du lịch TP Cần Thơ chủ trì tổ chức.
"""

NEWS_CITY_SPELLED_OUT = """Cần Thơ đón đoàn công tác tỉnh Sóc Trăng

Ngày 20/6/2024, Sở Du lịch thành phố Cần Thơ chủ trì tổ chức Hội thảo liên kết tour đường sông trong quý III/2024.
"""


def test_a_city_s_body_is_answered_as_the_fact_s_own_document_writes_it(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    # the other document, first in name order, spells the city out: the body's node keeps that name
    assert ingest_bytes(store, "a_tin_cantho_soctrang.txt", NEWS_CITY_SPELLED_OUT.encode()).status == "added"
    assert ingest_bytes(store, "tin_cantho_haugiang.txt", NEWS_CITY_WRITTEN_TP.encode()).status == "added"
    # written with a short form: the name spelled out, then the quote's form in brackets, as documents introduce one
    assert [a.organization for a in store.lead("Hội chợ ẩm thực sông nước miền Tây")] == [
        "Sở Du lịch Thành phố Cần Thơ (Sở Du lịch TP Cần Thơ)"]
    assert [a.organization for a in store.lead("Hội thảo liên kết tour đường sông")] == [
        "Sở Du lịch Thành phố Cần Thơ"]
    assert [(a.title, a.organization) for a in store.person("Lâm Hữu Đạt")] == [
        ("Chủ tịch", "Ủy ban nhân dân Thành phố Cần Thơ (UBND TP Cần Thơ)")]


def test_a_city_written_with_the_abbreviation_s_dot_is_spelled_out(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    text = NEWS_CITY_WRITTEN_TP.replace("TP Cần Thơ", "TP. Cần Thơ")
    assert ingest_bytes(store, "tin_cantho_haugiang.txt", text.encode()).status == "added"
    (lead,) = store.lead("Hội chợ ẩm thực sông nước miền Tây")
    assert lead.organization == "Sở Du lịch Thành phố Cần Thơ (Sở Du lịch TP. Cần Thơ)"
    # only the answer shows both forms: the body's node keeps its one name
    assert store.node(lead.organization_id).name == "Sở Du lịch Thành phố Cần Thơ"


NEWS_KIND_AFTER_TITLE = """Hai Sở Khoa học và Công nghệ Lạng Sơn - Vĩnh Long hợp tác

Ngày 5/3/2024, Sở Khoa học và Công nghệ tỉnh Lạng Sơn và Sở Khoa học và Công nghệ tỉnh Vĩnh Long ký kết chương trình hợp tác giai đoạn 2024 - 2026.

Sở Khoa học và Công nghệ tỉnh Lạng Sơn chủ trì tổ chức Hội thảo "Phát triển chỉ dẫn địa lý hồi Văn Quan" trong quý III/2024; người liên hệ là bà Hoàng Thị Nhàn, Phó Chánh Văn phòng Sở, số máy 0915.602.118.
"""


def test_a_contact_titled_in_the_lead_s_kind_alone_is_of_the_lead(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_langson_vinhlong.txt", NEWS_KIND_AFTER_TITLE.encode()).status == "added"
    (contact,) = store.contacts("hội thảo chỉ dẫn địa lý hồi Văn Quan")
    assert (contact.person, contact.title, contact.organization, contact.phone) == (
        "Hoàng Thị Nhàn", "Phó Chánh Văn phòng", "Sở Khoa học và Công nghệ tỉnh Lạng Sơn", "0915.602.118")


def test_bodies_named_without_a_place_in_a_province_s_side_list_are_that_province_s() -> None:
    found = people_read("Tham dự, về phía tỉnh Lào Cai có đồng chí Sần Văn Phú, Phó Chủ tịch Thường trực UBND tỉnh; "
                        "đồng chí Lý Thị Mẩy, Giám đốc Sở Kế hoạch và Đầu tư; về phía tỉnh Bình Định có đồng chí Đào "
                        "Minh Trí, Phó Chủ tịch UBND tỉnh Bình Định.")
    assert found["Sần Văn Phú"] == [("Phó Chủ tịch Thường trực", "Ủy ban nhân dân tỉnh Lào Cai")]
    assert found["Lý Thị Mẩy"] == [("Giám đốc", "Sở Kế hoạch và Đầu tư tỉnh Lào Cai")]
    assert found["Đào Minh Trí"] == [("Phó Chủ tịch", "Ủy ban nhân dân tỉnh Bình Định")]
    # a side that is a body, not a place, lends no place
    found = people_read("Về phía Bệnh viện Đa khoa tỉnh Lào Cai có ông Sần Văn Phú, Giám đốc.")
    assert found["Sần Văn Phú"] == [("Giám đốc", "Bệnh viện Đa khoa tỉnh Lào Cai")]


LEVEL_PLAN = """ỦY BAN NHÂN DÂN
HUYỆN MƯỜNG KHƯƠNG

Số: 21/KH-UBND

Mường Khương, ngày 10 tháng 4 năm 2023

KẾ HOẠCH
Thực hiện kết nghĩa giữa huyện Mường Khương và thành phố Thuận An năm 2023

PHỤ LỤC
STT\tNội dung công việc\tCơ quan chủ trì\tCơ quan phối hợp\tSản phẩm\tThời gian thực hiện\tĐịa điểm\tĐầu mối liên hệ
1\tKhám sàng lọc bệnh mắt cho người cao tuổi\tTrung tâm Y tế huyện Mường Khương\tTrung tâm Y tế thành phố Thuận An\t300 lượt khám\tTháng 8/2023\tXã Pha Long\tBS.CKI Giàng Seo Chư - Phó Giám đốc TTYT huyện; ĐT: 0915.404.221
"""


def test_a_body_written_with_its_unit_s_level_alone_is_the_row_s_body_of_that_level() -> None:
    from tests.test_reading_prose import graph_of
    nodes, rels = graph_of("ke_hoach_muongkhuong.txt", LEVEL_PLAN)
    (contact,) = [r for r in rels if r.type == "CONTACT"]
    assert (nodes[contact.end].name, contact.properties["title"], contact.properties["organization"]) == (
        "Giàng Seo Chư", "Phó Giám đốc", "Trung tâm Y tế huyện Mường Khương")


def test_a_commune_s_body_named_by_its_level_in_the_commune_s_side_list_is_of_that_commune() -> None:
    from ingest.localities import reading
    sentence = ("Tham dự, về phía phường Ngọc Hà có đồng chí Tạ Minh Khuê, Bí thư Đảng ủy phường Ngọc Hà; ông Kiều Văn "
                "Lâm, Chủ tịch UBND phường.")
    with reading("2025-10-01", sentence):
        found = people_read(sentence)
    assert found["Kiều Văn Lâm"] == [("Chủ tịch", "Ủy ban nhân dân phường Ngọc Hà")]
    # 'Hợp tác xã' ends like a commune's level but is a kind of body
    from ingest.orgs import parse_org
    assert parse_org("Hợp tác xã Nông nghiệp Tân Lập", None).name == "Hợp tác xã Nông nghiệp Tân Lập"


def test_a_commune_named_again_without_its_district_is_the_one_of_the_district_the_article_names() -> None:
    from ingest.localities import find_localities, reading
    # two communes of Yên Bái are named Tân Thịnh (one in Văn Chấn): the article names Văn Chấn
    text = ("Ngày 3/3/2024, tại xã Tân Thịnh, huyện Văn Chấn, tỉnh Yên Bái diễn ra lễ kết nghĩa. "
            "UBND xã Tân Thịnh và UBND phường Đống Đa tổ chức ký kết.")
    with reading("2024-03-03", text):
        second = next(m.unit for m in find_localities(expand(text.split(". ")[1])) if m.unit.short == "Tân Thịnh")
        assert second.parent_id == find_localities("huyện Văn Chấn")[0].unit.node_id


# --- a body's short forms as the fact's own quote writes them ---------------------------------------------------

NEWS_HOSPITAL_IN_SHORT = """Hai bệnh viện y học cổ truyền hợp tác chuyên môn

Ngày 12/3/2024, BV Y học cổ truyền tỉnh Ninh Thuận và Bệnh viện Y học cổ truyền tỉnh Bình Thuận ký kết thỏa thuận hợp tác chuyên môn giai đoạn 2024 - 2026. Ký kết có ông Đặng Văn Thử – Giám đốc BV Y học cổ truyền tỉnh Ninh Thuận và bà Lê Thị Nghiệm – Giám đốc Bệnh viện Y học cổ truyền tỉnh Bình Thuận.

Hoạt động đầu tiên là Hội thảo châm cứu thử nghiệm, diễn ra trong tháng 9/2024, do BV Y học cổ truyền tỉnh Ninh Thuận chủ trì tổ chức.
"""

NEWS_UNION_IN_SHORT = """Công đoàn hai tỉnh ký kết giao ước thi đua

Ngày 6/4/2024, LĐLĐ tỉnh Tuyên Quang và Liên đoàn Lao động tỉnh Bắc Giang ký kết chương trình phối hợp giai đoạn 2024 - 2026. Ký kết có bà Hà Thị Thử – Chủ tịch LĐLĐ tỉnh Tuyên Quang và ông Ngô Văn Nghiệm – Chủ tịch Liên đoàn Lao động tỉnh Bắc Giang.
"""


def test_a_body_written_with_a_kept_short_form_is_answered_so_and_found_by_its_spelled_out_name(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_yhct.txt", NEWS_HOSPITAL_IN_SHORT.encode()).status == "added"
    assert ingest_bytes(store, "tin_congdoan.txt", NEWS_UNION_IN_SHORT.encode()).status == "added"
    shown = "Bệnh viện Y học cổ truyền tỉnh Ninh Thuận (BV Y học cổ truyền tỉnh Ninh Thuận)"
    assert [(a.title, a.organization) for a in store.person("Đặng Văn Thử")] == [("Giám đốc", shown)]
    assert [a.organization for a in store.lead("Hội thảo châm cứu thử nghiệm")] == [shown]
    # the other party, spelled out by its quote, stays spelled out
    assert [(a.title, a.organization) for a in store.person("Lê Thị Nghiệm")] == [
        ("Giám đốc", "Bệnh viện Y học cổ truyền tỉnh Bình Thuận")]
    assert [(a.title, a.organization) for a in store.person("Hà Thị Thử")] == [
        ("Chủ tịch", "Liên đoàn Lao động tỉnh Tuyên Quang (LĐLĐ tỉnh Tuyên Quang)")]
    # one body, found by either spelling
    spelled_out = [t.task_id for t in store.org_tasks("Bệnh viện Y học cổ truyền tỉnh Ninh Thuận")]
    assert len(spelled_out) == 1 and spelled_out == [t.task_id for t in store.org_tasks("BV Y học cổ truyền tỉnh Ninh Thuận")]


def test_a_body_written_with_the_city_s_dotted_short_form_is_spelled_out_whole(tmp_path: Path) -> None:
    # 'TP.' is read spelled out (ingest/data/short_forms_shown.csv), and the whole name with it: no 'BV X Thành phố Y'
    store = EmbeddedStore(tmp_path)
    text = NEWS_CITY_WRITTEN_TP.replace("do Sở Du lịch TP Cần Thơ", "do BV Phục hồi chức năng TP. Cần Thơ")
    assert ingest_bytes(store, "tin_cantho_haugiang.txt", text.encode()).status == "added"
    assert [a.organization for a in store.lead("Hội chợ ẩm thực sông nước miền Tây")] == [
        "Bệnh viện Phục hồi chức năng Thành phố Cần Thơ (BV Phục hồi chức năng TP. Cần Thơ)"]


def test_a_quote_writing_a_body_both_ways_gives_the_form_it_writes_first() -> None:
    from ingest.orgs import parse_org, shown_name
    org = parse_org(expand("Liên đoàn Lao động tỉnh Tuyên Quang"), None)
    assert org is not None
    assert shown_name(org, "Chủ tịch LĐLĐ tỉnh Tuyên Quang, thay mặt Liên đoàn Lao động tỉnh Tuyên Quang") == (
        "LĐLĐ tỉnh Tuyên Quang")
    assert shown_name(org, "Liên đoàn Lao động tỉnh Tuyên Quang (LĐLĐ tỉnh Tuyên Quang) chủ trì") == (
        "Liên đoàn Lao động tỉnh Tuyên Quang")
    # a quote naming the body otherwise gives its name spelled out
    assert shown_name(org, "Công đoàn ngành Y tế chủ trì") == "Liên đoàn Lao động tỉnh Tuyên Quang"


def test_an_answer_shows_a_body_written_in_short_spelled_out_with_the_written_form_after_it() -> None:
    from ingest.orgs import answered_name, parse_org
    hospital = parse_org(expand("BV Đa khoa Hòa Lâm Thử"), None)
    council = parse_org(expand("UBND TP. Đà Thử"), None)
    assert hospital is not None and council is not None
    assert answered_name(hospital, "Giám đốc BV Đa khoa Hòa Lâm Thử cho biết") == (
        "Bệnh viện Đa khoa Hòa Lâm Thử (BV Đa khoa Hòa Lâm Thử)")
    # the bracket holds the quote's form letter for letter, its other short forms too
    assert answered_name(council, "Phó Chủ tịch UBND TP.  Đà Thử phát biểu") == (
        f"{council.name} (UBND TP. Đà Thử)")
    # written spelled out, or with short forms the table does not name: no bracket
    assert answered_name(hospital, "Bệnh viện Đa khoa Hòa Lâm Thử chủ trì") == "Bệnh viện Đa khoa Hòa Lâm Thử"
    assert answered_name(council, "UBND Thành phố Đà Thử chủ trì") == council.name
    # 'TP.HCM' is the city's own short form, not 'TP.' before a name
    union = parse_org(expand("Hợp tác xã Nông sản Thử TP.HCM"), None)
    assert union is not None
    assert answered_name(union, "Hợp tác xã Nông sản Thử TP.HCM chủ trì") == union.name


def test_expanding_may_keep_short_forms_as_written() -> None:
    keep = frozenset({"BV", "TP."})
    assert expand("Giám đốc BV Mắt TP. Cần Thơ", keep) == "Giám đốc BV Mắt TP. Cần Thơ"
    # a longer short form written there is spelled out: 'BVĐK' is not 'BV', 'TP. Hồ Chí Minh' not 'TP.'
    assert expand("BVĐK tỉnh Lai Châu và UBND TP. Hồ Chí Minh", keep) == (
        "Bệnh viện Đa khoa tỉnh Lai Châu và Ủy ban nhân dân Thành phố Hồ Chí Minh")
    # 'TP' without the dot is not 'TP.'
    assert expand("Sở Y tế TP Cần Thơ", keep) == "Sở Y tế Thành phố Cần Thơ"


def test_a_body_whose_place_the_context_gives_keeps_its_short_form_and_its_place_spelled_out() -> None:
    from ingest.localities import find_localities
    from ingest.orgs import parse_org, shown_name
    (district,) = [m.unit for m in find_localities("huyện Na Hang, tỉnh Tuyên Quang")][:1]
    org = parse_org(expand("Ủy ban MTTQ huyện"), district)
    assert org is not None and org.name == "Ủy ban Mặt trận Tổ quốc huyện Na Hang"
    assert shown_name(org, "Bà Lý Thị Thử - Phó Chủ tịch Ủy ban MTTQ huyện; ĐT: 0900 000 061") == (
        "Ủy ban MTTQ huyện Na Hang")
