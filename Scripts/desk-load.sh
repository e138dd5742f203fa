#!/usr/bin/env bash
# A bounded load test of the desk on loopback: signed-in sessions at once over a log.
#   Scripts/desk-load.sh [CASES] [SESSIONS] [ROUNDS]
# The log is the 2019 fixture (its roster: 40 officers) or, with CASES, the cases of
# `sinmungo generate --cases CASES --seed 1` (about five events a case) with the officers
# they name put on the roster; kept in .build-bench/ so that a second run skips making it. SESSIONS (default 50) sign in at
# once, officers taking more than one session when the roster has fewer; each reads its
# work list, a search and case pages ROUNDS times. Release build. Prints page times
# (median, p95, p99) and failures; exits non-zero when a request failed.
# PAUSE=SECONDS makes each session wait that long before each page, as an officer reading
# it would; without it every session asks again at once and the server is saturated.
# DESK_BEFORE=path/to/an/older/sinmungo-desk runs the same load against it first, on the
# same log, for a before-and-after in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-0}
sessions=${2:-50}
rounds=${3:-20}
# BUILD_PATH picks SwiftPM's scratch folder (default .build).
build=(swift build -c release --scratch-path "${BUILD_PATH:-.build}")
"${build[@]}" --product sinmungo >/dev/null 2>&1
"${build[@]}" --product sinmungo-desk >/dev/null 2>&1
bin=$("${build[@]}" --show-bin-path)
mkdir -p .build-bench
log=".build-bench/desk-load-$cases.sqlite"
work=$(mktemp -d)
desk_pid=""
stop_desk() {
    if [ -n "$desk_pid" ]; then kill "$desk_pid" 2>/dev/null || true; wait "$desk_pid" 2>/dev/null || true; fi
    desk_pid=""
}
cleanup() { stop_desk; rm -rf "$work"; }
trap cleanup EXIT
export SINMUNGO_DB="$log"
if [ ! -s "$log" ]; then
    rm -f "${log%.sqlite}".*
    if [ "$cases" -gt 0 ]; then
        # A synthetic log starts empty; its departments and officers are then put on the roster.
        echo "generating $cases cases into $log ..."
        "$bin/sinmungo" generate --cases "$cases" --seed 1 >/dev/null
        "$bin/sinmungo" roster adopt --actor load-admin --reason "desk load test" >/dev/null 2>&1
    else
        "$bin/sinmungo" init >/dev/null
        "$bin/sinmungo" import Fixtures/yeongdeungpo-2019.jsonl >/dev/null 2>&1
    fi
fi
roster=$("$bin/sinmungo" roster list --format json | python3 -c '
import json, sys
rows = json.load(sys.stdin)
rows = rows if isinstance(rows, list) else rows.get("officers", [])
print(" ".join(r.get("id") or r.get("officer") for r in rows if r.get("kind", "officer") == "officer"))')
# SESSIONS sessions, taking the roster's officers in turn.
officers=$(python3 -c 'import sys; o = sys.argv[2:]; print(" ".join(o[i % len(o)] for i in range(int(sys.argv[1]))))' "$sessions" $roster)
for officer in $(printf '%s\n' $officers | sort -u); do
    echo "load-test-password" | "$bin/sinmungo-desk" password --db "$SINMUNGO_DB" "$officer" >/dev/null
done
echo "log: $("$bin/sinmungo" head) · $sessions sessions of $(printf '%s\n' $officers | sort -u | wc -l) officers · $rounds rounds"
run() {
    local label=$1 desk=$2
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$desk" serve --db "$SINMUNGO_DB" --port "$port" >"$work/desk.log" 2>&1 &
    desk_pid=$!
    # The first start on a log builds the work list's index: minutes on millions of events.
    for _ in $(seq 1 3000); do
        python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/sign-in')" 2>/dev/null && break
        kill -0 "$desk_pid" 2>/dev/null || { cat "$work/desk.log" >&2; exit 1; }
        sleep 0.2
    done
    echo -n "$label: "
    python3 Scripts/desk_load.py "http://127.0.0.1:$port" load-test-password $officers --rounds "$rounds" \
        --cases PET-2019-0001,PET-2019-0050,PRO-2019-0001,PET-2019-0100 --search 주정차 --pause "${PAUSE:-0}" || status=1
    stop_desk
}
status=0
if [ -n "${DESK_BEFORE:-}" ]; then run "before ($DESK_BEFORE)" "$DESK_BEFORE"; fi
run "desk" "$bin/sinmungo-desk"
exit $status
