"""The project's sample documents written in every format a user meets, by code.

Each writer takes a sample's text (one paragraph a line, tables as tab-separated rows, a
header repeated after a blank line where a page broke) and lays it out the way the
format's usual producer does:

- PDF (reportlab): ruled tables whose header repeats on each page, a page break inside a
  merged cell, text wrapped inside cells and paragraphs, a running header and a page
  number on every page, the signature block as two borderless columns.
- DOCX (python-docx): heading styles, the document number in a text box, tables with the
  header row marked to repeat, group rows spread with gridSpan, merged cells with vMerge,
  the signature block as a two-column table.
- HTML: the article in nested divs without <article>, a menu, a sidebar, entities, tables
  with rowspan and colspan, and a name in a script, a comment and a hidden element that
  must never be read.
- a scan: the PDF's pages rendered to images and saved as an image-only PDF.
- TCVN3 and Windows-1258 bytes, encoded by iconv (glibc's tables, not the project's).
"""

from __future__ import annotations

import html
import io
import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

SAMPLES = Path(__file__).parents[1] / "samples"
PLAN = SAMPLES / "ke_hoach_kon_tum_2024.txt"
NEWS = SAMPLES / "tin_quan5_dak_ha.txt"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
HIDDEN_NAME = "Hoàng Văn Giấu"  # written into a script, a comment and a hidden element: never evidence
RUNNING_HEADER = "Cổng thông tin điện tử - bản lưu"


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    page_breaks: list[int] = field(default_factory=list)  # row indexes where a new page starts


@dataclass
class Layout:
    """A sample read into parts: paragraphs (str), tables, and the signature block's two columns."""

    parts: list[object]


@dataclass
class Signature:
    left: list[str]
    right: list[str]


def layout(text: str) -> Layout:
    lines = text.split("\n")
    parts: list[object] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("Nơi nhận"):
            index = _signature(lines, index, parts)
            continue
        if "\t" in line:
            cells = line.split("\t")
            previous = next((p for p in reversed(parts) if not (isinstance(p, str) and not p)), None)
            if isinstance(previous, Table) and cells == previous.header:
                previous.page_breaks.append(len(previous.rows))  # a repeated header: the page broke here
            elif isinstance(previous, Table) and parts[-1] is previous:
                previous.rows.append(cells)
            else:
                parts.append(Table(cells, []))
            index += 1
            continue
        if line.strip():
            parts.append(line.strip())
        index += 1
    return Layout(parts)


def _signature(lines: list[str], index: int, parts: list[object]) -> int:
    left, right = [], []
    while index < len(lines) and not re.match(r"^(TM|KT|TL|Q)\.", lines[index]):
        if lines[index].strip():
            left.append(lines[index].strip())
        index += 1
    while index < len(lines):
        line = lines[index].strip()
        index += 1
        if line:
            right.append(line)
            if not line.isupper():
                break  # the signer's name ends the block
    parts.append(Signature(left, right))
    return index


def _merged_below(table: Table, row: int, column: int) -> bool:
    """An empty cell under a filled one, in a task row (number and name filled), is the cell above merged."""
    cells = table.rows[row]
    return (row > 0 and column >= 2 and not cells[column] and bool(cells[0]) and bool(cells[1])
            and not _group_row(table, row) and bool(table.rows[row - 1][column]))


def _group_row(table: Table, row: int) -> bool:
    """A row with only a number and a name, numbered in Roman numerals or followed by its own
    sub-items (2 before 2.1): a group heading, spread over the row."""
    cells = table.rows[row]
    following = table.rows[row + 1][0] if row + 1 < len(table.rows) else ""
    numbered = bool(re.fullmatch(r"[IVX]+", cells[0])) or following.startswith(cells[0].rstrip(".") + ".")
    return numbered and bool(cells[1]) and not any(cells[2:])


# --- PDF -----------------------------------------------------------------------------------


