"""The store contract: every backend answers every question the same way.

Each test runs once per backend through the ``store`` / ``filled_store`` fixtures
(embedded, and a real Neo4j); the parity tests then compare the two backends answer by
answer, on the factory documents and on the real ingest of samples/. Neo4j-only checks
(raw node counts, atomic and concurrent writes, read-only Cypher) are at the end.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.answers import asked_years, of_other_years
from graph.embedded import EmbeddedStore
from graph.model import DocumentGraph, Node, Relationship, Source
from graph.store import (
    ANSWER_DOCUMENTS,
    CypherNotSupported,
    CypherRefused,
    CypherTimedOut,
    GraphFilter,
    GraphStore,
)
from graph.text import tokens
from tests.conftest import open_backend
from tests.factory import (
    MOU_DOC,
    PLAN_DOC,
    contact_list_document,
    investment_document,
    isolated_document,
    mou_document,
    plan_document,
    regional_document,
)


def expected_counts(*docs: DocumentGraph) -> tuple[dict[str, int], dict[str, int]]:
    """Node counts by kind and relationship counts by type of the union of documents."""
    kinds = {n.id: n.kind for d in docs for n in d.nodes}
    types = {r.id: r.type for d in docs for r in d.relationships}
    return dict(Counter(kinds.values())), dict(Counter(types.values()))


# --- the users' questions -------------------------------------------------------------------------
def test_contacts_of_an_event_named_in_vietnamese(filled_store: GraphStore) -> None:
    answers = filled_store.contacts("Hội chợ cà phê và nông sản Tây Nguyên")
    assert answers[0].task_id == "task:hoi-cho"
    assert (answers[0].person, answers[0].title, answers[0].phone) == ("Lê Thị Mẫu", "Phó phòng", "0901.234.567")
    assert answers[0].organization == "Sở Công Thương Thành phố Hồ Chí Minh"
    assert {s.document for s in answers[0].sources} == {PLAN_DOC}


def test_contacts_without_accents(filled_store: GraphStore) -> None:
    answers = filled_store.contacts("hoi cho ca phe nong san")
    assert [a.person for a in answers] == ["Lê Thị Mẫu"]


def test_contacts_with_abbreviations(filled_store: GraphStore) -> None:
    filled_store.write_document(investment_document())
    answers = filled_store.contacts("hội nghị XTĐT&HTDN tại TP.HCM")
    assert [(a.task_id, a.person, a.phone) for a in answers] == [("task:xtdt", "Đỗ Thị Thử", "0933.000.222")]


def test_contacts_of_an_activity_nobody_does(filled_store: GraphStore) -> None:
    assert filled_store.contacts("nhảy dù trên biển") == []


def test_a_question_naming_a_year_is_not_answered_with_a_task_of_another_year(filled_store: GraphStore) -> None:
    # the fair is of 2024-09, the training of 2024: an edition of another year may have other contacts and leads
    assert filled_store.contacts("Hội chợ cà phê và nông sản Tây Nguyên năm 2023") == []
    assert [a.person for a in filled_store.contacts("hội chợ cà phê nông sản Tây Nguyên 2024")] == ["Lê Thị Mẫu"]
    assert filled_store.lead("tập huấn nuôi ong lấy mật 2025") == []
    assert [a.task_id for a in filled_store.lead("tập huấn nuôi ong lấy mật 2024")] == ["task:ong"]


def test_a_year_the_task_name_writes_is_part_of_its_name_not_the_time_asked(store: GraphStore) -> None:
    doc = PLAN_DOC
    row = "3 | Bồi dưỡng giáo viên theo chương trình GDPT 2018 | Sở Giáo dục và Đào tạo tỉnh Đắk Nông | 2024"
    graph = DocumentGraph(document=doc, sha256="test-year-in-name", nodes=[
        Node(id="org:sgd-dn", kind="Organization", name="Sở Giáo dục và Đào tạo tỉnh Đắk Nông",
             sources=[Source(document=doc, quote=row)]),
        Node(id="task:gdpt", kind="Task", name="Bồi dưỡng giáo viên theo chương trình GDPT 2018",
             properties={"timeframe": "2024"}, sources=[Source(document=doc, quote=row)])],
        relationships=[Relationship(id="rel:gdpt-lead", type="LED_BY", start="task:gdpt", end="org:sgd-dn",
                                    sources=[Source(document=doc, quote=row)])])
    store.write_document(graph)
    assert [a.task_id for a in store.lead("bồi dưỡng giáo viên chương trình GDPT 2018")] == ["task:gdpt"]


def test_the_years_a_question_names_and_the_tasks_of_other_years() -> None:
    assert asked_years("hội chợ năm 2023, 2024; giai đoạn 2026 – 2030") == [(2023, 2023), (2024, 2024), (2026, 2030)]
    assert asked_years("kế hoạch 1487/KH-UBND, số 2.2024 hay 0208.2023") == []  # numbers, not years
    period = Node(id="task:p", kind="Task", name="Tập huấn", properties={"timeframe": "2023-2025"})
    assert not of_other_years(period, [(2024, 2024)]) and of_other_years(period, [(2026, 2030)])
    undated = Node(id="task:u", kind="Task", name="Tuần hàng nông sản năm 2022")  # no timeframe: the year it writes
    assert of_other_years(undated, [(2023, 2023)]) and not of_other_years(undated, [(2021, 2022)])
    assert not of_other_years(Node(id="task:n", kind="Task", name="Tập huấn"), [(2023, 2023)])  # of no known year


def test_a_page_of_contacts_is_that_slice_of_all_of_them_with_their_total(filled_store: GraphStore) -> None:
    filled_store.write_document(investment_document())
    every = filled_store.contacts("hội")
    assert [a.task_id for a in every] == ["task:hoi-cho", "task:xtdt"]  # the better score first
    for offset, limit in ((0, 1), (1, 1), (1, 5), (2, 5), (0, None)):
        page = filled_store.contacts_page("hội", offset, limit)
        assert page.items == every[offset:None if limit is None else offset + limit]
        assert page.total == 2
    assert filled_store.contacts_page("nhảy dù trên biển", 0, 10).total == 0


def test_partners_of_a_district(filled_store: GraphStore) -> None:
    answers = filled_store.partners("Quận 3")
    assert [(a.locality, a.agreement_id, a.date) for a in answers] == [
        ("Huyện Tuy Đức, Tỉnh Đắk Nông", "agr:q3-tuyduc", "2024-03-12")]


def test_partners_of_a_city_by_abbreviation(filled_store: GraphStore) -> None:
    answers = filled_store.partners("TP.HCM")
    assert [(a.locality_id, a.agreement_id) for a in answers] == [("loc:67", "agr:hcm-dn")]


def test_agreements_between_two_districts(filled_store: GraphStore) -> None:
    answers = filled_store.agreements_between("Tuy Đức", "Quận 3")
    assert [a.id for a in answers] == ["agr:q3-tuyduc"]
    assert answers[0].sectors == ["an sinh xã hội", "văn hóa"]
    assert answers[0].parties == ["Ủy ban nhân dân huyện Tuy Đức", "Ủy ban nhân dân Quận 3"]


def test_agreements_between_provinces_without_accents(filled_store: GraphStore) -> None:
    answers = filled_store.agreements_between("TPHCM", "Dak Nong")
    assert [a.id for a in answers] == ["agr:hcm-dn"]
    assert answers[0].sectors == ["nông nghiệp", "thương mại"]


def test_parties_that_each_cooperate_with_a_convener_have_no_agreement_with_each_other(store: GraphStore) -> None:
    from ingest.pipeline import ingest_bytes

    text = ("Tin\n\nNgày 7/5/2024, UBND tỉnh Thái Bình ký kết chương trình hợp tác với UBND các tỉnh Hà Giang, "
            "Cao Bằng và Bắc Kạn giai đoạn 2024 - 2028.\n")
    assert ingest_bytes(store, "tin_hop_tac.txt", text.encode()).status == "added"
    assert len(store.agreements_between("tỉnh Thái Bình", "tỉnh Cao Bằng")) == 1
    assert store.agreements_between("tỉnh Cao Bằng", "tỉnh Bắc Kạn") == []


def test_an_agreement_whose_announced_fields_were_not_read_is_no_answer_until_a_document_reads_them(
        store: GraphStore) -> None:
    from ingest.pipeline import ingest_bytes

    signing = ("Tin\n\nNgày 9/4/2024, UBND tỉnh Trà Vinh và UBND tỉnh Yên Bái ký kết thỏa thuận hợp tác trên 5 lĩnh "
               "vực giai đoạn 2024 - 2028.\n")
    assert ingest_bytes(store, "tin_travinh_yenbai.txt", signing.encode()).status == "added"
    assert store.agreements_between("tỉnh Trà Vinh", "tỉnh Yên Bái") == []
    assert [p.date for p in store.partners("tỉnh Trà Vinh")] == ["2024-04-09"]
    fields = ("Tin\n\nTheo thỏa thuận ký ngày 9/4/2024 giữa UBND tỉnh Trà Vinh và UBND tỉnh Yên Bái, hai tỉnh hợp tác "
              "trên các lĩnh vực: du lịch; thương mại; nông nghiệp; y tế; giáo dục.\n")
    assert ingest_bytes(store, "tin_travinh_yenbai_2.txt", fields.encode()).status == "added"
    (agreement,) = store.agreements_between("tỉnh Trà Vinh", "tỉnh Yên Bái")
    assert {"du lịch", "y tế"} <= set(agreement.sectors)


def test_words_that_also_frame_questions_count_in_full_in_a_name() -> None:
    """'đầu', 'mới', 'ở' are content words of names ('đầu tư'); the question layer, not their weight,
    keeps question phrasing ('ai là đầu mối') from counting."""
    from graph.matching import rank, tokens

    names = {"with": [tokens("Hội thảo thu hút đầu tư")], "without": [tokens("Hội thảo thu hút")]}
    assert [cid for cid, _ in rank(tokens("hội thảo thu hút đầu tư"), "contact", names)] == ["with"]
    assert [cid for cid, _ in rank(tokens("ai là đầu mối hội thảo thu hút"), "contact", names)][:1] == ["without"]


def test_lead_of_a_task(filled_store: GraphStore) -> None:
    answers = filled_store.lead("nuôi ong lấy mật")
    assert [(a.task_id, a.organization_id) for a in answers] == [("task:ong", "org:snn-dn")]


def test_a_page_of_lead_agencies_is_that_slice_of_all_of_them_with_their_total(filled_store: GraphStore) -> None:
    filled_store.write_document(investment_document())
    every = filled_store.lead("hội")
    assert [(a.task_id, a.organization_id) for a in every] == [("task:hoi-cho", "org:sct-dn"),
                                                                ("task:xtdt", "org:xtdt-hcm")]
    for offset, limit in ((0, 1), (1, 1), (1, 5), (2, 5), (0, None)):
        page = filled_store.lead_page("hội", offset, limit)
        assert page.items == every[offset:None if limit is None else offset + limit]
        assert page.total == 2


def test_person_merges_what_both_documents_say(filled_store: GraphStore) -> None:
    answers = filled_store.person("Phạm Văn Mẫu")
    assert len(answers) == 1
    position = answers[0]
    assert (position.title, position.organization_id, position.phone) == ("Chủ tịch", "org:ubnd-q3", "0987.654.321")
    assert {s.document for s in position.sources} == {MOU_DOC, PLAN_DOC}


def test_org_tasks_by_abbreviation_and_role(filled_store: GraphStore) -> None:
    assert [(a.task_id, a.role) for a in filled_store.org_tasks("Sở NN&PTNT tỉnh Đắk Nông")] == [("task:ong", "lead")]
    assert filled_store.org_tasks("Sở Công Thương TP.HCM") == []  # it leads nothing
    coordinated = filled_store.org_tasks("Sở Công Thương TP.HCM", coordinating=True)
    assert [(a.task_id, a.role) for a in coordinated] == [("task:hoi-cho", "coordinate")]


def test_a_body_asked_with_another_place_is_not_the_body_found(filled_store: GraphStore) -> None:
    # every other word of the department's name is there: the place written with it decides
    assert filled_store.org_tasks("Sở NN&PTNT tỉnh Đắk Lắk") == []
    assert [a.task_id for a in filled_store.org_tasks("So NN&PTNT tinh Dak Nong")] == ["task:ong"]


def test_find_tasks_and_agreements(filled_store: GraphStore) -> None:
    assert [t.task_id for t in filled_store.find_tasks()] == ["task:hoi-cho", "task:ong"]
    assert [t.task_id for t in filled_store.find_tasks(place="TP.HCM")] == ["task:hoi-cho"]
    assert [a.id for a in filled_store.find_agreements(year=2023)] == ["agr:hcm-dn"]
    assert [a.id for a in filled_store.find_agreements(party="Quận 3")] == ["agr:q3-tuyduc"]


# --- the graph -----------------------------------------------------------------------------------------
def test_search_ranks_and_filters_by_kind(filled_store: GraphStore) -> None:
    hits = filled_store.search("ho chi minh")
    assert hits[0].id == "loc:79"
    assert hits == sorted(hits, key=lambda h: (-h.score, h.kind, h.id))
    organizations = filled_store.search("ho chi minh", kinds=["Organization"])
    assert [h.id for h in organizations] == ["org:sct-hcm"]
    assert filled_store.search("ho chi minh", limit=1) == hits[:1]


def test_a_search_page_is_a_slice_of_the_best_hits(filled_store: GraphStore) -> None:
    """The API's page: only its hits are read, the same as the slice of the whole answer, and the total
    counts the best ``most`` hits."""
    hits = filled_store.search("ho chi minh", limit=100)
    assert len(hits) == 3
    for offset, limit, most in [(0, 2, None), (1, 2, None), (1, 100, 2), (0, 100, 2), (len(hits), 5, None)]:
        page = filled_store.search_page("ho chi minh", None, offset, limit, most)
        best = hits[:most]
        assert (page.items, page.total) == (best[offset:offset + limit], len(best))


def test_neighbourhood_depth_one_and_two(filled_store: GraphStore) -> None:
    one = filled_store.neighbourhood("loc:67-667", depth=1)
    assert {n.id for n in one.nodes} == {"loc:67-667", "loc:67", "org:ubnd-tuyduc"}
    assert {r.type for r in one.relationships} == {"PART_OF", "OF"}
    two = filled_store.neighbourhood("loc:67-667", depth=2)
    assert {n.id for n in one.nodes} < {n.id for n in two.nodes}
    assert {"agr:q3-tuyduc", "agr:hcm-dn", "org:ubnd-dn", "org:sct-dn", "org:snn-dn"} <= {n.id for n in two.nodes}
    assert len(filled_store.neighbourhood("loc:67-667", depth=2, limit=3).nodes) == 3
    with pytest.raises(KeyError):
        filled_store.neighbourhood("loc:nowhere")


def test_a_neighbourhoods_json_is_its_graph_with_the_first_documents_sources(filled_store: GraphStore) -> None:
    """What the API sends for a neighbourhood: the bytes of its Graph, each fact cut to its first documents."""
    for node_id, depth, limit in (("loc:67-667", 1, 500), ("loc:67-667", 2, 500), ("loc:79", 2, 500),
                                  ("person:q3-chair", 3, 7)):
        graph = filled_store.neighbourhood(node_id, depth, limit, first_documents=ANSWER_DOCUMENTS)
        assert graph.nodes and graph.relationships
        assert filled_store.neighbourhood_json(node_id, depth, limit) == graph.model_dump_json().encode()
    with pytest.raises(KeyError):
        filled_store.neighbourhood_json("loc:nowhere")


def test_shortest_path(filled_store: GraphStore) -> None:
    path = filled_store.shortest_path("person:le-thi-mau", "org:ubnd-tuyduc")
    assert path is not None
    ids = [n.id for n in path.nodes]
    assert (ids[0], ids[-1]) == ("person:le-thi-mau", "org:ubnd-tuyduc")
    assert len(path.relationships) == len(ids) - 1
    for rel, a, b in zip(path.relationships, ids, ids[1:]):
        assert {rel.start, rel.end} == {a, b}
    filled_store.write_document(isolated_document())
    assert filled_store.shortest_path("loc:79", "sector:y-te") is None
    with pytest.raises(KeyError):
        filled_store.shortest_path("loc:79", "loc:nowhere")


def test_counts(filled_store: GraphStore) -> None:
    nodes, rels = expected_counts(mou_document(), plan_document())
    counts = filled_store.counts()
    assert (counts.nodes, counts.relationships, counts.documents) == (nodes, rels, 2)


def test_subgraph_filters(filled_store: GraphStore) -> None:
    whole = filled_store.subgraph()
    nodes, rels = expected_counts(mou_document(), plan_document())
    assert (len(whole.nodes), len(whole.relationships)) == (sum(nodes.values()), sum(rels.values()))
    people = filled_store.subgraph(GraphFilter(kinds=["Person", "Organization"]))
    assert {n.kind for n in people.nodes} == {"Person", "Organization"}
    assert {r.type for r in people.relationships} == {"HOLDS"}
    trade = {n.id for n in filled_store.subgraph(GraphFilter(sector="thương mại")).nodes}
    assert {"task:hoi-cho", "agr:hcm-dn", "org:sct-dn"} <= trade and "task:ong" not in trade
    signed_2023 = {n.id for n in filled_store.subgraph(GraphFilter(year=2023, kinds=["Agreement"])).nodes}
    assert signed_2023 == {"agr:hcm-dn"}
    tuy_duc = {n.id for n in filled_store.subgraph(GraphFilter(locality="Tuy Đức")).nodes}
    assert {"agr:q3-tuyduc", "org:ubnd-tuyduc", "org:ubnd-q3"} <= tuy_duc and "task:hoi-cho" not in tuy_duc


def test_node_and_documents(filled_store: GraphStore) -> None:
    city = filled_store.node("loc:79")
    assert city is not None
    assert (city.kind, city.name, city.aliases) == ("Locality", "Thành phố Hồ Chí Minh", ["TP.HCM"])
    assert city.properties["latitude"] == 10.8231
    assert {s.document for s in city.sources} == {MOU_DOC, PLAN_DOC}
    assert filled_store.node("loc:nowhere") is None
    documents = filled_store.documents()
    assert [(d.document, d.sha256, d.nodes) for d in documents] == [
        (MOU_DOC, "test-mou", len(mou_document().nodes)), (PLAN_DOC, "test-plan", len(plan_document().nodes))]


# --- writing and removing ---------------------------------------------------------------------------
def test_rewriting_a_document_changes_nothing(filled_store: GraphStore) -> None:
    before, counts_before = filled_store.subgraph(), filled_store.counts()
    summary = filled_store.write_document(plan_document())
    assert (summary.status, summary.nodes_added, summary.relationships_added) == ("unchanged", 0, 0)
    assert filled_store.counts() == counts_before
    after = filled_store.subgraph()
    assert [n.id for n in after.nodes] == [n.id for n in before.nodes]
    assert [r.id for r in after.relationships] == [r.id for r in before.relationships]
    assert after == before


def test_a_document_text_is_kept_apart_and_removed_with_its_document(filled_store: GraphStore) -> None:
    counts = filled_store.counts()
    assert filled_store.document_text(PLAN_DOC) is None  # written without text (an import, an older store)
    filled_store.save_document_text(PLAN_DOC, "KẾ HOẠCH\nđoạn một")
    filled_store.save_document_text(PLAN_DOC, "KẾ HOẠCH\nđoạn hai")
    assert filled_store.document_text(PLAN_DOC) == "KẾ HOẠCH\nđoạn hai"
    assert filled_store.counts() == counts  # not a node of the graph
    assert filled_store.write_document(plan_document()).status == "unchanged"
    assert filled_store.document_text(PLAN_DOC) == "KẾ HOẠCH\nđoạn hai"
    with pytest.raises(KeyError):
        filled_store.save_document_text("unknown.txt", "text")
    filled_store.remove_document(PLAN_DOC)
    assert filled_store.document_text(PLAN_DOC) is None
    filled_store.write_document(plan_document())
    assert filled_store.document_text(PLAN_DOC) is None  # the text went with the document


def test_a_changed_document_replaces_its_claims(filled_store: GraphStore) -> None:
    changed = plan_document()
    changed.sha256 = "test-plan-2"
    changed.nodes = [n for n in changed.nodes if n.id != "task:ong"]
    changed.relationships = [r for r in changed.relationships if "task:ong" not in (r.start, r.end)]
    summary = filled_store.write_document(changed)
    assert (summary.status, summary.nodes_added) == ("replaced", 0)
    assert filled_store.node("task:ong") is None
    assert filled_store.lead("nuôi ong lấy mật") == []


def test_removing_a_document_keeps_what_another_supports(filled_store: GraphStore) -> None:
    summary = filled_store.remove_document(MOU_DOC)
    assert (summary.nodes_deleted, summary.relationships_deleted) == (4, 5)
    committee = filled_store.node("org:ubnd-q3")
    assert committee is not None
    assert {s.document for s in committee.sources} == {PLAN_DOC}
    assert filled_store.node("agr:q3-tuyduc") is None and filled_store.node("org:ubnd-tuyduc") is None
    assert filled_store.partners("Quận 3") == []
    assert [p.organization_id for p in filled_store.person("Phạm Văn Mẫu")] == ["org:ubnd-q3"]
    nodes, rels = expected_counts(plan_document())
    counts = filled_store.counts()
    assert (counts.nodes, counts.relationships, counts.documents) == (nodes, rels, 1)
    assert [d.document for d in filled_store.documents()] == [PLAN_DOC]


def test_a_relationship_waits_for_the_node_another_document_brings(store: GraphStore) -> None:
    contacts, investment = contact_list_document(), investment_document()
    store.write_document(contacts)
    assert store.counts().relationships == {} and store.person("Đỗ Thị Thử") == []
    store.write_document(investment)
    assert [p.organization_id for p in store.person("Đỗ Thị Thử")] == ["org:xtdt-hcm"]
    store.remove_document(investment.document)
    assert store.counts().relationships == {} and store.node("person:do-thi-thu") is not None
    assert [(d.document, d.relationships) for d in store.documents()] == [(contacts.document, 1)]
    store.write_document(investment)
    assert store.write_document(contacts).status == "unchanged"
    positions = store.person("Đỗ Thị Thử")
    assert [(p.organization_id, p.title) for p in positions] == [("org:xtdt-hcm", "Chuyên viên")]
    assert {s.document for s in positions[0].sources} == {contacts.document}


def test_removing_an_unknown_document_raises(filled_store: GraphStore) -> None:
    with pytest.raises(KeyError):
        filled_store.remove_document("never_ingested.txt")


def test_clear_empties_the_store(filled_store: GraphStore) -> None:
    filled_store.clear()
    counts = filled_store.counts()
    assert (counts.nodes, counts.relationships, counts.documents) == ({}, {}, 0)


# --- both backends alike --------------------------------------------------------------------------
QUERIES: list[tuple[str, tuple[Any, ...]]] = [
    ("contacts", ("hội chợ cà phê",)), ("contacts", ("hoi nghi XTDT&HTDN",)), ("contacts", ("nhảy dù",)),
    ("partners", ("Quận 3",)), ("partners", ("TP.HCM",)), ("partners", ("Đắk Nông",)), ("partners", ("Lâm Đồng",)),
    ("agreements_between", ("Quận 3", "Tuy Đức")), ("agreements_between", ("TPHCM", "Đắk Nông")),
    ("lead", ("nuoi ong lay mat",)), ("lead", ("hội chợ",)), ("person", ("Phạm Văn Mẫu",)), ("person", ("Le Thi Mau",)),
    ("org_tasks", ("Sở NN&PTNT tỉnh Đắk Nông",)), ("org_tasks", ("Sở Công Thương",)),
    ("search", ("ho chi minh",)), ("search", ("so cong thuong", ["Organization"], 5)),
    ("neighbourhood", ("loc:79", 1)), ("neighbourhood", ("loc:79", 2)), ("neighbourhood", ("person:q3-chair", 3, 7)),
    ("shortest_path", ("sector:dau-tu", "org:xtdt-hcm")), ("shortest_path", ("loc:79", "loc:79")),
    ("shortest_path", ("loc:79", "sector:y-te")),
    ("counts", ()), ("documents", ()), ("node", ("org:ubnd-q3",)), ("subgraph", ()),
    ("subgraph", (GraphFilter(kinds=["Task", "Person"]),)), ("subgraph", (GraphFilter(sector="nông nghiệp"),)),
    ("subgraph", (GraphFilter(year=2024),)), ("subgraph", (GraphFilter(locality="Đắk Nông"),)),
    ("find_tasks", ()), ("find_tasks", (None, None, "thương mại")), ("find_tasks", (None, None, None, "2024-09")),
    ("find_agreements", ()), ("find_agreements", ("TP.HCM",)),
    # Typos, words the full-text analyzer drops ("an", "to", "the" ...), and nothing at all.
    ("contacts", ("hoi cho ca phe nong sam",)), ("lead", ("tap huan nuoi ong lay mat ong",)),
    ("search", ("an",)), ("search", ("an sinh",)), ("search", ("an sinh xa hoi to the",)),
    ("search", ("Tuy Duc the",)), ("search", ("",)), ("search", ("!!!",)), ("person", ("Tran Van Thu",)),
]


def _dump(value: Any) -> Any:
    if isinstance(value, list):
        return [_dump(v) for v in value]
    return value.model_dump() if value is not None else None


def parity_documents() -> list[DocumentGraph]:
    return [mou_document(), plan_document(), investment_document(), isolated_document(), regional_document()]


@pytest.fixture(scope="module")
def parity_stores(request: pytest.FixtureRequest,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GraphStore, GraphStore]]:
    """An embedded and a Neo4j store, opened once for the module."""
    embedded = EmbeddedStore(tmp_path_factory.mktemp("embedded"))
    neo4j = open_backend("neo4j", tmp_path_factory.mktemp("unused"), request)
    for doc in parity_documents():
        embedded.write_document(doc)
    yield embedded, neo4j
    neo4j.close()


@pytest.fixture
def both_backends(parity_stores: tuple[GraphStore, GraphStore]) -> tuple[GraphStore, GraphStore]:
    """Both stores holding the same five documents (Neo4j refilled when another test cleared it)."""
    embedded, neo4j = parity_stores
    if neo4j.documents() != embedded.documents():
        neo4j.clear()
        for doc in parity_documents():
            neo4j.write_document(doc)
    return embedded, neo4j


@pytest.mark.neo4j
@pytest.mark.parametrize(("method", "args"), QUERIES, ids=[f"{m}{a}" for m, a in QUERIES])
def test_backends_give_identical_answers(both_backends: tuple[GraphStore, GraphStore], method: str,
                                         args: tuple[Any, ...]) -> None:
    embedded, neo4j = both_backends
    assert _dump(getattr(neo4j, method)(*args)) == _dump(getattr(embedded, method)(*args))


def typo(word: str) -> str:
    """The word with its second letter doubled: one insertion away."""
    return word[:2] + word[1:]


@pytest.mark.neo4j
def test_backends_search_alike_for_every_word_and_typo(both_backends: tuple[GraphStore, GraphStore]) -> None:
    """Each word of every name, and a one-letter-off spelling of it, finds the same nodes on both."""
    embedded, neo4j = both_backends
    names = [name for node in embedded.subgraph().nodes for name in [node.name, *node.aliases]]
    words = sorted({w for name in names for w in tokens(name)})
    for query in words + [typo(w) for w in words if len(w) >= 3]:
        assert neo4j.search(query, limit=100) == embedded.search(query, limit=100), query


SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.mark.neo4j
def test_backends_agree_on_the_sample_documents(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """The real ingest of samples/ into both backends: same graph, and the same answer to every
    question asked with every name in it."""
    from ingest.pipeline import collect_files, ingest_files

    embedded, neo4j = EmbeddedStore(tmp_path), open_backend("neo4j", tmp_path, request)
    files = collect_files([SAMPLES])
    assert files, "samples/ holds no documents"
    for store in (embedded, neo4j):
        assert {r.status for r in ingest_files(store, files)} == {"added"}
    assert [r.status for r in ingest_files(neo4j, files)] == ["unchanged"] * len(files)
    assert neo4j.subgraph() == embedded.subgraph() and neo4j.documents() == embedded.documents()
    names = sorted({name for node in embedded.subgraph().nodes for name in [node.name, *node.aliases]})
    for name in names:
        for question in ("contacts", "lead", "person", "org_tasks", "partners", "search"):
            assert getattr(neo4j, question)(name) == getattr(embedded, question)(name), (question, name)
    neo4j.remove_document(files[0].name)
    embedded.remove_document(files[0].name)
    assert neo4j.subgraph() == embedded.subgraph()
    neo4j.close()


@pytest.mark.neo4j
def test_backends_find_equally_short_paths(both_backends: tuple[GraphStore, GraphStore]) -> None:
    """Where several shortest paths exist, each backend may pick another: their lengths agree."""
    embedded, neo4j = both_backends
    for start, end in [("person:le-thi-mau", "org:ubnd-tuyduc"), ("person:do-thi-thu", "person:q3-chair")]:
        mine, reference = neo4j.shortest_path(start, end), embedded.shortest_path(start, end)
        assert mine is not None and reference is not None
        assert len(mine.nodes) == len(reference.nodes)
        assert (mine.nodes[0].id, mine.nodes[-1].id) == (start, end)


# --- Neo4j only (marked, so `-m "not neo4j"` leaves them out) ---------------------------------------------------------------------------------------
@pytest.fixture
def neo4j_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty Neo4j store."""
    store = open_backend("neo4j", tmp_path, request)
    yield store
    store.close()


