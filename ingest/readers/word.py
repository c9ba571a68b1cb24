"""Word documents: DOCX with python-docx, legacy .doc converted to DOCX by LibreOffice when installed.

Paragraphs keep their order with the tables between them; a paragraph in a Heading or
Title style is a heading; text boxes are read after the paragraph that anchors them.
Table cells are laid on the table's grid: a cell spanning columns (gridSpan) or rows
(vMerge) gives its text to every grid cell it covers, each marked as merged.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.document import BadDocument, Block, Cell, Document
from ingest.readers import limits
from ingest.readers.limits import check_zip

CONVERT_SECONDS = 120


def read_docx(name: str, data: bytes, source: str) -> Document:
    check_zip(data, "word/document.xml", "a Word (.docx) document")
    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for damaged parts
        raise BadDocument(f"damaged Word document: {type(exc).__name__}: {exc}") from None
    blocks = _blocks(word)
    if not any(b.text.strip() or b.rows for b in blocks):
        raise BadDocument("the Word document holds no text")
    return Document(name=name, source=source, format="docx", blocks=blocks)


def _blocks(word: WordDocument) -> list[Block]:
    blocks: list[Block] = []
    for item in word.iter_inner_content():
        if isinstance(item, Paragraph):
            style = item.style.name if item.style is not None else ""
            kind = "heading" if style.startswith(("Heading", "Title")) else "paragraph"
            if item.text.strip():
                blocks.append(Block(kind, text=item.text.strip()))
            blocks += [Block("paragraph", text=t) for t in _text_box_paragraphs(item)]
        elif isinstance(item, Table):
            rows = _grid(item)
            if any(c.text for row in rows for c in row):
                blocks.append(Block("table", rows=rows))
    return blocks


def _text_box_paragraphs(paragraph: Paragraph) -> list[str]:
    """Paragraphs inside text boxes anchored in this paragraph (each box once: the
    compatibility copy under mc:Fallback repeats it)."""
    found = []
    for box in paragraph._p.iter(qn("w:txbxContent")):
        if any(a.tag.endswith("}Fallback") for a in box.iterancestors()):
            continue
        found += [t for p in box.iter(qn("w:p")) if (t := Paragraph(p, paragraph._parent).text.strip())]
    return found


def _cell_text(tc) -> str:
    """A cell's paragraphs, one per line (a nested table's rows too)."""
    return "\n".join(t for p in tc.iter(qn("w:p")) if (t := Paragraph(p, None).text.strip()))


def _span(tc) -> tuple[int, bool]:
    """How many grid columns a cell covers, and whether it continues the vertical merge above it."""
    props = tc.find(qn("w:tcPr"))
    span = props.find(qn("w:gridSpan")) if props is not None else None
    merge = props.find(qn("w:vMerge")) if props is not None else None
    continues = merge is not None and merge.get(qn("w:val"), "continue") == "continue"
    return (int(span.get(qn("w:val"))) if span is not None else 1), continues


def _grid(table: Table) -> list[list[Cell]]:
    """The table on its grid, merged cells resolved."""
    rows: list[list[Cell]] = []
    for tr in table._tbl.findall(qn("w:tr")):
        before = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
        row = [Cell("")] * (int(before.get(qn("w:val"))) if before is not None else 0)
        for tc in tr.findall(qn("w:tc")):
            column = len(row)
            span, continues = _span(tc)
            above = rows[-1][column] if continues and rows and column < len(rows[-1]) else None
            if above is not None:
                anchor = above.anchor or (len(rows) - 1, column)
                for covered in range(column, min(column + span, len(rows[-1]))):
                    rows[-1][covered] = Cell(above.text, anchor)  # the merge's first row is merged too
                row += [Cell(above.text, anchor)] * span
            else:
                row += [Cell(_cell_text(tc), (len(rows), column) if span > 1 else None)] * span
        rows.append(row)
    return rows


def read_doc(name: str, data: bytes, source: str) -> Document:
    """A legacy Word 97-2003 file, converted to DOCX by LibreOffice (headless)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise BadDocument("a legacy Word (.doc) file: install LibreOffice (Debian: libreoffice-writer-nogui) "
                          "to read it, or save it as .docx")
    with tempfile.TemporaryDirectory(prefix="lienket-doc-") as work:
        folder = Path(work)
        original = folder / "document.doc"
        original.write_bytes(data)
        # A private profile: two conversions at once must not share (and lock) one.
        command = [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                   "--convert-to", "docx", "--outdir", str(folder), str(original)]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise BadDocument(f"LibreOffice did not convert the .doc file within {CONVERT_SECONDS} s") from None
        converted = folder / "document.docx"
        if not converted.exists() or converted.stat().st_size > limits.MAX_EXPANDED_BYTES:
            raise BadDocument("LibreOffice could not convert the .doc file: it may be damaged or not a Word file")
        document = read_docx(name, converted.read_bytes(), source)
    document.format = "doc"
    return document
