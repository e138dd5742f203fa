#!/usr/bin/env bash
# Drives the desk in headless Chromium: an officer takes a petition from filing to
# reflection, two officers race on one case, an auditor looks, statistics staff read the
# white paper; every page is checked with axe-core (WCAG 2 A and AA rules).
#   Scripts/browser-test.sh [SCREENSHOT-FOLDER]
#   BROWSER_POSTGRES=1 Scripts/browser-test.sh [SCREENSHOT-FOLDER]   the same on a throwaway
#       PostgreSQL cluster (Scripts/postgres.sh), each officer signing in with their own login
# Installs chromium, its driver, a Korean font, selenium and axe-selenium-python when they are
# missing (apt-get and pip: needs root and the network then). Starts the desk on a free
# loopback port and always stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
shots=${1:-desk-screenshots}
if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1 \
    || ! fc-list 2>/dev/null | grep -qi cjk; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null
fi
if ! python3 -c "import selenium, axe_selenium_python" 2>/dev/null; then
    # axe-selenium-python 3.0.0 declares Python 3.12 but runs on 3.11 (Debian 12's), which
    # its older releases would need an older axe-core for.
    python3 -m pip install --quiet --ignore-requires-python selenium==4.51.0 axe-selenium-python==3.0.0
fi
work=$(mktemp -d)
desk_pid=""
server=""
cleanup() {
    if [ -n "$desk_pid" ]; then kill "$desk_pid" 2>/dev/null || true; wait "$desk_pid" 2>/dev/null || true; fi
    if [ -n "$server" ]; then bash Scripts/postgres.sh stop "$server" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if [ "${BROWSER_POSTGRES:-0}" = 1 ]; then
    server=$(bash Scripts/postgres.sh start)
    DESK_SETUP_ONLY=1 Scripts/desk-demo.sh "$work" "$port" "$server" >/dev/null
    served=(--db "$server" --desk-files "$work")
else
    DESK_SETUP_ONLY=1 Scripts/desk-demo.sh "$work" "$port" >/dev/null
    served=(--db "$work/demo.sqlite")
fi
bin=$(swift build --show-bin-path)
"$bin/sinmungo" serve "${served[@]}" --port "$port" >"$work/desk.log" 2>&1 &
desk_pid=$!
for _ in $(seq 1 100); do
    if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/sign-in')" 2>/dev/null; then break; fi
    sleep 0.1
done
mkdir -p "$shots"
python3 Scripts/browser_test.py "http://127.0.0.1:$port" "$shots"
# The request log names paths and officers, never a form field or personal data.
if grep -q "가상인\|010-0000" "$work/desk.log"; then
    echo "browser-test: personal data in the desk's request log" >&2
    exit 1
fi
kill -TERM "$desk_pid"
wait "$desk_pid" || { echo "browser-test: the desk did not stop cleanly on SIGTERM" >&2; exit 1; }
desk_pid=""
echo "browser-test: passed; screenshots in $shots"
