"""Which Cypher queries a researcher may run: only those whose plan reads the graph.

The decision is Neo4j's own account of the query, not its keywords: the query is
EXPLAINed (compiled, not run) and its summary checked twice.

- The query type must be read-only (``r``). That stops writes, schema changes and write
  procedures, but not everything: Neo4j types ``SHOW TRANSACTIONS``, ``TERMINATE
  TRANSACTIONS`` and ``SHOW SETTINGS`` as reads.
- Every operator of the plan must read the graph. Refused: administration commands (every
  ``Show…`` and ``Terminate…`` operator, ``AdministrationCommand``), ``LOAD CSV``, ``CALL {…} IN
  TRANSACTIONS`` (it commits on its own, outside the read transaction), an operator run on
  another database than the API's (``USE``), and procedure calls outside ``ALLOWED_PROCEDURES``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import neo4j
from neo4j import ManagedTransaction
from neo4j.exceptions import Neo4jError

from graph.store import CypherRefused, CypherTimedOut

READ_ONLY_QUERY_TYPE = "r"
# Procedures that describe the graph's schema, or read the graph through its full-text index.
ALLOWED_PROCEDURES = frozenset({
    "db.labels", "db.relationshipTypes", "db.propertyKeys", "db.schema.visualization",
    "db.schema.nodeTypeProperties", "db.schema.relTypeProperties",
    "db.index.fulltext.queryNodes", "db.index.fulltext.queryRelationships",
})
# Operators that act on the server rather than read the graph, by name or by name prefix.
REFUSED_OPERATORS = frozenset({"AdministrationCommand", "LoadCSV", "TransactionApply", "TransactionForeach"})
REFUSED_OPERATOR_PREFIXES = ("Show", "Terminate")
PROCEDURE_OPERATOR = "ProcedureCall"
PROCEDURE_NAME = re.compile(r"^\s*([\w.`]+)\s*\(")

# A function running one EXPLAIN in a read transaction of the API's database.
ReadRunner = Callable[[Callable[[ManagedTransaction], neo4j.ResultSummary]], neo4j.ResultSummary]


def plan_operators(plan: dict[str, Any] | None) -> Iterator[tuple[str, str, str]]:
    """Each operator of an EXPLAIN plan as (operator, database it runs on, details), depth first."""
    if not plan:
        return
    operator, _, database = str(plan.get("operatorType", "")).partition("@")
    yield operator, database, str(plan.get("args", {}).get("Details") or "")
    for child in plan.get("children", []):
        yield from plan_operators(child)


def refusal(query_type: str | None, plan: dict[str, Any] | None, database: str) -> str | None:
    """Why a query with this EXPLAIN summary may not run here, or None when it only reads the graph."""
    if query_type != READ_ONLY_QUERY_TYPE:
        return (f"only queries that read the graph may run here (Neo4j types this one {query_type!r}: "
                "it could write, change the schema or administer the server)")
    for operator, on_database, details in plan_operators(plan):
        if operator in REFUSED_OPERATORS or operator.startswith(REFUSED_OPERATOR_PREFIXES):
            return f"the plan uses {operator}, which does not read the graph"
        if on_database and on_database != database:
            return f"the query runs on the database {on_database!r}; only {database!r} may be read here"
        if operator == PROCEDURE_OPERATOR:
            found = PROCEDURE_NAME.match(details)
            name = found.group(1).replace("`", "") if found else details
            if name not in ALLOWED_PROCEDURES:
                return (f"the procedure {name} may not be called here; allowed: "
                        f"{', '.join(sorted(ALLOWED_PROCEDURES))}")
    return None


def check_read_query(read: ReadRunner, query: str, parameters: dict[str, Any], database: str,
                     timeout_s: float) -> None:
    """EXPLAIN the query and raise CypherRefused, with Neo4j's reason, unless its plan only reads the graph."""

    @neo4j.unit_of_work(timeout=timeout_s)
    def explain(tx: ManagedTransaction) -> neo4j.ResultSummary:
        return tx.run(f"EXPLAIN {query}", parameters).consume()

    try:
        summary = read(explain)
    except Neo4jError as exc:
        raise cypher_failure(exc, timeout_s, "not a valid query") from exc
    reason = refusal(summary.query_type, summary.plan, database)
    if reason:
        raise CypherRefused(reason)


def cypher_failure(exc: Neo4jError, timeout_s: float, what: str = "the query failed") -> Exception:
    """The store's error for a query Neo4j stopped: CypherTimedOut past the timeout, else CypherRefused
    with Neo4j's reason (any refusal of the server is the query's fault, never the API's)."""
    code = exc.code or ""
    if "TransactionTimedOut" in code or "Terminated" in code:
        return CypherTimedOut(f"the query ran longer than {timeout_s:g}s and was stopped")
    return CypherRefused(f"{what}: {exc.message or exc}")
