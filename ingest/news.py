"""News articles about signings and review conferences.

Only the article is read (page furniture is dropped first). Agreements come from
sentences with an agreement keyword; sentences that list fields of cooperation give
their sectors to the agreement of the same parties (or to the article's main agreement);
lines "A - B: ..." under a bilateral heading give each pair's priorities; people come
from title patterns around their names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from graph.model import stable_id
from graph.text import fold
from ingest.agreements import (
    SIDES_NUMBERS,
    SIDES_OPENING,
    AgreementMention,
    GroupSigning,
    Party,
    about_the_agreement,
    agreement_clauses,
    agreement_title,
    announced_pairs,
    bodies_of_both,
    bullet_pair,
    find_agreement,
    group_signing,
    keyword_in,
    listed_pairs,
    merge_mentions,
    pair_of_group,
    pairs_written,
    parties_in,
    party_label,
    reviewed_only,
    separate_pairs,
    split_at_second_between,
    table_row_pair,
)
from ingest.announced import Announcement, announced_items, partner_fields
from ingest.builder import GraphBuilder
from ingest.commitments import (
    Commitment,
    Directs,
    assigned_contact,
    commitments_in,
    named_from_before,
    named_in_full,
    taking_up,
    unnamed_works,
    without_funded_taken_up,
)
from ingest.dates import full_dates, time_words
from ingest.document import Document
from ingest.furniture import article_lines
from ingest.gazetteer import province_of
from ingest.localities import Unit, find_localities
from ingest.normalize import expand, sentences
from ingest.orgs import OrgRef, answered_name, bracket_aliases, head_of, parse_org, with_aliases
from ingest.people import (
    PersonRef,
    Position,
    contact_cue_at,
    contact_of_what,
    contact_work,
    division_of,
    names_a_side,
    names_its_own_work,
    opens_with_contact,
    people_in_sentence,
    prose_contacts,
)
from ingest.plan import PlanHeader, write_appendices
from ingest.sectors import (
    bullet_sectors,
    committed_fields,
    fields_done,
    has_cue,
    sector_cue,
    sector_statements,
    sectors_in,
)
from ingest.tables import read_appendices
from ingest.vocab import contact_about_cues, kind_words, review_cues, titles
from ingest.writing import agreement_id, write_agreement, write_person

BILATERAL_LINE = re.compile(r"^(?:\d+\.\s*)?([^:]{3,60}?)\s+-\s+([^:]{3,60}?)\s*:\s*(.+)$")
COOPERATION = re.compile(r"\bhợp tác\b", re.IGNORECASE)
EVENT_DAY = re.compile(r"\b(?:ngày|sáng|chiều|trưa|tối)\s+\d{1,2}\s*[/.\-]\s*\d{1,2}", re.IGNORECASE)
# agreements signed pair by pair: "thỏa thuận song phương với A ... và với B", "03 thỏa thuận ..., mỗi tỉnh một"
SEPARATE = re.compile(r"\b(?:thỏa thuận|biên bản|bản ghi nhớ)(?:\s+hợp tác)?\s+song phương\b", re.IGNORECASE)
# ... "ba thỏa thuận song phương riêng biệt", "ký kết ... với từng tỉnh: A, B và C"
SEPARATE_ALL = re.compile(r"\b0?[2-9]\s+(?:thỏa thuận|biên bản|bản ghi nhớ)\b.{0,60}\bmỗi\s+\w+\s+một\b|"
                          r"\bthỏa thuận(?:\s+song phương)?\s+riêng\b|"
                          r"\bký(?: kết)?\b.{0,80}\bvới từng\s+(?:tỉnh|thành phố|địa phương|huyện|quận|xã|phường)\b",
                          re.IGNORECASE)
DIVISION_TITLE = re.compile(r"^(?:Phó\s+)?Trưởng phòng\s+(?=\S)")
SAME_OCCASION = re.compile(r"^(?:Cùng dịp|Cũng tại|Nhân dịp này|Dịp này)\b", re.IGNORECASE)
# a list item: a bullet, or a number ("1. Du lịch: ...", "2) Y tế") as lists of fields are also written
BULLET = re.compile(r"^\s*(?:[-•+*]|\d{1,2}[.)]|\(\d{1,2}\))\s+\S")
# a dateline before the text: "Vĩnh Long: ...", "HÀ TĨNH - ...", "(Baohatinh.vn) - ...", "CẦN THƠ (TTXVN) – ...":
# a place (and the source in parentheses) ahead of a colon or a dash, telling where the news comes from
DATELINE = re.compile(r"^\s*(?P<place>[^:–—\-()]{0,40}?)\s*(?P<source>\([^()]{1,60}\))?\s*(?P<mark>:|[-–—])\s+")
DATELINE_DAY = re.compile(r"[,\s]+(?:ngày\s+)?\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{2,4})?\s*$", re.IGNORECASE)
SIGNED = re.compile(r"\b(?:đã|vừa)?\s*ký(?: kết)?\b(?! ngày)", re.IGNORECASE)


OPENING_LINES = 8
# "Lễ kết nghĩa", "lễ ký kết kết nghĩa": the ceremony of an agreement's kind
CEREMONY = re.compile(r"\b[Ll]ễ\s+(?:ký(?:\s+kết)?\s+)?")
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def _ceremony_of(lead: list[str]) -> str | None:
    """The kind of agreement the event the article opens with is the ceremony of ("tổ chức Lễ kết nghĩa
    giữa ..."): agreements of that kind the article names without a year of their own were made there."""
    for line in lead:
        for cue in CEREMONY.finditer(line):
            keyword = keyword_in(line[cue.end():])
            if keyword is not None and keyword[0] == 0:
                return keyword[2]
    return None


def read_news(b: GraphBuilder, document: Document) -> None:
    text = document.text()
    lines = [l for l in article_lines(text.split("\n")) if l.strip()]
    dated = full_dates("\n".join([l for l in text.split("\n") if l.strip()][:12]))  # blank lines vary by format
    published = dated[0][1] if dated else None
    year = int(published[:4]) if published else None
    title = lines[0].strip() if lines else b.document
    doc_id = stable_id("doc", b.document)
    b.node(doc_id, "Document", title, title, doc_type="Bài báo", genre="news", date=published, file=b.document)
    opening = lines[:OPENING_LINES]  # headline, dateline and lead, after any menu lines a plain text keeps
    event_date = event_day(opening, year)
    aliases = bracket_aliases(expand("\n".join(lines)))  # 'X Group' defined after the body's full name
    mentions: list[AgreementMention] = []
    groups: list[GroupSigning] = []  # signings between counted groups of units, whose pairs are listed apart
    # the parties a sentence (or bullet) names, the fields it states, its quote, the fields it announces
    statements: list[tuple[list, list[str], str, Announcement | None]] = []
    list_parties: list | None = None  # the parties of a list of fields whose bullets follow
    commitments: list[tuple[Commitment, str, str, int]] = []  # each with its sentence, the one before, its number
    contact_points: list[tuple[OrgRef | None, PersonRef, str, int]] = []
    named_last: list[AgreementMention] = []  # the agreements the sentence before named
    number = 0  # of the sentence, in reading order
    told: list[str] = []  # every sentence read so far, expanded, in reading order
    said: list[str] = []  # every sentence as written, in reading order (sentence n is said[n - 1])
    paragraph_of: dict[int, int] = {}  # a sentence's number -> the number of its paragraph's first sentence
    previous = ""
    named_people: dict[str, list[Position]] = {}  # folded name -> the positions the article gave them
    pairs_kind: str | None = None  # the agreement a table of pairs is announced for ('Các cặp kết nghĩa gồm:')
    pairs_line = ""  # the line announcing it
    for line in lines:
        if "\t" in line and pairs_kind is not None:
            if pair := table_row_pair(expand(line), pairs_kind, pairs_line):
                mentions.append(pair)
            continue  # a row of the table (or its header): no sentence
        if pairs_kind is not None and BULLET.match(line) and (pair := bullet_pair(expand(line), pairs_kind, pairs_line)):
            mentions.append(pair)
            continue  # a bullet of the announced list of pairs ('- Phường A – xã B;'): the list goes on
        pairs_kind, pairs_line = announced_pairs(line), line
        if list_parties is not None and BULLET.match(line):
            if not commitments_in(expand(line)):  # a bullet that assigns a task is not a field of cooperation
                statements.append((list_parties, bullet_sectors(line), line.strip(), None))
        else:
            list_parties = _list_intro(line)
        opening_number = number + 1  # the paragraph's first sentence
        for sentence in sentences(without_dateline(line.strip())):
            number += 1
            said.append(sentence)
            paragraph_of[number] = opening_number
            work = with_aliases(expand(sentence), aliases)
            named_before = next((m for m in reversed(mentions) if not m.vague), None)
            # "hai bên", "hai tỉnh" stand for the last agreement named with exactly two parties
            two_before = next((m for m in reversed(mentions) if not m.vague and len(m.parties) == 2), None)
            # "Theo thỏa thuận với B, hai bên hợp tác ...": one partner of an agreement told of, no agreement of its own
            partner = _partner_told_apart(work)
            named_here = [] if partner is not None else listed_pairs(work, sentence) or [
                # 'Công ty ký ...', 'Trường đã ký ...': the one party of that kind named before signs
                m for clause in agreement_clauses(bodies_of_both(_kind_for_body(work, mentions), previous))
                if (m := find_agreement(clause, sentence, year, two_before.parties if two_before else None,
                                        antecedent(clause, mentions)))]
            if len(named_here) >= 2 and split_at_second_between(work):
                for mention in named_here:  # 'kết nghĩa giữa A với B và giữa C với D': the fields stated are both pairs'
                    mention.listed_under = mention.listed_under or sentence
            for mention in named_here:
                # "hội nghị sơ kết Thỏa thuận đã ký kết giữa A và B": a review of a signing, not one
                mention.signed_here = SIGNED.search(sentence) is not None and not reviewed_only(work) and not mention.reviewed
                if mention.date_signed is None and named_before and SAME_OCCASION.match(sentence):
                    # "Cùng dịp, ... đã ký ...": the occasion the sentence before tells of, else the event the
                    # article reports (not the day of an agreement named paragraphs before: "Thỏa thuận được
                    # ký ngày D1 ... [other news] ... Cũng tại hội nghị, A và B đã ký ...")
                    mention.date_signed = next((m.date_signed for m in named_last if m.date_signed),
                                               event_date or named_before.date_signed)
                mentions.append(mention)
            named_last = named_here
            if group := group_signing(work, year):
                groups.append(group)
                for mention in named_here:  # "4 xã của A kết nghĩa với 4 xã của B, cụ thể: xã X với xã Y; ...": its pairs
                    if pair_of_group(mention, group):
                        mention.listed_under = mention.listed_under or sentence
            # a sentence telling what the agreement is about announces its fields; kept even when none was read
            items = announced_items(work) if not named_here and about_the_agreement(work) else None
            sides_items = None  # what the sides do together, written after their verb of cooperation without a cue
            if partner is not None and not items:
                items = sides_items = partner_fields(work[partner.end():])  # 'Với C, nhà trường hợp tác A và B.'
            elif partner is None and items is None and not named_here and SIDES_OPENING.match(work):
                items = sides_items = partner_fields(work)  # 'Hai bệnh viện còn hợp tác A và B.': the sides' fields
            committed = committed_fields(work) if not named_here and about_the_agreement(work) else []
            committed += fields_done(sides_items) if sides_items else []
            if not named_here and ((sectors := sector_statements(work) + committed) or items is not None):
                # the parties are named before the list ('A và B hợp tác trên các lĩnh vực: ...'), not in it
                cue = sector_cue(work)
                # "Ông A cho biết, xã X có thế mạnh về ...; hai bên thống nhất hợp tác về ...": the clause with the cue
                statements.append((parties_in(work[:cue.start()].rsplit(";", 1)[-1] if cue else work)[0], sectors,
                                   sentence, Announcement(sentence, items) if items is not None else None))
            for person in people_in_sentence(_kind_after_title(work, mentions), None):
                write_person(b, person, sentence, published)
                named_people.setdefault(fold(person.name), []).extend(person.positions)
            # a contact whose body is not named may still follow its task; "ông A, ... được giao làm đầu mối" names it
            named_contacts = prose_contacts(work) or [
                c for c in (assigned_contact(clause) for clause in work.split(";")) if c][:1]
            contact_points += [(org, person, sentence, number) for org, person in named_contacts]
            commitments += [(commitment, sentence, previous, number)
                            for commitment in commitments_in(_kind_for_body(work, mentions), _directs(named_people),
                                                             previous)]
            previous = work
            told.append(work)
        if list_parties == [] and len(named_last) == 1 and not named_last[0].vague:
            # 'Chương trình ... giai đoạn 2025 - 2030 được ký kết tại hội nghị, với các nội dung:': the list that
            # follows is the fields of the one agreement its line names, though the line names no party
            list_parties = named_last[0].parties
        if bilateral := _bilateral(line.strip()):
            mentions.append(bilateral)
    for alias, full in aliases.items():  # a question may ask by the short name, as the article does
        org = parse_org(full, None)
        quote = next((line.strip() for line in lines if alias in expand(line)), None)
        if org is not None and org.node_id in b.nodes and quote is not None:
            b.node(org.node_id, "Organization", org.name, quote, aliases=[alias])
    separate_all = SEPARATE_ALL.search("\n".join(lines)) is not None
    read = [pair for m in mentions for pair in (
        separate_pairs(m) if len(m.parties) > 2 and (separate_all or SEPARATE.search(m.quote))
        else pairs_written(m) or [m])]
    merged = _pairs_told_apart(merge_mentions([m for m in read if not _told_pair_by_pair(m, read)]), statements)
    _date_group_pairs(merged, groups)
    ceremony = _ceremony_of(opening)
    for mention in merged:
        held_at_event = mention.agreement_type == ceremony and not YEAR.search(mention.quote)
        if (mention.date_signed is None and (mention.signed_here or held_at_event) and not mention.vague
                and not _earlier_year(mention, event_date)):
            mention.date_signed = event_date  # signed (or, at a "Lễ kết nghĩa", twinned) at the event the article reports
    _attach_sectors(merged, statements, event_date)
    for mention in merged:
        write_agreement(b, mention)
    written: list[tuple[Commitment, str, int]] = []  # each task with its id and its sentence's number
    read_tasks = []
    for commitment, sentence, before, at in commitments:
        agreement = _carried_out(commitment, merged, said[paragraph_of[at] - 1:at][::-1])
        parties = [party_label(p) for p in agreement.parties] if agreement else None
        named = taking_up(named_in_full(named_from_before(commitment, before, parties), told[:at - 1]), before)
        read_tasks.append((named, agreement, sentence, at))
    # works a gift pays for are the giver's only while no body, in any sentence, is assigned to carry them out
    kept = without_funded_taken_up([named for named, *_ in read_tasks])
    for named, agreement, sentence, at in read_tasks:
        if unnamed_works(named) or not any(named is k for k in kept):
            continue
        followed = _every_one_followed(named, merged) if agreement is None else []
        written.append((named, _write_commitment(b, named, doc_id, sentence, agreement, followed), at))
    placed = [(org or division_of(person) or _body_named_before(person, named_people), person, sentence, at)
              for org, person, sentence, at in contact_points]
    works = [_named_work(expand(sentence)) for _, _, sentence, _ in placed]  # what each contact is named for
    of_works = [_tasks_of_named_work(work, at, written) if work else set()
                for (_, _, _, at), work in zip(placed, works)]
    # a contact named for a work is that work's (or the cooperation's); else the task its body leads nearby
    tasks_of = [next(iter(tasks)) if len(tasks) == 1 else None if work else
                _task_of_contact(org, at, written) if org is not None else None
                for (org, _, _, at), work, tasks in zip(placed, works, of_works)]
    for (org, person, sentence, at), task_id, work, tasks in zip(placed, tasks_of, works, of_works):
        if len(tasks) > 1:
            continue  # the work names several tasks ('hội chợ' of two fairs): whose contact it is stays unsure
        listed = sum(s == sentence for _, _, s, _ in contact_points)  # a list of sides' contacts is no one task's
        if listed > 1 and len({t for (_, _, s, _), t in zip(placed, tasks_of) if s == sentence}) > 1:
            task_id = None  # the sides' contacts would take different tasks (or none): they are the cooperation's
        if task_id is None and not work and not names_a_side(expand(sentence)) and listed == 1:
            task_id = _only_task_before(expand(sentence), at, written, paragraph_of[at] == paragraph_of.get(at - 1))
        if org is None and task_id is not None:
            # a person written with no body ('đầu mối là bà A, Trưởng phòng Chỉ đạo tuyến') speaks for the
            # task only as the head of the division that leads it; else whose contact it is stays unsure
            org = _heads_the_lead(person, next(c for c, t, _ in written if t == task_id), expand(sentence))
            task_id = task_id if org is not None else None
        if task_id is not None:
            _write_contact(b, task_id, org, person, sentence, published)
        elif org is not None:
            sides = {o.node_id for o, _, s, _ in contact_points if o is not None and s == sentence}
            _write_contact_point(b, org, person, sentence, doc_id, merged, published, event_date, sides)
    if tables := [t for t in read_appendices(document.blocks) if t.rows]:
        # an article that prints the tasks as a table ("Các nội dung triển khai ... như sau:") is read as a plan's
        named = [m for m in merged if not m.vague]
        header = PlanHeader(doc_id, "", "Bài báo", published, None, None, title)
        b.guarded(write_appendices, b, tables, header, agreement_id(named[0]) if len(named) == 1 else None, None, [])


def _directs(named_people: dict[str, list[Position]]) -> Directs:
    """Whether the words before a request name who directs the body asked ('ông A đề nghị Sở Y tế tỉnh X chủ trì
    ...' where the article named ông A a leader of the People's Committee of tỉnh X): a leader's request to a body
    of the committee they lead is an assignment. One person named, or the committee itself; else a request."""
    def directs(asker: str, body: OrgRef) -> bool:
        folded = f" {fold(asker)} "
        people = [positions for name, positions in named_people.items() if f" {name} " in folded]
        speaker = re.split(r"[,:;]\s*", asker.strip())[-1]
        committees = [p.org for p in people[0]] if len(people) == 1 else (
            [org] if not people and head_of(speaker) and (org := parse_org(speaker, None)) else [])
        return body.locality is not None and any(
            org is not None and org.category == "PeopleCommittee" and org.locality is not None
            and org.locality.node_id == body.locality.node_id for org in committees)
    return directs


# a body named by its kind alone at the start of a clause ("Công ty cam kết ...", "Dịp này, công ty trao ..."):
# the kind word, then a word in lower case (a verb, not the rest of a name)
KIND_ALONE = re.compile(r"(?:^|(?<=[,:;]\s))(?P<kind>[^\s,]+(?:\s[^\s,]+)?)(?=\s+[a-zđà-ỹ])")


def _kind_for_body(work: str, mentions: list[AgreementMention]) -> str:
    """The sentence with a body named by its kind alone ('Công ty cam kết đầu tư ...', 'Trước đó, Trường đã ký ...')
    written out as the one party of that kind the agreements named so far have ('Công ty Cổ phần X'); unchanged
    when none or several parties are of that kind: which one is meant is not clear."""
    for match in KIND_ALONE.finditer(work):
        words = match.group("kind").split()
        # the kind in two words ('Công ty'), else in its first word alone when a word in lower case follows ('Trường đã')
        for kind in [" ".join(words)] + ([words[0]] if len(words) == 2 and words[1][:1].islower() else []):
            of_kind = _party_of_kind_test(kind)
            bodies = {p.node_id: p for m in mentions if not m.vague for p in m.parties
                      if of_kind is not None and isinstance(p, OrgRef) and of_kind(p)}
            if len(bodies) == 1:
                (body,) = bodies.values()
                return f"{work[:match.start()]}{body.name}{work[match.start() + len(kind):]}"
    return work


@lru_cache(maxsize=1)
def _title_then_kind() -> re.Pattern[str]:
    """A title, then a body named by its kind alone in lower case and nothing after it but a comma, 'và' or the end
    ('Hiệu trưởng nhà trường và ông B, Tổng Giám đốc công ty.')."""
    written = "|".join(re.escape(t) for t in titles())
    return re.compile(rf"(?<!\w)(?:{written})\s+(?P<kind>[a-zđà-ỹ]+(?:\s+[a-zđà-ỹ]+)?)(?=\s*[,.;)]|\s+và\s|\s*$)")


def _kind_after_title(work: str, mentions: list[AgreementMention]) -> str:
    """The sentence with each body named by its kind alone after a title ('PGS.TS A, Hiệu trưởng nhà trường và ông B,
    Tổng Giám đốc công ty') written out as the one party of that kind the agreements named so far have, as news refers
    to the parties it has just named; left as it is when none or several parties are of that kind."""
    for match in reversed(list(_title_then_kind().finditer(work))):
        of_kind = _party_of_kind_test(match.group("kind"))
        bodies = {p.node_id: p for m in mentions if not m.vague for p in m.parties
                  if of_kind is not None and isinstance(p, OrgRef) and of_kind(p)}
        if len(bodies) == 1:
            (body,) = bodies.values()
            work = f"{work[:match.start('kind')]}{body.name}{work[match.end('kind'):]}"
    return work


def _party_of_kind_test(kind: str) -> Callable[[OrgRef], bool] | None:
    """How to know the parties a kind written alone stands for: an organization head ('Công ty') those with that head,
    a word for a kind of body ('Trường'; kind_words.csv) those of its category; None for other words."""
    head = head_of(kind)
    if head is not None and fold(head[0]) == fold(kind):
        return lambda body: (own := head_of(body.body)) is not None and fold(own[0]) == fold(head[0])
    category = kind_words().get(fold(kind))
    return (lambda body: body.category == category) if category is not None else None


# "Theo thỏa thuận với B, hai bên hợp tác ...", "Với Công ty C, nhà trường hợp tác ...": what one partner's agreement
# is about, said of that partner alone
PARTNER_TOLD_APART = re.compile(r"^\s*(?:Theo\s+(?:\S+\s+){1,5}?)?[Vv]ới\s+(?P<partner>[^,;:]+),")


def _partner_told_apart(sentence: str) -> re.Match[str] | None:
    """The opening words naming the one partner a sentence speaks of ('Với Sở X tỉnh A, ...'), if it opens so
    ('Với sự tham dự của ...' names no partner: its words name no party, or name several)."""
    told = PARTNER_TOLD_APART.match(sentence)
    return told if told is not None and len(parties_in(told.group("partner"))[0]) == 1 else None


def _pairs_told_apart(merged: list[AgreementMention],
                      statements: list[tuple[list, list[str], str, Announcement | None]]) -> list[AgreementMention]:
    """A convener's agreement with several partners whose fields the article then gives partner by partner ('A ký
    thỏa thuận hợp tác với B và C. Theo thỏa thuận với B, hai bên hợp tác ...; Với C, ...'): one agreement per
    pair, each to take the fields said of its partner; else the agreements as they are."""
    apart = {frozenset(p.node_id for p in parties) for parties, sectors, sentence, announcement in statements
             if (sectors or announcement) and len(parties) == 1 and _partner_told_apart(expand(sentence))}
    result = []
    for mention in merged:
        partners = {frozenset([p.node_id]) for p in mention.parties[1:]}
        told_apart = len(mention.parties) >= 3 and not mention.multilateral and bool(apart & partners)
        result += separate_pairs(mention) if told_apart else [mention]
    return result


def _told_pair_by_pair(mention: AgreementMention, read: list[AgreementMention]) -> bool:
    """Whether a mention of one party signing with several others ('A ký kết hợp tác với B, Trường C và doanh
    nghiệp', a headline) only sums up signings the article tells one by one: each other party signs with the
    first in an agreement of its own. Then it is no agreement of all of them."""
    if len(mention.parties) < 3 or mention.multilateral:
        return False
    first = mention.parties[0].node_id
    pairs = [m.parties for m in read if len(m.parties) == 2 and first in m.party_ids]
    return all(any(_same_party(other, party) for pair in pairs for party in pair if party.node_id != first)
               for other in mention.parties[1:])


def _same_party(short: Party, full: Party) -> bool:
    """Whether a party named shortly (a headline's 'Trường Đại học X') is one named in full ('Trường Đại học X Hà
    Nội'): the same node, or a body whose name the full one's opens with."""
    if short.node_id == full.node_id:
        return True
    return (isinstance(short, OrgRef) and isinstance(full, OrgRef) and short.locality is None
            and fold(full.name).startswith(fold(short.name) + " "))


def _date_group_pairs(merged: list[AgreementMention], groups: list[GroupSigning]) -> None:
    """The listed pairs of a group signing ('5 xã của A kết nghĩa với 5 xã của B', then '- xã X kết nghĩa với xã
    Y;') were signed with it: each takes its day and period when it has none of its own."""
    for mention in merged:
        if mention.listed_under is None:
            continue
        fitting = [g for g in groups if pair_of_group(mention, g)]
        mention.date_signed = mention.date_signed or next((g.date_signed for g in fitting if g.date_signed), None)
        mention.period = mention.period or next((g.period for g in fitting if g.period), None)


def _earlier_year(mention: AgreementMention, event_date: str | None) -> bool:
    """Whether the agreement's sentences write a year before the event's ('Thỏa thuận giữa A và B đã ký năm
    2019', '... ký kết giai đoạn 2016 - 2020'): then it was not signed at the event the article reports. Of a
    sentence naming two agreements, only the words naming this one count."""
    if not event_date:
        return False
    years = [int(y) for quote in [mention.clause or mention.quote, *mention.more_quotes] for y in YEAR.findall(quote)]
    return any(year < int(event_date[:4]) for year in years)


def without_dateline(line: str) -> str:
    """The line without a dateline: a place tag is where the news comes from, not a party. One place's
    name before a colon ('Vĩnh Long: ...'), or before a dash when written in capitals, with its source,
    or followed by no other place ('Hà Tĩnh - Sáng 20/11, ...'; 'Hà Tĩnh - Vĩnh Long ký kết' names two parties)."""
    match = DATELINE.match(line)
    if not match or not (match.group("place") or match.group("source")):
        return line
    place = DATELINE_DAY.sub("", match.group("place")).strip()  # "VĨNH PHÚC, 12/3 -": the day goes with the place
    in_capitals = place.upper() == place and any(c.isalpha() for c in place)
    named = place.title() if in_capitals else place
    one_place = not place or _only_a_place(named)
    if one_place and (match.group("source") or in_capitals or match.group("mark") == ":"
                      or not _starts_with_a_place(line[match.end():])):
        return line[match.end():]
    return line


def _starts_with_a_place(text: str) -> bool:
    """Whether the text opens with a locality's name ('Vĩnh Long ký kết ...')."""
    work = expand(text)
    found = find_localities(work)
    return bool(found) and not work[:found[0].start].strip()


def _only_a_place(text: str) -> bool:
    """Whether the text is one locality's name and nothing more ('Vĩnh Long', 'TP Hà Tĩnh')."""
    work = expand(text)
    found = find_localities(work)
    return len(found) == 1 and not work[:found[0].start].strip() and not work[found[0].end:].strip()


def event_day(lines: list[str], year: int | None) -> str | None:
    """The day the article reports ('Ngày 3/4, ...', 'Chiều 16/10, ...'): not the page's timestamp."""
    for line in lines:
        if match := EVENT_DAY.search(line):
            dates = full_dates(line[match.start():], year)
            if dates:
                return dates[0][1]
    return None


def _bilateral(line: str) -> AgreementMention | None:
    """'TP. Hồ Chí Minh - Gia Lai: năng lượng tái tạo, du lịch...' → that pair's priorities."""
    match = BILATERAL_LINE.match(expand(line))
    if not match:
        return None
    sides = [find_localities(match.group(i)) for i in (1, 2)]
    if not all(len(side) == 1 for side in sides):
        return None
    parties: list[Unit] = [side[0].unit for side in sides]
    return AgreementMention(agreement_type="Hợp tác song phương", phrase="Hợp tác song phương", parties=parties,
                            quote=line, sectors=sectors_in(match.group(3)))


def _attach_sectors(merged: list[AgreementMention], statements: list[tuple[list, list[str], str, Announcement | None]],
                    event_date: str | None) -> None:
    """Give each sector statement to the agreement of its parties, else to the article's main agreement. One
    naming two or more parties of no agreement ('Tỉnh A và tỉnh C cũng hợp tác trên các lĩnh vực ...') tells of
    cooperation the article reports no signing of: its fields are no agreement's. Of a renewal and the
    agreement it replaces (the same parties), the one signed at the event the article reports takes them."""
    if not merged:
        return
    main = max(merged, key=lambda m: (m.date_signed is not None, len(m.more_quotes), -merged.index(m)))
    # pairs cut from one signing with each party share the fields stated for all of them
    main_pairs = [m for m in merged if (m.quote, m.phrase, m.parties[0].node_id) == (main.quote, main.phrase, main.parties[0].node_id)
                  or (main.listed_under and m.listed_under == main.listed_under)]  # the pairs of one announced list
    for parties, sectors, sentence, announcement in statements:
        ids = frozenset(p.node_id for p in parties)
        same = sorted((m for m in merged if ids and ids == m.party_ids),
                      key=lambda m: not (event_date and m.date_signed == event_date))
        target = next(iter(same), None)
        holding = [m for m in merged if ids and ids < m.party_ids]
        target = target or next(iter(holding), None)
        if len(ids) >= 2 and target is None:
            continue  # one body named alone is often who speaks ('ông X - Giám đốc Sở Y cho biết, các lĩnh vực ...')
        # "A và mỗi tỉnh hợp tác trên các lĩnh vực ...": the party named signed with each of the others on its own,
        # and the fields stated are every pair's of that one signing
        one_signing = len(holding) >= 2 and len({(m.quote, m.phrase, m.parties[0].node_id) for m in holding}) == 1
        for agreement in holding if not same and one_signing else [target] if target else main_pairs:
            agreement.sectors += [s for s in sectors if s not in agreement.sectors]
            if sentence not in agreement.more_quotes:
                agreement.more_quotes.append(sentence)
            if announcement is not None and announcement not in agreement.announced:
                agreement.announced.append(announcement)


# "kết nghĩa ba bên": the agreement's sides counted right after its keyword
SIDES_AFTER_KEYWORD = re.compile(r"\s+(ba|bốn|năm|sáu)\s+bên\b", re.IGNORECASE)


def antecedent(clause: str, mentions: list[AgreementMention]) -> list[Party] | None:
    """The parties of the agreement a clause opening with an agreement's keyword speaks of ('Thỏa thuận
    được ký kết ngày ...'): those of the agreements of that kind named before, when they all have the
    same parties; else which one is meant is not clear, and there is none. 'Kết nghĩa ba bên' counts its sides: of
    that kind, those with three parties."""
    keyword = keyword_in(clause)
    if keyword is None:
        return None
    before = [m for m in mentions if not m.vague and m.agreement_type == keyword[2]]
    if sides := SIDES_AFTER_KEYWORD.match(clause[keyword[0] + len(keyword[1]):]):
        before = [m for m in before if len(m.parties) == SIDES_NUMBERS[sides.group(1).lower()]]
    return before[-1].parties if before and len({m.party_ids for m in before}) == 1 else None


def _carried_out(commitment: Commitment, merged: list[AgreementMention], recent: list[str]) -> AgreementMention | None:
    """The one agreement of the article a task carries out: the one whose parties include the lead
    (or the locality it serves); None when no agreement, or more than one, fits. A task that names an
    agreement by its kind ('theo dõi thực hiện thỏa thuận với tỉnh B', 'triển khai chương trình hợp tác')
    carries out, of those with the partners it names, the one its paragraph named last (``recent``: the
    paragraph's sentences up to the task's, the latest first), else the one left; of a renewal and the
    agreement it renews, the newer."""
    lead = commitment.lead
    fitting = [m for m in merged if not m.vague and (lead.node_id in m.party_ids or (
        lead.locality is not None and lead.locality.node_id in m.party_ids))]
    if len(fitting) <= 1 or keyword_in(commitment.full) is None:
        return fitting[0] if len(fitting) == 1 else None
    partners = {m.unit.node_id for m in find_localities(commitment.full)}
    fitting = [m for m in fitting if partners <= m.party_ids]
    named_last = next(([m for m in fitting if sentence in (m.quote, *m.more_quotes)] for sentence in recent
                       if any(sentence in (m.quote, *m.more_quotes) for m in fitting)), [])
    return _the_one_agreement(named_last or fitting, set())


def _every_one_followed(commitment: Commitment, merged: list[AgreementMention]) -> list[AgreementMention]:
    """The agreements a follow-up of them all serves ('theo dõi, tổng hợp tình hình thực hiện các thỏa thuận hợp
    tác'): 'các' before the kind names every agreement the article gives the lead's side, when it gives two or
    more. Empty otherwise."""
    kind = keyword_in(commitment.full)
    lead = commitment.lead
    if kind is None or not re.search(r"\bcác\s*$", commitment.full[:kind[0]]):
        return []
    side = {lead.node_id} | ({lead.locality.short} if lead.locality is not None else set())
    fitting = [m for m in merged if not m.vague and side & ({p.node_id for p in m.parties} | {
        u.short for p in m.parties if (u := p if isinstance(p, Unit) else p.locality) is not None})]
    return fitting if len(fitting) >= 2 else []


def _write_commitment(b: GraphBuilder, commitment: Commitment, doc_id: str, quote: str,
                      agreement: AgreementMention | None, followed: list[AgreementMention]) -> str:
    """A task the article announces: its lead and coordinators, time and place, and the agreement it
    carries out. Its other name holds the clause's time and place and the places of the bodies and
    parties involved ("buổi gặp gỡ năm 2024 ... giữa Quận 1 và huyện X"), as a reader asks for it."""
    bodies = [commitment.lead, *commitment.coordinators]
    places = [o.locality.in_running_text for o in bodies if o.locality]
    if agreement is not None:
        parties = [party_label(p) for p in agreement.parties]
        places = [p for p in places if p not in parties] + [f"giữa {parties[0]} và {', '.join(parties[1:])}"]
        if keyword_in(commitment.full) is not None:  # 'theo dõi thực hiện thỏa thuận': asked by the agreement's kind and period
            places += [agreement.agreement_type, f"giai đoạn {agreement.period}" if agreement.period else ""]
        elif _reviews(commitment.task):  # a review conference reviews the agreement: 'sơ kết thỏa thuận ...'
            places.insert(0, agreement.agreement_type)
    for each in followed:  # a follow-up of every agreement of the lead's side: asked by each one's parties
        places += [party_label(p) for p in each.parties]
    context = " ".join(dict.fromkeys(p for p in places if p))
    task_id = stable_id("task", doc_id, fold(commitment.task))
    b.node(task_id, "Task", commitment.task, quote,
           aliases=[f"{commitment.full} {context}".strip()]
           + ([f"{commitment.task} {when}"] if (when := time_words(commitment.timeframe)) else []),
           timeframe=commitment.timeframe, place=commitment.place)
    b.rel("LISTED_IN", task_id, doc_id, quote)
    if agreement is not None:
        b.rel("IMPLEMENTS", task_id, agreement_id(agreement), quote)
    b.rel("LED_BY", task_id, b.organization(commitment.lead, quote), quote, **b.written_as(commitment.lead, quote))
    for org in commitment.coordinators:
        b.rel("COORDINATED_BY", task_id, b.organization(org, quote), quote)
    for unit in commitment.places[:1]:
        b.rel("HELD_IN", task_id, b.locality(unit, quote), quote)
    for sector in sectors_in(commitment.task):
        b.rel("COVERS", task_id, b.sector(sector, quote), quote)
    return task_id


def _reviews(task: str) -> bool:
    """Whether a task is a review of the agreement it carries out ('Hội nghị sơ kết năm 2024')."""
    return any(f" {cue} " in f" {fold(task)} " for cue in review_cues())


def _task_of_contact(org: OrgRef, at: int, written: list[tuple[Commitment, str, int]]) -> str | None:
    """The task a contact point speaks for: the one task of its own sentence or the sentence before
    whose lead or coordinator is the contact's body ('X chủ trì ...; Y phối hợp giám sát. Đầu mối phía
    Y là bà A ...'). None when no task, or more than one, fits: whose contact it is stays unsure."""
    fitting = {task_id for commitment, task_id, number in written if number in (at, at - 1) and org.node_id in
               {o.node_id for o in [commitment.lead, *commitment.coordinators]}}
    return fitting.pop() if len(fitting) == 1 else None


def _body_named_before(person: PersonRef, named: dict[str, list[Position]]) -> OrgRef | None:
    """The body of a contact written without one ('Đầu mối liên hệ: ông A, Trưởng phòng X'), when the article
    named the same person before at one body with the same title, or with any when the contact's has none
    ('ông A, Trưởng phòng X Sở Y tỉnh Z')."""
    titles = {fold(p.title) for p in person.positions if p.org is None and p.title}
    bodies = {p.org.node_id: p.org for p in named.get(fold(person.name), [])
              if p.org and (not titles or fold(p.title) in titles)}
    return next(iter(bodies.values())) if len(bodies) == 1 else None


def _heads_the_lead(person: PersonRef, commitment: Commitment, sentence: str) -> OrgRef | None:
    """The task's lead when the person's title heads it ('Phó Trưởng phòng Văn hóa' of 'Phòng Văn hóa - Xã hội
    phường X'), or names the lead by its kind alone ('Phó Chánh Văn phòng Sở' where a Sở leads); None otherwise."""
    untied = [p.title for p in person.positions if p.org is None]
    division = next((DIVISION_TITLE.sub("", t) for t in untied if DIVISION_TITLE.match(t)), None)
    lead = commitment.lead
    if division and fold(lead.body).startswith(fold(f"Phòng {division}")):
        return lead
    kind = next((m.group(1) for t in untied if (m := re.search(rf"{re.escape(t)}\s+([^\s,;.]+)\s*[,;.]", sentence))), None)
    head = head_of(kind) if kind else None
    return lead if head and fold(head[0]) == fold(kind) and fold(lead.body).startswith(fold(kind) + " ") else None


@lru_cache(maxsize=1)
def _about_work() -> re.Pattern[str]:
    """'Thông tin chi tiết về Y liên hệ ...', 'Mọi thông tin về Y, xin liên hệ ...': what the contact is for, named
    before the verb (contact_about_cues.txt)."""
    cues = "|".join(re.escape(c) for c in contact_about_cues())
    return re.compile(rf"^[^,;]*?(?<!\w)(?:{cues})\s+(?P<what>\S+(?:\s+\S+)*?)[\s,:]*(?:xin\s+)?$", re.IGNORECASE)


# verbs that carry out the work a contact is named for without naming it ('tổ chức hội chợ' is about 'hội chợ')
WORK_OPENER = re.compile(r"^(?:(?:tổ chức|triển khai|thực hiện)\s+)+", re.IGNORECASE)


def _named_work(sentence: str) -> str:
    """The work a sentence names its contact point for, without the verbs that carry it out ('Đầu mối tổ chức hội
    chợ: bà A ...' → 'hội chợ', 'Mọi thông tin về Y, liên hệ ông B ...' → 'Y'); empty when it names none."""
    cue = contact_cue_at(sentence)
    if cue is None:
        return ""
    about = _about_work().search(sentence[:cue])
    work = contact_work(sentence) or (about.group("what") if about else "")
    return WORK_OPENER.sub("", work.strip(" ,.;:")).strip()


def _tasks_of_named_work(work: str, at: int, written: list[tuple[Commitment, str, int]]) -> set[str]:
    """The tasks named up to the contact's sentence whose name holds the work the contact is named for (news
    shortens a name it has given: 'hội chợ' for 'Hội chợ nông sản A - B 2026'); none when the work is the
    cooperation itself ('phối hợp giữa hai Sở', 'triển khai thỏa thuận'): then the contact is the cooperation's,
    never the task a sentence before happens to name."""
    if re.search(r"(?<!\w)giữa(?!\w)", work, re.IGNORECASE) or keyword_in(work) is not None:
        return set()
    folded = f" {fold(work)} "
    return {task_id for commitment, task_id, number in written
            if number <= at and folded in f" {fold(commitment.task)} "}


def _only_task_before(sentence: str, at: int, written: list[tuple[Commitment, str, int]],
                      same_paragraph: bool) -> str | None:
    """The one task a sentence names before its contact point ('Sở X sẽ tổ chức Y tại Z, đầu mối là ông A,
    ...'), whoever the contact works for: the sentence gives the task its contact. A contact opening its
    sentence takes the one task of the sentence before, in its paragraph (``same_paragraph``): a contact
    written as a paragraph of its own closes the article, and is the cooperation's. None when the sentence
    names no task or more than one."""
    cue = contact_cue_at(sentence)
    if cue is None:
        return None
    own = {task_id for _, task_id, number in written if number == at}
    if not own and same_paragraph and opens_with_contact(sentence) and not names_its_own_work(sentence):
        # "Đầu mối liên hệ: bà A, ..." opening its sentence: the contact of the one task of the sentence before
        before = {task_id for _, task_id, number in written if number == at - 1}
        return before.pop() if len(before) == 1 else None
    if len(own) != 1:
        return None
    (commitment,) = [c for c, task_id, number in written if number == at]
    return own.pop() if 0 <= sentence.find(commitment.task) < cue else None


def _write_contact(b: GraphBuilder, task_id: str, org: OrgRef | None, person: PersonRef, quote: str,
                   published: str | None) -> None:
    position = person.positions[0] if person.positions else None
    b.rel("CONTACT", task_id, write_person(b, person, quote, published), quote,
          title=position.title if position else None, organization=answered_name(org, quote) if org else None,
          phone=person.phone)


def _write_contact_point(b: GraphBuilder, org: OrgRef, person: PersonRef, quote: str, doc_id: str,
                         merged: list[AgreementMention], published: str | None, event_date: str | None,
                         sides: set[str]) -> None:
    """The contact point an article names for carrying out its agreement: a task 'Triển khai <the
    agreement>' with that CONTACT. Only when one agreement of the article has the contact's body
    (or its locality) among its parties, or one has more of the bodies the sentence names for its sides
    (``sides``): otherwise whose contact it is stays unsure."""
    org = _party_of_kind(org, merged)
    fitting = [m for m in merged if not m.vague and (org.node_id in m.party_ids or (
        org.locality is not None and org.locality.node_id in m.party_ids))]
    if len(fitting) > 1 and event_date:  # a renewal beside the older signing it reviews: the one of the event reported
        fitting = [m for m in fitting if m.signed_here and m.date_signed == event_date]
    agreement = _the_one_agreement(fitting, {org.node_id} | sides)
    if agreement is None:
        return
    title = agreement_title(agreement)
    name = f"Triển khai {title[:1].lower()}{title[1:]}"
    task_id = stable_id("task", doc_id, fold(name))
    # asked by the agreement's kind and period as well ('đầu mối thỏa thuận A - B 2024-2029'), and by the provinces
    # of parties below them ('xã A (tỉnh X) và xã B')
    places = [p if isinstance(p, Unit) else p.locality for p in agreement.parties]
    provinces = dict.fromkeys(province_of(u).short for u in places if u is not None and u.level != "province")
    known_as = " ".join([agreement.agreement_type, contact_of_what(expand(quote)) or _named_work(expand(quote)),
                         agreement.period or "",
                         ", ".join(agreement.sectors), *provinces])
    b.node(task_id, "Task", name, quote, aliases=[f"{name} {known_as}".strip()])
    b.rel("LISTED_IN", task_id, doc_id, quote)
    b.rel("IMPLEMENTS", task_id, agreement_id(agreement), quote)
    _write_contact(b, task_id, org, person, quote, published)


def _the_one_agreement(fitting: list[AgreementMention], bodies: set[str]) -> AgreementMention | None:
    """Of the agreements a contact point may serve, the one that has most of the bodies its sentence names as
    parties (the bodies signed it, not only their localities: 'Sở X tỉnh A' before 'tỉnh A'); of a renewal and
    the agreement it renews (the same parties), the newer: an article names who carries out the agreement in
    force. None when that leaves more than one."""
    best = max((len(m.party_ids & bodies) for m in fitting), default=0)
    closest = [m for m in fitting if len(m.party_ids & bodies) == best]
    if len({m.party_ids for m in closest}) == 1 and all(m.date_signed for m in closest):
        closest = [max(closest, key=lambda m: m.date_signed or "")]
    return closest[0] if len(closest) == 1 else None


def _party_of_kind(org: OrgRef, merged: list[AgreementMention]) -> OrgRef:
    """A body named by its kind alone ('Đầu mối phía Tổng Công ty là ...') as the one party of that kind the
    article's agreements have ('Tổng Công ty Cổ phần X'); the body as read when none or several are."""
    head = head_of(org.body)
    if org.locality is not None or head is None or fold(head[0]) != fold(org.body):
        return org
    bodies = {p.node_id: p for m in merged if not m.vague for p in m.parties
              if isinstance(p, OrgRef) and (own := head_of(p.body)) and fold(own[0]) == fold(head[0])}
    return next(iter(bodies.values())) if len(bodies) == 1 else org


# "... tập trung vào các lĩnh vực sau", "... gồm các nội dung chính như sau": a list follows, as after a colon
LIST_AFTER = re.compile(r"\b(?:lĩnh vực|nội dung|nhiệm vụ|vấn đề)(?:\s+(?:chính|trọng tâm|cụ thể))?\s+(?:như\s+)?sau\s*$",
                        re.IGNORECASE)


def _list_intro(line: str) -> list | None:
    """A line that opens a list of fields ('Đối với tỉnh Sơn La, nội dung hợp tác gồm:', '... tập trung vào các
    lĩnh vực sau'): the parties it names (possibly none); None when the line opens no such list."""
    stripped = line.strip()
    if not (stripped.endswith(":") or LIST_AFTER.search(stripped)) or BULLET.match(stripped):
        return None
    work = expand(stripped)
    if not (has_cue(work) or keyword_in(work)):
        return None
    return parties_in(work)[0]
