"""Agreements in prose: their kind, parties, signing date, period and sectors.

A sentence names an agreement with a keyword from agreement_types.csv ("Thỏa thuận hợp
tác", "Biên bản ghi nhớ", ...). Its parties stand after "giữa" (or before the keyword):
localities, People's Committees (which act for their locality, so they count as the
locality), or other bodies (Sở, Bệnh viện, ...). "UBND 5 tỉnh vùng Tây Nguyên" is the five
provinces of the region; a list in parentheses, when given, is authoritative. A date is a
signing date only in a sentence that says the agreement was signed (ký).

The first party convenes ("TP.HCM với 5 tỉnh"): the others cooperate with it, not with each other,
unless the text says every party signs with every other ("kết nghĩa ba bên", "A, B và C kết
nghĩa"). Counted groups ("5 xã của tỉnh A kết nghĩa với 5 xã, phường của tỉnh B") are no parties:
their pairs, listed apart, are the agreements, signed when the group was.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache

from graph.text import DATA as GRAPH_DATA
from graph.text import fold, read_table
from ingest.announced import Announcement, announced_items, before_list_end
from ingest.dates import full_dates, month_dates, period
from ingest.gazetteer import BEFORE, UNIT_TYPE_WORDS, ancestors
from ingest.localities import (
    Mention,
    Unit,
    drop_qualifiers,
    find_localities,
    find_regions,
    in_history_aside,
    in_province,
)
from ingest.orgs import OrgRef, head_of, parse_org
from ingest.sectors import (
    committed_fields,
    plain_long_label,
    sector_cue,
    sector_labels,
    sector_statements,
    sectors_in,
    short_enough,
)
from ingest.vocab import (
    agreement_keywords,
    agreement_pointers,
    cooperation_words,
    keyword_fields,
    member_bodies,
    negation_cues,
    organization_heads,
    region_group_words,
    relation_fields,
    replacing_cues,
    reporting_verbs,
    review_cues,
    unsigned_cues,
)

_HEADS = re.compile("|".join(rf"(?<!\w){re.escape(head)}(?=\s)" for head, _ in organization_heads()))
# an organization head right before a place or region makes it part of that body's proper name
_HEADS_BEFORE = re.compile("(?:" + "|".join(rf"(?<!\w){re.escape(head)}" for head, _ in organization_heads()) + r")\s+$")
SPAN_END = re.compile(r"\s+(?:năm\s+\d{4}|giai đoạn|thời kỳ|đến năm|được ký|đã ký|ký kết|tổ chức|nhằm|về việc|trong năm)\b")
# "tại TP.HCM", "tại Hội trường Thành ủy TP.HCM": a venue, up to the next comma, is not a party
PLACE_CUE = re.compile(r"\b(?:tại|ở)\s+[^,;()]*$|\b(?:đến|về)\s+(?:(?:tỉnh|thành phố|huyện|quận|thị xã)\s+)?$",
                       re.IGNORECASE)
# "A đã hợp nhất với tỉnh B", "A kế thừa quyền và nghĩa vụ của tỉnh B": units of the 2025 reorganisation, not signatories
MERGER_CUE = re.compile(r"\b(?:hợp nhất|sáp nhập)(?:\s+(?:với|vào|thành))?\s+$|\bkế thừa\b[^,;()]*$", re.IGNORECASE)
# "... với các doanh nghiệp lữ hành của tỉnh B": a place after 'của' says whose the party is, and is not one
OWNER_CUE = re.compile(r"\bcủa\s+$", re.IGNORECASE)
COUNT = re.compile(r"\b(\d{1,2})\s+(?:tỉnh|địa phương)\b", re.IGNORECASE)
VAGUE = re.compile(r"\bmột số\b", re.IGNORECASE)
ONE_OF_MANY = re.compile(r"\bmột trong(?: những| các| số)?\b|\bcặp\b", re.IGNORECASE)
# "Kết nghĩa 4 cặp xã, phường giữa tỉnh A và tỉnh B": pairs of units of A and B twin, not A and B
PAIRS_COUNTED = re.compile(r"^\s*\d{1,3}\s+cặp\b", re.IGNORECASE)
# "Đây là thỏa thuận ...", "Đó cũng là ...": a sentence about the agreement already told of; the places it goes on
# to name are not its parties
THIS_IS = re.compile(r"^\s*(?:Đây|Đó)\s+(?:cũng\s+)?là\s*$", re.IGNORECASE)
# "5 xã của tỉnh A", "ba xã, phường của A, B và C", "các địa phương ở A": a counted group of units signs; the places
# after 'của' are where its members are, not parties
UNIT_NOUNS = r"(?:xã|phường|thị trấn|thị xã|huyện|quận|địa phương|đơn vị)"
# ("hai xã vùng cao A, B": a counted group described by a few words in lower case, then whose its members are;
# not words that join or sign, 'hai xã ký kết với A', nor words that list the members, 'ba địa phương gồm A, B và C')
COUNTED_UNITS = re.compile(rf"(?i:\b(?:\d{{1,3}}|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|các|những)\s+{UNIT_NOUNS}"
                           rf"(?:\s*,\s*{UNIT_NOUNS})*\s+)(?:(?i:(?:của|thuộc|ở)\s+(?:(?:hai|ba|các|\d{{1,2}})(?:\s+(?:tỉnh|huyện))?\s+)?)"
                           rf"|(?:(?!(?:với|và|giữa|ký|kết|cùng|tại|là|đã|sẽ|được|gồm|bao gồm)\s)[a-zđà-ỹ]+\s+){{1,3}})$")
# the next place of a list of places ('của A, B và C', 'của hai tỉnh A - B')
LIST_JOIN = re.compile(r"\s*(?:,|và|,\s*và|[-–])\s*", re.IGNORECASE)
# "UBND tỉnh A giao Sở X tỉnh A làm đầu mối ...": the body assigned a task carries the agreement out, it did not sign
ASSIGNED = re.compile(r"(?<!\w)(?<!bàn )giao\s+(?:cho\s+)?$", re.IGNORECASE)
# "Trường Đại học X (phường Y, TP Z)": a bracket opened right after a body's name gives its address
ADDRESS_OPEN = re.compile(r"^\s*\([^()]*$")
# "UBND hai tỉnh", "hai bên", "hai địa phương": the two parties already named
BOTH_SIDES = re.compile(r"\bhai\s+(?:tỉnh|bên|địa phương|huyện|quận|thành phố|xã|phường|bệnh viện|sở|đơn vị)\b",
                        re.IGNORECASE)

Party = Unit | OrgRef


@dataclass
class AgreementMention:
    """One sentence's account of an agreement."""

    agreement_type: str
    phrase: str
    parties: list[Party]
    quote: str
    date_signed: str | None = None
    period: str | None = None
    sectors: list[str] = field(default_factory=list)
    vague: bool = False  # parties came from a region or "một số ...", not from names
    more_quotes: list[str] = field(default_factory=list)
    signed_here: bool = False  # a sentence says it was signed (at the event an article reports)
    stated_date: str | None = None  # the signing date the sentence gives, even when its parties are a guess
    listed_under: str | None = None  # the line announcing the list of pairs this pair is one of
    reviewed: bool = False  # reviewed here ('hội nghị sơ kết Chương trình ...'), not signed here
    multilateral: bool = False  # every party cooperates with every other ('kết nghĩa ba bên'): no convener
    clause: str = ""  # the words of the sentence that name this agreement (the quote may name others too)
    # the sentences that announce its fields ('hai bên hợp tác trên các lĩnh vực: ...'), with the items they write
    announced: list[Announcement] = field(default_factory=list)

    @property
    def party_ids(self) -> frozenset[str]:
        return frozenset(p.node_id for p in self.parties)


def keyword_in(sentence: str) -> tuple[int, str, str] | None:
    """(position, keyword as written, agreement type) of the first agreement keyword."""
    folded_words = [fold(w) for w in sentence.split()]
    for key, agreement_type in agreement_keywords():
        size = len(key.split())
        for i in range(len(folded_words) - size + 1):
            if " ".join(folded_words[i:i + size]) == key:
                start = len(" ".join(sentence.split()[:i])) + (1 if i else 0)
                return start, " ".join(sentence.split()[i:i + size]), agreement_type
    return None


