"""Ingest rules, each shown on the project's sample documents or on a small hand-made case."""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

import neo4j
import pytest

from benchmarks.load_bench import TABLE_PEOPLE, plan_with_table
from graph.embedded import EmbeddedStore
from graph.text import fold, strip_marks
from ingest.agreements import AgreementMention, find_agreement
from ingest.dates import full_dates, timeframe
from ingest.extract import extract
from ingest.furniture import article_lines
from ingest.localities import Unit, find_localities
from ingest.normalize import clean, expand
from ingest.orgs import parse_org, split_org_list
from ingest.people import parse_contact, people_in_sentence
from ingest.pipeline import GROUP_DOCUMENTS, collect_files, ingest_files
from ingest.plan import _partner
from ingest.readers import read_document
from ingest.readers.text import blocks_from_lines, read_text
from ingest.tables import read_appendices
from ingest.writing import canonical_titles
from tests.conftest import stored_rows
from tests.neo4j_server import Neo4jServer

SAMPLES = Path(__file__).parents[1] / "samples"
HEADER = "STT\tNội dung công việc\tCơ quan chủ trì\tCơ quan phối hợp\tSản phẩm\tThời gian thực hiện\tĐịa điểm\tĐầu mối liên hệ"


@pytest.fixture(scope="module")
def samples_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path_factory.mktemp("samples"))
    results = ingest_files(store, collect_files([SAMPLES]))
    assert [r.status for r in results] == ["added"] * 3, [r.error for r in results]
    return store


# --- normalisation -------------------------------------------------------------------

def test_clean_moves_old_tone_marks_and_drops_markup() -> None:
    assert clean("Uỷ ban nhân dân tỉnh Thanh Hoá **528**") == "Ủy ban nhân dân tỉnh Thanh Hóa 528"


def test_clean_keeps_punctuation_spacing() -> None:
    assert clean("Sở Văn hóa, Thể thao (Chưa chọn) 2024–2025") == "Sở Văn hóa, Thể thao (Chưa chọn) 2024-2025"


@pytest.mark.parametrize("written", ["TP.HCM", "TPHCM", "TP. Hồ Chí Minh", "Thành phố HCM"])
def test_abbreviations_of_the_city_expand_to_one_name(written: str) -> None:
    assert expand(f"Sở Du lịch {written}") == "Sở Du lịch Thành phố Hồ Chí Minh"


def test_department_abbreviations_expand() -> None:
    assert expand("Sở NN&PTNT và Sở KH&CN") == "Sở Nông nghiệp và Phát triển nông thôn và Sở Khoa học và Công nghệ"


@pytest.mark.parametrize("written", ["Chi cục TT&BVTV", "Chi cục Trồng trọt và BVTV", "Chi cục Trồng trọt và Bảo vệ thực vật"])
def test_a_sub_department_written_half_or_fully_abbreviated_expands_to_one_name(written: str) -> None:
    assert expand(f"{written} tỉnh Bình Sơn") == "Chi cục Trồng trọt và Bảo vệ thực vật tỉnh Bình Sơn"


# --- dates ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "iso"), [
    ("Tháng 9/2024", "2024-09"), ("quý 4/2023", "2023-Q4"), ("2024-2025", "2024-2025"), ("2024", "2024"),
    ("29.12.2022", "2022-12-29"), ("Theo kế hoạch của tỉnh Đắk Nông", None),
])
def test_timeframes_are_as_precise_as_the_text(text: str, iso: str | None) -> None:
    assert timeframe(text) == iso


def test_day_and_month_take_the_year_from_context() -> None:
    assert full_dates("Ngày 3/4, hai bên ký kết", default_year=2024) == [(0, "2024-04-03")]
    assert full_dates("ngày 08 tháng 8 năm 2024") == [(0, "2024-08-08")]


# --- localities -------------------------------------------------------------------------

def test_district_is_not_the_province_of_a_similar_name() -> None:
    units = [m.unit for m in find_localities("UBND huyện Lắk, tỉnh Đắk Lắk")]
    assert [(u.level, u.short) for u in units] == [("district", "Lắk"), ("province", "Đắk Lắk")]


def test_province_renamed_in_2025_is_found_under_its_old_name() -> None:
    (mention,) = find_localities("tỉnh Thừa Thiên - Huế")
    assert mention.unit.name == "Tỉnh Thừa Thiên Huế"


def test_districts_carry_coordinates_and_the_2025_successor() -> None:
    (mention,) = find_localities("huyện Tuy Đức")
    assert mention.unit.latitude and mention.unit.longitude
    assert mention.unit.successor_name == "Tỉnh Lâm Đồng"


