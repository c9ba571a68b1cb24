"""Property-based check of the API against its own OpenAPI schema (schemathesis).

Every operation, the write ones included (with a valid key), is called with generated
inputs over a store holding the factory documents: no answer may be a 5xx, and every
answer must have a documented status, content type and body shape.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from schemathesis.checks import negative_data_rejection, not_a_server_error
from fastapi import FastAPI
from hypothesis import HealthCheck, settings

from api.app import create_app
from api.deps import get_store, key_digest
from api.settings import Settings, get_settings
from graph.embedded import EmbeddedStore
from tests.factory import mou_document, plan_document

API_KEY = "schema-test-key"
MAX_EXAMPLES = 30  # per operation; enough to reach every parameter on a 2-core machine


def _app(folder: Path) -> FastAPI:
    store = EmbeddedStore(folder)
    store.write_document(mou_document())
    store.write_document(plan_document())
    app = create_app()
    chosen = Settings(_env_file=None, lienket_api_key_hashes=key_digest(API_KEY),  # type: ignore[call-arg]
                      lienket_max_upload_bytes=20_000)
    app.dependency_overrides[get_store] = lambda: store
    app.dependency_overrides[get_settings] = lambda: chosen
    return app


# built at import because schemathesis generates one test per operation from the schema;
# the folder is removed when the module's tests are done
STORE_DIR = tempfile.TemporaryDirectory(prefix="lienket-schema-")
schema = schemathesis.openapi.from_asgi("/openapi.json", _app(Path(STORE_DIR.name)))


@pytest.fixture(scope="module", autouse=True)
def _remove_store() -> Iterator[None]:
    yield
    STORE_DIR.cleanup()


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
