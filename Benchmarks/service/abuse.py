#!/usr/bin/env python3
"""Rate-limit benchmark (issue #21): can four abusive clients slow a normal searcher down?

One normal client (source address 127.0.0.1) searches with short shop queries at a steady
rate, anonymously. Four abusive clients (127.0.0.2-5, one process each, so they neither share
the normal client's GIL nor its per-address budget) send unique 1,000-character queries as
fast as the server answers, ignoring Retry-After. Phases alternate idle / abuse so both medians
come from the same minutes of the same machine; the result is median(normal latency under
abuse) / median(normal latency idle). Target: <= 2.

Loopback only, bounded in time (2 * rounds * phase seconds) and in requests.

  python3 Benchmarks/service/abuse.py --url http://127.0.0.1:18080 [--rounds 3 --phase 20]
"""
import argparse
import http.client
import json
import multiprocessing
import random
import statistics
import string
import sys
import time
import urllib.parse

SHOP_WORDS = ["garden", "lantern", "kitchen", "mug", "candle", "light", "wooden", "toy", "cushion", "glass",
              "bag", "vintage", "heart", "star", "christmas", "tea", "set", "box", "paper", "doormat"]


def connect(host, port, source):
    return http.client.HTTPConnection(host, port, timeout=30, source_address=(source, 0))


def get(conn_holder, host, port, source, path):
    """GET on a kept-alive connection (reopened after an error); returns (status, seconds)."""
    start = time.perf_counter()
    for attempt in range(2):
        try:
            if conn_holder[0] is None:
                conn_holder[0] = connect(host, port, source)
            conn_holder[0].request("GET", path)
            response = conn_holder[0].getresponse()
            response.read()
            return response.status, time.perf_counter() - start
        except (OSError, http.client.HTTPException):
            if conn_holder[0] is not None:
                conn_holder[0].close()
            conn_holder[0] = None
            if attempt == 1:
                return 0, time.perf_counter() - start
    return 0, time.perf_counter() - start


def abuser(host, port, source, stop_at, max_requests, counts):
    rng = random.Random(source)
    holder = [None]
    sent = 0
    tally = {}
    while time.time() < stop_at and sent < max_requests:
        text = "".join(rng.choice(string.ascii_lowercase + "     ") for _ in range(1000))
        status, _ = get(holder, host, port, source, "/v1/search?limit=10&q=" + urllib.parse.quote(text))
        tally[status] = tally.get(status, 0) + 1
        sent += 1
    counts.put(tally)


def normal_phase(host, port, seconds, rate, rng, holder):
    latencies, statuses = [], {}
    end = time.time() + seconds
    next_send = time.time()
    while time.time() < end:
        now = time.time()
        if now < next_send:
            time.sleep(next_send - now)
        next_send += 1 / rate
        query = " ".join(rng.sample(SHOP_WORDS, 2)) + f" {rng.randint(1, 500)}"
        status, seconds_taken = get(holder, host, port, "127.0.0.1", "/v1/search?limit=10&q=" + urllib.parse.quote(query))
        statuses[status] = statuses.get(status, 0) + 1
        if status == 200:
            latencies.append(seconds_taken * 1000)
    return latencies, statuses


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:18080")
    parser.add_argument("--rounds", type=int, default=3, help="idle/abuse pairs")
    parser.add_argument("--phase", type=float, default=20, help="seconds a phase")
    parser.add_argument("--rate", type=float, default=1.0, help="normal searches a second")
    parser.add_argument("--abusers", type=int, default=4)
    parser.add_argument("--max-abuse-requests", type=int, default=200_000, help="per abuser and phase")
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.url)
    if url.hostname not in ("127.0.0.1", "localhost"):
        sys.exit("abuse.py only targets loopback")
    host, port = url.hostname, url.port or 80
    rng = random.Random(42)
    holder = [None]
    idle, abused = [], []
    normal_statuses = {"idle": {}, "abuse": {}}
    abuse_statuses = {}
    for round_index in range(args.rounds):
        latencies, statuses = normal_phase(host, port, args.phase, args.rate, rng, holder)
        idle.extend(latencies)
        for k, v in statuses.items():
            normal_statuses["idle"][k] = normal_statuses["idle"].get(k, 0) + v
        counts = multiprocessing.Queue()
        stop_at = time.time() + args.phase
        workers = [multiprocessing.Process(target=abuser, args=(host, port, f"127.0.0.{2 + i}", stop_at,
                                                                  args.max_abuse_requests, counts))
                   for i in range(args.abusers)]
        for worker in workers:
            worker.start()
        time.sleep(0.5)  # let the abusers reach full speed first
        latencies, statuses = normal_phase(host, port, args.phase - 0.5, args.rate, rng, holder)
        abused.extend(latencies)
        for k, v in statuses.items():
            normal_statuses["abuse"][k] = normal_statuses["abuse"].get(k, 0) + v
        for worker in workers:
            tally = counts.get(timeout=60)
            for k, v in tally.items():
                abuse_statuses[k] = abuse_statuses.get(k, 0) + v
        for worker in workers:
            worker.join(timeout=60)
        print(f"round {round_index + 1}: idle median {statistics.median(idle):.1f} ms, "
              f"abuse median {statistics.median(abused) if abused else float('nan'):.1f} ms", flush=True)
    result = {
        "normal_idle_median_ms": round(statistics.median(idle), 2) if idle else None,
        "normal_abuse_median_ms": round(statistics.median(abused), 2) if abused else None,
        "ratio": round(statistics.median(abused) / statistics.median(idle), 2) if idle and abused else None,
        "normal_requests": {"idle": normal_statuses["idle"], "abuse": normal_statuses["abuse"]},
        "abusive_requests_by_status": abuse_statuses,
        "rounds": args.rounds, "phase_seconds": args.phase, "abusers": args.abusers,
    }
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
