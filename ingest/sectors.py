"""Sectors of cooperation named in a text: the sector table's canonical names (ingest/data/sectors.csv)
and the short labels a list writes ("(1) kết nối cung - cầu; (2) phát triển du lịch", "- Y tế;").

A list of fields follows a cue ("trên các lĩnh vực:", "tập trung vào", "gồm:", ...;
ingest/data/sector_cues.txt). Its items are cut at numbers "(1)", semicolons or bullets, else at
commas and "và"; each short item is kept as the text writes it, beside the canonical sectors it names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.text import fold, strip_marks
from ingest.localities import find_localities
from ingest.orgs import head_of
from ingest.vocab import DATA, clause_openers, commitment_label_ends, dictionary_words, sectors

ITEM_NUMBER = re.compile(r"\(\d{1,2}\)|(?:^|\s)\d{1,2}[.)]\s")
LIST_MARK = re.compile(r"^(?:[-•+*]|\d{1,2}[.)]|\(\d{1,2}\))\s+")  # "- ", "• ", "1. ", "2) ", "(3) "
PARENTHESES = re.compile(r"\s*\([^()]*\)")
LABEL_WORDS = 10  # a longer item is a sentence about the field, not its label
# ... unless it runs on plainly, with no proper name and no word where it goes on about the field
# ('chuyển giao kỹ thuật can thiệp tim mạch và đột quỵ')
PLAIN_LABEL_WORDS = 12
# the agreement's time written after its last field ('... và chuyển đổi số giai đoạn 2026 - 2030', 'ký ngày 3/4/2024'):
# no part of a field's label; a label that is nothing else is none
TIME_TAIL = re.compile(r"\s*,?\s*(?:^|\b)(?:giai đoạn|thời kỳ|đến năm|năm|ký ngày|ký kết ngày|ngày)\s+\d.*$", re.IGNORECASE)
# a document's number ('số 02/TTHT-SNN'): a reference, not a field
DOCUMENT_NUMBER = re.compile(r"\d+\s*/\s*(?:\d{4}\s*/\s*)?[A-ZĐ]")
LEADING_WORDS = re.compile(r"^(?:các\s+)?(?:lĩnh vực|nhóm nội dung|nội dung|chuyên ngành)\s+", re.IGNORECASE)


# "A; B; C, cùng với D": the last field added to the list, an item of its own
ADDED_ITEM = re.compile(r"\s*,?\s+cùng với\s+", re.IGNORECASE)
LIST_FOLLOWS = re.compile(r"^[^.;]{0,40}?(?::|\(1\))")  # a colon or a first number soon after the cue


@lru_cache(maxsize=1)
def _cues() -> tuple[re.Pattern[str], frozenset[str]]:
    """The cue pattern, and the (folded) cues that count only before a written list."""
    lines = (DATA / "sector_cues.txt").read_text(encoding="utf-8").splitlines()
    entries = [l.strip() for l in lines if l.strip() and not l.startswith("#")]
    cues = sorted((e.rstrip(":") for e in entries), key=len, reverse=True)
    before_list = frozenset(fold(e.rstrip(":")) for e in entries if e.endswith(":"))
    return re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\b", re.IGNORECASE), before_list


def sectors_in(text: str) -> list[str]:
    """Canonical sectors whose words appear in the text, in order of appearance, each once."""
    folded = f" {fold(text)} "
    hits: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for alias, sector in sectors():
        if f" {alias} " not in folded:  # most texts name few sectors: skip the search for the others
            continue
        for m in re.finditer(rf" {re.escape(alias)} ", folded):
            span = (m.start() + 1, m.end() - 1)  # the word boundaries' spaces are shared by neighbours
            if any(a < span[1] and span[0] < b for a, b in taken):
                continue
            taken.append(span)
            hits.append((m.start(), sector))
    return list(dict.fromkeys(s for _, s in sorted(hits)))


def sector_cue(sentence: str) -> re.Match[str] | None:
    """Where a sentence announces a list of fields ('trên các lĩnh vực', 'gồm'), if it does."""
    pattern, before_list = _cues()
    for match in pattern.finditer(sentence):
        if fold(match.group()) not in before_list or LIST_FOLLOWS.match(sentence[match.end():]):
            return match
    return None


def has_cue(sentence: str) -> bool:
    return sector_cue(sentence) is not None


def sector_labels(items_text: str) -> list[str]:
    """The short labels of a written list of fields, as the text writes them."""
    text = items_text.strip(" :.;")
    if ITEM_NUMBER.search(text) or ";" in text:
        items = [i for part in re.split(r"\s*;\s*", text) for i in ITEM_NUMBER.split(part)]
    else:
        items = re.split(r"\s*,\s*|\s+và\s+", text)
    items = [i for item in items for i in ADDED_ITEM.split(item)]
    labels = []
    for item in items:
        label = _label(item)
        # 'A; B và C': the last 'và' of a list between semicolons may join its last two items, each a label of its
        # own; an item too long to be one label is read so when every part is one
        parts = [_label(part) for part in re.split(r"\s+và\s+", item)] if label is None else []
        labels += [label, *coordinated_parts(label)] if label is not None else parts if len(parts) >= 2 and all(parts) else []
    return list(dict.fromkeys(labels))


def coordinated_parts(label: str) -> list[str]:
    """The fields one item of a list joins with 'và' ('nuôi trồng thủy sản và sản xuất lúa'), each a label of its own
    beside the item's, as the same list written with commas gives them ('nuôi trồng thủy sản, sản xuất lúa'); none
    when a part is one word or reads as no label, and for one field of the sector table named with 'và' inside
    ('khoa học và công nghệ')."""
    if fold(label) in {name for alias, sector in sectors() for name in (alias, fold(sector))}:
        return []
    parts = re.split(r"\s+và\s+", label)
    labelled = [_label(part) for part in parts] if len(parts) >= 2 else []
    return [p for p in labelled if p] if labelled and all(p and len(p.split()) >= 2 for p in labelled) else []


def _label(item: str) -> str | None:
    """An item's label as the text writes it, or None when the item reads as no label (too long, a place, a body
    acting, a clause, a document's number)."""
    label = TIME_TAIL.sub("", _head(respelled(LEADING_WORDS.sub("", PARENTHESES.sub("", item).strip(" -•+*:.;,")))))
    if (label and not DOCUMENT_NUMBER.search(label) and (short_enough(label) or plain_long_label(label))
            and not label[0].isdigit() and not _opens_with_a_place(label) and not _body_acting(label)
            and not _opens_a_clause(label)):
        return label if _acronym_first(label) else label[:1].lower() + label[1:]
    return None


