#!/usr/bin/env bash
# Kill the server with SIGKILL while it takes a flood of signed webhooks, restart it, and check
# that every delivery it answered 2xx is stored exactly once and that nothing was stored that was
# not sent (DESIGN.md §7).
#
#   Benchmarks/crash-test.sh [RUNS] [sqlite|postgres URL]      (default: 20 sqlite)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
RUNS="${1:-20}"
TARGET="${2:-sqlite}"
PORT="${PORT:-8392}"

(cd "$root" && swift build -c release --product choso >/dev/null)
(cd "$here" && swift build -c release --product choso-load >/dev/null)
choso="$root/.build/release/choso"
load="$here/.build/release/choso-load"
work="$(mktemp -d)"
trap '[ -n "${server:-}" ] && kill -9 "$server" 2>/dev/null; rm -rf "$work"' EXIT

if [ "$TARGET" = sqlite ]; then
  export DATABASE_URL="sqlite://$work/crash.sqlite"
  query() { sqlite3 "$work/crash.sqlite" "$1"; }
else
  export DATABASE_URL="$TARGET"
  psql "$TARGET" -qc "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" >/dev/null
  query() { psql "$TARGET" -Atqc "$1"; }
fi
export HOST=127.0.0.1 PORT CHOSO_ENV=development
"$choso" migrate >/dev/null 2>&1
"$choso" seed --demo >/dev/null 2>&1

start_server() {
  "$choso" serve --port "$PORT" >>"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && return; sleep 0.05; done
  echo "server did not start"; tail -20 "$work/server.log"; exit 1
}

start_server
"$load" setup --url "http://127.0.0.1:$PORT" --user bql.nganro --password chosodemo >"$work/conn.json"
connection=$(python3 -c "import json,sys; print(json.load(open('$work/conn.json'))['id'].lower())")

failures=0
for run in $(seq 1 "$RUNS"); do
  rm -f "$work/ready"
  "$load" run --connection "$work/conn.json" --max --duration 8 --concurrency 32 --duplicates 0.2 --bad-signatures 0.05 \
      --prefix "r$run-" --acked "$work/acked" --sent "$work/sent" --ready "$work/ready" >"$work/load.txt" 2>&1 &
  loader=$!
  while [ ! -e "$work/ready" ]; do sleep 0.05; done
  sleep "$(python3 -c "import random; print(round(random.uniform(0.5, 4.0), 2))")"
  kill -9 "$server"; wait "$server" 2>/dev/null || true
  wait "$loader" || true
  start_server
  # Transfers of this run, as stored (provider ids are r<run>-<n>).
  query "SELECT provider_transaction_id FROM transfers WHERE idempotency_key LIKE 'webhook:$connection:r$run-%'" | sort >"$work/stored"
  sort -u "$work/acked" >"$work/acked.u"; sort -u "$work/sent" >"$work/sent.u"
  stored=$(wc -l <"$work/stored"); unique=$(sort -u "$work/stored" | wc -l)
  missing=$(comm -23 "$work/acked.u" "$work/stored" | wc -l)
  unsent=$(comm -13 "$work/sent.u" "$work/stored" | wc -l)
  acked=$(wc -l <"$work/acked.u")
  if [ "$missing" -eq 0 ] && [ "$unsent" -eq 0 ] && [ "$stored" -eq "$unique" ] && [ "$acked" -gt 0 ]; then
    verdict=ok
  else
    verdict=FAILED; failures=$((failures + 1))
  fi
  echo "run $run: acked $acked distinct, stored $stored, lost $missing, never sent $unsent, doubled $((stored - unique)) — $verdict"
done
echo "crash test on $( [ "$TARGET" = sqlite ] && echo SQLite || echo PostgreSQL ): $((RUNS - failures))/$RUNS runs passed"
[ "$failures" -eq 0 ]