WRITER = """
import sys
from api.settings import Settings
from graph.model import DocumentGraph, Node, Source

store = Settings.from_environment(None).model_copy(update={"lienket_backend": "neo4j"}).open_store()
for number in range(int(sys.argv[2])):
    doc = f"{sys.argv[1]}-{number}.txt"
    city = Node(id="loc:79", kind="Locality", name="Thành phố Hồ Chí Minh", sources=[Source(document=doc, quote=doc)])
    store.write_document(DocumentGraph(document=doc, sha256=doc, nodes=[city]))
store.close()
"""


@pytest.mark.neo4j
def test_concurrent_writers_keep_every_claim(neo4j_store: GraphStore, request: pytest.FixtureRequest) -> None:
    """Two processes writing documents about the same node at once: no claim is lost."""
    server = request.getfixturevalue("neo4j_server")
    env = {**os.environ, "NEO4J_URI": server.uri, "NEO4J_USER": server.user, "NEO4J_PASSWORD": server.password,
           "NEO4J_DATABASE": server.database}
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, name, "15"], env=env,
                                cwd=Path(__file__).resolve().parent.parent) for name in ("left", "right")]
    assert [w.wait(timeout=300) for w in writers] == [0, 0]
    city = neo4j_store.node("loc:79")
    assert city is not None
    assert len({s.document for s in city.sources}) == 30
    assert len(neo4j_store.documents()) == 30


