"""One reader per file type, all giving one structured document (``ingest.document.Document``).

The type is sniffed from the bytes (a PDF, a Word file or an image says what it is in its
first bytes), then from the name or the server's content type for web pages; anything else
is read as text. Each reader refuses what it cannot read with a BadDocument that says why.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ingest.document import Document

PageProgress = Callable[[int, int], None]  # (pages done, pages in all), for slow readers (OCR)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc (and other Office 97-2003 files)
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                        re.IGNORECASE | re.DOTALL)
HTML_NAMES = (".html", ".htm", ".xhtml")


def sniff(name: str, data: bytes, content_type: str = "") -> str:
    """The reader a file needs: pdf, docx, doc, image, html or text."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(OLE_MAGIC):
        return "doc"
    if data.startswith(IMAGE_MAGIC):
        return "image"
    if "html" in content_type or name.lower().endswith(HTML_NAMES) or HTML_START.match(data[:2048]):
        return "html"
    return "text"


def read_document(name: str, data: bytes, source: str | None = None, content_type: str = "",
                  on_page: PageProgress | None = None) -> Document:
    """The structured document in a file's bytes; BadDocument when it cannot be read."""
    # Imported here: the readers' libraries (pdfminer, lxml, PIL, numpy) load only when a file needs them,
    # and the reader modules import PageProgress from this package.
    from ingest.readers import html, ocr, pdf, text, word

    source = source or name
    kind = sniff(name, data, content_type)
    if kind == "pdf":
        return pdf.read_pdf(name, data, source, on_page)
    if kind == "docx":
        return word.read_docx(name, data, source)
    if kind == "doc":
        return word.read_doc(name, data, source)
    if kind == "image":
        return ocr.read_image(name, data, source)
    if kind == "html":
        return html.read_html(name, data, source)
    return text.read_text(name, data, source)
