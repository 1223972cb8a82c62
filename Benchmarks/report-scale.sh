#!/usr/bin/env bash
# The market report at scale (issue 7, DESIGN §9): generates TRANSFERS transfers (default 10
# million) over 500 stalls of one market and 365 business days, plus two cash entries per stall and
# day, straight into the database with SQL; builds the rollups from them with GROUP BY (as
# `choso report verify --fix` would, without loading 10 million rows into one process); then times
# `choso report market --compare` for one day and for 30 days: the dashboard's report from the
# rollups beside the same report computed naively from the raw rows — the two must agree.
#   ./report-scale.sh [sqlite|postgres://USER:PASS@HOST/DB] [TRANSFERS]
set -euo pipefail
. "$(dirname "$0")/common.sh"
target=${1:-sqlite}
transfers=${2:-10000000}
runs=${RUNS:-21}
build_tools
use_database "$target"
fresh_demo

market=B0000000-0000-4000-8000-000000000500
stalls=500
days=365
# Business days run from 2025-11-26 to 2026-11-25 (Asia/Ho_Chi_Minh); the first day's midnight:
base=1764090000  # 2025-11-25T17:00:00Z = 2025-11-26 00:00 +07
last_day=2026-11-25
month_start=2026-10-27
per_day=$((transfers / stalls / days))
echo "== $name: generating $transfers transfers over $stalls stalls and $days days (~$per_day per stall and day)"
started=$(date +%s)

# Row i: stall i % 500, day (i / 500) % 365, an hour from 5 to 18; 1 % under-paid, 0.5 % over-paid,
# 0.5 % to no stall (unmatched). Amounts 5.000–505.000 đ in whole thousands.
if [ "$name" = sqlite ]; then
  query "
PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-400000;
INSERT INTO markets (id, name, kind, unit_id, address, is_active, created_at)
  VALUES ('$market', 'Chợ đo tải 500 quầy', 'market', '31672', 'Benchmarks/report-scale.sh', 1, 0);
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $stalls - 1)
INSERT INTO stalls (id, market_id, number, name, keeper_name, is_active, request_expiry_minutes, created_at)
  SELECT printf('B0000000-0000-4000-8000-%012X', i + 1), '$market', CAST(i + 1 AS TEXT), 'Quầy ' || (i + 1), 'Chủ quầy ' || (i + 1), 1, 15, 0 FROM n;
" >/dev/null
  query "
PRAGMA synchronous=OFF; PRAGMA cache_size=-400000;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $transfers - 1),
g AS (SELECT i, i % $stalls AS s, (i / $stalls) % $days AS d, (i / $stalls / $days) AS q FROM n)
INSERT INTO transfers (id, idempotency_key, source, market_id, provider, provider_transaction_id, account_number, amount,
    direction, description, bank_time, received_at, business_day, stall_id, status, reason_vi, reason_en)
  SELECT printf('B1000000-0000-4000-8000-%012X', i), printf('bench:%010d', i), 'webhook', '$market', 'sepay', 'b' || i,
    printf('9%012d', s), (5 + (i * 7919) % 501) * 1000, 'incoming', 'ck ' || i,
    $base.0 + d * 86400 + (5 + (q * 5 + s) % 14) * 3600 + (i % 3600), $base.0 + d * 86400 + (5 + (q * 5 + s) % 14) * 3600 + (i % 3600) + 2,
    date($base + d * 86400 + 25200, 'unixepoch'),
    CASE WHEN i % 200 = 7 THEN NULL ELSE printf('B0000000-0000-4000-8000-%012X', s + 1) END,
    CASE WHEN i % 200 = 7 THEN 'unmatched' WHEN i % 100 = 3 THEN 'underpaid' WHEN i % 200 = 11 THEN 'overpaid' ELSE 'walk_in' END,
    'đo tải', 'benchmark'
  FROM g;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $stalls * $days * 2 - 1)
