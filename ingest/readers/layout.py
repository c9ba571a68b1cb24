"""Page layout shared by the PDF text layer and OCR: words to lines, lines to paragraphs and columns."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.document import Block, is_heading


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    segments: list[tuple[float, float, str]]  # (x0, x1, text) parts separated by column gaps
    first_word: float  # width of the line's first word


def lines_from_words(words: list[dict], column_gap: float, tolerance: float) -> list[Line]:
    """Words (dicts with text, x0, x1, top, bottom) grouped into lines, each line cut into
    parts where a gap wider than ``column_gap`` separates two columns. A word is on a line
    when its middle is within the line's height (a dash or a dot sits lower than letters)."""
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: ((w["top"] + w["bottom"]) / 2, w["x0"])):
        middle = (word["top"] + word["bottom"]) / 2
        row = rows[-1] if rows else None
        if row and min(w["top"] for w in row) - tolerance <= middle <= max(w["bottom"] for w in row) + tolerance:
            row.append(word)
        else:
            rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        segments: list[list[dict]] = [[row[0]]]
        for word in row[1:]:
            if word["x0"] - segments[-1][-1]["x1"] > column_gap:
                segments.append([])
            segments[-1].append(word)
        parts = [(s[0]["x0"], s[-1]["x1"], " ".join(w["text"] for w in s)) for s in segments]
        lines.append(Line(" ".join(p[2] for p in parts), row[0]["x0"], row[-1]["x1"], min(w["top"] for w in row),
                          max(w["bottom"] for w in row), parts, row[0]["x1"] - row[0]["x0"]))
    return lines


def text_blocks(lines: list[Line], number: int) -> list[tuple[float, Block]]:
    """Paragraphs and headings in reading order, each with the top of its first line.

    A line right under the line above continues its paragraph when its first word would
    not have fitted at the end of that line (the layout wrapped it there); lines with two
    parts start a two-column region, read left column then right."""
    if not lines:
        return []
    right = max(l.x1 for l in lines)
    height = sorted(l.bottom - l.top for l in lines)[len(lines) // 2]
    blocks: list[tuple[float, Block]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if len(line.segments) >= 2:
            end, columns = _columns(lines, index, height / 3)
            for column in columns:
                # the whole region sorts at its first line's place: its columns must not interleave again
                blocks += [(line.top, Block("paragraph", text=text, page=number, gap_before=i == 0))
                           for i, text in enumerate(column)]
            index = end
            continue
        previous = lines[index - 1] if index else None
        wrapped = (previous is not None and blocks and len(previous.segments) == 1
                   and previous.x1 + height / 2 + line.first_word >= right and line.top - previous.bottom < 0.6 * height)
        if wrapped:
            blocks[-1][1].text += " " + line.text
        else:
            blocks.append((line.top, Block("heading" if is_heading(line.text) else "paragraph", text=line.text,
                                           page=number)))
        index += 1
    return blocks


def _columns(lines: list[Line], start: int, tolerance: float) -> tuple[int, list[list[str]]]:
    """A two-column region from ``start``: its end and its columns' lines (left, right).
    It goes on while lines have two parts, or one part wholly left or wholly right of the split."""
    split = lines[start].segments[1][0]
    left: list[str] = []
    right: list[str] = []
    index = start
    right_only = False
    while index < len(lines):
        line = lines[index]
        if len(line.segments) >= 2:
            split = min(split, line.segments[1][0])
        elif not (line.x0 >= split - tolerance or line.x1 < split):
            break
        elif line.x1 < split and right_only:
            break  # a left line after the right column's last line (the signer's name): the region is over
        right_only = len(line.segments) == 1 and line.x0 >= split - tolerance
        for x0, _, text in line.segments:
            (right if x0 >= split - tolerance else left).append(text)
        index += 1
    return index, [left, right]
