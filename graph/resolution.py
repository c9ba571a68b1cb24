"""One entity across documents: candidates, judgements and the merged view (after nomenklatura).

Each document is read on its own; its organizations, people and agreements get ids from what
that document says (``mention ids``). Resolution works in three separate steps:

1. ``xref`` proposes candidate pairs from an index of blocking keys (folded name parts, the
   initials of a name, an acronym's full name, an agreement's parties), never all pairs, and
   a rule scores each pair from evidence (rapidfuzz name similarity; organizations, titles,
   phones, localities; parties and dates) as ``same``, ``different`` or ``unsure``.
2. Judgements are data: stored with the store (``GraphStore.save_judgements``), each with both
   ids, score, evidence, who decided (``rule`` or ``person:NAME``) and when. A person's judgement
   outranks the rule's for the same pair, and is never recomputed.
3. ``clusters`` turns the judgements into one canonical id per entity, and ``apply`` rewrites a
   document's graph with them, so every backend stores and answers the merged view; the merged
   node lists the ids documents used (``mentions``) and the documents as read stay in the store
   (``GraphStore.mention_graphs``), so any judgement can be taken back.

Organizations are resolved first, then people (whose evidence is their resolved organizations),
then agreements (whose identity is their resolved parties and their date or period).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from itertools import combinations

from pydantic import BaseModel
from rapidfuzz import fuzz

from graph.claims import merge_node, merge_relationship
from graph.model import (
    DocumentGraph,
    Judgement,
    Node,
    Relationship,
    RemoveSummary,
    WriteSummary,
    relationship_id,
    stable_id,
)
from graph.store import GraphStore
from graph.text import DATA, fold, read_table, strip_marks

RESOLVED_KINDS = ("Organization", "Person", "Agreement")  # in this order: each uses the ones before
RULE = "rule"
SAME, DIFFERENT, UNSURE = "same", "different", "unsure"
# A block larger than this is a key too common to tell anything ("nguyen van"): other keys cover it.
MAX_BLOCK = 60
PERSON_NAME_FLOOR = 85  # rapidfuzz ratio below which two names are not compared at all
ORG_SAME, ORG_UNSURE = 95, 88  # token-sort ratio of folded organization names
SKIPPED_WORDS = frozenset({"va", "&"})  # "Kế hoạch và Đầu tư" is KH&ĐT: "và" gives no initial


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- evidence -------------------------------------------------------------------------------


@dataclass
class Profile:
    """What every document says about one mention id, gathered for comparison."""

    id: str
    kind: str
    names: list[str] = field(default_factory=list)  # as printed: names, aliases, acronym
    locality: set[str] = field(default_factory=set)  # organization: locality codes; person: provinces
    orgs: set[str] = field(default_factory=set)  # person: canonical organizations; organization: parents
    titles: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)  # digits only
    parties: tuple[str, ...] = ()
    dates: set[str] = field(default_factory=set)
    periods: set[str] = field(default_factory=set)

    @cached_property
    def folded(self) -> list[str]:
        """The names folded (read once the profile is complete: it is computed once)."""
        return [n for n in dict.fromkeys(fold(name) for name in self.names) if n]


def digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


@lru_cache(maxsize=1)
def known_acronyms() -> dict[str, str]:
    """Well-known acronyms (graph/data/organization_acronyms.csv): folded acronym -> folded full name."""
    return {fold(r["acronym"]): fold(r["name"]) for r in read_table(DATA / "organization_acronyms.csv")}


def _province(locality: Node | None) -> str | None:
    if locality is None:
        return None
    return locality.properties.get("parent_code") or locality.properties.get("code")


def profiles(kind: str, graphs: dict[str, DocumentGraph], canonical: dict[str, str]) -> dict[str, Profile]:
    """The evidence for every mention of one kind, over all documents (ids as the documents wrote them)."""
    found: dict[str, Profile] = {}
    for graph in graphs.values():
        nodes = {n.id: n for n in graph.nodes}
        out: dict[str, list[Relationship]] = defaultdict(list)
        inward: dict[str, list[Relationship]] = defaultdict(list)
        for rel in graph.relationships:
            out[rel.start].append(rel)
            inward[rel.end].append(rel)

        def locality_of(org_id: str) -> Node | None:
            return next((nodes.get(r.end) for r in out[org_id] if r.type == "OF"), None)

        for node in nodes.values():
            if node.kind != kind:
                continue
            profile = found.setdefault(node.id, Profile(node.id, kind))
            profile.names += [n for n in [node.name, *node.aliases] if n and n not in profile.names]
            if kind == "Organization":
                code = node.properties.get("locality_code")
                profile.locality |= {code} if code else set()
                if node.properties.get("acronym"):
                    profile.names.append(node.properties["acronym"])
                profile.orgs |= {canonical.get(r.end, r.end) for r in out[node.id] if r.type == "PART_OF"}
            elif kind == "Person":
                profile.phones |= {digits(p) for p in node.properties.get("phones") or [] if digits(p)}
                for rel in out[node.id]:
                    if rel.type == "HOLDS":
                        profile.orgs.add(canonical.get(rel.end, rel.end))
                        profile.titles.add(fold(rel.properties.get("title")))
                        province = _province(locality_of(rel.end))
                        profile.locality |= {province} if province else set()
                for rel in inward[node.id]:
                    if rel.type == "CONTACT":
                        profile.titles.add(fold(rel.properties.get("title")))
                        phone = digits(rel.properties.get("phone") or "")
                        profile.phones |= {phone} if phone else set()
                profile.titles.discard("")
            elif kind == "Agreement":
                parties = {canonical.get(r.end, r.end) for r in out[node.id] if r.type == "PARTY"}
                profile.parties = tuple(sorted(set(profile.parties) | parties))
                profile.dates |= {node.properties["date_signed"]} if node.properties.get("date_signed") else set()
                profile.periods |= {node.properties["period"]} if node.properties.get("period") else set()
    return found


# --- candidates -----------------------------------------------------------------------------


def _units(name: str) -> list[tuple[str, str | None]]:
    """A name as (initial, word) units: an upper-case abbreviation ("QLDA", "TP") gives one unit per
    letter with no word; any other word gives its initial and itself. "và" and "&" give none."""
    units: list[tuple[str, str | None]] = []
    for raw in re.findall(r"[^\W_]+|&", name):
        bare = strip_marks(raw).lower()
        if bare in SKIPPED_WORDS:
            continue
        if len(raw) >= 2 and raw.isupper():
            units += [(letter, None) for letter in bare]
        else:
            units.append((bare[0], bare))
    return units


def initials(name: str) -> str:
    """The initials a Vietnamese acronym is made of: "Ban Quản lý dự án" and "Ban QLDA" both give "bqlda"."""
    return "".join(letter for letter, _ in _units(name))


def abbreviates(a: str, b: str) -> bool:
    """Whether two names are one name, one of them shortening words to their initials
    ("Trung tâm PTQĐ tỉnh X" and "Trung tâm Phát triển quỹ đất tỉnh X")."""
    units_a, units_b = _units(a), _units(b)
    if len(units_a) != len(units_b) or len(units_a) < 2:
        return False
    for (letter_a, word_a), (letter_b, word_b) in zip(units_a, units_b, strict=True):
        if letter_a != letter_b:
            return False
        if word_a is not None and word_b is not None and fuzz.ratio(word_a, word_b) < 75:
            return False
    return True


def _person_keys(profile: Profile) -> set[str]:
    """Leave-one-word-out keys, and the name with only the start or the end of its last word:
    a name with one typo still shares a key with the name spelled right."""
    keys = set()
    for name in profile.folded:
        words = name.split()
        if len(words) < 2:
            continue
        keys |= {" ".join(words[:i] + words[i + 1:]) for i in range(len(words))}
        head, last = " ".join(words[:-1]), words[-1]
        keys |= {f"{head} {last[:2]}<", f"{head} >{last[-2:]}"}
    return keys


def _organization_keys(profile: Profile) -> set[str]:
    """Initials within the locality, and within any locality (so a body named without its
    locality meets the located one); a well-known acronym brings its full name's initials."""
    names = list(profile.names)
    names += [full for name in profile.folded if (full := known_acronyms().get(name))]
    places = sorted(profile.locality) or [""]
    keys = set()
    for name in names:
        code = initials(name)
        if len(code) >= 2:
            keys |= {f"{code}@{place}" for place in places} | {f"{code}@*"}
    return keys


