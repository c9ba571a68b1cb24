"""The web page at ``/`` (plain HTML, CSS and a little JS, no build step, no CDN), its static
files (cached: ETag and Cache-Control), the offline API documentation at ``/docs``, and the
small JSON routes the page calls: search grouped by kind, an entity card, a document's quotes."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path as FilePath
from typing import Annotated

import swagger_ui_bundle
from fastapi import APIRouter, Path, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response

from api.deps import StoreDep
from api.problems import ProblemError, problem_responses
from visualize.cards import DocumentView, EntityCard, HitGroup, document_view, entity_card, grouped_search
from visualize.render import BORDERS, PICTURE_JS, VIS_DIR

router = APIRouter()

STATIC = FilePath(__file__).resolve().parent.parent / "static"
SWAGGER = FilePath(str(swagger_ui_bundle.swagger_ui_path))
JS, CSS = "text/javascript; charset=utf-8", "text/css; charset=utf-8"
# Files that change with the app are revalidated each time (a 304 costs a few bytes); files
# that come from a package version (vis.js, Swagger UI, the borders) are kept for a day.
REVALIDATE, KEEP = "no-cache", "public, max-age=86400"
# The page's files: name -> (file, media type, caching). Nothing else under /static is served.
ASSETS = {
    "app.js": (STATIC / "app.js", JS, REVALIDATE),
    "style.css": (STATIC / "style.css", CSS, REVALIDATE),
    "favicon.svg": (STATIC / "favicon.svg", "image/svg+xml", KEEP),
    "picture.js": (PICTURE_JS, JS, REVALIDATE),
    "vis-network.min.js": (VIS_DIR / "vis-network.min.js", JS, KEEP),
    "vis-network.css": (VIS_DIR / "vis-network.css", CSS, KEEP),
    "vn_borders.json": (BORDERS, "application/json", KEEP),
    "swagger-ui-bundle.js": (SWAGGER / "swagger-ui-bundle.js", JS, KEEP),
    "swagger-ui.css": (SWAGGER / "swagger-ui.css", CSS, KEEP),
}
# The page loads only its own files and draws its pictures itself.
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "frame-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'")


@router.get("/", include_in_schema=False)
def index() -> FileResponse:
    """The search page."""
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": PAGE_POLICY})


@lru_cache(maxsize=32)
def _etag(path: FilePath, mtime: float) -> str:
    return '"' + hashlib.sha256(path.read_bytes()).hexdigest()[:20] + '"'


@router.get("/static/{asset}", include_in_schema=False)
def asset(asset: str, request: Request) -> Response:
    """The page's files, with an ETag; a request that already holds this version gets 304."""
    if asset not in ASSETS:
        raise ProblemError(404, f"no static file {asset!r}")
    path, media_type, caching = ASSETS[asset]
    headers = {"ETag": _etag(path, path.stat().st_mtime), "Cache-Control": caching}
    if request.headers.get("if-none-match") == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    return FileResponse(path, media_type=media_type, headers=headers)


@router.get("/favicon.ico", include_in_schema=False)
def favicon(request: Request) -> Response:
    """Browsers ask for /favicon.ico on their own."""
    return asset("favicon.svg", request)


@router.get("/docs", include_in_schema=False)
def docs() -> HTMLResponse:
    """Swagger UI over the OpenAPI schema, with its files served from here (works offline)."""
    return get_swagger_ui_html(openapi_url="/openapi.json", title="Liên Kết — API",
                               swagger_js_url="/static/swagger-ui-bundle.js", swagger_css_url="/static/swagger-ui.css",
                               swagger_favicon_url="/static/favicon.svg")


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


@router.get("/ui/document/{document}", response_model=DocumentView, tags=["web page"],
            responses=problem_responses(404, 422))
def ui_document(
    store: StoreDep,
    document: Annotated[str, Path(max_length=300, description="a document name, as sources give it",
                                  examples=["plan_kh_101.txt"])],
) -> DocumentView:
    """What the graph read in a document: each quote (page or table row where known) and the facts it supports,
    and the document's own text (each block naming the quotes it holds) when the store keeps it."""
    view = document_view(store, document)
    if view is None:
        raise ProblemError(404, f"no facts from a document named {document!r}")
    return view
