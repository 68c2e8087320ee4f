#!/usr/bin/env bash
# Run the whole test suite: formatting and lints, Rust unit + integration tests, then the
# browser (e2e) tests against a debug build of the real server. Stops at the first failing stage with a non-zero exit.
# The integration tests also run against PostgreSQL when CUTRI_TEST_POSTGRES_URL is set
# (.ci/run sets it); without it they say that they skip PostgreSQL.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CUTRI_ROOT"

header "tools"
ensure_tools --e2e

header "cargo fmt --check, cargo clippy (server and browser builds)"
# Style and the lints of Cargo.toml's [workspace.lints] first: they fail in seconds where the
# tests take minutes.
cargo fmt --all --check || die "cargo fmt --check: run \`cargo fmt --all\` and commit"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate \
  -- -D warnings

header "cargo test --workspace"
# The integration tests start the real server binary (crash test); `cargo test` builds a
# package's binaries only for that package's own tests, so build it first.
cargo build -p server --bin cutri
cargo test --workspace

header "build site (dev)"
build_site dev

header "e2e (chromium)"
# Screenshots of an earlier run would be mistaken for this run's.
rm -rf tests/e2e/artifacts
# One test file at a time: each starts its own server and browser, and there are only 2 cores.
CUTRI_BIN="$CUTRI_TARGET_DIR/debug/cutri" CUTRI_SITE_ROOT="$CUTRI_ROOT/site" \
  node --test --test-concurrency=1 tests/e2e/*.test.mjs

header "all tests passed"
