#!/usr/bin/env python3
"""Verify a Sinmungo log independently of Sinmungo.

Recomputes the SHA-256 hash chain of the `event` table from the layout documented in
Sources/SinmungoStore/SinmungoStore.docc/LogFormat.md, using only Python's standard library.

    python3 Scripts/verify_log.py LOG.sqlite [--against SEQ:HASH]

Prints `ok SEQ:HASH` and exits 0, or `bad SEQ: reason` for the first bad event and exits 65.
The database is opened read-only.
"""
import argparse
import hashlib
import sqlite3
import sys

DOMAIN_TAG = b"sinmungo-event-v1"
GENESIS = bytes(32)


def field(data: bytes) -> bytes:
    return len(data).to_bytes(8, "big") + data


COLUMNS = [
    ("seq", "integer"), ("case_id", "text"), ("case_version", "integer"), ("type", "text"),
    ("schema_version", "integer"), ("occurred_at", "text"), ("recorded_at", "text"), ("actor", "text"),
    ("command_id", "text"), ("data", "text"), ("prev_hash", "blob"), ("hash", "blob"),
]


def format_problem(row):
    """Why the row's stored bytes break the format, or None. Text is read as raw bytes
    (text_factory = bytes), so nothing after a NUL is lost and nothing is repaired."""
    classes = row[len(COLUMNS):]
    for (name, wanted), actual in zip(COLUMNS, classes):
        actual = actual.decode()
        if actual != wanted:
            return f"its {name} is stored as {actual.upper()}, not {wanted.upper()}"
    for (name, wanted), value in zip(COLUMNS, row):
        if wanted != "text":
            continue
        if b"\0" in value:
            return f"its {name} holds a NUL byte"
        try:
            value.decode("utf-8", errors="strict")
        except UnicodeDecodeError:
            return f"its {name} is not valid UTF-8"
    return None


def event_hash(row) -> bytes:
    (seq, case_id, case_version, kind, schema_version, occurred_at, recorded_at, actor,
     command_id, data, prev_hash) = row[:11]
    message = b"".join([
        field(DOMAIN_TAG),
        field(str(seq).encode()),
        field(case_id),
        field(str(case_version).encode()),
        field(kind),
        field(str(schema_version).encode()),
        field(occurred_at),
        field(recorded_at),
        field(actor),
        field(command_id),
        field(data),
        field(bytes(prev_hash)),
    ])
    return hashlib.sha256(message).digest()


def verify(path: str, anchor):
    """Returns (head_seq, head_hash) or raises ValueError("SEQ: reason")."""
    # mode=ro never writes; immutable=1 also reads a copy in a folder we cannot write.
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.text_factory = bytes
    try:
        names = [name for name, _ in COLUMNS]
        rows = connection.execute(
            f"SELECT {', '.join(names)}, {', '.join(f'typeof({name})' for name in names)} FROM event ORDER BY seq")
        expected, previous = 1, GENESIS
        versions = {}
        anchor_seen = False
        for row in rows:
            seq, case_id, case_version = row[0], row[1], row[2]
            if seq != expected:
                raise ValueError(f"{expected}: the sequence jumps from {expected - 1} to {seq}")
            problem = format_problem(row)
            if problem:
                raise ValueError(f"{seq}: {problem}")
            if event_hash(row) != bytes(row[11]):
                raise ValueError(f"{seq}: its stored fields do not match its hash")
            if bytes(row[10]) != previous:
                raise ValueError(f"{seq}: it does not link to the hash of event {seq - 1}")
            if case_version != versions.get(case_id, 0) + 1:
                raise ValueError(f"{seq}: case {case_id.decode()} has version {case_version} after {versions.get(case_id, 0)}")
            versions[case_id] = case_version
            if anchor and anchor[0] == seq:
                if anchor[1] != bytes(row[11]):
                    raise ValueError(f"{seq}: its hash differs from the anchor's")
                anchor_seen = True
            previous, expected = bytes(row[11]), expected + 1
        head = (expected - 1, previous)
        if anchor and not anchor_seen and not (anchor[0] == 0 and anchor[1] == GENESIS):
            raise ValueError(f"{head[0] + 1}: the log ends at event {head[0]}, before the anchor {anchor[0]}")
        return head
    finally:
        connection.close()


def parse_anchor(text: str):
    seq, _, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise argparse.ArgumentTypeError(f"{text!r} is not SEQ:HASH with a 64-digit hexadecimal hash")
    try:
        return int(seq), bytes.fromhex(digest)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not SEQ:HASH with a 64-digit hexadecimal hash")


def main() -> int:
    parser = argparse.ArgumentParser(description="Verify a Sinmungo log's hash chain.")
    parser.add_argument("database")
    parser.add_argument("--against", type=parse_anchor, help="an anchor SEQ:HASH the log must extend")
    arguments = parser.parse_args()
    try:
        head = verify(arguments.database, arguments.against)
    except ValueError as failure:
        print(f"bad {failure}")
        return 65
    except sqlite3.Error as failure:
        print(f"verify_log.py: cannot read {arguments.database}: {failure}", file=sys.stderr)
        return 74
    print(f"ok {head[0]}:{head[1].hex()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