def parties_in(span: str, counted_in: str | None = None) -> tuple[list[Party], bool]:
    """Parties named in a span of text, and whether they are only a guess.

    A region stands for all its provinces ("các tỉnh vùng Tây Nguyên"), unless a count says
    only some of them are meant ("4 tỉnh ven biển Đồng bằng sông Cửu Long"): then it is a guess."""
    found = find_localities(span)
    mentions = drop_qualifiers(found, span)
    parties: list[Party] = []
    previous_end = 0
    placed: list[tuple[int, Party]] = []
    venue_end: int | None = None
    owners = {m.start for m in counted_owners(span)}
    last_body_end: int | None = None  # where the last body placed as a party ends
    for mention in mentions:
        if mention.start in owners:
            previous_end = mention.end
            continue
        if last_body_end is not None and ADDRESS_OPEN.match(span[last_body_end:mention.start]):
            previous_end = mention.end  # the body's address, not another party
            continue
        # "tại TP.HCM": where it happened, not who signed; "tại Trung tâm Hội nghị tỉnh X (phường Y)": the
        # bracket places the venue further
        # "tại Hội trường UBND tỉnh (phường Y)": a bracket right after a venue without a place's name places it too
        before = span[:mention.start].rstrip()
        in_venue_bracket = ((venue_end is not None and span[venue_end:mention.start].strip() == "(")
                            or (before.endswith("(") and PLACE_CUE.search(before[:-1]) is not None))
        if PLACE_CUE.search(span[:mention.start]) or in_venue_bracket:
            previous_end = venue_end = mention.end  # the venue's name is used up: no body reaches back into it
            continue
        if (MERGER_CUE.search(span[:mention.start]) or OWNER_CUE.search(span[:mention.start])
                or in_history_aside(span, mention)):
            previous_end = mention.end
            continue
        named = _body_named_before(span, previous_end, mention)
        system = _closes_a_political_system(span[previous_end:mention.start])
        previous_end = mention.end
        body_start, body = named if named else (mention.start, None)
        if ASSIGNED.search(span[:body_start]):
            continue  # "giao Sở X tỉnh A ...": assigned to carry the agreement out
        if body is not None and _bracket_after_body(span, body_start):
            continue  # "Trường Đại học A (Đại học B)": B is whose member A is, no party
        last_body_end = None
        if body is not None and body.category not in ("PeopleCommittee", "PeopleCouncil") and not system:
            placed.append((mention.start, body))  # People's Committees act for their locality, so they count as it
            last_body_end = mention.end
        else:
            placed.append((mention.start, mention.unit))
    placed += _bodies_without_place(span)
    placed += _unit_the_count_restores(span, counted_in or span, [m for m in found if m not in mentions], placed)
    parties = [party for _, party in sorted(placed, key=lambda item: item[0])]
    named = len(parties)
    named_provinces = sum(1 for p in parties if isinstance(p, Unit) and p.level == "province")
    counted = [int(n) for n in COUNT.findall(span)]
    partial_region = False
    for region in find_regions(span):
        if _HEADS_BEFORE.search(span[:region.start]) or _in_a_body_name(span, region.start):
            continue  # "Trường Đại học Tây Nguyên", "Công ty Cà phê Tây Nguyên Vàng": a name, not the region
        if named_provinces < 2:
            parties += list(region.provinces)
            partial_region = partial_region or any(n < len(region.provinces) for n in counted)
    # Without a named counterpart ("doanh nghiệp của TP với 5 tỉnh ...") or with "một số ...", the parties are a guess.
    vague = named == 0 or partial_region or (VAGUE.search(span) is not None and named_provinces < 2 and named < 2)
    unique: dict[str, Party] = {}
    for party in parties:
        unique.setdefault(party.node_id, party)
    placed_bodies = {fold(p.body) for p in unique.values() if isinstance(p, OrgRef) and p.locality is not None}
    # "Trường X (TP Y, tỉnh Z)": found once by its name and once with its address; it is one party
    return [p for p in unique.values()
            if not (isinstance(p, OrgRef) and p.locality is None and fold(p.body) in placed_bodies)], vague


# "... kết nghĩa ba huyện": the sides counted, three or more, at one level
SIDES_COUNTED = re.compile(r"\b(ba|bốn|năm|sáu|[3-9])\s+(tỉnh|thành phố|huyện|quận|thị xã|xã|phường)\b(?!\s+(?:của|thuộc)\b)",
                           re.IGNORECASE)
SIDES_NUMBERS = {"ba": 3, "bốn": 4, "năm": 5, "sáu": 6}


def _unit_the_count_restores(span: str, counted_in: str, dropped: list[Mention],
                             placed: list[tuple[int, Party]]) -> list[tuple[int, Party]]:
    """'tại thị trấn A, huyện A (tỉnh P), huyện B (tỉnh Q) và huyện C (tỉnh R) ... kết nghĩa ba huyện': the first
    side, written right after the venue, reads as the venue's parent; when the sides counted are one more than
    those placed at that level, and exactly one unit of that level was taken for a parent, it is that side. The
    count may stand after the span of the parties (``counted_in``: their whole sentence)."""
    count = SIDES_COUNTED.search(counted_in)
    if count is None:
        return []
    wanted = int(count.group(1)) if count.group(1).isdigit() else SIDES_NUMBERS[count.group(1).lower()]
    level = f"{fold(count.group(2))} "
    def at_level(start: int) -> bool:
        return fold(span[start:start + 40]).startswith(level)
    sides = [p for start, p in placed if isinstance(p, Unit) and at_level(start)]
    hidden = [m for m in dropped if at_level(m.start) and m.unit.node_id not in {p.node_id for p in sides}]
    return [(hidden[0].start, hidden[0].unit)] if len(sides) == wanted - 1 and len(hidden) == 1 else []


def counted_owners(span: str) -> list[Mention]:
    """The places a counted group of units belongs to ('5 xã của tỉnh A', 'ba xã, phường của A, B và C'): the
    members of the group sign, each with a member of another group; the places only say whose they are."""
    owners: list[Mention] = []
    for mention in drop_qualifiers(find_localities(span), span):
        if COUNTED_UNITS.search(span[:mention.start]) or (
                owners and LIST_JOIN.fullmatch(span[owners[-1].end:mention.start])):
            owners.append(mention)
    return owners


@lru_cache(maxsize=1)
def _governing_categories() -> frozenset[str]:
    """The kinds of body that act for their locality (People's Committee, Council, Party committee)."""
    rows = read_table(GRAPH_DATA / "organization_categories.csv")
    return frozenset(r["category"] for r in rows if r["acts_for_locality"] == "yes")


def _closes_a_political_system(before_place: str) -> bool:
    """Whether the body written right before a place closes a list of that place's bodies named by their kind
    alone, among them one that acts for it ('Đảng ủy, HĐND, UBND, Ủy ban MTTQ phường X và xã Y tổ chức Lễ kết
    nghĩa'): the list is the place's whole political system, which signs as the place, not the last body."""
    items = re.split(r"\s*,\s*|\s+và\s+", before_place.strip())
    kinds = []
    for item in reversed(items[:-1]):
        head = head_of(item)
        if head is None or fold(head[0]) != fold(item):
            break
        kinds.append(head[1])
    return any(kind in _governing_categories() for kind in kinds)


def _in_a_body_name(span: str, start: int) -> bool:
    """Whether a region written at ``start`` goes on a body's name ('Công ty Cổ phần Nông sản Tây Nguyên
    Xanh'): written in capitals, after a capitalised organization head with no party boundary between
    them, and not right after a word that makes it a group ('các tỉnh Tây Nguyên', '5 tỉnh Tây Nguyên')."""
    before = unicodedata.normalize("NFC", span[:start].lower()).split()
    if not span[start:start + 1].isupper() or any(before[-len(w.split()):] == w.split() for w in region_group_words()):
        return False
    for head in _HEADS.finditer(span, 0, start):
        between = span[head.end():start]
        if not BODY_END.search(between) and not re.search(r"\d", between):
            return True
    return False


BODY_END = re.compile(r"\s+(?:và|với|cùng|đã|sẽ|vừa|ký|tổ chức|trao|về|nhằm|giai đoạn|trong|chính thức|trở thành)\b"
                      r"|[,;:.()]")


def _bodies_without_place(span: str) -> list[tuple[int, OrgRef]]:
    """Bodies named without a place ('Bệnh viện Chợ Rẫy và Bệnh viện Đa khoa tỉnh Sóc Trăng đã ký'):
    a capitalised organization head up to the next 'và', comma or verb, naming no locality."""
    found = []
    for head in _HEADS.finditer(span):
        end = BODY_END.search(span, head.end())
        while end and end.group().strip() in ("và", ",") and _name_goes_on(span[end.end():]):
            end = BODY_END.search(span, end.end())  # "Sở Văn hóa, Thể thao và Du lịch": one name
        text = span[head.start():end.start() if end else len(span)]
        if _bracket_after_body(span, head.start()):
            continue  # "Trường Đại học A (Đại học B)": the bracket after a body says whose member it is, no party
        if (PLACE_CUE.search(span[:head.start()]) or ASSIGNED.search(span[:head.start()]) or find_localities(text)
                or len(text.split()) < 2):
            continue
        if not text.split()[len(head.group().split())][:1].isupper():
            continue  # "Sở, ban, ngành", "Trung tâm của vùng": not a name
        body = parse_org(text, None)
        if body is not None and body.category not in ("PeopleCommittee", "PeopleCouncil"):
            found.append((head.start(), body))
    return found


def _bracket_after_body(span: str, start: int) -> bool:
    """Whether a body named at ``start`` stands in a bracket opened right after another body's name ('Trường Đại học
    A (Đại học B)'): the bracket says whose member the body before is (or its name in full), it names no party."""
    opened = re.search(r"\s*\(\s*$", span[:start])
    heads = list(_HEADS.finditer(span, 0, opened.start())) if opened else []
    return bool(heads) and not NAMES_APART.search(span[heads[-1].end():opened.start()])


