"""Neo4j's text look-ups ask the full-text index only for the words it has held (its vocabulary,
remembered by each store): a word another process brings, or one a database written before the
vocabulary holds, is still found. Each store keeps the posting lists it read, the folded names of every
node (read by ``warm_up``) and the names and dates of the tasks it dated, until a write changes the
database's version: what another process writes, removes or judges is answered as it is now."""

from __future__ import annotations

import pytest

from graph import resolution
from graph.model import DocumentGraph, Node, Source
from graph.neo4j_store import Neo4jStore
from tests.factory import mou_document, plan_document
from tests.test_resolution import UNSURE_A, UNSURE_B, ingest

pytestmark = pytest.mark.neo4j


def sector_document() -> DocumentGraph:
    doc = "sector.txt"
    return DocumentGraph(document=doc, sha256="test-sector",
                         nodes=[Node(id="sector:lam-nghiep", kind="Sector", name="phát triển lâm nghiệp bền vững",
                                     sources=[Source(document=doc, quote="lĩnh vực phát triển lâm nghiệp bền vững")])])


def open_store(request: pytest.FixtureRequest) -> Neo4jStore:
    server = request.getfixturevalue("neo4j_server")
    return Neo4jStore(server.uri, server.user, server.password, database=server.database)


def test_a_word_another_store_writes_is_found_by_a_store_that_read_the_vocabulary(
        request: pytest.FixtureRequest) -> None:
    reader, writer = open_store(request), open_store(request)
    reader.clear()
    writer.write_document(mou_document())
    assert reader.search("Tuy Đức", kinds=["Locality"])  # the reader now remembers the vocabulary
    writer.write_document(sector_document())
    assert [hit.id for hit in reader.search("phat trien lam nghiep ben vung", kinds=["Sector"])] == ["sector:lam-nghiep"]
    # a word one letter off, whose right spelling came with the new document
    assert [hit.id for hit in reader.search("phat trien lam nghiap ben vung", kinds=["Sector"])] == ["sector:lam-nghiep"]
    reader.close()
    writer.close()


def test_a_database_written_before_the_vocabulary_gets_it_on_open(request: pytest.FixtureRequest) -> None:
    store = open_store(request)
    store.clear()
    store.write_document(mou_document())
    store.write_document(plan_document())
    expected = store.contacts("hội chợ cà phê")
    assert expected
    with store._driver.session(database=store.database) as session:
        session.run("MATCH (t:LienketTerm) DELETE t").consume()  # as the store wrote before it kept them
    store.close()

    reopened = open_store(request)
    assert reopened.contacts("hội chợ cà phê") == expected
    assert reopened.read_cypher("MATCH (t:LienketTerm {term: 'Task_hoi'}) RETURN count(t)", {}, 1, 10).rows == [[1]]
    reopened.close()


def test_posting_lists_kept_by_a_store_follow_what_another_store_writes_and_removes(
        request: pytest.FixtureRequest) -> None:
    reader, writer = open_store(request), open_store(request)
    reader.clear()
    writer.write_document(mou_document())
    reader.warm_up()
    found = [hit.id for hit in reader.search("Tuy Đức", kinds=["Locality"])]
    assert found  # the reader now keeps the posting lists of these words
    writer.remove_document(mou_document().document)
    assert reader.search("Tuy Đức", kinds=["Locality"]) == []
    writer.write_document(mou_document())
    assert [hit.id for hit in reader.search("Tuy Đức", kinds=["Locality"])] == found
    reader.close()
    writer.close()


def plan_with_fair(name: str, timeframe: str) -> DocumentGraph:
    """The factory's plan, its fair (``task:hoi-cho``) under another name and timeframe, as a new edition."""
    doc = plan_document()
    doc.sha256 = f"test-plan-{name}-{timeframe}"
    doc.nodes = [node.model_copy(update={"name": name, "properties": {**node.properties, "timeframe": timeframe}})
                 if node.id == "task:hoi-cho" else node for node in doc.nodes]
    return doc


