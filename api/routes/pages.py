"""The web page at ``/`` (plain HTML, CSS and a little JS, no build step, no CDN) and the
small JSON routes it calls: search grouped by kind, and an entity card."""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import FileResponse

from api.deps import StoreDep
from api.problems import ProblemError, problem_responses
from visualize.cards import EntityCard, HitGroup, entity_card, grouped_search

router = APIRouter()

STATIC = FilePath(__file__).resolve().parent.parent / "static"
# The page's files and their media types: nothing else under /static is served.
ASSETS = {"app.js": "text/javascript; charset=utf-8", "style.css": "text/css; charset=utf-8"}
# The page loads only its own files and frames only its own pictures.
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "frame-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'")


@router.get("/", include_in_schema=False)
def index() -> FileResponse:
    """The search page."""
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": PAGE_POLICY})


@router.get("/static/{asset}", include_in_schema=False)
def asset(asset: str) -> FileResponse:
    """The page's script and style sheet."""
    if asset not in ASSETS:
        raise ProblemError(404, f"no static file {asset!r}")
    return FileResponse(STATIC / asset, media_type=ASSETS[asset])


@router.get("/ui/search", response_model=list[HitGroup], tags=["web page"], responses=problem_responses(422))
def ui_search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=300, description="what the person typed",
                            examples=["quan 3"])],
) -> list[HitGroup]:
    """Search as a person types: hits grouped by kind (accents and case folded)."""
    return grouped_search(store, q)


@router.get("/ui/entity/{entity_id}", response_model=EntityCard, tags=["web page"],
            responses=problem_responses(404, 422))
def ui_entity(
    store: StoreDep,
    entity_id: Annotated[str, Path(description="a node id, as search returns it", examples=["loc:79"])],
) -> EntityCard:
    """An entity's card: its facts, links by kind (lead, contact with title and phone, ...) and sources."""
    card = entity_card(store, entity_id)
    if card is None:
        raise ProblemError(404, f"no entity with id {entity_id!r}")
    return card
