#!/usr/bin/env bash
# Payload → QR image throughput, all over the same payloads in one run (DESIGN.md §9):
#   libqrencode symbol only (the floor), ChoSo payload → PNG, ChoSo payload → SVG,
#   the qrencode command line (one process per code, as a user calls it), Python's segno → PNG.
# Usage: Benchmarks/qr-compare.sh [COUNT]   (default 10000; needs qrencode and python3-venv)
set -euo pipefail
cd "$(dirname "$0")"
count=${1:-10000}
mkdir -p results

if ! command -v qrencode > /dev/null; then
  echo "qrencode is missing: apt-get install qrencode" >&2
  exit 2
fi
if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
  .venv/bin/pip install -q segno
fi

swift build -c release --product qr-throughput > /dev/null
tool=$(swift build -c release --show-bin-path)/qr-throughput
"$tool" generate "$count" > results/payloads.txt
length=$(awk '{ total += length($0) } END { printf "%.0f", total / NR }' results/payloads.txt)
echo "payloads: $count, average $length characters, error correction M, PNG 8 px per module, quiet zone 4"
echo "machine: $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%dT%H:%MZ)"

"$tool" measure results/payloads.txt 8 > results/choso.tsv
symbol=$(awk '$1 == "choso-symbol-only" { print $2 }' results/choso.tsv)
png=$(awk '$1 == "choso-png" { print $2 }' results/choso.tsv)
svg=$(awk '$1 == "choso-svg" { print $2 }' results/choso.tsv)

start=$(date +%s.%N)
xargs -d '\n' -n 1 qrencode -l M -s 8 -m 4 -t PNG -o /dev/null < results/payloads.txt
cli=$(echo "$count / ($(date +%s.%N) - $start)" | bc -l)

segno=$(.venv/bin/python - results/payloads.txt <<'PY'
import io, sys, time, segno
payloads = open(sys.argv[1]).read().split("\n")[:-1]
start = time.perf_counter()
for payload in payloads:
    buffer = io.BytesIO()
    segno.make(payload, error="m", boost_error=False).save(buffer, kind="png", scale=8, border=4)
print(len(payloads) / (time.perf_counter() - start))
PY
)

printf '\n%-34s %12s %10s\n' "pipeline" "codes/s" "vs CLI"
row() { printf '%-34s %12.0f %9.1fx\n' "$1" "$2" "$(echo "$2 / $cli" | bc -l)"; }
row "libqrencode symbol only (floor)" "$symbol"
row "ChoSo payload -> PNG" "$png"
row "ChoSo payload -> SVG" "$svg"
row "qrencode command line -> PNG" "$cli"
row "segno (Python) -> PNG" "$segno"
printf '\nChoSo PNG / symbol only: %.2f   ChoSo PNG / CLI: %.1f   ChoSo PNG / segno: %.1f\n' \
  "$(echo "$png / $symbol" | bc -l)" "$(echo "$png / $cli" | bc -l)" "$(echo "$png / $segno" | bc -l)"
