#!/usr/bin/env bash
# Builds the DocC documentation of every library module (a catalog each, in Sources/<module>/
# <module>.docc) with swift-docc-plugin. A warning (a broken symbol link, an undocumented
# parameter, a bad article) fails the run. Archives land in .build/plugins/Swift-DocC/outputs/.
#
#   Scripts/docs.sh            every module
#   Scripts/docs.sh PGClient   one module
set -euo pipefail
cd "$(dirname "$0")/.."
modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then
    modules=(PGWire PGClient Financbase PGLocalCluster)
fi
for module in "${modules[@]}"; do
    echo "== documentation for $module"
    swift package generate-documentation --target "$module" --warnings-as-errors
done
