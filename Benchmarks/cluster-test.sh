#!/usr/bin/env bash
# Three `choso serve` processes on one PostgreSQL behind HAProxy (health checks on /readyz), live
# screens for every stall of the demo market connected through the balancer, and a flood of
# signed webhooks through it. In each run one fault strikes in the middle of the flood:
#   kill        one process is killed with SIGKILL (then started again for the next run);
#   pg-restart  PostgreSQL is restarted (pg_ctlcluster … restart);
#   pg-stop     PostgreSQL is stopped for 10 s, then started.
# Afterwards every delivery answered 2xx is stored once, nothing unsent is stored, and every
# screen received each of its stall's payments (a reconnecting screen catches up through
# Last-Event-ID; repeats on the wire are dropped by transfer id, as the page does, and counted).
# For the PostgreSQL faults /readyz must have answered 503 during the outage and 200 after it.
#
#   Benchmarks/cluster-test.sh RUNS postgres://USER:PASS@HOST:PORT/EMPTY_DB [kill|pg-restart|pg-stop]
# PG_CLUSTER="VERSION NAME" names the cluster for pg_ctlcluster (the PostgreSQL faults).
set -euo pipefail
. "$(dirname "$0")/common.sh"
RUNS="${1:-10}"
TARGET="${2:?a PostgreSQL URL}"
FAULT="${3:-kill}"
LB_PORT="${LB_PORT:-8410}"
NODE_PORTS=(8411 8412 8413)
case "$FAULT" in kill | pg-restart | pg-stop) ;; *) echo "the fault is kill, pg-restart or pg-stop"; exit 2 ;; esac
if [ "$FAULT" != kill ] && [ -z "${PG_CLUSTER:-}" ]; then echo "PG_CLUSTER=\"VERSION NAME\" is needed for $FAULT"; exit 2; fi
command -v haproxy >/dev/null || { echo "haproxy is needed (apt install haproxy)"; exit 2; }
build_tools
use_database "$TARGET"
fresh_demo

declare -A nodes
lb=
screens=
cleanup_cluster() {
  for pid in "${nodes[@]}" $lb $screens; do kill "$pid" 2>/dev/null || true; done
  if [ -n "${KEEP_WORK:-}" ]; then echo "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup_cluster EXIT

start_node() {
  local port=$1
  "$choso" serve --port "$port" >>"$work/node-$port.log" 2>&1 &
  nodes[$port]=$!
  for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return; sleep 0.05; done
  echo "node $port did not start"; tail -20 "$work/node-$port.log"; exit 1
}
for port in "${NODE_PORTS[@]}"; do start_node "$port"; done

# HAProxy: round robin; a node is out after two failed checks 300 ms apart and back after two
# good ones; a request whose connection was refused goes to another node. Event streams stay open
# (the server writes a comment every 15 s).
{
  echo "global"
  echo "  maxconn 4096"
  echo "  stats socket $work/haproxy.sock mode 600 level admin"
  echo "defaults"
  echo "  mode http"
  echo "  timeout connect 2s"
  echo "  timeout client 60s"
  echo "  timeout server 60s"
  echo "  timeout tunnel 1h"
  echo "  retries 3"
  echo "  option redispatch"
  echo "frontend choso"
  echo "  bind 127.0.0.1:$LB_PORT"
  echo "  default_backend nodes"
  echo "backend nodes"
  echo "  balance roundrobin"
  echo "  option httpchk GET /readyz"
  echo "  http-check expect status 200"
  echo "  default-server inter 300ms fall 2 rise 2"
  for port in "${NODE_PORTS[@]}"; do echo "  server node$port 127.0.0.1:$port check"; done
} >"$work/haproxy.cfg"
haproxy -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
lb=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$LB_PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
connect "$LB_PORT"
stall_count=$(python3 -c "import json; print(len(json.load(open('$work/conn.json'))['stalls']))")

# Each node's /readyz, every 200 ms, while the fault lasts: "<port> <status>" lines.
watch_readiness() {
  while [ ! -e "$work/fault-over" ]; do
    for port in "${NODE_PORTS[@]}"; do
      echo "$port $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/readyz")"
    done
    sleep 0.2
  done >"$work/readiness"
}

# "<answers per second> <5xx answers and failed requests>" from a choso-load output.
load_summary() {
  python3 - "$1" << 'PY'
import json, sys
lines = [l for l in open(sys.argv[1]) if l.startswith("{")]
phase = json.loads(lines[-1])["choso-load"][0] if lines else {"perSecond": 0, "outcomes": {}}
refused = sum(n for outcome, n in phase["outcomes"].items() if outcome == "error" or outcome.split()[-1].startswith("5"))
print(int(phase["perSecond"]), refused)
PY
}

# The cost of the balancer: the same flood at one process directly, then through HAProxy.
"$load" run --connection "$work/conn.json" --url "http://127.0.0.1:${NODE_PORTS[0]}" --max --duration 5 --concurrency 32 \
  --prefix "direct-" >"$work/direct.txt" 2>&1
"$load" run --connection "$work/conn.json" --url "http://127.0.0.1:$LB_PORT" --max --duration 5 --concurrency 32 \
  --prefix "balanced-" >"$work/balanced.txt" 2>&1
echo "webhooks flat out, 32 connections: one process directly $(load_summary "$work/direct.txt" | cut -d' ' -f1)/s;" \
  "three processes through HAProxy $(load_summary "$work/balanced.txt" | cut -d' ' -f1)/s"

