"""Ranking of names against what a person typed, shared by every backend.

A backend fetches candidates from its index of folded name words (SQLite's table of
terms, Neo4j's full-text index); this module says which words to look up and scores
what comes back, so both backends rank alike. Names are folded once, when written. The score rewards query words found in the
name (recall), query word pairs found side by side (so "lễ hội nhảy dù" does not match
"lễ hội văn hóa"), and names that hold little else (precision). Below a kind's threshold
a candidate is no answer: an empty list beats the nearest guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from graph.text import DATA, read_table, tokens

FUZZY_CREDIT = 0.75  # a word one letter off counts this much
FUZZY_MIN_LENGTH = 4  # shorter folded words one letter apart are different words ("noi"/"hoi")
STOPWORD_WEIGHT = 0.25
RECALL_ROUNDING = 1e-3  # recall is rounded to 4 places: stay on the safe side of it
# Folded text is made of these characters only, so one-edit spellings over them are all there are.
FOLDED_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"

# A node's folded names, each a sequence of words (as the index keeps them; a store may share them between
# questions: they are read, never changed)
Names = Sequence[Sequence[str]]


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


@lru_cache(maxsize=8192)
def spellings(word: str) -> list[str]:
    """The name words that earn a query word credit: itself, and one letter off when long enough.
    (Remembered: the same list is returned again, so callers must not change it.)"""
    return [word, *sorted(near_words(word))]


@dataclass(frozen=True)
class LookUp:
    """What to look up for one kind: candidates are the nodes holding (or one letter off) at least
    ``at_least`` of ``words``."""

    words: list[str]
    at_least: int


# Index entries a look-up may read to narrow its candidates (a word's holders count as its entries).
LOOKUP_BUDGET = 30_000
# A look-up needing one of a few words returns about as many candidates as the entries it reads, and
# reading and scoring a candidate costs about ten entries: when it reads more than BROAD_LOOKUP entries,
# a narrower one may read up to BROAD_ALLOWANCE times as many (the 20,000 candidates of a contacts question
# whose rarest words each name thousands of tasks became about 1,000, on the 10,000-document store).
BROAD_LOOKUP = 15_000
BROAD_ALLOWANCE = 3


def words_to_look_up(kind: str, words: list[str], holders: list[int], narrowest: bool = False) -> LookUp:
    """The query words, and how many of them a node must hold, such that every node the kind's
    threshold could accept is among the candidates.

    ``holders[i]`` is how many nodes hold ``words[i]`` (or a spelling one letter off). A node the
    threshold accepts misses query words of weight at most ``missable`` (a word one letter off
    still earns credit). So of any set of words whose lightest members, all but ``m - 1`` of
    them, weigh more than that, it holds at least ``m``: a set of the rarest words read from the
    index, and the nodes found under ``m`` of them. ``m = 1`` needs the fewest words; a larger
    ``m`` reads more entries but keeps only the nodes holding several rare words (in a corpus
    whose names repeat a small vocabulary, far fewer), as long as the entries read stay within
    ``LOOKUP_BUDGET`` (or ``BROAD_ALLOWANCE`` times the entries of ``m = 1``, when those are many). Phrases that only frame a question count for a name that holds them
    (``without_question_words``): a node holding them may miss more of the other words, which
    counting them in ``missable`` makes room for. ``narrowest``: the index intersects whole posting
    lists whatever their length (the embedded store), so the plan needing the most words is taken,
    with no budget."""
    count = dict(zip(words, holders))
    core = without_question_words(words, [])
    missable = (1 - threshold(kind).min_recall + RECALL_ROUNDING) * sum(_weight(w) for w in words)
    rarest = sorted(dict.fromkeys(core), key=lambda w: (count[w], w))
    weight = {w: _weight(w) * core.count(w) for w in rarest}
    plans = []
    for at_least in range(1, len(rarest) + 1):
        size = next((size for size in range(at_least, len(rarest) + 1)
                     if sum(sorted(weight[w] for w in rarest[:size])[:size - at_least + 1]) > missable), None)
        if size is None:
            break
        plans.append(LookUp(rarest[:size], at_least))
    if not plans:  # a threshold so low that a node may miss every word: only holders are ever candidates
        return LookUp(rarest, 1)
    if narrowest:
        return plans[-1]
    entries = [sum(count[w] for w in plan.words) for plan in plans]
    budget = max(entries[0] * (BROAD_ALLOWANCE if entries[0] > BROAD_LOOKUP else 1), LOOKUP_BUDGET)
    return [plan for plan, read in zip(plans, entries) if read <= budget][-1]


# Held-word bounds (``held_bound``): pairs are counted exactly over every set of held words up to this many
# distinct query words, else bounded by all of them
EXACT_PAIRS_WORDS = 8
# Framing phrases a query may hold for ``held_bound`` to bound each version of it (2 ** this many versions)
BOUNDED_PHRASES = 4
# A bound is rounded as a match is, after this much is added for the order of floating-point sums
BOUND_SLACK = 1e-9


class _Bounded(NamedTuple):
    """What bounding a version of a query needs: its distinct words' weights (heaviest first), the most of its
    pairs that k distinct words hold (by k), how many pairs it has and its total weight."""

    weights: list[float]
    most_pairs: list[int]
    pairs: int
    total: float


@lru_cache(maxsize=1024)
def _bounded_versions(query: tuple[str, ...]) -> list[_Bounded] | None:
    """Each version of the query a name may score against (without the framing phrases it does not hold,
    ``without_question_words``), or None when there are too many to bound."""
    distinct = list(dict.fromkeys(query))
    phrases = _framing_phrases(query)
    if len(phrases) > BOUNDED_PHRASES:
        return None
    versions = []
    for chosen in range(2 ** len(phrases)):  # the phrases a name holds: a name of them, apart
        name = [word for i, phrase in enumerate(phrases) if chosen >> i & 1 for word in (*phrase, "")]
        weighed = _Weighed(without_question_words(list(query), name))
        versions.append(_Bounded(sorted((weighed.weight_of.get(word, 0.0) for word in distinct), reverse=True),
                                 _most_pairs([word for word, _, _ in weighed.weighted], distinct),
                                 len(weighed.pairs), weighed.total))
    return versions


@lru_cache(maxsize=16384)
def held_bound(query: tuple[str, ...], exact: int, held: int) -> Match:
    """Bounds on the recall and score of any name of a node that holds ``exact`` of the query's distinct words
    (``dict.fromkeys(query)``) and one letter off ``held - exact`` more: what the index tells of a candidate
    before its names are read. A match gets credit only for the words it holds (less for one letter off),
    counts pairs of words held exactly side by side, and its precision is at most 1; so the bound is the best
    over any such words (the heaviest held exactly), in every version of the query, or no bound (1)."""
    versions = _bounded_versions(query)
    if versions is None:
        return Match(1.0, 1.0)
    recall = score = 0.0
    for version in versions:
        got = (sum(version.weights[:exact]) + FUZZY_CREDIT * sum(version.weights[exact:held])) / version.total
        recall = max(recall, got)
        if version.pairs:
            score = max(score, 0.55 * got + 0.3 * version.most_pairs[exact] / version.pairs + 0.15)
        else:
            score = max(score, 0.85 * got + 0.15)
    return Match(round(recall + BOUND_SLACK, 4), round(score + BOUND_SLACK, 4))


def _most_pairs(version: list[str], distinct: list[str]) -> list[int]:
    """For each k, the most of the version's word pairs (side by side) that k of the distinct words hold."""
    pairs = list(zip(version, version[1:]))
    if len(distinct) > EXACT_PAIRS_WORDS:
        return [len(pairs)] * (len(distinct) + 1)
    bit = {word: 1 << i for i, word in enumerate(distinct)}
    pair_masks = [bit[a] | bit[b] for a, b in pairs]
    most = [0] * (len(distinct) + 1)
    for held in range(2 ** len(distinct)):
        size = held.bit_count()
        most[size] = max(most[size], sum(1 for mask in pair_masks if mask & held == mask))
    return most


