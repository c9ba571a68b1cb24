"""Expensive reads run in worker processes, so the server's own process stays free for cheap requests.

Python runs one thread of a process at a time (the GIL). A search or a picture computed in a
thread of the server delays every other request the server answers, the cheapest too: under a
flood of expensive requests, asking for one entity took 258 ms at the median
(benchmarks/load_bench.py). So ``lienket serve`` starts one worker process per slot for
expensive requests (``LIENKET_MAX_BUSY_REQUESTS``), each running the same app on its own store
connection: the embedded store is SQLite in WAL mode, where each read is a snapshot of the last
commit, so a worker sees every write the server committed before the request; on Neo4j each
worker has its own driver. The server takes a slot (api/limits.py), hands the request to an idle
worker over a Unix socket in a folder only its user can open, and passes the answer on as it
arrives, streamed exports too.

The hop is plain HTTP/1.1 on one kept-alive connection per worker: the request's head written
as the client sent it, the answer read with httptools (uvicorn's own parser). Through httpx the
hop cost the server more CPU than the rest of its handling of the request (about 1.5 ms of 2.1 for a
partners question): its layers (URLs, a pool, h11, anyio locks), and a failed import of
``sniffio`` on each request (httpcore looks for it each time; anyio no longer brings it).

Workers run at a lower scheduling priority (``WORKER_NICENESS``): when the machine's cores are
all busy with expensive work, the server's process still gets a core at once for a cheap request.

A worker that has not answered at the deadline is killed (its SQLite read transaction ends with
it; Neo4j ends the transaction of a closed connection) and a fresh one is started: the slot frees
when the fresh worker is ready, so abandoned work never piles up. A worker also exits when the
server is gone, even after ``kill -9``: it watches its standard input, a pipe from the server.

Run as ``python -m api.workers SOCKET`` by the server only.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import httptools
from starlette.types import Message, Receive, Scope, Send

START_TIMEOUT_S = 120.0  # a worker imports the app; on a loaded machine that takes seconds
STOP_TIMEOUT_S = 5.0
WORKER_NICENESS = 10  # added to the server's own: the kernel runs the server first when both are ready
# Workers starting at once: each imports the app and reads its store's posting lists, CPU-bound. Four
# started together on two cores shared them, and the first was ready only after 5-6 s (one alone: 2.4 s).
STARTING_AT_ONCE = os.cpu_count() or 1
# The worker keeps the server's connection open between requests for a day (uvicorn's default, 5 s,
# would have the server open it again after each pause of a few seconds).
KEEP_ALIVE_S = 86_400
READ_BYTES = 1 << 20  # of an answer, read at once from the worker (a neighbourhood is ~0.6 MB)
# Headers that describe one connection, not the request or answer: each hop sets its own.
CONNECTION_HEADERS = {b"connection", b"keep-alive", b"transfer-encoding", b"upgrade", b"proxy-connection", b"te",
                      b"trailer"}
# Not passed to the worker either: the body it gets is whole, with its own length (the server read it
# and said "100 Continue" to the client itself).
BODY_HEADERS = {b"content-length", b"expect"}


class WorkerStopped(Exception):
    """A worker process ended or could not be reached before it answered."""


class Worker:
    """One worker process, listening on a Unix socket, answering one request at a time, with its
    own temporary folder (emptied when it is killed: an export it was writing goes with it)."""

    def __init__(self, socket_path: Path, temporary: Path) -> None:
        self.socket_path = socket_path
        self.temporary = temporary
        self._process: subprocess.Popen[bytes] | None = None
        self._connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None  # kept alive

    async def start(self) -> None:
        """Start the process and connect to it once it accepts connections."""
        self.socket_path.unlink(missing_ok=True)
        shutil.rmtree(self.temporary, ignore_errors=True)
        self.temporary.mkdir()
        # stdin is a pipe the worker reads until it closes: when this process ends, so does the worker
        self._process = subprocess.Popen([sys.executable, "-m", "api.workers", str(self.socket_path)],
                                         stdin=subprocess.PIPE, env={**os.environ, "TMPDIR": str(self.temporary)})
        loop = asyncio.get_running_loop()
        give_up = loop.time() + START_TIMEOUT_S
        while self._connection is None:
            try:
                self._connection = await asyncio.open_unix_connection(str(self.socket_path), limit=READ_BYTES)
            except OSError:
                if self._process.poll() is not None or loop.time() > give_up:
                    raise WorkerStopped(f"a worker process did not start (exit code {self._process.poll()})") from None
                await asyncio.sleep(0.05)

    async def stop(self, kill: bool = False) -> None:
        """End the process: at once (``kill``, work abandoned at its deadline) or after its answers."""
        if self._connection is not None:
            self._connection[1].close()
            self._connection = None
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        if kill:
            process.kill()
        else:
            process.terminate()
        try:
            await asyncio.to_thread(process.wait, STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            await asyncio.to_thread(process.wait)
        shutil.rmtree(self.temporary, ignore_errors=True)

    async def forward(self, scope: Scope, body: bytes, send: Send) -> None:
        """Ask the worker the request and send its answer on, as it streams."""
        try:
            reader, data = await self._first_bytes(_request_head(scope, len(body)) + body)
            answer = _Answer()
            while True:
                for message in answer.feed(data):
                    await send(message)
                if answer.complete:
                    return
                data = await reader.read(READ_BYTES)
                if not data:
                    raise WorkerStopped("the worker process stopped while it answered")
        except (OSError, httptools.HttpParserError) as exc:
            raise WorkerStopped(f"the worker process stopped: {exc}") from exc

    async def _first_bytes(self, request: bytes) -> tuple[asyncio.StreamReader, bytes]:
        """Write the request to the worker; the connection's reader and the first bytes of the answer.

        After a request whose app failed (a 500 problem), uvicorn closes the connection, once it has
        logged the error: a request written meanwhile is lost. So a connection that ends before the
        answer begins is opened again and the request written again (the worker only reads, and
        asking a read twice is asking it once); if the worker is gone, opening fails."""
        if self._connection is None:
            raise WorkerStopped("the worker is not running")
        for attempt in (1, 2):
            if attempt == 2 or self._connection[0].at_eof():
                self._connection[1].close()
                self._connection = await asyncio.open_unix_connection(str(self.socket_path), limit=READ_BYTES)
            reader, writer = self._connection
            try:
                writer.write(request)
                await writer.drain()
                data = await reader.read(READ_BYTES)
            except (ConnectionResetError, BrokenPipeError):
                data = b""
            if data:
                return reader, data
        raise WorkerStopped("the worker process closed the connection before it answered")


def _request_head(scope: Scope, length: int) -> bytes:
    """The request line and headers of the request, as HTTP/1.1 to the worker, with the body's length."""
    target = scope.get("raw_path") or scope["path"].encode()
    if scope.get("query_string"):
        target += b"?" + scope["query_string"]
    lines = [b"%s %s HTTP/1.1" % (scope["method"].encode("ascii"), target)]
    lines += [b"%s: %s" % (name, value) for name, value in scope["headers"]
              if name.lower() not in CONNECTION_HEADERS and name.lower() not in BODY_HEADERS]
    lines.append(b"content-length: %d" % length)
    return b"\r\n".join(lines) + b"\r\n\r\n"


