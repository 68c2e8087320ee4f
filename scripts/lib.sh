# shellcheck shell=bash
# Shared helpers for scripts/run.sh, scripts/test.sh and .ci/run. Source this file, don't run it.
#
# Every machine this project lands on starts with only what its kind provides, so the scripts
# install what the build needs themselves, but only what is missing: a second run must cost
# nothing. We build without cargo-leptos (23 minutes to install here); build_site below does the
# three steps cargo-leptos would do.

CUTRI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CUTRI_TARGET_DIR="${CARGO_TARGET_DIR:-$CUTRI_ROOT/target}"

# `cargo install` puts binaries here; a non-login shell (CI) may not have it on PATH.
CARGO_BIN_DIR="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in
  *":$CARGO_BIN_DIR:"*) ;;
  *) export PATH="$CARGO_BIN_DIR:$PATH" ;;
esac

# CI runs with no stdin: apt must never ask.
export DEBIAN_FRONTEND=noninteractive

log() { printf '[cutri] %s\n' "$*" >&2; }
die() { printf '[cutri] ERROR: %s\n' "$*" >&2; exit 1; }
header() { printf '\n======== %s ========\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------------

ensure_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    return
  fi
  log "installing rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
}

# The version of the wasm-bindgen crate that Cargo.lock resolved.
locked_wasm_bindgen_version() {
  awk '
    $0 == "name = \"wasm-bindgen\"" { found = 1; next }
    found && /^version = / { gsub(/version = |"/, ""); print; exit }
  ' "$CUTRI_ROOT/Cargo.lock"
}

# scripts/wasm-split, the step that cuts the browser bundle into the pages' pieces, built once
# into .tools/ and again only when its source changes.
ensure_wasm_split() {
  local tools="$CUTRI_ROOT/.tools" source="$CUTRI_ROOT/scripts/wasm-split"
  export PATH="$tools/bin:$PATH"
  local tool="$tools/bin/cutri-wasm-split"
  if [[ -x "$tool" && "$tool" -nt "$source/src/main.rs" && "$tool" -nt "$source/Cargo.toml" \
        && "$tool" -nt "$source/Cargo.lock" ]]; then
    return
  fi
  log "building cutri-wasm-split (scripts/wasm-split)"
  cargo install --locked --force --path "$source" --root "$tools" \
    --target-dir "$CUTRI_TARGET_DIR/wasm-split" || die "cannot build scripts/wasm-split"
}

# The CLI must equal the crate exactly: any other version refuses the .wasm with a
# "schema version" mismatch.
ensure_wasm_bindgen() {
  local want have=""
  want="$(locked_wasm_bindgen_version)"
  [[ -n "$want" ]] || die "no wasm-bindgen package found in Cargo.lock"
  if command -v wasm-bindgen >/dev/null; then
    have="$(wasm-bindgen --version | awk '{print $2}')"
  fi
  if [[ "$have" == "$want" ]]; then
    return
  fi
  log "installing wasm-bindgen-cli $want (found: ${have:-none}); takes a few minutes"
  # No --locked: its lock file names a crate version this registry mirror lacks.
  # --force replaces an installed different version instead of refusing.
  cargo install wasm-bindgen-cli --version "$want" --force
  have="$(wasm-bindgen --version | awk '{print $2}')"
  [[ "$have" == "$want" ]] \
    || die "wasm-bindgen on PATH ($(command -v wasm-bindgen)) is $have, need $want; check PATH order"
}

apt_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# Install the given Debian packages that are not installed yet; `apt-get update` only if needed.
ensure_apt_packages() {
  local pkg missing=()
  for pkg in "$@"; do
    apt_installed "$pkg" || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    return
  fi
  log "installing Debian packages: ${missing[*]}"
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
}

# The e2e tests drive Debian's chromium through npm playwright-core (the `playwright` package
# would try to download its own browsers, which cannot be fetched here).
ensure_e2e_tools() {
  local pkgs=(chromium poppler-utils fonts-liberation2)
  command -v node >/dev/null || pkgs+=(nodejs)
  command -v npm >/dev/null || pkgs+=(npm)
  ensure_apt_packages "${pkgs[@]}"

  local e2e="$CUTRI_ROOT/tests/e2e"
  # npm writes node_modules/.package-lock.json on every install: missing or older than the
  # committed lock file means node_modules is absent or stale.
  if [[ ! -f "$e2e/node_modules/.package-lock.json" \
        || "$e2e/package-lock.json" -nt "$e2e/node_modules/.package-lock.json" ]]; then
    log "installing e2e npm packages in tests/e2e"
    if [[ -f "$e2e/package-lock.json" ]]; then
      (cd "$e2e" && npm ci --no-audit --no-fund)
    else
      (cd "$e2e" && npm install --no-audit --no-fund)
    fi
  fi
}

# wasm-opt shrinks the release bundle several-fold. The npm package binaryen carries a working
# build (Debian's is too old and breaks hydration); it goes into .tools/, not the system.
ensure_wasm_opt() {
  local tools="$CUTRI_ROOT/.tools"
  export PATH="$tools/node_modules/.bin:$PATH"
  if command -v wasm-opt >/dev/null && [[ "$(command -v wasm-opt)" != /usr/bin/wasm-opt ]]; then
    return
  fi
  if command -v npm >/dev/null; then
    log "installing wasm-opt (npm binaryen) into .tools/"
    npm install --prefix "$tools" --no-audit --no-fund --silent binaryen@132.0.0 \
      || log "could not install wasm-opt; the release bundle will be larger"
  fi
}

# ensure_tools [--e2e]: what building the site needs; with --e2e also what the browser tests need.
# The formatter and the linter of the test suite's first stage.
ensure_rust_components() {
  local installed
  installed="$(rustup component list --installed)"
  grep -q '^rustfmt' <<<"$installed" || rustup component add rustfmt
  grep -q '^clippy' <<<"$installed" || rustup component add clippy
}

ensure_tools() {
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_wasm_split
  # The official PDFs embed Liberation Serif (Times-compatible, full Vietnamese coverage);
  # brotli compresses the browser bundle ahead of time.
  ensure_apt_packages fonts-liberation2 brotli
  if [[ "${1:-}" == "--e2e" ]]; then
    ensure_rust_components
    ensure_e2e_tools
    # The PostgreSQL backup tests run pg_dump and pg_restore.
    command -v pg_dump >/dev/null || ensure_apt_packages postgresql-client
    # The failover tests put Debian's HAProxy in front of several servers (deploy/haproxy.cfg).
    ensure_apt_packages haproxy
  fi
}

# --- build -------------------------------------------------------------------------------------

# Optional size optimisation of the release .wasm. Debian's binaryen (wasm-opt 108) produces a
# module the browser rejects ("WebAssembly.Table.set(): Argument 1 is invalid for table"), so
# old versions are skipped, and a failure only costs size, never the build.
maybe_wasm_opt() {
  local wasm="$1" ver
  if ! command -v wasm-opt >/dev/null; then
    log "wasm-opt not on PATH; shipping the unoptimised .wasm"
    return
  fi
  ver="$(wasm-opt --version | grep -oE 'version [0-9]+' | grep -oE '[0-9]+' || true)"
  if [[ -z "$ver" ]] || ((ver < 116)); then
    log "wasm-opt version '${ver:-?}' is too old to be safe (need >= 116); skipping it"
    return
  fi
  log "wasm-opt -Oz (binaryen $ver)"
  # rustc's wasm32 target uses these features by default; wasm-opt must be told to accept them.
  if wasm-opt -Oz \
      --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      -o "$wasm.opt" "$wasm"; then
    mv "$wasm.opt" "$wasm"
  else
    rm -f "$wasm.opt"
    log "wasm-opt failed; shipping the unoptimised .wasm"
  fi
}

# package_bundle <staging dir> <dev|release> [site dir]: adds brotli and gzip copies of the
# bundle's files, moves it to <site dir, default site>/pkg/<hash of its content> and names that
# directory in pkg/current, which the server reads at start. The URL of every file thus changes
# with any byte of the bundle, so the server lets browsers keep the files for good. The two
# previous bundles stay for pages opened before an upgrade that still fetch a file.
package_bundle() {
  local staging="${1:?package_bundle needs a directory}" mode="${2:?package_bundle needs dev or release}"
  local pkg="${3:-$CUTRI_ROOT/site}/pkg" hash file gzip_level=6 brotli_quality=5
  if [[ "$mode" == release ]]; then
    gzip_level=9
    brotli_quality=11
  fi
  hash="$(cd "$staging" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum \
    | sha256sum | cut -c1-16)" || die "cannot hash the bundle"
  [[ "$hash" =~ ^[0-9a-f]{16}$ ]] || die "bad bundle hash '$hash'"
  while IFS= read -r -d '' file; do
    gzip -"$gzip_level" -n -k -f "$file" || die "cannot gzip $file"
    if command -v brotli >/dev/null; then
      brotli -q "$brotli_quality" -k -f "$file" || die "cannot compress $file with brotli"
    fi
  done < <(find "$staging" -type f \( -name '*.js' -o -name '*.wasm' -o -name '*.css' -o -name '*.json' \) -print0)
  command -v brotli >/dev/null || log "brotli not on PATH; serving gzip only"

  mkdir -p "$pkg"
  local previous=""
  [[ -f "$pkg/current" ]] && previous="$(<"$pkg/current")"
  # Files of the layout before bundles were hashed, and a half-written bundle of an interrupted build.
  find "$pkg" -mindepth 1 -maxdepth 1 -regextype posix-extended ! -name current ! -regex '.*/[0-9a-f]{16}' -exec rm -rf {} +
  rm -rf "${pkg:?}/$hash"
  mv "$staging" "$pkg/$hash" || die "cannot move the bundle into $pkg"
  touch "$pkg/$hash"
  printf '%s\n' "$hash" >"$pkg/current.new" && mv "$pkg/current.new" "$pkg/current" \
    || die "cannot write $pkg/current"
  # Keep the new bundle, the one it replaces and the newest one before that.
  find "$pkg" -mindepth 1 -maxdepth 1 -regextype posix-extended -type d -regex '.*/[0-9a-f]{16}' -printf '%T@ %f\n' \
    | sort -rn | cut -d' ' -f2- | { grep -vx -e "$hash" -e "${previous:-$hash}" || true; } | tail -n +2 \
    | while IFS= read -r old; do rm -rf "${pkg:?}/$old"; done
  log "bundle $hash is current"
}

# build_site <dev|release>: the browser bundle and CSS into site/pkg/<hash>, and the server
# binary into target/<debug|release>/cutri.
build_site() {
  local mode="${1:?build_site needs dev or release}"
  local wasm_args=() wasm_dir server_args=()
  case "$mode" in
    dev) wasm_dir=debug ;;
    release) wasm_args=(--profile wasm-release); wasm_dir=wasm-release; server_args=(--release) ;;
    *) die "build_site: unknown mode '$mode' (dev|release)" ;;
  esac

  cd "$CUTRI_ROOT"
  local staging="$CUTRI_ROOT/site/pkg.building"
  ensure_wasm_split

  log "building the browser bundle ($mode)"
  # Each step checks its own failure: callers may run this where `set -e` does not apply
  # (inside `&&` or `if`), and a stale app.wasm must never be packaged.
  cargo build -p app --lib --target wasm32-unknown-unknown --no-default-features \
    --features hydrate "${wasm_args[@]}" || die "the browser bundle did not build"
  rm -rf "$staging"
  mkdir -p "$staging"
  # The pages' pieces first (shell/pieces.rs), then wasm-bindgen on what stays in the main module;
  # its exports must stay as the linker named them, since the pieces import them by those names.
  cutri-wasm-split "$CUTRI_TARGET_DIR/wasm32-unknown-unknown/$wasm_dir/app.wasm" "$staging" \
    || die "splitting the browser bundle failed"
  wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle \
    --out-dir "$staging" --out-name cutri "$staging/cutri_split.wasm" || die "wasm-bindgen failed"
  rm "$staging/cutri_split.wasm"
  if [[ "$mode" == release ]]; then
    local wasm
    for wasm in "$staging"/*.wasm; do
      maybe_wasm_opt "$wasm"
    done
  fi

  log "copying CSS"
  local css name found=0
  for css in "$CUTRI_ROOT"/style/*.css; do
    [[ -e "$css" ]] || continue
    name="$(basename "$css")"
    # The page links cutri.css: main.css is the site's stylesheet.
    [[ "$name" == main.css ]] && name=cutri.css && found=1
    cp "$css" "$staging/$name" || die "cannot copy $css"
  done
  ((found)) || log "warning: style/main.css not found; cutri.css will be missing"

  package_bundle "$staging" "$mode"

  log "building the server ($mode)"
  cargo build -p server "${server_args[@]}" || die "the server did not build"
}
