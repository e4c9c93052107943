#!/usr/bin/env bash
# Starts the Financbase API (Examples/financbase-api) on demo data and prints its URL and a
# bearer token to try it with.
#
#   Scripts/serve.sh                                   # a throwaway PostgreSQL 15, migrated and seeded
#   DATABASE_URL=postgres://admin@host/db Scripts/serve.sh   # an administrator's URL: migrated, seeded
#
# SWIFT_CONFIGURATION (debug; release for figures a deployment would see), PORT (8080), HOST (127.0.0.1), DATABASE_POOL_SIZE, SEED_SCALE (1), FINANCBASE_JWT_KEY (made at random when unset) and
# FINANCBASE_APP_PASSWORD (the role financbase_app's; made at random when unset, and required
# when that role already exists on DATABASE_URL's server) are read from the environment.
# Stop it with Ctrl-C (SIGINT) or SIGTERM: requests in flight finish, then the pool drains, and a
# throwaway cluster is removed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source Scripts/lib/swift-build.sh

if [ "${1:-}" != "--inner" ]; then
    echo "building (the first build of the service compiles Hummingbird and its dependencies: several minutes)…" >&2
    if ! log=$(root_swift build --product financbase-db 2>&1 && root_swift build --product pgwire-local-cluster 2>&1); then
        echo "$log" >&2; exit 1
    fi
    if ! log=$(api_swift build --product financbase-api 2>&1); then echo "$log" >&2; exit 1; fi
    export FINANCBASE_JWT_KEY="${FINANCBASE_JWT_KEY:-$(openssl rand -hex 32)}"
    export FINANCBASE_APP_PASSWORD="${FINANCBASE_APP_PASSWORD:-$(openssl rand -hex 16)}"
    if [ -n "${DATABASE_URL:-}" ]; then
        exec "$0" --inner "$DATABASE_URL"
    fi
    bash .ci/install-postgres >&2
    # Not exec: a signal to pgwire-local-cluster would end it before it removes its cluster. The
    # signal goes to the service instead (its pid in a file the inner run writes); when the
    # service has drained, the inner run ends and pgwire-local-cluster stops the cluster.
    export SERVE_PID_FILE
    SERVE_PID_FILE=$(mktemp)
    "$(root_swift build --show-bin-path)/pgwire-local-cluster" --no-tls -- "$0" --inner &
    cluster=$!
    stop() { [ -s "$SERVE_PID_FILE" ] && kill -TERM "$(cat "$SERVE_PID_FILE")" 2>/dev/null || true; }
    trap stop INT TERM
    status=0
    wait "$cluster" || status=$?
    # A signal interrupts the first wait; wait again for the cluster's removal.
    wait "$cluster" 2>/dev/null || true
    rm -f "$SERVE_PID_FILE"
    exit "$status"
fi

# Inside: an administrator's URL (given, or the throwaway cluster's from PG* variables).
admin_url="${2:-postgres://${PGUSER}:${PGPASSWORD}@${PGHOST}:${PGPORT}/${PGDATABASE}?sslmode=disable}"
bin="$(root_swift build --show-bin-path)"
"$bin/financbase-db" migrate --url "$admin_url" >&2
seeded=$("$bin/financbase-db" seed --url "$admin_url" --scale "${SEED_SCALE:-1}")
echo "$seeded" >&2
admin_user=$(echo "$seeded" | sed -n 's/.*admin user \([0-9a-f-]*\).*/\1/p' | head -1)
token=$("$bin/financbase-api" token "user_${admin_user}")
cat >&2 <<TEXT

A bearer token for the first organization's admin (valid 12 hours):
  export TOKEN='${token}'
  curl -H "Authorization: Bearer \$TOKEN" http://${HOST:-127.0.0.1}:${PORT:-8080}/api/dashboard
TEXT
# The service connects as financbase_app (FINANCBASE_APP_PASSWORD) to the administrator's database.
DATABASE_URL="$admin_url" "$bin/financbase-api" &
service=$!
[ -n "${SERVE_PID_FILE:-}" ] && echo "$service" >"$SERVE_PID_FILE"
trap 'kill -TERM "$service" 2>/dev/null || true' INT TERM
wait "$service" || true
wait "$service" 2>/dev/null || true
