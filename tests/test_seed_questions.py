"""The question-answering contract, scored on the seed documents exactly as the CEO scores it.

Needs ../shared (beside the repository, as on every developer machine and in CI).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
SHARED = ROOT.parent / "shared"
CODE_DIRS = ("graph", "ingest", "api", "visualize", "lienket")

needs_shared = pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists(), reason="../shared is not beside the repository")


def lienket_command() -> str:
    found = shutil.which("lienket", path=str(Path(sys.executable).parent))
    assert found, "the lienket console script is not installed in this environment"
    return found


def score_seed_questions(env: dict[str, str] | None = None) -> str:
    """Run the CEO's scorer on the seeds through the installed CLI; its output."""
    run = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(SHARED / "eval" / "seed_questions.json"),
                          "--docs", str(SHARED / "seeds"), "--cmd", lienket_command()],
                         capture_output=True, text=True, timeout=900, cwd=ROOT, env=env)
    print(run.stdout)
    return run.stdout + run.stderr


@needs_shared
def test_seed_questions_all_pass() -> None:
    output = score_seed_questions()
    assert output.strip().splitlines()[-1].endswith(" 0 failed"), output


@needs_shared
@pytest.mark.neo4j
def test_seed_questions_all_pass_on_neo4j(neo4j_server) -> None:  # type: ignore[no-untyped-def]
    """The same scorer with LIENKET_BACKEND=neo4j: the production store answers alike."""
    from graph.neo4j_store import Neo4jStore

    with Neo4jStore(neo4j_server.uri, neo4j_server.user, neo4j_server.password, database=neo4j_server.database) as store:
        store.clear()
    env = dict(os.environ, LIENKET_BACKEND="neo4j", NEO4J_URI=neo4j_server.uri, NEO4J_USER=neo4j_server.user,
               NEO4J_PASSWORD=neo4j_server.password, NEO4J_DATABASE=neo4j_server.database)
    output = score_seed_questions(env)
    assert output.strip().splitlines()[-1].endswith(" 0 failed"), output


@needs_shared
def test_no_seed_phone_or_document_number_in_code() -> None:
    """Rules come from the genre and from data packages, never from the seed facts."""
    seeds = " ".join(p.read_text(encoding="utf-8") for p in (SHARED / "seeds").glob("0*.txt"))
    phones = {re.sub(r"\D", "", m) for m in re.findall(r"0\d{2,3}[.\s]\d{3}[.\s]\d{3,4}", seeds)}
    numbers = set(re.findall(r"Số:\s*(\d+)", seeds)) | set(re.findall(r"số\s+(\d{3,})/", seeds))
    code = " ".join(p.read_text(encoding="utf-8") for d in CODE_DIRS for p in (ROOT / d).rglob("*")
                    if p.is_file() and p.suffix in (".py", ".csv", ".yaml", ".txt", ".js", ".html"))
    digits = re.sub(r"\D", " ", code)
    assert phones and not [p for p in phones if p in digits.replace(" ", "")]
    assert not [n for n in numbers if re.search(rf"(?<!\d){n}(?!\d)", digits)]
