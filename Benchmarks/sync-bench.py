#!/usr/bin/env python3
"""The community teams' sync under load (issue 14), against a running ChoSo seeded with the demo:

- one phone sends 1,000 visits with their 500 households in one `POST /api/v1/sync`: the request
  raw and gzipped (the target: at most 500 KB gzipped, 10 s over a 400 kbit/s link) and the
  server's time, median of several runs;
- 20 phones at once, each its own batch of the same size: every record stored once, wall time;
- the household list of the hamlet (2,000 households or more by then) downloaded as a phone
  does on first sign-in (`GET /api/v1/sync`, gzip): bytes and time.

    python3 Benchmarks/sync-bench.py http://127.0.0.1:8080 [--runs 5]
"""
import argparse
import gzip
import json
import statistics
import threading
import time
import urllib.request
import uuid
from datetime import date, timedelta

HAMLET = "31672-1@2025-07-01"


def request(base, method, path, token, body=None, headers=None):
    req = urllib.request.Request(base + path, data=body, method=method)
    req.add_header("Authorization", "Bearer " + token)
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    started = time.perf_counter()
    with urllib.request.urlopen(req, timeout=300) as response:
        payload = response.read()
        return time.perf_counter() - started, response, payload


def token(base):
    body = json.dumps({"username": "to.daian2", "password": "chosodemo", "name": "bench"}).encode()
    req = urllib.request.Request(base + "/api/v1/auth/tokens", data=body, method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as response:
        return json.loads(response.read())["token"]


def batch(phone, households=500, visits_each=2):
    records, today = [], date.today()
    for index in range(households):
        household = str(uuid.uuid4())
        adults = 1 + index % 4
        records.append({
            "type": "household", "id": household, "baseVersion": None, "hamlet": HAMLET,
            "address": f"{index + 1}/{phone} ấp 1", "headName": f"Thạch Thị Sà Rươl {phone}-{index}", "phone": None,
            "members": adults + 1, "adults": adults, "language": "km" if index % 3 == 0 else "vi",
            "checklist": {"smartphone": {"count": index % (adults + 1), "evidence": "seen"},
                          "paymentAccount": {"count": min(1, adults), "evidence": "self_reported"},
                          "vneidLevel2": {"count": 0, "evidence": "self_reported"}, "broadband": {"count": index % 2, "evidence": "self_reported"}},
            "barriers": ["no_money_for_data"] if index % 5 == 0 else [],
        })
        for visit in range(visits_each):
            records.append({
                "type": "visit", "id": str(uuid.uuid4()), "household": household, "date": (today - timedelta(days=visit * 7)).isoformat(),
                "help": ["install_payment_app", "scam_warning"], "barriers": [], "outcome": "done", "note": "Cài VNPT Money, hướng dẫn chuyển khoản",
            })
    return json.dumps({"deviceId": f"bench-{phone}", "records": records}, ensure_ascii=False).encode()


def send(base, auth, body):
    compressed = gzip.compress(body)
    seconds, _, payload = request(base, "POST", "/api/v1/sync", auth, compressed,
                                  {"Content-Type": "application/json", "Content-Encoding": "gzip"})
    return seconds, json.loads(payload)["results"], len(body), len(compressed)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--phones", type=int, default=20)
    args = parser.parse_args()
    auth = token(args.base)

    times, raw, packed = [], 0, 0
    for run in range(args.runs):
        seconds, results, raw, packed = send(args.base, auth, batch(f"solo{run}"))
        assert all(r["status"] == "stored" for r in results), {r["status"] for r in results}
        times.append(seconds)
    print(f"one phone, 1,000 visits + 500 households: {raw / 1024:.0f} KB raw, {packed / 1024:.0f} KB gzipped "
          f"({packed * 8 / 400_000:.1f} s at 400 kbit/s); server answered in median {statistics.median(times):.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f}, {args.runs} runs)")

    bodies = [batch(f"p{n}") for n in range(args.phones)]
    outcomes = [None] * args.phones

    def phone(n):
        outcomes[n] = send(args.base, auth, bodies[n])

    started = time.perf_counter()
    threads = [threading.Thread(target=phone, args=(n,)) for n in range(args.phones)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    stored = sum(1 for outcome in outcomes for r in outcome[1] if r["status"] == "stored")
    assert stored == args.phones * 1500, stored
    each = sorted(outcome[0] for outcome in outcomes)
    print(f"{args.phones} phones at once: {stored} records stored once each in {wall:.1f} s wall; "
          f"per phone median {statistics.median(each):.1f} s, slowest {each[-1]:.1f} s")
    # Everything sent again: nothing new.
    _, again, _, _ = send(args.base, auth, bodies[0])
    assert all(r["status"] == "unchanged" for r in again), {r["status"] for r in again}

    seconds, response, payload = request(args.base, "GET", "/api/v1/sync", auth, headers={"Accept-Encoding": "gzip"})
    encoding = response.headers.get("Content-Encoding")
    data = json.loads(gzip.decompress(payload) if encoding == "gzip" else payload)
    print(f"first download on a phone: {len(data['households'])} households and {len(data['visits'])} visits, "
          f"{len(payload) / 1024:.0f} KB on the wire ({encoding or 'identity'}), {seconds:.2f} s")


if __name__ == "__main__":
    main()
