import Foundation
import GRDB
import SinmungoCore
import SinmungoStore
import Testing

@Suite("Verifying the hash chain against tampering")
struct VerificationTests {
    static let scriptPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scripts/verify_log.py").path

    /// A log of a few dozen events on disk, and its head before any tampering.
    func makeLog() throws -> (path: String, head: LogAnchor) {
        let path = TemporaryFolder().path("log.sqlite")
        let store = try SQLiteEventStore.create(at: path).store
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

    func swiftVerdict(_ path: String, against anchor: LogAnchor? = nil) throws -> VerificationFailure? {
        do {
            try SQLiteEventStore(openingExistingAt: path, mode: .readOnly).verify(against: anchor)
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
        let store = try SQLiteEventStore(openingExistingAt: path, mode: .readOnly)
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
            "INSERT INTO event VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                forged.sequence, forged.caseID, forged.caseVersion, forged.type, forged.schemaVersion, forged.occurredAt,
                forged.recordedAt, forged.actor, forged.commandID, forged.data, Data(forged.previousHash), Data(forged.hash),
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
        let store = try SQLiteEventStore(openingExistingAt: path, mode: .readOnly)
        var events: [StoredEvent] = []
        try store.forEachStoredEvent { events.append($0) }
        var previous = events[3].hash
        for index in 4..<events.count {
            if index == 4 { events[index].actor = "someone-else" }
            events[index].previousHash = previous
            events[index].hash = events[index].expectedHash
            previous = events[index].hash
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

    @Test
    func aTruncatedLogIsCaughtByItsAnchor() throws {
        let (path, head) = try makeLog()
        try tamper(path, "DELETE FROM event WHERE seq > ?", arguments: [head.sequence - 3])
        #expect(try swiftVerdict(path) == nil)
        let failure = try #require(try swiftVerdict(path, against: head))
        #expect(failure.kind == .anchorMismatch)
        #expect(failure.detail.contains("truncated"))
        #expect(try pythonVerdict(path, against: head).status == 65)
    }
}
