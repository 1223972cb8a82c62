#!/usr/bin/env bash
# A bank statement of ROWS rows (XLSX, Vietcombank's layout) uploaded through the market board's
# intake page of a release server, previewed and then imported: seconds and the server's memory
# (issue 19: under 10 s and 150 MB for 100,000 rows, memory returned afterwards).
#
#   Benchmarks/statement-upload.sh [sqlite|postgres URL] [ROWS]     (default: sqlite 100000)
set -euo pipefail
. "$(dirname "$0")/common.sh"
TARGET="${1:-sqlite}"
ROWS="${2:-100000}"
PORT="${PORT:-8395}"
(cd "$root" && swift build -c release --product choso >/dev/null 2>&1)
use_database "$TARGET"
fresh_demo
start_server "$PORT"
market=$(query "SELECT id FROM markets ORDER BY name LIMIT 1" | tr a-f A-F)
account=$(query "SELECT a.id FROM receiving_accounts a JOIN stalls s ON s.id = a.stall_id WHERE upper(CAST(s.market_id AS TEXT)) = '$market' AND a.active_kind IS NOT NULL ORDER BY s.number LIMIT 1")
{
echo "# $name, $ROWS rows, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
python3 "$here/statement-upload.py" "http://127.0.0.1:$PORT" "$market" "$account" "$ROWS" "$server" "$work" --timeline
echo "transfers stored from statements: $(query "SELECT count(*) FROM transfers WHERE provider = 'statement'")"
} 2>&1 | tee "$here/results/statement-upload-$name.txt"
