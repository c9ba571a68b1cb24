"""Organizations named in text: their kind, the locality they serve, their acronym.

"Sở Y tế tỉnh Đắk Nông" and "Sở Y tế Thành phố Hồ Chí Minh" are two organizations: the
locality is part of who they are. A name without a locality belongs to the locality the
context gives (the plan's issuer for its own bodies, the partner for the contact column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graph.model import stable_id
from graph.text import DATA as GRAPH_DATA
from graph.text import fold, read_table, strip_marks
from ingest.localities import Reading, Unit, current_reading, drop_qualifiers, find_localities, province, province_of
from ingest.normalize import clean, expand, short_forms_in
from ingest.vocab import (
    DATA,
    collective_phrases,
    honorifics,
    names_with_breaks,
    organization_heads,
    rank_words,
    several_bodies,
    surnames,
)

BARE_UNIT = re.compile(r"\s+(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s*$", re.IGNORECASE)
PROVINCE_WORDS = ("tỉnh", "thành phố")
COMMUNE_WORDS = ("xã", "phường", "thị trấn")
TRAILING_NOTE = re.compile(r"\s*\((?:b/c|để b/c|để biết|t/h|thực hiện)\)\s*$", re.IGNORECASE)
# "Giám đốc Bệnh viện X và đại diện Sở Y tế Y": the attendees named next are no part of the body's name
NEXT_ATTENDEES = re.compile(r"\s+(?:và|cùng)\s+(?:đại\s+diện|lãnh\s+đạo)\b.*$", re.IGNORECASE | re.DOTALL)
PARENTHESIS = re.compile(r"\s*\(([^()]*)\)")
ACRONYM = re.compile(r"\(([A-Z][A-Z0-9&\-]{1,14})\)")


@dataclass(frozen=True)
class OrgRef:
    """An organization as a document names it, resolved to its locality."""

    body: str  # the name without its locality: "Sở Y tế", "Ủy ban nhân dân"
    category: str
    locality: Unit | None
    acronym: str | None = None
    parent: OrgRef | None = None  # "Trung tâm X - Sở Y": the body it belongs to
    proper_name: bool = False  # the body's name holds its place ("Bệnh viện Trung ương Huế"): shown as written

    @property
    def name(self) -> str:
        """The body with its locality for public bodies ('Sở Y tế tỉnh Đắk Nông'); enterprises as written."""
        if self.locality is None or not _named_with_locality(self.category) or self.proper_name:
            return self.body
        return f"{self.body} {self.locality.in_running_text}"

    @property
    def node_id(self) -> str:
        return stable_id("org", fold(self.body), self.locality.node_id if self.locality else "")


@lru_cache(maxsize=1)
def _categories_named_with_locality() -> frozenset[str]:
    rows = read_table(GRAPH_DATA / "organization_categories.csv")
    return frozenset(r["category"] for r in rows if r["named_with_locality"] == "yes")


def _named_with_locality(category: str) -> bool:
    return category in _categories_named_with_locality()


@lru_cache(maxsize=1)
def _acronyms() -> dict[str, tuple[str, str]]:
    return {r["acronym"]: (r["name"], r["province_code"]) for r in read_table(GRAPH_DATA / "organization_acronyms.csv")}


def head_of(text: str) -> tuple[str, str] | None:
    """(head words, category) when the text starts like an organization's name."""
    folded = fold(text)
    if is_rank(text):
        return None  # "viên chức" folds like "Viện": a rank, not a body
    for head, category in organization_heads():
        key = fold(head)
        if (folded == key or folded.startswith(key + " ")) and not _other_marks(text, head):
            return head, category
    return None


def _other_marks(text: str, head: str) -> bool:
    """Whether the text's first words carry marks other than the head's: 'sơ kết' is no 'Sở', 'viên' no 'Viện'
    (they fold alike). A word written with no marks at all ('Vien') is the head typed without them; old tone
    placement ('Uỷ') and initials ('UBND') are the head too."""
    return any(fold(w) == fold(h) and strip_marks(w) != w and clean(w).lower() != clean(h).lower()
               for w, h in zip(text.split(), head.split()))  # initials ('ĐH' for 'Đại học') fold to other words