def _name_goes_on(text: str) -> bool:
    """Whether a body's name goes on after 'và' or a comma: a capitalised word that starts no other
    party (a body's head, a place, a region)."""
    text = text.lstrip()
    if not text[:1].isupper() or _HEADS.match(text) or any(r.start == 0 for r in find_regions(text)):
        return False
    return not ((found := find_localities(text)) and found[0].start == 0)


def _body_named_before(span: str, since: int, mention: Mention) -> tuple[int, OrgRef | None] | None:
    """Where the body whose name ends with this place starts ('Sở Y tế tỉnh X', 'Bệnh viện Y (tỉnh X)'), and the
    body, if any: the last capitalised organization head between the previous place and this one."""
    heads = list(_HEADS.finditer(span, since, mention.start))
    if not heads or SIGNS_BETWEEN.search(span[heads[-1].end():mention.start]):
        return None  # "Trường Đại học X đã ký ... với tỉnh Y": the body acts on the place, its name ended before
    start = heads[-1].start()
    if len(heads) >= 2 and MEMBER_OF.fullmatch(span[heads[-2].start():start]):
        start = heads[-2].start()  # "Trường Đại học A - Đại học B": the member school, its university after the dash
    elif len(heads) >= 2 and not NAMES_APART.search(span[heads[-2].start():start]):
        start = heads[-2].start()  # "Bệnh viện Đa khoa Trung tâm tỉnh X": a head inside the name goes on it
    text = span[start:mention.start]
    if "(" in text:  # "Bệnh viện Bãi Cháy (tỉnh Quảng Ninh)": the place qualifies a name without one
        return start, parse_org(text.split("(")[0], mention.unit)
    return start, parse_org(span[start:mention.end], None)


# a verb or 'với' between a body's head and a place: the body's name ended before them, the place is another party
SIGNS_BETWEEN = re.compile(r"\s(?:đã|sẽ|vừa|ký|với)\s")
# a body's name, then a dash: the body it belongs to follows ("Trường Đại học A - Đại học B")
MEMBER_OF = re.compile(r"[^,;:.()]+?\s[-–]\s")
# what stands between the names of two bodies: a comma, a bracket, a dash or a joining word
NAMES_APART = re.compile(r"[,;:.()\-–]|\b(?:và|với|cùng|của|giữa|tại|cho)\b", re.IGNORECASE)


def bodies_of_both(sentence: str, before: str) -> str:
    """'Sở VH,TT&DL hai tỉnh đã ký ...' after a sentence naming exactly two provinces: the department of
    each of them, written out ('Sở X tỉnh A và Sở X tỉnh B'); else the sentence as it is."""
    if (each := _body_of_each_named(sentence)) != sentence:
        return each
    if (each := _each_of_two_bodies(sentence)) != sentence:
        return each
    # provinces written as such ('tỉnh A'), not a bare name that may be a person's ('Nguyễn Thị Thanh Hoa')
    provinces = list(dict.fromkeys(m.unit.short for m in find_localities(before)
                                   if m.unit.level == "province" and fold(before[m.start:m.end]).startswith("tinh ")))
    if len(provinces) != 2:
        return sentence
    heads = "|".join(re.escape(h) for h, category in organization_heads() if category == "Department")
    both = re.search(rf"\b((?:{heads})\s+\S+(?:\s+\S+){{0,7}}?)\s+hai\s+tỉnh\b", sentence)
    if both is None or find_localities(both.group(1)):
        return sentence
    body = both.group(1)
    return f"{sentence[:both.start()]}{body} tỉnh {provinces[0]} và {body} tỉnh {provinces[1]}{sentence[both.end():]}"


# "Liên đoàn Lao động hai tỉnh A và B": a body's kind, then the two places each has one of
BODY_OF_BOTH = re.compile(r"\s+hai\s+(?P<level>tỉnh|thành phố|huyện|quận|xã|phường)\s+")
# what joins the two places: 'và' in prose, a dash in a headline ('Công đoàn hai tỉnh A – B ký kết ...')
PAIR_JOINS = ("và", "-", "–")


def _body_of_each_named(sentence: str) -> str:
    """'Liên đoàn Lao động hai tỉnh A và B ký kết ...', 'Công đoàn hai tỉnh A – B ký kết ...': the body of each
    place, written out ('Liên đoàn Lao động tỉnh A và Liên đoàn Lao động tỉnh B'); they sign, not the places.
    Else the sentence as it is."""
    for both in BODY_OF_BOTH.finditer(sentence):
        head = next((h for h, _ in organization_heads()
                     if re.search(rf"(?:^|\s){re.escape(h)}(?:\s+\S+){{0,7}}$", sentence[:both.start()])), None)
        body_start = sentence[:both.start()].rfind(head) if head else -1
        if body_start < 0 or find_localities(sentence[body_start:both.start()]):
            continue
        places = f"{both.group('level')} {sentence[both.end():]}"
        found = find_localities(places)
        if len(found) < 2 or found[0].start != 0 or places[found[0].end:found[1].start].strip() not in PAIR_JOINS:
            continue
        body = sentence[body_start:both.start()]
        first, second = places[:found[0].end], places[found[1].start:found[1].end]
        level = both.group("level")
        second = second if fold(second).startswith(fold(level)) else f"{level} {second}"
        rest = sentence[both.end() + found[1].end - len(level) - 1:]
        return f"{sentence[:body_start]}{body} {first} và {body} {second}{rest}"
    return sentence


# "Hai Sở Nông nghiệp và Môi trường A – B ký kết ...": two bodies of one kind, then the place of each
TWO_BODIES = re.compile(r"(?<!\S)[Hh]ai\s+")


def _each_of_two_bodies(sentence: str) -> str:
    """'Hai Sở Y tế A – B ký kết ...', 'Hai Hội Nông dân A và B ...': the body of each place, written out ('Sở Y tế
    A và Sở Y tế B'); else the sentence as it is."""
    for two in TWO_BODIES.finditer(sentence):
        rest = sentence[two.end():]
        head = next((h for h, _ in organization_heads() if rest.startswith(f"{h} ")), None)
        found = find_localities(rest) if head else []
        if len(found) < 2 or rest[found[0].end:found[1].start].strip() not in PAIR_JOINS:
            continue
        body = rest[:found[0].start].strip()
        if not body or body == head or find_localities(body):
            continue  # 'hai Sở tỉnh A' names no body's own words before the place
        first, second = rest[found[0].start:found[0].end], rest[found[1].start:found[1].end]
        return f"{sentence[:two.start()]}{body} {first} và {body} {second}{rest[found[1].end:]}"
    return sentence


def agreement_clauses(sentence: str) -> list[str]:
    """The parts of a sentence that each name an agreement ('Thỏa thuận giữa A và B; Bản ghi nhớ giữa C và
    D ký ngày ...'; 'xã X kết nghĩa với xã Y; xã Z kết nghĩa với xã T'), or the whole sentence."""
    bases = LEGAL_BASES.split(sentence)
    if len(bases) >= 2:  # "Căn cứ Chương trình giữa A và B ký ngày D; căn cứ kết quả Hội nghị ... giữa C và D"
        return [clause for basis in bases for clause in agreement_clauses(basis) if keyword_in(clause) is not None]
    clauses = [_pair_after_group(c) for c in re.split(r"\s*;\s*", sentence) if keyword_in(c) is not None]
    if len(clauses) >= 2:
        return clauses
    return (split_at_second_between(sentence) or split_review_and_signing(sentence)
            or split_replaced(sentence) or _split_at_second_agreement(sentence))


def _pair_after_group(clause: str) -> str:
    """'4 xã của A kết nghĩa với 4 xã của B, cụ thể: xã X kết nghĩa với xã Y': the first listed pair, after the
    colon closing the group signing (read as a group on its own); else the clause as it is."""
    before, colon, after = clause.partition(":")
    if colon and len(counted_owners(before)) >= 2 and keyword_in(after) is not None:
        return after.strip()
    return clause


def split_replaced(sentence: str) -> list[str]:
    """A renewal and the agreement it replaces in one sentence ('A và B ký kết Thỏa thuận giai đoạn 2026 - 2030,
    thay thế thỏa thuận giai đoạn 2021 - 2025 ký ngày D'; replacing_cues.txt): the renewal's clause, and the
    replaced one's with the words before the renewal's keyword (its parties: the same). None when the sentence
    names the replaced agreement's own parties ('kế thừa Thỏa thuận giữa A và C') or no replaced agreement."""
    first = keyword_in(sentence)
    if first is None:
        return []
    first_end = first[0] + len(first[1])
    second = keyword_in(sentence[first_end:])
    if second is None:
        return []
    second_at = first_end + second[0]
    between = sentence[first_end:second_at]
    words = fold(between).split()
    cue = next((c for c in replacing_cues() if _ends_with(words, c.split())), None)
    if cue is None or re.search(r"\bgiữa\b", sentence[second_at:]):
        return []
    cue_at = first_end + len(between.rstrip()) - len(" ".join(between.split()[-len(cue.split()):]))
    renewal, replaced = sentence[:cue_at].rstrip(" ,;"), sentence[second_at:]
    close = replaced.find(")")
    if sentence[cue_at:cue_at + 1] == "(" and close >= 0:  # "... (thay thế Chương trình ký ngày D) về X, Y": an aside
        renewal, replaced = f"{renewal} {replaced[close + 1:].lstrip()}", replaced[:close]
    return [renewal.strip(), f"{sentence[:first[0]].rstrip()} {replaced.strip()}"]


