#!/usr/bin/env python3
"""Odd requests against a running ChoSo: crafted paths, methods, headers and bodies, sent raw over
a socket (no client library normalises them). Every answer must be a complete HTTP response below
500, and the server must still be healthy afterwards. Bounded: a fixed seed, a fixed count.

    scripts/odd-requests.py http://127.0.0.1:8080 [--count 600] [--seed 12]
"""
import argparse
import random
import socket
import sys
import time
import urllib.parse
import urllib.request

PATHS = [
    "/../x", "/%2e%2e/x", "/..%2fx", "/%2E%2E%2F%2E%2E%2Fetc/passwd", "/css/../../etc/passwd", "/.%00./x", "/%00", "/%ff%fe",
    "//", "///////", "/%", "/%zz", "/\\..\\x", "/login?next=/%0D%0ASet-Cookie:%20x=1", "/login?next=/%09/evil.example",
    "/api/v1/markets/%00", "/api/v1/markets/../../healthz", "/api/v1/stalls/" + "9" * 4000, "/api/v1/payment-requests/x/qr.png?scale=-1",
    "/api/v1/payment-requests/x/qr.png?scale=99999999999999999999", "/api/v1/qr/encode?bin=970436&account=1&amount=1e999",
    "/api/v1/stalls/x/transfers?date=9999-99-99", "/api/v1/stalls/x/transfers?date=%00", "/api/v1/markets?includeInactive=%C2%85",
    "/hooks/generic/00000000-0000-0000-0000-000000000000", "/hooks/../../x", "/hooks/%00/%00", "/kiem-tra?payload=%00%01%02",
    "/api/v1/speech?text=" + "a" * 5000, "/api/v1/speech?text=%00", "/markets/%20/people", "/stalls/x/close?date=0000-00-00",
    "/metrics", "/readyz", "/openapi.json", "/sw.js", "/app.css", "/favicon.ico", "/" + "a/" * 600,
]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "GETT", "get", "X" * 40]
BODIES = [b"", b"\x00", b"{", b"[]", b"null", b'{"amount":true}', b'{"amount":1e400}', b'{"a":' * 2000, b"\xff\xfe\x00",
          b"amount=1%2C5&_csrf=x", b'{"amount":-9223372036854775808}', b'{"amount":9223372036854775808}', b"A" * 70000]
HEADERS = [
    ("Content-Type", "application/json"), ("Content-Type", "application/x-www-form-urlencoded"),
    ("Content-Type", "multipart/form-data; boundary="), ("Content-Type", "multipart/form-data; boundary=" + "x" * 300),
    ("Authorization", "Bearer csd_x"), ("Authorization", "Bearer "), ("Authorization", "Basic %%%"), ("Cookie", "choso_session=%00"),
    ("Cookie", "choso_session=" + "A" * 4000), ("Accept-Language", "\x01vi;q=abc"), ("X-Forwarded-For", "1.1.1.1, garbage, ::1"),
    ("X-CSRF-Token", ""), ("Idempotency-Key", "\x7f"), ("Idempotency-Key", "k" * 300), ("Last-Event-ID", "-1-x"),
    ("Range", "bytes=-1-2"), ("Accept", "*/*;q=x"), ("Expect", "100-continue"), ("Transfer-Encoding", "chunked"),
    ("Content-Length", "-1"), ("Content-Length", "99999999999999999999"), ("Host", ""),
]


def send(host, port, raw, timeout=10):
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(raw)
        data = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
                if b"\r\n\r\n" in data and len(data) > 65536:
                    break
        except socket.timeout:
            pass
    return data


def status_of(data):
    if not data.startswith(b"HTTP/1."):
        return None
    try:
        return int(data.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None


def healthy(base):
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=5) as answer:
            return answer.status == 200
    except Exception:
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.base)
    host, port = url.hostname, url.port or 80
    rng = random.Random(args.seed)
    failures, statuses, started = [], {}, time.time()
    for index in range(args.count):
        path = PATHS[index % len(PATHS)] if index < len(PATHS) else rng.choice(PATHS)
        method = "GET" if index < len(PATHS) else rng.choice(METHODS)
        body = b"" if method in ("GET", "HEAD") and rng.random() < 0.7 else rng.choice(BODIES)
        headers = rng.sample(HEADERS, rng.randint(0, 4))
        lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
        chunked = any(name == "Transfer-Encoding" for name, _ in headers)
        lies = any(name == "Content-Length" for name, _ in headers)
        lines += [f"{name}: {value}" for name, value in headers]
        if not chunked and not lies:
            lines.append(f"Content-Length: {len(body)}")
        payload = (f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n") if chunked else body
        raw = "\r\n".join(lines).encode("latin-1", "replace") + b"\r\n\r\n" + payload
        try:
            answer = send(host, port, raw)
        except OSError as error:
            answer = b""
            if not healthy(args.base):
                failures.append(f"{method} {path[:80]}: connection failed ({error}) and the server is down")
                break
        status = status_of(answer)
        statuses[status] = statuses.get(status, 0) + 1
        if status is not None and status >= 500:
            failures.append(f"{method} {path[:80]} {[name for name, _ in headers]} body {body[:20]!r}: {status}")
    alive = healthy(args.base)
    print(f"odd requests: {args.count} sent in {time.time() - started:.1f} s; answers by status: "
          + ", ".join(f"{key}: {value}" for key, value in sorted(statuses.items(), key=lambda item: str(item[0]))))
    for failure in failures[:30]:
        print("  5xx or down:", failure)
    print(f"server healthy afterwards: {alive}")
    if failures or not alive:
        sys.exit(1)


if __name__ == "__main__":
    main()
