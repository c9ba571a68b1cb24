"""Web pages: the article, not the page.

First the page is cleaned of what is never evidence: scripts, styles, comments, templates
and hidden elements. Then trafilatura (a maintained main-content extractor) picks the
article out of menus and sidebars; the project's furniture rules (``ingest/furniture.py``)
still run on its output as a second line. Tables keep their grid: rowspan and colspan are
resolved here, on the page itself, and matched to the tables trafilatura kept. When
trafilatura finds no article (a bare document page), every block of the page is read.
"""

from __future__ import annotations

import re

import htmldate
import lxml.etree
import lxml.html
import trafilatura

from graph.text import fold
from ingest.dates import DAY_MONTH, full_dates
from ingest.document import BadDocument, Block, Cell, Document
from ingest.readers.encodings import decode_text
from ingest.vocab import caption_skips

NEVER_EVIDENCE = ("script", "style", "noscript", "template", "iframe", "svg", "object", "embed")
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
BLOCK_TAGS = {"p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "li", "ul", "ol",
              "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "address", "figure", "figcaption",
              "dt", "dd", "dl", "form", "fieldset", "center", "body", "html"}
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
LEAD_OPENING = 60  # characters: "(TTXVN) - Sáng 22/3, tại ..." names its day within them
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _decode(data: bytes) -> str:
    """The page's text: in the charset its <meta> names, else UTF-8, else a legacy Vietnamese encoding."""
    declared = META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)[0]


def read_html(name: str, data: bytes, source: str) -> Document:
    try:
        tree = lxml.html.document_fromstring(XML_DECLARATION.sub("", _decode(data), count=1))
    except (lxml.etree.ParserError, ValueError) as exc:
        raise BadDocument(f"not a readable web page: {exc}") from None
    _drop_never_evidence(tree)
    grids = [_grid(table) for table in tree.iter("table")]
    captions = _captions(tree)
    frame = _article_frame(tree)
    if frame is not None:  # a page laid out with a table: its article is the cell it frames, read block by block
        blocks = _with_dateline(_page_blocks(frame), _published(tree))
    else:
        blocks = _with_captions(_article_blocks(tree, grids), captions) or _page_blocks(tree)
    if not blocks:
        raise BadDocument("the web page holds no text")
    return Document(name=name, source=source, format="html", blocks=blocks)


