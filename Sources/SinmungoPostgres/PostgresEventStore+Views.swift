import Foundation
import SinmungoCore
import SinmungoJSON
import SinmungoStore

/// One projection's rows for the few cases some events touch, started from the stored rows,
/// whatever its row type: what an append sends, and what a catch-up stores.
struct ViewPatch {
    let name: String
    let version: Int
    let keys: (RecordedEvent) -> [CaseID]
    /// Decodes a stored row as the one to start from.
    let load: (CaseID, String) throws -> Void
    let apply: (RecordedEvent) -> Void
    /// The row's canonical JSON as it now stands, nil when there is none.
    let encoded: (CaseID) throws -> String?

    init(projection: any Projection.Type) {
        func make<P: Projection>(_ projection: P.Type) -> ViewPatch { ViewPatch(P.self) }
        self = make(projection)
    }

    private init<P: Projection>(_ projection: P.Type) {
        let box = FoldedRows<P>()
        name = P.name
        version = P.version
        keys = { P.keys(touchedBy: $0) }
        load = { key, data in box.rows[key] = try Self.decode(P.self, data, key: key) }
        apply = { P.apply($0, to: &box.rows) }
        encoded = { key in try box.rows[key].map { try P.canonicalText(of: $0) } }
    }

    static func decode<P: Projection>(_ projection: P.Type, _ data: String, key: CaseID) throws -> P.Row {
        var text = data
        // The projection's own reader, for the rows it wrote; Codable for any other text.
        if let row = text.withUTF8({ P.readRow(UnsafeRawBufferPointer($0)) }) { return row }
        do {
            return try JSONValueDecoder().decode(P.Row.self, from: try JSONValue.parse(data))
        } catch {
            throw StoreError.unreadableView(view: P.name, key: key.rawValue, reason: "it does not decode as the view's row")
        }
    }
}

extension PostgresEventStore {
    /// Sequences the server has not given yet stand in the rows an append sends as this
    /// number, plus the event's offset in the command; the server puts the real ones in.
    static let sequenceSentinel: Int64 = 9_100_000_000_000_000_000

    /// Whether this login may read the events; statistics staff read the views alone.
    public var readsEvents: Bool {
        get throws {
            if let known = lock.withLock({ eventsReadable }) { return known }
            let rows = try withConnection { try $0.execute("SELECT has_table_privilege('sinmungo.event', 'SELECT')") }
            let readable = rows.rows.first?.first == "t"
            lock.withLock { eventsReadable = readable }
            return readable
        }
    }

    // MARK: Rows an append sends

    /// The rows the events of `request` change, folded from the rows stored for the cases
    /// they touch, as the arrays `sinmungo.append` takes after its first thirteen; nil when
    /// the store keeps no views, or a stored row or an event holds the sentinel's digits.
    func viewArguments(for request: AppendRequest, sealed events: [CaseEvent]) throws -> [String?]? {
        guard !projections.isEmpty else { return nil }
        let recorded = events.enumerated().map { offset, event in
            RecordedEvent(
                sequence: Self.sequenceSentinel + Int64(offset), caseID: request.caseID,
                caseVersion: request.expectedVersion + offset + 1, occurredAt: request.occurredAt,
                recordedAt: request.recordedAt, actor: request.actor, commandID: request.commandID, event: event)
        }
        let sentinelDigits = String(String(Self.sequenceSentinel).prefix(15))
        if recorded.contains(where: { EventCodec.encode($0.event).contains(sentinelDigits) }) { return nil }
        let patches = projections.map { ViewPatch(projection: $0) }
        var touched: [(patch: Int, key: CaseID)] = []
        for (index, patch) in patches.enumerated() {
            var keys: [CaseID] = []
            for event in recorded { for key in patch.keys(event) where !keys.contains(key) { keys.append(key) } }
            touched += keys.map { (index, $0) }
        }
        let bases = try storedRows(of: Set(touched.map(\.key)), new: request.expectedVersion == 0 ? request.caseID : nil)
        var rowViews: [String] = []
        var rowCases: [String] = []
        var rowBases: [String] = []
        for (index, key) in touched {
            let base = bases[key]?[patches[index].name] ?? ""
            if base.contains(sentinelDigits) { return nil }
            if !base.isEmpty { try patches[index].load(key, base) }
            rowViews.append(patches[index].name)
            rowCases.append(key.rawValue)
            rowBases.append(base)
        }
        for event in recorded { for patch in patches { patch.apply(event) } }
        var rowData: [String] = []
        var kept = [Bool]()
        for (index, key) in touched {
            let data = try patches[index].encoded(key)
            kept.append(data != nil)
            rowData.append(data ?? "")
        }
        func keeping(_ values: [String]) -> String { SQLArray.literal(zip(values, kept).filter(\.1).map(\.0)) }
        return [
            SQLArray.literal(patches.map(\.name)), SQLArray.literal(patches.map { String($0.version) }),
            String(Self.sequenceSentinel), keeping(rowViews), keeping(rowCases), keeping(rowBases), keeping(rowData),
        ]
    }

