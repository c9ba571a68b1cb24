"""Property-based check of the API against its own OpenAPI schema (schemathesis).

Every operation, the write ones included (with a valid key), is called with generated
inputs over a store holding the factory documents: no answer may be a 5xx, and every
answer must have a documented status, content type and body shape. POST /cypher, which
the embedded store answers with 501, is run again over a real Neo4j, where generated
queries must never change the graph.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, not_a_server_error, positive_data_acceptance

from api.app import create_app
from api.deps import get_store, key_digest
from api.settings import Settings, get_settings
from graph.embedded import EmbeddedStore
from graph.store import GraphStore
from tests.factory import mou_document, plan_document

API_KEY = "schema-test-key"
MAX_EXAMPLES = 30  # per operation; enough to reach every parameter on a 2-core machine


def _app(store: Callable[[], GraphStore]) -> FastAPI:
    app = create_app()
    chosen = Settings(_env_file=None, lienket_api_key_hashes=key_digest(API_KEY),  # type: ignore[call-arg]
                      lienket_max_upload_bytes=20_000)
    app.dependency_overrides[get_store] = store
    app.dependency_overrides[get_settings] = lambda: chosen
    return app


def _filled(store: GraphStore) -> GraphStore:
    store.write_document(mou_document())
    store.write_document(plan_document())
    return store


# built at import because schemathesis generates one test per operation from the schema;
# the folder is removed when the module's tests are done
STORE_DIR = tempfile.TemporaryDirectory(prefix="lienket-schema-")
EMBEDDED = _filled(EmbeddedStore(Path(STORE_DIR.name)))
schema = schemathesis.openapi.from_asgi("/openapi.json", _app(lambda: EMBEDDED))
# a query string or body past the API's caps is refused (414, 413): rejections, like a 400
schema.config.checks.negative_data_rejection.expected_statuses += ["413", "414"]

# POST /cypher again, over a real Neo4j (the store is opened by the fixture below)
NEO4J: dict[str, GraphStore] = {}
cypher_schema = schemathesis.openapi.from_asgi("/openapi.json", _app(lambda: NEO4J["store"])).include(path="/cypher")


@pytest.fixture(scope="module", autouse=True)
def _remove_store() -> Iterator[None]:
    yield
    STORE_DIR.cleanup()


@pytest.fixture(scope="module")
def neo4j_store(request: pytest.FixtureRequest) -> Iterator[None]:
    server = request.getfixturevalue("neo4j_server")
    from graph.neo4j_store import Neo4jStore

    store = Neo4jStore(server.uri, server.user, server.password, database=server.database)
    store.clear()
    NEO4J["store"] = _filled(store)
    yield
    store.close()


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_answers_as_its_schema_says(case: schemathesis.Case) -> None:
    if case.operation.path == "/cypher":
        # the embedded store answers Cypher with a documented 501 (tests/test_api.py checks its message)
        response = case.call_and_validate(excluded_checks=[not_a_server_error])
        assert response.status_code < 500 or response.status_code == 501
        return
    if case.operation.method.upper() == "POST" and case.operation.path == "/documents":
        # any bytes are a file: a part schemathesis thinks of as "boolean" is a valid upload
        case.call_and_validate(headers={"X-API-Key": API_KEY}, excluded_checks=[negative_data_rejection])
        return
    case.call_and_validate(headers={"X-API-Key": API_KEY})


@cypher_schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@pytest.mark.neo4j
def test_cypher_on_neo4j_answers_as_its_schema_says(case: schemathesis.Case, neo4j_store: None) -> None:
    counts = NEO4J["store"].counts()
    # a string is schema-valid but rarely valid Cypher: refusing it (400) is the right answer
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
    assert NEO4J["store"].counts() == counts
