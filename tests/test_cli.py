"""The ``lienket`` command as scripts use it: exit codes, and JSON on stdout.

Exit codes: 0 success, 1 some input could not be used (the rest went in), 2 wrong usage,
3 the store could not be opened or used. Every test runs the real command in a child process with
``LIENKET_DB`` pointing at a temporary store.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from graph.embedded import LEGACY_FILE, EmbeddedStore
from graph.store import GraphStore
from tests.cli_process import REPO, lienket
from tests.conftest import stored_rows
from tests.factory import MOU_DOC, PLAN_DOC, mou_document, plan_document


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """An embedded store folder holding the two factory documents."""
    folder = tmp_path / "db"
    store = EmbeddedStore(folder)
    store.write_document(mou_document())
    store.write_document(plan_document())
    return folder


# Each `ask` command, a question the factory documents answer, and the store call that answers it.
ASK_COMMANDS = {
    "contact": (["Tập huấn nuôi ong"], lambda s: s.contacts("Tập huấn nuôi ong")),
    "partners": (["Tỉnh Đắk Nông"], lambda s: s.partners("Tỉnh Đắk Nông")),
    "agreement": (["Quận 3", "huyện Tuy Đức"], lambda s: s.agreements_between("Quận 3", "huyện Tuy Đức")),
    "lead": (["Hội chợ cà phê"], lambda s: s.lead("Hội chợ cà phê")),
    "person": (["Lê Thị Mẫu"], lambda s: s.person("Lê Thị Mẫu")),
    "org-tasks": (["Sở Công Thương tỉnh Đắk Nông"], lambda s: s.org_tasks("Sở Công Thương tỉnh Đắk Nông")),
}


def _answers(db: Path, command: str) -> list[dict[str, object]]:
    store: GraphStore = EmbeddedStore(db)
    return [item.model_dump(mode="json") for item in ASK_COMMANDS[command][1](store)]


@pytest.mark.parametrize("command", list(ASK_COMMANDS))
def test_ask_json_prints_the_stores_answers(db: Path, command: str) -> None:
    result = lienket(db, "ask", command, *ASK_COMMANDS[command][0], "--json")

    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert isinstance(printed, list) and printed
    assert printed == _answers(db, command)


@pytest.mark.parametrize("command", list(ASK_COMMANDS))
def test_ask_json_prints_an_empty_array_when_nothing_matches(db: Path, command: str) -> None:
    args = ["Trường Sa xa xôi"] * len(ASK_COMMANDS[command][0])
    result = lienket(db, "ask", command, *args, "--json")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_ask_json_on_an_empty_store_prints_an_empty_array(tmp_path: Path) -> None:
    result = lienket(tmp_path / "empty", "ask", "contact", "hội chợ", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_ask_without_json_prints_a_table_with_the_answer(db: Path) -> None:
    result = lienket(db, "ask", "contact", "Tập huấn nuôi ong")
    assert result.returncode == 0, result.stderr
    assert "Trần Văn Thử" in result.stdout and "0912.000.111" in result.stdout


def test_stats_json_matches_the_store(db: Path) -> None:
    result = lienket(db, "stats", "--json")

    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    store = EmbeddedStore(db)
    counts = store.counts()
    assert (printed["nodes"], printed["relationships"], printed["documents"]) == (
        counts.nodes, counts.relationships, 2)
    assert printed["document_list"] == [d.model_dump() for d in store.documents()]


def test_db_option_overrides_the_environment(db: Path, tmp_path: Path) -> None:
    result = lienket(tmp_path / "elsewhere", "stats", "--json", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["documents"] == 2


def test_remove_a_known_document_exits_0_and_removes_it(db: Path) -> None:
    result = lienket(db, "remove", PLAN_DOC)

    assert result.returncode == 0, result.stderr
    assert PLAN_DOC in result.stdout
    assert [d.document for d in EmbeddedStore(db).documents()] == [MOU_DOC]


def test_remove_an_unknown_document_exits_1_and_names_it(db: Path) -> None:
    before = stored_rows(db)
    result = lienket(db, "remove", "khong-co.txt")

    assert result.returncode == 1
    assert "khong-co.txt" in result.stderr
    assert stored_rows(db) == before


# Command lines that are wrong whatever the store holds.
USAGE_ERRORS = {
    "unknown command": ["frobnicate"],
    "unknown ask question": ["ask", "weather", "Hà Nội"],
    "missing argument": ["ask", "contact"],
    "missing second party": ["ask", "agreement", "Quận 3"],
    "unknown option": ["stats", "--colour"],
    "unknown export format": ["export", "--format", "pdf", "-o", "out.pdf"],
    "year is not a number": ["export", "--year", "hai nghìn", "-o", "out.graphml"],
    "export without output": ["export"],
    "unknown node kind": ["export", "--kind", "Planet", "-o", "out.graphml"],
    "empty question": ["ask", "contact", ""],
    "blank second party": ["ask", "agreement", "Quận 3", "  "],
    "export into a missing folder": ["export", "--format", "gexf", "-o", "/nonexistent_lienket_dir/g.gexf"],
    "picture into a missing folder": ["viz", "twinning", "-o", "/nonexistent_lienket_dir/t.html"],
}


@pytest.mark.parametrize("args", list(USAGE_ERRORS.values()), ids=list(USAGE_ERRORS))
def test_usage_errors_exit_2(db: Path, args: list[str]) -> None:
    result = lienket(db, *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Usage" in result.stderr
    assert not Path("/nonexistent_lienket_dir").exists()


def test_a_store_that_cannot_be_opened_exits_3(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    result = lienket(not_a_folder, "stats", "--json")
    assert result.returncode == 3
    assert "cannot open the store" in result.stderr
    assert f"{not_a_folder} is a file" in " ".join(result.stderr.split()) and "Errno" not in result.stderr


def test_a_store_in_an_unknown_format_exits_3(tmp_path: Path) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    (folder / LEGACY_FILE).write_text(json.dumps({"version": 99}), encoding="utf-8")
    result = lienket(folder, "ask", "contact", "hội chợ", "--json")
    assert result.returncode == 3
    assert "unsupported store format" in result.stderr


class CuttingRelay:
    """A TCP relay in front of a Neo4j that, once a client sends ``marker``, drops every connection and
    refuses new ones: the database going away in the middle of a command, after the store opened."""

    def __init__(self, target: str, marker: bytes) -> None:
        address = urlsplit(target)
        self._target = (address.hostname or "127.0.0.1", address.port or 7687)
        self._marker = marker
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._sockets: list[socket.socket] = []
        self.cut = threading.Event()
        self.uri = f"bolt://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.cut.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:  # closed by the cut
                return
            server = socket.create_connection(self._target)
            self._sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, watched: bool) -> None:
        seen = b""
        try:
            while chunk := source.recv(65536):
                seen = (seen + chunk)[-(len(self._marker) + len(chunk)):]
                if watched and self._marker in seen:
                    self._cut()
                    return
                sink.sendall(chunk)
        except OSError:
            return

    def _cut(self) -> None:
        self.cut.set()
        for each in [self._listener, *self._sockets]:
            try:
                each.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            each.close()


@pytest.mark.neo4j
def test_a_neo4j_lost_after_the_store_opened_exits_3_with_the_reason(request: pytest.FixtureRequest) -> None:
    server = request.getfixturevalue("neo4j_server")
    from graph.neo4j_store import Neo4jStore

    with Neo4jStore(server.uri, server.user, server.password, database=server.database) as filled:
        filled.clear()
        filled.write_document(plan_document())
    # Neo4j goes away when the question looks its words up, after the store opened and counted its documents
    relay = CuttingRelay(server.uri, marker=b"db.index.fulltext.queryNodes")
    env = {**os.environ, "LIENKET_BACKEND": "neo4j", "NEO4J_URI": relay.uri, "NEO4J_USER": server.user,
           "NEO4J_PASSWORD": server.password, "NEO4J_DATABASE": server.database}
    result = subprocess.run([sys.executable, "-m", "lienket.cli", "ask", "contact", "Tập huấn nuôi ong"], cwd=REPO,
                            env=env, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False)
    assert relay.cut.is_set(), "the question looked nothing up: the relay's marker is out of date"
    assert result.returncode == 3, result.stdout + result.stderr
    said = result.stderr.split("\n", 1)  # which store was read, then why it cannot be used: no driver's log lines
    assert said[0].startswith("Read Neo4j database") and said[1].startswith("the store cannot be used: ")
    assert "cannot be reached" in " ".join(said[1].split())
    assert relay.uri.rsplit(":", 1)[1] in result.stderr  # where it was looked for


# --- ingest: bad files are named, exit 1, and the good files still go in ------------------

GOOD_TEXT = ("Ngày 15/4/2024, Ủy ban nhân dân huyện Tuy Đức và Ủy ban nhân dân Quận 3 ký kết biên bản "
             "ghi nhớ hợp tác trong lĩnh vực văn hóa và du lịch giai đoạn 2024-2025.\n")
# Windows-1258 writes a tone as a combining mark after the (possibly precomposed) vowel.
CP1258_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Text as a legacy Windows-1258 file: vowels precomposed where the code page has them, tones combining."""
    encoded = b""
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in CP1258_TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in CP1258_TONES))
        encoded += (base + tones).encode("cp1258")
    return encoded


