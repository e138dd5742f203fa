#!/usr/bin/env bash
# Whole-process benchmarks on one generated log, every figure measured in this one run.
#   Scripts/bench.sh [CASES] [RUNS]         defaults: 2000000 cases (about ten million events), 3 runs
# Environment: BENCH_DIR (default .build-bench); SUBSET_EVENTS (default 1000000): the first
# events of the log's export that `import` and the Python peer take, since both take minutes a
# million; COMMAND_RUNS (default 15). Prints a Markdown table; the logs stay in BENCH_DIR so
# that a second run skips generating them. Needs python3 (the peer, and the legacy file).
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-2000000}
runs=${2:-3}
command_runs=${COMMAND_RUNS:-15}
work=${BENCH_DIR:-.build-bench}
mkdir -p "$work"

command -v sqlite3 >/dev/null || { echo "bench: sqlite3 is needed (apt-get install sqlite3)" >&2; exit 69; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is needed (apt-get install time)" >&2; exit 69; }
swift build -c release --product sinmungo >/dev/null
tool=$(swift build -c release --show-bin-path)/sinmungo

# "seconds max-rss-kB" of a whole process.
measure() {
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null
    cat "$work/time.txt"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
say() { echo "bench: $*" >&2; }

big="$work/log-$cases.sqlite"
if [ ! -f "$big.done" ]; then
    rm -f "$big" "$big"-* "${big%.sqlite}".keys.sqlite
    say "generating $cases cases"
    "$tool" --db "$big" generate --cases "$cases" --seed 1 >&2
    touch "$big.done"
fi
small="$work/log-200.sqlite"
if [ ! -f "$small.done" ]; then
    rm -f "$small" "$small"-* "${small%.sqlite}".keys.sqlite
    "$tool" --db "$small" generate --cases 200 --seed 1 >/dev/null
    touch "$small.done"
fi
events=$(sqlite3 "$big" "SELECT count(*) FROM event")
small_events=$(sqlite3 "$small" "SELECT count(*) FROM event")
say "$events events; measuring $runs runs of each"
say "raw scan, rebuild, verify, commands"

# The raw limit: SQLite's own shell reading every column of every event.
scan="SELECT sum(length(CAST(seq AS BLOB)) + length(CAST(case_id AS BLOB)) + length(CAST(case_version AS BLOB))
    + length(CAST(type AS BLOB)) + length(CAST(schema_version AS BLOB)) + length(CAST(occurred_at AS BLOB))
    + length(CAST(recorded_at AS BLOB)) + length(CAST(actor AS BLOB)) + length(CAST(command_id AS BLOB))
    + length(CAST(data AS BLOB)) + length(prev_hash) + length(hash)) FROM event"
sqlite3 "$big" "$scan" >/dev/null # warm the page cache for everyone alike
raw=$(for _ in $(seq "$runs"); do measure sqlite3 "$big" "$scan" | cut -d' ' -f1; done | median)

: >"$work/rebuild.txt"
for _ in $(seq "$runs"); do measure "$tool" --db "$big" rebuild >>"$work/rebuild.txt"; done
rebuild=$(cut -d' ' -f1 "$work/rebuild.txt" | median)
rebuild_rss=$(cut -d' ' -f2 "$work/rebuild.txt" | sort -n | tail -1)

: >"$work/verify.txt"
for _ in $(seq "$runs"); do measure "$tool" --db "$big" verify >>"$work/verify.txt"; done
verify=$(cut -d' ' -f1 "$work/verify.txt" | median)
verify_rss=$(cut -d' ' -f2 "$work/verify.txt" | sort -n | tail -1)

# Reads that fold the whole log (streamed, not loaded): median seconds, and the largest peak memory.
say "whole-log reads"
# The generated log's last year: the bench's own commands, dated the day it runs, are left
# out, so that every run reads the same year. The busiest shows a year full of steps.
last_year=$(sqlite3 "$big" "SELECT substr(max(occurred_at), 1, 4) FROM event WHERE command_id LIKE 'gen-%'")
busy_year=$(sqlite3 "$big" "SELECT substr(occurred_at, 1, 4) AS y FROM event GROUP BY y ORDER BY count(*) DESC LIMIT 1")
mid=$(sqlite3 "$big" "SELECT occurred_at FROM event WHERE seq = (SELECT max(seq) / 2 FROM event)")
mid_case=$(sqlite3 "$big" "SELECT case_id FROM event WHERE seq = (SELECT max(seq) / 2 FROM event)")
reads=(
    "stats --year $last_year"
    "stats --year $busy_year"
    "report --year $last_year --out $work/report.html"
    "retention --closed-before $((last_year - 1))-01-01"
    "show $mid_case --as-of $mid"
    "counts --effective $mid"
)
read_rows=""
for read in "${reads[@]}"; do
    # shellcheck disable=SC2086 # each read is a command line
    times=$(for _ in $(seq "$runs"); do measure "$tool" --db "$big" $read; done)
    seconds=$(cut -d' ' -f1 <<<"$times" | median)
    rss=$(cut -d' ' -f2 <<<"$times" | sort -n | tail -1)
    read_rows+="| \`${read%% --out*}\` | $seconds s, $((rss / 1024)) MB | ≤ 10 s, ≤ 400 MB |"$'\n'
done

# One officer command, whole process, on a small and on the big log.
# Timed with bash's microsecond clock (/usr/bin/time rounds to 10 ms), alternating the two
# logs so that the machine's drift falls on both alike.
command_once() {
    local start=$EPOCHREALTIME
    "$tool" --db "$1" correct PET-2019-0001 --field title --value "보도블록 정비 요청 $2" \
        --reason "제목 오기" --actor ydp-0412 >/dev/null
    awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.4f\n", b - a }'
}
: >"$work/command-small.txt"
: >"$work/command-big.txt"
for n in $(seq "$command_runs"); do
    command_once "$small" "$n" >>"$work/command-small.txt"
    command_once "$big" "$n" >>"$work/command-big.txt"
done
command_small=$(median <"$work/command-small.txt")
command_big=$(median <"$work/command-big.txt")

# Bulk import of the log's export (its first SUBSET_EVENTS events) into a new database.
export_file="$work/log-$cases.jsonl"
[ -f "$export_file.done" ] || { say "exporting"; "$tool" --db "$big" export --out "$export_file" && touch "$export_file.done"; }
subset_events=$((events < ${SUBSET_EVENTS:-1000000} ? events : ${SUBSET_EVENTS:-1000000}))
# Named for the log they come from, so that a run on another log makes its own.
subset="$work/subset-$cases-$subset_events.jsonl"
[ -f "$subset.done" ] || { head -n "$subset_events" "$export_file" >"$subset" && touch "$subset.done"; }
say "importing $subset_events events"
: >"$work/import.txt"
ours_db="$work/imported.sqlite"
for _ in $(seq "$runs"); do
    rm -f "$ours_db" "$ours_db"-* "${ours_db%.sqlite}".keys.sqlite
    "$tool" --db "$ours_db" init >/dev/null
    measure "$tool" --db "$ours_db" import "$subset" >>"$work/import.txt"
done
import=$(cut -d' ' -f1 "$work/import.txt" | median)
# The same events as a legacy file from another system: no hashes, so every one is hashed anew.
legacy="$work/legacy-$cases-$subset_events.jsonl"
[ -f "$legacy.done" ] || {
    python3 -c 'import json, sys
for line in sys.stdin:
    event = json.loads(line); event.pop("hash", None); event.pop("prevHash", None)
    print(json.dumps(event, ensure_ascii=False, separators=(",", ":")))' <"$subset" >"$legacy" && touch "$legacy.done"
}
: >"$work/import-legacy.txt"
legacy_db="$work/imported-legacy.sqlite"
for _ in $(seq "$runs"); do
    rm -f "$legacy_db" "$legacy_db"-* "${legacy_db%.sqlite}".keys.sqlite
    "$tool" --db "$legacy_db" init >/dev/null
    measure "$tool" --db "$legacy_db" import "$legacy" >>"$work/import-legacy.txt"
done
import_legacy=$(cut -d' ' -f1 "$work/import-legacy.txt" | median)

# The peer: Python's eventsourcing library replaying the same events from its own SQLite store,
# next to our rebuild of exactly those events (the database the last import made).
venv="$work/peer-venv"
[ -x "$venv/bin/python" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q -r Scripts/peer/requirements.txt; }
peer_db="$work/peer-$cases-$subset_events.sqlite"
if [ ! -f "$peer_db.done" ]; then
    rm -f "$peer_db"
    say "loading $subset_events events into the peer's store"
    "$venv/bin/python" Scripts/peer/replay_eventsourcing.py load "$subset" "$peer_db" >/dev/null
    touch "$peer_db.done"
fi
say "replaying with the peer"
peer=$(for _ in $(seq "$runs"); do
    "$venv/bin/python" Scripts/peer/replay_eventsourcing.py replay "$peer_db" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["seconds"])'
done | median)
ours=$(for _ in $(seq "$runs"); do measure "$tool" --db "$ours_db" rebuild | cut -d' ' -f1; done | median)

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo "Measured $(date -u +%Y-%m-%d) on $cpu, $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB;"
echo "$events events from \`sinmungo generate --cases $cases --seed 1\`; medians of $runs runs ($command_runs for commands)."
echo
echo "| figure | measured | target |"
echo "|---|---|---|"
echo "| raw scan: sqlite3 reads every column of every event | $(rate "$events" "$raw") events/s ($raw s) | the limit |"
echo "| \`rebuild\` of every view | $(rate "$events" "$rebuild") events/s ($rebuild s), $(awk -v a="$raw" -v b="$rebuild" 'BEGIN { printf "%.0f", 100 * a / b }')% of the raw scan | ≥ 1,000,000 events/s and ≥ 40% |"
echo "| \`rebuild\` rate at $events events against at $subset_events | $(awk -v n="$events" -v s="$rebuild" -v m="$subset_events" -v t="$ours" 'BEGIN { printf "%.0f", 100 * (n / s) / (m / t) }')% | ≥ 90% |"
echo "| \`rebuild\` peak memory (max RSS) | $((rebuild_rss / 1024)) MB | ≤ 400 MB |"
echo "| \`import\` of the export's first $subset_events events, every check and hash included | $(rate "$subset_events" "$import") events/s ($import s) | ≥ 300,000 events/s |"
echo "| \`import\` of the same events without hashes (a legacy file), each hashed on the way in | $(rate "$subset_events" "$import_legacy") events/s ($import_legacy s) | ≥ 300,000 events/s |"
echo "| one officer command (\`correct\`), whole process | $small_events events: $command_small s; $events events: $command_big s ($(awk -v a="$command_big" -v b="$command_small" 'BEGIN { printf "%.2f", a / b }')×) | ≤ 1.2× |"
echo "| \`verify\` | $(rate "$events" "$verify") events/s ($verify s), $(awk -v a="$raw" -v b="$verify" 'BEGIN { printf "%.0f", 100 * a / b }')% of the raw scan | ≥ 1,000,000 events/s or ≥ 50% |"
echo "| \`verify\` peak memory (max RSS) | $((verify_rss / 1024)) MB | flat (no target of its own) |"
printf '%s' "$read_rows"
echo "| peer: Python eventsourcing 9.5.6 replays the same $subset_events events from its SQLite store, counting cases per state | $(rate "$subset_events" "$peer") events/s; our \`rebuild\` of them $(rate "$subset_events" "$ours") events/s ($(awk -v a="$peer" -v b="$ours" 'BEGIN { printf "%.1f", a / b }')× the peer) | ≥ 10× |"