def short_enough(label: str, limit: int = LABEL_WORDS) -> bool:
    """Whether an item is short enough to be a label: its words counted, not the dashes joining two
    ('kinh tế - xã hội' is one field of four words)."""
    return len([w for w in label.split() if any(c.isalnum() for c in w)]) <= limit


def plain_long_label(label: str) -> bool:
    """Whether a label a little longer than most names its field all along: no proper name after its first
    word, no word at which it goes on about the field (label_ends.txt)."""
    words = [w.lower() for w in label.split()]
    goes_on = any(tuple(words[i:i + len(end)]) == end for end in _label_ends() for i in range(len(words)))
    return (short_enough(label, PLAIN_LABEL_WORDS) and not goes_on
            and not any(w[:1].isupper() for w in label.split()[1:]))


def _field_of_a_named_place(label: str) -> bool:
    """Whether a bullet a little longer than most is one field ending with the proper name it is about ('quản
    lý tài nguyên nước lưu vực sông A - B'): a plain label up to the name, the name closing the item."""
    words = label.split()
    first_capital = next((i for i, w in enumerate(words) if i and w[:1].isupper()), None)
    if first_capital is None or first_capital < 3 or not short_enough(label, PLAIN_LABEL_WORDS):
        return False
    name_runs_on = all(w[:1].isupper() or w in "-–" for w in words[first_capital:])
    return name_runs_on and plain_long_label(" ".join(words[:first_capital]))