failures=0
for run in $(seq 1 "$RUNS"); do
  rm -rf "$work/screens" "$work/ready" "$work/screens-ready" "$work/stop" "$work/fault-over"
  mkdir -p "$work/screens"
  python3 "$here/sse-screens.py" "http://127.0.0.1:$LB_PORT" "$work/conn.json" "$work/screens" "$work/screens-ready" "$work/stop" \
    >"$work/screens.log" 2>&1 &
  screens=$!
  while [ ! -e "$work/screens-ready" ]; do
    kill -0 "$screens" 2>/dev/null || { cat "$work/screens.log"; exit 1; }
    sleep 0.1
  done
  "$load" run --connection "$work/conn.json" --url "http://127.0.0.1:$LB_PORT" --max --duration 10 --concurrency 32 \
      --duplicates 0.2 --bad-signatures 0.05 --prefix "c$run-" --acked "$work/acked" --sent "$work/sent" --ready "$work/ready" \
      >"$work/load.txt" 2>&1 &
  loader=$!
  while [ ! -e "$work/ready" ]; do sleep 0.05; done
  sleep "$(python3 -c "import random; print(round(random.uniform(1.0, 4.0), 2))")"
  watch_readiness &
  watcher=$!
  case "$FAULT" in
    kill)
      victim=${NODE_PORTS[$((RANDOM % 3))]}
      kill -9 "${nodes[$victim]}"; wait "${nodes[$victim]}" 2>/dev/null || true
      fault="node $victim killed" ;;
    pg-restart)
      pg_ctlcluster $PG_CLUSTER restart; fault="PostgreSQL restarted" ;;
    pg-stop)
      pg_ctlcluster $PG_CLUSTER stop; sleep 10; pg_ctlcluster $PG_CLUSTER start; fault="PostgreSQL stopped 10 s" ;;
  esac
  wait "$loader" || true
  touch "$work/fault-over"; wait "$watcher" || true
  [ "$FAULT" = kill ] && start_node "$victim"
  # Readiness after the fault: every node ready again by itself within 30 s.
  recovered=yes
  for port in "${NODE_PORTS[@]}"; do
    for _ in $(seq 1 100); do
      status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$port/readyz")
      [ "$status" = 200 ] && continue 2
      sleep 0.3
    done
    recovered="no (node $port: $status)"
  done
  sleep 5 # screens that dropped come back after their retry delay and replay
  touch "$work/stop"; wait "$screens" || true; screens=

  query "SELECT provider_transaction_id FROM transfers WHERE idempotency_key LIKE 'webhook:$connection:c$run-%'" | sort >"$work/stored"
  query "SELECT lower(stall_id::text) || ' ' || lower(id::text) FROM transfers WHERE idempotency_key LIKE 'webhook:$connection:c$run-%' AND stall_id IS NOT NULL AND status <> 'outgoing'" >"$work/expected"
  sort -u "$work/acked" >"$work/acked.u"; sort -u "$work/sent" >"$work/sent.u"
  stored=$(wc -l <"$work/stored"); unique=$(sort -u "$work/stored" | wc -l)
  missing=$(comm -23 "$work/acked.u" "$work/stored" | wc -l)
  unsent=$(comm -13 "$work/sent.u" "$work/stored" | wc -l)
  acked=$(wc -l <"$work/acked.u")
  screen_verdict=$(python3 - "$work/screens" "$work/expected" << 'PY'
import collections, glob, json, os, sys
folder, expected_file = sys.argv[1:3]
expected = collections.defaultdict(set)
for line in open(expected_file):
    stall, transfer = line.split()
    expected[stall].add(transfer)
missed = shown_twice = wire_repeats = screens = 0
for path in glob.glob(os.path.join(folder, "screen-*.jsonl")):
    stall = os.path.basename(path)[7:-6]
    screens += 1
    received = [json.loads(line)["transferId"] for line in open(path)]
    seen = set(received)
    wire_repeats += len(received) - len(seen)
    missed += len(expected[stall] - seen)
reconnects = sum(json.load(open(os.path.join(folder, "reconnects.json"))).values())
print(f"{missed} {wire_repeats} {reconnects} {screens}")
PY
)
  read -r screen_missed wire_repeats reconnects screen_count <<<"$screen_verdict"
  readiness_note=""
  if [ "$FAULT" != kill ]; then
    not_ready=$(grep -c ' 503$' "$work/readiness" || true)
    ready_2xx_during=$(grep -c ' 200$' "$work/readiness" || true)
    readiness_note=", /readyz 503 seen $not_ready times (200: $ready_2xx_during)"
    # A restart lasts well under a second and may fall between two checks; a 10 s stop may not.
    [ "$FAULT" = pg-restart ] || [ "$not_ready" -gt 0 ] || recovered="no (never 503 during the outage)"
  fi
  read -r throughput refused <<<"$(load_summary "$work/load.txt")"
  if [ "$missing" -eq 0 ] && [ "$unsent" -eq 0 ] && [ "$stored" -eq "$unique" ] && [ "$acked" -gt 0 ] \
      && [ "$screen_missed" -eq 0 ] && [ "$screen_count" -eq "$stall_count" ] && [ "$recovered" = yes ]; then
    verdict=ok
  else
    verdict=FAILED; failures=$((failures + 1))
  fi
  echo "run $run ($fault): acked $acked distinct ($throughput answers/s through HAProxy, $refused answered 5xx or failed), stored $stored, lost $missing, never sent $unsent," \
    "doubled $((stored - unique)); $screen_count screens missed $screen_missed, $reconnects reconnections," \
    "$wire_repeats repeats dropped by id; nodes ready again: $recovered$readiness_note — $verdict"
done
echo "cluster test ($FAULT, 3 processes behind HAProxy): $((RUNS - failures))/$RUNS runs passed"
[ "$failures" -eq 0 ]
