"""The embedded store: SQLite from the standard library, in one file, no server needed.

Tables. ``node_claims`` and ``rel_claims`` hold what each document said (one row per fact
and document); ``nodes`` and ``rels`` hold the merged facts (``graph.claims``), without
their sources, which are read from the claims when a fact is read whole;
``node_first_sources`` and the relationships' own rows keep how many documents support each fact,
the sources of its first documents' claims (as many as an answer shows,
``graph.store.ANSWER_DOCUMENTS``, each once, as an answer writes them), so that a neighbourhood or a
search reads a row per fact, not one per document, and the fact's JSON as an answer shows it but its
sources (joined to them when read, ``graph.answers.fact_json``), so that the API sends a neighbourhood
without building it, and a write that only adds sources makes no JSON again; ``terms`` is the index
of folded name words that questions look candidates up in, ``term_counts`` how many nodes
hold each and ``term_log`` its last changes (both kept by triggers; the log lets each process keep
the posting lists it read in memory, ``_Postings``); ``documents`` lists the
documents; ``mention_graphs``, ``judgements`` and ``resolution_index`` hold resolution's data
(``graph.resolution``: the documents as read, the judgements, indexed by both their ids, and the
index that lets a document be resolved against the store without reading every other one). A
write touches only the rows of the facts its document changed, and merges
a fact again only when needed: a claim from a document whose name sorts after every other
claim's is folded into the stored merge (see ``graph.claims``).

Durability and concurrency come from SQLite: each write is one transaction in WAL mode,
so a writer killed at any moment leaves the previous state; writers of several processes
queue on SQLite's write lock (``BEGIN IMMEDIATE``), and readers never wait. Every read
runs in one read transaction, so it sees one committed state (an immutable snapshot)
however many queries it takes, while a writer commits. Each thread has its own connection,
so the API's worker threads can share one store.

An existing JSON store (``graph.json``, version 1) is migrated on first open and renamed
``graph.json.migrated``.
"""

from __future__ import annotations

import fcntl
import json
import sqlite3
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import groupby, islice
from operator import itemgetter
from pathlib import Path
from sys import intern
from typing import Any

from pydantic import TypeAdapter

from graph import answers
from graph.claims import (
    Claim,
    fold_node,
    fold_relationship,
    merged_node_state,
    merged_relationship,
    name_of_counts,
    node_of_state,
    trusted_node,
    trusted_relationship,
    with_sources,
)
from graph.matching import Names, folded_names
from graph.model import (
    Counts,
    DocumentGraph,
    DocumentInfo,
    Graph,
    Judgement,
    Node,
    Relationship,
    RemoveSummary,
    Source,
    WriteSummary,
    node_kinds,
)
from graph.postings import Numbering, bits_in_at_least, counted, exactly
from graph.store import ANSWER_DOCUMENTS, GraphStore, IndexEntry, Links

