"""The embedded store: a networkx graph persisted to one JSON file, no server needed.

Durability: every write goes to a temporary file that is fsynced and then renamed over
``graph.json``, so a writer killed at any moment leaves the previous state loadable.
Concurrency: writers hold an exclusive ``flock`` on ``.lock`` and reload the file before
changing it, so two processes writing at once both keep their documents; readers never
lock and reload whenever the file on disk has changed.
"""

from __future__ import annotations

import fcntl
import gc
import json
import os
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx

from graph import answers, localities
from graph.claims import merge_node, merge_relationship
from graph.matching import Match, rank
from graph.model import (
    AgreementAnswer,
    ContactAnswer,
    Counts,
    DocumentGraph,
    DocumentInfo,
    Graph,
    Judgement,
    LeadAnswer,
    Node,
    OrgTaskAnswer,
    PartnerAnswer,
    PersonAnswer,
    Relationship,
    RemoveSummary,
    SearchHit,
    TaskAnswer,
    WriteSummary,
)
from graph.store import GraphFilter, GraphStore

FORMAT_VERSION = 1
GRAPH_FILE = "graph.json"
# Resolution's own data (documents as read, judgements) lives beside the graph, not in it:
# it changes far less often and a judgement must survive every rewrite of the graph.
RESOLUTION_FILE = "resolution.json"
LOCK_FILE = ".lock"
TEMP_PREFIX = ".graph."
TEMP_SUFFIX = ".tmp"


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while loading: parsing and merging allocate millions
    of objects that hold no cycles, and every full collection on the way would walk them all."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _changed(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Ids whose claims differ between two versions of a claims table (added, changed or gone)."""
    return [i for i, claims in new.items() if old.get(i) != claims] + [i for i in old if i not in new]


