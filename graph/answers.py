"""Turning graph facts into answers: shared by every backend so answers look alike.

A backend finds the nodes and relationships; these functions shape and order them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import Any, NamedTuple

from pydantic import TypeAdapter

from graph.model import (
    AgreementAnswer,
    ContactAnswer,
    DocumentGraph,
    Graph,
    LeadAnswer,
    Node,
    OrgTaskAnswer,
    PartnerAnswer,
    PersonAnswer,
    Relationship,
    Source,
    TaskAnswer,
)
from graph.text import DATA, fold, read_table

PEOPLES_COMMITTEE = re.compile(r"^\s*(?:ubnd|(?:ủy|uỷ|uy)\s+ban\s+(?:nhân|nhan)\s+(?:dân|dan))\s+", re.IGNORECASE)


def party_names(text: str) -> list[str]:
    """What a party's name may stand for: "UBND huyện X" is also huyện X itself, because a
    People's Committee signs for its locality and agreements list the locality."""
    bare = PEOPLES_COMMITTEE.sub("", text)
    return [text, bare] if bare != text and bare.strip() else [text]


@lru_cache(maxsize=1)
def _district_types() -> dict[str, int]:
    """The types of district-level units, folded ('thi xa'; folding spells out 'TX', 'TP'), with their rank: a
    unit is raised (a huyện to a thị xã, a thị xã to a thành phố or a quận), never lowered."""
    return {fold(row["type"]): int(row["rank"]) for row in read_table(DATA / "district_types.csv")}


def raised_since(asked_type: str, node: Node) -> bool:
    """Whether the node is a district-level unit of a type above the one asked: what a unit asked by its
    earlier type ('thị xã X') is known as now ('Thành phố X')."""
    now = district_type_of(node)
    return now is not None and _district_types()[now] > _district_types()[asked_type]


def district_written(text: str) -> tuple[str, str] | None:
    """(folded name, folded type) of a question naming a district-level unit with its type first ('TX Đông
    Triều' → ('dong trieu', 'thi xa')); None otherwise. A huyện that becomes a thị xã, a thị xã that becomes a
    thành phố keep their names: the name may find the unit under its new type (``GraphStore._resolve_party``)."""
    folded = fold(text)
    return next(((folded[len(t) + 1:], t) for t in _district_types() if folded.startswith(f"{t} ")), None)


def district_type_of(node: Node) -> str | None:
    """The folded type a district-level locality's name starts with ('thanh pho'); None for other units."""
    if node.kind != "Locality" or node.properties.get("level") != "district":
        return None
    name = fold(node.name)
    return next((t for t in _district_types() if name.startswith(f"{t} ")), None)
PLACE_TYPE = re.compile(r"^(?:tinh|thanh pho|tp|huyen|quan|thi xa|tx|xa|phuong|thi tran)\s+")


def place_key(name: str) -> str:
    """A place's name without its type word, folded ('Huyện Lai Vung', 'huyen Lai Vung' → 'lai vung')."""
    return PLACE_TYPE.sub("", fold(name)).strip()


def names_places(folded: str, keys: set[str]) -> bool:
    """Whether the folded text is names of these places (``place_key``s) one after another, each with or without
    its type word: 'quan 3 thanh pho ho chi minh' names {'3', 'ho chi minh'}; an empty text names none."""
    text = PLACE_TYPE.sub("", folded).strip()
    return any(text == key or (text.startswith(f"{key} ") and names_places(text[len(key) + 1:], keys))
               for key in keys)


def unique_sources(*groups: list[Source]) -> list[Source]:
    """Sources in order, each once."""
    seen: dict[tuple[str, str], Source] = {}
    for group in groups:
        for source in group:
            seen.setdefault((source.document, source.quote), source)
    return list(seen.values())


@lru_cache(maxsize=1)
def category_rank() -> dict[str, int]:
    return {row["category"]: int(row["rank"]) for row in read_table(DATA / "organization_categories.csv")}


@lru_cache(maxsize=1)
def _categories_not_acting_for_locality() -> frozenset[str]:
    return frozenset(row["category"] for row in read_table(DATA / "organization_categories.csv")
                     if row["acts_for_locality"] == "no")


