"""What keeps answers small and questions quick on a large store, on every backend.

- Candidates: a question reads from the index only the nodes holding enough of its rarer
  words (``graph.matching.words_to_look_up``); the answer is still the one that scoring every
  node of the kind would give, among hundreds of tasks named alike.
- Hubs: a neighbourhood or search answer gives each fact the sources of its first documents
  and says how many documents support it in all.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from graph.answers import Dated, dated
from graph.embedded import EmbeddedStore
from graph.matching import (
    Scorer,
    accept,
    best_match,
    folded_names,
    held_bound,
    near_words,
    question_phrases,
    rank,
    words_to_look_up,
)
from graph.model import DocumentGraph, Node, Relationship, Source, relationship_id
from graph.store import ANSWER_DOCUMENTS, GraphStore
from graph.text import tokens

# Invented names, from a small vocabulary on purpose: every task shares most of its words with many others.
ACTIVITIES = ["Hội chợ", "Tập huấn", "Hội thảo", "Diễn đàn", "Tuần lễ"]
TOPICS = ["cà phê", "hồ tiêu", "mật ong", "trồng rừng", "du lịch cộng đồng"]
PLACES = ["Krông Bông", "Krông Pắc", "Ea Súp", "Cư Jút", "Đắk Mil", "Lắk"]
YEARS = [2023, 2024, 2025]


def task_document(number: int, name: str) -> DocumentGraph:
    """A plan with one task and its contact."""
    doc = f"ke_hoach_{number:04d}.txt"
    source = [Source(document=doc, quote=name)]
    task = Node(id=f"task:{number}", kind="Task", name=name, sources=source)
    person = Node(id=f"person:{number}", kind="Person", name=f"Nguyễn Văn Thử {number}", sources=source)
    contact = Relationship(id=relationship_id("CONTACT", task.id, person.id), type="CONTACT", start=task.id,
                           end=person.id, properties={"phone": f"0900{number:06d}"}, sources=source)
    return DocumentGraph(document=doc, sha256=doc, nodes=[task, person], relationships=[contact])


def near_duplicate_tasks() -> list[str]:
    """Every combination of the vocabulary: 450 tasks, each one word or two from dozens of others."""
    return [f"{activity} {topic} huyện {place} năm {year}" for activity in ACTIVITIES for topic in TOPICS
            for place in PLACES for year in YEARS]


def test_a_task_is_found_among_hundreds_named_alike(store: GraphStore) -> None:
    names = near_duplicate_tasks()
    for number, name in enumerate(names):
        store.write_document(task_document(number, name))
    every_task = {f"task:{n}": folded_names([name]) for n, name in enumerate(names)}
    for query in ["hoi cho ca phe huyen krong bong nam 2024", "tap huan ho tieu ea sup 2025",
                  "dien dan du lich cong dong huyen lak", "tuan le trong rung cu jut nam 2023", "hoi thao mat ong"]:
        answers = store.contacts(query)
        # the answer is what scoring every task in the store gives, best first, less the editions of
        # another year than the question names (their contacts are another year's)
        asked = [year for year in YEARS if str(year) in query]
        expected = [(task_id, m) for task_id, m in rank(tokens(query), "Task", every_task)
                    if not asked or names[int(task_id.split(":")[1])].endswith(str(asked[0]))]
        assert [(a.task_id, a.score) for a in answers] == [(task_id, m.score) for task_id, m in expected], query
    best = store.contacts("hoi cho ca phe huyen krong bong nam 2024")[0]
    assert best.task == "Hội chợ cà phê huyện Krông Bông năm 2024"


def test_a_look_up_counts_groups_not_the_spellings_a_name_holds(store: GraphStore) -> None:
    """A name holding two spellings of one group holds one group: it is no candidate for two."""
    names = {"task:1": "Hội thảo thái", "task:2": "Hội thảo mật ong", "task:3": "Thảo mật"}
    for number, (task_id, name) in enumerate(names.items()):
        store.write_document(task_document(number, name).model_copy(update={
            "nodes": [n.model_copy(update={"id": task_id}) if n.kind == "Task" else n
                      for n in task_document(number, name).nodes], "relationships": []}))
    groups = [["thao", "thai"], ["mat"]]
    assert set(store._holders({"Task": (groups, 2)})) == {"task:2", "task:3"}
    assert set(store._holders({"Task": (groups, 1)})) == {"task:1", "task:2", "task:3"}


def test_the_words_looked_up_hold_every_name_the_threshold_accepts() -> None:
    """Whatever the counts say, a name accepted for a query holds (or is one letter off) at
    least ``at_least`` of the words the look-up reads."""
    rng = random.Random(11)
    names = [tokens(name) for name in near_duplicate_tasks()]
    vocabulary = sorted({w for name in names for w in name})
    for _ in range(300):
        name = rng.choice(names)
        query = [w if rng.random() > 0.1 else rng.choice(vocabulary) for w in name if rng.random() > 0.1] or name
        counts = [rng.choice([1, 10, 100, 10_000, 100_000]) for _ in query]
        for kind in ("Task", "Organization", "Locality", "Agreement"):
            for look_up in (words_to_look_up(kind, query, counts), words_to_look_up(kind, query, counts, True)):
                for candidate in names:
                    if accept(kind, best_match(query, [candidate])):
                        held = [w for w in look_up.words if w in candidate or not near_words(w).isdisjoint(candidate)]
                        assert len(held) >= look_up.at_least, (kind, query, candidate, look_up)


def test_a_query_scored_once_against_many_names_scores_as_each_alone() -> None:
    """The scorer that works out a query once gives every name the score ``best_match`` gives it,
    question phrases included (they are taken out of the query for a name that does not hold them),
    and accepts what ``accept`` accepts."""
    rng = random.Random(5)
    names = [tokens(name) for name in near_duplicate_tasks()]
    vocabulary = sorted({w for name in names for w in name} | {w for phrase in question_phrases() for w in phrase})
    for _ in range(200):
        query = [w if rng.random() > 0.2 else rng.choice(vocabulary) for w in rng.choice(names)]
        query += list(rng.choice(question_phrases())) if rng.random() > 0.5 else []
        scorer = Scorer(query)
        for candidate in rng.sample(names, 20):
            for named in ([candidate], [candidate, candidate[1:]]):
                assert scorer.best(named) == best_match(query, named), (query, candidate)
                for kind in ("Task", "Locality", "Agreement"):
                    alone = best_match(query, named)
                    assert scorer.accepted(kind, named) == (alone if accept(kind, alone) else None), (query, named)


def test_ranking_many_candidates_gives_each_the_score_it_has_alone() -> None:
    """``rank`` scores each outline of a name once (words far from the query blanked out): every
    candidate still gets exactly ``best_match``'s score, and ``accept``'s verdict, whatever its other
    words, aliases, words one letter off the query's or question phrases."""
    rng = random.Random(11)
    names = [tokens(name) for name in near_duplicate_tasks()]
    vocabulary = sorted({w for name in names for w in name} | {w for phrase in question_phrases() for w in phrase})
    for _ in range(60):
        query = [w if rng.random() > 0.2 else rng.choice(vocabulary) for w in rng.choice(names)]
        query += list(rng.choice(question_phrases())) if rng.random() > 0.5 else []
        candidates = {}
        for number, name in enumerate(rng.sample(names, 60)):
            typo = [w[:-1] + "x" if len(w) > 4 and rng.random() < 0.2 else w for w in name]  # one letter off
            filler = [rng.choice(["ke", "hoach", f"{number}", "so"]) for _ in range(rng.randrange(3))]
            candidates[f"n{number}"] = [filler + typo] + ([name[1:]] if rng.random() < 0.3 else [])
        for kind in ("Task", "Locality", "Document"):
            alone = {cid: best_match(query, named) for cid, named in candidates.items()}
            expected = sorted(((cid, m) for cid, m in alone.items() if accept(kind, m)),
                              key=lambda item: (-item[1].score, -item[1].recall, item[0]))
            assert rank(query, kind, candidates) == expected, (query, kind)


