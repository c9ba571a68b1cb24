"""The API under load, on both backends, and the ingest time of a 10,000-row table.

Run: ``.venv/bin/python benchmarks/load_bench.py [--seconds 60] [--clients 32] [--documents 1000]``

For each backend (``--backends embedded neo4j``) a store of ``--documents`` synthetic
documents (benchmarks/national_corpus.py: the 63 provinces and their districts, invented
departments, people and tasks) is built once and kept in ``--cache``; then ``lienket serve``
runs in a subprocess, with its default limits (expensive reads in its worker processes), and
``--clients`` concurrent clients ask for contacts, search, partners and neighbourhoods drawn
from what the corpus names, one after another without pause, for ``--seconds``. The table
counts answers by kind: 200 ok, 503 shed by the server's limit on expensive requests (with
Retry-After: the client waits that long before its next request, as a client should), and
errors (any other status or a dropped connection). Latencies are of the 200s. One more
client asks for the page or an entity by id (cheap requests) five times a second meanwhile:
their lines show what the load does to requests that never wait for a slot.

Neo4j is NEO4J_URI's (with NEO4J_USER, NEO4J_PASSWORD) when set, else the test suite's own
Neo4j 5.26 is started (tests/neo4j_server.py; Java and Maven needed once to build it).

Last, a plan whose appendix table has ``--rows`` rows (invented tasks, agencies and contacts)
is ingested into an empty embedded store, as ``lienket ingest`` does it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.national_corpus import ACTIVITIES, TOPICS, national_corpus  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402
from graph.model import DocumentGraph  # noqa: E402
from graph.store import GraphStore  # noqa: E402
from graph.text import strip_marks  # noqa: E402
from ingest.pipeline import ingest_bytes  # noqa: E402

RUNNING: list[subprocess.Popen[str]] = []  # a started Neo4j lives while this list holds it
FAILURES: Counter[str] = Counter()  # transport failures by exception name

# --- the 10,000-row table ----------------------------------------------------------------------

PLAN_HEAD = """ỦY BAN NHÂN DÂN
TỈNH KON TUM
Số: 901/KH-UBND
Kon Tum, ngày 02 tháng 4 năm 2024

KẾ HOẠCH
Triển khai hợp tác với Thành phố Hồ Chí Minh năm 2024

PHỤ LỤC I
CÁC NỘI DUNG HỢP TÁC

