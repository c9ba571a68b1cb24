"""Writing what the readers found into a document's graph: agreements, people, titles.

Shared by the plan reader and the news reader so both genres give the same shape of facts.
"""

from __future__ import annotations

from collections import Counter

from graph.model import stable_id
from graph.text import fold
from ingest.agreements import AgreementMention, agreement_title, party_fields
from ingest.announced import read_fully
from ingest.builder import GraphBuilder
from ingest.localities import Unit
from ingest.normalize import as_written
from ingest.orgs import OrgRef
from ingest.people import PersonRef
from ingest.vocab import dictionary_words


def agreement_id(mention: AgreementMention) -> str:
    """An agreement is who signed it and when: the same parties signing for a new period make a
    new agreement. A mention without a date is matched to a dated one by resolution."""
    return stable_id("agreement", *sorted(mention.party_ids), mention.date_signed or mention.period or "")


def write_agreement(b: GraphBuilder, mention: AgreementMention) -> str:
    """An Agreement node with its parties (PARTY) and sectors (COVERS). The sentences that announce fields the
    reader did not (mostly) read are kept as ``fields_unread``: its list of fields is known to be incomplete."""
    node_id = agreement_id(mention)
    sectors = mention.sectors + [s for s in party_fields(mention.parties) if s not in mention.sectors]
    unread = list(dict.fromkeys(b.kept_quote(a.quote) for a in mention.announced if not read_fully(a, sectors)))
    for quote in dict.fromkeys([mention.quote, *mention.more_quotes, *unread]):
        b.node(node_id, "Agreement", agreement_title(mention), quote, agreement_type=mention.agreement_type,
               date_signed=mention.date_signed, period=mention.period, fields_unread=unread)
    for index, party in enumerate(mention.parties):
        # The first-named party convenes ("TP.HCM với 5 tỉnh ..."); the others cooperate with it, not with each other;
        # in a multilateral agreement ("kết nghĩa ba bên") there are no sides: each cooperates with every other.
        side = None if mention.multilateral else 1 if index == 0 else 2
        b.rel("PARTY", node_id, b.party(party, mention.quote), mention.quote, side=side)
    for sector in sectors:
        b.rel("COVERS", node_id, b.sector(sector, mention.quote), mention.quote)
    return node_id


def person_id(name: str, org: OrgRef | None, document: str) -> str:
    """A person as one document names them: a name at an organization (without one, in this
    document). Whether two such mentions are one person is resolution's judgement, from evidence."""
    return stable_id("person", fold(name), org.node_id if org else f"document:{document}")


def write_person(b: GraphBuilder, person: PersonRef, quote: str, as_of: str | None) -> str:
    """A Person node with a HOLDS relationship for each position (title, organization, as of)."""
    first_org = next((p.org for p in person.positions if p.org), None)
    node_id = person_id(person.name, first_org, b.document)
    b.node(node_id, "Person", person.name, quote, honorific=person.honorific,
           phones=[person.phone] if person.phone else [])
    if person.phone and person.phone not in b.nodes[node_id].properties.setdefault("phones", []):
        b.nodes[node_id].properties["phones"].append(person.phone)
    for position in person.positions:
        if position.org is None:
            continue
        org_id = b.organization(position.org, quote)
        # the title as the text writes it ('Chủ tịch HĐQT'): how readers of the document will ask for it
        title = as_written(position.title, quote)
        b.rel("HOLDS", node_id, org_id, quote, key=fold(position.title), title=title, as_of=as_of,
              **b.written_as(position.org, quote))
    return node_id


def canonical_titles(titles: list[str]) -> dict[str, str]:
    """Map titles that differ by a typo ('lễ hành' for 'lữ hành') onto one spelling.

    Titles one or two letters apart (without diacritics) are one title; the spelling whose
    word pairs the Vietnamese dictionary knows best wins, then the most frequent."""
    counts = Counter(titles)
    groups: list[list[str]] = []
    for title in counts:
        group = next((g for g in groups if _close(fold(g[0]), fold(title))), None)
        (group.append(title) if group else groups.append([title]))
    mapping: dict[str, str] = {}
    for group in groups:
        best = max(group, key=lambda t: (_known_pairs(t), counts[t], -group.index(t)))
        mapping.update({t: best for t in group})
    return mapping


def _close(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 2 or a.split()[:2] != b.split()[:2]:
        return False
    return _distance(a, b) <= 2


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _known_pairs(title: str) -> int:
    words = title.lower().split()
    known = dictionary_words()
    return sum(1 for pair in zip(words, words[1:]) if " ".join(pair) in known)


def unit_label(unit: Unit | None) -> str:
    return unit.name if unit else ""
