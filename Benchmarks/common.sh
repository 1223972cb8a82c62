# Shared by the intake and live benchmark scripts (sourced, not run): release builds of choso and
# choso-load, a fresh demo database, a server, and a choso-load connection for the demo market.
#   . "$(dirname "$0")/common.sh"; build_tools; use_database sqlite|URL; fresh_demo; start_server PORT; connect PORT
#   (or all five at once: server_with_connection sqlite|URL PORT)
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# CHOSO_BIN: another build to measure (the one before a change, say).
choso="${CHOSO_BIN:-$root/.build/release/choso}"
load="$here/.build/release/choso-load"
work="$(mktemp -d)"
server=
trap '[ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$here/results"
export HOST=127.0.0.1 CHOSO_ENV=development
# psql quiet about NOTICEs (DROP SCHEMA … CASCADE lists every table).
export PGOPTIONS="-c client_min_messages=warning"

build_tools() {
  (cd "$root" && swift build -c release --product choso >/dev/null 2>&1)
  (cd "$here" && swift build -c release --product choso-load >/dev/null 2>&1)
}

# Sets DATABASE_URL, `name` (sqlite or postgres) and `query SQL` (one value per line).
use_database() {
  if [ "$1" = sqlite ]; then
    name=sqlite
    export DATABASE_URL="sqlite://$work/bench.sqlite"
    query() { sqlite3 "$work/bench.sqlite" "$1"; }
  else
    name=postgres
    export DATABASE_URL="$1"
    psql "$1" -qc "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" >/dev/null
    query() { psql "$DATABASE_URL" -Atqc "$1"; }
  fi
}

fresh_demo() {
  "$choso" migrate >/dev/null 2>&1
  "$choso" seed --demo >/dev/null 2>&1
}

start_server() {
  "$choso" serve --port "$1" >>"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$1/readyz" >/dev/null 2>&1 && return; sleep 0.05; done
  echo "the server did not start"; tail -20 "$work/server.log"; exit 1
}

stop_server() {
  kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true
  server=
}

# A generic-webhook connection for the demo market board, in $work/conn.json; its id, lower-case
# as the transfers' idempotency keys carry it, in $connection.
connect() {
  "$load" setup --url "http://127.0.0.1:$1" --user bql.nganro --password chosodemo >"$work/conn.json"
  connection=$(python3 -c "import json; print(json.load(open('$work/conn.json'))['id'].lower())")
}

# The release tools, a fresh demo database on sqlite or a PostgreSQL URL, one server on PORT and
# a connection for it: what the intake tests start from.
server_with_connection() {
  build_tools
  use_database "$1"
  fresh_demo
  start_server "$2"
  connect "$2"
}

# "transfer-id provider-id" lines for the transfers whose provider ids start with PREFIX, the ids
# lower-case as the live events carry them.
transfer_map() {
  query "SELECT lower(CAST(id AS TEXT)) || ' ' || provider_transaction_id FROM transfers WHERE idempotency_key LIKE 'webhook:$connection:$1%'"
}

# A live screen for every stall of the connection's market at BASE (sse-screens.py, pid in
# $screens, events in $work/screens), returning once all are connected; close_screens ends them.
open_screens() {
  rm -rf "$work/screens" "$work/screens-ready" "$work/stop"; mkdir -p "$work/screens"
  python3 "$here/sse-screens.py" "$1" "$work/conn.json" "$work/screens" "$work/screens-ready" "$work/stop" >"$work/screens.log" 2>&1 &
  screens=$!
  while [ ! -e "$work/screens-ready" ]; do kill -0 "$screens" 2>/dev/null || { cat "$work/screens.log"; exit 1; }; sleep 0.1; done
}
close_screens() {
  touch "$work/stop"; wait "$screens" || true; screens=
}
