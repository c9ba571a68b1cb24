"""Question latency under concurrent clients, through ``lienket serve``, on either backend.

Run: ``.venv/bin/python benchmarks/query_bench.py --backend embedded --documents 10000``
     ``.venv/bin/python benchmarks/query_bench.py --backend neo4j --documents 2000 --seconds 60``

Fills a store with the national corpus (``--db FOLDER`` reuses an embedded store filled
before, e.g. by ``ingest_bench.py --db``), starts ``lienket serve`` on it, and reports how long
the server took to give its first answer and how much memory it holds. Then ``--clients``
clients, each with its own keep-alive connection, ask for ``--seconds``: contacts of a task
named as a person types it (no diacritics), partners of a province or district, the depth-2
neighbourhood of a department, and a search, in turn, each drawn from a pool of
``--pool`` different questions (so an answer cache, if there were one, would rarely hit).
Per question: requests, p50, p99, errors (any answer but 200).

The clients are coroutines of one process speaking plain HTTP/1.1 over asyncio streams: 32
threads of a Python HTTP library burnt a core of the two this machine has, and that CPU was
taken from the server it measured. The client's own CPU time is reported. ``--think-ms``
makes each client wait that long (on average, drawn at random) between an answer and its next
question, as a person reading the answer would; 0 (the default) asks again at once, which
measures a saturated server: then latency is mostly time spent queueing behind the other
clients' questions.

Memory is read from ``/proc/PID/smaps_rollup`` of the server: RSS counts every page the process
maps, including the pages of the store's file that SQLite reads through mmap (shared with the
page cache, and counted again in every process that maps them); PSS divides each shared page
between the processes that map it; USS (private pages) is what the server alone holds and
what stopping it would free.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.ingest_bench import neo4j_uri  # noqa: E402
from benchmarks.national_corpus import national_corpus  # noqa: E402
from graph.model import DocumentGraph  # noqa: E402
from graph.text import strip_marks  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT_S = 300
Request = tuple[str, dict[str, str | int]]


def questions(docs: list[DocumentGraph], rng: random.Random, pool: int) -> dict[str, list[Request]]:
    """Requests of each kind, drawn from what the corpus names (paths and query parameters)."""
    tasks = [n.name for d in docs for n in d.nodes if n.kind == "Task"]
    places = sorted({n.name for d in docs for n in d.nodes if n.kind == "Locality"})
    departments = sorted({n.id for d in docs for n in d.nodes if n.kind == "Organization" and "Sở" in n.name})
    organizations = sorted({n.name for d in docs for n in d.nodes if n.kind == "Organization"})
    return {
        "contacts": [("/contacts", {"activity": strip_marks(t).lower()}) for t in rng.sample(tasks, min(pool, len(tasks)))],
        "partners": [("/localities/partners", {"locality": p}) for p in rng.sample(places, min(pool, len(places)))],
        "neighbourhood depth 2": [(f"/entities/{o}/neighbourhood", {"depth": 2})
                                  for o in rng.sample(departments, min(pool, len(departments)))],
        "search": [("/search", {"q": strip_marks(o)}) for o in rng.sample(organizations, min(pool, len(organizations)))],
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def memory_mb(pid: int) -> dict[str, float]:
    """The process's memory in MB: RSS, PSS, USS (private pages) now, and the peak RSS."""
    rollup = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:])
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)

    def mb(text: str) -> float:
        return int(text.split()[0]) / 1024

    return {"RSS": mb(rollup["Rss"]), "PSS": mb(rollup["Pss"]),
            "USS": mb(rollup["Private_Clean"]) + mb(rollup["Private_Dirty"]), "peak RSS": mb(status["VmHWM"])}


def descendants(pid: int) -> list[int]:
    """The processes the server started (the zygote), and theirs (the workers)."""
    children = [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
                for child in (task / "children").read_text().split()]
    return children + [grandchild for child in children for grandchild in descendants(child)]


def workers_memory_mb(pid: int) -> dict[str, float]:
    """The memory in MB of the server's zygote and workers, summed (each maps the store and keeps its own caches)."""
    each = [memory_mb(worker) for worker in descendants(pid)]
    return {name: sum(memory[name] for memory in each) for name in ("RSS", "PSS", "USS")}


