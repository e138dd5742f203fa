#!/usr/bin/env bash
# A bounded load test of the desk on loopback: 50 signed-in sessions at once over a log.
#   Scripts/desk-load.sh [EVENTS] [SESSIONS] [ROUNDS]
# With EVENTS, the log is the 2019 fixture plus `sinmungo generate` cases up to about that
# many events; without, the fixture alone. Release build. Prints page times (median, p95,
# p99) and failures; exits non-zero when a request failed.
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-0}
sessions=${2:-50}
rounds=${3:-20}
swift build -c release --product sinmungo >/dev/null 2>&1
swift build -c release --product sinmungo-desk >/dev/null 2>&1
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
desk_pid=""
cleanup() {
    if [ -n "$desk_pid" ]; then kill "$desk_pid" 2>/dev/null || true; wait "$desk_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
export SINMUNGO_DB="$work/load.sqlite"
"$bin/sinmungo" init >/dev/null
"$bin/sinmungo" import Fixtures/yeongdeungpo-2019.jsonl >/dev/null 2>&1
if [ "$events" -gt 0 ]; then
    "$bin/sinmungo" generate --cases $((events / 5)) --seed 7 --actor ydp-0412 >/dev/null 2>&1
fi
officers=$("$bin/sinmungo" roster list --format json | python3 -c '
import json, sys
rows = json.load(sys.stdin)
rows = rows if isinstance(rows, list) else rows.get("officers", [])
print(" ".join(r.get("id") or r.get("officer") for r in rows if r.get("kind", "officer") == "officer")[:100000])')
set -- $officers
officers=$(printf '%s\n' "$@" | head -n "$sessions" | tr '\n' ' ')
for officer in $officers; do
    echo "load-test-password" | "$bin/sinmungo-desk" password --db "$SINMUNGO_DB" "$officer" >/dev/null
done
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin/sinmungo-desk" serve --db "$SINMUNGO_DB" --port "$port" >"$work/desk.log" 2>&1 &
desk_pid=$!
for _ in $(seq 1 200); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/sign-in')" 2>/dev/null && break
    sleep 0.1
done
echo "log: $("$bin/sinmungo" head) · $(echo $officers | wc -w) sessions · $rounds rounds"
python3 Scripts/desk_load.py "http://127.0.0.1:$port" load-test-password $officers --rounds "$rounds" \
    --cases PET-2019-0001,PET-2019-0050,PRO-2019-0001,PET-2019-0100
