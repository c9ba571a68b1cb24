"""Localities: finding Vietnamese administrative units in text, as of the document's date.

The units of both periods (before and from 1 July 2025) come from ``ingest.gazetteer``. A
name resolves to the unit that existed when the document was written: "tỉnh Lâm Đồng" in a
2024 plan is the former province, in a 2026 article the merged one; "huyện Tuy Đức" exists
only before, "đặc khu Phú Quốc" only after. A marker right after the name ("tỉnh Đắk Nông
cũ") overrides the date. The parent named right after a unit ("xã Quảng Tân, huyện Tuy
Đức") chooses among units of the same name, else the provinces the document names do;
a commune still ambiguous is left out.

Districts and communes are found only with their type word, written out or abbreviated
("huyện Lắk", "Quận 3", "P. Bến Thành", "X. Ia Grai": ``data/locality_abbreviations.csv``):
a bare name is too often an ordinary word, "Lắk" must never be read as "tỉnh Đắk Lắk", and
"phường Bắc Kạn" (a 2025 ward) is never the former province. Provinces are found with or
without their type word, when written with capitals.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache

from graph.text import fold, strip_marks
from ingest.gazetteer import (
    AFTER,
    BEFORE,
    REORGANISED,
    Unit,
    ancestors,
    gazetteer,
    name_key,
    predecessors,
    province_of,
    successors,
    word_key,
    words,
)
from ingest.normalize import expand
from ingest.vocab import honorifics, people_named_like_places, regions, surnames, table

__all__ = ["Mention", "Reading", "RegionMention", "Unit", "current_reading", "drop_qualifiers", "find_localities",
           "find_regions", "in_province", "phone_province", "province", "province_named", "province_of",
           "provinces_by_short", "reading"]

NAME_GAP = re.compile(r"[\s\-–.]*")  # between the words of one name: "Bà Rịa - Vũng Tàu", "TP. Thủ Đức"
REMEMBERED_TEXT_CHARS = 1000  # cells and sentences are remembered once read; whole documents are not kept
PARENT_WINDOW = 80  # characters after a name in which its parent is looked for ("xã X, huyện Y, tỉnh Z")


@dataclass(frozen=True)
class Mention:
    """A unit found in a text, with where it stands."""

    unit: Unit
    start: int
    end: int
    typed: bool  # written with its type word


@dataclass(frozen=True)
class RegionMention:
    region: str
    provinces: tuple[Unit, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Reading:
    """What a document's locality names are read against: its date, the provinces it names and the units
    below a province it names so that only one is meant ('xã X, huyện Y')."""

    as_of: str | None = None
    provinces: frozenset[str] = field(default_factory=frozenset)
    units: frozenset[str] = field(default_factory=frozenset)


_reading: ContextVar[Reading] = ContextVar("locality_reading", default=Reading())


@contextmanager
def reading(as_of: str | None, text: str = "") -> Iterator[Reading]:
    """Read locality names as of a document's date, with the provinces its text names as context.

    The date is a property of the whole document, and every reader step that meets a name
    needs it; a context variable carries it there without threading it through each call."""
    token = _reading.set(Reading(as_of))
    try:
        context = Reading(as_of, *_named_in(text)) if text else Reading(as_of)
        _reading.set(context)
        yield context
    finally:
        _reading.reset(token)


def _named_in(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """Ids of the provinces (of both periods) that the units named in the text lie in, and of the units
    below a province it names."""
    found: set[str] = set()
    below: set[str] = set()
    for mention in find_localities(expand(text)):
        home = province_of(mention.unit)
        found |= {home.node_id, *(u.node_id for u in successors(home) + predecessors(home))}
        if mention.unit.level != "province":
            below.add(mention.unit.node_id)
    return frozenset(found), frozenset(below)


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, list[str]]:
    """'P.' -> the folded words of its type word (['phuong'])."""
    return {r["abbreviation"]: name_key(r["type_word"]).split() for r in table("locality_abbreviations")}


@lru_cache(maxsize=1)
def _period_markers() -> list[tuple[str, str]]:
    """(folded marker, period), longest first."""
    rows = [(name_key(r["marker"]), r["period"]) for r in table("locality_period_markers")]
    return sorted(rows, key=lambda r: -len(r[0]))


def _words(text: str) -> list[tuple[str, int, int, bool]]:
    """(folded word, start, end, capitalised) for each word; an abbreviated type word ('P.')
    stands for its words, all spanning the abbreviation."""
    found: list[tuple[str, int, int, bool]] = []
    abbreviations = _abbreviations()
    for m in words(text):
        written = text[m.start():m.end() + 1]
        if written in abbreviations:
            found += [(w, m.start(), m.end() + 1, True) for w in abbreviations[written]]
        else:
            found.append((word_key(m.group()), m.start(), m.end(), m.group()[0].isupper()))
    return found


def _name_capitalised(unit: Unit, taken: list[tuple[str, int, int, bool]]) -> bool:
    """Whether the words of the name after its type word are capitalised or numbers ('xã hội' is not a commune,
    'huyện thống nhất' not a district)."""
    type_words = len(name_key(unit.type_word).split())
    return all(cap or w.isdigit() for w, _, _, cap in taken[type_words:])


def current_reading() -> Reading:
    """The date and provinces names are read against now (a key for caching what depends on them)."""
    return _reading.get()


CITY_BEFORE = re.compile(r"(?:\b[Tt][Pp]|[Tt]hành phố)\.?\s*$")


def find_localities(text: str) -> list[Mention]:
    """Units named in the text, left to right, longest name first at each place."""
    if len(text) > REMEMBERED_TEXT_CHARS:
        return list(_localities_in.__wrapped__(text, _reading.get()))
    return list(_localities_in(text, _reading.get()))


@lru_cache(maxsize=8192)
def _localities_in(text: str, context: Reading) -> tuple[Mention, ...]:
    """``find_localities`` once per text and reading (``context``, which ``_choose`` consults): a
    table repeats its cells row after row."""
    index = gazetteer().by_name
    taken = _words(text)
    breaks = [j for j in range(len(taken) - 1) if not NAME_GAP.fullmatch(text[taken[j][2]:taken[j + 1][1]])]
    found: list[Mention] = []
    prefixes = _name_prefixes()
    i = 0
    while i < len(taken):
        if taken[i][0] not in prefixes:  # no name begins with this word (most words of a document)
            i += 1
            continue
        following = bisect_left(breaks, i)  # the first break at or after this word
        to_break = breaks[following] + 1 - i if following < len(breaks) else len(taken) - i
        longest = min(gazetteer().longest_name, len(taken) - i, to_break)
        for n, key in _names_starting(taken, i, longest):
            units = index.get(key)
            if not units:
                continue
            span = taken[i:i + n]
            # 'xã hội' is no commune and 'hai huyện thống nhất' no district: a unit's name is capitalised
            units = [u for u in units if u.level == "province" or _name_capitalised(u, span)]
            unit = _choose(units, text, span[-1][2]) if units else None
            if unit is None:
                continue
            typed = unit.level != "province" or key.startswith(("tinh ", "thanh pho "))
            if unit.level == "province" and not typed and not all(cap for *_, cap in span):
                continue
            if not typed and _marks_left_off(unit, text, span[0][1], span[-1][2]):
                continue  # "bà Lê Thị Thanh Hoa" in a text written with its marks: a name, not the province Thanh Hóa
            if not typed and key in people_named_like_places() and not CITY_BEFORE.search(text[:span[0][1]]):
                continue  # "Chủ tịch Hồ Chí Minh", "tư tưởng Hồ Chí Minh": the person; the city is written with its type
            if unit.level == "commune" and _name_goes_on(text, span[-1][2]):
                break  # "xã Thanh Chương" read as "xã Thanh": a commune the gazetteer lacks, not a shorter one
            found.append(Mention(unit, span[0][1], span[-1][2], typed))
            i += n - 1
            break
        i += 1
    return tuple(found)


def _marks_left_off(unit: Unit, text: str, start: int, end: int) -> bool:
    """Whether a name written without its type is missing tone marks the unit's name has ('Thanh Hoa' for Thanh
    Hóa: a word with no mark at all where the unit's word has one) in a text written with marks elsewhere:
    then it is another word, most often a person's name. Spelling variants keep marks ('Đăk' for 'Đắk')."""
    written = text[start:end].split()
    own = unit.short.split()
    if len(written) != len(own) or not _has_marks(text[:start] + text[end:]):
        return False
    return any(not _has_marks(w) and _has_marks(o) for w, o in zip(written, own))