# a plan's preamble cites each legal basis after its own 'căn cứ', and closes with the proposal it answers
# ('...; xét đề nghị của Giám đốc Sở X, UBND tỉnh ban hành ...'): each names its own agreement and parties
LEGAL_BASES = re.compile(r"\s*;\s*(?=(?:căn\s+cứ|xét\s+đề\s+nghị|theo\s+đề\s+nghị)\b)", re.IGNORECASE)
# "... sơ kết Chương trình A ... và ký kết Thỏa thuận B ...": the next agreement signed at the review
SIGNS_NEXT = re.compile(r"(?:,\s*|\s+)(?:và\s+|đồng\s+thời\s+)?(?=ký(?:\s+kết)?\s)", re.IGNORECASE)


def split_review_and_signing(sentence: str) -> list[str]:
    """A review of one agreement and the signing of the next at the same event ('Ngày D, A và B tổ chức hội
    nghị sơ kết Chương trình giai đoạn 2023 - 2025 và ký kết Thỏa thuận giai đoạn 2026 - 2030'): the reviewed
    agreement's clause, and the signed one's with the words before the review (the day, the parties); none
    when the sentence does not tell of both."""
    first = keyword_in(sentence)
    if first is None:
        return []
    cues = [word.start() for word in re.finditer(r"\w+", sentence[:first[0]])
            if any(f"{fold(sentence[word.start():first[0]])} ".startswith(f"{cue} ") for cue in review_cues())]
    join = SIGNS_NEXT.search(sentence, first[0] + len(first[1]))
    if not cues or join is None or keyword_in(sentence[join.end():]) is None:
        return []
    return [sentence[:join.start()].strip(), f"{sentence[:min(cues)].rstrip()} {sentence[join.end():].strip()}"]


# '... kết nghĩa giữa A với B và giữa C với D': a second 'giữa' after 'và' opens a second pair
SECOND_BETWEEN = re.compile(r",?\s+và\s+(?=giữa\s)")


def split_at_second_between(sentence: str) -> list[str]:
    """One agreement's words naming two pairs, each after its own 'giữa': a clause per pair, each with the
    words before the first 'giữa' (the keyword, the day); none when the sentence names one pair."""
    keyword = keyword_in(sentence)
    first = re.search(r"\bgiữa\s", sentence)
    if keyword is None or first is None or first.start() < keyword[0]:
        return []
    second = SECOND_BETWEEN.search(sentence, first.end())
    if second is None:
        return []
    return [sentence[:second.start()].strip(), (sentence[:first.start()] + sentence[second.end():]).strip()]


def _split_at_second_agreement(sentence: str) -> list[str]:
    """A sentence naming a second agreement with its own parties after a comma ('A và B ký Chương trình
    ... 2026 - 2030, kế thừa Thỏa thuận hợp tác giữa A và C ký tháng 7/2020'): two clauses, each agreement
    with its own parties and day; else the whole sentence."""
    first = keyword_in(sentence)
    if first is None:
        return [sentence]
    first_end = first[0] + len(first[1])
    second = keyword_in(sentence[first_end:])
    if second is None:
        return [sentence]
    second_at = first_end + second[0]
    comma = sentence.rfind(",", first_end, second_at)
    if comma < 0 or not re.search(r"\bgiữa\b", sentence[second_at:]):
        return [sentence]
    return [sentence[:comma].strip(), sentence[comma + 1:].strip()]


def _counterpart_after(tail: str) -> list[Party]:
    """The party after 'với' right behind the keyword ('... kết nghĩa với huyện C'), if one is named."""
    match = re.match(r"\s*(?:\S+\s+){0,3}?với\s+(.+)", tail)
    if not match:
        return []
    span = match.group(1)
    end = SPAN_END.search(span)
    return parties_in(span[:end.start()] if end and end.start() > 0 else span)[0]


def _party_span(sentence: str, keyword_at: int) -> str:
    between = re.search(r"\bgiữa\b", sentence[keyword_at:])
    if between:
        span = sentence[keyword_at + between.end():]
    else:
        span = sentence[:keyword_at]
    end = SPAN_END.search(span)
    return span[:end.start()] if end and end.start() > 0 else span


def _phrase(sentence: str, keyword_at: int) -> str:
    """The agreement's own words: from the keyword up to 'giữa' (at most a dozen words)."""
    tail = sentence[keyword_at:]
    cut = re.search(r"[,;(]|\.(?!\d)|\s+(?:giữa|ngày|năm \d|giai đoạn|thời kỳ|đến năm|được|đã|ký kết|với)\b", tail)
    words = (tail[:cut.start()] if cut else tail).split()[:14]
    return " ".join(words).rstrip(" ,.;:")


def _intro(sentence: str) -> str:
    """The part of a sentence that may name an agreement's parties: not a list after a colon
    ('... 06 lĩnh vực: (1) hành lang Côn Minh - Lào Cai ...'), not the people who attended, not those
    who witnessed the signing ('hai tỉnh A và B chứng kiến lễ ký kết ... giữa ...')."""
    intro = re.split(r":|\b(?:ông|bà|Ông|Bà|đồng chí)\s+[A-ZĐÀ-Ỹ]", sentence, maxsplit=1)[0]
    return re.split(r"\bchứng kiến\b", intro, maxsplit=1)[-1]


def _without_denied(sentence: str) -> str:
    """The sentence up to a denied agreement ('..., không phải thỏa thuận cấp tỉnh giữa A và B'): what is
    denied names no agreement. A denial of something else ('không phải lần đầu ...') keeps the sentence."""
    words = sentence.split()
    folded = [fold(w) for w in words]
    for cue in negation_cues():
        size = len(cue.split())
        for i in range(len(folded) - size + 1):
            if " ".join(folded[i:i + size]) == cue and keyword_in(" ".join(words[i + size:i + size + 4])):
                return " ".join(words[:i]).rstrip(" ,;")
    return sentence


def find_agreement(sentence: str, quote: str, default_year: int | None,
                   known_parties: list[Party] | None = None,
                   antecedent: list[Party] | None = None) -> AgreementMention | None:
    """The agreement a sentence names, if it names one with at least two parties.

    "UBND hai tỉnh", "hai bên" name no party: they stand for ``known_parties``, the parties of the
    agreement named just before. A sentence whose subject is the agreement itself and that names no
    party ("Thỏa thuận được ký kết ngày ...") speaks of ``antecedent``, the parties of the one agreement
    of its kind the text named before (the caller gives none when that is not clear). A signing date
    is a day ("ký ngày 09/4/2021") or, when the text gives no day, a month ("ký ... hồi tháng 3/2023")."""
    sentence = _without_denied(sentence)
    keyword = keyword_in(sentence)
    if keyword is None:
        return None
    at, written, agreement_type = keyword
    if ONE_OF_MANY.search(sentence[:at]):
        return None  # "Đây là một trong những cặp kết nghĩa ... giữa TP.HCM và các tỉnh": a kind of signing, not one
    if PAIRS_COUNTED.match(sentence[at + len(written):]):
        return None
    if THIS_IS.match(sentence[:at]):
        return None  # "Đây là thỏa thuận đầu tiên của bệnh viện kể từ khi tỉnh A ...": the one told before, no new one
    if not_signed(sentence, at, written):
        return None  # "Hai tỉnh thống nhất sẽ ký kết thỏa thuận ...": planned, proposed or drafted, not made
    if MEMBERS_TWINNED.search(sentence[:at]):
        return None  # "đại diện 10 xã, phường kết nghĩa": the twinned units, named elsewhere
    span = _party_span(sentence, at)
    if BOTH_SIDES.match(span.strip()):  # "A và B ký ... giữa hai huyện kể từ ...": the two named before
        parties, vague = parties_in(_intro(sentence[:at]))
        if len(parties) < 2:  # "Chương trình hợp tác giữa hai tỉnh A và B": the two, named right after
            parties, vague = _both_named_after(span.strip()) or (parties, vague)
    else:
        parties, vague = parties_in(span, sentence)
        if len(parties) < 2 and counted_owners(span):
            return None  # "giữa 5 xã của tỉnh A với 5 xã của tỉnh B": the pairs are named elsewhere (group_signing)
        if len(parties) < 2:
            parties, vague = parties_in(_intro(sentence))
    counterpart = _counterpart_after(sentence[at + len(written):])
    if len(parties) >= 2 and len(counterpart) == 1 and counterpart[0].node_id not in {p.node_id for p in parties}:
        parties = counterpart + parties  # "A và B kết nghĩa với C": each twins with C, who convenes
    if len(parties) < 2 and known_parties and _both_sides_are(sentence, known_parties):
        parties, vague = list(known_parties), False
    told_of = len(parties) < 2 and antecedent is not None and opens_with_keyword(reported_clause(sentence))
    if told_of:
        parties, vague = list(antecedent), False
    if len(parties) < 2:
        return None
    cited_on = cited_date(sentence, at, default_year)
    signed = re.search(r"\bký\b", sentence, re.IGNORECASE) is not None and not reviewed_only(sentence)
    dates = [cited_on] if cited_on else _signing_dates(sentence, default_year) or month_dates(sentence) if signed else []
    reviewed = not re.search(r"\bký\b", sentence, re.IGNORECASE) and any(
        f" {cue} " in f" {fold(sentence[:at])} " for cue in review_cues())
    return AgreementMention(
        agreement_type=agreement_type, phrase=_phrase(sentence, at), parties=parties, quote=quote, clause=sentence,
        multilateral=len(parties) >= 3 and (MANY_SIDES.search(sentence) is not None or (
            agreement_type == TWINNING and not counterpart and not re.search(r"\bvới\b", sentence[at:]))),
        date_signed=None if vague else (dates[0] if dates else None), stated_date=dates[0] if dates else None,
        announced=[Announcement(quote, items)] if (items := _announced_by(sentence, at, written)) is not None else [],
        # "Biên bản ghi nhớ hợp tác phát triển du lịch": the fields an agreement's own name gives are its own
        # "tổng kết Thỏa thuận giai đoạn 2020 - 2025 và ký kết Chương trình ... giai đoạn 2025 - 2030": the period
        # written after the agreement's keyword is its own
        period=period(sentence[at:]) or period(sentence), vague=vague, reviewed=reviewed,
        # "hợp tác về ứng dụng khoa học công nghệ và đổi mới sáng tạo": the cue gives the known sectors, the items
        # after 'về' their labels as written
        # "Theo thỏa thuận, A sẽ chuyển giao kỹ thuật ...; đồng thời đào tạo ...": what it commits the parties to
        sectors=kind_fields(sentence, written) + (
            _unique_names(sector_statements(sentence) + fields_after_about(sentence[at:]) + fields_after_cue(sentence[at:])
                          + (committed_fields(sentence) if about_the_agreement(sentence) else []))
            or subject_after_keyword(sentence[at + len(written):], written) or contract_field(sentence[at:])
            or named_field(sentence[at + len(written):]) or sectors_in(_phrase(sentence, at))
            or (sectors_in(purpose) if told_of and (purpose := _purpose(sentence[at:])) else [])))


