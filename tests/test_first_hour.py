"""The first hour of a new user: set-up that runs offline once done, a lock that matches
pyproject.toml, a command line that says what it read and refuses what makes no sense,
the abbreviations people type, and a README that tells the truth about all of it.

The set-up checks run only when the suite runs in this repository's own .venv, as
./test.sh runs it: that is the machine they describe. The rest runs anywhere.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from graph.embedded import EmbeddedStore
from graph.text import fold
from lienket.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _dependency_hash_module() -> Any:
    """scripts/dependency_hash.py, the one the lock and the set-up share (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("dependency_hash", ROOT / "scripts" / "dependency_hash.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dependencies = _dependency_hash_module()

# A closed local port: any attempt to reach the package index fails at once.
NO_INDEX = {"PIP_INDEX_URL": "http://127.0.0.1:9/", "PIP_FIND_LINKS": "", "PIP_RETRIES": "0",
            "PIP_DEFAULT_TIMEOUT": "2"}
IN_OWN_VENV = Path(sys.prefix).resolve() == (ROOT / ".venv").resolve()
needs_own_venv = pytest.mark.skipif(not IN_OWN_VENV,
                                    reason="runs in the repository's .venv only (as ./test.sh runs it)")


def run(command: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT,
        timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout, check=False)


# --- set-up: idempotent, offline once done, from a lock that matches pyproject.toml ------------

@needs_own_venv
def test_setup_again_without_the_package_index_is_up_to_date() -> None:
    started = time.monotonic()
    done = run(["scripts/setup.sh", "--tests"], env=NO_INDEX)
    elapsed = time.monotonic() - started

    assert done.returncode == 0, done.stdout + done.stderr
    assert "up to date" in done.stdout and "package index is not needed" in done.stdout
    assert "Editable" not in done.stdout + done.stderr
    assert elapsed < 30, f"setup took {elapsed:.0f}s: it installed something"  # an install takes minutes


@needs_own_venv
def test_demo_runs_without_the_package_index(tmp_path: Path) -> None:
    done = run(["./demo.sh", "--no-serve"], env={**NO_INDEX, "LIENKET_DB": str(tmp_path / "db"), "COLUMNS": "100"})

    assert done.returncode == 0, done.stdout + done.stderr
    assert "up to date" in done.stdout
    assert "Đăk Hà" in done.stdout  # the demo's partners question was answered
    assert (tmp_path / "db" / "twinning.html").is_file()


def test_the_lock_was_compiled_from_this_pyproject() -> None:
    """A dependency added to pyproject.toml without scripts/lock.sh fails here (and stops scripts/setup.sh)."""
    declared = dependencies.dependency_hash(ROOT / "pyproject.toml")
    for lock in ("requirements/test.lock", "requirements/runtime.lock"):
        first_line = (ROOT / lock).read_text(encoding="utf-8").splitlines()[0]
        assert first_line == f"# pyproject-sha256: {declared}", f"{lock} is stale: run scripts/lock.sh"


def _pins(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text(encoding="utf-8")
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.M)
    return {name.lower().replace("_", "-"): version for name, version in pins}


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_the_locks_pin_every_declared_dependency_with_hashes() -> None:
    declared = dependencies.dependency_declarations(ROOT / "pyproject.toml")
    runtime, test = _pins("requirements/runtime.lock"), _pins("requirements/test.lock")
    wanted_runtime = {_name(r) for r in declared["dependencies"] + declared["build-requires"]}  # type: ignore[operator]
    wanted_test = wanted_runtime | {_name(r) for r in declared["optional-dependencies"]["test"]}  # type: ignore[index]

    assert wanted_runtime <= runtime.keys() and wanted_test <= test.keys()
    assert "pytest" not in runtime  # the image carries no test tools
    assert {name: runtime[name] for name in runtime} == {name: test[name] for name in runtime}
    assert (ROOT / "requirements/runtime.lock").read_text(encoding="utf-8").count("--hash=sha256:") >= len(runtime)


def test_setup_stops_on_a_stale_lock(tmp_path: Path) -> None:
    for part in ("scripts", "requirements"):
        shutil.copytree(ROOT / part, tmp_path / part)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    one_more = pyproject.replace('dependencies = [\n', 'dependencies = [\n  "tqdm>=4",\n', 1)
    assert one_more != pyproject
    (tmp_path / "pyproject.toml").write_text(one_more, encoding="utf-8")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").symlink_to(sys.executable)

    done = run([str(tmp_path / "scripts" / "setup.sh")], env=NO_INDEX, cwd=tmp_path)

    assert done.returncode == 1
    assert "stale" in done.stderr and "scripts/lock.sh" in done.stderr
    assert not (tmp_path / ".venv" / "lienket-setup.stamp").exists()


def test_the_docker_image_installs_the_runtime_lock() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install --no-deps --require-hashes -r requirements/runtime.lock" in dockerfile
    assert "pip install --no-deps --no-build-isolation ." in dockerfile


# --- -m "not neo4j" deselects every Neo4j run at collection ------------------------------------

def test_not_neo4j_deselects_every_neo4j_run() -> None:
    done = run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q", "-m", "not neo4j",
                "tests/test_store_contract.py", "tests/test_api.py", "tests/test_backend_roundtrip.py"])
    kept = [line for line in done.stdout.splitlines() if "::" in line]
    deselected = re.search(r"\((\d+) deselected\)", done.stdout)

    assert done.returncode == 0 and deselected, done.stdout + done.stderr
    assert any("[embedded" in test for test in kept)
    assert not [test for test in kept if "neo4j" in test.lower()]  # the store fixture's Neo4j runs
    assert not [test for test in kept if "cypher_reads_rows" in test]  # a fixture named neo4j_store
    assert not [test for test in kept if "test_backend_roundtrip" in test]
    assert int(deselected.group(1)) > 50