    /// The stored view rows of `keys`, by case and view: from those read with the cases' events
    /// when they were, else read now. A case being created has none.
    private func storedRows(of keys: Set<CaseID>, new created: CaseID?) throws -> [CaseID: [String: String]] {
        var rows: [CaseID: [String: String]] = [:]
        var missing: [String] = []
        lock.withLock {
            for key in keys {
                if let cached = rowsReadWithEvents[key] {
                    rows[key] = cached
                } else if key != created {
                    missing.append(key.rawValue)
                }
            }
            rowsReadWithEvents.removeAll()
        }
        guard !missing.isEmpty else { return rows }
        try withConnection { connection in
            try connection.forEachRow(
                "SELECT case_id, projection, data FROM sinmungo.view_row WHERE office = $1 AND case_id = ANY ($2::text[])",
                [office, SQLArray.literal(missing)]
            ) { row in rows[CaseID(row.text(0)), default: [:]][row.text(1)] = row.text(2) }
        }
        return rows
    }

    /// Remembers the view rows read with a case's events, for the append that may follow.
    func rememberRows(_ json: String, of caseID: CaseID) {
        guard case .object(let object)? = try? JSONValue.parse(json) else { return }
        var rows: [String: String] = [:]
        for (name, value) in object { if case .string(let data) = value { rows[name] = data } }
        lock.withLock {
            // Only the cases of the next command matter: a reader of many cases keeps few.
            if rowsReadWithEvents.count >= 16 { rowsReadWithEvents.removeAll(keepingCapacity: true) }
            rowsReadWithEvents[caseID] = rows
        }
    }

    // MARK: Catching up