def test_what_a_node_holds_of_the_query_bounds_every_score_its_names_get() -> None:
    """``held_bound``: a node holding ``exact`` of the query's distinct words and ``held`` of them or one letter
    off scores no more than the bound with any of its names, in recall and score (question phrases too), so a
    candidate under a kind's threshold there is refused before its names are read."""
    rng = random.Random(12)
    names = [tokens(name) for name in near_duplicate_tasks()]
    vocabulary = sorted({w for name in names for w in name} | {w for phrase in question_phrases() for w in phrase})
    for _ in range(200):
        query = [w if rng.random() > 0.2 else rng.choice(vocabulary) for w in rng.choice(names)]
        query += list(rng.choice(question_phrases())) if rng.random() > 0.5 else []
        query = query[:rng.randrange(1, len(query) + 1)]
        for number, name in enumerate(rng.sample(names, 30)):
            typo = [w[:-1] + "x" if len(w) > 4 and rng.random() < 0.2 else w for w in name]
            filler = [rng.choice(["ke", "hoach", f"{number}", "so"]) for _ in range(rng.randrange(3))]
            node = [filler + typo] + ([name[1:]] if rng.random() < 0.3 else [])
            words = {w for n in node for w in n}
            distinct = list(dict.fromkeys(query))
            exact = sum(1 for w in distinct if w in words)
            held = sum(1 for w in distinct if w in words or not words.isdisjoint(near_words(w)))
            bound = held_bound(tuple(query), exact, held)
            for named in node:
                match = best_match(query, [named])
                assert match.recall <= bound.recall and match.score <= bound.score, (query, named, bound)


