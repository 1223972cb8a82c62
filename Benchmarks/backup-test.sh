#!/usr/bin/env bash
# A backup taken while signed webhooks flood in, restored into a fresh database: `choso report
# verify` passes on the restored copy, every delivery answered 2xx before the backup began is in
# it exactly once, and nothing is in it that was never sent (docs/operations.md).
#
#   Benchmarks/backup-test.sh [sqlite|postgres URL]      (default: sqlite)
# On PostgreSQL the copy is restored into a database named after the given one plus _restored,
# made afresh on the same server (the user needs CREATEDB).
set -euo pipefail
. "$(dirname "$0")/common.sh"
TARGET="${1:-sqlite}"
PORT="${PORT:-8393}"
server_with_connection "$TARGET" "$PORT"

"$load" run --connection "$work/conn.json" --max --duration 8 --concurrency 16 --duplicates 0.2 --bad-signatures 0.05 \
    --prefix "bk-" --acked-at "$work/acked-at" --sent "$work/sent" --ready "$work/ready" >"$work/load.txt" 2>&1 &
loader=$!
while [ ! -e "$work/ready" ]; do sleep 0.05; done
sleep 3
backup_began=$(date +%s%3N)
if [ "$name" = sqlite ]; then backup="$work/choso-backup.sqlite"; else backup="$work/choso-backup.dump"; fi
"$choso" backup "$backup" >"$work/backup.txt" 2>&1 || { cat "$work/backup.txt"; exit 1; }
backup_ended=$(date +%s%3N)
wait "$loader"
stop_server

# Restore into a fresh place, then check it as an operator would.
if [ "$name" = sqlite ]; then
  restored_url="sqlite://$work/restored/choso.sqlite"
  restored_query() { sqlite3 "$work/restored/choso.sqlite" "$1"; }
else
  restored_url="${DATABASE_URL}_restored"
  restored_name=$(basename "$restored_url")
  psql "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS $restored_name" -c "CREATE DATABASE $restored_name" >/dev/null
  restored_query() { psql "$restored_url" -Atqc "$1"; }
fi
DATABASE_URL="$restored_url" "$choso" restore "$backup" >"$work/restore.txt" 2>&1 || { cat "$work/restore.txt"; exit 1; }
verified=ok
DATABASE_URL="$restored_url" "$choso" report verify >"$work/verify.txt" 2>/dev/null || verified=FAILED

awk -v cut="$backup_began" '$1 < cut { print $2 }' "$work/acked-at" | sort -u >"$work/acked-before"
cut -d' ' -f2 "$work/acked-at" | sort -u >"$work/acked-all"
sort -u "$work/sent" >"$work/sent.u"
restored_query "SELECT provider_transaction_id FROM transfers WHERE idempotency_key LIKE 'webhook:$connection:bk-%'" | sort >"$work/restored-ids"
stored=$(wc -l <"$work/restored-ids"); unique=$(sort -u "$work/restored-ids" | wc -l)
before=$(wc -l <"$work/acked-before"); all=$(wc -l <"$work/acked-all")
missing=$(comm -23 "$work/acked-before" "$work/restored-ids" | wc -l)
unsent=$(comm -13 "$work/sent.u" "$work/restored-ids" | wc -l)
if [ "$verified" = ok ] && [ "$missing" -eq 0 ] && [ "$unsent" -eq 0 ] && [ "$stored" -eq "$unique" ] && [ "$before" -gt 0 ]; then
  verdict=ok
else
  verdict=FAILED
fi
echo "backup under load on $name: backup took $((backup_ended - backup_began)) ms while $all deliveries were acked in all;" \
  "$before acked before it began, restored copy holds $stored of this run's transfers:" \
  "lost $missing, never sent $unsent, doubled $((stored - unique)), report verify $verified — $verdict"
[ "$verdict" = ok ] || { cat "$work/verify.txt" "$work/restore.txt"; exit 1; }
