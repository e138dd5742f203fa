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
                try withViewReplay(db, flushingEvery: interval) { replay in
                    var scan = try VerificationScan(db: db, flushingEvery: interval)
                    var anchorSeen = false
                    func verify(_ row: CopiedRow, passedAlone: VerificationScan.Passed?) throws {
                        let event: RecordedEvent?
                        if let passed = try scan.passed(row, alone: passedAlone) {
                            event = Self.verifiedEvent(row, passed, replay: replay)
                        } else {
                            let stored = try Self.slowCheck(
                                rowID: row.int64(0), previous: scan.previousSequence, versions: &scan, db: db)
                            event = Self.replayed(stored, replay: replay)
                        }
                        let sequence = row.int64(0)
                        if let event { try replay?.fold(event) }
                        if sequence % Self.progressInterval == 0 { progress(sequence) }
                        if let anchor, anchor.sequence == sequence {
                            let hash = Array(row.bytes(11))
                            guard anchor.hash == hash else {
                                throw VerificationFailure(
                                    sequence: sequence, kind: .anchorMismatch,
                                    detail:
                                        "its hash is \(EventHash.hex(hash)), not the anchor's \(EventHash.hex(anchor.hash)): the log was rewritten up to here"
                                )
                            }
                            anchorSeen = true
                        }
                        scan.advance(row)
                    }
                    // One pass: a second thread checks each row on its own bytes (the hash, the
                    // format, the data) a batch ahead, while this one reads the next rows, checks
                    // what the rows before decide, and folds the row into the views' replay.
                    let checker = StandaloneRowChecker()
                    var ahead = RowsAhead(columns: Int32(Self.eventStorageClasses.count + 1)) {
                        (rows: $0, passed: checker.check($0))
                    }
                    defer { ahead.stop() }
                    func verifyBatch(_ checked: (rows: CopiedRows, passed: [VerificationScan.Passed?])) throws {
                        for index in 0..<checked.rows.count {
                            try checked.rows.withRow(index) { try verify($0, passedAlone: checked.passed[index]) }
                        }
                    }
                    let cursor = try EventRowCursor(db: db, sql: "SELECT \(Self.eventColumns) FROM event ORDER BY seq")
                    while try cursor.step() {
                        if let checked = ahead.add(cursor) { try verifyBatch(checked) }
                    }
                    while let checked = ahead.next() { try verifyBatch(checked) }
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
                            if let failure = try Self.viewsFailure(replay, db: db, head: head.sequence) { throw failure }
                            return head
                        }
                        throw VerificationFailure(
                            sequence: head.sequence + 1, kind: .anchorMismatch,
                            detail:
                                "the log ends at event \(head.sequence), before the anchor \(anchor.sequence): it was truncated"
                        )
                    }
                    if let failure = try Self.viewsFailure(replay, db: db, head: head.sequence) { throw failure }
                    return head
                }
            }
        }
    }

    /// Calls `body` with the replay of every projection whose rows are stored, each through
    /// its checkpoint; nil when none are.
    func withViewReplay<T>(_ db: Database, flushingEvery interval: Int64, _ body: (SpilledViews?) throws -> T) throws -> T {
        var stored: [(projection: any Projection.Type, checkpoint: Int64)] = []
        // A log of an older format, opened read-only, has no view rows: reads fold the log.
        if try db.tableExists("view_row") {
            for projection in projections {
                if let checkpoint = try Self.checkpoint(of: projection, db: db) { stored.append((projection, checkpoint)) }
            }
        }
        guard !stored.isEmpty else { return try body(nil) }
        return try SpilledViews.with(
            stored.map(\.projection), through: stored.map(\.checkpoint), flushingEvery: interval, body)
    }

    /// Where the stored views first part from the replay, or nil.
    static func viewsFailure(_ replay: SpilledViews?, db: Database, head: Int64) throws -> VerificationFailure? {
        guard let replay else { return nil }
        for (projection, checkpoint) in zip(replay.projections, replay.limits) {
            if checkpoint > head {
                return VerificationFailure(
                    sequence: checkpoint, kind: .views,
                    detail: StoreError.viewsAheadOfLog(checkpoint: checkpoint, head: head).explanation)
            }
            func compare<P: Projection>(_ projection: P.Type) throws -> String? {
                var comparison = try ViewRowComparison<P>(replayed: replay.rows(of: P.self), checkpoint: checkpoint)
                var problem: String?
                try ViewRows<P>(db: db, stored: true).forEachStored { key, data in
                    guard problem == nil else { return }
                    var key = key.rawValue
                    problem = try key.withUTF8 { try comparison.disagreement(key: $0, data: data) }
                }
                return problem ?? comparison.end()
            }
            if let problem = try compare(projection) {
                return VerificationFailure(
                    sequence: checkpoint, kind: .views,
                    detail:
                        "the views (up to event \(checkpoint)) disagree with the log: \(problem); `sinmungo rebuild` replays them")
            }
        }
        return nil
    }

    /// The event of a row that passed, for the views' replay; nil when the replay does not
    /// need it or it does not decode (the replay keeps the error).
    private static func verifiedEvent(
        _ row: some ReplayColumns, _ passed: VerificationScan.Passed, replay: SpilledViews?
    ) -> RecordedEvent? {
        let sequence = row.int64(0)
        guard let replay, replay.needs(sequence) else { return nil }
        do {
            let event = try passed.event.get()
            return RecordedEvent(
                sequence: sequence, caseID: CaseID(row.string(1)), caseVersion: row.int(2), schemaVersion: row.int(4),
                occurredAt: passed.occurredAt, recordedAt: passed.recordedAt, actor: row.string(7), commandID: "",
                event: event)
        } catch {
            replay.refuse(StoreError.unreadableEvent(sequence: sequence, reason: error.description), at: sequence)
            return nil
        }
    }

    /// The same for a row read the slow way.
    private static func replayed(_ stored: StoredEvent, replay: SpilledViews?) -> RecordedEvent? {
        guard let replay, replay.needs(stored.sequence) else { return nil }
        do {
            return try stored.decoded()
        } catch {
            replay.refuse(error, at: stored.sequence)
            return nil
        }
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

/// Runs `StandaloneRowCheck` over batches, one after the other on `WorkAhead`'s thread: its
/// buffers are touched only there.
private final class StandaloneRowChecker: @unchecked Sendable {
    private var standalone = StandaloneRowCheck()

    func check(_ rows: CopiedRows) -> [VerificationScan.Passed?] {
        (0..<rows.count).map { index in rows.withRow(index) { standalone.passed($0) } }
    }
}