    /// Folds the events past the views' checkpoints into them and stores the rows, under the
    /// office's lock: after an append whose rows could not be stored. Views that need a full
    /// refold (another version, never folded) are left to `rebuild`.
    public func catchUpViews() throws {
        guard !projections.isEmpty else { return }
        try withConnection { connection in
            try connection.execute("BEGIN")
            do {
                try connection.execute("SELECT pg_advisory_xact_lock(hashtextextended('sinmungo office ' || $1, 0))", [office])
                try Self.catchUpViews(projections, office: office, connection)
                try connection.execute("COMMIT")
            } catch {
                _ = try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// The catch-up itself, in the caller's transaction, which holds `office`'s lock.
    static func catchUpViews(_ projections: [any Projection.Type], office: String, _ connection: PostgresConnection) throws {
        let headRow = try connection.execute(
            "SELECT seq, hash FROM sinmungo.event WHERE office = $1 ORDER BY seq DESC LIMIT 1", [office])
        let head = headRow.rows.first.flatMap { $0[0].flatMap(Int64.init) } ?? 0
        let headHash = headRow.rows.first.flatMap { $0[1] }.map(PostgresConnection.bytes(fromHex:)) ?? EventHash.genesis
        var checkpoints: [String: (version: Int, seq: Int64)] = [:]
        try connection.forEachRow(
            "SELECT projection, version, seq FROM sinmungo.view_checkpoint WHERE office = $1", [office]
        ) { row in checkpoints[row.text(0)] = (Int(row.integer(1)), row.integer(2)) }
        var patches: [ViewPatch] = []
        var from: [Int64] = []
        for projection in projections {
            let checkpoint = checkpoints[projection.name].flatMap { $0.version == projection.version ? $0.seq : nil }
            // A view never folded here starts empty only while the office has no events.
            guard let start = checkpoint ?? (head == 0 ? 0 : nil), start < head || checkpoint == nil else { continue }
            patches.append(ViewPatch(projection: projection))
            from.append(start)
        }
        guard let first = from.min() else { return }
        var events: [RecordedEvent] = []
        try connection.streamRows(
            "SELECT \(replayColumns) FROM sinmungo.event WHERE office = $1 AND seq > $2 ORDER BY seq", [office, String(first)]
        ) { events.append(try replayedEvent($0)) }
        var touched: [Set<CaseID>] = Array(repeating: [], count: patches.count)
        for event in events {
            for index in patches.indices where event.sequence > from[index] {
                touched[index].formUnion(patches[index].keys(event))
            }
        }
        for (index, patch) in patches.enumerated() where from[index] > 0 && !touched[index].isEmpty {
            try connection.forEachRow(
                "SELECT case_id, data FROM sinmungo.view_row WHERE office = $1 AND projection = $2 AND case_id = ANY ($3::text[])",
                [office, patch.name, SQLArray.literal(touched[index].map(\.rawValue))]
            ) { row in try patch.load(CaseID(row.text(0)), row.text(1)) }
        }
        for event in events {
            for index in patches.indices where event.sequence > from[index] { patches[index].apply(event) }
        }
        var rowViews: [String] = []
        var rowCases: [String] = []
        var rowData: [String] = []
        for (index, patch) in patches.enumerated() {
            for key in touched[index].sorted(by: { $0.rawValue < $1.rawValue }) {
                guard let data = try patch.encoded(key) else { continue }
                rowViews.append(patch.name)
                rowCases.append(key.rawValue)
                rowData.append(data)
            }
        }
        try connection.execute(
            "SELECT sinmungo.store_views($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            [
                office, SQLArray.literal(patches.map(\.name)), SQLArray.literal(patches.map { String($0.version) }),
                SQLArray.literal(from.map(String.init)), String(head), PostgresConnection.hexLiteral(headHash),
                SQLArray.literal(rowViews), SQLArray.literal(rowCases), SQLArray.literal(rowData),
            ])
    }

    // MARK: Reading

    /// Every row of `P` now: the stored rows and, for a login that reads the log, the events
    /// past their checkpoint folded in memory, as on SQLite; a login that reads the views alone
    /// gets them only when they stand at the office's head.
    func currentRows<P: Projection>(of projection: P.Type, key: CaseID? = nil) throws -> [CaseID: P.Row] {
        let readable = try readsEvents
        let checkpoint = try viewCheckpoint(of: P.self)
        if !readable { try requireViewsAtHead(checkpoint) }
        guard let checkpoint else {
            var rows: [CaseID: P.Row] = [:]
            try forEachReplayedEvent { P.apply($0, to: &rows) }
            return key.map { key in rows[key].map { [key: $0] } ?? [:] } ?? rows
        }
        var rows = try viewRows(of: P.self, keys: key.map { [$0] })
        guard readable else { return rows }
        // The events past the checkpoint, usually none, with the stored rows they touch.
        var tail: [RecordedEvent] = []
        try forEachReplayedEvent(from: checkpoint.sequence + 1) { tail.append($0) }
        guard !tail.isEmpty else { return rows }
        if key != nil {
            let touched = Set(tail.flatMap { P.keys(touchedBy: $0) }).filter { rows[$0] == nil }
            if !touched.isEmpty { rows.merge(try viewRows(of: P.self, keys: Array(touched))) { stored, _ in stored } }
        }
        for event in tail { P.apply(event, to: &rows) }
        return key.map { key in rows[key].map { [key: $0] } ?? [:] } ?? rows
    }

    /// At the present, the stored rows streamed from the server one at a time, those the events
    /// past the checkpoint changed coming last; at a point in the past, folded whole first.
    /// `body` is called while the connection reads, so it must not use the store.
    public func forEachRow<P: Projection>(
        of projection: P.Type, at point: PointInTime, _ body: (CaseID, P.Row) throws -> Void
    ) throws {
        guard point.isNow, let checkpoint = try viewCheckpoint(of: P.self) else {
            for (key, row) in try rows(of: P.self, at: point) { try body(key, row) }
            return
        }
        var caughtUp: [CaseID: P.Row] = [:]
        if try readsEvents {
            var tail: [RecordedEvent] = []
            try forEachReplayedEvent(from: checkpoint.sequence + 1) { tail.append($0) }
            let touched = Set(tail.flatMap { P.keys(touchedBy: $0) })
            if !touched.isEmpty { caughtUp = try viewRows(of: P.self, keys: Array(touched)) }
            for event in tail { P.apply(event, to: &caughtUp) }
        } else {
            try requireViewsAtHead(checkpoint)
        }
        try withConnection { connection in
            try connection.streamRows(
                "SELECT case_id, data FROM sinmungo.view_row WHERE office = $1 AND projection = $2", [office, P.name]
            ) { row in
                let key = CaseID(row.text(0))
                if caughtUp[key] == nil { try body(key, try ViewPatch.decode(P.self, row.text(1), key: key)) }
            }
        }
        for (key, row) in caughtUp { try body(key, row) }
    }

    /// Refuses, for a login that reads the views alone, views that do not stand at the office's
    /// head: it cannot fold in the events they lack.
    private func requireViewsAtHead(_ checkpoint: LogAnchor?) throws {
        let head = try officeHead()
        guard let checkpoint, checkpoint.sequence == head.sequence else {
            throw PostgresFailure(
                .forbidden,
                "the views of office \(office) stand at event \(checkpoint?.sequence ?? 0) but its log at \(head.sequence): the next command of an officer brings them up, or `sinmungo rebuild` as the database owner")
        }
    }

    /// `P`'s stored rows: all, or those of `keys`.
    private func viewRows<P: Projection>(of projection: P.Type, keys: [CaseID]?) throws -> [CaseID: P.Row] {
        var rows: [CaseID: P.Row] = [:]
        try withConnection { connection in
            try connection.streamRows(
                "SELECT case_id, data FROM sinmungo.view_row WHERE office = $1 AND projection = $2"
                    + (keys == nil ? "" : " AND case_id = ANY ($3::text[])"),
                [office, P.name] + (keys.map { [SQLArray.literal($0.map(\.rawValue))] } ?? [])
            ) { row in
                let key = CaseID(row.text(0))
                rows[key] = try ViewPatch.decode(P.self, row.text(1), key: key)
            }
        }
        return rows
    }

    /// Where `P`'s stored rows stand, nil when none are stored for this version of it.
    func viewCheckpoint<P: Projection>(of projection: P.Type) throws -> LogAnchor? {
        let rows = try withConnection { connection in
            try connection.execute(
                "SELECT seq, hash FROM sinmungo.view_checkpoint WHERE office = $1 AND projection = $2 AND version = $3",
                [office, P.name, String(P.version)])
        }
        guard let row = rows.rows.first, let sequence = row[0].flatMap(Int64.init) else { return nil }
        return LogAnchor(sequence: sequence, hash: row[1].map(PostgresConnection.bytes(fromHex:)) ?? EventHash.genesis)
    }

    /// The office's last event, through a function that statistics staff may call.
    func officeHead() throws -> LogAnchor {
        let rows = try withConnection { try $0.execute("SELECT seq, hash FROM sinmungo.office_head($1)", [office]) }
        guard let row = rows.rows.first, let sequence = row[0].flatMap(Int64.init), let hash = row[1] else {
            return LogAnchor(sequence: 0, hash: EventHash.genesis)
        }
        return LogAnchor(sequence: sequence, hash: PostgresConnection.bytes(fromHex: hash))
    }

    /// Refuses, in one sentence, what a login that reads the views alone cannot have.
    func requireEventsFor(_ point: PointInTime) throws {
        guard !point.isNow, try !readsEvents else { return }
        throw PostgresFailure(
            .forbidden,
            "this login reads the views, which stand at the present only; --as-of and --effective need the log, which it may not read")
    }
}

/// Rows being folded, shared by a patch's closures.
final class FoldedRows<P: Projection> {
    var rows: [CaseID: P.Row] = [:]
}

extension PostgresEventStore {
    /// The projections whose rows are stored for this office, with the last event each folds in.
    func storedViews() throws -> [(projection: any Projection.Type, checkpoint: Int64)] {
        try projections.compactMap { projection in
            func checkpoint<P: Projection>(_ projection: P.Type) throws -> LogAnchor? { try viewCheckpoint(of: P.self) }
            return try checkpoint(projection).map { (projection, $0.sequence) }
        }
    }

    /// Compares each view's stored rows with its replay, failing on the first view that differs.
    func checkViews(_ replay: SpilledViews?) throws {
        guard let replay else { return }
        for (projection, checkpoint) in zip(replay.projections, replay.limits) {
            func compare<P: Projection>(_ projection: P.Type) throws -> String? {
                var comparison = try ViewRowComparison<P>(replayed: replay.rows(of: P.self), checkpoint: checkpoint)
                var problem: String?
                try withConnection { connection in
                    // In byte order, as the replay's rows come.
                    try connection.streamRows(
                        "SELECT case_id, data FROM sinmungo.view_row WHERE office = $1 AND projection = $2 ORDER BY case_id COLLATE \"C\"",
                        [office, P.name]
                    ) { row in
                        guard problem == nil else { return }
                        problem = try comparison.disagreement(key: row.bytesInPlace(0), data: row.bytesInPlace(1))
                    }
                }
                return problem ?? comparison.end()
            }
            if let problem = try compare(projection) {
                throw VerificationFailure(
                    sequence: checkpoint, kind: .views,
                    detail:
                        "the view \(projection.name) (up to event \(checkpoint)) disagrees with the log: \(problem); `sinmungo rebuild` replays it"
                )
            }
        }
    }
}