def _agreement_keys(profile: Profile) -> set[str]:
    return {"|".join(profile.parties)} if profile.parties else set()


KEYS = {"Person": _person_keys, "Organization": _organization_keys, "Agreement": _agreement_keys}


def candidate_pairs(found: dict[str, Profile]) -> tuple[list[tuple[Profile, Profile]], dict[str, list[Profile]]]:
    """Pairs that share a blocking key (each pair once), and the blocks they came from."""
    blocks: dict[str, list[Profile]] = defaultdict(list)
    for profile in found.values():
        for key in KEYS[profile.kind](profile):
            blocks[key].append(profile)
    seen: set[tuple[str, str]] = set()
    pairs = []
    for members in blocks.values():
        if len(members) > MAX_BLOCK:
            continue
        for a, b in combinations(sorted(members, key=lambda p: p.id), 2):
            if (a.id, b.id) not in seen:
                seen.add((a.id, b.id))
                pairs.append((a, b))
    return pairs, blocks


# --- scoring --------------------------------------------------------------------------------


@dataclass
class Verdict:
    judgement: str
    score: float
    evidence: list[str]


def _name_similarity(a: Profile, b: Profile) -> float:
    return max((fuzz.ratio(x, y) for x in a.folded for y in b.folded), default=0.0)