def kind_fields(sentence: str, written: str) -> list[str]:
    """The fields an agreement's kind names ('Hợp đồng chuyển giao kỹ thuật'; agreement_types.csv) and the relations
    its sentence says the signing makes ('công nhận B là bệnh viện vệ tinh của A'; relation_fields.txt), as written."""
    named = keyword_fields().get(fold(written))
    relations = [r for r in relation_fields() if re.search(rf"(?<!\w){re.escape(r)}(?!\w)", sentence)]
    return ([named] if named else []) + relations


# "..., giúp ba địa phương chia sẻ kinh nghiệm phát triển du lịch", "nhằm thúc đẩy thương mại": what it is for
PURPOSE = re.compile(r"(?:^|,)\s*(?:giúp|nhằm|để)\s+(?P<purpose>[^,;.]+)", re.IGNORECASE)
# "Ông A cho biết, ...": the speaker before the clause reported
REPORTED = re.compile(r"^(?P<speaker>[^,;:]{3,80}?)\s+(?:" + "|".join(re.escape(v) for v in reporting_verbs())
                      + r")\s*[,:]\s+", re.IGNORECASE)


def reported_clause(sentence: str) -> str:
    """The clause a speaker reports ('Ông A cho biết, kết nghĩa ba bên là ...' → 'kết nghĩa ba bên là ...'); the
    sentence itself when it reports nobody."""
    reported = REPORTED.match(sentence)
    return sentence[reported.end():] if reported and keyword_in(reported.group("speaker")) is None else sentence


def _purpose(tail: str) -> str | None:
    """What an agreement told of is for, in the clause that has it as its subject ('kết nghĩa ba bên là mô hình
    mới, giúp ba địa phương chia sẻ kinh nghiệm phát triển du lịch ...'): the words after 'giúp', 'nhằm', 'để'."""
    found = PURPOSE.search(tail)
    return found.group("purpose") if found else None


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(fold(name), name)
    return list(seen.values())


# "ký kết chương trình phối hợp (giai đoạn 2025 - 2027) về X, Y.": 'về' right behind the keyword says what it is about
SUBJECT = re.compile(r"^(?:\s+(?:giai đoạn|thời kỳ)\s+\d{4}\s*[-–]\s*\d{4})?\s+về\s+(?!việc\b)"
                     r"(?P<fields>[a-zđà-ỹ][^.:()]*?)[\s.;]*$", re.IGNORECASE)
# "ký kết chương trình phối hợp chăm lo đoàn viên, người lao động và phát triển đoàn viên công đoàn.": the fields
# written right behind a keyword ending in its kind of cooperation, with no 'về', closing the sentence
SUBJECT_PLAIN = re.compile(r"^\s+(?P<fields>[a-zđà-ỹ][^.:()]*?)[\s.;]*$")
PLAIN_SUBJECT_AFTER = re.compile(r"\b(?:phối hợp|hợp tác)$", re.IGNORECASE)
# words of a clause about who signs with whom, or of the signing, not of a field
NOT_A_FIELD = re.compile(r"\b(?:với|giữa|ký|kết nghĩa)\b", re.IGNORECASE)


def subject_after_keyword(after_keyword: str, written: str) -> list[str]:
    """The fields written after 'về' right behind an agreement's keyword, closing the sentence ('chương trình
    phối hợp về chăm lo đời sống đoàn viên, trao đổi kinh nghiệm tổ chức Tháng Công nhân'): the agreement's
    subject, each item kept as written even when no known sector names it. Only when every item reads as a
    short label; else none (a clause after 'về' is no list of fields)."""
    match = SUBJECT.match(after_keyword)
    plain = match is None and PLAIN_SUBJECT_AFTER.search(written) is not None
    if plain:
        match = SUBJECT_PLAIN.match(after_keyword)
    if match is None:
        return []
    fields = PERIOD_AT_END.sub("", match.group("fields"))
    items = [i for i in re.split(r"\s*[,;]\s*|\s+và\s+", fields.strip(" .;")) if i]
    if plain and (len(items) < 2 or NOT_A_FIELD.search(fields)):
        return []  # one item alone after the keyword may qualify it ('hợp tác toàn diện'); a list names fields
    labels = sector_labels(fields)
    # each item read whole as its label: an item cut short ('nhiều nội dung mà hai bên ...') was a clause
    if [fold(label) for label in labels] != [fold(item) for item in items] or not all(map(short_enough, labels)):
        return []
    return labels


def _announced_by(sentence: str, at: int, written: str) -> tuple[str, ...] | None:
    """The fields an agreement's clause announces after its keyword (see ``announced_items``), or lists right
    behind it (``fields_behind``); None when it announces none."""
    items = announced_items(sentence[at:], after_keyword=True)
    return items if items is not None else fields_behind(sentence[at + len(written):], written)


def fields_behind(after_keyword: str, written: str) -> tuple[str, ...] | None:
    """The items of a plain list written right behind a keyword ending in its kind of cooperation, closing the
    clause ('ký kết chương trình phối hợp chăm lo đoàn viên, người lao động và phát triển đoàn viên công đoàn giai
    đoạn 2023 - 2028.'): fields announced there, read or not; None when no such list follows."""
    match = SUBJECT_PLAIN.match(after_keyword) if PLAIN_SUBJECT_AFTER.search(written) else None
    if match is None:
        return None
    # '... chương trình hợp tác toàn diện sau khi hợp nhất A và B': the list ends where the sentence goes on
    fields = before_list_end(PERIOD_AT_END.sub("", match.group("fields"))).strip(" .;")
    items = [i for i in re.split(r"\s*,\s*|\s+và\s+", fields) if i]
    plain = not re.search(r"\d", fields) and not any(w[:1].isupper() for w in fields.split())
    return tuple(items) if len(items) >= 2 and plain and not NOT_A_FIELD.search(fields) else None


TWINNING = "Kết nghĩa"
# "kết nghĩa ba bên", "thỏa thuận hợp tác 4 bên": each party signs with every other
MANY_SIDES = re.compile(r"\b(?:ba|bốn|năm|sáu|[3-9])\s+bên\b|\bđa phương\b", re.IGNORECASE)
# "10 xã, phường kết nghĩa", "các xã kết nghĩa": units counted and called twinned name no agreement's parties
MEMBERS_TWINNED = re.compile(rf"\b(?:\d{{1,3}}|các|những)\s+{UNIT_NOUNS}(?:\s*,\s*{UNIT_NOUNS})*\s+$", re.IGNORECASE)
# what each unit word of "hai tỉnh", "hai huyện", "hai xã" can stand for
BOTH_LEVELS = {"tỉnh": {"province"}, "thành phố": {"province", "district"}, "huyện": {"district"},
               "quận": {"district"}, "xã": {"commune"}, "phường": {"commune"}}


def _both_named_after(span: str) -> tuple[list[Party], bool] | None:
    """The two parties written right after 'hai tỉnh' ('hai tỉnh A và B'); None when the words after it do not
    open with a place ('hai tỉnh sau khi hợp nhất tỉnh A với tỉnh C ...') or name other than two."""
    both = BOTH_SIDES.match(span)
    rest = span[both.end():].lstrip() if both else ""
    found = find_localities(rest)
    if not found or found[0].start != 0:
        return None
    parties, vague = parties_in(rest)
    return (parties, vague) if len(parties) == 2 else None