def is_rank(text: str) -> bool:
    """'viên chức', 'chuyên viên': a civil servant's rank or status, written where a body could stand."""
    folded = fold(text)
    return any(folded == w or folded.startswith(w + " ") for w in rank_words())


def is_collective(text: str) -> bool:
    """'các Sở, Ban, ngành ...', 'các đơn vị có liên quan': a group, not one organization."""
    folded = fold(text)
    return any(folded.startswith(p) for p in collective_phrases())


def parse_org(text: str, default_locality: Unit | None) -> OrgRef | None:
    """An organization from its name as written, or None when the text does not name one."""
    return _org_named(text, default_locality, current_reading())


@lru_cache(maxsize=8192)
def _org_named(text: str, default_locality: Unit | None, context: Reading) -> OrgRef | None:
    """``parse_org`` once per text, default locality and reading (``context``, which finding
    localities consults): a table names the same bodies row after row."""
    text = TRAILING_NOTE.sub("", expand(text).strip(" ;,.:-"))
    text = _without_repeated_name(text)
    if not text or is_collective(text) or several_bodies().search(text):
        return None  # 'các sở, ngành', 'UBND hai huyện': a group, not one body to lead or sign
    text = NEXT_ATTENDEES.sub("", text)
    if acronym := ACRONYM.search(text):
        known = _acronyms().get(acronym.group(1))
        if known:
            return _from_acronym(acronym.group(1), *known)
        text = (text[:acronym.start()] + text[acronym.end():]).strip()
    head = head_of(text)
    if head is None and (unit_and_parent := re.match(r"(.+?)\s+-\s+(.+)$", text)) and head_of(unit_and_parent.group(2)):
        # "Trường X - ĐH Cần Thơ": a unit whose own kind is not known belongs to the known body after the dash
        return parse_org(unit_and_parent.group(2), default_locality)
    if head is None:
        known = _acronyms().get(text.strip())
        return _from_acronym(text.strip(), *known) if known else None
    if (named := re.match(r"(.+?)\s+-\s+(\S+(?:\s\S+){0,2})$", text)) and named.group(2).isascii():
        # "Liên hiệp HTX Thương mại TP.HCM - Saigon Co.op": a Latin-script short name after the dash is an alias
        org = parse_org(named.group(1), default_locality)
        return OrgRef(org.body, org.category, org.locality, org.acronym or named.group(2), org.parent) if org else None
    if (unit_and_parent := re.match(r"(.+?)\s+-\s+(.+)$", text)) and head_of(unit_and_parent.group(2)):
        parent = parse_org(unit_and_parent.group(2), default_locality)
        child = parse_org(unit_and_parent.group(1), parent.locality if parent else default_locality)
        if child is not None and parent is not None:
            return OrgRef(child.body, child.category, child.locality, child.acronym, parent=parent)
    if head[1] == "Department" and default_locality is not None:
        default_locality = province_of(default_locality)  # a Sở belongs to a province
    body, locality = _split_locality(text, default_locality)
    if not body:
        return None
    national = fold(body).endswith(_national_markers())
    if not _named_with_locality(head[1]) or national:
        body = _tidy(text)  # enterprises, other and national bodies keep the name they go by
        if locality is not None and not national and BARE_UNIT.search(text):
            # "Liên đoàn Lao động tỉnh" where the context names the province: the name it goes by in full
            body = _tidy(f"{BARE_UNIT.sub('', text)} {locality.in_running_text}")
    return OrgRef(body=body, category=head[1], locality=locality, acronym=acronym.group(1) if acronym else None,
                  proper_name=national and locality is not None)