def test_several_rare_words_narrow_the_candidates() -> None:
    """With a rare word shared by many names and common words everywhere, the look-up asks for
    names holding several of the rarer words, within its budget."""
    query = tokens("hoi cho ca phe huyen krong bong nam 2024")
    counts = {"hoi": 20_000, "cho": 8_000, "ca": 5_000, "phe": 5_000, "huyen": 90_000, "krong": 900, "bong": 300,
              "nam": 90_000, "2024": 30_000}
    look_up = words_to_look_up("Task", query, [counts[w] for w in query])
    assert look_up.at_least >= 2
    assert look_up.words[:2] == ["bong", "krong"]


def test_when_the_rarest_words_are_common_the_look_up_reads_more_to_return_fewer() -> None:
    """Every word held by thousands of names: needing one of the rarest three would return some
    21,000 candidates; the look-up reads up to three times those entries to need four of six."""
    query = tokens("hoi cho nang luong tai tao le chan nam 2022")
    counts = {"hoi": 26_738, "cho": 8_486, "nang": 22_279, "luong": 19_103, "tai": 4_759, "tao": 9_165,
              "le": 8_011, "chan": 9_931, "nam": 91_514, "2022": 91_514}
    look_up = words_to_look_up("Task", query, [counts[w] for w in query])
    assert (sorted(look_up.words), look_up.at_least) == (sorted(["tai", "le", "cho", "tao", "chan", "luong"]), 4)
    assert sum(counts[w] for w in look_up.words) <= 3 * (counts["tai"] + counts["le"] + counts["cho"])


def test_the_narrowest_look_up_needs_as_many_words_as_the_threshold_allows() -> None:
    """Without a budget, a node must hold all the words of a nine-word question but one (the rest would
    take its recall under the minimum), however many nodes hold each."""
    query = tokens("hoi thao du lich cong dong krong bong nam 2024")
    counts = {"hoi": 26_738, "thao": 21_215, "du": 9_292, "lich": 10_412, "cong": 29_599, "dong": 38_142,
              "krong": 900, "bong": 300, "nam": 91_514, "2024": 91_514}
    look_up = words_to_look_up("Task", query, [counts[w] for w in query], narrowest=True)
    assert (sorted(look_up.words), look_up.at_least) == (sorted(set(query) - {"hoi"}), 8)


