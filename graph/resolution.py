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

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
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
from graph.store import GraphStore, IndexEntry
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
    """What every document says about one mention id, gathered for comparison (two profiles are
    equal when their texts, ``profile_text``, are: sets compare whatever their order)."""

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


def _add_names(profile: Profile, names: Iterable[str | None]) -> None:
    profile.names += [n for n in dict.fromkeys(names) if n and n not in profile.names]


def document_profiles(graph: DocumentGraph) -> dict[tuple[str, str], Profile]:
    """What one document says about each of its organizations, people and agreements, by (kind, id).

    Other entities are named by the ids the document gave them (``orgs``, ``parties``): ``resolved``
    puts them under their canonical ids."""
    nodes = {n.id: n for n in graph.nodes}
    out: dict[str, list[Relationship]] = defaultdict(list)
    inward: dict[str, list[Relationship]] = defaultdict(list)
    for rel in graph.relationships:
        out[rel.start].append(rel)
        inward[rel.end].append(rel)

    def locality_of(org_id: str) -> Node | None:
        return next((nodes.get(r.end) for r in out[org_id] if r.type == "OF"), None)

    found: dict[tuple[str, str], Profile] = {}
    for node in nodes.values():
        if node.kind not in RESOLVED_KINDS:
            continue
        profile = found[(node.kind, node.id)] = Profile(node.id, node.kind)
        _add_names(profile, [node.name, *node.aliases])
        if node.kind == "Organization":
            code = node.properties.get("locality_code")
            profile.locality |= {code} if code else set()
            _add_names(profile, [node.properties.get("acronym")])
            profile.orgs |= {r.end for r in out[node.id] if r.type == "PART_OF"}
        elif node.kind == "Person":
            profile.phones |= {digits(p) for p in node.properties.get("phones") or [] if digits(p)}
            for rel in out[node.id]:
                if rel.type == "HOLDS":
                    profile.orgs.add(rel.end)
                    profile.titles.add(fold(rel.properties.get("title")))
                    province = _province(locality_of(rel.end))
                    profile.locality |= {province} if province else set()
            for rel in inward[node.id]:
                if rel.type == "CONTACT":
                    profile.titles.add(fold(rel.properties.get("title")))
                    phone = digits(rel.properties.get("phone") or "")
                    profile.phones |= {phone} if phone else set()
            profile.titles.discard("")
        else:
            profile.parties = tuple(sorted({r.end for r in out[node.id] if r.type == "PARTY"}))
            profile.dates |= {node.properties["date_signed"]} if node.properties.get("date_signed") else set()
            profile.periods |= {node.properties["period"]} if node.properties.get("period") else set()
    return found


def merged_profile(parts: Iterable[Profile]) -> Profile:
    """One mention's profile from what each document says, in the documents' order (names keep the
    order in which they first appear)."""
    merged: Profile | None = None
    for part in parts:
        merged = merged or Profile(part.id, part.kind)
        _add_names(merged, part.names)
        merged.locality |= part.locality
        merged.orgs |= part.orgs
        merged.titles |= part.titles
        merged.phones |= part.phones
        merged.parties = tuple(sorted(set(merged.parties) | set(part.parties)))
        merged.dates |= part.dates
        merged.periods |= part.periods
    if merged is None:
        raise ValueError("a profile needs at least one document's")
    return merged


def raw_profiles(graphs: dict[str, DocumentGraph]) -> dict[tuple[str, str], Profile]:
    """Every mention's profile over all documents (taken in the order of their names), by (kind, id)."""
    parts: dict[tuple[str, str], list[Profile]] = defaultdict(list)
    for name in sorted(graphs):
        for key, part in document_profiles(graphs[name]).items():
            parts[key].append(part)
    return {key: merged_profile(found) for key, found in parts.items()}