def test_ingest_names_bad_files_exits_1_and_keeps_the_good_ones(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text(" \n\t\n", encoding="utf-8")
    (folder / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    legacy = cp1258(GOOD_TEXT)
    with pytest.raises(UnicodeDecodeError):
        legacy.decode("utf-8")
    (folder / "legacy.txt").write_bytes(legacy)
    db = tmp_path / "db"

    result = lienket(db, "ingest", str(folder))

    assert result.returncode == 1, result.stdout + result.stderr
    for bad in ("empty.txt", "blank.txt", "scan.png"):
        assert f"{bad}:" in result.stderr, bad
    assert "good.txt:" not in result.stderr and "legacy.txt:" not in result.stderr
    # the Windows-1258 file is converted, not refused
    assert sorted(d.document for d in EmbeddedStore(db).documents()) == ["good.txt", "legacy.txt"]
    assert EmbeddedStore(db).counts().nodes


def test_ingest_of_good_files_exits_0_and_again_changes_nothing(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD_TEXT, encoding="utf-8")
    db = tmp_path / "db"

    first = lienket(db, "ingest", str(good))
    assert first.returncode == 0, first.stderr
    before = stored_rows(db)
    again = lienket(db, "ingest", str(good))

    assert again.returncode == 0, again.stderr
    assert "unchanged" in again.stderr
    assert stored_rows(db) == before


def test_ingest_of_nothing_exits_1(tmp_path: Path) -> None:
    empty_folder = tmp_path / "none"
    empty_folder.mkdir()
    result = lienket(tmp_path / "db", "ingest", str(empty_folder))
    assert result.returncode == 1
    assert "no documents" in result.stderr


def test_a_reading_does_not_depend_on_the_hash_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two spellings of one title in the titles table ('Chánh Văn phòng', 'Chánh văn phòng') once
    made the stored title depend on Python's hash seed."""
    plan = (REPO / "samples" / "ke_hoach_kon_tum_2024.txt").read_text(encoding="utf-8")
    plan = plan.replace("Bà Phạm Thị Mẫu - Phó Trưởng phòng Quản lý Thương mại",
                        "Ông Hà Văn Kiên - Chánh văn phòng Sở Công Thương")
    (tmp_path / "plan.txt").write_text(plan, encoding="utf-8")
    exports = []
    for seed in ("1", "2", "3"):
        monkeypatch.setenv("PYTHONHASHSEED", seed)
        db = tmp_path / f"db{seed}"
        assert lienket(db, "ingest", str(tmp_path / "plan.txt")).returncode == 0
        assert lienket(db, "export", "--format", "json", "-o", str(tmp_path / f"{seed}.json")).returncode == 0
        exports.append((tmp_path / f"{seed}.json").read_text(encoding="utf-8"))
    assert "Hà Văn Kiên" in exports[0] and exports[0] == exports[1] == exports[2]