def contacts_document(number: int, name: str, contacts: int, leads: int) -> DocumentGraph:
    """A plan with one task, its contacts and its lead agencies (invented)."""
    doc = f"ke_hoach_nhieu_{number:03d}.txt"
    source = [Source(document=doc, quote=name)]
    task = Node(id=f"task:n{number}", kind="Task", name=name, sources=source)
    people = [Node(id=f"person:n{number}-{i}", kind="Person", name=f"Lê Văn Thử {chr(65 + (i * 7 + number) % 26)}",
                   sources=source) for i in range(contacts)]
    bodies = [Node(id=f"org:n{number}-{i}", kind="Organization", name=f"Ban Thử Nghiệm {number} {i}", sources=source)
              for i in range(leads)]
    links = [Relationship(id=relationship_id("CONTACT", task.id, p.id), type="CONTACT", start=task.id, end=p.id,
                          properties={"organization": "Sở Thử Nghiệm"} if i % 2 else {}, sources=source)
             for i, p in enumerate(people)]
    links += [Relationship(id=relationship_id("LED_BY", task.id, b.id), type="LED_BY", start=task.id, end=b.id,
                           sources=source) for b in bodies]
    return DocumentGraph(document=doc, sha256=doc, nodes=[task, *people, *bodies], relationships=links)


def test_pages_of_contacts_and_lead_agencies_cut_through_a_tasks_several(store: GraphStore) -> None:
    """Only the page's tasks have their contacts read: every page is still the slice of all the answers,
    where it begins or ends inside a task's contacts, or a task has none."""
    for number, (name, contacts, leads) in enumerate([
            ("Hội chợ cà phê Krông Bông năm 2024", 3, 2), ("Hội chợ cà phê Krông Pắc năm 2024", 0, 1),
            ("Hội chợ cà phê huyện Lắk năm 2024", 4, 0), ("Hội chợ cà phê Ea Súp năm 2024", 1, 3),
            ("Hội chợ cà phê năm 2024", 2, 2)]):
        store.write_document(contacts_document(number, name, contacts, leads))
    asked = "hoi cho ca phe nam 2024"
    every_contact, every_lead = store.contacts(asked), store.lead(asked)
    assert (len(every_contact), len(every_lead)) == (10, 8)
    for offset in range(12):
        for limit in (1, 2, 3, 5, None):
            end = None if limit is None else offset + limit
            contacts, leads = store.contacts_page(asked, offset, limit), store.lead_page(asked, offset, limit)
            assert (contacts.items, contacts.total) == (every_contact[offset:end], 10), (offset, limit)
            assert (leads.items, leads.total) == (every_lead[offset:end], 8), (offset, limit)


@pytest.fixture
def hub_store(store: GraphStore) -> GraphStore:
    """A province named by 30 documents, each also naming a district in it."""
    for number in range(30):
        doc = f"tin_{number:02d}.txt"
        province = Node(id="loc:66", kind="Locality", name="Tỉnh Đắk Lắk",
                        sources=[Source(document=doc, quote="tỉnh Đắk Lắk")])
        district = Node(id=f"loc:66-{number}", kind="Locality", name=f"Huyện Thử Nghiệm {number}",
                        sources=[Source(document=doc, quote=f"huyện Thử Nghiệm {number}")])
        part_of = Relationship(id=relationship_id("PART_OF", district.id, province.id), type="PART_OF",
                               start=district.id, end=province.id, sources=[Source(document=doc, quote=doc)])
        store.write_document(DocumentGraph(document=doc, sha256=doc, nodes=[province, district],
                                           relationships=[part_of]))
    return store


