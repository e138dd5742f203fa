import Foundation
internal import GRDB
import SinmungoCore

extension SQLiteEventStore {
    /// Checks the whole log: gapless sequence, every hash and link, per-case versions, and
    /// (when given) that the log still extends `anchor`. Returns the head on success.
    @discardableResult
    public func verify(against anchor: LogAnchor? = nil, progress: (Int64) -> Void = { _ in }) throws -> LogAnchor {
        try verify(against: anchor, flushingEvery: Self.viewFlushInterval, progress: progress)
    }

    /// `interval`: events between two flushes of the views' replay to its scratch database, and
    /// between two clearings of the case versions kept in memory.
    @discardableResult
    func verify(against anchor: LogAnchor?, flushingEvery interval: Int64, progress: (Int64) -> Void = { _ in })
        throws -> LogAnchor
    {
        try withTranslatedErrors {
            try database.read { db in
                try withViewReplays(db, flushingEvery: interval) { replays in
                    var scan = try VerificationScan(db: db, flushingEvery: interval)
                    var anchorSeen = false
                    // One pass: every row is checked on its stored bytes and folded into the views' replay.
                    let cursor = try EventRowCursor(db: db, sql: "SELECT \(Self.eventColumns) FROM event ORDER BY seq")
                    while try cursor.step() {
                        let event: RecordedEvent?
                        if let passed = try scan.passed(cursor) {
                            event = Self.verifiedEvent(cursor, passed, replays: &replays)
                        } else {
                            let stored = try Self.slowCheck(
                                rowID: cursor.int64(0), previous: scan.previousSequence, versions: &scan, db: db)
                            event = Self.replayed(stored, replays: &replays)
                        }
                        let sequence = cursor.int64(0)
                        if let event { for index in replays.indices { try replays[index].fold(event) } }
                        if sequence % Self.progressInterval == 0 { progress(sequence) }
                        if let anchor, anchor.sequence == sequence {
                            let hash = Array(cursor.bytes(11))
                            guard anchor.hash == hash else {
                                throw VerificationFailure(
                                    sequence: sequence, kind: .anchorMismatch,
                                    detail:
                                        "its hash is \(EventHash.hex(hash)), not the anchor's \(EventHash.hex(anchor.hash)): the log was rewritten up to here"
                                )
                            }
                            anchorSeen = true
                        }
                        scan.advance(cursor)
                    }
                    let head = LogAnchor(sequence: scan.previousSequence, hash: scan.previousHash)
                    if let anchor, !anchorSeen {
                        if anchor.sequence == 0 {
                            // The head of an empty log: every log extends the genesis, and nothing else is event 0.
                            guard anchor.hash == EventHash.genesis else {
                                throw VerificationFailure(
                                    sequence: 0, kind: .anchorMismatch,
                                    detail:
                                        "the anchor 0:… names the genesis, whose hash is 64 zeros, but gives another hash: it was mistyped or forged"
                                )
                            }
                            for index in replays.indices {
                                if let failure = try replays[index].failure(db: db, head: head.sequence) { throw failure }
                            }
                            return head
                        }
                        throw VerificationFailure(
                            sequence: head.sequence + 1, kind: .anchorMismatch,
                            detail:
                                "the log ends at event \(head.sequence), before the anchor \(anchor.sequence): it was truncated"
                        )
                    }
                    for index in replays.indices {
                        if let failure = try replays[index].failure(db: db, head: head.sequence) { throw failure }
                    }
                    return head
                }
            }
        }
    }

    /// The event of a row that passed, for the views' replay; nil when no replay needs it or
    /// it does not decode (each replay that needed it keeps the error).
    private static func verifiedEvent(
        _ row: EventRowCursor, _ passed: VerificationScan.Passed, replays: inout [any ViewReplaying]
    ) -> RecordedEvent? {
        let sequence = row.int64(0)
        guard replays.contains(where: { ($0.checkpoint ?? 0) >= sequence }) else { return nil }
        do {
            let event = try EventCodec.decode(type: passed.type, schemaVersion: row.int(4), fields: passed.payload)
            return RecordedEvent(
                sequence: sequence, caseID: CaseID(row.string(1)), caseVersion: row.int(2), schemaVersion: row.int(4),
                occurredAt: passed.occurredAt, recordedAt: passed.recordedAt, actor: row.string(7), commandID: "",
                event: event)
        } catch {
            refuse(StoreError.unreadableEvent(sequence: sequence, reason: error.description), at: sequence, in: &replays)
            return nil
        }
    }

