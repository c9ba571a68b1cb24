"""Entities by id: one with its neighbours, its neighbourhood, and paths between two."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from api import views
from api.deps import StoreDep
from api.examples import ok
from api.pagination import PageDep
from api.problems import ProblemError, problem_responses
from api.schemas import EntityDetail, GraphView, PathResult
from graph.model import Graph, Node
from graph.store import ANSWER_DOCUMENTS, MAX_DEPTH, GraphStore

router = APIRouter(tags=["entities"])

EntityId = Annotated[str, Path(description="a node id, as search returns it", examples=["loc:79"])]
# a depth-1 neighbourhood is small: fetch all of it and page the neighbours here
WHOLE_NEIGHBOURHOOD = 100_000


def known(store: GraphStore, node_id: str) -> Node:
    """The node, or a 404 problem naming the unknown id."""
    node = store.node(node_id)
    if node is None:
        raise ProblemError(404, f"no entity with id {node_id!r}")
    return node


def cut_neighbourhood(store: GraphStore, entity_id: str, depth: int, limit: int) -> Graph:
    """The neighbourhood, each fact with the sources of its first documents only, or a 404 problem
    naming the unknown id (known() would read every source of a hub first)."""
    try:
        return store.neighbourhood(entity_id, depth=depth, limit=limit, first_documents=ANSWER_DOCUMENTS)
    except KeyError:
        raise ProblemError(404, f"no entity with id {entity_id!r}") from None


@router.get("/entities/{entity_id}", response_model=EntityDetail,
            responses={**ok("entity"), **problem_responses(404, 422)})
def entity(store: StoreDep, page: PageDep, entity_id: EntityId) -> EntityDetail:
    """An entity with its direct neighbours (paged) and the relationships that join them.

    Each comes with the sources of its first 20 documents (by name), as in a neighbourhood: this route
    is answered in the server's own process (api/limits.py), and reading every source of an agreement's
    province took ~125 ms of CPU on the 10,000-document store (~3 ms cut so)."""
    return views.entity_detail(entity_id, cut_neighbourhood(store, entity_id, 1, WHOLE_NEIGHBOURHOOD), page)


@router.get("/entities/{entity_id}/neighbourhood", response_model=GraphView,
            responses={**ok("neighbourhood"), **problem_responses(404, 422)})
def neighbourhood(
    store: StoreDep,
    entity_id: EntityId,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="hops, either direction")] = 1,
    limit: Annotated[int, Query(ge=1, le=5000, description="most nodes, nearest first")] = 500,
) -> Response:
    """The entity and everything within ``depth`` hops of it, nearest nodes first up to ``limit``.

    Each node and relationship comes with the sources of its first 20 documents (by name);
    ``document_counts`` says how many documents support those that have more (a province, a sector)."""
    try:
        # the JSON of GraphView (the same fields as Graph's), sent as the store writes it: FastAPI would dump a
        # view and validate the dump again, and building a 500-node answer's facts cost more than reading them
        answer = store.neighbourhood_json(entity_id, depth=depth, limit=limit)
    except KeyError:
        raise ProblemError(404, f"no entity with id {entity_id!r}") from None
    return Response(answer, media_type="application/json")


@router.get("/paths", response_model=PathResult, responses={**ok("path"), **problem_responses(404, 422)})
def path(
    store: StoreDep,
    start: Annotated[str, Query(description="id of the first entity", examples=["org:ubnd-q3"])],
    end: Annotated[str, Query(description="id of the second entity", examples=["loc:67"])],
) -> PathResult:
    """A shortest path between two entities, ignoring relationship direction."""
    known(store, start)
    known(store, end)
    return views.path_result(store.shortest_path(start, end))
