#!/usr/bin/env bash
# Refresh the lock files from pyproject.toml (needs the package index; run it after changing
# dependencies, then commit requirements/):
#   requirements/test.lock     the package, its test tools and its build backend: ./test.sh, ./demo.sh
#   requirements/runtime.lock  the package and its build backend only, same versions: the Docker image
# Versions already in a lock are kept when they still satisfy pyproject.toml; pass --upgrade to take
# the newest ones. pyproject.toml keeps loose ranges for people who use lienket as a library.
set -euo pipefail
cd "$(dirname "$0")/.."

# pip-tools is a maintainer's tool, not in the locks: the one in .venv, else the one on PATH.
compile=.venv/bin/pip-compile
[ -x "$compile" ] || compile=$(command -v pip-compile || true)
if [ -z "$compile" ]; then
  echo "lock: pip-compile not found: install pip-tools (pip install pip-tools) into .venv or on PATH" >&2
  exit 2
fi

python=.venv/bin/python
[ -x "$python" ] || python=python3
stamp="# pyproject-sha256: $("$python" scripts/dependency_hash.py pyproject.toml)"

# Hashes make pip refuse a file that changed on the index; the index and find-links of this
# machine stay out of the files, and the pins are plain names (no extras) so they also work as constraints.
options=(--quiet --resolver=backtracking --strip-extras --allow-unsafe --generate-hashes
         --no-emit-index-url --no-emit-find-links --no-emit-trusted-host --build-deps-for=editable "$@")
mkdir -p requirements
"$compile" "${options[@]}" --extra=test --output-file=requirements/test.lock pyproject.toml
"$compile" "${options[@]}" --constraint=requirements/test.lock --output-file=requirements/runtime.lock pyproject.toml

for lock in requirements/test.lock requirements/runtime.lock; do
  { echo "$stamp"; grep -v '^# pyproject-sha256: ' "$lock"; } > "$lock.new" && mv "$lock.new" "$lock"
done
echo "lock: wrote requirements/test.lock and requirements/runtime.lock ($stamp)"