# --- the command line ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def samples_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An embedded store holding samples/ (a plan that cites plans never ingested, a twinning)."""
    from ingest.pipeline import collect_files, ingest_files

    folder = tmp_path_factory.mktemp("samples-db")
    with EmbeddedStore(folder) as store:
        results = ingest_files(store, collect_files([ROOT / "samples"]))
    assert results and not [r.error for r in results if r.error]
    yield folder


def cli(*args: str, db: Path) -> tuple[int, str, str]:
    done = CliRunner().invoke(app, list(args), env={"LIENKET_DB": str(db), "LIENKET_BACKEND": "embedded"})
    return done.exit_code, done.stdout, done.stderr


ASK_FIELDS = {"contact": "task, person, title, organization, phone", "partners": "locality, agreement, date",
              "agreement": "title, date (ISO), parties, sectors", "lead": "task, organization",
              "person": "person, title, organization, phone", "org-tasks": "task, role"}


def test_help_describes_the_output_itself(tmp_path: Path) -> None:
    code, top, _ = cli("--help", db=tmp_path)
    assert code == 0 and "CONTRACT" not in top and "LIENKET_DB" in top and "Exit codes" in top
    _, ask, _ = cli("ask", "--help", db=tmp_path)
    assert "CONTRACT" not in ask and "--json" in ask and "sources" in ask and "[]" in ask
    for command, fields in ASK_FIELDS.items():
        _, text, _ = cli("ask", command, "--help", db=tmp_path)
        flat = " ".join(text.replace("│", " ").split())
        assert fields in flat, command
        assert not re.search(r"--json\s+<bool>", text), command  # a flag takes no value


def test_ask_says_which_store_it_read(samples_db: Path) -> None:
    code, out, err = cli("ask", "partners", "Quận 5", db=samples_db)
    assert code == 0 and "Đăk Hà" in out
    assert f"Read the embedded store {samples_db}" in " ".join(err.split())


def test_ask_on_an_empty_store_warns_and_names_it(tmp_path: Path) -> None:
    empty = tmp_path / "data"
    code, out, err = cli("ask", "partners", "Quận 5", "--json", db=empty)
    assert code == 0 and json.loads(out) == []  # the contract: [] on stdout
    flat = " ".join(err.split())
    assert "warning" in flat and str(empty) in flat and "holds no documents" in flat and "LIENKET_DB" in flat


