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
