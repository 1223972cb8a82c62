#!/usr/bin/env bash
# Drives the key pages in a real headless Chromium against a freshly seeded ChoSo server.
# Uses a throw-away SQLite file, or BROWSER_DATABASE_URL (an empty PostgreSQL database).
# Screenshots go to artifacts/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${BROWSER_TEST_PORT:-18080}
workdir=$(mktemp -d)
export DATABASE_URL=${BROWSER_DATABASE_URL:-sqlite://$workdir/choso.sqlite}
export CHOSO_ENV=development
choso=$(swift build --show-bin-path)/choso

"$choso" migrate > "$workdir/migrate.log" 2>&1
"$choso" seed --demo > "$workdir/seed.log" 2>&1
"$choso" serve --host 127.0.0.1 --port "$port" > "$workdir/serve.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2> /dev/null || true
  wait "$server" 2> /dev/null || true
  rm -rf "$workdir"
}
trap cleanup EXIT

for script in market_manager stall_keeper live_screen reports trust phone community fees ocop indicators accessibility; do
  if ! python3 "Tests/browser/$script.py" --base "http://127.0.0.1:$port" --out artifacts/screenshots; then
    echo "== server log:"; tail -n 40 "$workdir/serve.log"
    exit 1
  fi
done
