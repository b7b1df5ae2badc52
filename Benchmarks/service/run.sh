#!/usr/bin/env bash
# HybridRank HTTP service benchmarks (issue #5). Results: BENCHMARKS.md (current),
# docs/benchmarks/service.md (history).
#
# What it runs (all from loopback, against a server you started; wrk uses at most 2 threads):
#   a  product page, cross-encoder scores cached: product.lua cycles over 200 fixed
#      (product, user) pairs; one sequential warm-up pass over the 200 paths (curl), a check pass
#      with explain=true (every window must be fully cached), then `wrk -t2 -cC -d20s --latency`
#      for C in $A_CONNS (default "4 8 16").
#      Target: >= 5,000 requests/s at p99 <= 20 ms.
#   b  homepage, cold cross-encoder cache: homepage_cold.lua sends every request for a user id
#      never requested before (users with purchase history, from PostgreSQL, in a fixed shuffled
#      order; each run starts past every id earlier runs could have used). Each request reranks a
#      window of 20 with no cached pair (a few share a query text with an earlier user and hit
#      some cached pairs: every request asks explain=true and the WRK_WINDOW line counts full
#      cold windows, partial cache hits, windows below 20 and "shrunk" notes).
#      `wrk -t1 -c1 -d30s` and `wrk -t2 -c2 -d30s`.
#      Targets: p95 <= 120 ms with 1 client; >= 8 requests/s with 2 clients; window not shrunk
#      (checked with explain=true on a few further unseen users, see `verify`).
#   c  homepage, warm cross-encoder cache: constant_rate.py warms 500 users (two sequential passes)
#      then sends 200 requests/s for 60 s over them, latency from each request's scheduled send
#      time (no coordinated omission). Target: p95 <= 20 ms at 200 requests/s.
#   Every run records /proc/loadavg before and after and samples it every 5 s during the run.
#   Each of a, b, c is repeated $REPEATS times (default 3); the report takes medians.
#
# How to reproduce (from the repository root, release build, nothing else needed):
#   swift build -c release --product hybridrank --static-swift-stdlib && cp .build/release/hybridrank /tmp/hr-bench
#   apt-get install -y wrk
#   export HYBRIDRANK_LOCAL_DIR=$PWD/.local-bench      # own PostgreSQL + Redis (git-ignored)
#   scripts/services.sh start && source .local-bench/services.env
#   export DATABASE_URL=$POSTGRES_URL REDIS_URL
#   Benchmarks/service/run.sh setup        # fetch the bi-encoder, migrate, demo generate (10k products, 50k users,
#                                          # seed 42), import, embed; each step timed
#   HYBRIDRANK_RATE_LIMITS=off /tmp/hr-bench serve --port 18080 &   # defaults: 2 model threads,
#                                          # cross-encoder loaded; rate limits off: wrk is one
#                                          # address far over the per-address budget (SECURITY.md)
#   Benchmarks/service/run.sh all          # users, verify, a, b, c (REPEATS rounds), rss
#   (or run the steps one at a time: users | paths | verify | a | b | c | rss; same OUT for each)
#   # Other data (e.g. the Online Retail import, ~5,200 buyers): a database and Redis database of
#   # its own, then `paths` (200 product pages from PostgreSQL for a) and smaller user regions:
#   B_BASE=1000 B_SLICE=500 VERIFY_OFFSET=4100 C_OFFSET=4300 Benchmarks/service/run.sh paths
#   (same variables for users, verify, a, b, c, rss)
#   # b again with 2 model threads, on ids no earlier run used (same OUT):
#   kill <server>; /tmp/hr-bench serve --port 18080 --model-threads 2 &
#   VERIFY_OFFSET=20010 Benchmarks/service/run.sh verify
#   B_BASE=6000 B_TAG=-mt2 Benchmarks/service/run.sh b
#
# Environment: HR_BIN (/tmp/hr-bench), URL (http://127.0.0.1:18080), OUT (results folder,
# default .local-bench/service-results/<UTC time>, git-ignored), REPEATS (3),
# A_CONNS ("4 8 16"), SERVER_PID (else found with `pgrep -f "serve --port <port>"`; for rss),
# B_BASE / B_TAG / VERIFY_OFFSET / C_OFFSET (user-list regions and a tag for b's file names, for
# measuring b under a second --model-threads setting without reusing a user id).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BIN="${HR_BIN:-/tmp/hr-bench}"
URL="${URL:-http://127.0.0.1:18080}"
PORT="${URL##*:}"
OUT="${OUT:-$ROOT/.local-bench/service-results/$(date -u +%Y%m%dT%H%M%SZ)}"
REPEATS="${REPEATS:-3}"
A_CONNS="${A_CONNS:-4 8 16}"
USERS_FILE="$OUT/users.txt"
# Regions of the shuffled user list (the demo shop has ~22,600 users with purchases): b takes
# slices of 1,000 per run from B_BASE (so [0, 6000) for 3 repeats; run b for a second server
# configuration with B_BASE=6000 so no id is reused), verify 5 ids after VERIFY_OFFSET (20000;
# use e.g. 20010 for a second configuration), c the 500 from C_OFFSET (21000). No region overlaps
# another, so no cache is pre-warmed.
B_SLICE="${B_SLICE:-1000}"
B_BASE="${B_BASE:-0}"
VERIFY_OFFSET="${VERIFY_OFFSET:-20000}"
C_OFFSET="${C_OFFSET:-21000}"
C_USERS=500   # c's warm users, from C_OFFSET

