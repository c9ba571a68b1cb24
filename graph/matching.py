"""Ranking of names against what a person typed, shared by every backend.

A backend fetches candidates from its index of folded name words (SQLite's table of
terms, Neo4j's full-text index); this module says which words to look up and scores
what comes back, so both backends rank alike. Names are folded once, when written. The score rewards query words found in the
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
RECALL_ROUNDING = 1e-3  # recall is rounded to 4 places: stay on the safe side of it
# Folded text is made of these characters only, so one-edit spellings over them are all there are.
FOLDED_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


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


@lru_cache(maxsize=4096)
def _framing_phrases(query: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The question phrases, longest first, that have all their words in the query: taking words
    out never brings another phrase in, so only these can be found (asked once per query, not per name)."""
    words = set(query)
    return tuple(phrase for phrase in question_phrases() if words.issuperset(phrase))


def without_question_words(query: list[str], name: list[str]) -> list[str]:
    """The query without the phrases that only frame it ("liên hệ ai", "đầu mối phía"): a person
    asks with them, a name rarely holds them. A phrase the name holds still counts."""
    kept = list(query)
    for phrase in _framing_phrases(tuple(query)):
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


def one_edit_spellings(word: str) -> set[str]:
    """Every folded word one substitution, insertion or deletion away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletions = {a + b[1:] for a, b in splits if b}
    substitutions = {a + c + b[1:] for a, b in splits if b for c in FOLDED_ALPHABET if c != b[0]}
    insertions = {a + c + b for a, b in splits for c in FOLDED_ALPHABET}
    return (deletions | substitutions | insertions) - {word, ""}


@lru_cache(maxsize=8192)
def near_words(word: str) -> frozenset[str]:
    """The folded words one letter off ``word`` that earn fuzzy credit (both long enough).

    Folded text holds only ``FOLDED_ALPHABET``, so these are all the words one substitution,
    insertion or deletion away: a set lookup replaces comparing the word with every name word."""
    if len(word) < FUZZY_MIN_LENGTH:
        return frozenset()
    return frozenset(w for w in one_edit_spellings(word) if len(w) >= FUZZY_MIN_LENGTH)


def _word_credit(word: str, words: set[str]) -> float:
    if word in words:
        return 1.0
    if not words.isdisjoint(near_words(word)):
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


def folded_names(names: list[str]) -> list[list[str]]:
    """The folded words of each name and alias, computed once when a node is written."""
    return [words for words in dict.fromkeys(tuple(tokens(n)) for n in names if n) if words]  # type: ignore[misc]


def best_match(words: list[str], names: list[list[str]]) -> Match:
    """The best score of folded query words over a node's folded names and aliases."""
    return max((score_words(words, name) for name in names), key=lambda m: (m.score, m.recall),
               default=Match(0.0, 0.0))


def accept(kind: str, match: Match) -> bool:
    """Whether a match is good enough to be an answer for this kind of node."""
    t = threshold(kind)
    return match.recall >= t.min_recall and match.score >= t.min_score


def spellings(word: str) -> list[str]:
    """The name words that earn a query word credit: itself, and one letter off when long enough."""
    return [word, *sorted(near_words(word))]


def words_to_look_up(kind: str, words: list[str], holders: list[int]) -> list[str]:
    """The query words whose index entries hold every node the kind's threshold could accept.

    ``holders[i]`` is how many nodes hold ``words[i]`` (or a spelling one letter off). A node
    holding only the most common words, whose weight is below the minimum recall, can never
    be accepted; so only the rarer words need looking up, and common words ("tỉnh", "sở")
    never pull in half the graph. Phrases that only frame a question count for a name that
    holds them (``without_question_words``): a node may then need less of the other words,
    which the allowance below makes room for."""
    count = dict(zip(words, holders))
    core = without_question_words(words, [])
    framing = sum(_weight(w) for w in words) - sum(_weight(w) for w in core)
    needed_recall = threshold(kind).min_recall - RECALL_ROUNDING
    total = sum(_weight(w) for w in core)
    allowance = needed_recall * total - (1 - needed_recall) * framing
    skipped = 0.0
    needed = []
    for word in sorted(dict.fromkeys(core), key=lambda w: (-count[w], w)):
        weight = _weight(word) * core.count(word)
        if skipped + weight < allowance:
            skipped += weight
        else:
            needed.append(word)
    return needed


def rank(words: list[str], kind: str, candidates: dict[str, list[list[str]]]) -> list[tuple[str, Match]]:
    """Accepted candidates (id → folded names) best first; ties broken by id for stable output."""
    scored = [(cid, best_match(words, names)) for cid, names in candidates.items()]
    kept = [(cid, m) for cid, m in scored if accept(kind, m)]
    return sorted(kept, key=lambda item: (-item[1].score, -item[1].recall, item[0]))


def top_tier(ranked: list[tuple[str, Match]], margin: float = 0.02) -> list[str]:
    """Ids whose score is within ``margin`` of the best: the entity the query names."""
    if not ranked:
        return []
    best = ranked[0][1].score
    return [cid for cid, m in ranked if m.score >= best - margin]
