import Foundation
import SinmungoCore
import SinmungoStore

/// An office's side of an import: checked rows stream out through one COPY, a megabyte at a
/// time, inside the import's transaction, so that the server stores rows while the next are
/// checked. Filters of the case and command ids written stand in for the ids themselves, so
/// that a line waits on a round trip only when one answers "perhaps".
struct PostgresImportLedger: ImportLedger {
    let connection: PostgresConnection
    let office: String
    /// Kept in a layout 1 event's unhashed account column: the login that imported it.
    let login: String
    /// The command ids in the office's log and this import's.
    private let knownCommands = MembershipFilter()
    /// The cases and streams in the office's log and this import's.
    private let knownCases = MembershipFilter()
    private var pending: [UInt8] = []
    /// Whether a COPY is open; it is ended whenever the office's rows must be read back.
    private var copying = false
    private static let flushBytes = 1 << 20
    /// The views folded from the written events, while the office had none before: then
    /// they need no stored row, and the events are not read back to fold them.
    var views: SpilledViews?
    private(set) var lastWritten: Int64 = 0

    init(connection: PostgresConnection, office: String, login: String, head: ImportHead) throws {
        self.connection = connection
        self.office = office
        self.login = login
        // The office's own case and command ids go into the filters first; a case's first event names it once.
        if head.sequence > 0 {
            try connection.streamRows(
                "SELECT command_id, case_version = 1, case_id FROM sinmungo.event WHERE office = $1", [office]
            ) { [knownCommands, knownCases] row in
                knownCommands.insert(row.text(0))
                if row.text(1) == "t" { knownCases.insert(row.text(2)) }
            }
        }
        pending.reserveCapacity(Self.flushBytes + (64 << 10))
    }

    /// The office's last event, which the import continues.
    static func head(of office: String, on connection: PostgresConnection) throws -> ImportHead {
        let rows = try connection.execute(
            "SELECT seq, hash, recorded_at FROM sinmungo.event WHERE office = $1 ORDER BY seq DESC LIMIT 1", [office])
        guard rows.count == 1, let sequence = rows[0, 0].flatMap({ Int64($0) }), let hash = rows[0, 1],
            let recordedAt = rows[0, 2]
        else { return ImportHead(sequence: 0, hash: EventHash.genesis, recordedAt: nil) }
        return ImportHead(
            sequence: sequence, hash: PostgresConnection.bytes(fromHex: hash), recordedAt: Instant(iso8601: recordedAt))
    }

    mutating func storedEvents(of caseID: CaseID) throws -> [StoredEvent] {
        // A case neither the office's log nor this import holds has nothing stored: no round trip.
        guard knownCases.mightContain(caseID.rawValue) else { return [] }
        try flush()
        var events: [StoredEvent] = []
        try connection.forEachRow(
            "SELECT \(PostgresEventStore.columns) FROM sinmungo.event WHERE office = $1 AND case_id = $2 ORDER BY case_version",
            [office, caseID.rawValue]
        ) { events.append(PostgresEventStore.storedEvent($0)) }
        return events
    }

    mutating func sequence(ofCommand commandID: String) throws -> Int64? {
        guard knownCommands.mightContain(commandID) else { return nil }
        try flush()
        let rows = try connection.execute(
            "SELECT min(seq) FROM sinmungo.event WHERE office = $1 AND command_id = $2", [office, commandID])
        return rows.count == 1 ? rows[0, 0].flatMap { Int64($0) } : nil
    }

