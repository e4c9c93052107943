#!/usr/bin/env bash
# Instructions the client runs per operation, counted by valgrind (cachegrind): exact and the
# same from run to run, where times on a shared two-core machine swing by 10 % or more. For
# changes of a few percent to the driver's path (Docs/benchmarks.md, "Counting instructions").
#
#   Scripts/bench-instructions.sh                                  # param_seq, param_seq_pinned, no_socket
#   WORKLOADS=select1_seq,pipeline_100 Scripts/bench-instructions.sh
#   URL="host=/tmp port=5432 user=postgres" Scripts/bench-instructions.sh
#   COLD=1 Scripts/bench-instructions.sh                           # also no_socket's cold cache lines
#
# Each workload runs twice, with OPS and 3 × OPS operations (default 2000), in a release build
# of pgwire-bench (the Swift runtime linked in) without its debug information (valgrind cannot read Swift's DWARF 5); the
# difference divided by 2 × OPS is the instructions of one operation, everything the run does
# once (start, connect, warm-up) cancelled out. All threads of the client count (its event
# loop, Swift's global executor), the server and the kernel do not. `no_socket` is
# `--no-socket`'s statement alone, on an EmbeddedChannel. With COLD=1, `no_socket` also runs
# with the caches emptied before each statement (a simulated 32 KiB first-level instruction
# cache, 48 KiB data, 2 MiB last level) and prints the cache lines a statement brings in from
# memory: what a statement touches, which is what a sequential statement waits for.
#
# Without URL, each run starts a throwaway cluster of its own (pgwire-bench does).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
ops="${OPS:-2000}"
workloads="${WORKLOADS:-param_seq,param_seq_pinned,no_socket}"
source Scripts/lib/require-command.sh
require_command valgrind

# Built as Docs/benchmarks.md builds it: the Swift runtime linked in, as a service is deployed.
swift build -c release --static-swift-stdlib --scratch-path .build-bench --product pgwire-bench >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp .build-bench/release/pgwire-bench "$work/pgwire-bench"
strip --strip-debug "$work/pgwire-bench"

url_arguments=()
[[ -n "${URL:-}" ]] && url_arguments=(--url "$URL")

# count NAME OPS CACHEGRIND-OPTIONS...: one run of the command in `bench` under cachegrind;
# prints its output file.
count() {
    local name=$1 n=$2
    shift 2
    local out="$work/$name.$n.out"
    valgrind --tool=cachegrind "$@" --cachegrind-out-file="$out" "${bench[@]}" --ops "$n" >"$work/$name.$n.log" 2>&1 || {
        echo "$name with $n operations failed under valgrind:" >&2
        tail -20 "$work/$name.$n.log" >&2
        exit 1
    }
    echo "$out"
}

# per_operation NAME FIRST-OUT SECOND-OUT OPERATIONS-BETWEEN: the difference of two runs, per
# operation. Cold runs: the lines brought in from memory (ILmr + DLmr + DLmw) of every function
# but the one that empties the caches.
per_operation() {
    python3 - "$@" <<'PY'
import sys
name, first, second, between = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def load(path):
    events, totals, function = None, {}, None
    for line in open(path):
        if line.startswith("events:"):
            events = line.split()[1:]
        elif line.startswith("fn="):
            function = line[3:].strip()
        elif line[:1].isdigit():
            counts = [int(x) for x in line.split()[1:]]
            kept = totals.setdefault("evict" if "5evict" in function else "rest", [0] * len(counts))
            for i, c in enumerate(counts):
                kept[i] += c
    return events, totals["rest"]
events, a = load(first)
_, b = load(second)
per = {e: (y - x) / between for e, x, y in zip(events, a, b)}
if "ILmr" not in per:
    print(f"INSTRUCTIONS name={name} per_op={per['Ir']:.0f}")
else:
    data = per["DLmr"] + per["DLmw"]
    print(f"COLD_LINES name={name} per_statement={per['ILmr'] + data:.0f} instruction_lines={per['ILmr']:.0f} data_lines={data:.0f} instructions={per['Ir']:.0f}")
PY
}

cache=(--cache-sim=yes --I1=32768,8,64 --D1=49152,12,64 --LL=2097152,16,64)
for workload in ${workloads//,/ }; do
    if [[ $workload == no_socket ]]; then
        bench=("$work/pgwire-bench" --no-socket --no-socket-runs warm --repeat 1)
    else
        # Without the loop's polls for a pinned caller's answer: how many run depends on time.
        bench=("$work/pgwire-bench" "${url_arguments[@]}" --workloads "$workload" --repeat 1 --spin-before-sleeping 0 --caller-spin 0)
    fi
    first=$(count "$workload" "$ops" --cache-sim=no)
    second=$(count "$workload" $((3 * ops)) --cache-sim=no)
    per_operation "$workload" "$first" "$second" $((2 * ops))
done
if [[ -n "${COLD:-}" ]]; then
    # A cold run's statements are a twentieth of --ops (at least 100): 1,000 and 3,000 here.
    bench=("$work/pgwire-bench" --no-socket --no-socket-runs cold)
    first=$(count no_socket_cold 20000 "${cache[@]}")
    second=$(count no_socket_cold 60000 "${cache[@]}")
    per_operation no_socket_cold "$first" "$second" 2000
fi
