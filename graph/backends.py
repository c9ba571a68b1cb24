"""Opening a store. Kept apart from ``graph.store`` so that the interface does not import its
backends (nor their drivers). The values come from ``api.settings.Settings``."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from graph.store import GraphStore

# bolt:// reaches one server; neo4j:// asks it for a routing table, so that reads go to a
# cluster's followers or read replicas and writes to the leader (Aura is neo4j+s://).
# +s verifies the server's certificate, +ssc accepts a self-signed one.
NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def check_neo4j_uri(uri: str | None) -> str:
    """The URI, when the driver can use it; a ValueError saying what is wrong otherwise."""
    if not uri:
        raise ValueError("NEO4J_URI is not set (e.g. bolt://localhost:7687, or neo4j+s://… for a cluster or Aura)")
    parts = urlsplit(uri)
    if parts.scheme not in NEO4J_SCHEMES:
        raise ValueError(f"NEO4J_URI {uri!r}: the scheme must be one of {', '.join(s + '://' for s in NEO4J_SCHEMES)}")
    if not parts.hostname:
        raise ValueError(f"NEO4J_URI {uri!r} names no host")
    return uri


def open_store(backend: str, db_path: Path, *, neo4j_uri: str | None = None, neo4j_user: str = "neo4j",
               neo4j_password: str = "", neo4j_database: str = "neo4j") -> GraphStore:
    """Open a backend: ``embedded`` (the SQLite store in ``db_path``) or ``neo4j`` (at ``neo4j_uri``)."""
    chosen = backend.lower()
    if chosen == "embedded":
        from graph.embedded import EmbeddedStore

        return EmbeddedStore(db_path)
    if chosen == "neo4j":
        from graph.neo4j_store import Neo4jStore

        return Neo4jStore(check_neo4j_uri(neo4j_uri), neo4j_user, neo4j_password, database=neo4j_database)
    raise ValueError(f"unknown backend {chosen!r}: use 'embedded' or 'neo4j'")
