"""Latency and throughput of `claimlint serve` (a real server process on loopback).

    python benchmarks/serve_latency.py [--workers 2] [--seconds 10]

Prints median and 95th-percentile latency of POST /api/v1/check for a 300-word description and a
5,000-word page (warm server), and requests per second with the given number of workers.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402 - beside this file

DESCRIPTION = (
    "Our ReGen exosome serum stimulates collagen production and speeds up cell renewal for visibly younger skin. "
    "A lightweight gel cream with squalane and ceramides for a soft, smooth feel. Leaves skin looking radiant. "
)


def words(n: int) -> str:
    base = DESCRIPTION.split()
    return " ".join(base[i % len(base)] for i in range(n))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Client:
    """An HTTP/1.1 client that sends each request in one write, with Nagle off.

    httpx and http.client write headers and body separately; with delayed ACKs that adds ~40 ms
    per request that belong to the client, not the server (curl, like browsers, shows ~9 ms).
    """

    def __init__(self, port: int) -> None:
        self.port = port

    def check(self, text: str) -> int:
        # A connection per request, as curl does: with uvicorn's multi-process mode a kept-alive
        # connection showed a fixed ~50 ms per request that single-process mode does not have.
        self.sock = socket.create_connection(("127.0.0.1", self.port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        body = json.dumps({"text": text}).encode()
        head = (
            f"POST /api/v1/check HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        self.sock.sendall(head + body)
        response = http.client.HTTPResponse(self.sock)
        response.begin()
        response.read()
        self.sock.close()
        return response.status


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*measure.CLAIMLINT, "serve", "--port", str(port), "--workers", str(args.workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        client = Client(port)
        for label, text, n in (("300 words", words(300), 200), ("5,000 words", words(5000), 40)):
            for _ in range(5):  # warm every worker
                client.check(text)
            timings = []
            for _ in range(n):
                started = time.perf_counter()
                assert client.check(text) == 200
                timings.append((time.perf_counter() - started) * 1000)
            print(
                f"{label:>12}: median {statistics.median(timings):7.1f} ms   p95 {percentile(timings, 0.95):7.1f} ms   ({n} requests)"
            )
        text = words(300)

        def hammer(_: int) -> int:
            done = 0
            end = time.monotonic() + args.seconds
            own = Client(port)
            while time.monotonic() < end:
                assert own.check(text) == 200
                done += 1
            return done

        with ThreadPoolExecutor(max_workers=4) as pool:
            total = sum(pool.map(hammer, range(4)))
        print(f"throughput: {total / args.seconds:,.0f} requests/s (300 words, {args.workers} workers, 4 clients)")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
