"""The seed questions answered through the API give what ``lienket ask ... --json`` gives.

The seed documents (../shared/seeds) are ingested with the ingest pipeline into one
temporary store; each question is then asked through HTTP and through the CLI's own code
(typer's runner, in this process: the comparison is about answers; tests/test_cli.py and
tests/test_seed_questions.py run the real process), and the two answers must be the same
list, in the same order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.deps import get_store
from api.pagination import MAX_PAGE
from graph.embedded import EmbeddedStore
from lienket.cli import app

SHARED = Path(__file__).resolve().parents[2] / "shared"
QUESTIONS = SHARED / "eval" / "seed_questions.json"
SEEDS = SHARED / "seeds"

# question kind -> (API path, its query parameters, CLI subcommand)
ASK = {
    "contact": ("/contacts", ["activity"], "contact"),
    "partners": ("/localities/partners", ["locality"], "partners"),
    "agreement": ("/agreements/between", ["party_a", "party_b"], "agreement"),
    "lead": ("/tasks/leads", ["task"], "lead"),
    "person_role": ("/people", ["name"], "person"),
    "org_tasks": ("/organizations/tasks", ["organization"], "org-tasks"),
}


def _questions() -> list[dict]:
    if not QUESTIONS.exists():
        return []
    return json.loads(QUESTIONS.read_text(encoding="utf-8"))


pytestmark = pytest.mark.skipif(not QUESTIONS.exists() or not SEEDS.is_dir(), reason=f"{SHARED} is not here")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, TestClient]]:
    """A store holding the seed documents, and an API client reading it."""
    from ingest.pipeline import collect_files, ingest_files

    db = tmp_path_factory.mktemp("seed-db")
    store = EmbeddedStore(db)
    results = ingest_files(store, collect_files([SEEDS]))
    assert results and not [r.error for r in results if r.error]
    app = create_app()
    app.dependency_overrides[get_store] = lambda: store
    yield db, TestClient(app, raise_server_exceptions=False)
    store.close()


def _api_answer(client: TestClient, kind: str, query: str | list[str]) -> list[dict]:
    path, names, _ = ASK[kind]
    values = query if isinstance(query, list) else [query]
    response = client.get(path, params={**dict(zip(names, values, strict=True)), "limit": MAX_PAGE})
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["total"] == len(page["items"])
    return page["items"]


def _cli_answer(db: Path, kind: str, query: str | list[str]) -> list[dict]:
    values = query if isinstance(query, list) else [query]
    run = CliRunner().invoke(app, ["ask", ASK[kind][2], *values, "--json"],
                             env={"LIENKET_DB": str(db), "LIENKET_BACKEND": "embedded"})
    assert run.exit_code == 0, run.output
    return json.loads(run.stdout)


@pytest.mark.parametrize("question", _questions(), ids=lambda q: q["id"])
def test_api_answers_the_seed_question_as_the_cli(seeded: tuple[Path, TestClient], question: dict) -> None:
    db, client = seeded
    through_api = _api_answer(client, question["kind"], question["query"])
    through_cli = _cli_answer(db, question["kind"], question["query"])
    assert through_api == through_cli
    assert all(item["sources"] for item in through_api)
