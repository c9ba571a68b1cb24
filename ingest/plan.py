"""Official plans (Kế hoạch): header, legal basis, sections, assignments, recipients, signature, appendices.

The plan's own bodies without a locality in their name belong to the issuer's locality;
the contact column of its tables names the partner's counterpart (the other party of the
agreement the plan carries out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graph.matching import score_words
from graph.model import stable_id
from graph.text import fold, tokens
from ingest.agreements import (
    BOTH_SIDES,
    AgreementMention,
    agreement_clauses,
    find_agreement,
    keyword_in,
    merge_mentions,
)
from ingest.builder import GraphBuilder
from ingest.dates import full_dates, time_words, timeframe
from ingest.document import Document
from ingest.gazetteer import predecessors, successors
from ingest.localities import Unit, find_localities, in_province, phone_province, province_of
from ingest.normalize import expand, sentences
from ingest.orgs import (
    OrgRef,
    answered_name,
    head_of,
    head_of_any_party,
    orgs_sharing_locality,
    parse_org,
    split_org_list,
)
from ingest.people import PersonRef, Position, find_phone, name_at, parse_contact, people_in_sentence, title_at
from ingest.sectors import bullet_sectors, sector_cue, sector_statements, sectors_in
from ingest.tables import Appendix, TaskRow, first_table_line, read_appendices
from ingest.vocab import departments, document_types, honorifics, organization_heads
from ingest.writing import canonical_titles, write_agreement, write_person

NUMBER = re.compile(r"Số\s*:\s*([\w.]+)\s*/\s*([A-ZĐa-z]+)\s*-\s*([A-ZĐ&.\-]+)")
PLACE_DATE = re.compile(r"^(.+?),\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}", re.IGNORECASE)
CITED = re.compile(r"(Kế hoạch|Công văn|Quyết định|Thông báo|Nghị quyết|Chỉ thị|Chương trình)\s+số\s+([\w./\-]+)"
                   r"\s+ngày\s+(\d{1,2}/\d{1,2}/\d{4})(?:\s+của\s+(.+?))?(?=\s+(?:triển khai|về|ban hành)\b|[,;]|$)")
LIST_ITEM = re.compile(r"^(?:\d{1,2}[.)]|[-•+])\s+")
SECTION = re.compile(r"^(?:[IVX]+|\d+(?:\.\d+)*)\.\s+(.+)$")
APPENDIX_CUES = ("phu luc", "danh muc", "kem theo")  # "Chi tiết theo Phụ lục I", "Danh mục kèm theo"
SIGNATURE = re.compile(r"^(?:TM\.|KT\.|TL\.|Q\.)\s*(.+)$")
ASSIGN_ORG = re.compile(r"^(?:\d+(?:\.\d+)*\.\s*)?Giao\s+(.+)$")


def is_plan(text: str) -> bool:
    """A plan has a document number ('Số: 215/KH-UBND') and an appendix table or numbered sections."""
    return NUMBER.search(text[:2000]) is not None


@dataclass
class PlanHeader:
    doc_id: str
    number: str
    doc_type: str
    date: str | None
    issuer: OrgRef | None
    locality: Unit | None
    title: str


def _letterhead_department(letterhead: str, locality: Unit | None) -> OrgRef | None:
    """A department that issues under its province's name ('UBND TỈNH X / SỞ Y TẾ', number '.../KH-SYT', a
    code no table spells out): the letterhead's own line naming a department (departments.csv) in capitals."""
    known = {fold(f"Sở {d}"): f"Sở {d}" for d in departments()}
    lines = [l.strip() for l in letterhead.split("\n") if l.strip()]
    # a long name wraps onto the next line ('SỞ NÔNG NGHIỆP VÀ / PHÁT TRIỂN NÔNG THÔN'): a line alone, or with the next
    candidates = [*lines, *(f"{a} {b}" for a, b in zip(lines, lines[1:]))]
    for line in reversed(candidates):
        if (name := known.get(fold(expand(line)))) is not None:
            return parse_org(name, locality)
    return None


def _header(lines: list[str]) -> PlanHeader:
    head = "\n".join(lines[:40])
    number = NUMBER.search(head)
    code, issuer_code = (number.group(2), number.group(3)) if number else ("", "")
    doc_number = f"{number.group(1)}/{code}-{issuer_code}" if number else ""
    place_line = next((l for l in lines[:40] if PLACE_DATE.match(l.strip())), "")
    dates = full_dates(place_line)
    letterhead = "\n".join(lines[:next((i for i, l in enumerate(lines) if NUMBER.search(l)), 0)])
    places = find_localities(letterhead) or (find_localities(PLACE_DATE.match(place_line).group(1)) if place_line else [])
    locality = places[-1].unit if places else None
    issuer = (parse_org(expand(issuer_code), locality) if issuer_code else None) or _letterhead_department(
        letterhead, locality)
    doc_type = document_types().get(code, "Văn bản")
    title = _title(lines, doc_type)
    doc_id = stable_id("doc", doc_number, locality.node_id if locality else "", dates[0][1] if dates else "")
    return PlanHeader(doc_id, doc_number, doc_type, dates[0][1] if dates else None, issuer, locality, title)


