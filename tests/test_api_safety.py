"""The API is safe to expose: attacks an outsider would try, against a real server and a real Neo4j.

The server is ``lienket serve`` in a subprocess (uvicorn, real sockets, its own temporary
folder); Cypher runs on the suite's Neo4j. Each refusal is checked for what it must leave
untouched: the graph, other clients' transactions, the disk.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import neo4j
import pytest
from httpx import Response

from api.deps import key_digest
from api.problems import PROBLEM_MEDIA_TYPE
from api.routes.viz import MAX_PICTURE_NODES
from api.schemas import MAX_PARAMETER_DEPTH, MAX_PARAMETER_LIST
from api.workers import WorkerPool
from benchmarks.national_corpus import national_corpus
from graph.embedded import EmbeddedStore
from graph.model import DocumentGraph, Node, Source
from graph.store import GraphStore
from tests.conftest import open_backend
from tests.factory import mou_document, plan_document
from tests.neo4j_server import Neo4jServer

ROOT = Path(__file__).resolve().parent.parent
API_KEY = "safety-key-for-tests-only"
# Runs until the Cypher timeout stops it: a query that costs the server CPU, not the API.
SLOW_QUERY = "UNWIND range(1, 100000000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``lienket serve`` in a subprocess, with its own temporary folder."""

    def __init__(self, env: dict[str, str], tmp: Path) -> None:
        self.port = free_port()
        self.tmp = tmp
        tmp.mkdir(parents=True, exist_ok=True)
        full_env = {**os.environ, "TMPDIR": str(tmp), "LIENKET_API_KEY_HASHES": key_digest(API_KEY), **env}
        self.process = subprocess.Popen([sys.executable, "-m", "lienket.cli", "serve", "--port", str(self.port)],
                                        cwd=ROOT, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.url = f"http://127.0.0.1:{self.port}"
        self.http = httpx.Client(base_url=self.url, timeout=60)
        self._wait_ready()

    def _wait_ready(self) -> None:
        for _ in range(600):
            if self.process.poll() is not None:
                stderr = self.process.stderr.read().decode() if self.process.stderr else ""
                pytest.fail(f"lienket serve exited: {stderr}")
            try:
                if self.http.get("/stats").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        pytest.fail("lienket serve did not start listening")

    def stored_files(self) -> list[int]:
        """Sizes of the files in the server's temporary folder, where request bodies are spooled:
        the named ones, and the unnamed ones it holds open (Linux gives those no name)."""
        named = []
        # os.walk skips a folder removed while it is walked; rglob would raise on it.
        for folder, _, files in os.walk(self.tmp):
            for name in files:
                try:
                    status = os.stat(os.path.join(folder, name))
                except OSError:  # removed meanwhile
                    continue
                if stat.S_ISREG(status.st_mode):  # not the workers' sockets
                    named.append(status.st_size)
        held = []
        for fd in Path(f"/proc/{self.process.pid}/fd").iterdir():
            try:
                if os.readlink(fd).startswith(str(self.tmp)):
                    held.append(fd.stat().st_size)
            except OSError:  # closed meanwhile
                continue
        return named + held

    def stop(self) -> None:
        self.http.close()
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start servers configured by LIENKET_* variables; all are stopped at the end of the test."""
    started: list[Server] = []

    def start(**env: str) -> Server:
        server = Server(env, tmp_path / f"tmp{len(started)}")
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def neo4j_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """The suite's Neo4j holding the two factory documents."""
    request.applymarker(pytest.mark.neo4j)
    store = open_backend("neo4j", tmp_path, request)
    store.write_document(mou_document())
    store.write_document(plan_document())
    yield store
    store.close()


@pytest.fixture
def neo4j_env(request: pytest.FixtureRequest, neo4j_store: GraphStore) -> dict[str, str]:
    """LIENKET_*/NEO4J_* variables of a server on the suite's Neo4j."""
    server = request.getfixturevalue("neo4j_server")
    return {"LIENKET_BACKEND": "neo4j", "NEO4J_URI": server.uri, "NEO4J_USER": server.user,
            "NEO4J_PASSWORD": server.password, "NEO4J_DATABASE": server.database}


def filled_embedded(folder: Path) -> dict[str, str]:
    """LIENKET_* variables of a server on an embedded store holding the factory documents."""
    store = EmbeddedStore(folder)
    store.write_document(mou_document())
    store.write_document(plan_document())
    return {"LIENKET_BACKEND": "embedded", "LIENKET_DB": str(folder)}


@pytest.fixture
def embedded_env(tmp_path: Path) -> dict[str, str]:
    return filled_embedded(tmp_path / "db")


@pytest.fixture(scope="module")
def embedded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server with the default limits over the factory documents, for the tests that only read."""
    folder = tmp_path_factory.mktemp("embedded-server")
    server = Server(filled_embedded(folder / "db"), folder / "tmp")
    yield server
    server.stop()


def assert_problem(response: Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
    body = response.json()
    assert body["status"] == status and body["detail"]
    return body


# --- POST /cypher: only reads of the graph ---------------------------------------------------

ADMINISTRATION = [
    ("SHOW TRANSACTIONS", "ShowTransactions"),
    ("SHOW TRANSACTIONS YIELD transactionId, currentQuery, parameters RETURN *", "ShowTransactions"),
    ("TERMINATE TRANSACTIONS $id", "TerminateTransactions"),
    ("SHOW SETTINGS", "ShowSettings"),
    ("SHOW PROCEDURES", "ShowProcedures"),
    ("CALL db.stats.collect('QUERIES')", "db.stats.collect"),
    ("CALL db.stats.clear('QUERIES')", "db.stats.clear"),
    ("CALL dbms.listConfig()", "Neo4j types this one 's'"),
    ("SHOW DATABASES", "Neo4j types this one 's'"),
    ("USE system MATCH (n) RETURN n", "not a valid query"),
    ("CALL { MATCH (n) RETURN n } IN TRANSACTIONS RETURN n", "TransactionApply"),
]


def test_administration_commands_are_refused_and_other_transactions_survive(
        serve: Callable[..., Server], neo4j_env: dict[str, str], neo4j_store: GraphStore,
        request: pytest.FixtureRequest) -> None:
    server = serve(**neo4j_env)
    graph_before = neo4j_store.counts()
    neo4j_server: Neo4jServer = request.getfixturevalue("neo4j_server")
    with connect(neo4j_server) as driver, driver.session(database=neo4j_server.database) as session:
        # another client's transaction, left open, holding a secret and an uncommitted write
        other = session.begin_transaction(metadata={"secret": "other-client-secret"})
        other.run("CREATE (:OtherClient {name: 'written by another client'})").consume()
        listed = driver.execute_query("SHOW TRANSACTIONS YIELD transactionId, metaData "
                                      "RETURN transactionId, metaData").records
        other_id = next(r["transactionId"] for r in listed if r["metaData"].get("secret"))

        for query, reason in ADMINISTRATION:
            response = server.http.post("/cypher", json={"query": query, "parameters": {"id": other_id}})
            body = assert_problem(response, 400)
            assert reason in body["detail"], (query, body["detail"])
            assert "other-client-secret" not in response.text and other_id not in response.text

        assert other.closed() is False
        other.commit()  # would raise had anything terminated it
        committed = driver.execute_query("MATCH (n:OtherClient) DETACH DELETE n RETURN count(*) AS n").records
    assert committed[0]["n"] == 1
    assert neo4j_store.counts() == graph_before


def connect(server: Neo4jServer) -> neo4j.Driver:
    """A driver of another client of the suite's Neo4j."""
    return neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password) if server.password else None)


