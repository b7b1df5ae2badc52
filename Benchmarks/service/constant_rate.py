#!/usr/bin/env python3
"""Constant-rate HTTP load generator (stdlib only), free of coordinated omission.

Used for target (c) of issue #5: homepage with a warm cross-encoder cache, p95 <= 20 ms at
200 requests/s for 60 s. wrk has no rate limit and Debian 12 has no wrk2 package, hence this.

How it works: request i is *scheduled* at start + i / rate. A scheduler coroutine puts
(i, scheduled_time) on a queue at that moment; a pool of keep-alive HTTP/1.1 connections
(--connections, each an asyncio coroutine with its own socket) takes requests off the queue.
Latency is measured from the scheduled send time to the last byte of the response, so if the
server (or this client) falls behind, queueing delay counts against the latency instead of being
silently skipped (the coordinated-omission error of closed-loop tools like wrk).
Also reports the achieved send rate and the worst scheduling lag of the generator itself, so a
client that cannot keep up (this machine has 2 shared cores) is visible rather than hidden.

Usage:
  constant_rate.py --url http://127.0.0.1:18080 --users-file users.txt --users 500 \
      --rate 200 --duration 60 [--warmup] [--json out.json]
Paths: /v1/recommendations/homepage?user_id=U&limit=10, cycling over the first --users ids of
--users-file (from --users-offset). --warmup issues each path once, sequentially, and exits.
"""
import argparse
import asyncio
import json
import statistics
import sys
import time
from urllib.parse import urlsplit


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


class Connection:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def ensure(self):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def get(self, path):
        """One GET on this keep-alive connection; returns (status, body_length)."""
        await self.ensure()
        request = f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nConnection: keep-alive\r\n\r\n"
        self.writer.write(request.encode())
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("connection closed")
        status = int(status_line.split()[1])
        length, chunked, close = None, False, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
            elif name == "connection" and value.lower() == "close":
                close = True
        size = 0
        if chunked:
            while True:
                chunk_len = int((await self.reader.readline()).split(b";")[0], 16)
                if chunk_len == 0:
                    await self.reader.readline()
                    break
                size += len(await self.reader.readexactly(chunk_len + 2)) - 2
        elif length is not None:
            size = len(await self.reader.readexactly(length))
        if close:
            self.close()
        return status, size

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def run(args):
    url = urlsplit(args.url)
    host, port = url.hostname, url.port or 80
    with open(args.users_file) as f:
        users = [line.strip() for line in f if line.strip()]
    users = users[args.users_offset:args.users_offset + args.users]
    if len(users) < args.users:
        sys.exit(f"only {len(users)} users available from offset {args.users_offset}")
    paths = [f"/v1/recommendations/homepage?user_id={u}&limit={args.limit}" for u in users]

    if args.warmup:
        conn = Connection(host, port)
        statuses = {}
        for _ in range(args.warmup_passes):
            for path in paths:
                status, _ = await conn.get(path)
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()
        print(json.dumps({"warmup_requests": len(paths) * args.warmup_passes, "statuses": statuses}))
        return

    total = int(args.rate * args.duration)
    queue: asyncio.Queue = asyncio.Queue()
    latencies, statuses, errors = [], {}, []
    lags = []
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.2  # let the connections open first

    async def worker():
        conn = Connection(host, port)
        await conn.ensure()
        while True:
            item = await queue.get()
            if item is None:
                conn.close()
                return
            i, scheduled = item
            try:
                status, _ = await conn.get(paths[i % len(paths)])
                statuses[status] = statuses.get(status, 0) + 1
            except Exception as e:  # counted, and the latency still recorded
                errors.append(repr(e))
                conn.close()
            latencies.append((loop.time() - scheduled) * 1000.0)

    async def scheduler():
        for i in range(total):
            scheduled = start + i / args.rate
            delay = scheduled - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            lags.append((loop.time() - scheduled) * 1000.0)
            queue.put_nowait((i, scheduled))
        for _ in range(args.connections):
            queue.put_nowait(None)

    workers = [asyncio.create_task(worker()) for _ in range(args.connections)]
    t0 = time.monotonic()
    await scheduler()
    send_done = time.monotonic()
    await asyncio.gather(*workers)
    t1 = time.monotonic()

    latencies.sort()
    result = {
        "rate_target": args.rate,
        "duration_target_s": args.duration,
        "requests": len(latencies),
        "send_window_s": round(send_done - t0, 3),
        "achieved_send_rate": round(total / max(1e-9, send_done - t0), 1),
        "wall_s": round(t1 - t0, 3),
        "connections": args.connections,
        "statuses": statuses,
        "errors": len(errors),
        "first_errors": errors[:3],
        "latency_ms": {
            "p50": round(percentile(latencies, 50), 2),
            "p90": round(percentile(latencies, 90), 2),
            "p95": round(percentile(latencies, 95), 2),
            "p99": round(percentile(latencies, 99), 2),
            "max": round(latencies[-1], 2) if latencies else None,
            "mean": round(statistics.fmean(latencies), 2) if latencies else None,
        },
        "scheduler_lag_ms": {
            "p50": round(percentile(sorted(lags), 50), 2),
            "p99": round(percentile(sorted(lags), 99), 2),
            "max": round(max(lags), 2) if lags else None,
        },
    }
    print(json.dumps(result))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:18080")
    ap.add_argument("--users-file", required=True)
    ap.add_argument("--users-offset", type=int, default=0)
    ap.add_argument("--users", type=int, default=500)
    ap.add_argument("--limit", type=int, default=10)
    ap.add_argument("--rate", type=float, default=200)
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--warmup", action="store_true")
    ap.add_argument("--warmup-passes", type=int, default=1)
    ap.add_argument("--json")
    args = ap.parse_args()
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
