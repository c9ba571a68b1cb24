"""Resolution across documents, on both backends: who is one entity, judgements as data, review.

Every document here is written for these tests (invented people, phones and plan numbers); the
plans go through the real reader, the agreements are built with the real graph builder.
"""

from __future__ import annotations

import re
from pathlib import Path

from rapidfuzz import fuzz

from graph import resolution
from graph.embedded import EmbeddedStore
from graph.model import DocumentGraph
from graph.store import GraphFilter, GraphStore
from ingest.agreements import AgreementMention
from ingest.builder import GraphBuilder
from ingest.localities import province_named
from ingest.pipeline import ingest_bytes
from ingest.writing import write_agreement
from tests.cli_process import lienket
from tests.test_api import API_KEY, make_client

HEADER = "STT\tNội dung công việc\tCơ quan chủ trì\tCơ quan phối hợp\tSản phẩm\tThời gian thực hiện\tĐịa điểm\tĐầu mối liên hệ"


def plan(province: str, number: int, rows: list[tuple[str, str, str]]) -> bytes:
    """A province's plan with one appendix table: (task, lead, contact cell) per row."""
    lines = ["ỦY BAN NHÂN DÂN", f"TỈNH {province.upper()}", "", f"Số: {number}/KH-UBND", "",
             f"{province}, ngày 3 tháng 5 năm 2024", "", "KẾ HOẠCH", "",
             f"Thực hiện Thỏa thuận hợp tác giữa Thành phố Hồ Chí Minh với tỉnh {province} năm 2024", "",
             "PHỤ LỤC I", "CÁC NỘI DUNG HỢP TÁC", "", HEADER]
    lines += [f"{i}\t{task}\t{lead}\t\tSự kiện\tTháng 9/2024\tThành phố Hồ Chí Minh\t{contact}"
              for i, (task, lead, contact) in enumerate(rows, 1)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def ingest(store: GraphStore, name: str, data: bytes) -> str:
    result = ingest_bytes(store, name, data)
    assert result.status in ("added", "replaced", "unchanged"), result.error
    return result.status


TOURISM_HCMC = "Sở Du lịch TP.HCM"
WITHOUT_PHONE = plan("Bình Phước", 71, [
    ("Hội thi ẩm thực mùa thu", "Sở Văn hóa, Thể thao và Du lịch tỉnh Bình Phước",
     f"{TOURISM_HCMC} (Bà Đoàn Thị Thử - Chuyên viên Phòng Lữ hành)"),
])
WITH_PHONE = plan("Tây Ninh", 72, [
    ("Ngày hội du lịch núi Bà Đen", "Sở Văn hóa, Thể thao và Du lịch tỉnh Tây Ninh",
     # the name with a key struck twice: one person all the same (same body, same title)
     "Sở Du lịch Thành phố Hồ Chí Minh (Bà Đoànn Thị Thử - Chuyên viên Phòng Lữ hành; Điện thoại: 0911.000.314)"),
])


def test_a_phone_printed_in_another_document_answers_the_contact(store: GraphStore) -> None:
    ingest(store, "kh_binh_phuoc.txt", WITHOUT_PHONE)
    ingest(store, "kh_tay_ninh.txt", WITH_PHONE)
    (answer,) = store.contacts("Hội thi ẩm thực mùa thu")
    assert answer.person == "Đoàn Thị Thử"
    assert answer.phone == "0911.000.314"
    (person,) = {p.person_id for p in store.person("Đoàn Thị Thử")}
    documents = {s.document for s in store.node(person).sources}
    assert documents == {"kh_binh_phuoc.txt", "kh_tay_ninh.txt"}


def test_a_city_official_named_in_a_province_plan_belongs_to_the_city_body(store: GraphStore) -> None:
    ingest(store, "kh_binh_phuoc.txt", WITHOUT_PHONE)
    ingest(store, "kh_tay_ninh.txt", WITH_PHONE)
    positions = store.person("Đoàn Thị Thử")
    assert {p.organization for p in positions} == {"Sở Du lịch Thành phố Hồ Chí Minh"}
    org = store.node(positions[0].organization_id)
    assert org.properties["locality_code"] == "79"


def test_the_merged_entity_keeps_each_document_s_own_mention(store: GraphStore) -> None:
    ingest(store, "kh_binh_phuoc.txt", WITHOUT_PHONE)
    ingest(store, "kh_tay_ninh.txt", WITH_PHONE)
    mentions = {doc: [n.id for n in graph.nodes if n.kind == "Person"] for doc, graph in store.mention_graphs().items()}
    (first,), (second,) = mentions["kh_binh_phuoc.txt"], mentions["kh_tay_ninh.txt"]
    assert first != second  # each document named the person at its own id
    merged = store.node(resolution.canonical_id(store, first))
    assert merged is not None and merged.id == resolution.canonical_id(store, second)
    assert {first, second} - {merged.id} <= set(merged.properties["mentions"])
    client = make_client(store)
    as_read = client.get(f"/review/mentions/{second}").json()
    assert as_read["canonical_id"] == merged.id
    assert as_read["documents"]["kh_tay_ninh.txt"]["name"] == "Đoànn Thị Thử"
    assert as_read["documents"]["kh_tay_ninh.txt"]["properties"]["phones"] == ["0911.000.314"]
    assert client.get("/review/mentions/person:unknown").status_code == 404
    (judgement,) = [j for j in store.judgements() if j.kind == "Person"]
    assert (judgement.judgement, judgement.decided_by) == ("same", "rule")
    assert {"names 96% alike", "same organization", "same title"} <= set(judgement.evidence)
    assert judgement.decided_at


def test_an_acronym_in_one_plan_and_the_full_name_in_another_are_one_organization(store: GraphStore) -> None:
    ingest(store, "kh_a.txt", plan("Bình Phước", 73, [
        ("Đo đạc lại bản đồ đất công", "Trung tâm PTQĐ tỉnh Bình Phước", "Ông Lưu Văn Thử, điện thoại: 0911.000.101"),
        ("Hội chợ hàng nông sản sạch", "Sở Công Thương tỉnh Bình Phước", "SAGRI (Ông Tạ Văn Mẫu - Phó Trưởng phòng Kinh doanh)"),
    ]))
    ingest(store, "kh_b.txt", plan("Bình Phước", 74, [
        ("Đấu giá quyền sử dụng đất khu trung tâm", "Trung tâm Phát triển quỹ đất tỉnh Bình Phước",
         "Ông Lưu Văn Thử, điện thoại: 0911.000.101"),
        ("Tuần hàng nông sản sạch", "Sở Công Thương tỉnh Bình Phước",
         "Tổng Công ty Nông nghiệp Sài Gòn TNHH MTV (Ông Tạ Văn Mẫu - Phó Trưởng phòng Kinh doanh; "
         "Điện thoại: 0911.000.202)"),
    ]))
    tasks = {t.task for t in store.org_tasks("Trung tâm Phát triển quỹ đất tỉnh Bình Phước") if t.role == "lead"}
    assert tasks == {"Đo đạc lại bản đồ đất công", "Đấu giá quyền sử dụng đất khu trung tâm"}
    (contact,) = store.contacts("Hội chợ hàng nông sản sạch")
    assert contact.phone == "0911.000.202"
    assert "SAGRI" in store.node(store.person("Tạ Văn Mẫu")[0].organization_id).aliases


def test_same_named_bodies_of_different_localities_stay_two(store: GraphStore) -> None:
    ingest(store, "kh_binh_phuoc.txt", WITHOUT_PHONE)
    ingest(store, "kh_tay_ninh.txt", WITH_PHONE)
    departments = [h for h in store.search("Sở Văn hóa, Thể thao và Du lịch", ["Organization"])]
    assert len({h.id for h in departments}) == 2
    assert not [j for j in store.judgements() if j.kind == "Organization"]


CONFLICT_A = plan("Bình Phước", 75, [
    ("Hội nghị xúc tiến thương mại hạt điều", "Sở Công Thương tỉnh Bình Phước",
     "Sở Công Thương TP.HCM (Ông Lâm Văn Thử - Chuyên viên)"),
])
CONFLICT_B = plan("Tây Ninh", 76, [
    ("Khám bệnh miễn phí cho người cao tuổi", "Sở Y tế tỉnh Tây Ninh", "Sở Y tế TP.HCM (Ông Lâm Văn Thử - Chuyên viên)"),
])


def test_same_name_in_conflicting_organizations_is_two_people(store: GraphStore) -> None:
    ingest(store, "kh_a.txt", CONFLICT_A)
    ingest(store, "kh_b.txt", CONFLICT_B)
    assert len({p.person_id for p in store.person("Lâm Văn Thử")}) == 2
    (judgement,) = [j for j in store.judgements() if j.kind == "Person"]
    assert judgement.judgement == "different"
    assert "different organizations" in judgement.evidence


def test_a_shared_phone_is_the_further_evidence_that_joins_them(store: GraphStore) -> None:
    ingest(store, "kh_a.txt", CONFLICT_A.replace("Chuyên viên)".encode(), "Chuyên viên; ĐT: 0911.000.999)".encode()))
    ingest(store, "kh_b.txt", CONFLICT_B.replace("Chuyên viên)".encode(), "Chuyên viên; ĐT: 0911.000.999)".encode()))
    assert len({p.person_id for p in store.person("Lâm Văn Thử")}) == 1


def agreement_document(name: str, date: str | None, period: str | None = None) -> DocumentGraph:
    """A document naming the agreement of Bình Phước and Tây Ninh, with this date or none."""
    builder = GraphBuilder(name)
    quote = f"Thỏa thuận hợp tác giữa tỉnh Bình Phước và tỉnh Tây Ninh ({date or 'không ghi ngày'})"
    mention = AgreementMention(agreement_type="Thỏa thuận hợp tác", phrase=quote, quote=quote,
                               parties=[province_named("Bình Phước"), province_named("Tây Ninh")],
                               date_signed=date, period=period, sectors=["du lịch"])
    write_agreement(builder, mention)
    return builder.build(sha256=name)


def test_a_renewal_for_a_new_period_is_a_new_agreement(store: GraphStore) -> None:
    resolution.write_document(store, agreement_document("tin_2021.txt", "2021-05-10", "2021-2023"))
    resolution.write_document(store, agreement_document("tin_2024.txt", "2024-06-01", "2024-2026"))
    resolution.write_document(store, agreement_document("tin_2024_nhac_lai.txt", "2024-06"))
    dates = sorted(a.date for a in store.agreements_between("Bình Phước", "Tây Ninh"))
    assert dates == ["2021-05-10", "2024-06-01"]
    verdicts = {frozenset((j.left, j.right)): j.judgement for j in store.judgements() if j.kind == "Agreement"}
    assert sorted(verdicts.values()) == ["different", "different", "same"]


def test_an_undated_mention_joins_the_only_signing(store: GraphStore) -> None:
    resolution.write_document(store, agreement_document("tin_2021.txt", "2021-05-10", "2021-2023"))
    resolution.write_document(store, agreement_document("kh_nhac_lai.txt", None))
    (agreement,) = store.agreements_between("Bình Phước", "Tây Ninh")
    assert agreement.date == "2021-05-10"
    assert {s.document for s in agreement.sources} == {"tin_2021.txt", "kh_nhac_lai.txt"}


def test_an_undated_mention_between_two_signings_waits_for_review(store: GraphStore) -> None:
    resolution.write_document(store, agreement_document("tin_2021.txt", "2021-05-10"))
    resolution.write_document(store, agreement_document("tin_2024.txt", "2024-06-01"))
    resolution.write_document(store, agreement_document("kh_nhac_lai.txt", None))
    assert len(store.agreements_between("Bình Phước", "Tây Ninh")) == 3
    queue = resolution.review_queue(store)
    assert [p.judgement.judgement for p in queue] == ["unsure", "unsure"]
    assert all(p.left is not None and p.right is not None for p in queue)


def test_removing_a_document_judges_again_what_it_supported(store: GraphStore) -> None:
    ingest(store, "kh_binh_phuoc.txt", WITHOUT_PHONE)
    ingest(store, "kh_tay_ninh.txt", WITH_PHONE)
    resolution.remove_document(store, "kh_tay_ninh.txt")
    (answer,) = store.contacts("Hội thi ẩm thực mùa thu")
    assert answer.phone is None
    assert not [j for j in store.judgements() if j.kind == "Person"]
    (mention,) = [n.id for n in store.mention_graphs()["kh_binh_phuoc.txt"].nodes if n.kind == "Person"]
    assert store.node(mention) is not None and "mentions" not in store.node(mention).properties


UNSURE_A = plan("Bình Phước", 77, [
    ("Trại hè thiếu nhi biên giới", "Tỉnh đoàn Bình Phước", "Ông Hà Văn Thử - Phó Bí thư, điện thoại: 0911.000.401"),
])
UNSURE_B = plan("Bình Phước", 78, [
    ("Giải việt dã truyền thống", "Sở Văn hóa, Thể thao và Du lịch tỉnh Bình Phước", "Ông Hà Văn Thử - Phó Bí thư"),
])


def _people(store: GraphStore, name: str) -> set[str]:
    """Person nodes with this name, a typo in it included (the plans here name no one else)."""
    people = store.subgraph(GraphFilter(kinds=["Person"])).nodes
    assert all(fuzz.ratio(p.name, name) > 90 for p in people)
    return {p.id for p in people}


def test_a_person_decides_an_unsure_pair_and_can_take_it_back(store: GraphStore) -> None:
    ingest(store, "kh_a.txt", UNSURE_A)
    ingest(store, "kh_b.txt", UNSURE_B)
    (pair,) = resolution.review_queue(store)
    assert pair.judgement.judgement == "unsure" and pair.left.name == pair.right.name == "Hà Văn Thử"
    assert len(_people(store, "Hà Văn Thử")) == 2
    made = resolution.decide(store, pair.judgement.left, pair.judgement.right, "same", "reviewer")
    assert made.decided_by == "person:reviewer"
    assert len(_people(store, "Hà Văn Thử")) == 1
    assert resolution.review_queue(store) == []
    (contact,) = store.contacts("Giải việt dã truyền thống")
    assert contact.phone == "0911.000.401"
    resolution.undo(store, made.id)
    assert len(_people(store, "Hà Văn Thử")) == 2
    assert len(resolution.review_queue(store)) == 1


def test_a_person_s_decision_outranks_the_rules_and_survives_re_ingesting_every_document(store: GraphStore) -> None:
    ingest(store, "kh_binh_phuoc.txt", WITHOUT_PHONE)
    ingest(store, "kh_tay_ninh.txt", WITH_PHONE)
    (rule,) = [j for j in store.judgements() if j.kind == "Person"]
    assert len(_people(store, "Đoàn Thị Thử")) == 1
    resolution.decide(store, rule.left, rule.right, "different", "reviewer")
    assert len(_people(store, "Đoàn Thị Thử")) == 2
    for name in ("kh_binh_phuoc.txt", "kh_tay_ninh.txt"):
        resolution.remove_document(store, name)
    assert ingest(store, "kh_tay_ninh.txt", WITH_PHONE) == "added"
    assert ingest(store, "kh_binh_phuoc.txt", WITHOUT_PHONE) == "added"
    assert len(_people(store, "Đoàn Thị Thử")) == 2
    (answer,) = store.contacts("Hội thi ẩm thực mùa thu")
    assert answer.phone is None
    judged = store.judgements()
    assert ingest(store, "kh_binh_phuoc.txt", WITHOUT_PHONE) == "unchanged"
    assert store.judgements() == judged  # re-ingest gives the same decisions, with the same times
    rules = [j for j in store.judgements() if j.kind == "Person" and j.decided_by == "rule"]
    assert [j.judgement for j in rules] == ["same"]  # the rule still thinks so; the person's word counts


def test_review_on_the_command_line_takes_same_and_undo(tmp_path: Path) -> None:
    db = tmp_path / "db"
    for name, data in (("kh_a.txt", UNSURE_A), ("kh_b.txt", UNSURE_B)):
        (tmp_path / name).write_bytes(data)
    assert lienket(db, "ingest", str(tmp_path / "kh_a.txt"), str(tmp_path / "kh_b.txt")).returncode == 0
    shown = lienket(db, "review", stdin="s\n")
    assert "Hà Văn Thử" in shown.stdout and "same title" in shown.stdout
    assert len(_people(EmbeddedStore(db), "Hà Văn Thử")) == 2
    decided = lienket(db, "review", "--who", "tester", stdin="y\n")
    judgement_id = re.search(r"--undo (\S+)", decided.stdout).group(1)
    assert len(_people(EmbeddedStore(db), "Hà Văn Thử")) == 1
    assert lienket(db, "review").stdout.strip() == "Nothing to review."
    assert lienket(db, "review", "--undo", judgement_id).returncode == 0
    assert len(_people(EmbeddedStore(db), "Hà Văn Thử")) == 2
    assert lienket(db, "review", "--undo", judgement_id).returncode == 1


def test_review_over_http_needs_the_write_key(store: GraphStore) -> None:
    ingest(store, "kh_a.txt", UNSURE_A)
    ingest(store, "kh_b.txt", UNSURE_B)
    client = make_client(store)
    (pair,) = client.get("/review/pairs").json()
    assert pair["left"]["name"] == pair["right"]["name"] == "Hà Văn Thử"
    body = {"left": pair["judgement"]["left"], "right": pair["judgement"]["right"], "judgement": "same"}
    assert client.post("/review/judgements", json=body).status_code == 401
    assert client.post("/review/judgements", json=body, headers={"X-API-Key": "wrong"}).status_code == 403
    unknown = {**body, "left": "person:does-not-exist"}
    assert client.post("/review/judgements", json=unknown, headers={"X-API-Key": API_KEY}).status_code == 404
    made = client.post("/review/judgements", json={**body, "who": "tester"}, headers={"X-API-Key": API_KEY})
    assert made.status_code == 200 and made.json()["decided_by"] == "person:tester"
    assert client.get("/review/pairs").json() == []
    assert len(_people(store, "Hà Văn Thử")) == 1
    judgement_id = made.json()["id"]
    assert client.delete(f"/review/judgements/{judgement_id}").status_code == 401
    assert client.delete(f"/review/judgements/{judgement_id}", headers={"X-API-Key": API_KEY}).status_code == 200
    assert len(client.get("/review/pairs").json()) == 1
    assert client.delete(f"/review/judgements/{judgement_id}", headers={"X-API-Key": API_KEY}).status_code == 404


def test_a_question_ending_with_a_locality_asks_about_that_locality_s_plan(store: GraphStore) -> None:
    """Two provinces' plans list the same city event, each with its own contact; the question says whose."""
    event = "Tuần lễ trái cây miệt vườn năm 2024"
    ingest(store, "kh_binh_phuoc.txt", plan("Bình Phước", 79, [
        (event, "Sở Công Thương tỉnh Bình Phước", "Sở Công Thương TP.HCM (Ông Mạc Văn Thử - Chuyên viên)")]))
    ingest(store, "kh_tay_ninh.txt", plan("Tây Ninh", 80, [
        (event, "Sở Công Thương tỉnh Tây Ninh", "Sở Công Thương TP.HCM (Bà Ninh Thị Mẫu - Chuyên viên)")]))
    assert {c.person for c in store.contacts(event)} == {"Mạc Văn Thử", "Ninh Thị Mẫu"}
    for question in (f"liên hệ {event} phía tỉnh Tây Ninh", f"đầu mối {event} (kế hoạch của tỉnh Tây Ninh)"):
        assert [c.person for c in store.contacts(question)] == ["Ninh Thị Mẫu"]
    assert store.contacts(f"{event} phía tỉnh Đồng Nai") == []


def test_a_question_ending_with_a_cooperation_s_pair_asks_about_their_plans(store: GraphStore) -> None:
    """A task asked with the pair of the cooperation it belongs to ("... Bình Phước - Tây Ninh"): both
    places are the question's context, neither is part of the task's name."""
    event = "Hội chẩn ca bệnh khó qua cầu truyền hình"
    ingest(store, "kh_binh_phuoc.txt", plan("Bình Phước", 79, [
        (event, "Sở Y tế tỉnh Bình Phước", "Sở Y tế tỉnh Bình Phước (Ông Mạc Văn Thử - Chuyên viên)")]))
    ingest(store, "kh_tay_ninh.txt", plan("Tây Ninh", 80, [
        ("Tập huấn điều dưỡng", "Sở Y tế tỉnh Tây Ninh", "Sở Y tế tỉnh Tây Ninh (Bà Ninh Thị Mẫu - Chuyên viên)")]))
    for pair in ("Bình Phước - Tây Ninh", "Tây Ninh và Bình Phước"):
        assert [c.person for c in store.contacts(f"hoi chan ca benh kho {pair}")] == ["Mạc Văn Thử"]
    assert store.contacts("hoi chan ca benh kho Đồng Nai - Tây Ninh") == []
