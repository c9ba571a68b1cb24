"""People: names, honorifics, titles and phones, in contact cells and in prose.

Contact cells look like "Sở Du lịch ... (Ông Nguyễn Văn A - Trưởng phòng Quản lý lữ hành;
Điện thoại: 0903.xxx.xxx)". Prose names people as "Phó Chủ tịch UBND tỉnh X Nguyễn Văn A",
"Ông Nguyễn Văn A, Phó Chủ tịch UBND tỉnh X" or "đồng chí Nguyễn Văn A - Phó Chủ tịch ...".
A name is a run of two to five capitalised words, starting with a Vietnamese surname or
following an honorific (Ông, Bà, đồng chí).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from graph.text import fold
from ingest.localities import Unit, find_localities, province_of, provinces_by_short
from ingest.normalize import expand
from ingest.orgs import OrgRef, head_of, is_rank, parse_org, split_outside_names
from ingest.vocab import (
    DATA,
    honorifics,
    organization_heads,
    phone_labels,
    photo_positions,
    prose_verbs,
    surnames,
    titles,
)

BARE_LEVEL = re.compile(r"\s(?:xã|phường|thị trấn|huyện|quận|tỉnh|thành phố|thị xã)$", re.IGNORECASE)
PHONE = re.compile(r"(?<!\d)\(?(?:\+84[\s.]?|0)\d{2,3}\)?(?:[\s.\-]?\d){6,8}(?!\d)")


@dataclass
class Position:
    title: str
    org: OrgRef | None


@dataclass
class PersonRef:
    name: str
    honorific: str | None = None
    positions: list[Position] = field(default_factory=list)
    phone: str | None = None


def find_phone(text: str) -> str | None:
    """The first phone number in the text, as printed."""
    match = PHONE.search(text)
    return match.group().strip() if match else None


def _is_name_word(word: str) -> bool:
    """A capitalised word of a name; in names of the Central Highlands the letter before an apostrophe and
    the word after it are one ('H'Lan', 'K'Nai')."""
    head, apostrophe, rest = word.replace("’", "'").partition("'")
    if apostrophe and len(head) == 1 and rest:
        return head.isupper() and _plain_name_word(rest)
    return _plain_name_word(word)


def _plain_name_word(word: str) -> bool:
    tail = word[1:].replace("'", "")
    return word[:1].isupper() and (not tail or tail.isalpha()) and tail == tail.lower()


def name_at(text: str, after_honorific: bool = False) -> str | None:
    """A person's name at the start of the text, or None. Without an honorific (Ông, Bà, đồng chí)
    before it, the name must start with a known surname."""
    words = text.split()
    if not words or (words[0] not in surnames() and not after_honorific) or title_at(text):
        return None  # "Phó Chủ tịch ...": Phó is a surname, but here a title begins
    taken = []
    for word in words[:5]:
        bare = word.rstrip(",;.:)")
        if not _is_name_word(bare) or title_at(bare) is not None:
            break
        taken.append(bare)
        if bare != word:
            break
    if len(taken) < 2 or any(fold(" ".join(taken[:k])) in provinces_by_short() for k in range(2, len(taken) + 1)):
        return None
    return " ".join(taken)


def title_at(text: str) -> str | None:
    """The position title the text starts with (canonical spelling from the titles table)."""
    folded = fold(text) + " "
    return next((title for title, key in _folded_titles() if folded.startswith(key)), None)


@lru_cache(maxsize=1)
def _folded_titles() -> list[tuple[str, str]]:
    """(title, its folded form and a space), longest title first: each name of a table is read
    for titles, so they are folded once."""
    return [(title, fold(title) + " ") for title in titles()]


def honorific_at(text: str) -> str | None:
    for word in honorifics():
        if text.startswith(word + " "):
            return word
    return None


def _split_title_org(segment: str, default_locality: Unit | None) -> Position | None:
    """'Trưởng phòng Quản lý lữ hành' → title only; 'Phó Giám đốc Công ty X' → title + organization."""
    segment = segment.strip(" ,;.-")
    title = title_at(segment)
    if title is None:
        return None
    words = segment.split()
    rest = " ".join(words[len(title.split()):])
    org = None
    head = head_of(rest) if rest else None
    if head and fold(rest) == fold(head[0]):
        return Position(title=title, org=None)  # "Phó Giám đốc Trung tâm": the body already named
    if head and head[1] != "Office":
        org = parse_org(rest, default_locality)
        detail = ""
    else:
        detail, org = _division_and_body(rest)
    return Position(title=f"{title} {detail}".strip(), org=org)


def _division_and_body(rest: str) -> tuple[str, OrgRef | None]:
    """'Quản lý thương mại Sở Công Thương tỉnh X' after 'Trưởng phòng': the division, then the body it
    belongs to. Only a capitalised body named with its own place ends the division: a division's
    name may hold a word that heads bodies elsewhere ('Quản lý báo chí')."""
    words = rest.split()
    for start in range(1, len(words)):
        tail = " ".join(words[start:])
        head = head_of(tail)
        if head is None or head[1] == "Office" or not tail[:1].isupper():
            continue
        org = parse_org(tail, None)
        if org is not None and org.locality is not None:
            return " ".join(words[:start]), org
        return rest, None
    return rest, None


CONTACT_BREAK = re.compile(r"\s*[;,]\s*|\s+-\s+")


def parse_contact(cell: str, default_locality: Unit | None) -> tuple[OrgRef | None, PersonRef | None]:
    """The organization and the person of a contact cell ('Org (Ông Name - Title; Điện thoại: ...)')."""
    outer_text, inner = cell, ""
    if "(" in cell:
        outer_text, inner = cell.split("(", 1)
        inner = inner.rsplit(")", 1)[0] if inner.count(")") >= 1 else inner
    outer = parse_org(outer_text, default_locality)
    person_text = inner or cell
    if inner and outer is None and _opens_with_person(cell):
        # "Ông A, Phó Trưởng phòng X, Trung tâm Y (ITPC), ĐT: ...": the person comes first and the bracket is the
        # short name of the body, not the person's details
        person_text = cell
    phone = find_phone(person_text)
    for label in phone_labels():  # a whole word: "ĐT" is a label, the end of "XTĐT" is not
        person_text = re.sub(rf"(?<!\w){re.escape(label)}(?!\w)", " ", person_text)
    if phone:
        person_text = person_text.replace(phone, " ")
    honorific = honorific_at(person_text.strip())
    rest = person_text.strip()[len(honorific):].strip() if honorific else person_text.strip()
    name = name_at(rest, after_honorific=honorific is not None)
    if name is None:
        return outer, None
    after = rest[len(name):]
    person = PersonRef(name=name, honorific=honorific, phone=phone)
    locality = outer.locality if outer else default_locality
    segments = [s for s in split_outside_names(after, CONTACT_BREAK) if s.strip(" :.")]
    title_pos: Position | None = None
    inner_org: OrgRef | None = None
    inner_text = ""  # the words that named inner_org
    for segment in segments:
        position = _split_title_org(segment, locality)
        if position and title_pos is None:
            title_pos = position
            if position.org is not None:
                inner_org, inner_text = position.org, segment
        elif title_pos is not None and inner_org is None and is_rank(segment):
            # "Phó Trưởng phòng Công chức, viên chức": the division's name goes on past the comma
            title_pos.title = f"{title_pos.title}, {segment.strip()}"
        elif title_pos is not None and inner_org is None and _division_goes_on(title_pos.title, segment, after):
            title_pos.title = f"{title_pos.title} - {segment.strip()}"
        elif (head := head_of(segment)) and head[1] != "Office" and inner_org is None:
            inner_org = parse_org(_rejoin(segment, segments), locality)
            inner_text = _rejoin(segment, segments)
        elif head and head[1] != "Office" and inner_org is not None and inner_org.parent is None and (
                inner_text and not find_localities(expand(inner_text))):
            # "Trung tâm X, Bệnh viện Y": a unit named without a place of its own, then the body it belongs to
            parent = parse_org(segment, locality)
            if parent is not None:
                inner_org = replace(inner_org, locality=parent.locality, parent=parent)
            inner_text = ""
    if inner_org is not None and BARE_LEVEL.search(inner_org.body):
        # "Phó Chủ tịch UBND xã" in the cell of "UBND xã X": the body the cell names, not a body of the province
        inner_org = outer if outer is not None and outer.category == inner_org.category else None
    if title_pos:
        person.positions.append(Position(title=title_pos.title, org=inner_org or outer))
    elif inner_org or outer:
        person.positions.append(Position(title="", org=inner_org or outer))
    return outer, person


def _opens_with_person(text: str) -> bool:
    """Whether a cell opens with a person's name, after an honorific if any ('Ông Nguyễn Văn A, ...')."""
    text = text.strip()
    honorific = honorific_at(text)
    rest = text[len(honorific):].strip() if honorific else text
    return name_at(rest, after_honorific=honorific is not None) is not None


