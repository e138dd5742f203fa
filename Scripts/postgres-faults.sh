#!/usr/bin/env bash
# Whole-process checks on PostgreSQL, on a throwaway cluster of their own:
#   1. 32 processes filing on 25 offices at once;
#   2. clients killed with SIGKILL mid-command and mid-import;
#   3. the server stopped with `pg_ctl stop -m immediate` mid-write, then restarted.
# Afterwards every office verifies, no sequence has a gap, every command that reported
# success is in the log, and an import is either all there or not at all.
#   bash Scripts/postgres-faults.sh [COMMANDS-PER-WRITER]
set -euo pipefail
cd "$(dirname "$0")/.."
per=${1:-10}
bin=${SINMUNGO_BIN:-.build/debug/sinmungo}
[ -x "$bin" ] || swift build --product sinmungo >/dev/null
export SINMUNGO_DB
SINMUNGO_DB=$(bash Scripts/postgres.sh start)
export SINMUNGO_ACTOR=ydp-0412
work=$(mktemp -d)
trap 'bash Scripts/postgres.sh stop "$SINMUNGO_DB" || true; rm -rf "$work"' EXIT
"$bin" init >/dev/null
fail() { echo "postgres-faults: $*" >&2; exit 1; }

# A writer files $per petitions in its office, noting each command that reported success.
writer() { # number
    local office="office-$(( ($1 - 1) % 25 + 1 ))"
    for i in $(seq 1 "$per"); do
        if "$bin" --office "$office" petition file --title "보도 $1-$i" --category 도시 \
            --command-id "w$1-$i" --at 2019-06-03T09:30 >/dev/null 2>>"$work/errors"; then
            echo "$office w$1-$i" >>"$work/ok"
        fi
    done
}

# 1 and 2: 32 writers on 25 offices; every third one is killed part-way.
for w in $(seq 1 32); do writer "$w" & pids[$w]=$!; done
sleep 1
# The client itself (the writer's child) first, mid-command, then the writer.
for w in $(seq 3 3 32); do
    pkill -9 -P "${pids[$w]}" 2>/dev/null || true
    kill -9 "${pids[$w]}" 2>/dev/null || true
done
wait || true

# 2: an import killed part-way, into an office of its own.
"$bin" --db "$work/district.sqlite" init >/dev/null
"$bin" --db "$work/district.sqlite" import Fixtures/yeongdeungpo-2019.jsonl >/dev/null
"$bin" --db "$work/district.sqlite" export --out "$work/ydp.jsonl"
"$bin" --office imported import "$work/ydp.jsonl" >/dev/null 2>&1 &
importer=$!
sleep 0.5
pkill -9 -P "$importer" 2>/dev/null || true
kill -9 "$importer" 2>/dev/null || true
wait "$importer" 2>/dev/null || true
imported=$(psql -X -At "$SINMUNGO_DB" -c "SELECT count(*) FROM sinmungo.event WHERE office = 'imported'")
total=$(wc -l <"$work/ydp.jsonl")
[ "$imported" -eq 0 ] || [ "$imported" -eq "$total" ] || fail "a killed import left $imported of $total events"

# 3: the server stopped as by a power cut while writers run, then restarted.
for w in $(seq 101 108); do writer "$w" & done
sleep 1
bash Scripts/postgres.sh crash "$SINMUNGO_DB"
wait || true
bash Scripts/postgres.sh restart "$SINMUNGO_DB"

# Every success is there, every office verifies, no gaps.
while read -r office command; do
    found=$(psql -X -At "$SINMUNGO_DB" -c "SELECT count(*) FROM sinmungo.event WHERE office = '$office' AND command_id = '$command'")
    [ "$found" -eq 1 ] || fail "$command reported success in $office but is not in its log"
done <"$work/ok"
"$bin" verify --all-offices >"$work/verified" || fail "an office does not verify: $(cat "$work/verified")"
gaps=$(psql -X -At "$SINMUNGO_DB" -c "SELECT count(*) FROM (SELECT office, max(seq) AS m, count(*) AS c FROM sinmungo.event GROUP BY office) o WHERE m <> c")
[ "$gaps" -eq 0 ] || fail "$gaps offices have a gap in their sequence"
echo "postgres-faults: ok: $(wc -l <"$work/ok") commands reported success and are there; $(wc -l <"$work/verified") offices verify; killed import left $imported of $total events; no gaps"
