import Foundation
import SinmungoCore
import SinmungoStore

/// What a transfer between offices wrote: the last event of the case here, and the first of
/// the case it became in the receiving office.
public struct OfficeTransfer: Sendable {
    public var sent: RecordedEvent
    public var receivingOffice: String
    public var received: RecordedEvent
}

/// The office named as the receiving one does not exist on the server.
public struct NoSuchOffice: Error, Sendable, CustomStringConvertible {
    public var office: String
    public var description: String { "there is no office \(office) on this server; its first append or import makes it" }
}

extension PostgresEventStore {
    /// Sends `caseID` from this office to `receivingOffice` (이송): the case ends here with
    /// `sent-to-office` and starts there, under the next petition number of that office,
    /// with `received-from-office`. Both events are written in one transaction, or neither.
    public func transfer(
        _ caseID: CaseID, to receivingOffice: String, reason: String, actor: String, commandID: String,
        occurredAt: Instant, recordedAt: Instant, expectedVersion: Int? = nil
    ) throws -> OfficeTransfer {
        guard receivingOffice != office else {
            throw Refusal.invalidValue(
                case: caseID, field: "office", problem: "\(receivingOffice) is the case's own office; name another")
        }
        if let earlier = try events(ofCommand: commandID) { throw CommandAlreadyApplied(events: earlier) }
        // A head can move only between reading it and taking the locks; the locks are taken
        // first, so one attempt suffices, but a retry keeps a stray race from failing the command.
        for _ in 0..<3 {
            if let done = try withConnection({ connection in
                try connection.execute("BEGIN")
                do {
                    let result = try attemptTransfer(
                        connection, caseID, to: receivingOffice, reason: reason, actor: actor, commandID: commandID,
                        occurredAt: occurredAt, recordedAt: recordedAt, expectedVersion: expectedVersion)
                    if result != nil { try foldTransferIntoViews(connection, receivingOffice: receivingOffice) }
                    try connection.execute(result == nil ? "ROLLBACK" : "COMMIT")
                    return result
                } catch {
                    _ = try? connection.execute("ROLLBACK")
                    throw error
                }
            }) {
                return done
            }
        }
        throw PostgresFailure(.server, "the offices' logs kept moving while the transfer was built; try again")
    }