def _title(lines: list[str], doc_type: str) -> str:
    """The line(s) right after the document type written in capitals ('KẾ HOẠCH')."""
    for i, line in enumerate(lines[:60]):
        if fold(line) == fold(doc_type) and line.strip().isupper():
            following = [l.strip() for l in lines[i + 1:i + 6]]
            words = []
            for l in following:
                if not l and words:
                    break
                if l:
                    words.append(l)
            return " ".join(words)
    return ""


def read_plan(b: GraphBuilder, document: Document) -> None:
    """Everything a plan says: header, the agreement it carries out, its body, its appendix tables."""
    lines = document.lines()
    header = _header(lines)
    quote = next((l for l in lines if NUMBER.search(l)), lines[0])
    b.node(header.doc_id, "Document", f"{header.doc_type} số {header.number}", quote, aliases=[header.title],
           doc_type=header.doc_type, number=header.number, date=header.date, genre="plan", file=b.document,
           title=header.title, place=header.locality.name if header.locality else None)
    if header.issuer:
        b.rel("ISSUED_BY", header.doc_id, b.organization(header.issuer, quote), quote)
    appendix_at = first_table_line(lines)
    body = lines[:appendix_at]
    main = _main_agreement(header)
    mentions = _body_agreements(body, header)
    # the fields the plan states belong to the agreement its title names, else to the one signed agreement it cites
    carried_out = main or _only_signed(mentions)
    if carried_out:
        carried_out.sectors += [x for x in _plan_sectors(body, carried_out) if x not in carried_out.sectors]
    if main:
        mentions.insert(0, main)
    main_id = None
    for mention in merge_mentions(mentions):
        agreement = write_agreement(b, mention)
        if main and mention.party_ids == main.party_ids:
            main_id = agreement
            b.rel("IMPLEMENTS", header.doc_id, agreement, mention.quote)
    partner = _partner(main, header.locality)
    for step in (_basis, _assignments, _people_in_prose, _recipients, _signature, _signers_of_named_bodies):
        b.guarded(step, b, body, header)
    b.guarded(write_appendices, b, read_appendices(document.blocks), header, main_id, partner, _appendix_items(body))


def _only_signed(mentions: list[AgreementMention]) -> AgreementMention | None:
    """The agreement a plan cites with its signing day ('Căn cứ Thỏa thuận ... ký ngày ...'), when it cites one."""
    signed = [m for m in mentions if m.date_signed and not m.vague]
    return signed[0] if len(signed) == 1 else None


def _appendix_items(body: list[str]) -> list[str]:
    """Bullets of the sections that say their details are in an appendix ('Chi tiết theo Phụ lục I')."""
    sections: list[list[str]] = [[]]
    for line in body:
        stripped = line.strip()
        if SECTION.match(stripped):
            sections.append([])
        sections[-1].append(stripped)
    points_to_appendix = [s for s in sections if any(cue in fold(l) for l in s for cue in APPENDIX_CUES)]
    return [l[1:].strip() for s in points_to_appendix for l in s if l.startswith("-")]


def _main_agreement(header: PlanHeader) -> AgreementMention | None:
    """The agreement a plan carries out, from its title ('Triển khai Thỏa thuận hợp tác ... giữa A với B')."""
    if not header.title:
        return None
    return find_agreement(expand(header.title), header.title, int(header.date[:4]) if header.date else None)


def _plan_sectors(body: list[str], main: AgreementMention) -> list[str]:
    """Fields of cooperation stated without naming other parties ('giữa hai địa phương gồm: ...'):
    they belong to the agreement the plan carries out."""
    found: list[str] = []
    listing = False  # inside a numbered or bulleted list of fields ('05 nhóm lĩnh vực:' then '1. An sinh xã hội: ...')
    for line in body:
        stripped = line.strip()
        if listing and LIST_ITEM.match(stripped):
            found += [x for x in bullet_sectors(LIST_ITEM.sub("- ", stripped)) if x not in found]
            continue
        listing = (listing and not stripped) or _opens_list(stripped, main)  # blank lines do not end a list
        if section := SECTION.match(stripped):
            if not _writes_a_list(section.group(1)):
                continue  # a heading ('2. Lĩnh vực y tế'), not a statement of the agreement's fields
            stripped = section.group(1)  # '1. Cụ thể hóa ... trong các lĩnh vực: a; b; c.'
        for sentence in sentences(stripped):
            work = expand(sentence)
            intro = work[:cue.start()] if (cue := sector_cue(work)) else work
            if _only_own_places(intro, main) and not head_of_any_party(intro):
                found += [x for x in sector_statements(work) if x not in found]
    return found


def _only_own_places(intro: str, main: AgreementMention) -> bool:
    """Whether the words before a list of fields name no place, or only the agreement's parties and the
    units merged into them in 2025 ('kế thừa kết quả hợp tác giữa tỉnh A (cũ) và tỉnh B (cũ), giữa tỉnh X
    và tỉnh Y; mở rộng hợp tác trên các lĩnh vực: ...', A now part of X and B of Y)."""
    places = find_localities(intro)
    if not places:
        return True
    own = {u.node_id for p in main.parties if isinstance(p, Unit) for u in [p, *predecessors(p), *successors(p)]}
    return len([p for p in main.parties if isinstance(p, Unit)]) >= 2 and all(m.unit.node_id in own for m in places)


