import Foundation
import GRDB
import SinmungoCore
import SinmungoTesting
import SinmungoViews
import Testing

@testable import SinmungoStore

@Suite("Verifying the hash chain against tampering")
struct VerificationTests {
    static let scriptPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scripts/verify_log.py").path

    /// A log of a few dozen events on disk, and its head before any tampering.
    func makeLog() throws -> (path: String, head: LogAnchor) {
        let path = TemporaryFolder().path("log.sqlite")
        let store = try SQLiteEventStore.create(at: path, projections: caseViews).store
        try appendRandomCommands(to: store, count: 60, seed: 11)
        let head = try store.verify()
        #expect(head.sequence >= 20)
        return (path, head)
    }

    /// Opens the file as an attacker would: with the append-only triggers dropped.
    func tamper(_ path: String, _ sql: String, arguments: StatementArguments = []) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS event_no_update; DROP TRIGGER IF EXISTS event_no_delete")
            try db.execute(sql: sql, arguments: arguments)
        }
    }

    /// Re-links and re-hashes `events` from `start` on, as someone rewriting the chain would.
    func rechain(_ events: inout [StoredEvent], from start: Int) {
        var previous = events[start - 1].hash
        for index in start..<events.count {
            events[index].previousHash = previous
            events[index].hash = events[index].expectedHash
            previous = events[index].hash
        }
    }

    func swiftVerdict(_ path: String, against anchor: LogAnchor? = nil) throws -> VerificationFailure? {
        do {
            try SQLiteEventStore(openingExistingAt: path, mode: .readOnly, projections: caseViews).verify(against: anchor)
            return nil
        } catch let failure as VerificationFailure {
            return failure
        }
    }

    /// The Python verifier's output line and exit status.
    func pythonVerdict(_ path: String, against anchor: LogAnchor? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.scriptPath, path] + (anchor.map { ["--against", $0.description] } ?? [])
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test
    func anUntouchedLogVerifiesInBothVerifiers() throws {
        let (path, head) = try makeLog()
        #expect(try swiftVerdict(path) == nil)
        #expect(try swiftVerdict(path, against: head) == nil)
        let python = try pythonVerdict(path, against: head)
        #expect(python.status == 0)
        #expect(python.output == "ok \(head)")
    }

    static let columnChanges: [(column: String, sql: String)] = [
        ("case_id", "UPDATE event SET case_id = case_id || 'X' WHERE seq = 10"),
        ("case_version", "UPDATE event SET case_version = 99 WHERE seq = 10"),
        ("type", "UPDATE event SET type = 'withdrawn' WHERE seq = 10"),
        ("schema_version", "UPDATE event SET schema_version = 2 WHERE seq = 10"),
        ("occurred_at", "UPDATE event SET occurred_at = '2019-01-01T09:00:00+09:00' WHERE seq = 10"),
        ("recorded_at", "UPDATE event SET recorded_at = '2019-12-31T09:00:00+09:00' WHERE seq = 10"),
        ("actor", "UPDATE event SET actor = 'someone-else' WHERE seq = 10"),
        ("command_id", "UPDATE event SET command_id = 'forged' WHERE seq = 10"),
        ("data", "UPDATE event SET data = replace(data, '}', ',\"x\":1}') WHERE seq = 10"),
        ("prev_hash", "UPDATE event SET prev_hash = zeroblob(32) WHERE seq = 10"),
        ("hash", "UPDATE event SET hash = zeroblob(32) WHERE seq = 10"),
    ]

    @Test(arguments: columnChanges.map(\.column))
    func changingAnyColumnIsCaughtAtThatEvent(column: String) throws {
        let (path, _) = try makeLog()
        try tamper(path, try #require(Self.columnChanges.first { $0.column == column }).sql)
        let failure = try #require(try swiftVerdict(path))
        #expect(failure.sequence == 10)
        #expect(failure.kind == .changed)
        let python = try pythonVerdict(path)
        #expect(python.status == 65)
        #expect(python.output.hasPrefix("bad 10:"))
    }

    /// Tamperings that leave the text the old verifiers read unchanged: SQLite's C strings
    /// stop at a NUL, invalid UTF-8 was repaired to U+FFFD, and a BLOB reads as its bytes.
    static let byteTamperings: [(name: String, sql: String, detail: String)] = [
        (
            "NUL in actor",
            "UPDATE event SET actor = CAST(CAST(actor AS BLOB) || x'00' || CAST('-forged' AS BLOB) AS TEXT) WHERE seq = 10",
            "its actor holds a NUL byte"
        ),
        (
            "NUL in data",
            "UPDATE event SET data = CAST(CAST(data AS BLOB) || x'00' || CAST('{\"x\":1}' AS BLOB) AS TEXT) WHERE seq = 10",
            "its data holds a NUL byte"
        ),
        (
            "NUL in case_id",
            "UPDATE event SET case_id = CAST(CAST(case_id AS BLOB) || x'00' || CAST('X' AS BLOB) AS TEXT) WHERE seq = 10",
            "its case_id holds a NUL byte"
        ),
        (
            "NUL in occurred_at",
            "UPDATE event SET occurred_at = CAST(CAST(occurred_at AS BLOB) || x'00' || CAST('2020' AS BLOB) AS TEXT) WHERE seq = 10",
            "its occurred_at holds a NUL byte"
        ),
        (
            "invalid UTF-8 changed", "UPDATE event SET actor = CAST(CAST(actor AS BLOB) || x'FE' AS TEXT) WHERE seq = 10",
            "its actor is not valid UTF-8"
        ),
        ("actor as BLOB", "UPDATE event SET actor = CAST(actor AS BLOB) WHERE seq = 10", "its actor is stored as BLOB, not TEXT"),
        ("data as BLOB", "UPDATE event SET data = CAST(data AS BLOB) WHERE seq = 10", "its data is stored as BLOB, not TEXT"),
        (
            "case_version as TEXT", "UPDATE event SET case_version = CAST(case_version AS TEXT) || 'x' WHERE seq = 10",
            "its case_version is stored as TEXT, not INTEGER"
        ),
    ]

    @Test(arguments: byteTamperings.map(\.name))
    func bytesTheHashWouldNotSeeAreCaught(name: String) throws {
        let tampering = try #require(Self.byteTamperings.first { $0.name == name })
        let (path, head) = try makeLog()
        try tamper(path, tampering.sql)
        let failure = try #require(try swiftVerdict(path, against: head))
        #expect(failure == VerificationFailure(sequence: 10, kind: .changed, detail: tampering.detail))
        let python = try pythonVerdict(path, against: head)
        #expect(python.status == 65)
        #expect(python.output == "bad 10: \(tampering.detail)")
    }

    /// One invalid byte changed into another: both read as U+FFFD, so repairing before
    /// hashing gave the same hash twice. Here the first invalid byte was written with the
    /// hash recomputed the way the old verifier did, and the test checks it is still caught.
    @Test
    func oneInvalidByteChangedIntoAnotherIsCaught() throws {
        let (path, _) = try makeLog()
        let store = try SQLiteEventStore(openingExistingAt: path, mode: .readOnly, projections: caseViews)
        var events: [StoredEvent] = []
        try store.forEachStoredEvent { events.append($0) }
        // Re-hash the log from event 10 with actor "x\u{FFFD}", as a repaired "x\xFE" read.
        events[9].actor = "x\u{FFFD}"
        rechain(&events, from: 9)
        for index in 9..<events.count {
            try tamper(
                path, "UPDATE event SET prev_hash = ?, hash = ? WHERE seq = ?",
                arguments: [Data(events[index].previousHash), Data(events[index].hash), events[index].sequence])
        }
        for invalid in ["FE", "FF"] {
            try tamper(path, "UPDATE event SET actor = CAST(x'78\(invalid)' AS TEXT) WHERE seq = 10")
            let failure = try #require(try swiftVerdict(path))
            #expect(failure == VerificationFailure(sequence: 10, kind: .changed, detail: "its actor is not valid UTF-8"))
            #expect(try pythonVerdict(path).output == "bad 10: its actor is not valid UTF-8")
        }
    }

    /// An event changed and hashed again, its successor left as it was: every row holds on its
    /// own bytes, and only the link from the next event to it shows the change.
    @Test
    func anEventRehashedInPlaceBreaksTheNextLink() throws {
        let (path, _) = try makeLog()
        let store = try SQLiteEventStore(openingExistingAt: path, mode: .readOnly, projections: caseViews)
        var events: [StoredEvent] = []
        try store.forEachStoredEvent { events.append($0) }
        events[9].actor = "ydp-9999"
        events[9].hash = events[9].expectedHash
        try tamper(
            path, "UPDATE event SET actor = ?, hash = ? WHERE seq = 10",
            arguments: [events[9].actor, Data(events[9].hash)])
        #expect(
            try swiftVerdict(path)
                == VerificationFailure(
                    sequence: 11, kind: .changed,
                    detail: "it does not link to the hash of event 10: the chain was rewritten from here"))
        #expect(try pythonVerdict(path).output.hasPrefix("bad 11:"))
    }

    @Test
    func readingAnEventWithANulNamesTheColumn() throws {
        let (path, _) = try makeLog()
        try tamper(path, try #require(Self.byteTamperings.first).sql)
        let store = try SQLiteEventStore(openingExistingAt: path, mode: .readOnly, projections: caseViews)
        #expect(throws: StoreError.unreadableEvent(sequence: 10, reason: "its actor holds a NUL byte")) {
            try store.forEachStoredEvent { _ in }
        }
    }

    @Test
    func aDeletedEventIsMissing() throws {
        let (path, _) = try makeLog()
        try tamper(path, "DELETE FROM event WHERE seq = 10")
        #expect(
            try swiftVerdict(path) == VerificationFailure(sequence: 10, kind: .missing, detail: "the sequence jumps from 9 to 11")
        )
        #expect(try pythonVerdict(path).output.hasPrefix("bad 10:"))
    }

    @Test
    func aDeletedEventWithRenumberingIsMissing() throws {
        let (path, _) = try makeLog()
        try tamper(
            path,
            "DELETE FROM event WHERE seq = 10; UPDATE event SET seq = -(seq - 1) WHERE seq > 10; UPDATE event SET seq = -seq WHERE seq < 0"
        )
        let failure = try #require(try swiftVerdict(path))
        #expect(failure.sequence == 10)
        #expect(failure.kind == .missing)
        #expect(try pythonVerdict(path).status == 65)
    }

    @Test
    func anInsertedEventIsCaughtEvenWithAForgedHash() throws {
        let (path, _) = try makeLog()
        // Make room at 10, then forge an event there that links correctly to event 9.
        try tamper(path, "UPDATE event SET seq = -(seq + 1) WHERE seq >= 10; UPDATE event SET seq = -seq WHERE seq < 0")
        let store = try SQLiteEventStore(openingExistingAt: path, mode: .readOnly, projections: caseViews)
        var ninth: StoredEvent?
        try store.forEachStoredEvent { if $0.sequence == 9 { ninth = $0 } }
        var forged = try #require(ninth)
        forged.sequence = 10
        forged.caseID = "PET-2019-9999"
        forged.caseVersion = 1
        forged.type = "petition-filed"
        forged.data = #"{"category":"도시","title":"위조"}"#
        forged.previousHash = try #require(ninth).hash
        forged.hash = forged.expectedHash
        try tamper(
            path,
            "INSERT INTO event VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                forged.sequence, forged.caseID, forged.caseVersion, forged.type, forged.schemaVersion, forged.occurredAt,
                forged.recordedAt, forged.actor, forged.commandID, forged.data, Data(forged.previousHash), Data(forged.hash),
                forged.account,
            ]
        )
        let failure = try #require(try swiftVerdict(path))
        #expect(failure.sequence == 10)
        #expect(failure.kind == .inserted)
        #expect(try pythonVerdict(path).status == 65)
    }

    @Test
    func swappedEventsAreReordered() throws {
        let (path, _) = try makeLog()
        try tamper(
            path,
            "UPDATE event SET seq = -1 WHERE seq = 10; UPDATE event SET seq = 10 WHERE seq = 11; UPDATE event SET seq = 11 WHERE seq = -1"
        )
        let failure = try #require(try swiftVerdict(path))
        #expect(failure == VerificationFailure(sequence: 10, kind: .reordered, detail: "events 10 and 11 were swapped"))
        #expect(try pythonVerdict(path).output.hasPrefix("bad 10:"))
    }

    @Test
    func aRewrittenAndRehashedLogIsCaughtOnlyByItsAnchor() throws {
        let (path, head) = try makeLog()
        // Change event 5 and recompute every hash after it: the chain itself is consistent again.
        let store = try SQLiteEventStore(openingExistingAt: path, mode: .readOnly, projections: caseViews)
        var events: [StoredEvent] = []
        try store.forEachStoredEvent { events.append($0) }
        events[4].actor = "someone-else"
        rechain(&events, from: 4)
        for index in 4..<events.count {
            try tamper(
                path, "UPDATE event SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                arguments: [
                    events[index].actor, Data(events[index].previousHash), Data(events[index].hash), events[index].sequence,
                ]
            )
        }
        #expect(try swiftVerdict(path) == nil)
        #expect(try pythonVerdict(path).status == 0)
        let failure = try #require(try swiftVerdict(path, against: head))
        #expect(failure.kind == .anchorMismatch)
        #expect(failure.sequence == head.sequence)
        #expect(try pythonVerdict(path, against: head).status == 65)
    }

    /// A case's version changed and the chain re-hashed from there, so that only the version
    /// check can tell; checked with the versions held in memory and looked up by index.
    @Test
    func aCaseVersionOutOfStepIsNamedWhereverItsCaseWasLastSeen() throws {
        let (path, _) = try makeLog()
        let store = try SQLiteEventStore(openingExistingAt: path, mode: .readOnly, projections: caseViews)
        var events: [StoredEvent] = []
        try store.forEachStoredEvent { events.append($0) }
        // The latest event that is not its case's first.
        let target = try #require(events.lastIndex { $0.caseVersion > 1 })
        let caseID = events[target].caseID
        let version = events[target].caseVersion
        events[target].caseVersion = version + 1
        rechain(&events, from: target)
        for index in target..<events.count {
            try tamper(
                path, "UPDATE event SET case_version = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                arguments: [
                    events[index].caseVersion, Data(events[index].previousHash), Data(events[index].hash),
                    events[index].sequence,
                ])
        }
        let expected = VerificationFailure(
            sequence: events[target].sequence, kind: .reordered,
            detail: "case \(caseID) has version \(version + 1) here, after version \(version - 1)")
        let reopened = try SQLiteEventStore(openingExistingAt: path, mode: .readOnly, projections: caseViews)
        for interval: Int64 in [1, 2, 250_000] {
            #expect(throws: expected, "interval \(interval)") {
                try reopened.verify(against: nil, flushingEvery: interval)
            }
        }
    }

    static let ruleBreaks: [(name: String, change: @Sendable (inout StoredEvent) -> Void, detail: String)] = [
        ("a time in UTC", { $0.occurredAt = "2019-03-04T01:00:00Z" }, "is not a time written YYYY-MM-DDTHH:MM:SS+09:00"),
        ("a time without seconds", { $0.recordedAt = "2019-12-31T12:00+09:00" }, "is not a time written"),
        ("recorded time running backwards", { $0.recordedAt = "2019-01-01T09:00:00+09:00" }, "is earlier than"),
        ("an unknown type", { $0.type = "made-up" }, "is not an event type"),
        ("a schema version from the future", { $0.schemaVersion = 9 }, "is not one of"),
        ("data with a space", { $0.data = "{ " + $0.data.dropFirst() }, "not in canonical form"),
        ("data with a key twice", { $0.data = "{\"a\":1,\"a\":1}" }, "canonical form"),
        ("data with a fraction", { $0.data = "{\"a\":1.5}" }, "canonical form"),
    ]

    @Test("rows that break the format's rules are caught even when re-hashed", arguments: ruleBreaks.map(\.name))
    func ruleBreaksAreCaughtEvenWhenRehashed(name: String) throws {
        let rule = try #require(Self.ruleBreaks.first { $0.name == name })
        let (path, _) = try makeLog()
        let store = try SQLiteEventStore(openingExistingAt: path, mode: .readOnly, projections: caseViews)
        var events: [StoredEvent] = []
        try store.forEachStoredEvent { events.append($0) }
        rule.change(&events[9])
        rechain(&events, from: 9)
        for index in 9..<events.count {
            let event = events[index]
            try tamper(
                path,
                "UPDATE event SET type = ?, schema_version = ?, occurred_at = ?, recorded_at = ?, data = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                arguments: [
                    event.type, event.schemaVersion, event.occurredAt, event.recordedAt, event.data, Data(event.previousHash),
                    Data(event.hash), event.sequence,
                ])
        }
        let failure = try #require(try swiftVerdict(path), "\(name) verified")
        #expect(failure.sequence == 10)
        #expect(failure.kind == .changed)
        #expect(failure.detail.contains(rule.detail), "\(failure.detail)")
        let python = try pythonVerdict(path)
        #expect(python.status == 65)
        #expect(python.output.hasPrefix("bad 10:"), "\(python.output)")
    }

    @Test("an anchor 0:HASH is the genesis only with 64 zeros")
    func anAnchorAtZeroMustBeTheGenesis() throws {
        let (path, head) = try makeLog()
        #expect(try swiftVerdict(path, against: LogAnchor(sequence: 0, hash: EventHash.genesis)) == nil)
        var forged = EventHash.genesis
        forged[31] = 1
        let failure = try #require(try swiftVerdict(path, against: LogAnchor(sequence: 0, hash: forged)))
        #expect(failure.kind == .anchorMismatch)
        #expect(failure.detail.contains("names the genesis"))
        #expect(!failure.detail.contains("before the anchor"))
        #expect(try pythonVerdict(path, against: LogAnchor(sequence: 0, hash: forged)).status == 65)
        #expect(try pythonVerdict(path, against: LogAnchor(sequence: 0, hash: EventHash.genesis)).output == "ok \(head)")
    }

    @Test
    func aTruncatedLogIsCaughtByItsAnchor() throws {
        let (path, head) = try makeLog()
        try tamper(path, "DELETE FROM event WHERE seq > ?", arguments: [head.sequence - 3])
        // The chain alone still holds; the views, written before the cut, give it away.
        #expect(try swiftVerdict(path)?.kind == .views)
        #expect(try pythonVerdict(path).status == 0)
        let failure = try #require(try swiftVerdict(path, against: head))
        #expect(failure.kind == .anchorMismatch)
        #expect(failure.detail.contains("truncated"))
        #expect(try pythonVerdict(path, against: head).status == 65)
    }
}

