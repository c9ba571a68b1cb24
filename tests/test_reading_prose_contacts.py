"""Contacts and leads written in news prose: the work a contact is named for, the event announced before its lead,
the task that handles a gift named with the gift. Every text here is written for the project; names and phones
are invented."""

from __future__ import annotations

from pathlib import Path

from graph.embedded import EmbeddedStore
from graph.store import GraphStore
from ingest.commitments import commitments_in
from ingest.normalize import expand
from ingest.orgs import bracket_aliases
from ingest.pipeline import ingest_bytes


def test_an_event_announced_before_its_lead_is_led_by_the_body_after_do_not_its_helper(tmp_path: Path) -> None:
    sentence = ("Phiên chợ nông sản miền núi tỉnh Yên Bái sẽ được tổ chức vào tháng 11/2024 tại huyện Lục Yên, do Sở "
                "Công Thương tỉnh Bắc Ninh chủ trì, phối hợp với Sở Công Thương tỉnh Yên Bái.")
    (task,) = commitments_in(expand(sentence))
    assert task.task == "Phiên chợ nông sản miền núi tỉnh Yên Bái"
    assert (task.lead.name, [c.name for c in task.coordinators]) == (
        "Sở Công Thương tỉnh Bắc Ninh", ["Sở Công Thương tỉnh Yên Bái"])
    assert (task.timeframe, task.place) == ("2024-11", "huyện Lục Yên")
    # words opening the sentence are not the event's name
    (opened,) = commitments_in(expand("Cũng theo chương trình, Lễ hội trà Suối Giàng 2024 sẽ diễn ra từ ngày 5 đến "
                                      "7/12/2024 tại huyện Văn Chấn, do Sở Văn hóa, Thể thao và Du lịch tỉnh Yên Bái "
                                      "chủ trì."))
    assert (opened.task, opened.lead.name) == ("Lễ hội trà Suối Giàng 2024",
                                               "Sở Văn hóa, Thể thao và Du lịch tỉnh Yên Bái")
    news = ("Bắc Ninh và Yên Bái hợp tác\n\nNgày 3/9/2024, UBND tỉnh Bắc Ninh và UBND tỉnh Yên Bái ký kết thỏa thuận "
            f"hợp tác giai đoạn 2024 – 2028.\n\n{sentence}\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_bacninh_yenbai.txt", news.encode()).status == "added"
    assert [a.organization for a in store.lead("phien cho nong san mien nui Yen Bai")] == ["Sở Công Thương tỉnh Bắc Ninh"]


def test_a_task_handling_the_support_is_named_with_the_gift_the_clause_before_gives(tmp_path: Path) -> None:
    news = ("Đà Nẵng hỗ trợ Kon Tum\n\nNgày 14/5/2024, UBND thành phố Đà Nẵng và UBND tỉnh Kon Tum ký kết chương trình "
            "hợp tác giai đoạn 2024 – 2029.\n\n"
            "Phát biểu tại buổi lễ, bà Hà Thị Mơ cho biết Đà Nẵng sẽ hỗ trợ Kon Tum 8 tỷ đồng xây dựng nhà văn hóa "
            "cộng đồng tại xã Đăk Tờ Re; Sở Tài chính thành phố Đà Nẵng được giao chủ trì, phối hợp với Sở Tài chính "
            "tỉnh Kon Tum thực hiện thủ tục chuyển nguồn hỗ trợ.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_danang_kontum.txt", news.encode()).status == "added"
    (lead, *_) = store.lead("chuyển hỗ trợ 8 tỷ đồng xây nhà văn hóa cộng đồng tại xã Đăk Tờ Re")
    assert lead.organization == "Sở Tài chính Thành phố Đà Nẵng"
    assert lead.task == "thủ tục chuyển nguồn hỗ trợ 8 tỷ đồng xây dựng nhà văn hóa cộng đồng"
    # without a gift before, the support words stay as written: which support is meant is not said
    (alone,) = commitments_in(expand("Sở Tài chính tỉnh Kon Tum được giao chủ trì thực hiện thủ tục tiếp nhận nguồn "
                                     "hỗ trợ."))
    assert alone.task == "thủ tục tiếp nhận nguồn hỗ trợ"


NEWS_WITH_TWO_TASKS = (
    "Bình Định và Gia Lai hợp tác\n\nNgày 20/3/2024, UBND tỉnh Bình Định và UBND tỉnh Gia Lai ký kết chương trình "
    "hợp tác giai đoạn 2024 – 2028.\n\n"
    "Hai bên thống nhất tổ chức Hội chợ hàng nông sản Bình Định – Gia Lai 2024 tại thành phố Pleiku; Sở Công Thương "
    "tỉnh Gia Lai chủ trì, Sở Công Thương tỉnh Bình Định phối hợp. Tour “Biển xanh – Đại ngàn” do Sở Du lịch tỉnh "
    "Bình Định chủ trì xây dựng.\n\n")


def test_a_contact_named_for_a_work_is_that_work_s_not_the_task_of_the_sentence_before(tmp_path: Path) -> None:
    news = NEWS_WITH_TWO_TASKS + ("Đầu mối tổ chức hội chợ: bà Rơ Mah Hlen, Phó Giám đốc Trung tâm Xúc tiến Thương "
                                  "mại tỉnh Gia Lai, điện thoại 0900 000 301.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_binhdinh_gialai.txt", news.encode()).status == "added"
    (contact, *_) = store.contacts("Hội chợ hàng nông sản Bình Định - Gia Lai 2024")
    assert (contact.person, contact.phone) == ("Rơ Mah Hlen", "0900 000 301")
    assert contact.task.startswith("Hội chợ")
    assert not [c for c in store.contacts("tour Biển xanh – Đại ngàn") if c.person == "Rơ Mah Hlen"]