def to_pdf(text: str, split_merged_rows: bool = True, compact: bool = False) -> bytes:
    """The text as a PDF with a text layer. With ``split_merged_rows``, a page also breaks inside
    the first vertically merged cell (the header repeats on the next page). ``compact`` lets the
    appendices follow on the same page and drops the pages broken by the sample's repeated headers
    (fewer pages to scan)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable

    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    body = ParagraphStyle("body", fontName="DejaVu", fontSize=10, leading=13, spaceAfter=7)
    cell = ParagraphStyle("cell", fontName="DejaVu", fontSize=7, leading=9)
    flow: list[object] = []
    for part in layout(text).parts:
        if isinstance(part, str):
            if part.startswith("PHỤ LỤC") and not compact:
                flow.append(PageBreak())  # each appendix starts a page
            flow.append(Paragraph(html.escape(part), body))
        elif isinstance(part, Signature):
            rows = [[[Paragraph(html.escape(l), body) for l in part.left],
                     [Paragraph(html.escape(l), body) for l in part.right[:-1]] + [Spacer(1, 30),
                                                                                    Paragraph(html.escape(part.right[-1]), body)]]]
            flow.append(RLTable(rows, colWidths=[8 * cm, 8 * cm], style=[("VALIGN", (0, 0), (-1, -1), "TOP")]))
        else:
            if compact:
                part = Table(part.header, part.rows)
            flow += _pdf_table(part, cell, split_merged_rows, RLTable, TableStyle, PageBreak, colors)
            split_merged_rows = split_merged_rows and not any(
                _merged_below(part, r, c) for r in range(len(part.rows)) for c in range(len(part.header)))

    def decorate(canvas, document) -> None:  # type: ignore[no-untyped-def]
        canvas.setFont("DejaVu", 8)
        canvas.drawString(2 * cm, A4[1] - 1 * cm, RUNNING_HEADER)
        canvas.drawCentredString(A4[0] / 2, 0.8 * cm, f"Trang {document.page}")

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=1.5 * cm, rightMargin=1.5 * cm, topMargin=2 * cm,
                      bottomMargin=2 * cm).build(flow, onFirstPage=decorate, onLaterPages=decorate)
    return out.getvalue()


def _pdf_table(table: Table, cell_style, split_merged: bool, RLTable, TableStyle, PageBreak, colors) -> list[object]:  # type: ignore[no-untyped-def]
    from reportlab.platypus import Paragraph

    breaks = list(table.page_breaks)
    merged = [(r, c) for r in range(len(table.rows)) for c in range(len(table.header)) if _merged_below(table, r, c)]
    if split_merged and merged:
        breaks.append(merged[0][0])  # the page breaks inside that merged cell
    pieces, start = [], 0
    for stop in sorted(set(breaks)) + [len(table.rows)]:
        pieces.append((start, stop))
        start = stop
    widths = [28, 88, 70, 70, 45, 52, 58, 109]
    flow: list[object] = []
    for number, (start, stop) in enumerate(pieces):
        if number:
            flow.append(PageBreak())
        rows = [table.header] + table.rows[start:stop]
        data = [[Paragraph(html.escape(c), cell_style) for c in row] for row in rows]
        style = [("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        for r in range(start, stop):
            local = r - start + 1
            if _group_row(table, r):
                style.append(("SPAN", (1, local), (-1, local)))
            for c in range(len(table.header)):
                if _merged_below(table, r, c) and r > start:
                    top = local - 1
                    while top > 1 and _merged_below(table, start + top - 1, c):
                        top -= 1
                    style.append(("SPAN", (c, top), (c, local)))
        flow.append(RLTable(data, colWidths=widths, repeatRows=1, style=TableStyle(style)))
    return flow


def to_scanned_pdf(pdf: bytes, dpi: int = 300) -> bytes:
    """Each page of a PDF rendered to a grey image; the images saved as a PDF without any text layer."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        images = [page.to_image(resolution=dpi).original.convert("L") for page in document.pages]
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def to_png(pdf: bytes, page: int = 0, dpi: int = 200) -> bytes:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        image = document.pages[page].to_image(resolution=dpi).original.convert("L")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# --- DOCX ----------------------------------------------------------------------------------


def to_docx(text: str) -> bytes:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    document = docx.Document()
    for part in layout(text).parts:
        if isinstance(part, str):
            if part.startswith("Số:"):
                _text_box(document, part, parse_xml, nsdecls)
            elif part.isupper():
                document.add_paragraph(part, style="Heading 1")
            else:
                document.add_paragraph(part)
        elif isinstance(part, Signature):
            grid = document.add_table(rows=1, cols=2)
            left, right = grid.rows[0].cells
            left.text, right.text = "\n".join(part.left), "\n".join(part.right)
            _paragraph_per_line(left)
            _paragraph_per_line(right)
        else:
            _docx_table(document, part, qn, parse_xml, nsdecls)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _paragraph_per_line(cell) -> None:  # type: ignore[no-untyped-def]
    lines = cell.text.split("\n")
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _text_box(document, text: str, parse_xml, nsdecls) -> None:  # type: ignore[no-untyped-def]
    """A paragraph anchoring a VML text box that holds ``text`` (how letterheads are often drawn)."""
    paragraph = document.add_paragraph()
    run = paragraph.add_run()
    run._r.append(parse_xml(
        f'<w:pict {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><v:shape style="width:200pt;height:20pt"><v:textbox><w:txbxContent>'
        f'<w:p><w:r><w:t xml:space="preserve">{html.escape(text)}</w:t></w:r></w:p>'
        f'</w:txbxContent></v:textbox></v:shape></w:pict>'))