def raw_counts(store: GraphStore) -> tuple[int, int]:
    """Every node and relationship in the database, whatever its label (no duplicates hide)."""
    result = store.read_cypher("MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n), count(r)", {}, 1, 10)
    return result.rows[0][0], result.rows[0][1]


@pytest.mark.neo4j
def test_writing_twice_to_neo4j_leaves_the_same_counts(neo4j_store: GraphStore) -> None:
    neo4j_store.write_document(plan_document())
    once = raw_counts(neo4j_store)
    neo4j_store.write_document(plan_document())
    changed = plan_document()
    changed.sha256 = "test-plan-again"
    assert neo4j_store.write_document(changed).status == "replaced"
    assert raw_counts(neo4j_store) == once


@pytest.mark.neo4j
def test_a_failing_write_leaves_nothing_half_written(neo4j_store: GraphStore) -> None:
    neo4j_store.write_document(mou_document())
    before = (raw_counts(neo4j_store), neo4j_store.subgraph(), neo4j_store.documents())
    broken = plan_document()
    # A lone surrogate cannot be encoded as UTF-8: the last statement of the transaction fails.
    broken.relationships[-1].properties["title"] = "\ud800"
    with pytest.raises(UnicodeEncodeError):
        neo4j_store.write_document(broken)
    assert (raw_counts(neo4j_store), neo4j_store.subgraph(), neo4j_store.documents()) == before


