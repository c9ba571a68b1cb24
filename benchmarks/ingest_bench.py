"""Ingest throughput on the national corpus, on either backend; and on Neo4j, the batched
UNWIND write against a naive per-row MERGE of the same rows, measured in the same run.

Run: ``.venv/bin/python benchmarks/ingest_bench.py --backend embedded --documents 10000``
     ``.venv/bin/python benchmarks/ingest_bench.py --backend neo4j --documents 2000``

The documents come from ``national_corpus`` already extracted (DocumentGraphs), so this
measures what follows extraction in ``lienket ingest``: ``graph.resolution.write_document``
(the document kept as read, resolved against the store, its merged view written), not the
readers. ``--store-only`` measures the store's ``write_document`` alone (no resolution).
Documents are written as ``lienket ingest`` writes them, in groups of ``GROUP_DOCUMENTS``, each
group one ``resolution.write_documents`` (``--group 1``: one transaction a document, as before
session 10); the report gives documents per second overall and the time of the first and the
last 1,000 documents (of the first and last half when there are fewer than 2,000; a group's time
shared among its documents): a path whose writes slow down as the store grows shows it there. Neo4j is the one ``NEO4J_URI`` names, or a fresh one started with the test launcher.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.national_corpus import national_corpus  # noqa: E402
from graph import resolution  # noqa: E402
from graph.model import DocumentGraph  # noqa: E402
from graph.store import GraphStore  # noqa: E402
from ingest.pipeline import GROUP_DOCUMENTS  # noqa: E402

ROW_SAMPLE_DOCUMENTS = 200  # documents whose rows the UNWIND-against-MERGE comparison writes
WINDOW = 1_000  # documents at the start and at the end whose times are compared


def write_all(store: GraphStore, docs: list[DocumentGraph], store_only: bool, group: int) -> list[tuple[float, float]]:
    """Write the documents as ingest does, ``group`` at a time in one ``resolution.write_documents`` (or
    each with the store's write alone); the wall and CPU seconds (of this process) each document took,
    a group's shared evenly among its documents."""
    times = []
    for first in range(0, len(docs), 1 if store_only else group):
        batch = docs[first:first + (1 if store_only else group)]
        started, cpu = time.perf_counter(), time.process_time()
        if store_only:
            store.write_document(batch[0])
        else:
            failed = [o for o in resolution.write_documents(store, batch) if isinstance(o, Exception)]
            assert not failed, failed
        share = len(batch)
        times += [((time.perf_counter() - started) / share, (time.process_time() - cpu) / share)] * share
    return times


def report(label: str, docs: list[DocumentGraph], times: list[tuple[float, float]], counts: Any) -> None:
    """Throughput, and the first 1,000 writes against the last (wall time and CPU time)."""
    window = max(1, min(WINDOW, len(times) // 2))
    nodes = sum(counts.nodes.values())
    rels = sum(counts.relationships.values())
    print(f"{label}: {len(docs)} documents -> {nodes} nodes, {rels} relationships")
    for name, index in (("wall", 0), ("CPU", 1)):
        values = [t[index] for t in times]
        first, last = sum(values[:window]), sum(values[-window:])
        print(f"  {name}: total {sum(values):.1f} s, {len(docs) / sum(values):.1f} documents/s; first {window} "
              f"documents {first:.2f} s, last {window} {last:.2f} s: last/first = {last / first:.2f}")


def neo4j_uri() -> tuple[str, str, str, subprocess.Popen[str] | None]:
    """Bolt URI, user, password of the Neo4j to use (the launcher's process when we started one)."""
    if os.environ.get("NEO4J_URI"):
        return os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""), None
    from tests.neo4j_server import BENCHMARK_JVM_OPTIONS, build_launcher, start_launcher

    process, uri, _ = start_launcher(build_launcher(), BENCHMARK_JVM_OPTIONS)
    return uri, "neo4j", "", process


def rows_of(docs: list[DocumentGraph]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Flat node and relationship rows: what a writer sends to Neo4j."""
    nodes = {n.id: {"id": n.id, "props": {"name": n.name, "kind": n.kind}} for d in docs for n in d.nodes}
    rels = {r.id: {"id": r.id, "start": r.start, "end": r.end} for d in docs for r in d.relationships}
    return list(nodes.values()), list(rels.values())


def unwind_against_merge(store: Any, docs: list[DocumentGraph]) -> None:
    """The same node and relationship rows written twice into an empty label: batched, then row by row."""
    nodes, rels = rows_of(docs)
    label, rel_type = "BenchmarkRow", "BENCHMARK_LINK"
    with store._driver.session(database=store.database) as session:
        session.run(f"CREATE CONSTRAINT bench_row_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE").consume()

        def clear() -> None:
            session.run(f"MATCH (n:{label}) CALL {{ WITH n DETACH DELETE n }} IN TRANSACTIONS OF 5000 ROWS").consume()

        def batched(tx: Any) -> None:
            tx.run(f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n += row.props", rows=nodes).consume()
            tx.run(f"UNWIND $rows AS row MATCH (a:{label} {{id: row.start}}), (b:{label} {{id: row.end}}) "
                   f"MERGE (a)-[r:{rel_type} {{id: row.id}}]->(b)", rows=rels).consume()

        def per_row(tx: Any) -> None:
            for row in nodes:
                tx.run(f"MERGE (n:{label} {{id: $id}}) SET n += $props", id=row["id"], props=row["props"]).consume()
            for row in rels:
                tx.run(f"MATCH (a:{label} {{id: $start}}), (b:{label} {{id: $end}}) "
                       f"MERGE (a)-[r:{rel_type} {{id: $id}}]->(b)", **row).consume()

        timings: dict[str, list[float]] = {"per-row MERGE": [], "batched UNWIND": []}
        # Round one compiles the plans and is not counted; then each way writes the rows again,
        # alternating, and the fastest of its three writes counts (the machine is shared: a write
        # slowed by other work says nothing about the writer).
        for counted in (False, True, True, True):
            for name, work in (("per-row MERGE", per_row), ("batched UNWIND", batched)):
                clear()
                started = time.perf_counter()
                session.execute_write(work)
                if counted:
                    timings[name].append(time.perf_counter() - started)
        clear()
        session.run("DROP CONSTRAINT bench_row_id IF EXISTS").consume()
    best = {name: min(seconds) for name, seconds in timings.items()}
    print(f"  same {len(nodes)} node rows and {len(rels)} relationship rows, one transaction each "
          "(after a warm-up round, the fastest of three writes each):")
    for name, seconds in best.items():
        print(f"    {name}: {seconds:.2f} s ({(len(nodes) + len(rels)) / seconds:.0f} rows/s; "
              f"{' and '.join(f'{s:.2f}' for s in timings[name])} s)")
    print(f"    batched UNWIND is {best['per-row MERGE'] / best['batched UNWIND']:.1f}x faster")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["embedded", "neo4j"], default="embedded")
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--db", type=Path, help="keep the embedded store in this (empty) folder")
    parser.add_argument("--group", type=int, default=GROUP_DOCUMENTS,
                        help=f"documents per write transaction (lienket ingest: {GROUP_DOCUMENTS})")
    parser.add_argument("--store-only", action="store_true",
                        help="time the store's write alone, without resolution (not what ingest does)")
    args = parser.parse_args()
    path = "store write only" if args.store_only else "ingest path: resolution and store"
    docs = list(national_corpus(args.documents))
    if args.backend == "embedded":
        from graph.embedded import EmbeddedStore

        with tempfile.TemporaryDirectory() as scratch:
            folder = args.db or Path(scratch)
            store = EmbeddedStore(folder)
            times = write_all(store, docs, args.store_only, args.group)
            report(f"embedded (SQLite), {path}", docs, times, store.counts())
            size = sum(f.stat().st_size for f in folder.iterdir())
            print(f"  store size on disk {size / 1e6:.0f} MB")
            store.close()
        return
    from graph.neo4j_store import Neo4jStore

    uri, user, password, process = neo4j_uri()
    try:
        store = Neo4jStore(uri, user, password)
        store.clear()
        times = write_all(store, docs, args.store_only, args.group)
        report(f"neo4j, {path}", docs, times, store.counts())
        # after the documents, so that both ways meet a server whose write paths the JIT has compiled
        # (one round of warm-up runs the per-row statement 19,000 times, the batched one once)
        unwind_against_merge(store, docs[:ROW_SAMPLE_DOCUMENTS])
        store.close()
    finally:
        if process is not None:
            process.stdin.close() if process.stdin else None
            process.wait(timeout=60)


if __name__ == "__main__":
    main()
