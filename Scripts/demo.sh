#!/usr/bin/env bash
# The main job: the whole Financbase data layer in one run.
#
#   Scripts/demo.sh                        # against a throwaway PostgreSQL 15 started for the run
#   DATABASE_URL=postgres://admin@host/db Scripts/demo.sh
#   Scripts/demo.sh --url URL [--scale N] [--seed N]
#
# Migrates, seeds two organizations through the application role, prints each one's dashboard,
# shows that neither tenant sees the other's rows, and audits row-level security. With no
# --url and no DATABASE_URL, PostgreSQL 15 is installed if missing (.ci/install-postgres) and a
# throwaway cluster is started and removed afterwards. With a URL, it must be an administrator's;
# set FINANCBASE_APP_PASSWORD when the role financbase_app already exists there.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "building (the first build compiles SwiftNIO, NIOSSL and swift-crypto: several minutes)…" >&2
if ! log=$(swift build --product financbase-db 2>&1); then echo "$log" >&2; exit 1; fi
bin=$(swift build --show-bin-path)
has_url=false
for argument in "$@"; do
    case "$argument" in --url | --url=*) has_url=true ;; esac
done
if [ "$has_url" = false ] && [ -z "${DATABASE_URL:-}" ]; then
    bash .ci/install-postgres
fi
exec "$bin/financbase-db" demo "$@"