def _both_sides_are(sentence: str, known: list[Party]) -> bool:
    """Whether 'hai bên', 'hai tỉnh', ... in the sentence can stand for the known parties: 'hai tỉnh' stands for
    two provinces (or their bodies), not for two communes named before."""
    found = BOTH_SIDES.search(sentence)
    if found is None:
        return False
    levels = BOTH_LEVELS.get(found.group().split(maxsplit=1)[1].lower())
    if levels is None:
        return True
    places = [p if isinstance(p, Unit) else p.locality for p in known]
    return all(place is not None and place.level in levels for place in places)


# "hợp đồng bao tiêu 1.200 tấn cà phê nhân với B": a contract says what it trades in after its kind, up to whom it is
# signed with; the amount (a number and its measure word) is the contract's size, not its field
CONTRACT = re.compile(r"^hợp đồng\s+(?P<field>[a-zđà-ỹ][^,.;:()]*?)\s+(?:với|giữa)\s", re.IGNORECASE)
AMOUNT = re.compile(r"(?<!\S)\d[\d.,]*\s+[a-zđà-ỹ]+\s+")
CONTRACT_FIELD_WORDS = 8


def contract_field(from_keyword: str) -> list[str]:
    """The field of a contract ('ký hợp đồng bao tiêu 1.200 tấn cà phê nhân với B' → 'bao tiêu cà phê nhân'): the
    lower-case words after 'hợp đồng' up to 'với' or 'giữa', its amount left out, when they are a short plain
    label; none otherwise."""
    match = CONTRACT.match(AMOUNT.sub("", from_keyword))
    field = match.group("field") if match else ""
    plain = field and not re.search(r"\d", field) and not any(w[:1].isupper() for w in field.split())
    return [field] if plain and len(field.split()) <= CONTRACT_FIELD_WORDS else []


def named_field(after_keyword: str) -> list[str]:
    """'Thỏa thuận chuyển giao kỹ thuật giữa A và B': the lower-case words between the keyword and
    'giữa' are the agreement's field, kept as written, when they name no known sector (a known one is
    read from the agreement's words as before) and are a short label, not a clause."""
    match = re.match(r"\s+(?P<field>[a-zà-ỹđ][^,.;:()]*?)\s+giữa\b", after_keyword)
    if match is None:
        return []
    field = match.group("field")
    if sectors_in(field) or not 2 <= len(field.split()) <= 5 or fold(field).startswith(cooperation_words()):
        return []
    return [field]


# "Thỏa thuận hợp tác số 12/TTHT-UBND ngày 3/5/2024 giữa ...": an agreement cited by its number, then its day
# (the number may come expanded, 'số 01/TTHT-Ủy ban nhân dân-ĐHĐN', so it runs up to the first 'ngày')
CITED_BY_NUMBER = re.compile(r"^\s+số\s+\d[^,;]{0,60}?\s+ngày\s+", re.IGNORECASE)


def cited_date(sentence: str, keyword_at: int, default_year: int | None) -> str | None:
    """The day of an agreement cited as documents are cited, by number and day ('Căn cứ Thỏa thuận hợp
    tác số N ngày D giữa ...'): a document's day is the day it was signed, so the sentence needs no 'ký'."""
    name_end = keyword_at + len(_phrase(sentence, keyword_at).rsplit(" số ", 1)[0])  # keyword and name, before 'số'
    cited = CITED_BY_NUMBER.match(sentence[name_end:])
    if cited is None:
        return None
    day_at = name_end + cited.end()
    return next((d for at, d in full_dates(sentence, default_year) if at == day_at), None)


def opens_with_keyword(sentence: str) -> bool:
    """Whether the agreement is the sentence's subject ('Thỏa thuận được ký kết ngày ...', 'Biên bản
    ghi nhớ giai đoạn 2025 - 2030 gồm ...'): its keyword is the sentence's first word."""
    keyword = keyword_in(sentence)
    return keyword is not None and not sentence[:keyword[0]].strip(" -–•*")


# "hai bên", "ba địa phương", "các bên": the sides of the agreement told of, as a sentence's subject
SIDES_OPENING = re.compile(r"^(?:hai|ba|bốn|năm|các|\d)\s+(?:tỉnh|bên|địa phương|huyện|quận|thành phố|xã|phường|"
                           r"bệnh viện|sở|đơn vị|trường)\b", re.IGNORECASE)


def about_the_agreement(sentence: str) -> bool:
    """Whether a sentence tells what an agreement told of is about: it opens with the agreement ('Thỏa thuận tập
    trung vào ...'), with 'Theo (các)' and the agreement ('Theo thỏa thuận với B, ...'), with its sides ('Hai bên
    hợp tác trên các lĩnh vực ...', 'Ba địa phương ...') or with words pointing back at it (agreement_pointers.txt:
    'Theo đó', 'Theo nội dung ký kết'). Who proposes, regrets or reports on fields ('ông A đề nghị mở rộng sang lĩnh
    vực ...') does not."""
    text = sentence.lstrip(" -–•*")
    keyword = keyword_in(text)
    if keyword is not None and fold(text[:keyword[0]]) in ("", "theo", "theo cac", "theo nhung"):
        return True
    return SIDES_OPENING.match(text) is not None or f"{fold(text)} ".startswith(
        tuple(f"{fold(pointer)} " for pointer in agreement_pointers()))


# "... Biên bản ghi nhớ hợp tác giai đoạn 2023 - 2026 về du lịch, thương mại và đô thị thông minh.", "... ký ngày
# D về: X; Y; Z;": the fields a signing is about close its sentence, after 'về' (not 'về việc', a title)
ABOUT = re.compile(r"\svề\s*:?\s+(?!việc\b)(?P<fields>[a-zđà-ỹ][^.:()]*?)[\s.;]*$")


# "... về A, B, C giai đoạn 2025 - 2030": the period closing the clause is the agreement's, not the last field's
PERIOD_AT_END = re.compile(r"\s+(?:giai đoạn|thời kỳ)\s+\d{4}\s*[-–]\s*\d{4}\s*$", re.IGNORECASE)


# syllables: "liên kết tiêu thụ mủ cao su" is seven, "đào tạo kỹ sư nông nghiệp theo đặt hàng" nine; "hỗ trợ các hộ
# dân làm nhà ở vùng cao" (ten) is a clause
PLAIN_FIELD_WORDS = 9


def fields_after_about(tail: str) -> list[str]:
    """The fields written after 'về' at the end of an agreement's clause, each as the text writes it, when
    they read as fields: short items of which at least one is a known sector. A list of three or more may
    hold one longer field ('... chuyển đổi số, tư vấn chính sách phát triển kinh tế - xã hội'), as lists do. A plain
    list, known sector or not ('với B về liên kết tiêu thụ mủ cao su và phát triển cao su bền vững'), is read when
    every item is a few words in lower case, without a number."""
    match = ABOUT.search(tail)
    fields = PERIOD_AT_END.sub("", match.group("fields")) if match else ""
    if not fields:
        return []
    labels = _plain_fields(fields)
    if labels:
        return labels
    labels = sector_labels(fields)
    if not sectors_in(fields):
        return []
    # a longer item that runs on plainly about a known field ('ứng dụng khoa học công nghệ': no proper name, no word
    # going on about the field) names that field as a short one does
    long_ones = sum(1 for label in labels
                    if len(label.split()) > 5 and not (plain_long_label(label) and sectors_in(label)))
    return labels if labels and (long_ones == 0 or (long_ones == 1 and len(labels) >= 3)) else []


def _plain_fields(fields: str) -> list[str]:
    """The labels of a plain list of fields (every item a few words in lower case, without a number); none when an
    item is longer or the words are not plain."""
    labels = sector_labels(fields)
    plain = not re.search(r"\d", fields) and not any(w[:1].isupper() for w in fields.split())
    return labels if plain and labels and all(short_enough(label, PLAIN_FIELD_WORDS) for label in labels) else []


def fields_after_cue(tail: str) -> list[str]:
    """The fields of a plain list of two or more items closing an agreement's own clause after a cue ('... đã ký thỏa
    thuận ... với tỉnh B, tập trung vào đào tạo nguồn nhân lực và chuyển giao giống lúa.'), each as written."""
    cue = sector_cue(tail)
    labels = _plain_fields(tail[cue.end():].strip(" .;")) if cue is not None else []
    return labels if len(labels) >= 2 else []


SIGNING_VERB = re.compile(r"(?:\s+được)?(?:\s+ký(?:\s+kết)?)?\s*$", re.IGNORECASE)
SIGNED_ALREADY = re.compile(r"\b(?:đã|vừa)\s+(?:được\s+)?ký\b|\bký\s+(?:kết\s+)?(?:vào\s+)?ngày\b", re.IGNORECASE)