class _Weighed:
    """A query's words with what scoring them needs, worked out once."""

    def __init__(self, query: list[str]) -> None:
        self.weighted = [(word, _weight(word), near_words(word)) for word in query]
        self.total = sum(weight for _, weight, _ in self.weighted)
        self.pairs = list(zip(query, query[1:]))
        self.query_set = set(query)
        self.weight_of: dict[str, float] = {}  # a word's weight, times the times the query holds it
        for word, weight, _ in self.weighted:
            self.weight_of[word] = self.weight_of.get(word, 0.0) + weight
        self.spelled = {word for word, _, near in self.weighted if near}  # the words that may earn fuzzy credit
        self.spelled_weight = sum(self.weight_of[word] for word in self.spelled)

    def could_reach(self, name_set: set[str], least: float) -> bool:
        """False when the recall is surely under ``least``: a bound that looks only at the query words
        the name holds, as if every other word long enough had a spelling one letter off in it.
        (Most candidates of a common word hold few of the query's words: refused without scoring.)"""
        got = spelled_held = 0.0
        for word in name_set.intersection(self.weight_of):
            got += self.weight_of[word]
            if word in self.spelled:
                spelled_held += self.weight_of[word]
        return got + FUZZY_CREDIT * (self.spelled_weight - spelled_held) >= least * self.total

    def recall(self, name_set: set[str]) -> float:
        got = 0.0
        for word, weight, near in self.weighted:
            got += (1.0 if word in name_set else FUZZY_CREDIT if not name_set.isdisjoint(near) else 0.0) * weight
        return got / self.total

    def score(self, name: list[str], name_set: set[str]) -> Match:
        """``score_words``, the same numbers computed in the same order."""
        recall = self.recall(name_set)
        query_set = self.query_set
        precision = sum(1 for w in name if w in query_set) / len(name)
        if not self.pairs:
            score = 0.85 * recall + 0.15 * precision
        else:
            name_pairs = set(zip(name, name[1:]))
            pairs = sum(1 for p in self.pairs if p in name_pairs) / len(self.pairs)
            score = 0.55 * recall + 0.3 * pairs + 0.15 * precision
        return Match(round(recall, 4), round(score, 4))


