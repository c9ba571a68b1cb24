"""Shared fixtures: a store of each backend, filled or empty.

``store`` runs a test once per backend. The Neo4j backend uses ``NEO4J_URI`` when set;
otherwise the suite starts a real Neo4j 5.26 itself (tests/neo4j_server.py). Without
Java the Neo4j runs are skipped with the reason — except under CI=true, where a Neo4j
that cannot start is a failure. Every test that needs Neo4j carries the ``neo4j`` marker
from collection on, so ``pytest -m "not neo4j"`` deselects them all (no Java needed).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.embedded import STORE_FILE, EmbeddedStore
from graph.store import GraphStore
from tests.factory import mou_document, plan_document

pytest_plugins = ["tests.neo4j_server"]

BACKENDS = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]


def stored_rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of an embedded store, read by a connection of its own."""
    with sqlite3.connect(db / STORE_FILE) as connection:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(connection.execute(f"SELECT * FROM {t}").fetchall()) for t in sorted(tables)}


def open_backend(name: str, tmp_path: Path, request: pytest.FixtureRequest) -> GraphStore:
    if name == "embedded":
        return EmbeddedStore(tmp_path / "db")
    server = request.getfixturevalue("neo4j_server")
    from graph.neo4j_store import Neo4jStore

    store = Neo4jStore(server.uri, server.user, server.password, database=server.database)
    store.clear()
    return store


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store, once per backend."""
    backend = open_backend(request.param, tmp_path, request)
    yield backend
    backend.close()


@pytest.fixture
def filled_store(store: GraphStore) -> GraphStore:
    """A store holding the two factory documents."""
    store.write_document(mou_document())
    store.write_document(plan_document())
    return store


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that use a fixture named neo4j* (a real Neo4j) as ``neo4j``.

    A marker applied inside a fixture comes too late for ``-m``: selection happens at
    collection. Fixtures that reach the server through ``request.getfixturevalue`` are
    invisible to pytest's fixture closure, hence the naming rule.
    """
    for item in items:
        if any(name.startswith("neo4j") for name in getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.neo4j)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"