def judge_organizations(a: Profile, b: Profile) -> Verdict | None:
    if a.locality and b.locality and not a.locality & b.locality:
        return None  # same-named bodies of different localities are different bodies: never candidates
    expanded_a = set(a.folded) | {known_acronyms()[n] for n in a.folded if n in known_acronyms()}
    expanded_b = set(b.folded) | {known_acronyms()[n] for n in b.folded if n in known_acronyms()}
    evidence: list[str] = []
    score = max((fuzz.token_sort_ratio(x, y) for x in expanded_a for y in expanded_b), default=0.0)
    if expanded_a & expanded_b:
        evidence.append("same name" if set(a.folded) & set(b.folded) else "a well-known acronym of the name")
        score = 100.0
    elif any(abbreviates(x, y) for x in a.names for y in b.names):
        evidence.append("one name abbreviates the other")
        score = max(score, 96.0)
    elif score >= ORG_UNSURE:
        evidence.append(f"names {score:.0f}% alike")
    else:
        return None
    if a.locality and b.locality:
        evidence.append("same locality")
        return Verdict(SAME if score >= ORG_SAME else UNSURE, score / 100, evidence)
    evidence.append("one of them names no locality")
    return Verdict(UNSURE, score / 100 * 0.9, evidence)


def _orgs_agree(a: set[str], b: set[str], parents: dict[str, set[str]]) -> bool:
    """The same organization, or one a part of the other ("Trung tâm X - Sở Y" and "Sở Y")."""
    return any(x == y or y in parents.get(x, set()) or x in parents.get(y, set()) for x in a for y in b)


def judge_people(a: Profile, b: Profile, parents: dict[str, set[str]]) -> Verdict | None:
    similarity = _name_similarity(a, b)
    if similarity < PERSON_NAME_FLOOR or len(a.folded[0].split()) != len(b.folded[0].split()):
        return None
    evidence = ["same name" if similarity == 100 else f"names {similarity:.0f}% alike"]
    shared_phone = a.phones & b.phones
    phone_conflict = bool(a.phones and b.phones and not shared_phone)
    orgs_agree = _orgs_agree(a.orgs, b.orgs, parents)
    orgs_conflict = bool(a.orgs and b.orgs and not orgs_agree)
    same_title = bool(a.titles & b.titles)
    if shared_phone:
        evidence.append("same phone")
    if phone_conflict:
        evidence.append("different phones")
    if orgs_agree:
        evidence.append("same organization")
    if orgs_conflict:
        evidence.append("different organizations")
    if same_title:
        evidence.append("same title")
    if a.locality & b.locality:
        evidence.append("same province")
    score = similarity / 100 * (0.6 + 0.2 * bool(shared_phone) + 0.15 * orgs_agree + 0.05 * same_title
                                - 0.2 * orgs_conflict - 0.1 * phone_conflict)
    score = round(max(0.0, min(1.0, score)), 4)
    if shared_phone and (not orgs_conflict or similarity == 100):
        return Verdict(SAME, score, evidence)  # a phone is further evidence even when organizations differ
    if orgs_conflict:
        return Verdict(DIFFERENT, score, evidence) if similarity == 100 else None
    if orgs_agree and not phone_conflict and (similarity == 100 or same_title):
        return Verdict(SAME, score, evidence)
    if orgs_agree or (similarity == 100 and (same_title or a.locality & b.locality)):
        return Verdict(UNSURE, score, evidence)
    return None