class _Answer:
    """The worker's answer, parsed by httptools as it arrives, as the ASGI messages that send it on
    (what one read brought of the body as one message; gzip stays gzip)."""

    def __init__(self) -> None:
        self._parser = httptools.HttpResponseParser(self)
        self._headers: list[tuple[bytes, bytes]] = []
        self._start: Message | None = None
        self._body: list[bytes] = []
        self.complete = False

    def feed(self, data: bytes) -> list[Message]:
        """The messages that send on what ``data`` adds to the answer."""
        self._parser.feed_data(data)
        found = []
        if self._start is not None:
            found.append(self._start)
            self._start = None
        if self._body or self.complete:
            found.append({"type": "http.response.body", "body": b"".join(self._body), "more_body": not self.complete})
            self._body = []
        return found

    # httptools' callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        if name.lower() not in CONNECTION_HEADERS:
            self._headers.append((name, value))

    def on_headers_complete(self) -> None:
        self._start = {"type": "http.response.start", "status": self._parser.get_status_code(),
                       "headers": self._headers}

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        self.complete = True


async def _request_body(receive: Receive) -> bytes:
    """The whole request body, read through the route's cap (api/limits.py; a read's body is small)."""
    parts = []
    while True:
        message: Message = await receive()
        if message["type"] != "http.request":
            break
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(parts)