def described(memory: dict[str, float]) -> str:
    return ", ".join(f"{name} {value:.0f} MB" for name, value in memory.items())


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


class Connection:
    """One keep-alive HTTP/1.1 connection: a GET at a time, the status and body read whole."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str, params: dict[str, str | int]) -> int:
        if self.streams is None:
            self.streams = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self.streams
        writer.write(f"GET {path}?{urlencode(params)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        await writer.drain()
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = dict(line.split(":", 1) for line in head[1:] if ":" in line)
        lengths = [v for k, v in headers.items() if k.lower() == "content-length"]
        await reader.readexactly(int(lengths[0]))  # the app answers with a length (no chunked answers)
        if any(k.lower() == "connection" and v.strip().lower() == "close" for k, v in headers.items()):
            await self.close()
        return int(head[0].split()[1])

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def load(port: int, asked: dict[str, list[Request]], clients: int, seconds: float,
               think_s: float) -> dict[str, list[float | None]]:
    """Latencies in seconds per question (None for an error), from ``clients`` coroutines."""
    results: dict[str, list[float | None]] = defaultdict(list)
    deadline = time.perf_counter() + seconds
    names = list(asked)

    async def client(number: int) -> None:
        rng = random.Random(number)
        turn = number
        connection = Connection(port)
        if think_s:
            await asyncio.sleep(rng.uniform(0, 2 * think_s))  # clients start apart, as people do
        while time.perf_counter() < deadline:
            name = names[turn % len(names)]
            turn += 1
            path, params = rng.choice(asked[name])
            started = time.perf_counter()
            try:
                ok = await connection.get(path, params) == 200
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                ok = False
                await connection.close()
            results[name].append(time.perf_counter() - started if ok else None)
            if think_s:
                await asyncio.sleep(rng.uniform(0, 2 * think_s))
        await connection.close()

    await asyncio.gather(*(client(n) for n in range(clients)))
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
    parser.add_argument("--think-ms", type=float, default=0, help="mean pause of a client between questions")
    parser.add_argument("--pool", type=int, default=1000, help="different questions of each kind")
    parser.add_argument("--rounds", type=int, default=1,
                        help="runs of --seconds against the same server, each reported (a JVM warms over several)")
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
    asked = questions(docs, random.Random(7), args.pool)
    del docs
    print(f"{args.backend}: {args.documents} documents, {sum(counts.nodes.values())} nodes, "
          f"{sum(counts.relationships.values())} relationships")
    process, base, ready = serve(env)
    try:
        print(f"server answered first after {ready:.2f} s, holding {described(memory_mb(process.pid))}; "
              f"{len(descendants(process.pid))} processes of its own (the zygote and the workers forked from it), "
              f"{described(workers_memory_mb(process.pid))} in all")
        for number in range(1, args.rounds + 1):
            run_round(number, process.pid, int(base.rsplit(":", 1)[1]), asked, args)
    finally:
        process.terminate()
        process.wait(timeout=60)
        if launcher is not None and launcher.stdin is not None:
            launcher.stdin.close()
        if folder is not None:
            folder.cleanup()


def run_round(number: int, server: int, port: int, asked: dict[str, list[Request]], args: argparse.Namespace) -> None:
    """One run of the clients against the server, and its report."""
    print(f"round {number}, load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    cpu = time.process_time()
    results = asyncio.run(load(port, asked, args.clients, args.seconds, args.think_ms / 1000))
    client_cpu = time.process_time() - cpu
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    total = sum(len(v) for v in results.values())
    print(f"{args.clients} clients (think time {args.think_ms:.0f} ms) for {args.seconds:.0f} s: "
          f"{total / args.seconds:.1f} requests/s; client CPU {client_cpu:.1f} s; server "
          f"{described(memory_mb(server))}; its processes {described(workers_memory_mb(server))} in all")
    print(f"{'question':<24}{'pool':>6}{'requests':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, values in results.items():
        good = [v for v in values if v is not None]
        p50 = percentile(good, 0.5) * 1000 if good else float("nan")
        p99 = percentile(good, 0.99) * 1000 if good else float("nan")
        print(f"{name:<24}{len(asked[name]):>6}{len(values):>9}{p50:>9.1f}{p99:>9.1f}{len(values) - len(good):>8}")

if __name__ == "__main__":
    main()