@Suite("Verifying the views against a replay kept on disk")
struct ViewReplayOnDiskTests {
    /// A log of 400 generated cases and 200 random commands, its views current.
    func makeLog() throws -> (path: String, store: SQLiteEventStore) {
        let path = TemporaryFolder().path("log.sqlite")
        let store = try SQLiteEventStore.create(at: path, projections: caseViews).store
        try store.generate(SyntheticLog(cases: 400, seed: 5))
        try appendRandomCommands(to: store, count: 200, seed: 9)
        return (path, store)
    }

    func viewsFailure(_ store: SQLiteEventStore, flushingEvery interval: Int64) throws -> String? {
        do {
            try store.verify(against: nil, flushingEvery: interval)
            return nil
        } catch let failure as VerificationFailure {
            #expect(failure.kind == .views)
            return failure.detail
        }
    }

    func changeViews(_ path: String, _ sql: String) throws {
        try DatabaseQueue(path: path).write { db in try db.execute(sql: sql) }
    }

    @Test("rows written out and read back as the replay goes give the stored views, at any interval")
    func replayFlushedAtAnyIntervalMatches() throws {
        let (_, store) = try makeLog()
        for interval: Int64 in [1, 7, 250, 250_000] {
            #expect(try viewsFailure(store, flushingEvery: interval) == nil, "interval \(interval)")
        }
    }