INSERT INTO cash_entries (id, stall_id, kind, amount, created_at, business_day)
  SELECT printf('B2000000-0000-4000-8000-%012X', i), printf('B0000000-0000-4000-8000-%012X', i % $stalls + 1),
    CASE WHEN i % 20 = 0 THEN 'debt' ELSE 'cash_sale' END, (10 + i % 90) * 1000,
    $base.0 + ((i / $stalls) % $days) * 86400 + 8 * 3600, date($base + ((i / $stalls) % $days) * 86400 + 25200, 'unixepoch')
  FROM n;
COMMIT;
" >/dev/null
  hour_of_transfer="CAST(strftime('%H', bank_time + 25200, 'unixepoch') AS INTEGER)"
  hour_of_cash="CAST(strftime('%H', created_at + 25200, 'unixepoch') AS INTEGER)"
else
  query "
INSERT INTO markets (id, name, kind, unit_id, address, is_active, created_at)
  VALUES ('$market', 'Chợ đo tải 500 quầy', 'market', '31672', 'Benchmarks/report-scale.sh', true, now());
INSERT INTO stalls (id, market_id, number, name, keeper_name, is_active, request_expiry_minutes, created_at)
  SELECT ('b0000000-0000-4000-8000-' || lpad(to_hex(i + 1), 12, '0'))::uuid, '$market', (i + 1)::text, 'Quầy ' || (i + 1),
    'Chủ quầy ' || (i + 1), true, 15, now() FROM generate_series(0, $stalls - 1) AS i;
" >/dev/null
  query "
