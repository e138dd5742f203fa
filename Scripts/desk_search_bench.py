"""Times the desk's title search on a work index (x.desk-index.sqlite) as it was and as it is:
before, a probe of the phrase, the page and the count each read the matches; now their keys
are read once, then the page's rows by key. Prints both times and whether the pages agree.

    python3 Scripts/desk_search_bench.py path/to/log.desk-index.sqlite 주정차
"""
import json, sqlite3, statistics, sys, time

db = sqlite3.connect(sys.argv[1])
phrase = '"' + sys.argv[2] + '"'
match = "key IN (SELECT rowid FROM work_title WHERE work_title MATCH ?)"
columns = "id, kind, status, department, category, filed_on, task, due_at, work_case.title"

def before():
    few = db.execute("SELECT count(*) FROM (SELECT 1 FROM work_title WHERE work_title MATCH ? LIMIT 2001)", [phrase]).fetchone()[0] <= 2000
    if few:
        source, filt = "work_title CROSS JOIN work_case ON work_case.key = work_title.rowid", "open = 1 AND work_title MATCH ?"
    else:
        source, filt = "work_case", "open = 1 AND " + match
    rows = db.execute(f"SELECT {columns} FROM {source} WHERE {filt} ORDER BY sort_key, id LIMIT 50 OFFSET 0", [phrase]).fetchall()
    count = db.execute(f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {filt} LIMIT 1001)", [phrase]).fetchone()[0]
    return [r[0] for r in rows], count

def now():
    titles = [r[0] for r in db.execute("SELECT rowid FROM work_title WHERE work_title MATCH ? LIMIT 2001", [phrase])]
    if len(titles) <= 2000:
        source, filt, args = "json_each(?) AS matched CROSS JOIN work_case ON work_case.key = matched.value", "open = 1", [json.dumps(titles)]
    else:
        source, filt, args = "work_case", "open = 1 AND work_case." + match, [phrase]
    keys = [r[0] for r in db.execute(
        f"SELECT work_case.key FROM {source} WHERE {filt} ORDER BY work_case.sort_key, work_case.id LIMIT 1001", args)]
    shown = keys[:50]
    rows = {r[0]: r for r in db.execute(
        f"SELECT key, id FROM work_case WHERE key IN ({', '.join('?' * len(shown))})", shown)} if shown else {}
    return [rows[k][1] for k in shown], (len(keys) if len(keys) <= 1000 else None)

for name, run in [("before", before), ("now", now)]:
    run()
    times = []
    for _ in range(30):
        started = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - started) * 1000)
    print(f"{sys.argv[2]} {name}: median {statistics.median(times):.2f} ms, min {min(times):.2f} ms; {len(result[0])} shown, count {result[1]}")
print("same page:", before()[0] == now()[0])
