"""Ranking of names against what a person typed, shared by every backend.

A backend fetches candidates (an in-memory index, a Neo4j full-text index); this module
scores them, so both backends rank alike. The score rewards query words found in the
name (recall), query word pairs found side by side (so "lễ hội nhảy dù" does not match
"lễ hội văn hóa"), and names that hold little else (precision). Below a kind's threshold
a candidate is no answer: an empty list beats the nearest guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from graph.text import DATA, read_table, tokens

FUZZY_CREDIT = 0.75  # a word one letter off counts this much
FUZZY_MIN_LENGTH = 4  # shorter folded words one letter apart are different words ("noi"/"hoi")
STOPWORD_WEIGHT = 0.25


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    lines = (DATA / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def question_phrases() -> list[tuple[str, ...]]:
    """Folded phrases that frame a question (graph/data/question_words.txt), longest first."""
    lines = (DATA / "question_words.txt").read_text(encoding="utf-8").splitlines()
    phrases = {tuple(tokens(line)) for line in lines if line.strip() and not line.startswith("#")}
    return sorted(phrases, key=lambda p: (-len(p), p))


def _holds(words: list[str], phrase: tuple[str, ...]) -> int:
    """Where the phrase starts in the words, or -1."""
    size = len(phrase)
    return next((i for i in range(len(words) - size + 1) if tuple(words[i:i + size]) == phrase), -1)


def without_question_words(query: list[str], name: list[str]) -> list[str]:
    """The query without the phrases that only frame it ("liên hệ ai", "đầu mối phía"): a person
    asks with them, a name rarely holds them. A phrase the name holds still counts."""
    kept = list(query)
    for phrase in question_phrases():
        if _holds(name, phrase) >= 0:
            continue
        while (start := _holds(kept, phrase)) >= 0:
            del kept[start:start + len(phrase)]
    return kept or list(query)


@dataclass(frozen=True)
class Threshold:
    min_recall: float
    min_score: float


@lru_cache(maxsize=1)
def thresholds() -> dict[str, Threshold]:
    rows = read_table(DATA / "match_thresholds.csv")
    return {r["kind"]: Threshold(float(r["min_recall"]), float(r["min_score"])) for r in rows}


def threshold(kind: str) -> Threshold:
    return thresholds().get(kind, thresholds()["any"])


def one_edit_apart(a: str, b: str) -> bool:
    """True when a and b differ by one substitution, insertion or deletion."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _word_credit(word: str, words: set[str]) -> float:
    if word in words:
        return 1.0
    if len(word) >= FUZZY_MIN_LENGTH and any(len(w) >= FUZZY_MIN_LENGTH and one_edit_apart(word, w) for w in words):
        return FUZZY_CREDIT
    return 0.0


def _weight(word: str) -> float:
    return STOPWORD_WEIGHT if word in stopwords() else 1.0


@dataclass(frozen=True)
class Match:
    recall: float
    score: float


def score_words(query: list[str], name: list[str]) -> Match:
    """Score folded query words against folded name words."""
    if not query or not name:
        return Match(0.0, 0.0)
    query = without_question_words(query, name)
    name_set = set(name)
    credits = [_word_credit(w, name_set) for w in query]
    total = sum(_weight(w) for w in query)
    recall = sum(c * _weight(w) for c, w in zip(credits, query)) / total
    name_pairs = set(zip(name, name[1:]))
    query_pairs = list(zip(query, query[1:]))
    pairs = sum(1 for p in query_pairs if p in name_pairs) / len(query_pairs) if query_pairs else recall
    query_set = set(query)
    precision = sum(1 for w in name if w in query_set) / len(name)
    if not query_pairs:
        score = 0.85 * recall + 0.15 * precision
    else:
        score = 0.55 * recall + 0.3 * pairs + 0.15 * precision
    return Match(round(recall, 4), round(score, 4))


def best_match(query: str, names: list[str]) -> Match:
    """The best score of a query over a node's name and aliases."""
    words = tokens(query)
    return max((score_words(words, tokens(n)) for n in names if n), key=lambda m: (m.score, m.recall),
               default=Match(0.0, 0.0))


def accept(kind: str, match: Match) -> bool:
    """Whether a match is good enough to be an answer for this kind of node."""
    t = threshold(kind)
    return match.recall >= t.min_recall and match.score >= t.min_score


def rank(query: str, kind: str, candidates: list[tuple[str, list[str]]]) -> list[tuple[str, Match]]:
    """Accepted candidates (id, names) best first; ties broken by id for stable output."""
    scored = [(cid, best_match(query, names)) for cid, names in candidates]
    kept = [(cid, m) for cid, m in scored if accept(kind, m)]
    return sorted(kept, key=lambda item: (-item[1].score, -item[1].recall, item[0]))


def top_tier(ranked: list[tuple[str, Match]], margin: float = 0.02) -> list[str]:
    """Ids whose score is within ``margin`` of the best: the entity the query names."""
    if not ranked:
        return []
    best = ranked[0][1].score
    return [cid for cid, m in ranked if m.score >= best - margin]
