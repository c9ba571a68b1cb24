"""Normalisation of document text: one Unicode form, one tone placement, no markup, full forms.

``clean`` keeps the document's words (quotes are taken from its output); ``expand`` also
spells out abbreviations (UBND, TP.HCM, Sở NN&PTNT) for the extractors.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from graph.text import (
    DATA,
    added_head,
    before_name,
    before_number,
    read_table,
    spell_before_name,
    written_pattern,
)

DASHES = dict.fromkeys(map(ord, "\u2013\u2014\u2012\u2212"), "-")


@lru_cache(maxsize=50_000)
def _tone_word(word: str) -> str:
    from underthesea import text_normalize

    fixed = text_normalize(word)
    return fixed if fixed.replace(" ", "") == fixed and len(fixed) == len(word) else word


def _tone(text: str) -> str:
    """New-style tone placement (Uỷ→Ủy, hoà→hòa) via underthesea, word by word (punctuation untouched)."""
    return re.sub(r"\w+", lambda m: _tone_word(m.group()) if not m.group().isascii() else m.group(), text)


def clean(raw: str) -> str:
    """NFC, LF line ends, no BOM, bold markers or HTML comments (hidden text is no evidence), plain
    dashes and spaces, modern tone placement."""
    text = unicodedata.normalize("NFC", raw).lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = HTML_COMMENT.sub("", text)
    text = text.translate(DASHES).replace("\u00a0", " ").replace("**", "")
    lines = [re.sub(r"[ \u200b]+", " ", line).strip(" ") for line in text.split("\n")]
    return "\n".join(_tone(line) if line else line for line in lines)


def _with_head(short: str, long: str, pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern, taking in the long form's added head when the text writes it just before the short form
    ('Trường ĐH X' is Trường Đại học X, not Trường Trường Đại học X): no other word is touched."""
    head = added_head(short, long)
    return re.compile(rf"(?<!\w)(?:{re.escape(head)}\s+)?{pattern.pattern}") if head else pattern


@lru_cache(maxsize=1)
def _abbreviation_patterns() -> list[tuple[str, re.Pattern[str], str]]:
    """(short form, its pattern, long form), longest short form first: each short form as written (case, whole
    words), one before a number only there (graph.text.written_pattern)."""
    rows = sorted((r for r in read_table(DATA / "abbreviations.csv") if not before_name(r)), key=lambda r: -len(r["short"]))
    return [(r["short"], written_pattern(r["short"], True), r["long"] + " ") if before_number(r)
            else (r["short"], _with_head(r["short"], r["long"], written_pattern(r["short"], False)), r["long"])
            for r in rows]


def as_written(expanded: str, original: str) -> str:
    """Words the extractors read spelled out ('Chủ tịch Hội đồng quản trị'), as the original text writes
    them ('Chủ tịch HĐQT'), when it writes them in short; else as they are."""
    if expanded in original:
        return expanded
    for short, _, long in _abbreviation_patterns():
        long = long.strip()
        if long in expanded and (written := expanded.replace(long, short)) in original:
            return written
    return expanded


@lru_cache(maxsize=1)
def _before_name_rows() -> list[tuple[str, str]]:
    """Abbreviations spelled out only before a capitalised name ("P. Bến Nghé" → "phường Bến Nghé")."""
    return [(r["short"], r["long"]) for r in read_table(DATA / "abbreviations.csv") if before_name(r)]


CITY_PREFIX = re.compile(r"(?<!\w)TP\.?\s*(?=[A-ZĐ][^\W\d_A-Z])")  # "TP. Thủ Đức", "TP.Buôn Ma Thuột"
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


# a document's number ('12/KH-UBND', '88/UBND-VX', '5/2024/QĐ-UBND'): its letters are codes, not words to spell out
DOCUMENT_NUMBER = re.compile(r"(\d+\s*/\s*(?:\d{4}\s*/\s*)?[A-ZĐ][A-ZĐ&]*(?:-[A-ZĐ][A-ZĐ&]*)*)(?![\w&])")


def expand(text: str, keep: frozenset[str] = frozenset()) -> str:
    """Spell out abbreviations from graph/data/abbreviations.csv (case-sensitive, whole words), but not the
    codes of a document's number, nor the short forms in ``keep`` ('BV', 'TP.'), which stay as written."""
    pieces = DOCUMENT_NUMBER.split(text)
    return "".join(piece if odd else _expand_keeping(piece, keep) for odd, piece in
                   ((i % 2 == 1, piece) for i, piece in enumerate(pieces)))


def _expand_keeping(text: str, keep: frozenset[str]) -> str:
    """``_expand`` on the text between the kept short forms, which stay as written; a longer short form written
    there ('TP. Hồ Chí Minh' over 'TP.') is not kept."""
    pieces, at = [], 0
    for match in _short_forms_pattern(keep).finditer(text) if keep else []:
        if match.group() in keep:
            pieces += [_expand(text[at:match.start()]), match.group()]
            at = match.end()
    return "".join(pieces) + _expand(text[at:])


def short_forms_in(text: str, keep: frozenset[str]) -> list[str]:
    """The short forms the text writes, of graph/data/abbreviations.csv and ``keep``, the longest where they
    overlap: 'TP.HCM' is the city's own short form, not 'TP.' before a name."""
    return [match.group() for match in _short_forms_pattern(keep).finditer(text)]


@lru_cache(maxsize=8)
def _short_forms_pattern(keep: frozenset[str]) -> re.Pattern[str]:
    """Every short form of the table and the kept ones, longest first, as whole words; one written without a dot is
    not the start of one written with it ('TP' in 'TP. Huế')."""
    shorts = sorted({r["short"] for r in read_table(DATA / "abbreviations.csv")} | keep, key=lambda s: -len(s))
    return re.compile("|".join(rf"(?<!\w){re.escape(s)}(?!\w)" + ("" if s.endswith(".") else r"(?!\.)")
                               for s in shorts))


def _expand(text: str) -> str:
    text = CITY_PREFIX.sub("Thành phố ", text)  # 'TP. Cần Thơ' before the word 'TP' alone, which would keep its dot
    for short, pattern, long in _abbreviation_patterns():
        if short in text:  # a pattern holds its short form: without it, the regex scan finds nothing
            text = pattern.sub(long, text)
    for short, long in _before_name_rows():  # a unit's type word, in running text's lower case
        text = spell_before_name(short, long.lower(), text)
    return text


SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZĐÀ-Ỹ\"“(])")
NOT_AN_END = ("TP.", "Tp.", "Q.", "P.", "X.", "TS.", "ThS.", "PGS.", "GS.", "BS.", "Th.S.", "TX.", "TT.", "CN.", "KS.")


def sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences (a capital starts a new one; 'TP. Hồ Chí Minh' is not an end)."""
    pieces: list[str] = []
    for piece in SENTENCE_END.split(paragraph):
        if pieces and pieces[-1].endswith(NOT_AN_END):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return [p.strip() for p in pieces if p.strip()]
