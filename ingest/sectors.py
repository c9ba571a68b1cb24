"""Sectors of cooperation named in a text, mapped onto the sector table (ingest/data/sectors.csv)."""

from __future__ import annotations

import re

from graph.text import fold
from ingest.vocab import sectors

LIST_CUE = re.compile(r"lĩnh vực|gồm|bao gồm|như|hợp tác về", re.IGNORECASE)


def sectors_in(text: str) -> list[str]:
    """Canonical sectors whose words appear in the text, in order of appearance, each once."""
    folded = f" {fold(text)} "
    hits: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for alias, sector in sectors():
        for m in re.finditer(rf" {re.escape(alias)} ", folded):
            span = (m.start() + 1, m.end() - 1)  # the word boundaries' spaces are shared by neighbours
            if any(a < span[1] and span[0] < b for a, b in taken):
                continue
            taken.append(span)
            hits.append((m.start(), sector))
    return list(dict.fromkeys(s for _, s in sorted(hits)))


def sector_statements(sentence: str) -> list[str]:
    """Sectors a sentence states as fields of cooperation ('lĩnh vực ...', '... gồm: ...')."""
    match = LIST_CUE.search(sentence)
    if not match:
        return []
    return sectors_in(sentence[match.start():])
