"""From a structured document to its graph: pick the genre's reader, collect the facts."""

from __future__ import annotations

from dataclasses import replace

from graph.model import DocumentGraph
from ingest.builder import GraphBuilder
from ingest.dates import full_dates
from ingest.document import Cell, Document, PageFinder
from ingest.localities import reading
from ingest.news import read_news
from ingest.normalize import clean
from ingest.plan import is_plan, read_plan

HEADER_LINES = 40  # a plan's place-and-date line and a news page's publication date stand in its head


def written_on(text: str) -> str | None:
    """The document's date: the first day-precise date in its head (ISO), or None."""
    dated = full_dates("\n".join(text.split("\n")[:HEADER_LINES]))
    return dated[0][1] if dated else None


def clean_document(document: Document) -> Document:
    """The same document with every text normalised (``normalize.clean``): quotes are taken from it."""
    cleaned: dict[str, str] = {}  # a table repeats its cells (bodies, places, times) row after row

    def clean_once(text: str) -> str:
        if text not in cleaned:
            cleaned[text] = clean(text)
        return cleaned[text]

    blocks = [replace(b, text=clean_once(b.text),
                      rows=[[Cell(clean_once(c.text), c.anchor) for c in row] for row in b.rows])
              for b in document.blocks]
    return replace(document, blocks=blocks)


def extract(document: Document, sha256: str) -> tuple[DocumentGraph, list[str]]:
    """The graph of one document (plans and news articles), and warnings about parts not read.

    Locality names are read as of the document's date (see ``ingest.localities.reading``)."""
    cleaned = clean_document(document)
    text = cleaned.text()
    builder = GraphBuilder(document.name, locate=PageFinder(cleaned) if document.pages else None)
    with reading(written_on(text), text):
        builder.guarded(read_plan if is_plan(text) else read_news, builder, cleaned)
    return builder.build(sha256), [*document.warnings, *builder.warnings]
