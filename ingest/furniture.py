"""Page furniture: keep the article, drop menus, sidebars, comments and repeated paragraphs.

Only the article is evidence. A cut marker ("Bài liên quan", "Bình luận", ...) ends the
article once it has begun (a paragraph long enough to be prose has been seen); before
that it is only a line to skip. Repeated paragraphs count once.
"""

from __future__ import annotations

from graph.text import fold
from ingest.vocab import furniture

PROSE_WORDS = 12  # a line this long is article text, not a menu entry


def _action(line: str) -> str | None:
    folded = fold(line)
    for pattern, action in furniture():
        if pattern.endswith("*") and folded.startswith(pattern[:-1].strip()):
            return action
        if folded == pattern:
            return action
    return None


def _is_media_file(line: str) -> bool:
    lowered = line.lower().strip()
    return " " not in lowered and lowered.endswith((".jpg", ".jpeg", ".png", ".gif", ".webp"))


def article_lines(lines: list[str]) -> list[str]:
    """The article's lines, furniture removed, each repeated paragraph kept once."""
    kept: list[str] = []
    seen: set[str] = set()
    begun = False
    for line in lines:
        action = _action(line) if line.strip() else None
        if action == "cut_after" and begun:
            break
        if action is not None or _is_media_file(line):
            continue
        key = fold(line)
        if key and len(key.split()) >= 4:
            if key in seen:
                continue
            seen.add(key)
        begun = begun or len(line.split()) >= PROSE_WORDS
        kept.append(line)
    return kept
