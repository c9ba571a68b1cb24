"""A national-scale corpus of invented cooperation documents, as the ingest pipeline would store them.

Run: ``.venv/bin/python benchmarks/national_corpus.py --documents 10000 -o corpus.jsonl``
(one DocumentGraph per line; the benchmarks import ``national_corpus`` directly).

Every one of the 63 pre-2025 provinces and its districts (from vietnamadminunits) takes
part. Each province has a People's Committee, departments and officials with invented
names and phones. Seven documents in ten are plans: a plan of one province carrying out
its agreement with another, with a signer, the plan it is based on (a cross-reference to
an earlier document), recipients and an appendix table of tasks, each with a lead
department, a coordinating department of the partner, a contact official with title and
phone, a sector, a timeframe and a district where it is held. The others are news pages
about a signing between two provinces or a twinning between two districts. Localities,
committees, departments, officials, sectors and agreements are shared between documents as
in real data; tasks are not. Names and numbers are combinations drawn at random with a
fixed seed, so every run builds the same corpus.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.model import DocumentGraph, Node, Relationship, Source, relationship_id  # noqa: E402

ACTIVITIES = ["Hội chợ", "Tập huấn", "Hội nghị xúc tiến", "Khảo sát", "Triển lãm", "Diễn đàn", "Tuần lễ",
              "Chương trình", "Hội thảo", "Đoàn công tác", "Liên hoan", "Lớp bồi dưỡng"]
TOPICS = ["cà phê", "nông sản", "du lịch cộng đồng", "nuôi ong lấy mật", "sầu riêng", "y tế cơ sở",
          "chuyển đổi số", "khởi nghiệp sáng tạo", "hồ tiêu", "giáo dục nghề nghiệp", "an sinh xã hội",
          "năng lượng tái tạo", "thủy sản", "sản phẩm OCOP", "văn hóa dân gian", "thương mại điện tử",
          "chăm sóc sức khỏe người cao tuổi", "trồng rừng", "du lịch sinh thái", "hàng Việt"]
DEPARTMENTS = [("Sở Công Thương", "thương mại"), ("Sở Du lịch", "du lịch"), ("Sở Y tế", "y tế"),
               ("Sở Nông nghiệp và Phát triển nông thôn", "nông nghiệp"),
               ("Sở Khoa học và Công nghệ", "khoa học và công nghệ"), ("Sở Giáo dục và Đào tạo", "giáo dục"),
               ("Sở Văn hóa, Thể thao và Du lịch", "văn hóa"), ("Sở Lao động - Thương binh và Xã hội", "an sinh xã hội"),
               ("Sở Kế hoạch và Đầu tư", "đầu tư"), ("Sở Tài nguyên và Môi trường", "môi trường")]
TITLES = ["Giám đốc", "Phó Giám đốc", "Trưởng phòng Kế hoạch", "Phó Trưởng phòng Quản lý", "Chuyên viên"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
          "Ngô", "Dương", "Lý", "Đinh", "Trương", "Lâm", "Mai"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Quốc", "Thanh", "Ngọc", "Đức", "Thu", "Xuân", "Công", "Kim"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Hạnh", "Khánh", "Lan", "Nghĩa", "Phúc", "Quang", "Sơn", "Tâm", "Uyên",
         "Vinh", "Yến", "Hòa", "Thắng", "Trang", "Long", "Hiếu", "Nhung", "Tuấn", "Hải", "Linh", "Phương",
         "Thảo", "Trung", "Việt", "Duyên", "Khoa"]
OFFICIALS_PER_DEPARTMENT = 6


@dataclass(frozen=True)
class Place:
    node_id: str
    name: str
    short: str
    code: str
    level: str
    province_id: str


def administrative_units() -> tuple[list[Place], dict[str, list[Place]]]:
    """The 63 provinces and, for each, its districts, from vietnamadminunits' offline database."""
    from vietnamadminunits.database import query

    provinces = {r["provinceCode"]: Place(f"loc:{r['provinceCode']}", r["province"], r["provinceShort"],
                                          r["provinceCode"], "province", f"loc:{r['provinceCode']}")
                 for r in query("SELECT DISTINCT province, provinceShort, provinceCode FROM admin_units_legacy")}
    districts: dict[str, list[Place]] = {p.node_id: [] for p in provinces.values()}
    for r in query("SELECT DISTINCT district, districtShort, districtCode, provinceCode FROM admin_units_legacy"):
        province = provinces[r["provinceCode"]]
        districts[province.node_id].append(Place(f"loc:{province.code}-{r['districtCode']}", r["district"],
                                                 r["districtShort"], r["districtCode"], "district", province.node_id))
    return sorted(provinces.values(), key=lambda p: p.code), districts


