"""Text folding shared by ingest and queries.

``fold`` turns what a person types and what a document prints into one comparable
form: no diacritics, lower case, abbreviations expanded, punctuation gone. Both sides
of every comparison go through it, so "TP.HCM", "TPHCM" and "Thành phố Hồ Chí Minh"
meet, and so do "Sở NN&PTNT" and "Sở Nông nghiệp và Phát triển nông thôn".
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


@lru_cache(maxsize=1)
def _folded_abbreviations() -> list[tuple[str, re.Pattern[str], str]]:
    """Abbreviation rules in folded space (short form, its pattern, long form), longest short form first."""
    pairs: dict[tuple[str, bool], str] = {}
    for row in read_table(DATA / "abbreviations.csv"):
        if before_name(row):
            continue  # read on the text as written (_before_a_name)
        short, long = _bare(row["short"]), _bare(row["long"])
        if short and short != long:
            pairs.setdefault((short, before_number(row)), long)
    ordered = sorted(pairs.items(), key=lambda item: -len(item[0][0]))
    return [(s, re.compile(rf"(?<![0-9a-z]){re.escape(s)} ?(?=[0-9])"), long + " ") if numbered
            else (s, re.compile(rf"(?<![0-9a-z]){re.escape(s)}(?![0-9a-z])"), long)
            for (s, numbered), long in ordered]


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