def test_stats_names_cited_documents_apart_from_ingested_ones(samples_db: Path) -> None:
    code, out, _ = cli("stats", "--json", db=samples_db)
    printed = json.loads(out)
    ingested = [d["document"] for d in printed["document_list"]]

    assert code == 0 and printed["cited"]
    assert printed["nodes"]["Document"] > len(ingested)
    assert not set(printed["cited"]) & set(ingested)
    code, table, _ = cli("stats", db=samples_db)
    assert f"{len(ingested)} documents ingested" in table and "Cited but not ingested: " in table
    assert all(name in " ".join(table.split()) for name in printed["cited"])


def test_answers_fit_80_columns_with_each_source_on_its_own_lines(samples_db: Path) -> None:
    """A person at an 80-column terminal: nothing cut short, a document's name apart from its quote."""
    done = run([sys.executable, "-m", "lienket.cli", "ask", "contact", "hoi thao du lich kon tum"],
               env={"LIENKET_DB": str(samples_db), "LIENKET_BACKEND": "embedded", "COLUMNS": "80"})
    answer = json.loads(run([sys.executable, "-m", "lienket.cli", "ask", "contact", "hoi thao du lich kon tum",
                             "--json"], env={"LIENKET_DB": str(samples_db), "LIENKET_BACKEND": "embedded"}).stdout)[0]
    lines = done.stdout.splitlines()

    assert done.returncode == 0, done.stderr
    assert max(len(line) for line in lines) <= 80
    assert answer["phone"] in done.stdout and answer["person"] in done.stdout
    document = answer["sources"][0]["document"]
    assert any(line.split()[-1:] == [document] for line in lines)  # the name ends its line, the quote follows


# --- the abbreviations people type for units ---------------------------------------------------

@pytest.mark.parametrize(("typed", "written"), [
    ("Q5", "Quận 5"), ("Q.5", "Quận 5"), ("Q 5", "Quận 5"), ("P.3", "Phường 3"), ("P3", "Phường 3"),
    ("TX. Gia Nghĩa", "Thị xã Gia Nghĩa"), ("TT. Ea Súp", "thị trấn Ea Súp"),
    ("H. Đăk Hà", "huyện Đăk Hà"),
])
def test_unit_abbreviations_fold_like_the_full_name(typed: str, written: str) -> None:
    assert fold(typed) == fold(written)


def test_a_letter_p_that_is_not_a_ward_stays_a_letter() -> None:
    assert "phuong" not in fold("P. Giám đốc Sở Y tế")  # "P." before a title is Phó, not Phường


@pytest.mark.parametrize("typed", ["Q5", "Q.5", "q5", "Quan 5"])
def test_partners_of_a_district_typed_short(samples_db: Path, typed: str) -> None:
    store = EmbeddedStore(samples_db)
    assert store.partners(typed) == store.partners("Quận 5") != []


# --- the README tells a newcomer what they need ----------------------------------------------

def test_readme_says_where_the_command_lives() -> None:
    assert ".venv/bin/lienket" in README and "source .venv/bin/activate" in README
    assert "CONTRACT.md" not in README


def _route_table() -> dict[str, str]:
    """README's route table: path -> the whole row."""
    rows = re.findall(r"^\| `(GET|POST|DELETE) ([^`]+)` \|(.*)$", README, re.M)
    return {f"{method} {path}": rest for method, path, rest in rows}


def test_readme_names_every_route_with_its_parameters_and_an_example() -> None:
    from api.app import create_app

    table = _route_table()
    for path, operations in create_app().openapi()["paths"].items():
        for method, operation in operations.items():
            key = f"{method.upper()} {path}"
            assert key in table, f"{key} is missing from the README's route table"
            row = table[key]
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    assert f"`{parameter['name']}`" in row, f"{key}: parameter {parameter['name']}"
            assert "`/" in row or "curl" in row, f"{key}: no example"