def _body_acting(item: str) -> bool:
    """Whether an item opens with a body that does something ('Sở X chủ trì, ...'), not 'phòng chống ...':
    a sentence about who does what, not a field."""
    return item[:1].isupper() and head_of(item) is not None


def _opens_a_clause(item: str) -> bool:
    """Whether an item opens a clause that goes on about the list ('trong đó ưu tiên ...', 'đồng thời ...')."""
    return any(f"{item.lower()} ".startswith(f"{opener} ") for opener in clause_openers())


def _acronym_first(label: str) -> bool:
    """Whether a label opens with an acronym ('OCOP', 'CNTT'), kept in capitals; 'Y tế' opens with a word."""
    first = label.split()[0]
    return len(first) >= 2 and first.isupper()


def _opens_with_a_place(label: str) -> bool:
    """Whether an item opens with a place's name ('xã A - xã B', 'huyện X'): a list of places, not of fields."""
    found = find_localities(label)
    return bool(found) and found[0].start == 0


@lru_cache(maxsize=1)
def _label_ends() -> tuple[tuple[str, ...], ...]:
    """The words (as word tuples, longest first) at which a long item stops naming its field."""
    lines = (DATA / "label_ends.txt").read_text(encoding="utf-8").splitlines()
    return tuple(sorted((tuple(l.split()) for l in lines if l.strip() and not l.startswith("#")), key=len, reverse=True))


@lru_cache(maxsize=1)
def _label_openers() -> tuple[str, ...]:
    """Words that open a long item without naming its field (label_openers.txt), longest first."""
    lines = (DATA / "label_openers.txt").read_text(encoding="utf-8").splitlines()
    return tuple(sorted((l.strip() for l in lines if l.strip() and not l.startswith("#")), key=len, reverse=True))


def _head(item: str) -> str:
    """A long item's label: its words up to where it goes on about the field (label_ends.txt) or a
    proper name begins ('xây dựng tour Tràng An'), kept only when they name a sector."""
    words = item.split()
    if short_enough(item) or _body_acting(item) or item.lower().startswith(clause_openers()):
        return item  # a body doing something, or a clause going on ('đồng thời ...'): a sentence
    first, comma, rest = item.partition(",")
    if comma and rest.strip() and _lone_verb(first.strip()):
        return _head(rest.strip())  # 'đại diện, bảo vệ quyền lợi X': the chain's last verb names the field with X
    opener = next((o for o in _label_openers() if item.lower().startswith(o + " ")), None)
    if opener and len(words) - len(opener.split()) <= LABEL_WORDS:
        return item[len(opener):].strip()  # 'trao đổi kinh nghiệm X': the field is X
    for i in range(2, len(words)):
        goes_on = any(tuple(w.lower() for w in words[i:i + len(end)]) == end for end in _label_ends())
        if words[i][0].isupper() or words[i][0] in "\"“" or goes_on:
            head = " ".join(words[:i]).strip(" ,")
            # words before a qualifier ('... cà phê đạt chứng nhận bền vững') name the field even when no sector
            # does; a head cut at a proper name ('xây dựng tour Tràng An') only when it names a sector
            return head if sectors_in(head) or (goes_on and len(head.split()) >= 3) else _first_part(item)
    return _first_part(item)


def _first_part(item: str) -> str:
    """A long item whose first part, before a comma, is short names its field there ('phòng chống
    thiên tai, thích ứng với biến đổi khí hậu vùng ven biển' → 'phòng chống thiên tai'), unless it is a
    lone verb."""
    first = item.split(",", 1)[0].strip()
    named = len(first.split()) >= 2 and not _lone_verb(first)
    return first if first != item and named and len(first.split()) <= LABEL_WORDS else item


def _lone_verb(part: str) -> bool:
    """Whether the part of an item before a comma is two syllables naming no sector: one verb of a chain
    ('xác lập, quản lý và phát triển X'), not the field."""
    return len(part.split()) == 2 and not sectors_in(part)


