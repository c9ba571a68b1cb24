"""Scans and page images: Tesseract OCR (through pytesseract) with its Vietnamese data.

A page is cut into bands: the tables found on it (by their ruling lines) and the text
between them. Text bands are read word by word and laid out like a PDF text layer
(``layout.py``). A table's grid comes from its lines; a missing line between two
positions means a merged cell; the words Tesseract reads in the table go to the cell
under their centre. Without Tesseract and its Vietnamese data, a scan is refused with
what to install.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pytesseract
from PIL import Image, ImageSequence, UnidentifiedImageError

from ingest.document import BadDocument, Block, Cell, Document
from ingest.readers.layout import lines_from_words, text_blocks
from ingest.readers.limits import check_pages

# Tesseract's own threads slow it down when the cores are busy (measured here: 11 s a page with
# them, 4.4 s without); one thread per page unless the environment says otherwise.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

LANGUAGE = "vie"
INSTALL = "install the Debian packages tesseract-ocr and tesseract-ocr-vie"
RULE_SHARE = 0.15  # a dark run this share of the page's width is a ruling line, never a letter
DARK = 128
MIN_INK = 30  # dark pixels in a cell that could be a character
MIN_CONFIDENCE = 20  # words Tesseract itself doubts more than this are noise (specks, lines)


@dataclass
class TableArea:
    ys: list[int]  # horizontal rules, top to bottom
    xs: list[int]  # vertical rules, left to right
    left: int
    right: int


@lru_cache(maxsize=1)
def _languages() -> tuple[str, ...]:
    try:
        return tuple(pytesseract.get_languages())
    except (pytesseract.TesseractNotFoundError, OSError):
        raise BadDocument(f"a scan needs OCR and Tesseract is not installed: {INSTALL}") from None


def require_tesseract() -> None:
    if LANGUAGE not in _languages():
        raise BadDocument(f"a scan needs OCR and Tesseract has no Vietnamese data: {INSTALL}")


def read_image(name: str, data: bytes, source: str) -> Document:
    require_tesseract()
    try:
        image = Image.open(io.BytesIO(data))
        frames = [frame.convert("L") for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as exc:
        raise BadDocument(f"not a readable image: {exc}") from None
    check_pages(len(frames))
    blocks = [block for number, frame in enumerate(frames, start=1) for _, block in ocr_page(frame, number)]
    if not any(b.text.strip() or any(c.text for row in b.rows for c in row) for b in blocks):
        raise BadDocument("no text found in the image (OCR read nothing)")
    return Document(name=name, source=source, format="image", blocks=blocks, pages=len(frames))


def ocr_page(image: Image.Image, number: int) -> list[tuple[float, Block]]:
    """One page image's blocks in reading order, each with its top as a share of the page's height."""
    require_tesseract()
    gray = image.convert("L")
    dark = np.asarray(gray) < DARK
    height = dark.shape[0]
    placed: list[tuple[float, Block]] = []
    top = 0
    for area in _tables(dark):
        placed += _text_band(gray, top, area.ys[0], number)
        placed.append((area.ys[0] / height, Block("table", rows=_read_table(gray, dark, area), page=number)))
        top = area.ys[-1] + 1
    placed += _text_band(gray, top, height, number)
    return placed


def _words(image: Image.Image, psm: int) -> list[dict]:
    data = pytesseract.image_to_data(image, lang=LANGUAGE, config=f"--psm {psm}", output_type=pytesseract.Output.DICT)
    return [{"text": t.strip(), "x0": l, "x1": l + w, "top": tp, "bottom": tp + h}
            for t, l, tp, w, h, conf in zip(data["text"], data["left"], data["top"], data["width"], data["height"],
                                            data["conf"])
            if t.strip() and float(conf) >= MIN_CONFIDENCE]


def _text_band(gray: Image.Image, top: int, bottom: int, number: int) -> list[tuple[float, Block]]:
    if bottom - top < 10:
        return []
    words = _words(gray.crop((0, top, gray.width, bottom)), psm=3)
    size = sorted(w["bottom"] - w["top"] for w in words)[len(words) // 2] if words else 0
    lines = lines_from_words(words, column_gap=4 * size, tolerance=size / 2)
    return [((top + t) / gray.height, block) for t, block in text_blocks(lines, number)]


def _runs(dark: np.ndarray, length: int) -> np.ndarray:
    """For each row of ``dark``, whether it holds a run of at least ``length`` dark pixels."""
    sums = np.concatenate([np.zeros((dark.shape[0], 1), dtype=np.int32), np.cumsum(dark, axis=1, dtype=np.int32)], axis=1)
    return ((sums[:, length:] - sums[:, :-length]) == length).any(axis=1)


def _centres(flags: np.ndarray) -> list[int]:
    """The middle of each stretch of consecutive True values."""
    centres, start = [], None
    for index, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            centres.append((start + index - 1) // 2)
            start = None
    return centres


def _tables(dark: np.ndarray) -> list[TableArea]:
    """Ruled tables: runs of horizontal rules joined by vertical rules at both ends."""
    width = dark.shape[1]
    rules = _centres(_runs(dark, int(width * RULE_SHARE)))
    areas: list[TableArea] = []
    for upper, lower in zip(rules, rules[1:]):
        xs = _vertical_rules(dark, upper, lower)
        if len(xs) < 2:
            continue
        if areas and areas[-1].ys[-1] == upper:
            areas[-1].ys.append(lower)
            areas[-1].xs = sorted(set(areas[-1].xs) | set(xs))
        else:
            areas.append(TableArea([upper, lower], xs, xs[0], xs[-1]))
    for area in areas:
        area.xs = _merge_close(area.xs)
        area.left, area.right = area.xs[0], area.xs[-1]
    return areas


def _vertical_rules(dark: np.ndarray, upper: int, lower: int) -> list[int]:
    """Columns with a dark line all the way from one horizontal rule to the next."""
    band = dark[upper + 3:lower - 2, :]
    if band.shape[0] < 5:
        return []
    full = band.all(axis=0)
    full = full | np.roll(full, 1) | np.roll(full, -1)  # a rule one pixel off straight still counts
    return _centres(full)


def _merge_close(xs: list[int], distance: int = 8) -> list[int]:
    merged: list[int] = []
    for x in sorted(xs):
        if merged and x - merged[-1] <= distance:
            continue
        merged.append(x)
    return merged


def _read_table(gray: Image.Image, dark: np.ndarray, area: TableArea) -> list[list[Cell]]:
    """The table's cells: positions joined where a rule is missing, words placed by their centre."""
    rows, cols = len(area.ys) - 1, len(area.xs) - 1
    parent = {(r, c): (r, c) for r in range(rows) for c in range(cols)}

    def find(cell: tuple[int, int]) -> tuple[int, int]:
        while parent[cell] != cell:
            cell = parent[cell]
        return cell

    def join(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)

    for r in range(rows):
        for c in range(cols):
            y0, y1, x0, x1 = area.ys[r], area.ys[r + 1], area.xs[c], area.xs[c + 1]
            if c + 1 < cols and not _has_rule(dark[y0 + 4:y1 - 3, x1 - 2:x1 + 3].any(axis=1)):
                join((r, c), (r, c + 1))
            if r + 1 < rows and not _has_rule(dark[y1 - 2:y1 + 3, x0 + 4:x1 - 3].any(axis=0)):
                join((r, c), (r + 1, c))
    texts = _cell_words(gray, area, find)
    for r in range(rows):
        for c in range(cols):
            anchor = find((r, c))
            if anchor == (r, c) and not texts.get(anchor):
                texts[anchor] = _reread(gray, dark, area, r, c)
    grid: list[list[Cell]] = []
    for r in range(rows):
        row = []
        for c in range(cols):
            anchor = find((r, c))
            spans = sum(1 for k in parent if find(k) == anchor) > 1
            row.append(Cell(texts.get(anchor, ""), anchor if spans else None))
        grid.append(row)
    return grid