def not_signed(sentence: str, at: int, written: str) -> bool:
    """Whether the sentence says the agreement it names is not signed (yet): a cue of intention, proposal,
    drafting or denial (unsigned_cues.txt) right before the keyword or the verb of signing before it ('sẽ
    ký kết Thỏa thuận', 'dự thảo Thỏa thuận', 'chưa ký kết'), or before the verb after it ('Thỏa thuận ...
    sẽ được ký vào tháng 12'). A sentence that also says it was signed ('đã ký') is about a signing."""
    if SIGNED_ALREADY.search(sentence):
        return False
    before = sentence[:at]  # a keyword that holds the verb ('ký kết thỏa thuận') starts after the cue
    words_before = fold(before[:SIGNING_VERB.search(before).start()]).split()
    # the keyword as written may hold the punctuation after it; its own clause ends there
    # (not 'Thỏa thuận X, theo đó hai bên sẽ ký kế hoạch ...')
    own_clause = re.split(r"[,;:]", sentence[at + len(written.rstrip(",.;:")):])[0]
    after = re.search(r"\b((?:\S+\s+){1,3})(?:được\s+)?ký\b", own_clause)
    words_after = fold(after.group(1)).split() if after else []
    return any(_ends_with(words, cue.split()) for words in (words_before, words_after) for cue in unsigned_cues()) or (
        _proposed_as_a_matter(before[:SIGNING_VERB.search(before).start()]))


# "... đề xuất với Sở Y tế việc ký kết ...": the signing named as a matter ('việc'), the object of what comes before it
MATTER = re.compile(r"\bviệc\s*$")


def _proposed_as_a_matter(before_verb: str) -> bool:
    """Whether the signing is named as a matter ('việc ký kết') that a cue of its clause, written in lower case,
    proposes or plans ('bệnh viện đang đề xuất với Sở Y tế việc ký kết ...'; unsigned_cues.txt). A cue inside a
    name ('Sở Xây dựng') is capitalised; a matter done ('đã hoàn thành việc ký kết') has no cue."""
    matter = MATTER.search(before_verb)
    if matter is None:
        return False
    clause = re.split(r"[,;:]", before_verb[:matter.start()])[-1]
    words = [fold(w) if w.islower() else "" for w in clause.split()]
    return any(words[i:i + len(cue.split())] == cue.split() for cue in unsigned_cues() for i in range(len(words)))


def _ends_with(words: list[str], cue: list[str]) -> bool:
    return len(words) >= len(cue) and words[-len(cue):] == cue


SIGNED_ON = re.compile(r"\bký(?:\s+kết)?\s+(?:vào\s+)?(?=ngày\b)", re.IGNORECASE)


SIGNED_BEFORE = re.compile(r"^\s*(?:đã|được)\s+(?:được\s+)?ký(?:\s+kết)?\b(?!\s+(?:vào\s+)?ngày)", re.IGNORECASE)


def reviewed_only(sentence: str) -> bool:
    """Whether the sentence reviews an agreement signed before ('Ngày D, UBND tỉnh A tổ chức hội nghị sơ kết
    Thỏa thuận hợp tác đã ký kết giữa A và B'; review_cues.txt) and tells of no other signing: its one 'ký' is
    the reviewed agreement's, right after its keyword, and the sentence names one agreement. Its day is the
    review's, not the signing's."""
    keyword = keyword_in(sentence)
    if keyword is None or len(re.findall(r"\bký\b", sentence, re.IGNORECASE)) != 1 or _keywords_in(sentence) != 1:
        return False
    at = keyword[0]
    before = f" {fold(sentence[:at])} "
    phrase_end = at + len(_phrase(sentence, at))
    return any(f" {cue} " in before for cue in review_cues()) and SIGNED_BEFORE.match(sentence[phrase_end:]) is not None


def _keywords_in(sentence: str) -> int:
    """How many agreement keywords the sentence writes (not overlapping)."""
    keys = sorted((key for key, _ in agreement_keywords()), key=len, reverse=True)
    return len(re.findall(r"\b(?:" + "|".join(re.escape(k) for k in keys) + r")\b", fold(sentence)))


def _signing_dates(sentence: str, default_year: int | None) -> list[str]:
    """The days a sentence gives, the one written right after 'ký (kết) ngày' first: in "Kế hoạch số
    N ngày D1 thực hiện Thỏa thuận ..., ký kết ngày D2" D1 is the plan's date, D2 the signing's."""
    dated = full_dates(sentence, default_year)
    cues = [m.end() for m in SIGNED_ON.finditer(sentence)]
    after_cue = [d for at, d in dated if any(0 <= at - end <= len("ngày ") for end in cues)]
    return after_cue + [d for _, d in dated if d not in after_cue]


PAIR = re.compile(r"^(?P<one>.+?)\s+[-–]\s+(?P<other>.+)$")
# a bullet of a list of twinned pairs written as a sentence ('- xã A kết nghĩa với phường B;', '- xã C với xã D')
PAIR_TWINNED = re.compile(r"^(?P<one>.+?)\s+(?:(?:ký\s+)?kết\s+nghĩa\s+)?với\s+(?P<other>.+)$", re.IGNORECASE)
# an item of a listed pair written with a word ('phường A với xã B', 'xã C kết nghĩa với xã D'): each side must be a
# place's whole name
PAIR_WITH = re.compile(r"^(?P<one>.+?)\s+(?:(?:ký\s+)?kết\s+nghĩa\s+)?với\s+(?P<other>.+)$", re.IGNORECASE)


def listed_pairs(sentence: str, quote: str) -> list[AgreementMention]:
    """The pairs a sentence lists after an agreement's keyword and a colon ('Các cặp xã kết nghĩa gồm: xã A
    (huyện X) - xã B (huyện Y); xã C - xã D.'): each pair an agreement of that kind. Every item must be one
    place, a dash and one other place; else the list is not read as pairs."""
    head, colon, listed = sentence.partition(":")
    keyword = keyword_in(head)
    if not colon or keyword is None:
        return []
    items = [i.strip(" .;") for i in listed.split(";") if i.strip(" .;")]
    pairs = []
    for item in items:
        match, whole = PAIR.match(item), False
        if match is None:
            match, whole = PAIR_WITH.match(item), True
        names = [match.group(g) for g in ("one", "other")] if match else []
        sides = [find_localities(name) for name in names]
        if sides and all(side or _written_as_place(name) for side, name in zip(sides, names)) and not all(sides):
            continue  # 'xã A – xã B' where no unit of the period, or none the text tells apart, bears a name: that
            # pair is not known, the list's others still are
        if not sides or any(len(side) != 1 or side[0].start != 0 for side in sides):
            return []
        if whole and any(side[0].end != len(name) for side, name in zip(sides, names)):
            return []  # 'phường A với xã B trong lĩnh vực ...' says more than a pair
        pairs.append([side[0].unit for side in sides])
    # the fields stated for the list are every pair's
    return [AgreementMention(agreement_type=keyword[2], phrase=keyword[2], parties=list(pair), quote=quote,
                             listed_under=quote) for pair in pairs] if len(pairs) >= 2 else []


# the type word opening a side of a listed pair written as a place's name ('xã Tân Quang')
PLACE_TYPE = re.compile(rf"^(?:{'|'.join(UNIT_TYPE_WORDS)}|Quận)\s+", re.IGNORECASE)


def _written_as_place(name: str) -> bool:
    """Whether a side of a listed pair is written as a place's name, known or not: a type word, then only
    capitalised words ('xã Tân Quang', not 'Trường THCS A' nor 'xã A về giáo dục')."""
    head = PLACE_TYPE.match(name)
    rest = name[head.end():].split() if head else []
    return bool(rest) and all(word[:1].isupper() for word in rest)


def announced_pairs(line: str) -> str | None:
    """The kind of agreement a line announces a table of pairs for ('Các cặp kết nghĩa gồm:'): its last
    sentence names an agreement's keyword and ends with a colon; None otherwise."""
    stripped = line.strip()
    if not stripped.endswith(":"):
        return None
    keyword = keyword_in(re.split(r"(?<=[.;])\s+", stripped)[-1])
    return keyword[2] if keyword else None


def bullet_pair(line: str, agreement_type: str, announced_by: str) -> AgreementMention | None:
    """One bullet of an announced list of pairs ('- Phường A (tỉnh X) – xã B;', '- xã C kết nghĩa với xã D;'):
    each side one place's name, with at most a bracket saying where it is or was; a bullet saying more names
    no pair."""
    item = re.sub(r"^\s*[-•+*]\s+", "", line).strip(" .;")
    match = PAIR.match(item) or PAIR_TWINNED.match(item)
    if not match:
        return None
    named = []
    for side in (match.group("one"), match.group("other")):
        name = re.sub(r"\s*\([^()]*\)", "", side).strip()
        found = find_localities(name)
        if len(found) != 1 or found[0].start != 0 or found[0].end != len(name):
            return None
        named.append(found[0].unit)
    if named[0].node_id == named[1].node_id:
        return None
    return AgreementMention(agreement_type=agreement_type, phrase=agreement_type, parties=named, quote=line.strip(),
                            listed_under=announced_by)


def table_row_pair(row: str, agreement_type: str, announced_by: str | None = None) -> AgreementMention | None:
    """One row of an announced table of pairs ('1 | Phường A | Xã B | huyện C (cũ)'): the first two cells that
    each hold one place's name and nothing else. A cell saying more ('huyện C (cũ)', where a unit was) is a
    note, not a party; a row without two such cells names no pair."""
    named = []
    for cell in (c.strip() for c in row.split("\t")):
        found = find_localities(cell)
        if len(found) == 1 and found[0].start == 0 and found[0].end == len(cell):
            named.append(found[0].unit)
    if len(named) < 2 or named[0].node_id == named[1].node_id:
        return None
    return AgreementMention(agreement_type=agreement_type, phrase=agreement_type, parties=named[:2], quote=row.strip(),
                            listed_under=announced_by)


