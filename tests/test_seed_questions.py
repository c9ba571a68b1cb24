"""The question-answering contract, scored on the seed documents as the CEO scores it.

Every seed question is asked through the ``lienket ask ... --json`` command in this process
(typer's runner: no interpreter start per question) on both backends, and judged by the
scorer's own ``judge``. One test runs the scorer itself against the installed console script
in child processes, on one question of each kind: the command line as the CEO calls it.

Needs ../shared (beside the repository, as on every developer machine and in CI).
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from graph.embedded import EmbeddedStore
from graph.store import GraphStore
from lienket.cli import app
from tests.conftest import BACKENDS, open_backend

ROOT = Path(__file__).parents[1]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "eval" / "score.py"
QUESTIONS = SHARED / "eval" / "seed_questions.json"
SEEDS = SHARED / "seeds"
CODE_DIRS = ("graph", "ingest", "api", "visualize", "lienket")

pytestmark = pytest.mark.skipif(not SCORER.exists(), reason="../shared is not beside the repository")


def _questions() -> list[dict]:
    return json.loads(QUESTIONS.read_text(encoding="utf-8")) if QUESTIONS.exists() else []


def load_scorer() -> ModuleType:
    """The CEO's score.py, imported: its judge decides whether an answer passes."""
    spec = importlib.util.spec_from_file_location("seed_scorer", SCORER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scorer() -> ModuleType:
    return load_scorer()


@pytest.fixture(scope="module", params=BACKENDS)
def seeded_env(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A store of each backend holding the seed documents; the environment that makes the CLI read it."""
    from ingest.pipeline import collect_files, ingest_files

    folder = tmp_path_factory.mktemp("seed-db")
    store: GraphStore = open_backend(request.param, folder, request)
    results = ingest_files(store, collect_files([SEEDS]))
    assert results and not [r.error for r in results if r.error]
    store.close()
    if isinstance(store, EmbeddedStore):
        yield {"LIENKET_BACKEND": "embedded", "LIENKET_DB": str(store.path)}
        return
    server = request.getfixturevalue("neo4j_server")
    yield {"LIENKET_BACKEND": "neo4j", "NEO4J_URI": server.uri, "NEO4J_USER": server.user,
           "NEO4J_PASSWORD": server.password, "NEO4J_DATABASE": server.database}


def ask_in_process(env: dict[str, str], scorer: ModuleType, question: dict) -> list[dict]:
    """``lienket ask KIND QUERY... --json`` run by typer's runner; the JSON it printed."""
    query = question["query"] if isinstance(question["query"], list) else [question["query"]]
    done = CliRunner().invoke(app, ["ask", scorer.ASK[question["kind"]], *query, "--json"], env=env)
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


@pytest.mark.parametrize("question", _questions(), ids=lambda q: q["id"])
def test_seed_question(seeded_env: dict[str, str], scorer: ModuleType, question: dict) -> None:
    answer = ask_in_process(seeded_env, scorer, question)
    assert scorer.judge(question, answer) is None, json.dumps(answer, ensure_ascii=False)[:1000]


def lienket_command() -> str:
    found = shutil.which("lienket", path=str(Path(sys.executable).parent))
    assert found, "the lienket console script is not installed in this environment"
    return found


def test_the_scorer_passes_through_the_installed_command(tmp_path: Path) -> None:
    """score.py with the console script, one question of each kind: ingest and ask as separate processes."""
    first_of_kind: dict[str, dict] = {}
    for question in _questions():
        first_of_kind.setdefault(question["kind"], question)
    subset = tmp_path / "questions.json"
    subset.write_text(json.dumps(list(first_of_kind.values()), ensure_ascii=False), encoding="utf-8")
    run = subprocess.run([sys.executable, str(SCORER), str(subset), "--docs", str(SEEDS), "--cmd", lienket_command()],
                         capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert len(first_of_kind) == 6
    assert run.stdout.strip().splitlines()[-1] == "6 passed, 0 failed", run.stdout + run.stderr


def test_no_seed_phone_or_document_number_in_code() -> None:
    """Rules come from the genre and from data packages, never from the seed facts."""
    seeds = " ".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("0*.txt"))
    phones = {re.sub(r"\D", "", m) for m in re.findall(r"0\d{2,3}[.\s]\d{3}[.\s]\d{3,4}", seeds)}
    numbers = set(re.findall(r"Số:\s*(\d+)", seeds)) | set(re.findall(r"số\s+(\d{3,})/", seeds))
    code = " ".join(p.read_text(encoding="utf-8") for d in CODE_DIRS for p in (ROOT / d).rglob("*")
                    if p.is_file() and p.suffix in (".py", ".csv", ".yaml", ".txt", ".js", ".html"))
    digits = re.sub(r"\D", " ", code)
    assert phones and not [p for p in phones if p in digits.replace(" ", "")]
    assert not [n for n in numbers if re.search(rf"(?<!\d){n}(?!\d)", digits)]


EVALUATION_DATA = ROOT / "tests" / "eval"  # evaluation sets kept as regression data, not rules
BLIND_SETS = [EVALUATION_DATA / "blind1", EVALUATION_DATA / "blind2", EVALUATION_DATA / "blind3",
              EVALUATION_DATA / "blind4", EVALUATION_DATA / "blind5",
              EVALUATION_DATA / "blind6", EVALUATION_DATA / "blind7",
              EVALUATION_DATA / "blind8", EVALUATION_DATA / "blind9",
              EVALUATION_DATA / "blind10",
              EVALUATION_DATA / "blind11",
              EVALUATION_DATA / "blind12",
              EVALUATION_DATA / "blind13",
              EVALUATION_DATA / "blind14",
              EVALUATION_DATA / "blind15",
              EVALUATION_DATA / "blind16",
              EVALUATION_DATA / "blind17",
              EVALUATION_DATA / "blind18",
              EVALUATION_DATA / "blind19",
              EVALUATION_DATA / "blind20"]
TEXT_SUFFIXES = (".py", ".csv", ".yaml", ".txt", ".js", ".html")


def _text_of(folders: list[Path]) -> str:
    return " ".join(p.read_text(encoding="utf-8") for d in folders for p in d.rglob("*")
                    if p.is_file() and p.suffix in TEXT_SUFFIXES and EVALUATION_DATA not in p.parents)


def _phones_and_numbers(documents: str) -> tuple[set[str], set[str]]:
    """Phones (digits) and document numbers: as digits when long enough to be telling, else with their
    type code ("999/KH": three digits alone also occur as ordinary numbers)."""
    phones = {re.sub(r"\D", "", m) for m in re.findall(r"0\d{2,3}[.\s]\d{3,4}[.\s]\d{3,4}", documents)}
    numbers = set(re.findall(r"Số:\s*(\d{4,})", documents)) | set(re.findall(r"số\s+(\d{4,})/", documents))
    numbers |= {f"{n}/{code}" for n, code in re.findall(r"\b(\d{2,3})\s*/\s*([A-ZĐ][A-ZĐ&]*)", documents)}
    return phones, numbers


def _people(questions: Path) -> set[str]:
    """The people an evaluation set asks about (contacts and the names of person questions). A person
    question expecting no answer is left out: it names someone the pages carry only as noise, often a
    national leader in a sidebar, whom the project's own sample pages carry as noise too."""
    people = set()
    for q in json.loads(questions.read_text(encoding="utf-8")):
        if q["kind"] == "person_role" and q["expected"]:
            people.add(q["query"])
        elif q["kind"] == "contact" and q["expected"]:
            person = q["expected"]["person"]  # one name, or the spellings a set accepts
            people.update([person] if isinstance(person, str) else person)
    return people


def _assert_absent(phones: set[str], numbers: set[str], people: set[str], text: str) -> None:
    digits = re.sub(r"\D", " ", text)
    assert phones and not [p for p in phones if p in digits.replace(" ", "")]
    assert not [n for n in numbers if "/" not in n and re.search(rf"(?<!\d){n}(?!\d)", digits)]
    assert not [n for n in numbers if "/" in n and re.search(rf"(?<!\d){n}\b", text.replace(" /", "/"))]
    assert not [name for name in people if name in text]


def test_no_dev_set_fact_in_code_data_or_tests() -> None:
    """Nor from the development set: its phones, plan numbers and people appear in no rule, table or test."""
    dev = SHARED / "eval" / "dev"
    documents = " ".join(p.read_text(encoding="utf-8") for p in (dev / "docs").glob("*.txt"))
    _assert_absent(*_phones_and_numbers(documents), _people(dev / "questions.json"),
                   _text_of([ROOT / d for d in (*CODE_DIRS, "tests")]))


@pytest.mark.parametrize("blind", BLIND_SETS, ids=lambda folder: folder.name)
def test_no_blind_set_fact_in_code_data_or_tests(blind: Path) -> None:
    """Nor from the blind sets kept in tests/eval (read only by their regression test); their Word
    and PDF documents are covered through the people and phones their questions name."""
    documents = " ".join(p.read_text(encoding="utf-8") for p in (blind / "docs").iterdir()
                         if p.suffix in (".txt", ".html"))
    phones, numbers = _phones_and_numbers(documents)
    phones |= _phones_and_numbers((blind / "questions.json").read_text(encoding="utf-8"))[0]
    _assert_absent(phones, numbers, _people(blind / "questions.json"),
                   _text_of([ROOT / d for d in (*CODE_DIRS, "tests")]))