@pytest.mark.neo4j
def test_neo4j_nodes_read_naturally_in_cypher(neo4j_store: GraphStore) -> None:
    filled_store = neo4j_store
    filled_store.write_document(mou_document())
    filled_store.write_document(plan_document())
    result = filled_store.read_cypher(
        "MATCH (t:Task)-[c:CONTACT]->(p:Person) WHERE t.id = $id RETURN t.name AS task, p.name AS person, c.phone AS phone",
        {"id": "task:hoi-cho"}, 10, 10)
    assert result.columns == ["task", "person", "phone"]
    assert result.rows == [["Hội chợ cà phê và nông sản Tây Nguyên", "Lê Thị Mẫu", "0901.234.567"]]
    folded = filled_store.read_cypher(
        "CALL db.index.fulltext.queryNodes('lienket_names', $text) YIELD node RETURN node.id ORDER BY node.id",
        {"text": "tuy duc"}, 10, 10)
    assert ["loc:67-667"] in folded.rows
    whole = filled_store.read_cypher("MATCH (n:Organization {id: 'org:ubnd-q3'}) RETURN n", {}, 10, 10)
    assert whole.rows[0][0]["labels"] == ["Entity", "Organization"]
    assert whole.rows[0][0]["properties"]["documents"] == [MOU_DOC, PLAN_DOC]


