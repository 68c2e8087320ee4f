#!/usr/bin/env bash
# First load on a weak link: builds the release site (as scripts/run.sh does) and measures, in
# headless Chromium, each page's download against its budget and the desk's and the results
# page's time to interactive on a throttled link. Fails when a page is over budget. The figures
# go into BENCHMARKS.md ("First load").
#   bash scripts/first-load.sh [--runs 5]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CUTRI_ROOT"

header "tools"
ensure_tools --e2e
ensure_wasm_opt

header "build (release)"
build_site release

header "first load"
CUTRI_BIN="$CUTRI_TARGET_DIR/release/cutri" CUTRI_SITE_ROOT="$CUTRI_ROOT/site" \
  node tests/e2e/bench/first_load.mjs "$@"
