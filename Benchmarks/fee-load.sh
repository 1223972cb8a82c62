#!/usr/bin/env bash
# Market fees (issue 15), on SQLite and on PostgreSQL:
#  1. issuing a month of bills for 500 markets × 100 stalls (`choso fees bill --market all`), and
#     the same again (which must create nothing);
#  2. 10,000 fee payments through the webhook path (to the demo market's fee account, each with a
#     bill's code: matched, entered in the ledger, allocated, receipted) beside stall payments at
#     the same rate in the same run.
#
#   Benchmarks/fee-load.sh [sqlite|postgres URL]...        (default: sqlite)
#   MARKETS=500 STALLS=100 RATE=1000 DURATION=10 Benchmarks/fee-load.sh sqlite
# Results: Benchmarks/results/fees-<db>.txt
set -euo pipefail
. "$(dirname "$0")/common.sh"
MARKETS="${MARKETS:-500}"
STALLS="${STALLS:-100}"
RATE="${RATE:-1000}"
DURATION="${DURATION:-10}"
CONCURRENCY="${CONCURRENCY:-64}"
PORT="${PORT:-8393}"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(sqlite)

run_sql() { if [ "$name" = sqlite ]; then sqlite3 "$work/bench.sqlite" < "$1"; else psql "$DATABASE_URL" -q -f "$1" >/dev/null; fi; }
seconds() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }

echo "building choso and choso-load (release)…"
build_tools
for target in "${targets[@]}"; do
  use_database "$target"
  fresh_demo
  demo=$(query "SELECT id FROM markets WHERE name = 'Chợ Ngan Rô'")
  # MARKETS markets of STALLS measured stalls, each with the demo market's tariff.
  python3 - "$name" "$demo" "$MARKETS" "$STALLS" > "$work/scale.sql" << 'PY'
import sys, uuid
dialect, demo, markets, stalls = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def u(): return f"'{str(uuid.uuid4()).upper()}'" if dialect == "sqlite" else f"'{uuid.uuid4()}'::uuid"
d = f"'{demo}'" if dialect == "sqlite" else f"'{demo}'::uuid"
print("BEGIN;")
for m in range(markets):
    market = u()
    print(f"INSERT INTO markets (id, name, kind, unit_id, address, is_active, created_at) SELECT {market}, 'Chợ thử {m}', kind, unit_id, address, is_active, created_at FROM markets WHERE id = {d};")
    print(f"INSERT INTO fee_tariffs (id, market_id, decision_number, decision_date, issuer, effective_from, effective_to, lines, created_by, created_at) "
          f"SELECT {u()}, {market}, decision_number, decision_date, issuer, effective_from, effective_to, lines, created_by, created_at FROM fee_tariffs WHERE market_id = {d};")
    rows = []
    for s in range(1, stalls + 1):
        position = "front_row" if s <= stalls // 3 else "inner_row" if s <= 2 * stalls // 3 else "outdoor"
        rows.append(f"({u()}, {market}, '{s}', 'Quầy {s}', 'Chủ quầy {s}', true, 15, {300 + s % 5 * 50}, '{position}')")
    print("INSERT INTO stalls (id, market_id, number, name, keeper_name, is_active, request_expiry_minutes, area_centi_m2, position_class) VALUES " + ", ".join(rows) + ";")
print("COMMIT;")
PY
  run_sql "$work/scale.sql"
  period=$(python3 -c "import datetime as d; t=d.datetime.now(d.timezone(d.timedelta(hours=7))); print(f'{t.year + t.month // 12:04d}-{t.month % 12 + 1:02d}')")
  {
    echo "# $name, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ): $MARKETS markets × $STALLS stalls (+ the demo market), period $period"
    start=$(date +%s.%N); "$choso" fees bill --market all --period "$period" > "$work/bill-1.log" 2>&1; end=$(date +%s.%N)
    bills=$(query "SELECT count(*) FROM fee_bills WHERE period = '$period'")
    echo "issue a month: $(tail -1 "$work/bill-1.log") in $(seconds "$start" "$end") s ($bills bills)"
    start=$(date +%s.%N); "$choso" fees bill --market all --period "$period" > "$work/bill-2.log" 2>&1; end=$(date +%s.%N)
    echo "again: $(tail -1 "$work/bill-2.log") in $(seconds "$start" "$end") s ($(query "SELECT count(*) FROM fee_bills WHERE period = '$period'") bills)"
  } | tee "$here/results/fees-$name.txt"

  start_server "$PORT"
  connect "$PORT"
  current=$(python3 -c "import datetime as d; t=d.datetime.now(d.timezone(d.timedelta(hours=7))); print(f'{t.year:04d}-{t.month:02d}')")
  query "SELECT code FROM fee_bills WHERE market_id = '$demo' AND period = '$current'" > "$work/codes.txt"
  {
    echo "stall payments, then fee payments ($(wc -l < "$work/codes.txt") bill codes), ${RATE}/s for ${DURATION} s, $CONCURRENCY connections:"
    "$load" run --connection "$work/conn.json" --rate "$RATE" --duration "$DURATION" --concurrency "$CONCURRENCY" --prefix "stall-"
    "$load" run --connection "$work/conn.json" --rate "$RATE" --duration "$DURATION" --concurrency "$CONCURRENCY" --prefix "fee-" \
      --account 7808205012345 --codes "$work/codes.txt"
    echo "fee payments stored: $(query "SELECT count(*) FROM fee_payments WHERE transfer_id IS NOT NULL") (demo's own included), fee transfers: $(query "SELECT count(*) FROM transfers WHERE status = 'fee'")"
  } | tee -a "$here/results/fees-$name.txt"
  stop_server
  "$choso" report verify 2>&1 | grep -v " info " | tee -a "$here/results/fees-$name.txt"
done
