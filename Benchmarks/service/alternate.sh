#!/usr/bin/env bash
# Two (or more) server binaries, alternating, on the service benchmark's (a) product page with
# cached scores and (b) cold homepage: for judging "within noise" on a shared machine, where
# only runs interleaved in time compare (issue #19). Loopback only; every run is bounded.
#
#   Benchmarks/service/alternate.sh OUT ROUNDS BIN_A BIN_B [BIN ...]
#
# Once: users with purchases (md5 order) -> $OUT/users.txt, 200 product-page paths -> $OUT/paths.txt
# (as run.sh's `users` and `paths`), the cross-encoder score keys deleted, then one sequential pass
# over the paths so every product-page window is cached in Redis. Then per round, per binary, a fresh
# `BIN serve --port $PORT` (rate limits off; stopped by its pid):
#   b  homepage_cold.lua, 1 client, $B_SECONDS s, on a slice of $B_SLICE users no earlier run used,
#      from the 201st on: a's 200 paths carry the first 200 users, and a product page's rerank
#      query can equal that user's homepage query, so their windows would be cached (every request
#      a new shopper, so every window is scored; explain=true counts them);
#   a  3 s warm-up, then product.lua, `wrk -t2 -c8 -d${A_SECONDS}s`, and the server's CPU per request
#      (user + system from /proc/PID/stat over the measured run), the least noisy of the numbers.
# Prints one line per run and writes $OUT/runs.jsonl; summarise with alternate_summary.py.
# Needs DATABASE_URL and REDIS_URL exported. Environment: PORT (18086), A_SECONDS (10),
# B_SECONDS (20), B_SLICE (250; the demo shop of 1,500 products / 3,000 users has ~1,300 buyers).
# A b run must stay inside its slice (requests <= B_SLICE; about 15 cold homepages a second here),
# or users repeat and the run is not cold: it warns when they did.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT=${1:?usage: alternate.sh OUT ROUNDS BIN_A BIN_B [BIN ...]}; ROUNDS=${2:?rounds}; shift 2
: "${DATABASE_URL:?export DATABASE_URL}" "${REDIS_URL:?export REDIS_URL}"
PORT="${PORT:-18086}"; URL="http://127.0.0.1:$PORT"
A_SECONDS="${A_SECONDS:-10}"; B_SECONDS="${B_SECONDS:-20}"; B_SLICE="${B_SLICE:-250}"
TICKS=$(getconf CLK_TCK)
mkdir -p "$OUT"
hp="${REDIS_URL#redis://}"; hp="${hp%%/*}"
rcli() { redis-cli -h "${hp%%:*}" -p "${hp##*:}" "$@"; }

psql "$DATABASE_URL" -Atc \
    "SELECT user_id FROM interactions WHERE type = 'purchase' GROUP BY user_id ORDER BY md5(user_id)" >"$OUT/users.txt"
psql "$DATABASE_URL" -Atc "
    WITH p AS (SELECT id, row_number() OVER (ORDER BY md5(id)) AS n FROM products
               WHERE deleted_at IS NULL AND in_stock AND id ~ '^[A-Za-z0-9_-]+$'),
         u AS (SELECT user_id, row_number() OVER (ORDER BY md5(user_id)) AS n
               FROM (SELECT DISTINCT user_id FROM interactions WHERE type = 'purchase') AS buyers
               WHERE user_id ~ '^[A-Za-z0-9_-]+$')
    SELECT '/v1/recommendations/product/' || p.id || '?user_id=' || u.user_id
    FROM p JOIN u USING (n) WHERE n <= 200 ORDER BY n" >"$OUT/paths.txt"
