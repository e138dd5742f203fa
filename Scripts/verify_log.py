#!/usr/bin/env python3
"""Verify a Sinmungo log independently of Sinmungo.

Recomputes the SHA-256 hash chain of the `event` table from the layout documented in
Sources/SinmungoStore/SinmungoStore.docc/LogFormat.md, using only Python's standard library.

    python3 Scripts/verify_log.py LOG.sqlite [--against SEQ:HASH]

Prints `ok SEQ:HASH` and exits 0, or `bad SEQ: reason` for the first bad event and exits 65.
The database is opened read-only.
"""
import argparse
import datetime
import hashlib
import json
import re
import sqlite3
import sys

DOMAIN_TAG = b"sinmungo-event-v1"
# Layout 2: the same fields, and the account that ran the command after the actor.
ACCOUNT_DOMAIN_TAG = b"sinmungo-event-v2"
GENESIS = bytes(32)


def field(data: bytes) -> bytes:
    return len(data).to_bytes(8, "big") + data


COLUMNS = [
    ("seq", "integer"), ("case_id", "text"), ("case_version", "integer"), ("type", "text"),
    ("schema_version", "integer"), ("occurred_at", "text"), ("recorded_at", "text"), ("actor", "text"),
    ("command_id", "text"), ("data", "text"), ("prev_hash", "blob"), ("hash", "blob"),
]


def format_problem(row, account, account_class):
    """Why the row's stored bytes break the format, or None. Text is read as raw bytes
    (text_factory = bytes), so nothing after a NUL is lost and nothing is repaired."""
    classes = row[len(COLUMNS):2 * len(COLUMNS)]
    for (name, wanted), actual in zip(COLUMNS, classes):
        actual = actual.decode()
        if actual != wanted:
            return f"its {name} is stored as {actual.upper()}, not {wanted.upper()}"
    if account_class not in ("null", "text"):
        return f"its account is stored as {account_class.upper()}, not TEXT or NULL"
    texts = [(name, value) for (name, wanted), value in zip(COLUMNS, row) if wanted == "text"]
    if account is not None:
        texts.append(("account", account))
    for name, value in texts:
        if b"\0" in value:
            return f"its {name} holds a NUL byte"
        try:
            value.decode("utf-8", errors="strict")
        except UnicodeDecodeError:
            return f"its {name} is not valid UTF-8"
    return None


# Event types and their schema versions (LogFormat.md, "Verifying").
SCHEMA_VERSIONS = {"petition-filed": 4, "proposal-filed": 2, "personal-data-erased": 2}
for name in ["endorsed", "qualified", "session-held", "reviewed", "declined", "site-visited", "answered", "reflected",
             "transferred", "withdrawn", "closed-as-duplicate", "record-posted", "corrected", "extended",
             "erasure-requested", "erasure-declined", "department-added", "department-renamed", "departments-merged",
             "officer-granted", "officer-changed", "officer-removed"]:
    SCHEMA_VERSIONS[name] = 1
KST_TIME = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00")


class NotCanonical(ValueError):
    pass


def refuse_duplicates(pairs):
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise NotCanonical("a key appears twice")
    return dict(pairs)


def refuse_fraction(text):
    raise NotCanonical("a number has a fraction or exponent")


def rule_problem(row, previous_recorded_at):
    """Why the row breaks LogFormat's rules beyond the hash (times, type, canonical data), or None."""
    kind, schema_version, occurred_at, recorded_at, data = row[3], row[4], row[5], row[6], row[9]
    for name, value in (("occurred_at", occurred_at), ("recorded_at", recorded_at)):
        try:
            valid = KST_TIME.fullmatch(value) and datetime.datetime.fromisoformat(value.decode())
        except ValueError:
            valid = False
        if not valid:
            return f"its {name} {value.decode()!r} is not a time written YYYY-MM-DDTHH:MM:SS+09:00"
    if previous_recorded_at is not None and recorded_at < previous_recorded_at:
        return f"its recorded_at {recorded_at.decode()} is earlier than the previous event's"
    latest = SCHEMA_VERSIONS.get(kind.decode())
    if latest is None:
        return f"its type {kind.decode()!r} is not an event type"
    if not 1 <= schema_version <= latest:
        return f"its schema_version {schema_version} is not one of {kind.decode()}'s"
    try:
        value = json.loads(data.decode(), object_pairs_hook=refuse_duplicates, parse_float=refuse_fraction,
                           parse_constant=refuse_fraction)
        if not isinstance(value, dict):
            raise NotCanonical("not an object")
        canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    except (ValueError, RecursionError):
        return "its data is not a JSON object in canonical form"
    if canonical != data or not integers_in_range(value):
        return "its data is not in canonical form"
    return None


