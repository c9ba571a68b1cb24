"""From a document's text to its graph: pick the genre's reader, collect the facts."""

from __future__ import annotations

from graph.model import DocumentGraph
from ingest.builder import GraphBuilder
from ingest.dates import full_dates
from ingest.localities import reading
from ingest.news import read_news
from ingest.normalize import clean
from ingest.plan import is_plan, read_plan

HEADER_LINES = 40  # a plan's place-and-date line and a news page's publication date stand in its head


def written_on(text: str) -> str | None:
    """The document's date: the first day-precise date in its head (ISO), or None."""
    dated = full_dates("\n".join(text.split("\n")[:HEADER_LINES]))
    return dated[0][1] if dated else None


def extract(document: str, text: str, sha256: str) -> tuple[DocumentGraph, list[str]]:
    """The graph of one document (plans and news articles), and warnings about parts not read.

    Locality names are read as of the document's date (see ``ingest.localities.reading``)."""
    cleaned = clean(text)
    builder = GraphBuilder(document)
    with reading(written_on(cleaned), cleaned):
        builder.guarded(read_plan if is_plan(cleaned) else read_news, builder, cleaned)
    return builder.build(sha256), builder.warnings