def _writes_a_list(text: str) -> bool:
    """A numbered point that itself writes out a list of fields after a cue, with a colon or with
    semicolons between the fields ('... trên các lĩnh vực du lịch; y tế; giáo dục giữa hai tỉnh')."""
    work = expand(text)
    cue = sector_cue(work)
    return cue is not None and (":" in work[cue.end():cue.end() + 40] or ";" in work[cue.end():])


def _opens_list(line: str, main: AgreementMention) -> bool:
    """A line that announces a list of fields for the plan's agreement ('A phối hợp với B triển khai
    ... 05 nhóm lĩnh vực:'): it names no place but the agreement's own parties."""
    work = expand(line)
    cue = sector_cue(work)
    own = {p.node_id for p in main.parties}
    places = find_localities(work[:cue.start()]) if cue else []
    return line.endswith(":") and cue is not None and all(m.unit.node_id in own for m in places)


def _partner(main: AgreementMention | None, own: Unit | None) -> Unit | None:
    """The one other locality of the agreement the plan carries out, whose counterparts the contact column names.
    With several ('thành phố X với các tỉnh A, B và C') no row's contact can be placed in one of them: the
    issuer's own officials are the contact points, so there is no partner to place them in."""
    if main is None:
        return None
    others = [p for p in main.parties if isinstance(p, Unit) and (own is None or p.node_id != own.node_id)]
    return others[0] if len(others) == 1 else None


def _body_agreements(body: list[str], header: PlanHeader) -> list[AgreementMention]:
    """Agreements named in the plan's sections; a section heading lends its sectors ('trong lĩnh vực y tế')."""
    year = int(header.date[:4]) if header.date else None
    found: list[AgreementMention] = []
    section_sectors: list[str] = []
    for line in body:
        stripped = line.strip()
        if SECTION.match(stripped):
            section_sectors = sectors_in(stripped) if keyword_in(expand(stripped)) is None else []
        for sentence in sentences(stripped):
            for clause in agreement_clauses(expand(sentence)):
                mention = find_agreement(clause, sentence, year)
                if mention is None:
                    continue
                if not mention.sectors:  # "3. Lĩnh vực y tế: triển khai ...": the field named before the colon
                    lead_in = sentence.split(":", 1)[0] if ":" in sentence else ""
                    mention.sectors = sectors_in(clause) or sectors_in(lead_in) or list(section_sectors)
                found.append(mention)
    return found


def _basis(b: GraphBuilder, body: list[str], header: PlanHeader) -> None:
    """Documents the plan is based on ('Căn cứ Kế hoạch số ... ngày ... của ...'): BASED_ON."""
    for line in body:
        if not line.strip().startswith(("Căn cứ", "Thực hiện")):
            continue
        for match in CITED.finditer(line):
            kind, number, day = match.group(1), match.group(2), match.group(3)
            issuer_text = match.group(4) or _issuer_before(line, match.start())
            cited_date = full_dates(day)[0][1] if full_dates(day) else None
            issuer = parse_org(expand(issuer_text), None) if issuer_text else None
            cited_id = stable_id("doc", number, issuer.locality.node_id if issuer and issuer.locality else "",
                                 cited_date or "")
            b.node(cited_id, "Document", f"{kind} số {number}", match.group(0), doc_type=kind, number=number,
                   date=cited_date, genre="cited")
            b.rel("BASED_ON", header.doc_id, cited_id, match.group(0))
            if issuer:
                b.rel("ISSUED_BY", cited_id, b.organization(issuer, match.group(0)), match.group(0))


def _issuer_before(line: str, at: int) -> str | None:
    """'... đề xuất của Sở Kế hoạch và Đầu tư tại Công văn số ...': the body named before 'tại'."""
    match = re.search(r".*\bcủa\s+(.+?)\s+tại\s*$", line[:at])
    return match.group(1) if match else None


def _assignments(b: GraphBuilder, body: list[str], header: PlanHeader) -> None:
    """'Phân công đồng chí X - Phó Chủ tịch ... chỉ đạo ...' and 'Giao Sở ...:' become ASSIGNS."""
    for line in body:
        stripped = line.strip()
        work = expand(stripped)
        if "Phân công" in stripped:
            for person in people_in_sentence(work, header.locality):
                person_node = write_person(b, person, stripped, header.date)
                b.rel("ASSIGNS", header.doc_id, person_node, stripped, duty=_duty(stripped))
        elif match := ASSIGN_ORG.match(work):
            _assigned_people(b, match.group(1), header, stripped)
            # "Giao Sở X: duty ..." names one body before the colon; "Giao các Sở: A, B; UBND ...:" lists them.
            assigned = re.sub(r"\s*\([^)]*\)", "", match.group(1))
            assigned = assigned[:-1] if assigned.endswith(":") else assigned.split(":")[0]
            for org in _assigned_orgs(assigned, header.locality):
                b.rel("ASSIGNS", header.doc_id, b.organization(org, stripped), stripped, duty="chủ trì, phối hợp")


