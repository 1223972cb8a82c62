#!/usr/bin/env bash
# A 100,000-row bank statement imported into an account that already received webhooks: the
# import must recognise every webhook (by bank reference) and store only the missed rows, in
# under 30 seconds (issue 5).
#
#   Benchmarks/statement-import.sh [ROWS] [sqlite|postgres URL]     (default: 100000 sqlite)
set -euo pipefail
. "$(dirname "$0")/common.sh"
ROWS="${1:-100000}"
TARGET="${2:-sqlite}"
PORT="${PORT:-8394}"
server_with_connection "$TARGET" "$PORT"
account=$(python3 -c "import json; print(json.load(open('$work/conn.json'))['accounts'][0])")
"$load" run --connection "$work/conn.json" --max --duration 4 --concurrency 64 --account "$account" --prefix "wh-" --statement "$work/known.csv" | head -1 >"$work/made.txt"
stop_server
{
python3 - "$work/known.csv" "$work/statement.csv" "$ROWS" <<'PY'
import sys, random, datetime
known = [line.rstrip("\n").split(",") for line in open(sys.argv[1]) if line.strip()]
rows = int(sys.argv[3])
random.seed(5)
out = []
for time, amount, description, reference, account in known:
    d = datetime.datetime.strptime(time, "%Y-%m-%d %H:%M:%S")
    out.append((d, int(amount), description, reference))
start = datetime.datetime(2026, 11, 1, 6, 0, 0)
for n in range(rows - len(out)):
    d = start + datetime.timedelta(seconds=random.randrange(0, 20 * 86400))
    out.append((d, random.randrange(1, 2000) * 1000 * (1 if random.random() < 0.9 else -1), f"KHACH CHUYEN TIEN {n}", f"ST{n:07d}"))
out.sort()
with open(sys.argv[2], "w") as f:
    f.write("time,amount,description,reference,counterAccountName\n")
    for d, amount, description, reference in out:
        grouped = f"{abs(amount):,}".replace(",", ".")
        f.write(f"{d:%d/%m/%Y %H:%M:%S},{'-' if amount < 0 else ''}{grouped},{description},{reference},\n")
print(f"statement: {len(out)} rows, {len(known)} of them already received by webhook")
PY
} >>"$work/made.txt"
{
echo "# $name, $ROWS rows, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
cat "$work/made.txt"
echo "import (dry run, then for real):"
/usr/bin/time -f "  %e s, peak %M KB" "$choso" import statement "$work/statement.csv" --account "$account" --dry-run
/usr/bin/time -f "  %e s, peak %M KB" "$choso" import statement "$work/statement.csv" --account "$account"
echo "the same file again:"
/usr/bin/time -f "  %e s, peak %M KB" "$choso" import statement "$work/statement.csv" --account "$account"
} 2>&1 | tee "$here/results/statement-import-$name.txt"
