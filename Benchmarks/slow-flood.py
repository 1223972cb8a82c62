#!/usr/bin/env python3
"""A steady flood of one public door from one address: CONNECTIONS keep-alive connections share
RATE requests a second for SECONDS, each request the same. Prints one line: "<sent> <per second>
<answered 429> <other answers by status>" (JSON for the last part).

    slow-flood.py URL METHOD PATH [--body JSON] [--rate 400] [--seconds 12] [--connections 8]
"""
import argparse
import collections
import http.client
import json
import threading
import time
import urllib.parse

p = argparse.ArgumentParser()
p.add_argument("url")
p.add_argument("method")
p.add_argument("path")
p.add_argument("--body")
p.add_argument("--rate", type=float, default=400)
p.add_argument("--seconds", type=float, default=12)
p.add_argument("--connections", type=int, default=8)
a = p.parse_args()
target = urllib.parse.urlparse(a.url)
statuses = collections.Counter()
lock = threading.Lock()
start = time.monotonic()


def flood(index):
    interval = a.connections / a.rate
    due = start + index * interval / a.connections
    conn = None
    while due < start + a.seconds:
        time.sleep(max(0.0, due - time.monotonic()))
        due += interval
        try:
            conn = conn or http.client.HTTPConnection(target.hostname, target.port, timeout=10)
            headers = {"Content-Type": "application/json"} if a.body else {}
            conn.request(a.method, a.path, body=a.body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = str(response.status)
            if response.getheader("Connection", "").lower() == "close":
                conn.close(); conn = None
        except (OSError, http.client.HTTPException):
            status = "failed"
            conn = None
        with lock:
            statuses[status] += 1


threads = [threading.Thread(target=flood, args=(i,)) for i in range(a.connections)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
sent = sum(statuses.values())
refused = statuses.pop("429", 0)
print(f"{sent} {sent / (time.monotonic() - start):.0f} {refused} {json.dumps(dict(statuses))}")