WRITES = [
    "CREATE (n:Task {id: 'x'}) RETURN n",
    "MERGE (n:Task {id: 'x'}) RETURN n",
    "MATCH (n:Entity) SET n.name = 'x' RETURN count(n)",
    "MATCH (n:Entity) DETACH DELETE n",
    "MATCH (n:Entity) REMOVE n.name RETURN count(n)",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "CREATE INDEX hostile IF NOT EXISTS FOR (n:Task) ON (n.name)",
    "CALL db.createLabel('Hostile')",
    "MATCH (n:Entity) WITH n LIMIT 1 CALL { WITH n SET n.x = 1 } RETURN 1",
]


@pytest.mark.neo4j
@pytest.mark.parametrize("query", WRITES)
def test_read_cypher_refuses_writes(neo4j_store: GraphStore, query: str) -> None:
    neo4j_store.write_document(mou_document())
    before = (raw_counts(neo4j_store), neo4j_store.subgraph())
    with pytest.raises(CypherRefused):
        neo4j_store.read_cypher(query, {}, 10, 10)
    assert (raw_counts(neo4j_store), neo4j_store.subgraph()) == before
    labels = neo4j_store.read_cypher("CALL db.labels() YIELD label RETURN collect(label)", {}, 1, 10).rows[0][0]
    assert "Hostile" not in labels