# --- organizations ------------------------------------------------------------------------

def test_same_department_of_two_provinces_are_two_organizations() -> None:
    dak_nong = parse_org("Sở Y tế tỉnh Đắk Nông", None)
    hcmc = parse_org("Sở Y tế Thành phố Hồ Chí Minh", None)
    assert dak_nong and hcmc and dak_nong.node_id != hcmc.node_id


def test_bare_agency_belongs_to_the_context_locality() -> None:
    (kon_tum,) = [m.unit for m in find_localities("tỉnh Kon Tum")]
    org = parse_org("Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch", kon_tum)
    assert org and org.name.endswith("tỉnh Kon Tum")


def test_acronym_resolves_to_the_full_name() -> None:
    org = parse_org("Trung tâm Xúc tiến - Thương mại (ITPC)", None)
    assert org and org.name == "Trung tâm Xúc tiến Thương mại và Đầu tư Thành phố Hồ Chí Minh"


def test_body_with_its_parent_after_a_dash() -> None:
    org = parse_org(expand("Trung tâm Tư vấn và Hỗ trợ Nông nghiệp - Sở NN&PTNT TP.HCM"), None)
    assert org and org.parent and org.parent.body == "Sở Nông nghiệp và Phát triển nông thôn"
    assert org.locality and org.locality.short == "Hồ Chí Minh"


def test_org_lists_split_between_bodies_not_inside_names() -> None:
    cell = "Sở Văn hóa, Thể thao và Du lịch tỉnh Kon Tum; các Sở, Ban, ngành của tỉnh và Sở Du lịch TP.HCM"
    orgs = [parse_org(p, None) for p in split_org_list(expand(cell))]
    assert [o.name for o in orgs if o] == ["Sở Văn hóa, Thể thao và Du lịch tỉnh Kon Tum",
                                           "Sở Du lịch Thành phố Hồ Chí Minh"]


# --- people ----------------------------------------------------------------------------

def test_contact_cell_gives_person_title_organization_and_phone() -> None:
    cell = expand("Sở Công Thương TP.HCM (Bà Phạm Thị Mẫu - Phó Trưởng phòng Quản lý Thương mại; Điện thoại: 0909.111.222)")
    outer, person = parse_contact(cell, None)
    assert outer and outer.name == "Sở Công Thương Thành phố Hồ Chí Minh"
    assert person and (person.name, person.honorific, person.phone) == ("Phạm Thị Mẫu", "Bà", "0909.111.222")
    assert person.positions[0].title == "Phó Trưởng phòng Quản lý Thương mại"


def test_a_rank_after_a_division_is_part_of_the_title_not_a_body() -> None:
    # "viên chức" folds like "Viện": a rank word, never the person's organization
    _, person = parse_contact(expand("Bà Mạc Thị Sen - Phó Trưởng phòng Công chức, viên chức, Sở Nội vụ; ĐT: 0201.555.0101"), None)
    assert person and person.positions[0].title == "Phó Trưởng phòng Công chức, viên chức"
    assert person.positions[0].org and person.positions[0].org.name == "Sở Nội vụ"
    _, clerk = parse_contact(expand("Ông Hà Văn Lực - Chuyên viên, Sở Tư pháp; ĐT: 0201.555.0102"), None)
    assert clerk and [(p.title, p.org.name if p.org else None) for p in clerk.positions] == [("Chuyên viên", "Sở Tư pháp")]
    assert parse_org("viên chức", None) is None


def test_a_department_abbreviated_with_a_comma_is_spelled_out() -> None:
    assert parse_org(expand("Sở VH,TT&DL"), None).name == "Sở Văn hóa, Thể thao và Du lịch"


def test_a_plan_with_several_partners_places_no_contact_in_one_of_them() -> None:
    own, first, second = [f.unit for f in find_localities("tỉnh Bắc Kạn, tỉnh Kon Tum và tỉnh Bạc Liêu")]
    def mention(parties: list[Unit]) -> AgreementMention:
        return AgreementMention(agreement_type="Thỏa thuận hợp tác", phrase="", parties=parties, quote="")
    assert _partner(mention([own, first]), own) == first
    # "tỉnh A với các tỉnh B và C": the contact column names the issuer's officials, not B's
    assert _partner(mention([own, first, second]), own) is None


