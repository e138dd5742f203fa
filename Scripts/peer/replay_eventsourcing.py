#!/usr/bin/env python3
"""Peer benchmark: a Sinmungo log replayed with the `eventsourcing` library and its SQLite store.

    python3 Scripts/peer/replay_eventsourcing.py load LOG.jsonl PEER.sqlite
    python3 Scripts/peer/replay_eventsourcing.py replay PEER.sqlite

`load` stores each event of a JSON Lines log (the `sinmungo export` format) as a domain event
of one aggregate per case: the originator id is a UUID5 of the case id, the originator version
is the case version, and the library's mapper and JSON transcoder write the topic and state.
`replay` reads the events back in recorded order, decodes each with the mapper and folds them
into a status per case; only that part is timed. Each subcommand prints one JSON line.
"""
import argparse
import json
import os
import sys
import time
import uuid
from collections import Counter
from datetime import datetime

from eventsourcing.application import Application
from eventsourcing.domain import DomainEvent
from eventsourcing.utils import register_topic

BATCH = 5_000  # events per transaction when loading
PAGE = 5_000  # notifications per query when replaying
PROGRESS = 500_000
CASE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "sinmungo:case")

# The status an event type sets (CaseState.apply); any other type leaves it unchanged.
STATUS = {
    "petition-filed": "filed",
    "session-held": "held",
    "proposal-filed": "filed",
    "record-posted": "posted",
    "reviewed": "reviewed",
    "declined": "declined",
    "site-visited": "visited",
    "answered": "answered",
    "reflected": "reflected",
    "withdrawn": "withdrawn",
    "closed-as-duplicate": "duplicate",
}


class CaseEvent(DomainEvent):
    """One event of the log; `timestamp` is its business time (occurredAt)."""

    # A fixed topic, so stored events resolve however this file is run.
    TOPIC = "sinmungo:CaseEvent"

    case_id: str
    type: str
    schema_version: int
    recorded_at: datetime
    actor: str
    command_id: str
    data: dict
    seq: int | None = None
    prev_hash: str | None = None
    hash: str | None = None


register_topic(CaseEvent.TOPIC, CaseEvent)


class PeerLog(Application):
    name = "PeerLog"


def open_log(path: str) -> PeerLog:
    return PeerLog(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path})


def case_uuid(case_id: str) -> uuid.UUID:
    return uuid.uuid5(CASE_NAMESPACE, case_id)


def to_event(line: str) -> CaseEvent:
    e = json.loads(line)
    return CaseEvent(
        originator_id=case_uuid(e["caseId"]),
        originator_version=e["caseVersion"],
        timestamp=datetime.fromisoformat(e["occurredAt"]),
        case_id=e["caseId"],
        type=e["type"],
        schema_version=e["schemaVersion"],
        recorded_at=datetime.fromisoformat(e["recordedAt"]),
        actor=e["actor"],
        command_id=e["commandId"],
        data=e["data"],
        seq=e.get("seq"),
        prev_hash=e.get("prevHash"),
        hash=e.get("hash"),
    )


def rate(events: int, seconds: float) -> dict:
    return {"seconds": round(seconds, 3),
            "events_per_second": round(events / seconds) if seconds > 0 else None}


def load(log_path: str, db_path: str) -> None:
    # The event store (mapper + recorder) directly: Application.save() does the same, plus a
    # runtime protocol check per event that costs a quarter of the load time.
    if os.path.exists(db_path):
        sys.exit(f"{db_path} exists; load writes a new store")
    app = open_log(db_path)
    events = 0
    batch = []
    started = time.perf_counter()
    with open(log_path, encoding="utf-8") as log:
        for line in log:
            if not line.strip():
                continue
            batch.append(to_event(line))
            if len(batch) == BATCH:
                app.events.put(batch)
                events += len(batch)
                batch.clear()
                if events % PROGRESS == 0:
                    print(f"load: {events} events, {time.perf_counter() - started:.1f} s",
                          file=sys.stderr)
    if batch:
        app.events.put(batch)
        events += len(batch)
    seconds = time.perf_counter() - started
    app.close()
    print(json.dumps({"events": events, **rate(events, seconds)}))


def replay(db_path: str) -> None:
    if not os.path.exists(db_path):
        sys.exit(f"{db_path} does not exist")
    app = open_log(db_path)
    recorder, mapper = app.recorder, app.mapper
    status: dict[uuid.UUID, str | None] = {}
    events = 0
    last = 0
    started = time.perf_counter()
    while True:
        page = recorder.select_notifications(start=last, limit=PAGE, inclusive_of_start=False)
        if not page:
            break
        for notification in page:
            event = mapper.to_domain_event(notification)
            case = event.originator_id
            status[case] = STATUS.get(event.type) or status.get(case)
        events += len(page)
        last = page[-1].id
    seconds = time.perf_counter() - started
    app.close()
    # A case whose events never set a status (none created it) counts as "none".
    statuses = Counter(s or "none" for s in status.values())
    print(json.dumps({"events": events, "cases": len(status), **rate(events, seconds),
                      "statuses": dict(sorted(statuses.items()))}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("load", help="store a JSON Lines log in a new eventsourcing SQLite file")
    p.add_argument("log")
    p.add_argument("db")
    p = sub.add_parser("replay", help="decode and fold every stored event, timed")
    p.add_argument("db")
    args = parser.parse_args()
    if args.command == "load":
        load(args.log, args.db)
    else:
        replay(args.db)


if __name__ == "__main__":
    main()