mkdir -p "$OUT"
log() { echo "[run.sh $(date -u +%H:%M:%S)] $*" | tee -a "$OUT/log.txt" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# Runs "$@" while sampling the load average every 5 s; prints the samples' 1-min values.
with_load() {
    local name=$1; shift
    local samples="$OUT/$name.load"
    echo "before $(loadavg)" >"$samples"
    ( while sleep 5; do echo "during $(loadavg)" >>"$samples"; done ) &
    local sampler=$!
    "$@"
    kill "$sampler" 2>/dev/null || true
    wait "$sampler" 2>/dev/null || true
    echo "after $(loadavg)" >>"$samples"
    log "$name load(1m): $(awk '{printf "%s ", $2}' "$samples")"
}

cmd_setup() {
    : "${DATABASE_URL:?source .local-bench/services.env and export DATABASE_URL REDIS_URL first}"
    local demo="$ROOT/.local-bench/demo"
    cd "$ROOT"
    log "models";   scripts/fetch-models.sh     # the bi-encoder for `embed` (git-ignored .models/)
    log "migrate";  /usr/bin/time -f "migrate: %e s wall, %M KB max RSS" "$BIN" migrate
    log "demo";     /usr/bin/time -f "demo generate: %e s wall, %M KB max RSS" \
                        "$BIN" demo generate --products 10000 --users 50000 --seed 42 --out "$demo"
    log "import";   /usr/bin/time -f "import: %e s wall, %M KB max RSS" \
                        "$BIN" import --catalog "$demo/products.ndjson" --events "$demo/events.ndjson"
    log "embed";    /usr/bin/time -f "embed: %e s wall, %M KB max RSS" "$BIN" embed
}

# Users with at least one purchase, in a fixed pseudo-random order (md5 of the id).
cmd_users() {
    : "${DATABASE_URL:?export DATABASE_URL}"
    psql "$DATABASE_URL" -Atc \
        "SELECT user_id FROM interactions WHERE type = 'purchase' GROUP BY user_id ORDER BY md5(user_id)" \
        >"$USERS_FILE"
    log "users: $(wc -l <"$USERS_FILE") users with purchases -> $USERS_FILE"
}

need_users() { [[ -s "$USERS_FILE" ]] || cmd_users; }

# explain=true on 5 never-seen users: the notes must say "window 20 of 20" and never "shrunk".
cmd_verify() {
    need_users
    local i user
    for i in $(seq 1 5); do
        user=$(sed -n "$((VERIFY_OFFSET + i))p" "$USERS_FILE")
        curl -sf "$URL/v1/recommendations/homepage?user_id=$user&limit=10&explain=true" >"$OUT/verify-$user.json"
        python3 - "$OUT/verify-$user.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
notes = [n for n in json.dumps(d.get("notes", d.get("explain", ""))).split('"') if "rerank" in n]
def find(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if k == "notes": yield v
            else: yield from find(v)
    elif isinstance(o, list):
        for v in o: yield from find(v)
notes = [n for ns in find(d) for n in (ns if isinstance(ns, list) else [ns]) if "rerank" in str(n)]
print(sys.argv[1].rsplit("verify-", 1)[1][:-5], d.get("timings_ms"), notes)
EOF
    done | tee -a "$OUT/log.txt"
}

wrk_run() { # name, wrk args... ; keeps the full wrk output
    local name=$1; shift
    with_load "$name" wrk "$@" >"$OUT/$name.txt" 2>&1 || true
    log "$name: $(grep -h 'Requests/sec\|Non-2xx\|Socket errors' "$OUT/$name.txt" | tr -s ' ' | tr '\n' ';')"
    log "$name: $(grep -h 'WRK_JSON\|WRK_WINDOW' "$OUT/$name.txt" | tr '\n' ' ')"
}

# 200 product-page paths for data other than the demo shop: available products and users with
# purchases, each in a fixed pseudo-random order (md5 of the id), paired in that order. a then
# reads them from $OUT/paths.txt (PATHS_FILE) instead of product.lua's demo-shop ids.
cmd_paths() {
    : "${DATABASE_URL:?export DATABASE_URL}"
    psql "$DATABASE_URL" -Atc "
        WITH p AS (SELECT id, row_number() OVER (ORDER BY md5(id)) AS n FROM products
                   WHERE deleted_at IS NULL AND in_stock AND id ~ '^[A-Za-z0-9_-]+$'),
             u AS (SELECT user_id, row_number() OVER (ORDER BY md5(user_id)) AS n
                   FROM (SELECT DISTINCT user_id FROM interactions WHERE type = 'purchase') AS buyers
                   WHERE user_id ~ '^[A-Za-z0-9_-]+$')
        SELECT '/v1/recommendations/product/' || p.id || '?user_id=' || u.user_id
        FROM p JOIN u USING (n) WHERE n <= 200 ORDER BY n" >"$OUT/paths.txt"
    log "paths: $(wc -l <"$OUT/paths.txt") product-page paths -> $OUT/paths.txt"
}

# product.lua's 200 paths: $OUT/paths.txt when `paths` made one, else the demo shop's.
a_paths() {
    if [[ -s "$OUT/paths.txt" ]]; then cat "$OUT/paths.txt"; return; fi
    local i
    for i in $(seq 1 200); do
        printf "/v1/recommendations/product/P%06d?user_id=U%06d\n" $(( i * 37 % 10000 + 1 )) $(( i * 211 % 50000 + 1 ))
    done
}

cmd_a() {
    local r c
    # Warm-up: each of product.lua's 200 paths once, sequentially (a cold product page costs a
    # ~0.3 s rerank, so a time-boxed wrk warm-up does not reach all 200), then a second pass with
    # explain=true that must report "0 scored" (every window pair cached) on all 200.
    log "a: warm-up, 200 product paths, then an explain=true check pass"
    local path cold=0 total=0
    while read -r path; do curl -s -o /dev/null "$URL$path"; done < <(a_paths)
    while read -r path; do
        total=$((total + 1))
        curl -s "$URL$path&explain=true" | grep -q '"rerank: window [0-9]* of [0-9]*, [0-9]* cached, 0 scored' || cold=$((cold + 1))
    done < <(a_paths)
    log "a: warm-up check: $cold of $total paths still scored pairs (want 0)"
    local paths_file=""
    [[ -s "$OUT/paths.txt" ]] && paths_file="$OUT/paths.txt"
    for r in $(seq 1 "$REPEATS"); do
        for c in $A_CONNS; do
            PATHS_FILE="$paths_file" wrk_run "a-c$c-r$r" -t2 -c"$c" -d20s --latency -s "$HERE/product.lua" "$URL"
        done
    done
}

cmd_b() {
    need_users
    local r offset end users
    # The runs take [B_BASE, end): refuse a layout that runs past the list or into the users that
    # verify (5 from VERIFY_OFFSET) or c ($C_USERS from C_OFFSET) request, which would be warm.
    end=$(( B_BASE + 2 * REPEATS * B_SLICE ))
    users=$(wc -l <"$USERS_FILE")
    if (( end > users )) \
        || (( B_BASE < VERIFY_OFFSET + 6 && end > VERIFY_OFFSET )) \
        || (( B_BASE < C_OFFSET + C_USERS && end > C_OFFSET )); then
        log "b: users [$B_BASE, $end) run past the $users users or overlap verify ($VERIFY_OFFSET) or c ($C_OFFSET); change B_BASE, B_SLICE or REPEATS"
        exit 2
    fi
    for r in $(seq 1 "$REPEATS"); do
        offset=$(( B_BASE + (2 * (r - 1)) * B_SLICE ))
        USERS_FILE="$USERS_FILE" USERS_OFFSET=$offset WRK_THREADS=1 \
            wrk_run "b${B_TAG:-}-c1-r$r" -t1 -c1 -d30s --latency -s "$HERE/homepage_cold.lua" "$URL"
        offset=$(( B_BASE + (2 * (r - 1) + 1) * B_SLICE ))
        USERS_FILE="$USERS_FILE" USERS_OFFSET=$offset WRK_THREADS=2 \
            wrk_run "b${B_TAG:-}-c2-r$r" -t2 -c2 -d30s --latency -s "$HERE/homepage_cold.lua" "$URL"
    done
}

cmd_c() {
    need_users
    local r
    log "c: warm-up, $C_USERS users, 2 sequential passes"
    python3 "$HERE/constant_rate.py" --url "$URL" --users-file "$USERS_FILE" --users-offset "$C_OFFSET" \
        --users "$C_USERS" --warmup --warmup-passes 2 | tee -a "$OUT/log.txt"
    for r in $(seq 1 "$REPEATS"); do
        with_load "c-r$r" python3 "$HERE/constant_rate.py" --url "$URL" --users-file "$USERS_FILE" \
            --users-offset "$C_OFFSET" --users "$C_USERS" --rate 200 --duration 60 --json "$OUT/c-r$r.json" \
            >"$OUT/c-r$r.txt" 2>&1 || true
        log "c-r$r: $(cat "$OUT/c-r$r.txt")"
    done
}

cmd_rss() {
    local pid="${SERVER_PID:-$(pgrep -f "serve --port $PORT" | head -1)}"
    log "server pid $pid: $(grep -h 'VmHWM\|VmRSS' /proc/"$pid"/status | tr -s ' \t' ' ' | tr '\n' ' ')threads $(ls /proc/"$pid"/task | wc -l)"
}

case "${1:-all}" in
    setup) cmd_setup ;;
    users) cmd_users ;;
    paths) cmd_paths ;;
    verify) cmd_verify ;;
    a) cmd_a ;;
    b) cmd_b ;;
    c) cmd_c ;;
    rss) cmd_rss ;;
    all) cmd_users; cmd_verify; cmd_a; cmd_b; cmd_c; cmd_rss ;;
    *) echo "usage: $0 [setup|users|paths|verify|a|b|c|rss|all]" >&2; exit 2 ;;
esac
log "results in $OUT"
