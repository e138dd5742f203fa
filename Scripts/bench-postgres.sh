#!/usr/bin/env bash
# The PostgreSQL append path under load, on a throwaway cluster: pgbench calls
# sinmungo.append (one round trip a command, as the tool does) from 32 clients over 25
# offices for SECONDS, then prints commands/s, p99 latency, and whether any office has a gap.
#   bash Scripts/bench-postgres.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-20}
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
SELECT status FROM sinmungo.append('office-' || :office, 'PET-2019-' || substr(md5(random()::text), 1, 12), 0,
    gen_random_uuid()::text, '2019-06-03T09:30:00+09:00', '2019-06-03T09:30:00+09:00', 'ydp-0412',
    ARRAY['petition-filed'], ARRAY[4], ARRAY['{"category":"도시","title":"보도 정비"}'], NULL, NULL, NULL);
SQL
cd "$work"
"$pgbench_bin" -n -c 32 -j 2 -T "$seconds" -f append.sql -l --log-prefix=latency "$address" >summary.txt 2>&1
commands=$(grep -Eo 'tps = [0-9.]+' summary.txt | head -1 | grep -Eo '[0-9.]+')
p99=$(cat latency* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int(NR*0.99)]/1000}')
gaps=$(psql -X -At "$address" -c "SELECT count(*) FROM (SELECT office, max(seq) AS m, count(*) AS c FROM sinmungo.event GROUP BY office) o WHERE m <> c")
events=$(psql -X -At "$address" -c "SELECT count(*) FROM sinmungo.event")
echo "appends, 32 writers over 25 offices: $commands commands/s; p99 $p99 ms; $events events; offices with a gap: $gaps"
