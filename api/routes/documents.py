"""Documents: list them, upload new ones to ingest (API key), remove one (API key)."""

from __future__ import annotations

from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, Depends, File, Path, UploadFile
from pydantic import BaseModel, Field, HttpUrl

from api.deps import SettingsDep, StoreDep, require_api_key
from api.examples import ok
from api.pagination import Page, PageDep, paginate
from api.problems import ProblemError, problem_responses
from api.schemas import FileOutcome, UploadReport
from graph import resolution
from graph.model import DocumentInfo, RemoveSummary
from ingest.pipeline import ingest_read, read_bytes, read_url

router = APIRouter(prefix="/documents", tags=["documents"])

# 400: a JSON body that is not UTF-8 cannot be parsed at all (FastAPI's answer, before validation).
WRITE_ERRORS = problem_responses(400, 401, 403, 422)


@router.get("", response_model=Page[DocumentInfo], responses={**ok("documents"), **problem_responses(422)})
def documents(store: StoreDep, page: PageDep) -> Page[DocumentInfo]:
    """The ingested documents, by name, with how many nodes and relationships each supports."""
    return paginate(store.documents(), page)


@router.post("", response_model=UploadReport, dependencies=[Depends(require_api_key)],
             responses={**ok("upload"), **WRITE_ERRORS, **problem_responses(413)})
def upload(
    store: StoreDep,
    settings: SettingsDep,
    files: Annotated[list[UploadFile], File(min_length=1, description="one or several documents: text, PDF, scans, Word, web pages")],
) -> UploadReport:
    """Ingest documents with the same pipeline as ``lienket ingest``; one outcome per file.

    A file that cannot be read is reported with its error and the others still go in.
    Too many files, or any file larger than the configured limit, refuses the whole upload (413)
    before anything is ingested."""
    if len(files) > settings.lienket_max_upload_files:
        raise ProblemError(413, f"{len(files)} files: send at most {settings.lienket_max_upload_files} at a time")
    limit = settings.lienket_max_upload_bytes
    received = []
    for upload_file in files:
        name = PurePath(upload_file.filename or "").name
        if not name:
            raise ProblemError(400, "every uploaded file needs a file name")
        data = upload_file.file.read(limit + 1)
        if len(data) > limit:
            raise ProblemError(413, f"{name} is larger than the {limit}-byte upload limit")
        received.append((name, data))
    outcomes = [FileOutcome.model_validate(result, from_attributes=True)
                for result in ingest_read(store, (read_bytes(name, data) for name, data in received))]
    return UploadReport(results=outcomes, errors=sum(1 for o in outcomes if o.error))


class UrlUpload(BaseModel):
    """Documents to fetch by URL (http or https) and ingest under their URL."""

    urls: list[HttpUrl] = Field(min_length=1, examples=[["https://example.org/ke-hoach.pdf"]])


@router.post("/url", response_model=UploadReport, dependencies=[Depends(require_api_key)],
             responses={**ok("upload"), **WRITE_ERRORS, **problem_responses(413)})
def upload_by_url(store: StoreDep, settings: SettingsDep, body: UrlUpload) -> UploadReport:
    """Fetch each URL (timeout, size cap, no private or local addresses) and ingest it with the same
    pipeline as ``lienket ingest URL``; one outcome per URL, a bad one does not stop the others."""
    if len(body.urls) > settings.lienket_max_upload_files:
        raise ProblemError(413, f"{len(body.urls)} URLs: send at most {settings.lienket_max_upload_files} at a time")
    outcomes = [FileOutcome.model_validate(result, from_attributes=True)
                for result in ingest_read(store, (read_url(str(url), public_only=True) for url in body.urls))]
    return UploadReport(results=outcomes, errors=sum(1 for o in outcomes if o.error))


# ``:path`` because a document fetched by URL is named by its URL, slashes included.
@router.delete("/{name:path}", response_model=RemoveSummary, dependencies=[Depends(require_api_key)],
               responses={**ok("removed"), **WRITE_ERRORS, **problem_responses(404)})
def remove(store: StoreDep, name: Annotated[str, Path(description="the document's name as ingested (a URL for a fetched document)")]
           ) -> RemoveSummary:
    """Remove a document and every fact that only it supported."""
    try:
        return resolution.remove_document(store, name)
    except KeyError:
        raise ProblemError(404, f"no document named {name!r}") from None
