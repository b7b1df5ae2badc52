#!/usr/bin/env bash
# Serves the same data with two (or more) hybridrank binaries in turn and checks that they answer
# the same fixed request set (issue #19, "behaviour unchanged"); compare_responses.py does the
# requests and the comparison. Loopback only; every run is bounded by the request set.
#
#   Benchmarks/service/compare_binaries.sh OUT BIN_A BIN_B [BIN ...]
#
# Runs the binaries in the order given (e.g. OLD NEW OLD NEW, so each new run has old neighbours),
# each as `BIN serve --port $PORT` with rate limits off, after deleting the cross-encoder score
# keys (hr:ce:*) so each run starts with a cold score cache; waits for /health, fetches
# $OUT/requests.json (made once by `compare_responses.py requests` when missing) into
# $OUT/run-N-NAME.json, stops the server, and finally compares each run with the one before it.
# Needs DATABASE_URL and REDIS_URL exported (a migrated, imported, embedded shop; scripts/services.sh).
# Environment: PORT (18085), REQUEST_COUNTS ("--products 50 --homepages 50 --carts 20 --searches 20").
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT=${1:?usage: compare_binaries.sh OUT BIN_A BIN_B [BIN ...]}; shift
(($# >= 2)) || { echo "usage: compare_binaries.sh OUT BIN_A BIN_B [BIN ...]" >&2; exit 2; }
: "${DATABASE_URL:?export DATABASE_URL}" "${REDIS_URL:?export REDIS_URL}"
PORT="${PORT:-18085}"
URL="http://127.0.0.1:$PORT"
mkdir -p "$OUT"
if [[ ! -s "$OUT/requests.json" ]]; then
    # shellcheck disable=SC2086
    python3 "$HERE/compare_responses.py" requests --database-url "$DATABASE_URL" \
        ${REQUEST_COUNTS:---products 50 --homepages 50 --carts 20 --searches 20} --seed 19 --out "$OUT/requests.json"
fi
redis_host_port="${REDIS_URL#redis://}"; redis_host_port="${redis_host_port%%/*}"
rcli() { redis-cli -h "${redis_host_port%%:*}" -p "${redis_host_port##*:}" "$@"; }

runs=()
n=0
for bin in "$@"; do
    n=$((n + 1))
    name="$(basename "$(dirname "$bin")")"   # e.g. /tmp/hr/old/hybridrank -> old
    rcli --scan --pattern 'hr:ce:*' | xargs -r -n 500 redis-cli -h "${redis_host_port%%:*}" -p "${redis_host_port##*:}" del >/dev/null
    HYBRIDRANK_RATE_LIMITS=off "$bin" serve --port "$PORT" >"$OUT/run-$n.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 300); do
        curl -sf "$URL/health" >/dev/null 2>&1 && break
        kill -0 "$pid" 2>/dev/null || { echo "server $bin exited; see $OUT/run-$n.log" >&2; exit 1; }
        sleep 1
    done
    echo "[$(date -u +%H:%M:%S)] run $n: $bin"
    python3 "$HERE/compare_responses.py" fetch --url "$URL" --requests "$OUT/requests.json" --out "$OUT/run-$n-$name.json"
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
    runs+=("$OUT/run-$n-$name.json")
done
status=0
for ((i = 1; i < ${#runs[@]}; i++)); do
    python3 "$HERE/compare_responses.py" compare -v "${runs[i-1]}" "${runs[i]}" || status=1
done
exit $status
