#!/usr/bin/env bash
# Where a webhook delivery's time goes: the shared load generator (../shared/bench/intake-wrk.py,
# wrk replaying distinct signed deliveries) against a release server on a fresh demo database,
# with the server's context switches per delivery stored (the sum over its threads in
# /proc/PID/task/*/status, sampled with the transfer count four times a second, over the samples
# in which transfers were being stored) and, with PERF=1, a `perf record -g` profile of the server
# whose top entries are printed (docs/performance.md).
#   Benchmarks/intake-hops.sh [sqlite|postgres://…] [runs]
set -euo pipefail
. "$(dirname "$0")/common.sh"
target=${1:-sqlite}
runs=${2:-1}
wrk_script="$root/../shared/bench/intake-wrk.py"
[ -f "$wrk_script" ] || { echo "the shared load generator is missing: $wrk_script"; exit 2; }
command -v wrk >/dev/null || { echo "wrk is needed (apt install wrk)"; exit 2; }
(cd "$root" && swift build -c release --product choso >/dev/null 2>&1)
export CHOSO_RATE_LIMITS=off
port=18187

switches() {
  cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { total += $2 } END { print total + 0 }'
}

for run in $(seq 1 "$runs"); do
  use_database "$target"
  fresh_demo
  start_server "$port"
  rm -f "$work/samples"
  (while kill -0 "$server" 2>/dev/null; do
     echo "$(switches "$server") $(query "SELECT count(*) FROM transfers")" >>"$work/samples"; sleep 0.25
   done) &
  sampler=$!
  if [ "${PERF:-0}" = 1 ]; then
    # The webhooks only (not the /healthz phase before them): from the first transfer stored, 6 s.
    initial=$(query "SELECT count(*) FROM transfers")
    (while [ "$(query "SELECT count(*) FROM transfers")" = "$initial" ]; do sleep 0.1; done
     exec perf record -e cpu-clock -F 999 -g -p "$server" -o "$work/perf.data" -- sleep 6) >/dev/null 2>&1 &
    profiler=$!
  fi
  figures=$(python3 "$wrk_script" --url "http://127.0.0.1:$port" --user admin --password chosodemo | tail -1)
  if [ "${PERF:-0}" = 1 ]; then wait "$profiler" || true; fi
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  echo "# $name run $run, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "$figures"
  python3 - "$work/samples" <<'PY'
import sys
rows = [tuple(map(int, line.split())) for line in open(sys.argv[1]) if len(line.split()) == 2]
steps = [(b[0] - a[0], b[1] - a[1]) for a, b in zip(rows, rows[1:]) if b[1] > a[1]]
switches, stored = sum(s for s, _ in steps), sum(n for _, n in steps)
print(f"context switches per delivery stored: {switches / max(stored, 1):.1f} ({stored} stored while sampled)")
PY
  if [ "${PERF:-0}" = 1 ]; then
    cp "$work/perf.data" "$here/results/intake-$name.perf.data"
    perf report -i "$work/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null \
      | grep -E '^ +[0-9.]+%' | awk '{print $1, $2}' | head -8
    perf report -i "$work/perf.data" --no-children --sort symbol --percent-limit 1.5 --stdio -g none 2>/dev/null \
      | grep -E '^ +[0-9.]+%' | awk '{print $1, $2, $3}' | head -25
  fi
  stop_server
done