class Scorer:
    """``score_words`` of one query against many names, with what depends only on the query worked out
    once. The question phrases a name does not hold are taken out of the query
    (``without_question_words``): the query as scored depends only on which of them the name holds,
    so each such version is worked out once too."""

    def __init__(self, query: list[str]) -> None:
        self.query = query
        self.phrases = _framing_phrases(tuple(query))
        self.versions: dict[tuple[bool, ...], _Weighed] = {}

    def _version(self, name: list[str], name_set: set[str]) -> _Weighed:
        held = tuple(phrase[0] in name_set and _holds(name, phrase) >= 0 for phrase in self.phrases)
        version = self.versions.get(held)
        if version is None:
            version = self.versions[held] = _Weighed(without_question_words(self.query, name))
        return version

    def score(self, name: list[str]) -> Match:
        if not self.query or not name:
            return Match(0.0, 0.0)
        name_set = set(name)
        return self._version(name, name_set).score(name, name_set)

    def best(self, names: list[list[str]]) -> Match:
        """As ``best_match``: the best score over a node's names."""
        return max((self.score(name) for name in names), key=lambda m: (m.score, m.recall), default=Match(0.0, 0.0))

    def accepted(self, kind: str, names: list[list[str]]) -> Match | None:
        """The best match when ``accept`` takes it, else None. A node none of whose names can reach the
        kind's minimum recall (``_Weighed.could_reach``), or of one name whose recall is too low, is
        refused before the rest of its score is worked out (most candidates of a common word)."""
        if self.query:
            min_recall = threshold(kind).min_recall
            sets = [(name, set(name)) for name in names if name]
            if not any(self._version(name, name_set).could_reach(name_set, min_recall - RECALL_ROUNDING)
                       for name, name_set in sets):
                return None
            if len(sets) == 1 and len(names) == 1:
                name, name_set = sets[0]
                if round(self._version(name, name_set).recall(name_set), 4) < min_recall:
                    return None
        match = self.best(names)
        if kind == "Organization" and not any(same_places(self.query, name) for name in names):
            return None  # "Sở X tỉnh A" asked, "Sở X tỉnh B" found: another place's body, however alike the words
        return match if accept(kind, match) else None


