"""Durability and concurrency of the embedded store, proved with real processes, threads and files.

Children are started with the ``spawn`` method so that each is a fresh interpreter that
shares nothing with the test but the store folder. A writer is killed with SIGKILL at a
chosen point inside its write transaction (the child hooks that point and kills itself), so
the crash lands in the same place every run instead of depending on timing.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import sqlite3
import threading
from collections.abc import Callable
from multiprocessing.synchronize import Barrier, Event
from pathlib import Path
from typing import Any

import pytest

import graph.embedded
from graph import resolution
from graph.claims import merge_node, merge_relationship
from graph.embedded import LEGACY_FILE, STORE_FILE, EmbeddedStore
from graph.model import DocumentGraph, Graph, Node, Relationship, Source, relationship_id
from graph.postings import bits_in_at_least, counted, exactly
from graph.store import ANSWER_DOCUMENTS
from tests.conftest import stored_rows
from tests.factory import MOU_DOC, PLAN_DOC, investment_document, mou_document, plan_document
from tests.test_resolution_incremental import state
from tests.test_store_scale import region_document

SPAWN = multiprocessing.get_context("spawn")
CHILD_TIMEOUT = 120
SHARED_NODE = "sector:shared"


def _die(*_: Any) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _hook_merge() -> None:
    """Die while merging: the document's claims are written, the merged facts half updated."""
    graph.embedded.merged_node_state = _die  # type: ignore[assignment]
    graph.embedded.fold_node = _die  # type: ignore[assignment]


def _hook_commit() -> None:
    """Die with everything written, before the commit."""
    EmbeddedStore._commit = staticmethod(_die)  # type: ignore[method-assign]


# Where inside the write transaction the writer dies.
KILL_POINTS: dict[str, Callable[[], None]] = {
    "claims written, merge half done": _hook_merge,
    "everything written, before the commit": _hook_commit,
}


def _write_plan_and_die(db: str, kill_point: str) -> None:
    store = EmbeddedStore(Path(db))
    KILL_POINTS[kill_point]()
    store.write_document(plan_document())


def small_document(name: str) -> DocumentGraph:
    """A document with a node of its own and a link to a node every such document shares."""
    quote = f"trích dẫn của {name}"
    own = Node(id=f"task:{name}", kind="Task", name=f"Sự kiện {name}", sources=[Source(document=name, quote=quote)])
    shared = Node(id=SHARED_NODE, kind="Sector", name="du lịch", sources=[Source(document=name, quote=quote)])
    link = Relationship(id=relationship_id("COVERS", own.id, SHARED_NODE), type="COVERS", start=own.id,
                        end=SHARED_NODE, sources=[Source(document=name, quote=quote)])
    return DocumentGraph(document=name, sha256=f"sha-{name}", nodes=[own, shared], relationships=[link])


def _write_rounds(db: str, writer: str, rounds: int, barrier: Barrier) -> None:
    store = EmbeddedStore(Path(db))
    for round_number in range(rounds):
        barrier.wait(timeout=CHILD_TIMEOUT)
        store.write_document(small_document(f"{writer}-{round_number:02d}"))


def _write_many(db: str, count: int, started: Event) -> None:
    store = EmbeddedStore(Path(db))
    started.set()
    for number in range(count):
        store.write_document(small_document(f"w-{number:03d}"))


def _write_documents(db: str) -> None:
    EmbeddedStore(Path(db)).write_document(mou_document())


def group_documents() -> list[DocumentGraph]:
    """Documents written together as ingest groups them: some share organizations and people, so that
    resolving a later one reads what an earlier one of the group wrote."""
    return [mou_document(), small_document("g-01.txt"), plan_document(), investment_document(),
            small_document("g-02.txt")]


def _write_group_and_die(db: str) -> None:
    """Write a group in one transaction and die once its third document is written, before the commit."""
    written: list[str] = []

    def die_after_the_third(document: DocumentGraph) -> None:
        written.append(document.document)
        if len(written) == 3:
            _die()

    resolution.write_documents(EmbeddedStore(Path(db)), group_documents(), die_after_the_third)


def _read_after_write(db: str, opened: Event, written: Event, seen: Any) -> None:
    store = EmbeddedStore(Path(db))
    store.documents()
    opened.set()
    written.wait(timeout=CHILD_TIMEOUT)
    seen.put([d.document for d in store.documents()])


def _run(target: Callable[..., None], *args: Any) -> int:
    """Run a function in a fresh interpreter and return its exit code (negative: killed by that signal)."""
    child = SPAWN.Process(target=target, args=args)
    child.start()
    child.join(CHILD_TIMEOUT)
    assert child.exitcode is not None, f"{target.__name__} did not finish"
    return child.exitcode


def _snapshot(store: EmbeddedStore) -> dict[str, Any]:
    graph_now = store.subgraph()
    return {
        "documents": [d.model_dump() for d in store.documents()],
        "counts": store.counts().model_dump(),
        "graph": graph_now.model_dump(),
    }


_on_disk = stored_rows