def resolved(profile: Profile, canonical: dict[str, str]) -> Profile:
    """The profile with the entities it names (organizations, parties) under their canonical ids."""
    return Profile(profile.id, profile.kind, list(profile.names), set(profile.locality),
                   {canonical.get(o, o) for o in profile.orgs}, set(profile.titles), set(profile.phones),
                   tuple(sorted({canonical.get(p, p) for p in profile.parties})), set(profile.dates),
                   set(profile.periods))


def profile_text(profile: Profile) -> str:
    """A profile as JSON (sets sorted: the same profile always gives the same text)."""
    return json.dumps({"id": profile.id, "kind": profile.kind, "names": profile.names,
                       **{name: sorted(getattr(profile, name)) for name in SET_FIELDS},
                       "parties": list(profile.parties)}, ensure_ascii=False)


# Writing a document reads again the profiles of the blocks it touches (about a hundred a document), mostly
# unchanged since the last time: each text is parsed once. The Profiles given are shared, so never changed in
# place (``resolved`` and ``merged_profile`` make new ones).
PROFILES_PARSED = 1 << 16


@lru_cache(maxsize=PROFILES_PARSED)
def profile_of_text(text: str) -> Profile:
    data = json.loads(text)
    return Profile(data["id"], data["kind"], data["names"], *(set(data[name]) for name in SET_FIELDS[:4]),
                   tuple(data["parties"]), *(set(data[name]) for name in SET_FIELDS[4:]))


SET_FIELDS = ("locality", "orgs", "titles", "phones", "dates", "periods")  # in Profile's order, around parties


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


def judge(kind: str, a: Profile, b: Profile, parents: dict[str, set[str]], block: list[Profile]) -> Verdict | None:
    """The rule's verdict on a candidate pair of one kind (``parents``: each organization's parents,
    for people; ``block``: every agreement with the same parties, for agreements)."""
    if kind == "Organization":
        return judge_organizations(a, b)
    if kind == "Person":
        return judge_people(a, b, parents)
    return judge_agreements(a, b, block)


def rule_judgement(kind: str, a: Profile, b: Profile, verdict: Verdict, stamp: str) -> Judgement:
    return Judgement(id=rule_judgement_id(kind, a.id, b.id), kind=kind, left=a.id, right=b.id,
                     judgement=verdict.judgement, score=verdict.score, evidence=verdict.evidence,
                     decided_by=RULE, decided_at=stamp)


def xref(graphs: dict[str, DocumentGraph], decided: list[Judgement]) -> list[Judgement]:
    """The rules' judgements over every candidate pair of the documents, kind after kind.

    ``decided`` are the people's judgements: they shape the clusters whose evidence later kinds use."""
    return xref_profiles(raw_profiles(graphs), decided)