# the head of a division, whose name may hold a dash ('Trưởng phòng Kế hoạch - Tài chính', 'Trưởng khoa Thận - Lọc máu')
DIVISION_HEAD_TITLE = re.compile(r"^(?:Phó\s+)?[Tt]rưởng\s+(?:phòng|ban|khoa)\s+\S", re.IGNORECASE)
DIVISION_PART_WORDS = 4


def _division_goes_on(title: str, segment: str, text: str) -> bool:
    """Whether a segment after ' - ' is the rest of the division a title heads ('Trưởng phòng Kế hoạch - Tài chính,
    Sở X'): a few capitalised words that name no body, title, person, place or phone, perhaps closed by the
    division's own locality."""
    part = segment.strip()
    if DIVISION_HEAD_TITLE.match(title) is None or f"{title} - {part}" not in " ".join(text.split()):
        return False
    # the division's locality may close it ('Trưởng phòng Kinh tế - Hạ tầng huyện X'): the rest is the words before
    places = find_localities(part)
    if len(places) == 1 and places[0].start > 0 and places[0].end == len(part):
        part = part[:places[0].start].strip()
    words = part.split()
    return (0 < len(words) <= DIVISION_PART_WORDS and words[0][:1].isupper() and not head_of(part)
            and not title_at(part) and words[0] not in surnames() and not find_phone(part)
            and not find_localities(part))