@pytest.mark.parametrize("kill_point", list(KILL_POINTS))
def test_writer_killed_inside_its_transaction_leaves_previous_state(tmp_path: Path, kill_point: str) -> None:
    db = tmp_path / "db"
    before_store = EmbeddedStore(db)
    before_store.write_document(mou_document())
    before = _snapshot(before_store)
    before_rows = _on_disk(db)

    assert _run(_write_plan_and_die, str(db), kill_point) == -signal.SIGKILL

    assert _on_disk(db) == before_rows
    reopened = EmbeddedStore(db)
    assert _snapshot(reopened) == before
    assert _snapshot(before_store) == before
    assert [d.document for d in reopened.documents()] == [MOU_DOC]
    with sqlite3.connect(db / STORE_FILE) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    # The dead writer's lock is gone with it: the next write goes in.
    summary = reopened.write_document(plan_document())
    assert summary.status == "added"
    assert [d.document for d in EmbeddedStore(db).documents()] == [MOU_DOC, PLAN_DOC]


def test_two_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "db"
    rounds = 20
    barrier = SPAWN.Barrier(2)
    writers = [SPAWN.Process(target=_write_rounds, args=(str(db), name, rounds, barrier)) for name in ("a", "b")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(CHILD_TIMEOUT)
    assert [w.exitcode for w in writers] == [0, 0]

    store = EmbeddedStore(db)
    expected = sorted(f"{name}-{r:02d}" for name in ("a", "b") for r in range(rounds))
    assert [d.document for d in store.documents()] == expected
    counts = store.counts()
    assert counts.documents == 2 * rounds
    assert counts.nodes == {"Sector": 1, "Task": 2 * rounds}
    assert counts.relationships == {"COVERS": 2 * rounds}
    shared = store.node(SHARED_NODE)
    assert shared is not None
    assert sorted(s.document for s in shared.sources) == expected
    for name in expected:
        assert store.node(f"task:{name}") is not None


def test_store_opened_before_another_process_writes_sees_the_write(tmp_path: Path) -> None:
    db = tmp_path / "db"
    store = EmbeddedStore(db)
    assert store.documents() == []

    assert _run(_write_documents, str(db)) == 0

    assert [d.document for d in store.documents()] == [MOU_DOC]
    assert store.counts() == EmbeddedStore(db).counts()
    assert store.node("agr:q3-tuyduc") is not None


def test_reader_process_sees_the_writers_result(tmp_path: Path) -> None:
    db = tmp_path / "db"
    writer = EmbeddedStore(db)
    writer.write_document(mou_document())
    opened, written, seen = SPAWN.Event(), SPAWN.Event(), SPAWN.Queue()
    reader = SPAWN.Process(target=_read_after_write, args=(str(db), opened, written, seen))
    reader.start()
    assert opened.wait(CHILD_TIMEOUT)

    writer.write_document(plan_document())
    written.set()

    assert seen.get(timeout=CHILD_TIMEOUT) == [MOU_DOC, PLAN_DOC]
    reader.join(CHILD_TIMEOUT)
    assert reader.exitcode == 0


def test_reader_polling_during_writes_always_sees_whole_documents(tmp_path: Path) -> None:
    """Readers take no lock: each read must still see a complete state, never a torn file,
    and a store that only grows never appears to shrink."""
    db = tmp_path / "db"
    reader = EmbeddedStore(db)
    count, started = 40, SPAWN.Event()
    writer = SPAWN.Process(target=_write_many, args=(str(db), count, started))
    writer.start()
    assert started.wait(CHILD_TIMEOUT)
    seen: list[int] = []
    while writer.is_alive() or not seen or seen[-1] < count:
        state = reader.subgraph()  # one read, one state: consecutive calls may see later ones
        documents = {n.id.removeprefix("task:") for n in state.nodes if n.kind == "Task"}
        assert {s.document for n in state.nodes if n.id == SHARED_NODE for s in n.sources} == documents
        assert {r.start for r in state.relationships} == {f"task:{d}" for d in documents}
        assert not seen or len(documents) >= seen[-1]
        seen.append(len(documents))
        if not writer.is_alive() and writer.exitcode != 0:
            break
    writer.join(CHILD_TIMEOUT)
    assert writer.exitcode == 0
    assert seen[-1] == count
    assert len(set(seen)) >= 2, "the reader should have read while the writer was writing"


def test_stale_instance_does_not_resurrect_a_removed_document(tmp_path: Path) -> None:
    db = tmp_path / "db"
    first, second = EmbeddedStore(db), EmbeddedStore(db)
    first.write_document(mou_document())
    first.write_document(plan_document())
    assert len(second.documents()) == 2

    first.remove_document(PLAN_DOC)
    second.write_document(small_document("late.txt"))

    assert [d.document for d in EmbeddedStore(db).documents()] == sorted([MOU_DOC, "late.txt"])
    assert EmbeddedStore(db).node("task:ong") is None


def _ids(doc: DocumentGraph) -> tuple[set[str], set[str]]:
    return {n.id for n in doc.nodes}, {r.id for r in doc.relationships}


def test_removing_a_document_keeps_what_another_supports(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "db")
    mou, plan = mou_document(), plan_document()
    store.write_document(mou)
    store.write_document(plan)
    mou_nodes, mou_rels = _ids(mou)
    plan_nodes, plan_rels = _ids(plan)
    shared_nodes, shared_rels = mou_nodes & plan_nodes, mou_rels & plan_rels
    assert shared_nodes and shared_rels and plan_nodes - mou_nodes and plan_rels - mou_rels
    before = store.node("person:q3-chair")
    assert before is not None and "0987.654.321" in before.properties["phones"]

    summary = store.remove_document(PLAN_DOC)

    assert summary.nodes_deleted == len(plan_nodes - mou_nodes)
    assert summary.relationships_deleted == len(plan_rels - mou_rels)
    reopened = EmbeddedStore(tmp_path / "db")
    for current in (store, reopened):
        whole = current.subgraph()
        assert {n.id for n in whole.nodes} == mou_nodes
        assert {r.id for r in whole.relationships} == mou_rels
        for item in [*whole.nodes, *whole.relationships]:
            assert {s.document for s in item.sources} == {MOU_DOC}, item.id
        chair = current.node("person:q3-chair")
        assert chair is not None and "phones" not in chair.properties
        assert [d.document for d in current.documents()] == [MOU_DOC]
        assert current.contacts("nuôi ong lấy mật") == []
    assert {r.id for r in reopened.subgraph().relationships} >= shared_rels


def test_a_commit_that_fails_leaves_memory_and_disk_at_the_previous_state(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "db"
    store = EmbeddedStore(db)
    store.write_document(mou_document())
    before = _snapshot(store)
    before_rows = _on_disk(db)

    def disk_full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(EmbeddedStore, "_commit", staticmethod(disk_full))
        with pytest.raises(OSError):
            store.write_document(plan_document())
        with pytest.raises(OSError):
            store.remove_document(MOU_DOC)

    assert _on_disk(db) == before_rows
    assert _snapshot(store) == before
    assert _snapshot(EmbeddedStore(db)) == before


def _without_shared_node(doc: DocumentGraph) -> DocumentGraph:
    """The document still links to the shared node but no longer claims the node itself."""
    return doc.model_copy(update={"sha256": doc.sha256 + "-link-only",
                                  "nodes": [n for n in doc.nodes if n.id != SHARED_NODE]})


def _merged_from_scratch(docs: dict[str, DocumentGraph]) -> dict[str, Any]:
    """The graph the documents make when every fact is merged from all its claims at once."""
    node_claims: dict[str, dict[str, Node]] = {}
    rel_claims: dict[str, dict[str, Relationship]] = {}
    for name, doc in docs.items():
        for node in doc.nodes:
            node_claims.setdefault(node.id, {})[name] = node
        for rel in doc.relationships:
            rel_claims.setdefault(rel.id, {})[name] = rel
    nodes = sorted((merge_node(c) for c in node_claims.values()), key=lambda n: n.id)
    rels = sorted((merge_relationship(c) for c in rel_claims.values()), key=lambda r: r.id)
    drawn = [r for r in rels if r.start in node_claims and r.end in node_claims]
    return Graph(nodes=nodes, relationships=drawn).model_dump()


def test_graph_after_each_change_equals_the_graph_merged_from_scratch(tmp_path: Path) -> None:
    """A write merges again only what it touched, and folds a claim into the stored merge when its
    document sorts last; the graph must equal the one merged from every claim at once, after every
    kind of change, and a fresh instance must read the same."""
    db = tmp_path / "db"
    store = EmbeddedStore(db)
    docs: dict[str, DocumentGraph] = {}

    def write(doc: DocumentGraph) -> None:
        store.write_document(doc)
        docs[doc.document] = doc

    def remove(name: str) -> None:
        store.remove_document(name)
        del docs[name]

    steps: list[Callable[[], object]] = [
        lambda: write(_without_shared_node(small_document("x.txt"))),
        lambda: write(mou_document()),
        lambda: write(small_document("y.txt")),
        lambda: write(plan_document()),  # sorts before x.txt and y.txt: merged again, not folded
        lambda: write(small_document("z.txt")),  # sorts last: folded into the stored merge
        lambda: write(investment_document()),
        lambda: write(small_document("x.txt")),
        lambda: remove("y.txt"),
        lambda: write(_without_shared_node(small_document("x.txt"))),
        lambda: remove(MOU_DOC),
        lambda: write(small_document("y.txt")),
        lambda: remove(PLAN_DOC),
    ]
    seen_link_without_node = False
    for step in steps:
        step()
        assert store.subgraph().model_dump() == _merged_from_scratch(docs)
        assert _snapshot(store) == _snapshot(EmbeddedStore(db))
        if store.node(SHARED_NODE) is None and store.node("task:x.txt") is not None:
            seen_link_without_node = True
            assert [r for r in store.subgraph().relationships if r.start == "task:x.txt"] == []
    assert seen_link_without_node
    assert {r.start for r in store.subgraph().relationships} >= {"task:x.txt", "task:y.txt", "task:z.txt"}


def test_an_invalid_fact_on_disk_fails_every_read_until_it_is_fixed(tmp_path: Path) -> None:
    db = tmp_path / "db"
    store = EmbeddedStore(db)
    store.write_document(mou_document())
    good = _snapshot(store)
    with sqlite3.connect(db / STORE_FILE) as connection:
        (state,) = connection.execute("SELECT state FROM nodes WHERE id = 'loc:79'").fetchone()
        connection.execute("UPDATE nodes SET kind = 'Planet', state = ? WHERE id = 'loc:79'",
                           (json.dumps({**json.loads(state), "kind": "Planet"}),))

    for _ in range(2):  # never a half-read graph on the second try
        with pytest.raises(ValueError, match="Planet"):
            store.counts()
        with pytest.raises(ValueError, match="Planet"):
            store.node("loc:79")
    with sqlite3.connect(db / STORE_FILE) as connection:
        connection.execute("UPDATE nodes SET kind = 'Locality', state = ? WHERE id = 'loc:79'", (state,))
    assert _snapshot(store) == good
    assert store.node("loc:79") is not None


def test_removing_an_unknown_document_raises_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "db"
    store = EmbeddedStore(db)
    store.write_document(mou_document())
    before = _on_disk(db)
    with pytest.raises(KeyError):
        store.remove_document("absent.txt")
    assert _on_disk(db) == before


def test_rewriting_the_same_document_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "db"
    store = EmbeddedStore(db)
    first = [store.write_document(mou_document()), store.write_document(plan_document())]
    assert [s.status for s in first] == ["added", "added"]
    before = _snapshot(store)
    rows = _on_disk(db)

    # Once from the instance that wrote, once from a fresh one.
    for writer in (store, EmbeddedStore(db)):
        again = [writer.write_document(mou_document()), writer.write_document(plan_document())]
        assert [s.status for s in again] == ["unchanged", "unchanged"]
        assert [(s.nodes, s.relationships) for s in again] == [(s.nodes, s.relationships) for s in first]
        assert _snapshot(writer) == before
        assert _on_disk(db) == rows


def test_new_version_of_a_document_replaces_its_old_claims(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "db")
    store.write_document(mou_document())
    store.write_document(plan_document())
    plan = plan_document()
    shorter = plan.model_copy(update={
        "sha256": "test-plan-v2",
        "nodes": [n for n in plan.nodes if n.id not in ("task:ong", "person:tran-van-thu")],
        "relationships": [r for r in plan.relationships
                          if "task:ong" not in (r.start, r.end) and "person:tran-van-thu" not in (r.start, r.end)],
    })

    summary = store.write_document(shorter)

    assert summary.status == "replaced"
    for current in (store, EmbeddedStore(tmp_path / "db")):
        assert current.node("task:ong") is None
        assert current.node("person:tran-van-thu") is None
        assert current.node("task:hoi-cho") is not None
        assert {d.document: d.sha256 for d in current.documents()}[PLAN_DOC] == "test-plan-v2"
        assert current.counts().nodes["Task"] == 1


def test_a_reader_sees_every_one_of_many_quick_writes(tmp_path: Path) -> None:
    """Writes a few milliseconds apart, each the same size: a reader opened before them sees each."""
    db = tmp_path / "db"
    writer, reader = EmbeddedStore(db), EmbeddedStore(db)
    seen = []
    for version in range(200):
        writer.write_document(small_document("x.txt").model_copy(update={"sha256": f"v{version:04d}"}))
        seen.append(reader.documents()[0].sha256)
    assert seen == [f"v{version:04d}" for version in range(200)]


def test_threads_read_whole_states_while_threads_write(tmp_path: Path) -> None:
    """One store shared by threads, as in the API: readers never fail and never see a half-written
    document while writers add and remove documents."""
    store = EmbeddedStore(tmp_path / "db")
    stop = threading.Event()
    errors: list[BaseException] = []
    reads = [0]

    def write(prefix: str) -> None:
        for number in range(60):
            store.write_document(small_document(f"{prefix}-{number:02d}"))
            if number % 3 == 2:
                store.remove_document(f"{prefix}-{number - 1:02d}")

    def read() -> None:
        while not stop.is_set():
            state = store.subgraph()
            documents = {n.id.removeprefix("task:") for n in state.nodes if n.kind == "Task"}
            shared = {s.document for n in state.nodes if n.id == SHARED_NODE for s in n.sources}
            assert shared == documents
            assert {r.start for r in state.relationships} == {f"task:{d}" for d in documents}
            assert len(store.documents()) >= 0 and store.counts().documents >= 0
            store.search("sự kiện")
            store.neighbourhood(SHARED_NODE, depth=2) if shared else None
            reads[0] += 1

    def guarded(work: Callable[..., None], *args: Any) -> Callable[[], None]:
        def run() -> None:
            try:
                work(*args)
            except BaseException as exc:  # noqa: BLE001 - every failure is the test's finding
                errors.append(exc)
                stop.set()
        return run

    writers = [threading.Thread(target=guarded(write, p)) for p in ("a", "b")]
    readers = [threading.Thread(target=guarded(read)) for _ in range(4)]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join(CHILD_TIMEOUT)
    stop.set()
    for thread in readers:
        thread.join(CHILD_TIMEOUT)
    assert errors == []
    assert reads[0] > 10
    assert store.counts().documents == 2 * 40


def test_a_json_store_is_migrated_on_first_open(tmp_path: Path) -> None:
    """A store of the previous format (one JSON file of claims) opens with the same graph and answers."""
    docs = [mou_document(), plan_document(), investment_document()]
    expected = EmbeddedStore(tmp_path / "written")
    for doc in docs:
        expected.write_document(doc)
    legacy = {"version": 1, "documents": {d.document: d.sha256 for d in docs}, "nodes": {}, "relationships": {}}
    for doc in docs:
        for node in doc.nodes:
            legacy["nodes"].setdefault(node.id, {})[doc.document] = node.model_dump(mode="json")
        for rel in doc.relationships:
            legacy["relationships"].setdefault(rel.id, {})[doc.document] = rel.model_dump(mode="json")
    db = tmp_path / "db"
    db.mkdir()
    (db / LEGACY_FILE).write_text(json.dumps(legacy, ensure_ascii=False), encoding="utf-8")

    migrated = EmbeddedStore(db)

    assert _snapshot(migrated) == _snapshot(expected)
    assert migrated.contacts("hội chợ cà phê") == expected.contacts("hội chợ cà phê")
    assert not (db / LEGACY_FILE).exists() and (db / f"{LEGACY_FILE}.migrated").exists()
    assert _snapshot(EmbeddedStore(db)) == _snapshot(expected)  # a second open migrates nothing again


def _rels_indexes(db: Path) -> dict[str, list[str]]:
    with sqlite3.connect(db / STORE_FILE) as connection:
        names = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'rels' AND sql IS NOT NULL ORDER BY name")]
        return {name: [r[2] for r in connection.execute(f"PRAGMA index_info({name})")] for name in names}


def test_a_store_of_format_3_gets_the_rels_indexes_with_both_ends_on_first_open(tmp_path: Path) -> None:
    """A store written before the rels indexes held the other end opens with them, and the same answers."""
    docs = [mou_document(), plan_document(), investment_document()]
    db = tmp_path / "db"
    written = EmbeddedStore(db)
    for doc in docs:
        written.write_document(doc)
    expected = _snapshot(written), written.neighbourhood("sector:van-hoa", depth=2), written.contacts("hội chợ cà phê")
    written.close()
    with sqlite3.connect(db / STORE_FILE) as connection:  # the indexes as format 3 had them
        connection.executescript("DROP INDEX rels_by_start; DROP INDEX rels_by_end;"
                                 "CREATE INDEX rels_by_start ON rels (start_id, type);"
                                 "CREATE INDEX rels_by_end ON rels (end_id, type); PRAGMA user_version = 3;")

    migrated = EmbeddedStore(db)

    assert (_snapshot(migrated), migrated.neighbourhood("sector:van-hoa", depth=2),
            migrated.contacts("hội chợ cà phê")) == expected
    assert _rels_indexes(db) == {"rels_by_end": ["end_id", "type", "start_id"],
                                 "rels_by_start": ["start_id", "type", "end_id"]}
    with sqlite3.connect(db / STORE_FILE) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == graph.embedded.FORMAT_VERSION


def test_a_store_of_format_5_gains_each_facts_document_count_and_first_sources_on_first_open(tmp_path: Path) -> None:
    """A store written before facts kept their first documents' sources opens with them, read from the claims as
    the writes would have kept them, and gives the same answers."""
    db = tmp_path / "db"
    written = EmbeddedStore(db)
    for doc in [mou_document(), plan_document(), *(region_document(n) for n in (3, 1, *range(4, 30), 2))]:
        written.write_document(doc)
    written.remove_document(region_document(5).document)

    def answers(store: EmbeddedStore) -> tuple[Any, ...]:
        return (_snapshot(store), store.neighbourhood("loc:66", depth=2, first_documents=ANSWER_DOCUMENTS),
                store.neighbourhood("sector:van-hoa", depth=2, first_documents=ANSWER_DOCUMENTS),
                store.search("dak lak", first_documents=ANSWER_DOCUMENTS), store.contacts("hội chợ cà phê"))

    expected, rows = answers(written), stored_rows(db)
    assert expected[1].document_counts["loc:66"] == 28 and len(expected[1].nodes[0].sources) == ANSWER_DOCUMENTS
    written.close()
    with sqlite3.connect(db / STORE_FILE) as connection:  # as format 5 left it: no first sources, no ids' index
        _as_format_8(connection)
        connection.executescript("DROP INDEX nodes_by_id; DROP TABLE node_first_sources; DROP TABLE rel_first_sources;"
                                 "PRAGMA user_version = 5;")

    migrated = EmbeddedStore(db)

    assert answers(migrated) == expected
    assert stored_rows(db) == rows
    with sqlite3.connect(db / STORE_FILE) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == graph.embedded.FORMAT_VERSION


def _as_format_8(connection: sqlite3.Connection) -> None:
    """Turn a store back into format 8: each relationship's document count, first sources and JSON in a table of
    their own."""
    connection.executescript(
        "CREATE TABLE rel_first_sources (id TEXT PRIMARY KEY, documents INTEGER NOT NULL, sources TEXT NOT NULL, "
        "answer TEXT NOT NULL) WITHOUT ROWID; INSERT INTO rel_first_sources SELECT id, documents, sources, answer "
        "FROM rels; ALTER TABLE rels DROP COLUMN answer; ALTER TABLE rels DROP COLUMN sources; "
        "ALTER TABLE rels DROP COLUMN documents; PRAGMA user_version = 8;")


# Each fact's first sources as formats 6 and 7 kept them: its first documents' claims' sources texts, in a list.
_GROUPS = ("(SELECT '[' || group_concat(sources, ',') || ']' FROM (SELECT sources FROM {claims} "
           "WHERE {column} = {kept}.id ORDER BY document LIMIT 20))")


def _as_format(db: Path, version: int) -> None:
    """Turn a store back into format 8 (``_as_format_8``), 7 (also each fact's answer JSON kept whole, its first
    sources by document) or 6 (the same, without the answer JSON)."""
    with sqlite3.connect(db / STORE_FILE) as connection:
        _as_format_8(connection)
        if version == 8:
            return
        for kept, claims, column in (("node_first_sources", "node_claims", "node_id"),
                                     ("rel_first_sources", "rel_claims", "rel_id")):
            connection.execute(f"UPDATE {kept} SET answer = substr(answer, 1, length(answer) - 1) || "
                               f"',\"sources\":' || sources || '}}', "
                               f"sources = {_GROUPS.format(claims=claims, column=column, kept=kept)}")
            if version == 6:
                connection.execute(f"ALTER TABLE {kept} DROP COLUMN answer")
        connection.execute(f"PRAGMA user_version = {version}")


def _hub_store(db: Path) -> EmbeddedStore:
    """A store with a hub of 28 documents, a document written twice and one removed."""
    written = EmbeddedStore(db)
    for doc in [mou_document(), plan_document(), *(region_document(n) for n in (3, 1, *range(4, 30), 2))]:
        written.write_document(doc)
    written.write_document(region_document(7, quote="Tỉnh Đắk Lắk (đính chính)"))
    written.remove_document(region_document(5).document)
    return written


def _neighbourhoods(store: EmbeddedStore) -> tuple[bytes, ...]:
    return (store.neighbourhood_json("loc:66", depth=2), store.neighbourhood_json("sector:van-hoa", depth=2),
            store.neighbourhood_json("org:ubnd-q3", depth=3, limit=9))


@pytest.mark.parametrize("version", [6, 7, 8])
def test_a_store_of_format_6_7_or_8_keeps_each_facts_json_and_sources_apart_on_first_open(tmp_path: Path,
                                                                                       version: int) -> None:
    """A store written before facts kept their JSON apart from their sources (7: kept whole, with them; 6: not
    kept), or before relationships kept them in their own rows (8), opens with both, as the writes would have kept
    them: the same neighbourhoods, the same rows."""
    db = tmp_path / "db"
    written = _hub_store(db)
    expected, rows = _neighbourhoods(written), stored_rows(db)
    assert expected[0] == written.neighbourhood("loc:66", depth=2, first_documents=ANSWER_DOCUMENTS).model_dump_json().encode()
    assert all(row[-1] and row[-2] for row in rows["node_first_sources"] + rows["rels"])
    written.close()
    _as_format(db, version)
    assert stored_rows(db) != rows

    migrated = EmbeddedStore(db)

    assert _neighbourhoods(migrated) == expected
    assert stored_rows(db) == rows
    with sqlite3.connect(db / STORE_FILE) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == graph.embedded.FORMAT_VERSION == 9


def test_one_more_document_rewrites_a_facts_sources_not_its_json(tmp_path: Path) -> None:
    """A claim from one more document that leaves a fact as it was (name, aliases, properties) changes its kept
    sources, and its answer, but not its kept JSON; the answer is the one the fact's model writes."""
    db = tmp_path / "db"
    store = EmbeddedStore(db)
    store.write_document(region_document(1))
    with sqlite3.connect(db / STORE_FILE) as connection:
        before = connection.execute("SELECT answer, sources FROM node_first_sources WHERE id = 'loc:66'").fetchone()
    store.write_document(region_document(2))
    with sqlite3.connect(db / STORE_FILE) as connection:
        after = connection.execute("SELECT answer, sources FROM node_first_sources WHERE id = 'loc:66'").fetchone()

    assert after[0] == before[0] and after[1] != before[1]
    assert [s["document"] for s in json.loads(after[1])] == [region_document(1).document, region_document(2).document]
    assert store.neighbourhood_json("loc:66", depth=1) == store.neighbourhood(
        "loc:66", depth=1, first_documents=ANSWER_DOCUMENTS).model_dump_json().encode()


def test_a_store_without_the_log_of_index_changes_gains_it_on_first_open(tmp_path: Path) -> None:
    """A store written before the log of its index's changes opens with it (the log is additive: a store of
    format 5 or 6 gains it whatever its format says), answers the same, and then logs what is written."""
    db = tmp_path / "db"
    written = EmbeddedStore(db)
    for doc in (mou_document(), plan_document()):
        written.write_document(doc)
    expected = written.contacts("hội chợ cà phê"), written.search("tuy duc")
    written.close()
    with sqlite3.connect(db / STORE_FILE) as connection:  # the store as format 5 had it
        connection.executescript("DROP TRIGGER term_logged_added; DROP TRIGGER term_logged_removed;"
                                 "DROP TRIGGER term_log_pruned; DROP TABLE term_log;")

    migrated = EmbeddedStore(db)

    assert (migrated.contacts("hội chợ cà phê"), migrated.search("tuy duc")) == expected
    migrated.write_document(investment_document())
    assert [a.task_id for a in migrated.contacts("hội nghị xúc tiến đầu tư")] == ["task:xtdt"]
    with sqlite3.connect(db / STORE_FILE) as connection:
        assert connection.execute("SELECT COUNT(*) FROM term_log WHERE node_id = 'task:xtdt'").fetchone()[0] > 0


def _task_document(document: str, task_id: str, name: str) -> DocumentGraph:
    """A document naming one task and its contact (invented)."""
    source = [Source(document=document, quote=name)]
    task = Node(id=task_id, kind="Task", name=name, sources=source)
    person = Node(id=f"person:{task_id}", kind="Person", name="Phạm Thị Thử", sources=source)
    contact = Relationship(id=relationship_id("CONTACT", task.id, person.id), type="CONTACT", start=task.id,
                           end=person.id, sources=source)
    return DocumentGraph(document=document, sha256=document, nodes=[task, person], relationships=[contact])


def test_questions_follow_what_another_connection_writes_and_removes(tmp_path: Path) -> None:
    """A store keeps the posting lists it has read in memory: a task another writer adds, renames or
    removes is found, or no longer found, by the next question all the same."""
    db = tmp_path / "db"
    asking, writing = EmbeddedStore(db), EmbeddedStore(db)
    writing.write_document(_task_document("a.txt", "task:a", "Hội chợ cà phê Buôn Thử"))
    asked = "hoi cho ca phe"
    assert [a.task_id for a in asking.contacts(asked)] == ["task:a"]  # the postings of its words read, and kept

    writing.write_document(_task_document("b.txt", "task:b", "Hội chợ cà phê Ea Thử"))
    assert [a.task_id for a in asking.contacts(asked)] == ["task:a", "task:b"]
    writing.write_document(_task_document("c.txt", "task:c", "Tập huấn nuôi ong"))
    writing.write_document(_task_document("c.txt", "task:c", "Hội chợ cà phê Krông Thử"))  # renamed
    assert [a.task_id for a in asking.contacts(asked)] == ["task:a", "task:b", "task:c"]
    writing.remove_document("a.txt")
    assert [a.task_id for a in asking.contacts(asked)] == ["task:b", "task:c"]
    asking.write_document(_task_document("d.txt", "task:d", "Hội chợ cà phê Đắk Thử"))  # its own writes too
    assert [a.task_id for a in asking.contacts(asked)] == ["task:b", "task:c", "task:d"]


def test_questions_follow_new_words_and_names_another_connection_writes(tmp_path: Path) -> None:
    """A store keeps each kind's words and its candidates' names in memory: a word no task held when it
    first asked, and a task renamed with the same words in another order (another score), are read again."""
    db = tmp_path / "db"
    asking, writing = EmbeddedStore(db), EmbeddedStore(db)
    writing.write_document(_task_document("a.txt", "task:a", "Hội chợ cà phê Buôn Thử"))
    assert asking.contacts("hội chợ sầu riêng") == []  # no task holds "sầu riêng" yet
    writing.write_document(_task_document("b.txt", "task:b", "Hội chợ sầu riêng Ea Thử"))
    assert [a.task_id for a in asking.contacts("hội chợ sầu riêng")] == ["task:b"]

    asked = "hoi cho ca phe buon thu"
    before = asking.contacts(asked)
    writing.write_document(_task_document("a.txt", "task:a", "Cà phê Buôn Thử hội chợ"))  # the same words
    after = asking.contacts(asked)

    assert [a.task_id for a in after] == ["task:a"] and after[0].score < before[0].score
    assert after == EmbeddedStore(db).contacts(asked)


def test_a_store_behind_the_log_of_changes_reads_the_posting_lists_again(tmp_path: Path) -> None:
    """The log keeps the last changes only: a store whose posting lists are older than all it keeps
    reads them again from the index."""
    db = tmp_path / "db"
    asking, writing = EmbeddedStore(db), EmbeddedStore(db)
    writing.write_document(_task_document("a.txt", "task:a", "Hội chợ cà phê Buôn Thử"))
    assert [a.task_id for a in asking.contacts("hoi cho ca phe")] == ["task:a"]
    writing.write_document(_task_document("b.txt", "task:b", "Hội chợ cà phê Ea Thử"))
    with sqlite3.connect(db / STORE_FILE) as connection:  # as pruning leaves it: all but the last change gone
        connection.execute("DELETE FROM term_log WHERE seq < (SELECT MAX(seq) FROM term_log)")

    assert [a.task_id for a in asking.contacts("hoi cho ca phe")] == ["task:a", "task:b"]


def test_bits_held_by_at_least_so_many_sets_are_those_counted_one_by_one() -> None:
    rng = random.Random(3)
    for _ in range(300):
        sets = [rng.getrandbits(rng.choice([1, 8, 70, 200])) for _ in range(rng.randrange(1, 12))]
        for times in range(1, len(sets) + 2):
            counted = sum(1 << bit for bit in range(200) if sum(s >> bit & 1 for s in sets) >= times)
            assert bits_in_at_least(sets, times) == counted, (sets, times)


def test_bits_held_by_exactly_so_many_sets_are_those_counted_one_by_one() -> None:
    rng = random.Random(4)
    for _ in range(300):
        among = rng.getrandbits(200)
        sets = [rng.getrandbits(rng.choice([1, 8, 70, 200])) for _ in range(rng.randrange(1, 12))]
        by_count = exactly(among, counted(sets))
        for times in range(len(sets) + 2):
            held = sum(1 << bit for bit in range(200) if among >> bit & 1 and sum(s >> bit & 1 for s in sets) == times)
            assert (by_count[times] if times < len(by_count) else 0) == held, (among, sets, times)


def test_a_json_store_of_an_unknown_format_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "db"
    db.mkdir()
    (db / LEGACY_FILE).write_text(json.dumps({"version": 99}), encoding="utf-8")
    with pytest.raises(RuntimeError, match="unsupported store format"):
        EmbeddedStore(db)
    assert (db / LEGACY_FILE).exists()


def _resolve_one(db: str, ready: Event, done: Event) -> None:
    store = EmbeddedStore(Path(db))
    ready.set()
    resolution.write_document(store, mou_document())
    done.set()


def test_a_second_resolver_waits_for_the_one_holding_the_store(tmp_path: Path) -> None:
    """Resolution reads its index, judges and writes in several transactions: another process's
    ingest waits until the one resolving has finished, then goes in whole."""
    db = tmp_path / "db"
    store = EmbeddedStore(db)
    ready, done = SPAWN.Event(), SPAWN.Event()
    other = SPAWN.Process(target=_resolve_one, args=(str(db), ready, done))
    with store.resolving():
        other.start()
        assert ready.wait(CHILD_TIMEOUT)
        assert not done.wait(1.0), "the other process resolved while this one held the store"
        assert store.mention_graphs() == {}
    assert done.wait(CHILD_TIMEOUT)
    other.join(CHILD_TIMEOUT)
    assert other.exitcode == 0
    assert list(store.mention_graphs()) == [MOU_DOC]


def test_a_resolution_that_fails_midway_leaves_the_store_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Resolution writes a document in one transaction: failing after the document was kept as read
    and resolution's index written, it leaves no row of it behind."""
    db = tmp_path / "db"
    store = EmbeddedStore(db)
    resolution.write_document(store, mou_document())
    before_rows = _on_disk(db)

    def disk_full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(EmbeddedStore, "write_document", disk_full)
        with pytest.raises(OSError):
            resolution.write_document(store, plan_document())

    assert _on_disk(db) == before_rows
    assert list(store.mention_graphs()) == [MOU_DOC]
    resolution.write_document(store, plan_document())
    assert sorted(store.mention_graphs()) == sorted([MOU_DOC, PLAN_DOC])


# --- documents written in groups (ingest): one transaction a group ---------------------------


def _written_one_at_a_time(db: Path, graphs: list[DocumentGraph]) -> EmbeddedStore:
    store = EmbeddedStore(db)
    for document in graphs:
        resolution.write_document(store, document)
    return store


def _rows_but_judgement_times(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the store but the judgements (which hold the time they were made: ``state`` has them)."""
    return {table: rows for table, rows in _on_disk(db).items() if table != "judgements"}


def test_a_writer_killed_in_the_middle_of_a_group_stores_none_of_it_and_ingest_again_stores_it_all(
        tmp_path: Path) -> None:
    db = tmp_path / "db"
    resolution.write_document(EmbeddedStore(db), small_document("before.txt"))
    before_rows = _on_disk(db)

    assert _run(_write_group_and_die, str(db)) == -signal.SIGKILL

    assert _on_disk(db) == before_rows
    with sqlite3.connect(db / STORE_FILE) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    reopened = EmbeddedStore(db)
    assert [d.document for d in reopened.documents()] == ["before.txt"]

    outcomes = resolution.write_documents(reopened, group_documents())
    assert [o.status for o in outcomes if not isinstance(o, Exception)] == ["added"] * len(group_documents())
    reference = _written_one_at_a_time(tmp_path / "reference", [small_document("before.txt"), *group_documents()])
    assert state(reopened) == state(reference)
    assert _rows_but_judgement_times(db) == _rows_but_judgement_times(tmp_path / "reference")

    again = resolution.write_documents(reopened, group_documents())
    assert {o.status for o in again if not isinstance(o, Exception)} == {"unchanged"}
    assert _rows_but_judgement_times(db) == _rows_but_judgement_times(tmp_path / "reference")


REFUSED_LENGTH = 100_000  # characters: the texts of the group's documents are shorter than this


def test_a_document_the_store_refuses_in_the_middle_of_a_group_is_the_only_one_not_stored(tmp_path: Path) -> None:
    """Its text, written last (as ingest writes it), is longer than the store allows: what it wrote before
    is taken back, the documents before and after it in the group go in."""
    store = EmbeddedStore(tmp_path / "db")
    store._db().setlimit(sqlite3.SQLITE_LIMIT_LENGTH, REFUSED_LENGTH)
    group = group_documents()
    refused = small_document("refused.txt")
    texts = {g.document: f"văn bản của {g.document}" for g in group} | {refused.document: "dài " * REFUSED_LENGTH}

    outcomes = resolution.write_documents(store, [*group[:3], refused, *group[3:]],
                                          lambda document: store.save_document_text(document.document, texts[document.document]))

    error = outcomes.pop(3)
    assert isinstance(error, sqlite3.DataError) and "too big" in str(error)
    assert [o.status for o in outcomes if not isinstance(o, Exception)] == ["added"] * len(group)
    assert "refused.txt" not in {d.document for d in store.documents()}
    reference = _written_one_at_a_time(tmp_path / "reference", group)
    for document in group:
        reference.save_document_text(document.document, texts[document.document])
    assert state(store) == state(reference)
    assert _rows_but_judgement_times(tmp_path / "db") == _rows_but_judgement_times(tmp_path / "reference")