    private func attemptTransfer(
        _ connection: PostgresConnection, _ caseID: CaseID, to receivingOffice: String, reason: String, actor: String,
        commandID: String, occurredAt: Instant, recordedAt: Instant, expectedVersion: Int?
    ) throws -> OfficeTransfer? {
        try connection.execute("SELECT sinmungo.lock_offices($1, $2)", [office, receivingOffice])
        guard try connection.execute("SELECT 1 FROM sinmungo.office WHERE office = $1", [receivingOffice]).count == 1 else {
            throw NoSuchOffice(office: receivingOffice)
        }
        var history: [StoredEvent] = []
        try connection.forEachRow(
            "SELECT \(Self.columns) FROM sinmungo.event WHERE office = $1 AND case_id = $2 ORDER BY case_version",
            [office, caseID.rawValue]
        ) { history.append(Self.storedEvent($0)) }
        let events = try history.map { try $0.decoded() }
        let state = CaseState(id: caseID, replaying: events)
        guard state.exists else { throw Refusal.noSuchCase(caseID) }
        if let expectedVersion, expectedVersion != state.version {
            throw AppendConflict(caseID: caseID, expectedVersion: expectedVersion, actualVersion: state.version)
        }
        let (title, category) = Self.titleAndCategory(events)

        let year = occurredAt.kstDate.year
        let prefix = "PET-\(year)-"
        let highest = try connection.execute(
            """
            SELECT max(substr(case_id, $1::int)::bigint) FROM sinmungo.event
            WHERE office = $2 AND case_version = 1 AND case_id LIKE $3 AND substr(case_id, $1::int) ~ '^[0-9]{1,18}$'
            """, [String(prefix.count + 1), receivingOffice, prefix + "%"])
        let newID = CaseID(
            kind: .petition, year: year, number: (highest.rows.first?.first ?? nil).flatMap(Int.init).map { $0 + 1 } ?? 1)

        func head(of office: String) throws -> (sequence: Int64, hash: [UInt8], recordedAt: String) {
            var found: (Int64, [UInt8], String) = (0, EventHash.genesis, "")
            try connection.forEachRow(
                "SELECT seq, hash, recorded_at FROM sinmungo.event WHERE office = $1 ORDER BY seq DESC LIMIT 1", [office]
            ) { found = ($0.integer(0), $0.bytes(1), $0.text(2)) }
            return found
        }
        // The server hashes both events in layout 2 with this session's login as the account.
        guard let login = try connection.execute("SELECT session_user").rows.first?.first ?? nil else {
            throw PostgresFailure(.server, "the server did not say which login this session runs under")
        }
        let from = try head(of: office)
        let to = try head(of: receivingOffice)
        // Recorded time never runs backwards in either chain, as `append` keeps it.
        let recorded = [recordedAt.description, from.recordedAt, to.recordedAt].max()!
        guard let recordedInstant = Instant(iso8601: recorded) else {
            throw PostgresFailure(.server, "a log's last recorded time \(recorded) is not a time")
        }

        let sent = CaseEvent.sentToOffice(
            SentToOffice(
                office: receivingOffice, receivedAs: newID, sequence: to.sequence + 1, chainedOn: EventHash.hex(to.hash),
                reason: reason))
        try Lifecycle.check(sent, occurredAt: occurredAt, on: state) { CaseState(initial: $0) }
        let sentRow = StoredEvent.columns(
            sequence: from.sequence + 1, caseID: caseID.rawValue, caseVersion: state.version + 1,
            type: EventType.sentToOffice.rawValue, schemaVersion: EventCodec.currentSchemaVersion(for: .sentToOffice),
            occurredAt: occurredAt.description, recordedAt: recorded, actor: actor, commandID: commandID,
            data: EventCodec.encode(sent), previousHash: from.hash, hash: [], account: login)
        let received = CaseEvent.receivedFromOffice(
            ReceivedFromOffice(
                office: office, sentAs: caseID, sequence: from.sequence + 1, hash: EventHash.hex(sentRow.expectedHash),
                title: title, category: category, reason: reason))
        try Lifecycle.check(received, occurredAt: occurredAt, on: CaseState(initial: newID)) { CaseState(initial: $0) }

        let rows = try connection.execute(
            "SELECT status, actual, out_seq, in_seq FROM sinmungo.transfer($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            [
                office, receivingOffice, caseID.rawValue, String(state.version), newID.rawValue, commandID,
                occurredAt.description, recorded, actor,
                String(EventCodec.currentSchemaVersion(for: .sentToOffice)), EventCodec.encode(sent),
                String(EventCodec.currentSchemaVersion(for: .receivedFromOffice)), EventCodec.encode(received),
            ])
        switch rows.rows.first?.first ?? nil {
        case "ok":
            guard let outSequence = rows[0, 2].flatMap(Int64.init), let inSequence = rows[0, 3].flatMap(Int64.init) else {
                throw PostgresFailure(.server, "the transfer function returned a row it should not")
            }
            return OfficeTransfer(
                sent: RecordedEvent(
                    sequence: outSequence, caseID: caseID, caseVersion: state.version + 1, occurredAt: occurredAt,
                    recordedAt: recordedInstant, actor: actor, commandID: commandID, event: sent),
                receivingOffice: receivingOffice,
                received: RecordedEvent(
                    sequence: inSequence, caseID: newID, caseVersion: 1, occurredAt: occurredAt, recordedAt: recordedInstant,
                    actor: actor, commandID: commandID, event: received))
        case "moved":
            return nil
        case "applied":
            throw CommandAlreadyApplied(events: [])
        case "conflict":
            throw AppendConflict(
                caseID: caseID, expectedVersion: state.version, actualVersion: Int(rows[0, 1] ?? "") ?? 0)
        case "no-office":
            throw NoSuchOffice(office: receivingOffice)
        case "case-taken":
            throw PostgresFailure(.server, "case \(newID) of office \(receivingOffice) was taken while the transfer was built")
        default:
            throw PostgresFailure(.server, "the transfer function returned nothing it should")
        }
    }

    /// The case's title and category as they stand, corrections included.
    static func titleAndCategory(_ events: [RecordedEvent]) -> (String, String) {
        var title = ""
        var category = ""
        for event in events {
            switch event.event {
            case .petitionFiled(let filed):
                title = filed.title
                category = filed.category
            case .receivedFromOffice(let received):
                title = received.title
                category = received.category
            case .corrected(let correction) where correction.field == .title: title = correction.value
            case .corrected(let correction) where correction.field == .category: category = correction.value
            default: break
            }
        }
        return (title, category)
    }

    // MARK: Verifying transfers

    /// Checks each transfer event of this office against its counterpart in the other
    /// office: the event at the sequence it names exists, is the other half of this
    /// transfer, names this event back, and its stored fields match its hash. The other
    /// office's whole chain is that office's own `verify`.
    func verifyTransfers(_ transfers: [StoredEvent]) throws {
        for event in transfers {
            let decoded = try event.decoded()
            let (otherOffice, otherCase, otherSequence): (String, CaseID, Int64)
            switch decoded.event {
            case .sentToOffice(let sent): (otherOffice, otherCase, otherSequence) = (sent.office, sent.receivedAs, sent.sequence)
            case .receivedFromOffice(let received):
                (otherOffice, otherCase, otherSequence) = (received.office, received.sentAs, received.sequence)
            default: continue
            }
            func failure(_ detail: String) -> VerificationFailure {
                VerificationFailure(
                    sequence: event.sequence, kind: .changed,
                    detail: "its transfer names event \(otherSequence) of office \(otherOffice), which \(detail)")
            }
            let counterpart = try withConnection { connection in
                var found: StoredEvent?
                try connection.forEachRow(
                    "SELECT \(Self.columns) FROM sinmungo.event WHERE office = $1 AND seq = $2",
                    [otherOffice, String(otherSequence)]
                ) { found = Self.storedEvent($0) }
                return found
            }
            guard let counterpart else { throw failure("does not exist") }
            guard counterpart.hash == counterpart.expectedHash else { throw failure("no longer matches its hash") }
            guard counterpart.caseID == otherCase.rawValue else {
                throw failure("belongs to case \(counterpart.caseID), not \(otherCase)")
            }
            let other = try counterpart.decoded().event
            switch (decoded.event, other) {
            case (.sentToOffice(let sent), .receivedFromOffice(let received)):
                guard EventHash.hex(counterpart.previousHash) == sent.chainedOn else {
                    throw failure("does not chain onto the hash this event names")
                }
                guard received.office == office, received.sentAs.rawValue == event.caseID, received.sequence == event.sequence,
                    received.hash == EventHash.hex(event.hash)
                else { throw failure("does not name this event back by office, case, sequence and hash") }
            case (.receivedFromOffice(let received), .sentToOffice(let sent)):
                guard received.hash == EventHash.hex(counterpart.hash) else {
                    throw failure("has another hash than the one named here")
                }
                guard sent.office == office, sent.receivedAs.rawValue == event.caseID, sent.sequence == event.sequence,
                    sent.chainedOn == EventHash.hex(event.previousHash)
                else { throw failure("does not name this event back by office, case, sequence and hash") }
            default:
                throw failure("is a \(counterpart.type) event, not the other half of a transfer")
            }
        }
    }
}

extension PostgresEventStore {
    /// Folds both halves of a transfer into the offices' views in its transaction, which holds
    /// both locks. The receiving office's views are folded only where this login is one of its
    /// officers (a savepoint keeps a refusal from undoing the transfer); otherwise they wait for
    /// that office's next command, and its statistics staff are told so.
    func foldTransferIntoViews(_ connection: PostgresConnection, receivingOffice: String) throws {
        guard !projections.isEmpty else { return }
        try Self.catchUpViews(projections, office: office, connection)
        try connection.execute("SAVEPOINT receiving_views")
        do {
            try Self.catchUpViews(projections, office: receivingOffice, connection)
            try connection.execute("RELEASE SAVEPOINT receiving_views")
        } catch let failure as PostgresFailure where failure.kind == .forbidden {
            try connection.execute("ROLLBACK TO SAVEPOINT receiving_views")
        }
    }
}
