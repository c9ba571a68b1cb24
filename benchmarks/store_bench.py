"""How the embedded store scales: write, reload and query times on synthetic documents.

Run: ``.venv/bin/python benchmarks/store_bench.py [--documents 200] [--tasks 8]``

Each synthetic document is a plan between two of 63 provinces: the plan, an agreement,
the issuing committee, departments, and ``--tasks`` appendix tasks each with a lead, a
coordinator, a contact person and a sector. Localities, committees, departments and
sectors are shared between documents, as in real data; tasks and people are not. The
embedded store rewrites its whole JSON file on each write, so the table reports how the
time of a write grows from the first document to the last, measured in this one run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.embedded import GRAPH_FILE, EmbeddedStore  # noqa: E402
from graph.model import DocumentGraph, Node, Relationship, Source, relationship_id  # noqa: E402

PROVINCES = 63
# Words that synthetic names are made of (invented combinations, not quotes).
ACTIVITIES = ["Hội chợ", "Tập huấn", "Hội nghị xúc tiến", "Khảo sát", "Triển lãm", "Diễn đàn", "Tuần lễ",
              "Chương trình"]
TOPICS = ["cà phê", "nông sản", "du lịch cộng đồng", "nuôi ong", "sầu riêng", "y tế cơ sở", "chuyển đổi số",
          "khởi nghiệp", "hồ tiêu", "giáo dục nghề nghiệp", "an sinh xã hội", "năng lượng tái tạo", "thủy sản"]
DEPARTMENTS = ["Sở Công Thương", "Sở Du lịch", "Sở Y tế", "Sở Nông nghiệp và Phát triển nông thôn",
               "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo"]
SECTORS = ["thương mại", "du lịch", "y tế", "nông nghiệp", "khoa học và công nghệ", "giáo dục"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"]
GIVEN = ["Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thị Hạnh", "Đức Khánh", "Thu Lan", "Hữu Nghĩa"]


class Builder:
    """Collects the nodes and relationships of one synthetic document."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.nodes: dict[str, Node] = {}
        self.rels: list[Relationship] = []

    def node(self, node_id: str, kind: str, name: str, **props: Any) -> str:
        self.nodes[node_id] = Node(id=node_id, kind=kind, name=name, properties=props,
                                   sources=[Source(document=self.name, quote=f"{name} ({self.name})")])
        return node_id

    def rel(self, rel_type: str, start: str, end: str, key: str = "", **props: Any) -> None:
        self.rels.append(Relationship(id=relationship_id(rel_type, start, end, key), type=rel_type, start=start,
                                      end=end, properties=props,
                                      sources=[Source(document=self.name, quote=f"{rel_type} ({self.name})")]))

    def document(self) -> DocumentGraph:
        return DocumentGraph(document=self.name, sha256=f"bench-{self.name}", nodes=list(self.nodes.values()),
                             relationships=self.rels)


def province(b: Builder, number: int) -> str:
    return b.node(f"loc:{number:02d}", "Locality", f"Tỉnh Số {number}", level="province", code=f"{number:02d}")


def department(b: Builder, number: int, index: int) -> str:
    org = b.node(f"org:{number:02d}-{index}", "Organization", f"{DEPARTMENTS[index]} Tỉnh Số {number}",
                 category="Department")
    b.rel("OF", org, province(b, number))
    return org


def synthetic_document(index: int, tasks: int) -> DocumentGraph:
    """Document ``index``: a plan of one province implementing an agreement with another."""
    b = Builder(f"bench_{index:04d}.txt")
    home, partner = index % PROVINCES + 1, (index * 7 + 3) % PROVINCES + 1
    if partner == home:
        partner = home % PROVINCES + 1
    committee = b.node(f"org:{home:02d}-ubnd", "Organization", f"Ủy ban nhân dân Tỉnh Số {home}",
                       category="PeopleCommittee")
    b.rel("OF", committee, province(b, home))
    plan = b.node(f"doc:{index}", "Document", f"Kế hoạch {index}/KH-UBND", number=f"{index}/KH-UBND",
                  date=f"{2022 + index % 3}-0{1 + index % 9}-15")
    agreement = b.node(f"agr:{index}", "Agreement", f"Thỏa thuận hợp tác giữa Tỉnh Số {home} và Tỉnh Số {partner}",
                       date_signed=f"{2021 + index % 4}-1{index % 3}-20")
    b.rel("ISSUED_BY", plan, committee)
    b.rel("IMPLEMENTS", plan, agreement)
    b.rel("PARTY", agreement, province(b, home))
    b.rel("PARTY", agreement, province(b, partner))
    for t in range(tasks):
        topic, activity = TOPICS[(index + t) % len(TOPICS)], ACTIVITIES[(index * 3 + t) % len(ACTIVITIES)]
        task = b.node(f"task:{index}-{t}", "Task", f"{activity} {topic} lần {index}-{t}", number=str(t + 1),
                      timeframe=f"{2023 + t % 3}")
        sector_name = SECTORS[(index + t) % len(SECTORS)]
        sector = b.node(f"sector:{sector_name}", "Sector", sector_name)
        lead = department(b, home, (index + t) % len(DEPARTMENTS))
        coordinator = department(b, partner, (index + t) % len(DEPARTMENTS))
        phone = f"09{index:04d}{t:04d}"
        person = b.node(f"person:{index}-{t}", "Person",
                        f"{FAMILY[(index + t) % len(FAMILY)]} {GIVEN[(index * 5 + t) % len(GIVEN)]}", phones=[phone])
        b.rel("LISTED_IN", task, plan)
        b.rel("IMPLEMENTS", task, agreement)
        b.rel("COVERS", task, sector)
        b.rel("COVERS", agreement, sector)
        b.rel("LED_BY", task, lead)
        b.rel("COORDINATED_BY", task, coordinator)
        b.rel("CONTACT", task, person, title="Chuyên viên", organization="", phone=phone)
        b.rel("HOLDS", person, coordinator, key="Chuyên viên", title="Chuyên viên")
    return b.document()


