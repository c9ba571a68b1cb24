"""A question on Neo4j is read in one transaction; when its reads fail transiently (a cluster's
leader changing, a replica going away) the whole question is asked again, as the driver's
``execute_read`` would retry one transaction. Other failures are not retried."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from neo4j.exceptions import ClientError, TransientError

from graph.neo4j_store import QUESTION_ATTEMPTS, Neo4jStore
from tests.factory import mou_document, plan_document

pytestmark = pytest.mark.neo4j


@pytest.fixture
def neo4j_filled(request: pytest.FixtureRequest) -> Iterator[Neo4jStore]:
    server = request.getfixturevalue("neo4j_server")
    store = Neo4jStore(server.uri, server.user, server.password, database=server.database)
    store.clear()
    store.write_document(mou_document())
    store.write_document(plan_document())
    yield store
    store.close()


def test_a_question_failing_transiently_is_asked_again_and_answered(neo4j_filled: Neo4jStore) -> None:
    expected = neo4j_filled.agreements_between("Quận 3", "Tuy Đức")
    attempts = []

    def question_read_during_a_leader_switch() -> list:
        attempts.append(1)
        answer = neo4j_filled.agreements_between("Quận 3", "Tuy Đức")  # read in the attempt's transaction
        if len(attempts) == 1:
            raise TransientError("Neo.TransientError.Cluster.NotALeader")
        return answer

    assert expected
    assert neo4j_filled._answer(question_read_during_a_leader_switch) == expected
    assert len(attempts) == 2


def test_a_failure_that_persists_is_raised_after_the_last_attempt(neo4j_filled: Neo4jStore) -> None:
    attempts = []

    def always_failing() -> None:
        attempts.append(1)
        raise TransientError("Neo.TransientError.General.DatabaseUnavailable")

    with pytest.raises(TransientError):
        neo4j_filled._answer(always_failing)
    assert len(attempts) == QUESTION_ATTEMPTS


def test_a_client_error_is_not_retried(neo4j_filled: Neo4jStore) -> None:
    attempts = []

    def malformed() -> None:
        attempts.append(1)
        raise ClientError("Neo.ClientError.Statement.SyntaxError")

    with pytest.raises(ClientError):
        neo4j_filled._answer(malformed)
    assert len(attempts) == 1