def _has_marks(text: str) -> bool:
    """Whether a text has Vietnamese letters with marks (đ, ă, â, ê, ô, ơ, ư or a tone)."""
    return strip_marks(text) != text


NEXT_WORD = re.compile(r" (\w+)")


def _name_goes_on(text: str, end: int) -> bool:
    """Whether a capitalised word follows a commune's name in the same run, one that starts no
    place name and is no surname or honorific (which begin the person a title names: "Chủ tịch UBND
    xã X Nguyễn Văn A"): then the commune's name goes on beyond what the gazetteer knows."""
    word = NEXT_WORD.match(text, end)
    if word is None or not word.group(1)[0].isupper():
        return False
    written = word.group(1)
    return (written not in surnames() and written not in honorifics()
            and word_key(written) not in _name_prefixes())


@lru_cache(maxsize=1)
def _name_prefixes() -> frozenset[str]:
    """The first word of every name, its first two words, and so on."""
    prefixes: set[str] = set()
    for key in gazetteer().by_name:
        parts = key.split(" ")
        prefixes.update(" ".join(parts[:m]) for m in range(1, len(parts) + 1))
    return frozenset(prefixes)


def _names_starting(taken: list[tuple[str, int, int, bool]], i: int, longest: int) -> list[tuple[int, str]]:
    """(n, name) for the runs of at most ``longest`` words from word ``i`` that are names, longest
    first. Words are added while they still begin some name, so a text is read in one pass."""
    prefixes, index = _name_prefixes(), gazetteer().by_name
    found: list[tuple[int, str]] = []
    key = taken[i][0]
    for n in range(1, longest + 1):
        key = f"{key} {taken[i + n - 1][0]}" if n > 1 else key
        if key not in prefixes:
            break
        if index.get(key):
            found.append((n, key))
    return found[::-1]


