"""Opening a store. Kept apart from ``graph.store`` so that the interface does not import its
backends (nor their drivers). The values come from ``api.settings.Settings``."""

from __future__ import annotations

from pathlib import Path

from graph.store import GraphStore


def open_store(backend: str, db_path: Path, *, neo4j_uri: str | None = None, neo4j_user: str = "neo4j",
               neo4j_password: str = "", neo4j_database: str = "neo4j") -> GraphStore:
    """Open a backend: ``embedded`` (the SQLite store in ``db_path``) or ``neo4j`` (at ``neo4j_uri``)."""
    chosen = backend.lower()
    if chosen == "embedded":
        from graph.embedded import EmbeddedStore

        return EmbeddedStore(db_path)
    if chosen == "neo4j":
        from graph.neo4j_store import Neo4jStore

        if not neo4j_uri:
            raise ValueError("NEO4J_URI is not set (e.g. bolt://localhost:7687, or neo4j+s://… for a cluster or Aura)")
        return Neo4jStore(neo4j_uri, neo4j_user, neo4j_password, database=neo4j_database)
    raise ValueError(f"unknown backend {chosen!r}: use 'embedded' or 'neo4j'")