def _drop_never_evidence(tree: lxml.html.HtmlElement) -> None:
    """Scripts, styles, comments and hidden elements go before anything reads the page."""
    for element in list(tree.iter(lxml.etree.Comment, lxml.etree.ProcessingInstruction)):
        element.drop_tree() if hasattr(element, "drop_tree") else element.getparent().remove(element)
    for element in list(tree.iter(*NEVER_EVIDENCE)):
        element.drop_tree()
    for element in list(tree.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        if (element.get("hidden") is not None or element.get("aria-hidden") == "true"
                or HIDDEN_STYLE.search(element.get("style") or "")
                or (element.tag == "input" and element.get("type") == "hidden")):
            element.drop_tree()


def _article_frame(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The cell that frames the article of a page laid out with a table (menu, article and sidebars in the cells of
    one row, as older portals of districts and communes are built): the one innermost cell that holds a heading
    (<h1>–<h6>), for no table of data heads a cell with a page heading. None for a page laid out otherwise, or
    with several such cells (which one is the article's is not clear)."""
    headed = [c for c in tree.iter("td", "th") if next(c.iter(*HEADING_TAGS), None) is not None]
    innermost = [c for c in headed if not any(o is not c and c in o.iterancestors() for o in headed)]
    return innermost[0] if len(innermost) == 1 else None


def _text(element: lxml.html.HtmlElement) -> str:
    """An element's text with <br> as line breaks and runs of spaces collapsed."""
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return "\n".join(" ".join(line.split()) for line in element.text_content().split("\n")).strip()


def _grid(table: lxml.html.HtmlElement) -> list[list[Cell]]:
    """A table's rows on its grid: a cell with rowspan/colspan fills every position it covers."""
    rows: list[list[Cell]] = []
    pending: dict[tuple[int, int], Cell] = {}  # positions covered from rows above
    own_rows = [tr for tr in table.iter("tr") if next(tr.iterancestors("table")) is table]
    for r, tr in enumerate(own_rows):
        row: list[Cell] = []
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while (r, len(row)) in pending:
                row.append(pending.pop((r, len(row))))
            column, text = len(row), _text(td)
            rowspan, colspan = _span(td.get("rowspan")), _span(td.get("colspan"))
            anchor = (r, column) if rowspan > 1 or colspan > 1 else None
            row += [Cell(text, anchor)] * colspan
            for below in range(r + 1, min(r + rowspan, len(own_rows))):
                for c in range(column, column + colspan):
                    pending[(below, c)] = Cell(text, anchor)
        while (r, len(row)) in pending:
            row.append(pending.pop((r, len(row))))
        rows.append(row)
    return rows


def _span(value: str | None) -> int:
    return max(1, min(int(value), 1000)) if value and value.strip().isdigit() else 1


def _article_blocks(tree: lxml.html.HtmlElement, grids: list[list[list[Cell]]]) -> list[Block]:
    """The article trafilatura finds, in its order; its tables replaced by the page's own grids."""
    extracted = trafilatura.extract(tree, output_format="xml", include_tables=True, include_comments=False,
                                    favor_recall=True, deduplicate=False, with_metadata=True)
    if not extracted:
        return []
    root = lxml.etree.fromstring(extracted.encode("utf-8"))
    main = root.find("main")
    if main is None:
        return []
    blocks: list[Block] = []
    title = (root.get("title") or "").strip()
    remaining = list(grids)
    for element in main.iter("head", "p", "item", "table", "quote"):
        if element.tag == "table":
            blocks.append(Block("table", rows=_matching_grid(element, remaining)))
        elif not any(a.tag in ("table", "p", "item", "head") for a in element.iterancestors()):
            text = "\n".join(" ".join(l.split()) for l in "".join(element.itertext()).split("\n")).strip()
            if text and element.tag == "item":
                text = f"- {text}"  # a list item keeps the mark the page draws before it, as plain text writes it
            if text:
                blocks.append(Block("heading" if element.tag == "head" else "paragraph", text=text))
    # trafilatura's title may lose a tail it takes for the site's name ("... 2024 - 2026"): the block
    # that begins with it is the headline; without one, the title itself heads the article.
    headline = next((b for b in blocks[:10] if title and b.kind != "table" and b.text.startswith(title)), None)
    if headline is not None:
        headline.kind = "heading"
    elif title:
        blocks.insert(0, Block("heading", text=title))
    return _with_dateline(blocks, _published(tree))


# a photographer's credit closing a caption ('Ảnh: A', '(Ảnh: A)') and the label opening one ('Ảnh: ...')
PHOTO_CREDIT = re.compile(r"\s*\(?\s*Ảnh\s*:\s*[^.()]{0,40}\)?\.?\s*$")
PHOTO_LABEL = re.compile(r"^\s*Ảnh\s*:\s*")
OUTSIDE_ARTICLE = ("aside", "nav", "header", "footer")


def _captions(tree: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    """The page's photo captions that stand in the flow of its text, each with the text of the paragraph just
    before its figure ('' when none): trafilatura leaves captions out, and a caption naming the signers with
    their titles is part of the article. Not a caption of a sidebar, menu or footer, nor of an archive or
    illustration photo (``caption_skips.txt``): those are of other events."""
    found = []
    for caption in tree.iter("figcaption"):
        if any(a.tag in OUTSIDE_ARTICLE for a in caption.iterancestors()):
            continue
        text = PHOTO_LABEL.sub("", PHOTO_CREDIT.sub("", " ".join(_text(caption).split())))
        if not text or any(skip in fold(_text(caption)) for skip in caption_skips()):
            continue
        figure = next((a for a in caption.iterancestors("figure")), caption)
        before = next((e for e in figure.itersiblings(preceding=True) if isinstance(e.tag, str) and _text(e)), None)
        found.append((text if text.endswith((".", "!", "?")) else f"{text}.", _text(before) if before is not None else ""))
    return found


def _with_captions(blocks: list[Block], captions: list[tuple[str, str]]) -> list[Block]:
    """The article with the captions of its own photos: those whose figure follows one of its paragraphs,
    written after the article's text (where a sentence before or after them cannot take them for its
    neighbour). A caption after text trafilatura did not keep (a sidebar's) is left out."""
    kept = {" ".join(b.text.split()) for b in blocks if b.kind != "table"}
    own = [text for text, before in captions if before and " ".join(before.split()) in kept]
    return [*blocks, *(Block("paragraph", text=text) for text in own)] if blocks else blocks


# the elements a news page prints its date in ('<div class="date">Thứ Bảy, 14/03/2026, 07:50</div>')
DATE_ELEMENTS = ("//time", "//*[contains(concat(' ', normalize-space(@class), ' '), ' date ')]",
                 "//*[contains(concat(' ', normalize-space(@class), ' '), ' time ')]")


def _published(tree: lxml.html.HtmlElement) -> str:
    """The date the page says it was published (its meta tags and date elements, ISO), never one guessed
    from the article's text: htmldate without its extensive search, else the first full day in an element
    the page marks as its date."""
    found = htmldate.find_date(tree, extensive_search=False, original_date=True)
    if found:
        return found
    for path in DATE_ELEMENTS:
        for element in tree.xpath(path):
            if dated := full_dates(element.text_content()):
                return dated[0][1]
    return ""


def _with_dateline(blocks: list[Block], published: str) -> list[Block]:
    """A news page prints its date under the headline; trafilatura may drop that line and keep the date
    only in the page's markup. Without it, the year of a lead that opens "Chiều 28/8, ..." would come
    from whatever full date the article names next (an earlier signing's). So when the block after the
    headline opens with a day and month but no year, the published date is written before it as the
    page's dateline (a plan, which opens with its issuer, is left as it is)."""
    at = next((i for i, b in enumerate(blocks) if b.kind == "heading"), None)
    day = ISO_DAY.fullmatch(published)
    if at is None or day is None or at + 1 >= len(blocks):
        return blocks
    lead = blocks[at + 1].text
    if not DAY_MONTH.search(lead[:LEAD_OPENING]) or full_dates(lead[:LEAD_OPENING]):
        return blocks
    dateline = f"{day.group(3)}/{day.group(2)}/{day.group(1)}"
    return [*blocks[:at + 1], Block("paragraph", text=dateline), *blocks[at + 1:]]


def _matching_grid(table: lxml.etree._Element, grids: list[list[list[Cell]]]) -> list[list[Cell]]:
    """The page's own grid for a table trafilatura kept (same first row); else trafilatura's cells."""
    rows = [[Cell(" ".join("".join(cell.itertext()).split())) for cell in row.iter("cell")] for row in table.iter("row")]
    first = [_bare(c.text) for c in rows[0]] if rows else []
    for index, grid in enumerate(grids):
        if grid and [_bare(c.text) for c in grid[0]][:len(first)] == first:
            return grids.pop(index)
    return rows


def _bare(text: str) -> str:
    """Text without any spaces or line breaks: trafilatura drops some <br> that the page's grid keeps."""
    return "".join(text.split())


def _page_blocks(tree: lxml.html.HtmlElement) -> list[Block]:
    """Every block of the page (or of one element of it) in order, for pages where no article stands out."""
    body = tree.find("body")
    blocks: list[Block] = []
    buffer: list[str] = []

    def flush(kind: str = "paragraph") -> None:
        text = "\n".join(" ".join(l.split()) for l in "".join(buffer).split("\n")).strip()
        if text:
            blocks.append(Block(kind, text=text))
        buffer.clear()

    def walk(element: lxml.html.HtmlElement) -> None:
        if element.tag == "table":
            flush()
            blocks.append(Block("table", rows=_grid(element)))
        elif element.tag == "br":
            buffer.append("\n")
        elif element.tag in BLOCK_TAGS:
            flush()
            buffer.append(_flowing(element.text, element))
            for child in element:
                walk(child)
                buffer.append(_flowing(child.tail, element))
            flush("heading" if element.tag in HEADING_TAGS else "paragraph")
        else:
            buffer.append(_flowing(element.text, element))
            for child in element:
                walk(child)
                buffer.append(_flowing(child.tail, element))
    walk(body if body is not None else tree)
    flush()
    return blocks


def _flowing(text: str | None, element: lxml.html.HtmlElement) -> str:
    """A text node as a browser shows it: the line breaks of the page's source are spaces (only <br> breaks a line),
    except in preformatted text."""
    return (text or "") if element.tag == "pre" else (text or "").replace("\n", " ")
