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
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
DURATION="${DURATION:-10}"
CONCURRENCY="${CONCURRENCY:-64}"
RATE="${RATE:-1000}"
PORT="${PORT:-8391}"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(sqlite)

echo "building choso and choso-load (release)…"
(cd "$root" && swift build -c release --product choso >/dev/null)
(cd "$here" && swift build -c release --product choso-load >/dev/null)
choso="$root/.build/release/choso"
load="$here/.build/release/choso-load"
work="$(mktemp -d)"
trap '[ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$here/results"

for target in "${targets[@]}"; do
  if [ "$target" = sqlite ]; then
    name=sqlite
    export DATABASE_URL="sqlite://$work/load.sqlite"
  else
    name=postgres
    export DATABASE_URL="$target"
    psql "$target" -qc "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" >/dev/null
  fi
  export PORT HOST=127.0.0.1 CHOSO_ENV=development
  "$choso" migrate >/dev/null 2>&1
  "$choso" seed --demo >/dev/null 2>&1
  "$choso" serve --port "$PORT" >"$work/server-$name.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  "$load" setup --url "http://127.0.0.1:$PORT" --user bql.nganro --password chosodemo >"$work/conn.json"
  {
    echo "# $name, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), duration ${DURATION}s, ${CONCURRENCY} connections"
    "$load" run --connection "$work/conn.json" --max --duration "$DURATION" --concurrency "$CONCURRENCY" --duplicates 0.1 --bad-signatures 0.02 --prefix "max-" --healthz
    "$load" run --connection "$work/conn.json" --rate "$RATE" --duration "$DURATION" --concurrency "$CONCURRENCY" --prefix "rate-" --healthz
  } | tee "$here/results/intake-$name.txt"
  kill "$server"; wait "$server" 2>/dev/null || true
  server=
done
