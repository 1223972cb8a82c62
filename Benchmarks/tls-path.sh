#!/usr/bin/env bash
# The production path's cost: one `choso serve` measured directly and through HAProxy terminating
# TLS in front of it (a self-signed certificate made here), in one run, for
#   - the intake: ../shared/bench/intake-wrk.py (wrk, 32 connections, distinct signed deliveries);
#   - live screens: one per stall of the demo market, webhooks at 300/s; the delay from a
#     webhook's answer to its payment on the screens;
#   - the teams' sync: Benchmarks/sync-bench.py (a 1,000-visit batch, 20 phones at once, the
#     hamlet's list).
#   Benchmarks/tls-path.sh [sqlite|URL]
set -euo pipefail
. "$(dirname "$0")/common.sh"
TARGET="${1:-sqlite}"
PORT="${PORT:-8397}"
TLS_PORT="${TLS_PORT:-8398}"
INTAKE_WRK="${INTAKE_WRK:-$root/../shared/bench/intake-wrk.py}"
command -v haproxy >/dev/null || { echo "haproxy is needed (apt install haproxy)"; exit 2; }
command -v wrk >/dev/null || { echo "wrk is needed (apt install wrk)"; exit 2; }
[ -f "$INTAKE_WRK" ] || { echo "the shared load generator is not at $INTAKE_WRK (set INTAKE_WRK)"; exit 2; }
server_with_connection "$TARGET" "$PORT"
lb=
screens=
trap 'for pid in $lb $screens $server; do kill "$pid" 2>/dev/null; done; rm -rf "$work"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
cat "$work/tls.crt" "$work/tls.key" >"$work/tls.pem"
export SSL_CERT_FILE="$work/tls.crt"
# As deploy/haproxy.cfg: TLS ends at HAProxy, HTTP/1.1 to ChoSo, streams kept open.
cat >"$work/haproxy.cfg" <<CFG
global
  maxconn 4096
  ssl-default-bind-options ssl-min-ver TLSv1.2
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 300s  # a hamlet's sync of 20 phones at once can take a minute on 2 cores
  timeout tunnel 1h
  option forwardfor
frontend choso_tls
  bind 127.0.0.1:$TLS_PORT ssl crt $work/tls.pem alpn http/1.1
  default_backend choso
backend choso
  server one 127.0.0.1:$PORT
CFG
haproxy -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
lb=$!
for _ in $(seq 1 100); do curl -fs "https://127.0.0.1:$TLS_PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
direct="http://127.0.0.1:$PORT"
tls="https://127.0.0.1:$TLS_PORT"


# Screens opened at BASE, webhooks at 300/s straight to the server: the screens' delay.
screen_delay() {
  local base=$1 prefix=$2
  open_screens "$base"
  "$load" run --connection "$work/conn.json" --url "$direct" --rate 300 --duration 10 --concurrency 32 \
    --prefix "$prefix" --acked-at "$work/acked-at-$prefix" >/dev/null 2>&1
  sleep 2; close_screens
  transfer_map "$prefix" >"$work/map-$prefix"
  read -r events p50 p99 never <<<"$(python3 "$here/screen-latency.py" "$work/screens" "$work/acked-at-$prefix" "$work/map-$prefix")"
  echo "$events payments shown, delay after the answer p50 $p50 ms, p99 $p99 ms, $never never shown"
}

{
  echo "# $name, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ); HAProxy $(haproxy -v | head -1 | awk '{print $3}'), TLS 1.3 self-signed RSA 2048"
  echo "## intake (intake-wrk.py, 32 connections, 8 s)"
  echo "direct:             $(python3 "$INTAKE_WRK" --url "$direct" --deliveries 40000 2>&1 | tail -1)"
  echo "HAProxy with TLS:   $(python3 "$INTAKE_WRK" --url "$tls" --deliveries 40000 2>&1 | tail -1)"
  echo "## live screens ($(python3 -c "import json; print(len(json.load(open('$work/conn.json'))['stalls']))") screens, webhooks at 300/s for 10 s)"
  echo "direct:             $(screen_delay "$direct" sd-)"
  echo "HAProxy with TLS:   $(screen_delay "$tls" st-)"
  echo "## the teams' sync (sync-bench.py, 3 runs)"
  echo "direct:"
  python3 "$here/sync-bench.py" "$direct" --runs 3 2>&1 | sed 's/^/  /'
  echo "HAProxy with TLS:"
  python3 "$here/sync-bench.py" "$tls" --runs 3 2>&1 | sed 's/^/  /'
} | tee "$here/results/tls-path-$name.txt"