def xref_profiles(raw: dict[tuple[str, str], Profile], decided: list[Judgement]) -> list[Judgement]:
    """``xref`` over the mentions' profiles (``raw_profiles``)."""
    found: list[Judgement] = []
    stamp = now()
    for kind in RESOLVED_KINDS:
        canonical = clusters([*decided, *found])
        kind_profiles = {i: resolved(p, canonical) for (k, i), p in raw.items() if k == kind}
        parents = {i: resolved(p, canonical).orgs for (k, i), p in raw.items() if k == "Organization"} \
            if kind == "Person" else {}
        pairs, blocks = candidate_pairs(kind_profiles)
        for a, b in pairs:
            verdict = judge(kind, a, b, parents, blocks["|".join(a.parties)] if kind == "Agreement" else [])
            if verdict is not None:
                found.append(rule_judgement(kind, a, b, verdict, stamp))
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
    used as given rather than read back from the store); then build the index again. Returns
    the summary of writing ``written``."""
    graphs = store.mention_graphs(skip=written.document) if written else store.mention_graphs()
    if written:
        graphs[written.document] = written
    stored = store.judgements()
    before = clusters(stored) if before is None else before
    people = [j for j in stored if j.decided_by != RULE]
    old_rules = {j.id: j for j in stored if j.decided_by == RULE}
    raw = raw_profiles(graphs)
    rules = [_kept(old_rules.get(j.id), j) for j in xref_profiles(raw, people)]
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
    entries = [BUILT]
    last: dict[tuple[str, str], str] = {}
    for name in sorted(graphs):
        parts = document_profiles(graphs[name])
        entries += _document_entries(name, parts)
        last.update(dict.fromkeys(parts, name))
    for key, profile in raw.items():
        entries += _profile_entries(profile, KEYS[key[0]](resolved(profile, after)), last[key])
    store.replace_index_entries(None, entries)
    return summary


def _kept(old: Judgement | None, new: Judgement) -> Judgement:
    """An unchanged decision keeps its time: re-ingest changes nothing."""
    unchanged = old is not None and (old.judgement, old.score, old.evidence) == (new.judgement, new.score, new.evidence)
    return old if unchanged and old is not None else new


# --- resolving one document against the store's index ---------------------------------------
#
# Writing a document judges only the pairs its document can change. The store keeps an index
# (``GraphStore.index_entries``) of what each document says about each mention (its part of the
# profile, and the ids it names), and of each mention's profile over all documents and its
# blocking keys. A document's write finds the mentions whose profile it changed, the blocks
# they leave and join, and judges again the pairs of those blocks that hold a changed mention
# (every pair of a block that crossed ``MAX_BLOCK``, and of an agreement's block, whose verdicts
# depend on the whole block). When organizations change cluster, the people who hold them and
# the agreements they are party to are judged again, and so are the people of an organization
# whose parents changed; then agreements, when people or organizations moved. The result is
# what ``xref`` over all documents gives (tests/test_resolution_incremental.py).

DOCUMENT, MENTION, REF, PROFILE, BLOCK, LAST = "document:", "mention:", "ref:", "profile:", "block:", "#last"
BUILT = IndexEntry("index", "index:built", "", "")  # written when the index holds every document
# Written with a document's entries, dropped once everything it changed is written: a write cut short
# leaves it, and the next write takes the full path, which builds the index again.
PENDING = "index:pending"


def _document_entries(document: str, parts: dict[tuple[str, str], Profile]) -> list[IndexEntry]:
    """A document's entries: its part of each mention's profile, and the ids each mention names."""
    owner = DOCUMENT + document
    entries = [IndexEntry(owner, f"{MENTION}{kind}:{i}", i, profile_text(p)) for (kind, i), p in parts.items()]
    entries += [IndexEntry(owner, REF + ref, i, kind) for (kind, i), p in parts.items()
                for ref in p.orgs | set(p.parties)]
    return entries


def _profile_owner(kind: str, mention_id: str) -> str:
    return f"{PROFILE}{kind}:{mention_id}"


def _profile_entries(profile: Profile, keys: Iterable[str], last: str) -> list[IndexEntry]:
    """A mention's profile over all documents (ids named as the documents wrote them), its blocking
    keys, and the last of its documents by name (a document after it adds to the profile as it is)."""
    owner = _profile_owner(profile.kind, profile.id)
    return [IndexEntry(owner, owner, profile.id, profile_text(profile)), IndexEntry(owner, owner + LAST, profile.id, last),
            *(IndexEntry(owner, f"{BLOCK}{profile.kind}:{key}", profile.id, "") for key in keys)]


Overlay = dict[str, Judgement | None]  # judgement id -> the judgement about to be saved, or None: about to be dropped


def _component(store: GraphStore, ids: Iterable[str], overlay: Overlay) -> tuple[dict[str, str], set[str]]:
    """The canonical ids of every id judged "same" as one of these through a chain of judgements, and
    those ids (with ``overlay`` applied to the stored judgements). Clusters never reach across such a
    chain, so the canonical ids are those of ``clusters`` over all judgements."""
    seen = set(ids)
    frontier = set(seen)
    judged: dict[str, Judgement] = {}
    while frontier:
        judged.update({j.id: j for j in store.judgements_about(frontier)})
        judged.update({i: j for i, j in overlay.items() if j is not None and {j.left, j.right} & frontier})
        for i in [i for i, j in overlay.items() if j is None]:
            judged.pop(i, None)
        reached = {end for j in judged.values() if j.judgement == SAME for end in (j.left, j.right)}
        frontier = reached - seen
        seen |= frontier
    return clusters(judged.values()), seen


def _canonical(store: GraphStore, ids: Iterable[str]) -> dict[str, str]:
    """The canonical id of each of these ids that is not its own."""
    found, _ = _component(store, ids, {})
    return found


def _moved(store: GraphStore, ids: set[str], overlay: Overlay) -> set[str]:
    """The ids whose canonical id the overlay's judgements change (``ids``: the ids they are about)."""
    reach = set(ids)
    while True:
        old, old_reach = _component(store, reach, {})
        new, new_reach = _component(store, reach, overlay)
        if old_reach | new_reach <= reach:
            return {i for i in reach if old.get(i, i) != new.get(i, i)}
        reach |= old_reach | new_reach


