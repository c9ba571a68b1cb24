"""A real Neo4j for the test suite: the one NEO4J_URI names, or an in-process Neo4j 5.26 we start.

The launcher (tests/neo4j_launcher, a Maven project on org.neo4j.test:neo4j-harness) is built
once per machine into ~/.cache/lienket/neo4j-launcher-<hash of its sources>/: compiled classes
plus the dependency classpath from ``mvn dependency:build-classpath``, so later sessions start
it directly with ``java``. It prints ``NEO4J_READY <bolt uri> <version>`` when ready and exits
when its stdin closes, i.e. when the test process ends. Without Java or Maven the Neo4j tests
are skipped with the reason, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import hashlib
import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

LAUNCHER = Path(__file__).parent / "neo4j_launcher"
MAIN_CLASS = "lienket.testing.Neo4jLauncher"
READY = "NEO4J_READY"
START_TIMEOUT_S = 180
# A test server lives for minutes and runs small queries: the quick JIT tier and the serial
# collector start it about twice as fast as the defaults.
JVM_OPTIONS = ["-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
# A benchmark's heap as production sizes it (docs/production.md): its initial size the maximum, else the
# collector keeps a small young generation and stops the queries every second or two.
BENCHMARK_JVM_OPTIONS = ["-Xms2g", "-Xmx2g"]


@dataclass(frozen=True)
class Neo4jServer:
    """Where the tests' Neo4j listens, and which version it is."""

    uri: str
    user: str
    password: str
    database: str
    version: str
    started_in_s: float | None = None


_SERVERS: list[Neo4jServer] = []


def _unavailable(reason: str) -> NoReturn:
    """Skip the Neo4j tests — or fail them under CI, where a missing Neo4j is a broken build."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"Neo4j is required under CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


def _launcher_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted([LAUNCHER / "pom.xml", *LAUNCHER.glob("src/**/*.java")]):
        digest.update(path.relative_to(LAUNCHER).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "lienket" / f"neo4j-launcher-{_launcher_hash()}"


def build_launcher() -> Path:
    """Compile the launcher and write its classpath into the cache (once); returns the cache folder."""
    target = _cache_dir()
    if (target / "classpath.txt").exists():
        return target
    build = target.with_name(target.name + f".build-{os.getpid()}")
    shutil.rmtree(build, ignore_errors=True)
    shutil.copytree(LAUNCHER, build, ignore=shutil.ignore_patterns("target"))
    command = ["mvn", "-q", "-B", "compile", "dependency:build-classpath",
               f"-Dmdep.outputFile={build / 'classpath.txt'}"]
    done = subprocess.run(command, cwd=build, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"building the Neo4j launcher failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    try:
        build.rename(target)
    except OSError:  # another session finished the same build first
        shutil.rmtree(build, ignore_errors=True)
    return target


def start_launcher(built: Path, jvm_options: list[str] = JVM_OPTIONS,
                   auth: bool = False) -> tuple[subprocess.Popen[str], str, str]:
    """Start the in-process Neo4j; returns the process, its bolt URI and its version.

    Benchmarks pass ``BENCHMARK_JVM_OPTIONS``: a server that runs for long needs the full JIT. With
    ``auth`` the server checks logins (its user neo4j keeps the initial password: every login we try fails)."""
    classpath = f"{built / 'target' / 'classes'}{os.pathsep}{(built / 'classpath.txt').read_text().strip()}"
    process = subprocess.Popen(["java", *jvm_options, "-cp", classpath, MAIN_CLASS, *(["--auth"] if auth else [])],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        # Reads everything the server prints, so a full pipe never blocks it; None marks its exit.
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            process.kill()
            raise RuntimeError(f"the Neo4j launcher was not ready after {START_TIMEOUT_S}s") from None
        if line is None:
            raise RuntimeError(f"the Neo4j launcher exited with code {process.wait()} before it was ready")
        if line.startswith(READY):
            _, uri, version = line.split()
            return process, uri.rstrip("/"), version


def _stop(process: subprocess.Popen[str]) -> None:
    """Stop a launcher: it shuts its Neo4j down when its standard input closes."""
    assert process.stdin is not None
    process.stdin.close()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Neo4jServer]:
    """A running Neo4j: NEO4J_URI's when set, else an in-process Neo4j 5.26 started for this session."""
    from neo4j import GraphDatabase

    if os.environ.get("NEO4J_URI"):
        uri, user = os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j")
        password = os.environ.get("NEO4J_PASSWORD", "")
        with GraphDatabase.driver(uri, auth=(user, password) if password else None) as driver:
            version = driver.get_server_info().agent.split("/")[-1]
        server = Neo4jServer(uri, user, password, os.environ.get("NEO4J_DATABASE") or "neo4j", version)
        _SERVERS.append(server)
        yield server
        return
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None:
            _unavailable(f"{tool} is not installed: cannot start a Neo4j for the tests (or set NEO4J_URI)")
    try:
        built = build_launcher()
        started = time.monotonic()
        process, uri, version = start_launcher(built)
        elapsed = time.monotonic() - started
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        _unavailable(f"cannot start the test Neo4j: {exc}")
    server = Neo4jServer(uri, "neo4j", "", "neo4j", version, started_in_s=round(elapsed, 1))
    _SERVERS.append(server)
    try:
        yield server
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def neo4j_server_checking_logins() -> Iterator[str]:
    """The bolt URI of a second in-process Neo4j 5.26, one that checks logins: the tests of a refused login
    run against it (the suite's own Neo4j lets everyone in)."""
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None:
            _unavailable(f"{tool} is not installed: cannot start a Neo4j for the tests")
    try:
        process, uri, _ = start_launcher(build_launcher(), auth=True)
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        _unavailable(f"cannot start the test Neo4j: {exc}")
    try:
        yield uri
    finally:
        _stop(process)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Name the Neo4j the tests ran against (and how long it took to start)."""
    for server in _SERVERS:
        started = f", started in {server.started_in_s}s" if server.started_in_s is not None else ""
        terminalreporter.write_line(f"Neo4j {server.version} at {server.uri}{started}")
