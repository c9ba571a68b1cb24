"""Running the real ``lienket`` command in a child process, against a store folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def lienket(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``lienket ARGS`` with ``LIENKET_DB=db`` and the embedded backend; returns the finished process."""
    env = {**os.environ, "LIENKET_DB": str(db), "LIENKET_BACKEND": "embedded", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "lienket.cli", *args], cwd=REPO, env=env, input=stdin,
                          capture_output=True, text=True, encoding="utf-8", timeout=120, check=False)