def acts_for_locality(node: Node) -> bool:
    """Whether what the node signs binds its locality: a locality, or a body that acts for its own."""
    return node.kind == "Locality" or node.properties.get("category") not in _categories_not_acting_for_locality()


def same_name(text: str, node: Node) -> bool:
    """Whether a folded text equals the node's name or one of its aliases."""
    wanted = fold(text)
    return any(fold(n) == wanted for n in [node.name, *node.aliases])


# the properties a node's date is read from, the most telling first
DATE_PROPERTIES = ("date_signed", "timeframe", "date", "period")


class Dated(NamedTuple):
    """What telling a node's years reads of it (``of_other_years``): its names and its date properties."""

    name: str
    aliases: list[str]
    properties: dict[str, Any]  # of ``DATE_PROPERTIES``, those it has a value of


def dated(node: Node) -> Dated:
    """The node as telling its years reads it."""
    return Dated(node.name, node.aliases, {key: value for key in DATE_PROPERTIES
                                                if (value := node.properties.get(key)) is not None})


def node_date(node: Node | Dated) -> str:
    """The most telling date of an agreement, task or document ('' when none)."""
    props = node.properties
    return str(next((value for key in DATE_PROPERTIES if (value := props.get(key))), ""))


def in_year(node: Node | Dated, year: int) -> bool:
    """Whether the node's date, timeframe or period touches the year."""
    text = node_date(node)
    years = [int(part) for part in text.replace("/", "-").split("-") if len(part) == 4 and part.isdigit()]
    if len(years) >= 2 and text.count("-") == 1 and all(len(p) == 4 for p in text.split("-")):
        return years[0] <= year <= years[1]
    return year in years


# a year a question names ("... năm 2023"), or a span of years ("giai đoạn 2026-2030"); not a number's digits
ASKED_YEARS = re.compile(r"(?<![\w/.,-])((?:19|20)\d{2})(?:\s*[-–]\s*((?:19|20)\d{2}))?(?![\w/]|[.,]\d)")


def asked_years(text: str) -> list[tuple[int, int]]:
    """The years a question names, each as a span (first, last): "năm 2023" is (2023, 2023)."""
    return [(int(m.group(1)), int(m.group(2) or m.group(1))) for m in ASKED_YEARS.finditer(text)]


def of_other_years(node: Node | Dated, spans: list[tuple[int, int]]) -> bool:
    """Whether a task is known to be of other years than the spans a question names: its timeframe (else the
    years its name writes) touches none of them. A task of no known year is not of another year, and a year
    its own name writes is part of a name ("chương trình GDPT 2018"), not the time asked for."""
    written = " ".join([node.name, *node.aliases])
    spans = [(first, last) for first, last in spans if not re.search(rf"(?<!\d){first}(?!\d)", written)]
    if not spans:
        return False
    if not re.search(r"\b(?:19|20)\d{2}\b", str(node.properties.get("timeframe") or "")):
        named = asked_years(node.name)
        return bool(named) and not any(a <= last and first <= b for first, last in spans for a, b in named)
    return not any(in_year(node, year) for first, last in spans for year in range(first, last + 1))


def in_timeframe(node: Node, wanted: str) -> bool:
    """Whether a task's ISO timeframe starts with ``wanted`` ("2024-09"), or spans it when it is a year."""
    if str(node.properties.get("timeframe") or "").startswith(wanted):
        return True
    return len(wanted) == 4 and wanted.isdigit() and in_year(node, int(wanted))


def _by_folded(name: str) -> tuple[str, str]:
    """Alphabetical as people read it; two spellings that fold alike keep one order."""
    return fold(name), name


