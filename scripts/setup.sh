#!/usr/bin/env bash
# Install what Liên Kết needs on this machine, from the lock files (requirements/, see scripts/lock.sh).
#   scripts/setup.sh          a virtualenv (.venv) with the package: requirements/runtime.lock
#   scripts/setup.sh --tests  also the test tools (requirements/test.lock), Debian's chromium (browser
#                             tests), Java 17 + Maven (the suite builds and starts a real Neo4j with them),
#                             Tesseract with Vietnamese (scans), LibreOffice (legacy .doc) and the
#                             DejaVu fonts (the PDF fixtures are written in them)
# Safe to run again: .venv/lienket-setup.stamp records the lock and pyproject.toml it was installed
# from, and while they are unchanged nothing is installed and nothing is downloaded, so a machine
# once set up works without the package index.
set -euo pipefail
cd "$(dirname "$0")/.."

lock=requirements/runtime.lock
[ "${1:-}" = "--tests" ] && lock=requirements/test.lock
stamp=.venv/lienket-setup.stamp

[ -x .venv/bin/python ] || python3 -m venv .venv

# A dependency added to pyproject.toml must reach the lock before anyone installs: stop, loudly.
# (Regenerating here would need the index and would install versions nobody has tested.)
declared=$(.venv/bin/python scripts/dependency_hash.py pyproject.toml)
if ! grep -qx "# pyproject-sha256: $declared" "$lock"; then
  echo "setup: $lock is stale: the dependencies in pyproject.toml changed since it was written." >&2
  echo "setup: run scripts/lock.sh (needs the package index) and commit requirements/." >&2
  exit 1
fi

installed_from() { sha256sum "$1" pyproject.toml | sha256sum | cut -d' ' -f1; }
wanted=$(installed_from "$lock")
if [ -f "$stamp" ] && grep -qx "$wanted" "$stamp" && [ -x .venv/bin/lienket ]; then
  echo "setup: up to date (.venv matches $lock and pyproject.toml; nothing to install, the package index is not needed)"
else
  echo "setup: installing $lock into .venv (first run, or the lock or pyproject.toml changed)"
  log=$(mktemp)
  # The lock pins every package with its hashes, the build backend included, so the package itself
  # is built without fetching anything. pip's own chatter (and setuptools' notes on editable
  # installs) go to the log, shown only when something fails.
  if ! { .venv/bin/python -m pip install --no-deps --require-hashes -r "$lock" &&
         .venv/bin/python -m pip install --no-deps --no-build-isolation -e . ; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "setup: installing $lock failed (see above)" >&2
    exit 1
  fi
  rm -f "$log"
  # The test lock holds the runtime lock's versions and more, so it satisfies both.
  installed_from "$lock" > "$stamp"
  if [ "$lock" = requirements/test.lock ]; then installed_from requirements/runtime.lock >> "$stamp"; fi
  echo "setup: installed; later runs skip this and work without the package index"
fi

if [ "$lock" = requirements/test.lock ]; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
  [ -n "$(ls /usr/share/tesseract-ocr/*/tessdata/vie.traineddata 2>/dev/null)" ] || missing+=(tesseract-ocr-vie)
  command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "setup: install ${missing[*]} (Debian packages) for the browser, Neo4j, OCR and .doc tests; without them those tests are skipped" >&2
    fi
  fi
fi
