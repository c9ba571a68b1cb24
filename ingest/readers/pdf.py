"""PDF with pdfplumber: the text layer, ruled tables, and OCR for pages that are only a picture.

- Text lines are rebuilt from words; a line that reaches the right edge of the text and
  sits right under the line above continues its paragraph (text wrapped by the layout).
- Lines with a wide gap in them are two columns side by side (the letterhead, the
  signature block "Nơi nhận | TM. ỦY BAN NHÂN DÂN"): read left column, then right.
- Running headers and footers (a line repeated at the same place on most pages) and page
  numbers are dropped.
- Tables drawn with ruling lines are laid on their grid (pdfplumber's cells), so a cell
  spanning rows or columns fills each position it covers. A table that continues on the
  next page with its header repeated becomes one table with the header once.
- A page without a text layer is rendered and read by Tesseract (``ocr.py``).
"""

from __future__ import annotations

import io
import re
import zlib
from collections import Counter

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException
from rapidfuzz import fuzz

from ingest.document import BadDocument, Block, Cell, Document
from ingest.readers import PageProgress, limits
from ingest.readers.layout import Line, lines_from_words, text_blocks
from ingest.readers.limits import check_pages

COLUMN_GAP = 36.0  # points of empty space inside a line that separate two columns (half an inch)
LINE_TOLERANCE = 3.0  # words whose tops differ less than this are on one line
MARGIN_SHARE = 0.06  # running headers and footers sit in the top and bottom 6% of a page
OCR_DPI = 300  # Tesseract reads best at 300 dpi
PAGE_NUMBER = re.compile(r"^(?:trang|page)?\s*[-–(]?\s*\d{1,4}\s*(?:/\s*\d{1,4})?\s*[-–)]?$", re.IGNORECASE)
MIN_TEXT_CHARS = 20  # a page with fewer characters in its text layer is a scan
SAME_HEADER = 90  # similarity (0-100) of a repeated header row to the first: OCR may misread a letter
STREAM = re.compile(rb"stream\r?\n")


def read_pdf(name: str, data: bytes, source: str, on_page: PageProgress | None = None) -> Document:
    _check_streams(data)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise BadDocument("password-protected PDF: it cannot be read without its password") from None
        raise BadDocument(f"damaged PDF: {cause}") from None
    with pdf:
        check_pages(len(pdf.pages))
        pages: list[list[tuple[float, Block]]] = []
        for number, page in enumerate(pdf.pages, start=1):
            pages.append(_page_blocks(page, number))
            if on_page:
                on_page(number, len(pdf.pages))
        total = len(pdf.pages)
    blocks = _join_tables(_drop_running_lines(pages))
    if not any(b.text.strip() or b.rows for b in blocks):
        raise BadDocument("the PDF holds no text, even by OCR")
    return Document(name=name, source=source, format="pdf", blocks=blocks, pages=total)


def _check_streams(data: bytes) -> None:
    """Refuse a PDF whose compressed streams expand past the cap, before any library expands them."""
    expanded = 0
    view = memoryview(data)  # slices without copies: a PDF may hold thousands of streams
    for match in STREAM.finditer(data):
        end = data.find(b"endstream", match.end())
        inflater = zlib.decompressobj()
        try:
            expanded += len(inflater.decompress(view[match.end():end if end >= 0 else len(data)],
                                                limits.MAX_EXPANDED_BYTES - expanded + 1))
        except zlib.error:
            continue  # not Flate-compressed (images, other filters): not expanded here
        if expanded > limits.MAX_EXPANDED_BYTES:
            raise BadDocument(f"its compressed streams expand past the {limits.MAX_EXPANDED_BYTES:,}-byte limit "
                              "(LIENKET_MAX_EXPANDED_BYTES): refused as a possible zip bomb")


