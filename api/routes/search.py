"""Search entities by name."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import StoreDep
from api.examples import ok
from api.pagination import Page, PageDep, page_answer
from api.problems import problem_responses
from api.schemas import NodeKind
from graph.model import SearchHit
from graph.store import ANSWER_DOCUMENTS

router = APIRouter(tags=["search"])

SEARCH_CAP = 1000  # hits ranked before paging; a name query never needs more


@router.get("/search", response_model=Page[SearchHit], responses={**ok("search"), **problem_responses(422)})
def search(
    store: StoreDep,
    page: PageDep,
    q: Annotated[str, Query(min_length=1, max_length=300, description="name, with or without diacritics",
                            examples=["so cong thuong dak nong"])],
    kind: Annotated[list[NodeKind] | None, Query(description="only these node kinds")] = None,
) -> Response:
    """Entities whose name matches the text (accents, case and abbreviations folded), best first."""
    found = store.search_page(q, [k.value for k in kind] if kind else None, page.offset, page.limit, most=SEARCH_CAP,
                              first_documents=ANSWER_DOCUMENTS)
    return page_answer(Page[SearchHit](items=found.items, total=found.total, limit=page.limit, offset=page.offset))
