"""Fields of cooperation a sentence announces, and whether the fields read for an agreement cover them.

A sentence about an agreement often writes its fields after a cue ("trên các lĩnh vực: ...", "tập trung vào
...", "ký kết chương trình phối hợp về: (1) ...; (2) ..."; ingest/data/field_announcements.txt), or closes its
signing clause with them ("ký biên bản ghi nhớ với B về liên kết tiêu thụ ... và phát triển ..."). The rules
that read fields may miss some of them. What the text announced is kept beside what was read, so that an
agreement whose announced fields were not (mostly) read is known to be incomplete: its date and parties are
facts, its list of fields is not the list the text gives, and an answer about its fields would mislead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graph.text import fold
from ingest.sectors import respelled
from ingest.vocab import clause_openers, field_announcements, field_list_ends

# the share of an announced list the fields read must cover for the agreement's fields to count as read:
# a list mostly read is answered with what was read, one mostly missed is not
COVERED_ENOUGH = 0.8
NUMBERED = re.compile(r"\(\d{1,2}\)|(?:^|\s)\d{1,2}[.)]\s")
# "trên 5 lĩnh vực chính", "các nội dung sau", "gồm", "như sau": words about the list, not items of it
ABOUT_THE_LIST = re.compile(r"^\s*(?:(?:\d{1,2}|các|những|nhiều|một số|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|lĩnh vực|"
                            r"nội dung|nhóm nội dung|chuyên khoa|chuyên ngành|hợp tác|chính|trọng tâm|cụ thể|trọng điểm|"
                            r"ưu tiên|gồm|bao gồm|là|như|sau)(?!\w)\s*)*", re.IGNORECASE)
LEADING = re.compile(r"^(?:đồng thời|các|những|lĩnh vực|về|là)\s+", re.IGNORECASE)
TIME_TAIL = re.compile(r"\s*,?\s*\b(?:giai đoạn|thời kỳ|đến năm|năm|ngày|tháng)\s+\d.*$", re.IGNORECASE)
# '... với B về liên kết tiêu thụ X và phát triển Y.': 'về' closing a signing clause with a plain list, all in
# lower case (a proper name after 'về' is a place one goes to: 'về thăm tỉnh A'); not 'về việc', a title
ABOUT_CLOSING = re.compile(r"\svề\s*:?\s+(?!việc\b)(?P<fields>[^.:()]+?)[\s.;]*$")


@dataclass(frozen=True)
class Announcement:
    """A sentence that announces fields of cooperation: its quote and the items its own list writes (none when the
    list is written elsewhere: 'hợp tác trên 5 lĩnh vực.' before the bullets)."""

    quote: str
    items: tuple[str, ...]


@lru_cache(maxsize=1)
def _cue_pattern() -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(c) for c in field_announcements()) + r")(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _list_end() -> re.Pattern[str]:
    # a closing quotation mark ends the list too (the words after it say who said it), and so does a clause opened
    # after a comma (', theo đó A là bệnh viện vệ tinh của B ...': clause_openers.txt)
    ends = "|".join(re.escape(e) for e in field_list_ends())
    openers = "|".join(re.escape(o) for o in clause_openers())
    return re.compile(rf"[\"”]|(?:^|,\s*|\s+)(?:{ends})(?!\w)|,\s*(?:{openers})(?!\w)", re.IGNORECASE)


def announced_items(text: str, after_keyword: bool = False) -> tuple[str, ...] | None:
    """The items of the list of fields a text announces after its first cue ('trên các lĩnh vực: A; B',
    'tập trung vào A, B và C', 'về: (1) A; (2) B'), () when it announces fields it writes elsewhere ('trên 5 lĩnh
    vực.'), None when it announces none. With ``after_keyword`` the text is an agreement's clause from its keyword
    on: the cue must stand in the agreement's own clause, before a semicolon opens another ('...; theo đề nghị
    của Sở X, UBND tỉnh ban hành Kế hoạch với các nội dung sau:' is the plan's), and a plain list after 'về'
    closing the clause is announced too ('ký biên bản ghi nhớ với B về A và C')."""
    own = text.split(";", 1)[0] if after_keyword else text
    cue = _cue_pattern().search(own)
    about = ABOUT_CLOSING.search(text) if after_keyword and cue is None else None
    if cue is not None:
        listed = text[cue.end():]
    elif about is not None and about.start() < len(own) and _plain(about.group("fields")):
        listed = about.group("fields")
    elif len(NUMBERED.findall(text)) >= 2:  # 'hai bên hợp tác (1) A; (2) B': a numbered list is one of fields
        listed = text[NUMBERED.search(text).start():]
    else:
        return None
    return _items(listed)


# 'nhà trường hợp tác A và B': the verb of cooperation, then what is done together
COOPERATES = re.compile(r"\b(?:hợp tác|phối hợp)\s+(?=[a-zđà-ỹ])")


def partner_fields(told: str) -> tuple[str, ...] | None:
    """The items a sentence about one partner of an agreement names after its verb of cooperation, closing the
    sentence ('Với C, nhà trường hợp tác chọn tạo giống lúa và tiếp nhận sinh viên thực tập.'): that partner's
    fields, whether or not a cue announces them; None when no such list closes it."""
    verb = COOPERATES.search(told)
    if verb is None or not _plain(told[verb.end():]):
        return None
    return _items(told[verb.end():]) or None


# a name in quotation marks ('tổ chức chương trình "Xuân Ấm Áp" chung') is a programme's, an item of the list
QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]")


def _plain(words: str) -> bool:
    """Whether words are all in lower case (no proper name among them), leaving aside those in quotation marks."""
    return not any(word[:1].isupper() for word in QUOTED.sub("", words).split())


def _items(listed: str) -> tuple[str, ...]:
    """The items of a written list: after a colon when it has one (a colon closing the sentence says the list is
    written after it, in bullets: no items here), cut at numbers or semicolons when it has them, else at commas
    and 'và'; each cut where the sentence goes on about something else ('nhằm ...', 'giữa A và B')."""
    listed = ABOUT_THE_LIST.sub("", listed, count=1)
    if ":" in listed:
        listed = listed.split(":", 1)[1]
    listed = listed.strip(" .;:,")
    if NUMBERED.search(listed) or ";" in listed:
        parts = [before_list_end(p) for part in re.split(r"\s*;\s*", listed) for p in NUMBERED.split(part)]
    else:
        parts = re.split(r"\s*,\s*|\s+và\s+", before_list_end(listed))
    items = (TIME_TAIL.sub("", LEADING.sub("", re.sub(r"\s*\([^()]*\)", "", p).strip(" .;:,-–•"))) for p in parts)
    return tuple(i for i in items if any(c.isalpha() for c in i))


def before_list_end(text: str) -> str:
    """The words of a written list before the sentence goes on about something else (field_list_ends.txt,
    a clause opened after a comma, a closing quotation mark)."""
    end = _list_end().search(text)
    return text[:end.start()] if end else text


def covered(item: str, fields: list[str]) -> bool:
    """Whether a field read names the item: one holds the other as whole words (folded, the item's one-letter
    typos of a sector term spelled right). A known sector the item only stands for ('đào tạo nhân lực' is
    education) does not name it: the item's own words were not read."""
    written = f" {fold(respelled(item))} "
    return any(f" {fold(f)} " in written or written in f" {fold(f)} " for f in fields if fold(f))


def read_fully(announcement: Announcement, fields: list[str]) -> bool:
    """Whether the fields read cover what the sentence announces: most of its items, or, for a list written
    elsewhere, any field at all."""
    if not announcement.items:
        return bool(fields)
    found = sum(1 for item in announcement.items if covered(item, fields))
    return found >= COVERED_ENOUGH * len(announcement.items)
