#!/usr/bin/env bash
# The main job on the embedded store: set up, read the sample documents, answer questions,
# draw the twinning map, then serve the API and web page on http://127.0.0.1:8000 (Ctrl-C stops).
# Pass --no-serve to stop after the answers and the picture.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
export LIENKET_DB="${LIENKET_DB:-data}"
lienket=.venv/bin/lienket

$lienket ingest samples
$lienket ask contact "ngay hoi sam ngoc linh"
$lienket ask partners "Quận 5"
$lienket ask agreement "TP.HCM" "Cần Thơ"
$lienket viz twinning -o "$LIENKET_DB/twinning.html"
echo "Twinning map: $LIENKET_DB/twinning.html (open it in a browser; it works offline)"
echo "To ask more: .venv/bin/lienket ask --help (or 'source .venv/bin/activate', then lienket ...)"
[ "${1:-}" = "--no-serve" ] || exec $lienket serve