@dataclass
class KindChange:
    """What judging one kind again changed: the ids that changed cluster, and those whose profile changed."""

    moved: set[str]
    changed: set[str]


def _references(store: GraphStore, ids: Iterable[str], kind: str) -> set[str]:
    """Mentions of a kind that some document says hold, are part of, or are party to one of these ids."""
    return {e.member for e in store.index_entries(keys=[REF + i for i in ids]) if e.data == kind}


@dataclass
class Stored:
    """What the index holds about some mentions of a kind: profiles, blocking keys, last documents."""

    profiles: dict[str, Profile] = field(default_factory=dict)
    keys: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    last: dict[str, str] = field(default_factory=dict)


def _stored_profiles(store: GraphStore, kind: str, ids: Iterable[str]) -> Stored:
    found = Stored()
    prefix = f"{BLOCK}{kind}:"
    for entry in store.index_entries(owners=[_profile_owner(kind, i) for i in ids]):
        if entry.key == entry.owner:
            found.profiles[entry.member] = profile_of_text(entry.data)
        elif entry.key == entry.owner + LAST:
            found.last[entry.member] = entry.data
        else:
            found.keys[entry.member].add(entry.key.removeprefix(prefix))
    return found


def _current_profiles(store: GraphStore, kind: str, ids: Iterable[str]) -> tuple[dict[str, Profile], dict[str, str]]:
    """These mentions' profiles from what every document says now (a mention no document names has
    none), and the last of their documents by name."""
    parts: dict[str, list[str]] = defaultdict(list)
    last: dict[str, str] = {}
    for entry in store.index_entries(keys=[f"{MENTION}{kind}:{i}" for i in ids]):  # by owner: documents in order
        parts[entry.member].append(entry.data)
        last[entry.member] = entry.owner.removeprefix(DOCUMENT)
    profiles_now = {i: merged_profile(profile_of_text(text) for text in dict.fromkeys(texts)) for i, texts in parts.items()}
    return profiles_now, last


def _profiles_now(store: GraphStore, kind: str, stored: Stored, named: set[str], forced: set[str],
                  added: dict[str, Profile], document: str) -> tuple[dict[str, Profile], dict[str, str]]:
    """The profiles of these mentions now, and their last documents. A mention only ``forced`` kept its
    documents; one to which a document after all its others adds a part (``added``) is its stored profile
    and that part; the others are read from every document's part."""
    current = {i: stored.profiles[i] for i in forced - named if i in stored.profiles}
    last = {i: stored.last[i] for i in current}
    appended = {i for i in named if i in added and i in stored.profiles and stored.last[i] < document}
    current.update({i: merged_profile([stored.profiles[i], added[i]]) for i in appended})
    last.update(dict.fromkeys(appended, document))
    read, read_last = _current_profiles(store, kind, named - appended)
    return {**current, **read}, {**last, **read_last}


