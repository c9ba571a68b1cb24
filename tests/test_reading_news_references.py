"""News that refers back to what it has just named, and pages and lists written the way portals write them: a task
that repeats a gift's purpose in short, 'Hiệu trưởng nhà trường', 'Chi tiết liên hệ:', 'đăng ký tham gia Y liên hệ',
a counted group listed after 'gồm', a list item joining two fields with 'và', a page laid out with a table. Every text
here is written for the project; names and phones are invented."""

from __future__ import annotations

from pathlib import Path

from graph.embedded import EmbeddedStore
from ingest.agreements import parties_in
from ingest.commitments import commitments_in
from ingest.normalize import expand
from ingest.pipeline import ingest_bytes
from ingest.readers import read_document
from ingest.sectors import bullet_sectors, sector_labels


def test_a_task_repeating_a_gift_s_purpose_in_short_is_named_as_the_gift_names_it() -> None:
    sentence = ("Dịp này, tỉnh Hà Giang hỗ trợ tỉnh Cao Bằng 12 tỷ đồng để xây dựng 250 căn nhà tình nghĩa cho gia đình "
                "chính sách; giao Ủy ban MTTQ Việt Nam tỉnh Hà Giang chủ trì, phối hợp với Ủy ban MTTQ Việt Nam tỉnh "
                "Cao Bằng triển khai việc xây dựng 250 căn nhà tình nghĩa, hoàn thành trong năm 2024.")
    (task,) = commitments_in(expand(sentence))
    assert task.task == "xây dựng 250 căn nhà tình nghĩa cho gia đình chính sách"
    assert task.lead.name == "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Hà Giang"
    # a task that does not repeat the purpose keeps its own words; its deadline is no part of them
    (other,) = commitments_in(expand(
        "Dịp này, tỉnh Hà Giang hỗ trợ tỉnh Cao Bằng 12 tỷ đồng để xây dựng 250 căn nhà tình nghĩa cho gia đình chính "
        "sách; giao Sở Du lịch tỉnh Hà Giang chủ trì thực hiện việc xây dựng tour Cao nguyên đá, hoàn thành trong "
        "quý IV/2024."))
    assert other.task == "xây dựng tour Cao nguyên đá"


def test_each_field_an_item_joins_with_va_is_a_label_beside_the_item_s() -> None:
    labels = sector_labels("quản lý đất đai và bảo vệ rừng; giao lưu văn hóa, thể thao; lúa và thủy sản")
    assert {"quản lý đất đai và bảo vệ rừng", "quản lý đất đai", "bảo vệ rừng"} <= set(labels)
    # a part of one word is no label of its own: the item stays whole
    assert "lúa" not in labels and "lúa và thủy sản" in labels
    bullet = bullet_sectors("- Ghép thận và ghép gan;")
    assert {"ghép thận và ghép gan", "ghép thận", "ghép gan"} <= set(bullet)


def test_a_counted_group_listed_after_gom_signs_with_each_member() -> None:
    parties, vague = parties_in("Ngày 9/9/2024, ba huyện gồm huyện Mường Khương (tỉnh Lào Cai), huyện Quản Bạ và huyện "
                                "Yên Minh (tỉnh Hà Giang) tổ chức lễ ký kết kết nghĩa ba bên.")
    assert [p.name for p in parties] == ["Huyện Mường Khương", "Huyện Quản Bạ", "Huyện Yên Minh"] and not vague
    # the places after 'của' still say whose the counted members are
    owned, _ = parties_in("Ngày 9/9/2024, ba xã của huyện Quản Bạ ký kết kết nghĩa với huyện Mường Khương.")
    assert "Huyện Quản Bạ" not in [p.name for p in owned]


NEWS_OF_A_SCHOOL = (
    "Nhà trường ký kết với doanh nghiệp\n\nNgày 12/3/2024, Trường Đại học Nông Lâm (Đại học Huế) và Công ty Cổ phần "
    "Giống cây trồng Sông Hương ký biên bản ghi nhớ hợp tác về đào tạo và thực tập cho sinh viên.\n\n"
    "Ký biên bản có PGS.TS Lê Văn Đào, Hiệu trưởng nhà trường và ông Phan Hữu Lộc, Tổng Giám đốc công ty.\n")


