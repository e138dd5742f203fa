import Foundation
import SinmungoCore
import SinmungoJSON
import SinmungoStore

extension PostgresEventStore {
    // MARK: Verify

    /// Checks the office's whole chain as LogFormat's "Verifying" lays it out (gapless
    /// sequence, hashes, links, formats, case versions) and that it still extends `anchor`.
    @discardableResult
    public func verify(against anchor: LogAnchor? = nil, progress: (Int64) -> Void = { _ in }) throws -> LogAnchor {
        try verify(against: anchor, flushingEvery: SpilledViews.flushInterval, progress: progress)
    }

    /// `interval`: events between two writes of the views' replay to its scratch database.
    @discardableResult
    func verify(against anchor: LogAnchor?, flushingEvery interval: Int64, progress: (Int64) -> Void = { _ in })
        throws -> LogAnchor
    {
        let stored = try storedViews()
        guard !stored.isEmpty else {
            return try verify(against: anchor, replay: nil, flushingEvery: interval, progress: progress)
        }
        return try SpilledViews.with(
            stored.map(\.projection), through: stored.map(\.checkpoint), flushingEvery: interval
        ) { replay in
            try verify(against: anchor, replay: replay, flushingEvery: interval, progress: progress)
        }
    }

    /// `replay`: the stored views' replay, folded as the chain is checked, then compared.
    private func verify(
        against anchor: LogAnchor?, replay: SpilledViews?, flushingEvery interval: Int64, progress: (Int64) -> Void
    ) throws -> LogAnchor {
        var previous: StoredEvent?
        var versions = RecentCaseVersions(office: office, interval: interval)
        var anchorSeen = false
        var transfers: [StoredEvent] = []
        try forEachStoredBatch { batch in
            try withConnection { try versions.prepare(for: batch, $0) }
            for event in batch { try check(event) }
        }
        func check(_ event: StoredEvent) throws {
            if event.type == EventType.sentToOffice.rawValue || event.type == EventType.receivedFromOffice.rawValue {
                transfers.append(event)
            }
            let expected = (previous?.sequence ?? 0) + 1
            if event.sequence != expected {
                throw VerificationFailure(
                    sequence: expected, kind: .missing, detail: "the sequence jumps from \(expected - 1) to \(event.sequence)")
            }
            if event.hash != event.expectedHash {
                throw VerificationFailure(
                    sequence: event.sequence, kind: .changed, detail: "its stored fields no longer match its hash")
            }
            if event.previousHash != (previous?.hash ?? EventHash.genesis) {
                throw VerificationFailure(
                    sequence: event.sequence, kind: .changed,
                    detail: "it does not link to the hash of event \(expected - 1): the chain was rewritten from here")
            }
            if let problem = event.formatProblem(after: previous) {
                throw VerificationFailure(sequence: event.sequence, kind: .changed, detail: problem)
            }
            let version = versions.last(of: event.caseID)
            guard event.caseVersion == version + 1 else {
                throw VerificationFailure(
                    sequence: event.sequence, kind: .reordered,
                    detail: "case \(event.caseID) has version \(event.caseVersion) here, after version \(version)")
            }
            versions.advance(event)
            if let anchor, anchor.sequence == event.sequence {
                guard anchor.hash == event.hash else {
                    throw VerificationFailure(
                        sequence: event.sequence, kind: .anchorMismatch,
                        detail:
                            "its hash is \(EventHash.hex(event.hash)), not the anchor's \(EventHash.hex(anchor.hash)): the log was rewritten up to here"
                    )
                }
                anchorSeen = true
            }
            if let replay, replay.needs(event.sequence) {
                let decoded: RecordedEvent?
                do {
                    decoded = try event.decoded()
                } catch {
                    replay.refuse(error, at: event.sequence)
                    decoded = nil
                }
                if let decoded { try replay.fold(decoded) }
            }
            if event.sequence % 10_000 == 0 { progress(event.sequence) }
            previous = event
        }
        try verifyTransfers(transfers)
        try checkViews(replay)
        let head = LogAnchor(sequence: previous?.sequence ?? 0, hash: previous?.hash ?? EventHash.genesis)
        if let anchor, !anchorSeen {
            if anchor.sequence == 0 {
                guard anchor.hash == EventHash.genesis else {
                    throw VerificationFailure(
                        sequence: 0, kind: .anchorMismatch,
                        detail: "the anchor 0:… names the genesis, whose hash is 64 zeros, but gives another hash: it was mistyped or forged")
                }
                return head
            }
            throw VerificationFailure(
                sequence: head.sequence + 1, kind: .anchorMismatch,
                detail: "the log ends at event \(head.sequence), before the anchor \(anchor.sequence): it was truncated")
        }
        return head
    }

    /// Each case's last version as `verify` walks the office's log: kept for the cases seen in
    /// this stretch of `interval` events and the one before, so that memory does not grow with
    /// the log; the others a batch meets are looked up in one query before it is checked.
    struct RecentCaseVersions {
        let office: String
        let interval: Int64
        private var versions: [String: Int] = [:]
        private var olderVersions: [String: Int] = [:]
        /// The last event of the stretch before the current one.
        private var stretchStart: Int64 = 0
        /// The batch's cases that neither stretch holds, at their version before the batch.
        private var lookedUp: [String: Int] = [:]

