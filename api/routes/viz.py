"""Network pictures: standalone HTML pages (vis.js inlined: they work offline), and the same
pictures as data for the web page, which draws them with its cached copy of vis.js."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from api.deps import FILTER, StoreDep
from api.problems import ProblemError, problem_responses
from api.schemas import NodeKind
from graph.store import MAX_DEPTH, MAX_TEXT, YEARS, GraphFilter, GraphStore
from visualize import views
from visualize.render import Picture, payload, render

router = APIRouter(prefix="/viz", tags=["pictures"])

HTML_PAGE = {200: {"description": "a standalone HTML page", "content": {"text/html": {}}}}
# Beyond a few thousand nodes a picture is a page of tens of MB that a browser cannot lay out
# (benchmarks/viz_bench.py: 5,000 nodes already take 7 MB and 2-3 s to show); no one reads it.
MAX_PICTURE_NODES = 3000


class Period(str, Enum):
    """Province borders (and the province a unit belongs to) before or after 1 July 2025."""

    before = "before"
    after = "after"


class Level(str, Enum):
    """The level of units whose agreements are twinning."""

    district = "district"
    commune = "commune"


class PictureData(BaseModel):
    """A picture as the page's picture script draws it: vis.js nodes, edges and options."""

    title: str
    words: dict[str, str]
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    options: dict[str, Any]
    legend: dict[str, Any]
    grouped: bool
    map: dict[str, Any] | None
    physics: bool
    compact: bool


PeriodQuery = Annotated[Period, Query(description="borders and provinces before or after 1 July 2025")]
LevelQuery = Annotated[Level, Query(description="units whose agreements are twinning")]
LocalityQuery = Annotated[str, Query(min_length=1, max_length=200, description="a locality name", examples=["TP.HCM"])]
EntityPath = Annotated[str, Path(description="a node id, as search returns it", examples=["loc:79"])]
DepthQuery = Annotated[int, Query(ge=1, le=MAX_DEPTH, description="hops, either direction")]
# The filters as graph.store defines them for every front end (the same as api.deps.graph_filter).
KindQuery = Annotated[list[NodeKind] | None, Query(description=FILTER["kinds"].description)]
SectorQuery = Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT, description=FILTER["sector"].description)]
YearQuery = Annotated[int | None, Query(ge=YEARS[0], le=YEARS[1], description=FILTER["year"].description)]
PlaceQuery = Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT, description=FILTER["locality"].description)]


def too_large(nodes: int) -> ProblemError:
    """The refusal of a picture of this many nodes, saying what to do instead."""
    return ProblemError(422, f"the picture would hold {nodes} nodes; pictures show at most {MAX_PICTURE_NODES}: "
                             "choose node kinds, a sector, a year or a locality, or download the graph "
                             "from /export/{format}")


def _bounded(picture: Picture) -> Picture:
    if len(picture.nodes) > MAX_PICTURE_NODES:
        raise too_large(len(picture.nodes))
    return picture


def _twinning(store: GraphStore, period: Period, level: Level) -> Picture:
    return _bounded(views.twinning(store, period=period.value, level=level.value))


def _agreements(store: GraphStore, locality: str) -> Picture:
    try:
        return _bounded(views.agreements(store, locality))
    except LookupError as exc:
        raise ProblemError(404, str(exc)) from exc


def _neighbourhood(store: GraphStore, entity_id: str, depth: int) -> Picture:
    try:
        return _bounded(views.neighbourhood(store, entity_id, depth))
    except LookupError as exc:
        raise ProblemError(404, str(exc)) from exc


def _graph(store: GraphStore, kind: list[NodeKind] | None, sector: str | None, year: int | None,
           locality: str | None) -> Picture:
    chosen = GraphFilter(kinds=[k.value for k in kind or []], sector=sector, year=year, locality=locality)
    if chosen == GraphFilter():
        whole_graph = sum(store.counts().nodes.values())
        if whole_graph > MAX_PICTURE_NODES:  # known from the counts alone: refuse before building it
            raise too_large(whole_graph)
    return _bounded(views.whole(store, chosen))


@router.get("/twinning", response_class=HTMLResponse, responses={**HTML_PAGE, **problem_responses(422)})
def twinning(store: StoreDep, period: PeriodQuery = Period.before, level: LevelQuery = Level.district) -> HTMLResponse:
    """Map of districts joined by twinning agreements (and the provinces they belong to), over province borders."""
    return HTMLResponse(render(_twinning(store, period, level)))


@router.get("/agreements", response_class=HTMLResponse, responses={**HTML_PAGE, **problem_responses(404, 422)})
def agreements(store: StoreDep, locality: LocalityQuery) -> HTMLResponse:
    """A locality's cooperation programme: its agreements, their parties and sectors."""
    return HTMLResponse(render(_agreements(store, locality)))


@router.get("/neighbourhood/{entity_id}", response_class=HTMLResponse,
            responses={**HTML_PAGE, **problem_responses(404, 422)})
def neighbourhood(store: StoreDep, entity_id: EntityPath, depth: DepthQuery = 1) -> HTMLResponse:
    """An entity and everything within ``depth`` hops of it."""
    return HTMLResponse(render(_neighbourhood(store, entity_id, depth)))


@router.get("/graph", response_class=HTMLResponse, responses={**HTML_PAGE, **problem_responses(422)})
def graph(store: StoreDep, kind: KindQuery = None, sector: SectorQuery = None, year: YearQuery = None,
          locality: PlaceQuery = None) -> HTMLResponse:
    """The whole graph, or the part the filters select (at most 3,000 nodes: filter a larger graph)."""
    return HTMLResponse(render(_graph(store, kind, sector, year, locality)))


@router.get("/data/twinning", response_model=PictureData, responses=problem_responses(422))
def twinning_data(store: StoreDep, period: PeriodQuery = Period.before,
                  level: LevelQuery = Level.district) -> dict[str, Any]:
    """The twinning map as data (the web page draws it over the borders in /static/vn_borders.json)."""
    return payload(_twinning(store, period, level))


@router.get("/data/agreements", response_model=PictureData, responses=problem_responses(404, 422))
def agreements_data(store: StoreDep, locality: LocalityQuery) -> dict[str, Any]:
    """A locality's cooperation programme as data."""
    return payload(_agreements(store, locality))


@router.get("/data/neighbourhood/{entity_id}", response_model=PictureData, responses=problem_responses(404, 422))
def neighbourhood_data(store: StoreDep, entity_id: EntityPath, depth: DepthQuery = 1) -> dict[str, Any]:
    """An entity's neighbourhood as data."""
    return payload(_neighbourhood(store, entity_id, depth))


@router.get("/data/graph", response_model=PictureData, responses=problem_responses(422))
def graph_data(store: StoreDep, kind: KindQuery = None, sector: SectorQuery = None, year: YearQuery = None,
               locality: PlaceQuery = None) -> dict[str, Any]:
    """The whole graph, or the part the filters select, as data."""
    return payload(_graph(store, kind, sector, year, locality))