    /// The same for a row read the slow way.
    private static func replayed(_ stored: StoredEvent, replays: inout [any ViewReplaying]) -> RecordedEvent? {
        guard replays.contains(where: { ($0.checkpoint ?? 0) >= stored.sequence }) else { return nil }
        do {
            return try stored.decoded()
        } catch {
            refuse(error, at: stored.sequence, in: &replays)
            return nil
        }
    }

    private static func refuse(_ error: any Error, at sequence: Int64, in replays: inout [any ViewReplaying]) {
        for index in replays.indices where (replays[index].checkpoint ?? 0) >= sequence { replays[index].refuse(error) }
    }

    /// Reads a row that failed the fast checks again, with GRDB, and names what is wrong:
    /// the checks as they were first written. Returns the event when, after all, nothing is.
    private static func slowCheck(rowID: Int64, previous: Int64, versions scan: inout VerificationScan, db: Database) throws
        -> StoredEvent
    {
        func stored(_ rowID: Int64) throws -> StoredEvent? {
            // A cursor's row reads the statement's bytes; a fetched row's strings would stop at a NUL.
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT \(Self.checkedEventColumns) FROM event WHERE seq = ?", arguments: [rowID])
            guard rowID > 0, let row = try cursor.next() else { return nil }
            return try Self.exactStoredEvent(row, db: db)
        }
        let event: StoredEvent
        do {
            guard let read = try stored(rowID) else {
                throw VerificationFailure(sequence: rowID, kind: .changed, detail: "it cannot be read back")
            }
            event = read
        } catch let fault as StoredColumnFault {
            // Bytes the format does not allow are a change, even where the hash would match.
            throw VerificationFailure(sequence: fault.sequence, kind: .changed, detail: fault.description)
        }
        let previousEvent = try stored(previous)
        let beforePrevious = try previousEvent.flatMap { _ in try stored(previous - 1) }
        if let failure = try Self.check(
            event, expected: previous + 1, previous: previousEvent, beforePrevious: beforePrevious, db: db)
        {
            throw failure
        }
        if let problem = EventFormatRules.problem(with: event, after: previousEvent) {
            throw VerificationFailure(sequence: event.sequence, kind: .changed, detail: problem)
        }
        let version = try scan.version(of: event.caseID, before: event.sequence)
        guard event.caseVersion == version + 1 else {
            throw VerificationFailure(
                sequence: event.sequence, kind: .reordered,
                detail: "case \(event.caseID) has version \(event.caseVersion) here, after version \(version)"
            )
        }
        return event
    }

    /// The first thing wrong with `event`, given the events before it, or nil.
    private static func check(
        _ event: StoredEvent, expected: Int64, previous: StoredEvent?, beforePrevious: StoredEvent?, db: Database
    ) throws -> VerificationFailure? {
        if event.sequence > expected {
            return VerificationFailure(
                sequence: expected, kind: .missing, detail: "the sequence jumps from \(expected - 1) to \(event.sequence)")
        }
        let previousHash = previous?.hash ?? EventHash.genesis
        if event.hash != event.expectedHash {
            // An event whose hash holds under another number was moved there.
            if let original = originalSequence(of: event) {
                if original == expected + 1,
                    let next = try? storedEvents(db, where: "seq = ?", [expected + 1]).first,
                    originalSequence(of: next) == expected
                {
                    return VerificationFailure(
                        sequence: expected, kind: .reordered, detail: "events \(expected) and \(expected + 1) were swapped")
                }
                if original > expected {
                    return VerificationFailure(
                        sequence: expected, kind: .missing,
                        detail: "event \(expected) was removed and the later events renumbered (this one was \(original))")
                }
                return VerificationFailure(
                    sequence: expected - 1, kind: .inserted,
                    detail: "an event was inserted before \(expected) and the later events renumbered (this one was \(original))")
            }
            return VerificationFailure(
                sequence: event.sequence, kind: .changed, detail: "its stored fields no longer match its hash")
        }
        if event.previousHash != previousHash {
            if let beforePrevious, event.previousHash == beforePrevious.hash {
                return VerificationFailure(
                    sequence: expected - 1, kind: .inserted,
                    detail: "event \(expected - 1) is not in the chain: event \(expected) links to \(expected - 2)")
            }
            return VerificationFailure(
                sequence: event.sequence, kind: .changed,
                detail: "it does not link to the hash of event \(expected - 1): the chain was rewritten from here")
        }
        return nil
    }

    /// The sequence number under which a moved event's hash holds, looked for nearby.
    private static func originalSequence(of event: StoredEvent) -> Int64? {
        for offset: Int64 in [1, -1, 2, -2] {
            var moved = event
            moved.sequence = event.sequence + offset
            if moved.sequence > 0, moved.expectedHash == event.hash { return moved.sequence }
        }
        return nil
    }
}
