#!/usr/bin/env bash
# The dashboard plans at full scale: every area's largest table generated with a million rows
# (the everyday suite uses 200,000), each dashboard query's custom and generic plan checked, and
# its median time printed.
#
#   Scripts/plans.sh                 # 1,000,000 rows per area's largest table
#   FINANCBASE_PLAN_ROWS=5000000 Scripts/plans.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-postgres
export FINANCBASE_PLAN_ROWS="${FINANCBASE_PLAN_ROWS:-1000000}"
exec swift test --filter DashboardPlanTests
