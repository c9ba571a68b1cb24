"""Limits that hold before any work is done, as one ASGI middleware in front of the app.

- A request to a write route without a valid API key is refused (401/403) before a byte of
  its body is read, so an unauthenticated upload never reaches a temporary file.
- An over-long query string is refused (414) before routing.
- HEAD is answered on every GET route: the GET runs and its body is dropped.
- Expensive requests (everything whose cost grows with the store: questions, search, paths,
  pictures, exports, Cypher, writes) take one of a few slots. When none frees within
  ``BUSY_WAIT_S`` the answer is 503 with Retry-After, instead of a queue that grows while
  clients give up. Cheap requests (the page, one entity, counts) never wait for a slot.
- Served by ``lienket serve``, expensive reads run in worker processes, one per slot
  (api/workers.py), so the server's own process stays free for cheap requests; writes run in
  the server's threads (they need its key check and caps, and a killed worker would lose them).
- An expensive request still unanswered at the deadline gets 503 at once. A worker's work is
  stopped (the worker is killed and replaced; the slot frees when the new one is ready). Work
  in a thread cannot be interrupted, so it keeps its slot until it ends. Either way the number
  of running expensive requests stays bounded even when clients leave.

- Request bodies are capped by route (uploads by the configured file size and count, Cypher
  at ``CYPHER_BODY_BYTES``, anything else at ``OTHER_BODY_BYTES``), counted as the bytes
  arrive: a declared length over the cap is refused at once, and a body that grows past it
  stops being read (413), so no more of it is stored.

Every refusal is a problem+json. (Starlette's own body limit answers in plain text.)
"""

from __future__ import annotations

import asyncio
import math
import re
from typing import Any

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import key_problem
from api.problems import problem_response
from api.settings import Settings, get_settings
from api.workers import WorkerPool, WorkerStopped

MAX_QUERY_STRING_BYTES = 4096
CYPHER_BODY_BYTES = 1_000_000
OTHER_BODY_BYTES = 64_000
MULTIPART_OVERHEAD_BYTES = 64_000  # part headers and boundaries around the files of an upload
BUSY_WAIT_S = 1.0
# Routes whose cost does not grow with the store: one lookup by id, the counts, the page and its files.
CHEAP_ROUTES = re.compile(r"^/(|static/[^/]+|favicon\.ico|docs|openapi\.json|stats|documents|entities/[^/]+|"
                          r"people/[^/]+|ui/entity/[^/]+|review|review/review\.(js|css))$")
# Reads sent with a body (a query): like GET requests, they may run in a worker process.
READ_POSTS = re.compile(r"^/cypher$")
# A document's name may be a URL, slashes included (DELETE /documents/{name:path}).
WRITE_ROUTES = {"POST": re.compile(r"^/(documents|documents/url|review/judgements)$"),
                "DELETE": re.compile(r"^/(documents/.+|review/judgements/[^/]+)$")}


def needs_key(method: str, path: str) -> bool:
    """Whether the route writes, and so needs an API key."""
    pattern = WRITE_ROUTES.get(method)
    return bool(pattern and pattern.match(path))


def is_cheap(method: str, path: str) -> bool:
    """Whether the request is a read whose cost does not grow with the store."""
    return method in ("GET", "HEAD") and CHEAP_ROUTES.match(path) is not None


def is_read(method: str, path: str) -> bool:
    """Whether the request only reads the store (anything else is a write, served in the server's process)."""
    return method in ("GET", "HEAD") or (method == "POST" and READ_POSTS.match(path) is not None)


def body_cap(settings: Settings, method: str, path: str) -> int:
    """The most bytes the route accepts in a request body."""
    if method == "POST" and path == "/documents":
        return settings.lienket_max_upload_bytes * settings.lienket_max_upload_files + MULTIPART_OVERHEAD_BYTES
    if method == "POST" and path == "/cypher":
        return CYPHER_BODY_BYTES
    return OTHER_BODY_BYTES


class BodyTooLarge(HTTPException):
    """The body outgrew its route's cap while it was read (answered as a 413 problem)."""

    def __init__(self, cap: int) -> None:
        super().__init__(413, f"the request body is larger than this route's {cap}-byte limit")