class Document:
    """Collects the nodes and relationships of one document, each with a quote."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.nodes: dict[str, Node] = {}
        self.rels: dict[str, Relationship] = {}

    def node(self, node_id: str, kind: str, name: str, **props: Any) -> str:
        self.nodes[node_id] = Node(id=node_id, kind=kind, name=name, properties=props,
                                   sources=[Source(document=self.name, quote=name)])
        return node_id

    def rel(self, rel_type: str, start: str, end: str, quote: str, **props: Any) -> None:
        rel_id = relationship_id(rel_type, start, end)
        self.rels[rel_id] = Relationship(id=rel_id, type=rel_type, start=start, end=end, properties=props,
                                         sources=[Source(document=self.name, quote=quote)])

    def graph(self) -> DocumentGraph:
        return DocumentGraph(document=self.name, sha256=f"corpus-{self.name}", nodes=list(self.nodes.values()),
                             relationships=list(self.rels.values()))


class Country:
    """The shared cast: places, committees, departments and their officials."""

    def __init__(self, rng: random.Random) -> None:
        self.provinces, self.districts = administrative_units()
        self.officials: dict[tuple[str, int], list[tuple[str, str, str]]] = {}
        for province in self.provinces:
            used: set[str] = set()
            for index in range(len(DEPARTMENTS)):
                staff = []
                for _ in range(OFFICIALS_PER_DEPARTMENT):
                    name = " ".join([rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)])
                    while name in used:
                        name = " ".join([rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)])
                    used.add(name)
                    phone = f"09{rng.randrange(10):d}{rng.randrange(10**7):07d}"
                    staff.append((name, rng.choice(TITLES), f"{phone[:4]}.{phone[4:7]}.{phone[7:]}"))
                self.officials[(province.node_id, index)] = staff

    def place(self, doc: Document, place: Place) -> str:
        doc.node(place.node_id, "Locality", place.name, level=place.level, code=place.code)
        if place.level == "district":
            province = next(p for p in self.provinces if p.node_id == place.province_id)
            self.place(doc, province)
            doc.rel("PART_OF", place.node_id, province.node_id, f"{place.name}, {province.name}")
        return place.node_id

    def committee(self, doc: Document, place: Place) -> str:
        org = doc.node(f"org:ubnd-{place.node_id}", "Organization", f"Ủy ban nhân dân {place.name}",
                       category="PeopleCommittee")
        doc.rel("OF", org, self.place(doc, place), f"UBND {place.name}")
        return org

    def department(self, doc: Document, province: Place, index: int) -> str:
        org = doc.node(f"org:{province.node_id}-{index}", "Organization", f"{DEPARTMENTS[index][0]} {province.name}",
                       category="Department")
        doc.rel("OF", org, self.place(doc, province), f"{DEPARTMENTS[index][0]} {province.name}")
        return org

    def official(self, doc: Document, province: Place, index: int, which: int) -> tuple[str, str, str, str]:
        name, title, phone = self.officials[(province.node_id, index)][which]
        person = doc.node(f"person:{province.code}-{index}-{which}", "Person", name, phones=[phone])
        org = self.department(doc, province, index)
        doc.rel("HOLDS", person, org, f"{title} {name}", title=title)
        return person, name, title, phone

    def sector(self, doc: Document, index: int) -> str:
        name = DEPARTMENTS[index][1]
        return doc.node(f"sector:{index}", "Sector", name)

    def agreement(self, doc: Document, a: Place, b: Place, year: int, sectors: list[int]) -> str:
        first, second = sorted([a, b], key=lambda p: p.node_id)
        agreement = doc.node(f"agr:{first.node_id}-{second.node_id}", "Agreement",
                             f"Thỏa thuận hợp tác giữa {first.name} và {second.name}",
                             date_signed=f"{year}-0{1 + int(first.code) % 9}-1{int(second.code) % 9}")
        for side, place in ((1, first), (2, second)):
            party = self.committee(doc, place)
            doc.rel("PARTY", agreement, party, f"UBND {place.name}", side=side)
        for index in sectors:
            doc.rel("COVERS", agreement, self.sector(doc, index), DEPARTMENTS[index][1])
        return agreement


def plan(country: Country, rng: random.Random, number: int, previous: str | None) -> DocumentGraph:
    """A plan of one province carrying out its agreement with another, with an appendix of tasks."""
    home, partner = rng.sample(country.provinces, 2)
    year = rng.choice([2022, 2023, 2024])
    doc = Document(f"{number:05d}_ke_hoach_{home.code}.txt")
    plan_id = doc.node(f"doc:{doc.name}", "Document", f"Kế hoạch số {number}/KH-UBND của {home.name}",
                       doc_type="Kế hoạch", number=f"{number}/KH-UBND", date=f"{year}-0{rng.randrange(1, 10)}-15")
    committee = country.committee(doc, home)
    doc.rel("ISSUED_BY", plan_id, committee, f"UBND {home.name}")
    signer, *_ = country.official(doc, home, 0, 0)
    doc.rel("SIGNED_BY", plan_id, signer, "Chủ tịch")
    if previous is not None:  # a cross-reference: the plan it is based on, named in its legal basis
        doc.node(previous, "Document", f"Kế hoạch {previous.removeprefix('doc:')}")
        doc.rel("BASED_ON", plan_id, previous, f"Căn cứ {previous}")
    sectors = rng.sample(range(len(DEPARTMENTS)), 3)
    agreement = country.agreement(doc, home, partner, year - 1, sectors)
    doc.rel("IMPLEMENTS", plan_id, agreement, "thực hiện Thỏa thuận hợp tác")
    for index in sectors:
        doc.rel("SENT_TO", plan_id, country.department(doc, partner, index), DEPARTMENTS[index][0])
    for row in range(rng.randrange(9, 18)):
        index = rng.choice(sectors)
        place = rng.choice(country.districts[rng.choice([home, partner]).node_id] or [home])
        task = doc.node(f"task:{doc.name}-{row}", "Task",
                        f"{rng.choice(ACTIVITIES)} {rng.choice(TOPICS)} {place.short} năm {year}",
                        number=str(row + 1), timeframe=f"{year}-{rng.randrange(1, 13):02d}", place=place.name)
        doc.rel("LISTED_IN", task, plan_id, f"Phụ lục, dòng {row + 1}")
        doc.rel("LED_BY", task, country.department(doc, home, index), DEPARTMENTS[index][0])
        doc.rel("COORDINATED_BY", task, country.department(doc, partner, index), DEPARTMENTS[index][0])
        person, name, title, phone = country.official(doc, partner, index, rng.randrange(OFFICIALS_PER_DEPARTMENT))
        doc.rel("CONTACT", task, person, f"{name} - {title}, {phone}", title=title,
                organization=f"{DEPARTMENTS[index][0]} {partner.name}", phone=phone)
        doc.rel("COVERS", task, country.sector(doc, index), DEPARTMENTS[index][1])
        doc.rel("HELD_IN", task, country.place(doc, place), place.name)
    return doc.graph()


def news(country: Country, rng: random.Random, number: int) -> DocumentGraph:
    """A news page about a signing between two provinces, or a twinning between two districts."""
    doc = Document(f"{number:05d}_tin.html")
    year = rng.choice([2022, 2023, 2024])
    a, b = rng.sample(country.provinces, 2)
    if rng.random() < 0.5 and country.districts[a.node_id] and country.districts[b.node_id]:
        a, b = rng.choice(country.districts[a.node_id]), rng.choice(country.districts[b.node_id])
    country.agreement(doc, a, b, year, rng.sample(range(len(DEPARTMENTS)), 2))
    for place in (a, b):
        province = next(p for p in country.provinces if p.node_id == place.province_id)
        country.official(doc, province, rng.randrange(len(DEPARTMENTS)), 0)
    return doc.graph()


def national_corpus(documents: int, seed: int = 2025) -> Iterator[DocumentGraph]:
    """``documents`` documents, seven plans in ten, in the order of their names' numbers."""
    rng = random.Random(seed)
    country = Country(rng)
    plans: list[str] = []
    for number in range(documents):
        if rng.random() < 0.7:
            previous = rng.choice(plans) if plans and rng.random() < 0.6 else None
            graph = plan(country, rng, number, previous)
            plans.append(f"doc:{graph.document}")
            yield graph
        else:
            yield news(country, rng, number)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("-o", "--output", type=Path, required=True, help="a JSON-lines file, one document a line")
    args = parser.parse_args()
    nodes: set[str] = set()
    rels = 0
    with args.output.open("w", encoding="utf-8") as handle:
        for graph in national_corpus(args.documents, args.seed):
            handle.write(graph.model_dump_json() + "\n")
            nodes.update(n.id for n in graph.nodes)
            rels += len(graph.relationships)
    print(f"{args.documents} documents, {len(nodes)} distinct nodes, {rels} relationship claims -> {args.output}")


if __name__ == "__main__":
    main()