def _people_in_prose(b: GraphBuilder, body: list[str], header: PlanHeader) -> None:
    """People the plan's prose names with their titles ('Thỏa thuận do ông A, Phó Chủ tịch UBND tỉnh X, và bà B,
    ... ký kết'), read as in news, up to the recipients and the signature; 'Phân công' lines are assignments."""
    for line in body:
        stripped = line.strip()
        if fold(stripped).startswith(("noi nhan", "tm ", "kt ")):
            break
        if "Phân công" in stripped:
            continue
        for sentence in sentences(stripped):
            for person in people_in_sentence(expand(sentence), header.locality):
                write_person(b, person, sentence, header.date)


def _assigned_people(b: GraphBuilder, text: str, header: PlanHeader, quote: str) -> None:
    """'Giao Sở X (đồng chí Name, Phó Giám đốc Sở) ...': the person named for the body, with their title."""
    for match in re.finditer(r"([^;:()]+?)\s*\(([^()]+)\)", text):
        outer, person = parse_contact(f"{match.group(1).strip()} ({match.group(2)})", header.locality)
        if outer is not None and person is not None and person.positions:
            b.rel("ASSIGNS", header.doc_id, write_person(b, person, quote, header.date), quote, duty="đầu mối")


def _duty(line: str) -> str:
    match = re.search(r"\b(chỉ đạo|chủ trì|theo dõi|phối hợp)\b.*", line)
    return match.group(0).rstrip(".;") if match else ""


def _assigned_orgs(text: str, locality: Unit | None) -> list[OrgRef]:
    """'các Sở: Công Thương, Y tế; UBND huyện X; Bệnh viện đa khoa tỉnh' → one OrgRef each."""
    found: list[OrgRef] = []
    for part in re.split(r"\s*;\s*", text):
        listed = re.match(r"các\s+(Sở)\s*:\s*(.+)", part, re.IGNORECASE)
        names = [f"{listed.group(1)} {n.strip()}" for n in _split_department_names(listed.group(2))] if listed else split_org_list(part)
        found += [org for name in names if (org := parse_org(name, locality)) is not None]
    return found


def _split_department_names(text: str) -> list[str]:
    """'Công Thương, Y tế, Văn hóa, Thể thao và Du lịch' → names; known names (departments.csv) keep their commas."""
    names: list[str] = []
    rest = text.strip(" ,;")
    while rest:
        known = next((d for d in departments() if fold(rest).startswith(fold(d)) and
                      fold(rest)[len(fold(d)):][:1] in ("", " ")), None)
        name = rest[:len(known)] if known else rest.split(",")[0]
        names.append(name.strip())
        rest = rest[len(name):].strip(" ,;")
    return names


def _recipients(b: GraphBuilder, body: list[str], header: PlanHeader) -> None:
    """'Nơi nhận:' list items that name one body become SENT_TO."""
    start = next((i for i, l in enumerate(body) if fold(l).startswith("noi nhan")), None)
    if start is None:
        return
    for line in body[start + 1:]:
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("-"):
            break
        text = expand(re.sub(r"\(.*?\)", "", stripped.lstrip("- ").rstrip(";. ")))
        if fold(text).startswith("luu"):
            break
        for org in orgs_sharing_locality(split_org_list(text), header.locality):
            b.rel("SENT_TO", header.doc_id, b.organization(org, stripped), stripped)


def _signature(b: GraphBuilder, body: list[str], header: PlanHeader) -> None:
    """'TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH / name': the signer holds that title in the issuing body."""
    # a signature printed in a borderless table comes as one cell of lines ('GIÁM ĐỐC\n(Đã ký)\nname')
    body = [part for line in body for part in line.split("\n")]
    for i, line in enumerate(body):
        bare = _bare_signing_title(body, i)
        if not (SIGNATURE.match(line.strip()) or bare) or header.issuer is None:
            continue
        title, quote_lines = title_at(line.strip()) if bare else None, [line.strip()]
        for following in body[i + 1:i + 12]:
            stripped = following.strip()
            if not stripped:
                continue
            quote_lines.append(stripped)
            if (found := title_at(re.sub(r"^(?:KT\.|TL\.|Q\.)\s*", "", stripped))) and stripped.isupper():
                title = found
                continue
            name = _signed_name(stripped)
            if name and title:
                person = PersonRef(name=name, positions=[Position(title=title, org=header.issuer)])
                quote = " / ".join(quote_lines)
                node = write_person(b, person, quote, header.date)
                b.rel("SIGNED_BY", header.doc_id, node, quote)
                return