SET synchronous_commit = off;
INSERT INTO transfers (id, idempotency_key, source, market_id, provider, provider_transaction_id, account_number, amount,
    direction, description, bank_time, received_at, business_day, stall_id, status, reason_vi, reason_en)
  SELECT ('b1000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'bench:' || lpad(i::text, 10, '0'), 'webhook', '$market',
    'sepay', 'b' || i, '9' || lpad(s::text, 12, '0'), (5 + (i * 7919) % 501) * 1000, 'incoming', 'ck ' || i,
    to_timestamp($base + d * 86400 + (5 + (q * 5 + s) % 14) * 3600 + (i % 3600)),
    to_timestamp($base + d * 86400 + (5 + (q * 5 + s) % 14) * 3600 + (i % 3600) + 2),
    to_char(to_timestamp($base + d * 86400 + 25200) AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
    CASE WHEN i % 200 = 7 THEN NULL ELSE ('b0000000-0000-4000-8000-' || lpad(to_hex(s + 1), 12, '0'))::uuid END,
    CASE WHEN i % 200 = 7 THEN 'unmatched' WHEN i % 100 = 3 THEN 'underpaid' WHEN i % 200 = 11 THEN 'overpaid' ELSE 'walk_in' END,
    'đo tải', 'benchmark'
  FROM (SELECT i, i % $stalls AS s, (i / $stalls) % $days AS d, i / $stalls / $days AS q FROM generate_series(0::bigint, $transfers - 1) AS i) AS g;
INSERT INTO cash_entries (id, stall_id, kind, amount, created_at, business_day)
  SELECT ('b2000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, ('b0000000-0000-4000-8000-' || lpad(to_hex(i % $stalls + 1), 12, '0'))::uuid,
    CASE WHEN i % 20 = 0 THEN 'debt' ELSE 'cash_sale' END, (10 + i % 90) * 1000,
    to_timestamp($base + ((i / $stalls) % $days) * 86400 + 8 * 3600),
    to_char(to_timestamp($base + ((i / $stalls) % $days) * 86400 + 25200) AT TIME ZONE 'UTC', 'YYYY-MM-DD')
  FROM generate_series(0, $stalls * $days * 2 - 1) AS i;
" >/dev/null
  hour_of_transfer="EXTRACT(HOUR FROM bank_time AT TIME ZONE 'Asia/Ho_Chi_Minh')::int"
  hour_of_cash="EXTRACT(HOUR FROM created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::int"
fi
generated=$(date +%s)
echo "   generated in $((generated - started)) s"

# The rollups, grouped from the raw rows the way RollupFigures counts them.
query "
INSERT INTO stall_hourly_totals (stall_id, business_day, hour, transfer_count, transfer_amount, cash_count, cash_amount, debt_count,
    debt_amount, underpaid_count, overpaid_count, refund_due_count, refund_due_amount)
  SELECT stall_id, business_day, hour, SUM(tc), SUM(ta), SUM(cc), SUM(ca), SUM(dc), SUM(da), SUM(uc), SUM(oc), 0, 0 FROM (
    SELECT stall_id, business_day, $hour_of_transfer AS hour, COUNT(*) AS tc, SUM(amount) AS ta, 0 AS cc, 0 AS ca, 0 AS dc, 0 AS da,
      SUM(CASE WHEN status = 'underpaid' THEN 1 ELSE 0 END) AS uc, SUM(CASE WHEN status = 'overpaid' THEN 1 ELSE 0 END) AS oc
    FROM transfers WHERE market_id = '$market' AND stall_id IS NOT NULL AND status NOT IN ('outgoing', 'unmatched')
    GROUP BY stall_id, business_day, $hour_of_transfer
    UNION ALL
    SELECT stall_id, business_day, $hour_of_cash, 0, 0,
      SUM(CASE WHEN kind = 'cash_sale' THEN 1 ELSE 0 END), SUM(CASE WHEN kind = 'cash_sale' THEN amount ELSE 0 END),
      SUM(CASE WHEN kind = 'debt' THEN 1 ELSE 0 END), SUM(CASE WHEN kind = 'debt' THEN amount ELSE 0 END), 0, 0
    FROM cash_entries WHERE stall_id IN (SELECT id FROM stalls WHERE market_id = '$market')
    GROUP BY stall_id, business_day, $hour_of_cash) AS parts
  GROUP BY stall_id, business_day, hour;
INSERT INTO stall_daily_totals (stall_id, business_day, transfer_count, transfer_amount, cash_count, cash_amount, debt_count,
    debt_amount, underpaid_count, overpaid_count, refund_due_count, refund_due_amount)
  SELECT stall_id, business_day, SUM(transfer_count), SUM(transfer_amount), SUM(cash_count), SUM(cash_amount), SUM(debt_count),
    SUM(debt_amount), SUM(underpaid_count), SUM(overpaid_count), 0, 0
  FROM stall_hourly_totals WHERE stall_id IN (SELECT id FROM stalls WHERE market_id = '$market') GROUP BY stall_id, business_day;
" >/dev/null
if [ "$name" = postgres ]; then query "VACUUM ANALYZE transfers, cash_entries, stall_hourly_totals, stall_daily_totals, stalls;" >/dev/null; else query "ANALYZE;" >/dev/null; fi
echo "   rollups built in $(($(date +%s) - generated)) s"
count=$(query "SELECT COUNT(*) FROM transfers WHERE market_id = '$market'")
hourly=$(query "SELECT COUNT(*) FROM stall_hourly_totals")
size=$( [ "$name" = sqlite ] && du -h "$work/bench.sqlite" | cut -f1 || query "SELECT pg_size_pretty(pg_database_size(current_database()))")
echo "   $count transfers, $hourly hourly rollup rows, database $size"

out="$here/results/report-scale-$name.txt"
{
  echo "report-scale $name: $count transfers, $stalls stalls, $days days, $hourly hourly rollup rows, database $size ($(date -u +%FT%TZ))"
  for range in "$last_day $last_day" "$month_start $last_day"; do
    set -- $range
    "$choso" report market "$market" --from "$1" --to "$2" --compare "$runs" 2>&1 >/dev/null
  done
} | tee "$out"
# KEEP_DATABASE=PATH keeps the generated SQLite file (to look at query plans).
if [ -n "${KEEP_DATABASE:-}" ] && [ "$name" = sqlite ]; then
  query "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  cp "$work/bench.sqlite" "$KEEP_DATABASE"
fi
