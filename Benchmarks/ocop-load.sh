#!/usr/bin/env bash
# OCOP register (issue 16) at the size of a province: PRODUCTS products (default 5,000) from
# PRODUCTS/5 producers, every one complete for sale, one in ten expired. Measures, on a release
# server with the demo data:
#  1. the public list /ocop and a product page: response time and bytes;
#  2. the Google feed and the CSV for all of them;
#  3. resizing 100 photos (1600×1200 JPEGs uploaded through the officer's page, libvips).
#
#   Benchmarks/ocop-load.sh [sqlite|postgres URL]...        (default: sqlite)
#   PRODUCTS=5000 PHOTOS=100 Benchmarks/ocop-load.sh sqlite
# Results: Benchmarks/results/ocop-<db>.txt
set -euo pipefail
. "$(dirname "$0")/common.sh"
PRODUCTS="${PRODUCTS:-5000}"
PHOTOS="${PHOTOS:-100}"
PORT="${PORT:-8394}"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(sqlite)

run_sql() { if [ "$name" = sqlite ]; then sqlite3 "$work/bench.sqlite" < "$1"; else psql "$DATABASE_URL" -q -f "$1" >/dev/null; fi; }

echo "building choso (release)…"
(cd "$root" && swift build -c release --product choso >/dev/null 2>&1)
for target in "${targets[@]}"; do
  use_database "$target"
  fresh_demo
  image=$(query "SELECT image_path FROM ocop_products WHERE slug = 'gao-thom-st25'")
  python3 "$here/ocop-scale.py" "$name" "$PRODUCTS" "$image" > "$work/scale.sql"
  run_sql "$work/scale.sql"
  start_server "$PORT"
  python3 "$here/ocop-bench.py" "http://127.0.0.1:$PORT" "$PHOTOS" "$work" | tee "$here/results/ocop-$name.txt"
  stop_server
done