def _signers_of_named_bodies(b: GraphBuilder, body: list[str], header: PlanHeader) -> None:
    """Heads of several bodies sign a joint plan side by side, each under a title in capitals naming the body with
    its place ('GIÁM ĐỐC SỞ CÔNG THƯƠNG TỈNH X', '(Đã ký)', the name). A page may print the columns as one line
    ('GIÁM ĐỐC SỞ ... X: Name GIÁM ĐỐC SỞ ... Y: Name'). Each signer holds the title in the body the title names;
    the name is a name by its place in the block, its surname known or not."""
    lines = [" ".join(part.split()) for line in body for part in line.split("\n") if part.strip()]
    for i, line in enumerate(lines):
        runs = _capitals_runs(line)
        for at, (start, end) in enumerate(runs):
            written, name_from = line[start:end].rstrip(" :"), i + 1
            if at + 1 == len(runs) and i + 1 < len(lines) and lines[i + 1].isupper() and end == len(line):
                # the body's place wrapped onto the next line ('GIÁM ĐỐC SỞ Y TẾ / TỈNH X')
                written, name_from = f"{written} {lines[i + 1].rstrip(' :')}", i + 2
            title = title_at(written)
            org = _body_in_capitals(" ".join(written.split()[len(title.split()):])) if title else None
            if title is None or org is None:
                continue
            after = line[end:runs[at + 1][0] if at + 1 < len(runs) else len(line)]
            named_here = SIGNED_NAME_GAP.sub("", after).strip()
            below = [l for l in lines[name_from:name_from + 3] if not SIGNED_NAME_GAP.fullmatch(l)]
            name_line = named_here or (below[0] if below else "")
            name = _name_filling(name_line)
            if name is None:
                continue  # the whole line (or the rest of the column) is the name, or this is no signature
            quote = line if named_here else " / ".join(lines[i:lines.index(name_line, name_from) + 1])
            person = PersonRef(name=name, positions=[Position(title=title, org=org)])
            b.rel("SIGNED_BY", header.doc_id, write_person(b, person, quote, header.date), quote)


def _name_filling(text: str) -> str | None:
    """The name a signature prints, when it is all the text holds, after a degree or honorific if any ('TS. A');
    a name by its place, its surname known or not."""
    honorific = next((h for h in honorifics() if text.startswith(h + " ")), None)
    bare = text[len(honorific):].strip() if honorific else text
    name = name_at(bare, after_honorific=True)
    return name if name is not None and name == bare.strip(" .;,") else None


def _capitals_runs(line: str) -> list[tuple[int, int]]:
    """(start, end) of each run of two or more words in capitals on a line: a signing title with its body ('GIÁM
    ĐỐC SỞ Y TẾ TỈNH X')."""
    runs: list[list[int]] = []
    last_end = -1
    for word in re.finditer(r"\S+", line):
        if not word.group().isupper():
            last_end = -1
            continue
        if last_end >= 0 and not line[last_end:word.start()].strip():
            runs[-1][1] = word.end()
        else:
            runs.append([word.start(), word.end()])
        last_end = word.end()
    return [(start, end) for start, end in runs if len(line[start:end].split()) >= 2]


# what a signature prints between its title and the name: a colon, '(Đã ký)', '(Ký, ghi rõ họ tên)'
SIGNED_NAME_GAP = re.compile(r"^[\s:]*(?:\([^)]*\)[\s:]*)*")


def _body_in_capitals(text: str) -> OrgRef | None:
    """The body a signing title names in capitals with its place ('SỞ CÔNG THƯƠNG TỈNH X'), spelt as its kind is
    (departments.csv, the organization heads); None without a place or for a body of another kind."""
    org = parse_org(expand(text.strip(" :,")), None)
    if org is None or org.locality is None:
        return None
    spelt = _bodies_by_fold().get(fold(org.body))
    return OrgRef(spelt, org.category, org.locality, org.acronym) if spelt else None


@lru_cache(maxsize=1)
def _bodies_by_fold() -> dict[str, str]:
    """Bodies whose whole name is their kind ('Sở Công Thương', 'Ủy ban nhân dân'), by their folded name."""
    return {fold(name): name for name in [*(f"Sở {d}" for d in departments()), *(h for h, _ in organization_heads())]}


def _bare_signing_title(body: list[str], i: int) -> bool:
    """A head who signs in person prints only the title ('GIÁM ĐỐC', no 'TM.' or 'KT.'): a line that is a
    title in capitals and nothing else, right after the recipients' list, whose last item is the archive
    copy ('- Lưu: VT')."""
    line = body[i].strip()
    title = title_at(line)
    before = next((l.strip() for l in reversed(body[max(0, i - 4):i]) if l.strip()), "")
    return (title is not None and line.isupper() and fold(line) == fold(title)
            and ARCHIVE_COPY.search(before) is not None)


ARCHIVE_COPY = re.compile(r"\bLưu\s*:", re.IGNORECASE)


def _signed_name(line: str) -> str | None:
    """The signer's name, after a degree or honorific a signature may print before it ('BSCKII. A', 'TS. B')."""
    honorific = next((h for h in honorifics() if line.startswith(h + " ")), None)
    return name_at(line[len(honorific):].strip(), after_honorific=True) if honorific else name_at(line)