def _rejoin(segment: str, segments: list[str]) -> str:
    """A name split at ' - ' ('Trung tâm Xúc tiến - Thương mại (ITPC)') rejoined with what follows."""
    index = segments.index(segment)
    following = segments[index + 1:index + 2]
    if following and not title_at(following[0]) and not head_of(following[0]):
        return f"{segment} - {following[0]}"
    return segment


DIVISION_TITLES = ("Trưởng phòng", "Phó Trưởng phòng", "Phó trưởng phòng", "Trưởng ban", "Phó Trưởng ban")
# kinds of body that go by a name of their own: 'Sở', 'Bệnh viện' alone only say which kind ('Huyện ủy' is a body)
NAMED_KINDS = ("Department", "Hospital", "Center", "Board")
TITLE_CHAIN_BREAK = re.compile(r"\s*,\s*(?=\S)")
CONCURRENTLY = re.compile(r"\s+kiêm\s+")


def _positions_in_chain(chain: str, default_locality: Unit | None) -> list[Position]:
    """'Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh Bắc Kạn' → two positions sharing the locality;
    'Chủ tịch Hội đồng quản trị kiêm Tổng Giám đốc Công ty X': a title held concurrently ('kiêm')
    with no body of its own is held in the body the title after it names."""
    held = [[p for p in (_chain_position(s, default_locality) for s in split_outside_names(part, TITLE_CHAIN_BREAK)) if p]
            for part in CONCURRENTLY.split(chain)]
    for group, following in zip(held, held[1:]):
        if group and following and group[-1].org is None and following[0].org is not None:
            group[-1].org = following[0].org
    positions = [position for group in held for position in group]
    named = [p.org.locality for p in positions if p.org and p.org.locality]
    shared = named[-1] if named else default_locality
    for position in positions:
        if position.org and position.org.locality is None and shared is not None:
            position.org = parse_org(f"{position.org.body}", shared)
    return positions


def _chain_position(segment: str, default_locality: Unit | None) -> Position | None:
    title = title_at(segment)
    if title is None:
        return None
    rest = " ".join(segment.split()[len(title.split()):])
    head = head_of(rest) if rest else None
    kind_alone = head is not None and head[1] in NAMED_KINDS and fold(head[0]) == fold(rest)
    if not rest or rest[:1].islower() or kind_alone:
        # "Phó Giám đốc bệnh viện", "Phó Chánh Văn phòng Sở": the body is named elsewhere, by its kind here
        return Position(title=title, org=None)
    # "Phó Giám đốc ITPC": parse_org also knows bodies by their acronym
    org = parse_org(rest, None) or parse_org(rest, default_locality)
    if org is None and title.startswith(DIVISION_TITLES):
        # "Trưởng phòng Quản lý chuyên ngành Sở X tỉnh Y": the division, then the body with its place
        division, org = _division_and_body(rest)
        return Position(title=f"{title} {division}", org=org) if org is not None else Position(title=title, org=None)
    return Position(title=title, org=org)


@dataclass
class _Named:
    """A name found in a sentence, with where it stands and the honorific written before it."""

    name: str
    start: int
    end: int
    honorific: str | None


def _names_in(sentence: str) -> list[_Named]:
    """Every person's name in the sentence, left to right."""
    found: list[_Named] = []
    places = [(m.start, m.end) for m in find_localities(sentence)]
    for word in re.finditer(r"\S+", sentence):
        if found and word.start() < found[-1].end:
            continue
        before = sentence[:word.start()].rstrip()
        honorific = next((h for h in honorifics() if before.endswith(" " + h) or before == h), None)
        if word.group() not in surnames() and honorific is None:
            continue
        if any(start <= word.start() < end for start, end in places):
            continue  # "An Giang Trần Thị Mẫu": Giang is a surname, but here it ends a province's name
        name = name_at(sentence[word.start():], honorific is not None)
        if name is not None and honorific is None and _may_go_on_a_name(before, places, name):
            continue  # "Trường Đại học Nông Lâm": Nông is a surname, but here it goes on a body's name
        if name is not None:
            found.append(_Named(name, word.start(), word.start() + len(name), honorific))
    return found