def _docx_table(document, table: Table, qn, parse_xml, nsdecls) -> None:  # type: ignore[no-untyped-def]
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.style = "Table Grid"
    header = grid.rows[0]
    header._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))  # repeat on each page
    for c, value in enumerate(table.header):
        header.cells[c].text = value
    for r, cells in enumerate(table.rows, start=1):
        for c, value in enumerate(cells):
            grid.cell(r, c).text = value
    for r, cells in enumerate(table.rows, start=1):
        for c in range(len(cells)):
            if _merged_below(table, r - 1, c):
                grid.cell(r - 1, c).merge(grid.cell(r, c))  # vMerge
        if _group_row(table, r - 1):
            grid.cell(r, 1).merge(grid.cell(r, len(cells) - 1))  # gridSpan


# --- HTML ----------------------------------------------------------------------------------


def _entities(text: str) -> str:
    """Escaped text, with some letters written as numeric entities as some sites do."""
    escaped = html.escape(text, quote=True)
    return escaped.replace("ệ", "&#7879;").replace("Đ", "&#272;").replace(" - ", " &ndash; ")


def to_html(text: str) -> bytes:
    body: list[str] = []
    for part in layout(text).parts:
        if isinstance(part, str):
            tag = "h2" if part.isupper() else "p"
            body.append(f"<{tag}>{_entities(part)}</{tag}>")
        elif isinstance(part, Signature):
            body.append('<table class="signature"><tr><td>' + "<br>".join(map(_entities, part.left)) + "</td><td>"
                        + "<br>".join(map(_entities, part.right)) + "</td></tr></table>")
        else:
            body.append(_html_table(part))
    page = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{_entities(_headline(text))}</title>
<style>.hidden {{ display: none }}</style>
<script>var tracking = {{"editor": "{HIDDEN_NAME}"}};</script></head>
<body>
<div class="menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/tt">Thời sự</a></li></ul></div>
<div class="wrap"><div class="main"><div class="content"><div class="detail">
<!-- biên tập: {HIDDEN_NAME} -->
{chr(10).join(body)}
<div style="display:none">Phó Chủ tịch UBND tỉnh {HIDDEN_NAME}</div>
<p hidden>Ông {HIDDEN_NAME}, Giám đốc Sở Tài chính</p>
</div></div></div>
<div class="sidebar"><h3>Đọc nhiều</h3><ul><li><a href="/a">Tin khác</a></li></ul></div></div>
<div class="footer">Bản quyền thuộc về cổng thông tin</div>
</body></html>"""
    return page.encode("utf-8")


def _headline(text: str) -> str:
    """The page's <title>: its first line long enough to be a headline, not a menu entry."""
    return next(line for line in text.split("\n") if len(line.split()) >= 6)


def _html_table(table: Table) -> str:
    """Rows with rowspan for merged cells and colspan for group rows; the header once."""
    rows = ["<tr>" + "".join(f"<th>{_entities(c)}</th>" for c in table.header) + "</tr>"]
    for r, cells in enumerate(table.rows):
        if _group_row(table, r):
            rows.append(f"<tr><td>{_entities(cells[0])}</td><td colspan=\"{len(cells) - 1}\">{_entities(cells[1])}</td></tr>")
            continue
        tds = []
        for c, value in enumerate(cells):
            if _merged_below(table, r, c):
                continue  # covered by the rowspan above
            span = 1
            while r + span < len(table.rows) and _merged_below(table, r + span, c):
                span += 1
            tds.append(f"<td rowspan=\"{span}\">{_entities(value)}</td>" if span > 1 else f"<td>{_entities(value)}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return "<table border=\"1\">\n" + "\n".join(rows) + "\n</table>"


# --- legacy encodings ----------------------------------------------------------------------


def iconv(text: str, encoding: str) -> bytes:
    """The text in a legacy encoding, by glibc's iconv (TCVN5712-1 is TCVN3; CP1258 is Windows-1258)."""
    run = subprocess.run(["iconv", "-f", "UTF-8", "-t", encoding], input=unicodedata.normalize("NFC", text).encode(),
                         capture_output=True, check=True)
    return run.stdout
