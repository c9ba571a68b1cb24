"""Text folding shared by ingest and queries.

``fold`` turns what a person types and what a document prints into one comparable
form: no diacritics, lower case, abbreviations expanded, punctuation gone. Both sides
of every comparison go through it, so "TP.HCM", "TPHCM" and "Thành phố Hồ Chí Minh"
meet, and so do "Sở NN&PTNT" and "Sở Nông nghiệp và Phát triển nông thôn".

A short form of several letters without a dot ("UBND", "TPHCM") is a cluster of consonants that
no Vietnamese word is, so it is matched in the folded text, whatever its case: people type
"tphcm". A short form that ends with a dot or stands only before a number or a name ("H.",
"TT.", "Q5", "P. Bến Nghé") is a letter or two that folding would confuse with initials, an
hour ("8 h") or another abbreviation ("TT HĐND" is the standing committee, not a township):
it is matched on the text as written, with its dot ("TT." but not "TT", "H." but not the "h"
of "T.H" or "8 h sáng"), in any case as people type it ("Tx. Phu My", "q5") but for a lone
letter with a dot ("H."), and a quarter ("Q1/2024") is no district.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


def read_table(path: Path) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV data table, as dicts keyed by its header."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [dict(row) for row in csv.DictReader(handle)]


class _MarksRemoved(dict[int, int | None]):
    """``str.translate``'s table dropping the combining marks (category Mn) and keeping every other
    character, filled as characters are met: a character already met costs a look-up in C, not a
    call of ``unicodedata.category`` for each character (4% of ingest's CPU, folding new nodes' names)."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.category(chr(code)) == "Mn" else code
        self[code] = kept
        return kept


_MARKS_REMOVED = _MarksRemoved()


def strip_marks(text: str) -> str:
    """Remove Vietnamese diacritics; đ/Đ become d/D."""
    return unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D").translate(_MARKS_REMOVED)


def _bare(text: str) -> str:
    """Lower case, no marks, punctuation turned into single spaces."""
    return re.sub(r"[^0-9a-z]+", " ", strip_marks(text).lower()).strip()


def before_number(row: dict[str, str]) -> bool:
    """Whether an abbreviation row stands for its long form only before a number ("Q5", "P.3")."""
    return (row.get("followed_by") or "") == "number"


def written_pattern(short: str, numbered: bool, flags: int = 0) -> re.Pattern[str]:
    """A short form as a text writes it: whole, not inside a word; one that stands for its long form only
    before a number ("Q5", "Q.5", "Q 5") only there, and not before a quarter's year ("Q1/2024")."""
    if numbered:
        return re.compile(rf"(?<!\w){re.escape(short)}\s?(?=\d+(?!\d|\s*/\s*\d{{4}}))", flags)
    return re.compile(rf"(?<!\w){re.escape(short)}(?!\w)", flags)


def added_head(short: str, long: str) -> str:
    """The words a long form puts before those its short form abbreviates: 'Trường' of 'ĐH' (Trường Đại
    học), nothing for 'TP.HCM' (Thành phố Hồ Chí Minh), whose T is Thành's. A text that writes them just
    before the short form ('Trường ĐH') does not get them twice."""
    initial = strip_marks(short[:1]).lower()
    words = long.split()
    for number, word in enumerate(words):
        if strip_marks(word[:1]).lower() == initial:
            return " ".join(words[:number])
    return ""


def matched_as_written(row: dict[str, str]) -> bool:
    """Whether ``fold`` matches an abbreviation row on the text as written rather than folded: a short form
    read only before a number or a name, or ending with a dot (see the module's docstring)."""
    return before_number(row) or before_name(row) or row["short"].endswith(".")


def before_name(row: dict[str, str]) -> bool:
    """Whether an abbreviation row stands for its long form only before a capitalised name
    ("P. Bến Thành", not "P.GĐ"): read on the text as written, since folding loses the capital."""
    return (row.get("followed_by") or "") == "name"