def _judge_kind(store: GraphStore, kind: str, named: set[str], forced: set[str], stamp: str,
                document: str, added: dict[str, Profile]) -> KindChange:
    """Judge again the pairs of one kind that a changed profile touches: ``named`` are mentions whose
    part ``document`` changed (judged again when their profile changed; ``added``: the parts it adds
    where it had none), ``forced`` mentions whose evidence changed through others (judged again in any
    case). Saves the judgements and the index."""
    ids = named | forced
    if not ids:
        return KindChange(set(), set())
    index = _stored_profiles(store, kind, ids)
    stored, old_keys = index.profiles, index.keys
    current, last = _profiles_now(store, kind, index, named, forced, added, document)
    changed = {i for i in named if (i in stored) != (i in current)
               or (i in current and stored[i] != current[i])}
    touched = changed | (forced & (stored.keys() | current.keys()))
    canonical = _canonical(store, {r for i in touched if i in current for r in current[i].orgs | set(current[i].parties)})
    new_keys = {i: KEYS[kind](resolved(current[i], canonical)) if i in current else set() for i in touched}
    moved = _judge_pairs(store, kind, touched, current, old_keys, new_keys, stamp) if touched else set()
    keys_now = {i: new_keys.get(i, old_keys.get(i, set())) for i in ids}
    rewritten = [i for i in ids if i not in stored or i not in current or keys_now[i] != old_keys.get(i, set())
                 or stored[i] != current[i] or last[i] != index.last.get(i)]
    if rewritten:
        store.replace_index_entries([_profile_owner(kind, i) for i in rewritten],
                                    [e for i in rewritten if i in current
                                     for e in _profile_entries(current[i], keys_now[i], last[i])])
    return KindChange(moved, changed)


