import Crypto
import Foundation
import SinmungoCore
import SinmungoStore

/// One office's log on a PostgreSQL server: its own gapless sequence and hash chain, in the
/// byte layout of the LogFormat article, beside every other office's in the same tables.
///
/// Every command is one call of the server-side function `sinmungo.append`, which takes the
/// office's advisory lock, checks the command id and the case version, and chains the events;
/// so offices append in parallel and the serial section is one round trip.
public final class PostgresEventStore: EventStore, ProjectionReading, @unchecked Sendable {
    /// The office whose log a store without `--office` reads and writes; a log imported from
    /// before offices existed is this office's.
    public static let defaultOffice = "default"

    public let office: String
    public let readOnly: Bool
    /// The views kept in `view_row`, current with every command, for readers of the views alone.
    public let projections: [any Projection.Type]
    let connection: PostgresConnection
    let lock = NSLock()
    /// Whether this login may read the events, once asked.
    var eventsReadable: Bool?
    /// The view rows read with each case's events, for the append that may follow.
    var rowsReadWithEvents: [CaseID: [String: String]] = [:]

    /// Seconds an erasure waits for older transactions to end before it rewrites the key
    /// table, after which the rewrite may keep the key until the next one (`compactKeys`).
    public var keyRewritePatience: Double = 10

    /// Events read per round trip when walking a whole log, so memory stays flat.
    public var readBatchSize = 20_000

    /// Events between two sweeps of an import's quiet case states (tests make it small).
    var importSweepInterval = Int(SpilledViews.flushInterval)
    /// Keys an import seals before it stores them (tests make it small).
    var importKeyBatch = PersonKeyStore.importBatch
    /// The cases `forEachEvent(at:ofCases:)` reads a round trip.
    var casesPerRead = 1000

    /// Opens the log at `address` (a libpq URL or connection string); it must have been set up by `create`.
    /// With `credentials`, as that login, which the server must check by its password.
    public init(
        address: String, office: String = PostgresEventStore.defaultOffice, readOnly: Bool = false,
        projections: [any Projection.Type] = [], credentials: PostgresCredentials? = nil
    ) throws {
        guard !office.isEmpty, !office.contains(where: { $0.isNewline || $0 == "\u{0}" }) else {
            throw PostgresFailure(.address, "an office name must not be empty or hold a line break")
        }
        self.office = office
        self.readOnly = readOnly
        self.projections = projections
        connection = try PostgresConnection(address: address, readOnly: readOnly, credentials: credentials)
        let format = try connection.execute(
            "SELECT format FROM sinmungo.format LIMIT 1")
        guard let found = format.rows.first?.first.flatMap({ $0.flatMap(Int.init) }) else {
            throw PostgresFailure(.notALog, "the database at \(PostgresConnection.redacted(address)) holds no Sinmungo log; `sinmungo init` sets one up")
        }
        guard found <= PostgresSchema.format else {
            throw PostgresFailure(.notALog, "the log at \(PostgresConnection.redacted(address)) was written by a newer Sinmungo (format \(found))")
        }
    }

