"""A bounded load on the desk: one signed-in session for each OFFICER given (an officer may
be given more than once), all at once, each reading its work list, a title search and case
pages for a number of rounds. Prints the page times (median, p95, p99) and the failures.

    python3 Scripts/desk_load.py BASE_URL PASSWORD OFFICER... [--rounds R] [--cases ID,ID,...] [--search TEXT]
        [--pause SECONDS]

Without --pause every session asks for its next page as soon as it has the last one, so
the figures are those of a saturated server; with it, of officers reading their pages.

Exits non-zero when any request fails. It measures; the thresholds are the caller's.
"""
import argparse
import http.client
import re
import statistics
import sys
import threading
import time
import urllib.parse

parser = argparse.ArgumentParser()
parser.add_argument("base")
parser.add_argument("password")
parser.add_argument("officers", nargs="+")
parser.add_argument("--rounds", type=int, default=20)
parser.add_argument("--cases", default="")
parser.add_argument("--search", default="")
parser.add_argument("--pause", type=float, default=0.0, help="seconds a session waits between pages, as a reader does")
arguments = parser.parse_args()
address = urllib.parse.urlparse(arguments.base)
cases = [case for case in arguments.cases.split(",") if case]
times, failures = [], []
lock = threading.Lock()


def request(connection, method, path, cookies, body=None):
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    page = response.read().decode()
    elapsed = time.perf_counter() - started
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            cookies[name] = rest.split(";")[0]
    return response.status, page, elapsed


def session(officer, ready, go):
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    cookies = {}
    try:
        _, page, _ = request(connection, "GET", "/sign-in", cookies)
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrf": token, "officer": officer, "password": arguments.password})
        status, _, _ = request(connection, "POST", "/sign-in", cookies, body)
        if status != 303 or "sinmungo_session" not in cookies:
            raise RuntimeError(f"{officer} could not sign in ({status})")
    except Exception as error:  # noqa: BLE001 - any failure is reported, none is hidden
        with lock:
            failures.append(f"{officer}: {error}")
        ready.release()
        return
    ready.release()
    go.wait()
    csrf = ""
    for round_number in range(arguments.rounds):
        paths = ["/"] + [f"/cases/{case}" for case in cases[round_number % max(len(cases), 1):][:2]]
        if arguments.search:
            paths.insert(1, "search")
        for path in paths:
            if arguments.pause:
                time.sleep(arguments.pause)
            try:
                if path == "search":
                    body = urllib.parse.urlencode({"csrf": csrf, "q": arguments.search})
                    status, _, elapsed = request(connection, "POST", "/", cookies, body)
                else:
                    status, page, elapsed = request(connection, "GET", path, cookies)
                    if path == "/" and status == 200:
                        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
                with lock:
                    if status != 200:
                        failures.append(f"{officer} {path}: {status}")
                    times.append(elapsed)
            except Exception as error:  # noqa: BLE001
                with lock:
                    failures.append(f"{officer} {path}: {error}")


ready = threading.Semaphore(0)
go = threading.Event()
threads = [threading.Thread(target=session, args=(officer, ready, go)) for officer in arguments.officers]
for thread in threads:
    thread.start()
for _ in threads:
    ready.acquire()
started = time.perf_counter()
go.set()
for thread in threads:
    thread.join()
wall = time.perf_counter() - started
times.sort()


def percentile(p):
    return times[min(len(times) - 1, max(0, (p * len(times) + 99) // 100 - 1))] * 1000 if times else float("nan")


print(
    f"desk-load: {len(arguments.officers)} sessions, {len(times)} pages in {wall:.1f} s "
    f"({len(times) / wall:.0f} pages/s); median {statistics.median(times) * 1000:.1f} ms, "
    f"p95 {percentile(95):.1f} ms, p99 {percentile(99):.1f} ms; {len(failures)} failed")
for failure in failures[:10]:
    print(f"  {failure}", file=sys.stderr)
sys.exit(1 if failures else 0)