def _compatible(date: str, other: str) -> bool:
    return date.startswith(other) or other.startswith(date)


def _within(date: str, period: str) -> bool:
    years = re.findall(r"\d{4}", period)
    return bool(years) and years[0] <= date[:4] <= years[-1]


def judge_agreements(a: Profile, b: Profile, block: list[Profile]) -> Verdict | None:
    evidence = ["same parties"]
    if a.dates and b.dates:
        if any(_compatible(x, y) for x in a.dates for y in b.dates):
            return Verdict(SAME, 1.0, [*evidence, "same date"])
        return Verdict(DIFFERENT, 0.5, [*evidence, "signed on different dates: a renewal is another agreement"])
    if a.periods and b.periods and not a.periods & b.periods:
        return Verdict(DIFFERENT, 0.5, [*evidence, "different periods: a renewal is another agreement"])
    dated, other = (a, b) if a.dates else (b, a)
    if dated.dates and other.periods:
        if any(_within(d, p) for d in dated.dates for p in other.periods):
            return Verdict(SAME, 0.9, [*evidence, "signed within the period"])
        return Verdict(DIFFERENT, 0.5, [*evidence, "signed outside the period"])
    if a.periods & b.periods:
        return Verdict(SAME, 0.95, [*evidence, "same period"])
    signings = {min(p.dates or p.periods) for p in block if p.dates or p.periods}
    if len(signings) <= 1:
        return Verdict(SAME, 0.9, [*evidence, "one side gives no date; the parties signed only once"])
    return Verdict(UNSURE, 0.6, [*evidence, "one side gives no date; the parties signed more than once"])


# --- judgements and clusters ----------------------------------------------------------------


def rule_judgement_id(kind: str, left: str, right: str) -> str:
    return stable_id("judgement", kind, left, right, RULE)


def xref(graphs: dict[str, DocumentGraph], decided: list[Judgement]) -> list[Judgement]:
    """The rules' judgements over every candidate pair of the documents, kind after kind.

    ``decided`` are the people's judgements: they shape the clusters whose evidence later kinds use."""
    found: list[Judgement] = []
    stamp = now()
    for kind in RESOLVED_KINDS:
        canonical = clusters([*decided, *found])
        kind_profiles = profiles(kind, graphs, canonical)
        parents = {p.id: p.orgs for p in profiles("Organization", graphs, canonical).values()} \
            if kind == "Person" else {}
        pairs, blocks = candidate_pairs(kind_profiles)
        for a, b in pairs:
            if kind == "Organization":
                verdict = judge_organizations(a, b)
            elif kind == "Person":
                verdict = judge_people(a, b, parents)
            else:
                verdict = judge_agreements(a, b, blocks["|".join(a.parties)])
            if verdict is not None:
                found.append(Judgement(id=rule_judgement_id(kind, a.id, b.id), kind=kind, left=a.id, right=b.id,
                                       judgement=verdict.judgement, score=verdict.score, evidence=verdict.evidence,
                                       decided_by=RULE, decided_at=stamp))
    return found


def effective(judgements: Iterable[Judgement]) -> dict[tuple[str, str], Judgement]:
    """One judgement per pair: the latest person's, else the rule's."""
    chosen: dict[tuple[str, str], Judgement] = {}
    for j in judgements:
        pair = (min(j.left, j.right), max(j.left, j.right))
        current = chosen.get(pair)
        if current is None or _outranks(j, current):
            chosen[pair] = j
    return chosen


def _outranks(new: Judgement, old: Judgement) -> bool:
    if (new.decided_by == RULE) != (old.decided_by == RULE):
        return new.decided_by != RULE
    return new.decided_at >= old.decided_at


