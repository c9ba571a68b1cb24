"""Resolving a document against the store's index gives what judging every document again gives.

``graph.resolution.write_document`` judges only the pairs a document can change. Whatever the
order of the documents, the stored judgements and the stored merged graph must be those of the
full path (``settle`` after each document: ``xref`` over every document), on both backends.
The documents are four of the project's own evaluation sets (real plans and news pages, read by
the real readers), and a crowd of namesakes written here (invented) that fills a block past
``MAX_BLOCK`` and empties it again.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Any

from benchmarks.national_corpus import Document
from graph import resolution
from graph.embedded import FORMAT_VERSION, STORE_FILE, EmbeddedStore
from graph.model import DocumentGraph
from graph.store import GraphStore, IndexEntry
from ingest.extract import extract
from ingest.readers import read_document

EVAL = Path(__file__).parent / "eval"
NAMESAKES = resolution.MAX_BLOCK + 4
EVAL_SETS = "1234"  # four of the sets (50 documents), whose mentions give the rules unsure pairs to review
# The orders test writes the full path once and three orders: on Neo4j 50 documents take 25 minutes
# (the full path judges every document again after each one), 24 documents under two.
ORDER_SETS = "12"


@lru_cache(maxsize=2)
def eval_graphs(sets: str = EVAL_SETS) -> tuple[DocumentGraph, ...]:
    """The documents of these evaluation sets, read and extracted (the graphs ingest writes)."""
    found = []
    for path in sorted(EVAL.glob(f"blind[{sets}]/docs/*")):
        data = path.read_bytes()
        graph, _ = extract(read_document(path.name, data), hashlib.sha256(data).hexdigest())
        found.append(graph)
    return tuple(found)


def namesake(number: int, with_person: bool = True) -> DocumentGraph:
    """A body of its own locality, and an official of it whose name all the crowd shares (every tenth
    shares a phone with the next: the same person, moved to another body)."""
    doc = Document(f"crowd_{number:02d}.txt")
    body = doc.node(f"org:crowd-{number}", "Organization", f"Trung tâm Dịch vụ công {number}",
                    locality_code=f"{number:03d}")
    if with_person:
        phone = f"0912.000.{number - 1 if number % 10 == 1 else number:03d}"
        person = doc.node(f"person:crowd-{number}", "Person", "Khổng Đình Vĩ", phones=[phone])
        doc.rel("HOLDS", person, body, "Giám đốc Khổng Đình Vĩ", title="Giám đốc")
    return doc.graph()


def crowd() -> list[DocumentGraph]:
    """More namesakes than a block holds, then four documents again without theirs: the block is
    too common, then small enough again."""
    return [namesake(n) for n in range(NAMESAKES)] + [namesake(n, with_person=False) for n in range(4)]


def state(store: GraphStore) -> tuple[list[tuple[Any, ...]], str]:
    """The rules' and people's judgements (without their time) and the merged graph, as JSON."""
    judgements = sorted((j.id, j.kind, j.left, j.right, j.judgement, j.score, tuple(j.evidence), j.decided_by)
                        for j in store.judgements())
    return judgements, store._whole_graph().model_dump_json()


def full_path(store: GraphStore, graphs: list[DocumentGraph]) -> tuple[list[tuple[Any, ...]], str]:
    """Each document written as before the index: every document judged again after each one."""
    store.clear()
    for graph in graphs:
        store.save_mention_graph(graph)
        resolution.settle(store, written=graph)
    return state(store)


def incremental(store: GraphStore, graphs: list[DocumentGraph]) -> tuple[list[tuple[Any, ...]], str]:
    store.clear()
    for graph in graphs:
        resolution.write_document(store, graph)
    return state(store)


def test_any_order_of_documents_gives_the_judgements_and_graph_of_the_full_path(store: GraphStore) -> None:
    graphs = list(eval_graphs(ORDER_SETS))
    expected = full_path(store, graphs)
    assert any(j[4] == resolution.SAME for j in expected[0]), "the documents give the rules something to merge"
    shuffled = list(graphs)
    random.Random(15).shuffle(shuffled)
    for order in (graphs, shuffled[::-1], shuffled):
        assert incremental(store, order) == expected


def test_documents_written_in_groups_give_the_judgements_and_graph_of_one_at_a_time(store: GraphStore) -> None:
    """Ingest writes documents in groups (on the embedded store one transaction each): resolving a
    document reads what the documents before it in its group wrote."""
    graphs = list(eval_graphs(ORDER_SETS))
    expected = incremental(store, graphs)
    assert any(j[4] == resolution.SAME for j in expected[0]), "the documents give the rules something to merge"
    store.clear()
    for first in range(0, len(graphs), 5):
        outcomes = resolution.write_documents(store, graphs[first:first + 5])
        assert [o.status for o in outcomes if not isinstance(o, Exception)] == ["added"] * len(outcomes)
    assert state(store) == expected


def test_a_block_that_grows_past_its_limit_and_back_gives_the_full_path_s_pairs(store: GraphStore) -> None:
    graphs = crowd()
    checkpoints = (resolution.MAX_BLOCK, NAMESAKES, len(graphs))  # at the limit, past it, and back
    store.clear()
    full = {}
    for count, graph in enumerate(graphs, 1):
        store.save_mention_graph(graph)
        resolution.settle(store, written=graph)
        if count in checkpoints:
            full[count] = state(store)
    assert len(full[resolution.MAX_BLOCK][0]) > len(full[NAMESAKES][0])  # past the limit the name tells nothing
    assert len(full[len(graphs)][0]) == len(full[resolution.MAX_BLOCK][0])
    store.clear()
    for count, graph in enumerate(graphs, 1):
        resolution.write_document(store, graph)
        if count in checkpoints:
            assert state(store) == full[count]
    assert store.index_entries(keys=[resolution.BUILT.key]) == [resolution.BUILT]


def test_writing_every_document_again_changes_nothing(store: GraphStore) -> None:
    graphs = list(eval_graphs())
    incremental(store, graphs)
    before = store.judgements(), store.index_entries(keys=[resolution.BUILT.key]), state(store)
    summaries = [resolution.write_document(store, graph) for graph in reversed(graphs)]
    assert {s.status for s in summaries} == {"unchanged"}
    assert (store.judgements(), store.index_entries(keys=[resolution.BUILT.key]), state(store)) == before


def test_after_a_removal_and_a_person_s_decision_the_next_documents_still_match_the_full_path(
        store: GraphStore) -> None:
    graphs = list(eval_graphs())
    head, tail = graphs[:-10], graphs[-10:]
    incremental(store, head)
    resolution.remove_document(store, head[0].document)
    unsure = next(p for p in resolution.review_queue(store))
    resolution.decide(store, unsure.judgement.left, unsure.judgement.right, resolution.DIFFERENT, "tester")
    for graph in tail:
        resolution.write_document(store, graph)
    judgements, graph = state(store)
    people = [j for j in store.judgements() if j.decided_by != resolution.RULE]
    rules = [j for j in judgements if j[7] == resolution.RULE]
    expected = sorted((j.id, j.kind, j.left, j.right, j.judgement, j.score, tuple(j.evidence), j.decided_by)
                      for j in resolution.xref(store.mention_graphs(), people))
    assert rules == expected
    # the merged graph too: the full path's, from the same documents and the same person's judgement
    resolution.settle(store)
    assert state(store) == (judgements, graph)


def test_a_write_cut_short_leaves_a_mark_and_the_next_one_takes_the_full_path(store: GraphStore) -> None:
    graphs = list(eval_graphs())
    head, tail = graphs[:-5], graphs[-5:]
    expected = full_path(store, graphs)
    incremental(store, head)
    # as a write killed after the document's entries and before the profiles it changed
    owner = resolution.DOCUMENT + tail[0].document
    parts = resolution.document_profiles(tail[0])
    store.replace_index_entries([owner], [*resolution._document_entries(tail[0].document, parts),
                                          IndexEntry(resolution.PENDING + owner, resolution.PENDING,
                                                     tail[0].document, "")])
    for graph in tail:
        resolution.write_document(store, graph)
    assert store.index_entries(keys=[resolution.BUILT.key, resolution.PENDING]) == [resolution.BUILT]
    assert state(store) == expected


def test_a_store_of_the_previous_format_gains_the_index_and_resolves_as_the_full_path(tmp_path: Path) -> None:
    graphs = list(eval_graphs())
    head, tail = graphs[:-5], graphs[-5:]
    with EmbeddedStore(tmp_path / "full") as store:
        expected = full_path(store, graphs)
    folder = tmp_path / "old"
    with EmbeddedStore(folder) as store:
        for graph in head:
            store.save_mention_graph(graph)
            resolution.settle(store, written=graph)
    with sqlite3.connect(folder / STORE_FILE) as connection:  # as format 4 left it: no index
        connection.execute("DROP TABLE resolution_index")
        connection.execute("DROP INDEX judgements_by_left")
        connection.execute("DROP INDEX judgements_by_right")
        connection.execute("PRAGMA user_version=4")
    with EmbeddedStore(folder) as store:
        with sqlite3.connect(folder / STORE_FILE) as connection:
            assert connection.execute("PRAGMA user_version").fetchone()[0] == FORMAT_VERSION == 9
            names = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
            assert {"resolution_index", "judgements_by_left", "judgements_by_right"} <= names
        assert store.index_entries(keys=[resolution.BUILT.key]) == []  # filled by the first write
        for graph in tail:
            resolution.write_document(store, graph)
        assert store.index_entries(keys=[resolution.BUILT.key]) == [resolution.BUILT]
        assert state(store) == expected
