"""Plain text: one paragraph a line, tables as tab-separated or pipe ('| a | b |') rows."""

from __future__ import annotations

import re

from ingest.document import Block, Cell, Document, is_heading
from ingest.readers.encodings import decode_text

PIPE_RULE = re.compile(r"[|\s:\-]+")  # the '|---|:--|' line under a pipe table's header


def _row_cells(line: str) -> list[str] | None:
    """A table row's cells, or None when the line is not a table row."""
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 3:
        return [c.strip() for c in stripped.strip("|").split("|")]
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    return None


def blocks_from_lines(lines: list[str]) -> list[Block]:
    """Paragraphs and tables from lines of text: consecutive table rows make one table."""
    blocks: list[Block] = []
    gap = False
    for line in lines:
        cells = _row_cells(line)
        if cells is not None:
            if PIPE_RULE.fullmatch(line.strip()):
                continue
            if blocks and blocks[-1].kind == "table" and not gap:
                blocks[-1].rows.append([Cell(c) for c in cells])
            else:
                blocks.append(Block("table", rows=[[Cell(c) for c in cells]], gap_before=gap or not blocks))
            gap = False
        elif line.strip():
            kind = "heading" if is_heading(line.strip()) else "paragraph"
            blocks.append(Block(kind, text=line.rstrip(), gap_before=gap or not blocks))
            gap = False
        else:
            gap = True
    return blocks


def read_text(name: str, data: bytes, source: str) -> Document:
    text, encoding = decode_text(data)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    document = Document(name=name, source=source, format="text", blocks=blocks_from_lines(lines))
    if encoding != "UTF-8":
        document.warnings.append(f"converted from {encoding}")
    return document
