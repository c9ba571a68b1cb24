"""Review of resolution: the pairs the rules were unsure about, a person's judgement (API key),
taking one back (API key), and the small review page at ``/review``."""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from api.deps import StoreDep, require_api_key
from api.problems import ProblemError, problem_responses
from api.routes.pages import PAGE_POLICY
from graph import resolution
from graph.model import Judgement
from graph.resolution import Mention, ReviewPair

router = APIRouter(prefix="/review", tags=["review"])

STATIC = FilePath(__file__).resolve().parent.parent / "static"
# 400: a JSON body that is not UTF-8 cannot be parsed at all (FastAPI's answer, before validation).
WRITE_ERRORS = problem_responses(400, 401, 403, 404, 422)


class JudgementRequest(BaseModel):
    """A person's judgement on two entities, by the ids the pair lists."""

    left: str = Field(min_length=1, max_length=200, examples=["person:0123456789abcdef"])
    right: str = Field(min_length=1, max_length=200, examples=["person:fedcba9876543210"])
    judgement: Literal["same", "different"]
    who: str = Field(default="reviewer", min_length=1, max_length=100, description="kept with the judgement")


@router.get("/pairs", response_model=list[ReviewPair], responses=problem_responses(422))
def pairs(store: StoreDep) -> list[ReviewPair]:
    """Pairs the rules were unsure about and no person has judged, best score first, with both entities."""
    return resolution.review_queue(store)


@router.get("/mentions/{mention_id}", response_model=Mention, responses=problem_responses(404, 422))
def mention(store: StoreDep,
            mention_id: Annotated[str, Path(description="an id a document gave an entity")]) -> Mention:
    """An entity as each document named it, and the id of the merged entity that answers for it."""
    found = resolution.mention(store, mention_id)
    if found is None:
        raise ProblemError(404, f"no document names an entity with id {mention_id!r}")
    return found


@router.post("/judgements", response_model=Judgement, dependencies=[Depends(require_api_key)],
             responses=WRITE_ERRORS)
def judge(store: StoreDep, request: JudgementRequest) -> Judgement:
    """Record a person's judgement; it outranks the rules and survives re-ingest. 404 for an unknown id."""
    try:
        return resolution.decide(store, request.left, request.right, request.judgement, request.who)
    except KeyError as exc:
        raise ProblemError(404, f"no entity with id {exc.args[0]}") from None


@router.delete("/judgements/{judgement_id}", response_model=Judgement, dependencies=[Depends(require_api_key)],
               responses=WRITE_ERRORS)
def take_back(store: StoreDep,
              judgement_id: Annotated[str, Path(description="a person's judgement id, as recorded")]) -> Judgement:
    """Take back a person's judgement; the rules decide that pair again."""
    try:
        return resolution.undo(store, judgement_id)
    except KeyError:
        raise ProblemError(404, f"no judgement by a person with id {judgement_id!r}") from None


@router.get("", include_in_schema=False)
def page() -> FileResponse:
    """The review page: the two entities side by side, keys y / n / s."""
    return FileResponse(STATIC / "review.html", media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": PAGE_POLICY})


@router.get("/review.js", include_in_schema=False)
def script() -> FileResponse:
    return FileResponse(STATIC / "review.js", media_type="text/javascript; charset=utf-8")


@router.get("/review.css", include_in_schema=False)
def style() -> FileResponse:
    return FileResponse(STATIC / "review.css", media_type="text/css; charset=utf-8")