def test_people_in_prose_before_and_after_their_titles() -> None:
    before = people_in_sentence(expand("Phó Chủ tịch UBND tỉnh An Giang Trần Thị Mẫu đề xuất tổ chức."), None)
    after = people_in_sentence(expand("Ông Lâm Văn Thử, Phó Chủ tịch UBND TP.HCM, nhấn mạnh việc kết nối."), None)
    assert [(p.name, p.positions[0].title, p.positions[0].org.name) for p in before] == [
        ("Trần Thị Mẫu", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh An Giang")]
    assert [(p.name, p.positions[0].org.name) for p in after] == [
        ("Lâm Văn Thử", "Ủy ban nhân dân Thành phố Hồ Chí Minh")]


def test_titles_one_letter_apart_become_the_dictionary_spelling() -> None:
    mapping = canonical_titles(["Trưởng phòng Quản lý lữ hàng", "Trưởng phòng Quản lý lữ hành"])
    assert set(mapping.values()) == {"Trưởng phòng Quản lý lữ hành"}


# --- tables ----------------------------------------------------------------------------

def test_group_rows_repeated_headers_and_merged_cells() -> None:
    lines = ["PHỤ LỤC I", HEADER,
             "I\tSự kiện tại tỉnh\t\t\t\t\t\t",
             "1\tHội chợ thử nghiệm\tSở Công Thương tỉnh Kon Tum\t\tHội chợ\t2024\tTỉnh Kon Tum\tÔng Lê Văn Thử, điện thoại: 0900.000.001",
             HEADER,
             "2\tTập huấn thử nghiệm\t\t\t\t\t\t"]
    (appendix,) = read_appendices(blocks_from_lines(lines))
    assert [r.number for r in appendix.rows] == ["1", "2"]
    merged = appendix.rows[1]
    assert merged.cells["lead"] == "Sở Công Thương tỉnh Kon Tum"
    assert merged.cells["contact"].endswith("0900.000.001")
    assert merged.groups == ["Sự kiện tại tỉnh"]


def test_a_group_heading_spanning_its_row_from_the_number_cell_is_a_group_not_a_task() -> None:
    """A Word table writes a section as one cell merged across the row ("II. LĨNH VỰC ..."): it names
    the rows below and starts no merged span; a row naming no task gives none."""
    lines = ["PHỤ LỤC I", HEADER,
             "I. LĨNH VỰC THỬ NGHIỆM MỘT\t\t\t\t\t\t\t",
             "1\tHội chợ thử nghiệm\tSở Công Thương tỉnh Kon Tum\t\tHội chợ\t2024\tTỉnh Kon Tum\tÔng Lê Văn Thử",
             "II. LĨNH VỰC THỬ NGHIỆM HAI\t\t\t\t\t\t\t",
             "2\tTập huấn thử nghiệm\tSở Y tế tỉnh Kon Tum\t\t\t\t\t",
             "\t\tSở Y tế tỉnh Kon Tum\t\t\t\t\t"]
    (appendix,) = read_appendices(blocks_from_lines(lines))
    assert [(r.number, r.groups) for r in appendix.rows] == [("1", ["LĨNH VỰC THỬ NGHIỆM MỘT"]),
                                                            ("2", ["LĨNH VỰC THỬ NGHIỆM HAI"])]
    assert appendix.rows[1].cells["contact"] == ""


def test_header_found_by_column_names_not_position() -> None:
    reordered = "TT\tĐầu mối liên hệ\tNội dung\tĐơn vị chủ trì"
    (appendix,) = read_appendices(blocks_from_lines(["PHỤ LỤC", reordered, "1\tBà Lê Thị Thử - Chuyên viên\tHội thảo thử\tSở Y tế tỉnh Kon Tum"]))
    assert appendix.rows[0].cells["task"] == "Hội thảo thử"
    assert appendix.rows[0].cells["lead"] == "Sở Y tế tỉnh Kon Tum"


# --- news -------------------------------------------------------------------------------

def test_furniture_is_dropped_and_repeats_count_once() -> None:
    text = (SAMPLES / "tin_quan5_dak_ha.txt").read_text(encoding="utf-8")
    kept = article_lines(clean(text).split("\n"))
    joined = "\n".join(kept)
    assert "Phạm Minh Chính" not in joined and "Đăng nhập" not in joined and "Bình luận" not in joined
    assert sum(1 for line in kept if line.startswith("Theo biên bản")) == 1


def test_parties_in_parentheses_are_each_a_party() -> None:
    sentence = expand("Ngày 15.6.2023, UBND TP.HCM và UBND 4 tỉnh (An Giang, Cần Thơ, Đồng Tháp, Kiên Giang) đã ký kết Thỏa thuận hợp tác.")
    mention = find_agreement(sentence, sentence, None)
    assert mention and mention.date_signed == "2023-06-15"
    assert sorted(fold(p.short) for p in mention.parties) == ["an giang", "can tho", "dong thap", "ho chi minh", "kien giang"]


def test_a_region_stands_for_its_provinces() -> None:
    sentence = expand("UBND TP.HCM và UBND các tỉnh vùng Tây Nguyên đã ký thỏa thuận hợp tác ngày 02/01/2023.")
    mention = find_agreement(sentence, sentence, None)
    assert mention and len(mention.parties) == 6 and mention.date_signed == "2023-01-02"


def test_conference_date_is_not_a_signing_date() -> None:
    sentence = expand("Ngày 4/4, UBND TP.HCM tổ chức hội nghị sơ kết thỏa thuận hợp tác giữa TP.HCM với tỉnh Gia Lai.")
    mention = find_agreement(sentence, sentence, 2024)
    assert mention and mention.date_signed is None


# --- the whole samples --------------------------------------------------------------------

def test_samples_answer_contacts_typed_without_diacritics(samples_store: EmbeddedStore) -> None:
    (first, *_) = samples_store.contacts("ngay hoi sam ngoc linh")
    assert (first.person, first.phone, first.organization) == (
        "Phạm Thị Mẫu", "0909.111.222", "Sở Công Thương Thành phố Hồ Chí Minh")
    assert first.sources and first.sources[0].document == "ke_hoach_kon_tum_2024.txt"


def test_merged_cells_give_the_row_below_the_lead_and_contact(samples_store: EmbeddedStore) -> None:
    assert samples_store.lead("bao quan duoc lieu")[0].organization.startswith("Sở Nông nghiệp")
    assert samples_store.contacts("bao quan duoc lieu")[0].person == "Đặng Văn Mẫu"


def test_one_person_despite_a_typo_in_the_title(samples_store: EmbeddedStore) -> None:
    positions = samples_store.person("Ly Van Thu")
    assert [p.title for p in positions] == ["Trưởng phòng Quản lý lữ hành"]


def test_twinning_partners_both_ways(samples_store: EmbeddedStore) -> None:
    assert [p.locality for p in samples_store.partners("Quận 5")] == ["Huyện Đăk Hà, Tỉnh Kon Tum"]
    assert [p.locality for p in samples_store.partners("huyen Dak Ha")] == ["Quận 5, Thành phố Hồ Chí Minh"]


def test_district_mous_are_not_the_city_s_partners(samples_store: EmbeddedStore) -> None:
    names = {p.locality for p in samples_store.partners("TP.HCM")}
    assert "Tỉnh Kon Tum" in names and not any("Hà" in n and "Huyện" in n for n in names)


def test_sidebar_people_are_not_in_the_graph(samples_store: EmbeddedStore) -> None:
    assert samples_store.person("Phạm Minh Chính") == []
    assert samples_store.person("Nguyễn Văn Bình Luận") == []


def test_plan_signer_and_assignment(samples_store: EmbeddedStore) -> None:
    assert [(p.title, p.organization) for p in samples_store.person("Nguyen Van Mau")] == [
        ("Phó Chủ tịch", "Ủy ban nhân dân tỉnh Kon Tum")]
    assert samples_store.person("Y Ngọc Anh")[0].title == "Phó Chủ tịch"


def test_a_department_s_plan_signed_in_a_table_cell_under_a_wrapped_letterhead(tmp_path: Path) -> None:
    import docx

    # the department's name wraps over two letterhead lines; the signature is a borderless table's cell of lines
    document = docx.Document()
    for line in ["UBND TỈNH HÒA BÌNH", "SỞ NÔNG NGHIỆP VÀ", "PHÁT TRIỂN NÔNG THÔN", "Số: 977/KH-SNN",
                 "Hòa Bình, ngày 05 tháng 3 năm 2027", "KẾ HOẠCH", "Hợp tác với Sở Nông nghiệp và Phát triển nông thôn "
                 "tỉnh Trà Vinh năm 2027", "I. MỤC ĐÍCH", "Trao đổi giống cây trồng giữa hai Sở."]:
        document.add_paragraph(line)
    cells = document.add_table(rows=1, cols=2).rows[0].cells
    cells[0].text = "Nơi nhận:\n- Sở NN&PTNT tỉnh Trà Vinh;\n- Lưu: VT."
    cells[1].text = "GIÁM ĐỐC\n(Đã ký)\nLục Văn Tưởng"
    (tmp_path / "docs").mkdir()
    document.save(str(tmp_path / "docs" / "kh_so.docx"))
    store = EmbeddedStore(tmp_path / "db")
    assert [r.error for r in ingest_files(store, collect_files([tmp_path / "docs"]))] == [None]
    assert [(p.title, p.organization) for p in store.person("Lục Văn Tưởng")] == [
        ("Giám đốc", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Hòa Bình")]


def test_plan_body_items_become_aliases_but_recipients_do_not(samples_store: EmbeddedStore) -> None:
    (task,) = [h for h in samples_store.search("khảo sát tuyến du lịch sinh thái Măng Đen", ["Task"])][:1]
    node = samples_store.node(task.id)
    assert node and all(not a.startswith("Sở Du lịch") for a in node.aliases)
    assert all(s.quote != "Sở Du lịch TP.HCM;" for s in node.sources)


def test_every_fact_has_a_source(samples_store: EmbeddedStore) -> None:
    graph = samples_store.subgraph()
    assert all(n.sources for n in graph.nodes) and all(r.sources for r in graph.relationships)


def test_extract_is_deterministic() -> None:
    text = (SAMPLES / "ke_hoach_kon_tum_2024.txt").read_text(encoding="utf-8")
    assert extract(text_document("a.txt", text), "x") == extract(text_document("a.txt", text), "x")


# --- bad input -----------------------------------------------------------------------------

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """Encode as Windows-1258 does: letters with their vowel marks, tone marks as combining characters."""
    import unicodedata

    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        out.append(base + "".join(c for c in parts if c in TONE_MARKS))
    return "".join(out).encode("cp1258")


def test_bad_files_are_named_and_the_others_still_go_in(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "cp1258.txt").write_bytes(windows_1258("Ủy ban nhân dân tỉnh Kon Tum ký kết"))
    (folder / "good.txt").write_bytes((SAMPLES / "tin_quan5_dak_ha.txt").read_bytes())
    store = EmbeddedStore(tmp_path / "db")
    results = {r.document: r for r in ingest_files(store, collect_files([folder]))}
    assert results["good.txt"].status == "added"
    assert "empty" in (results["empty.txt"].error or "")
    assert "binary" in (results["binary.txt"].error or "")
    assert results["cp1258.txt"].error is None
    assert results["cp1258.txt"].warnings == ["converted from Windows-1258"]
    assert sorted(d.document for d in store.documents()) == ["cp1258.txt", "good.txt"]


def test_a_file_the_store_refuses_in_the_middle_of_a_group_is_named_and_only_it_is_missing(tmp_path: Path) -> None:
    """Files are written in groups (one transaction each): the one whose text the store refuses
    (longer than its connection allows) is named with the cause, and the files before and after it in
    the same group are stored, exactly as when each is ingested alone."""
    folder = tmp_path / "in"
    folder.mkdir()
    for sample in collect_files([SAMPLES]):
        (folder / sample.name).write_bytes(sample.read_bytes())
    (folder / "tin_mot_van_ban_dai.txt").write_text("Hai huyện trao đổi kinh nghiệm.\n" * 2_000, encoding="utf-8")
    store = EmbeddedStore(tmp_path / "db")
    store._db().setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 150_000)  # longer than the samples write
    files = collect_files([folder])
    assert len(files) <= GROUP_DOCUMENTS and files[-2].name == "tin_mot_van_ban_dai.txt"  # not last in its group

    results = {r.document: r for r in ingest_files(store, files)}

    refused = results.pop("tin_mot_van_ban_dai.txt")
    assert refused.status == "error" and refused.error is not None
    assert "could not be stored" in refused.error and "too big" in refused.error
    assert {r.status for r in results.values()} == {"added"}, [r.error for r in results.values()]
    alone = EmbeddedStore(tmp_path / "alone")
    for sample in collect_files([SAMPLES]):
        ingest_files(alone, [sample])
    assert [d.document for d in store.documents()] == [d.document for d in alone.documents()]
    assert store.subgraph() == alone.subgraph()
    rows, rows_alone = stored_rows(tmp_path / "db"), stored_rows(tmp_path / "alone")
    assert {t: r for t, r in rows.items() if t != "judgements"} == {t: r for t, r in rows_alone.items() if t != "judgements"}


def test_reingest_changes_nothing(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "db")
    ingest_files(store, collect_files([SAMPLES]))
    before = store.subgraph()
    again = ingest_files(store, collect_files([SAMPLES]))
    assert {r.status for r in again} == {"unchanged"}
    assert store.subgraph() == before


# --- variations of the genre ----------------------------------------------------------------

def test_pipe_tables_and_letter_groups_read_like_tab_tables() -> None:
    lines = ["PHỤ LỤC", "| STT | Nội dung | Đơn vị chủ trì | Thời gian |", "|---|---|---|---|",
             "| A | Nhóm hoạt động thương mại | | |", "| 1 | Phiên chợ nông sản thử | Sở Công Thương tỉnh Gia Lai | Tháng 7/2024 |"]
    (appendix,) = read_appendices(blocks_from_lines(lines))
    assert [(r.number, r.groups, r.cells["lead"]) for r in appendix.rows] == [
        ("1", ["Nhóm hoạt động thương mại"], "Sở Công Thương tỉnh Gia Lai")]


def test_where_a_signing_happened_is_not_a_party() -> None:
    sentence = expand("Sáng 5/7, tại TP.HCM, UBND tỉnh Gia Lai và UBND tỉnh Bình Định đã ký kết Thỏa thuận hợp tác.")
    mention = find_agreement(sentence, sentence, 2024)
    assert mention and sorted(p.short for p in mention.parties) == ["Bình Định", "Gia Lai"]


def test_twinning_called_ket_nghia_and_city_prefix() -> None:
    sentence = expand("Ngày 2/9/2023, UBND TP. Thủ Đức và UBND huyện Đắk Glong, tỉnh Đắk Nông ký kết kết nghĩa.")
    mention = find_agreement(sentence, sentence, None)
    assert mention and mention.agreement_type == "Kết nghĩa"
    assert sorted(fold(p.name) for p in mention.parties) == ["huyen dak glong", "thanh pho thu duc"]


def test_landline_numbers_in_parentheses() -> None:
    _, person = parse_contact(expand("Sở Y tế tỉnh Gia Lai (Bà Lê Thị Thử - Chuyên viên; ĐT: (0269) 3824 567)"), None)
    assert person and person.phone == "(0269) 3824 567"


@pytest.mark.parametrize("region", ["Đông Nam Bộ", "Tây Nguyên", "Đồng bằng sông Cửu Long", "Bắc Trung Bộ",
                                    "Duyên hải Nam Trung Bộ", "Đồng bằng sông Hồng", "Trung du và miền núi phía Bắc"])
def test_every_region_resolves_to_its_provinces(region: str) -> None:
    from ingest.localities import find_regions

    (found,) = find_regions(f"các tỉnh vùng {region}")
    assert len(found.provinces) >= 5 and all(u.level == "province" for u in found.provinces)


def test_an_activity_in_another_city_is_not_the_nearest_guess(samples_store: EmbeddedStore) -> None:
    assert samples_store.contacts("ngay hoi sam ngoc linh tai Ha Noi") == []
    assert samples_store.contacts("hội thảo giới thiệu sản phẩm du lịch Đà Lạt") == []


def test_a_table_titled_without_phu_luc_is_still_read() -> None:
    lines = ["Nơi nhận:", "- Lưu: VT.", "", "DANH MỤC NHIỆM VỤ NĂM 2024", "(Kèm theo Kế hoạch số 9/KH-UBND)",
             "TT\tNội dung\tThời gian\tĐơn vị chủ trì\tĐầu mối liên hệ",
             "1\tPhiên chợ thử nghiệm\tTháng 5/2024\tSở Công Thương tỉnh Cà Mau\tÔng Khuất Văn Thử, điện thoại 0900 000 002"]
    (table,) = read_appendices(blocks_from_lines(lines))
    assert table.title.startswith("DANH MỤC NHIỆM VỤ")
    assert table.rows[0].cells["lead"] == "Sở Công Thương tỉnh Cà Mau"


def test_an_honorific_marks_a_name_with_a_rare_surname() -> None:
    _, person = parse_contact(expand("Sở Y tế tỉnh Cà Mau (Ông Khuất Văn Thử, Phó Chi cục trưởng Chi cục Dân số; ĐT: 0900 000 003)"), None)
    assert person and person.name == "Khuất Văn Thử"
    assert person.positions[0].org and person.positions[0].org.body == "Chi cục Dân số"


def test_a_counted_part_of_a_region_joins_the_named_agreement() -> None:
    from ingest.agreements import merge_mentions

    named = expand("Thỏa thuận hợp tác giữa TP.HCM và 2 tỉnh (Cà Mau, Bạc Liêu) được ký kết ngày 15/12/2023.")
    partial = expand("TP.HCM và 2 tỉnh Đồng bằng sông Cửu Long hợp tác trong lĩnh vực thủy sản, du lịch.")
    first = find_agreement(named, named, None)
    assert first is not None
    from ingest.agreements import parties_in

    parties, vague = parties_in(partial)
    assert vague and len(parties) == 14
    (merged,) = merge_mentions([first, find_agreement(partial.replace("hợp tác", "ký kết hợp tác"), partial, None)])
    assert merged.date_signed == "2023-12-15" and {"thủy sản", "du lịch"} <= set(merged.sectors)


def test_prose_names_after_an_honorific_need_no_known_surname() -> None:
    (person,) = people_in_sentence(expand("Bà Phí Thị Thử, Phó Chủ tịch UBND tỉnh Cà Mau, phát biểu."), None)
    assert (person.name, person.positions[0].title) == ("Phí Thị Thử", "Phó Chủ tịch")


def test_district_bodies_and_divisions_belong_to_the_district() -> None:
    (district,) = [m.unit for m in find_localities("huyện Cần Giờ")]
    division = parse_org("Phòng Kinh tế", district)
    centre = parse_org("Trung tâm Văn hóa - Thể thao huyện", district)
    department = parse_org(expand("Sở Nông nghiệp và PTNT"), district)
    assert division and division.name == "Phòng Kinh tế huyện Cần Giờ"
    assert centre and centre.name == "Trung tâm Văn hóa - Thể thao huyện Cần Giờ"
    assert department and department.locality and department.locality.level == "province"


def test_header_cells_with_extra_words_and_wrapped_task_names() -> None:
    lines = ["PHỤ LỤC", "STT\tNội dung hoạt động\tĐơn vị chủ trì\tĐầu mối liên hệ phía huyện Hậu Lộc",
             "1\tHội chợ triển lãm nông nghiệp\tPhòng Kinh tế\tÔng Lê Văn Thử, ĐT: 0900 000 004",
             "\tvà thủy sản năm 2024\t\t"]
    (table,) = read_appendices(blocks_from_lines(lines))
    (row,) = table.rows
    assert row.cells["task"] == "Hội chợ triển lãm nông nghiệp và thủy sản năm 2024"
    assert row.cells["contact"].startswith("Ông Lê Văn Thử")


def test_title_chains_stop_at_the_previous_person() -> None:
    sentence = expand("Chủ tịch UBND tỉnh Quảng Ninh Nguyễn Văn Thử và Chủ tịch UBND tỉnh Lâm Đồng Trần Văn Mẫu đã ký kết.")
    found = {p.name: p.positions[0].org.name for p in people_in_sentence(sentence, None)}
    assert found == {"Nguyễn Văn Thử": "Ủy ban nhân dân tỉnh Quảng Ninh", "Trần Văn Mẫu": "Ủy ban nhân dân tỉnh Lâm Đồng"}


def test_a_body_named_without_its_place_is_the_one_named_with_it() -> None:
    text = ("Hai tỉnh hợp tác\n\nNgày 2/6/2024, Bệnh viện Bãi Cháy (tỉnh Quảng Ninh) và Bệnh viện Đa khoa tỉnh Lâm Đồng "
            "đã ký biên bản ghi nhớ hợp tác trong lĩnh vực y tế.\n\nGiám đốc Bệnh viện Bãi Cháy Đỗ Văn Thử cho biết sẽ "
            "cử bác sĩ hỗ trợ.")
    graph, _ = extract(text_document("bv.txt", text), "x")
    hospitals = [n.name for n in graph.nodes if n.kind == "Organization" and "Bãi Cháy" in n.name]
    assert hospitals == ["Bệnh viện Bãi Cháy tỉnh Quảng Ninh"]
    assert any(d.decision == "yes" and "Bãi Cháy" in d.reason for d in graph.merge_decisions)


def text_document(name: str, text: str):
    """A text document as the text reader gives it."""
    return read_text(name, text.encode("utf-8"), name)


def test_a_short_form_after_its_own_head_word_does_not_repeat_it() -> None:
    assert expand("Trường ĐH Lâm nghiệp Tây Bắc") == "Trường Đại học Lâm nghiệp Tây Bắc"
    org, person = parse_contact(expand("ThS. Đinh Văn Tú - Trưởng phòng Hợp tác, Trường ĐH Vinh Hưng; 0977 123 456"), None)
    assert person is not None and person.positions[0].org is not None
    assert person.positions[0].org.body == "Trường Đại học Vinh Hưng"


def test_a_document_the_store_refuses_is_named_and_the_others_still_go_in(
        neo4j_server: Neo4jServer, tmp_path: Path) -> None:
    """When Neo4j refuses a document's write (here it breaks a constraint the database holds: a
    second Person of a name the table's contacts use), that file gets an error naming the cause,
    the next file still goes in, and nothing of the refused one is stored."""
    from graph.neo4j_store import Neo4jStore

    (tmp_path / "table.txt").write_text(plan_with_table(3), encoding="utf-8")
    (tmp_path / "news.txt").write_bytes((SAMPLES / "tin_quan5_dak_ha.txt").read_bytes())
    store = Neo4jStore(neo4j_server.uri, neo4j_server.user, neo4j_server.password, database=neo4j_server.database)
    store.clear()
    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password)) as driver:
        def run(query: str, **parameters: str) -> list[neo4j.Record]:
            return driver.execute_query(query, parameters, database_=neo4j_server.database).records

        run("CREATE CONSTRAINT refuse_second_person IF NOT EXISTS FOR (p:Person) REQUIRE p.name IS UNIQUE")
        run("CREATE (:Person {name: $name})", name=TABLE_PEOPLE[0])
        try:
            results = {r.document: r for r in ingest_files(store, [tmp_path / "table.txt", tmp_path / "news.txt"])}
            left = run("MATCH (c:LienketClaim {document: 'table.txt'}) RETURN count(c) AS n")[0]["n"]
        finally:
            run("DROP CONSTRAINT refuse_second_person IF EXISTS")
            run("MATCH (p:Person {name: $name}) WHERE NOT p:Entity DELETE p", name=TABLE_PEOPLE[0])
            store.close()
    assert results["table.txt"].status == "error"
    assert "could not be stored" in (results["table.txt"].error or "")
    assert results["news.txt"].status == "added"
    assert left == 0


# --- a news page's dateline ----------------------------------------------------------

NEWS_PAGE = """<html><head><meta charset="utf-8"><title>Hai huyện ký kết hợp tác</title>{meta}</head><body>
<nav><a href="/">Trang chủ</a></nav><article><h1>Huyện Mường Thanh Sơn và huyện Đông Hà Lâm ký kết hợp tác</h1>
<p>Sáng 6/5, tại hội trường huyện, hai huyện ký kết chương trình hợp tác giai đoạn 2024 - 2028 về du lịch.</p>
<p>Chương trình đầu tiên được ký ngày 02/10/2019, tập trung vào thương mại. Hai bên đã trao đổi nhiều đoàn.</p>
</article></body></html>"""


def test_a_pages_published_date_stands_as_the_dateline_a_lead_without_year_needs() -> None:
    meta = '<meta property="article:published_time" content="2024-05-07T08:00:00+07:00">'
    blocks = read_document("tin.html", NEWS_PAGE.format(meta=meta).encode()).blocks
    assert [b.text for b in blocks[:2]] == ["Huyện Mường Thanh Sơn và huyện Đông Hà Lâm ký kết hợp tác", "07/05/2024"]


def test_a_page_without_a_published_date_gets_no_dateline_guessed_from_its_text() -> None:
    blocks = read_document("tin.html", NEWS_PAGE.format(meta="").encode()).blocks
    assert blocks[1].text.startswith("Sáng 6/5")


def test_a_university_named_after_a_city_is_a_party_of_its_own_not_the_city() -> None:
    sentence = expand("Sáng 9/10, UBND tỉnh Yên Bái và Đại học Huế ký kết thỏa thuận hợp tác về đào tạo nguồn nhân lực.")
    mention = find_agreement(sentence, sentence, 2023)
    assert mention is not None
    assert [p.level for p in mention.parties if isinstance(p, Unit)] == ["province"]
    assert "Đại học Huế" in [p.name for p in mention.parties if not isinstance(p, Unit)]


def test_a_member_school_written_before_its_university_is_the_party() -> None:
    sentence = expand("UBND tỉnh Hòa Bình và Trường Đại học Kinh tế - Đại học Huế ký kết thỏa thuận hợp tác ngày 12/4/2023.")
    mention = find_agreement(sentence, sentence, None)
    assert mention is not None
    assert [p.name for p in mention.parties if not isinstance(p, Unit)] == ["Trường Đại học Kinh tế"]


def test_a_satellite_hospital_contract_is_an_agreement_between_the_two_hospitals_dated_by_its_month() -> None:
    sentence = expand("Căn cứ Hợp đồng chuyển giao kỹ thuật giữa Bệnh viện Nhi tỉnh Thái Bình (bệnh viện hạt nhân) và "
                      "Bệnh viện Đa khoa tỉnh Lạng Sơn (bệnh viện vệ tinh) ký tháng 5/2022;")
    mention = find_agreement(sentence, sentence, 2023)
    assert mention is not None and mention.date_signed == "2022-05"
    assert [p.name for p in mention.parties] == ["Bệnh viện Nhi tỉnh Thái Bình", "Bệnh viện Đa khoa tỉnh Lạng Sơn"]


def test_stripping_marks_drops_exactly_the_combining_marks_of_every_character() -> None:
    """Every character of the Basic Multilingual Plane, alone and within a word, against the
    definition: decomposed, đ/Đ spelled d/D, and the characters of category Mn left out."""
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue  # surrogates are not characters
        text = f"Đà{chr(code)}ẵ{chr(code)}"
        decomposed = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
        assert strip_marks(text) == "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"), hex(code)