def write_appendices(b: GraphBuilder, appendices: list[Appendix], header: PlanHeader, main_id: str | None,
                     partner: Unit | None, prose_items: list[str]) -> None:
    """Each row of the task tables: a task with its lead, coordinators and contact (plans, and news that print one)."""
    rows = [row for a in appendices for row in a.rows]
    column = _column_side(rows, partner, header.locality)
    # whose officials, by the landlines only: the row's, else the plan's own when every landline in the column is
    # (a cell that names its body with its place says itself whose it is, and tells nothing of the others)
    landlines = {side.node_id for row in rows if not _names_placed_body(row)
                 and (side := _contact_side(row, partner, header.locality))}
    own_column = header.locality if header.locality and landlines == {header.locality.node_id} else None
    by_phone = {id(row): _contact_side(row, partner, header.locality) or own_column for row in rows}
    contacts = [(a, row, _row_contact(row, evidenced or column, evidenced, by_phone[id(row)]))
                for a in appendices for row in a.rows
                for evidenced in [_contact_side(row, partner, header.locality)
                                  or (column if column is not partner else None)]]
    titles = canonical_titles([p.positions[0].title for _, _, (_, p) in contacts if p and p.positions])
    _bodies_from_other_rows([p for _, _, (_, p) in contacts if p])
    for _, row, (outer, person) in contacts:
        if outer is None and person is not None:
            _division_of_lead(row, person, by_phone[id(row)])
    # 'hai tỉnh', 'hai bên' in a task's name are the plan's own locality and its one partner
    both = f"{header.locality.short} {partner.short}" if header.locality and partner else ""
    for appendix, row, (outer, person) in contacts:
        b.read_row(row.quote, row.page, row.row, list(row.cells.values()))
        task_id = _task(b, appendix, row, header, main_id, outer, both)
        if person is not None:
            _contact(b, task_id, row, outer, person, titles, header)
    _prose_aliases(b, prose_items)


def _contact_side(row: TaskRow, partner: Unit | None, own: Unit | None) -> Unit | None:
    """Where the bodies a contact cell writes without a place are by the cell's landline: the plan's own province
    or the partner's when its area code is theirs ('Sở Du lịch (Ông A, ĐT 0260 ...)' in a Kon Tum plan); None
    when the cell has no landline of either."""
    landline = phone_province(find_phone(row.cells.get("contact", "")))
    return next((side for side in (own, partner) if side is not None and landline is not None
                 and in_province(side, landline)), None)


def _names_placed_body(row: TaskRow) -> bool:
    """Whether the contact cell names its body with a place ('Trưởng phòng X, Sở Y tỉnh Z, ĐT ...')."""
    outer, person = parse_contact(first_person(expand(row.cells.get("contact", ""))), None)
    bodies = [outer, *(p.org for p in (person.positions if person else []))]
    return any(o is not None and o.locality is not None for o in bodies)


def _column_side(rows: list[TaskRow], partner: Unit | None, own: Unit | None) -> Unit | None:
    """Whose officials a plan's contact column names: the partner's counterparts, as the genre writes it with
    one partner, unless the column's landlines are all of the plan's own province (then its own officials:
    'Ông A - Phó Giám đốc Sở NN&PTNT' is the plan's own Sở)."""
    sides = {side.node_id for row in rows if (side := _contact_side(row, partner, own)) is not None}
    return own if own is not None and sides == {own.node_id} else partner or own




def _row_contact(row: TaskRow, default_locality: Unit | None, evidenced: Unit | None = None,
                 by_phone: Unit | None = None) -> tuple[OrgRef | None, PersonRef | None]:
    """The row's contact. A body the cell writes without a place ('Phó Giám đốc Sở X') that exactly one
    of the row's lead and coordinator cells names with its place is that body: the row says whose it is."""
    cell = first_person(expand(row.cells.get("contact", "")))
    outer, person = parse_contact(cell, None)
    position = person.positions[0] if person and person.positions else None
    unplaced = position.org if position and position.org else outer
    if unplaced is not None and unplaced.locality is None:
        named = [o for t in [row.cells.get("lead", ""), *split_org_list(row.cells.get("coordinators", ""))]
                 if (o := parse_org(t, None)) and o.locality is not None and fold(o.body) == fold(unplaced.body)]
        if len({o.node_id for o in named}) == 1:
            if position and position.org:
                position.org = named[0]
                return outer, person
            return named[0], person
        if len({o.node_id for o in named}) > 1:
            # the row names that body on both sides ('Sở X tỉnh A' leads, 'Sở X tỉnh B' coordinates): whose
            # officer the contact is, only a level word can say ('TTYT huyện' where the other is a city's);
            # else the body keeps no place rather than a guessed one
            leveled = _body_of_level(cell, position.title, row) if position else None
            if leveled is None and evidenced is not None:
                # the landlines say whose officials the column names (_contact_side, _column_side)
                own = [o for o in named if in_province(o.locality, province_of(evidenced))]
                leveled = own[0] if len({o.node_id for o in own}) == 1 else None
            if leveled is not None and position is not None and position.org is not None:
                position.org = leveled
            return (leveled if leveled is not None and outer is unplaced else outer), person
    if position and position.org is None and outer is None and (division := DIVISION_TITLE.match(position.title)):
        # "Trưởng phòng NN&PTNT" in the row that 'Phòng NN&PTNT huyện X' leads or coordinates: the head of that
        # division of the row's, when the row names one only
        heads = [o for t in [row.cells.get("lead", ""), *split_org_list(row.cells.get("coordinators", ""))]
                 if (o := parse_org(t, None)) and o.locality is not None
                 and fold(o.body) == fold(f"Phòng {division.group('division')}")]
        if len({o.node_id for o in heads}) == 1:
            position.org = heads[0]
            return None, person
    if position and position.org is None and outer is None and (head := _bare_head_after(cell, position.title)):
        # "Phó Giám đốc Bệnh viện": the one body of that kind the row names, or of the landline's province; with
        # several, whose is not said
        kind = [o for t in [row.cells.get("lead", ""), *split_org_list(row.cells.get("coordinators", ""))]
                if (o := parse_org(t, default_locality)) and fold(o.body).startswith(fold(head))]
        if len({o.node_id for o in kind}) > 1 and by_phone is not None:
            # the row's landline (or a column of the plan's own landlines only) says whose 'Sở' it is
            kind = [o for o in kind if o.locality is not None and in_province(o.locality, province_of(by_phone))]
        if len({o.node_id for o in kind}) != 1:
            return None, None
        position.org = kind[0]
        return None, person
    return parse_contact(cell, default_locality)