need=$(( 200 + ROUNDS * $# * B_SLICE ))
(( need <= $(wc -l <"$OUT/users.txt") )) || { echo "need $need users for b, have $(wc -l <"$OUT/users.txt"); lower B_SLICE" >&2; exit 2; }
rcli --scan --pattern 'hr:ce:*' | xargs -r -n 500 redis-cli -h "${hp%%:*}" -p "${hp##*:}" del >/dev/null

pid=""
start() {
    HYBRIDRANK_RATE_LIMITS=off "$1" serve --port "$PORT" >>"$OUT/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 300); do
        curl -sf "$URL/health" >/dev/null 2>&1 && return 0
        kill -0 "$pid" 2>/dev/null || { echo "server $1 exited (see $OUT/server.log)" >&2; exit 1; }
        sleep 1
    done
    echo "server $1 not healthy after 300 s" >&2; exit 1
}
stop() { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; }
trap stop EXIT
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }

start "$1"
echo "[$(date -u +%H:%M:%S)] priming the product-page score cache (200 paths, sequential)"
while read -r path; do curl -s -o /dev/null "$URL$path"; done <"$OUT/paths.txt"
stop

slice=0
for round in $(seq 1 "$ROUNDS"); do
    for bin in "$@"; do
        start "$bin"
        load0=$(cut -d' ' -f1 /proc/loadavg)
        c0=$(cpu)
        USERS_FILE="$OUT/users.txt" USERS_OFFSET=$(( 200 + slice * B_SLICE )) WRK_THREADS=1 \
            wrk -t1 -c1 -d"${B_SECONDS}s" --latency -s "$HERE/homepage_cold.lua" "$URL" >"$OUT/b-$round-$slice.txt" 2>&1
        c1=$(cpu)
        slice=$((slice + 1))
        PATHS_FILE="$OUT/paths.txt" wrk -t2 -c8 -d3s -s "$HERE/product.lua" "$URL" >/dev/null 2>&1 || true
        c2=$(cpu)
        PATHS_FILE="$OUT/paths.txt" wrk -t2 -c8 -d"${A_SECONDS}s" --latency -s "$HERE/product.lua" "$URL" >"$OUT/a-$round-$slice.txt" 2>&1
        c3=$(cpu)
        load1=$(cut -d' ' -f1 /proc/loadavg)
        stop
        python3 - "$round" "$bin" "$c0" "$c1" "$c2" "$c3" "$TICKS" "$load0" "$load1" "$OUT/b-$round-$((slice - 1)).txt" "$OUT/a-$round-$slice.txt" "$B_SLICE" <<'PY' | tee -a "$OUT/runs.jsonl"
import json, sys
rnd, binary, c0, c1, c2, c3, ticks, l0, l1, bfile, afile = sys.argv[1:12]
def wrk_json(path):
    for line in open(path):
        if line.startswith("WRK_JSON"):
            return json.loads(line.split(" ", 1)[1])
    raise SystemExit(f"no WRK_JSON line in {path}")
def window(path):
    for line in open(path):
        if line.startswith("WRK_WINDOW"):
            return line.split(" ", 1)[1].strip()
    return ""
a, b = wrk_json(afile), wrk_json(bfile)
ticks = float(ticks)
print(json.dumps({
    "round": int(rnd), "binary": binary, "load": [float(l0), float(l1)],
    "a_rps": a["rps"], "a_p99_ms": a["p99_ms"], "a_non2xx": a["non2xx"],
    "a_cpu_us_per_request": (float(c3) - float(c2)) / ticks * 1e6 / max(1, a["requests"]),
    "b_rps": b["rps"], "b_p50_ms": b.get("p50_ms"), "b_p95_ms": b.get("p95_ms"), "b_non2xx": b["non2xx"],
    "b_requests": b["requests"],
    "b_cpu_ms_per_request": (float(c1) - float(c0)) / ticks * 1e3 / max(1, b["requests"]),
    "b_window": window(bfile),
}))
slice_users = int(sys.argv[12])
if b["requests"] > slice_users:
    print(f"warning: b made {b['requests']} requests on a slice of {slice_users} users: users repeated, so the run "
          "was not cold (an in-process score cache answers repeats); raise B_SLICE or lower B_SECONDS",
          file=sys.stderr)
PY
    done
done
