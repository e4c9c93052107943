#!/usr/bin/env bash
# The main job: check a PostgreSQL server's health with pgping.
#
#   Scripts/pgping.sh                      # against a throwaway PostgreSQL 15 started for the run
#   Scripts/pgping.sh CONNINFO [FLAGS…]    # against the server CONNINFO (or PGHOST, …) names
#
# With no arguments and no PGHOST/PGWIRE_TEST_URL, a throwaway cluster is started (and removed
# afterwards) and pgping checks it three times over TLS with SCRAM.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "building (the first build compiles SwiftNIO, NIOSSL and swift-crypto: several minutes)…" >&2
if ! log=$(swift build --product pgping 2>&1); then echo "$log" >&2; exit 1; fi
if ! log=$(swift build --product pgwire-local-cluster 2>&1); then echo "$log" >&2; exit 1; fi
bin=$(swift build --show-bin-path)
if [ $# -gt 0 ] || [ -n "${PGHOST:-}" ]; then
    exec "$bin/pgping" "$@"
fi
if [ -n "${PGWIRE_TEST_URL:-}" ]; then
    exec "$bin/pgping" "$PGWIRE_TEST_URL" --count 3 --interval 0.5
fi
bash .ci/install-postgres
exec "$bin/pgwire-local-cluster" -- "$bin/pgping" --count 3 --interval 0.5