# folded words that open a place's name inside a body's ("ủy ban nhân dân xã A", "sở y tế tỉnh B")
PLACE_TYPES = frozenset({"tinh", "thanh pho", "huyen", "quan", "thi xa", "xa", "phuong", "thi tran", "dac khu"})


def places_named(words: list[str]) -> list[tuple[str, list[str]]]:
    """(type, name words) of each place a body's name is written with: the words after a place type up to
    the next one or the end ('uy ban nhan dan xa lam binh' -> [('xa', ['lam', 'binh'])])."""
    found: list[tuple[str, list[str]]] = []
    i = 0
    while i < len(words):
        two = " ".join(words[i:i + 2])
        size = 2 if two in PLACE_TYPES else 1 if words[i] in PLACE_TYPES else 0
        if size:
            found.append((" ".join(words[i:i + size]), []))
            i += size
            continue
        if found:
            found[-1][1].append(words[i])
        i += 1
    return [(kind, place) for kind, place in found if place]


def same_places(query: list[str], name: list[str]) -> bool:
    """Whether every place the query writes a body with, of a type the name also writes one of, is the name's:
    each of its words in the name (or one letter off one). A body named without places agrees with any."""
    name_set = set(name)
    name_types = {kind for kind, _ in places_named(name)}
    return all(word in name_set or not name_set.isdisjoint(near_words(word))
               for kind, place in places_named(query) if kind in name_types for word in place)


def rank(words: list[str], kind: str, candidates: dict[str, Names]) -> list[tuple[str, Match]]:
    """Accepted candidates (id → folded names) best first; ties broken by id for stable output."""
    return sorted(Ranking(words, kind).accepted(candidates), key=lambda item: (-item[1].score, -item[1].recall, item[0]))


class Ranking:
    """The accepted candidates of one query and kind, given a few at a time (``rank``).

    A name scores as its outline does: its words with those that are neither a query word nor one
    letter off one blanked out (a score counts query words held, one letter off, side by side, and
    the name's length, nothing else). Thousands of candidates of a common word ("kế hoạch số N của
    UBND tỉnh X") have a few hundred outlines, each scored once."""

    def __init__(self, words: list[str], kind: str) -> None:
        self.kind = kind
        self.scorer = Scorer(words)
        self.relevant = set(words).union(*(near_words(w) for w in words))
        self.outcomes: dict[tuple[tuple[str, ...], ...], Match | None] = {}

    def accepted(self, candidates: dict[str, Names]) -> list[tuple[str, Match]]:
        """(id, match) of the accepted candidates, in the candidates' order."""
        relevant, outcomes = self.relevant, self.outcomes
        kept = []
        for cid, names in candidates.items():
            outline = tuple([tuple([w if w in relevant else "" for w in name]) for name in names])
            if outline not in outcomes:
                outcomes[outline] = self.scorer.accepted(self.kind, [list(name) for name in outline])
            match = outcomes[outline]
            if match is not None:
                kept.append((cid, match))
        return kept


def top_tier(ranked: list[tuple[str, Match]], margin: float = 0.02) -> list[str]:
    """Ids whose score is within ``margin`` of the best: the entity the query names."""
    if not ranked:
        return []
    best = ranked[0][1].score
    return [cid for cid, m in ranked if m.score >= best - margin]