def _parents_named_after(unit: Unit, after: str) -> int:
    """How many of the unit's parents are named in the folded text that follows it ('Tuy Đức'; 'Quận 1'
    in full, as a bare number names nothing)."""
    return sum(f" {fold(a.name if a.short.isdigit() else a.short)} " in after for a in ancestors(unit))


def _period_wanted(text: str, end: int) -> str:
    """The period a name is read in: a marker right after it ('cũ'), else the document's date."""
    following = " " + name_key(text[end:end + 30]) + " "
    for marker, period in _period_markers():
        if following.startswith(f" {marker} "):
            return period
    as_of = _reading.get().as_of
    return AFTER if as_of and as_of >= REORGANISED else BEFORE


# where an aside opens: a bracket, or a dash with spaces around it ('phường A – địa bàn trước đây thuộc B –')
ASIDE_OPEN = re.compile(r"\(|\s[-–]\s")


def in_history_aside(text: str, mention: Mention) -> bool:
    """Whether a place is named in an aside about the past ('phường A – địa bàn trước đây thuộc Q.3 –',
    'phường A (thuộc Q.3 cũ)'): a marker of the former period (locality_period_markers.csv) before it in the
    aside, or right after it. The aside tells where the unit lay; the place it names is history, not a party."""
    opened = [m for m in ASIDE_OPEN.finditer(text, 0, mention.start)
              if m.group() != "(" or ")" not in text[m.end():mention.start]]  # a closed bracket is over
    if not opened:
        return False
    inside = f" {name_key(text[opened[-1].end():mention.start])} "
    following = f" {name_key(text[mention.end:mention.end + 30])} "
    return any(period == BEFORE and (f" {marker} " in inside or following.startswith(f" {marker} "))
               for marker, period in _period_markers())


def _choose(units: list[Unit], text: str, end: int) -> Unit | None:
    """Pick among same-named units: the one whose parent is named right after (', tỉnh X'),
    else the one of the document's period, else the one in a province the document names, else the one
    the document names elsewhere with its parents. Same-named communes that none of these separates are
    left out (None)."""
    if len(units) == 1:
        return units[0]
    after = f" {fold(text[end:end + PARENT_WINDOW])} "  # folding spells out TP.HCM
    # 'xã X, huyện Y, tỉnh Z': the commune of that district, not another 'xã X' of the same province
    named = {u.node_id: _parents_named_after(u, after) for u in units}
    most = max(named.values())
    pool = [u for u in units if named[u.node_id] == most] if most else units
    period = _period_wanted(text, end)
    pool = [u for u in pool if u.period == period] or pool
    context = _reading.get()
    pool = [u for u in pool if province_of(u).node_id in context.provinces] or pool
    if len(pool) == 1:
        return pool[0]
    # 'UBND xã X' after 'xã X, huyện Y' (or 'huyện Y' alone) earlier in the document: the one it named so
    named = [u for u in pool if {u.node_id, *(a.node_id for a in ancestors(u) if a.level != "province")} & context.units]
    if len(named) == 1:
        return named[0]
    if all(u.level == "commune" for u in pool):
        return None
    return next((u for u in pool if u.level == "province"), pool[0])