@dataclass
class GroupSigning:
    """A signing between counted groups of units ('kết nghĩa giữa 5 xã của tỉnh A với 5 xã, phường của tỉnh B'):
    the places the groups belong to, and the day and period of the signing. Its pairs are listed apart."""

    owners: list[Unit]
    date_signed: str | None
    period: str | None


def group_signing(sentence: str, default_year: int | None) -> GroupSigning | None:
    """The group signing a sentence tells of, if it names an agreement whose sides are counted groups of units
    of two places or more; its day only when the sentence says it was signed."""
    keyword = keyword_in(sentence)
    if keyword is None or not_signed(sentence, keyword[0], keyword[1]):
        return None
    owners = list({m.unit.node_id: m.unit for m in counted_owners(sentence)}.values())
    if len(owners) < 2:
        return None
    signed = re.search(r"\bký\b", sentence, re.IGNORECASE) is not None and not reviewed_only(sentence)
    dates = (_signing_dates(sentence, default_year) or month_dates(sentence)) if signed else []
    return GroupSigning(owners, dates[0] if dates else None, period(sentence[keyword[0]:]) or period(sentence))


def pair_of_group(mention: AgreementMention, group: GroupSigning) -> bool:
    """Whether a listed pair is one of a group signing's: two units, each inside another of its places."""
    units = [p for p in mention.parties if isinstance(p, Unit)]
    if len(units) != 2 or len(mention.parties) != 2:
        return False
    homes = [{o.node_id for o in group.owners if _inside(unit, o)} for unit in units]
    return all(len(home) == 1 for home in homes) and homes[0] != homes[1]


def _inside(unit: Unit, owner: Unit) -> bool:
    """Whether a unit lies inside a place (a 2025 commune inside the former province written for it too)."""
    if unit.node_id == owner.node_id:
        return False
    return owner.node_id in {a.node_id for a in ancestors(unit)} or (
        owner.level == "province" and owner.period == BEFORE and in_province(unit, owner))


def separate_pairs(mention: AgreementMention) -> list[AgreementMention]:
    """One agreement per pair when a convener signs with each party on its own ('03 thỏa thuận song
    phương, mỗi tỉnh một thỏa thuận riêng'): the convener and each other party."""
    convener, others = mention.parties[0], mention.parties[1:]
    return [AgreementMention(agreement_type=mention.agreement_type, phrase=mention.phrase, parties=[convener, other],
                             quote=mention.quote, date_signed=mention.date_signed, period=mention.period,
                             sectors=list(mention.sectors), vague=mention.vague, more_quotes=list(mention.more_quotes),
                             signed_here=mention.signed_here, announced=list(mention.announced)) for other in others]


PAIR_JOIN = re.compile(r"^\s*(?:với|-)\s*$", re.IGNORECASE)
ITEM_JOIN = re.compile(r"^\s*(?:,|;|và|,\s*và)\s*$", re.IGNORECASE)


def pairs_written(mention: AgreementMention) -> list[AgreementMention] | None:
    """The pairs a sentence writes one after the other ('Kết nghĩa phường A với xã B, phường C với xã D'):
    each pair its own agreement. Only when the places stand in the quote in the parties' order, 'với' (or a dash)
    inside each pair and a comma or 'và' between pairs; None otherwise."""
    units = [p for p in mention.parties if isinstance(p, Unit)]
    if len(units) < 4 or len(units) % 2 or len(units) != len(mention.parties):
        return None
    found = [m for m in find_localities(mention.quote) if m.unit.level != "province"]
    if [m.unit.node_id for m in found] != [u.node_id for u in units]:
        return None
    gaps = [mention.quote[a.end:b.start] for a, b in zip(found, found[1:])]
    gaps = [re.sub(r"\s*\([^()]*\)\s*", " ", gap) for gap in gaps]  # '(thành phố X)' after a place
    if not all((PAIR_JOIN if i % 2 == 0 else ITEM_JOIN).match(gap) for i, gap in enumerate(gaps)):
        return None
    # the pairs of one sentence are one list: what is stated for the list is every pair's
    return [replace(mention, phrase=mention.agreement_type, parties=[units[i], units[i + 1]],
                    sectors=list(mention.sectors), more_quotes=list(mention.more_quotes),
                    announced=list(mention.announced), listed_under=mention.listed_under or mention.quote)
            for i in range(0, len(units), 2)]


def party_label(party: Party) -> str:
    return party.in_running_text if isinstance(party, Unit) else party.name


def agreement_title(mention: AgreementMention) -> str:
    """A readable title: the agreement's words and its parties."""
    names = [party_label(p) for p in mention.parties]
    phrase = mention.phrase if fold(mention.phrase).startswith(fold(mention.agreement_type)) else mention.agreement_type
    return f"{phrase[:1].upper()}{phrase[1:]} giữa {names[0]} và {', '.join(names[1:])}"


def _may_stand_for(vague: AgreementMention, named: AgreementMention) -> bool:
    """A guessed party set ('TP.HCM and some Mekong provinces') fits a named one that shares a party
    and whose other parties are all among the guess, or that holds the whole guess."""
    shared = vague.party_ids & named.party_ids
    return bool(shared) and (vague.party_ids < named.party_ids or named.party_ids <= vague.party_ids)


def _date_if_only_convener_unnamed(vague: AgreementMention, named: AgreementMention) -> str | None:
    """'Thỏa thuận giữa Thành phố và 13 địa phương miền Tây được ký hồi tháng 3/2023': the guess names
    every party of the named agreement but its convener, written as a common noun; its date is the named one's."""
    missing = named.party_ids - vague.party_ids
    convener = named.parties[0].node_id if named.parties else None
    return vague.stated_date if vague.vague and vague.party_ids <= named.party_ids and missing == {convener} else None


def _signed_apart(one: AgreementMention, other: AgreementMention) -> bool:
    """The same parties signing on two different days ('tổng kết Thỏa thuận ... ký ngày 09/11/2020' and the
    new programme signed today): a renewal is an agreement of its own, with its own date."""
    a, b = one.date_signed, other.date_signed
    return bool(a and b) and not (a.startswith(b) or b.startswith(a))


def _periods_apart(one: AgreementMention, other: AgreementMention) -> bool:
    """Two phases that follow one another ('giai đoạn 2019 - 2024' reviewed, 'giai đoạn 2024 - 2029' signed;
    they may share the year of the handover): two agreements. Years inside a phase ('Kế hoạch ... năm
    2025 - 2026' of a 2025 - 2030 programme) are not apart."""
    years = [[int(y) for y in re.findall(r"\d{4}", m.period or "")] for m in (one, other)]
    if not all(years) or any(min(y) == max(y) for y in years):
        return False
    (a_start, a_end), (b_start, b_end) = ((min(y), max(y)) for y in years)
    return a_end <= b_start or b_end <= a_start


def merge_mentions(mentions: list[AgreementMention]) -> list[AgreementMention]:
    """One agreement per party set within a document; vague mentions join a larger named set, or are none."""
    merged: list[AgreementMention] = []
    for mention in sorted(mentions, key=lambda m: m.vague):
        same = [m for m in merged if m.party_ids == mention.party_ids and not _signed_apart(m, mention)
                and not _periods_apart(m, mention)]
        # of two agreements of the same parties, a mention giving a period belongs with the one of that period,
        # else with the one of its kind ('Theo thỏa thuận mới, hai bên ...')
        target = next((m for m in same if mention.period and m.period == mention.period),
                      next((m for m in same if m.agreement_type == mention.agreement_type), same[0] if same else None))
        if target is None and mention.vague:
            target = next((m for m in merged if _may_stand_for(mention, m)), None)
            if target is None:
                continue  # parties guessed from a region or "một số ...", standing for no named agreement: none
        if target is None:
            merged.append(mention)
            continue
        target.date_signed = (target.date_signed or mention.date_signed
                              or _date_if_only_convener_unnamed(mention, target))
        target.period = target.period or mention.period
        target.sectors += [s for s in mention.sectors if s not in target.sectors]
        target.vague = target.vague and mention.vague
        target.multilateral = target.multilateral or mention.multilateral
        target.signed_here = target.signed_here or (mention.signed_here and not mention.vague)
        target.more_quotes += [q for q in [mention.quote, *mention.more_quotes] if q not in target.more_quotes]
        target.announced += [a for a in mention.announced if a not in target.announced]
    return merged


def party_fields(parties: list[Party]) -> list[str]:
    """The field every party works in ('Sở Y tế A' and 'Sở Y tế B' sign about health): the sectors
    named in every party's name, when all parties are bodies rather than localities."""
    if not parties or any(isinstance(p, Unit) or fold(p.name).startswith(member_bodies()) for p in parties):
        return []  # a union's name ('Liên đoàn Lao động') says who its members are, not the field it works in
    fields = [set(sectors_in(p.name)) for p in parties]
    return [s for s in sectors_in(parties[0].name) if all(s in f for f in fields)]
