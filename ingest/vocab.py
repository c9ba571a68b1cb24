"""The ingest data tables (ingest/data/*), loaded once. Domain words live there, not in code."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from graph.text import fold, read_table

DATA = Path(__file__).parent / "data"


def table(name: str) -> list[dict[str, str]]:
    """Rows of ingest/data/<name>.csv."""
    return read_table(DATA / f"{name}.csv")


@lru_cache(maxsize=1)
def furniture() -> list[tuple[str, str]]:
    """(folded pattern, action) pairs; a pattern ending in * is a prefix."""
    return [(r["pattern"], r["action"]) for r in table("furniture")]


@lru_cache(maxsize=1)
def header_columns() -> dict[str, str]:
    """Folded header text -> column key (number, task, lead, ...)."""
    return {fold(r["header"]): r["column"] for r in table("table_headers")}


@lru_cache(maxsize=1)
def organization_heads() -> list[tuple[str, str]]:
    """(head words, category), longest head first."""
    rows = [(r["head"], r["category"]) for r in table("organization_types")]
    return sorted(rows, key=lambda r: -len(r[0]))


@lru_cache(maxsize=1)
def kind_words() -> dict[str, str]:
    """Folded word -> category, for the words that name a body by its kind without an organization head ('Trường',
    'nhà trường' for a school; kind_words.csv)."""
    return {fold(r["word"]): r["category"] for r in table("kind_words")}


@lru_cache(maxsize=1)
def collective_phrases() -> tuple[str, ...]:
    return tuple(r["phrase"] for r in table("collective_phrases"))


@lru_cache(maxsize=1)
def several_bodies() -> re.Pattern[str]:
    """Words that, in a body's name, make it the bodies of several places ('UBND hai huyện',
    'Sở Y tế 2 tỉnh'): a count (or a number) before a kind of place or party (several_bodies.csv). Matched
    with their marks: folded, 'tám tỉnh' (eight provinces) would be the 'Trung tâm tỉnh' of one body's name."""
    rows = table("several_bodies")
    counts = "|".join(re.escape(r["word"]) for r in rows if r["kind"] == "count")
    units = "|".join(re.escape(r["word"]) for r in rows if r["kind"] == "unit")
    return re.compile(rf"(?<!\w)(?:{counts}|\d{{1,2}})\s+(?:{units})(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=1)
def event_references() -> dict[str, list[str]]:
    """Words of a task named by pointing back, by kind (event, pointer, pair, role), longest first."""
    kinds: dict[str, list[str]] = {}
    for row in sorted(table("event_references"), key=lambda r: -len(r["phrase"])):
        kinds.setdefault(row["kind"], []).append(row["phrase"])
    return kinds


def longest_first(words: set[str]) -> list[str]:
    """Longest first, then alphabetical: two spellings of one length ('Chánh Văn phòng', 'Chánh văn
    phòng') always come in the same order, so a reading does not depend on the hash seed."""
    return sorted(words, key=lambda w: (-len(w), w))


@lru_cache(maxsize=1)
def titles() -> list[str]:
    """Position titles, longest first (so 'Phó Chủ tịch Thường trực' wins over 'Phó Chủ tịch')."""
    return longest_first({r["title"] for r in table("titles")})


@lru_cache(maxsize=1)
def honorifics() -> list[str]:
    return longest_first({r["honorific"] for r in table("honorifics")})


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    return frozenset((DATA / "surnames.txt").read_text(encoding="utf-8").split())


@lru_cache(maxsize=1)
def sectors() -> list[tuple[str, str]]:
    """(folded alias, canonical sector), longest alias first."""
    pairs = [(alias.strip(), r["sector"]) for r in table("sectors") for alias in r["aliases"].split("|")]
    pairs += [(fold(r["sector"]), r["sector"]) for r in table("sectors")]
    return sorted(set(pairs), key=lambda p: -len(p[0]))


@lru_cache(maxsize=1)
def agreement_keywords() -> list[tuple[str, str]]:
    """(folded keyword, agreement type), longest first."""
    return sorted(((fold(r["keyword"]), r["type"]) for r in table("agreement_types")), key=lambda p: -len(p[0]))


@lru_cache(maxsize=1)
def keyword_fields() -> dict[str, str]:
    """Folded keyword -> the field its kind of agreement names ('Hợp đồng chuyển giao kỹ thuật' is about
    'chuyển giao kỹ thuật'; agreement_types.csv), for the keywords that name one."""
    return {fold(r["keyword"]): r["field"] for r in table("agreement_types") if r["field"]}


@lru_cache(maxsize=1)
def relation_fields() -> tuple[str, ...]:
    """Relations a signing makes that are fields of the agreement ('bệnh viện vệ tinh'; relation_fields.txt)."""
    return _phrases("relation_fields")


@lru_cache(maxsize=1)
def document_types() -> dict[str, str]:
    return {r["code"]: r["name"] for r in table("document_types")}


@lru_cache(maxsize=1)
def phone_labels() -> list[str]:
    return longest_first({r["label"] for r in table("phone_labels")})


@lru_cache(maxsize=1)
def regions() -> list[tuple[str, list[str], list[str]]]:
    """(region name, folded aliases, member province short names)."""
    return [(r["region"], r["aliases"].split("|"), r["provinces"].split("|")) for r in table("regions")]


@lru_cache(maxsize=1)
def dictionary_words() -> frozenset[str]:
    """Vietnamese words and compounds from underthesea's Viet74K list (lower case)."""
    import underthesea

    path = Path(underthesea.__file__).parent / "corpus" / "data" / "Viet74K.txt"
    return frozenset(line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


@lru_cache(maxsize=1)
def prose_verbs() -> tuple[str, ...]:
    """Verbs that end a title chain in prose ('... UBND tỉnh chỉ đạo ...')."""
    lines = (DATA / "prose_verbs.txt").read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _phrases(name: str) -> tuple[str, ...]:
    """The phrases of ingest/data/<name>.txt, one a line, comments (#) left out."""
    lines = (DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def reporting_verbs() -> tuple[str, ...]:
    """Verbs of saying after which a reported clause opens with its own subject ('bà A cho biết Sở X ...')."""
    return _phrases("reporting_verbs")


@lru_cache(maxsize=1)
def contact_about_cues() -> tuple[str, ...]:
    """Words before the work readers should contact someone about ('Mọi thông tin về'), longest first."""
    return tuple(sorted(_phrases("contact_about_cues"), key=len, reverse=True))


@lru_cache(maxsize=1)
def follow_up_verbs() -> tuple[str, ...]:
    """Verbs of following up what others carry out ('theo dõi', 'đôn đốc')."""
    return _phrases("follow_up_verbs")


@lru_cache(maxsize=1)
def standing_roles() -> tuple[str, ...]:
    """The standing or focal roles a body is given for an agreement ('cơ quan thường trực', 'đầu mối'), longest first."""
    return tuple(sorted(_phrases("standing_roles"), key=len, reverse=True))


@lru_cache(maxsize=1)
def departments() -> list[str]:
    """Standard names of provincial departments (Sở ...), longest first."""
    return sorted((r["department"] for r in table("departments")), key=lambda d: -len(d))


@lru_cache(maxsize=1)
def names_with_breaks() -> list[str]:
    """Official names holding a comma or a dash ('Sở Văn hóa, Thể thao và Du lịch', 'Trung tâm Xúc
    tiến Đầu tư, Thương mại và Du lịch'): the departments' (as 'Sở ...') and official_names.csv's."""
    bodies = [f"Sở {d}" for d in departments()] + [r["name"] for r in table("official_names")]
    return [name for name in bodies if "," in name or " - " in name]


@lru_cache(maxsize=1)
def clause_openers() -> tuple[str, ...]:
    """Words that open a clause before its subject ('Theo đó, ...'), lower case, longest first."""
    lines = (DATA / "clause_openers.txt").read_text(encoding="utf-8").splitlines()
    return tuple(sorted((l.strip() for l in lines if l.strip() and not l.startswith("#")), key=lambda l: -len(l)))


@lru_cache(maxsize=1)
def unsigned_cues() -> tuple[str, ...]:
    """Words that, before the verb of signing or an agreement's keyword, say it is not signed (folded,
    longest first; unsigned_cues.txt)."""
    lines = (DATA / "unsigned_cues.txt").read_text(encoding="utf-8").splitlines()
    return tuple(sorted((fold(l) for l in lines if l.strip() and not l.startswith("#")), key=lambda l: -len(l)))


@lru_cache(maxsize=1)
def request_cues() -> tuple[str, ...]:
    """Words by which one body asks another to lead a task (request_cues.txt), folded."""
    return tuple(fold(word) for word in request_words())


@lru_cache(maxsize=1)
def request_words() -> tuple[str, ...]:
    """Words by which one body asks another to lead a task (request_cues.txt), as written."""
    return _phrases("request_cues")


@lru_cache(maxsize=1)
def lead_part_words() -> list[str]:
    """Words after 'chủ trì' naming only the lead's part in an event named before (lead_part_words.txt), longest first."""
    lines = (DATA / "lead_part_words.txt").read_text(encoding="utf-8").splitlines()
    return longest_first({l.strip() for l in lines if l.strip() and not l.startswith("#")})


@lru_cache(maxsize=1)
def recurrence_words() -> list[str]:
    """Words saying an event recurs (recurrence_words.txt), longest first."""
    lines = (DATA / "recurrence_words.txt").read_text(encoding="utf-8").splitlines()
    return longest_first({l.strip() for l in lines if l.strip() and not l.startswith("#")})


@lru_cache(maxsize=1)
def cooperation_words() -> tuple[str, ...]:
    """Words that say an agreement is one of cooperation, not its field (cooperation_words.txt), folded."""
    lines = (DATA / "cooperation_words.txt").read_text(encoding="utf-8").splitlines()
    return tuple(fold(l) for l in lines if l.strip() and not l.startswith("#"))


@lru_cache(maxsize=1)
def review_cues() -> tuple[str, ...]:
    """Words of a review of an agreement (review_cues.txt), folded."""
    lines = (DATA / "review_cues.txt").read_text(encoding="utf-8").splitlines()
    return tuple(fold(l) for l in lines if l.strip() and not l.startswith("#"))


@lru_cache(maxsize=1)
def member_bodies() -> tuple[str, ...]:
    """Heads of bodies named after their members, not after a field (member_bodies.txt), folded."""
    lines = (DATA / "member_bodies.txt").read_text(encoding="utf-8").splitlines()
    return tuple(fold(l) for l in lines if l.strip() and not l.startswith("#"))


@lru_cache(maxsize=1)
def replacing_cues() -> tuple[str, ...]:
    """Words before an agreement that a new one replaces ('thay thế thỏa thuận ...'; replacing_cues.txt), folded,
    longest first."""
    lines = (DATA / "replacing_cues.txt").read_text(encoding="utf-8").splitlines()
    return tuple(sorted((fold(l) for l in lines if l.strip() and not l.startswith("#")), key=lambda l: -len(l)))


@lru_cache(maxsize=1)
def negation_cues() -> tuple[str, ...]:
    """Words that deny what follows ('không phải'), folded, longest first."""
    lines = (DATA / "negation_cues.txt").read_text(encoding="utf-8").splitlines()
    return tuple(sorted((fold(l) for l in lines if l.strip() and not l.startswith("#")), key=lambda l: -len(l)))


@lru_cache(maxsize=1)
def region_group_words() -> frozenset[str]:
    """Words (lower case, with their marks: 'cả' is not 'ca') that, right before a region, make it a group
    of localities ('các tỉnh Tây Nguyên')."""
    lines = (DATA / "region_group_words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(unicodedata.normalize("NFC", l.strip().lower()) for l in lines if l.strip() and not l.startswith("#"))


@lru_cache(maxsize=1)
def people_named_like_places() -> frozenset[str]:
    """Folded names that, written without a type word, are a person's ('Hồ Chí Minh')."""
    lines = (DATA / "people_named_like_places.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(fold(l) for l in lines if l.strip() and not l.startswith("#"))


@lru_cache(maxsize=1)
def rank_words() -> tuple[str, ...]:
    """A civil servant's rank or status ('viên chức', 'chuyên viên'), folded (rank_words.txt): never a body."""
    lines = (DATA / "rank_words.txt").read_text(encoding="utf-8").splitlines()
    return tuple(fold(l) for l in lines if l.strip() and not l.startswith("#"))


@lru_cache(maxsize=1)
def carrying_out_phrases() -> list[str]:
    """What a body carrying out the works a gift pays for is said to do (carrying_out_phrases.txt), longest first."""
    lines = (DATA / "carrying_out_phrases.txt").read_text(encoding="utf-8").splitlines()
    return sorted((l.strip() for l in lines if l.strip() and not l.startswith("#")), key=lambda l: -len(l))


@lru_cache(maxsize=1)
def works_verbs() -> list[str]:
    """Verbs of building works a gift may pay for ('xây dựng', 'sửa chữa'; works_verbs.txt), longest first."""
    lines = (DATA / "works_verbs.txt").read_text(encoding="utf-8").splitlines()
    return sorted((l.strip() for l in lines if l.strip() and not l.startswith("#")), key=lambda l: -len(l))


@lru_cache(maxsize=1)
def photo_positions() -> list[str]:
    """Where a person stands in a caption's photo ('bên phải'; photo_positions.txt), longest first."""
    lines = (DATA / "photo_positions.txt").read_text(encoding="utf-8").splitlines()
    return sorted((l.strip() for l in lines if l.strip() and not l.startswith("#")), key=lambda l: -len(l))


@lru_cache(maxsize=1)
def caption_skips() -> list[str]:
    """Words marking a photo caption as not of the article's event ('ảnh tư liệu'; caption_skips.txt), folded."""
    lines = (DATA / "caption_skips.txt").read_text(encoding="utf-8").splitlines()
    return [fold(line.strip()) for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def field_announcements() -> tuple[str, ...]:
    """Words after which a sentence writes an agreement's fields of cooperation ('trên các lĩnh vực', 'tập trung
    vào'), longest first."""
    return tuple(sorted(_phrases("field_announcements"), key=len, reverse=True))


@lru_cache(maxsize=1)
def field_list_ends() -> tuple[str, ...]:
    """Words at which a written list of fields ends ('nhằm', 'góp phần', 'giữa'), longest first."""
    return tuple(sorted(_phrases("field_list_ends"), key=len, reverse=True))


@lru_cache(maxsize=1)
def commitment_label_ends() -> tuple[str, ...]:
    """Words at which a commitment stops naming its field ('cho', 'theo', 'tại')."""
    return _phrases("commitment_label_ends")


@lru_cache(maxsize=1)
def agreement_pointers() -> tuple[str, ...]:
    """Words opening a sentence about what an agreement told of holds ('theo đó', 'theo nội dung ký kết')."""
    return _phrases("agreement_pointers")