@lru_cache(maxsize=1)
def _org_head_end() -> re.Pattern[str]:
    """A text ending with a capitalised organization head ('... Trường Đại học', '... Bệnh viện')."""
    heads = sorted({h for h, _ in organization_heads() if h[:1].isupper()}, key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(h) for h in heads)})$")


def _may_go_on_a_name(before: str, places: list[tuple[int, int]], name: str) -> bool:
    """Whether the words right before a name may still be part of a proper name, so that the 'name' may be
    the end of a body's ('Trường Đại học Nông Lâm', 'Công ty Năng lượng Xanh Phương Nam') or begin
    earlier: an organization head; a surname (the name might begin there); or any capitalised word
    before a name of two words only. After a place ('UBND tỉnh X Nguyễn Văn A'), a punctuation mark, or
    another word before a name of three words or more ('Bệnh viện Bãi Cháy Đỗ Văn A'), the name is sure."""
    if any(end == len(before) for _, end in places):
        return False
    last = before.split()[-1] if before.split() else ""
    capitalised = last[:1].isupper() and last[-1:].isalpha() and not last.isupper() and title_at(last) is None
    return (_org_head_end().search(before) is not None or last in surnames()
            or (capitalised and len(name.split()) == 2))


# ", và" is one break: the comma belongs to the "và" (else the "và" after it is never seen)
PERSON_BREAK = re.compile(r"\s*(?:;|,?\s+và|,?\s+cùng|,)\s+")


def _cut_between(text: str, next_has_honorific: bool, next_titled_after: bool = False) -> int:
    """Where the words about one person end and those about the next begin, in the text between them.

    "- T1 ORG1 và bà" → before " và bà"; "- T1 ORG1 và T2 ORG2" (the next person's title written before
    the name) → before " và T2 ORG2"; a comma only when nothing stronger separates them. When the next name is
    followed by its own title ('các đồng chí: A, T1; B, T2'), the words before it are the last person's, up
    to the semicolon that ends their entry."""
    if next_titled_after and not next_has_honorific:
        semicolon = text.find(";")
        if semicolon >= 0:
            return semicolon
        next_has_honorific = True  # cut at the separator right before the name, as before an honorific
    if next_has_honorific:
        honorific = max((len(h) for h in honorifics() if text.rstrip().endswith(h)), default=0)
        body = text.rstrip()[:len(text.rstrip()) - honorific]
        trailing = re.search(r"(?:;|,|\s+và|\s+cùng(?:\s+với)?)?\s*$", body)
        return trailing.start() if trailing else len(body)
    breaks = [m for m in PERSON_BREAK.finditer(text) if title_at(text[m.end():])]
    strong = [m for m in breaks if m.group().strip() != ","]
    chosen = (strong or breaks)[-1:] if breaks else []
    return chosen[0].start() if chosen else len(text)


TITLE_AFTER_NAME = re.compile(r"^\s*(?:,|-)\s*")


def _titled_after(text: str) -> bool:
    """Whether the words right after a name are its title ('A, Phó Bí thư Tỉnh ủy ...', 'A - Giám đốc')."""
    separator = TITLE_AFTER_NAME.match(text)
    return separator is not None and title_at(text[separator.end():]) is not None


def _without_photo_positions(sentence: str) -> str:
    """A caption without where each person stands ('Ông A (bên phải), Giám đốc Sở X'): the title follows the name."""
    pattern = "|".join(re.escape(p) for p in photo_positions())
    return re.sub(rf"\s*\((?:{pattern})\)", "", sentence, flags=re.IGNORECASE)


def people_in_sentence(sentence: str, default_locality: Unit | None) -> list[PersonRef]:
    """People named with a title in a sentence of prose (already expanded), each with the titles
    written next to their own name: a list "ông A - T1 và bà B - T2" gives T1 to A and T2 to B."""
    sentence = _without_photo_positions(sentence)
    names = _names_in(sentence)
    cuts = [n.start + 0 for n in names]  # where the words about each person may begin
    ends = [len(sentence)] * len(names)  # where they end
    for i in range(len(names) - 1):
        between = sentence[names[i].end:names[i + 1].start]
        cut = names[i].end + _cut_between(between, names[i + 1].honorific is not None,
                                          _titled_after(sentence[names[i + 1].end:]))
        ends[i], cuts[i + 1] = cut, cut
    found: dict[str, PersonRef] = {}
    respective = _respectively(sentence, names, default_locality) | _respectively_bracketed(sentence, names)
    for i, named in enumerate(names):
        if named.name in respective:
            person = found.setdefault(named.name, PersonRef(name=named.name, honorific=named.honorific))
            person.positions += respective[named.name]
            continue
        before = re.sub(r"^(?:\s*(?:;|,|và|cùng)\s+)", "", sentence[(cuts[i] if i else 0):named.start]).rstrip()
        if named.honorific:
            before = before[:len(before) - len(named.honorific)].rstrip()
        after = sentence[named.end:ends[i]]
        locality = _side_place_before(sentence, named.start) or default_locality
        positions = _positions_before(before, locality) if named.honorific is None else []
        if not positions:
            positions = _positions_after(after, locality, _side_named_before(sentence, named.start))
        if positions:
            person = found.setdefault(named.name, PersonRef(name=named.name, honorific=named.honorific))
            person.positions += [p for p in positions if p.org is not None]
    return [p for p in found.values() if p.positions]


