# Shared by the intake and live benchmark scripts (sourced, not run): release builds of choso and
# choso-load, a fresh demo database, a server, and a choso-load connection for the demo market.
#   . "$(dirname "$0")/common.sh"; build_tools; use_database sqlite|URL; fresh_demo; start_server PORT; connect PORT
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
choso="$root/.build/release/choso"
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

# A generic-webhook connection for the demo market board, in $work/conn.json.
connect() {
  "$load" setup --url "http://127.0.0.1:$1" --user bql.nganro --password chosodemo >"$work/conn.json"
}