class WorkerPool:
    """A worker per slot; a request takes an idle one (once all have started there is always one for a
    request holding a slot; while they start, a request waits for the next ready, within its deadline)."""

    def __init__(self, size: int, starting_at_once: int = STARTING_AT_ONCE) -> None:
        self.size = size
        self._starting_at_once = starting_at_once
        self._folder: Path | None = None
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._workers: list[Worker] = []
        self._starting: list[asyncio.Task[bool]] = []

    async def start(self) -> None:
        """Start every worker, ``starting_at_once`` at a time; return when the first is ready
        (WorkerStopped if none could start).

        The others join as they become ready: on a busy machine, starting them all (each imports
        the app) took several seconds, and the server answers cheap requests meanwhile."""
        # mkdtemp makes the folder readable by its owner only: no other user reaches the sockets
        self._folder = Path(tempfile.mkdtemp(prefix="lienket-"))
        self._workers = [Worker(self._folder / f"{number}.sock", self._folder / f"{number}.tmp")
                         for number in range(self.size)]
        turns = asyncio.Semaphore(self._starting_at_once)
        self._starting = [asyncio.create_task(self._start_one(worker, turns)) for worker in self._workers]
        pending = set(self._starting)
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            if any(task.result() for task in done):
                return
        raise WorkerStopped("no worker process could start")

    async def _start_one(self, worker: Worker, turns: asyncio.Semaphore) -> bool:
        """Start one worker, in its turn, and make it idle; False when it could not start (the pool has one
        fewer)."""
        try:
            async with turns:
                await worker.start()
        except WorkerStopped as exc:
            print(f"lienket serve: {exc}", file=sys.stderr)
            return False
        self._idle.put_nowait(worker)
        return True

    async def stop(self) -> None:
        for task in self._starting:
            task.cancel()
        await asyncio.gather(*self._starting, return_exceptions=True)
        await asyncio.gather(*(worker.stop() for worker in self._workers))
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)

    async def serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the request in an idle worker. When the answer is abandoned (this task is
        cancelled at the deadline) or the worker fails, the worker is replaced before this returns."""
        body = await _request_body(receive)  # a body over its cap is refused before a worker is taken
        worker = await self._idle.get()
        try:
            await worker.forward(scope, body, send)
        except BaseException:
            await asyncio.shield(self._replace(worker))
            raise
        self._idle.put_nowait(worker)

    async def _replace(self, worker: Worker) -> None:
        await worker.stop(kill=True)
        while True:
            try:
                await worker.start()
                break
            except WorkerStopped:
                await worker.stop(kill=True)
                await asyncio.sleep(1.0)
        self._idle.put_nowait(worker)


def _exit_with_the_server() -> None:
    """Block until the server closes our standard input (it stopped, or was killed), then exit."""
    sys.stdin.buffer.read()
    os._exit(0)


def main() -> None:
    import uvicorn

    from api.app import Serving, create_app

    os.nice(WORKER_NICENESS)
    threading.Thread(target=_exit_with_the_server, daemon=True).start()
    # the server in front applies the limits, logs and dates the answers
    uvicorn.run(create_app(Serving.WORKER), uds=sys.argv[1], log_level="warning", access_log=False,
                server_header=False, date_header=False, timeout_keep_alive=KEEP_ALIVE_S)


if __name__ == "__main__":
    main()