        init(office: String, interval: Int64) {
            self.office = office
            self.interval = interval
        }

        /// Every earlier event passed the version check in log order, so the highest version
        /// before the batch is its case's last one. A case's first event in the batch is the
        /// only one that needs it: later ones find the version the first left.
        mutating func prepare(for batch: [StoredEvent], _ connection: PostgresConnection) throws {
            guard let first = batch.first else { return }
            // Stretches end only between batches, so that no case a batch has met is dropped before it ends.
            if first.sequence - 1 - stretchStart >= interval {
                swap(&versions, &olderVersions)
                versions.removeAll(keepingCapacity: true)
                stretchStart = first.sequence - 1
            }
            lookedUp.removeAll(keepingCapacity: true)
            var quiet = Set<String>()
            for event in batch where versions[event.caseID] == nil && olderVersions[event.caseID] == nil {
                quiet.insert(event.caseID)
            }
            guard !quiet.isEmpty else { return }
            try connection.forEachRow(
                """
                SELECT case_id, max(case_version) FROM sinmungo.event
                WHERE office = $1 AND case_id = ANY($2::text[]) AND seq < $3 GROUP BY case_id
                """, [office, SQLArray.literal(Array(quiet)), String(first.sequence)]
            ) { row in lookedUp[row.text(0)] = Int(row.integer(1)) }
        }

        /// The case's last version before this event, 0 before its first.
        func last(of caseID: String) -> Int {
            versions[caseID] ?? olderVersions[caseID] ?? lookedUp[caseID] ?? 0
        }

        mutating func advance(_ event: StoredEvent) {
            versions[event.caseID] = event.caseVersion
        }
    }

    // MARK: Export and import

    /// Writes the office's log as JSON Lines, byte for byte as the SQLite store exports it.
    public func exportLog(_ write: (String) throws -> Void) throws {
        try forEachStoredEvent { try write($0.exportLine) }
    }

    /// Appends a JSON Lines log to the office, all or nothing, with every check `import`
    /// runs on SQLite: each line is checked by the same importer as a continuation of the
    /// office's log and sent by COPY in batches, in one transaction, under the office's lock.
    @discardableResult
    public func importLog(
        at url: URL, source: String, now: Instant? = nil, policy: Policy = .yeongdeungpo,
        progress: (Int64) -> Void = { _ in }
    ) throws -> Int {
        try importLog(at: url, source: source, now: now, policy: policy, adoptingRoster: nil, progress: progress).events
    }

