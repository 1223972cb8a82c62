#!/usr/bin/env bash
# 200 live screens on one server, then a burst of 1,000 signed payments to their stalls: every
# screen must receive each of its stall's payments exactly once (issue 6).
#   Benchmarks/live-screens.sh [SCREENS] [PAYMENTS] [sqlite|postgres URL]     (default: 200 1000 sqlite)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
SCREENS="${1:-200}"
PAYMENTS="${2:-1000}"
TARGET="${3:-sqlite}"
PORT="${PORT:-8395}"
(cd "$root" && swift build -c release --product choso >/dev/null 2>&1)
(cd "$here" && swift build -c release --product choso-load >/dev/null 2>&1)
choso="$root/.build/release/choso"
load="$here/.build/release/choso-load"
work="$(mktemp -d)"
trap '[ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
if [ "$TARGET" = sqlite ]; then
  export DATABASE_URL="sqlite://$work/live.sqlite"
else
  export DATABASE_URL="$TARGET"
  psql "$TARGET" -qc "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" >/dev/null
fi
export HOST=127.0.0.1 PORT CHOSO_ENV=development
"$choso" migrate >/dev/null 2>&1
"$choso" seed --demo >/dev/null 2>&1
"$choso" serve --port "$PORT" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
"$load" setup --url "http://127.0.0.1:$PORT" --user bql.nganro --password chosodemo >"$work/conn.json"
name=$( [ "$TARGET" = sqlite ] && echo sqlite || echo postgres )
mkdir -p "$here/results"
{
  echo "# $name, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
  "$load" screens --connection "$work/conn.json" --screens "$SCREENS" --payments "$PAYMENTS" --concurrency $((SCREENS + 64))
  ps -o rss= -p "$server" | awk '{printf "server RSS after the burst: %.0f MB\n", $1/1024}'
} | tee "$here/results/live-screens-$name.txt"
