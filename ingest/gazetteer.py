"""The gazetteer: every Vietnamese administrative unit of both periods, read from vietnamadminunits.

Before 1 July 2025: 63 provinces, their districts and their communes (xã, phường, thị trấn).
From 1 July 2025: 34 provinces and their communes (xã, phường, đặc khu); no district level.
Codes, names and coordinates come from the package's SQLite (``admin_units_legacy`` and
``admin_units``); succession comes from its conversion table (``converter_2025.json``): each
former commune names the new commune(s) that took its area, and each former province the
new province. A former district's successors are the new communes its communes went to.

Nothing here is typed by hand except the one renaming the package's snapshot does not show
(``data/former_locality_names.csv``). The gazetteer is built on first use and cached: the
command line does not pay for it unless a document is read.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from graph.text import strip_marks
from ingest.vocab import table

BEFORE = "before-2025"
AFTER = "from-2025"
REORGANISED = "2025-07-01"  # the day the 34 provinces and the new communes took effect
LAST_DAY_BEFORE = "2025-06-30"
NEW_ID_PREFIX = "loc:2025-"
# the type words a unit's name is written after in prose ('tỉnh Đắk Nông', 'xã Quảng Tân'); 'Quận' and 'Thành phố'
# are written in capitals as part of the name the package gives ('Quận 3', 'Thành phố Huế')
UNIT_TYPE_WORDS = ("Tỉnh", "Huyện", "Thị xã", "Xã", "Phường", "Thị trấn", "Đặc khu")


WORD = re.compile(r"\w+(?:['’]\w+)?")  # "H'Leo", also typeset "R’Lấp"


def words(text: str) -> list[re.Match[str]]:
    """The words of a text ("H'leo" is one word)."""
    return list(WORD.finditer(text))


@lru_cache(maxsize=65536)  # a document repeats its words: each is folded once
def word_key(word: str) -> str:
    return strip_marks(word).lower().replace("’", "'")


def name_key(name: str) -> str:
    """How a name is looked up: its words without marks, lower case ('Xã Ea H'leo' → "xa ea h'leo")."""
    return " ".join(word_key(m.group()) for m in words(name))


@dataclass(frozen=True)
class Unit:
    """An administrative unit of one period, as the package lists it."""

    node_id: str
    code: str
    level: str  # province | district | commune
    name: str  # official name with its type word: "Tỉnh Đắk Nông", "Huyện Tuy Đức", "Phường Bến Thành"
    short: str
    type_word: str
    province_code: str
    latitude: float | None
    longitude: float | None
    period: str = BEFORE
    parent_id: str | None = None
    successor_code: str | None = None  # the 2025 province this unit's area belongs to
    successor_name: str | None = None

    @property
    def in_running_text(self) -> str:
        """How prose names the unit: 'tỉnh Đắk Nông', 'huyện Tuy Đức', 'xã Quảng Tân', 'Quận 3', 'Phường 9'."""
        if self.type_word in UNIT_TYPE_WORDS and not self.short[0].isdigit() and not self.numbered:
            # the package tells a town from the district of the same name in its short name ('Kỳ Anh (Thị xã)');
            # the type word written before it already says so
            short = self.short.removesuffix(f" ({self.type_word})")
            return f"{self.type_word.lower()} {short}"
        return self.name

    @property
    def numbered(self) -> bool:
        """Whether the unit's own name is a type word and a number ('Phường 9', 'Quận 3'): the package gives
        such a short name with its type word (sometimes another unit's type, a ward filed as 'Xã'), and prose
        writes it alone, never 'phường Phường 9'. 'Phường Đúc' is a ward's name, not a number: 'phường Phường Đúc'."""
        return any(self.short.startswith(f"{t} ") and self.short[len(t) + 1].isdigit()
                   for t in (*UNIT_TYPE_WORDS, "Quận", "Thành phố"))

    @property
    def valid_from(self) -> str | None:
        return REORGANISED if self.period == AFTER else None

    @property
    def valid_until(self) -> str | None:
        return LAST_DAY_BEFORE if self.period == BEFORE else None


@dataclass
class Gazetteer:
    """Units by node id and by folded name, with the succession between the two periods."""

    units: dict[str, Unit] = field(default_factory=dict)
    by_name: dict[str, list[Unit]] = field(default_factory=lambda: defaultdict(list))
    successors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    predecessors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    longest_name: int = 0  # the most words a name has ('phường Văn Miếu - Quốc Tử Giám': 6)

    def add(self, unit: Unit, *names: str) -> None:
        self.units[unit.node_id] = unit
        for name in dict.fromkeys(name_key(n) for n in names if n):
            self.by_name[name].append(unit)
            self.longest_name = max(self.longest_name, len(name.split()))

    def link(self, old_id: str, new_id: str) -> None:
        if new_id not in self.successors[old_id]:
            self.successors[old_id].append(new_id)
            self.predecessors[new_id].append(old_id)

    def count(self, level: str, period: str) -> int:
        """How many units of a level the gazetteer holds for a period."""
        return sum(1 for u in self.units.values() if u.level == level and u.period == period)


def _package_data() -> Path:
    """The package's data folder, found without importing the package: its ``__init__`` loads
    its address parsers (about a second) that the gazetteer does not use."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("vietnamadminunits is not installed (see pyproject.toml)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _query(sql: str) -> list[sqlite3.Row]:
    with sqlite3.connect(f"file:{_package_data() / 'dataset.db'}?mode=ro", uri=True) as connection:
        connection.row_factory = sqlite3.Row
        return connection.execute(sql).fetchall()


def _conversion() -> dict[str, Any]:
    return json.loads((_package_data() / "converter_2025.json").read_text("utf-8"))


def _province_type(name: str) -> str:
    return "Thành phố" if name.startswith("Thành phố") else name.split(" ")[0]


def _add_new_units(g: Gazetteer) -> tuple[dict[str, Unit], dict[tuple[str, str], Unit]]:
    """The 34 provinces and their communes; returns them by the package's keys (province key,
    and (province key, commune key))."""
    provinces: dict[str, Unit] = {}
    communes: dict[tuple[str, str], Unit] = {}
    for r in _query("SELECT province, provinceShort, provinceCode, provinceLat, provinceLon, provinceKey, ward, "
                    "wardShort, wardType, wardCode, wardLat, wardLon, wardKey FROM admin_units"):
        province = provinces.get(r["provinceKey"])
        if province is None:
            province = Unit(node_id=f"{NEW_ID_PREFIX}{r['provinceCode']}", code=r["provinceCode"], level="province",
                            name=r["province"], short=r["provinceShort"], type_word=_province_type(r["province"]),
                            province_code=r["provinceCode"], latitude=r["provinceLat"], longitude=r["provinceLon"],
                            period=AFTER)
            provinces[r["provinceKey"]] = province
            g.add(province, province.name, province.short)
        commune = Unit(node_id=f"{NEW_ID_PREFIX}{r['wardCode']}", code=r["wardCode"], level="commune",
                       name=r["ward"], short=r["wardShort"], type_word=r["wardType"], province_code=province.code,
                       latitude=r["wardLat"], longitude=r["wardLon"], period=AFTER, parent_id=province.node_id,
                       successor_code=province.code, successor_name=province.name)
        communes[(r["provinceKey"], r["wardKey"])] = commune
        g.add(commune, commune.name)
    return provinces, communes


def _add_old_units(g: Gazetteer, new_province_of: dict[str, Unit]) -> dict[str, Unit]:
    """The 63 provinces, their districts and communes; returns old units by the package's
    'province_district_commune' key (the district's own key ends with '_')."""
    former = {r["province_code"]: r for r in table("former_locality_names")}
    provinces: dict[str, Unit] = {}
    districts: dict[tuple[str, str], Unit] = {}
    by_key: dict[str, Unit] = {}
    for r in _query("SELECT province, provinceShort, provinceCode, provinceLat, provinceLon, provinceKey, district, "
                    "districtShort, districtType, districtCode, districtLat, districtLon, districtKey, ward, "
                    "wardShort, wardType, wardCode, wardLat, wardLon, wardKey FROM admin_units_legacy"):
        code, successor = r["provinceCode"], new_province_of[r["provinceKey"]]
        province = provinces.get(code)
        if province is None:
            renamed = former.get(code)
            name, short = (renamed["name"], renamed["short"]) if renamed else (r["province"], r["provinceShort"])
            province = Unit(node_id=f"loc:{code}", code=code, level="province", name=name, short=short,
                            type_word=_province_type(name), province_code=code, latitude=r["provinceLat"],
                            longitude=r["provinceLon"], successor_code=successor.code, successor_name=successor.name)
            provinces[code] = province
            g.add(province, name, short, r["province"], r["provinceShort"])
            g.link(province.node_id, successor.node_id)
        district = districts.get((code, r["districtCode"]))
        if district is None:
            district = Unit(node_id=f"loc:{code}-{r['districtCode']}", code=r["districtCode"], level="district",
                            name=r["district"], short=r["districtShort"], type_word=r["districtType"],
                            province_code=code, latitude=r["districtLat"], longitude=r["districtLon"],
                            parent_id=province.node_id, successor_code=successor.code, successor_name=successor.name)
            districts[(code, r["districtCode"])] = district
            g.add(district, district.name)
            by_key[f"{r['provinceKey']}_{r['districtKey']}_"] = district
        if r["wardCode"] is None:
            continue  # island districts without communes (they became special zones)
        commune = Unit(node_id=f"{district.node_id}-{r['wardCode']}", code=r["wardCode"], level="commune",
                       name=r["ward"], short=r["wardShort"], type_word=r["wardType"], province_code=code,
                       latitude=r["wardLat"], longitude=r["wardLon"], parent_id=district.node_id,
                       successor_code=successor.code, successor_name=successor.name)
        g.add(commune, commune.name)
        by_key[f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"] = commune
    for district in districts.values():
        # a city of a province was most often a town (thị xã) before its upgrade, and older documents call it
        # so ('thị xã X' for 'thành phố X'); only where no town keeps that name
        former = f"Thị xã {district.short}"
        if district.type_word == "Thành phố" and name_key(former) not in g.by_name:
            g.add(district, former)
    return by_key


def _link_communes(g: Gazetteer, old_by_key: dict[str, Unit], new_by_key: dict[tuple[str, str], Unit]) -> None:
    """Old commune → the new commune(s) that took its area; its district → the same communes."""
    conversion = _conversion()
    pairs: list[tuple[str, str, str]] = []  # (old key, new province key, new commune key)
    for province_key, communes in conversion["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        pairs += [(old, province_key, new) for new, olds in communes.items() for old in olds]
    for province_key, olds in conversion["DICT_PROVINCE_WARD_DIVIDED"].items():
        pairs += [(old, province_key, part["newWardKey"]) for old, parts in olds.items() for part in parts]
    for old_key, province_key, new_key in pairs:
        old, new = old_by_key.get(old_key), new_by_key.get((province_key, new_key))
        if old is None or new is None:
            continue
        g.link(old.node_id, new.node_id)
        if old.level == "commune" and old.parent_id:
            g.link(old.parent_id, new.node_id)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """All units of both periods with their succession links (built once, on first use)."""
    g = Gazetteer()
    new_provinces, new_communes = _add_new_units(g)
    new_province_of = {old: new_provinces[new] for new, olds in _conversion()["DICT_PROVINCE"].items()
                       if new in new_provinces for old in olds}
    old_by_key = _add_old_units(g, new_province_of)
    _link_communes(g, old_by_key, new_communes)
    return g


def unit(node_id: str) -> Unit:
    """The unit with this node id (KeyError if none)."""
    return gazetteer().units[node_id]


def parent(u: Unit) -> Unit | None:
    return gazetteer().units.get(u.parent_id) if u.parent_id else None


def ancestors(u: Unit) -> list[Unit]:
    """The unit's parent, its parent's parent, ... (a commune's district, then its province)."""
    found: list[Unit] = []
    current = parent(u)
    while current is not None:
        found.append(current)
        current = parent(current)
    return found


def province_of(u: Unit) -> Unit:
    """The province a unit lies in (itself for a province), in the unit's own period."""
    return u if u.level == "province" else ancestors(u)[-1]


def successors(u: Unit) -> list[Unit]:
    """The units of the new period that took this unit's area (none for a unit of the new period)."""
    return [unit(i) for i in gazetteer().successors.get(u.node_id, [])]


def predecessors(u: Unit) -> list[Unit]:
    """The units of the former period whose area went into this one (none for a former unit)."""
    return [unit(i) for i in gazetteer().predecessors.get(u.node_id, [])]