def _page_blocks(page: pdfplumber.page.Page, number: int) -> list[tuple[float, Block]]:
    """The page's blocks in reading order, each with where its top is (a share of the page's height)."""
    if len(page.chars) < MIN_TEXT_CHARS and page.images:
        from ingest.readers.ocr import ocr_page

        return ocr_page(page.to_image(resolution=OCR_DPI).original, number)
    tables = [t for t in page.find_tables() if len(t.rows) >= 2]
    text_page = page
    for table in tables:
        text_page = text_page.outside_bbox(table.bbox)
    placed: list[tuple[float, Block]] = [(t.bbox[1], Block("table", rows=_grid(t), page=number)) for t in tables]
    placed += text_blocks(_lines(text_page), number)
    return [(top / float(page.height), block) for top, block in sorted(placed, key=lambda p: p[0])]


def _grid(table) -> list[list[Cell]]:
    """The table's cells on the grid of all its cell edges; a cell spanning several grid
    positions fills each of them and is marked merged."""
    xs = _edges([c[0] for c in table.cells] + [c[2] for c in table.cells])
    ys = _edges([c[1] for c in table.cells] + [c[3] for c in table.cells])
    grid: list[list[Cell]] = [[Cell("") for _ in range(len(xs) - 1)] for _ in range(len(ys) - 1)]
    texts = {tuple(box): value or "" for row, values in zip(table.rows, table.extract())
             for box, value in zip(row.cells, values) if box is not None}  # one pass over the characters
    for x0, top, x1, bottom in table.cells:
        c0, c1, r0, r1 = _index(xs, x0), _index(xs, x1), _index(ys, top), _index(ys, bottom)
        text = texts.get((x0, top, x1, bottom), "")
        anchor = (r0, c0) if (r1 - r0) > 1 or (c1 - c0) > 1 else None
        for r in range(r0, r1):
            for c in range(c0, c1):
                grid[r][c] = Cell(text.strip(), anchor)
    return grid


def _edges(values: list[float]) -> list[float]:
    edges: list[float] = []
    for value in sorted(values):
        if not edges or value - edges[-1] > LINE_TOLERANCE:
            edges.append(value)
    return edges


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _lines(page: pdfplumber.page.Page) -> list[Line]:
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
    return lines_from_words(words, COLUMN_GAP, LINE_TOLERANCE)


def _drop_running_lines(pages: list[list[tuple[float, Block]]]) -> list[Block]:
    """Page numbers, and lines repeated in the top or bottom margin of most pages, go; the rest stays in order."""
    def key(block: Block) -> str:  # letters only: page numbers and OCR's stray dashes do not matter
        return re.sub(r"[\W\d_]+", "", block.text.lower())

    def in_margin(top: float, block: Block) -> bool:
        return block.kind != "table" and (top < MARGIN_SHARE or top > 1 - MARGIN_SHARE)

    counts = Counter(key(b) for placed in pages for top, b in placed if in_margin(top, b))
    running = {k for k, n in counts.items() if n >= 2 and n >= len(pages) / 2}
    return [block for placed in pages for top, block in placed
            if not (in_margin(top, block) and (key(block) in running or PAGE_NUMBER.match(block.text.strip())))]


def _join_tables(blocks: list[Block]) -> list[Block]:
    """A table that goes on at the top of the next page (nothing between the two parts, the same
    number of columns) is the same table; its repeated header rows are dropped."""
    joined: list[Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (block.kind == "table" and previous is not None and previous.kind == "table"
                and previous.page != block.page and len(block.rows[0]) == len(previous.rows[0])):
            rows = block.rows
            header = " ".join(c.text for c in previous.rows[0])
            start = 1 if fuzz.ratio(" ".join(c.text for c in rows[0]), header) >= SAME_HEADER else 0
            previous.row_pages = previous.row_pages or [previous.page] * len(previous.rows)
            offset = len(previous.rows) - start
            previous.rows += [[_moved(c, offset) for c in row] for row in rows[start:]]
            previous.row_pages += [block.page] * (len(rows) - start)
            continue
        joined.append(block)
    return joined


def _moved(cell: Cell, offset: int) -> Cell:
    return Cell(cell.text, (cell.anchor[0] + offset, cell.anchor[1])) if cell.anchor else cell