@pytest.mark.neo4j
def test_read_cypher_caps_rows_and_converts_values(neo4j_store: GraphStore) -> None:
    neo4j_store.write_document(mou_document())
    capped = neo4j_store.read_cypher("UNWIND range(1, 10) AS i RETURN i", {}, 3, 10)
    assert (capped.rows, capped.truncated) == ([[1], [2], [3]], True)
    exact = neo4j_store.read_cypher("UNWIND range(1, 3) AS i RETURN i, date('2024-03-12') AS d", {}, 3, 10)
    assert (exact.rows[0], exact.truncated) == ([1, "2024-03-12"], False)
    path = neo4j_store.read_cypher("MATCH p = (:Organization {id: $id})-[:OF]->() RETURN p", {"id": "org:ubnd-q3"}, 1, 10)
    assert path.rows[0][0]["relationships"][0]["type"] == "OF"
    with pytest.raises(CypherRefused):
        neo4j_store.read_cypher("MATCH (n RETURN n", {}, 1, 10)


@pytest.mark.neo4j
def test_read_cypher_stops_a_long_query(neo4j_store: GraphStore) -> None:
    with pytest.raises(CypherTimedOut):
        neo4j_store.read_cypher("UNWIND range(1, 1000000000) AS i WITH i WHERE i < 0 RETURN count(i)", {}, 1, 0.5)