def task(node: Node, leads: list[tuple[Relationship, Node]], coordinators: list[tuple[Relationship, Node]],
         sectors: list[Node], places: list[str], plans: list[Node]) -> TaskAnswer:
    """A task with who leads and coordinates it; sources of the task and of those two roles."""
    props = node.properties
    return TaskAnswer(
        task=node.name, task_id=node.id, number=props.get("number"),
        leads=sorted({o.name for _, o in leads}, key=_by_folded),
        coordinators=sorted({o.name for _, o in coordinators}, key=_by_folded),
        sectors=sorted({s.name for s in sectors}, key=_by_folded),
        timeframe=props.get("timeframe"), place=props.get("place"),
        places=sorted(set(places), key=_by_folded), plans=sorted({p.name for p in plans}, key=_by_folded),
        sources=unique_sources(node.sources, *[r.sources for r, _ in leads + coordinators]))


def locality_label(node: Node, parent: Node | None) -> str:
    """'Huyện Tuy Đức, Tỉnh Đắk Nông' for a district; the name alone for a province."""
    if parent is not None and node.properties.get("level") in ("district", "commune"):
        return f"{node.name}, {parent.name}"
    return node.name


def contact(task: Node, score: float, rel: Relationship, person: Node) -> ContactAnswer:
    """The contact as the task's row names it; a phone the row leaves out comes from the person,
    who (once resolved across documents) holds every phone any document printed for them."""
    props = rel.properties
    phone = props.get("phone") or next(iter(person.properties.get("phones") or []), None)
    return ContactAnswer(task=task.name, task_id=task.id, person=person.name, title=props.get("title"),
                         organization=props.get("organization"), phone=phone, score=score,
                         sources=unique_sources(rel.sources, task.sources))


def sort_contacts(items: list[ContactAnswer]) -> list[ContactAnswer]:
    return sorted(items, key=lambda a: (-a.score, a.task_id, a.person))


def as_written(rel: Relationship, org: Node) -> str:
    """The body as the fact's own document writes it ('UBND TP Đà Nẵng'), else the node's name."""
    return rel.properties.get("organization") or org.name


def lead(task: Node, score: float, rel: Relationship, org: Node) -> LeadAnswer:
    return LeadAnswer(task=task.name, task_id=task.id, organization=as_written(rel, org), organization_id=org.id,
                      score=score, sources=unique_sources(rel.sources, task.sources))


def counterparts(parties: list[Node], own: list[Node], sides: dict[str, int | None]) -> list[Node]:
    """The parties across the table from ``own``: side 1 (the convener) faces side 2 and back.

    Parties without a side (older data, imports) are all counterparts of each other."""
    own_sides = {sides.get(p.id) for p in own}
    facing = {1: {2}, 2: {1}}.get(next(iter(own_sides)), {1, 2}) if len(own_sides) == 1 else {1, 2}
    return [p for p in parties if p not in own and (sides.get(p.id) in facing or sides.get(p.id) is None)]


def face_each_other(sides_a: list[int | None], sides_b: list[int | None]) -> bool:
    """Whether parties on these sides of one agreement are across the table from each other:
    the convener (side 1) faces the others (side 2), who do not face each other; parties
    without a side (older data, imports) all face each other."""
    return any(a is None or b is None or a != b for a in sides_a for b in sides_b)


def partners(found: dict[str, list[tuple[Node, str, list[Source]]]]) -> list[PartnerAnswer]:
    """One answer per partner locality; its newest agreement first."""
    result = []
    for locality_id, items in found.items():
        items = sorted(items, key=lambda item: (node_date(item[0]), item[0].id), reverse=True)
        newest, label, _ = items[0]
        titles = list(dict.fromkeys(a.name for a, _, _ in items))
        result.append(PartnerAnswer(
            locality=label, locality_id=locality_id, agreement=newest.name, agreement_id=newest.id,
            date=newest.properties.get("date_signed"), agreements=titles,
            sources=unique_sources(*[s for _, _, s in items])))
    return sorted(result, key=lambda a: fold(a.locality))


def fields_unread(agreement: Node, covers: list[Relationship]) -> bool:
    """Whether the agreement's fields are known to be incomplete: every document that gives it fields (or, when
    none does, some document naming it) announced fields its reader did not read (``fields_unread``, the
    announcing quotes). A document that gives fields and announced none left unread vouches for them."""
    unread = set(agreement.properties.get("fields_unread") or [])
    if not unread:
        return False
    announcing = {s.document for s in agreement.sources if s.quote in unread}
    giving = {s.document for rel in covers for s in rel.sources}
    return giving <= announcing


