"""Evaluation sets written by people who never saw the code, scored in-process as regression tests.

Each set is ingested into a fresh embedded store and its questions are asked through the store's
question methods (what `lienket ask` prints), judged by the shared scorer's own `judge`. A set may
not fall below the score it reached, nor give more confident wrong answers.
Needs ../shared (the scorer) beside the repository, as on every developer machine and in CI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from ingest.pipeline import collect_files, ingest_files
from tests.test_seed_questions import SCORER, load_scorer

ROOT = Path(__file__).parents[1]
ASK = {"contact": "contacts", "partners": "partners", "agreement": "agreements_between", "lead": "lead",
       "person_role": "person", "org_tasks": "org_tasks"}

# (questions, documents, at least this many right, at most this many wrong answers)
SETS = {
    "blind1": (ROOT / "tests" / "eval" / "blind1", 102, 0),
    # scored once before any rule saw it (first_run.log beside it): 77/94 right, 11 wrong; since a development set
    # 93: b65 asks the 2025 Quảng Trị for the partner of Quảng Bình merged into it; a successor no longer answers for
    # a unit merged into it under another name (graph.localities.took_over), and the plan's own cooperation of the
    # new units is not read as an agreement: empty, not wrong
    "blind2": (ROOT / "tests" / "eval" / "blind2", 93, 0),
    # scored once before any rule saw it (first_run.log beside it): 79/109 right, 14 wrong; since a development set
    "blind3": (ROOT / "tests" / "eval" / "blind3", 105, 0),
    # scored once before any rule saw it (first_run.log beside it): 118/135 right, 11 wrong; since a development set
    "blind4": (ROOT / "tests" / "eval" / "blind4", 135, 0),
    # scored once before any rule saw it (first_run.log beside it): 108/128 right, 5 wrong; since a development set
    "blind5": (ROOT / "tests" / "eval" / "blind5", 122, 0),
    # scored once before any rule saw it (first_run.log beside it): 82/99 right, 7 wrong
    "blind6": (ROOT / "tests" / "eval" / "blind6", 99, 0),
    # scored once before any rule saw it (first_run.log beside it): 83/99 right, 4 wrong
    "blind7": (ROOT / "tests" / "eval" / "blind7", 99, 0),
    # scored once before any rule saw it (first_run.log beside it): 78/107 right, 4 wrong
    "blind8": (ROOT / "tests" / "eval" / "blind8", 105, 0),
    # scored once before any rule saw it (first_run.log beside it): 78/107 right, 13 wrong
    "blind9": (ROOT / "tests" / "eval" / "blind9", 107, 0),
    # scored once before any rule saw it (first_run.log beside it): 67/89 right, 7 wrong
    "blind10": (ROOT / "tests" / "eval" / "blind10", 85, 0),
    # scored once before any rule saw it (first_run.log beside it): 69/98 right, 12 wrong
    "blind11": (ROOT / "tests" / "eval" / "blind11", 94, 0),
    # scored once before any rule saw it (first_run.log beside it): 81/96 right, 3 wrong
    "blind12": (ROOT / "tests" / "eval" / "blind12", 95, 0),
    # scored once before any rule saw it (first_run.log beside it): 102/118 right, 8 wrong
    "blind13": (ROOT / "tests" / "eval" / "blind13", 117, 0),
    # scored once before any rule saw it (first_run.log beside it): 96/113 right, 10 wrong
    "blind14": (ROOT / "tests" / "eval" / "blind14", 110, 0),
    # scored once before any rule saw it (first_run.log beside it): 85/96 right, 11 wrong
    "blind15": (ROOT / "tests" / "eval" / "blind15", 95, 0),
    # scored once before any rule saw it (first_run.log beside it): 80/99 right, 12 wrong
    "blind16": (ROOT / "tests" / "eval" / "blind16", 98, 0),
    # the session's second fresh set, scored once after its reading merges (first_run.log beside it): 101/116 right,
    # 9 wrong
    # 113: agreements in news read since (a kind's own field, 'bệnh viện vệ tinh', the sides' fields, 'A; B và C')
    "blind17": (ROOT / "tests" / "eval" / "blind17", 114, 1),
    # scored once before any rule saw it (first_run.log beside it): 103/118 right, 4 wrong
    # 114: agreements in news read since (a contract, 'Trường' alone, a month-only earlier period, BV HNĐK)
    "blind18": (ROOT / "tests" / "eval" / "blind18", 118, 0),
    # the session's second fresh set, written blind at its start and scored once after its reading merges
    # (first_run.log beside it): 90/99 right, 2 wrong
    # 97: fields after 'tập trung' alone, a preamble's 'xét đề nghị' no party, listed pairs beside an unknown commune,
    # a bare lead after 'thống nhất tổ chức Y', 'Đoàn Thanh niên', surname Tẩn; two pairs name communes the 2025
    # units of vietnamadminunits do not hold: empty
    "blind19": (ROOT / "tests" / "eval" / "blind19", 97, 0),
    # written blind at the start of session 9 and scored once on its main (first_run.log beside it): 91/99 right,
    # 1 wrong
    # 98: a field joined to another by 'và' in a list item, a page laid out with a table, a task repeating a gift's
    # purpose, 'Hiệu trưởng nhà trường', 'ba địa phương gồm', contacts after 'Chi tiết liên hệ:' and 'đăng ký tham gia'
    "blind20": (ROOT / "tests" / "eval" / "blind20", 98, 0),
    # written by the engineer who fixed the rules (not blind; its README says so): 16/20 right, 3 wrong before the fixes
    "own16": (ROOT / "tests" / "eval" / "own16", 20, 0),
    "dev": (ROOT.parent / "shared" / "eval" / "dev", 44, 0),
}


@pytest.mark.skipif(not SCORER.exists(), reason="../shared is not beside the repository")
@pytest.mark.parametrize("name", sorted(SETS))
def test_evaluation_set_does_not_fall_below_its_score(name: str, tmp_path: Path) -> None:
    folder, right_at_least, wrong_at_most = SETS[name]
    judge = load_scorer().judge
    store = EmbeddedStore(tmp_path)
    results = ingest_files(store, collect_files([folder / "docs"]))
    assert not [r.error for r in results if r.error]
    right, wrong, failures = 0, 0, []
    for question in json.loads((folder / "questions.json").read_text(encoding="utf-8")):
        query = question["query"] if isinstance(question["query"], list) else [question["query"]]
        answer = [a.model_dump(mode="json") for a in getattr(store, ASK[question["kind"]])(*query)]
        why = judge(question, answer)
        if why is None:
            right += 1
        else:
            wrong += bool(answer)
            failures.append(f"{question['id']} {question['kind']} {question['query']}: {why}")
    report = "\n".join(failures)
    assert right >= right_at_least, report
    assert wrong <= wrong_at_most, report