RESPECTIVELY = re.compile(r"\s*,?\s*lần lượt là\s+", re.IGNORECASE)
NAME_LIST_GAP = re.compile(r"\s*(?:,|\s+và)\s*$|^\s*$")


def _respectively(sentence: str, names: list[_Named], default_locality: Unit | None) -> dict[str, list[Position]]:
    """'ông A và bà B, lần lượt là T1 và T2 ORG': A holds T1, B holds T2; the place the last title
    names is the others' too. Only when the titles are as many as the names (else nothing is sure)."""
    found: dict[str, list[Position]] = {}
    for cue in RESPECTIVELY.finditer(sentence):
        listed = [n for n in names if n.end <= cue.start()]
        run = listed[-1:]
        for earlier in reversed(listed[:-1]):
            gap = sentence[earlier.end:run[0].start]
            if run[0].honorific:
                gap = gap[:len(gap.rstrip()) - len(run[0].honorific)]
            if not NAME_LIST_GAP.search(gap) or sentence[run[-1].end:cue.start()].strip():
                break
            run.insert(0, earlier)
        end = re.search(r"[;.]|\s+(?:đã|cùng|về phía)\s", sentence[cue.end():])
        titles_text = sentence[cue.end():cue.end() + end.start() if end else len(sentence)]
        pieces: list[str] = []
        for piece in re.split(r"\s*,\s*|\s+và\s+", titles_text):
            if title_at(piece) or not pieces:
                pieces.append(piece)
            else:
                pieces[-1] += f", {piece}"
        if len(run) < 2 or len(pieces) != len(run) or not all(title_at(p) for p in pieces):
            continue
        places = find_localities(pieces[-1])
        shared = places[-1].unit if places else default_locality
        positions = [_positions_in_chain(_trim_org_end(p), shared) for p in pieces]
        if all(ps and all(p.org for p in ps) for ps in positions):
            found.update({named.name: ps for named, ps in zip(run, positions)})
    return found


BRACKETED_BODY = re.compile(r"\s*\(([^()]+)\)")
LIST_GAP = re.compile(r"^\s*(?:,|và|,\s*và)?\s*$")


def _respectively_bracketed(sentence: str, names: list[_Named]) -> dict[str, list[Position]]:
    """'Giám đốc hai đơn vị, lần lượt là ông A (Bệnh viện X) và bà B (Bệnh viện Y)': the title
    before the cue is each one's, in the body written in brackets after each name. Only when every
    name of the list has its body (else nothing is sure)."""
    found: dict[str, list[Position]] = {}
    for cue in RESPECTIVELY.finditer(sentence):
        title = _shared_title(sentence[:cue.start()])
        if title is None:
            continue
        run: list[Position] = []
        listed: list[str] = []
        position = cue.end()
        for named in (n for n in names if n.start >= cue.end()):
            gap = sentence[position:named.start].rstrip()
            gap = gap[:len(gap) - len(named.honorific)] if named.honorific and gap.endswith(named.honorific) else gap
            bracket = BRACKETED_BODY.match(sentence, named.end)
            org = parse_org(bracket.group(1), None) if bracket else None
            if not LIST_GAP.match(gap) or org is None:
                break
            run.append(Position(title=title, org=org))
            listed.append(named.name)
            position = bracket.end()
        if len(run) >= 2:
            found.update({name: [held] for name, held in zip(listed, run)})
    return found


def _shared_title(before: str) -> str | None:
    """The title that ends the text before a list's cue ('... là Giám đốc hai đơn vị'), when the
    words after it name no body (the bodies come with the names)."""
    words = before.rstrip(" ,").split()
    for start in range(max(0, len(words) - 6), len(words)):
        tail = " ".join(words[start:])
        title = title_at(tail)
        if title is not None:
            rest = tail[len(title):].strip()
            return title if not head_of(rest) and not find_localities(rest) else None
    return None


def _positions_before(before: str, default_locality: Unit | None) -> list[Position]:
    """Titles written right before a name: take the longest tail of the text that is a title chain."""
    words = before.split()
    for start in range(max(0, len(words) - 25), len(words)):
        chain = " ".join(words[start:])
        if title_at(chain) and (start == 0 or not title_at(" ".join(words[start - 1:]))):
            positions = _positions_in_chain(_trim_org_end(chain), default_locality)
            if positions and all(p.org for p in positions):
                return positions
    return []


