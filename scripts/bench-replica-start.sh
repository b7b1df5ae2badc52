#!/usr/bin/env bash
# How long a replica with a saved HNSW index takes to serve a large catalog (issue #23's "a replica
# with a saved 1M index is serving within 30 s of start").
#
# In a database of its own it builds a catalog of $PRODUCTS products: the demo shop's catalog and
# its MiniLM embeddings, tiled, each copy's vectors moved by a small random perturbation and
# re-normalised. One `serve --vector-index hnsw` reads every embedding, builds the graph and saves
# the index at shutdown; then `serve` is started $ROUNDS times with that snapshot, and each start is
# timed from launch to the first product-page answer whose items carry content scores (the HNSW
# index answering), with `/health` reporting the whole catalog. Between two starts one product is
# upserted through the API: the next start must catch it up from the snapshot's watermark and list
# it on the next request.
#
#   scripts/bench-replica-start.sh                 # 1,000,000 products, 3 timed starts
#   PRODUCTS=200000 ROUNDS=2 scripts/bench-replica-start.sh
#
# Needs the release binary (`swift build -c release --product hybridrank`) and the models
# (`scripts/fetch-models.sh`). Writes $OUT/report.txt and the servers' logs.
set -euo pipefail
cd "$(dirname "$0")/.."
PRODUCTS="${PRODUCTS:-1000000}"
BASE_PRODUCTS="${BASE_PRODUCTS:-10000}"
ROUNDS="${ROUNDS:-3}"
PORT="${PORT:-18790}"
BIN="${BIN:-.build/release/hybridrank}"
OUT="${OUT:-.data/bench/replica-start-$PRODUCTS}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
SNAPSHOT="$OUT/vectors.hnsw"

scripts/services.sh start >/dev/null
# shellcheck disable=SC1091
source .local/services.env
DB="hybridrank_start_$PRODUCTS"
ADMIN_URL="$POSTGRES_URL"
export DATABASE_URL="${POSTGRES_URL%/*}/$DB"
# A Redis database of its own: the run flushes it.
export REDIS_URL="${REDIS_URL%/}/7"
export HYBRIDRANK_VECTOR_SNAPSHOT="$SNAPSHOT"
export HYBRIDRANK_VECTOR_SNAPSHOT_SECONDS=100000

report() { echo "$*" | tee -a "$OUT/report.txt"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

: > "$OUT/report.txt"
report "replica start with a saved HNSW index: $PRODUCTS products, $(git rev-parse --short HEAD), $(date -u +%FT%TZ)"
report "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ "${REUSE_CATALOG:-0}" != 1 ]] || ! psql "$ADMIN_URL" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
    "$BIN" migrate
    if [[ ! -f "$OUT/demo/products.ndjson" ]]; then
        "$BIN" demo generate --products "$BASE_PRODUCTS" --users 2000 --seed 42 --out "$OUT/demo"
    fi
    "$BIN" import --catalog "$OUT/demo/products.ndjson" --events "$OUT/demo/events.ndjson"
    "$BIN" embed
    copies=$(( (PRODUCTS + BASE_PRODUCTS - 1) / BASE_PRODUCTS - 1 ))
    started=$(now)
    # Copies k = 1 … copies of every product; the last copy is cut to reach exactly $PRODUCTS.
    psql -q -v ON_ERROR_STOP=1 "$DATABASE_URL" <<SQL
INSERT INTO products (id, name, description, category, price, currency, stock_quantity, in_stock, promoted)
SELECT p.id || '-t' || k, p.name || ' ' || k, p.description, p.category, p.price, p.currency,
       p.stock_quantity, p.in_stock, p.promoted
FROM products p CROSS JOIN generate_series(1, $copies) AS k
ORDER BY k, p.id
LIMIT $PRODUCTS - $BASE_PRODUCTS;
INSERT INTO product_embeddings (product_id, model_version, vector)
SELECT t.id, e.model_version, n.vector
FROM products t
JOIN product_embeddings e ON e.product_id = split_part(t.id, '-t', 1)
CROSS JOIN LATERAL (
    SELECT array_agg(x / norm ORDER BY i) AS vector
    FROM (SELECT i, x, sqrt(sum(x * x) OVER ()) AS norm
          FROM (SELECT i, v + (random()::real - 0.5) * 0.02 AS x
                FROM unnest(e.vector) WITH ORDINALITY AS u(v, i)) AS moved) AS normed
) AS n
WHERE t.id LIKE '%-t%';
ANALYZE products; ANALYZE product_embeddings;
SQL
    report "tiled in $(elapsed "$started" "$(now)") s"
fi
report "catalog: $(psql -tAc 'SELECT count(*) FROM products' "$DATABASE_URL") products, $(psql -tAc 'SELECT count(*) FROM product_embeddings' "$DATABASE_URL") embeddings"

PID=""
stop_server() {
    [[ -n "$PID" ]] || return 0
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    PID=""
}
trap stop_server EXIT

# 0 when the product page of $1 lists items with content scores.
content_answer() {
    curl -sf "http://127.0.0.1:$PORT/v1/recommendations/product/$1?limit=10&explain=true" 2>/dev/null \
        | python3 -c 'import json,sys; items=json.load(sys.stdin)["items"]; sys.exit(0 if any((i.get("explain") or {}).get("content") for i in items) else 1)'
}

# Launches `serve` (PID), returns once the product page of $1 lists items with content scores.
# Sets the seconds to: listening, the whole catalog in /health, the first content answer.
serve_and_time() {
    local anchor="$1" log="$2" started
    listening="" loaded="" answered=""
    started=$(now)
    "$BIN" serve --port "$PORT" --vector-index hnsw >"$log" 2>&1 &
    PID=$!
    local deadline=$(( $(date +%s) + 3600 ))
    while (( $(date +%s) < deadline )); do
        kill -0 "$PID" 2>/dev/null || { echo "serve exited; see $log" >&2; return 1; }
        local health
        if health=$(curl -sf "http://127.0.0.1:$PORT/health" 2>/dev/null); then
            [[ -n "$listening" ]] || listening=$(elapsed "$started" "$(now)")
            if [[ -z "$loaded" ]] && python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["catalog_products"] >= int(sys.argv[1]) else 1)' "$PRODUCTS" <<<"$health"; then
                loaded=$(elapsed "$started" "$(now)")
            fi
            if [[ -n "$loaded" ]] && content_answer "$anchor"; then
                answered=$(elapsed "$started" "$(now)")
                break
            fi
        fi
        sleep 0.1
    done
}

