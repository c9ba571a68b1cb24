"""Question latency under concurrent clients, through ``lienket serve``, on either backend.

Run: ``.venv/bin/python benchmarks/query_bench.py --backend embedded --documents 10000``
     ``.venv/bin/python benchmarks/query_bench.py --backend neo4j --documents 2000 --seconds 60``

Fills a store with the national corpus (``--db FOLDER`` reuses an embedded store filled
before, e.g. by ``ingest_bench.py --db``), starts ``lienket serve`` on it, and reports how long
the server took to give its first answer and how much memory it holds. Then ``--clients``
threads, each with its own connection, ask for ``--seconds``: contacts of a task named as a
person types it (no diacritics), partners of a province or district, the depth-2
neighbourhood of a department, and a search, in turn. Per question: requests, p50, p99, errors.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.ingest_bench import neo4j_uri  # noqa: E402
from benchmarks.national_corpus import national_corpus  # noqa: E402
from graph.model import DocumentGraph  # noqa: E402
from graph.text import strip_marks  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT_S = 300


def questions(docs: list[DocumentGraph], rng: random.Random) -> dict[str, list[tuple[str, dict[str, str | int]]]]:
    """Requests of each kind, drawn from what the corpus names (paths and query parameters)."""
    tasks = [n.name for d in docs for n in d.nodes if n.kind == "Task"]
    places = sorted({n.name for d in docs for n in d.nodes if n.kind == "Locality"})
    departments = sorted({n.id for d in docs for n in d.nodes if n.kind == "Organization" and "Sở" in n.name})
    organizations = sorted({n.name for d in docs for n in d.nodes if n.kind == "Organization"})
    return {
        "contacts": [("/contacts", {"activity": strip_marks(t).lower()}) for t in rng.sample(tasks, 200)],
        "partners": [("/localities/partners", {"locality": p}) for p in rng.sample(places, min(200, len(places)))],
        "neighbourhood depth 2": [(f"/entities/{o}/neighbourhood", {"depth": 2})
                                  for o in rng.sample(departments, min(200, len(departments)))],
        "search": [("/search", {"q": strip_marks(o)}) for o in rng.sample(organizations, min(200, len(organizations)))],
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def memory_mb(pid: int) -> tuple[float, float]:
    """Resident memory now and at its peak, in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str, float]:
    """Start ``lienket serve``; the process, its base URL and the seconds until it first answered."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "lienket.cli", "serve", "--port", str(port)], env=env,
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    while time.perf_counter() - started < READY_TIMEOUT_S:
        try:
            # a question nothing answers: the time to the first answer, not to one question's work
            if httpx.get(f"{base}/contacts", params={"activity": "zzzz"}, timeout=60).status_code == 200:
                return process, base, time.perf_counter() - started
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the server did not answer in time")


def load(base: str, asked: dict[str, list[tuple[str, dict[str, str | int]]]], clients: int,
         seconds: float) -> dict[str, list[float | None]]:
    """Latencies in seconds per question (None for an error), from ``clients`` threads."""
    results: dict[str, list[float | None]] = defaultdict(list)
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    names = list(asked)

    def client(number: int) -> None:
        rng = random.Random(number)
        turn = number
        with httpx.Client(base_url=base, timeout=120) as http:
            while time.perf_counter() < deadline:
                name = names[turn % len(names)]
                turn += 1
                path, params = rng.choice(asked[name])
                started = time.perf_counter()
                try:
                    ok = http.get(path, params=params).status_code == 200
                except httpx.HTTPError:
                    ok = False
                took = time.perf_counter() - started
                with lock:
                    results[name].append(took if ok else None)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["embedded", "neo4j"], default="embedded")
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--db", type=Path, help="an embedded store already holding the corpus")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    docs = list(national_corpus(args.documents))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LIENKET_BACKEND": args.backend}
    launcher = None
    folder = None
    if args.backend == "embedded":
        from graph.embedded import EmbeddedStore

        if args.db is None:
            folder = tempfile.TemporaryDirectory()
            args.db = Path(folder.name)
        store = EmbeddedStore(args.db)
        if len(store.documents()) != len(docs):
            for doc in docs:
                store.write_document(doc)
        env["LIENKET_DB"] = str(args.db)
    else:
        from graph.neo4j_store import Neo4jStore

        uri, user, password, launcher = neo4j_uri()
        store = Neo4jStore(uri, user, password)
        if len(store.documents()) != len(docs):
            store.clear()
            for doc in docs:
                store.write_document(doc)
        env.update(NEO4J_URI=uri, NEO4J_USER=user, NEO4J_PASSWORD=password)
    counts = store.counts()
    store.close()
    print(f"{args.backend}: {len(docs)} documents, {sum(counts.nodes.values())} nodes, "
          f"{sum(counts.relationships.values())} relationships")
    process, base, ready = serve(env)
    try:
        rss, _ = memory_mb(process.pid)
        print(f"server answered first after {ready:.2f} s, holding {rss:.0f} MB")
        results = load(base, questions(docs, random.Random(7)), args.clients, args.seconds)
        rss, peak = memory_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=60)
        if launcher is not None and launcher.stdin is not None:
            launcher.stdin.close()
        if folder is not None:
            folder.cleanup()
    total = sum(len(v) for v in results.values())
    print(f"{args.clients} clients for {args.seconds:.0f} s: {total / args.seconds:.1f} requests/s; "
          f"server memory {rss:.0f} MB (peak {peak:.0f} MB)")
    print(f"{'question':<24}{'requests':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, values in results.items():
        good = [v for v in values if v is not None]
        p50 = percentile(good, 0.5) * 1000 if good else float("nan")
        p99 = percentile(good, 0.99) * 1000 if good else float("nan")
        print(f"{name:<24}{len(values):>9}{p50:>9.1f}{p99:>9.1f}{len(values) - len(good):>8}")


if __name__ == "__main__":
    main()
