#!/usr/bin/env bash
# The PostgreSQL append path under load, on a throwaway cluster: pgbench calls
# sinmungo.append (one round trip a command, as the tool does, with the case's two view rows
# the tool sends, so the views stay at the head) from 32 clients over 25
# offices for SECONDS, then prints commands/s, p99 latency, and whether any office has a gap;
# then imports a generated log of CASES cases (about 5 events a case) into one office and
# rebuilds its views, printing events/s and peak memory of each. A second append run offers
# PACED_RATE commands a second (default 1000, the target load) and prints its percentiles, and
# those of a one-row INSERT at the same load, the floor the disk sets. Measure a release build:
#   swift build -c release --product sinmungo
#   SINMUNGO_BIN=.build/release/sinmungo bash Scripts/bench-postgres.sh [SECONDS] [CASES]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-20}
cases=${2:-40000}
paced_rate=${PACED_RATE:-1000}
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
# Latency at the target load rather than at saturation: the same 32 clients, with commands
# arriving at PACED_RATE a second on a Poisson schedule. pgbench times each from its scheduled
# start, so a command that waits behind a slow one is counted whole. The desk keeps an
# officer's connection open, so the steady state leaves out the first WARMUP seconds, in which
# every new connection plans the functions for the first time; a first command on a new
# connection, as the command-line tool makes, is timed on its own below.
warmup=${WARMUP:-5}
rm -f latency*
"$pgbench_bin" -n -c 32 -j 2 -T "$((seconds + warmup))" -R "$paced_rate" -f append.sql -l --log-prefix=latency "$address" >paced.txt 2>&1
paced_commands=$(grep -Eo 'tps = [0-9.]+' paced.txt | head -1 | grep -Eo '[0-9.]+')
# Column 5 of a pgbench log line is the second the command finished in.
steady_from=$(cat latency* | awk -v warmup="$warmup" 'NR == 1 || $5 < first { first = $5 } END { print first + warmup }')
percentiles() { sort -n | awk '{a[NR]=$1} END {printf "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms (%d commands)", a[int(NR*0.5)]/1000, a[int(NR*0.9)]/1000, a[int(NR*0.99)]/1000, NR}'; }
paced_all=$(cat latency* | awk '{print $3}' | percentiles)
paced_steady=$(cat latency* | awk -v from="$steady_from" '$5 >= from {print $3}' | percentiles)
paced_gaps=$(psql -X -At "$address" -c "SELECT count(*) FROM (SELECT office, max(seq) AS m, count(*) AS c FROM sinmungo.event GROUP BY office) o WHERE m <> c")
echo "appends at $paced_rate commands/s offered, 32 writers over 25 offices: $paced_commands commands/s; after the first $warmup s: $paced_steady; whole run: $paced_all; offices with a gap: $paced_gaps"
# The floor under that tail: a one-row INSERT, committed as durably, at the same offered load.
# When the disk stalls a WAL flush, every commit waits behind it, whatever it does.
psql -X -q "$address" -c "CREATE TABLE bench_floor (id bigserial PRIMARY KEY, office int, data text)"
cat >floor.sql <<'SQL'
\set office random(1, 25)
INSERT INTO bench_floor (office, data) VALUES (:office, repeat('x', 600));
SQL
rm -f latency*
"$pgbench_bin" -n -c 32 -j 2 -T "$((seconds + warmup))" -R "$paced_rate" -f floor.sql -l --log-prefix=latency "$address" >floor.txt 2>&1
floor_steady=$(cat latency* | awk -v warmup="$warmup" 'NR == 1 || $5 < first { first = $5 } { t[NR] = $5; l[NR] = $3 } END { for (i = 1; i <= NR; i++) if (t[i] >= first + warmup) print l[i] }' | percentiles)
echo "a one-row INSERT at the same offered load, after the first $warmup s: $floor_steady"
psql -X -q "$address" -c "DROP TABLE bench_floor"
rm -f latency*
"$pgbench_bin" -n -c 1 -C -T 5 -f append.sql -l --log-prefix=latency "$address" >cold.txt 2>&1
echo "an append on a new connection (connecting included), one client: $(cat latency* | awk '{print $3}' | percentiles)"
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