def _division_of_lead(row: TaskRow, person: PersonRef, evidenced: Unit | None) -> None:
    """'Trưởng phòng Quản lý du lịch' with no body in the row or elsewhere in the table: a division of the body
    that leads the row, as the contact column names the lead's officer, when the landlines say the column is of
    the province the lead is named with (a partner's officer is written with the partner's body)."""
    position = person.positions[0] if person.positions else None
    if position is None or position.org is not None or not DIVISION_TITLE.match(position.title) or evidenced is None:
        return
    lead = parse_org(row.cells.get("lead", ""), None)
    if lead is not None and lead.locality is not None and in_province(lead.locality, province_of(evidenced)):
        position.org = lead


DIVISION_TITLE = re.compile(r"^(?:Phó\s+)?Trưởng phòng\s+(?P<division>\S.*)$")
LEVEL_AFTER_BODY = re.compile(r"\s+(?P<level>xã|phường|thị trấn|huyện|quận|tỉnh|thành phố|thị xã)\s*(?:[,;:(]|$)", re.IGNORECASE)


def _body_of_level(cell: str, title: str, row: TaskRow) -> OrgRef | None:
    """The body a contact cell names with a bare level word after the title ('Giám đốc Trung tâm Y tế huyện'):
    of the row's lead and coordinators named so, the one whose place is of that kind ('huyện Bảo Lạc', where
    the other is a 'thành phố'); None when no one, or several, are."""
    after = re.search(rf"{re.escape(title)}\s+(?P<body>[^,;:()]+?){LEVEL_AFTER_BODY.pattern}", cell, re.IGNORECASE)
    if after is None or head_of(after.group("body")) is None:
        return None
    level = fold(after.group("level"))
    named = [o for t in [row.cells.get("lead", ""), *split_org_list(row.cells.get("coordinators", ""))]
             if (o := parse_org(t, None)) and o.locality is not None and fold(o.body) == fold(after.group("body"))
             and fold(o.locality.type_word) == level]
    return named[0] if len({o.node_id for o in named}) == 1 else None


def _bare_head_after(cell: str, title: str) -> str | None:
    """The head of a body written alone after the title ('Phó Giám đốc Bệnh viện, ĐT ...' → 'Bệnh viện')."""
    after = re.search(rf"{re.escape(title)}\s+([^,;:()]+?)\s*(?:[,;:(]|$)", cell)
    head = head_of(after.group(1)) if after else None
    return head[0] if head and fold(head[0]) == fold(after.group(1)) and head[1] != "Office" else None


def _bodies_from_other_rows(people: list[PersonRef]) -> None:
    """A table names a contact's body once and restates the same person (same name and phone) in later
    rows without it: the person holds the position in the body the table already gave them."""
    bodies = {(fold(p.name), p.phone): p.positions[0].org for p in people
              if p.phone and p.positions and p.positions[0].org is not None}
    for person in people:
        body = bodies.get((fold(person.name), person.phone))
        if body is not None and person.positions and person.positions[0].org is None:
            person.positions[0].org = body


def first_person(cell: str) -> str:
    """A contact cell cut to the first person it lists, the row's contact ('Sở X: Ông A - T, ĐT ...; Bà B - T, ĐT
    ...' → 'Sở X (Ông A - T, ĐT ...)'): the second person's name and phone are not the first's title or body."""
    honorific = "|".join(re.escape(h) for h in honorifics())
    cell = re.split(rf"\s*;\s*(?=(?:{honorific})\.?\s+[A-ZĐÀ-Ỹ])", cell, maxsplit=1)[0]
    body_first = re.match(r"^(?P<body>[^:()]+?)\s*:\s*(?P<person>[^()]+)$", cell)
    if body_first and head_of(body_first.group("body")):
        return f"{body_first.group('body')} ({body_first.group('person')})"
    return cell


