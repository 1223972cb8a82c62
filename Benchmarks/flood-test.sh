#!/usr/bin/env bash
# A slow flood of one public door, POST /api/v1/qr/decode from one address at a steady FLOOD_RATE
# a second (most of it answered 429), beside signed webhooks at a fixed rate and a live screen for
# every stall of the demo market: the webhooks' latency and the screens' delay, without the flood
# and with it, in one run; and how the flood was answered (issue 18, item 5).
#   Benchmarks/flood-test.sh [sqlite|URL] [FLOOD_RATE]      (default: sqlite 400)
set -euo pipefail
. "$(dirname "$0")/common.sh"
TARGET="${1:-sqlite}"
FLOOD_RATE="${2:-400}"
WEBHOOK_RATE="${WEBHOOK_RATE:-300}"
PORT="${PORT:-8396}"
server_with_connection "$TARGET" "$PORT"
base="http://127.0.0.1:$PORT"
screens=
trap '[ -n "${screens:-}" ] && kill "$screens" 2>/dev/null; [ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT


# One phase: screens open, webhooks at WEBHOOK_RATE for 10 s (with the flood if asked), screens
# closed; prints "webhook p50 p99, stored, screen delay".
measure() {
  local prefix=$1 with_flood=$2
  open_screens "$base"
  local flooder=
  if [ "$with_flood" = yes ]; then
    python3 "$here/slow-flood.py" "$base" POST /api/v1/qr/decode --body '{"payload":"00020101021138570010A000000727"}' \
      --rate "$FLOOD_RATE" --seconds 14 >"$work/flood.txt" &
    flooder=$!
    sleep 2
  fi
  "$load" run --connection "$work/conn.json" --url "$base" --rate "$WEBHOOK_RATE" --duration 10 --concurrency 32 \
    --prefix "$prefix" --acked-at "$work/acked-at-$prefix" >"$work/load-$prefix.txt" 2>&1
  [ -n "$flooder" ] && wait "$flooder"
  sleep 2; close_screens
  transfer_map "$prefix" >"$work/map-$prefix"
  read -r events delay_p50 delay_p99 never <<<"$(python3 "$here/screen-latency.py" "$work/screens" "$work/acked-at-$prefix" "$work/map-$prefix")"
  python3 - "$work/load-$prefix.txt" "$(wc -l <"$work/acked-at-$prefix")" "$(wc -l <"$work/map-$prefix")" "$events" "$delay_p50" "$delay_p99" "$never" << 'PY'
import json, sys
path, acked, stored, events, p50, p99, never = sys.argv[1:8]
phase = json.loads([l for l in open(path) if l.startswith("{")][-1])["choso-load"][0]
print(f"webhooks {phase['perSecond']:.0f}/s p50 {phase['p50ms']} ms p99 {phase['p99ms']} ms, {acked} acked, {stored} stored; "
      f"screens: {events} payments shown, delay after the answer p50 {p50} ms p99 {p99} ms, {never} never shown")
PY
}

{
  echo "# $name, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ); webhooks at $WEBHOOK_RATE/s, $(python3 -c "import json; print(len(json.load(open('$work/conn.json'))['stalls']))") live screens"
  echo "without a flood: $(measure quiet- no)"
  echo "with a flood of POST /api/v1/qr/decode at $FLOOD_RATE/s: $(measure flooded- yes)"
  read -r sent per_second refused others <"$work/flood.txt"
  echo "the flood: $sent requests at $per_second/s from one address, $refused answered 429, others $others"
  curl -s "$base/metrics" | grep '^choso_rate_limit_refusals_total' || true
} | tee "$here/results/flood-$name.txt"
