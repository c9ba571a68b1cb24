"""Building one document's graph: nodes and relationships with their sources.

Every fact added here carries the document's name and the quote it was read from; a
fact seen twice in the document keeps both quotes. Localities bring their parents and
the units the 2025 reorganisation links them to; organizations bring the locality they serve.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graph.model import DocumentGraph, MergeDecision, Node, Relationship, Source, relationship_id, stable_id
from graph.text import fold
from ingest.gazetteer import BEFORE, REORGANISED, Unit, parent, predecessors, successors
from ingest.localities import provinces_by_short
from ingest.orgs import OrgRef, answered_name, shown_name


def _short_is_unambiguous(unit: Unit) -> bool:
    """Whether the bare name ('Tuy Đức') may stand for the unit: a province's always; a
    district's unless a province has it ('Bắc Kạn' is the province, not its city); a
    commune's never (communes are named with their type word)."""
    if unit.level == "province":
        return True
    return unit.level == "district" and fold(unit.short) not in provinces_by_short()


def _renamed_to(unit: Unit) -> str | None:
    """The new name of a former unit that the reorganisation only renamed (its one successor
    was made of it alone: Tỉnh Thừa Thiên Huế became Thành phố Huế); None otherwise."""
    if unit.period != BEFORE:
        return None
    after = successors(unit)
    if len(after) != 1 or predecessors(after[0]) != [unit] or after[0].name == unit.name:
        return None
    return after[0].name