def test_a_hub_in_a_neighbourhood_lists_its_first_documents_and_their_count(hub_store: GraphStore) -> None:
    graph = hub_store.neighbourhood("loc:66", depth=1, first_documents=5)
    province = next(n for n in graph.nodes if n.id == "loc:66")
    assert [s.document for s in province.sources] == [f"tin_{n:02d}.txt" for n in range(5)]
    assert graph.document_counts == {"loc:66": 30}
    assert len(graph.nodes) == 31 and all(len(r.sources) == 1 for r in graph.relationships)
    whole = hub_store.neighbourhood("loc:66", depth=1)
    assert len(next(n for n in whole.nodes if n.id == "loc:66").sources) == 30 and whole.document_counts == {}


def test_a_hub_found_by_search_lists_its_first_documents_and_their_count(hub_store: GraphStore) -> None:
    hits = hub_store.search("dak lak", kinds=["Locality"], first_documents=3)
    assert [(h.id, len(h.sources), h.document_count) for h in hits] == [("loc:66", 3, 30)]
    district = hub_store.search("thu nghiem 7", kinds=["Locality"], first_documents=3)[0]
    assert (district.id, district.document_count) == ("loc:66-7", None)


def test_the_api_caps_a_hubs_sources_in_neighbourhood_and_search(hub_store: GraphStore) -> None:
    from tests.test_api import make_client

    client = make_client(hub_store)
    around = client.get("/entities/loc:66/neighbourhood", params={"depth": 1})
    assert around.status_code == 200
    view = around.json()
    province = next(n for n in view["nodes"] if n["id"] == "loc:66")
    assert len(province["sources"]) == ANSWER_DOCUMENTS and view["document_counts"] == {"loc:66": 30}
    hits = client.get("/search", params={"q": "dak lak", "kind": "Locality"}).json()["items"]
    assert [(h["id"], len(h["sources"]), h["document_count"]) for h in hits] == [("loc:66", ANSWER_DOCUMENTS, 30)]
    # one entity by id, answered in the server's own process: the hub itself, and a hub as a neighbour
    detail = client.get("/entities/loc:66").json()
    assert (len(detail["entity"]["sources"]), detail["document_counts"], detail["total"]) == (ANSWER_DOCUMENTS,
                                                                                                {"loc:66": 30}, 30)
    district = client.get("/entities/loc:66-7").json()
    assert [(n["node"]["id"], len(n["node"]["sources"])) for n in district["neighbours"]] == [("loc:66", ANSWER_DOCUMENTS)]
    assert district["document_counts"] == {"loc:66": 30} and len(district["entity"]["sources"]) == 1
    assert client.get("/entities/loc:nowhere").status_code == 404


def region_document(number: int, quote: str = "tỉnh Đắk Lắk") -> DocumentGraph:
    """A document naming a province and the region it is part of: every one supports both and their link."""
    doc = f"tin_{number:02d}.txt"
    province = Node(id="loc:66", kind="Locality", name="Tỉnh Đắk Lắk", sources=[Source(document=doc, quote=quote)])
    region = Node(id="region:tay-nguyen", kind="Locality", name="Vùng Tây Nguyên",
                  sources=[Source(document=doc, quote="vùng Tây Nguyên")])
    part_of = Relationship(id=relationship_id("PART_OF", province.id, region.id), type="PART_OF", start=province.id,
                           end=region.id, sources=[Source(document=doc, quote=f"{quote}, vùng Tây Nguyên")])
    return DocumentGraph(document=doc, sha256=f"{doc}:{quote}", nodes=[province, region], relationships=[part_of])