def test_reads_and_allowed_procedures_still_run(serve: Callable[..., Server], neo4j_env: dict[str, str]) -> None:
    server = serve(**neo4j_env)
    labels = server.http.post("/cypher", json={"query": "CALL db.labels() YIELD label RETURN label ORDER BY label"})
    assert labels.status_code == 200, labels.text
    assert "Agreement" in [row["label"] for row in labels.json()["rows"]]
    parties = server.http.post("/cypher", json={
        "query": "MATCH (a:Agreement {id: $id})-[:PARTY]->(p) RETURN count(p) AS n",
        "parameters": {"id": "agr:hcm-dn"}})
    assert parties.json()["rows"] == [{"n": 2}]


# --- limits before work ------------------------------------------------------------------

def upload_head(length: int, key: str | None) -> tuple[bytes, bytes]:
    """The HTTP head of a multipart upload declaring ``length`` body bytes, and the part's head."""
    boundary = "lienket-test-boundary"
    part = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode()
    head = (f"POST /documents HTTP/1.1\r\nHost: test\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {length}\r\n" + (f"X-API-Key: {key}\r\n" if key else "") + "\r\n").encode()
    return head, part


def send_part_of_upload(server: Server, length: int, key: str | None, sent: int) -> socket.socket:
    """Open an upload declaring ``length`` bytes and send ``sent`` of them (the rest never comes)."""
    head, part = upload_head(length, key)
    connection = socket.create_connection(("127.0.0.1", server.port))
    connection.sendall(head + part)
    chunk = b"a" * 65536
    try:
        for _ in range(sent // len(chunk)):
            connection.sendall(chunk)
    except OSError:  # the server answered and closed: it wants no more of the body
        pass
    return connection


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_unauthenticated_upload_is_refused_before_its_body_is_stored(embedded_server: Server) -> None:
    server = embedded_server
    # the control: with the key, a large upload is spooled to the temporary folder as it arrives
    allowed = send_part_of_upload(server, 50_000_000, API_KEY, 3_000_000)
    try:
        assert wait_for(lambda: any(size > 1_000_000 for size in server.stored_files())), \
            "an authorised upload should be spooled to TMPDIR: the check below would prove nothing"
    finally:
        allowed.close()
    assert wait_for(lambda: not server.stored_files())

    # without a key, a 1 GB upload is answered 401 while its first megabytes arrive, and nothing is stored
    refused = send_part_of_upload(server, 1_000_000_000, None, 3_000_000)
    try:
        refused.settimeout(10)
        answer = refused.recv(4096).decode()
        assert answer.startswith("HTTP/1.1 401") and PROBLEM_MEDIA_TYPE in answer
        assert server.stored_files() == []
    finally:
        refused.close()
    assert server.http.get("/stats").json()["documents"] == 2  # nothing of either upload went in


@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/documents"), ("DELETE", "/documents/a.txt"), ("POST", "/documents/url"),
    ("DELETE", "/documents/https://example.org/tin-tuc"),
    ("POST", "/review/judgements"), ("DELETE", "/review/judgements/j1"),
])
def test_every_write_route_checks_the_key_before_the_body(embedded_server: Server, method: str, path: str) -> None:
    with socket.create_connection(("127.0.0.1", embedded_server.port)) as raw:
        # a 1 GB body is announced and never sent: the answer comes without waiting for it
        raw.sendall(f"{method} {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                    "Content-Length: 1000000000\r\n\r\n".encode())
        raw.settimeout(10)
        answer = raw.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 401") and PROBLEM_MEDIA_TYPE in answer


def test_bodies_are_capped_by_route_as_they_arrive(serve: Callable[..., Server], embedded_env: dict[str, str]) -> None:
    server = serve(**embedded_env, LIENKET_MAX_UPLOAD_BYTES="100000", LIENKET_MAX_UPLOAD_FILES="2")
    key = {"X-API-Key": API_KEY}
    declared = server.http.post("/documents", headers=key, files={"files": ("big.txt", b"a" * 400_000)})
    assert "byte limit" in assert_problem(declared, 413)["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the cap is counted as the bytes arrive
        for _ in range(40):
            yield b"x" * 65536

    streamed = server.http.post("/cypher", content=chunks(), headers={"Content-Type": "application/json"})
    assert "1000000-byte limit" in assert_problem(streamed, 413)["detail"]
    assert server.stored_files() == []
    assert_problem(server.http.post("/cypher", content=b"{" * 2_000_000, headers={"Content-Type": "application/json"}),
                   413)
    small = server.http.post("/documents", headers=key, files={"files": ("small.txt", "Kế hoạch ngắn.".encode())})
    assert small.status_code == 200, small.text


@pytest.mark.parametrize(("parameters", "reason"), [
    ({"xs": list(range(MAX_PARAMETER_LIST + 1))}, "at most 10000"),
    ({"deep": [[[[[[[[[[1]]]]]]]]]]}, f"more than {MAX_PARAMETER_DEPTH} deep"),
    ({"a": [list(range(9000))] * 6}, "more than 50000 values"),
])
def test_cypher_parameters_are_capped(embedded_server: Server, parameters: dict, reason: str) -> None:
    server = embedded_server
    response = server.http.post("/cypher", json={"query": "RETURN 1 AS one", "parameters": parameters})
    assert reason in assert_problem(response, 422)["detail"]


def test_the_timeout_holds_with_the_largest_parameters(serve: Callable[..., Server],
                                                       neo4j_env: dict[str, str]) -> None:
    server = serve(**neo4j_env, LIENKET_CYPHER_TIMEOUT_S="2")
    largest = list(range(MAX_PARAMETER_LIST))
    response = server.http.post("/cypher", json={
        "query": "UNWIND $xs AS a UNWIND $xs AS b UNWIND $xs AS c WITH a WHERE a + b + c = -1 RETURN count(*) AS n",
        "parameters": {"xs": largest}})
    assert "stopped" in assert_problem(response, 408)["detail"]


# --- bounded cost ----------------------------------------------------------------------------

def worker_processes(server: Server) -> list[int]:
    """The ids of the server's worker processes (forked by its zygote, its child running ``api.workers``)."""
    return sorted(worker for zygote in workers_of(server.process.pid) for worker in workers_of(zygote))


def workers_of(parent_pid: int) -> dict[int, float]:
    """A process's children running ``api.workers``: id → when each started, in seconds after boot."""
    found = {}
    for status_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status_file.read_text().rsplit(")", 1)[1].split()
            command = (status_file.parent / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):  # ended meanwhile
            continue
        if int(fields[1]) == parent_pid and b"api.workers" in command and fields[0] != "Z":
            found[int(status_file.parent.name)] = int(fields[19]) / os.sysconf("SC_CLK_TCK")
    return found


def running(pid: int) -> bool:
    """Whether a process runs (a zombie, ended but not waited for, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_workers_are_forked_from_one_process_that_imported_the_app(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The zygote imports the app and reads the store's posting lists once; each worker is a fork of it,
    ready without doing either again (each did both itself, and four started together on two cores
    shared them)."""
    store = EmbeddedStore(tmp_path / "db")
    store.write_document(mou_document())
    store.close()
    monkeypatch.setenv("LIENKET_BACKEND", "embedded")
    monkeypatch.setenv("LIENKET_DB", str(tmp_path / "db"))

    async def start_three() -> tuple[list[int], list[float], float]:
        pool = WorkerPool(3)
        await pool.start()
        try:
            give_up = time.monotonic() + 120
            while len(pool._idle._queue) < 3 and time.monotonic() < give_up:  # type: ignore[attr-defined]
                await asyncio.sleep(0.05)
            [zygote] = workers_of(os.getpid())
            workers = sorted(workers_of(zygote))
            return workers, [cpu_seconds(worker) for worker in workers], cpu_seconds(zygote)
        finally:
            await pool.stop()

    workers, workers_cpu, zygote_cpu = asyncio.run(start_three())
    assert len(workers) == 3
    assert max(workers_cpu) < zygote_cpu / 3, (workers_cpu, zygote_cpu)  # none imported the app itself
    assert not any(running(worker) for worker in workers)


def search_total(server: Server, text: str) -> int:
    response = server.http.get("/search", params={"q": text})
    assert response.status_code == 200, response.text
    return response.json()["total"]


def cooperative(document: str, own_word: str) -> Node:
    """An invented cooperative of a common name (its words held by a thousand nodes: their posting lists are
    among those read before the workers are forked) and a word of its own."""
    name = f"Hợp tác xã rau sạch {own_word}"
    return Node(id=f"org:coop-{own_word.lower()}", kind="Organization", name=name,
                sources=[Source(document=document, quote=f"{name} tham gia")])


def test_workers_forked_before_and_after_a_write_answer_with_it(serve: Callable[..., Server], tmp_path: Path) -> None:
    """The zygote read the posting lists before the write; a worker forked from it before the write and
    one forked after both bring them up to date from the store's log, and answer with the write."""
    store = EmbeddedStore(tmp_path / "db")
    store.write_document(DocumentGraph(document="hop_tac_xa.txt", sha256="a" * 64,
                                       nodes=[cooperative("hop_tac_xa.txt", f"Quelinh{n}") for n in range(1000)]))
    server = serve(LIENKET_BACKEND="embedded", LIENKET_DB=str(tmp_path / "db"), LIENKET_MAX_BUSY_REQUESTS="1")
    [before] = worker_processes(server)
    assert search_total(server, "Hợp tác xã rau sạch Vumaxo") == 0

    store.write_document(DocumentGraph(document="hop_tac_xa_moi.txt", sha256="b" * 64,
                                       nodes=[cooperative("hop_tac_xa_moi.txt", "Vumaxo")]))
    store.close()
    assert search_total(server, "Hợp tác xã rau sạch Vumaxo") == 1
    assert worker_processes(server) == [before]

    os.kill(before, signal.SIGKILL)
    assert_problem(server.http.get("/search", params={"q": "Vumaxo"}), 503)  # and the worker is replaced
    [after] = worker_processes(server)
    assert after != before
    assert search_total(server, "Hợp tác xã rau sạch Vumaxo") == 1
    assert worker_processes(server) == [after]


def test_a_killed_worker_is_replaced_by_a_fork_that_answers(serve: Callable[..., Server],
                                                             embedded_env: dict[str, str]) -> None:
    """A worker that ends under a request (killed at its deadline, or by anything else) is replaced: the
    zygote forks another, which answers the next requests."""
    server = serve(**embedded_env, LIENKET_MAX_BUSY_REQUESTS="1")
    [worker] = worker_processes(server)
    os.kill(worker, signal.SIGKILL)
    assert "try again" in assert_problem(server.http.get("/search", params={"q": "Dak Nong"}), 503)["detail"]
    [replacement] = worker_processes(server)
    assert replacement != worker
    search = server.http.get("/search", params={"q": "Dak Nong"})
    assert search.status_code == 200 and search.json()["total"] > 0, search.text


def test_nothing_is_left_running_after_the_server_is_killed(serve: Callable[..., Server],
                                                           embedded_env: dict[str, str]) -> None:
    server = serve(**embedded_env, LIENKET_MAX_BUSY_REQUESTS="2")
    assert wait_for(lambda: len(worker_processes(server)) == 2, 60)
    started = [*workers_of(server.process.pid), *worker_processes(server)]
    assert len(started) == 3  # the zygote and its two workers
    server.process.kill()
    assert wait_for(lambda: not any(running(pid) for pid in started), 20), [p for p in started if running(p)]


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Flood:
    """``size`` concurrent expensive requests; ``refused`` is set when the first 503 comes back,
    so that every slot was taken at that moment; each answer is kept with when it arrived."""

    def __init__(self, server: Server, size: int, request: Callable[[httpx.Client], Response]) -> None:
        self.refused = threading.Event()
        self.answers: list[tuple[float, Response]] = []
        self._pool = ThreadPoolExecutor(size)

        def one(_: int) -> None:
            with httpx.Client(base_url=server.url, timeout=120) as http:
                response = request(http)
            self.answers.append((time.monotonic(), response))
            if response.status_code == 503:
                self.refused.set()

        self._runs = [self._pool.submit(one, i) for i in range(size)]

    def wait(self) -> list[tuple[float, Response]]:
        for run in self._runs:
            run.result()
        self._pool.shutdown()
        return self.answers


def assert_flood_answered(answers: list[tuple[float, Response]], slots: int, served: int) -> list[float]:
    """The flood's refusals are 503 busy with Retry-After; returns when the admitted requests were answered."""
    busy = [r for _, r in answers if r.status_code == 503]
    assert len(busy) >= len(answers) - slots - 1, [r.status_code for _, r in answers]  # one more may find a freed slot
    for response in busy:
        assert int(response.headers["Retry-After"]) >= 1
        assert "busy" in assert_problem(response, 503)["detail"]
    admitted = [at for at, r in answers if r.status_code == served]
    assert len(admitted) == len(answers) - len(busy), [r.status_code for _, r in answers]
    return admitted


def test_a_flood_of_expensive_reads_gets_503s_while_the_server_process_answers_cheap_ones(
        serve: Callable[..., Server], tmp_path: Path) -> None:
    """Expensive reads run in the server's worker processes (one per slot): while every slot is
    held by a slow export, cheap requests are answered at once, and the CPU of the exports is
    spent in the workers, not in the server process that answers the cheap requests."""
    documents = list(national_corpus(300))  # exports of the whole graph take seconds each
    store = EmbeddedStore(tmp_path / "corpus")
    for document in documents:
        store.write_document(document)
    store.close()
    server = serve(LIENKET_BACKEND="embedded", LIENKET_DB=str(tmp_path / "corpus"), LIENKET_MAX_BUSY_REQUESTS="2",
                   LIENKET_REQUEST_DEADLINE_S="120")
    give_up = time.monotonic() + 120  # the second starts when the first is ready, on a machine of one core
    while len(workers := worker_processes(server)) < 2 and time.monotonic() < give_up:
        time.sleep(0.05)
    assert len(workers) == 2
    server_cpu, workers_cpu = cpu_seconds(server.process.pid), sum(cpu_seconds(w) for w in workers)
    agreement = next(node.id for node in documents[0].nodes if node.kind == "Agreement")

    flood = Flood(server, 8, lambda http: http.get("/export/json"))
    assert flood.refused.wait(120), "no request of the flood was refused"
    cheap = [server.http.get(path) for path in ("/stats", f"/entities/{agreement}", "/", "/stats")]
    cheap_answered = time.monotonic()
    answers = flood.wait()

    assert [r.status_code for r in cheap] == [200] * len(cheap)
    admitted = assert_flood_answered(answers, slots=2, served=200)
    assert len(admitted) >= 2 and min(admitted) > cheap_answered  # answered while both exports still ran
    assert worker_processes(server) == workers  # the same workers, none replaced
    spent_by_server = cpu_seconds(server.process.pid) - server_cpu
    spent_by_workers = sum(cpu_seconds(w) for w in workers) - workers_cpu
    assert spent_by_workers > 3 * spent_by_server, (spent_by_workers, spent_by_server)


def test_a_worker_answers_the_request_after_one_that_failed_in_it(serve: Callable[..., Server],
                                                                embedded_env: dict[str, str]) -> None:
    """A request that fails in a worker is a 500 problem, after which uvicorn closes the server's
    connection to that worker: the next request reaches the same worker on a new connection."""
    server = serve(**embedded_env, LIENKET_MAX_BUSY_REQUESTS="1")
    [worker] = worker_processes(server)
    assert server.http.get("/export/json").status_code == 200  # the worker knows its temporary folder now
    [folder] = server.tmp.glob("lienket-*/0.tmp")
    shutil.rmtree(folder)  # where the next export's file would go
    assert_problem(server.http.get("/export/json"), 500)
    search = server.http.get("/search", params={"q": "Dak Nong"})
    assert search.status_code == 200 and search.json()["total"] > 0, search.text
    assert worker_processes(server) == [worker]


def test_a_flood_of_cypher_queries_gets_503s_while_cheap_requests_are_answered(
        serve: Callable[..., Server], neo4j_env: dict[str, str]) -> None:
    server = serve(**neo4j_env, LIENKET_MAX_BUSY_REQUESTS="2", LIENKET_CYPHER_TIMEOUT_S="8")
    assert len(worker_processes(server)) == 2
    flood = Flood(server, 10, lambda http: http.post("/cypher", json={"query": SLOW_QUERY}))
    assert flood.refused.wait(60), "no request of the flood was refused"
    cheap = []
    for _ in range(5):
        cheap.append(server.http.get("/stats"))
        cheap.append(server.http.get("/entities/agr:hcm-dn"))
    cheap_answered = time.monotonic()
    answers = flood.wait()

    assert [r.status_code for r in cheap] == [200] * len(cheap)
    stopped = assert_flood_answered(answers, slots=2, served=408)  # the queries run until Cypher's timeout
    assert min(stopped) > cheap_answered


def test_work_past_the_deadline_is_answered_503_and_stopped(
        serve: Callable[..., Server], neo4j_env: dict[str, str], request: pytest.FixtureRequest) -> None:
    server = serve(**neo4j_env, LIENKET_MAX_BUSY_REQUESTS="1", LIENKET_REQUEST_DEADLINE_S="1",
                   LIENKET_CYPHER_TIMEOUT_S="60")
    [worker] = worker_processes(server)
    late = server.http.post("/cypher", json={"query": SLOW_QUERY})
    assert "no answer within 1 s" in assert_problem(late, 503)["detail"]
    assert "Retry-After" in late.headers
    # the worker running it is killed, and with its connection Neo4j ends the query, long before its timeout
    neo4j_server: Neo4jServer = request.getfixturevalue("neo4j_server")
    with connect(neo4j_server) as driver:
        def slow_query_running() -> bool:
            running = driver.execute_query("SHOW TRANSACTIONS YIELD currentQuery RETURN currentQuery").records
            return any("range(1, 100000000000)" in record["currentQuery"] for record in running)

        assert wait_for(lambda: not slow_query_running(), 20)
    # a fresh worker takes the slot
    assert wait_for(lambda: server.http.post("/cypher", json={"query": "RETURN 1 AS one"}).status_code == 200, 60)
    assert worker_processes(server) not in ([], [worker])


def test_a_picture_of_too_many_nodes_is_refused_with_what_to_do(
        serve: Callable[..., Server], tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "big")
    store.write_document(mou_document())
    sectors = [Node(id=f"sector:test-{i}", kind="Sector", name=f"Lĩnh vực thử {i}", properties={},
                    sources=[Source(document="many_sectors.txt", quote=f"lĩnh vực thử {i}")])
               for i in range(MAX_PICTURE_NODES + 1)]
    store.write_document(DocumentGraph(document="many_sectors.txt", sha256="many", nodes=sectors, relationships=[]))
    server = serve(LIENKET_BACKEND="embedded", LIENKET_DB=str(tmp_path / "big"))
    body = assert_problem(server.http.get("/viz/graph"), 422)
    assert f"at most {MAX_PICTURE_NODES}" in body["detail"] and "/export" in body["detail"]
    assert_problem(server.http.get("/viz/graph", params={"kind": "Sector"}), 422)
    agreements = server.http.get("/viz/graph", params={"kind": "Agreement"})
    assert agreements.status_code == 200 and "<html" in agreements.text.lower()


def test_exports_stream_from_a_file_that_is_removed_after(embedded_server: Server) -> None:
    server = embedded_server
    with server.http.stream("GET", "/export/csv") as response:
        assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
        assert int(response.headers["content-length"]) > 0
        body = response.read()
    assert body.startswith(b"PK")
    assert wait_for(lambda: not server.stored_files())


# --- HTTP details --------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "path", "allow"), [
    ("PUT", "/stats", "GET, HEAD"),
    ("DELETE", "/search", "GET, HEAD"),
    ("GET", "/cypher", "POST"),
    ("PATCH", "/documents", "GET, POST, HEAD"),
    ("POST", "/documents/a.txt", "DELETE"),
    ("POST", "/", "GET, HEAD"),
])
def test_every_405_names_the_allowed_methods(embedded_server: Server, method: str, path: str, allow: str) -> None:
    server = embedded_server
    response = server.http.request(method, path, headers={"X-API-Key": API_KEY})
    assert_problem(response, 405)
    assert response.headers["Allow"] == allow


