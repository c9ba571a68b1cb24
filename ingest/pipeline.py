"""The ingest pipeline shared by the CLI and the API: files in, per-file results out.

A bad file (empty, damaged, encrypted, too large, in an unknown encoding) gets a clear
error naming it; the other files still go in, and the store never holds half a document
(documents are written in groups, each group one transaction, written again without a document the store refuses).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph import resolution
from graph.model import DocumentGraph, WriteSummary
from graph.store import GraphStore
from ingest.document import BadDocument
from ingest.readers import PageProgress, read_document
from ingest.readers.fetch import fetch

FileProgress = Callable[[str, int, int], None]  # (document, pages done, pages in all)
# Documents read are written in groups, each group one write transaction of the store: the commit, and
# the index pages every document touches again, are paid once a group. A group is written once it holds
# GROUP_DOCUMENTS, or once GROUP_SECONDS have passed since its first document was read, checked as each
# document is read (a scan read page by page is not held back for long); its files are reported then.
GROUP_DOCUMENTS = 50
GROUP_SECONDS = 2.0


@dataclass
class FileResult:
    path: str
    document: str
    status: str  # added | replaced | unchanged | error
    nodes: int = 0
    nodes_added: int = 0
    relationships: int = 0
    relationships_added: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Read:
    """A document read and extracted, waiting for its group's write."""

    result: FileResult  # its name and warnings; the write's outcome goes in once stored
    graph: DocumentGraph
    text: str  # its blocks as JSON, stored with it


def collect_files(paths: list[Path]) -> list[Path]:
    """The files named, and the files inside the folders named (hidden files and READMEs skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith((".", "README")))
        else:
            found.append(path)
    return found


def read_bytes(name: str, data: bytes, content_type: str = "", on_page: PageProgress | None = None) -> Read | FileResult:
    """Read one document given as bytes (any format a reader knows) and extract its graph; an error
    comes back as a result naming what is wrong."""
    from ingest.extract import extract

    try:
        document = read_document(name, data, content_type=content_type, on_page=on_page)
    except BadDocument as exc:
        return FileResult(path=name, document=name, status="error", error=str(exc))
    except Exception as exc:  # a library's own error on a damaged file: the other files still go in
        return FileResult(path=name, document=name, status="error",
                          error=f"cannot be read: {type(exc).__name__}: {exc}")
    graph, warnings = extract(document, hashlib.sha256(data).hexdigest())
    return Read(FileResult(path=name, document=name, status="", warnings=warnings), graph, document.blocks_json())


def read_url(url: str, on_page: PageProgress | None = None, public_only: bool = False) -> Read | FileResult:
    """Fetch a document by URL and read it under the URL as its name (the facts' source)."""
    try:
        download = fetch(url, public_only=public_only)
    except BadDocument as exc:
        return FileResult(path=url, document=url, status="error", error=str(exc))
    return read_bytes(url, download.data, content_type=download.content_type, on_page=on_page)


def read_file(path: Path, on_page: PageProgress | None = None) -> Read | FileResult:
    """Read a file from disk (named by its file name; its result keeps the path)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FileResult(path=str(path), document=path.name, status="error", error=f"cannot read: {exc.strerror}")
    outcome = read_bytes(path.name, data, on_page=on_page)
    (outcome.result if isinstance(outcome, Read) else outcome).path = str(path)
    return outcome


def _stored(read: Read, outcome: WriteSummary | Exception) -> FileResult:
    result = read.result
    if isinstance(outcome, Exception):  # the store refused this one (e.g. beyond Neo4j's transaction memory):
        # the group was written again without it, so the others still go in and the store holds nothing of it
        result.status, result.error = "error", f"could not be stored: {type(outcome).__name__}: {outcome}"
        return result
    result.status, result.nodes, result.nodes_added = outcome.status, outcome.nodes, outcome.nodes_added
    result.relationships, result.relationships_added = outcome.relationships, outcome.relationships_added
    return result


def store_group(store: GraphStore, group: list[Read | FileResult]) -> list[FileResult]:
    """Write the documents of a group in one transaction (errors of reading pass through): their results
    once it has committed."""
    reads = [r for r in group if isinstance(r, Read)]
    if not reads:
        return [r for r in group if isinstance(r, FileResult)]
    texts = {id(r.graph): r.text for r in reads}

    def with_text(graph: DocumentGraph) -> None:
        store.save_document_text(graph.document, texts[id(graph)])

    outcomes = dict(zip(map(id, reads), resolution.write_documents(store, [r.graph for r in reads], with_text)))
    return [_stored(r, outcomes[id(r)]) if isinstance(r, Read) else r for r in group]


def ingest_read(store: GraphStore, documents: Iterable[Read | FileResult]) -> list[FileResult]:
    """Write documents as they are read, in groups (``GROUP_DOCUMENTS``, ``GROUP_SECONDS``); one
    document's failure never stops the others. The results in the order read."""
    results: list[FileResult] = []
    group: list[Read | FileResult] = []
    started = 0.0
    for document in documents:
        if not group:
            started = time.monotonic()
        group.append(document)
        if len(group) >= GROUP_DOCUMENTS or time.monotonic() - started >= GROUP_SECONDS:
            results += store_group(store, group)
            group = []
    return results + store_group(store, group)


def ingest_bytes(store: GraphStore, name: str, data: bytes, content_type: str = "",
                 on_page: PageProgress | None = None) -> FileResult:
    """Read one document given as bytes and write its graph; errors come back in the result."""
    return store_group(store, [read_bytes(name, data, content_type, on_page)])[0]


def ingest_files(store: GraphStore, files: list[Path | str], on_progress: Callable[[str], None] | None = None,
                 on_page: FileProgress | None = None) -> list[FileResult]:
    """Ingest each file (or URL) in turn, in groups; one file's failure never stops the others.
    ``on_progress`` hears of each file read, ``on_page`` of each page read, for documents read page by
    page (PDF, scans)."""
    def read_each() -> Iterator[Read | FileResult]:
        for path in files:
            name = path if isinstance(path, str) else path.name
            pages = (lambda done, total, name=name: on_page(name, done, total)) if on_page else None
            yield read_url(path, on_page=pages) if isinstance(path, str) else read_file(path, on_page=pages)
            if on_progress:
                on_progress(name)

    return ingest_read(store, read_each())
