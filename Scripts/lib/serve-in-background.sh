# Sourced by browser-check.sh and load.sh: starts Scripts/serve.sh in the background on a free
# loopback port (the caller's environment passes on: DATABASE_POOL_SIZE, SEED_SCALE, LOG_LEVEL),
# waits until it listens, and sets `work` (a temporary folder), `url` and `token` (the demo
# admin's bearer token). The service is stopped with SIGTERM and the folder removed on exit.
work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PORT=$port Scripts/serve.sh >"$work/out" 2>"$work/err" &
server=$!
cleanup() {
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 1200); do
    grep -q "listening on" "$work/out" 2>/dev/null && break
    kill -0 "$server" 2>/dev/null || { cat "$work/err" >&2; echo "the service did not start" >&2; exit 1; }
    sleep 0.5
done
url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/out" | head -1)
[ -n "$url" ] || { echo "the service did not start in time" >&2; exit 1; }
token=$(sed -n "s/.*export TOKEN='\([^']*\)'.*/\1/p" "$work/err" | head -1)