def _positions_after(after: str, default_locality: Unit | None, side: OrgRef | None = None) -> list[Position]:
    """Titles written after a name: 'Nguyễn Văn A, Phó Chủ tịch UBND tỉnh X phát biểu' or '... - Phó ...'.
    A title naming no body of its own ('- Giám đốc') is held in ``side``, the body the sentence speaks for
    there ('về phía Bệnh viện X có ...'), if any."""
    match = re.match(r"\s*(?:,|-)\s*([^;]+)", after)  # "; ông B, ..." starts the next person of a list
    if not match:
        return []
    positions = _positions_in_chain(_trim_org_end(match.group(1)), default_locality)
    for position in positions:
        position.org = position.org or side
    return [p for p in positions if p.org]


# "về phía Bệnh viện X có TS Nguyễn Văn A - Giám đốc và ...": the body the people named next speak for
SIDE = re.compile(r"\b[Vv]ề phía\s+(?P<body>[^,;:]+?)\s+(?:có|là|gồm)\s")


def _side_named_before(sentence: str, at: int) -> OrgRef | None:
    """The body of the last 'về phía X có' before a name, within its clause (up to a semicolon)."""
    sides = [m for m in SIDE.finditer(sentence, 0, at) if ";" not in sentence[m.end():at]]
    return parse_org(sides[-1].group("body"), None) if sides else None


def _side_place_before(sentence: str, at: int) -> Unit | None:
    """The place of the delegation a name is listed in ('về phía tỉnh X có đồng chí A, Phó Chủ tịch UBND tỉnh;
    đồng chí B, Giám đốc Sở Y'): the last 'về phía' before the name, when it names a locality and nothing
    else, or a body of one locality. The delegation runs on over semicolons, until the next side or the end of the sentence; a body
    its people name without a place is that locality's (not the other side's, named in full elsewhere)."""
    sides = list(SIDE.finditer(sentence, 0, at))
    if not sides:
        return None
    side = sides[-1].group("body")
    places = find_localities(side)
    if len(places) == 1 and places[0].start == 0 and places[0].end == len(side):
        return places[0].unit
    # 'về phía LĐLĐ tỉnh X có ông A, Chủ tịch LĐLĐ tỉnh': the place of the body the delegation speaks for
    body = parse_org(side, None)
    return body.locality if body is not None and len(places) == 1 else None


def _trim_org_end(chain: str) -> str:
    """Cut the words that follow the last organization of a title chain (verbs, the rest of the sentence)."""
    chain = re.split(r"\s+(?:" + "|".join(re.escape(v) for v in prose_verbs()) + r")\b", chain)[0]
    mentions = find_localities(chain)
    if mentions:
        end = mentions[-1].end
        tail = chain[end:]
        if not re.match(r"\s*,\s*(" + "|".join(re.escape(t) for t in titles()) + ")", tail, re.IGNORECASE):
            return chain[:end]
    bare = re.search(r"(Ủy ban nhân dân|Hội đồng nhân dân)\s+(tỉnh|thành phố|huyện|quận)\b", chain, re.IGNORECASE)
    if bare:
        return chain[:bare.end()]
    return chain


@lru_cache(maxsize=1)
def _contact_cue() -> re.Pattern[str]:
    lines = (DATA / "contact_cues.txt").read_text(encoding="utf-8").splitlines()
    cues = sorted((l.strip() for l in lines if l.strip() and not l.startswith("#")), key=len, reverse=True)
    verbs = "|".join(re.escape(v) for v in _phrases_of("contact_verbs"))
    # "(Doanh nghiệp quan tâm) liên hệ bà A, ...": the verb right before a person, an honorific and a capital
    person_next = rf"(?=(?:{'|'.join(re.escape(h) for h in honorifics())})\s+(?-i:[A-ZĐÀ-Ỹ]))"
    opening = "|".join(re.escape(a) for a in _phrases_of("contact_assigners"))
    # the cue may name what it is the contact point of before a colon ('Đầu mối triển khai chương trình: ...',
    # 'Đầu mối theo dõi thỏa thuận được giao cho Phòng Kinh tế hai bên: ...')
    return re.compile(rf"(?:(?:^|[,;:.]\s*)(?:(?:{opening})\s+)?(?P<cue>{'|'.join(re.escape(c) for c in cues)})"
                      r"(?:\s+(?:phía|của|tại)\s+(?P<org>[^:]+?)|(?P<what>(?:\s+[^\s;:.()]+){1,16}(?=\s*:))"
                      # or before 'là' and a person ('Đầu mối tổng hợp kết quả hợp tác là ông A, ...'): what
                      # the contact point is for, in words the cue list cannot all hold
                      rf"|(?P<for_what>(?:\s+[^\s;:.()]+){{1,16}}?(?=\s+là\s+{person_next})))?"
                      # the verb may take a colon before its person ('Chi tiết liên hệ: ông A, ...')
                      rf"\s*(?:\blà\b|:)\s*|(?:^|(?<=\s))(?:{verbs})\s*:?\s+{person_next})(?P<person>.+)$", re.IGNORECASE)