@lru_cache(maxsize=1)
def _short_forms_shown() -> dict[str, bool]:
    """Short form → whether a shown name keeps it as its quote writes it (else the name is spelled out; an answer
    may add the written form, see ``answered_name``), from ingest/data/short_forms_shown.csv."""
    return {r["short"]: r["shown"] == "as written" for r in read_table(DATA / "short_forms_shown.csv")}


@lru_cache(maxsize=1)
def _short_forms_beside() -> frozenset[str]:
    """The short forms after which an answer shows the name spelled out with the quote's form in brackets
    ('Bệnh viện X (BV X)'), from the table's rows answered "both"."""
    return frozenset(r["short"] for r in read_table(DATA / "short_forms_shown.csv") if r["answered"] == "both")


@lru_cache(maxsize=1)
def _long_forms_shown() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(long form, the table's short forms for it), longest long form first. A short form written with the
    abbreviation's dot ('TP.') stands for what graph/data/abbreviations.csv spells out for it without one ('TP')."""
    longs: dict[str, list[str]] = {}
    for row in read_table(GRAPH_DATA / "abbreviations.csv"):
        for short in sorted(_short_forms_shown()):
            if short.rstrip(".") == row["short"]:
                longs.setdefault(row["long"], []).append(short)
    return tuple(sorted(((long, tuple(shorts)) for long, shorts in longs.items()), key=lambda item: -len(item[0])))


def shown_name(org: OrgRef, quote: str) -> str:
    """The body's name as the quote writes it: 'BV Đa khoa X', 'LĐLĐ tỉnh Y', 'Ủy ban MTTQ huyện Z' where the quote
    writes it with short forms ingest/data/short_forms_shown.csv keeps, the other short forms spelled out; the whole
    name spelled out where the quote writes it with a short form the table spells out ('TP.'), or not at all.
    The whole name as written; else its words before its place as written, the place spelled out after them ('Ủy
    ban MTTQ huyện' where the context names the district). A quote writing the name more than once gives the form
    it writes first: a sentence introduces a body by the name it goes by, a table row names a lead before a place.
    The body, and so the node, is the same either way."""
    name = org.name
    text = _with_short_forms_shown(quote)
    for part, rest in _name_and_place(org):
        found = [(match.start(), -shorts, form) for shorts, form in _written_forms(part, _long_forms_shown())
                 if (match := _as_words(form).search(text))]
        if found:
            form = min(found)[2]
            if any(not kept and re.search(rf"(?<!\w){re.escape(short)}", form)
                   for short, kept in _short_forms_shown().items()):
                return name
            return form + rest
    return name


def answered_name(org: OrgRef, quote: str) -> str:
    """The body's name an answer shows: ``shown_name``, but where the quote writes it with a short form the table
    answers "both", the name spelled out followed by the quote's form in brackets, as Vietnamese documents
    introduce a short form: 'Bệnh viện X (BV X)', 'Ủy ban nhân dân thành phố Y (UBND TP. Y)', but not one written in
    capitals. A reader asking for either form finds it; the node keeps its one name."""
    name = org.name
    for part, rest in _name_and_place(org):
        found = [(match.start(), match.group()) for _, form in _written_forms(part, _long_forms_beside())
                 if (match := _as_words(form).search(quote))]
        if found:
            written = min(found)[1]
            # a name in capitals (a letterhead, a signature) is no form running text goes by
            if set(short_forms_in(written, frozenset(_short_forms_shown()))) & _short_forms_beside() \
                    and not written.isupper():
                return f"{name} ({' '.join(written.split())}{rest})"
            break
    return shown_name(org, quote)


@lru_cache(maxsize=1)
def _long_forms_beside() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(long form, every short form for it): graph/data/abbreviations.csv's and ingest/data/short_forms_shown.csv's
    ('TP.'), longest long form first, to find the name as the quote writes it letter for letter."""
    longs: dict[str, set[str]] = {}
    for row in read_table(GRAPH_DATA / "abbreviations.csv"):
        longs.setdefault(row["long"], set()).add(row["short"])
        longs[row["long"]] |= {short for short in _short_forms_shown() if short.rstrip(".") == row["short"]}
    return tuple(sorted(((long, tuple(sorted(shorts))) for long, shorts in longs.items()), key=lambda item: -len(item[0])))


def _name_and_place(org: OrgRef) -> list[tuple[str, str]]:
    """The name as a quote may write it, and what follows in the name: the whole name; the words before the
    place's own name ('Ủy ban Mặt trận Tổ quốc huyện' of '... huyện Na Hang'); the words before the place."""
    name = org.name
    place = org.locality.in_running_text if org.locality is not None else ""
    if not place or not name.endswith(" " + place):
        return [(name, "")]
    before = name[:-len(place)].rstrip()
    level, _, own_name = place.partition(" ")
    with_level = [(f"{before} {level}", f" {own_name}")] if level.islower() and own_name else []
    return [(name, ""), *with_level, (before, f" {place}")]


@lru_cache(maxsize=4096)
def _with_short_forms_shown(quote: str) -> str:
    """The quote with its short forms spelled out but for those of the table (a quote names several bodies)."""
    return expand(quote, frozenset(_short_forms_shown()))


def _written_forms(name: str, longs: tuple[tuple[str, tuple[str, ...]], ...]) -> list[tuple[int, str]]:
    """(how many short forms stand in it, the form): the name spelled out, then with the table's short forms in
    place of their long forms (``longs``, longest first), in every combination: 'Bệnh viện Đa khoa X',
    'BV Đa khoa X', 'BVĐK X'."""
    for at, (long, shorts) in enumerate(longs):
        if match := re.search(rf"(?<!\w){re.escape(long)}(?!\w)", name, re.IGNORECASE):
            before, after = name[:match.start()], name[match.end():]
            heads = _written_forms(before, longs) if before.strip() else [(0, before)]
            middles = [*_written_forms(match.group(), longs[at + 1:]), *((1, short) for short in shorts)]
            tails = _written_forms(after, longs) if after.strip() else [(0, after)]
            return list(dict.fromkeys((h + m + t, f"{head}{middle}{tail}") for m, middle in middles
                                      for h, head in heads for t, tail in tails))
    return [(0, name)]


@lru_cache(maxsize=4096)
def _as_words(form: str) -> re.Pattern[str]:
    """A name's words in running text: any case, any spacing, and none needed after a short form's dot."""
    words = [re.escape(w) for w in form.split()]
    pattern = "".join(w if not i else (r"\s*" if words[i - 1].endswith(r"\.") else r"\s+") + w
                      for i, w in enumerate(words))
    return re.compile(rf"(?<!\w){pattern}(?!\w)", re.IGNORECASE)


def _without_repeated_name(text: str) -> str:
    """'Sở Kế hoạch và Đầu tư (KH&ĐT) Hà Tĩnh': the bracket only repeats part of the name in short
    (spelled out, it is already there), so it goes; a bracket saying something new stays."""
    for bracket in reversed(list(PARENTHESIS.finditer(text))):
        if fold(bracket.group(1)) and fold(bracket.group(1)) in fold(text[:bracket.start()]):
            text = text[:bracket.start()] + text[bracket.end():]
    return text


@lru_cache(maxsize=1)
def _national_markers() -> tuple[str, ...]:
    lines = (DATA / "national_markers.txt").read_text(encoding="utf-8").splitlines()
    return tuple(fold(l) for l in lines if l.strip() and not l.startswith("#"))


def _from_acronym(acronym: str, name: str, province_code: str) -> OrgRef | None:
    head = head_of(name)
    body, locality = _split_locality(name, province(province_code))
    return OrgRef(body=body, category=head[1] if head else "Other", locality=locality, acronym=acronym)


def _split_locality(text: str, default_locality: Unit | None) -> tuple[str, Unit | None]:
    """Separate 'Ủy ban nhân dân Quận 3, Thành phố Hồ Chí Minh' into its body and its unit."""
    found = find_localities(text)
    kept = drop_qualifiers(found, text)
    if found and not text[found[-1].end:].strip(" ,.;)"):
        last = found[-1] if found[-1] in kept else max((m for m in kept if m.end <= found[-1].start),
                                                         key=lambda m: m.end, default=found[-1])
        body = re.sub(r"\s+(của|thuộc)$", "", text[:last.start].rstrip(" ,-"))
        return _tidy(body), last.unit
    if bare := BARE_UNIT.search(text):
        # "UBND tỉnh", "Phòng Kinh tế huyện": the unit of that level that the context names
        body = text[:bare.start()]
        if bare.group(1).lower() in COMMUNE_WORDS:
            # "UBND phường" of the ward named as the context; else the name keeps its level word ("UBND xã")
            same_kind = (default_locality is not None and default_locality.level == "commune"
                         and default_locality.type_word.lower() == bare.group(1).lower())
            return (_tidy(body), default_locality) if same_kind else (_tidy(text), None)
        if default_locality is None:
            return _tidy(body), None
        if bare.group(1).lower() in PROVINCE_WORDS:
            return _tidy(body), province_of(default_locality)
        return _tidy(body), default_locality if default_locality.level == "district" else None
    return _tidy(text), default_locality


def _tidy(body: str) -> str:
    return re.sub(r"\s+", " ", body).strip(" ,;-")


@lru_cache(maxsize=1)
def _name_with_breaks() -> re.Pattern[str]:
    """Any official name holding a comma or a dash, written with either ('Lao động - Thương binh
    và Xã hội' and 'Lao động, Thương binh và Xã hội' are one name), in any case."""
    def pattern(name: str) -> str:
        words = re.split(r"\s*[,-]\s*|\s+", name)
        breaks = re.findall(r"\s*[,-]\s*|\s+", name)
        parts = [re.escape(words[0])]
        for gap, word in zip(breaks, words[1:]):
            parts.append(r"\s*[,-]\s*" if gap.strip() else r"\s+")
            parts.append(re.escape(word))
        return "".join(parts)
    names = sorted(names_with_breaks(), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(pattern(n) for n in names) + r")(?!\w)", re.IGNORECASE)


def split_outside_names(text: str, separator: re.Pattern[str]) -> list[str]:
    """Split the text at the separator, except inside an official name that holds one: 'Phó Giám
    đốc Sở Văn hóa, Thể thao và Du lịch tỉnh X, ĐT: ...' is cut once, after the province."""
    names = [m.span() for m in _name_with_breaks().finditer(text)]
    pieces, start = [], 0
    for cut in separator.finditer(text):
        if any(begin < cut.end() and cut.start() < end for begin, end in names):
            continue
        pieces.append(text[start:cut.start()])
        start = cut.end()
    return pieces + [text[start:]]


def split_org_list(cell: str) -> list[str]:
    """Cut a cell listing several bodies into one text per body (commas inside names stay)."""
    heads = "|".join(re.escape(h) for h, _ in organization_heads())
    pieces: list[str] = []
    for part in re.split(r"\s*;\s*|\n", cell):
        pieces += re.split(rf"\s*,\s*(?=(?:{heads})\s+\S|[Cc]ác\s)|\s+và\s+(?=(?:{heads})\s+\S|[Cc]ác\s)", part)
    return [p.strip(" .,") for p in pieces if p and p.strip(" .,")]


def orgs_sharing_locality(names: list[str], default_locality: Unit | None) -> list[OrgRef]:
    """Bodies listed together ('Thành ủy, UBND Thành phố HCM') share the locality one of them names."""
    written = [(name, parse_org(name, None)) for name in names]
    named = [org.locality for _, org in written if org is not None and org.locality is not None]
    shared = named[-1] if named else default_locality
    found = [org if org.locality else parse_org(name, shared) for name, org in written if org is not None]
    return [org for org in found if org is not None]


def head_of_any_party(text: str) -> bool:
    """Whether the text names a body by a capitalised organization head (Sở ..., Bệnh viện ...)."""
    heads = "|".join(re.escape(h) for h, _ in organization_heads())
    return re.search(rf"(?<!\w)(?:{heads})\s+[A-ZĐÀ-Ỹ]", text) is not None


# "Tổng Công ty Cổ phần X (X Group)", "Công ty TNHH Y (gọi tắt là Y)": a bracket right after a name
BRACKET_AFTER = re.compile(r"\(([^()\n]{2,60})\)")
ALIAS_WORDS = 6  # a short name is short: a longer bracket says something else


@lru_cache(maxsize=1)
def _alias_cues() -> re.Pattern[str]:
    lines = (DATA / "alias_cues.txt").read_text(encoding="utf-8").splitlines()
    cues = sorted((l.strip() for l in lines if l.strip() and not l.startswith("#")), key=len, reverse=True)
    return re.compile(rf"^(?:{'|'.join(re.escape(c) for c in cues)})\s*:?\s*", re.IGNORECASE)


def bracket_aliases(text: str) -> dict[str, str]:
    """The short names a text defines in brackets after a body's full name, each with that name ('Hong Xanh
    Group' → 'Tổng Công ty Cổ phần Đầu tư Sông Hồng Xanh'). Only a short capitalised name that is no place
    ('(Quảng Ninh)'), phone or initials the name already spells ('(KH&ĐT)'), and only after a name that reads
    as one body; a short name defined for two bodies is left out: which one is meant is unclear."""
    found: dict[str, set[str]] = {}
    heads = "|".join(re.escape(h) for h, _ in organization_heads())
    for bracket in BRACKET_AFTER.finditer(text):
        alias = _alias_cues().sub("", bracket.group(1).strip()).strip(" .,;:\"“”")
        before = text[:bracket.start()].rstrip()
        starts = [m.start() for m in re.finditer(rf"(?<![\w])(?:{heads})\s+\S", before)]
        if not starts or not _may_be_alias(alias):
            continue
        full = before[starts[-1]:]
        # the body's name is the clause it opens: from the last head word before the bracket
        org = parse_org(full, None)
        if org is not None and fold(alias) not in fold(full):
            found.setdefault(alias, set()).add(full)
    return {alias: fulls.pop() for alias, fulls in found.items() if len(fulls) == 1}


def _may_be_alias(alias: str) -> bool:
    """Whether a bracket's words may be a short name: few, capitalised, no number, place, list or person
    ('(Ông A - Trưởng phòng)', '(Nguyễn Văn A)' name a body's contact, not the body)."""
    words = alias.split()
    return (0 < len(words) <= ALIAS_WORDS and alias[:1].isupper() and not re.search(r"\d|[,;:]|\s-\s", alias)
            and (not find_localities(alias) or _short_name_with_place(alias)) and words[0] not in surnames()
            and not any(fold(alias).startswith(fold(h) + " ") for h in honorifics()))


def _short_name_with_place(alias: str) -> bool:
    """Whether a bracket is a body's short name ending with its place ('(BV HNĐK Nghệ An)' after 'Bệnh viện Hữu nghị Đa
    khoa Nghệ An'): its head word, initials, then the place. A bracket naming another body in full with its place
    ('(Ủy ban nhân dân huyện X)') has no initials and is no short name."""
    return head_of(alias) is not None and re.search(r"(?<!\w)[A-ZĐ&]{2,}(?!\w)", alias) is not None


def with_aliases(sentence: str, aliases: dict[str, str]) -> str:
    """The sentence with each defined short name written as the full name it stands for (the defining bracket
    itself dropped): later mentions of 'X Group' are the body named in full before."""
    for alias, full in aliases.items():
        sentence = re.sub(rf"\s*\((?:[^()]*\s)?{re.escape(alias)}\)", "", sentence)
        sentence = re.sub(rf"(?<![\w]){re.escape(alias)}(?![\w])", full, sentence)
    return sentence