def agreement(node: Node, parties: list[str], sectors: list[str]) -> AgreementAnswer:
    return AgreementAnswer(id=node.id, title=node.name, date=node.properties.get("date_signed"),
                           period=node.properties.get("period"), parties=sorted(parties, key=fold),
                           sectors=sorted(sectors, key=fold), sources=node.sources)


def sort_agreements(items: list[tuple[int, AgreementAnswer]]) -> list[AgreementAnswer]:
    """Agreements whose parties are the named ones first, then newest first."""
    ordered = sorted(items, key=lambda item: (item[0], _desc(item[1].date or ""), item[1].id))
    return [a for _, a in ordered]


def _desc(text: str) -> str:
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


def position(person: Node, rel: Relationship, org: Node) -> PersonAnswer:
    phones = person.properties.get("phones") or []
    return PersonAnswer(person=person.name, person_id=person.id, title=rel.properties.get("title"),
                        organization=as_written(rel, org), organization_id=org.id,
                        phone=phones[0] if phones else None, as_of=rel.properties.get("as_of"),
                        sources=unique_sources(rel.sources))


def sort_positions(items: list[PersonAnswer], orgs: dict[str, Node]) -> list[PersonAnswer]:
    """Positions in executive bodies first (the ones that sign agreements), then newest."""
    ranks = category_rank()

    def key(a: PersonAnswer) -> tuple[int, str, int, str]:
        org = orgs.get(a.organization_id or "")
        category = org.properties.get("category", "Other") if org else "Other"
        return (ranks.get(category, 99), _desc(a.as_of or ""), -len(a.sources), a.title or "")

    return sorted(items, key=key)


def org_task(task: Node, role: str, rel: Relationship, org: Node) -> OrgTaskAnswer:
    return OrgTaskAnswer(task=task.name, task_id=task.id, role=role, organization=org.name,
                         timeframe=task.properties.get("timeframe"),
                         sources=unique_sources(rel.sources, task.sources))


def sort_org_tasks(items: list[OrgTaskAnswer]) -> list[OrgTaskAnswer]:
    return sorted(items, key=lambda a: (a.role != "lead", a.task_id))


_DOCUMENT_COUNTS = TypeAdapter(dict[str, int])


def fact_json(fact: str, sources: str) -> str:
    """A node's or relationship's JSON as its model writes it, from its JSON without its sources (``exclude``) and
    the JSON of its sources (their list, as the model writes them): sources are both models' last field. A store
    keeps the two apart, so that a fact supported by one more document gets its sources rewritten, not its JSON."""
    return f'{fact[:-1]},"sources":{sources}}}'


def graph_json(nodes: list[str], relationships: list[str], document_counts: dict[str, int]) -> bytes:
    """A Graph's JSON as ``Graph.model_dump_json`` writes it, from the JSON of each of its nodes and relationships
    as their models write it (a store that keeps them sends a large answer without building it)."""
    counts = _DOCUMENT_COUNTS.dump_json(document_counts).decode()
    return f'{{"nodes":[{",".join(nodes)}],"relationships":[{",".join(relationships)}],"document_counts":{counts}}}'.encode()


def split_by_document(graph: Graph) -> list[DocumentGraph]:
    """Cut an exported graph back into per-document claims, using each fact's sources."""
    nodes: dict[str, list[Node]] = defaultdict(list)
    rels: dict[str, list[Relationship]] = defaultdict(list)
    for node in graph.nodes:
        for doc in dict.fromkeys(s.document for s in node.sources):
            own = [s for s in node.sources if s.document == doc]
            nodes[doc].append(node.model_copy(update={"sources": own}))
    for rel in graph.relationships:
        for doc in dict.fromkeys(s.document for s in rel.sources):
            own = [s for s in rel.sources if s.document == doc]
            rels[doc].append(rel.model_copy(update={"sources": own}))
    return [DocumentGraph(document=doc, sha256=f"import:{doc}", nodes=nodes[doc], relationships=rels.get(doc, []))
            for doc in sorted(nodes)]
