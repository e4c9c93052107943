#!/usr/bin/env bash
# Row-level security at the old system's scale: the real tenant tables plus generated ones up
# to 250 (the everyday suite uses 60), then migrate, audit, no context, cross-tenant and the
# role matrix over every table, each timed; one table broken on purpose must be the only one
# caught.
#
#   Scripts/tenant-tables.sh                       # 250 tenant tables
#   FINANCBASE_TENANT_TABLES=500 Scripts/tenant-tables.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-postgres
export FINANCBASE_TENANT_TABLES="${FINANCBASE_TENANT_TABLES:-250}"
exec swift test --filter TenantTableScaleTests
