#!/usr/bin/env bash
# Install what Liên Kết needs on this machine. Safe to run again: it only adds what is missing.
#   scripts/setup.sh          a virtualenv (.venv) with the package
#   scripts/setup.sh --tests  also the test tools: Debian's chromium (browser tests) and
#                             Java 17 + Maven (the suite builds and starts a real Neo4j with them)
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "--tests" ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "setup: install ${missing[*]} (Debian packages) for the browser and Neo4j tests; without them those tests are skipped" >&2
    fi
  fi
else
  .venv/bin/python -m pip install -q -e .
fi
