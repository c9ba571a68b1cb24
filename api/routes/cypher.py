"""Read-only Cypher for researchers (Neo4j backend only)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import SettingsDep, StoreDep
from api.examples import ok
from api.problems import ProblemError, problem_responses
from api.schemas import CypherRequest, CypherResponse
from graph.store import CypherNotSupported, CypherRefused, CypherTimedOut

router = APIRouter(tags=["cypher"])

SWITCH_TO_NEO4J = ("Cypher needs the Neo4j backend: start Neo4j (docker compose up), then run the API with "
                   "LIENKET_BACKEND=neo4j and NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD set")


@router.post("/cypher", response_model=CypherResponse,
             responses={**ok("cypher"), **problem_responses(400, 408, 422, 501)})
def run_cypher(request: CypherRequest, store: StoreDep, settings: SettingsDep) -> CypherResponse:
    """Run a read-only query in a read transaction with a timeout; rows are capped and paged.

    Writes, schema commands, write procedures and invalid Cypher are refused (400) before they run."""
    cap = settings.lienket_cypher_max_rows
    limit = min(request.limit, cap)
    try:
        result = store.read_cypher(request.query, request.parameters, limit=request.offset + limit,
                                   timeout_s=settings.lienket_cypher_timeout_s)
    except CypherNotSupported:
        raise ProblemError(501, SWITCH_TO_NEO4J) from None
    except CypherRefused as exc:
        raise ProblemError(400, f"refused: {exc}") from None
    except CypherTimedOut as exc:
        raise ProblemError(408, str(exc)) from None
    rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows[request.offset:]]
    return CypherResponse(columns=result.columns, rows=rows, limit=limit, offset=request.offset,
                          truncated=result.truncated)
