"""Cold start of ``lienket ask``: wall time of a whole command against ``python -c pass``, in one run.

Run: ``.venv/bin/python benchmarks/cold_start.py [--runs 10] [--documents 200]``

Each run starts a fresh interpreter for ``python -c pass`` and for ``python -m lienket.cli ask
contact ... --json`` on an embedded store of ``--documents`` corpus documents, alternately, so
both see the same load on a shared machine. Reported: median and best of each, and the
difference (what ``lienket ask`` costs beyond starting Python).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.national_corpus import national_corpus  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one run of a command; CPU time is what a shared
    machine's load disturbs least."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--documents", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = EmbeddedStore(Path(folder))
        docs = list(national_corpus(args.documents))
        for doc in docs:
            store.write_document(doc)
        task = next(n.name for doc in docs for n in doc.nodes if n.kind == "Task")
        store.close()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "LIENKET_DB": folder, "LIENKET_BACKEND": "embedded"}
        ask = [sys.executable, "-m", "lienket.cli", "ask", "contact", task, "--json"]
        passes, asks = [], []
        for _ in range(args.runs):
            passes.append(timed([sys.executable, "-c", "pass"], env))
            asks.append(timed(ask, env))
    print(f"{args.runs} runs each, store of {args.documents} documents")
    for label, runs in (("python -c pass", passes), ("lienket ask contact --json", asks)):
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        print(f"  {label:<28} wall median {statistics.median(walls):.3f} s (best {min(walls):.3f}), "
              f"CPU median {statistics.median(cpus):.3f} s (best {min(cpus):.3f})")


if __name__ == "__main__":
    main()