    /// The same, and, for a file from another system, the roster entries its names call for,
    /// in the same transaction (see `SQLiteEventStore.importLog(at:source:now:policy:adoptingRoster:progress:)`).
    public func importLog(
        at url: URL, source: String, now: Instant? = nil, policy: Policy = .yeongdeungpo,
        adoptingRoster adoption: RosterAdoptionRequest?, progress: (Int64) -> Void = { _ in }
    ) throws -> ImportOutcome {
        try withConnection { connection in
            try connection.execute("BEGIN")
            do {
                try connection.execute(
                    "SELECT sinmungo.may_write($1) AS allowed, pg_advisory_xact_lock(hashtextextended('sinmungo office ' || $1, 0))",
                    [office]
                ).rows.first.map { row in
                    guard row[0] == "t" else {
                        throw PostgresFailure(.forbidden, "this database login is not an officer of office \(office)")
                    }
                }
                // An office is made by its first append or import (the owner's; officers' offices exist).
                if try connection.execute("SELECT 1 FROM sinmungo.office WHERE office = $1", [office]).count == 0 {
                    try connection.execute("INSERT INTO sinmungo.office VALUES ($1)", [office])
                }
                let outcome = try importStreaming(
                    connection, url: url, source: source, now: now, policy: policy, adoption: adoption, progress: progress)
                try connection.execute("COMMIT")
                return outcome
            } catch {
                _ = try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    // MARK: Views

    /// Refolds every view from the office's log into `view_row`, the table statistics staff
    /// read, and returns the number of events replayed. One pass over the log folds them all,
    /// in one transaction under the office's lock, so that no append slips in between.
    @discardableResult
    public func rebuildViews(progress: (Int64) -> Void = { _ in }) throws -> Int64 {
        try rebuildViews(flushingEvery: SpilledViews.flushInterval, progress: progress)
    }

    /// `interval`: events between two writes of the quiet rows to the scratch database.
    @discardableResult
    func rebuildViews(flushingEvery interval: Int64, progress: (Int64) -> Void = { _ in }) throws -> Int64 {
        try withConnection { connection in
            try connection.execute("BEGIN")
            do {
                try connection.execute("SELECT pg_advisory_xact_lock(hashtextextended('sinmungo office ' || $1, 0))", [office])
                let replayed = try Self.refoldViews(
                    projections, office: office, connection, flushingEvery: interval, progress: progress)
                try connection.execute("COMMIT")
                return replayed
            } catch {
                _ = try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// The refold itself, in the caller's transaction, which holds `office`'s lock: for
    /// `rebuild`, and for `import`, whose events join the views in the same transaction.
    static func refoldViews(
        _ projections: [any Projection.Type], office: String, _ connection: PostgresConnection,
        flushingEvery interval: Int64 = SpilledViews.flushInterval, progress: (Int64) -> Void = { _ in }
    ) throws -> Int64 {
        try SpilledViews.with(projections, flushingEvery: interval) { views in
            var replayed: Int64 = 0
            var last: Int64 = 0
            try connection.streamRows(
                "SELECT \(replayColumns) FROM sinmungo.event WHERE office = $1 ORDER BY seq", [office]
            ) { row in
                let event = try replayedEvent(row)
                try views.fold(event)
                last = event.sequence
                replayed += 1
                if replayed % 10_000 == 0 { progress(replayed) }
            }
            try writeViews(views, through: last, office: office, connection)
            return replayed
        }
    }

    /// Replaces the office's stored views with `views`, folded from its events through `last`.
    static func writeViews(_ views: SpilledViews, through last: Int64, office: String, _ connection: PostgresConnection)
        throws
    {
        let hash = try connection.execute(
            "SELECT hash FROM sinmungo.event WHERE office = $1 AND seq = $2", [office, String(last)]
        ).rows.first?.first ?? nil
        try connection.execute("DELETE FROM sinmungo.view_row WHERE office = $1", [office])
        try connection.beginCopy("COPY sinmungo.view_row (office, projection, case_id, data) FROM STDIN")
        do {
            var pending: [UInt8] = []
            pending.reserveCapacity(1 << 20)
            for projection in views.projections {
                let prefix = CopyText.row([office, projection.name]).utf8.dropLast()
                try views.forEachRow(of: projection) { key, json in
                    pending.append(contentsOf: prefix)
                    pending.append(UInt8(ascii: "\t"))
                    CopyText.appendField(key, to: &pending)
                    pending.append(UInt8(ascii: "\t"))
                    CopyText.appendField(json, to: &pending)
                    pending.append(UInt8(ascii: "\n"))
                    if pending.count >= 1 << 20 {
                        try connection.sendCopyData(pending)
                        pending.removeAll(keepingCapacity: true)
                    }
                }
            }
            try connection.sendCopyData(pending)
        } catch {
            connection.abandonCopy()
            throw error
        }
        try connection.endCopy()
        for projection in views.projections {
            try connection.execute(
                """
                INSERT INTO sinmungo.view_checkpoint (office, projection, version, seq, hash) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (office, projection) DO UPDATE SET version = excluded.version, seq = excluded.seq, hash = excluded.hash
                """,
                [
                    office, projection.name, String(projection.version), String(last),
                    hash ?? PostgresConnection.hexLiteral(EventHash.genesis),
                ])
        }
    }
}

/// COPY's text format: tab-separated, with backslash escapes.
enum CopyText {
    /// Escapes byte by byte over UTF-8: every byte COPY escapes is ASCII, and no byte of a
    /// multi-byte character is ASCII.
    static func row(_ fields: [String]) -> String {
        var line = [UInt8]()
        line.reserveCapacity(fields.reduce(fields.count) { $0 + $1.utf8.count })
        append(fields, to: &line)
        return String(decoding: line, as: UTF8.self)
    }

    /// Appends one row, with its newline, to `line`.
    static func append(_ fields: [String], to line: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { line.append(UInt8(ascii: "\t")) }
            appendField(field, to: &line)
        }
        line.append(UInt8(ascii: "\n"))
    }

    /// Appends one field, escaped.
    static func appendField(_ field: String, to line: inout [UInt8]) {
        var field = field
        field.withUTF8 { appendField($0, to: &line) }
    }

    /// Appends one field's UTF-8, escaped: the runs between escapes are copied whole.
    static func appendField(_ bytes: UnsafeBufferPointer<UInt8>, to line: inout [UInt8]) {
        var runStart = 0
        for index in bytes.indices {
            let escaped: UInt8
            switch bytes[index] {
            case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
            case UInt8(ascii: "\t"): escaped = UInt8(ascii: "t")
            case UInt8(ascii: "\n"): escaped = UInt8(ascii: "n")
            case UInt8(ascii: "\r"): escaped = UInt8(ascii: "r")
            default: continue
            }
            line.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            line.append(UInt8(ascii: "\\"))
            line.append(escaped)
            runStart = index + 1
        }
        line.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
    }

    /// Appends a bytea field in hex (`\\x…` once escaped for COPY), without a string between.
    static func appendBytea(_ bytes: [UInt8], to line: inout [UInt8]) {
        line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\"), UInt8(ascii: "x")])
        for byte in bytes {
            line.append(hexDigits[Int(byte >> 4)])
            line.append(hexDigits[Int(byte & 0x0f)])
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