def test_head_answers_every_get_route_without_a_body(embedded_server: Server) -> None:
    server = embedded_server
    for path in ("/", "/stats", "/search?q=dak+nong", "/entities/agr:hcm-dn", "/static/app.js"):
        get, head = server.http.get(path), server.http.head(path)
        assert get.status_code == head.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]


def test_an_over_long_query_string_gets_a_problem(embedded_server: Server) -> None:
    server = embedded_server
    assert "query string" in assert_problem(server.http.get("/search", params={"q": "a" * 5000}), 414)["detail"]
    # longer than the HTTP parser takes: the server itself answers, with a problem too
    with socket.create_connection(("127.0.0.1", server.port)) as raw:
        try:
            raw.sendall(b"GET /search?q=" + b"a" * 200_000 + b" HTTP/1.1\r\nHost: test\r\n\r\n")
        except OSError:  # the server may answer and close before the whole line is sent
            pass
        raw.settimeout(10)
        answer = b""
        while chunk := raw.recv(4096):
            answer += chunk
    head, _, body = answer.decode().partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 400") and f"content-type: {PROBLEM_MEDIA_TYPE}" in head
    assert '"status":400' in body


# --- deployment ----------------------------------------------------------------------------

def compose_value(expression: str, env: dict[str, str]) -> str:
    """Docker Compose's interpolation of one ``${NAME...}``: ``:?`` refuses an unset or empty value."""
    name, _, rest = expression.partition(":")
    if rest.startswith("?"):
        if not env.get(name):
            raise ValueError(rest[1:])
        return env[name]
    if rest.startswith("-"):
        return env.get(name) or rest[1:]
    return env.get(name, "")


def env_file(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines()
             if "=" in line and not line.lstrip().startswith("#"))
    return {name.strip(): value.strip() for name, value in pairs}


def test_compose_refuses_to_start_with_the_example_password() -> None:
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    uses = re.findall(r"\$\{(NEO4J_PASSWORD[^}]*)\}", compose)
    assert len(uses) == 2 and all(use.startswith("NEO4J_PASSWORD:?") for use in uses)
    example = env_file(ROOT / ".env.example")
    assert "NEO4J_PASSWORD" in example
    for use in uses:
        with pytest.raises(ValueError, match="set NEO4J_PASSWORD"):
            compose_value(use, example)
        assert compose_value(use, {**example, "NEO4J_PASSWORD": "a-real-secret-of-ours"}) == "a-real-secret-of-ours"