def _row_org(text: str, header: PlanHeader, contact_org: OrgRef | None) -> OrgRef | None:
    """A lead or coordinator cell's body. Written without a place, it is the plan's own body,
    unless the contact cell of the same row names that body: then it is the partner's."""
    bare = parse_org(text, None)
    if (bare is not None and bare.locality is None and contact_org is not None
            and fold(bare.body) == fold(contact_org.body)):
        return contact_org
    return parse_org(text, header.locality)


def _task(b: GraphBuilder, appendix: Appendix, row: TaskRow, header: PlanHeader, main_id: str | None,
          contact_org: OrgRef | None, both: str) -> str:
    cells, quote = row.cells, row.quote
    name = " ".join(cells.get("task", "").split())
    task_id = stable_id("task", header.doc_id, fold(appendix.title.split(" - ")[0]), row.number, fold(name))
    place = " ".join(cells.get("place", "").split())
    when = timeframe(cells.get("timeframe", ""))
    # a reader names a task with its place or time ("... ở huyện X", "... tháng 9/2025"): other names of it
    aliases = [f"{name} {extra}" for extra in (place, time_words(when)) if extra]
    if both and BOTH_SIDES.search(name):  # '... doanh nghiệp hai tỉnh': asked with the two provinces' names
        aliases.append(f"{name} {both}")
    b.node(task_id, "Task", name, quote, aliases=aliases,
           number=row.number, section=" / ".join(row.groups) or None,
           appendix=appendix.title or None, deliverable=cells.get("deliverable"),
           timeframe=when, timeframe_text=cells.get("timeframe"),
           place=cells.get("place"))
    b.rel("LISTED_IN", task_id, header.doc_id, quote)
    if main_id:
        b.rel("IMPLEMENTS", task_id, main_id, quote)
    lead = _row_org(cells.get("lead", ""), header, contact_org)
    if lead:
        b.rel("LED_BY", task_id, b.organization(lead, quote), quote, **b.written_as(lead, quote))
    coordinators = [o for t in split_org_list(cells.get("coordinators", "")) if (o := _row_org(t, header, contact_org))]
    for org in coordinators:
        b.rel("COORDINATED_BY", task_id, b.organization(org, quote), quote)
    places = find_localities(expand(cells.get("place", "")))
    if places:
        b.rel("HELD_IN", task_id, b.locality(places[0].unit, quote), quote)
    for sector in sectors_in(name):
        b.rel("COVERS", task_id, b.sector(sector, quote), quote)
    if keyword_in(expand(name)) and lead and coordinators:
        _task_agreement(b, task_id, name, quote, lead, coordinators)
    return task_id


def _task_agreement(b: GraphBuilder, task_id: str, name: str, quote: str, lead: OrgRef,
                    coordinators: list[OrgRef]) -> None:
    """A row that is itself an agreement ('Bản ghi nhớ ... trong lĩnh vực y tế'): lead and coordinators sign it."""
    keyword = keyword_in(expand(name))
    mention = AgreementMention(agreement_type=keyword[2] if keyword else "Thỏa thuận hợp tác", phrase=name,
                               parties=[lead, *coordinators], quote=quote, sectors=sectors_in(name))
    b.rel("IMPLEMENTS", task_id, write_agreement(b, mention), quote)


def _contact(b: GraphBuilder, task_id: str, row: TaskRow, outer: OrgRef | None, person: PersonRef,
             titles: dict[str, str], header: PlanHeader) -> None:
    quote = row.cells.get("contact", row.quote)
    position = person.positions[0] if person.positions else None
    if position:
        position.title = titles.get(position.title, position.title)
        if position.org and outer and position.org.node_id != outer.node_id:
            b.rel("PART_OF", b.organization(position.org, quote), b.organization(outer, quote), quote)
    node = write_person(b, person, quote, header.date)
    # the contact point is the body the cell names; a division inside it is part of the person's title
    org = outer or (position.org if position else None)
    title = position.title if position else None
    if position and position.org and outer and position.org.node_id != outer.node_id:
        title = f"{position.title} {position.org.body}"
    b.rel("CONTACT", task_id, node, quote, title=title, organization=_as_written(org, quote), phone=person.phone)


def _as_written(org: OrgRef | None, quote: str) -> str | None:
    """A body's name for a reader: 'Trung tâm X - Sở Y tỉnh Z' when the cell names it with its parent."""
    if org is None:
        return None
    return f"{org.body} - {answered_name(org.parent, quote)}" if org.parent is not None else answered_name(org, quote)


def _prose_aliases(b: GraphBuilder, items: list[str]) -> None:
    """The plan's body lists the appendix's tasks in its own words: keep those words as aliases."""
    tasks = [n for n in b.nodes.values() if n.kind == "Task"]
    for item in items:
        words = tokens(item)
        scored = [(score_words(words, tokens(t.name)), t) for t in tasks]
        scored.sort(key=lambda s: -s[0].score)
        best, runner_up = (scored + [None, None])[:2]
        clear = runner_up is None or best[0].score - runner_up[0].score >= 0.1
        if best and clear and best[0].recall >= 0.7 and best[0].score >= 0.6 and fold(item) != fold(best[1].name):
            task = best[1]
            b.node(task.id, "Task", task.name, item, aliases=[item.rstrip(".;")])
