#!/usr/bin/env bash
# 200 live screens on one server, then a burst of 1,000 signed payments to their stalls: every
# screen must receive each of its stall's payments exactly once (issue 6).
#   Benchmarks/live-screens.sh [SCREENS] [PAYMENTS] [sqlite|postgres URL]     (default: 200 1000 sqlite)
set -euo pipefail
. "$(dirname "$0")/common.sh"
SCREENS="${1:-200}"
PAYMENTS="${2:-1000}"
TARGET="${3:-sqlite}"
PORT="${PORT:-8395}"
server_with_connection "$TARGET" "$PORT"
{
  echo "# $name, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
  "$load" screens --connection "$work/conn.json" --screens "$SCREENS" --payments "$PAYMENTS" --concurrency $((SCREENS + 64))
  ps -o rss= -p "$server" | awk '{printf "server RSS after the burst: %.0f MB\n", $1/1024}'
} | tee "$here/results/live-screens-$name.txt"
