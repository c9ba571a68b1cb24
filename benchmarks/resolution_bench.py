"""How well and how fast resolution merges people across documents, on a corpus with known truth.

Run: ``.venv/bin/python benchmarks/resolution_bench.py [--mentions 10000] [--seed 7]``

The corpus is synthetic and invented: people with Vietnamese names (surnames from
ingest/data/surnames.txt, made-up middle and given names) working in departments, centres and
boards of the 63 provinces, each mentioned in several small documents. A mention may misspell
the name by one letter, write the organization with its initials ("Trung tâm PTQĐ") or a
well-known acronym, leave out the title or the phone. Some people share their exact name with
someone in another body. Each mention knows the person it stands for, so pairwise precision
and recall of the automatic merges ("same") are measured exactly; "unsure" pairs are not merged.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from math import comb
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.model import DocumentGraph, stable_id  # noqa: E402
from graph.resolution import UNSURE, clusters, effective, xref  # noqa: E402
from graph.text import DATA as GRAPH_DATA  # noqa: E402
from graph.text import fold, read_table  # noqa: E402
from ingest.builder import GraphBuilder  # noqa: E402

INGEST_DATA = Path(__file__).resolve().parent.parent / "ingest" / "data"
PROVINCES = [f"{code:02d}" for code in range(1, 97, 3)][:32] + ["79"]
# Bodies found in every province (heads and words of the genre; the combinations are invented).
BODIES = ["Trung tâm Phát triển quỹ đất", "Ban Quản lý dự án đầu tư xây dựng", "Trung tâm Xúc tiến Đầu tư",
          "Trung tâm Y tế dự phòng", "Bệnh viện Đa khoa", "Trung tâm Khuyến nông", "Ban Quản lý các khu công nghiệp"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Đức", "Quốc", "Thanh", "Ngọc", "Xuân", "Hoài", "Kim", "Anh"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng", "Hương", "Khánh",
         "Khoa", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Nghĩa", "Ngọc", "Nhung", "Phong", "Phúc", "Phương",
         "Quân", "Quang", "Sơn", "Tâm", "Thảo", "Thắng", "Thành", "Thủy", "Tiến", "Toàn", "Trang", "Trung", "Tuấn",
         "Tùng", "Uyên", "Vân", "Việt", "Vinh", "Xuân", "Yến", "Đạt", "Định", "Khang", "Lộc"]
TITLES = ["Chuyên viên", "Trưởng phòng", "Phó Trưởng phòng", "Giám đốc", "Phó Giám đốc"]
LETTERS = "abcdeghiklmnopqrstuvxy"


@dataclass(frozen=True)
class Org:
    full: str
    short: str  # initials after the head word(s), or a well-known acronym
    province: str

    @property
    def node_id(self) -> str:
        return stable_id("org", fold(self.full), f"loc:{self.province}")


@dataclass(frozen=True)
class Person:
    number: int
    name: str
    org: Org
    title: str
    phone: str


def abbreviate(body: str) -> str:
    """The body with the words after its head written as upper-case initials ("Sở KHĐT")."""
    words = body.split()
    head = 1 if words[0] == "Sở" else 2
    rest = [w for w in words[head:] if w.lower() != "và"]
    return " ".join(words[:head] + ["".join(w[0].upper() for w in rest)])


def organizations() -> list[Org]:
    departments = [f"Sở {r['department']}".replace(",", "") for r in read_table(INGEST_DATA / "departments.csv")]
    orgs = [Org(f"{body} tỉnh {code}", f"{abbreviate(body)} tỉnh {code}", code)
            for code in PROVINCES for body in departments + BODIES]
    orgs += [Org(r["name"], r["acronym"], r["province_code"])
             for r in read_table(GRAPH_DATA / "organization_acronyms.csv")]
    return orgs


def people(rng: random.Random, orgs: list[Org], count: int, namesakes: float) -> list[Person]:
    """Distinct people; a share of them carry the exact name of someone at another body."""
    surnames = (INGEST_DATA / "surnames.txt").read_text(encoding="utf-8").split()[:30]
    found: list[Person] = []
    taken: set[tuple[str, str]] = set()
    while len(found) < count:
        org = rng.choice(orgs)
        if found and rng.random() < namesakes:
            name = rng.choice(found).name
        else:
            name = f"{rng.choice(surnames)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        if (name, org.node_id) in taken:
            continue
        taken.add((name, org.node_id))
        found.append(Person(len(found), name, org, rng.choice(TITLES), f"09{rng.randrange(10**8):08d}"))
    return found


def misspell(rng: random.Random, name: str) -> str:
    """One letter of one word replaced (never the first letter of the name)."""
    words = name.split()
    index = rng.randrange(len(words))
    word = words[index]
    position = rng.randrange(1, len(word)) if len(word) > 1 else 0
    words[index] = word[:position] + rng.choice(LETTERS) + word[position + 1:]
    return " ".join(words)


def corpus(mentions: int, seed: int) -> tuple[dict[str, DocumentGraph], dict[str, int], list[str]]:
    """Documents of ten mentions each, for every mention id the person it stands for, and the
    mention id of every mention (a person named twice in one document is one node there)."""
    rng = random.Random(seed)
    crowd = people(rng, organizations(), mentions * 3 // 10, namesakes=0.12)
    drawn = crowd + [rng.choice(crowd) for _ in range(mentions - len(crowd))]
    rng.shuffle(drawn)
    graphs: dict[str, DocumentGraph] = {}
    truth: dict[str, int] = {}
    written_ids: list[str] = []
    for start in range(0, len(drawn), 10):
        name = f"doc-{start // 10:05d}.txt"
        builder = GraphBuilder(name)
        for person in drawn[start:start + 10]:
            written = misspell(rng, person.name) if rng.random() < 0.2 else person.name
            org_name = person.org.short if rng.random() < 0.3 else person.org.full
            org_id = stable_id("org", fold(org_name), f"loc:{person.org.province}")
            title = person.title if rng.random() < 0.8 else ""
            phone = person.phone if rng.random() < 0.5 else None
            quote = f"{org_name} ({written} - {title})"
            builder.node(f"loc:{person.org.province}", "Locality", f"Tỉnh {person.org.province}", quote,
                         level="province", code=person.org.province)
            builder.node(org_id, "Organization", org_name, quote, locality_code=person.org.province)
            builder.rel("OF", org_id, f"loc:{person.org.province}", quote)
            person_id = stable_id("person", fold(written), org_id)
            builder.node(person_id, "Person", written, quote, phones=[phone] if phone else [])
            if title:
                builder.rel("HOLDS", person_id, org_id, quote, key=fold(title), title=title)
            else:
                builder.rel("HOLDS", person_id, org_id, quote)
            written_ids.append(person_id)
            if truth.setdefault(person_id, person.number) != person.number:
                raise RuntimeError("two people were given one mention id; choose another seed")
        graphs[name] = builder.build(sha256=name)
    return graphs, truth, written_ids


def pair_scores(truth: dict[str, int], canonical: dict[str, str], mentions: list[str]) -> tuple[float, float]:
    """Pairwise precision and recall over all mentions."""
    predicted: dict[str, int] = {}
    true: dict[int, int] = {}
    both: dict[tuple[str, int], int] = {}
    for mention_id in mentions:
        cluster, person = canonical.get(mention_id, mention_id), truth[mention_id]
        predicted[cluster] = predicted.get(cluster, 0) + 1
        true[person] = true.get(person, 0) + 1
        both[(cluster, person)] = both.get((cluster, person), 0) + 1
    agreed = sum(comb(n, 2) for n in both.values())
    merged = sum(comb(n, 2) for n in predicted.values())
    belong = sum(comb(n, 2) for n in true.values())
    return agreed / max(1, merged), agreed / max(1, belong)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    graphs, truth, mentions = corpus(args.mentions, args.seed)
    started, cpu = time.perf_counter(), time.process_time()
    judgements = xref(graphs, [])
    canonical = clusters(judgements)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    precision, recall = pair_scores(truth, canonical, mentions)
    people_judged = [j for j in effective(judgements).values() if j.kind == "Person"]
    print(f"{len(mentions)} person mentions ({len(truth)} distinct mention ids) of "
          f"{len(set(truth.values()))} people in {len(graphs)} documents")
    print(f"judgements: {len(judgements)} ({sum(j.judgement == 'same' for j in people_judged)} people same, "
          f"{sum(j.judgement == 'different' for j in people_judged)} different, "
          f"{sum(j.judgement == UNSURE for j in people_judged)} unsure for review)")
    print(f"automatic merges: precision {precision:.4f}, recall {recall:.4f}")
    print(f"time: {elapsed:.1f} s ({cpu:.1f} s of CPU) for candidates, scoring and clusters")


if __name__ == "__main__":
    main()
