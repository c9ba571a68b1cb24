"""From a document's text to its graph: pick the genre's reader, collect the facts."""

from __future__ import annotations

from graph.model import DocumentGraph
from ingest.builder import GraphBuilder
from ingest.news import read_news
from ingest.normalize import clean
from ingest.plan import is_plan, read_plan


def extract(document: str, text: str, sha256: str) -> tuple[DocumentGraph, list[str]]:
    """The graph of one document (plans and news articles), and warnings about parts not read."""
    cleaned = clean(text)
    builder = GraphBuilder(document)
    builder.guarded(read_plan if is_plan(cleaned) else read_news, builder, cleaned)
    return builder.build(sha256), builder.warnings