def _reread(gray: Image.Image, dark: np.ndarray, area: TableArea, r: int, c: int) -> str:
    """A cell the table-wide pass left empty but that holds ink (a lone number, 'I', 'II'),
    read again on its own as one line."""
    y0, y1, x0, x1 = area.ys[r] + 5, area.ys[r + 1] - 4, area.xs[c] + 5, area.xs[c + 1] - 4
    if y1 <= y0 or x1 <= x0 or dark[y0:y1, x0:x1].sum() < MIN_INK:
        return ""
    pad = 20  # Tesseract reads a glyph better with a white margin around it
    crop = Image.new("L", (x1 - x0 + 2 * pad, y1 - y0 + 2 * pad), 255)
    crop.paste(gray.crop((x0, y0, x1, y1)), (pad, pad))
    return " ".join(w["text"] for w in _words(crop, psm=7))


def _has_rule(along: np.ndarray) -> bool:
    """Whether a cell border is drawn: dark along most of its length (``along``: one flag per pixel)."""
    return along.size == 0 or bool(along.mean() > 0.8)


def _cell_words(gray: Image.Image, area: TableArea, find) -> dict[tuple[int, int], str]:
    """OCR the table once (rules painted white) and give each word to the cell under its centre."""
    crop = gray.crop((area.left, area.ys[0], area.right + 1, area.ys[-1] + 1))
    pixels = np.asarray(crop).copy()
    for y in area.ys:
        pixels[max(0, y - area.ys[0] - 4):y - area.ys[0] + 5, :] = 255
    for x in area.xs:
        pixels[:, max(0, x - area.left - 4):x - area.left + 5] = 255
    words = _words(Image.fromarray(pixels), psm=6)  # one block of text: measured better than sparse (11) on ruled tables
    cells: dict[tuple[int, int], list[dict]] = {}
    for word in words:
        cx, cy = area.left + (word["x0"] + word["x1"]) / 2, area.ys[0] + (word["top"] + word["bottom"]) / 2
        r = next((i for i in range(len(area.ys) - 1) if area.ys[i] <= cy < area.ys[i + 1]), None)
        c = next((i for i in range(len(area.xs) - 1) if area.xs[i] <= cx < area.xs[i + 1]), None)
        if r is not None and c is not None:
            cells.setdefault(find((r, c)), []).append(word)
    return {anchor: _lines_text(words) for anchor, words in cells.items()}


def _lines_text(words: list[dict]) -> str:
    size = sorted(w["bottom"] - w["top"] for w in words)[len(words) // 2]
    lines = lines_from_words(words, column_gap=10 ** 6, tolerance=size / 2)
    return "\n".join(line.text for line in lines)