def test_a_title_then_a_kind_alone_is_of_the_one_party_of_that_kind_named_before(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_truong_doanh_nghiep.txt", NEWS_OF_A_SCHOOL.encode()).status == "added"
    (principal, *_) = store.person("Lê Văn Đào")
    assert (principal.title, principal.organization) == ("Hiệu trưởng", "Trường Đại học Nông Lâm")
    (director, *_) = store.person("Phan Hữu Lộc")
    assert director.organization == "Công ty Cổ phần Giống cây trồng Sông Hương"
    # the bracket after the school says whose member it is: the university signed nothing
    (memorandum,) = store.agreements_between("Trường Đại học Nông Lâm", "Công ty Cổ phần Giống cây trồng Sông Hương")
    assert len(memorandum.parties) == 2


def test_a_kind_alone_after_a_title_stays_unplaced_when_two_parties_are_of_that_kind(tmp_path: Path) -> None:
    news = NEWS_OF_A_SCHOOL.replace("và Công ty Cổ phần Giống cây trồng Sông Hương",
                                    "và Trường Đại học Kinh tế (Đại học Huế)")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_hai_truong.txt", news.encode()).status == "added"
    assert not [p for p in store.person("Lê Văn Đào") if p.organization]


NEWS_OF_A_FAIR = (
    "Hai huyện phối hợp tổ chức hội chợ\n\nNgày 2/10/2023, UBND huyện Bảo Lâm và UBND huyện Bảo Lạc (tỉnh Cao Bằng) "
    "ký kết chương trình phối hợp giai đoạn 2023 – 2025.\n\n"
    "Theo kế hoạch, Hội chợ nông sản Bảo Lâm – Bảo Lạc 2024 được tổ chức tại thị trấn Pác Miầu vào tháng 3/2024, do "
    "UBND huyện Bảo Lâm chủ trì. Chi tiết liên hệ: ông Nông Văn Khiển, Trưởng phòng Kinh tế - Hạ tầng huyện Bảo Lạc, "
    "điện thoại 0900 000 411.\n\n"
    "Doanh nghiệp đăng ký tham gia hội chợ ẩm thực liên hệ bà Hoàng Thị Lụa, Phó Trưởng phòng Văn hóa và Thông tin "
    "huyện Bảo Lâm, ĐT 0900 000 412.\n")


def test_a_contact_after_chi_tiet_lien_he_is_the_contact_of_the_task_of_the_sentence_before(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_baolam_baolac.txt", NEWS_OF_A_FAIR.encode()).status == "added"
    (contact, *_) = store.contacts("Hội chợ nông sản Bảo Lâm - Bảo Lạc 2024")
    assert (contact.person, contact.phone) == ("Nông Văn Khiển", "0900 000 411")
    # the division's name holds a dash and closes with its district
    assert contact.organization == "Phòng Kinh tế - Hạ tầng huyện Bảo Lạc"


def test_a_contact_to_sign_up_for_a_work_is_that_work_s_asked_as_signing_up(tmp_path: Path) -> None:
    news = NEWS_OF_A_FAIR.replace("Doanh nghiệp đăng ký tham gia hội chợ ẩm thực",
                                  "Doanh nghiệp đăng ký tham gia hội chợ")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_baolam_baolac.txt", news.encode()).status == "added"
    asked = [c.person for c in store.contacts("đăng ký tham gia Hội chợ nông sản Bảo Lâm - Bảo Lạc 2024")]
    assert "Hoàng Thị Lụa" in asked
    # a work the article never names takes no contact: 'hội chợ ẩm thực' is no task of it
    unnamed = EmbeddedStore(tmp_path / "unnamed")
    assert ingest_bytes(unnamed, "tin_baolam_baolac.txt", NEWS_OF_A_FAIR.encode()).status == "added"
    assert "Hoàng Thị Lụa" not in [c.person for c in unnamed.contacts("Hội chợ nông sản Bảo Lâm - Bảo Lạc 2024")]


LAYOUT_PAGE = """<html><head><meta charset="utf-8"><title>Hai huyện kết nghĩa</title></head><body>
<div class="menu"><ul><li>Trang chủ</li><li>Tin tức</li></ul></div>
<table><tr>
<td><div><b>LIÊN KẾT WEBSITE</b><br>Cổng TTĐT tỉnh Lào Cai</div></td>
<td>
<h2>Mường Khương - Quản Bạ ký kết kết nghĩa giai đoạn 2024 - 2029</h2>
<p>Ngày 15/5/2024, tại hội trường UBND huyện Mường Khương, huyện Mường Khương (tỉnh Lào Cai) và huyện Quản Bạ (tỉnh
Hà Giang) tổ chức lễ ký kết kết nghĩa giai đoạn 2024 - 2029.</p>
<p>Hai huyện thống nhất phối hợp trong các lĩnh vực: bảo vệ rừng và phòng chống cháy rừng; giao thương biên giới;
giáo dục.</p>
<div><b>Các tin khác:</b><ul><li>Huyện Bắc Hà ký kết hợp tác với huyện Xín Mần</li></ul></div>
</td>
<td><div><b>THÔNG BÁO</b><br>Lịch tiếp công dân</div></td>
</tr></table>
</body></html>"""


def test_a_page_laid_out_with_a_table_is_read_as_its_article(tmp_path: Path) -> None:
    document = read_document("cong_muongkhuong.html", LAYOUT_PAGE.encode())
    assert not [b for b in document.blocks if b.kind == "table"]
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "cong_muongkhuong.html", LAYOUT_PAGE.encode()).status == "added"
    (twinning,) = store.agreements_between("huyện Mường Khương", "huyện Quản Bạ")
    assert twinning.date == "2024-05-15" and "giao thương biên giới" in twinning.sectors
    # the related news after 'Các tin khác' is no fact of the page
    assert not store.partners("huyện Bắc Hà")