def test_a_hubs_first_documents_stay_right_whatever_the_order_of_writes_and_removals(store: GraphStore) -> None:
    """The sources a fact keeps of its first documents follow documents written in any order, replaced and removed."""
    corrected = "Tỉnh Đắk Lắk (đính chính)"
    link = relationship_id("PART_OF", "loc:66", "region:tay-nguyen")

    def assert_first_documents(left: list[int], replaced: set[int]) -> None:
        quotes = [(f"tin_{n:02d}.txt", corrected if n in replaced else "tỉnh Đắk Lắk") for n in left]
        for first in (ANSWER_DOCUMENTS, 5):
            graph = store.neighbourhood("loc:66", depth=1, first_documents=first)
            province = next(n for n in graph.nodes if n.id == "loc:66")
            assert [(s.document, s.quote) for s in province.sources] == quotes[:first]
            assert [s.quote for s in graph.relationships[0].sources] == [f"{q}, vùng Tây Nguyên" for _, q in quotes[:first]]
            assert graph.document_counts == {"loc:66": len(left), "region:tay-nguyen": len(left), link: len(left)}
            if first == ANSWER_DOCUMENTS:  # the facts' answer JSON is kept as their first sources are
                assert store.neighbourhood_json("loc:66", depth=1) == graph.model_dump_json().encode()
            hits = store.search("dak lak", kinds=["Locality"], first_documents=first)
            assert [(h.id, h.sources, h.document_count) for h in hits] == [("loc:66", province.sources, len(left))]

    numbers = list(range(15))
    random.Random(5).shuffle(numbers)
    for number in numbers + list(range(15, 30)):  # then each after every other: the kept sources extended, or full
        store.write_document(region_document(number))
    assert_first_documents(list(range(30)), set())
    store.write_document(region_document(4, quote=corrected))  # replaced, among the first
    store.write_document(region_document(26, quote=corrected))  # replaced, after them
    for number in (0, 9, 27):
        store.remove_document(f"tin_{number:02d}.txt")
    left = [n for n in range(30) if n not in (0, 9, 27)]
    assert_first_documents(left, {4, 26})
    for number in left[:-5]:  # down to five documents: each fact keeps them all, and nothing is cut
        store.remove_document(f"tin_{number:02d}.txt")
    graph = store.neighbourhood("loc:66", depth=1, first_documents=ANSWER_DOCUMENTS)
    assert graph.document_counts == {} and [len(n.sources) for n in graph.nodes] == [5, 5]
    assert store.neighbourhood_json("loc:66", depth=1) == graph.model_dump_json().encode()
    assert graph == store.neighbourhood("loc:66", depth=1)


def test_a_warmed_embedded_store_answers_without_reading_the_lists_of_common_words(tmp_path: Path) -> None:
    """``lienket serve``'s workers warm their store before their first request: the posting lists of the
    words many tasks hold are read then, not while a question waits (and answers stay the same)."""
    cold, warm = EmbeddedStore(tmp_path / "cold"), EmbeddedStore(tmp_path / "warm")
    for number, name in enumerate(near_duplicate_tasks()):
        cold.write_document(task_document(number, name))
        warm.write_document(task_document(number, name))
    warm.close()
    warm = EmbeddedStore(tmp_path / "warm")  # a fresh process's store: nothing read yet
    warm.warm_up(min_holders=50)  # every word of the vocabulary is held by 75 tasks or more
    list_reads: list[str] = []
    warm._db().set_trace_callback(lambda sql: list_reads.append(sql) if "FROM terms WHERE" in sql else None)
    query = "hoi cho ca phe huyen krong bong nam 2024"
    assert [(a.task_id, a.score) for a in warm.contacts(query)] == [(a.task_id, a.score) for a in cold.contacts(query)]
    assert list_reads == []
    fresh = EmbeddedStore(tmp_path / "cold")  # the same question in a store not warmed reads them
    fresh._db().set_trace_callback(lambda sql: list_reads.append(sql) if "FROM terms WHERE" in sql else None)
    fresh.contacts(query)
    assert list_reads