STT\tNội dung công việc\tCơ quan chủ trì\tCơ quan phối hợp\tSản phẩm\tThời gian thực hiện\tĐịa điểm\tĐầu mối liên hệ
"""
TABLE_AGENCIES = ["Sở Công Thương tỉnh Kon Tum", "Sở Y tế tỉnh Kon Tum", "Sở Du lịch Thành phố Hồ Chí Minh"]
TABLE_PEOPLE = ["Trần Thị Liên", "Lê Văn Bảo", "Phạm Minh Khoa", "Đỗ Thị Hằng"]


def plan_with_table(rows: int) -> str:
    """An invented plan whose appendix table has ``rows`` task rows."""
    lines = [PLAN_HEAD]
    for i in range(rows):
        contact = (f"Sở Công Thương TP.HCM (Bà {TABLE_PEOPLE[i % len(TABLE_PEOPLE)]} - Chuyên viên; "
                   f"Điện thoại: 0909.{i % 1000:03d}.{i % 997:03d})")
        lines.append("\t".join([
            str(i + 1),
            f"{ACTIVITIES[i % len(ACTIVITIES)]} {TOPICS[(i // 8) % len(TOPICS)]} đợt {i + 1}",
            TABLE_AGENCIES[i % 3],
            TABLE_AGENCIES[(i + 1) % 3],
            "Báo cáo",
            f"Tháng {i % 12 + 1}/2024",
            "Thành phố Kon Tum",
            contact,
        ]) + "\n")
    return "".join(lines)


def table_ingest(rows: int) -> None:
    text = plan_with_table(rows).encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="lienket-table-") as folder:
        started, cpu_started = time.perf_counter(), time.process_time()
        result = ingest_bytes(EmbeddedStore(Path(folder)), "bang_lon.txt", text)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"\n{rows}-row table ({len(text) / 1e6:.1f} MB): ingested in {elapsed:.1f} s, {cpu:.1f} s of CPU "
          f"({result.status}, {result.nodes} nodes, {result.relationships} relationships)")


# --- the stores ----------------------------------------------------------------------------------

def holds_corpus(store: GraphStore, documents: int) -> bool:
    """Whether the store holds exactly the corpus of ``documents`` documents (its names are numbered)."""
    names = {info.document for info in store.documents()}
    return len(names) == documents and all(name[:5].isdigit() and int(name[:5]) < documents for name in names)


def fill(store: GraphStore, documents: int) -> None:
    for index, graph in enumerate(national_corpus(documents)):
        store.write_document(graph)
        if (index + 1) % 100 == 0:
            print(f"  {index + 1} documents written", flush=True)


def embedded_env(cache: Path, documents: int) -> dict[str, str]:
    folder = cache / f"corpus-{documents}"
    store = EmbeddedStore(folder)
    if not holds_corpus(store, documents):
        print(f"building the embedded store of {documents} documents in {folder} ...", flush=True)
        store.clear()
        fill(store, documents)
    return {"LIENKET_BACKEND": "embedded", "LIENKET_DB": str(folder)}


def neo4j_env(documents: int) -> dict[str, str]:
    from graph.neo4j_store import Neo4jStore

    if os.environ.get("NEO4J_URI"):
        env = {name: os.environ.get(name, default) for name, default in
               (("NEO4J_URI", ""), ("NEO4J_USER", "neo4j"), ("NEO4J_PASSWORD", ""), ("NEO4J_DATABASE", "neo4j"))}
    else:
        from tests.neo4j_server import build_launcher, start_launcher

        print("starting a Neo4j 5.26 (tests/neo4j_server.py) ...", flush=True)
        process, uri, _version = start_launcher(build_launcher())  # stops when this process ends
        RUNNING.append(process)
        env = {"NEO4J_URI": uri, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": "", "NEO4J_DATABASE": "neo4j"}
    store = Neo4jStore(env["NEO4J_URI"], env["NEO4J_USER"], env["NEO4J_PASSWORD"], database=env["NEO4J_DATABASE"])
    try:
        if not holds_corpus(store, documents):
            print(f"building the Neo4j store of {documents} documents ...", flush=True)
            store.clear()
            fill(store, documents)
    finally:
        store.close()
    return {"LIENKET_BACKEND": "neo4j", **env}


# --- the load ------------------------------------------------------------------------------------

Request = tuple[str, str, dict[str, str]]  # kind, path, query parameters


def requests_mix(docs: list[DocumentGraph]) -> list[Callable[[random.Random], Request]]:
    """The four kinds of request, each drawing its parameters from what the corpus names."""
    tasks = [n.name for d in docs for n in d.nodes if n.kind == "Task"]
    places = sorted({n.name for d in docs for n in d.nodes if n.kind == "Locality"})
    organizations = sorted({n.name for d in docs for n in d.nodes if n.kind == "Organization"})
    agreements = agreement_ids(docs)

    def contacts(r: random.Random) -> Request:
        return "contacts", "/contacts", {"activity": strip_marks(r.choice(tasks)).lower()}

    def search(r: random.Random) -> Request:
        return "search", "/search", {"q": strip_marks(r.choice(organizations))}

    def partners(r: random.Random) -> Request:
        return "partners", "/localities/partners", {"locality": r.choice(places)}

    def neighbourhood(r: random.Random) -> Request:
        return "neighbourhood", f"/entities/{r.choice(agreements)}/neighbourhood", {"depth": "1"}

    return [contacts, search, partners, neighbourhood]


def agreement_ids(docs: list[DocumentGraph]) -> list[str]:
    return sorted({n.id for d in docs for n in d.nodes if n.kind == "Agreement"})


async def client(http: httpx.AsyncClient, seed: int, until: float, docs: list[DocumentGraph],
                 results: list[tuple[str, int, float]]) -> None:
    rng = random.Random(seed)
    mix = requests_mix(docs)
    while time.monotonic() < until:
        kind, path, params = rng.choice(mix)(rng)
        started = time.monotonic()
        try:
            response = await http.get(path, params=params)
            status = response.status_code
        except httpx.HTTPError as exc:
            status = 0  # the connection dropped or the client timed out
            FAILURES[type(exc).__name__] += 1
        results.append((kind, status, time.monotonic() - started))
        if status == 503:
            await asyncio.sleep(float(response.headers.get("Retry-After", "1")))


def cheap_client(url: str, until: float, agreements: list[str]) -> list[tuple[str, int, float]]:
    """One more client, in its own process (the load's clients share one event loop, whose delays
    would count in these times), asking five times a second for the page (no store work) or an
    entity by id (one node and its neighbours), in turn."""
    rng = random.Random(-1)
    results = []
    with httpx.Client(base_url=url, timeout=120) as http:
        while time.time() < until:
            entity = f"/entities/{rng.choice(agreements)}"
            kind, path = rng.choice([("(cheap) page", "/"), ("(cheap) entity", entity)])
            started = time.monotonic()
            try:
                status = http.get(path).status_code
            except httpx.HTTPError:
                status = 0  # the connection dropped or the client timed out
            results.append((kind, status, time.monotonic() - started))
            time.sleep(0.2)
    return results


async def load(url: str, clients: int, seconds: float, docs: list[DocumentGraph]
               ) -> tuple[list[tuple[str, int, float]], list[tuple[str, int, float]], float]:
    results: list[tuple[str, int, float]] = []
    # idle connections are dropped before uvicorn's 5 s keep-alive ends, so none is reused as it closes
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=4)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=120) as http:
        started = time.monotonic()
        until = started + seconds
        with ProcessPoolExecutor(1) as other_process:
            cheap_run = other_process.submit(cheap_client, url, time.time() + seconds, agreement_ids(docs))
            await asyncio.gather(*(client(http, seed, until, docs, results) for seed in range(clients)))
            cheap = cheap_run.result()
        return results, cheap, time.monotonic() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def report(backend: str, results: list[tuple[str, int, float]], cheap: list[tuple[str, int, float]],
           elapsed: float) -> None:
    by_kind: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for kind, status, seconds in results:
        by_kind[kind].append((status, seconds))
    print(f"\n{backend}: {len(results)} requests in {elapsed:.0f} s, {len(results) / elapsed:.1f} req/s")
    print(f"{'request':16} {'count':>6} {'200':>6} {'503':>6} {'errors':>6} {'p50 ms':>8} {'p99 ms':>8}")
    cheap_by_kind: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for kind, status, seconds in cheap:
        cheap_by_kind[kind].append((status, seconds))
    rows_by_kind = [*sorted(by_kind.items()), ("all", [(s, t) for _, s, t in results]), *sorted(cheap_by_kind.items())]
    for kind, rows in rows_by_kind:
        statuses = Counter(status for status, _ in rows)
        ok = [t * 1000 for status, t in rows if status == 200]
        errors = len(rows) - statuses[200] - statuses[503]
        print(f"{kind:16} {len(rows):6} {statuses[200]:6} {statuses[503]:6} {errors:6} "
              f"{percentile(ok, 0.5):8.0f} {percentile(ok, 0.99):8.0f}")
    other = Counter(status for _, status, _ in results if status not in (200, 503))
    if other:
        print(f"  errors by status (0 = dropped connection or client timeout): {dict(other)}; "
              f"transport failures: {dict(FAILURES)}")
    FAILURES.clear()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_and_load(backend: str, env: dict[str, str], clients: int, seconds: float, documents: int) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "lienket.cli", "serve", "--port", str(port)], cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(1200):
            try:
                if httpx.get(f"{url}/stats", timeout=30).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        stats = httpx.get(f"{url}/stats", timeout=30).json()
        print(f"\n{backend}: {stats['documents']} documents, {sum(stats['nodes'].values())} nodes, "
              f"{sum(stats['relationships'].values())} relationships; {clients} clients for {seconds:g} s ...",
              flush=True)
        results, cheap, elapsed = asyncio.run(load(url, clients, seconds, list(national_corpus(documents))))
        report(backend, results, cheap, elapsed)
    finally:
        server.terminate()
        server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=10_000, help="rows of the table whose ingest is timed")
    parser.add_argument("--backends", nargs="*", default=["embedded", "neo4j"], choices=["embedded", "neo4j"],
                        help="backends to load (none: only the table ingest)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "lienket-load-bench",
                        help="where the built embedded store is kept between runs")
    args = parser.parse_args()
    for backend in args.backends:
        env = embedded_env(args.cache, args.documents) if backend == "embedded" else neo4j_env(args.documents)
        serve_and_load(backend, env, args.clients, args.seconds, args.documents)
    if args.rows:
        table_ingest(args.rows)


if __name__ == "__main__":
    main()