    @Test("a missing, an extra and a changed row are each named, at any interval")
    func eachDisagreementIsNamed() throws {
        let (path, store) = try makeLog()
        let keys = try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT key FROM view_row WHERE projection = 'cases' ORDER BY key")
        }
        let first = try #require(keys.first)
        let middle = keys[keys.count / 2]
        let changes: [(sql: String, detail: String)] = [
            (
                "DELETE FROM view_row WHERE projection = 'cases' AND key = '\(middle)'",
                "they lack case \(middle), which the log holds"
            ),
            (
                "INSERT INTO view_row SELECT projection, 'PET-0000-0000', data FROM view_row WHERE key = '\(first)' AND projection = 'cases'",
                "they hold case PET-0000-0000, which the log up to event"
            ),
            (
                "UPDATE view_row SET data = json_set(data, '$.title', '다른 제목') WHERE projection = 'cases' AND key = '\(middle)'",
                "their row for case \(middle) differs from a replay of the log"
            ),
        ]
        for change in changes {
            try changeViews(path, change.sql)
            for interval: Int64 in [1, 7, 250_000] {
                let detail = try viewsFailure(store, flushingEvery: interval)
                #expect(detail?.contains(change.detail) == true, "interval \(interval): \(detail ?? "no failure")")
            }
            try store.rebuildViews()
            #expect(try viewsFailure(store, flushingEvery: 7) == nil)
        }
    }
}