def _phrases_of(name: str) -> list[str]:
    """The phrases of ingest/data/<name>.txt, longest first."""
    lines = (DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return sorted((l.strip() for l in lines if l.strip() and not l.startswith("#")), key=len, reverse=True)


DIVISION_HEAD = re.compile(r"^(?:Phó\s+)?Trưởng phòng\s+(?P<division>.+)$")


def division_of(person: PersonRef) -> OrgRef | None:
    """The division a person heads when the title names it with its locality and no other body does ('Trưởng
    phòng Kinh tế quận X' → Phòng Kinh tế quận X, a body of the district); None otherwise (a division of a Sở,
    'Trưởng phòng Quản lý lữ hành', is not a body of its own)."""
    untied = [p.title for p in person.positions if p.org is None]
    match = DIVISION_HEAD.match(untied[0]) if untied else None
    if match is None:
        return None
    found = find_localities(match.group("division"))
    if not found or found[-1].end != len(match.group("division").rstrip()):
        return None
    return parse_org(f"Phòng {match.group('division')}", None)


def contact_cue_at(sentence: str) -> int | None:
    """Where a sentence's contact point begins ('..., đầu mối là ông A'), if it names one."""
    match = _contact_cue().search(sentence)
    return match.start() if match else None


def opens_with_contact(sentence: str) -> bool:
    """Whether a sentence opens with its contact point, or with words that name no work before it ('Chi tiết liên
    hệ: ông A, ...'; contact_openers.txt)."""
    cue = contact_cue_at(sentence)
    if cue is None:
        return False
    opening = fold(sentence[:cue])
    openers = [fold(o) for o in _phrases_of("contact_openers")]
    return not opening or re.sub(r"\bxin$", "", opening).strip() in openers


def contact_of_what(sentence: str) -> str:
    """What a sentence's contact point is named for, with its cue ('Đầu mối triển khai thỏa thuận mới: ...' →
    'Đầu mối triển khai thỏa thuận mới', 'Đầu mối phối hợp: ...' → 'Đầu mối phối hợp'); empty when it names none."""
    match = _contact_cue().search(sentence)
    return f"{match.group('cue') or ''}{match.group('what') or match.group('for_what') or ''}".strip() if match else ""


def contact_work(sentence: str) -> str:
    """The work a sentence's contact point is named for, without the cue ('Đầu mối tổ chức hội chợ: ...' → 'tổ chức
    hội chợ', 'Đầu mối tổng hợp kết quả là ông A' → 'tổng hợp kết quả'); empty when it names none."""
    match = _contact_cue().search(sentence)
    return (match.group("what") or match.group("for_what") or "").strip() if match else ""


def names_a_side(sentence: str) -> bool:
    """Whether a sentence's contact point says whose side it is on ('Đầu mối phía Bệnh viện X là ...')."""
    match = _contact_cue().search(sentence)
    return match is not None and match.group("org") is not None


def names_its_own_work(sentence: str) -> bool:
    """Whether a sentence's contact point says, before 'là' and the person, what work it is the contact for
    ('Đầu mối tổng hợp kết quả hợp tác là ông A'): then it is no contact of the task the sentence before names."""
    match = _contact_cue().search(sentence)
    return match is not None and match.group("for_what") is not None


def prose_contact(sentence: str) -> tuple[OrgRef | None, PersonRef] | None:
    """The contact point a sentence of news names ('Đầu mối triển khai phía Bệnh viện X là TS.BS
    Nguyễn Văn A, Trưởng phòng ... (ĐT: ...)'): the body it speaks for and the person, read as a
    contact cell; None when the sentence names no person after such words."""
    match = _contact_cue().search(sentence)
    if match is None:
        return None
    person_text = re.sub(r"\s*[()]\s*", ", ", match.group("person")).strip(" ,.;")
    cell = f"{match.group('org')} ({person_text})" if match.group("org") else person_text
    side = find_localities(match.group("org")) if match.group("org") else []
    # "Đầu mối phía Kon Tum là bà A, Giám đốc Sở X": a side named by its place places the body written without one
    place = side[0].unit if len(side) == 1 and side[0].end == len(match.group("org").rstrip()) else None
    org, person = parse_contact(cell, place)
    if person is None:
        return None
    return org or next((p.org for p in person.positions if p.org), None), person


# where a list of contact points goes on to the next one: a semicolon, or 'và' before the next side or person
# or 'và' after a body's bracketed contact before the next body ('Phòng A (ông X, ...) và Phòng B (bà Y, ...)')
NEXT_CONTACT = re.compile(r";\s*(?:và\s+)?|,?\s+và\s+(?=(?:về\s+)?phía\s|(?:"
                          + "|".join(re.escape(h) for h in honorifics()) + r")\s+[A-ZĐÀ-Ỹ])"
                          r"|(?<=\))\s*,?\s+và\s+(?=[A-ZĐÀ-Ỹ])")
# "phía tỉnh A là ông X, ...", "phía Nghệ An là Sở Y (bà Z, ...)": one side's contact point in a list
SIDE_PIECE = re.compile(r"^(?:về\s+)?phía\s+(?P<side>[^:()]+?)\s*(?:\blà\b|:)\s*(?P<rest>.+)$", re.IGNORECASE)


def prose_contacts(sentence: str) -> list[tuple[OrgRef | None, PersonRef]]:
    """The contact points a sentence of news names. A list of them, one per side ('Đầu mối triển khai: phía
    tỉnh A là ông X, ...; phía tỉnh B là bà Y, ...', or each person with their body: 'bà X, Trưởng phòng ...,
    Sở Y tỉnh A, ĐT ...; ông Z, ..., Sở Y tỉnh B'), gives each person with the side written before them, else
    the body written with them; a person of the list with neither is left out: whose contact it is stays unsure.
    One contact point is read by ``prose_contact``. The people may also come before the cue, after the words
    that assign them ('hai bên phân công ông X, ... và bà Y, ... làm đầu mối liên hệ')."""
    match = _contact_cue().search(sentence)
    if match is None:
        assigned = _assigned_before_cue().search(sentence)
        return (_listed_contacts(assigned.group("person"), at_least=1) or []) if assigned else []
    if match.group("org") is None and (listed := _listed_contacts(match.group("person"), at_least=2)) is not None:
        return listed
    one = prose_contact(sentence)
    return [one] if one else []


def _listed_contacts(people: str, at_least: int) -> list[tuple[OrgRef, PersonRef]] | None:
    """The people a list of contact points names, each with their body (those whose body the list does not say
    are left out); None when the text names fewer than ``at_least`` people: it is no list."""
    pieces = [p.strip(" .,") for p in NEXT_CONTACT.split(people) if p.strip(" .,")]
    named = [r for r in (_contact_piece(piece) for piece in pieces) if r is not None]
    if len(pieces) < at_least or len(named) < at_least:
        return None
    return [(org, person) for org, person in named if org is not None]


@lru_cache(maxsize=1)
def _assigned_before_cue() -> re.Pattern[str]:
    """'Hai bên phân công đồng chí X, ... và đồng chí Y, ... làm đầu mối liên hệ': the people between the
    words assigning them (contact_assigners.txt, without the cue they may end with) and 'làm' + a cue."""
    cue = "|".join(re.escape(c) for c in _phrases_of("contact_cues"))
    opening = "|".join(re.escape(a) for a in _phrases_of("contact_assigners"))
    return re.compile(rf"(?:^|[,;:.]\s*)(?:{opening})\s+(?P<person>.+?)\s+làm\s+(?:{cue})\b", re.IGNORECASE)


def _person_in_prose(piece: str, side_place: Unit | None) -> PersonRef | None:
    """The one person a piece of prose names with one post at a body, and the first phone it gives ('ông X,
    Chuyên viên Phòng Kinh tế xã Y, điện thoại ... (di động ...)'); None otherwise."""
    people = people_in_sentence(piece, side_place)
    if len(people) != 1 or len(people[0].positions) != 1 or people[0].positions[0].org is None:
        return None
    return replace(people[0], phone=people[0].phone or find_phone(piece))


def _contact_piece(piece: str) -> tuple[OrgRef | None, PersonRef] | None:
    """One contact point of a list: its body (the side written before the person, else the body written with
    them; None when neither is written) and the person; None when the piece names no person."""
    side = SIDE_PIECE.match(piece)
    side_org = side_place = None
    if side:
        side_org = parse_org(side.group("side"), None)
        places = find_localities(side.group("side"))
        side_place = places[-1].unit if places else None
        piece = side.group("rest")
    if honorific_at(piece) and (read := _person_in_prose(piece, side_place)):
        outer, person = None, read  # 'ông X, Trưởng phòng Y xã Z, điện thoại ...': read as prose names people
    else:
        if "(" not in piece or honorific_at(piece):
            # a person alone, not a body with its person in brackets (a bracket after the person holds a phone)
            piece = "({})".format(re.sub(r"\s*[()]\s*", ", ", piece).strip(" ,"))
        outer, person = parse_contact(piece, side_place)
    if person is None:
        return None
    own = next((p.org for p in person.positions if p.org), None)
    body = outer or own or side_org or division_of(person)
    if side and side_org is None and side_place is None:
        body = None  # a side this reading cannot place
    elif side_place is not None and body is not None and body.locality is not None and \
            province_of(body.locality).node_id != province_of(side_place).node_id:
        body = None  # 'phía tỉnh A là ông X, Giám đốc Sở Y tỉnh B': the text contradicts itself
    return body, person
