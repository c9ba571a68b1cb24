"""Localities: the gazetteer of Vietnamese administrative units and finding them in text.

Units, codes, coordinates and the 2025 successor provinces come from the maintained
``vietnamadminunits`` package (its offline SQLite of the 63 provinces and their districts,
and its 63→34 province mapping). We chose it because it ships both the pre-2025 units the
documents name and the 2025 conversion, with coordinates, and needs no network.

Districts are found only with their type word ("huyện Lắk", "Quận 3"): a bare district
name is too often an ordinary word, and "Lắk" must never be read as "tỉnh Đắk Lắk".
Provinces are found with or without it, when written with capitals.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from graph.text import fold, strip_marks
from ingest.vocab import regions, table

PROVINCE_TYPES = ("Tỉnh", "Thành phố")
WORD = re.compile(r"\w+(?:'\w+)?")


@dataclass(frozen=True)
class Unit:
    """An administrative unit as the package lists it (pre-July-2025 units)."""

    node_id: str
    code: str
    level: str  # province | district
    name: str  # official name with its type word: "Tỉnh Đắk Nông", "Huyện Tuy Đức", "Quận 3"
    short: str
    type_word: str
    province_code: str
    latitude: float | None
    longitude: float | None
    successor_code: str | None = None
    successor_name: str | None = None

    @property
    def in_running_text(self) -> str:
        """How prose names the unit: 'tỉnh Đắk Nông', 'huyện Tuy Đức', 'Thành phố Hồ Chí Minh', 'Quận 3'."""
        if self.type_word in ("Tỉnh", "Huyện", "Thị xã") and not self.short[0].isdigit():
            return f"{self.type_word.lower()} {self.short}"
        return self.name


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


def _successors() -> dict[str, tuple[str, str]]:
    """Legacy province key -> (new province code, new province name), from the package's 2025 mapping."""
    from vietnamadminunits.database import query

    mapping = json.loads(resources.files("vietnamadminunits").joinpath("data/converter_2025.json").read_text("utf-8"))
    new = {r["provinceKey"]: (r["provinceCode"], r["province"])
           for r in query("SELECT DISTINCT provinceKey, provinceCode, province FROM admin_units")}
    return {old: new[key] for key, olds in mapping["DICT_PROVINCE"].items() if key in new for old in olds}


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, list[Unit]]:
    """Folded surface form -> units it may name (provinces by name and short name, districts by name)."""
    from vietnamadminunits.database import query

    successors = _successors()
    former = {r["province_code"]: r for r in table("former_locality_names")}
    index: dict[str, list[Unit]] = {}
    provinces: dict[str, Unit] = {}
    rows = query("SELECT DISTINCT province, provinceShort, provinceCode, provinceLat, provinceLon, provinceKey "
                 "FROM admin_units_legacy")
    for r in rows:
        code = r["provinceCode"]
        name, short = r["province"], r["provinceShort"]
        if code in former:
            name, short = former[code]["name"], former[code]["short"]
        succ = successors.get(r["provinceKey"])
        unit = Unit(node_id=f"loc:{code}", code=code, level="province", name=name, short=short,
                    type_word=name.split(" ")[0] if not name.startswith("Thành phố") else "Thành phố",
                    province_code=code, latitude=r["provinceLat"], longitude=r["provinceLon"],
                    successor_code=succ[0] if succ else None, successor_name=succ[1] if succ else None)
        provinces[code] = unit
        for form in {name, short, r["province"], r["provinceShort"]}:
            index.setdefault(fold(form), []).append(unit)
    rows = query("SELECT DISTINCT district, districtShort, districtType, districtCode, districtLat, districtLon, "
                 "provinceCode FROM admin_units_legacy")
    for r in rows:
        province = provinces[r["provinceCode"]]
        unit = Unit(node_id=f"loc:{province.code}-{r['districtCode']}", code=r["districtCode"], level="district",
                    name=r["district"], short=r["districtShort"], type_word=r["districtType"],
                    province_code=province.code, latitude=r["districtLat"], longitude=r["districtLon"],
                    successor_code=province.successor_code, successor_name=province.successor_name)
        index.setdefault(fold(r["district"]), []).append(unit)
    return index


@lru_cache(maxsize=1)
def provinces_by_short() -> dict[str, Unit]:
    """Folded province short name -> province."""
    return {fold(u.short): u for units in gazetteer().values() for u in units if u.level == "province"}


def province_named(name: str) -> Unit:
    """The province a name (short or official) stands for."""
    return next(u for u in gazetteer()[fold(name)] if u.level == "province")


def province(code: str) -> Unit:
    """The province with this code."""
    return next(u for u in provinces_by_short().values() if u.code == code)


def _words(text: str) -> list[tuple[str, int, int, bool]]:
    """(folded word, start, end, capitalised) for each word of the text."""
    return [(strip_marks(m.group()).lower(), m.start(), m.end(), m.group()[0].isupper()) for m in WORD.finditer(text)]


MAX_WORDS = 6


def find_localities(text: str) -> list[Mention]:
    """Units named in the text, left to right, longest name first at each place."""
    index = gazetteer()
    words = _words(text)
    found: list[Mention] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            key = " ".join(w for w, *_ in words[i:i + n])
            units = index.get(key)
            if not units:
                continue
            unit = _choose(units, text, words[i + n - 1][2])
            typed = unit.level == "district" or key.startswith(("tinh ", "thanh pho "))
            if unit.level == "province" and not typed and not all(cap for *_, cap in words[i:i + n]):
                continue
            found.append(Mention(unit, words[i][1], words[i + n - 1][2], typed))
            i += n - 1
            break
        i += 1
    return found


def _choose(units: list[Unit], text: str, end: int) -> Unit:
    """Pick among same-named units: the one whose province is named right after (', tỉnh X')."""
    if len(units) == 1:
        return units[0]
    after = fold(text[end:end + 60])
    for unit in units:
        if unit.level == "district" and fold(province(unit.province_code).short) in after:
            return unit
    provinces = [u for u in units if u.level == "province"]
    return provinces[0] if provinces else units[0]


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
    words = list(WORD.finditer(text))
    return words[word_index].start() if word_index < len(words) else len(text)


def drop_qualifiers(mentions: list[Mention], text: str) -> list[Mention]:
    """Remove a province written right after one of its districts ('Quận 10, Thành phố Hồ Chí Minh')."""
    kept: list[Mention] = []
    for mention in mentions:
        previous = kept[-1] if kept else None
        gap = text[previous.end:mention.start] if previous else ""
        if (previous is not None and mention.unit.level == "province" and previous.unit.level == "district"
                and previous.unit.province_code == mention.unit.code and re.fullmatch(r"[\s,(\-]*", gap)):
            continue
        kept.append(mention)
    return kept
