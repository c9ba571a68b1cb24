"""FastAPI dependencies: the store (one per process), the settings and write authorisation."""

from __future__ import annotations

import hashlib
import hmac
import threading
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Query, Security
from fastapi.security import APIKeyHeader
from starlette.concurrency import run_in_threadpool

from api.problems import ProblemError
from api.schemas import NodeKind
from api.settings import Settings, get_settings
from graph.store import MAX_TEXT, YEARS, GraphFilter, GraphStore, StoreUnavailable


@lru_cache(maxsize=1)
def _store() -> GraphStore:
    return get_settings().open_store()


async def get_store() -> GraphStore:
    """The process's store; routes receive it with ``Depends(get_store)``.

    Opened once, in a thread (it may connect to Neo4j); after that handed over without the thread
    FastAPI would take to call a plain function."""
    if _store.cache_info().currsize:
        return _store()
    return await run_in_threadpool(_store)


# How long a Neo4j worker waits for its warm-up before it takes requests anyway: long enough for a
# reachable database of national size (about 4 s), short enough that an unreachable one does not keep
# the worker from answering why it cannot.
NEO4J_WARM_WAIT_S = 20.0


def warm_store() -> None:
    """Open the process's store and read into memory what its questions need, before the first request:
    requests that came while the posting lists were read queued behind them, and were the slowest of a
    loaded server's first minute. For Neo4j the reading runs in a thread the worker waits for at most
    ``NEO4J_WARM_WAIT_S``, since a worker must start even while Neo4j is unreachable (then its first
    request opens the store again, and answers why it cannot)."""
    if get_settings().lienket_backend == "embedded":
        _store().warm_up()
        return
    from neo4j.exceptions import DriverError, Neo4jError

    def warm() -> None:
        try:
            _store().warm_up()
        except (StoreUnavailable, DriverError, Neo4jError, ValueError):
            return

    warming = threading.Thread(target=warm, name="warm-store", daemon=True)
    warming.start()
    warming.join(NEO4J_WARM_WAIT_S)


def read_before_fork() -> None:
    """Read what the worker processes forked from this one share (api/workers.py): an embedded store's
    posting lists, as ``warm_store`` reads them, on a connection closed before any fork (SQLite forbids
    carrying an open connection into a child; the store opens another on its next read, in the child, and
    brings the lists up to date there from its log). Nothing on Neo4j: a driver's sockets and threads must
    not cross a fork, so each worker opens its own."""
    if get_settings().lienket_backend == "embedded":
        store = _store()
        store.warm_up()
        store.close()


def close_store() -> None:
    """Close the process's store if it was opened (when the server stops)."""
    if _store.cache_info().currsize:
        _store().close()
        _store.cache_clear()


StoreDep = Annotated[GraphStore, Depends(get_store)]
FILTER = GraphFilter.model_fields


def graph_filter(
    kind: Annotated[list[NodeKind] | None, Query(description=FILTER["kinds"].description)] = None,
    sector: Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT, description=FILTER["sector"].description)] = None,
    year: Annotated[int | None, Query(ge=YEARS[0], le=YEARS[1], description=FILTER["year"].description)] = None,
    locality: Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT,
                                          description=FILTER["locality"].description)] = None,
) -> GraphFilter:
    """The part of the graph a request selects, with the limits ``graph.store`` sets for every front end."""
    return GraphFilter(kinds=[k.value for k in kind or []], sector=sector, year=year, locality=locality)


FilterDep = Annotated[GraphFilter, Depends(graph_filter)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                              description="A key whose SHA-256 digest is in LIENKET_API_KEY_HASHES.")


def key_digest(key: str) -> str:
    """The SHA-256 hex digest of a key, as configured in ``LIENKET_API_KEY_HASHES``."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_problem(settings: Settings, key: str | None) -> tuple[int, str] | None:
    """Why a write with this key is refused (status, detail), or None when the key is allowed."""
    if not key:
        return 401, "writing needs an API key in the X-API-Key header"
    digest = key_digest(key)
    # compare with every configured digest, in constant time each, so timing tells nothing
    matches = [hmac.compare_digest(digest, allowed) for allowed in settings.api_key_hashes()]
    if not any(matches):
        return 403, "this API key is not allowed to write"
    return None


def require_api_key(settings: SettingsDep, key: Annotated[str | None, Security(api_key_header)] = None) -> None:
    """Let the request through only with a configured key: 401 without one, 403 with a wrong one.

    The API's middleware checks the key first, before the body is read (api/limits.py); this
    dependency documents the key in OpenAPI and holds for any route added without it."""
    refused = key_problem(settings, key)
    if refused:
        raise ProblemError(*refused)
