#!/usr/bin/env bash
# Renders the year report in headless Chromium to a PNG, and fails when it cannot.
#   Scripts/check-report.sh [YEAR] [OUT.png]
# Installs Debian's chromium and a Korean font when they are missing (needs root then).
set -euo pipefail
cd "$(dirname "$0")/.."
year=${1:-2019}
png=${2:-report-$year.png}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "cjk"; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi

swift build --product sinmungo >/dev/null
tool=$(swift build --show-bin-path)/sinmungo
"$tool" --db "$work/log.sqlite" init >/dev/null
"$tool" --db "$work/log.sqlite" import Fixtures/yeongdeungpo-2019.jsonl >/dev/null
"$tool" --db "$work/log.sqlite" report --year "$year" --out "$work/report.html" --holidays Fixtures/holidays >/dev/null

# The page must load nothing from elsewhere.
if grep -Eq '(src|href)="(https?:)?//' "$work/report.html"; then
    echo "check-report: the report refers to an outside resource" >&2
    exit 1
fi
grep -q "<svg" "$work/report.html" || { echo "check-report: the report has no chart" >&2; exit 1; }

chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,2600 \
    --screenshot="$work/report.png" "file://$work/report.html" >/dev/null 2>&1 || true
if [ ! -s "$work/report.png" ]; then
    echo "check-report: chromium did not render the report" >&2
    exit 1
fi
cp "$work/report.png" "$png"
echo "rendered $png ($(stat -c %s "$png") bytes)"
