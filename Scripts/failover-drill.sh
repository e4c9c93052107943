#!/usr/bin/env bash
# The failover drill: a pg_auto_failover formation (a monitor, a primary and a secondary, all on
# this machine, on loopback) under tenant payments, failed over with `pg_autoctl perform
# failover`; afterwards every payment the caller was told succeeded must be stored exactly once
# and every unknown one resolved by the commit resolver. Prints the figures (lines `DRILL …`):
# the time from the failover to the first failed and to the first successful write after it.
#
#   Scripts/failover-drill.sh              # builds the tests if needed, runs the drill once
#   PGWIRE_DRILL_WRITERS=16 Scripts/failover-drill.sh
#   PGWIRE_DRILL_KEEP=1 Scripts/failover-drill.sh   # leaves the formation and its logs in /tmp/pgdrill.*
#
# Needs `apt-get install postgresql-15-auto-failover` (pg_autoctl) next to PostgreSQL 15. The
# servers run as the `postgres` user, like every server the tests start. Too heavy for every CI
# run on two cores; its figures are in the PGClient documentation (Replicas and Poolers).
set -euo pipefail
cd "$(dirname "$0")/.."

pg_bin=${PGWIRE_PG_BIN:-/usr/lib/postgresql/15/bin}
command -v pg_autoctl >/dev/null || {
    echo "failover-drill: pg_autoctl missing: apt-get install postgresql-15-auto-failover" >&2
    exit 1
}

work=$(mktemp -d /tmp/pgdrill.XXXXXX)
chmod 0755 "$work"
[[ $(id -u) -eq 0 ]] && chown postgres: "$work"
pids=()

# pg_autoctl as the server's account, with its configuration and state under $work.
as_pg() {
    local env=(env "PATH=$pg_bin:$PATH" "HOME=$work" "XDG_CONFIG_HOME=$work/config"
        "XDG_DATA_HOME=$work/share" "XDG_RUNTIME_DIR=$work/run" "PG_CONFIG=$pg_bin/pg_config")
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "${env[@]}" "$@"; else "${env[@]}" "$@"; fi
}

cleanup() {
    if [[ -n ${PGWIRE_DRILL_KEEP:-} ]]; then echo "failover-drill: kept $work (stop its nodes yourself)" >&2; return; fi
    for node in node2 node1 monitor; do
        [[ -d $work/$node ]] && as_pg pg_autoctl stop --pgdata "$work/$node" --immediate >/dev/null 2>&1 || true
    done
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# A port nothing listens on, from a random start.
free_port() {
    local port=$((20000 + RANDOM % 20000))
    while (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done
    echo "$port"
}

# Runs a pg_autoctl node service in the background, its output in $work/<node>.log.
run_node() {
    as_pg pg_autoctl run --pgdata "$work/$1" >"$work/$1.log" 2>&1 &
    pids+=($!)
}

# Waits until `condition` (a command) succeeds; gives up after $2 seconds.
wait_for() {
    local deadline=$((SECONDS + $2))
    until eval "$1" >/dev/null 2>&1; do
        if ((SECONDS > deadline)); then echo "failover-drill: timed out waiting for: $1" >&2; tail -n 20 "$work"/*.log >&2; exit 1; fi
        sleep 0.5
    done
}

echo "== building the tests (once)" >&2
swift build --build-tests >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 1; }

echo "== monitor, primary, secondary" >&2
as_pg pg_autoctl create monitor --pgdata "$work/monitor" --pgport "$(free_port)" --hostname 127.0.0.1 \
    --auth trust --no-ssl >"$work/create-monitor.log" 2>&1
run_node monitor
# `pg_autoctl run` rewrites its configuration as it starts: read the URI once the monitor answers.
monitor_uri=
wait_for 'monitor_uri=$(as_pg pg_autoctl show uri --pgdata "$work/monitor" --formation monitor) && as_pg psql -Atq "$monitor_uri" -c "SELECT 1"' 60

for node in node1 node2; do
    as_pg pg_autoctl create postgres --pgdata "$work/$node" --pgport "$(free_port)" --hostname 127.0.0.1 \
        --name "$node" --auth trust --no-ssl --monitor "$monitor_uri" --dbname postgres \
        >"$work/create-$node.log" 2>&1
    # Every role may reach every database over loopback (the drill makes its own database).
    echo "host all all 127.0.0.1/32 trust" >>"$work/$node/pg_hba.conf"
    run_node "$node"
    wait_for "as_pg psql -Atq '$monitor_uri' -c \"SELECT 1 FROM pgautofailover.node WHERE nodename = '$node' AND reportedstate IN ('single', 'primary', 'secondary') AND reportedstate = goalstate\" | grep -q 1" 180
done
wait_for "as_pg psql -Atq '$monitor_uri' -c \"SELECT count(*) FROM pgautofailover.node WHERE reportedstate IN ('primary', 'secondary') AND reportedstate = goalstate\" | grep -qx 2" 180
as_pg pg_autoctl show state --pgdata "$work/monitor" >&2

uri=$(as_pg pg_autoctl show uri --pgdata "$work/monitor" --formation default)
echo "== formation URI: $uri" >&2

failover="runuser -u postgres -- env PATH=$pg_bin:$PATH HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/share XDG_RUNTIME_DIR=$work/run pg_autoctl perform failover --pgdata $work/monitor"
[[ $(id -u) -eq 0 ]] || failover="env PATH=$pg_bin:$PATH HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/share XDG_RUNTIME_DIR=$work/run pg_autoctl perform failover --pgdata $work/monitor"

echo "== payments under load, failover, checks" >&2
status=0
PGWIRE_DRILL_URI="$uri" PGWIRE_DRILL_FAILOVER="$failover" \
    swift test --skip-build --filter FailoverDrill >"$work/drill.log" 2>&1 || status=$?
grep -E "^DRILL|✘|error:" "$work/drill.log" || true
as_pg pg_autoctl show state --pgdata "$work/monitor" >&2 || true
if ((status != 0)); then tail -40 "$work/drill.log" >&2; fi
exit "$status"