def _judge_pairs(store: GraphStore, kind: str, touched: set[str], current: dict[str, Profile],
                 old_keys: dict[str, set[str]], new_keys: dict[str, set[str]], stamp: str) -> set[str]:
    """Judge again the pairs of the blocks the ``touched`` mentions leave or join that the change can
    alter; save the judgements that changed. Returns the ids whose canonical id changed."""
    keys = {k for i in touched for k in old_keys.get(i, set()) | new_keys[i]}
    cap = MAX_BLOCK + 1 + len(touched)
    members: dict[str, set[str]] = defaultdict(set)
    for entry in store.index_entries(keys=[f"{BLOCK}{kind}:{k}" for k in keys], limit=cap):
        members[entry.key.removeprefix(f"{BLOCK}{kind}:")].add(entry.member)
    blocks: dict[str, set[str]] = {}  # each changed block as it is now, when it holds at most MAX_BLOCK
    pairs: set[tuple[str, str]] = set()
    for key in keys:
        old = members[key]
        if len(old) >= cap:
            continue  # more than MAX_BLOCK before and after: no pair comes from it
        new = (old - touched) | {i for i in touched if key in new_keys[i]}
        for block, small in ((old, len(old) <= MAX_BLOCK), (new, len(new) <= MAX_BLOCK)):
            if not small:
                continue
            whole = kind == "Agreement" or (len(old) <= MAX_BLOCK) != (len(new) <= MAX_BLOCK)
            pairs |= {(min(a, b), max(a, b)) for a in (block if whole else block & touched) for b in block if a != b}
        if len(new) <= MAX_BLOCK:
            blocks[key] = new
    others = {i for pair in pairs for i in pair} - touched
    if kind == "Agreement":  # an agreement's verdict reads its whole block
        others |= {i for block in blocks.values() for i in block} - touched
    others_index = _stored_profiles(store, kind, others)
    others_stored, others_keys = others_index.profiles, others_index.keys
    raw = {**others_stored, **{i: current[i] for i in touched if i in current}}
    keys_of = {**others_keys, **new_keys}
    sizes = {key: len(block) for key, block in blocks.items()}
    unknown = {k for a, b in pairs for k in keys_of.get(a, set()) & keys_of.get(b, set()) if k not in keys}
    counted: dict[str, int] = defaultdict(int)
    for entry in store.index_entries(keys=[f"{BLOCK}{kind}:{k}" for k in unknown], limit=MAX_BLOCK + 1):
        counted[entry.key.removeprefix(f"{BLOCK}{kind}:")] += 1
    sizes.update({k: counted[k] for k in unknown})
    candidates = sorted((a, b) for a, b in pairs if any(
        sizes.get(k, MAX_BLOCK + 1) <= MAX_BLOCK for k in keys_of.get(a, set()) & keys_of.get(b, set())))
    canonical = _canonical(store, {r for i in {i for pair in candidates for i in pair} | {
        i for b in blocks.values() for i in b} if i in raw for r in raw[i].orgs | set(raw[i].parties)})
    profiles_now = {i: resolved(p, canonical) for i, p in raw.items()}
    parents: dict[str, set[str]] = {}
    if kind == "Person":
        held = {o for a, b in candidates for o in profiles_now[a].orgs | profiles_now[b].orgs}
        organizations = _stored_profiles(store, "Organization", held).profiles
        parent_canonical = _canonical(store, {o for p in organizations.values() for o in p.orgs})
        parents = {i: resolved(p, parent_canonical).orgs for i, p in organizations.items()}
    verdicts: dict[str, Judgement] = {}
    for a, b in candidates:
        block = [profiles_now[i] for i in sorted(blocks.get("|".join(profiles_now[a].parties), ()))]
        verdict = judge(kind, profiles_now[a], profiles_now[b], parents, block)
        if verdict is not None:
            made = rule_judgement(kind, profiles_now[a], profiles_now[b], verdict, stamp)
            verdicts[made.id] = made
    judged_ids = {rule_judgement_id(kind, a, b) for a, b in pairs}
    old_rules = {j.id: j for j in store.judgements_about({i for pair in pairs for i in pair})
                 if j.id in judged_ids and j.decided_by == RULE}
    overlay: Overlay = {i: None for i in old_rules.keys() - verdicts.keys()}
    overlay.update({i: j for i, j in verdicts.items() if _kept(old_rules.get(i), j) is j})
    moved = _moved(store, {end for j in [*old_rules.values(), *verdicts.values()] if j.id in overlay
                           for end in (j.left, j.right)}, overlay)
    dropped = sorted(i for i, j in overlay.items() if j is None)
    saved = [j for _, j in sorted(overlay.items()) if j is not None]
    if dropped:
        store.drop_judgements(dropped)
    if saved:
        store.save_judgements(saved)
    return moved


