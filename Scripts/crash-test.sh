#!/usr/bin/env bash
# Kills the tool with SIGKILL at random moments during imports and during commands.
#   Scripts/crash-test.sh [KILLS] [SEED]
# After every kill the log must verify, an import must be all there or not at all, and every
# command that reported success must be in the log.
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-50}
RANDOM=${2:-2019}

swift build --product sinmungo >/dev/null
tool=$(swift build --show-bin-path)/sinmungo
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SINMUNGO_ACTOR=ydp-0412
fixture=Fixtures/yeongdeungpo-2019.jsonl
survived=0 imports_whole=0 imports_absent=0 commands_kept=0 killed_midway=0

# An import writes the file's events and the roster entries its names call for (its
# departments and officers, in the roster's own stream) in one transaction: after a kill the
# log holds both or neither. An import left alone says how many that is.
events_in() { "$tool" --db "$1" export | wc -l; }
"$tool" --db "$work/whole.sqlite" init >/dev/null
"$tool" --db "$work/whole.sqlite" import "$fixture" >/dev/null 2>&1
import_events=$(events_in "$work/whole.sqlite")
if [ "$import_events" -le "$(wc -l < "$fixture")" ]; then
    echo "crash-test: an import of $fixture added no roster entries to check" >&2; exit 1
fi

for round in $(seq 1 "$kills"); do
    db="$work/log-$round.sqlite"
    "$tool" --db "$db" init >/dev/null
    delay=$(printf '0.%03d' $((RANDOM % 400)))
    if [ $((round % 2)) -eq 1 ]; then
        # An import of the whole 2019 log, killed somewhere along the way.
        "$tool" --db "$db" import "$fixture" >/dev/null 2>&1 &
        pid=$!
        sleep "$delay"
        kill -9 "$pid" 2>/dev/null && killed_midway=$((killed_midway + 1)) || true
        wait "$pid" 2>/dev/null || true
        "$tool" --db "$db" verify >/dev/null
        count=$(events_in "$db")
        if [ "$count" -eq "$import_events" ]; then
            imports_whole=$((imports_whole + 1))
        elif [ "$count" -eq 0 ]; then
            imports_absent=$((imports_absent + 1))
        else
            echo "crash-test: round $round: $count of the $import_events events of an import (the file and its roster entries) are visible" >&2
            exit 1
        fi
    else
        # An officer filing and reviewing petitions one after another, killed mid-stream.
        ( for n in $(seq 1 200); do
              id=$("$tool" --db "$db" petition file --title "연속 $n" --category 도시 --at 2019-06-03T09:00) || exit 0
              echo "$id" >> "$work/ok-$round"
              "$tool" --db "$db" review "$id" --department 도로과 --at 2019-06-03T10:00 >/dev/null || exit 0
              echo "$id reviewed" >> "$work/ok-$round"
          done ) &
        loop=$!
        sleep "$delay"
        # Kill whichever command is running now, then the loop.
        victim=$(pgrep -P "$loop" -f "$tool" | head -1 || true)
        if [ -n "$victim" ]; then kill -9 "$victim" 2>/dev/null && killed_midway=$((killed_midway + 1)) || true; fi
        kill -9 "$loop" 2>/dev/null || true
        wait "$loop" 2>/dev/null || true
        "$tool" --db "$db" verify >/dev/null
        touch "$work/ok-$round"
        while read -r id reviewed; do
            status=$("$tool" --db "$db" show "$id" --format json | sed -n 's/.*"status" : "\([a-z]*\)".*/\1/p')
            if [ -n "$reviewed" ] && [ "$status" != "reviewed" ]; then
                echo "crash-test: round $round: $id was reported reviewed but is $status" >&2; exit 1
            fi
            [ -n "$status" ] || { echo "crash-test: round $round: $id was reported filed but is missing" >&2; exit 1; }
            commands_kept=$((commands_kept + 1))
        done < "$work/ok-$round"
    fi
    survived=$((survived + 1))
done
echo "kills: $survived (a process was running at $killed_midway of them); imports whole: $imports_whole, absent: $imports_absent; successful commands found after the kill: $commands_kept"
echo "crash-test: ok, every log verifies"
