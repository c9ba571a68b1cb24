"""The Liên Kết HTTP API: thin routers per resource over the store."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from enum import Enum
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.utils import get_openapi

from api.deps import close_store, warm_store
from api.limits import RequestLimits
from api.problems import Problem, install_problem_handlers, problem_responses
from api.routes import cypher, documents, entities, graph, pages, questions, review, search, viz
from api.settings import get_settings
from api.workers import WorkerPool

API_DESCRIPTION = """Query the Vietnamese inter-locality cooperation graph: localities, agencies,
people, agreements, plans and their tasks. Every fact carries its `sources` (document and quote).
Text parameters are matched without diacritics and with abbreviations expanded (TP.HCM, Sở NN&PTNT)."""

# The collector passes over the objects made since its last pass after this many more (Python's default: 700).
# A question makes tens of thousands, which live until its answer is sent: at 700, 1,000 contacts questions and
# 1,000 searches asked alone (after ``gc.freeze``) spent 4.9% of their CPU in it, 44 full passes of about 6 ms
# each among them, on the requests they fell on; at 20,000, 0.7% (19 passes, none full, about 5 ms each).
GC_NEW_OBJECTS = 20_000


class Serving(Enum):
    """Where the app runs, which decides where its expensive work runs (api/limits.py, api/workers.py)."""

    THREADS = "threads"  # alone (tests, in-process use): expensive work in its threads, under the limits
    SERVER = "server"  # ``lienket serve``: expensive reads in worker processes, under the limits
    WORKER = "worker"  # a worker behind the server, which has applied the limits already


def lifespan(workers: WorkerPool | None, warm: bool) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Start the worker processes (if any) or warm the store (a worker) before the first request; stop them
    and close the store at the end."""
    @asynccontextmanager
    async def running(_: FastAPI) -> AsyncIterator[None]:
        if workers is not None:
            await workers.start()
        if warm:
            warm_store()  # before the server hands this worker a request: no request waits for it
        # What is alive now (modules, routes, schemas) lives as long as the process: the collector's
        # full passes skip it. They walked it once or twice per large answer: a third of the CPU of
        # decoding a depth-2 neighbourhood from Neo4j (60 ms against 38 ms on 2,000 documents).
        gc.freeze()
        gc.set_threshold(GC_NEW_OBJECTS, *gc.get_threshold()[1:])
        try:
            yield
        finally:
            if workers is not None:
                await workers.stop()
            close_store()

    return running


def create_app(serving: Serving = Serving.THREADS) -> FastAPI:
    """Build the application (routers are registered here, one module per resource)."""
    workers = WorkerPool(get_settings().lienket_max_busy_requests) if serving is Serving.SERVER else None
    # /docs is served by pages.py with Swagger UI's files from a package (no CDN); ReDoc would need one.
    app = FastAPI(title="Liên Kết", version="0.1.0", description=API_DESCRIPTION,
                  responses=problem_responses(413, 414, 500, 503), docs_url=None, redoc_url=None,
                  lifespan=lifespan(workers, warm=serving is Serving.WORKER))
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    install_problem_handlers(app)
    if serving is not Serving.WORKER:
        app.add_middleware(RequestLimits, workers=workers)
    for module in (search, entities, questions, graph, documents, cypher, viz, review, pages):
        app.include_router(module.router)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated schema, plus the Problem schema that error responses refer to."""
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = Problem.model_json_schema()
        app.openapi_schema = schema
    return app.openapi_schema


def create_server_app() -> FastAPI:
    """The app ``lienket serve`` runs (a factory: the worker processes belong to the serving process)."""
    return create_app(Serving.SERVER)


app = create_app()