@lru_cache(maxsize=1)
def provinces_by_short() -> dict[str, Unit]:
    """Folded province short name -> province (the former 63; a 2025 province keeps a former name)."""
    found: dict[str, Unit] = {}
    for unit in sorted(gazetteer().units.values(), key=lambda u: u.period != BEFORE):
        if unit.level == "province":
            found.setdefault(fold(unit.short), unit)
    return found


def province_named(name: str) -> Unit:
    """The former province a name (short or official) stands for."""
    return next(u for u in gazetteer().by_name[name_key(name)] if u.level == "province" and u.period == BEFORE)


@lru_cache(maxsize=1)
def _area_codes() -> dict[str, Unit]:
    """Landline area code -> former province (phone_area_codes.csv, the numbering plan in force since 2017)."""
    return {row["code"]: province_named(row["province"]) for row in table("phone_area_codes")}


def phone_province(phone: str | None) -> Unit | None:
    """The former province a landline's area code names ('0262 381 0070' → Đắk Lắk); None for a mobile number
    or a number without an area code: a mobile says nothing of where its holder works."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) != 11 or not digits.startswith("02"):
        return None
    return _area_codes().get(digits[1:3]) or _area_codes().get(digits[1:4])


def in_province(unit: Unit, former: Unit) -> bool:
    """Whether a unit lies in a former province (a 2025 unit: in the province that took it over)."""
    return unit.province_code in {former.province_code, former.successor_code if unit.period == AFTER else None}


def province(code: str) -> Unit:
    """The former (pre-2025) province with this code."""
    return gazetteer().units[f"loc:{code}"]


def find_regions(text: str) -> list[RegionMention]:
    """Regions (vùng Tây Nguyên, ...) named in the text, with their member provinces."""
    folded_text = " ".join(w for w, *_ in _words(text))
    found = []
    for name, aliases, members in regions():
        for alias in sorted(aliases, key=len, reverse=True):
            match = re.search(rf"(?<![a-z0-9]){re.escape(alias)}(?![a-z0-9])", folded_text)
            if match:
                units = tuple(province_named(m) for m in members)
                start = _char_offset(text, match.start(), folded_text)
                found.append(RegionMention(name, units, start, start + len(alias)))
                break
    return found


def _char_offset(text: str, folded_pos: int, folded_text: str) -> int:
    """The character position in text of the word at folded_pos in the folded word string."""
    word_index = folded_text[:folded_pos].count(" ")
    taken = _words(text)
    return taken[word_index][1] if word_index < len(taken) else len(text)


def _is_parent_of(written: Unit, unit: Unit) -> bool:
    """Whether a unit written after another is one of its parents, or the same province in the other
    period ('xã X, tỉnh Y' in 2025, where the gazetteer knows xã X only under the older tỉnh Y)."""
    parents = ancestors(unit)
    return written in parents or any(written in successors(p) + predecessors(p) for p in parents if p.level == "province")


def drop_qualifiers(mentions: list[Mention], text: str) -> list[Mention]:
    """Remove the parents written right after a unit ('Quận 10, Thành phố Hồ Chí Minh',
    'xã Quảng Tân, huyện Tuy Đức, tỉnh Đắk Nông'): they say where it is, they are not parties."""
    kept: list[Mention] = []
    chain_end = 0  # where the last unit or its last written parent ends
    for mention in mentions:
        previous = kept[-1] if kept else None
        if (previous is not None and _is_parent_of(mention.unit, previous.unit)
                and re.fullmatch(r"[\s,(\-]*", text[chain_end:mention.start])):
            chain_end = mention.end
            continue
        kept.append(mention)
        chain_end = mention.end
    return kept