def integers_in_range(value) -> bool:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return True
    if isinstance(value, int):
        return -(2 ** 63) <= value < 2 ** 63
    if isinstance(value, list):
        return all(integers_in_range(item) for item in value)
    return all(integers_in_range(item) for item in value.values())


def event_hash(row, account) -> bytes:
    """Layout 1 when account is None (NULL), else layout 2."""
    (seq, case_id, case_version, kind, schema_version, occurred_at, recorded_at, actor,
     command_id, data, prev_hash) = row[:11]
    fields = [
        ACCOUNT_DOMAIN_TAG if account is not None else DOMAIN_TAG,
        str(seq).encode(),
        case_id,
        str(case_version).encode(),
        kind,
        str(schema_version).encode(),
        occurred_at,
        recorded_at,
        actor,
    ]
    if account is not None:
        fields.append(account)
    fields += [command_id, data, bytes(prev_hash)]
    return hashlib.sha256(b"".join(field(value) for value in fields)).digest()


def verify(path: str, anchor):
    """Returns (head_seq, head_hash) or raises ValueError("SEQ: reason")."""
    # mode=ro never writes; immutable=1 also reads a copy in a folder we cannot write.
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.text_factory = bytes
    try:
        names = [name for name, _ in COLUMNS]
        # A log from before layout 2 has no account column: every event is layout 1.
        has_account = any(column[1] == b"account" for column in connection.execute("PRAGMA table_info(event)"))
        account = "account, typeof(account)" if has_account else "NULL, 'null'"
        rows = connection.execute(
            f"SELECT {', '.join(names)}, {', '.join(f'typeof({name})' for name in names)}, {account} "
            "FROM event ORDER BY seq")
        expected, previous, previous_recorded_at = 1, GENESIS, None
        versions = {}
        anchor_seen = False
        for row in rows:
            seq, case_id, case_version = row[0], row[1], row[2]
            if seq != expected:
                raise ValueError(f"{expected}: the sequence jumps from {expected - 1} to {seq}")
            account, account_class = row[-2], row[-1]
            account_class = account_class.decode() if isinstance(account_class, bytes) else account_class
            problem = format_problem(row, account, account_class)
            if problem:
                raise ValueError(f"{seq}: {problem}")
            if event_hash(row, account) != bytes(row[11]):
                raise ValueError(f"{seq}: its stored fields do not match its hash")
            if bytes(row[10]) != previous:
                raise ValueError(f"{seq}: it does not link to the hash of event {seq - 1}")
            problem = rule_problem(row, previous_recorded_at)
            if problem:
                raise ValueError(f"{seq}: {problem}")
            previous_recorded_at = row[6]
            if case_version != versions.get(case_id, 0) + 1:
                raise ValueError(f"{seq}: case {case_id.decode()} has version {case_version} after {versions.get(case_id, 0)}")
            versions[case_id] = case_version
            if anchor and anchor[0] == seq:
                if anchor[1] != bytes(row[11]):
                    raise ValueError(f"{seq}: its hash differs from the anchor's")
                anchor_seen = True
            previous, expected = bytes(row[11]), expected + 1
        head = (expected - 1, previous)
        if anchor and anchor[0] == 0 and anchor[1] != GENESIS:
            raise ValueError("0: the anchor 0:… names the genesis, whose hash is 64 zeros, but gives another hash")
        if anchor and not anchor_seen and anchor[0] != 0:
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
