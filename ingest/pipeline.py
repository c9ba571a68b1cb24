"""The ingest pipeline shared by the CLI and the API: files in, per-file results out.

A bad file (empty, damaged, encrypted, too large, in an unknown encoding) gets a clear
error naming it; the other files still go in, and the store never holds half a document
(each document is one write).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph import resolution
from graph.store import GraphStore
from ingest.document import BadDocument
from ingest.readers import PageProgress, read_document
from ingest.readers.fetch import fetch

FileProgress = Callable[[str, int, int], None]  # (document, pages done, pages in all)


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


def ingest_url(store: GraphStore, url: str, on_page: PageProgress | None = None,
               public_only: bool = False) -> FileResult:
    """Fetch a document by URL and ingest it under the URL as its name (the facts' source)."""
    try:
        download = fetch(url, public_only=public_only)
    except BadDocument as exc:
        return FileResult(path=url, document=url, status="error", error=str(exc))
    return ingest_bytes(store, url, download.data, content_type=download.content_type, on_page=on_page)


def collect_files(paths: list[Path]) -> list[Path]:
    """The files named, and the files inside the folders named (hidden files and READMEs skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith((".", "README")))
        else:
            found.append(path)
    return found


def ingest_bytes(store: GraphStore, name: str, data: bytes, content_type: str = "",
                 on_page: PageProgress | None = None) -> FileResult:
    """Read one document given as bytes (any format a reader knows) and write its graph;
    errors come back in the result, naming what is wrong."""
    from ingest.extract import extract

    try:
        document = read_document(name, data, content_type=content_type, on_page=on_page)
    except BadDocument as exc:
        return FileResult(path=name, document=name, status="error", error=str(exc))
    except Exception as exc:  # a library's own error on a damaged file: the other files still go in
        return FileResult(path=name, document=name, status="error",
                          error=f"cannot be read: {type(exc).__name__}: {exc}")
    graph, warnings = extract(document, hashlib.sha256(data).hexdigest())
    try:
        summary = resolution.write_document(store, graph)
        store.save_document_text(graph.document, document.blocks_json())
    except Exception as exc:  # the store refused this one (e.g. beyond Neo4j's transaction memory); its
        # write is one transaction, rolled back, so the others still go in and the store stays as it was
        return FileResult(path=name, document=name, status="error",
                          error=f"could not be stored: {type(exc).__name__}: {exc}")
    return FileResult(path=name, document=name, status=summary.status, nodes=summary.nodes,
                      nodes_added=summary.nodes_added, relationships=summary.relationships,
                      relationships_added=summary.relationships_added, warnings=warnings)


def ingest_files(store: GraphStore, files: list[Path | str], on_progress: Callable[[str], None] | None = None,
                 on_page: FileProgress | None = None) -> list[FileResult]:
    """Ingest each file (or URL) in turn; one file's failure never stops the others.
    ``on_page`` hears of each page read, for documents read page by page (PDF, scans)."""
    results = []
    for path in files:
        name = str(path) if isinstance(path, str) else path.name
        pages = (lambda done, total, name=name: on_page(name, done, total)) if on_page else None
        if isinstance(path, str):
            result = ingest_url(store, path, on_page=pages)
        else:
            try:
                data = path.read_bytes()
            except OSError as exc:
                result = FileResult(path=str(path), document=name, status="error", error=f"cannot read: {exc.strerror}")
            else:
                result = ingest_bytes(store, name, data, on_page=pages)
                result.path = str(path)
        results.append(result)
        if on_progress:
            on_progress(name)
    return results
