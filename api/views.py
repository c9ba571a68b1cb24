"""Shaping what the store returns into the API's own views (no queries here)."""

from __future__ import annotations

from api.pagination import PageParams
from api.schemas import EntityDetail, Neighbour, PathResult, PersonProfile, PersonTask
from graph import answers
from graph.model import Graph, Node


def neighbours(entity_id: str, graph: Graph) -> list[Neighbour]:
    """The relationships of a depth-1 neighbourhood, seen from the entity, by type then name."""
    nodes = {n.id: n for n in graph.nodes}
    found = []
    for rel in graph.relationships:
        if rel.start == entity_id and rel.end in nodes:
            found.append(Neighbour(direction="out", relationship=rel, node=nodes[rel.end]))
        elif rel.end == entity_id and rel.start in nodes:
            found.append(Neighbour(direction="in", relationship=rel, node=nodes[rel.start]))
    return sorted(found, key=lambda n: (n.relationship.type, n.node.name, n.relationship.id))


def entity_detail(entity_id: str, graph: Graph, params: PageParams) -> EntityDetail:
    """The entity of a depth-1 neighbourhood with the page of its neighbours that the parameters select,
    and the document counts of those facts of the page whose sources were cut."""
    every = neighbours(entity_id, graph)
    chosen = every[params.offset:params.offset + params.limit]
    shown = {entity_id} | {n.node.id for n in chosen} | {n.relationship.id for n in chosen}
    return EntityDetail(entity=next(n for n in graph.nodes if n.id == entity_id), neighbours=chosen,
                        total=len(every), limit=params.limit, offset=params.offset,
                        document_counts={i: n for i, n in graph.document_counts.items() if i in shown})


def path_result(path: Graph | None) -> PathResult:
    """A path view; an unconnected pair gives ``found`` false and no nodes."""
    if path is None:
        return PathResult(found=False, length=0, nodes=[], relationships=[])
    return PathResult(found=True, length=len(path.relationships), nodes=path.nodes,
                      relationships=path.relationships)


def person_profile(person: Node, graph: Graph) -> PersonProfile:
    """Positions (HOLDS) and contact duties (CONTACT) from the person's depth-1 neighbourhood."""
    nodes = {n.id: n for n in graph.nodes}
    positions = [answers.position(person, rel, nodes[rel.end]) for rel in graph.relationships
                 if rel.type == "HOLDS" and rel.start == person.id and rel.end in nodes]
    orgs = {n.id: n for n in graph.nodes if n.kind == "Organization"}
    tasks = [PersonTask(task=nodes[rel.start].name, task_id=rel.start, title=rel.properties.get("title"),
                        organization=rel.properties.get("organization"), phone=rel.properties.get("phone"),
                        sources=answers.unique_sources(rel.sources, nodes[rel.start].sources))
             for rel in graph.relationships
             if rel.type == "CONTACT" and rel.end == person.id and rel.start in nodes]
    return PersonProfile(person=person, positions=answers.sort_positions(positions, orgs),
                         tasks=sorted(tasks, key=lambda t: t.task_id))