def clusters(judgements: Iterable[Judgement]) -> dict[str, str]:
    """Each id judged the same as another -> its cluster's canonical id (the smallest).

    People's "same" are joined first, then the rules' by score; two clusters are never joined
    when someone judged a member of one different from a member of the other (a person's
    "different" binds everything, a rule's binds the rules)."""
    chosen = effective(judgements)
    apart_for: dict[str, dict[str, set[str]]] = {RULE: defaultdict(set), "person": defaultdict(set)}
    for (a, b), j in chosen.items():
        if j.judgement == DIFFERENT:
            for rank in ("person", RULE) if j.decided_by != RULE else (RULE,):
                apart_for[rank][a].add(b)
                apart_for[rank][b].add(a)
    members: dict[str, set[str]] = {}
    root: dict[str, str] = {}

    def find(x: str) -> str:
        return root.setdefault(x, x)

    sames = sorted((j for j in chosen.values() if j.judgement == SAME),
                   key=lambda j: (j.decided_by == RULE, -j.score, min(j.left, j.right), max(j.left, j.right)))
    for j in sames:
        ra, rb = find(j.left), find(j.right)
        if ra == rb:
            continue
        group_a, group_b = members.get(ra, {ra}), members.get(rb, {rb})
        apart = apart_for["person" if j.decided_by != RULE else RULE]
        if any(other in group_b for x in group_a for other in apart.get(x, ())):
            continue
        joined = group_a | group_b
        for x in joined:
            root[x] = ra
        members[ra] = joined
        members.pop(rb, None)
    return {x: min(group) for group in members.values() for x in group if x != min(group)}


# --- the merged view ------------------------------------------------------------------------


def _holds_key(rel: Relationship) -> str:
    """The key ingest gives a relationship (a position is one per title), so that a renamed end
    gives the id the relationship would have had, and the same fact from two documents meets."""
    return fold(rel.properties.get("title")) if rel.type == "HOLDS" else ""


def apply(graph: DocumentGraph, canonical: dict[str, str]) -> DocumentGraph:
    """The document's graph with every resolved entity under its canonical id.

    A renamed node lists the id the document gave it in ``mentions``; two nodes of one document
    that are one entity become one node, and so do their relationships."""
    nodes: dict[str, Node] = {}
    for node in graph.nodes:
        target = canonical.get(node.id, node.id)
        if target != node.id:
            mentions = [*node.properties.get("mentions", []), node.id]
            node = node.model_copy(update={"id": target, "properties": {**node.properties, "mentions": mentions}})
        nodes[target] = merge_node({"a": nodes[target], "b": node}) if target in nodes else node
    rels: dict[str, Relationship] = {}
    for rel in graph.relationships:
        start, end = canonical.get(rel.start, rel.start), canonical.get(rel.end, rel.end)
        if (start, end) != (rel.start, rel.end):
            rel = rel.model_copy(update={"id": relationship_id(rel.type, start, end, _holds_key(rel)),
                                         "start": start, "end": end})
        rels[rel.id] = merge_relationship({"a": rels[rel.id], "b": rel}) if rel.id in rels else rel
    return graph.model_copy(update={"nodes": list(nodes.values()), "relationships": list(rels.values())})


def _ids(graph: DocumentGraph) -> set[str]:
    return {n.id for n in graph.nodes}


# --- what the pipeline, the command line and the API call -----------------------------------


def settle(store: GraphStore, written: DocumentGraph | None = None,
           before: dict[str, str] | None = None) -> WriteSummary | None:
    """Judge every candidate pair again, store the rules' judgements, and rewrite the documents
    whose entities changed cluster since ``before`` (the clusters the store was written with;
    by default those of the stored judgements) and ``written``, which was just read (and is
    used as given rather than read back from the store). Returns the summary of writing ``written``."""
    graphs = store.mention_graphs(skip=written.document) if written else store.mention_graphs()
    if written:
        graphs[written.document] = written
    stored = store.judgements()
    before = clusters(stored) if before is None else before
    people = [j for j in stored if j.decided_by != RULE]
    old_rules = {j.id: j for j in stored if j.decided_by == RULE}
    rules = []
    for j in xref(graphs, people):
        old = old_rules.get(j.id)
        unchanged = old is not None and (old.judgement, old.score, old.evidence) == (j.judgement, j.score, j.evidence)
        rules.append(old if unchanged else j)  # an unchanged decision keeps its time: re-ingest changes nothing
    store.drop_judgements(sorted(set(old_rules) - {j.id for j in rules}))
    store.save_judgements([j for j in rules if old_rules.get(j.id) is not j])
    after = clusters([*people, *rules])
    moved = {i for i in before.keys() | after.keys() if before.get(i, i) != after.get(i, i)}
    summary = None
    for name in sorted(graphs):
        is_written = written is not None and name == written.document
        if is_written or moved & _ids(graphs[name]):
            result = store.write_document(apply(graphs[name], after))
            summary = result if is_written else summary
    return summary


