#!/usr/bin/env bash
# A/B of server binaries on the cached product page (issue #5, target a): starts each binary in
# turn on the same PostgreSQL/Redis and data, warms it with 3 s of load, then runs
# `wrk -t2 -c8 -d10s` with product.lua and prints, per round and binary: requests/s, p99 (ms),
# non-2xx, and the server's CPU per request (user + system time from /proc/PID/stat over the
# measured 10 s, divided by the requests) — the least noisy of the three on a shared machine.
#
# usage (repository root, services and data as for run.sh; DATABASE_URL and REDIS_URL exported):
#   Benchmarks/service/ab.sh ROUNDS BIN_A BIN_B [BIN ...]
# Each binary is started as `BIN serve --port $PORT` (default 18080); any server already on that
# port is stopped first. Results in BENCHMARKS.md (current) and
# docs/benchmarks/service.md (history).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${PORT:-18080}"
ROUNDS=$1; shift
TICKS=$(getconf CLK_TCK)
stop() { pkill -f "serve --port $PORT" 2>/dev/null || true; sleep 1; }
for round in $(seq 1 "$ROUNDS"); do
    for bin in "$@"; do
        stop
        nohup "$bin" serve --port "$PORT" >"/tmp/hybridrank-ab-$PORT.log" 2>&1 &
        for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$PORT/health" && break; sleep 0.5; done
        pid=$(pgrep -f "serve --port $PORT" | head -1)
        wrk -t2 -c8 -d3s -s "$HERE/product.lua" "http://127.0.0.1:$PORT" >/dev/null
        before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        line=$(wrk -t2 -c8 -d10s -s "$HERE/product.lua" "http://127.0.0.1:$PORT" | grep WRK_JSON)
        after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        python3 - "$round" "$bin" "$before" "$after" "$TICKS" "$line" <<'PY'
import json, sys
round_, binary, before, after, ticks, line = sys.argv[1:7]
run = json.loads(line.split(" ", 1)[1])
cpu_us = (float(after) - float(before)) / float(ticks) * 1e6 / max(1, run["requests"])
print(f"round {round_} {binary}: {run['rps']:.0f} req/s, p99 {run['p99_ms']:.2f} ms, "
      f"non-2xx {run['non2xx']}, server CPU {cpu_us:.0f} us/request")
PY
    done
done
stop
