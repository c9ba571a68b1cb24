"""The Liên Kết HTTP API: thin routers per resource over the store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.utils import get_openapi

from api.deps import close_store
from api.limits import RequestLimits
from api.problems import Problem, install_problem_handlers, problem_responses
from api.routes import cypher, documents, entities, graph, pages, questions, review, search, viz

API_DESCRIPTION = """Query the Vietnamese inter-locality cooperation graph: localities, agencies,
people, agreements, plans and their tasks. Every fact carries its `sources` (document and quote).
Text parameters are matched without diacritics and with abbreviations expanded (TP.HCM, Sở NN&PTNT)."""


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    """Close the store (its connections) when the server stops."""
    yield
    close_store()


def create_app() -> FastAPI:
    """Build the application (routers are registered here, one module per resource)."""
    # /docs is served by pages.py with Swagger UI's files from a package (no CDN); ReDoc would need one.
    app = FastAPI(title="Liên Kết", version="0.1.0", description=API_DESCRIPTION,
                  responses=problem_responses(413, 414, 500, 503), docs_url=None, redoc_url=None,
                  lifespan=lifespan)
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    install_problem_handlers(app)
    app.add_middleware(RequestLimits)
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


app = create_app()
