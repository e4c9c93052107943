#!/usr/bin/env bash
# Runs the whole test suite. Integration tests start their own throwaway PostgreSQL 15 (or use
# PGWIRE_TEST_URL when it is set), so the server binaries must be installed: this installs them
# when they are missing (Debian/Ubuntu, as root or with sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-postgres
exec swift test "$@"
