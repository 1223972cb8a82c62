#!/usr/bin/env bash
# The indicators at a province's scale (issue 17): generates HOUSEHOLDS households (default
# 1,100,000) with their checklists over 103 communes of ten hamlets each, recorded over the
# 35 months to 25/11/2026, and VISITS visits (default 3,000,000), straight into the database with
# SQL; rebuilds the live aggregates from them with `choso report indicators --rebuild` (the time to
# recompute everything from the raw records); then times the province table (the city and its 103
# communes, as of 31/10/2026) from the aggregates beside the same table from every household and
# visit read again — the two must agree.
#   ./indicators-scale.sh [HOUSEHOLDS] [VISITS]        (SQLite; RUNS=3 by default)
set -euo pipefail
. "$(dirname "$0")/common.sh"
households=${1:-1100000}
visits=${2:-3000000}
runs=${RUNS:-3}
communes=103
hamlets_per_commune=10
hamlets=$((communes * hamlets_per_commune))
days=1060
base=1704042000  # 2024-01-01 00:00 +07 = 2023-12-31T17:00:00Z
build_tools
use_database sqlite
fresh_demo
echo "== generating $households households over $communes communes ($hamlets hamlets) and $visits visits"
started=$(date +%s)
query "
PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-400000;
BEGIN;
WITH RECURSIVE n(c) AS (SELECT 0 UNION ALL SELECT c + 1 FROM n WHERE c < $communes - 1)
INSERT INTO admin_units (id, code, name, type, parent_id, valid_from, valid_to)
  SELECT printf('B%03d@2025-07-01', c), printf('B%03d', c), 'Xã đo tải ' || (c + 1), 'commune', '92', '2025-07-01', NULL FROM n;
WITH RECURSIVE n(h) AS (SELECT 0 UNION ALL SELECT h + 1 FROM n WHERE h < $hamlets - 1)
INSERT INTO admin_units (id, code, name, type, parent_id, valid_from, valid_to)
  SELECT printf('B%03d-%02d@2025-07-01', h / $hamlets_per_commune, h % $hamlets_per_commune), printf('B%03d-%02d', h / $hamlets_per_commune, h % $hamlets_per_commune),
    'Ấp ' || (h % $hamlets_per_commune + 1), 'hamlet', printf('B%03d@2025-07-01', h / $hamlets_per_commune), '2025-07-01', NULL FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $households - 1),
g AS (SELECT i, printf('B%03d-%02d@2025-07-01', (i % $hamlets) / $hamlets_per_commune, (i % $hamlets) % $hamlets_per_commune) AS hamlet,
             $base.0 + ((i * 7919) % $days) * 86400 + 36000 AS at FROM n)
INSERT INTO households (id, hamlet_id, current_version, address, head_name, head_name_folded, members, adults, language, checklist, barriers, created_at, updated_at)
  SELECT printf('D1000000-0000-4000-8000-%012X', i), hamlet, 1, i || ' ấp', 'Hộ ' || i, 'ho ' || i, 4, 3, 'vi', '{}', '[]', at, at FROM g;
INSERT INTO household_versions (id, household_id, version, content, content_hash, recorded_at)
  SELECT printf('D2000000-0000-4000-8000-%012X', i), printf('D1000000-0000-4000-8000-%012X', i), 1,
    printf('{\"hamlet\":\"%s\",\"address\":\"%d ấp\",\"headName\":\"Hộ %d\",\"phone\":null,\"members\":4,\"adults\":3,\"language\":\"vi\",\"checklist\":{\"smartphone\":{\"count\":%d,\"evidence\":\"seen\"},\"paymentAccount\":{\"count\":%d,\"evidence\":\"seen\"},\"vneidLevel2\":{\"count\":%d,\"evidence\":\"seen\"},\"dvcAccount\":{\"count\":%d,\"evidence\":\"seen\"},\"broadband\":{\"count\":%d,\"evidence\":\"seen\"}},\"barriers\":[]}',
      hamlet_id, i, i, i % 4, (i / 3) % 4, (i / 5) % 4, (i / 7) % 3, (i / 11) % 2),
    'bench', created_at
  FROM (SELECT CAST(substr(head_name, 4) AS INTEGER) AS i, hamlet_id, created_at FROM households WHERE id LIKE 'D1000000-%');
WITH RECURSIVE n(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM n WHERE j < $visits - 1),
g AS (SELECT j, j % $households AS i, (((j % $households) * 7919) % $days + (j / $households) * 37 + j % 13) % ($days + 5) AS d FROM n)
INSERT INTO visits (id, household_id, hamlet_id, visit_date, help, barriers, outcome, note, content_hash, recorded_at)
  SELECT printf('D3000000-0000-4000-8000-%012X', j), printf('D1000000-0000-4000-8000-%012X', i),
    printf('B%03d-%02d@2025-07-01', (i % $hamlets) / $hamlets_per_commune, (i % $hamlets) % $hamlets_per_commune),
    date($base + d * 86400 + 25200, 'unixepoch'), '[\"open_account\"]', '[]', 'done', '', 'bench', $base.0 + d * 86400 + 40000 FROM g;
COMMIT;
ANALYZE;
" >/dev/null
generated=$(date +%s)
echo "   generated in $((generated - started)) s"
count=$(query "SELECT COUNT(*) FROM households"); visit_count=$(query "SELECT COUNT(*) FROM visits")
out="$here/results/indicators-scale-sqlite.txt"
{
  echo "indicators-scale sqlite: $count households, $visit_count visits, $communes communes, $hamlets hamlets ($(date -u +%FT%TZ))"
  /usr/bin/time -f "  rebuild: %e s wall, %M KB peak memory" "$choso" report indicators 92 --as-of 2026-10-31 --rebuild 2>&1 >/dev/null
  echo "  aggregate rows: $(query "SELECT COUNT(*) FROM indicator_counts"), database $(du -h "$work/bench.sqlite" | cut -f1)"
  for as_of in 2026-10-31 2026-11-17; do
    /usr/bin/time -f "  (process: %e s wall, %M KB peak memory)" "$choso" report indicators 92 --as-of "$as_of" --compare "$runs" 2>&1 >/dev/null
  done
  "$choso" report indicators B000@2025-07-01 --as-of 2026-11-17 --compare "$runs" 2>&1 >/dev/null
} | tee "$out"
# KEEP_DATABASE=PATH keeps the generated SQLite file (to look at query plans and profiles).
if [ -n "${KEEP_DATABASE:-}" ]; then
  query "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  cp "$work/bench.sqlite" "$KEEP_DATABASE"
fi
