"""Network pictures as standalone HTML pages (vis.js inlined: they work offline)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse

from api.deps import FilterDep, StoreDep
from api.problems import ProblemError, problem_responses
from graph.store import MAX_DEPTH
from visualize import views
from visualize.render import Picture, render

router = APIRouter(prefix="/viz", tags=["pictures"])

HTML_PAGE = {200: {"description": "a standalone HTML page", "content": {"text/html": {}}}}


def _page(picture: Picture) -> HTMLResponse:
    return HTMLResponse(render(picture))


@router.get("/twinning", response_class=HTMLResponse, responses=HTML_PAGE)
def twinning(store: StoreDep) -> HTMLResponse:
    """Map of districts joined by twinning agreements (and the provinces they belong to)."""
    return _page(views.twinning(store))


@router.get("/agreements", response_class=HTMLResponse, responses={**HTML_PAGE, **problem_responses(404, 422)})
def agreements(
    store: StoreDep,
    locality: Annotated[str, Query(min_length=1, max_length=200, description="a locality name",
                                   examples=["TP.HCM"])],
) -> HTMLResponse:
    """A locality's cooperation programme: its agreements, their parties and sectors."""
    try:
        return _page(views.agreements(store, locality))
    except LookupError as exc:
        raise ProblemError(404, str(exc)) from exc


@router.get("/neighbourhood/{entity_id}", response_class=HTMLResponse,
            responses={**HTML_PAGE, **problem_responses(404, 422)})
def neighbourhood(
    store: StoreDep,
    entity_id: Annotated[str, Path(description="a node id, as search returns it", examples=["loc:79"])],
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="hops, either direction")] = 1,
) -> HTMLResponse:
    """An entity and everything within ``depth`` hops of it."""
    try:
        return _page(views.neighbourhood(store, entity_id, depth))
    except LookupError as exc:
        raise ProblemError(404, str(exc)) from exc


@router.get("/graph", response_class=HTMLResponse, responses={**HTML_PAGE, **problem_responses(422)})
def graph(
    store: StoreDep,
    chosen: FilterDep,
) -> HTMLResponse:
    """The whole graph, or the part the filters select."""
    return _page(views.whole(store, chosen))