def respelled(label: str) -> str:
    """A label with a two-word term misspelled by one letter ('lễ hành') in the dictionary's spelling
    of the sector term it stands for ('lữ hành'); words the dictionary knows are left alone."""
    words = label.split()
    for i in range(len(words) - 1):
        first, second = words[i], words[i + 1].rstrip(",;:.")
        if not (first.islower() and second.islower()):
            continue  # punctuation between them, or a proper name ('Lâm Đồng' is not 'lao động')
        pair = f"{first} {second}"
        near = [t for t in _sector_terms() if _one_letter_off(fold(pair), t)]
        # the dictionary (loaded only now, it takes a moment) says whether the pair is a word of its own
        if len(near) == 1 and fold(pair) not in _sector_terms() and pair not in dictionary_words() and (
                spelling := _written_terms().get(near[0])):
            words[i:i + 2] = [*spelling.split()[:1], spelling.split()[1] + words[i + 1][len(second):]]
    return " ".join(words)


@lru_cache(maxsize=1)
def _sector_terms() -> frozenset[str]:
    """The folded two-word terms of the sector table ('lu hanh', 'du lich')."""
    return frozenset(alias for alias, _ in sectors() if len(alias.split()) == 2)


@lru_cache(maxsize=1)
def _written_terms() -> dict[str, str]:
    """Folded sector term -> its one spelling in the dictionary ('lu hanh' -> 'lữ hành')."""
    spellings: dict[str, set[str]] = {}
    terms = _sector_terms()
    lengths = {len(t) for t in terms}  # folding keeps a word's length: only entries this long can fold to a term
    for entry in dictionary_words():
        if len(entry) in lengths and entry.count(" ") == 1 and (key := strip_marks(entry)) in terms:
            spellings.setdefault(key, set()).add(entry)
    return {key: next(iter(found)) for key, found in spellings.items() if len(found) == 1}


def _one_letter_off(a: str, b: str) -> bool:
    return len(a) == len(b) and a != b and sum(x != y for x, y in zip(a, b)) == 1


def sector_statements(sentence: str) -> list[str]:
    """Sectors a sentence states as fields of cooperation ('trên các lĩnh vực: ...', '... gồm: ...'):
    the canonical sectors named after the cue, and the list's own labels when it is a list."""
    match = sector_cue(sentence)
    if not match:
        return []
    listed = sentence[match.end():]
    found = sectors_in(sentence[match.start():])
    if ":" in listed[:40] or re.search(r"\(1\)", listed):  # a written list: keep its own labels
        found += sector_labels(listed.split(":", 1)[-1] if ":" in listed[:40] else listed)
    elif listed.count(";") >= 2:
        # three items or more between semicolons right after the cue are a list too ('trên các lĩnh vực kinh tế;
        # văn hóa - xã hội; quốc phòng - an ninh'; one semicolon may end a clause); without a colon to say where
        # it begins, its items are cut at commas as well
        found += sector_labels(listed.replace(";", ","))
    elif _closing_comma_list(listed) or _closing_plain_list(listed):
        found += sector_labels(listed)
    return _unique(found)


SHORT_ITEM_WORDS = 4


def _closing_plain_list(listed: str) -> bool:
    """Whether the words after a cue are a short list of plain names closing the sentence ('tập trung vào các
    chuyên ngành tim mạch, ung bướu và đột quỵ.'): two items or more between commas and 'và', each a few words in
    lower case with no number, as the names of fields are written; a clause after the cue is none."""
    text = listed.strip(" .;")
    items = [LEADING_WORDS.sub("", i) for i in re.split(r"\s*,\s*|\s+và\s+", text) if i]
    return (len(items) >= 2 and not re.search(r"[\d;:()\"“”]", text)
            and all(len(i.split()) <= SHORT_ITEM_WORDS and not any(w[:1].isupper() for w in i.split()) for i in items))


def _closing_comma_list(listed: str) -> bool:
    """Whether the words after a cue are a list of fields closing the sentence ('tập trung vào A, B, C và D.'):
    three items or more between commas, the last after 'và', and at least two of them known sectors."""
    items = re.split(r"\s*,\s*", listed.strip(" .;"))
    return (len(items) >= 3 and " và " in items[-1]
            and sum(1 for item in items if sectors_in(item)) >= 2)