def test_candidates_told_apart_by_the_words_they_hold_give_the_same_pages(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The embedded store tells a look-up's candidates apart by how many of the question's words they hold
    (``_rank_held``) for a page of search: those that cannot be accepted are not read, and it stops reading once
    its page and its total are sure. Every page and total is the one ranking every candidate gives."""
    monkeypatch.setattr("graph.embedded.FEW_HOLDERS", 0)  # told apart however few
    monkeypatch.setattr("graph.store.HELD_CHUNK", 7)  # and a look at what is left after every few
    db = tmp_path / "db"
    told_apart = EmbeddedStore(db)
    for number, name in enumerate(near_duplicate_tasks()):
        told_apart.write_document(task_document(number, name))
    everything = EmbeddedStore(db)
    everything._tiers_held = False  # type: ignore[misc]
    for query in ["hoi cho ca phe huyen krong bong nam 2024", "Hội thảo mật ong", "tap huan du lich cong dong",
                  "hoi cho", "krong", "dien dan trong rung Cu Jut nam 2025", "tuan le ho tieu huyen lak"]:
        for offset, limit, most in [(0, 20, 1000), (0, 5, 30), (10, 10, 30), (30, 5, 30), (0, 1, 1), (3, 50, None)]:
            assert (told_apart.search_page(query, None, offset, limit, most)
                    == everything.search_page(query, None, offset, limit, most)), (query, offset, limit, most)


def test_a_year_asked_reads_each_tasks_names_and_dates_as_its_node_holds_them(store: GraphStore) -> None:
    """A question naming a year reads its candidates' names and date properties only (``_dated``): the same
    as their nodes hold, the name the one most documents write, and what it decides is the same too."""
    store.write_document(task_document(1, "Hội chợ mật ong Cư Jút năm 2024"))
    store.write_document(task_document(2, "Hội chợ mật ong Cư Jút năm 2023"))
    for number in (3, 4):  # two more documents name task 2 otherwise (that name wins) and give its timeframe
        doc = task_document(number, "Phiên chợ mật ong Cư Jút năm 2023")
        doc.nodes[0] = doc.nodes[0].model_copy(update={"id": "task:2", "properties": {"timeframe": "2023-2025"}})
        store.write_document(doc.model_copy(update={"relationships": []}))
    signed = task_document(5, "Tập huấn mật ong Cư Jút")
    signed.nodes[0] = signed.nodes[0].model_copy(update={"properties": {"date_signed": "2022-05-04", "number": "7"}})
    store.write_document(signed)
    ids = ["task:1", "task:2", "task:5", "task:none"]
    assert store._dated(ids) == {node_id: dated(node) for node_id, node in store._nodes(ids, sources=False).items()}
    assert store._dated(ids)["task:2"] == Dated("Phiên chợ mật ong Cư Jút năm 2023", ["Hội chợ mật ong Cư Jút năm 2023"],
                                               {"timeframe": "2023-2025"})
    assert store._dated(ids)["task:5"].properties == {"date_signed": "2022-05-04"}
    for year, expected in [(2024, ["task:1", "task:2"]), (2025, ["task:2"]), (2026, [])]:
        assert [a.task_id for a in store.contacts(f"hoi cho mat ong cu jut nam {year}")] == expected, year


def test_a_node_whose_names_change_is_found_by_its_new_name_in_the_same_process(store: GraphStore) -> None:
    """A store may keep the names it read for later questions: a name a document adds is still found."""
    store.write_document(task_document(1, "Hội chợ mật ong Cư Jút"))
    store.write_document(task_document(2, "Hội chợ hồ tiêu Ea Súp"))
    assert [a.task_id for a in store.contacts("hoi cho mat ong cu jut")] == ["task:1"]
    assert store.contacts("tuan le ca phe krong bong") == []
    renamed = task_document(3, "Tuần lễ cà phê Krông Bông")
    renamed.nodes[0] = renamed.nodes[0].model_copy(update={"id": "task:1"})
    store.write_document(renamed.model_copy(update={"relationships": []}))
    assert [a.task_id for a in store.contacts("tuan le ca phe krong bong")] == ["task:1"]
    assert [a.task_id for a in store.contacts("hoi cho mat ong cu jut")] == ["task:1"]
