#!/usr/bin/env bash
# Several cutri servers on one PostgreSQL behind HAProxy (issue 18): the figures of the
# BENCHMARKS.md section "Several servers". A release build, then on fresh databases:
#   1. one server behind HAProxy, 1.000.000 voters, 500 dashboards, 3.000 check-ins/s offered;
#   2. the same with two servers;
#   3. failover: two servers, one killed with SIGKILL in turn and restarted, 20 times, while
#      check-ins retry unanswered requests with the same request id; the ledger at the end says
#      what was acknowledged, lost, doubled.
# PostgreSQL: CUTRI_BENCH_POSTGRES_URL (a URL whose user may create databases; default
# postgres://postgres@127.0.0.1:5432/postgres). The databases cutri_bench_* are dropped and
# created again.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CUTRI_ROOT"

admin_url="${CUTRI_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
ensure_apt_packages haproxy postgresql-client

header "release build"
cargo build --release -p server --bins
load="$CUTRI_TARGET_DIR/release/cutri-load"

# A fresh, empty database named cutri_bench_$1; prints its URL.
fresh_database() {
  local name="cutri_bench_$1"
  psql --quiet "$admin_url" -c "drop database if exists $name with (force)" \
    -c "create database $name" >&2
  local base="${admin_url%%\?*}"
  printf '%s/%s\n' "${base%/*}" "$name"
}

# 256 connections, 250 areas: the figures of "Election-day check-in" are comparable.
common=(--voters 1000000 --areas 250 --connections 256 --dashboards 500 --rate 3000 --seconds 30)

for servers in 1 2; do
  header "$servers server(s) behind HAProxy"
  "$load" --database-url "$(fresh_database "servers_$servers")" --servers "$servers" "${common[@]}"
done

# Each kill comes 10 s after the previous server is healthy again; a restart on 1.000.000 voters
# takes a few seconds, so 20 kills fit in the run. 1.000.000 voters at 1.000/s last long enough.
header "failover: 2 servers, one killed in turn"
"$load" --database-url "$(fresh_database failover)" --servers 2 --kill-every 10 \
  --voters 1000000 --areas 250 --connections 256 --dashboards 500 --rate 1000 --seconds 330
