"""Errors as RFC 9457 problem details (``application/problem+json``), one format for every failure.

Routes and dependencies raise ``ProblemError``; framework errors (unknown route, bad
parameters) and unexpected exceptions are turned into the same shape. A store whose database
cannot be used (unreachable, or refusing the login) is a 503 that says why: nothing in the
request is wrong, and the person running the server can act on it. A client never sees a
stack trace: the catch-all handler logs it and answers a generic 500.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from graph.store import StoreUnavailable

PROBLEM_MEDIA_TYPE = "application/problem+json"
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
log = logging.getLogger("lienket.api")


class Problem(BaseModel):
    """What went wrong, in the RFC 9457 shape."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "no entity with id 'org:unknown'"}]})

    type: str = Field("about:blank", description="a URI naming the kind of problem")
    title: str = Field(description="the HTTP status phrase")
    status: int = Field(description="the HTTP status code")
    detail: str = Field(description="what happened, for a person to read")


class ProblemError(Exception):
    """Raised to answer with a problem: status, a readable detail, optional headers."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers


def problem_response(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """A JSON response holding a problem, with the problem media type."""
    body = Problem(title=HTTPStatus(status).phrase, status=status, detail=detail)
    return JSONResponse(body.model_dump(), status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting these error statuses as problems."""
    return {status: {"description": HTTPStatus(status).phrase,
                     "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            for status in statuses}


def _validation_detail(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()))
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


async def _on_problem(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(exc.status, exc.detail, exc.headers)


def _allowed_methods(request: Request) -> str:
    """Every method some route of the app serves at this path, asked of the routes themselves
    (a route of an included router does not expose its methods); HEAD wherever GET is served."""
    # A path the API names literally (/documents/url) is that operation's, not a value of another
    # route's parameter (DELETE /documents/{name}): its documented methods are the answer.
    documented = request.app.openapi().get("paths", {}).get(request.url.path)
    if documented:
        allowed = [method for method in HTTP_METHODS if method.lower() in documented]
    else:
        allowed = [method for method in HTTP_METHODS
                   if any(route.matches({**request.scope, "method": method})[0] is Match.FULL
                          for route in request.app.routes)]
    if "GET" in allowed:
        allowed.append("HEAD")
    return ", ".join(allowed)


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request)
    return problem_response(exc.status_code, str(exc.detail), headers or None)


async def _on_validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return problem_response(422, _validation_detail(exc))


async def _on_unavailable(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StoreUnavailable)
    log.error("store unavailable on %s %s: %s", request.method, request.url.path, exc)
    return problem_response(503, f"the store cannot answer: {exc}")


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(500, "the server failed to answer; the error is in its log")


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every error of the app as a problem."""
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(StoreUnavailable, _on_unavailable)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(Exception, _on_unexpected)
