#!/usr/bin/env bash
# Set up everything the tests need (see scripts/setup.sh), then run the whole suite:
# the store contract on the embedded store and on a real Neo4j 5.26 started by the suite,
# ingest, CLI, API (incl. schemathesis), pictures in headless Chromium, and the seed questions.
# Arguments go to pytest: ./test.sh -m "not neo4j" (no Java needed), ./test.sh tests/test_cli.py -x.
# Once set up, it runs without the package index (scripts/setup.sh says "up to date").
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --tests
exec .venv/bin/python -m pytest -q -ra "$@"
