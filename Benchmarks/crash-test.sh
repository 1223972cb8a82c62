#!/usr/bin/env bash
# Kill the server with SIGKILL while it takes a flood of signed webhooks, restart it, and check
# that every delivery it answered 2xx is stored exactly once and that nothing was stored that was
# not sent (DESIGN.md §7).
#
#   Benchmarks/crash-test.sh [RUNS] [sqlite|postgres URL]      (default: 20 sqlite)
set -euo pipefail
. "$(dirname "$0")/common.sh"
RUNS="${1:-20}"
TARGET="${2:-sqlite}"
PORT="${PORT:-8392}"
server_with_connection "$TARGET" "$PORT"

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
  start_server "$PORT"
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