ANCHOR="$(psql -tAc "SELECT id FROM products WHERE id LIKE '%-t1' ORDER BY id LIMIT 1" "$DATABASE_URL")"
redis-cli -u "$REDIS_URL" FLUSHDB >/dev/null 2>&1 || true

if [[ "${REUSE_SNAPSHOT:-0}" != 1 || ! -f "$SNAPSHOT" ]]; then
    rm -f "$SNAPSHOT"
    serve_and_time "$ANCHOR" "$OUT/serve-build.log"
    report "without a snapshot: listening ${listening} s, catalog loaded ${loaded} s, first content answer ${answered} s (exact search while the graph builds)"
    started=$(now)
    until grep -q "HNSW index built" "$OUT/serve-build.log"; do
        kill -0 "$PID" 2>/dev/null || { echo "serve exited during the build" >&2; exit 1; }
        sleep 2
    done
    report "graph built $(elapsed "$started" "$(now)") s after the first answer: $(grep -o '"seconds[^,}]*' "$OUT/serve-build.log" | tail -1; grep 'HNSW index built' "$OUT/serve-build.log" | tail -1 | cut -c1-200)"
    started=$(now)
    stop_server
    report "shutdown with the snapshot write: $(elapsed "$started" "$(now)") s, $(du -m "$SNAPSHOT" | cut -f1) MB"
fi

offline=""
for round in $(seq 1 "$ROUNDS"); do
    serve_and_time "$ANCHOR" "$OUT/serve-start-$round.log"
    rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$PID/status")
    report "start $round from the snapshot: listening ${listening} s, catalog loaded ${loaded} s, serving HNSW content ${answered} s, RSS ${rss} MB"
    grep -h "vector index loaded from its snapshot\|state loaded" "$OUT/serve-start-$round.log" | cut -c1-240 >>"$OUT/report.txt" || true
    if [[ -n "$offline" ]]; then
        # Written to PostgreSQL while no replica ran, after the snapshot's watermark: the
        # reconciler's first round (catalogSyncInterval after the load) catches it up.
        served=$(now) caught=""
        for _ in $(seq 1 100); do
            if content_answer "$offline"; then caught=$(elapsed "$served" "$(now)"); break; fi
            sleep 0.1
        done
        report "  $offline (written while the replica was down) answers with content ${caught:-NOT within 10} s after the first answer"
    fi
    # An upsert while it serves: searchable on the next request.
    probe="start-probe-$(date +%s)-$round"
    body="$(psql -tAc "SELECT json_build_object('name', name || ' probe', 'description', description, 'category', category, 'price', price) FROM products WHERE id = '$ANCHOR'" "$DATABASE_URL")"
    if curl -sf -X PUT "http://127.0.0.1:$PORT/v1/products/$probe" -H 'content-type: application/json' -d "$body" >/dev/null; then
        if content_answer "$probe"; then report "  upsert of $probe: its product page answers with content on the next request"
        else report "  upsert of $probe: NOT answered with content on the next request"; fi
    else
        report "  upsert of $probe failed"
    fi
    stop_server
    # A product and its embedding written while the replica is down (as another replica would).
    offline="start-offline-$(date +%s)-$round"
    psql -q -v ON_ERROR_STOP=1 "$DATABASE_URL" <<SQL
INSERT INTO products (id, name, description, category, price)
SELECT '$offline', name || ' offline', description, category, price FROM products WHERE id = '$ANCHOR';
INSERT INTO product_embeddings (product_id, model_version, vector)
SELECT '$offline', model_version, vector FROM product_embeddings WHERE product_id = '$ANCHOR';
SQL
done
report "done; logs in $OUT"
