"""Neo4j URIs: routing schemes (neo4j://, neo4j+s://) for clusters and Aura, as well as bolt://.

With ``neo4j://`` the driver fetches a routing table from the server: READ sessions (every
question) go to followers or read replicas, writes to the leader. A single server answers the
routing request too, so the test Neo4j proves the whole store works through a routing driver.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import Settings
from graph.backends import NEO4J_SCHEMES, check_neo4j_uri, open_store
from graph.store import StoreUnavailable
from tests.factory import mou_document, plan_document
from tests.neo4j_server import Neo4jServer


@pytest.mark.parametrize("scheme", NEO4J_SCHEMES)
def test_every_driver_scheme_is_accepted(scheme: str) -> None:
    assert check_neo4j_uri(f"{scheme}://db.example.invalid:7687") == f"{scheme}://db.example.invalid:7687"


@pytest.mark.parametrize(("uri", "says"), [
    ("http://localhost:7474", "scheme"), ("localhost:7687", "scheme"), ("neo4j://", "no host"), ("", "not set"),
])
def test_unusable_uris_are_refused_with_the_reason(uri: str, says: str) -> None:
    settings = Settings(lienket_backend="neo4j", neo4j_uri=uri or None)
    with pytest.raises(ValueError, match=says):
        settings.open_store()


def test_a_routing_uri_with_tls_reaches_the_driver(tmp_path: Path) -> None:
    """neo4j+s:// passes our checks and the driver's: only the connection can fail (no server there)."""
    settings = Settings(lienket_backend="neo4j", neo4j_uri="neo4j+s://127.0.0.1:9", lienket_db=tmp_path)
    with pytest.raises(StoreUnavailable, match="neo4j\\+s://127.0.0.1:9 cannot be reached"):
        settings.open_store()


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("NEO4J_URI=bolt://from-file:7687\nNEO4J_USER='reader'\n# a comment\n", encoding="utf-8")
    monkeypatch.setenv("NEO4J_URI", "neo4j+s://from-environment:7687")
    monkeypatch.setenv("LIENKET_BACKEND", "neo4j")
    settings = Settings.from_environment(env_file)
    assert (settings.neo4j_uri, settings.neo4j_user, settings.lienket_backend) == (
        "neo4j+s://from-environment:7687", "reader", "neo4j")


@pytest.mark.neo4j
def test_the_store_works_through_a_routing_driver(neo4j_server: Neo4jServer, tmp_path: Path) -> None:
    routed = neo4j_server.uri.replace("bolt://", "neo4j://")
    assert routed.startswith("neo4j://")
    store = open_store("neo4j", tmp_path, neo4j_uri=routed, neo4j_user=neo4j_server.user,
                       neo4j_password=neo4j_server.password, neo4j_database=neo4j_server.database)
    try:
        store.clear()
        store.write_document(mou_document())
        store.write_document(plan_document())
        assert [a.person for a in store.contacts("hội chợ cà phê")] == ["Lê Thị Mẫu"]
        assert store.counts().documents == 2
    finally:
        store.clear()
        store.close()
