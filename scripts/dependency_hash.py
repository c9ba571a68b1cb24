"""Print the SHA-256 of what pyproject.toml declares about dependencies.

scripts/lock.sh writes it into the lock files; scripts/setup.sh compares it with the
lock it is about to install, so a dependency added to pyproject.toml without a new
lock stops the set-up instead of being silently left out. Only the dependency
declarations count: editing a pytest marker or the description does not stale the lock.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from pathlib import Path


def dependency_declarations(pyproject: Path) -> dict[str, object]:
    """The parts of pyproject.toml a lock is compiled from."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project = data.get("project", {})
    return {
        "requires-python": project.get("requires-python"),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
        "build-requires": data.get("build-system", {}).get("requires", []),
    }


def dependency_hash(pyproject: Path) -> str:
    canonical = json.dumps(dependency_declarations(pyproject), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


if __name__ == "__main__":
    print(dependency_hash(Path(sys.argv[1] if len(sys.argv) > 1 else "pyproject.toml")))
