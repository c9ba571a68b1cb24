"""Appendix tables of plans (PHỤ LỤC I, II, ...): rows of tasks with their columns.

- The header row is found by its column names (table_headers.csv), not by position, and
  may repeat after each page break.
- Group rows (I, II, 1, 2 ...) give context — which side hosts, which section — but are
  not tasks. A row is a group when its number is Roman, or when the next row's number is
  one of its children (1 → 1.1); a row with only a name whose number is a sibling of the
  one above (3 after 2) is a task whose other cells were merged with the row above.
- A row whose lead cell is empty continues the merged span of the row above: its empty
  cells take that row's values (contacts too). A row that names its own lead starts a new
  span, so a cell it leaves empty is empty (no contact is borrowed from another task).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from graph.text import fold
from ingest.document import Block
from ingest.vocab import header_columns

ROMAN = re.compile(r"^(?:[IVXLC]+|[A-ZĐ])\.?$")  # Roman numerals or a single capital letter: a group
# A group whose heading spans the row from its number cell ("II. LĨNH VỰC THƯƠNG MẠI", a Word cell merged across)
SPANNED_GROUP = re.compile(r"^(?P<number>[IVXLC]+|[A-ZĐ])\.\s+(?P<name>\S.*)$")
APPENDIX = re.compile(r"^PHỤ LỤC\b", re.IGNORECASE)
OCR_HEADER_SIMILARITY = 90  # 0-100; one wrong letter in a three-word header name scores above it
FILLED_DOWN = ("lead", "coordinators", "deliverable", "timeframe", "place", "contact")


@dataclass
class TaskRow:
    number: str
    cells: dict[str, str]
    groups: list[str]
    quote: str
    page: int | None = None  # where the row was read: the page, and the row's place in its table
    row: int | None = None


@dataclass
class RawRow:
    """A table row as read, before group rows and merged cells are worked out."""

    appendix: Appendix
    columns: list[str]
    cells: list[str]
    page: int | None
    row: int


@dataclass
class Appendix:
    title: str
    rows: list[TaskRow] = field(default_factory=list)


@lru_cache(maxsize=8192)  # a long table repeats its cells (bodies, places) row after row
def _column(cell: str) -> str:
    """The column a header cell names: its text, or its longest known beginning
    ("Đầu mối liên hệ phía huyện X" is the contact column)."""
    known = header_columns()
    folded = fold(cell)
    if folded in known:
        return known[folded]
    starts = [h for h in known if folded.startswith(h + " ") and len(h.split()) >= 2]
    if starts:
        return known[max(starts, key=len)]
    # A header read by OCR may have one letter wrong ("Đầu mũi liên hệ"): the closest known name, if very close.
    close = process.extractOne(folded, list(known), scorer=fuzz.ratio, score_cutoff=OCR_HEADER_SIMILARITY)
    return known[close[0]] if close else ""


def header_of(cells: list[str]) -> list[str] | None:
    """Column keys of a header row, or None when the row is not a header (needs 3 known names)."""
    keys = [_column(c) for c in cells]
    return keys if sum(1 for k in keys if k) >= 3 and "task" in keys else None


def _is_child(parent: str, child: str) -> bool:
    return bool(parent) and child.startswith(parent.rstrip(".") + ".")


def _level(number: str) -> int:
    return 0 if ROMAN.match(number) else number.rstrip(".").count(".") + 1


def read_appendices(blocks: list[Block]) -> list[Appendix]:
    """Every task table in the document, with group context and merged cells filled.

    A table belongs to the "PHỤ LỤC" above it; a table without one is titled by the lines
    just above its header ("DANH MỤC NHIỆM VỤ ..."). A header repeated after a page break
    continues the same table."""
    appendices: list[Appendix] = []
    raw: list[RawRow] = []
    above_header: list[str] = []
    columns: list[str] | None = None
    for block in blocks:
        if block.kind != "table":
            line = block.text.strip()
            if APPENDIX.match(line):
                appendices.append(Appendix(title=line))
                above_header, columns = [], None
            elif line:
                above_header.append(line)
            continue
        for index in range(len(block.rows)):
            cells = block.row_texts(index)
            if (keys := header_of(cells)) is not None:
                starts_table = not appendices or (columns is not None and any(l.isupper() for l in above_header))
                if starts_table:
                    appendices.append(Appendix(title=""))
                if columns is None or starts_table:
                    titled = [l for l in above_header[-3:] if l.isupper() or l.startswith("(")]
                    title = [appendices[-1].title, *titled] if appendices[-1].title else titled
                    appendices[-1].title = " - ".join(t for t in title if t)
                columns, above_header = keys, []
                continue
            if columns is not None and any(cells):
                if raw and _continues_name(cells, columns):
                    _append_to_name(raw[-1], cells, columns)
                    continue
                raw.append(RawRow(appendices[-1], columns, cells, block.page_of_row(index), index + 1))
                above_header = []
    _group_and_fill(raw)
    return appendices


def _continues_name(cells: list[str], columns: list[str]) -> bool:
    """A row with no number and only the task cell filled is the name above wrapping onto a new line."""
    filled = [columns[i] for i, c in enumerate(cells) if c and i < len(columns)]
    return "number" in columns and filled == ["task"]


def _append_to_name(row: RawRow, cells: list[str], columns: list[str]) -> None:
    index = columns.index("task")
    previous = row.cells
    previous[index] = f"{previous[index]} {cells[index]}".strip()


def first_table_line(lines: list[str]) -> int:
    """Where the appendices begin: the first "PHỤ LỤC" or table header (the end when there is none)."""
    for index, line in enumerate(lines):
        if APPENDIX.match(line.strip()) or ("\t" in line and header_of([c.strip() for c in line.split("\t")])):
            return index
    return len(lines)


def _group_and_fill(raw: list[RawRow]) -> None:
    groups: list[tuple[int, str]] = []
    above: dict[str, str] = {}
    current: Appendix | None = None
    for index, item in enumerate(raw):
        appendix, columns, cells = item.appendix, item.columns, item.cells
        if appendix is not current:
            current, groups, above = appendix, [], {}
        values = {key: cells[i] if i < len(cells) else "" for i, key in enumerate(columns) if key}
        number = values.get("number", "").strip()
        following = raw[index + 1].cells if index + 1 < len(raw) and raw[index + 1].appendix is appendix else None
        next_number = following[columns.index("number")].strip() if following and "number" in columns else ""
        others_empty = not any(values.get(k) for k in FILLED_DOWN)
        spanned = SPANNED_GROUP.match(number) if not values.get("task") else None
        if spanned:
            number, values["task"] = spanned.group("number"), spanned.group("name")
        if ROMAN.match(number) or (others_empty and _is_child(number, next_number)):
            level = _level(number)
            groups = [g for g in groups if g[0] < level] + [(level, values.get("task", ""))]
            above = {}
            continue
        if not values.get("task", "").strip():  # a row that names no task (a blank line, a stray heading) is none
            continue
        if values.get("lead") or "lead" not in columns:
            above = {key: values.get(key, "") for key in FILLED_DOWN}  # a row with its own lead starts a span
        else:
            for key in FILLED_DOWN:  # an empty lead cell is merged with the rows above: so are its empty neighbours
                values[key] = values.get(key) or above.get(key, "")
        quote = " | ".join(c for c in cells if c)
        appendix.rows.append(TaskRow(number=number, cells=values, groups=[g for _, g in groups], quote=quote,
                                     page=item.page, row=item.row))
