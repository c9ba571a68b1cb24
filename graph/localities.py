"""Localities across the 2025 reorganisation, for questions: which units a question covers
and how each is linked to the one asked. Shared by every backend (they only fetch).

A former unit is linked to the units that took its area (SUCCEEDED_BY). Asking a 2025 unit finds
the agreements of the former unit it carries on (the one whose name it kept, or the one it only renamed), not
those of the units merged into it under another name; asking a former unit finds only its own (it
ceased on 2025-06-30 and signed nothing its successor signed). Every answer found through a
link says so ("Huyện Tuy Đức, Tỉnh Đắk Nông (until
2025-06-30) → now part of Tỉnh Lâm Đồng: Xã Quảng Tân"). Units inside the one asked
(PART_OF) count only when the question asks for them (``within``); ``as_of`` reads the name
as the unit that existed on that day and keeps the agreements signed by then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from graph import answers
from graph.model import Graph, Node, PartnerAnswer, Relationship, Source

LINK_TYPES = ("SUCCEEDED_BY", "PART_OF")


@dataclass(frozen=True)
class LocalityLinks:
    """The localities in the store with their succession and containment links."""

    nodes: dict[str, Node]
    predecessors: dict[str, list[str]]
    children: dict[str, list[str]]
    parent: dict[str, str]
    successors: dict[str, list[str]]

    @classmethod
    def of(cls, graph: Graph) -> LocalityLinks:
        """From a graph of Locality nodes and their SUCCEEDED_BY and PART_OF relationships."""
        predecessors: dict[str, list[str]] = defaultdict(list)
        successors: dict[str, list[str]] = defaultdict(list)
        children: dict[str, list[str]] = defaultdict(list)
        parent: dict[str, str] = {}
        for rel in graph.relationships:
            if rel.type == "SUCCEEDED_BY" and rel.start not in predecessors[rel.end]:
                predecessors[rel.end].append(rel.start)
                successors[rel.start].append(rel.end)
            elif rel.type == "PART_OF":
                children[rel.end].append(rel.start)
                parent.setdefault(rel.start, rel.end)
        return cls({n.id: n for n in graph.nodes}, predecessors, children, parent, successors)

    def label(self, node_id: str) -> str:
        """'Huyện Tuy Đức, Tỉnh Đắk Nông' for a unit with a parent; the name alone otherwise."""
        node = self.nodes[node_id]
        above = self.nodes.get(self.parent.get(node_id, ""))
        return answers.locality_label(node, above)


def valid_on(node: Node, day: str) -> bool:
    """Whether the unit existed on the day (ISO); units without dates always did."""
    start, until = node.properties.get("valid_from"), node.properties.get("valid_until")
    return (start is None or start <= day) and (until is None or day <= until)


def proper_name(name: str) -> str:
    """A unit's name without its level words: 'Thị xã Kỳ Anh' → 'Kỳ Anh', 'Quận 3' → '3' (the level
    is written first, its later words in lower case; the proper name starts upper case or with a digit)."""
    words = name.split()
    start = next((i for i, w in enumerate(words) if i > 0 and not w.islower()), len(words))
    return " ".join(words[start:])


def took_over(links: LocalityLinks, old_id: str, new_id: str) -> bool:
    """Whether a 2025 unit is a former one carried on, and so has its agreements: it kept the former unit's
    name (Huyện Tuy Đức → Xã Tuy Đức, Tỉnh Gia Lai → Tỉnh Gia Lai), or was made of it alone under a new name
    (Tỉnh Thừa Thiên Huế → Thành phố Huế). A unit merged into one under another name is not that unit: an
    official asking about it means the agreements that name it, not those of the units it absorbed (a
    province's partners are not those of a province merged into it). Its old name still finds them."""
    if proper_name(links.nodes[old_id].name) == proper_name(links.nodes[new_id].name):
        return True
    # the store holds only the units documents name, so a renaming is read from the unit (set from the gazetteer)
    return links.nodes[old_id].properties.get("renamed_to") == links.nodes[new_id].name


def succession_note(links: LocalityLinks, old_id: str, new_ids: list[str]) -> str:
    """How a former unit went into new ones:
    'Huyện Tuy Đức, Tỉnh Đắk Nông (until 2025-06-30) → now part of Tỉnh Lâm Đồng: Xã Quảng Tân'."""
    old = links.nodes[old_id]
    until = old.properties.get("valid_until")
    head = f"{links.label(old_id)}" + (f" (until {until})" if until else "")
    new = [links.nodes[i] for i in new_ids]
    provinces = [n for n in new if n.properties.get("level") == "province"]
    if provinces:
        return f"{head} → now part of {', '.join(n.name for n in provinces)}"
    homes = list(dict.fromkeys(links.nodes[links.parent[i]].name for i in new_ids if i in links.parent))
    where = f"part of {', '.join(homes)}: " if homes else ""
    return f"{head} → now {where}{', '.join(n.name for n in new)}"


def scope(asked: list[str], links: LocalityLinks, within: bool = False,
          as_of: str | None = None) -> dict[str, str | None]:
    """The localities a question about ``asked`` covers, each with how it is linked (None: asked itself).

    The units asked, the former units they carry on in the 2025 reorganisation (``took_over``), and,
    with ``within``, the former units wholly inside them and every unit inside any of these. With ``as_of``, only the units that existed that
    day are taken as asked (when the name names any such unit). A unit's successor is not covered:
    a unit that ceased on 2025-06-30 signed nothing its successor signed, before or after."""
    chosen = _chosen(asked, links, as_of)
    covered: dict[str, str | None] = {i: None for i in chosen}
    for unit in chosen:
        for old in links.predecessors.get(unit, []):
            # asked within, the area counts: a former unit wholly inside the asked one as well
            if took_over(links, old, unit) or (within and links.successors.get(old) == [unit]):
                covered.setdefault(old, succession_note(links, old, [unit]))
    if within:
        todo = list(covered)
        while todo:
            outer = todo.pop()
            for inner in links.children.get(outer, []):
                if inner not in covered:
                    covered[inner] = f"{links.label(inner)} (within {links.nodes[outer].name})"
                    todo.append(inner)
    return covered


def _chosen(asked: list[str], links: LocalityLinks, as_of: str | None) -> list[str]:
    """The units asked; with ``as_of``, those that existed that day (when the name names any such unit)."""
    chosen = [i for i in asked if i in links.nodes]
    if as_of is None:
        return chosen
    return [i for i in chosen if valid_on(links.nodes[i], as_of)] or chosen


def absorbed(asked: list[str], links: LocalityLinks, as_of: str | None = None) -> set[str]:
    """The former units wholly merged into the units asked under another name: not theirs to answer for, but
    no partner of theirs either once they are one unit (across the table, they count only where the asked
    unit signed itself, before the merger)."""
    return {old for unit in _chosen(asked, links, as_of) for old in links.predecessors.get(unit, [])
            if links.successors.get(old) == [unit] and not took_over(links, old, unit)}


def current_label(place: Node, label: str) -> str:
    """A former unit by the unit it is part of since the reorganisation, its own name after it:
    a renamed unit (Tỉnh Thừa Thiên Huế → Thành phố Huế) or a province merged into another
    ('Tỉnh Tây Ninh (Tỉnh Long An until 2025-06-30)'). Districts and communes, split among
    several new units, keep their own name."""
    props = place.properties
    new_name = props.get("renamed_to") or (props.get("successor_name") if props.get("level") == "province" else None)
    if not new_name or new_name == place.name:
        return label
    until = props.get("valid_until")
    return f"{new_name} ({label}" + (f" until {until})" if until else ")")


def signed_by(agreement: Node, as_of: str | None, party_places: list[Node]) -> bool:
    """Whether an agreement had been signed on the day. One without a date counts when the
    units that signed it existed that day (a 2025 commune signed nothing in 2024)."""
    signed = agreement.properties.get("date_signed")
    if as_of is None:
        return True
    return str(signed) <= as_of if signed else all(valid_on(place, as_of) for place in party_places)


def partner_answers(covered: dict[str, str | None],
                    agreements: list[tuple[Node, list[tuple[Relationship, Node]]]],
                    place_of: Callable[[Node], Node | None], label: Callable[[Node], str],
                    as_of: str | None = None, merged: frozenset[str] = frozenset()) -> list[PartnerAnswer]:
    """Partners of the covered localities: the localities across the table in their agreements.

    ``agreements`` are agreements with their PARTY links; ``place_of`` gives a party's locality
    (itself, or the one a body serves); ``label`` a locality's display name; ``merged`` the units
    merged into the asked ones (``absorbed``)."""
    found: dict[str, list[tuple[Node, str, list[Source]]]] = defaultdict(list)
    notes: dict[str, list[str]] = defaultdict(list)
    for agreement, party_links in agreements:
        sides = {node.id: rel.properties.get("side") for rel, node in party_links}
        parties = [node for _, node in party_links]
        own_places = {p.id: place for p in parties if (place := place_of(p)) is not None and place.id in covered}
        if not own_places or not signed_by(agreement, as_of, list(own_places.values())):
            continue
        # A unit merged into the asked one in 2025 was a partner before it: when the asked unit
        # signed itself, such a unit across the table is still its partner.
        asked_places = {pid: place for pid, place in own_places.items() if covered[place.id] is None}
        own_places = asked_places or own_places
        own = [p for p in parties if p.id in own_places]
        how = [note for place in own_places.values() if (note := covered[place.id]) is not None]
        for party in answers.counterparts(parties, own, sides):
            place = place_of(party)
            inside = place is not None and (covered.get(place.id) is not None or place.id in merged)
            if place is not None and ((place.id not in covered and not inside) or (asked_places and inside)):
                # Reached through the asked unit's predecessor, the question is about today's units.
                name = label(place) if asked_places or not how else current_label(place, label(place))
                found[place.id].append((agreement, name, agreement.sources))
                notes[place.id] += [n for n in how if n not in notes[place.id]]
    result = answers.partners(found)
    for item in result:
        item.link = "; ".join(notes[item.locality_id]) or None
    return result
