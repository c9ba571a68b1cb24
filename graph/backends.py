"""Opening the configured store. Kept apart from ``graph.store`` so that the interface does
not import its backends (nor their drivers)."""

from __future__ import annotations

from pathlib import Path

from graph.store import GraphStore


def open_store(backend: str, db_path: Path) -> GraphStore:
    """Open a backend: ``embedded`` (the SQLite store in ``db_path``) or ``neo4j``."""
    chosen = backend.lower()
    if chosen == "embedded":
        from graph.embedded import EmbeddedStore

        return EmbeddedStore(db_path)
    if chosen == "neo4j":
        from graph.neo4j_store import Neo4jStore

        return Neo4jStore.from_environment()
    raise ValueError(f"unknown backend {chosen!r}: use 'embedded' or 'neo4j'")