class EmbeddedStore(GraphStore):
    """A GraphStore kept in memory as a networkx MultiDiGraph and persisted under ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self._file = self.path / GRAPH_FILE
        self._forget()
        self._refresh()

    def _forget(self) -> None:
        """Drop everything held in memory, so that the next access loads the file afresh."""
        self._stamp: tuple[int, int, int] | None = None
        self._documents: dict[str, str] = {}
        self._node_claims: dict[str, dict[str, dict[str, Any]]] = {}
        self._rel_claims: dict[str, dict[str, dict[str, Any]]] = {}
        self._merged_nodes: dict[str, Node] = {}
        self._merged_rels: dict[str, Relationship] = {}
        self._graph = nx.MultiDiGraph()

    # --- persistence ---------------------------------------------------------------
    def _disk_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = self._file.stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _refresh(self) -> None:
        """Reload from disk if another process (or a crash-free write) changed the file."""
        stamp = self._disk_stamp()
        if stamp == self._stamp:
            return
        with _collector_paused():
            if stamp is None:
                data: dict[str, Any] = {"documents": {}, "nodes": {}, "relationships": {}}
            else:
                data = json.loads(self._file.read_text(encoding="utf-8"))
                if data.get("version") != FORMAT_VERSION:
                    raise RuntimeError(f"{self._file}: unsupported store format {data.get('version')!r}")
            changed_nodes = _changed(self._node_claims, data["nodes"])
            changed_rels = _changed(self._rel_claims, data["relationships"])
            self._documents = data["documents"]
            self._node_claims = data["nodes"]
            self._rel_claims = data["relationships"]
            try:
                self._remerge(changed_nodes, changed_rels)
            except BaseException:
                self._forget()  # a claim that fails to merge must not leave a half-updated graph
                raise
            self._stamp = stamp

    def _save(self) -> None:
        payload = {
            "version": FORMAT_VERSION,
            "documents": self._documents,
            "nodes": self._node_claims,
            "relationships": self._rel_claims,
        }
        self._write_atomically(self._file, payload)
        self._stamp = self._disk_stamp()

    def _write_atomically(self, target: Path, payload: dict[str, Any]) -> None:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=self.path)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                # dumps, not dump: json.dump streams through the pure-Python encoder, ~10x slower.
                # Keys stay in insertion order: sorting them doubled the cost of every write.
                handle.write(json.dumps(payload, ensure_ascii=False))
                handle.flush()
                # Readers detect changes by (mtime, size, inode). Kernels stamp files with a
                # coarse clock and reuse freed inodes, so two same-size saves a few ms apart
                # could look identical; a nanosecond clock keeps every save's stamp distinct.
                now = time.time_ns()
                os.utime(handle.fileno(), ns=(now, now))
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        dir_fd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        with (self.path / LOCK_FILE).open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                self._sweep_temporary_files()
                self._refresh()
                yield
            except BaseException:
                # The change may be half applied in memory but is not on disk: reload next time.
                self._forget()
                raise
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _sweep_temporary_files(self) -> None:
        """Delete temporary files left by writers that were killed inside ``_save``.

        Only a writer holding the lock creates them, so while we hold it any that exist are dead."""
        for leftover in self.path.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
            leftover.unlink(missing_ok=True)

    def _remerge(self, node_ids: Iterable[str], rel_ids: Iterable[str]) -> None:
        """Merge again the claims of these nodes and relationships, and update the graph in place.

        Merging validates every claim, so a write (or a reload after another process's write)
        merges only what changed instead of the whole store."""
        graph = self._graph
        appeared: set[str] = set()
        for node_id in node_ids:
            claims = self._node_claims.get(node_id)
            if claims:
                if node_id not in graph:
                    appeared.add(node_id)
                node = merge_node({doc: Node.model_validate(c) for doc, c in claims.items()})
                self._merged_nodes[node_id] = node
                graph.add_node(node_id, node=node)
            else:
                self._merged_nodes.pop(node_id, None)
                if node_id in graph:
                    graph.remove_node(node_id)
        # A relationship is drawn once both its ends exist: new nodes may complete waiting ones.
        waiting = {i for i, r in self._merged_rels.items() if r.start in appeared or r.end in appeared}
        for rel_id in waiting.union(rel_ids):
            old = self._merged_rels.pop(rel_id, None)
            if old is not None and graph.has_edge(old.start, old.end, rel_id):
                graph.remove_edge(old.start, old.end, rel_id)
            claims = self._rel_claims.get(rel_id)
            if claims:
                rel = merge_relationship({doc: Relationship.model_validate(c) for doc, c in claims.items()})
                self._merged_rels[rel_id] = rel
                if rel.start in graph and rel.end in graph:
                    graph.add_edge(rel.start, rel.end, key=rel_id, rel=rel)

    # --- writing -------------------------------------------------------------------
    def write_document(self, doc: DocumentGraph) -> WriteSummary:
        new_nodes = {n.id: n.model_dump(mode="json") for n in doc.nodes}
        new_rels = {r.id: r.model_dump(mode="json") for r in doc.relationships}
        with self._write_lock():
            old_nodes = {i: c[doc.document] for i, c in self._node_claims.items() if doc.document in c}
            old_rels = {i: c[doc.document] for i, c in self._rel_claims.items() if doc.document in c}
            known = doc.document in self._documents
            if known and self._documents[doc.document] == doc.sha256 and old_nodes == new_nodes and old_rels == new_rels:
                return WriteSummary(document=doc.document, status="unchanged",
                                    nodes=len(new_nodes), relationships=len(new_rels))
            nodes_added = sum(1 for i in new_nodes if i not in self._node_claims)
            rels_added = sum(1 for i in new_rels if i not in self._rel_claims)
            self._drop_claims(doc.document)
            for node_id, claim in new_nodes.items():
                self._node_claims.setdefault(node_id, {})[doc.document] = claim
            for rel_id, claim in new_rels.items():
                self._rel_claims.setdefault(rel_id, {})[doc.document] = claim
            self._documents[doc.document] = doc.sha256
            self._save()
            self._remerge(old_nodes.keys() | new_nodes.keys(), old_rels.keys() | new_rels.keys())
        return WriteSummary(document=doc.document, status="replaced" if known else "added",
                            nodes_added=nodes_added, relationships_added=rels_added,
                            nodes=len(new_nodes), relationships=len(new_rels))

    def _drop_claims(self, document: str) -> tuple[int, int]:
        """Remove a document's claims; returns how many nodes and relationships disappeared."""
        deleted = [0, 0]
        for index, table in enumerate((self._node_claims, self._rel_claims)):
            for item_id in [i for i, c in table.items() if document in c]:
                del table[item_id][document]
                if not table[item_id]:
                    del table[item_id]
                    deleted[index] += 1
        return deleted[0], deleted[1]

    def remove_document(self, document: str) -> RemoveSummary:
        with self._write_lock():
            known = document in self._documents
            if known:
                node_ids = [i for i, c in self._node_claims.items() if document in c]
                rel_ids = [i for i, c in self._rel_claims.items() if document in c]
                nodes, rels = self._drop_claims(document)
                del self._documents[document]
                self._save()
                self._remerge(node_ids, rel_ids)
        if not known:  # raised outside the lock, which forgets what it holds on errors
            raise KeyError(document)
        return RemoveSummary(document=document, nodes_deleted=nodes, relationships_deleted=rels)

    def clear(self) -> None:
        with self._write_lock():
            node_ids, rel_ids = list(self._node_claims), list(self._rel_claims)
            self._documents, self._node_claims, self._rel_claims = {}, {}, {}
            self._save()
            (self.path / RESOLUTION_FILE).unlink(missing_ok=True)
            self._remerge(node_ids, rel_ids)

    def import_graph(self, graph: Graph) -> None:
        for doc in answers.split_by_document(graph):
            self.write_document(doc)

    # --- resolution data ----------------------------------------------------------------
    def _resolution(self) -> dict[str, dict[str, Any]]:
        try:
            return json.loads((self.path / RESOLUTION_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"mentions": {}, "judgements": {}}

    @contextmanager
    def _resolution_update(self) -> Iterator[dict[str, dict[str, Any]]]:
        with self._write_lock():
            data = self._resolution()
            yield data
            self._write_atomically(self.path / RESOLUTION_FILE, data)

    def mention_graphs(self) -> dict[str, DocumentGraph]:
        return {name: DocumentGraph.model_validate(graph) for name, graph in self._resolution()["mentions"].items()}

    def save_mention_graph(self, doc: DocumentGraph) -> None:
        with self._resolution_update() as data:
            data["mentions"][doc.document] = doc.model_dump(mode="json")

    def drop_mention_graph(self, document: str) -> None:
        with self._resolution_update() as data:
            data["mentions"].pop(document, None)

    def judgements(self) -> list[Judgement]:
        return [Judgement.model_validate(j) for _, j in sorted(self._resolution()["judgements"].items())]

    def save_judgements(self, judgements: list[Judgement]) -> None:
        with self._resolution_update() as data:
            data["judgements"].update({j.id: j.model_dump(mode="json") for j in judgements})

    def drop_judgements(self, ids: list[str]) -> None:
        with self._resolution_update() as data:
            for judgement_id in ids:
                data["judgements"].pop(judgement_id, None)

    def documents(self) -> list[DocumentInfo]:
        self._refresh()
        nodes: dict[str, int] = defaultdict(int)
        rels: dict[str, int] = defaultdict(int)
        for claims in self._node_claims.values():
            for doc in claims:
                nodes[doc] += 1
        for claims in self._rel_claims.values():
            for doc in claims:
                rels[doc] += 1
        return [DocumentInfo(document=d, sha256=s, nodes=nodes[d], relationships=rels[d])
                for d, s in sorted(self._documents.items())]

    # --- reading: helpers ------------------------------------------------------------
    def _node(self, node_id: str) -> Node:
        return self._graph.nodes[node_id]["node"]

    def _nodes_of(self, kinds: list[str] | None) -> list[Node]:
        return [d["node"] for _, d in self._graph.nodes(data=True) if not kinds or d["node"].kind in kinds]

    def _out(self, node_id: str, rel_type: str) -> list[tuple[Relationship, Node]]:
        return [(d["rel"], self._node(v)) for _, v, d in self._graph.out_edges(node_id, data=True)
                if d["rel"].type == rel_type]

    def _in(self, node_id: str, rel_type: str) -> list[tuple[Relationship, Node]]:
        return [(d["rel"], self._node(u)) for u, _, d in self._graph.in_edges(node_id, data=True)
                if d["rel"].type == rel_type]

    def _rank(self, text: str, kind: str) -> list[tuple[str, Match]]:
        candidates = [(n.id, [n.name, *n.aliases]) for n in self._nodes_of([kind])]
        return rank(text, kind, candidates)


    def _graph_of(self, node_ids: set[str]) -> Graph:
        nodes = [self._node(i) for i in sorted(node_ids)]
        rels = [d["rel"] for u, v, d in self._graph.edges(data=True) if u in node_ids and v in node_ids]
        return Graph(nodes=nodes, relationships=sorted(rels, key=lambda r: r.id))

    # --- reading: the graph ------------------------------------------------------------
    def node(self, node_id: str) -> Node | None:
        self._refresh()
        return self._node(node_id) if node_id in self._graph else None

    def search(self, text: str, kinds: list[str] | None = None, limit: int = 20) -> list[SearchHit]:
        self._refresh()
        hits: list[SearchHit] = []
        for kind in kinds or sorted({n.kind for n in self._nodes_of(None)}):
            for node_id, match in self._rank(text, kind):
                node = self._node(node_id)
                hits.append(SearchHit(id=node.id, kind=node.kind, name=node.name, score=match.score,
                                      sources=node.sources))
        hits.sort(key=lambda h: (-h.score, h.kind, h.id))
        return hits[:limit]

    def neighbourhood(self, node_id: str, depth: int = 1, limit: int = 500) -> Graph:
        self._refresh()
        if node_id not in self._graph:
            raise KeyError(node_id)
        undirected = self._graph.to_undirected(as_view=True)
        reached = nx.single_source_shortest_path_length(undirected, node_id, cutoff=depth)
        keep = sorted(reached, key=lambda i: (reached[i], i))[:limit]
        return self._graph_of(set(keep))

    def shortest_path(self, start_id: str, end_id: str) -> Graph | None:
        self._refresh()
        for node_id in (start_id, end_id):
            if node_id not in self._graph:
                raise KeyError(node_id)
        undirected = nx.Graph(self._graph.to_undirected(as_view=True))
        try:
            path = nx.shortest_path(undirected, start_id, end_id)
        except nx.NetworkXNoPath:
            return None
        nodes = [self._node(i) for i in path]
        rels = []
        for a, b in zip(path, path[1:]):
            edges = [d["rel"] for d in (self._graph.get_edge_data(a, b) or {}).values()]
            edges += [d["rel"] for d in (self._graph.get_edge_data(b, a) or {}).values()]
            rels.append(min(edges, key=lambda r: r.id))
        return Graph(nodes=nodes, relationships=rels)

    def counts(self) -> Counts:
        self._refresh()
        nodes: dict[str, int] = defaultdict(int)
        rels: dict[str, int] = defaultdict(int)
        for node in self._nodes_of(None):
            nodes[node.kind] += 1
        for _, _, d in self._graph.edges(data=True):
            rels[d["rel"].type] += 1
        return Counts(nodes=dict(sorted(nodes.items())), relationships=dict(sorted(rels.items())),
                      documents=len(self._documents))

    def subgraph(self, graph_filter: GraphFilter | None = None) -> Graph:
        self._refresh()
        chosen = graph_filter or GraphFilter()
        keep = set(self._graph.nodes)
        if chosen.sector or chosen.year or chosen.locality:
            seeds = {n.id for n in self._nodes_of(["Agreement", "Task"]) if self._selected(n, chosen)}
            keep = set(seeds)
            for seed in seeds:
                keep.update(self._graph.successors(seed))
                keep.update(self._graph.predecessors(seed))
        if chosen.kinds:
            keep = {i for i in keep if self._node(i).kind in chosen.kinds}
        return self._graph_of(keep)

    def _selected(self, node: Node, chosen: GraphFilter) -> bool:
        neighbours = [self._node(v) for v in self._graph.successors(node.id)]
        if chosen.sector and not any(n.kind == "Sector" and answers.same_name(chosen.sector, n) for n in neighbours):
            return False
        if chosen.year and not answers.in_year(node, chosen.year):
            return False
        if chosen.locality:
            places = {n.id for n in neighbours if n.kind == "Locality"}
            places |= {loc.id for n in neighbours if n.kind == "Organization"
                       for _, loc in self._out(n.id, "OF")}
            wanted = set(self._resolve(chosen.locality, ["Locality"]))
            if not places & wanted:
                return False
        return True

    # --- reading: the users' questions -----------------------------------------------
    def contacts(self, activity: str) -> list[ContactAnswer]:
        self._refresh()
        result = []
        for task_id, match in self._rank_tasks(activity):
            task = self._node(task_id)
            for rel, person in self._out(task_id, "CONTACT"):
                result.append(answers.contact(task, match.score, rel, person))
        return answers.sort_contacts(result)

    def lead(self, task: str) -> list[LeadAnswer]:
        self._refresh()
        result = []
        for task_id, match in self._rank_tasks(task):
            node = self._node(task_id)
            for rel, org in self._out(task_id, "LED_BY"):
                result.append(answers.lead(node, match.score, rel, org))
        return result

    def _locality_of(self, node: Node) -> Node | None:
        if node.kind == "Locality":
            return node
        places = self._out(node.id, "OF")
        return places[0][1] if places else None

    def _display(self, node: Node) -> str:
        if node.kind != "Locality":
            return node.name
        parents = [p for _, p in self._out(node.id, "PART_OF")]
        return answers.locality_label(node, parents[0] if parents else None)

    def partners(self, locality: str, within: bool = False, as_of: str | None = None) -> list[PartnerAnswer]:
        self._refresh()
        asked = self._resolve_party(locality, ["Locality"])
        covered = localities.scope(asked, localities.LocalityLinks.of(self._locality_graph()), within, as_of)
        agreements = [(a, self._out(a.id, "PARTY")) for a in self._nodes_of(["Agreement"])]
        return localities.partner_answers(covered, agreements, self._locality_of, self._display, as_of)

    def _locality_graph(self) -> Graph:
        """Every locality with its SUCCEEDED_BY and PART_OF links to other localities."""
        nodes = self._nodes_of(["Locality"])
        rels = [rel for n in nodes for rel_type in localities.LINK_TYPES
                for rel, other in self._out(n.id, rel_type) if other.kind == "Locality"]
        return Graph(nodes=nodes, relationships=rels)

    def _in_parties(self, agreement_id: str) -> list[Node]:
        return [node for _, node in self._out(agreement_id, "PARTY")]

    def agreements_between(self, party_a: str, party_b: str) -> list[AgreementAnswer]:
        self._refresh()
        side_a = set(self._resolve_party(party_a, ["Locality", "Organization"]))
        side_b = set(self._resolve_party(party_b, ["Locality", "Organization"]))
        result = []
        for agreement in self._nodes_of(["Agreement"]):
            parties = self._in_parties(agreement.id)
            direct = {p.id for p in parties}
            via = {loc.id for p in parties if (loc := self._locality_of(p)) is not None}
            if (direct & side_a and direct & side_b) or (via & side_a and via & side_b):
                closeness = 0 if (direct & side_a and direct & side_b) else 1
                sectors = [s.name for _, s in self._out(agreement.id, "COVERS")]
                result.append((closeness, answers.agreement(agreement, [self._display(p) for p in parties], sectors)))
        return answers.sort_agreements(result)

    def person(self, name: str) -> list[PersonAnswer]:
        self._refresh()
        result = []
        for person_id in self._resolve(name, ["Person"]):
            person = self._node(person_id)
            for rel, org in self._out(person_id, "HOLDS"):
                result.append(answers.position(person, rel, org))
        return answers.sort_positions(result, {o.id: o for o in self._nodes_of(["Organization"])})

    def org_tasks(self, organization: str) -> list[OrgTaskAnswer]:
        self._refresh()
        result = []
        for org_id in self._resolve(organization, ["Organization"]):
            org = self._node(org_id)
            for rel_type, role in (("LED_BY", "lead"), ("COORDINATED_BY", "coordinate")):
                for rel, task in self._in(org_id, rel_type):
                    result.append(answers.org_task(task, role, rel, org))
        return answers.sort_org_tasks(result)

    def _wanted(self, text: str | None, kinds: list[str]) -> set[str] | None:
        """Ids a filter text names; None when there is no filter (an empty set matches nothing)."""
        return None if text is None else set(self._resolve(text, kinds))

    def _with_ancestors(self, locality_ids: list[str]) -> set[str]:
        """The localities and every unit they are PART_OF (a district's province, its region)."""
        found: set[str] = set()
        todo = list(locality_ids)
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo.extend(parent.id for _, parent in self._out(current, "PART_OF"))
        return found

    def find_tasks(self, lead: str | None = None, coordinator: str | None = None, sector: str | None = None,
                   timeframe: str | None = None, place: str | None = None) -> list[TaskAnswer]:
        self._refresh()
        leads_wanted = self._wanted(lead, ["Organization"])
        coordinators_wanted = self._wanted(coordinator, ["Organization"])
        sectors_wanted = self._wanted(sector, ["Sector"])
        places_wanted = self._wanted(place, ["Locality"])
        result = []
        for node in self._nodes_of(["Task"]):
            leads = self._out(node.id, "LED_BY")
            coordinators = self._out(node.id, "COORDINATED_BY")
            sectors = [s for _, s in self._out(node.id, "COVERS")]
            held = [loc for _, loc in self._out(node.id, "HELD_IN")]
            checks = [
                (leads_wanted, {o.id for _, o in leads}),
                (coordinators_wanted, {o.id for _, o in coordinators}),
                (sectors_wanted, {s.id for s in sectors}),
                (places_wanted, self._with_ancestors([loc.id for loc in held])),
            ]
            if any(wanted is not None and not wanted & have for wanted, have in checks):
                continue
            if timeframe is not None and not answers.in_timeframe(node, timeframe):
                continue
            plans = [d for _, d in self._out(node.id, "LISTED_IN")]
            result.append(answers.task(node, leads, coordinators, sectors, [self._display(h) for h in held], plans))
        return sorted(result, key=lambda a: a.task_id)

    def find_agreements(self, party: str | None = None, sector: str | None = None,
                        year: int | None = None) -> list[AgreementAnswer]:
        self._refresh()
        parties_wanted = self._wanted(party, ["Locality", "Organization"])
        sectors_wanted = self._wanted(sector, ["Sector"])
        result = []
        for agreement in self._nodes_of(["Agreement"]):
            parties = self._in_parties(agreement.id)
            signers = {p.id for p in parties} | {loc.id for p in parties if (loc := self._locality_of(p)) is not None}
            sectors = [s for _, s in self._out(agreement.id, "COVERS")]
            if parties_wanted is not None and not parties_wanted & signers:
                continue
            if sectors_wanted is not None and not sectors_wanted & {s.id for s in sectors}:
                continue
            if year is not None and not answers.in_year(agreement, year):
                continue
            result.append((0, answers.agreement(agreement, [self._display(p) for p in parties],
                                                [s.name for s in sectors])))
        return answers.sort_agreements(result)

    def close(self) -> None:
        """Nothing to release: locks are held only during writes."""
