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

The workers are forked from one template process, the zygote (the preload pattern of gunicorn's
``--preload``): it imports the app and reads what warming an embedded store reads (its posting lists)
once, with a SQLite connection it closes before any fork (SQLite forbids carrying an open connection
into a child), freezes what it holds out of the collector's reach (``gc.freeze``: the collector would
otherwise write to every page of it in each child), and forks a worker each time the server asks. A
worker shares those pages with the zygote until it writes to them, opens its own store connection and
brings the posting lists up to date from the index's log (``term_log``) before its first request, so it
answers with every write committed before it, whenever it was forked. On Neo4j the zygote only imports:
a driver's sockets and threads must not cross a fork, so each worker opens and warms its own. Each
worker started alone imported the app and read its posting lists, 2.4 s of CPU: four started together on
two cores took 4.2-5.9 s to answer first; forked, all four are ready a few tenths of a second after the
zygote. The zygote runs no thread but its own: it forks only from a process with one thread, and the
server, whose event loop runs threads, forks nothing.

The server speaks to the zygote over a socket pair (the zygote's standard input): "fork N", "term N",
"kill N" one a line, and the zygote answers "ended N" when worker N has ended (it is their parent and
waits for them, so a number always names the right process). A worker that has not answered at the
deadline is killed (its SQLite read transaction ends with it; Neo4j ends the transaction of a closed
connection) and the zygote forks a fresh one: the slot frees when the fresh worker is ready, so
abandoned work never piles up. Nothing outlives the server, even after ``kill -9``: the zygote exits when
its socket to the server closes, and each worker when the zygote is gone (it reads a pipe only the zygote
holds open for writing). A zygote that ended anyway is started again at the next fork.

Run as ``python -m api.workers FOLDER`` (the zygote) by the server only.
"""

from __future__ import annotations

import asyncio
import gc
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import traceback
from pathlib import Path

import httptools
from starlette.types import Message, Receive, Scope, Send

START_TIMEOUT_S = 120.0  # the zygote imports the app and reads the posting lists; on a loaded machine that takes seconds
STOP_TIMEOUT_S = 5.0
WORKER_NICENESS = 10  # added to the server's own: the kernel runs the server first when both are ready
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


def _socket_path(folder: Path, number: int) -> Path:
    """Where worker ``number`` listens, in the pool's private folder."""
    return folder / f"{number}.sock"


def _temporary(folder: Path, number: int) -> Path:
    """Worker ``number``'s temporary folder (its TMPDIR)."""
    return folder / f"{number}.tmp"


class Zygote:
    """The server's side of the template process the workers are forked from (``zygote_main``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._process: subprocess.Popen[bytes] | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._reading: asyncio.Task[None] | None = None
        self._ended: dict[int, asyncio.Future[None]] = {}  # worker number -> done when the zygote says it ended
        self._starting = asyncio.Lock()

    async def fork(self, number: int) -> asyncio.Future[None]:
        """Ask for worker ``number``; done when it has ended (or the zygote has). The zygote is started
        first if it is not running (the first time, or after it ended)."""
        async with self._starting:  # the first of the workers asking starts it
            if self._reading is None or self._reading.done():
                await self._start()
        ended = self._ended[number] = asyncio.get_running_loop().create_future()
        await self._send(b"fork %d\n" % number)
        return ended

    async def signal(self, number: int, kill: bool) -> None:
        """Stop worker ``number``: at once (``kill``) or once it has sent its answers."""
        await self._send(b"%s %d\n" % (b"kill" if kill else b"term", number))

    async def stop(self) -> None:
        """Close the zygote's socket, which ends it, and wait for it."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        process, self._process = self._process, None
        if process is not None:
            await _wait_or_kill(process)
        if self._reading is not None:
            await self._reading

    async def _start(self) -> None:
        await self.stop()  # what is left of a zygote that ended
        ours, theirs = socket.socketpair()
        with theirs:
            self._process = subprocess.Popen([sys.executable, "-m", "api.workers", str(self.folder)],
                                             stdin=theirs.fileno())
        reader, self._writer = await asyncio.open_unix_connection(sock=ours)
        self._reading = asyncio.create_task(self._read(reader))

    async def _send(self, line: bytes) -> None:
        if self._writer is None:
            return  # the zygote ended: so did its workers
        try:
            self._writer.write(line)
            await self._writer.drain()
        except OSError:
            return  # as above; ``_read`` has seen the end or is about to

    async def _read(self, reader: asyncio.StreamReader) -> None:
        """Pass on which workers ended, until the zygote ends (its workers end with it)."""
        try:
            while line := await reader.readline():
                word, number = line.split()
                if word == b"ended" and (ended := self._ended.pop(int(number), None)) is not None:
                    ended.set_result(None)
        except OSError:
            pass
        finally:
            for ended in self._ended.values():
                ended.set_result(None)
            self._ended.clear()


async def _wait_or_kill(process: subprocess.Popen[bytes]) -> None:
    """Wait for a process to end, killing it if it takes more than ``STOP_TIMEOUT_S``."""
    try:
        await asyncio.to_thread(process.wait, STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        await asyncio.to_thread(process.wait)


class Worker:
    """One worker process, forked by the zygote, listening on a Unix socket, answering one request at a
    time, with its own temporary folder (emptied when it is killed: an export it was writing goes with it)."""

    def __init__(self, zygote: Zygote, number: int) -> None:
        self.number = number
        self.socket_path = _socket_path(zygote.folder, number)
        self.temporary = _temporary(zygote.folder, number)
        self._zygote = zygote
        self._ended: asyncio.Future[None] | None = None  # done when the process has ended
        self._connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None  # kept alive

    async def start(self) -> None:
        """Have the zygote fork the process, and connect to it once it accepts connections."""
        self.socket_path.unlink(missing_ok=True)
        shutil.rmtree(self.temporary, ignore_errors=True)
        self.temporary.mkdir()
        self._ended = await self._zygote.fork(self.number)
        loop = asyncio.get_running_loop()
        give_up = loop.time() + START_TIMEOUT_S
        while self._connection is None:
            try:
                self._connection = await asyncio.open_unix_connection(str(self.socket_path), limit=READ_BYTES)
            except OSError:
                if self._ended.done() or loop.time() > give_up:
                    raise WorkerStopped("a worker process did not start") from None
                await asyncio.sleep(0.05)

    async def stop(self, kill: bool = False) -> None:
        """End the process: at once (``kill``, work abandoned at its deadline) or after its answers."""
        if self._connection is not None:
            self._connection[1].close()
            self._connection = None
        ended, self._ended = self._ended, None
        if ended is None:
            return
        await self._zygote.signal(self.number, kill)
        try:
            await asyncio.wait_for(asyncio.shield(ended), STOP_TIMEOUT_S)
        except TimeoutError:
            await self._zygote.signal(self.number, kill=True)
            await ended
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

    def __init__(self, size: int) -> None:
        self.size = size
        self._folder: Path | None = None
        self._zygote: Zygote | None = None
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._workers: list[Worker] = []
        self._starting: list[asyncio.Task[bool]] = []

    async def start(self) -> None:
        """Start the zygote and fork every worker from it; return when the first is ready (WorkerStopped if
        none could start). The others join as they become ready, a moment later."""
        # mkdtemp makes the folder readable by its owner only: no other user reaches the sockets
        self._folder = Path(tempfile.mkdtemp(prefix="lienket-"))
        self._zygote = Zygote(self._folder)
        self._workers = [Worker(self._zygote, number) for number in range(self.size)]
        self._starting = [asyncio.create_task(self._start_one(worker)) for worker in self._workers]
        pending = set(self._starting)
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            if any(task.result() for task in done):
                return
        raise WorkerStopped("no worker process could start")

    async def _start_one(self, worker: Worker) -> bool:
        """Start one worker and make it idle; False when it could not start (the pool has one fewer)."""
        try:
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
        if self._zygote is not None:
            await self._zygote.stop()
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


def zygote_main(folder: Path) -> None:
    """Import the app and read what can be shared, then fork the workers the server asks for (over the
    socket that is this process's standard input) and tell it which have ended, until it closes the socket."""
    os.nice(WORKER_NICENESS)  # the workers inherit it
    # Ctrl-C in a terminal reaches every process of the group: the workers stop as uvicorn does, and this
    # one when the server, stopping, closes its socket
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from api.app import Serving, create_app
    from api.deps import read_before_fork

    read_before_fork()
    app = create_app(Serving.WORKER)
    server = socket.socket(fileno=0)
    # the workers read this pipe until it ends: when this process ends (the server is gone), so do they
    zygote_alive, alive_to_workers = os.pipe()
    # a child's end wakes the loop below through this pipe (a signal's handler runs only between bytecodes)
    children_ended, wake = os.pipe()
    os.set_blocking(wake, False)
    signal.set_wakeup_fd(wake)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    if threading.active_count() != 1:
        raise RuntimeError("the zygote runs threads: forking it would copy their locks in whatever state they are")
    gc.freeze()  # what the workers share stays shared: the collector no longer writes to it
    numbers: dict[int, int] = {}  # process id -> worker number
    selector = selectors.DefaultSelector()
    selector.register(server, selectors.EVENT_READ)
    selector.register(children_ended, selectors.EVENT_READ)
    pending = b""
    while True:
        for key, _ in selector.select():
            if key.fileobj is server:
                received = server.recv(4096)
                if not received:
                    return  # the server is gone
                pending += received
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    word, number = line.split()
                    if word == b"fork":
                        pid = os.fork()
                        if pid == 0:
                            _run_worker(app, folder, int(number), zygote_alive,
                                        (server.fileno(), alive_to_workers, children_ended, wake))
                        numbers[pid] = int(number)
                    else:
                        _signal(numbers, int(number), signal.SIGKILL if word == b"kill" else signal.SIGTERM)
            else:
                os.read(children_ended, 4096)
                for pid in _reaped():
                    server.sendall(b"ended %d\n" % numbers.pop(pid))


def _signal(numbers: dict[int, int], number: int, sent: int) -> None:
    """Send a signal to worker ``number`` if it is still running."""
    for pid, running in numbers.items():
        if running == number:
            os.kill(pid, sent)  # not reaped yet (``_reaped`` takes it out of ``numbers``): still this worker


def _reaped() -> list[int]:
    """The children that have ended, waited for."""
    found = []
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return found
        if pid == 0:
            return found
        found.append(pid)


def _run_worker(app: object, folder: Path, number: int, zygote_alive: int, zygote_only: tuple[int, ...]) -> None:
    """In a freshly forked child: run worker ``number`` and exit, never returning into the zygote's loop."""
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for fd in zygote_only:
            os.close(fd)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)  # the zygote's socket to the server was standard input
        os.close(null)
        temporary = str(_temporary(folder, number))
        os.environ["TMPDIR"] = temporary  # for programs a route runs, too
        tempfile.tempdir = temporary
        threading.Thread(target=_exit_with_the_zygote, args=(zygote_alive,), daemon=True).start()
        import uvicorn

        # the server in front applies the limits, logs and dates the answers
        uvicorn.run(app, uds=str(_socket_path(folder, number)), log_level="warning",  # type: ignore[arg-type]
                    access_log=False, server_header=False, date_header=False, timeout_keep_alive=KEEP_ALIVE_S)
    except BaseException as exc:
        if not isinstance(exc, SystemExit):  # uvicorn exits so when the app fails to start, having said why
            traceback.print_exc()
        os._exit(1)
    os._exit(0)


def _exit_with_the_zygote(zygote_alive: int) -> None:
    """Block until the zygote ends (no one else holds the pipe open for writing), then exit."""
    while os.read(zygote_alive, 4096):
        pass
    os._exit(0)


if __name__ == "__main__":
    zygote_main(Path(sys.argv[1]))
