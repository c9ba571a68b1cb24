"""Format parity: the sample plan and news, written as DOCX, PDF, a scan, HTML and legacy
encodings, give the same graph and the same answers as the plain-text originals.

The fixtures are made by code (tests/formats.py) from the samples. A scan goes through
real Tesseract: it must give at least the same contacts and phones. OCR tests need
Tesseract with its Vietnamese data; under CI=true its absence is a failure, elsewhere a
skip that says what to install.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from graph.embedded import EmbeddedStore
from graph.store import GraphStore
from ingest.pipeline import ingest_bytes
from tests import formats
from tests.conftest import in_ci

WRITERS: dict[str, Callable[[str], bytes]] = {
    "docx": formats.to_docx,
    "pdf": formats.to_pdf,
    "html": formats.to_html,
}
ENCODINGS = {"tcvn3": "TCVN5712-1", "cp1258": "CP1258"}


def tesseract_ready() -> bool:
    from ingest.document import BadDocument
    from ingest.readers.ocr import require_tesseract

    try:
        require_tesseract()
    except BadDocument as exc:
        if in_ci():
            pytest.fail(f"CI=true and OCR is not available: {exc}")
        pytest.skip(f"OCR not available: {exc}")
    return True


def _ingest(tmp: Path, name: str, data: bytes) -> GraphStore:
    store = EmbeddedStore(tmp / name.replace(".", "_"))
    result = ingest_bytes(store, name, data)
    assert result.error is None, result.error
    assert result.status == "added"
    return store


def _plain(value: Any) -> Any:
    """Answers without their sources (quotes and pages differ between formats by design)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "model_dump"):
        value = value.model_dump()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in ("sources", "score")}
    return value


def graph_facts(store: GraphStore) -> tuple[set[tuple[str, str]], set[tuple[str, str, str]]]:
    """Nodes as (kind, name) and relationships as (type, start name, end name); the document node
    itself is left out (its file name differs by format)."""
    graph = store.subgraph()
    names = {n.id: n.name for n in graph.nodes}
    documents = {n.id for n in graph.nodes if n.kind == "Document" and n.properties.get("file")}
    nodes = {(n.kind, n.name) for n in graph.nodes if n.id not in documents}
    rels = {(r.type, "DOC" if r.start in documents else names[r.start], "DOC" if r.end in documents else names[r.end])
            for r in graph.relationships}
    return nodes, rels


def answers(store: GraphStore) -> dict[str, Any]:
    """The questions a user asks, for every task, person and locality the graph holds."""
    graph = store.subgraph()
    found: dict[str, Any] = {}
    for node in graph.nodes:
        if node.kind == "Task":
            found[f"contact {node.name}"] = _plain(store.contacts(node.name))
            found[f"lead {node.name}"] = _plain(store.lead(node.name))
        elif node.kind == "Person":
            found[f"person {node.name}"] = _plain(store.person(node.name))
        elif node.kind == "Locality":
            found[f"partners {node.name}"] = _plain(store.partners(node.name))
    return found


@cache
def original(sample: Path, tmp: Path) -> tuple[Any, Any]:
    store = _ingest(tmp, sample.name, sample.read_bytes())
    return graph_facts(store), answers(store)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("parity")


@pytest.mark.parametrize("sample", [formats.PLAN, formats.NEWS], ids=["plan", "news"])
@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_every_format_gives_the_same_graph_and_answers(sample: Path, fmt: str, work: Path) -> None:
    facts, expected = original(sample, work)
    data = WRITERS[fmt](sample.read_text(encoding="utf-8"))
    store = _ingest(work, f"{sample.stem}.{fmt}", data)
    assert graph_facts(store) == facts
    assert answers(store) == expected
    if formats.HIDDEN_NAME.split()[-1] in str(store.subgraph().model_dump()):
        pytest.fail("a name from a script, a comment or a hidden element became evidence")


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_the_plan_in_a_legacy_encoding_gives_the_same_answers(encoding: str, work: Path) -> None:
    facts, expected = original(formats.PLAN, work)
    data = formats.iconv(formats.PLAN.read_text(encoding="utf-8"), ENCODINGS[encoding])
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    store = _ingest(work, f"plan_{encoding}.txt", data)
    assert graph_facts(store) == facts
    assert answers(store) == expected


def test_the_scanned_plan_gives_the_same_contacts_and_phones(work: Path) -> None:
    tesseract_ready()
    _, expected = original(formats.PLAN, work)
    # compact: the plan on as few pages as it takes (OCR costs seconds a page)
    scan = formats.to_scanned_pdf(formats.to_pdf(formats.PLAN.read_text(encoding="utf-8"), split_merged_rows=False,
                                                 compact=True))
    store = _ingest(work, "plan_scan.pdf", scan)
    contacts = {k: v for k, v in expected.items() if k.startswith("contact ")}
    assert contacts and any(v for v in contacts.values())
    got = answers(store)
    for question, answer in contacts.items():
        people = {(a["person"], a["phone"]) for a in answer}
        assert {(a["person"], a["phone"]) for a in got.get(question, [])} == people, question


def test_every_fact_from_a_pdf_names_its_page_and_table_rows_their_row(work: Path) -> None:
    store = _ingest(work, "plan_pages.pdf", formats.to_pdf(formats.PLAN.read_text(encoding="utf-8")))
    contacts = store.contacts("Hội thảo giới thiệu sản phẩm du lịch Kon Tum")
    assert contacts
    source = contacts[0].sources[0]
    assert source.document == "plan_pages.pdf"
    assert source.page == 3 and source.row is not None  # the row after the page break, in the joined table
    graph = store.subgraph()
    signer = next(r for r in graph.relationships if r.type == "SIGNED_BY")
    assert signer.sources[0].page == 1


def test_text_formats_keep_no_page(work: Path) -> None:
    store = _ingest(work, "plan_rows.txt", formats.PLAN.read_bytes())
    source = store.contacts("Hội thảo giới thiệu sản phẩm du lịch Kon Tum")[0].sources[0]
    assert source.page is None and source.row is not None


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_legacy_doc_is_converted_by_libreoffice(work: Path) -> None:
    import subprocess

    docx_file = work / "news_for_doc.docx"
    docx_file.write_bytes(formats.to_docx(formats.NEWS.read_text(encoding="utf-8")))
    profile = (work / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc",
                    "--outdir", str(work), str(docx_file)], check=True, capture_output=True, timeout=180)
    facts, expected = original(formats.NEWS, work)
    store = _ingest(work, "news.doc", (work / "news_for_doc.doc").read_bytes())
    assert answers(store) == expected