STORE_FILE = "lienket.sqlite"
LEGACY_FILE = "graph.json"
RESOLUTION_LOCK_FILE = "resolution.lock"  # held by the one process resolving (``EmbeddedStore.resolving``)
LEGACY_RESOLUTION_FILE = "resolution.json"  # resolution's data beside a JSON store
LEGACY_VERSION = 1
# Kept in SQLite's user_version (8 kept each relationship's document count, first sources and JSON in a table
# of their own, ``rel_first_sources``: a store of 8 or older has them folded into its ``rels`` on open; 7 kept
# each fact's answer JSON with its sources, and its first sources again by document: a store of 7 has its answers split in two on open; 6 lacked the facts' answer JSON: a store of 6 or
# older gains it on open, from the facts and their first sources; 5 lacked the facts' first sources and the index
# of node ids: a store of 5 gains them on open, read from its claims; 4 also lacked resolution's index and the judgements' indexes: a store
# of 4 gains them on open, and resolution fills the index on its first write; 3 also lacked the ends in the
# rels indexes, 2 also the word counts and resolution tables).
FORMAT_VERSION = 9
# A fact keeps the sources of this many first documents' claims: as many as an answer shows.
KEPT_SOURCES = ANSWER_DOCUMENTS
# Each thread's connection caches pages of its own; reads share the file through the OS (mmap), all of it up to
# SQLite's largest map (2 GB): the 10,000-document store is 1.4 GB, and a page past the map is copied by a system
# call into the connection's cache (with 1 GB mapped, a neighbourhood's reads took a third longer).
CACHE_KIB = 16384
# Ingest writes a group of documents in one transaction (``resolving``): it dirties more pages than that cache
# holds, and the pages it lets go are spilled to the log before the commit, some again and again. The
# resolver's connection caches up to this, and keeps it for the next group (the index pages every document
# touches stay cached): 600 documents in groups of 50, 11.4 / 11.5 s of CPU; with the cache shrunk back after
# each group 12.2 / 13.0; one transaction a document, with 16 MB, 12.8-13.8.
WRITE_CACHE_KIB = 131072
MMAP_BYTES = 0x7FFF0000
# Copy the write-ahead log back into the database every this many pages (SQLite's default is
# 1,000): a document's write dirties pages all over the indexes, and each copy ends in an fsync; a page
# several documents dirty between two copies is copied once (1,000 documents written, twice each way:
# 20,000 pages, 80 MB, commits 5.1 / 5.3 s of CPU, 3.9 GB written; 100,000 pages: 4.3 / 4.1 s, 3.2 GB).
CHECKPOINT_PAGES = 100_000
BUSY_TIMEOUT_S = 120.0  # how long a writer waits for another process's write to end
# Posting lists a process keeps in memory per kind at most (a word's list is a bit per node of the kind:
# 11 KB for 91,000 tasks); past that they are read again as asked.
POSTINGS_KEPT = 4096
NAMES_KEPT = 30_000  # decoded names kept by the texts they were decoded from (about 15 MB)
# A look-up finding at most this many nodes of a kind does not tell them apart by the words they hold (``_holder_tiers``)
FEW_HOLDERS = 200
NODE_NAMES_KEPT = 250_000  # nodes whose names a process keeps (``_Postings.names``; the 10,000-document store has 107,853)
# ``warm_up`` reads beforehand the posting lists of the words at least this many nodes hold: such a list
# costs milliseconds to read, a rare word's list less than one.
WARM_MIN_HOLDERS = 1000

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    name TEXT PRIMARY KEY, sha256 TEXT NOT NULL, nodes INTEGER NOT NULL, relationships INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS node_claims (
    document TEXT NOT NULL, node_id TEXT NOT NULL, claim TEXT NOT NULL, sources TEXT NOT NULL,
    PRIMARY KEY (document, node_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS node_claims_by_node ON node_claims (node_id, document);
CREATE TABLE IF NOT EXISTS rel_claims (
    document TEXT NOT NULL, rel_id TEXT NOT NULL, claim TEXT NOT NULL, sources TEXT NOT NULL,
    PRIMARY KEY (document, rel_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rel_claims_by_rel ON rel_claims (rel_id, document);
CREATE TABLE IF NOT EXISTS nodes (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, state TEXT NOT NULL, names TEXT NOT NULL,
    last_document TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nodes_by_kind ON nodes (kind);
-- the ids alone: whether a relationship's end exists is read here, not from the node's wide row (NODE_IDS)
CREATE INDEX IF NOT EXISTS nodes_by_id ON nodes (id);
-- documents, sources, answer: as in node_first_sources, kept in the relationship's row (format 8 kept them in a
-- table of their own, keyed by the same hashed id: a document's write dirtied a page of each table per new
-- relationship, some 90 pages of the 330 a document)
CREATE TABLE IF NOT EXISTS rels (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, start_id TEXT NOT NULL, end_id TEXT NOT NULL, merged TEXT NOT NULL,
    last_document TEXT NOT NULL, documents INTEGER NOT NULL, sources TEXT NOT NULL, answer TEXT NOT NULL
    ) WITHOUT ROWID;
-- each index holds the other end: a node's neighbours are read from the index alone
CREATE INDEX IF NOT EXISTS rels_by_start ON rels (start_id, type, end_id);
CREATE INDEX IF NOT EXISTS rels_by_end ON rels (end_id, type, start_id);
-- documents: how many support the fact; sources: those of its first KEPT_SOURCES documents' claims, each once, as
-- an answer writes them (``_kept``); answer: the fact's JSON as an answer shows it, but its sources (``_node_json``;
-- ``answers.fact_json`` puts the two together): a claim from one more document rewrites its sources, not its JSON
-- (format 7 kept the answer with its sources, rebuilt on every such claim, and the sources twice: a write cost 31%
-- more CPU than without answers). In the row a write rewrites anyway (in tables of their own, the answers cost a
-- write 48% more CPU: their rows dirtied pages of their own).
-- Beside the facts' rows, not in them: a hub's would then overflow its page, and reading a province's state took
-- twice as long.
CREATE TABLE IF NOT EXISTS node_first_sources (
    id TEXT PRIMARY KEY, documents INTEGER NOT NULL, sources TEXT NOT NULL, answer TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mention_graphs (document TEXT PRIMARY KEY, graph TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS document_texts (document TEXT PRIMARY KEY, text TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS judgements (id TEXT PRIMARY KEY, judgement TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS judgements_by_left ON judgements (json_extract(judgement, '$.left'));
CREATE INDEX IF NOT EXISTS judgements_by_right ON judgements (json_extract(judgement, '$.right'));
CREATE TABLE IF NOT EXISTS resolution_index (
    owner TEXT NOT NULL, key TEXT NOT NULL, member TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (owner, key, member)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS resolution_index_by_key ON resolution_index (key, member);
CREATE TABLE IF NOT EXISTS terms (
    kind TEXT NOT NULL, word TEXT NOT NULL, node_id TEXT NOT NULL, PRIMARY KEY (kind, word, node_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS term_counts (
    kind TEXT NOT NULL, word TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (kind, word)) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS term_added AFTER INSERT ON terms BEGIN
    INSERT INTO term_counts VALUES (NEW.kind, NEW.word, 1) ON CONFLICT (kind, word) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS term_removed AFTER DELETE ON terms BEGIN
    UPDATE term_counts SET n = n - 1 WHERE kind = OLD.kind AND word = OLD.word;
END;
-- every change of the index of words, in order: a process keeping posting lists in memory applies those
-- made since it read them (``_Postings``); the last 100,000 are kept (added to a store on open, whatever
-- its format). A change's seq is one more than the last's: pruning keeps the last rows, so it never goes back
CREATE TABLE IF NOT EXISTS term_log (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, word TEXT NOT NULL,
    node_id TEXT NOT NULL, added INTEGER NOT NULL);
CREATE TRIGGER IF NOT EXISTS term_logged_added AFTER INSERT ON terms BEGIN
    INSERT INTO term_log (kind, word, node_id, added) VALUES (NEW.kind, NEW.word, NEW.node_id, 1);
END;
CREATE TRIGGER IF NOT EXISTS term_logged_removed AFTER DELETE ON terms BEGIN
    INSERT INTO term_log (kind, word, node_id, added) VALUES (OLD.kind, OLD.word, OLD.node_id, 0);
END;
CREATE TRIGGER IF NOT EXISTS term_log_pruned AFTER INSERT ON term_log WHEN NEW.seq % 10000 = 0 BEGIN
    DELETE FROM term_log WHERE seq <= NEW.seq - 100000;
END;
"""
# The last object of the schema: a store holding it holds the rest.
LAST_IN_SCHEMA = "term_log_pruned"

# The table of relationships' first sources of formats 5 to 8, which older formats' migrations fill before it
# is folded into ``rels``.
LEGACY_REL_FIRST_SOURCES = """CREATE TABLE IF NOT EXISTS rel_first_sources (
    id TEXT PRIMARY KEY, documents INTEGER NOT NULL, sources TEXT NOT NULL, answer TEXT NOT NULL) WITHOUT ROWID"""

# A list of ids travels as one JSON parameter: no limit on how many, one prepared statement.
IDS = "(SELECT value FROM json_each(?))"
# A relationship is drawn only while both its nodes exist (a document may link to a node it does not claim).
# SQLite's planner would check a node's existence in its row, which holds its state: the index of ids alone is a
# few hundred pages (a depth-2 neighbourhood checks some 3,000 ends).
NODE_IDS = "nodes INDEXED BY nodes_by_id"
DRAWN = f"EXISTS (SELECT 1 FROM {NODE_IDS} WHERE id = r.start_id) AND EXISTS (SELECT 1 FROM {NODE_IDS} WHERE id = r.end_id)"
# The same, for the relationships of a list of nodes: each listed node is looked up once, not once per relationship.
EXISTING = f"(SELECT id FROM {NODE_IDS} WHERE id IN (SELECT value FROM json_each(?)))"


def _far_end_drawn(end: str) -> str:
    """DRAWN for the relationships of nodes known to exist: the node at their other end exists."""
    return f"EXISTS (SELECT 1 FROM {NODE_IDS} WHERE id = r.{end})"


def _statements(script: str) -> list[str]:
    """The SQL statements of a script (a trigger's body holds semicolons of its own)."""
    found, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            found.append(current.strip())
            current = ""
    return found


# What json.dumps(value, ensure_ascii=False) makes on each call. The values are trees of plain data (never
# circular): not checking saves a set of ids per container, on each of the few hundred texts a document writes.
_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False)


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)


def _loads_each(texts: Iterable[str]) -> list[Any]:
    """Many JSON texts decoded in one call: half the time of a call each, for the few hundred bytes of
    a fact's state or a claim's sources (a depth-2 neighbourhood decodes about 5,000 of them)."""
    return json.loads(f"[{','.join(texts)}]")


def _split(claim: Claim) -> tuple[str, str]:
    """A claim as stored: its text without sources, and its sources."""
    body = {k: v for k, v in claim.items() if k != "sources"}
    return _dumps(body), _dumps(claim.get("sources", []))


def _sources_text(fact: Node | Relationship, encoded: dict[Source, str]) -> str:
    """The sources as ``_split`` gives them, each source encoded once (a table row's quote supports
    some forty facts; Sources are frozen, so equal ones, even made apart, share a text)."""
    texts = []
    for source in fact.sources:
        text = encoded.get(source)
        if text is None:
            text = encoded[source] = _dumps(source.model_dump(mode="json"))
        texts.append(text)
    return f"[{', '.join(texts)}]"


def _kept_suffices(first: int | None) -> bool:
    """Whether the sources a fact keeps are those of its first ``first`` documents (what an answer shows)."""
    return first == KEPT_SOURCES


def _loads_pairs(rows: list[tuple[Any, ...]]) -> list[Any]:
    """The last two columns of each row (a fact's JSON and its kept sources), decoded in one call."""
    return _loads_each(f"[{row[-2]},{row[-1]}]" for row in rows)


# A fact's kept sources are written as its model writes its sources: each source once, in one list.
_SOURCE_LIST = TypeAdapter(list[Source])


def _kept(groups: Iterable[str]) -> str:
    """The sources a fact keeps, from its claims' sources texts (by document; the first ``KEPT_SOURCES``
    documents' are kept): each once, as ``with_sources`` gives them, written as the fact's model writes them."""
    seen: dict[tuple[str, str], Source] = {}
    for text in islice(groups, KEPT_SOURCES):
        for source in _SOURCE_LIST.validate_json(text):
            seen.setdefault((source.document, source.quote), source)
    return _SOURCE_LIST.dump_json(list(seen.values())).decode()


def _kept_after(kept: str, documents: int, sources: str) -> str:
    """The sources a fact keeps after a claim from a document sorting after its ``documents`` others."""
    return kept if documents >= KEPT_SOURCES else _kept([kept, sources])


def _counted_and_kept(rows: Iterable[tuple[str, str]]) -> Iterator[tuple[str, int, str]]:
    """(fact id, document count, kept sources) of each fact, from its claims' (fact id, sources) rows by fact
    and document."""
    for fact_id, claims in groupby(rows, itemgetter(0)):
        sources = [text for _, text in claims]
        yield fact_id, len(sources), _kept(sources)


# A fact's JSON is kept without its sources (the last field of its model), which change while it has fewer than
# KEPT_SOURCES documents: a claim from one more document then rewrites its kept sources, not its JSON
# (``answers.fact_json`` puts them together).
def _node_json(state: dict[str, Any]) -> str:
    """A node's JSON as an answer shows it, but its sources, from its merged state."""
    return trusted_node(node_of_state(state)).model_dump_json(exclude={"sources"})


def _rel_json(merged: Claim) -> str:
    """As ``_node_json``, for a relationship."""
    return trusted_relationship(merged).model_dump_json(exclude={"sources"})


def _split_answer(answer: str) -> tuple[str, str]:
    """A fact's JSON and its sources, from its answer JSON as store format 7 kept it. Its sources are its
    model's last field; a quote cannot hold the unescaped quotation marks of ``,"sources":[``."""
    at = answer.rfind(',"sources":[')
    return f"{answer[:at]}}}", answer[at + len(',"sources":'):-1]


def _use_wal(connection: sqlite3.Connection) -> None:
    """Put the store in WAL mode, waiting while another process holds a lock: on a new file two
    processes switch at once, and SQLite answers the loser "database is locked" at once instead of
    calling its busy handler."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class _Postings:
    """The posting lists of the index of words as they were after its change ``seq`` (``term_log``), each
    read from the index the first time a question needs it: a bit set (a Python int) over the nodes.
    Counting which nodes hold enough of a question's words is then a few operations on whole bit sets,
    however many nodes hold each word (the corpus names tasks from a small vocabulary: thousands)."""

    def __init__(self, seq: int, numbering: Numbering, words: dict[tuple[str, str], int] | None = None,
                 vocabularies: dict[str, frozenset[str]] | None = None, names: dict[str, Names] | None = None) -> None:
        self.seq = seq
        self.numbering = numbering
        self.words = words or {}  # (kind, word) -> bit set
        # kind -> the words the index has held for it since read (a word no node holds any more stays: its
        # list is then empty), so that a look-up's spellings one letter off, hundreds a word, most of them no
        # word of the kind, are told apart in memory (asking the index cost a contacts question 1.2 ms)
        self.vocabularies = vocabularies or {}
        # node id -> its folded names, as read at this version: a write that changes a node's names takes its
        # words out of the index and puts the new ones in (``_merge_nodes``, ``_unindex``), so the log names
        # every node whose names changed since (a costly contacts question read 700 candidates' names: 3.6 ms)
        self.names = names or {}
        self.lock = threading.Lock()

    def vocabulary(self, kind: str, read: Callable[[], list[str]]) -> frozenset[str]:
        """The words of a kind, read with ``read`` the first time."""
        found = self.vocabularies.get(kind)
        if found is None:
            with self.lock:
                found = self.vocabularies.get(kind)
                if found is None:
                    found = self.vocabularies[kind] = frozenset(read())
        return found

    def bits(self, kind: str, word: str, read: Callable[[], list[str]]) -> int:
        """The posting list, read with ``read`` (the node ids holding the word) the first time."""
        found = self.words.get((kind, word))
        if found is not None:
            return found
        with self.lock:
            found = self.words.get((kind, word))  # read by another thread meanwhile
            if found is None:
                if len(self.words) >= POSTINGS_KEPT:
                    self.words.clear()
                found = self.words[kind, word] = self.numbering.bits(read())
        return found

    def changed(self, changes: list[tuple[int, str, str, str, int]]) -> _Postings:
        """The posting lists after these changes (seq, kind, word, node id, added), in order: a new
        version, so that a question reading this one keeps what its read transaction sees."""
        words = dict(self.words)
        last = {}  # the last change of each entry of the lists read
        new_words: dict[str, set[str]] = defaultdict(set)
        for _, kind, word, node_id, added in changes:
            if (kind, word) in words:
                last[kind, word, node_id] = added
            if added and kind in self.vocabularies and word not in self.vocabularies[kind]:
                new_words[kind].add(word)
        added_nodes: dict[tuple[str, str], list[str]] = defaultdict(list)
        removed_nodes: dict[tuple[str, str], list[str]] = defaultdict(list)
        for (kind, word, node_id), added in last.items():
            (added_nodes if added else removed_nodes)[kind, word].append(node_id)
        for key in added_nodes.keys() | removed_nodes.keys():
            words[key] = words[key] & ~self.numbering.bits(removed_nodes[key]) | self.numbering.bits(added_nodes[key])
        vocabularies = {**self.vocabularies, **{kind: self.vocabularies[kind] | added_words
                                                for kind, added_words in new_words.items()}}
        names = dict(self.names)
        for node_id in {change[3] for change in changes}:
            names.pop(node_id, None)
        return _Postings(changes[-1][0], self.numbering, words, vocabularies, names)

    def named(self, node_ids: list[str], read: Callable[[list[str]], list[tuple[str, Names]]]) -> list[tuple[str, Names]]:
        """(id, folded names) of these nodes that exist, those not kept yet read with ``read`` (the nodes
        that exist of those asked, with their names)."""
        kept = self.names
        missing = [node_id for node_id in node_ids if node_id not in kept]
        read_now = dict(read(missing)) if missing else {}
        if read_now:
            if len(kept) + len(read_now) > NODE_NAMES_KEPT:
                kept.clear()  # another thread may be reading it: each keeps what it read in ``read_now``
            kept.update(read_now)
        return [(node_id, names) for node_id in node_ids
                if (names := read_now.get(node_id, kept.get(node_id))) is not None]


class EmbeddedStore(GraphStore):
    """A GraphStore in one SQLite file under ``path``."""

    _narrowest_look_up = True  # posting lists intersected in memory (``_Postings``)
    _tiers_held = True  # and the candidates told apart by how many of a question's words they hold

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self._file = self.path / STORE_FILE
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._names_kept: dict[str, Names] = {}
        self._resolving_lock = threading.RLock()
        self._resolving_depth = 0
        self._kinds = frozenset(node_kinds())
        self._postings = _Postings(-1, Numbering())  # the latest version read, shared by the threads
        self._create_schema()
        if (self.path / LEGACY_FILE).exists():
            self._migrate()

    @contextmanager
    def resolving(self) -> Iterator[None]:
        """One resolver at a time, across this process's threads and other processes: an exclusive
        lock on a file beside the store (two resolvers interleaved would leave its index short of
        what the other wrote). What resolution reads and writes inside is one write transaction:
        a document goes in whole or not at all, and the pages several steps change are written to
        the log once (a document's write was seven transactions)."""
        with self._resolving_lock:
            self._resolving_depth += 1
            try:
                if self._resolving_depth > 1:
                    yield
                    return
                with open(self.path / RESOLUTION_LOCK_FILE, "a") as lock:
                    fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
                    self._db().execute(f"PRAGMA cache_size=-{WRITE_CACHE_KIB}")
                    with self._writing():
                        yield
            finally:
                self._resolving_depth -= 1

    # --- connections and transactions ------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use)."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self._file, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                         check_same_thread=False)
            # WAL: readers keep their snapshot while a writer commits. NORMAL sync in WAL mode never
            # corrupts the store; a power cut may lose the last commits, never half of one.
            _use_wal(connection)
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            connection.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
            connection.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")
            self._local.connection = connection
            self._local.depth = 0
            self._local.writing = False
            with self._connections_lock:
                self._connections.append(connection)
        return connection

    def _create_schema(self) -> None:
        db = self._db()
        if db.execute("PRAGMA user_version").fetchone()[0] == FORMAT_VERSION and db.execute(
                "SELECT 1 FROM sqlite_master WHERE name = ?", (LAST_IN_SCHEMA,)).fetchone():
            return  # created before: opening takes no write lock
        with self._writing() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, 2, 3, 4, 5, 6, 7, 8, FORMAT_VERSION):
                raise RuntimeError(f"{self._file}: unsupported store format {version!r}")
            if version in (2, 3):  # the rels indexes without the other end: built again below
                db.execute("DROP INDEX IF EXISTS rels_by_start")
                db.execute("DROP INDEX IF EXISTS rels_by_end")
            if version in (2, 3, 4, 5, 6, 7, 8):
                db.execute(LEGACY_REL_FIRST_SOURCES)
            for statement in _statements(SCHEMA):
                db.execute(statement)
            if version == 2:  # words indexed before their counts were kept
                db.execute("INSERT INTO term_counts SELECT kind, word, COUNT(*) FROM terms GROUP BY kind, word")
            if version in (2, 3, 4, 5):  # facts merged before their first sources were kept: read from the claims
                for kept, claims, column in (("node_first_sources", "node_claims", "node_id"),
                                             ("rel_first_sources", "rel_claims", "rel_id")):
                    rows = db.cursor().execute(f"SELECT {column}, sources FROM {claims} ORDER BY {column}, document")
                    db.executemany(f"INSERT OR REPLACE INTO {kept} VALUES (?, ?, ?, '')", _counted_and_kept(rows))
            if version == 6:  # the first sources without the facts' answer JSON
                for kept in ("node_first_sources", "rel_first_sources"):
                    db.execute(f"ALTER TABLE {kept} ADD COLUMN answer TEXT NOT NULL DEFAULT ''")
            if version in (2, 3, 4, 5, 6, 7):
                self._keep_answers(db, version)
            if version in (2, 3, 4, 5, 6, 7, 8):
                self._fold_rel_first_sources(db)
            db.execute(f"PRAGMA user_version={FORMAT_VERSION}")

    @staticmethod
    def _fold_rel_first_sources(db: sqlite3.Connection) -> None:
        """The relationships' rows with their first sources (``rel_first_sources``, formats 5 to 8) in them: the
        table written again in the order of its key (each row appended; updated in place, each would split
        pages), then its indexes."""
        db.execute("ALTER TABLE rels RENAME TO rels_format_8")
        db.execute("DROP INDEX rels_by_start")
        db.execute("DROP INDEX rels_by_end")
        for statement in _statements(SCHEMA):
            db.execute(statement)
        db.execute("INSERT INTO rels SELECT r.id, r.type, r.start_id, r.end_id, r.merged, r.last_document, "
                   "k.documents, k.sources, k.answer FROM rels_format_8 r JOIN rel_first_sources k ON k.id = r.id "
                   "ORDER BY r.id")
        db.execute("DROP TABLE rels_format_8")
        db.execute("DROP TABLE rel_first_sources")

    @staticmethod
    def _keep_answers(db: sqlite3.Connection, version: int) -> None:
        """Each fact's JSON and kept sources as this format keeps them (a store of format 7 or older): split from
        its answer JSON (7), or made from the fact and its first sources (older; those of 6 kept by document)."""
        db.create_function("split_json", 1, lambda answer: _split_answer(answer)[0], deterministic=True)
        db.create_function("split_sources", 1, lambda answer: _split_answer(answer)[1], deterministic=True)
        db.create_function("kept_of_groups", 1, lambda groups: _kept(map(_dumps, json.loads(groups))),
                           deterministic=True)
        db.create_function("node_json", 1, lambda state: _node_json(json.loads(state)), deterministic=True)
        db.create_function("rel_json", 1, lambda merged: _rel_json(json.loads(merged)), deterministic=True)
        for kept, facts, column, fact_json in (("node_first_sources", "nodes", "state", "node_json"),
                                               ("rel_first_sources", "rels", "merged", "rel_json")):
            if version == 7:  # in one statement: each side of an assignment reads the row as it was
                db.execute(f"UPDATE {kept} SET answer = split_json(answer), sources = split_sources(answer)")
                continue
            if version == 6:
                db.execute(f"UPDATE {kept} SET sources = kept_of_groups(sources)")
            db.execute(f"UPDATE {kept} SET answer = {fact_json}((SELECT f.{column} FROM {facts} f WHERE f.id = {kept}.id))")

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """One read transaction for everything read inside (nested uses share it; inside a write, the
        write's transaction, which sees what it wrote)."""
        db = self._db()
        if self._local.depth == 0:
            if not self._local.writing:
                db.execute("BEGIN")
            self._local.counts = {}  # document counts read with the facts, for these reads only
        self._local.depth += 1
        try:
            yield
        finally:
            self._local.depth -= 1
            if self._local.depth == 0:
                if not self._local.writing:
                    db.execute("COMMIT")
                self._local.counts = {}

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: waits for other writers, commits whole or not at all. Nested
        inside another (resolution writes a document in one), it is part of the outer one."""
        db = self._db()
        if self._local.writing:
            yield db
            return
        db.execute("BEGIN IMMEDIATE")
        self._local.writing = True
        try:
            yield db
            self._commit(db)
        except BaseException:
            if db.in_transaction:  # some errors (a full disk, say) roll the transaction back themselves
                db.execute("ROLLBACK")
            raise
        finally:
            self._local.writing = False

    @staticmethod
    def _commit(db: sqlite3.Connection) -> None:
        db.execute("COMMIT")

    def close(self) -> None:
        """Close every thread's connection."""
        with self._connections_lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        self._local = threading.local()

    # --- writing -------------------------------------------------------------------
    def write_document(self, doc: DocumentGraph) -> WriteSummary:
        encoded: dict[Source, str] = {}
        node_bodies = {n.id: n.model_dump(mode="json", exclude={"sources"}) for n in doc.nodes}
        rel_bodies = {r.id: r.model_dump(mode="json", exclude={"sources"}) for r in doc.relationships}
        nodes = {n.id: (_dumps(node_bodies[n.id]), _sources_text(n, encoded)) for n in doc.nodes}
        rels = {r.id: (_dumps(rel_bodies[r.id]), _sources_text(r, encoded)) for r in doc.relationships}
        with self._writing() as db:
            return self._apply(db, doc.document, doc.sha256, nodes, rels, (node_bodies, rel_bodies))

    def _apply(self, db: sqlite3.Connection, document: str, sha256: str, nodes: dict[str, tuple[str, str]],
               rels: dict[str, tuple[str, str]], bodies: tuple[dict[str, Claim], dict[str, Claim]] = ({}, {}),
               ) -> WriteSummary:
        """Replace a document's claims by these ones (claim text, sources text), inside a write.
        ``bodies``: the claims' texts as parsed, when the caller has them (else they are parsed here)."""
        known = db.execute("SELECT sha256 FROM documents WHERE name = ?", (document,)).fetchone()
        old_nodes = {r[0]: (r[1], r[2]) for r in db.execute(
            "SELECT node_id, claim, sources FROM node_claims WHERE document = ?", (document,))}
        old_rels = {r[0]: (r[1], r[2]) for r in db.execute(
            "SELECT rel_id, claim, sources FROM rel_claims WHERE document = ?", (document,))}
        if known and known[0] == sha256 and old_nodes == nodes and old_rels == rels:
            return WriteSummary(document=document, status="unchanged", nodes=len(nodes), relationships=len(rels))
        nodes_added = len(set(nodes) - self._existing(db, "nodes", nodes))
        rels_added = len(set(rels) - self._existing(db, "rels", rels))
        changed_nodes = {i for i in nodes.keys() | old_nodes.keys() if nodes.get(i) != old_nodes.get(i)}
        changed_rels = {i for i in rels.keys() | old_rels.keys() if rels.get(i) != old_rels.get(i)}
        db.execute("DELETE FROM node_claims WHERE document = ?", (document,))
        db.execute("DELETE FROM rel_claims WHERE document = ?", (document,))
        # in key order: each row goes at the end of the table's tree instead of splitting pages all over it
        db.executemany("INSERT INTO node_claims VALUES (?, ?, ?, ?)",
                       [(document, i, claim, sources) for i, (claim, sources) in sorted(nodes.items())])
        db.executemany("INSERT INTO rel_claims VALUES (?, ?, ?, ?)",
                       [(document, i, claim, sources) for i, (claim, sources) in sorted(rels.items())])
        appended_nodes = {i for i in changed_nodes if i in nodes and i not in old_nodes}
        appended_rels = {i for i in changed_rels if i in rels and i not in old_rels}
        node_bodies, rel_bodies = bodies
        self._merge_nodes(db, document, changed_nodes,
                          {i: (node_bodies.get(i) or json.loads(nodes[i][0]), nodes[i][1]) for i in appended_nodes})
        self._merge_rels(db, document, changed_rels,
                         {i: (rel_bodies.get(i) or json.loads(rels[i][0]), rels[i][1]) for i in appended_rels})
        db.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?)", (document, sha256, len(nodes), len(rels)))
        return WriteSummary(document=document, status="replaced" if known else "added", nodes_added=nodes_added,
                            relationships_added=rels_added, nodes=len(nodes), relationships=len(rels))

    @staticmethod
    def _existing(db: sqlite3.Connection, table: str, ids: Iterable[str]) -> set[str]:
        return {r[0] for r in db.execute(f"SELECT id FROM {table} WHERE id IN {IDS}", (_dumps(list(ids)),))}

    def _merge_nodes(self, db: sqlite3.Connection, document: str, ids: set[str],
                     appended: dict[str, tuple[Claim, str]]) -> None:
        """Merge again the nodes whose claims changed, folding in a claim where the order allows.
        ``appended``: the claims (and their sources texts) this document adds to a node."""
        stored = {r[0]: (json.loads(r[1]), r[2], r[3], r[4], r[5], r[6]) for r in db.execute(
            "SELECT n.id, n.state, n.names, n.last_document, k.documents, k.sources, k.answer FROM nodes n "
            f"JOIN node_first_sources k ON k.id = n.id WHERE n.id IN {IDS}", (_dumps(sorted(ids)),))}
        rows, kept_rows, terms = [], [], []  # written in one statement each (a long table's document has thousands)
        for node_id in sorted(ids):
            old = stored.get(node_id)
            if node_id in appended and old is not None and old[2] < document:
                claim, sources = appended[node_id]
                state, last, documents = fold_node(old[0], claim), document, old[3] + 1
                kept = _kept_after(old[4], old[3], sources)
            elif node_id in appended and old is None:  # a new node: this claim is its only one
                claim, sources = appended[node_id]
                state, last, documents, kept = merged_node_state({document: claim}), document, 1, _kept([sources])
            else:
                found = db.execute("SELECT document, claim, sources FROM node_claims WHERE node_id = ? ORDER BY document",
                                   (node_id,)).fetchall()
                if not found:
                    db.execute("DELETE FROM nodes WHERE id = ?", (node_id,))
                    db.execute("DELETE FROM node_first_sources WHERE id = ?", (node_id,))
                    if old is not None:
                        EmbeddedStore._unindex(db, node_id, old[0]["kind"], old[1])
                    continue
                state = merged_node_state({d: json.loads(claim) for d, claim, _ in found})
                last, documents, kept = found[-1][0], len(found), _kept([sources for _, _, sources in found])
            node = node_of_state(state)
            if old is not None and node_of_state(old[0])["name"] == node["name"] and old[0]["names"] == state["names"]:
                names_text = old[1]  # same names: folding them again would give the same words
            else:
                names_text = _dumps(folded_names([node["name"], *node["aliases"]]))
            names = json.loads(names_text)
            rows.append((node_id, state["kind"], _dumps(state), names_text, last))
            same = old is not None and node_of_state(old[0]) == node  # the name, aliases and properties alike
            kept_rows.append((node_id, documents, kept, old[5] if same else _node_json(state)))
            # all the words out and in again, even those kept: the log then names every node whose names changed,
            # which the names each process keeps rely on (``_Postings.names``)
            if old is None or old[1] != names_text or old[0]["kind"] != state["kind"]:
                if old is not None:
                    self._unindex(db, node_id, old[0]["kind"], old[1])
                terms += [(state["kind"], word, node_id) for word in sorted({w for n in names for w in n})]
        # an upsert, not a replace: the indexes of a node rewritten keep their entries untouched (a replace deletes
        # and inserts them again, dirtying their pages)
        db.executemany("INSERT INTO nodes VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, "
                       "state = excluded.state, names = excluded.names, last_document = excluded.last_document", rows)
        db.executemany("INSERT OR REPLACE INTO node_first_sources VALUES (?, ?, ?, ?)", kept_rows)
        db.executemany("INSERT INTO terms VALUES (?, ?, ?)", terms)

    @staticmethod
    def _unindex(db: sqlite3.Connection, node_id: str, kind: str, names_text: str) -> None:
        """Remove a node's words from the term index (the words of the names it was indexed under)."""
        words = sorted({w for name in json.loads(names_text) for w in name})
        db.executemany("DELETE FROM terms WHERE kind = ? AND word = ? AND node_id = ?",
                       [(kind, word, node_id) for word in words])

    @staticmethod
    def _merge_rels(db: sqlite3.Connection, document: str, ids: set[str],
                    appended: dict[str, tuple[Claim, str]]) -> None:
        """As ``_merge_nodes``, for relationships."""
        stored = {r[0]: (json.loads(r[1]), r[2], r[3], r[4], r[5]) for r in db.execute(
            f"SELECT id, merged, last_document, documents, sources, answer FROM rels WHERE id IN {IDS}",
            (_dumps(sorted(ids)),))}
        rows = []
        for rel_id in sorted(ids):
            old = stored.get(rel_id)
            if rel_id in appended and old is not None and old[1] < document:
                claim, sources = appended[rel_id]
                merged, last, documents = fold_relationship(old[0], claim), document, old[2] + 1
                kept = _kept_after(old[3], old[2], sources)
            elif rel_id in appended and old is None:  # a new relationship: this claim is its only one
                claim, sources = appended[rel_id]
                merged, last, documents, kept = merged_relationship({document: claim}), document, 1, _kept([sources])
            else:
                found = db.execute("SELECT document, claim, sources FROM rel_claims WHERE rel_id = ? ORDER BY document",
                                   (rel_id,)).fetchall()
                if not found:
                    db.execute("DELETE FROM rels WHERE id = ?", (rel_id,))
                    continue
                merged = merged_relationship({d: json.loads(claim) for d, claim, _ in found})
                last, documents, kept = found[-1][0], len(found), _kept([sources for _, _, sources in found])
            same = old is not None and old[0] == merged
            rows.append((rel_id, merged["type"], merged["start"], merged["end"], _dumps(merged), last, documents, kept,
                         old[4] if same else _rel_json(merged)))
        # an upsert, as in ``_merge_nodes`` (a relationship's id stands for its type and ends)
        db.executemany("INSERT INTO rels VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                       "merged = excluded.merged, last_document = excluded.last_document, "
                       "documents = excluded.documents, sources = excluded.sources, answer = excluded.answer", rows)

    def remove_document(self, document: str) -> RemoveSummary:
        with self._writing() as db:
            if db.execute("SELECT 1 FROM documents WHERE name = ?", (document,)).fetchone() is None:
                raise KeyError(document)
            node_ids = {r[0] for r in db.execute("SELECT node_id FROM node_claims WHERE document = ?", (document,))}
            rel_ids = {r[0] for r in db.execute("SELECT rel_id FROM rel_claims WHERE document = ?", (document,))}
            db.execute("DELETE FROM node_claims WHERE document = ?", (document,))
            db.execute("DELETE FROM rel_claims WHERE document = ?", (document,))
            db.execute("DELETE FROM documents WHERE name = ?", (document,))
            db.execute("DELETE FROM document_texts WHERE document = ?", (document,))
            self._merge_nodes(db, document, node_ids, {})
            self._merge_rels(db, document, rel_ids, {})
            nodes_left = self._existing(db, "nodes", node_ids)
            rels_left = self._existing(db, "rels", rel_ids)
        return RemoveSummary(document=document, nodes_deleted=len(node_ids - nodes_left),
                             relationships_deleted=len(rel_ids - rels_left))

    def clear(self) -> None:
        with self._writing() as db:
            for table in ("documents", "node_claims", "rel_claims", "nodes", "rels", "node_first_sources",
                          "terms", "mention_graphs",
                          "document_texts", "judgements", "resolution_index"):
                db.execute(f"DELETE FROM {table}")

    def _migrate(self) -> None:
        """Load a JSON store of the previous format (claims by fact, then by document)."""
        legacy = self.path / LEGACY_FILE
        with self._writing() as db:
            if not legacy.exists():  # another process migrated it while this one waited
                return
            data = json.loads(legacy.read_text(encoding="utf-8"))
            if data.get("version") != LEGACY_VERSION:
                raise RuntimeError(f"{legacy}: unsupported store format {data.get('version')!r}")
            nodes: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
            rels: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
            for node_id, claims in data["nodes"].items():
                for document, claim in claims.items():
                    nodes[document][node_id] = _split(Node.model_validate(claim).model_dump(mode="json"))
            for rel_id, claims in data["relationships"].items():
                for document, claim in claims.items():
                    rels[document][rel_id] = _split(Relationship.model_validate(claim).model_dump(mode="json"))
            for document, sha256 in sorted(data["documents"].items()):
                self._apply(db, document, sha256, nodes[document], rels[document])
            resolution = self.path / LEGACY_RESOLUTION_FILE
            if resolution.exists():
                kept = json.loads(resolution.read_text(encoding="utf-8"))
                db.executemany("INSERT OR REPLACE INTO mention_graphs VALUES (?, ?)",
                               [(d, DocumentGraph.model_validate(g).model_dump_json())
                                for d, g in kept.get("mentions", {}).items()])
                db.executemany("INSERT OR REPLACE INTO judgements VALUES (?, ?)",
                               [(i, Judgement.model_validate(j).model_dump_json())
                                for i, j in kept.get("judgements", {}).items()])
        legacy.rename(self.path / f"{LEGACY_FILE}.migrated")
        if (self.path / LEGACY_RESOLUTION_FILE).exists():
            (self.path / LEGACY_RESOLUTION_FILE).rename(self.path / f"{LEGACY_RESOLUTION_FILE}.migrated")

    # --- resolution data ----------------------------------------------------------------
    def mention_graphs(self, skip: str | None = None, only: Iterable[str] | None = None) -> dict[str, DocumentGraph]:
        if only is None:
            rows = self._rows("SELECT document, graph FROM mention_graphs WHERE document IS NOT ? ORDER BY document",
                              skip)
        else:
            rows = self._rows(f"SELECT document, graph FROM mention_graphs WHERE document IN {IDS} "
                              "AND document IS NOT ? ORDER BY document", _dumps(sorted(set(only))), skip)
        return {document: DocumentGraph.model_validate_json(graph) for document, graph in rows}

    def save_mention_graph(self, doc: DocumentGraph) -> None:
        with self._writing() as db:
            db.execute("INSERT OR REPLACE INTO mention_graphs VALUES (?, ?)", (doc.document, doc.model_dump_json()))

    def drop_mention_graph(self, document: str) -> None:
        with self._writing() as db:
            db.execute("DELETE FROM mention_graphs WHERE document = ?", (document,))

    def document_text(self, document: str) -> str | None:
        rows = self._rows("SELECT text FROM document_texts WHERE document = ?", document)
        return rows[0][0] if rows else None

    def save_document_text(self, document: str, text: str) -> None:
        with self._writing() as db:
            if db.execute("SELECT 1 FROM documents WHERE name = ?", (document,)).fetchone() is None:
                raise KeyError(document)
            db.execute("INSERT OR REPLACE INTO document_texts VALUES (?, ?)", (document, text))

    def judgements(self) -> list[Judgement]:
        return [Judgement.model_validate_json(text) for _, text in self._rows(
            "SELECT id, judgement FROM judgements ORDER BY id")]

    def save_judgements(self, judgements: list[Judgement]) -> None:
        with self._writing() as db:
            db.executemany("INSERT OR REPLACE INTO judgements VALUES (?, ?)",
                           [(j.id, j.model_dump_json()) for j in judgements])

    def drop_judgements(self, ids: list[str]) -> None:
        with self._writing() as db:
            db.executemany("DELETE FROM judgements WHERE id = ?", [(i,) for i in ids])

    def judgements_about(self, ids: Iterable[str]) -> list[Judgement]:
        listed = _dumps(sorted(set(ids)))
        rows = self._rows(f"SELECT id, judgement FROM judgements WHERE json_extract(judgement, '$.left') IN {IDS} "
                          f"UNION SELECT id, judgement FROM judgements WHERE json_extract(judgement, '$.right') IN {IDS} "
                          "ORDER BY id", listed, listed)
        return [Judgement.model_validate_json(text) for _, text in rows]

    def index_entries(self, keys: Iterable[str] = (), owners: Iterable[str] = (),
                      limit: int | None = None) -> list[IndexEntry]:
        found: set[tuple[str, str, str, str]] = set()
        with self._snapshot():
            db = self._db()
            if limit is None:  # every key's entries: one statement for them all
                found.update(db.execute(f"SELECT owner, key, member, data FROM resolution_index WHERE key IN {IDS}",
                                        (_dumps(sorted(set(keys))),)))
            else:
                for key in sorted(set(keys)):
                    found.update(db.execute("SELECT owner, key, member, data FROM resolution_index WHERE key = ? "
                                            "ORDER BY member LIMIT ?", (key, limit)))
            found.update(db.execute(f"SELECT owner, key, member, data FROM resolution_index WHERE owner IN {IDS}",
                                    (_dumps(sorted(set(owners))),)))
        return list(map(IndexEntry._make, sorted(found)))  # a tuple each: half the time of IndexEntry(*row)

    def replace_index_entries(self, owners: Iterable[str] | None, entries: list[IndexEntry]) -> None:
        with self._writing() as db:
            if owners is None:
                db.execute("DELETE FROM resolution_index")
            else:
                db.execute(f"DELETE FROM resolution_index WHERE owner IN {IDS}", (_dumps(sorted(set(owners))),))
            db.executemany("INSERT OR REPLACE INTO resolution_index VALUES (?, ?, ?, ?)", sorted(set(entries)))

    # --- primitives -----------------------------------------------------------------
    def _rows(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        with self._snapshot():
            return self._db().execute(query, params).fetchall()

    def _sources(self, table: str, column: str, ids: Iterable[str],
                 first: int | None = None) -> dict[str, list[list[dict[str, str]]]]:
        """Each fact's sources, a list per document by name (``first``: of its first documents only; those
        of ``KEPT_SOURCES`` are read from those kept beside the fact instead, see ``_kept``)."""
        rows = self._rows(f"SELECT {column}, sources FROM {table} WHERE {column} IN {IDS} "
                          f"ORDER BY {column}, document", _dumps(sorted(set(ids))))
        found: dict[str, list[list[dict[str, str]]]] = defaultdict(list)
        for (fact_id, _), sources in zip(rows, _loads_each(r[1] for r in rows), strict=True):
            found[fact_id].append(sources)
        return found if first is None else defaultdict(list, {i: groups[:first] for i, groups in found.items()})

    def _node_of(self, state: dict[str, Any], sources: list[list[dict[str, str]]]) -> Node:
        data = node_of_state(state)
        if data["kind"] not in self._kinds:
            raise ValueError(f"{self._file}: unknown node kind {data['kind']!r} in the store")
        return trusted_node(with_sources(data, sources))

    def _nodes(self, ids: Iterable[str], sources: bool = True, first: int | None = None) -> dict[str, Node]:
        wanted = sorted(set(ids))
        if sources and _kept_suffices(first):  # the node's row and its kept sources' row
            with self._snapshot():
                rows = self._rows("SELECT n.id, k.documents, n.state, k.sources FROM nodes n "
                                  f"JOIN node_first_sources k ON k.id = n.id WHERE n.id IN {IDS}", _dumps(wanted))
                self._local.counts.update((row[0], row[1]) for row in rows)
            return {row[0]: self._node_of(state, [kept])
                    for row, (state, kept) in zip(rows, _loads_pairs(rows), strict=True)}
        with self._snapshot():
            rows = self._rows(f"SELECT id, state FROM nodes WHERE id IN {IDS}", _dumps(wanted))
            sources_of = self._sources("node_claims", "node_id", [r[0] for r in rows], first) if sources \
                else defaultdict(list)
            states = _loads_each(r[1] for r in rows)
            return {node_id: self._node_of(state, sources_of[node_id]) for (node_id, _), state in zip(rows, states, strict=True)}

    def _dated(self, ids: Iterable[str]) -> dict[str, answers.Dated]:
        # SQLite picks the names and dates out of each state: a third of the CPU of building the nodes
        paths = ", ".join(f"'$.properties.{key}'" for key in answers.DATE_PROPERTIES)
        rows = self._rows(f"SELECT id, json_extract(state, '$.name_counts', '$.names', {paths}) FROM nodes "
                          f"WHERE id IN {IDS}", _dumps(sorted(set(ids))))
        found = {}
        for (node_id, _), (counts, names, *dates) in zip(rows, _loads_each(r[1] for r in rows), strict=True):
            name = name_of_counts(counts)
            found[node_id] = answers.Dated(name, [n for n in names if n != name], {
                key: value for key, value in zip(answers.DATE_PROPERTIES, dates, strict=True) if value is not None})
        return found

    def _document_counts(self, node_ids: Iterable[str], rel_ids: Iterable[str]) -> dict[str, int]:
        known: dict[str, int] = getattr(self._local, "counts", {})  # read in this transaction with the facts
        ordered = [*sorted(set(node_ids)), *sorted(set(rel_ids))]  # nodes then relationships, each by id
        missing = [i for i in ordered if i not in known]
        if missing:
            known = {**known, **dict(self._rows(f"SELECT id, documents FROM node_first_sources WHERE id IN {IDS} "
                                                f"UNION ALL SELECT id, documents FROM rels WHERE id IN {IDS}",
                                                _dumps(missing), _dumps(missing)))}
        return {i: known[i] for i in ordered if i in known}

    def _relationships(self, rows: list[tuple[str, str]], sources: bool = True,
                       first: int | None = None) -> list[Relationship]:
        """Relationships from (id, merged) rows, with their sources (unless told not to; ``first``: of
        their first documents only), in the rows' order."""
        found = self._sources("rel_claims", "rel_id", [r[0] for r in rows], first) if sources else defaultdict(list)
        return [trusted_relationship(with_sources(merged, found[rel_id]))
                for (rel_id, _), merged in zip(rows, _loads_each(r[1] for r in rows), strict=True)]

    def _ids_of(self, kind: str) -> list[str]:
        return [r[0] for r in self._rows("SELECT id FROM nodes WHERE kind = ? ORDER BY id", kind)]

    def _walk(self, ids: Iterable[str], rel_type: str, outgoing: bool, sources: bool = True,
              far_sources: bool | None = None) -> Links:
        here, there = ("start_id", "end_id") if outgoing else ("end_id", "start_id")
        with self._snapshot():
            rows = self._rows(f"SELECT r.{here}, r.{there}, r.id, r.merged FROM rels r WHERE r.{here} IN {EXISTING} "
                              f"AND r.type = ? AND {_far_end_drawn(there)} ORDER BY r.{here}, r.id",
                              _dumps(sorted(set(ids))), rel_type)
            rels = self._relationships([(r[2], r[3]) for r in rows], sources)
            others = self._nodes((r[1] for r in rows), sources if far_sources is None else far_sources)
        found: Links = defaultdict(list)
        for row, rel in zip(rows, rels, strict=True):
            found[row[0]].append((rel, others[row[1]]))
        return found

    def _out_counts(self, ids: Iterable[str], rel_type: str) -> dict[str, int]:
        return dict(self._rows(f"SELECT r.start_id, COUNT(*) FROM rels r WHERE r.start_id IN {EXISTING} "
                               f"AND r.type = ? AND {_far_end_drawn('end_id')} GROUP BY r.start_id",
                               _dumps(sorted(set(ids))), rel_type))

    def _holder_counts(self, groups: list[tuple[str, list[str]]], cap: int) -> list[int]:
        with self._snapshot():
            return [min(cap, self._rows(f"SELECT COALESCE(SUM(n), 0) FROM term_counts WHERE kind = ? AND word IN {IDS}",
                                        kind, _dumps(words))[0][0]) for kind, words in groups]

    def _holders(self, wanted: dict[str, tuple[list[list[str]], int]]) -> dict[str, tuple[str, Names]]:
        found = {}
        with self._snapshot():
            for kind, (groups, at_least) in wanted.items():
                found.update({node_id: (kind, names) for node_id, names in self._kind_holders(kind, groups, at_least)})
        return found

    def _kind_holders(self, kind: str, groups: list[list[str]], at_least: int) -> list[tuple[str, Names]]:
        """Nodes of a kind holding words of at least ``at_least`` groups: each group a bit set over the kind's
        nodes (the posting lists of its spellings the index holds, kept in memory, ``_Postings``), the bit
        sets counted together, and only the nodes found read."""
        if at_least < 1 or len(groups) < at_least:
            return []
        postings = self._postings_now()
        found = bits_in_at_least([self._group_bits(postings, kind, group) for group in groups], at_least)
        return postings.named(postings.numbering.ids_of(found), self._names_of)

    def _holder_tiers(self, kind: str, groups: list[list[str]], at_least: int,
                      counted_groups: list[list[str]]) -> list[tuple[tuple[int, int] | None, list[str]]]:
        """The nodes ``_kind_holders`` finds, by how many of ``counted_groups`` they hold, counted on the same bit
        sets, their names not read (a few, not told apart: reading the other words' lists would cost more)."""
        if at_least < 1 or len(groups) < at_least:
            return []
        postings = self._postings_now()
        found = bits_in_at_least([self._group_bits(postings, kind, group) for group in groups], at_least)
        if found.bit_count() <= FEW_HOLDERS:
            return [(None, postings.numbering.ids_of(found))]
        held_bits = [found & self._group_bits(postings, kind, group) for group in counted_groups]
        exact_bits = [bits & self._group_bits(postings, kind, group[:1]) for bits, group in zip(held_bits, counted_groups)]
        held, exact = exactly(found, counted(held_bits)), exactly(found, counted(exact_bits))
        return [((exact_count, held_count), postings.numbering.ids_of(tier))
                for held_count, holding in enumerate(held) if holding
                for exact_count, holding_exactly in enumerate(exact[:held_count + 1])
                if (tier := holding & holding_exactly)]

    def _names(self, node_ids: list[str]) -> dict[str, Names]:
        postings = self._postings_now()
        return dict(postings.named(node_ids, self._names_of))

    def _group_bits(self, postings: _Postings, kind: str, group: list[str]) -> int:
        """The bit set of the nodes of a kind holding a word of the group (a word and its spellings)."""
        held = postings.vocabulary(kind, lambda: [r[0] for r in self._rows(
            "SELECT word FROM term_counts WHERE kind = ? AND n > 0", kind)])
        bits = 0
        for word in held.intersection(group):
            bits |= self._posting_list(postings, kind, word)
        return bits

    def _names_of(self, node_ids: list[str]) -> list[tuple[str, Names]]:
        """(id, folded names) of these nodes that exist, read from the store."""
        rows = self._rows(f"SELECT id, names FROM nodes WHERE id IN {IDS}", _dumps(node_ids))
        return list(zip((row[0] for row in rows), self._decoded_names([row[1] for row in rows]), strict=True))

    def _decoded_names(self, texts: list[str]) -> list[Names]:
        """Folded names from their JSON texts (the ``names`` column), each text decoded once in this process and
        kept, by the text itself (so a node whose names change is decoded again): a look-up of common words reads
        thousands of names, each decoded in 2-3 µs, found kept in a tenth of that. Kept as tuples, which the
        garbage collector stops tracking, so that its full passes do not walk them, of interned words (the names
        of a corpus share a small vocabulary): a name kept takes a third of the memory."""
        kept = self._names_kept
        found = [kept.get(text) for text in texts]
        missing = list(dict.fromkeys(text for text, names in zip(texts, found, strict=True) if names is None))
        if not missing:
            return found  # type: ignore[return-value]
        decoded = {text: tuple([tuple([intern(word) for word in name]) for name in names])
                   for text, names in zip(missing, _loads_each(missing), strict=True)}
        if len(kept) + len(decoded) > NAMES_KEPT:
            kept.clear()  # another thread may be reading it: each has its own ``found`` and ``decoded``
        kept.update(decoded)
        return [decoded[text] if names is None else names for text, names in zip(texts, found, strict=True)]

    def _posting_list(self, postings: _Postings, kind: str, word: str) -> int:
        """The bit set of the nodes of a kind holding a word, read from the index the first time."""
        return postings.bits(kind, word, lambda: [r[0] for r in self._rows(
            "SELECT node_id FROM terms WHERE kind = ? AND word = ?", kind, word)])

    def warm_up(self, min_holders: int = WARM_MIN_HOLDERS) -> None:
        """Read the posting lists of the words many nodes hold. Read as questions first need them, they
        made a fresh process's first questions the slowest it answered (its first contacts question took
        322 ms of CPU, later ones about 6 ms); read here, the 420 lists of the 10,000-document store's
        task words take 0.9 s."""
        with self._snapshot():
            postings = self._postings_now()
            for kind, word in self._rows("SELECT kind, word FROM term_counts WHERE n >= ? ORDER BY n DESC LIMIT ?",
                                         min_holders, POSTINGS_KEPT // 2):
                self._posting_list(postings, kind, word)

    def _postings_now(self) -> _Postings:
        """The posting lists as the read transaction sees the index: the version kept, brought up to date
        with the changes logged since (``term_log``), or begun again when the log no longer holds them all,
        or when this transaction began before another thread's."""
        last = self._rows("SELECT COALESCE(MAX(seq), 0) FROM term_log")[0][0]
        kept = self._postings
        if kept.seq == last:
            return kept
        if 0 <= kept.seq < last and self._rows("SELECT MIN(seq) FROM term_log")[0][0] <= kept.seq + 1:
            fresh = kept.changed(self._rows("SELECT seq, kind, word, node_id, added FROM term_log WHERE seq > ? "
                                            "ORDER BY seq", kept.seq))
        else:
            fresh = _Postings(last, kept.numbering)
        if last > kept.seq and not self._local.writing:  # a write's own changes may yet be rolled back
            self._postings = fresh
        return fresh

    def _adjacency(self, ids: Iterable[str]) -> dict[str, set[str]]:
        listed = _dumps(sorted(set(ids)))
        rows = self._rows(f"SELECT r.start_id, r.end_id FROM rels r WHERE r.start_id IN {EXISTING} "
                          f"AND {_far_end_drawn('end_id')} UNION SELECT r.end_id, r.start_id FROM rels r "
                          f"WHERE r.end_id IN {EXISTING} AND {_far_end_drawn('start_id')}",
                          listed, listed)
        found: dict[str, set[str]] = defaultdict(set)
        for node_id, other in rows:
            found[node_id].add(other)
        return found

    def _relationships_among(self, ids: set[str], first: int | None = None) -> list[Relationship]:
        listed = _dumps(sorted(ids))
        with self._snapshot():
            # walked from the start nodes (a hub's outgoing relationships are few, its incoming ones thousands) in
            # the index alone, then read in the order of their ids: 40% quicker than in the order found
            rows = self._rows("SELECT id, documents, merged, sources FROM rels WHERE id IN (SELECT r.id "
                              f"FROM json_each(?) s CROSS JOIN rels r ON r.start_id = s.value WHERE r.end_id IN {IDS}) "
                              "ORDER BY id", listed, listed)
            if not _kept_suffices(first):
                return self._relationships([(row[0], row[2]) for row in rows], first=first)
            self._local.counts.update((row[0], row[1]) for row in rows)
            return [trusted_relationship(with_sources(merged, [kept])) for merged, kept in _loads_pairs(rows)]

    def _graph_json(self, ids: set[str]) -> bytes:
        listed = _dumps(sorted(ids))
        with self._snapshot():  # the nodes by id, then the relationships among them by id, as _graph_of reads them
            nodes = self._rows(f"SELECT id, documents, answer, sources FROM node_first_sources WHERE id IN {IDS} "
                               "ORDER BY id", listed)
            rels = self._rows("SELECT id, documents, answer, sources FROM rels WHERE id IN (SELECT r.id "
                              f"FROM json_each(?) s CROSS JOIN rels r ON r.start_id = s.value WHERE r.end_id IN {IDS}) "
                              "ORDER BY id", listed, listed)
        counts = {row[0]: row[1] for row in [*nodes, *rels] if row[1] > ANSWER_DOCUMENTS}
        return answers.graph_json([answers.fact_json(row[2], row[3]) for row in nodes],
                                  [answers.fact_json(row[2], row[3]) for row in rels], counts)

    def _relationships_between(self, pairs: list[tuple[str, str]]) -> list[list[Relationship]]:
        with self._snapshot():
            found = []
            for a, b in pairs:
                rows = self._rows("SELECT id, merged FROM rels WHERE (start_id = ? AND end_id = ?) "
                                  "OR (start_id = ? AND end_id = ?) ORDER BY id", a, b, b, a)
                found.append(self._relationships(rows))
            return found

    # --- reading: the whole store ---------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        rows = self._rows("SELECT name, sha256, nodes, relationships FROM documents ORDER BY name")
        return [DocumentInfo(document=d, sha256=s, nodes=n, relationships=r) for d, s, n, r in rows]

    def counts(self) -> Counts:
        with self._snapshot():
            nodes = self._rows("SELECT kind, COUNT(*) FROM nodes GROUP BY kind ORDER BY kind")
            rels = self._rows(f"SELECT r.type, COUNT(*) FROM rels r WHERE {DRAWN} GROUP BY r.type ORDER BY r.type")
            documents = self._rows("SELECT COUNT(*) FROM documents")[0][0]
        unknown = [kind for kind, _ in nodes if kind not in self._kinds]
        if unknown:
            raise ValueError(f"{self._file}: unknown node kind {unknown[0]!r} in the store")
        return Counts(nodes=dict(nodes), relationships=dict(rels), documents=documents)

    def _whole_graph(self) -> Graph:
        with self._snapshot():
            node_rows = self._rows("SELECT id, state FROM nodes ORDER BY id")
            node_sources = self._sources("node_claims", "node_id", [r[0] for r in node_rows])
            nodes = [self._node_of(state, node_sources[node_id])
                     for (node_id, _), state in zip(node_rows, _loads_each(r[1] for r in node_rows), strict=True)]
            rels = self._relationships(self._rows(f"SELECT r.id, r.merged FROM rels r WHERE {DRAWN} ORDER BY r.id"))
        return Graph(nodes=nodes, relationships=rels)
