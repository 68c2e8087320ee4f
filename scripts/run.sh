#!/usr/bin/env bash
# Run the app: builds an optimised site and server, then serves it.
#   bash scripts/run.sh [--addr 127.0.0.1:3000] [--data-dir ./data] [--database-url URL] [--secure-cookies]
# Arguments go to `cutri serve` unchanged. On the first start the server logs a one-time
# /setup?token=... link for creating the first admin.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CUTRI_ROOT"

header "tools"
ensure_tools
ensure_wasm_opt

header "build (release)"
build_site release

header "serve"
# The server finds site/ relative to the working directory unless CUTRI_SITE_ROOT says otherwise.
export CUTRI_SITE_ROOT="${CUTRI_SITE_ROOT:-$CUTRI_ROOT/site}"
exec "$CUTRI_TARGET_DIR/release/cutri" serve "$@"