@dataclass(frozen=True)
class Timing:
    """Wall-clock and CPU seconds; on a shared machine the CPU time is the steadier figure."""

    wall: float
    cpu: float


def timed(action: Callable[[], object], repeat: int = 1) -> Timing:
    """The median wall and CPU time of ``repeat`` runs of ``action``."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return Timing(statistics.median(walls), statistics.median(cpus))


def median(timings: list[Timing]) -> Timing:
    return Timing(statistics.median(t.wall for t in timings), statistics.median(t.cpu for t in timings))


def total(timings: list[Timing]) -> Timing:
    return Timing(sum(t.wall for t in timings), sum(t.cpu for t in timings))


def run(documents: int, tasks: int, folder: Path) -> None:
    docs = [synthetic_document(i, tasks) for i in range(documents)]
    store = EmbeddedStore(folder)
    writes = [timed(lambda doc=doc: store.write_document(doc)) for doc in docs]
    counts = store.counts()
    nodes, rels = sum(counts.nodes.values()), sum(counts.relationships.values())
    size_mb = (folder / GRAPH_FILE).stat().st_size / 1e6
    tenth = max(1, documents // 10)

    print(f"{documents} documents, {nodes} nodes, {rels} relationships, graph.json {size_mb:.1f} MB\n")
    print(f"{'measure':58} {'wall ms':>10} {'CPU ms':>10}")
    first, last = median(writes[:tenth]), median(writes[-tenth:])
    rows: list[tuple[str, Timing]] = [
        ("write: all documents", total(writes)),
        ("write: document #1", writes[0]),
        (f"write: median of the first {tenth}", first),
        (f"write: median of the last {tenth}", last),
        (f"write: document #{documents}", writes[-1]),
        ("re-write of an unchanged document", timed(lambda: store.write_document(docs[-1]), 5)),
        ("reload: open the store from disk", timed(lambda: EmbeddedStore(folder).counts(), 3)),
    ]
    reader = EmbeddedStore(folder)
    rows += [
        ("query: contacts('nuôi ong')", timed(lambda: reader.contacts("nuôi ong"), 5)),
        ("query: contacts('Hội chợ cà phê lần 40-0')", timed(lambda: reader.contacts("Hội chợ cà phê lần 40-0"), 5)),
        ("query: search('Sở Y tế Tỉnh Số 12')", timed(lambda: reader.search("Sở Y tế Tỉnh Số 12"), 5)),
        ("query: partners('Tỉnh Số 5')", timed(lambda: reader.partners("Tỉnh Số 5"), 5)),
        ("query: lead('Triển lãm du lịch cộng đồng')", timed(lambda: reader.lead("Triển lãm du lịch cộng đồng"), 5)),
        ("query: person('Nguyễn Văn An')", timed(lambda: reader.person("Nguyễn Văn An"), 5)),
        ("query: org_tasks('Sở Công Thương Tỉnh Số 7')",
         timed(lambda: reader.org_tasks("Sở Công Thương Tỉnh Số 7"), 5)),
        ("query: subgraph() (whole graph)", timed(lambda: reader.subgraph(), 3)),
    ]
    removed = docs[documents // 2].document
    rows.append(("remove a document", timed(lambda: store.remove_document(removed))))
    rows.append(("first query in a reader after another instance wrote", timed(lambda: reader.counts())))
    for label, value in rows:
        print(f"{label:58} {value.wall * 1000:10.1f} {value.cpu * 1000:10.1f}")

    print("\nratios (CPU time; wall time in brackets), measured in this run:")
    print(f"  write, median of the last {tenth} / median of the first {tenth} documents: "
          f"{last.cpu / first.cpu:.1f}x ({last.wall / first.wall:.1f}x)")
    print(f"  write, document #{documents} / document #1: "
          f"{writes[-1].cpu / writes[0].cpu:.1f}x ({writes[-1].wall / writes[0].wall:.1f}x)")
    print(f"  all writes / ({documents} x first-{tenth} median), 1.0 = no growth: "
          f"{total(writes).cpu / (documents * first.cpu):.1f}x ({total(writes).wall / (documents * first.wall):.1f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=10, help="appendix tasks per document")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lienket-bench-") as folder:
        run(args.documents, args.tasks, Path(folder))


if __name__ == "__main__":
    main()
