#!/usr/bin/env bash
# Two `choso serve` processes on one PostgreSQL database: a webhook received by the first must
# reach a live screen (the stall's event stream) connected to the second, through LISTEN/NOTIFY.
#   scripts/two-process-test.sh postgres://USER:PASS@HOST:PORT/EMPTY_DB
set -euo pipefail
cd "$(dirname "$0")/.."
url=${1:?a PostgreSQL URL}
export DATABASE_URL=$url CHOSO_ENV=development
choso=$(swift build --show-bin-path)/choso
workdir=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done; rm -rf "$workdir"; }
trap cleanup EXIT
# A clean database: the demo is seeded fresh.
psql "$url" -qc "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" > /dev/null
"$choso" migrate > "$workdir/migrate.log" 2>&1
"$choso" seed --demo > "$workdir/seed.log" 2>&1
for port in 18091 18092; do
  "$choso" serve --host 127.0.0.1 --port "$port" > "$workdir/serve-$port.log" 2>&1 &
  pids+=($!)
done
python3 - "$workdir" << 'PY'
import hashlib, hmac, json, sys, threading, time, urllib.request, uuid
work = sys.argv[1]
a, b = "http://127.0.0.1:18091", "http://127.0.0.1:18092"
for base in (a, b):
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/readyz", timeout=1); break
        except OSError:
            time.sleep(0.1)
def call(base, method, path, token=None, body=None, raw=None, headers={}):
    request = urllib.request.Request(base + path, data=raw if raw is not None else (json.dumps(body).encode() if body else None), method=method)
    request.add_header("Content-Type", "application/json")
    if token: request.add_header("Authorization", "Bearer " + token)
    for k, v in headers.items(): request.add_header(k, v)
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode()
        return json.loads(text) if text.strip().startswith(("{", "[")) else text
login = lambda base, user: call(base, "POST", "/api/v1/auth/tokens", body={"username": user, "password": "chosodemo"})["token"]
board, keeper = login(a, "bql.nganro"), login(b, "quay12.nganro")
market = call(a, "GET", "/api/v1/markets", token=board)[0]["id"]
secret = "two-process-secret-0001"
connection = call(a, "POST", "/api/v1/connections", token=board, body={"provider": "generic", "secret": secret, "marketId": market})
stall = call(b, "GET", "/api/v1/me", token=keeper)["scope"][0]
account = [x for x in call(b, "GET", f"/api/v1/stalls/{stall}", token=keeper)["accounts"] if x["active"]][0]["accountNumber"]

received = []
def listen():
    request = urllib.request.Request(f"{b}/api/v1/stalls/{stall}/events")
    request.add_header("Authorization", "Bearer " + keeper)
    with urllib.request.urlopen(request, timeout=15) as stream:
        for line in stream:
            line = line.decode()
            if line.startswith("data: "):
                received.append(json.loads(line[6:]))
                return
thread = threading.Thread(target=listen, daemon=True)
thread.start()
time.sleep(1.5)  # process B opens its LISTEN connection with the first subscriber
body = json.dumps({"id": str(uuid.uuid4()), "accountNumber": account, "amount": 75000, "direction": "in",
                   "description": "mua gao", "counterAccountName": "TRAN THI B",
                   "time": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())}).encode()
t = str(int(time.time()))
signature = hmac.new(secret.encode(), (t + ".").encode() + body, hashlib.sha256).hexdigest()
hook = connection["webhookUrl"][connection["webhookUrl"].index("/hooks/"):]
sent = time.monotonic()
call(a, "POST", hook, raw=body, headers={"X-ChoSo-Signature": f"t={t},v1={signature}"})
thread.join(timeout=10)
assert received, "the webhook received by process A never reached the stream on process B"
event = received[0]
assert event["amount"] == 75000 and event["announcement"] == "Đã nhận bảy mươi lăm ngàn đồng từ TRAN THI B", event
print(f"two processes: webhook on :18091 reached the live stream on :18092 in {(time.monotonic() - sent) * 1000:.0f} ms")
PY

# Market fees (issue 15): four `choso fees bill` processes issue next month's bills at the same
# moment; the unique index makes each bill once, and each is charged once in the ledger.
market=$(psql "$url" -Atc "SELECT id FROM markets WHERE name = 'Chợ Ngan Rô'")
period=$(python3 -c "import datetime as d; t=d.datetime.now(d.timezone(d.timedelta(hours=7))); print(f'{t.year + t.month // 12:04d}-{t.month % 12 + 1:02d}')")
for run in 1 2 3 4; do "$choso" fees bill --market "$market" --period "$period" > "$workdir/bill-$run.log" 2>&1 & done
wait_failed=0
for job in $(jobs -p); do
  case " ${pids[*]} " in *" $job "*) continue ;; esac
  wait "$job" || wait_failed=1
done
[[ $wait_failed == 0 ]] || { cat "$workdir"/bill-*.log; echo "a billing process failed"; exit 1; }
read -r bills distinct charges <<< "$(psql "$url" -Atc "SELECT count(*), count(DISTINCT (stall_id, line_code)),
  (SELECT count(*) FROM fee_ledger l JOIN fee_bills b ON b.id = l.bill_id WHERE l.kind = 'charge' AND b.period = '$period')
  FROM fee_bills WHERE period = '$period'" | tr '|' ' ')"
echo "four billing processes at once: $bills bills for $period ($distinct stall×line pairs, $charges charges)"
[[ $bills -gt 0 && $bills == "$distinct" && $bills == "$charges" ]] || { cat "$workdir"/bill-*.log; exit 1; }