class GraphBuilder:
    """Collects one document's nodes and relationships."""

    def __init__(self, document: str, locate: Callable[[str], int | None] | None = None) -> None:
        self.document = document
        self.locate = locate  # the page a quote is on, for documents with pages
        self.table_rows: dict[str, tuple[int | None, int | None]] = {}
        self.nodes: dict[str, Node] = {}
        self.relationships: dict[str, Relationship] = {}
        self.decisions: list[MergeDecision] = []
        self.warnings: list[str] = []
        # (fact id, quote) pairs already in a fact's sources: a set lookup instead of comparing
        # pydantic objects one by one, which made a large table's ingest grow with its square
        self._quoted: set[tuple[str, str]] = set()
        # a quote as given -> as kept (spaces folded, cut), and a kept quote -> its Source: a table row's
        # quote supports some forty facts, and a Source is immutable, so one is made per quote
        self._kept_quotes: dict[str, str] = {}
        self._sources: dict[str, Source] = {}
        # (step, unit id, quote) of the locality steps done: a table row names the same units again
        # and again (a body's province, a place's parents and successors), and each step done
        # again with the same quote would change nothing
        self._units_written: set[tuple[str, str, str]] = set()
        # (step, unit id) -> the ids of the facts the step writes: done again with another quote, a
        # step writes the same facts (a unit's properties and aliases do not change), so it only
        # adds the quote to them, instead of building every node and relationship id again
        self._unit_facts: dict[tuple[str, str], list[str]] = {}
        # organization id -> each name it is written by ('Ủy ban MTTQ tỉnh X' or in full) -> the quotes writing it
        self._written_names: dict[str, dict[str, set[str]]] = {}

    def guarded(self, step: Callable[..., None], *args: Any) -> None:
        """Run one reading step; if it fails, note why and keep what the other steps read."""
        try:
            step(*args)
        except Exception as exc:  # a reader's defect must not lose the rest of the document
            self.warnings.append(f"{step.__name__.strip('_').replace('_', ' ')} skipped: {type(exc).__name__}: {exc}")

    def kept_quote(self, quote: str) -> str:
        """The quote as a source keeps it (spaces squeezed, at most 500 characters)."""
        kept = self._kept_quotes.get(quote)
        if kept is None:
            kept = self._kept_quotes[quote] = " ".join(quote.split())[:500]
        return kept

    def _add_source(self, fact_id: str, sources: list[Source], quote: str) -> None:
        """Add the quote to a fact's sources unless the fact already has it."""
        kept = self.kept_quote(quote)
        if (fact_id, kept) not in self._quoted:
            self._quoted.add((fact_id, kept))
            source = self._sources.get(kept)
            if source is None:
                source = self._sources[kept] = self._source(kept)
            sources.append(source)

    def read_row(self, quote: str, page: int | None, row: int | None, cells: list[str]) -> None:
        """Note where a table row was read (its page, its place in the table): facts quoting the
        row or one of its cells say so. A cell repeated further down keeps the row it was written in."""
        for text in (quote, *cells):
            if (key := " ".join(text.split())[:500]) and key not in self.table_rows:
                self.table_rows[key] = (page, row)
                self._sources.pop(key, None)  # made before its row was known: made again with it

    def _source(self, text: str) -> Source:
        page, row = self.table_rows.get(text) or (self.locate(text) if self.locate else None, None)
        return Source(document=self.document, quote=text, page=page, row=row)

    def node(self, node_id: str, kind: str, name: str, quote: str, aliases: list[str] | None = None,
             **properties: Any) -> str:
        """Add a node, or add a quote, aliases and missing properties to the one already there."""
        node = self.nodes.get(node_id)
        if node is None:
            node = Node(id=node_id, kind=kind, name=name, properties={}, sources=[])
            self.nodes[node_id] = node
        for alias in [name, *(aliases or [])]:
            if alias and alias != node.name and alias not in node.aliases:
                node.aliases.append(alias)
        for key, value in properties.items():
            if value not in (None, "", []) and key not in node.properties:
                node.properties[key] = value
        self._add_source(node_id, node.sources, quote)
        return node_id

    def rel(self, rel_type: str, start: str, end: str, quote: str, key: str = "", **properties: Any) -> str:
        """Add a relationship (one per type, ends and key), merging quotes and properties."""
        rel_id = relationship_id(rel_type, start, end, key)
        rel = self.relationships.get(rel_id)
        if rel is None:
            rel = Relationship(id=rel_id, type=rel_type, start=start, end=end, properties={}, sources=[])
            self.relationships[rel_id] = rel
        for k, value in properties.items():
            if value not in (None, "", []) and k not in rel.properties:
                rel.properties[k] = value
        self._add_source(rel_id, rel.sources, quote)
        return rel_id

    def locality(self, unit: Unit, quote: str) -> str:
        """A locality node with its parents (PART_OF) and the units on the other side of the 2025
        reorganisation: its successors, or its predecessors (SUCCEEDED_BY, one step each way)."""
        if self._already_written("locality", unit.node_id, quote) or self._quoted_again("locality", unit, quote):
            return unit.node_id
        facts = [*self._unit_facts_of(self._unit(unit, quote))]
        for successor in successors(unit):
            later = self._unit(successor, quote)
            facts += [self.rel("SUCCEEDED_BY", unit.node_id, later, quote, since=REORGANISED),
                      *self._unit_facts_of(later)]
        for predecessor in predecessors(unit):
            earlier = self._unit(predecessor, quote)
            facts += [self.rel("SUCCEEDED_BY", earlier, unit.node_id, quote, since=REORGANISED),
                      *self._unit_facts_of(earlier)]
        self._unit_facts["locality", unit.node_id] = facts
        return unit.node_id

    def _unit_facts_of(self, unit_id: str) -> list[str]:
        return self._unit_facts["unit", unit_id]

    def _quoted_again(self, step: str, unit: Unit, quote: str) -> bool:
        """Whether the step was done before (with another quote): then the quote is added to its facts."""
        facts = self._unit_facts.get((step, unit.node_id))
        if facts is None:
            return False
        for fact_id in facts:
            fact = self.nodes.get(fact_id) or self.relationships[fact_id]
            self._add_source(fact_id, fact.sources, quote)
        return True

    def _already_written(self, step: str, unit_id: str, quote: str) -> bool:
        """Whether the step was done for this unit with this quote; notes it as done."""
        done = (step, unit_id, quote) in self._units_written
        self._units_written.add((step, unit_id, quote))
        return done

    def _unit(self, unit: Unit, quote: str) -> str:
        """A locality node with its level, period, code and coordinates, PART_OF its parents."""
        if self._already_written("unit", unit.node_id, quote) or self._quoted_again("unit", unit, quote):
            return unit.node_id
        above = parent(unit)
        self.node(unit.node_id, "Locality", unit.name, quote,
                  aliases=[unit.in_running_text] + ([unit.short] if _short_is_unambiguous(unit) else []),
                  level=unit.level, period=unit.period, code=unit.code, latitude=unit.latitude,
                  longitude=unit.longitude, parent_code=above.code if above else None,
                  valid_from=unit.valid_from, valid_until=unit.valid_until,
                  successor_code=unit.successor_code if unit.period == BEFORE else None,
                  successor_name=unit.successor_name if unit.period == BEFORE else None,
                  renamed_to=_renamed_to(unit))
        facts = [unit.node_id]
        if above is not None:
            above_id = self._unit(above, quote)
            facts += [self.rel("PART_OF", unit.node_id, above_id, quote), *self._unit_facts_of(above_id)]
        self._unit_facts["unit", unit.node_id] = facts
        return unit.node_id

    def organization(self, org: OrgRef, quote: str) -> str:
        """An organization node with the locality it serves (OF). Its name is the one the document writes most
        often (``build`` chooses it); the others are aliases."""
        aliases = [org.body] if org.locality is None else []
        if org.acronym:
            aliases.append(org.acronym)
        shown = shown_name(org, quote)
        self._written_names.setdefault(org.node_id, {}).setdefault(shown, set()).add(quote)
        self.node(org.node_id, "Organization", org.name, quote, aliases=aliases + [shown], category=org.category,
                  acronym=org.acronym, locality_code=org.locality.code if org.locality else None)
        if org.locality is not None:
            self.rel("OF", org.node_id, self.locality(org.locality, quote), quote)
        if org.parent is not None:
            self.rel("PART_OF", org.node_id, self.organization(org.parent, quote), quote)
        return org.node_id

    def written_as(self, org: OrgRef, quote: str) -> dict[str, str]:
        """The body's name as this quote writes it ('Ủy ban nhân dân Thành phố Đà Nẵng (UBND TP Đà Nẵng)' or 'Ủy ban
        nhân dân thành phố Đà Nẵng'), for a relationship to show where the node's name is chosen over all documents;
        for a body named without its place, which resolution may still place, only a name carrying the quote's
        short form ('Bệnh viện X (BV X)')."""
        answered = answered_name(org, quote)
        return {"organization": answered} if org.locality is not None or answered != shown_name(org, quote) else {}

    def party(self, party: Unit | OrgRef, quote: str) -> str:
        return self.locality(party, quote) if isinstance(party, Unit) else self.organization(party, quote)

    def sector(self, name: str, quote: str) -> str:
        return self.node(stable_id("sector", name), "Sector", name, quote)

    def decide(self, kind: str, kept: str, merged: str, decision: str, reason: str) -> None:
        self.decisions.append(MergeDecision(kind=kind, kept=kept, merged=merged, decision=decision, reason=reason))

    def resolve_bare_organizations(self) -> None:
        """One body, one node: "Bệnh viện X" named without its locality in one sentence is the
        "Bệnh viện X tỉnh Y" the document names elsewhere, when exactly one such body exists."""
        orgs = [n for n in self.nodes.values() if n.kind == "Organization"]
        for bare in [o for o in orgs if not o.properties.get("locality_code")]:
            located = [o for o in orgs if o.properties.get("locality_code") and o.id != bare.id
                       and fold(o.name).startswith(fold(bare.name) + " ")
                       and o.properties.get("category") == bare.properties.get("category")]
            if len(located) == 1:
                self._merge_node(bare.id, located[0].id)
                self.decide("Organization", located[0].id, bare.id, "yes",
                            f"'{bare.name}' has no locality; the document names '{located[0].name}'")

    def _merge_node(self, old: str, new: str) -> None:
        node, target = self.nodes.pop(old), self.nodes[new]
        target.aliases += [a for a in [node.name, *node.aliases] if a != target.name and a not in target.aliases]
        for source in node.sources:
            self._add_source(new, target.sources, source.quote)
        for rel in [r for r in self.relationships.values() if old in (r.start, r.end)]:
            del self.relationships[rel.id]
            start, end = (new if rel.start == old else rel.start), (new if rel.end == old else rel.end)
            moved = rel.model_copy(update={"id": relationship_id(rel.type, start, end, rel.id), "start": start, "end": end})
            self.relationships.setdefault(moved.id, moved)

    def _name_as_written(self) -> None:
        """Each organization named as the document writes it most often (the first so written on a tie)."""
        for org_id, written in self._written_names.items():
            node = self.nodes.get(org_id)
            if node is None:
                continue  # merged into the body the document names with its place
            shown = max(written, key=lambda name: len(written[name]))
            if shown != node.name:
                node.aliases = [a for a in [node.name, *node.aliases] if a != shown]
                node.name = shown

    def build(self, sha256: str) -> DocumentGraph:
        self._name_as_written()
        self.resolve_bare_organizations()
        return DocumentGraph(document=self.document, sha256=sha256, nodes=list(self.nodes.values()),
                             relationships=list(self.relationships.values()), merge_decisions=self.decisions)