def test_embedded_store_has_no_cypher(tmp_path: Path) -> None:
    with pytest.raises(CypherNotSupported):
        EmbeddedStore(tmp_path).read_cypher("RETURN 1", {}, 1, 1)


def test_a_peoples_committee_in_a_question_stands_for_its_locality(filled_store: GraphStore) -> None:
    """Agreements list the locality a People's Committee signs for; asking by the committee finds them."""
    by_locality = filled_store.agreements_between("Quận 3", "huyện Tuy Đức")
    by_committee = filled_store.agreements_between("UBND Quận 3", "Ủy ban nhân dân huyện Tuy Đức")
    assert by_locality and [a.id for a in by_committee] == [a.id for a in by_locality]
    assert [p.locality for p in filled_store.partners("UBND Quận 3")] == [p.locality for p in filled_store.partners("Quận 3")]


def test_a_source_keeps_the_page_and_row_it_was_read_from(store: GraphStore) -> None:
    """Where a fact was read (a PDF's page, a table's row) comes back from either backend."""
    document = plan_document()
    task = next(n for n in document.nodes if n.kind == "Task")
    read_at = Source(document=document.document, quote=task.sources[0].quote, page=4, row=2)
    task.sources = [read_at]
    store.write_document(document)
    stored = store.node(task.id)
    assert stored is not None and stored.sources == [read_at]