def test_names_and_dates_kept_by_a_store_follow_what_another_store_writes_and_removes(
        request: pytest.FixtureRequest) -> None:
    reader, writer = open_store(request), open_store(request)
    reader.clear()
    writer.write_document(plan_document())
    reader.warm_up()  # every node's folded names
    assert [c.person for c in reader.contacts("hội chợ cà phê nông sản Tây Nguyên 2024")] == ["Lê Thị Mẫu"]  # the task dated, kept
    assert reader.contacts("hội chợ cà phê nông sản Tây Nguyên 2025") == []
    writer.write_document(plan_with_fair("Hội chợ hồ tiêu và nông sản Tây Nguyên", "2025-03"))
    assert reader.contacts("hội chợ hồ tiêu nông sản Tây Nguyên 2024") == []
    assert [c.person for c in reader.contacts("hội chợ hồ tiêu nông sản Tây Nguyên 2025")] == ["Lê Thị Mẫu"]
    assert reader.contacts("hội chợ cà phê nông sản Tây Nguyên 2025") == []  # its old name
    assert [hit.name for hit in reader.search("hoi cho ho tieu", kinds=["Task"])] == [
        "Hội chợ hồ tiêu và nông sản Tây Nguyên"]
    writer.remove_document(plan_document().document)
    assert reader.contacts("hội chợ hồ tiêu nông sản Tây Nguyên 2025") == []
    assert reader.search("hoi cho ho tieu", kinds=["Task"]) == []
    reader.close()
    writer.close()


def test_a_judgement_another_store_records_is_answered_by_a_store_that_kept_the_names(
        request: pytest.FixtureRequest) -> None:
    reader, writer = open_store(request), open_store(request)
    reader.clear()
    ingest(writer, "kh_a.txt", UNSURE_A)
    ingest(writer, "kh_b.txt", UNSURE_B)
    reader.warm_up()
    assert len(reader.search("Hà Văn Thử", kinds=["Person"])) == 2
    assert reader.contacts("Giải việt dã truyền thống 2024")[0].phone is None
    (pair,) = resolution.review_queue(writer)
    resolution.decide(writer, pair.judgement.left, pair.judgement.right, "same", "reviewer")
    assert len(reader.search("Hà Văn Thử", kinds=["Person"])) == 1
    (contact,) = reader.contacts("Giải việt dã truyền thống 2024")
    assert contact.phone == "0911.000.401"
    reader.close()
    writer.close()


def test_a_database_written_before_writes_left_a_version_gets_one_on_open(request: pytest.FixtureRequest) -> None:
    store = open_store(request)
    store.clear()
    store.write_document(plan_document())
    expected = store.contacts("hội chợ cà phê")
    assert expected
    with store._driver.session(database=store.database) as session:
        session.run("MATCH (l:LienketWriteLock) REMOVE l.version").consume()  # as the store wrote before
    store.close()

    reopened = open_store(request)
    assert reopened.read_cypher("MATCH (l:LienketWriteLock) RETURN l.version IS NOT NULL", {}, 1, 10).rows == [[True]]
    assert reopened.contacts("hội chợ cà phê") == expected
    reopened.close()


def test_a_worker_on_neo4j_has_read_the_index_before_it_takes_a_request(
        request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    # Requests that came while a fresh worker read its posting lists queued behind them: they were the
    # slowest of a loaded server's first minute.
    from api import deps
    from api.settings import get_settings

    server = request.getfixturevalue("neo4j_server")
    written = open_store(request)
    written.clear()
    written.write_document(mou_document())
    written.close()
    for name, value in {"LIENKET_BACKEND": "neo4j", "NEO4J_URI": server.uri, "NEO4J_USER": server.user,
                        "NEO4J_PASSWORD": server.password, "NEO4J_DATABASE": server.database}.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    deps.close_store()
    try:
        deps.warm_store()
        store = deps._store()
        assert isinstance(store, Neo4jStore) and store._remembered_vocabulary is not None
    finally:
        deps.close_store()
        get_settings.cache_clear()