def test_a_contact_named_for_a_work_that_names_several_tasks_is_left_out(tmp_path: Path) -> None:
    news = NEWS_WITH_TWO_TASKS + ("Sở Công Thương tỉnh Bình Định chủ trì tổ chức Hội chợ hàng thủ công Bình Định "
                                  "2024 tại thành phố Quy Nhơn.\n\n"
                                  "Đầu mối tổ chức hội chợ: bà Rơ Mah Hlen, Phó Giám đốc Trung tâm Xúc tiến Thương "
                                  "mại tỉnh Gia Lai, điện thoại 0900 000 301.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_binhdinh_gialai.txt", news.encode()).status == "added"
    assert store.lead("Hội chợ hàng thủ công Bình Định 2024")  # the second fair is read
    assert not [c for c in store.contacts("hội chợ Bình Định - Gia Lai") if c.person == "Rơ Mah Hlen"]


def test_a_contact_written_as_a_paragraph_of_its_own_after_the_tasks_is_the_cooperation_s(tmp_path: Path) -> None:
    news = NEWS_WITH_TWO_TASKS + ("Đầu mối liên hệ: ông Đinh Văn Tơ – Trưởng phòng Hợp tác, Sở Ngoại vụ tỉnh Bình "
                                  "Định, ĐT: 0900 000 302.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_binhdinh_gialai.txt", news.encode()).status == "added"
    assert not [c for c in store.contacts("tour Biển xanh – Đại ngàn") if c.person == "Đinh Văn Tơ"]
    (contact, *_) = store.contacts("đầu mối chương trình hợp tác Bình Định - Gia Lai")
    assert (contact.person, contact.organization) == ("Đinh Văn Tơ", "Sở Ngoại vụ tỉnh Bình Định")
    assert contact.task.startswith("Triển khai")


def test_a_contact_for_work_between_the_two_bodies_is_the_cooperation_s_asked_by_their_places(tmp_path: Path) -> None:
    news = ("Hai bệnh viện hợp tác\n\nNgày 5/4/2023, Bệnh viện Đa khoa tỉnh Phú Thọ và Bệnh viện Đa khoa tỉnh Hòa "
            "Bình ký kết hợp đồng chuyển giao kỹ thuật.\n\n"
            "Khoa Tim mạch, Bệnh viện Đa khoa tỉnh Phú Thọ sẽ chủ trì tổ chức 2 khóa đào tạo siêu âm tim cho bác sĩ "
            "Hòa Bình trong quý III/2023.\n\n"
            "Mọi thông tin về hội chẩn trực tuyến giữa hai bệnh viện, liên hệ ThS. Hà Văn Lũy – Phó Trưởng phòng Chỉ "
            "đạo tuyến, Bệnh viện Đa khoa tỉnh Phú Thọ, điện thoại 0900 000 303.\n")
    store = EmbeddedStore(tmp_path)
    assert ingest_bytes(store, "tin_hai_benh_vien.txt", news.encode()).status == "added"
    # the sentence before names a task of his hospital, but the contact is named for another work
    assert not [c for c in store.contacts("khóa đào tạo siêu âm tim") if c.person == "Hà Văn Lũy"]
    (contact, *_) = store.contacts("hội chẩn trực tuyến giữa BVĐK Phú Thọ và BVĐK Hòa Bình")
    assert (contact.person, contact.phone) == ("Hà Văn Lũy", "0900 000 303")
    assert contact.task.startswith("Triển khai")


def test_a_body_s_short_name_ending_with_its_place_is_an_alias_but_a_body_in_full_is_not() -> None:
    text = expand("Bệnh viện Đa khoa Trung ương Cần Thơ (BV ĐKTW Cần Thơ) ký kết với Phòng Y tế (UBND huyện Phong Điền).")
    assert bracket_aliases(text) == {"Bệnh viện ĐKTW Cần Thơ": "Bệnh viện Đa khoa Trung ương Cần Thơ"}


def test_the_cooperation_s_contact_is_asked_by_the_places_of_its_parties_before_a_task_led_there(
        store: GraphStore) -> None:
    news = ("Hai Sở Tài nguyên ký quy chế\n\nNgày 8/8/2024, Sở Tài nguyên và Môi trường tỉnh Hà Tĩnh và Sở Tài nguyên và "
            "Môi trường tỉnh Quảng Trị ký kết quy chế phối hợp giai đoạn 2024 – 2029.\n\n"
            "Trước mắt, Sở Tài nguyên và Môi trường tỉnh Quảng Trị chủ trì tổ chức Hội thảo quan trắc nước ven biển tại "
            "thành phố Đông Hà trong tháng 10/2024.\n\n"
            "Đầu mối phối hợp giữa hai Sở: ông Trần Văn Khẩn, Phó Chánh Văn phòng Sở Tài nguyên và Môi trường tỉnh Hà "
            "Tĩnh (ĐT: 0900 000 304).\n")
    assert ingest_bytes(store, "tin_hai_so_tnmt.txt", news.encode()).status == "added"
    # the question ends with the two places: a task led in one of them must not hide the cooperation's contact
    (contact, *_) = store.contacts("đầu mối phối hợp giữa Sở TN&MT Hà Tĩnh và Sở TN&MT Quảng Trị")
    assert (contact.person, contact.phone) == ("Trần Văn Khẩn", "0900 000 304")
    assert not [c for c in store.contacts("Hội thảo quan trắc nước ven biển") if c.person == "Trần Văn Khẩn"]
