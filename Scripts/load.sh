#!/usr/bin/env bash
# Load figures for the Financbase API (Docs/service.md): wrk from Debian's packages, on loopback
# only, each run bounded in time, against the service on demo data (Scripts/serve.sh).
#
#   Scripts/load.sh                      # 10 s per run; routes × 1, 16, 64 connections
#   DURATION=30 SCALE=5 Scripts/load.sh  # longer runs, five times the demo volume
#
# Prints, per route and connection count: requests/s, p50 and p99 latency, the pool's mean wait
# for a connection, and the share of the service's request time spent in the driver (time in
# PostgreSQL operations / time in requests, both from /metrics). Then the correctness load:
# 1,000 concurrent requests from ten tenants, every row of every response checked to be its
# tenant's (the suite's CorrectnessLoadTests, at full size).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
duration="${DURATION:-10}"
scale="${SCALE:-1}"
source Scripts/lib/require-command.sh
require_command wrk

export DATABASE_POOL_SIZE="${POOL_SIZE:-8}" SEED_SCALE=$scale LOG_LEVEL=warning
source Scripts/lib/swift-build.sh
source Scripts/lib/serve-in-background.sh
client=$(curl -fsS -H "Authorization: Bearer $token" "$url/api/clients?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')

snapshot() { curl -fsS "$url/metrics" >"$1"; }
# Waits until the last run's requests have drained: wrk stops sending at the end of a run, but
# the requests queued for the pool by then still run, and their waits and durations would count
# in the next run's figures. Idle means no caller waits for a connection and none is lent out.
settle() {
    for _ in $(seq 1 600); do
        curl -fsS "$url/metrics" | python3 -c '
import re, sys
busy = 0.0
for line in sys.stdin:
    m = re.match(r"^db_client_connection_(pending_requests|count)(\{[^}]*\})? ([0-9.eE+-]+)$", line.strip())
    if m and (m.group(1) == "pending_requests" or "used" in (m.group(2) or "")):
        busy += float(m.group(3))
sys.exit(0 if busy == 0 else 1)' && return 0
        sleep 0.1
    done
    echo "the service did not drain within 60 s" >&2
    return 1
}
summary() {  # before after wrk-output route connections
    python3 - "$@" <<'PY'
import re, sys
before, after, wrk_out, route, conns = sys.argv[1:6]
def sums(path):
    totals = {}
    for line in open(path):
        m = re.match(r'^(\w+)(?:\{.*\})? ([0-9.eE+-]+)$', line.strip())
        if m and (m.group(1).endswith("_sum") or m.group(1).endswith("_count")):
            totals[m.group(1)] = totals.get(m.group(1), 0.0) + float(m.group(2))
    return totals
b, a = sums(before), sums(after)
d = lambda name: a.get(name, 0.0) - b.get(name, 0.0)
text = open(wrk_out).read()
rps = re.search(r"Requests/sec:\s+([0-9.]+)", text).group(1)
def pct(p):
    m = re.search(r"^\s+%s%%\s+([0-9.]+)(us|ms|s)" % p, text, re.M)
    if not m: return "?"
    v = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
    return "%.2f" % v
waits = d("db_client_connection_wait_time_count")
wait_ms = 1000 * d("db_client_connection_wait_time_sum") / waits if waits else 0.0
requests = d("http_server_request_duration_seconds_sum")
driver = d("db_client_operation_duration_sum")
share = "%.0f%%" % (100 * driver / requests) if requests else "—"
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print("| %s | %s | %s | %s | %s | %.3f | %s | %s |" % (route, conns, rps, pct(50), pct(99), wait_ms, share, errors.group(1) if errors else "0"))
PY
}

echo "service at $url (pool ${POOL_SIZE:-8}, seed scale $scale, ${duration}s per run, $(nproc) cores shared with wrk)"
echo
echo "| route | connections | requests/s | p50 ms | p99 ms | pool wait ms (mean) | time in driver | non-2xx |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for route in "/health/live" "/health/ready" "/api/dashboard" "/api/clients?limit=50" "/api/clients/$client"; do
    for connections in 1 16 64; do
        settle
        snapshot "$work/before"
        threads=$(( connections < 2 ? 1 : 2 ))
        wrk -t "$threads" -c "$connections" -d "${duration}s" --latency -H "Authorization: Bearer $token" "$url$route" >"$work/wrk" 2>&1
        snapshot "$work/after"
        summary "$work/before" "$work/after" "$work/wrk" "$(echo "$route" | sed "s/$client/:id/")" "$connections"
    done
done

echo
echo "correctness load: 1,000 concurrent requests from 10 tenants"
ulimit -n 8192 2>/dev/null || true
api_swift build --build-tests >/dev/null &&
    FINANCBASE_API_LOAD_REQUESTS=1000 FINANCBASE_API_LOAD_CONNECTIONS=1000 \
        api_swift test --skip-build --filter CorrectnessLoadTests 2>&1 | grep -E "✔|✘|issue" | grep -v "^db_"