def bullet_sectors(line: str) -> list[str]:
    """One item of a list of fields ('- Y tế, chăm sóc sức khỏe: Quận 1 hỗ trợ ...'): its label
    (the words before a colon, or the whole item when short) and the canonical sectors it names."""
    if len(ITEM_NUMBER.findall(line)) >= 2:  # "(1) ...; (2) ...": a page that lost its line breaks, a list still
        return _unique(sectors_in(line) + sector_labels(line))
    item = LIST_MARK.sub("", line.strip()).strip()
    head = item.split(":", 1)[0]
    # a long item names its field in its first words, as an item of a list written in one sentence does
    label = _head(LEADING_WORDS.sub("", PARENTHESES.sub("", head)).strip(" ;.,"))
    short = label and (short_enough(label) or _field_of_a_named_place(label))
    written = respelled(label[:1].lower() + label[1:]) if short else None
    return _unique(sectors_in(head) + ([written, *coordinated_parts(written)] if written else []))


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        if name:
            seen.setdefault(fold(name), name)
    return list(seen.values())


# "A sẽ chuyển giao ...": what a party of an agreement will do, in lower case after 'sẽ'
WILL = re.compile(r"\bsẽ\s+(?=[a-zđà-ỹ])")


def committed_fields(told: str) -> list[str]:
    """What a party commits to in a sentence telling what an agreement holds ('Theo thỏa thuận, A sẽ chuyển giao kỹ
    thuật cho B ở 3 chuyên khoa: X, Y và Z; đồng thời đào tạo nhân lực theo hình thức ..., hỗ trợ hội chẩn từ
    xa.'): each thing done after 'sẽ', between semicolons and commas, up to whom, how or where it is done for
    (commitment_label_ends.txt), and the items of a list after a colon ('X', 'Y', 'Z'). Only short plain items."""
    will = WILL.search(told)
    if will is None:
        return []
    fields = []
    for part in re.split(r"\s*;\s*", told[will.end():].strip(" .")):
        part = re.sub(r"^(?:đồng thời|và)\s+", "", part, flags=re.IGNORECASE)
        done, colon, listed = part.partition(":")
        fields += [f for f in (_commitment(d) for d in re.split(r"\s*,\s*", done)) if f]
        if colon:
            fields += sector_labels(listed)
    return _unique(fields)


def fields_done(items: tuple[str, ...]) -> list[str]:
    """The fields the sides of an agreement cooperate on, written as things done after their verb of cooperation
    ('Hai bên còn hợp tác đào tạo nhân lực tại chỗ và hội chẩn từ xa qua hệ thống trực tuyến.'; the items of
    ``announced.partner_fields``): each item up to the words saying where, how or for whom it is done
    (commitment_label_ends.txt), without the words opening it that name no field (label_openers.txt), when that
    leaves a short plain label ('đào tạo nhân lực', 'hội chẩn từ xa')."""
    return _unique([field for field in (_commitment(_without_opener(item)) for item in items) if field])


def _without_opener(item: str) -> str:
    """An item without the words that open it without naming its field ('triển khai hội chẩn từ xa' → 'hội chẩn từ
    xa'; label_openers.txt)."""
    opener = next((o for o in _label_openers() if item.lower().startswith(o + " ")), None)
    return item[len(opener):].strip() if opener else item


def _commitment(done: str) -> str | None:
    """The field a thing done names: its words up to a word saying for whom, how or where; none when that leaves
    a proper name, a number or a long clause."""
    words = done.split()
    lowered = [w.lower() for w in words]
    ends = [i for i in range(len(words))
            if any(lowered[i:i + len(end.split())] == end.split() for end in commitment_label_ends())]
    head = " ".join(words[:ends[0]] if ends else words).strip(" .,")
    plain = head and not re.search(r"[\d\"“”()]", head) and not any(w[:1].isupper() for w in head.split())
    return head if plain and 2 <= len(head.split()) <= SHORT_ITEM_WORDS + 2 else None