def capped(receive: Receive, cap: int) -> Receive:
    """A receive that counts body bytes as they arrive and stops reading past the cap."""
    received = 0

    async def receive_capped() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > cap:
                raise BodyTooLarge(cap)
        return message

    return receive_capped


class RequestLimits:
    """The middleware: key before body, query-string cap, HEAD, slots and deadline for expensive work
    (in ``workers`` when given, else in the app's threads)."""

    def __init__(self, app: ASGIApp, workers: WorkerPool | None = None) -> None:
        self.app = app
        self.workers = workers
        self._slots: asyncio.Semaphore | None = None

    @staticmethod
    def settings(scope: Scope) -> Settings:
        """The settings the routes see: the app's dependency override wins (tests configure apps so)."""
        overrides: dict[Any, Any] = getattr(scope.get("app"), "dependency_overrides", {})
        return overrides.get(get_settings, get_settings)()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = self.settings(scope)
        method, path = scope["method"], scope["path"]
        if len(scope.get("query_string", b"")) > MAX_QUERY_STRING_BYTES:
            await problem_response(414, f"the query string is longer than {MAX_QUERY_STRING_BYTES} bytes")(
                scope, receive, send)
            return
        if needs_key(method, path):
            refused = key_problem(settings, Headers(scope=scope).get("x-api-key"))
            if refused:
                await problem_response(*refused)(scope, receive, send)
                return
        cap = body_cap(settings, method, path)
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            await problem_response(413, BodyTooLarge(cap).detail)(scope, receive, send)
            return
        receive = capped(receive, cap)
        if method == "HEAD":
            scope, send = {**scope, "method": "GET"}, _without_body(send)
        if is_cheap(scope["method"], path):
            await self.app(scope, receive, send)
            return
        await self._expensive(settings, scope, receive, send)

    async def _expensive(self, settings: Settings, scope: Scope, receive: Receive, send: Send) -> None:
        if self._slots is None:
            self._slots = asyncio.Semaphore(settings.lienket_max_busy_requests)
        slots = self._slots
        try:
            await asyncio.wait_for(slots.acquire(), BUSY_WAIT_S)
        except TimeoutError:
            await _busy(scope, receive, send, "the server is busy with other expensive requests")
            return
        answered = _Answer(send)
        workers = self.workers if is_read(scope["method"], scope["path"]) else None
        serve = workers.serve if workers is not None else self.app
        work = asyncio.ensure_future(serve(scope, receive, answered.send))
        work.add_done_callback(lambda done: _finished(done, slots))
        deadline = settings.lienket_request_deadline_s
        finished, _ = await asyncio.wait({work}, timeout=deadline)
        if finished or answered.started:
            try:
                await work  # a streaming answer that has begun is sent to its end
            except BodyTooLarge as exc:  # read by the server for a worker (in the app, the app answers it)
                await problem_response(413, exc.detail)(scope, receive, send)
            except WorkerStopped as exc:
                if not answered.started:
                    await problem_response(503, f"{exc}; try again", {"Retry-After": _retry_after()})(
                        scope, receive, send)
            return
        answered.abandoned = True
        if workers is not None:
            work.cancel()  # the worker is killed and replaced; the slot frees when the new one is ready
        await _busy(scope, receive, send, f"no answer within {deadline:g} s: narrow the question and try again")


class _Answer:
    """Passes the app's answer on, until the request is given up at its deadline."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.started = False
        self.abandoned = False

    async def send(self, message: Message) -> None:
        if self.abandoned:
            return
        self.started = True
        await self._send(message)


def _finished(work: asyncio.Future[None], slots: asyncio.Semaphore) -> None:
    slots.release()
    if not work.cancelled():
        work.exception()  # retrieved: an abandoned request's failure was already logged by the app


def _retry_after() -> str:
    return str(math.ceil(BUSY_WAIT_S * 2))


async def _busy(scope: Scope, receive: Receive, send: Send, detail: str) -> None:
    await problem_response(503, detail, {"Retry-After": _retry_after()})(scope, receive, send)


def _without_body(send: Send) -> Send:
    """A send that keeps the headers of the GET answer and drops its body (the answer to HEAD)."""

    async def send_head(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return send_head
