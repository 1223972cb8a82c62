#!/usr/bin/env python3
"""Live screens for the cluster and restart tests: one event stream per stall of the connection
file, opened through BASE (the load balancer), kept open until the STOP file appears. A stream
that drops (its process killed, the database restarted) comes back like the page's EventSource:
after its `retry:` delay, with `Last-Event-ID`. Each screen writes one JSON line per event it
received to OUT/screen-<stall>.jsonl; at the end OUT/reconnects.json says how often each
came back.

  sse-screens.py BASE CONNECTION_JSON OUT_DIR READY_FILE STOP_FILE
BASE may be https (a self-signed certificate named by SSL_CERT_FILE).
"""
import http.client
import json
import os
import ssl
import sys
import threading
import time
import urllib.parse

base, connection_file, out, ready_file, stop_file = sys.argv[1:6]
connection = json.load(open(connection_file))
token = connection["token"]
stalls = sorted(connection["stalls"])
parsed = urllib.parse.urlparse(base)
opened = threading.Semaphore(0)
reconnects = {stall: 0 for stall in stalls}


def screen(stall):
    last_id, retry, first = None, 3.0, True
    log = open(os.path.join(out, f"screen-{stall.lower()}.jsonl"), "a")
    while True:
        try:
            # Longer than the server's 15 s keep-alive comment: a silent stream is a dead one.
            if parsed.scheme == "https":  # through TLS: the certificate is trusted by SSL_CERT_FILE
                conn = http.client.HTTPSConnection(parsed.hostname, parsed.port, timeout=20, context=ssl.create_default_context())
            else:
                conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=20)
            headers = {"Authorization": "Bearer " + token, "Accept": "text/event-stream"}
            if last_id:
                headers["Last-Event-ID"] = last_id
            conn.request("GET", f"/api/v1/stalls/{stall}/events", headers=headers)
            response = conn.getresponse()
            if response.status != 200:
                raise OSError(f"status {response.status}")
            event_id, data = None, None
            while True:
                line = response.readline()  # chunked framing removed; b"" when the stream ends
                if not line:
                    break  # the server ended the stream
                line = line.decode().rstrip("\n")
                if first and line.startswith(":"):
                    first = False
                    opened.release()
                if line.startswith("retry: "):
                    retry = int(line[7:]) / 1000
                elif line.startswith("id: "):
                    event_id = line[4:]
                elif line.startswith("data: "):
                    data = line[6:]
                elif line == "" and data is not None:
                    event = json.loads(data)
                    log.write(json.dumps({"id": event_id, "transferId": event["transferId"].lower(), "at": time.time()}) + "\n")
                    log.flush()
                    last_id, event_id, data = event_id or last_id, None, None
            conn.close()
        except (OSError, http.client.HTTPException, ValueError):
            pass
        reconnects[stall] += 1
        time.sleep(retry)


threads = [threading.Thread(target=screen, args=(stall,), daemon=True) for stall in stalls]
for thread in threads:
    thread.start()
for _ in stalls:
    if not opened.acquire(timeout=30):
        sys.exit("a live screen did not open within 30 s")
open(ready_file, "w").close()
while not os.path.exists(stop_file):
    time.sleep(0.2)
# The screens' threads end with the process; what they received is already on disk.
with open(os.path.join(out, "reconnects.json"), "w") as f:
    json.dump({stall.lower(): count for stall, count in reconnects.items()}, f)
