#!/usr/bin/env bash
# Signed webhooks per second end to end (HTTP, signature, grouped durable commit, match, event),
# beside the same server's GET /healthz, on SQLite and on PostgreSQL (DESIGN.md §9).
#
#   Benchmarks/intake-load.sh [sqlite|postgres URL]...   (default: sqlite)
#   DURATION=10 CONCURRENCY=64 RATE=1000 Benchmarks/intake-load.sh sqlite postgres://u:p@127.0.0.1/db
#
# Each database gets a fresh demo (the PostgreSQL one a fresh schema-free database is assumed:
# its tables are dropped first). Results: Benchmarks/results/intake-<db>.txt
set -euo pipefail
. "$(dirname "$0")/common.sh"
DURATION="${DURATION:-10}"
CONCURRENCY="${CONCURRENCY:-64}"
RATE="${RATE:-1000}"
PORT="${PORT:-8391}"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(sqlite)

echo "building choso and choso-load (release)…"
build_tools
for target in "${targets[@]}"; do
  use_database "$target"
  fresh_demo
  start_server "$PORT"
  connect "$PORT"
  {
    echo "# $name, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), duration ${DURATION}s, ${CONCURRENCY} connections"
    "$load" run --connection "$work/conn.json" --max --duration "$DURATION" --concurrency "$CONCURRENCY" --duplicates 0.1 --bad-signatures 0.02 --prefix "max-" --healthz
    "$load" run --connection "$work/conn.json" --rate "$RATE" --duration "$DURATION" --concurrency "$CONCURRENCY" --prefix "rate-" --healthz
  } | tee "$here/results/intake-$name.txt"
  stop_server
done
