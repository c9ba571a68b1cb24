"""Commitments in news: tasks an article announces, with the body that leads them.

News states who leads a task in a few fixed ways, clause by clause: "Sở X (sẽ) chủ trì tổ chức
Y", "Giao Sở X chủ trì Y, phối hợp với Sở Z", "Y (sẽ) do Sở X chủ trì (tổ chức)", "UBND X chủ
trì, phối hợp với UBND Z tổ chức Y", "Sở X đã tổ chức thành công Y"; a locality as the subject ("Phú Yên sẽ chủ trì Y") is its
People's Committee. A gift with its amount ("huyện X trao tặng ... 500 triệu đồng") is its giver's task, unless it is
for a purpose ("... để xây dựng 30 nhà"): that is another body's task. Bodies that "phối hợp" or
"hỗ trợ" in the same clause or the next one coordinate. The lead must be a body named by an
organization head; a person co-chairing a meeting ("đồng chủ trì") is not a lead. The task
keeps the article's words; its time ("tháng 10/2024", "Quý I/2025") and place ("tại ...")
are read from the clause. A task named only by words that point back ("Hoạt động này", "buổi
gặp gỡ năm 2024": ingest/data/event_references.csv) is named from the sentence before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from graph.text import fold
from ingest.dates import timeframe
from ingest.localities import Unit, find_localities
from ingest.orgs import OrgRef, head_of, parse_org, split_org_list, split_outside_names
from ingest.people import PersonRef, find_phone, people_in_sentence
from ingest.vocab import (
    carrying_out_phrases,
    clause_openers,
    event_references,
    follow_up_verbs,
    lead_part_words,
    organization_heads,
    recurrence_words,
    reporting_verbs,
    request_cues,
    request_words,
    standing_roles,
    works_verbs,
)

# "chủ trì" (leads), "đăng cai" (hosts), or a body's report that it "đã tổ chức thành công" (organised) an event;
# people "đồng chủ trì" (co-chair) a meeting, written "Đồng chủ trì" only where a sentence or clause begins: after
# any other word "Đồng" ends a place's name ("Sở Công Thương tỉnh Lâm Đồng chủ trì")
LEAD = re.compile(r"(?<!(?-i:đồng) )(?<!^(?-i:Đồng) )(?<![.,;:(] (?-i:Đồng) )\bchủ trì\b|(?<!luân phiên )\bđăng cai\b|"
                  r"\bđã tổ chức thành công\b", re.IGNORECASE)
# "UBND X sẽ tổ chức Phiên chợ Y tại Z", "Trường X sẽ xây dựng mô hình Y": a body that will organise an event or
# carry out works leads it, when the clause names no other lead ('chủ trì', 'do ... chủ trì') nor helper (then
# who leads is the other words' to say)
WILL_ORGANISE = re.compile(r"\bsẽ (?:tổ chức|xây dựng|triển khai)\b", re.IGNORECASE)
HELP = re.compile(r"\b(?:phối hợp|hỗ trợ)\b", re.IGNORECASE)
MODAL = re.compile(r"(?:\s+(?:sẽ|đã|cũng|tiếp tục|vẫn|được giao|được phân công))+\s*$", re.IGNORECASE)
# giving: "trao tặng", "trao hỗ trợ", "tặng", "hỗ trợ" (with an amount, see _gift)
# "trao" alone gives when an amount follows ("trao 500 triệu đồng cho ..."); "để hỗ trợ ..." is what a gift is for
GIFT = re.compile(r"(?<![\w-])(?<!để )(?<!nhằm )(?:trao tặng|trao hỗ trợ|trao(?=\s+\d)|tặng|hỗ trợ)\s", re.IGNORECASE)
AMOUNT = re.compile(r"\d[\d.,]*\s*(?:tỷ|triệu|nghìn|ngàn)\s*đồng|\d+\s*(?:căn|ngôi|suất|phần|bộ|chiếc|tấn|con|máy|hệ thống|xe|nhà|công trình)\b",
                    re.IGNORECASE)
# what a gift is for, after its amount ("để hỗ trợ xây dựng ...", "hỗ trợ sửa chữa ...", "nhằm ...");
# a verb of works right after the amount ("... 2 tỷ đồng xây dựng trường X") is its purpose as well
PURPOSE = re.compile(r"\s+(?:(?:để|nhằm|hỗ trợ|giúp|cho việc|phục vụ)\s|(?=(?:xây dựng|xây mới|sửa chữa|nâng cấp)\s))",
                     re.IGNORECASE)
TRAILING_TIME = re.compile(r"(?:^|(?<=[,:;]))\s*(?:trong\s+)?(?:năm|tháng|quý)\s+[\dIVX/]+\s*,?$", re.IGNORECASE)
LEADING_TIME = re.compile(r"^\s*(?:trong\s+)?((?:năm|tháng|quý)\s+[\dIVX/]+)\s*,\s*", re.IGNORECASE)
# verbs that start a task after the bodies named before it ('..., phối hợp với Sở Z xây dựng kế hoạch ...');
# lower case only: 'Sở Xây dựng' is a body
WORK_VERBS = "tổ chức|thực hiện|xây dựng|triển khai|hoàn thiện|lựa chọn|bố trí|cử|đưa"
# "tổ chức Y", "thực hiện việc Y", "triển khai việc Y": the task is Y ('việc' makes a verb's object a thing done)
LEADING_VERB = re.compile(r"^\s*(?:(?:tổ chức|thực hiện)\s+(?:việc\s+)?|triển khai\s+việc\s+)", re.IGNORECASE)
QUOTED = re.compile(r"^\s*[\"“]([^\"”]{3,})[\"”]")
# where the task's own words end: its time, its place, or what follows a comma (', hoàn thành trong năm Y' is its
# deadline)
# ("tại", "ở" always bring a place; the other words a time or place only before these words or a capital: "khám
# chữa bệnh từ xa", "hợp tác trong lĩnh vực y tế" go on)
ADJUNCT = re.compile(r"\s+(?:tại|ở)\s+(?=\w)|\s+(?:vào|trong|từ|bắt đầu|kéo dài)\s+(?=tháng|quý|năm|ngày|đầu|cuối|\d|"
                     r"(?-i:[A-ZĐ])|thành phố|tỉnh|huyện|quận|phường|xã|thị)|,\s*(?:bắt đầu|mời|với|nhằm|để|thu hút|hoàn thành)\b",
                     re.IGNORECASE)
DATE_WORDS = re.compile(r"\b(?:năm|tháng|quý)\s+[\dIVX/\-\s]+|\d+", re.IGNORECASE)
PLACE = re.compile(r"\btại\s+(.+?)(?=\s+(?:trong|vào|từ|năm|với)\s|[,;.]|$)")
# "chủ trì" with no task after it ("UBND X chủ trì, bố trí ...", "Sở X chủ trì.", "Trung tâm X chủ trì tổ chức."):
# the task is named before; "Sở X chủ trì, phối hợp với Sở Z hoàn thiện Y" names it after its helper
BARE_LEAD = re.compile(r"\s*(?:(?:{parts})\s*)?(?:,(?!\s*(?:phối hợp|hỗ trợ)\b)|\.|$)".format(
    parts="|".join(re.escape(w) for w in lead_part_words())), re.IGNORECASE)
# where one occurrence of a recurring event is held, after its lead's part ('do quận X chủ trì tổ chức tại Hà Nội')
VENUE = re.compile(r"\s+(?:tại|ở)\s+[^,;.]+(?=[,;.]|$)")
# a person given the lead ("bà A, Giám đốc Sở X, được giao chủ trì ..."): the body the person heads leads
ASSIGNED_PERSON = re.compile(r",?\s+được (?:giao|phân công)\s*$", re.IGNORECASE)
ORGANISING = re.compile(r"\s(?:tổ chức|triển khai)\s+(?!là\b)")
# "Phiên chợ X (sẽ) được tổ chức vào ... tại ...", "Cũng theo thỏa thuận, Hội chợ Y sẽ diễn ra từ ...": an event
# named before its own holding, after any words that open the sentence
HELD_PASSIVE = re.compile(r"^(?:[^,;]*,\s+)?(?P<event>(?-i:[A-ZĐÀ-Ỹ])[^,;]+?)\s+(?:sẽ\s+)?(?:được\s+(?:tổ chức|triển khai)|diễn ra)\s+"
                          r"(?P<rest>.*)$", re.IGNORECASE)
ORGANISED = re.compile(r"\b(?:tổ chức|triển khai|thực hiện)\s+(?!là\b)(.+)")
HELPER_CLAUSE = re.compile(r",\s*(?=[A-ZĐÀ-Ỹ][^,]*\b(?:phối hợp|hỗ trợ)\b)|,\s*(?=phối hợp)")


@dataclass
class Commitment:
    task: str
    full: str  # the task with its time and place, as the clause writes it
    lead: OrgRef
    coordinators: list[OrgRef] = field(default_factory=list)
    timeframe: str | None = None
    place: str | None = None
    places: list[Unit] = field(default_factory=list)
    funded: bool = False  # works a gift pays for, led by the giver until a body is assigned to carry them out


@lru_cache(maxsize=1)
def _heads() -> re.Pattern[str]:
    return re.compile("|".join(rf"(?<!\w){re.escape(h)}(?=\s)" for h, _ in organization_heads()))


def _subject(text: str) -> OrgRef | None:
    """The body that is the subject of a clause ending here: the last organization name that starts
    a clause ('Theo kế hoạch, Trung tâm X ...', 'Giao Sở X', '...: Sở X sẽ')."""
    text = MODAL.sub("", text)
    for match in reversed(list(_heads().finditer(text))):
        # "..., năm 2025 Sở X chủ trì": a time written before the subject opens its clause as a comma would
        before = TRAILING_TIME.sub("", text[:match.start()].rstrip())
        if before and not re.search(r"(?:[,:;(\-•+]|\bGiao|\bgiao|\bvà)$", before) and not _reported(before):
            continue
        org = parse_org(text[match.start():], None)
        if org is not None and not _head_alone(org):
            return org
    return None


def _reported(before: str) -> bool:
    """Whether the text ends with a verb of saying ('bà A cho biết'): the reported clause after it opens with
    its own subject, as after a comma."""
    return re.search(rf"\b(?:{'|'.join(re.escape(v) for v in reporting_verbs())})$", before, re.IGNORECASE) is not None


def _assigned_person_body(text: str) -> OrgRef | None:
    """The body of the one person a clause ending here gives the lead to ('bà A, Giám đốc Sở X tỉnh Y, được
    giao'): a person is assigned as the head of a body, so that body leads. None for a person chairing a
    meeting ('ông A, Chủ tịch UBND tỉnh, chủ trì hội nghị'), for several people, or a person of no body."""
    assigned = ASSIGNED_PERSON.search(text)
    if assigned is None:
        return None
    clause = _drop_opener(re.split(r"[;:]\s*", text[:assigned.start()])[-1])
    people = people_in_sentence(clause, None)
    if len(people) != 1 or len(people[0].positions) != 1 or people[0].name not in clause[:60]:
        return None
    return people[0].positions[0].org


def _occurrence(task_text: str, after: str, before_clause: str) -> str | None:
    """One occurrence of a recurring event the clause before organises ('... luân phiên tổ chức Hội thảo X hằng
    năm; năm 2021 do Sở Y chủ trì tổ chức'): the event's name with the time the clause gives, when the clause
    names nothing but a time and the lead (and where: '...; năm 2024 do quận X chủ trì tổ chức tại Hà Nội');
    None otherwise."""
    after = VENUE.sub("", after, count=1)
    if DATE_WORDS.sub(" ", task_text).strip(" ,") or not task_text.strip() or not BARE_LEAD.match(after):
        return None
    organised = None if LEAD.search(before_clause) else ORGANISED.search(before_clause)
    if organised is None:
        return None
    recurring = "|".join(re.escape(w) for w in recurrence_words())
    name = re.sub(rf"\s+(?:{recurring})\b", "", _task_name(organised.group(1)), flags=re.IGNORECASE).strip(" ,")
    return f"{name} {task_text.strip(' ,')}" if len(name.split()) >= 2 else None


def _head_alone(org: OrgRef) -> bool:
    """'Công ty', 'Sở' written alone: a body named elsewhere, not one to lead a task."""
    return org.locality is None and head_of(org.body) is not None and fold(head_of(org.body)[0]) == fold(org.body)


def _locality_subject(text: str) -> OrgRef | None:
    """A locality that is the whole subject of a clause ending here ('..., Phú Yên sẽ', 'Quận 5')
    stands for its People's Committee."""
    clause = re.split(r"[,:;(]\s*|\s+và\s+", MODAL.sub("", text).strip())[-1]
    clause = _drop_opener(clause)
    named = find_localities(clause)
    if len(named) != 1 or named[0].start != 0 or named[0].end != len(clause.rstrip()):
        return None
    return parse_org(f"Ủy ban nhân dân {named[0].unit.in_running_text}", None)


def _drop_opener(text: str) -> str:
    """'Theo đó, buổi gặp gỡ ...' → 'buổi gặp gỡ ...'."""
    text = text.strip(" -•+")
    for opener in clause_openers():
        if text.lower().startswith(opener):
            return text[len(opener):].lstrip(" ,")
    return text


def _task_name(text: str) -> str:
    """The task's own words: a quoted name, or the text up to its time or place."""
    text = LEADING_VERB.sub("", text.strip(" ,"))
    if quoted := QUOTED.match(text):
        return quoted.group(1).strip()
    cut = ADJUNCT.search(text)
    return (text[:cut.start()] if cut else text).strip(" ,.;")


# who directs a body: the words naming who asks, and the body asked (see commitments_in)
Directs = Callable[[str, OrgRef], bool]


def _asked_body(before: str) -> tuple[str, OrgRef, str] | None:
    """A request's asker and the one body it asks ('Phát biểu tại buổi lễ, ông A đề nghị Sở Y tế tỉnh X'): the
    words before the request's cue, the body, and the words that name it; None when the cue is not followed by
    one body's name alone."""
    cues = "|".join(re.escape(c) for c in request_words())
    cue = list(re.finditer(rf"(?<!\w)(?:{cues})(?!\w)", before, re.IGNORECASE))
    if not cue:
        return None
    asked = MODAL.sub("", before[cue[-1].end():]).strip()
    body = parse_org(asked, None) if head_of(asked) and not re.search(r"\bvà\b|,", asked) else None
    if body is None or _head_alone(body):
        return None
    return before[:cue[-1].start()], body, before[cue[-1].end():]


def _asks(text: str) -> bool:
    """Whether the words before a lead verb ask someone to lead ('Sở X đề nghị Sở Y ...'; request_cues.txt)."""
    folded = f" {fold(text)} "
    return any(f" {cue} " in folded for cue in request_cues())


def _helpers(text: str) -> list[OrgRef]:
    """Bodies that coordinate ('phối hợp với Sở Z', 'Sở Z phối hợp ...', 'Sở Z hỗ trợ ...')."""
    found: list[OrgRef] = []
    heads = "|".join(re.escape(h) for h, _ in organization_heads())
    for part in re.split(rf"\s*;\s*|,\s*(?=(?:{heads})\s|phối hợp)", text):
        help_verb = HELP.search(part)
        if not help_verb:
            continue
        after = re.match(r"\s*(?:với|cùng)?\s*(.+)", part[help_verb.end():])
        named_after = after and head_of(after.group(1)) and parse_org(_before_verb(after.group(1)), None)
        org = named_after or _subject(part[:help_verb.start()])
        if org is not None:
            found.append(org)
    return found


# "..., giao Sở X chủ trì": the words that assign the lead, after what is organised
ASSIGNING = re.compile(r"[,;]\s*giao\s+(?:cho\s+)?[^,;]*$", re.IGNORECASE)
# "Chợ công nghệ Y sẽ diễn ra từ ngày ... tại Z": an event named (with capitals) as the subject of its own holding
ANNOUNCED = re.compile(r"(?:^|,\s+)(?P<event>(?-i:[A-ZĐÀ-Ỹ])[^,;]+?)\s+(?:sẽ\s+)?(?:được\s+tổ chức|diễn ra)\s+"
                       r"(?P<rest>[^;]*?)[\s.]*$", re.IGNORECASE)


def _announced_event(sentence: str) -> str | None:
    """The event a sentence announces as its subject ('Theo kế hoạch, Chợ công nghệ Y sẽ diễn ra từ ngày D tại Z'),
    with its time and place; None when it announces none, or names a lead of its own."""
    if not sentence or LEAD.search(sentence):
        return None
    announced = ANNOUNCED.search(_drop_opener(sentence))
    if announced is None:
        return _agreed_event(sentence)
    if head_of(announced.group("event")) or _bare_reference(announced.group("event")):
        return None
    return f"{announced.group('event')} {announced.group('rest')}".strip(" ,.;")


# "Hai bên thống nhất tổ chức Tuần lễ Y từ ngày D tại Z.": a named event (capitalised) the sides agree to hold
AGREED_EVENT = re.compile(r"\b(?:thống nhất|sẽ)\s+tổ chức\s+(?P<event>(?-i:[A-ZĐÀ-Ỹ]).+?)[\s.]*$", re.IGNORECASE)


def _agreed_event(sentence: str) -> str | None:
    """The named event a sentence of one clause says the sides agreed to hold, with its time and place, when it
    names no body to lead it ('Hai bên thống nhất tổ chức Ngày hội Y tại Z.'); the next sentence names the lead
    ('Trung tâm X chủ trì, Sở W phối hợp.'). None otherwise."""
    agreed = AGREED_EVENT.search(sentence) if ";" not in sentence else None
    if agreed is None or head_of(agreed.group("event")) or _bare_reference(agreed.group("event")):
        return None
    return agreed.group("event").strip(" ,.;")


def _before_verb(text: str) -> str:
    """'UBND Quận 5 tổ chức ...' → 'UBND Quận 5': a body's name ends before the next verb, and at a comma
    outside an official name ('Sở X tỉnh Y, gồm ...': what follows tells of the event, not of the body)."""
    return split_outside_names(re.split(rf"\s+(?:{WORK_VERBS})\b", text)[0], re.compile(r"\s*,\s*"))[0]


def commitments_in(sentence: str, directs: Directs | None = None, previous: str = "") -> list[Commitment]:
    """Tasks with a lead body that one sentence of news announces (the sentence already expanded). A request
    ('ông A đề nghị Sở Y chủ trì ...') is a task of the body asked only when ``directs`` says the words before
    the request name who directs that body. A lead named bare ('Trung tâm X được giao chủ trì.') leads the
    event the sentence ``previous`` announces, when it announces one."""
    clauses = [c for c in re.split(r"\s*;\s*", sentence) if c.strip()]
    found: list[Commitment] = []
    organised_only: set[int] = set()  # found from 'sẽ tổ chức Y' alone, with no body named to lead Y
    for index, clause in enumerate(clauses):
        verb = LEAD.search(clause) or (None if HELP.search(clause) or re.search(r"\bdo\b", clause)
                                       else WILL_ORGANISE.search(clause))
        standing = _standing_role(clause)
        if verb and standing and standing.start() < verb.start() < standing.end():
            # 'Sở X là cơ quan thường trực, chủ trì theo dõi ...': the lead verb belongs to the role, whose body leads
            found += _standing_body(clause)
            continue
        if not verb:
            before_clause = clauses[index - 1] if index else ""
            following = clauses[index + 1] if index + 1 < len(clauses) else ""
            own = (_assigned_works(clause, before_clause) or _assigned_event(clause, before_clause)
                   or _gift(clause) or _funded_works(clause) or _gift_handed_by(clause)
                   or _help_with_contact(clause, following)
                   or _promised_works(clause, following) or _invested_works(clause) or _standing_body(clause))
            if not own and (own := _organised_with(clause)):
                # "A phối hợp với B tổ chức Y; B chủ trì": a lead named outright outranks the body that organises
                organised_only.update(range(len(found), len(found) + len(own)))
            found += own
            continue
        before, after = clause[:verb.start()], clause[verb.end():]
        if _asks(before):
            # "Sở X đề nghị Sở Y chủ trì ...": a request; who will lead is not yet said, unless the one asking
            # directs the body asked (the People's Committee of its own locality, or a leader of it)
            asked = _asked_body(before)
            if asked is None or directs is None or not directs(asked[0], asked[1]):
                continue
            before = before[-len(asked[2]):]
        following = clauses[index + 1] if index + 1 < len(clauses) and not LEAD.search(clauses[index + 1]) else ""
        by = re.search(r"\bdo\s+(.+?)$", MODAL.sub("", before))
        if by:  # "Y do Sở X chủ trì"
            lead = parse_org(by.group(1), None) if head_of(by.group(1)) else _locality_subject(by.group(1))
            task_text = MODAL.sub("", _drop_opener(before[:by.start()]))
            when = LEADING_TIME.match(task_text)  # "Năm 2025, hội nghị X do ...": the time is not the task's name
            task_text = task_text[when.end():] if when else task_text
            if held := HELD_PASSIVE.match(task_text):
                # "Phiên chợ X sẽ được tổ chức vào tháng M tại Z, do ...": the event is the subject, its time and place follow
                task_text = f"{held.group('event')} {held.group('rest')}"
            # "Hai huyện thống nhất tổ chức Phiên chợ X, do ...": what is organised, not who agreed to it
            elif (organising := ORGANISING.search(task_text)) and organising.start() > 0:
                task_text = task_text[organising.end():]
            full = f"{task_text} {LEADING_VERB.sub('', HELPER_CLAUSE.split(after, maxsplit=1)[0].strip(' ,'))}"
            full = f"{when.group(1)} {full}" if when else full
            if occurrence := _occurrence(task_text, after, clauses[index - 1] if index else ""):
                task_text = full = occurrence
            helpers = _helpers(f"{after}; {following}")
        else:  # "Sở X chủ trì (, phối hợp với Sở Z) tổ chức Y"
            lead = _subject(before) or _locality_subject(before) or _assigned_person_body(before)
            with_helper = re.match(rf"\s*,\s*phối hợp với\s+(.+?)\s+(?={WORK_VERBS})", after)
            helpers = [o for o in [parse_org(with_helper.group(1), None)] if o] if with_helper else []
            task_text = after[with_helper.end():] if with_helper else after
            if not with_helper and (follow_up := _follow_up_after(after)):
                task_text = follow_up  # "Sở X chủ trì, theo dõi việc triển khai Đề án Y, ...": the follow-up is its task
            elif not with_helper and BARE_LEAD.match(after):
                # "... tổ chức Y; UBND X chủ trì, bố trí địa điểm": X leads the Y the clause before
                # organises (unless that clause names its own lead), and what follows the comma is its
                # part in it, not a task of its own
                before_clause = clauses[index - 1] if index else ""
                organised = None if LEAD.search(before_clause) else ORGANISED.search(before_clause)
                if organised is None and (given := ASSIGNING.search(before)):
                    # "Hai tỉnh thống nhất tổ chức Y tại Z, giao Sở X chủ trì, Sở W phối hợp": Y of its own clause
                    organised = ORGANISED.search(before[:given.start()])
                if organised is None and not index and (announced := _announced_event(previous)):
                    task_text = announced  # "Y sẽ diễn ra ... tại Z. Trung tâm X được giao chủ trì, ..."
                elif organised is None:
                    continue
                else:
                    task_text = organised.group(1)
                helpers += _helpers(after)  # "...; Sở X chủ trì, Sở Z phối hợp."
            full = LEADING_VERB.sub("", task_text.strip(" ,"))
            helpers += _helpers(f"{task_text}; {following}")
            full = HELPER_CLAUSE.split(full, maxsplit=1)[0]
            task_text = full
        name = _task_name(task_text)
        if lead is None or len(DATE_WORDS.sub(" ", name).split()) < 2:
            continue
        name, full = _support_named(name, full, "; ".join(clauses[:index]) or previous)
        name = _purpose_repeated(name, "; ".join(clauses[:index]))
        place = PLACE.search(re.sub(r"[\"“][^\"”]*[\"”]", "", full))  # not a place inside the task's quoted name
        if not LEAD.search(clause):
            organised_only.add(len(found))
        found.append(Commitment(task=name, full=full.strip(" ,.;"), lead=lead,
                                coordinators=[h for h in helpers if h.node_id != lead.node_id],
                                timeframe=timeframe(full), place=place.group(1).strip() if place else None,
                                places=[m.unit for m in find_localities(place.group(1))] if place else []))
    # "Tỉnh X sẽ tổ chức Y; UBND tỉnh X giao Sở Z chủ trì": the body named to lead Y leads it, not the
    # locality that said it would hold Y
    led = {fold(c.task) for i, c in enumerate(found) if i not in organised_only}
    return without_funded_taken_up([c for i, c in enumerate(found) if i not in organised_only or fold(c.task) not in led])


def _support_named(name: str, full: str, before: str) -> tuple[str, str]:
    """A task that handles 'the support' ('thực hiện thủ tục tiếp nhận nguồn hỗ trợ'; the support words of
    event_references.csv) named with the one gift the text before gives ('Tỉnh A sẽ hỗ trợ tỉnh B 10 tỷ đồng xây
    dựng kho lạnh tại xã X; Sở Y được giao chủ trì, ... tiếp nhận nguồn hỗ trợ'): its amount and what it pays
    for, as a reader asks for it. The name and the words in full, unchanged when the text before gives no gift
    with an amount of money, or several."""
    if not re.search(rf"(?<!\w)(?:{_phrases('support')})$", name, re.IGNORECASE):
        return name, full
    verb = GIFT.search(before)
    amounts = list(MONEY.finditer(before))
    if verb is None or len(amounts) != 1 or amounts[0].start() < verb.end():
        return name, full
    gift = re.split(r"[;.]\s", before[amounts[0].start():] + " ")[0].strip(" ,.;")
    return _task_name(f"{name} {gift}"), f"{full} {gift}"


def _purpose_repeated(name: str, before: str) -> str:
    """A task that repeats in short what a gift of the clauses before is for ('A hỗ trợ B 5 tỷ đồng để xây dựng 90
    nhà cho hộ nghèo; giao C chủ trì triển khai việc xây dựng 90 nhà'): named as the gift names it, with whom it is
    for, as a reader asks for it. Only when the gift's purpose opens with the task's own words."""
    purpose = gift_purpose(before, to_the_end=True) if before else None
    if purpose is None or len(name.split()) < 3 or fold(purpose) == fold(name):
        return name
    return purpose if f"{fold(purpose)} ".startswith(f"{fold(name)} ") else name


def without_funded_taken_up(commitments: list[Commitment]) -> list[Commitment]:
    """The commitments without the works a gift pays for that another of them carries out ('Huyện X hỗ trợ 3 tỷ
    đồng xây dựng Trường Y; UBND xã Z làm chủ đầu tư'): the giver leads the works only while no body is named
    to carry them out."""
    carried_out = [f" {fold(c.task)} " for c in commitments if not c.funded]
    return [c for c in commitments
            if not c.funded or not any(f" {fold(c.task)} " in t or t in f" {fold(c.task)} " for t in carried_out)]


# "ông A, Phó Chủ tịch UBND phường X được giao làm đầu mối, ĐT ...": a person assigned as the contact point
ASSIGNED_CONTACT = re.compile(r"^(?P<person>.+?),?\s+được (?:giao|phân công)\s+(?:làm\s+)?đầu mối\b(?P<rest>.*)$",
                              re.IGNORECASE)
# "Phường X (sẽ / cam kết) hỗ trợ xã Y phát triển ...": a promise of help (not of an amount: see _gift)
HELP_PROMISE = re.compile(r"\s+(?P<modal>(?:(?:sẽ|cam kết|tiếp tục)\s+)*)hỗ trợ\s+(?!\d)", re.IGNORECASE)


def assigned_contact(clause: str) -> tuple[OrgRef, PersonRef] | None:
    """The person a clause assigns as contact point, with the one body they hold a post in and the phone the
    clause gives; None for several people, several posts or none: whose contact it is stays unsure."""
    assigned = ASSIGNED_CONTACT.match(clause.strip())
    people = people_in_sentence(assigned.group("person"), None) if assigned else []
    if len(people) != 1 or len(people[0].positions) != 1 or people[0].positions[0].org is None:
        return None
    person = replace(people[0], phone=people[0].phone or find_phone(assigned.group("rest")))
    return person.positions[0].org, person


def _help_with_contact(clause: str, following: str) -> list[Commitment]:
    """A promise of help ('Phường X hỗ trợ xã Y phát triển du lịch ...') is a task of the helper when the clause
    after assigns it a contact point from the helper's own body ('...; ông A, Phó Chủ tịch UBND phường X được
    giao làm đầu mối'); without one it stays a promise (see _gift)."""
    verb = HELP_PROMISE.search(clause)
    contact = assigned_contact(following) if verb else None
    if contact is None:
        return []
    before = clause[:verb.start()]
    lead = _subject(before) or _locality_subject(before)
    if lead is None or lead.node_id != contact[0].node_id:
        return []
    full = clause[verb.start() + len(verb.group("modal")):].strip(" .;")
    name = _task_name(full)
    return [Commitment(task=name[:1].upper() + name[1:], full=full, lead=lead, timeframe=timeframe(full))]


# "Ban X phối hợp với Ban Y tổ chức Lễ Z": the subject organises the event, the body it works with coordinates
ORGANISED_WITH = re.compile(r"\s+(?:(?:sẽ|đã|tiếp tục|cũng)\s+)*phối hợp với\s+(?P<helper>.+?)\s+(?:để\s+)?"
                            r"(?:tổ chức|triển khai|thực hiện)\s+(?:thành công\s+)?(?!là\b)(?P<task>.+)$")


def _organised_with(clause: str) -> list[Commitment]:
    """An event one body organises with another ('Ngày D, tại X, Ban A phối hợp với Ban B tổ chức Lễ ký kết ...'):
    the subject leads it and the other coordinates. Only when the subject is one body that opens its clause:
    'Sở A và Sở B phối hợp tổ chức ...' is held jointly, 'Y do Sở A phối hợp với ...' names the event first."""
    organised = ORGANISED_WITH.search(clause)
    if organised is None or re.search(r"\bdo\b", clause[:organised.start()]):
        return []
    subject = _drop_opener(re.split(r"[,:;(]\s*", clause[:organised.start()])[-1])
    lead = parse_org(subject, None) if head_of(subject) and len(split_org_list(subject)) == 1 else None
    helper = parse_org(_before_verb(organised.group("helper")), None) if head_of(organised.group("helper")) else None
    if lead is None or helper is None or _head_alone(lead):
        return []
    full = organised.group("task").strip(" .;")
    name = _task_name(full)
    if len(DATE_WORDS.sub(" ", name).split()) < 2:
        return []
    # "Ngày D, tại X, Ban A phối hợp ... tổ chức Lễ Y": the day and place written before the subject are the event's
    opening = clause[:organised.start() - len(subject)]
    place = PLACE.search(opening) or PLACE.search(full)
    return [Commitment(task=name[:1].upper() + name[1:], full=full, lead=lead, coordinators=[helper],
                       timeframe=timeframe(opening) or timeframe(full), place=place.group(1).strip() if place else None,
                       places=[m.unit for m in find_localities(place.group(1))] if place else [])]


def _follow_up_pattern() -> str:
    return "|".join(re.escape(v) for v in follow_up_verbs())


def _follow_up_after(after: str) -> str | None:
    """The follow-up a lead is given after a comma ('chủ trì, theo dõi việc triển khai Đề án Y trên địa bàn tỉnh,
    định kỳ báo cáo ...'): the words from its verb to the next comma; None when no follow-up verb opens them."""
    follow_up = re.match(rf"\s*,\s*((?:{_follow_up_pattern()})\s+[^,;.]+)", after)
    return follow_up.group(1).strip() if follow_up else None


def _standing_role(clause: str) -> re.Match[str] | None:
    """Where a clause gives a body a standing or focal role and the follow-up it leads ('là cơ quan thường trực,
    chủ trì theo dõi, tổng hợp ...'); its groups are the role and the task."""
    roles = "|".join(re.escape(r) for r in standing_roles())
    return re.search(rf"\s+(?:(?:sẽ|được giao|được chọn|được phân công)\s+)?(?:là|làm)\s+(?P<role>(?:{roles})"
                     rf"(?:\s*(?:,|và)\s*(?:{roles}))*)(?:\s*,\s*chủ trì)?\s+"
                     # 'là cơ quan thường trực, chủ trì theo dõi, tổng hợp tình hình thực hiện ...': the role's
                     # body leads, and its follow-up may go on after a comma with a second verb
                     rf"(?P<task>(?:{_follow_up_pattern()})(?:\s*,)?\s+[^,;]+)", clause)


def _standing_body(clause: str) -> list[Commitment]:
    """The body given a standing or focal role for following up an agreement ('UBND tỉnh A giao Sở X làm cơ quan
    đầu mối theo dõi thực hiện thỏa thuận với tỉnh B', 'Sở X là cơ quan thường trực, đầu mối theo dõi việc thực
    hiện thỏa thuận'): it leads the follow-up. Only one body named by its own name ('hai Sở làm đầu mối' is no lead)."""
    standing = _standing_role(clause)
    subject = re.split(r"[,:;(]\s*", clause[:standing.start()])[-1] if standing else ""
    lead = _subject(subject) if standing and len(split_org_list(subject)) == 1 else None
    if lead is None:
        return []
    name = _task_name(standing.group("task").strip(" ."))
    full = f"{standing.group('role')} {standing.group('task')}".strip(" .")  # asked by its role as well
    if len(name.split()) < 3:
        return []
    return [Commitment(task=name[:1].upper() + name[1:], full=full, lead=lead, timeframe=timeframe(full))]


# "Huyện X cam kết (sẽ) hỗ trợ xây dựng 01 điểm trường tại xã Y", "Quận X sẽ hỗ trợ xây dựng ...": a promise to build
PROMISED_WORKS = re.compile(r"\s+(?:cam kết(?:\s+sẽ)?|sẽ)\s+hỗ trợ\s+(?=(?:xây dựng|xây mới|sửa chữa|nâng cấp)\s)")
MONEY = re.compile(r"\d[\d.,]*\s*(?:tỷ|triệu|nghìn|ngàn)\s*đồng", re.IGNORECASE)


def _promised_works(clause: str, following: str) -> list[Commitment]:
    """Works a body or locality promises to build ('Huyện X cam kết sẽ hỗ trợ xây dựng 01 điểm trường mầm non tại
    xã Y trong năm 2025'): it leads them. Not when it promises money (then it only pays: _gift), nor when the
    clause or the next names the body that carries them out ('..., do Sở Z làm chủ đầu tư')."""
    promise = PROMISED_WORKS.search(clause)
    if (promise is None or MONEY.search(clause) or WORKS_BY.search(clause) or ASSIGNED_WORKS.match(following.strip())
            or re.search(r"\bgiao\b", clause[promise.end():])):
        return []
    before = clause[:promise.start()]
    lead = _subject(before) or _locality_subject(before)
    full = clause[promise.end():].strip(" .;")
    name = _task_name(full)
    if lead is None or len(DATE_WORDS.sub(" ", name).split()) < 3:
        return []
    place = PLACE.search(full)
    return [Commitment(task=name[:1].upper() + name[1:], full=full, lead=lead, timeframe=timeframe(full),
                       place=place.group(1).strip() if place else None,
                       places=[m.unit for m in find_localities(place.group(1))] if place else [])]


# "Công ty X cam kết đầu tư 150 tỷ đồng xây dựng nhà máy Y": a body investing in works of its own (not giving)
INVESTS = re.compile(r"\s+(?:(?:cam kết|sẽ)\s+)*đầu tư\s+(?=\d[\d.,]*\s*(?:tỷ|triệu)\s*đồng\s+(?:để\s+)?(?:xây dựng|xây mới)\s)")


def _invested_works(clause: str) -> list[Commitment]:
    """Works a body invests its own money in ('Công ty X cam kết đầu tư 150 tỷ đồng xây dựng nhà máy Y tại huyện Z,
    dự kiến khởi công quý III/2024'): it leads them, named from the works' verb on."""
    invests = INVESTS.search(clause)
    lead = _subject(clause[:invests.start()]) if invests else None
    works = WORKS.search(clause, invests.end()) if invests else None
    if lead is None or works is None:
        return []
    full = works.group().strip(" .;")
    name = _task_name(full)
    place = PLACE.search(full)
    return [Commitment(task=name[:1].upper() + name[1:], full=full, lead=lead, timeframe=timeframe(clause),
                       place=place.group(1).strip() if place else None,
                       places=[m.unit for m in find_localities(place.group(1))] if place else [])]


def _gift(clause: str) -> list[Commitment]:
    """A body's or locality's gift with its amount ('thành phố Y trao tặng Quỹ Z 500 triệu đồng',
    'huyện X tặng 200 suất học bổng cho học sinh ...'): a task the giver leads. Without an amount or a
    count the sentence is a promise of help, not a task; a gift for a purpose ('... 1,5 tỷ đồng để xây
    dựng 30 nhà') supports a task whose lead the article names elsewhere, if at all: both are left out."""
    verb = GIFT.search(clause)
    if verb is None or not AMOUNT.search(clause[verb.start():]):
        return []
    lead = _subject(clause[:verb.start()]) or _locality_subject(clause[:verb.start()])
    if lead is None:
        return []
    full = re.split(r",\s+(?!\d)", clause[verb.start():].strip(" .;"))[0]  # "1,5 tỷ" keeps its comma
    amount = AMOUNT.search(full, len(verb.group()))
    if amount and PURPOSE.search(full, amount.end()):
        return []  # "... 300 triệu đồng để hỗ trợ xây dựng 06 nhà ...": the giver only supports a task another body leads
    name = _task_name(full)
    return [Commitment(task=name[:1].upper() + name[1:], full=full, lead=lead, timeframe=timeframe(full))]


# works placed by a bracket after their name ('nhà văn hóa thôn X (xã Y)')
PLACED_IN_BRACKETS = re.compile(r"\((?:xã|phường|thị trấn|huyện|quận|thị xã)\s[^()]+\)")
# a further gift in the same purpose ('... hỗ trợ xây dựng nhà X và 300 suất quà cho ...'): the works end before it
NEXT_GIFT = re.compile(r"\s+và\s+(?=\d)")


def _funded_works(clause: str) -> list[Commitment]:
    """Works a gift pays for, where the clause names them ('UBND huyện X trao tặng 200 triệu đồng để xây 2 phòng
    học tại xã Y'): the giver's task, marked as only funded, so that a body the article assigns to carry the
    works out outranks it (see news). The works must be placed ('tại xã Y', 'thôn X (xã Y)'). A purpose that is
    not works ('để hỗ trợ hộ nghèo') names no task, nor do works not placed, nor does a gift handed to a named
    recipient, who builds with it."""
    verb = GIFT.search(clause)
    amount = AMOUNT.search(clause, verb.end()) if verb else None
    if amount is None or clause[verb.end():amount.start()].strip():
        return []  # "xã X trao tặng xã Y 200 triệu đồng sửa chữa ...": the one given the money carries the works out
    purpose = gift_purpose(clause[verb.start():], to_the_end=True)
    giver = MODAL.sub("", clause[:verb.start()]).rstrip(" ,")
    places = find_localities(giver)
    if not places or places[-1].end != len(giver):
        return []  # the giver's name ends with its place, right before the gift ('UBND huyện X trao tặng ...')
    lead = _subject(giver) or _locality_subject(giver)
    if purpose is None or lead is None or not re.match(rf"(?:{_works_verbs()})\s", purpose, re.IGNORECASE):
        return []
    full = NEXT_GIFT.split(purpose, maxsplit=1)[0].strip(" ,.;")
    name = _task_name(full)
    place = PLACE.search(full)
    if len(name.split()) < 3 or not (place or PLACED_IN_BRACKETS.search(full)):
        return []  # works not placed ('40 nhà cho hộ nghèo huyện Y'): who builds them, and where, is the recipient's
    return [Commitment(task=name[:1].upper() + name[1:], full=full, lead=lead, timeframe=timeframe(full),
                       place=place.group(1).strip() if place else None,
                       places=[m.unit for m in find_localities(place.group(1))] if place else [], funded=True)]


@lru_cache(maxsize=1)
def _works_verbs() -> str:
    """A regex alternation of the verbs of building works (works_verbs.txt), longest first."""
    return "|".join(re.escape(v) for v in works_verbs())


# "150 suất quà cho hộ nghèo do Công ty X tài trợ, Ủy ban MTTQ phường Y tiếp nhận và trao tặng": a gift written before
# 'do' and the bodies that see to it; the one that hands it over ('trao', 'trao tặng', 'tặng') leads it
GIFT_BY = re.compile(r"^(?P<gift>.+?)\s+do\s+(?P<by>.+?)[\s.]*$")
HANDED_BY = re.compile(r"^(?P<body>.+?)\s+(?:(?:tiếp nhận|vận động|trực tiếp|và|cùng|sẽ|đã)\s+)*(?:trao tặng|trao|tặng)$",
                       re.IGNORECASE)


def _gift_handed_by(clause: str) -> list[Commitment]:
    """A gift with its amount written before the bodies that see to it ('150 suất quà ... do Công ty X tài trợ, Ủy
    ban MTTQ Y tiếp nhận và trao tặng'): a task of the body that hands it over. None hands it over (the
    sponsor only pays), or the gift has no amount: no task."""
    written = GIFT_BY.match(_drop_opener(clause.strip()))
    if written is None or not AMOUNT.search(written.group("gift")) or GIFT.search(written.group("gift")):
        return []
    handing = [m for part in re.split(r"\s*,\s*", written.group("by")) if (m := HANDED_BY.match(part))]
    if len(handing) != 1:
        return []
    body = handing[0].group("body")
    lead = parse_org(body, None) if head_of(body) else _locality_subject(body)
    if lead is None:
        return []
    full = written.group("gift")
    name = _task_name(full)
    return [Commitment(task=name[:1].upper() + name[1:], full=full, lead=lead, timeframe=timeframe(full))]


# "Ban Quản lý dự án X được giao thực hiện dự án", "UBND huyện X (được giao) làm chủ đầu tư", "Ủy ban MTTQ xã X tiếp
# nhận và tổ chức xây dựng", "số tiền do / được chuyển về Ủy ban MTTQ tỉnh X (để) tiếp nhận và tổ chức thực hiện": the
# body that carries out the works a gift just before is for (the giver only pays; a body that only "tiếp nhận" the
# money carries nothing out); the task has no name of its own until taking_up gives it one
# (carrying_out_phrases.txt); the body may be "được giao", "sẽ" or "chịu trách nhiệm" do it
ASSIGNED_WORKS = re.compile(r"^(?:(?:số tiền|khoản kinh phí|kinh phí|khoản hỗ trợ)\s+"
                            r"(?:do|được chuyển về|được chuyển cho|được trao cho)\s+)?"
                            r"(.+?)\s+(?:(?:được giao|để|sẽ|chịu trách nhiệm)\s+)?"
                            rf"({'|'.join(re.escape(p) for p in carrying_out_phrases())})(?!\w)", re.IGNORECASE)
# "..., dự kiến khởi công tháng M, do Sở X làm chủ đầu tư": the body that carries out the works of its own clause
WORKS_BY = re.compile(r",\s*do\s+(.+?)\s+làm chủ đầu tư\s*[.]?\s*$", re.IGNORECASE)
# works a clause names ("hỗ trợ xây dựng Trường X (tỉnh Y)"), lower case only: "Sở Xây dựng" is a body
WORKS = re.compile(r"(?<!\w)(?:xây dựng|xây mới|sửa chữa|nâng cấp)\s+[^,;]+")


def _assigned_works(clause: str, before: str) -> list[Commitment]:
    """The body that carries out works: named after the works in their own clause ('..., do Sở X làm chủ đầu
    tư'), or assigned works a gift of the clause before pays for (taking_up names them from that gift)."""
    if by := WORKS_BY.search(clause):
        works = WORKS.findall(clause[:by.start()])
        lead = parse_org(by.group(1), None) if head_of(by.group(1)) else None
        if lead is None or len(works) != 1:
            return []  # works named twice, or none: which ones the body builds is not clear
        name = works[0].strip()
        return [Commitment(task=name[:1].upper() + name[1:], full=name, lead=lead, timeframe=timeframe(clause))]
    assigned = ASSIGNED_WORKS.match(clause.strip())
    lead = _subject(assigned.group(1)) if assigned else None
    if lead is None:
        return []
    works = Commitment(task=assigned.group(2), full=assigned.group(2), lead=lead, timeframe=timeframe(clause))
    # the gift of its own clause ("hỗ trợ 1 tỷ đồng xây dựng cầu X, giao Ban Y làm chủ đầu tư") names the works first
    named = taking_up(works, assigned.group(1))
    return [taking_up(named, before) if unnamed_works(named) else named]


# "...; Trung tâm X được giao tổ chức thực hiện phiên chợ": the body given the event the clause before organises
ASSIGNED_EVENT = re.compile(r"^(.+?)\s+được giao\s+(?:tổ chức\s+)?(?:thực hiện\s+)?(?P<event>.+?)[\s.]*$", re.IGNORECASE)


def _assigned_event(clause: str, before: str) -> list[Commitment]:
    """The body assigned an event ('Trung tâm X được giao tổ chức thực hiện phiên chợ') that the clause before
    names ('Sở Y tài trợ kinh phí tổ chức Phiên chợ Z tại ... vào tháng M'): it leads that event, not the
    body that pays for it. Only when the assigned words name the event the clause before organises."""
    assigned = ASSIGNED_EVENT.match(clause.strip())
    organised = ORGANISED.search(before) if assigned else None
    lead = _subject(assigned.group(1)) if assigned else None
    if lead is None or organised is None:
        return []
    full = organised.group(1).strip(" ,.;")
    name = _task_name(full)
    event = " ".join(assigned.group("event").split()[:2]).lower()
    if len(event.split()) < 2 or event not in name.lower() or len(DATE_WORDS.sub(" ", name).split()) < 2:
        return []
    place = PLACE.search(full)
    return [Commitment(task=name, full=full, lead=lead, timeframe=timeframe(full),
                       place=place.group(1).strip() if place else None,
                       places=[m.unit for m in find_localities(place.group(1))] if place else [])]


def unnamed_works(commitment: Commitment) -> bool:
    """A body assigned to 'the project' that no gift before names: not a task anyone could ask about."""
    return ASSIGNED_WORKS.match(f"X được giao {commitment.task}") is not None


def gift_purpose(sentence: str, to_the_end: bool = False) -> str | None:
    """What a gift in the sentence is for ('... 1 tỷ đồng hỗ trợ xây dựng 20 nhà ... cho hộ nghèo'),
    without the words of giving, up to a comma (or, ``to_the_end``, to the clause's end: 'cho hộ nghèo,
    hộ cận nghèo tại ...' goes on past it); None when the sentence gives nothing for a purpose."""
    verb = GIFT.search(sentence)
    amount = AMOUNT.search(sentence, verb.end()) if verb else None
    purpose = PURPOSE.search(sentence, amount.end()) if amount else None
    if purpose is None:
        return None
    text = re.split(r"[;.]\s" if to_the_end else r"[,;.]\s", sentence[purpose.end():] + " ")[0]
    return re.sub(r"^(?:(?:để|nhằm|hỗ trợ|giúp)\s+)+", "", text.strip(), flags=re.IGNORECASE) or None


GROUNDBREAKING = re.compile(r"\bkhởi công\s+(?=(?:xây dựng|xây mới|sửa chữa|nâng cấp)\s)", re.IGNORECASE)


def _groundbreaking(sentence: str) -> tuple[str, str] | None:
    """The one works a groundbreaking in the sentence begins ('lễ khởi công xây dựng Trường X tại thôn 5, xã Y'):
    (its name, its words to the sentence's end); None when it begins none or several."""
    starts = list(GROUNDBREAKING.finditer(sentence))
    if len(starts) != 1:
        return None
    works = WORKS.match(sentence, starts[0].end())
    name = _task_name(works.group()) if works else ""
    if len(name.split()) < 3:
        return None
    return name, re.split(r"[;.]\s", sentence[starts[0].start():] + " ")[0].strip()


def taking_up(commitment: Commitment, before: str) -> Commitment:
    """A task that takes up what the gift of the sentence before is for ('... trao tặng 300 triệu đồng
    để xây dựng 06 nhà X. UBND huyện giao Y chủ trì tổ chức xây dựng, bàn giao nhà ...') is that
    purpose, named as the gift names it; its lead is the body assigned to it."""
    purpose = gift_purpose(before)
    if purpose is None and unnamed_works(commitment) and (broken := _groundbreaking(before)):
        name, full = broken  # "... lễ khởi công xây dựng Trường X. UBND xã Y làm chủ đầu tư": the works begun
        return replace(commitment, task=name[:1].upper() + name[1:], full=full)
    # a purpose is an act ("xây dựng 06 nhà"); one opening with a name ("hỗ trợ Tuyên Quang xóa nhà tạm") names who
    # is helped, and no task of the sentence is that act
    if purpose is None or len(purpose.split()) < 3 or not purpose[:1].islower():
        return commitment
    verb = " ".join(purpose.split()[:2]).lower()
    named = verb in commitment.task.lower() or unnamed_works(commitment)
    if not named or commitment.task.lower().startswith(purpose.lower()):
        return commitment
    # the task's other name is the whole purpose, as a reader may ask for it ('... cho hộ nghèo, hộ cận nghèo tại X')
    whole = gift_purpose(before, to_the_end=True) or purpose
    return replace(commitment, task=purpose[:1].upper() + purpose[1:], full=f"{whole} {commitment.full}")


def _phrases(kind: str) -> str:
    """A regex alternation of the event_references phrases of one kind, longest first."""
    return "|".join(re.escape(p) for p in event_references()[kind])


def _bare_reference(task: str) -> tuple[str, str, bool] | None:
    """A task named only by event words, a time and pointing words ('buổi gặp gỡ, tổng kết năm
    2024', 'Hoạt động trên'): (its event words, its time words, whether it points back); None
    when the words name the task themselves."""
    times = " ".join(m.group().strip() for m in DATE_WORDS.finditer(task))
    untimed = DATE_WORDS.sub(" ", task)
    pointing = re.search(rf"(?<!\w)(?:{_phrases('pointer')})(?!\w)", untimed, re.IGNORECASE) is not None
    event = re.sub(rf"(?<!\w)(?:{_phrases('pointer')})(?!\w)", " ", untimed, flags=re.IGNORECASE)
    rest = re.sub(rf"(?<!\w)(?:{_phrases('event')})(?!\w)|\bvà\b|[\s,;.\-–]+", " ", event, flags=re.IGNORECASE)
    if rest.strip() or event.strip(" ,;.-–") == "":
        return None
    return re.sub(r"\s+", " ", event).strip(" ,;.-–"), times, pointing


def named_from_before(commitment: Commitment, previous: str, parties: list[str] | None) -> Commitment:
    """A task whose words only point back takes its name from the sentence before: the activity
    that sentence organises ('Hai tỉnh sẽ tổ chức Tuần hàng X tại Y. Hoạt động này do Sở Z chủ
    trì'), else the event between the agreement's parties and the people the sentence names
    ('lãnh đạo hai địa phương sẽ gặp nhau ...; buổi gặp gỡ năm 2024 do UBND X chủ trì' →
    'Buổi gặp gỡ giữa lãnh đạo A và B năm 2024'). Unchanged when neither is known."""
    bare = _bare_reference(commitment.task)
    if bare is None:
        return commitment
    event, times, pointing = bare
    organised = ORGANISED.search(previous)
    if pointing and organised:
        task = _task_name(organised.group(1))
        if len(DATE_WORDS.sub(" ", task).split()) >= 2 and _bare_reference(task) is None:
            full = organised.group(1).strip(" ,.;")
            return replace(commitment, task=task, full=full,
                           timeframe=commitment.timeframe or timeframe(full))
    if not parties or len(parties) < 2:
        return commitment
    who = re.search(rf"(?:\b({_phrases('role')})\s+)?(?:{_phrases('pair')})\b", previous, re.IGNORECASE)
    between = f"{parties[0]} và {', '.join(parties[1:])}"
    if who and who.group(1):
        between = f"{who.group(1).lower()} {between}"
    task = " ".join(part for part in (event, "giữa", between, times) if part)
    return replace(commitment, task=task[:1].upper() + task[1:])


def named_in_full(commitment: Commitment, told_before: list[str]) -> Commitment:
    """A task named by its kind of event alone ('Ngày hội do Sở X chủ trì tổ chức') is the one event of that
    kind the article named in full before ('Khai mạc Ngày hội Văn hóa – Du lịch Y tại Z'): news shortens a
    name it has given. Unchanged when it named none, or several (which one is meant is not clear)."""
    kinds = "|".join(re.escape(p) for p in event_references().get("named_event", []))
    if not kinds or not re.fullmatch(rf"(?:{kinds})", commitment.task.strip(), re.IGNORECASE):
        return commitment
    # the kind word, then a name in capitals ('Ngày hội Văn hóa ...'), up to a comma or the sentence's end
    named = re.compile(rf"(?<!\w){re.escape(commitment.task.strip())}\s+(?=(?-i:[A-ZĐÀ-Ỹ\"“]))[^,;.]+", re.IGNORECASE)
    found = {m.group().strip(): _task_name(m.group()) for text in told_before for m in named.finditer(text)}
    names = set(found.values())
    if len(names) != 1:
        return commitment
    (name,) = names
    full = max(found, key=len)
    return replace(commitment, task=name, full=full, timeframe=commitment.timeframe or timeframe(full))