def write_document(store: GraphStore, graph: DocumentGraph) -> WriteSummary:
    """Store a document as read, resolve it against the store, and write its merged view."""
    store.save_mention_graph(graph)
    summary = settle(store, written=graph)
    assert summary is not None  # settle always writes the document it was given
    return summary


def remove_document(store: GraphStore, document: str) -> RemoveSummary:
    """Remove a document, then judge again what it supported (KeyError when unknown)."""
    summary = store.remove_document(document)
    store.drop_mention_graph(document)
    settle(store)
    return summary


class ReviewPair(BaseModel):
    """An unsure pair waiting for a person, with both entities as the store shows them now."""

    judgement: Judgement
    left: Node | None
    right: Node | None


def review_queue(store: GraphStore) -> list[ReviewPair]:
    """The pairs the rules were unsure about and nobody has judged, best score first."""
    chosen = effective(store.judgements())
    canonical = clusters(chosen.values())
    pairs = [j for j in chosen.values() if j.judgement == UNSURE
             and canonical.get(j.left, j.left) != canonical.get(j.right, j.right)]
    pairs.sort(key=lambda j: (-j.score, j.left, j.right))
    return [ReviewPair(judgement=j, left=store.node(canonical.get(j.left, j.left)),
                       right=store.node(canonical.get(j.right, j.right))) for j in pairs]


def decide(store: GraphStore, left: str, right: str, judgement: str, who: str) -> Judgement:
    """Record a person's judgement on two entities and rewrite what it changes."""
    if judgement not in (SAME, DIFFERENT):
        raise ValueError(f"a judgement is 'same' or 'different', not {judgement!r}")
    kinds = {n.id: n.kind for graph in store.mention_graphs().values() for n in graph.nodes}
    unknown = [i for i in (left, right) if i not in kinds]
    if unknown:
        raise KeyError(", ".join(unknown))
    kind = kinds[left]
    left, right = min(left, right), max(left, right)
    decided_by, decided_at = f"person:{who}", now()
    made = Judgement(id=stable_id("judgement", left, right, decided_by, decided_at), kind=kind, left=left,
                     right=right, judgement=judgement, score=1.0 if judgement == SAME else 0.0,
                     evidence=["decided by a person"], decided_by=decided_by, decided_at=decided_at)
    before = clusters(store.judgements())
    store.save_judgements([made])
    settle(store, before=before)
    return made


def undo(store: GraphStore, judgement_id: str) -> Judgement:
    """Take back a person's judgement (KeyError when there is none with this id)."""
    stored = store.judgements()
    found = next((j for j in stored if j.id == judgement_id and j.decided_by != RULE), None)
    if found is None:
        raise KeyError(judgement_id)
    store.drop_judgements([judgement_id])
    settle(store, before=clusters(stored))
    return found


def canonical_id(store: GraphStore, mention_id: str) -> str:
    """The id under which the store answers for an id a document gave."""
    return clusters(store.judgements()).get(mention_id, mention_id)


class Mention(BaseModel):
    """An entity as each document named it, and the entity the store answers with."""

    mention_id: str
    canonical_id: str
    documents: dict[str, Node]


def mention(store: GraphStore, mention_id: str) -> Mention | None:
    """Every document's own node for this id (None when no document gave it)."""
    found = {name: node for name, graph in sorted(store.mention_graphs().items())
             for node in graph.nodes if node.id == mention_id}
    if not found:
        return None
    return Mention(mention_id=mention_id, canonical_id=canonical_id(store, mention_id), documents=found)

