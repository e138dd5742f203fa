#!/usr/bin/env bash
# Several officers' processes advancing the same few cases at once, on a machine whose every
# core is kept busy by other work.
#   Scripts/concurrency.sh [PROCESSES] [COMMANDS_EACH] [CASES]
# First round: each command pins the version it read (--expected-version), so a lost race
# exits 75 and is retried with the same command id. Second round: officers endorse without
# --at or --expected-version, as at the desk; every one of those must succeed, since "now" is
# read when the step is decided, after any colleague's step. Afterwards the log must hold
# exactly the commands that succeeded, gapless, and verify; no "database is locked" may reach
# anyone.
set -euo pipefail
cd "$(dirname "$0")/.."
processes=${1:-6}
each=${2:-50}
cases=${3:-3}

swift build --product sinmungo >/dev/null
tool=$(swift build --show-bin-path)/sinmungo
work=$(mktemp -d)
load=()
stop() {
    [ ${#load[@]} -eq 0 ] || kill "${load[@]}" 2>/dev/null || true
    rm -rf "$work"
}
trap stop EXIT
# Busy loops on every core: scheduling delays between reading the clock and writing are the point.
for _ in $(seq 1 "$(nproc)"); do
    (while :; do :; done) &
    load+=($!)
done
export SINMUNGO_DB="$work/log.sqlite" SINMUNGO_ACTOR=ydp-0412
"$tool" init >/dev/null
ids=()
for n in $(seq 1 "$cases"); do
    ids+=("$("$tool" petition file --title "동시 처리 $n" --category 도시 --at 2019-06-03T09:00)")
done

officer() {
    local worker=$1 conflicts=0 done=0
    for n in $(seq 1 "$each"); do
        local id=${ids[$(( (worker + n) % cases ))]}
        local command="w$worker-c$n"
        while true; do
            version=$("$tool" show "$id" --format json | sed -n 's/.*"version" : \([0-9]*\).*/\1/p')
            set +e
            "$tool" petition endorse "$id" --count 1 --at 2019-06-04T10:00 --expected-version "$version" \
                --command-id "$command" --actor "ydp-$worker" >/dev/null 2>"$work/err-$worker"
            status=$?
            set -e
            if grep -qi "locked" "$work/err-$worker"; then echo "LOCKED: $(cat "$work/err-$worker")"; exit 1; fi
            case $status in
                0) done=$((done + 1)); break ;;
                75) conflicts=$((conflicts + 1)) ;;
                *) echo "worker $worker: exit $status: $(cat "$work/err-$worker")"; exit 1 ;;
            esac
        done
    done
    echo "$done $conflicts" > "$work/result-$worker"
}

pids=()
for worker in $(seq 1 "$processes"); do
    officer "$worker" &
    pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done

succeeded=0 conflicts=0
for worker in $(seq 1 "$processes"); do
    read -r d c < "$work/result-$worker"
    succeeded=$((succeeded + d)); conflicts=$((conflicts + c))
done
expected=$((processes * each))
endorsed=$("$tool" export | grep -c '"type":"endorsed"')
"$tool" verify >/dev/null
total=0
for id in "${ids[@]}"; do
    total=$((total + $("$tool" show "$id" --format json | sed -n 's/.*"endorsements" : \([0-9]*\).*/\1/p')))
done
echo "commands: $expected; succeeded: $succeeded; conflicts retried: $conflicts; endorsed events in the log: $endorsed; endorsements counted: $total"
if [ "$succeeded" -ne "$expected" ] || [ "$endorsed" -ne "$expected" ] || [ "$total" -ne "$expected" ]; then
    echo "concurrency: the log does not hold exactly the commands that succeeded" >&2
    exit 1
fi

# Second round: no --at, no pinned version, as officers at the desk; today's date, real clock.
unset SINMUNGO_CLOCK
today=$("$tool" petition file --title "동시 처리 오늘" --category 도시)
desk() {
    local worker=$1
    for n in $(seq 1 "$each"); do
        if ! "$tool" petition endorse "$today" --count 1 --actor "ydp-$worker" >/dev/null 2>"$work/desk-err-$worker"; then
            echo "desk worker $worker: $(cat "$work/desk-err-$worker")"
            exit 1
        fi
    done
}
pids=()
for worker in $(seq 1 "$processes"); do
    desk "$worker" &
    pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
counted=$("$tool" show "$today" --format json | sed -n 's/.*"endorsements" : \([0-9]*\).*/\1/p')
"$tool" verify >/dev/null
echo "desk round: $((processes * each)) endorsements without --at; counted: $counted"
if [ "$failed" -ne 0 ] || [ "$counted" -ne $((processes * each)) ]; then
    echo "concurrency: an officer's step without --at was refused or lost" >&2
    exit 1
fi
echo "concurrency: ok, the log verifies"
