"""The structured document every reader produces and every rule reads.

Like OCCRP's ingest-file, each file type has its own reader (``ingest/readers``), and all
of them give this one model: a title, headings, paragraphs and tables in reading order,
each block with the page it came from. Tables are grids of cells whose merged cells are
already resolved: a cell covered by a row- or column-spanning cell holds the spanning
cell's text and names its anchor (the spanning cell's own row and column).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

LAYOUT_COLUMNS = 2  # a table this narrow is layout (letterhead, signature block), read column by column


def is_heading(line: str) -> bool:
    """A short line in capitals ('KẾ HOẠCH', 'PHỤ LỤC I'): how plain text and page layouts mark headings."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and line.isupper() and len(line.split()) <= 15


@dataclass(frozen=True)
class Cell:
    text: str
    anchor: tuple[int, int] | None = None  # (row, column) of the merged cell covering this one

    @property
    def merged(self) -> bool:
        return self.anchor is not None


@dataclass
class Block:
    """A heading, a paragraph or a table; ``page`` is 1-based (None for formats without pages)."""

    kind: str  # "heading" | "paragraph" | "table"
    text: str = ""
    rows: list[list[Cell]] = field(default_factory=list)
    page: int | None = None
    row_pages: list[int | None] = field(default_factory=list)  # a table's rows may run over several pages
    gap_before: bool = True  # a blank line separates it from the block above

    def row_texts(self, index: int) -> list[str]:
        """One row's cell texts, each on one line (text wrapped inside a cell joined by spaces).

        A cell spanning several columns counts once, in its first column: a group row
        ("I | Sự kiện tại tỉnh ...") spread over the whole width is still one name."""
        return ["" if cell.merged and cell.anchor[1] != column else " ".join(cell.text.split())
                for column, cell in enumerate(self.rows[index])]

    def page_of_row(self, index: int) -> int | None:
        return self.row_pages[index] if index < len(self.row_pages) else self.page


@dataclass
class Document:
    """One document as read: its name, where it came from, its format and its blocks."""

    name: str
    source: str
    format: str
    blocks: list[Block]
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return next((b.text for b in self.blocks if b.kind == "heading"), "")

    @property
    def tables(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "table"]

    def lines(self) -> list[str]:
        """The document as lines of text: paragraphs and headings one per line, a blank line where
        the reader saw a gap, data tables as tab-separated rows, layout tables column by column."""
        lines: list[str] = []
        for block in self.blocks:
            if block.gap_before and lines:
                lines.append("")
            if block.kind != "table":
                lines.append(block.text)
            elif max((len(r) for r in block.rows), default=0) <= LAYOUT_COLUMNS:
                lines += _layout_lines(block)
            else:
                lines += ["\t".join(block.row_texts(i)) for i in range(len(block.rows))]
        return lines

    def text(self) -> str:
        return "\n".join(self.lines())

    def blocks_json(self) -> str:
        """The blocks as the store keeps them for the document view: kind, page, and the text
        (headings, paragraphs) or the rows of cell texts (tables), each row with its page."""
        return json.dumps([{"kind": b.kind, "page": b.page, "text": b.text} if b.kind != "table" else
                           {"kind": b.kind, "page": b.page,
                            "rows": [{"cells": b.row_texts(i), "page": b.page_of_row(i)} for i in range(len(b.rows))]}
                           for b in self.blocks], ensure_ascii=False)


def _layout_lines(block: Block) -> list[str]:
    """A layout table (the two-column signature block: 'Nơi nhận' | 'TM. ỦY BAN NHÂN DÂN ...'):
    each column top to bottom, left column first, each cell's own lines kept."""
    lines: list[str] = []
    width = max(len(r) for r in block.rows)
    for column in range(width):
        for index, row in enumerate(block.rows):
            if column < len(row) and row[column].anchor in (None, (index, column)):
                text = row[column].text.strip()
                if text:
                    lines += [*text.split("\n"), ""]
    return lines


class BadDocument(ValueError):
    """The file cannot be read as a document; the message says why (and what to do, when known)."""


class PageFinder:
    """The page a quote is on: the first paragraph or heading of a paged document that holds it."""

    def __init__(self, document: Document) -> None:
        self.paragraphs = [(" ".join(b.text.split()), b.page) for b in document.blocks
                           if b.kind != "table" and b.page is not None]
        self.found: dict[str, int | None] = {}

    def __call__(self, quote: str) -> int | None:
        # Quotes built from several lines ("TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH / ...") are found by their first line.
        key = quote.split(" / ")[0][:120]
        if key not in self.found:
            self.found[key] = next((page for text, page in self.paragraphs if key in text), None)
        return self.found[key]