    mutating func write(_ stored: StoredEvent, of event: RecordedEvent) throws {
        try views?.fold(event)
        lastWritten = stored.sequence
        knownCommands.insert(stored.commandID)
        knownCases.insert(stored.caseID)
        // The columns of `PostgresEventStore.columns`, after the office.
        for field in [office, String(stored.sequence), stored.caseID, String(stored.caseVersion), stored.type] {
            CopyText.appendField(field, to: &pending)
            pending.append(UInt8(ascii: "\t"))
        }
        for field in [String(stored.schemaVersion), stored.occurredAt, stored.recordedAt, stored.actor, stored.commandID] {
            CopyText.appendField(field, to: &pending)
            pending.append(UInt8(ascii: "\t"))
        }
        CopyText.appendField(stored.data, to: &pending)
        pending.append(UInt8(ascii: "\t"))
        CopyText.appendBytea(stored.previousHash, to: &pending)
        pending.append(UInt8(ascii: "\t"))
        CopyText.appendBytea(stored.hash, to: &pending)
        pending.append(UInt8(ascii: "\t"))
        CopyText.appendField(String(stored.layout), to: &pending)
        pending.append(UInt8(ascii: "\t"))
        CopyText.appendField(stored.account ?? login, to: &pending)
        pending.append(UInt8(ascii: "\n"))
        if pending.count >= Self.flushBytes { try send() }
    }

    private mutating func send() throws {
        if !copying {
            try connection.beginCopy("COPY sinmungo.event (office, \(PostgresEventStore.columns)) FROM STDIN")
            copying = true
        }
        try connection.sendCopyData(pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// The keys go in the same transaction, by a COPY of their own once the events' has ended.
    mutating func keep(_ keys: [PersonKey]) throws {
        try flush()
        let office = office
        try connection.copyIn("COPY sinmungo.person_key (person, office, case_id, key) FROM STDIN") { write in
            for key in keys {
                try write(
                    CopyText.row([key.person, office, key.caseID.rawValue, PostgresConnection.hexLiteral([UInt8](key.bytes))]))
            }
        }
    }

    /// Sends the rows checked so far and ends the COPY, so that the server reports on them.
    mutating func flush() throws {
        if !pending.isEmpty { try send() }
        if copying {
            copying = false
            try connection.endCopy()
        }
    }

    /// Ends an open COPY as failed, so that the transaction can be rolled back.
    mutating func abandon() {
        if copying { connection.abandonCopy() }
        copying = false
        pending.removeAll()
    }
}

extension PostgresEventStore {
    /// Checks the file line by line with the SQLite importer's own checks, as a continuation
    /// of the office's log, and sends what it accepts by COPY in batches; the caller's
    /// transaction makes it all or nothing.
    func importStreaming(
        _ connection: PostgresConnection, url: URL, source: String, now: Instant?, policy: Policy,
        adoption: RosterAdoptionRequest?, progress: (Int64) -> Void
    ) throws -> ImportOutcome {
        let head = try PostgresImportLedger.head(of: office, on: connection)
        // Into an office with no events, the views are folded as the events are checked.
        guard head.sequence == 0, !projections.isEmpty else {
            return try importChecked(
                connection, url: url, source: source, now: now, policy: policy, adoption: adoption, head: head,
                views: nil, progress: progress)
        }
        return try SpilledViews.with(projections) { views in
            try importChecked(
                connection, url: url, source: source, now: now, policy: policy, adoption: adoption, head: head,
                views: views, progress: progress)
        }
    }

    private func importChecked(
        _ connection: PostgresConnection, url: URL, source: String, now: Instant?, policy: Policy,
        adoption: RosterAdoptionRequest?, head: ImportHead, views: SpilledViews?, progress: (Int64) -> Void
    ) throws -> ImportOutcome {
        let login = try connection.execute("SELECT session_user").rows.first?.first ?? nil
        var ledger = try PostgresImportLedger(connection: connection, office: office, login: login ?? "", head: head)
        ledger.views = views
        var importer = LogImporter(
            ledger: ledger, head: head, source: source, now: now, policy: policy, sweepingEvery: importSweepInterval,
            keepingKeysEvery: importKeyBatch)
        let outcome: ImportOutcome
        do {
            outcome = try importer.importFile(at: url, adopting: adoption, progress: progress)
            try importer.ledger.flush()
        } catch {
            importer.ledger.abandon()
            throw error
        }
        // The views take the imported events in the same transaction: folded as they were
        // checked when the office was empty, else refolded from its log.
        if let views {
            try Self.writeViews(views, through: importer.ledger.lastWritten, office: office, connection)
        } else if !projections.isEmpty {
            _ = try Self.refoldViews(projections, office: office, connection)
        }
        return outcome
    }
}
