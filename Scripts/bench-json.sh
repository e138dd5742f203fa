#!/usr/bin/env bash
# The hand-written JSON reader against Foundation's, on the data of the 2019 log's events as
# an export holds them, in one release-build process (ratios, not absolute times, are the point).
#   Scripts/bench-json.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-50}
swift build -c release --product sinmungo >/dev/null
swift build -c release --product sinmungo-json-bench >/dev/null
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
SINMUNGO_ACTOR=bench "$bin/sinmungo" --db "$work/log.sqlite" init >/dev/null
SINMUNGO_ACTOR=bench "$bin/sinmungo" --db "$work/log.sqlite" import Fixtures/yeongdeungpo-2019.jsonl >/dev/null
"$bin/sinmungo" --db "$work/log.sqlite" export --out "$work/log.jsonl"
"$bin/sinmungo-json-bench" "$work/log.jsonl" "$rounds"