def spell_before_name(short: str, long: str, text: str) -> str:
    """Spell out ``short`` before a proper name: capitalised words ("P. Bến Nghé", "X. Ia Grai"),
    not a title ("P. Giám đốc" is Phó Giám đốc) nor initials ("P.GĐ")."""
    if short not in text:  # the pattern holds the short form: without it, there is nothing to spell out
        return text

    def spelled(match: re.Match[str]) -> str:
        first, following = match.group(1), match.group(2)
        named = first[:1].isupper() and first[1:].islower() and (following is None or following[:1].isupper())
        return long + " " if named else match.group(0)
    return re.sub(rf"(?<![\w.]){re.escape(short)}\s*(?=(\w+)(?:[ \t]+(\w+))?)", spelled, text)


@lru_cache(maxsize=1)
def _before_a_name() -> list[tuple[str, str]]:
    return [(r["short"], r["long"]) for r in read_table(DATA / "abbreviations.csv") if before_name(r)]


def _typed_in_any_case(row: dict[str, str]) -> bool:
    """Whether ``fold`` matches a row written as-is in any case, as people type it ("q5", "Tx. Phu My"): all but
    a single letter with a dot, which in lower case is an hour ("lúc 8 h.")."""
    return before_number(row) or len(row["short"].rstrip(".")) > 1


@lru_cache(maxsize=1)
def _written_abbreviations() -> list[tuple[str, re.Pattern[str], str]]:
    """The rows ``fold`` matches on the text as written but for those before a name (``_before_a_name``):
    (short form in lower case, its pattern, long form), longest short form first: with its dot ("TT." is not
    the "TT" of "TT HĐND"), a letter before a number only there."""
    rows = [r for r in read_table(DATA / "abbreviations.csv") if matched_as_written(r) and not before_name(r)]
    return [(r["short"].lower(), written_pattern(r["short"], before_number(r), re.IGNORECASE if _typed_in_any_case(r) else 0),
             r["long"] + " " if before_number(r) else r["long"])
            for r in sorted(rows, key=lambda r: -len(r["short"]))]


@lru_cache(maxsize=1)
def _folded_abbreviations() -> list[tuple[str, re.Pattern[str], str]]:
    """Abbreviation rules in folded space (short form, its pattern, long form), longest short form first."""
    pairs: dict[str, tuple[str, str]] = {}
    for row in read_table(DATA / "abbreviations.csv"):
        if matched_as_written(row):
            continue  # _written_abbreviations, _before_a_name
        short, long = _bare(row["short"]), _bare(row["long"])
        if short and short != long:
            pairs.setdefault(short, (long, _bare(added_head(row["short"], row["long"]))))
    return [(s, re.compile(rf"(?<![0-9a-z]){_optional(head)}{re.escape(s)}(?![0-9a-z])"), long)
            for s, (long, head) in sorted(pairs.items(), key=lambda item: -len(item[0]))]


def _optional(head: str) -> str:
    """A pattern taking in a long form's added head written before its short form (folded: 'truong dh')."""
    return rf"(?:{re.escape(head)} )?" if head else ""


# Readers fold the same vocabulary and cell texts again and again (every title of the table
# for each row): remembering the folded form keeps a large table's ingest linear and fast.
@lru_cache(maxsize=16384)
def fold(text: str | None) -> str:
    """Fold text for comparison: no diacritics, lower case, abbreviations expanded.

    >>> fold("Sở NN&PTNT TP.HCM")
    'so nong nghiep va phat trien nong thon thanh pho ho chi minh'
    >>> fold("Q5") == fold("Q.5") == fold("Quận 5")
    True
    """
    text = text or ""
    for short, long in _before_a_name():
        text = spell_before_name(short, long, text)
    lowered = text.lower()
    for short, pattern, long in _written_abbreviations():
        if short in lowered:  # a pattern holds its short form: without it, the regex scan finds nothing
            text = pattern.sub(long, text)
    folded = _bare(text)
    for short, pattern, long in _folded_abbreviations():
        if short in folded:  # a pattern holds its short form: without it, the regex scan finds nothing
            folded = pattern.sub(long, folded)
    return re.sub(r"\s+", " ", folded).strip()


def tokens(text: str | None) -> list[str]:
    """The folded words of a text."""
    return fold(text).split()


def slug(text: str, limit: int = 80) -> str:
    """A readable id fragment: folded words joined by dashes."""
    return "-".join(tokens(text))[:limit].strip("-") or "x"