def _settle_document(store: GraphStore, graph: DocumentGraph) -> WriteSummary:
    """Resolve a document just read against the store's index, and write what moved (see above)."""
    owner = DOCUMENT + graph.document
    parts = document_profiles(graph)
    old = {e.key: e.data for e in store.index_entries(owners=[owner]) if e.key.startswith(MENTION)}
    entries = _document_entries(graph.document, parts)
    new = {e.key: e.data for e in entries if e.key.startswith(MENTION)}
    named: dict[str, set[str]] = defaultdict(set)
    for key in old.keys() | new.keys():
        if old.get(key) != new.get(key):
            kind, mention_id = key.removeprefix(MENTION).split(":", 1)
            named[kind].add(mention_id)
    if named:
        store.replace_index_entries([owner], [*entries, IndexEntry(PENDING + owner, PENDING, graph.document, "")])
    added = {(kind, i): part for (kind, i), part in parts.items() if f"{MENTION}{kind}:{i}" not in old}
    stamp = now()

    def judged(kind: str, forced: set[str]) -> KindChange:
        return _judge_kind(store, kind, named[kind], forced, stamp, graph.document,
                           {i: part for (k, i), part in added.items() if k == kind})

    organizations = judged("Organization", set())
    # people holding a moved organization, or one whose parents may have changed (the parents of
    # an organization are evidence about the people of the organizations it is part of)
    reparented = organizations.changed | _references(store, organizations.moved, "Organization")
    canonical, reach = _component(store, reparented, {})
    holders = {i for i in reach if canonical.get(i, i) in reparented} | reparented
    people = judged("Person", _references(store, organizations.moved | holders, "Person"))
    agreements = judged("Agreement", _references(store, organizations.moved | people.moved, "Agreement"))
    moved = organizations.moved | people.moved | agreements.moved
    documents = {e.owner.removeprefix(DOCUMENT) for e in store.index_entries(
        keys=[f"{MENTION}{kind}:{i}" for kind in RESOLVED_KINDS for i in moved])} - {graph.document}
    for other in store.mention_graphs(only=sorted(documents)).values():
        store.write_document(apply(other, _canonical(store, _ids(other))))
    summary = store.write_document(apply(graph, _canonical(store, _ids(graph))))
    if named:
        store.replace_index_entries([PENDING + owner], [])
    return summary


def write_document(store: GraphStore, graph: DocumentGraph) -> WriteSummary:
    """Store a document as read, resolve it against the store, and write its merged view.

    Against the store's index when it has one; else (a store written before the index existed,
    an empty one, or one whose last write was cut short) against every document, which builds
    the index."""
    with store.resolving():
        store.save_mention_graph(graph)
        if store.index_entries(keys=[BUILT.key, PENDING]) == [BUILT]:
            return _settle_document(store, graph)
        summary = settle(store, written=graph)
    assert summary is not None  # settle always writes the document it was given
    return summary


class _Refused(Exception):
    """The store refused the document at this place of a group."""

    def __init__(self, place: int, error: Exception) -> None:
        super().__init__(place, error)
        self.place, self.error = place, error


def write_documents(store: GraphStore, graphs: Iterable[DocumentGraph],
                    with_each: Callable[[DocumentGraph], None] | None = None) -> list[WriteSummary | Exception]:
    """``write_document`` for several documents (with ``with_each``, more of each to store), in one
    ``resolving``: on the embedded store one write transaction, whose commit, and the index pages every
    document touches again, are paid once; each document reads what the ones before it wrote. Nothing
    is stored until it commits. The outcome of a document the store refuses is its error: the group
    is rolled back and written again without it (a savepoint per document would copy each page a
    document changes once more), so the others still go in."""
    graphs = list(graphs)
    outcomes: dict[int, WriteSummary | Exception] = {}
    while True:
        try:
            with store.resolving():
                for place, graph in enumerate(graphs):
                    if isinstance(outcomes.get(place), Exception):
                        continue
                    try:
                        summary = write_document(store, graph)
                        if with_each is not None:
                            with_each(graph)
                    except Exception as exc:
                        raise _Refused(place, exc) from exc
                    # the first write's summary: a backend whose writes commit each on their own (Neo4j)
                    # finds the document unchanged when the group is written again
                    outcomes.setdefault(place, summary)
            return [outcomes[place] for place in range(len(graphs))]
        except _Refused as refused:
            outcomes[refused.place] = refused.error


def remove_document(store: GraphStore, document: str) -> RemoveSummary:
    """Remove a document, then judge again what it supported (KeyError when unknown)."""
    with store.resolving():
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
    with store.resolving():
        before = clusters(store.judgements())
        store.save_judgements([made])
        settle(store, before=before)
    return made


def undo(store: GraphStore, judgement_id: str) -> Judgement:
    """Take back a person's judgement (KeyError when there is none with this id)."""
    with store.resolving():
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