    /// Sets up the schema, the roles and the append function (nothing changes when they are
    /// there), then opens the store. 
    public static func create(
        address: String, office: String = PostgresEventStore.defaultOffice, projections: [any Projection.Type] = []
    ) throws -> PostgresEventStore {
        let setup = try PostgresConnection(address: address, readOnly: false)
        let encoding = try setup.execute("SHOW server_encoding").rows.first?.first ?? nil
        guard encoding == "UTF8" else {
            throw PostgresFailure(
                .notALog, "the database's encoding is \(encoding ?? "unknown"), not UTF8: create it with ENCODING 'UTF8'")
        }
        // One init at a time per cluster: roles are cluster-wide and CREATE ROLE races.
        try setup.executeScript(
            "BEGIN; SELECT pg_advisory_xact_lock(hashtextextended('sinmungo init', 0));\n"
                + PostgresSchema.setup + "\n" + PostgresSchema.accessRecordSetup + "\n" + PostgresSchema.transferSetup
                + "\n" + PostgresSchema.viewSetup + "\nCOMMIT;")
        return try PostgresEventStore(address: address, office: office, projections: projections)
    }

    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(connection)
    }

    // MARK: Writing

    public func append(_ request: AppendRequest) throws -> [RecordedEvent] {
        var keys: [PersonKey] = []
        let events = try request.events.enumerated().map { offset, event in
            try PersonalDataSeal.sealing(
                event, caseID: request.caseID, caseVersion: request.expectedVersion + offset + 1, into: &keys)
        }
        let erased = events.compactMap { event -> String? in
            if case .personalDataErased(let erasure) = event { return erasure.person }
            return nil
        }
        // The rows the events change travel with them (README, "Many offices").
        let views = try viewArguments(for: request, sealed: events)
        let rows = try withConnection { connection in
            try connection.execute(
                "SELECT status, seq, case_version, recorded_at, actual, session_user, views FROM sinmungo.append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
                [
                    office, request.caseID.rawValue, String(request.expectedVersion), request.commandID,
                    request.occurredAt.description, request.recordedAt.description, request.actor,
                    SQLArray.literal(events.map(\.type.rawValue)),
                    SQLArray.literal(events.map { String(EventCodec.currentSchemaVersion(for: $0.type)) }),
                    SQLArray.literal(events.map { EventCodec.encode($0) }),
                    SQLArray.literal(keys.map(\.person)),
                    SQLArray.literal(keys.map { PostgresConnection.hexLiteral([UInt8]($0.bytes)) }),
                    SQLArray.literal(erased),
                ] + (views ?? Array(repeating: nil, count: 7)))
        }
        guard let status = rows.rows.first?.first ?? nil else {
            throw PostgresFailure(.server, "the append function returned nothing")
        }
        switch status {
        case "applied":
            throw CommandAlreadyApplied(events: try self.events(ofCommand: request.commandID) ?? [])
        case "conflict":
            throw AppendConflict(
                caseID: request.caseID, expectedVersion: request.expectedVersion, actualVersion: Int(rows[0, 4] ?? "") ?? 0)
        default:
            // The erased key's dead tuple goes at once where this login may rewrite the table;
            // otherwise the owner's scheduled `VACUUM FULL` does it (README, "Many offices").
            if !erased.isEmpty { _ = try? compactKeys() }
            // The rows could not be stored with the events: fold them in now. The command has
            // succeeded whatever happens here; readers of the log catch up past the checkpoint.
            if rows.rows.first?[6] == "f" { try? catchUpViews() }
            return try zip(rows.rows, events).map { row, event in
                guard let sequence = row[1].flatMap(Int64.init), let version = row[2].flatMap(Int.init),
                    let recorded = row[3].flatMap(Instant.init(iso8601:))
                else { throw PostgresFailure(.server, "the append function returned a row it should not") }
                return RecordedEvent(
                    sequence: sequence, caseID: request.caseID, caseVersion: version, occurredAt: request.occurredAt,
                    recordedAt: recorded, actor: request.actor, commandID: request.commandID, event: event,
                    account: row[5] ?? nil)
            }
        }
    }

    public func nextCaseID(for kind: CaseKind, year: Int) throws -> CaseID {
        let prefix = CaseID(kind: kind, year: year, number: 0).rawValue.dropLast(kind == .petition || kind == .proposal ? 4 : 3)
        let upper = prefix.dropLast() + "."
        let highest = try withConnection { connection in
            try connection.execute(
                """
                SELECT max(substr(case_id, $1::int)::bigint) FROM sinmungo.event
                WHERE office = $2 AND case_version = 1 AND case_id >= $3 AND case_id < $4
                  AND substr(case_id, $1::int) ~ '^[0-9]{1,18}$'
                """,
                [String(prefix.count + 1), office, String(prefix), String(upper)])
        }
        return CaseID(kind: kind, year: year, number: (highest.rows.first?.first ?? nil).flatMap(Int.init).map { $0 + 1 } ?? 1)
    }

    // MARK: Reading

    /// The hashed columns, then `layout` and `account` (hashed in layout 2 only).
    static let columns =
        "seq, case_id, case_version, type, schema_version, occurred_at, recorded_at, actor, command_id, data, prev_hash, hash, layout, account"

    /// The stored events of this office that meet `condition` ($1 is the office).
    func storedEvents(where condition: String, _ parameters: [String?] = []) throws -> [StoredEvent] {
        try withConnection { connection in
            var events: [StoredEvent] = []
            try connection.forEachRow(
                "SELECT \(Self.columns) FROM sinmungo.event WHERE office = $1 AND \(condition)", [office] + parameters
            ) { events.append(Self.storedEvent($0)) }
            return events
        }
    }

    static func storedEvent(_ row: PostgresConnection.RowReader) -> StoredEvent {
        StoredEvent.columns(
            sequence: row.integer(0), caseID: row.text(1), caseVersion: Int(row.integer(2)), type: row.text(3),
            schemaVersion: Int(row.integer(4)), occurredAt: row.text(5), recordedAt: row.text(6), actor: row.text(7),
            commandID: row.text(8), data: row.text(9), previousHash: row.bytes(10), hash: row.bytes(11),
            // A layout 1 row's account says who wrote it, but is not part of the event.
            account: row.integer(12) == 1 ? nil : row.text(13))
    }

    /// Every stored event of the office in order, read a batch at a time.
    public func forEachStoredEvent(from first: Int64 = 1, _ body: (StoredEvent) throws -> Void) throws {
        try forEachStoredBatch(from: first) { batch in
            for event in batch { try body(event) }
        }
    }

    /// The same, a batch in log order at a time.
    func forEachStoredBatch(from first: Int64 = 1, _ body: ([StoredEvent]) throws -> Void) throws {
        var next = first
        while true {
            let batch = try storedEvents(where: "seq >= $2 ORDER BY seq LIMIT \(readBatchSize)", [String(next)])
            if !batch.isEmpty { try body(batch) }
            guard batch.count == readBatchSize, let last = batch.last else { return }
            next = last.sequence + 1
        }
    }

    /// The case's events, and with them (one round trip) its stored view rows, which an
    /// append deciding on these events starts its rows from.
    public func events(of caseID: CaseID) throws -> [RecordedEvent] {
        guard !projections.isEmpty else {
            return try storedEvents(where: "case_id = $2 ORDER BY case_version", [caseID.rawValue]).map { try $0.decoded() }
        }
        var stored: [StoredEvent] = []
        var views: String?
        try withConnection { connection in
            try connection.forEachRow(
                """
                SELECT \(Self.columns), CASE WHEN case_version = 1 THEN (SELECT json_object_agg(v.projection, v.data)
                    FROM sinmungo.view_row v WHERE v.office = $1 AND v.case_id = $2)::text END
                FROM sinmungo.event WHERE office = $1 AND case_id = $2 ORDER BY case_version
                """, [office, caseID.rawValue]
            ) { row in
                stored.append(Self.storedEvent(row))
                if !row.isNull(14) { views = row.text(14) }
            }
        }
        if !stored.isEmpty { rememberRows(views ?? "{}", of: caseID) }
        return try stored.map { try $0.decoded() }
    }

    public func events(ofCommand commandID: String) throws -> [RecordedEvent]? {
        let events = try storedEvents(where: "command_id = $2 ORDER BY seq", [commandID])
        return events.isEmpty ? nil : try events.map { try $0.decoded() }
    }

    public func events(inSequence range: ClosedRange<Int64>) throws -> [RecordedEvent] {
        try storedEvents(
            where: "seq BETWEEN $2 AND $3 ORDER BY seq", [String(range.lowerBound), String(range.upperBound)]
        ).map { try $0.decoded() }
    }

    public func events(at point: PointInTime, of caseID: CaseID? = nil) throws -> [RecordedEvent] {
        var condition = "true"
        var parameters: [String?] = []
        if let caseID {
            parameters.append(caseID.rawValue)
            condition += " AND case_id = $\(parameters.count + 1)"
        }
        if let asOf = point.asOf {
            parameters.append(asOf.description)
            condition += " AND recorded_at <= $\(parameters.count + 1)"
        }
        if let effective = point.effective {
            parameters.append(effective.description)
            condition += " AND occurred_at <= $\(parameters.count + 1)"
        }
        if caseID != nil {
            return try storedEvents(where: condition + " ORDER BY seq", parameters).map { try $0.decoded() }
        }
        var events: [RecordedEvent] = []
        try forEachEvent(at: point) { events.append($0) }
        return events
    }

    /// Calls `body` with each of the office's events visible at `point`, in log order, or case
    /// by case (each case's in log order) when `caseByCase`, a batch read at a time: a fold over
    /// the whole log never holds it.
    public func forEachEvent(
        at point: PointInTime, caseByCase: Bool = false, _ body: (RecordedEvent) throws -> Void
    ) throws {
        try requireEventsFor(point)
        let visit = { (stored: StoredEvent) in
            if let asOf = point.asOf, stored.recordedAt > asOf.description { return }
            if let effective = point.effective, stored.occurredAt > effective.description { return }
            try body(try stored.decoded())
        }
        try caseByCase ? forEachStoredEventCaseByCase(visit) : forEachStoredEvent(visit)
    }

    /// Calls `body` with the events of the cases `ids` visible at `point`, case by case, each
    /// case's in log order: a fold over the cases a read needs, `casesPerRead` cases a round
    /// trip, that reads nothing of the others.
    public func forEachEvent(
        at point: PointInTime, ofCases ids: some Collection<CaseID>, _ body: (RecordedEvent) throws -> Void
    ) throws {
        try requireEventsFor(point)
        let all = Array(ids)
        for start in stride(from: 0, to: all.count, by: casesPerRead) {
            let chunk = all[start..<min(start + casesPerRead, all.count)].map(\.rawValue)
            for stored in try storedEvents(
                where: "case_id = ANY ($2::text[]) ORDER BY case_id, case_version", [SQLArray.literal(chunk)])
            {
                if let asOf = point.asOf, stored.recordedAt > asOf.description { continue }
                if let effective = point.effective, stored.occurredAt > effective.description { continue }
                try body(try stored.decoded())
            }
        }
    }

    /// Every stored event of the office case by case, a batch at a time along the index on
    /// (case, version), so that the server sorts nothing.
    func forEachStoredEventCaseByCase(_ body: (StoredEvent) throws -> Void) throws {
        let order = "ORDER BY case_id, case_version LIMIT \(readBatchSize)"
        var after: StoredEvent?
        while true {
            let batch =
                if let after {
                    try storedEvents(
                        where: "(case_id, case_version) > ($2 COLLATE \"C\", $3::integer) \(order)",
                        [after.caseID, String(after.caseVersion)])
                } else {
                    try storedEvents(where: "true \(order)")
                }
            for event in batch { try body(event) }
            guard batch.count == readBatchSize else { return }
            after = batch.last
        }
    }

    public func head() throws -> LogAnchor {
        if try !readsEvents { return try officeHead() }
        let last = try storedEvents(where: "true ORDER BY seq DESC LIMIT 1").first
        return LogAnchor(sequence: last?.sequence ?? 0, hash: last?.hash ?? EventHash.genesis)
    }

    /// The last event visible at `point` and its hash.
    public func head(at point: PointInTime) throws -> LogAnchor {
        if point.isNow { return try head() }
        guard let last = try events(at: point).last else { return LogAnchor(sequence: 0, hash: EventHash.genesis) }
        let stored = try storedEvents(where: "seq = $2", [String(last.sequence)]).first
        return LogAnchor(sequence: last.sequence, hash: stored?.hash ?? EventHash.genesis)
    }

    /// The offices that hold a log, in name order.
    public func offices() throws -> [String] {
        try withConnection { connection in
            try connection.execute("SELECT office FROM sinmungo.office ORDER BY office").rows.compactMap { $0.first ?? nil }
        }
    }

    // MARK: Personal data

    public func personalData(of caseID: CaseID) throws -> PersonalDataStatus {
        try personalData(in: try events(of: caseID))
    }

    public func personalData(in events: [RecordedEvent]) throws -> PersonalDataStatus {
        try PersonalDataSeal.status(in: events) { person in
            let rows = try withConnection { connection in
                try connection.execute(
                    "SELECT key FROM sinmungo.person_key WHERE office = $1 AND person = $2", [office, person])
            }
            guard let hex = rows.rows.first?.first ?? nil else { return nil }
            return SymmetricKey(data: PostgresConnection.bytes(fromHex: hex))
        }
    }

    @discardableResult
    public func finishErasure(of caseID: CaseID) throws -> Bool {
        let state = CaseState(id: caseID, replaying: try events(of: caseID))
        guard case .erased(let person) = state.personalData else { return false }
        let rows = try withConnection { connection in
            try connection.execute("SELECT sinmungo.finish_erasure($1, $2)", [office, person])
        }
        if rows.rows.first?.first == "t" { _ = try? compactKeys() }
        return rows.rows.first?.first == "t"
    }

    // MARK: Views

    /// At the present, the stored rows and whatever lies past their checkpoint; at a point in
    /// the past, folded from the office's log.
    public func rows<P: Projection>(of projection: P.Type, at point: PointInTime) throws -> [CaseID: P.Row] {
        // `forEachEvent` refuses a login that may not read the log a point in the past.
        if point.isNow { return try currentRows(of: P.self) }
        var rows: [CaseID: P.Row] = [:]
        try forEachEvent(at: point) { P.apply($0, to: &rows) }
        return rows
    }

    public func row<P: Projection>(of projection: P.Type, key: CaseID) throws -> P.Row? {
        try currentRows(of: P.self, key: key)[key]
    }
}

/// PostgreSQL's text form of a one-dimensional array, every element quoted.
enum SQLArray {
    static func literal(_ values: [String]) -> String {
        var text = "{"
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            text += "\""
            for character in value.unicodeScalars {
                if character == "\"" || character == "\\" { text += "\\" }
                text.unicodeScalars.append(character)
            }
            text += "\""
        }
        return text + "}"
    }
}

extension PostgresEventStore {
    /// The database login of this connection (`session_user`): on PostgreSQL the account that
    /// acts, which the roster ties to officers and the server records in every event.
    public func sessionAccount() throws -> String {
        let rows = try withConnection { try $0.execute("SELECT session_user") }
        guard let login = rows.rows.first?.first ?? nil else {
            throw PostgresFailure(.server, "the server did not say which login this session runs under")
        }
        return login
    }
}
