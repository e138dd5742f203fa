#!/usr/bin/env bash
# The PostgreSQL append path under load, on a throwaway cluster: pgbench calls
# sinmungo.append (one round trip a command, as the tool does, with the case's two view rows
# the tool sends, so the views stay at the head) from 32 clients over 25
# offices for SECONDS, then prints commands/s, p99 latency, and whether any office has a gap;
# then imports a generated log of CASES cases (about 5 events a case) into one office and
# rebuilds its views, printing events/s and peak memory of each. Measure a release build:
#   swift build -c release --product sinmungo
#   SINMUNGO_BIN=.build/release/sinmungo bash Scripts/bench-postgres.sh [SECONDS] [CASES]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-20}
cases=${2:-40000}
bin=${SINMUNGO_BIN:-.build/debug/sinmungo}
[ -x "$bin" ] || swift build --product sinmungo >/dev/null
address=$(bash Scripts/postgres.sh start)
work=$(mktemp -d)
chmod 777 "$work"
trap 'bash "$root/Scripts/postgres.sh" stop "$address"; rm -rf "$work"' EXIT
"$bin" --db "$address" init >/dev/null
pgbench_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pgbench
cat >"$work/append.sql" <<'SQL'
\set office random(1, 25)
SELECT a.status, a.views FROM (SELECT 'PET-2019-' || substr(md5(random()::text), 1, 12) AS id) c, sinmungo.append('office-' || :office, c.id, 0,
    gen_random_uuid()::text, '2019-06-03T09:30:00+09:00', '2019-06-03T09:30:00+09:00', 'ydp-0412',
    ARRAY['petition-filed'], ARRAY[4], ARRAY['{"category":"도시","title":"보도 정비"}'], NULL, NULL, NULL,
    ARRAY['cases', 'statistics-timeline'], ARRAY[2, 1], 9100000000000000000,
    ARRAY['cases', 'statistics-timeline'], ARRAY[c.id, c.id], ARRAY['', ''],
    ARRAY['{"about":[],"category":"도시","duplicates":[],"filedAt":"2019-06-03T09:30:00+09:00","kind":"petition","lastSequence":9100000000000000000,"proposals":0,"state":{"endorsements":0,"filedAt":"2019-06-03T09:30:00+09:00","id":"PET-X","kind":"petition","lastOccurredAt":"2019-06-03T09:30:00+09:00","personalData":{"none":{}},"status":"filed","version":1},"title":"보도 정비","transfers":0,"visits":0}',
          '{"steps":[{"data":"{\"category\":\"도시\",\"title\":\"\"}","occurredAt":"2019-06-03T09:30:00+09:00","schemaVersion":4,"sequence":9100000000000000000,"type":"petition-filed"}]}']) a;
SQL
cd "$work"
"$pgbench_bin" -n -c 32 -j 2 -T "$seconds" -f append.sql -l --log-prefix=latency "$address" >summary.txt 2>&1
commands=$(grep -Eo 'tps = [0-9.]+' summary.txt | head -1 | grep -Eo '[0-9.]+')
p99=$(cat latency* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int(NR*0.99)]/1000}')
gaps=$(psql -X -At "$address" -c "SELECT count(*) FROM (SELECT office, max(seq) AS m, count(*) AS c FROM sinmungo.event GROUP BY office) o WHERE m <> c")
events=$(psql -X -At "$address" -c "SELECT count(*) FROM sinmungo.event")
behind=$(psql -X -At "$address" -c "SELECT count(*) FROM sinmungo.view_checkpoint c WHERE c.seq <> (SELECT max(seq) FROM sinmungo.event e WHERE e.office = c.office)")
echo "appends, 32 writers over 25 offices: $commands commands/s; p99 $p99 ms; $events events; offices with a gap: $gaps; views behind the head: $behind"
cd "$root"
"$bin" --db "$work/generated.sqlite" generate --cases "$cases" --seed 1 >/dev/null
"$bin" --db "$work/generated.sqlite" export --out "$work/generated.jsonl"
total=$(wc -l <"$work/generated.jsonl")
# Seconds and peak resident KB of one run of the tool.
measure() {
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -o "$work/peak" -f %M "$bin" "$@" >/dev/null
    end=$(date +%s.%N)
    awk -v start="$start" -v end="$end" -v kb="$(cat "$work/peak")" 'BEGIN { printf "%.2f %d\n", end - start, kb }'
}
read -r import_s import_kb < <(measure --db "$address" --office bench-import import "$work/generated.jsonl")
read -r rebuild_s rebuild_kb < <(measure --db "$address" --office bench-import rebuild)
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%d", n / s }'; }
echo "import of $total events into one office: $(rate "$total" "$import_s") events/s ($import_s s, peak $((import_kb / 1024)) MB)"
echo "rebuild of its views: $(rate "$total" "$rebuild_s") events/s ($rebuild_s s, peak $((rebuild_kb / 1024)) MB)"
