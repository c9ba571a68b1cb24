"""The ingest pipeline shared by the CLI and the API: files in, per-file results out.

A bad file (empty, binary, not UTF-8) gets a clear error naming it; the other files
still go in, and the store never holds half a document (each document is one write).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph import resolution
from graph.store import GraphStore

CONTROL_BYTES = set(range(0, 9)) | {11, 12} | set(range(14, 32))


class BadDocument(ValueError):
    """The file cannot be read as a document; the message says why."""


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


def decode(data: bytes) -> str:
    """The document's text, or BadDocument saying what is wrong with it."""
    if not data.strip():
        raise BadDocument("empty file: nothing to read")
    if b"\x00" in data[:4096] or sum(b in CONTROL_BYTES for b in data[:4096]) > len(data[:4096]) * 0.05:
        raise BadDocument("binary file: not a text document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadDocument(
            f"not UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 4]!r}); it may be Windows-1258, TCVN3 or "
            "VNI: convert it to UTF-8 (e.g. iconv -f CP1258 -t UTF-8)") from None
    if not text.strip():
        raise BadDocument("empty file: nothing to read")
    return text


def collect_files(paths: list[Path]) -> list[Path]:
    """The files named, and the files inside the folders named (hidden files and READMEs skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith((".", "README")))
        else:
            found.append(path)
    return found


def ingest_bytes(store: GraphStore, name: str, data: bytes) -> FileResult:
    """Read one document given as bytes and write its graph; errors come back in the result."""
    from ingest.extract import extract

    try:
        text = decode(data)
    except BadDocument as exc:
        return FileResult(path=name, document=name, status="error", error=str(exc))
    graph, warnings = extract(name, text, hashlib.sha256(data).hexdigest())
    summary = resolution.write_document(store, graph)
    return FileResult(path=name, document=name, status=summary.status, nodes=summary.nodes,
                      nodes_added=summary.nodes_added, relationships=summary.relationships,
                      relationships_added=summary.relationships_added, warnings=warnings)


def ingest_files(store: GraphStore, files: list[Path],
                 on_progress: Callable[[str], None] | None = None) -> list[FileResult]:
    """Ingest each file in turn; one file's failure never stops the others."""
    results = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            result = FileResult(path=str(path), document=path.name, status="error", error=f"cannot read: {exc.strerror}")
        else:
            result = ingest_bytes(store, path.name, data)
            result.path = str(path)
        results.append(result)
        if on_progress:
            on_progress(path.name)
    return results
