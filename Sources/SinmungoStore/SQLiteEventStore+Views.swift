import Foundation
internal import GRDB
import SinmungoCore
import SinmungoJSON

/// The store runs the projections it is given and knows nothing of what they fold: each row
/// is kept as the canonical JSON of its `Codable` form in `view_row`, under the projection's name and
/// the row's case, and each projection has its own checkpoint and version in `view_checkpoint`.
extension SQLiteEventStore: ProjectionReading {
    /// Drops every view row and replays the whole log into them, in one transaction.
    /// Returns the number of events replayed.
    @discardableResult
    public func rebuildViews(progress: (Int64) -> Void = { _ in }) throws -> Int64 {
        try rebuildViews(flushingEvery: Self.viewFlushInterval, progress: progress)
    }

    func rebuildViews(flushingEvery interval: Int64, progress: (Int64) -> Void = { _ in }) throws -> Int64 {
        try requireWritable()
        return try withTranslatedErrors {
            try database.write { db in
                // Every view row is rewritten in this one transaction: with SQLite's default 2 MB
                // of page cache, its pages are read back from the WAL again and again.
                let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
                try db.execute(sql: "PRAGMA cache_size = \(Self.rebuildCacheSize)")
                defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
                try Self.emptyViewRowsIfOnlyThese(projections, db: db)
                for projection in projections { try Self.reset(projection.name, version: projection.version, db: db) }
                return try Self.catchUpViews(projections, db: db, flushingEvery: interval, progress: progress)
            }
        }
    }

    public func rows<P: Projection>(of projection: P.Type, at point: PointInTime) throws -> [CaseID: P.Row] {
        guard point.isNow else {
            // Folded as the events are read: the log is never held in memory.
            var rows: [CaseID: P.Row] = [:]
            try forEachEvent(at: point) { P.apply($0, to: &rows) }
            return rows
        }
        return try currentRows(of: P.self, key: nil)
    }

    public func row<P: Projection>(of projection: P.Type, key: CaseID) throws -> P.Row? {
        try currentRows(of: P.self, key: key)[key]
    }

    /// The current rows are read one at a time from `view_row`, those the events past the
    /// checkpoint changed coming last; rows at another point are folded whole first.
    public func forEachRow<P: Projection>(
        of projection: P.Type, at point: PointInTime, _ body: (CaseID, P.Row) throws -> Void
    ) throws {
        guard point.isNow else {
            for (key, row) in try rows(of: P.self, at: point) { try body(key, row) }
            return
        }
        let stored = try withTranslatedErrors {
            try database.read { db in
                let head = try Self.head(db).sequence
                guard try db.tableExists("view_row"), let checkpoint = try Self.checkpoint(of: P.self, db: db) else {
                    return false
                }
                if checkpoint > head { throw StoreError.viewsAheadOfLog(checkpoint: checkpoint, head: head) }
                let reader = ViewRows<P>(db: db, stored: true)
                let caughtUp = try Self.rowsChanged(after: checkpoint, of: P.self, reader: reader, db: db)
                try reader.forEach(ordered: false) { key, row in
                    if caughtUp[key] == nil { try body(key, row) }
                }
                for (key, row) in caughtUp { try body(key, row) }
                return true
            }
        }
        // A projection never stored here is folded from the whole log.
        if !stored {
            for (key, row) in try currentRows(of: P.self, key: nil) { try body(key, row) }
        }
    }

    /// Reads view rows (all, or the one of `key`), adding any events past the checkpoint in
    /// memory, so that a read is current without writing (the views are normally current:
    /// writes fold them in). A projection never stored here is folded from the whole log.
    private func currentRows<P: Projection>(of projection: P.Type, key: CaseID?) throws -> [CaseID: P.Row] {
        try withTranslatedErrors {
            try database.read { db in
                let head = try Self.head(db).sequence
                // A log of an older format, opened read-only, has no rows to start from.
                let checkpoint = try db.tableExists("view_row") ? try Self.checkpoint(of: P.self, db: db) : nil
                let reader = ViewRows<P>(db: db, stored: checkpoint != nil)
                var rows: [CaseID: P.Row] = [:]
                if let checkpoint {
                    if checkpoint > head { throw StoreError.viewsAheadOfLog(checkpoint: checkpoint, head: head) }
                    rows = try key.map { key in try reader.row(key).map { [key: $0] } ?? [:] } ?? reader.all()
                }
                let caughtUp = try Self.rowsChanged(after: checkpoint ?? 0, of: P.self, reader: reader, db: db)
                guard !caughtUp.isEmpty else { return rows }
                rows.merge(caughtUp) { _, new in new }
                return key.map { key in rows[key].map { [key: $0] } ?? [:] } ?? rows
            }
        }
    }

    /// The rows the events past `checkpoint` touch, started from the stored ones and folded
    /// in memory: what a read adds to the stored rows to be current without writing.
    private static func rowsChanged<P: Projection>(
        after checkpoint: Int64, of projection: P.Type, reader: ViewRows<P>, db: Database
    ) throws -> [CaseID: P.Row] {
        var caughtUp: [CaseID: P.Row] = [:]
        try forEachReplayedEvent(db, where: "seq > ? ORDER BY seq", [checkpoint]) { event in
            for touched in P.keys(touchedBy: event) where caughtUp[touched] == nil {
                caughtUp[touched] = try reader.row(touched)
            }
            P.apply(event, to: &caughtUp)
        }
        return caughtUp
    }

    /// The last event folded into `projection`'s stored rows, or nil when none are stored for
    /// this version of it (never folded here, or folded by another version).
    static func checkpoint<P: Projection>(of projection: P.Type, db: Database) throws -> Int64? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT seq, version FROM view_checkpoint WHERE view = ?"), arguments: [P.name])
        else { return nil }
        let version: Int = row[1]
        return version == P.version ? row[0] as Int64 : nil
    }

    /// Refuses views that fold in events the log no longer holds, and empties those of
    /// another version so that they are refolded from the start.
    static func prepareViews(_ projections: [any Projection.Type], db: Database, head: Int64) throws {
        for projection in projections {
            guard let checkpoint = try checkpoint(of: projection, db: db) else {
                try reset(projection.name, version: projection.version, db: db)
                continue
            }
            if checkpoint > head { throw StoreError.viewsAheadOfLog(checkpoint: checkpoint, head: head) }
        }
    }

    /// Empties `view_row` at once when it holds rows of these projections alone: a DELETE
    /// without WHERE frees whole pages, where one by projection removes rows one at a time.
    static func emptyViewRowsIfOnlyThese(_ projections: [any Projection.Type], db: Database) throws {
        let names = projections.map { $0.name }
        let marks = Array(repeating: "?", count: names.count).joined(separator: ", ")
        let others = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM view_row WHERE projection NOT IN (\(marks)))",
            arguments: StatementArguments(names))
        if others == false { try db.execute(sql: "DELETE FROM view_row") }
    }

    static func reset(_ name: String, version: Int, db: Database) throws {
        try db.execute(sql: "DELETE FROM view_row WHERE projection = ?", arguments: [name])
        try db.execute(
            sql: "INSERT OR REPLACE INTO view_checkpoint (view, seq, version) VALUES (?, 0, ?)", arguments: [name, version])
    }

    static func folder(for projection: any Projection.Type, db: Database, interval: Int64 = viewFlushInterval) throws
        -> any ProjectionFolding
    {
        func make<P: Projection>(_ projection: P.Type) throws -> any ProjectionFolding {
            try ViewFolder(projection, db: db, interval: interval)
        }
        return try make(projection)
    }

    /// Folds every event past each projection's checkpoint into its rows, reading them from
    /// the log in one pass, and moves the checkpoints: for `rebuild`, and for views left
    /// behind the head. Returns the number of events read.
    @discardableResult
    static func catchUpViews(
        _ projections: [any Projection.Type], db: Database, flushingEvery interval: Int64 = viewFlushInterval,
        progress: (Int64) -> Void = { _ in }
    ) throws -> Int64 {
        let head = try Self.head(db).sequence
        var folders = try projections.map { try folder(for: $0, db: db, interval: interval) }
        guard let start = folders.map(\.last).min(), start < head else { return 0 }
        var read: Int64 = 0
        try forEachReplayedEvent(db, where: "seq > ? ORDER BY seq", [start]) { event in
            for index in folders.indices where folders[index].last < event.sequence { try folders[index].fold(event) }
            read += 1
            if read % progressInterval == 0 { progress(read) }
        }
        for index in folders.indices { try folders[index].finish() }
        return read
    }

    static let viewFlushInterval: Int64 = 250_000
    /// SQLite's page cache while `rebuild` runs, in KiB as `PRAGMA cache_size` takes it when negative.
    static let rebuildCacheSize = -65_536
    /// Events between two progress reports of a long operation.
    static let progressInterval: Int64 = 10_000

    /// The columns the views need: not the hashes or the command id.
    static let replayColumns = "seq, case_id, case_version, type, schema_version, occurred_at, recorded_at, actor, data"
}

/// A projection's stored rows, read and decoded; a row that does not decode is refused.
struct ViewRows<P: Projection> {
    let db: Database
    /// False when the projection has no rows here to read.
    let stored: Bool
    private let decoder = JSONValueDecoder()

    init(db: Database, stored: Bool) {
        self.db = db
        self.stored = stored
    }

    func row(_ key: CaseID) throws -> P.Row? {
        guard stored else { return nil }
        let cursor = try EventRowCursor(
            db: db, sql: "SELECT data FROM view_row WHERE projection = ? AND key = ?", arguments: [P.name, key.rawValue],
            cached: true)
        defer { cursor.reset() }
        guard try cursor.step() else { return nil }
        return try decode(cursor.bytes(0), key: key.rawValue)
    }

    func all() throws -> [CaseID: P.Row] {
        var rows: [CaseID: P.Row] = [:]
        try forEach(ordered: false) { rows[$0] = $1 }
        return rows
    }

    /// Every stored row, in key order when `ordered` (for comparing with a replay). Past the
    /// first few hundred, rows are decoded on a second thread a batch ahead, as `ReplayReader`
    /// decodes events: a read of the case list spends most of its time decoding rows.
    func forEach(ordered: Bool = true, _ body: (CaseID, P.Row) throws -> Void) throws {
        guard stored else { return }
        let cursor = try storedRows(ordered: ordered)
        for _ in 0..<ReplayReader.eventsDecodedInPlace {
            guard try cursor.step() else { return }
            let key = cursor.string(0)
            try body(CaseID(key), try decode(cursor.bytes(1), key: key))
        }
        let decoder = RowBatchDecoder<P>()
        var ahead = RowsAhead(columns: 2) { decoder.decode($0) }
        defer { ahead.stop() }
        func give(_ decoded: (rows: [(CaseID, P.Row)], failure: (any Error)?)) throws {
            for (key, row) in decoded.rows { try body(key, row) }
            // The rows before the one that failed are given first, as in place.
            if let failure = decoded.failure { throw failure }
        }
        while try cursor.step() {
            if let decoded = ahead.add(cursor) { try give(decoded) }
        }
        while let decoded = ahead.next() { try give(decoded) }
    }

    private func storedRows(ordered: Bool) throws -> EventRowCursor {
        try EventRowCursor(
            db: db, sql: "SELECT key, data FROM view_row WHERE projection = ?\(ordered ? " ORDER BY key" : "")",
            arguments: [P.name])
    }

    /// Every stored row's canonical bytes, valid only inside `body`.
    func forEachStored(ordered: Bool = true, _ body: (CaseID, UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        guard stored else { return }
        let cursor = try storedRows(ordered: ordered)
        while try cursor.step() {
            try body(CaseID(cursor.string(0)), cursor.bytes(1))
        }
    }

    /// The row stored as `bytes`: read by the projection's own reader when it wrote them, else
    /// through `Codable`, which also names what is wrong.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, key: String) throws -> P.Row {
        try Self.decode(bytes, key: key, decoder: decoder)
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, key: String, decoder: JSONValueDecoder) throws -> P.Row {
        if let row = P.readRow(UnsafeRawBufferPointer(bytes)) { return row }
        return try decode(String(decoding: bytes, as: UTF8.self), key: key, decoder: decoder)
    }

    private static func decode(_ data: String, key: String, decoder: JSONValueDecoder) throws -> P.Row {
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch {
            throw StoreError.unreadableView(view: P.name, key: key, reason: "it is not JSON")
        }
        do {
            return try decoder.decode(P.Row.self, from: value)
        } catch let error as DecodingError {
            throw StoreError.unreadableView(view: P.name, key: key, reason: Self.reason(error))
        }
    }

    private static func reason(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "it is not JSON" : "field \(path(context)) is wrong: \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "field \(path(context).isEmpty ? "" : path(context) + ".")\(key.stringValue) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "field \(path(context)) holds the wrong type"
        @unknown default:
            return "\(error)"
        }
    }
}

/// Decodes batches of stored rows (key, data) one after the other on `WorkAhead`'s thread,
/// with a `Codable` decoder of its own for rows another program wrote.
private final class RowBatchDecoder<P: Projection>: @unchecked Sendable {
    private let decoder = JSONValueDecoder()

    func decode(_ rows: CopiedRows) -> (rows: [(CaseID, P.Row)], failure: (any Error)?) {
        var decoded: [(CaseID, P.Row)] = []
        decoded.reserveCapacity(rows.count)
        do {
            for index in 0..<rows.count {
                try rows.withRow(index) { row in
                    let key = row.string(0)
                    decoded.append((CaseID(key), try ViewRows<P>.decode(row.bytes(1), key: key, decoder: decoder)))
                }
            }
        } catch {
            return (decoded, error)
        }
        return (decoded, nil)
    }
}

/// A projection folding events in log order inside a write transaction.
protocol ProjectionFolding {
    /// The last event folded in.
    var last: Int64 { get }
    mutating func fold(_ event: RecordedEvent) throws
    /// Writes the last rows and moves the checkpoint.
    mutating func finish() throws
    /// Calls `body` with every row folded so far, in key order (by bytes), as canonical JSON,
    /// writing nothing: the rows in memory, and the written ones that are not.
    func forEachRow(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) throws -> Void) throws
}

/// Folds events, in log order, into one projection's rows inside a write transaction. Rows
/// are read when first touched and changed in memory; every `interval` events, the rows not
/// touched since the last such time are written out (if changed) and dropped, so memory
/// stays flat however many events pass, while a case still active stays in memory and is
/// neither read back nor written again until it falls quiet.
struct ViewFolder<P: Projection>: ProjectionFolding {
    let db: Database
    private let checkpoint: Int64
    private let interval: Int64
    /// True while the projection holds no stored row, so that none is looked up.
    private var viewsEmpty: Bool
    /// Rows read or folded since they were last written: every row here is written out.
    private var rows: [CaseID: P.Row] = [:]
    /// Rows touched since the last flush: kept in memory by it.
    private var recent = Set<CaseID>()
    private(set) var last: Int64
    private let reader: ViewRows<P>
    private let upsert: Statement
    private var canonical: [UInt8] = []

    init(_ projection: P.Type, db: Database, interval: Int64) throws {
        self.db = db
        self.interval = interval
        checkpoint = try SQLiteEventStore.checkpoint(of: P.self, db: db) ?? 0
        last = checkpoint
        viewsEmpty =
            try
            !(Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM view_row WHERE projection = ?)", arguments: [P.name]) ?? false)
        reader = ViewRows(db: db, stored: true)
        upsert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO view_row (projection, key, data) VALUES (?, ?, ?)")
    }

    var folded: Int64 { last - checkpoint }

    mutating func fold(_ event: RecordedEvent) throws {
        guard event.sequence == last + 1 else {
            throw StoreError.unreadableEvent(
                sequence: event.sequence, reason: "the views are at event \(last), so it cannot be folded in next")
        }
        let touched = P.keys(touchedBy: event)
        for key in touched {
            recent.insert(key)
            // Looked up by index: reading `rows[key]` would copy the row just to compare it with nil.
            guard !viewsEmpty, rows.index(forKey: key) == nil else { continue }
            // The event that creates a case never finds its row: no need to look.
            if key == event.caseID, event.type.createsCase { continue }
            rows[key] = try reader.row(key)
        }
        P.apply(event, to: &rows)
        last = event.sequence
        if folded % interval == 0 { try flush() }
    }

    mutating func finish() throws {
        guard last > checkpoint else { return }
        try write(rows.keys.sorted())
        rows.removeAll()
        recent.removeAll()
        try db.execute(sql: "UPDATE view_checkpoint SET seq = ? WHERE view = ?", arguments: [last, P.name])
    }

    func forEachRow(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        let inMemory = rows.keys.map(\.rawValue).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var next = inMemory.startIndex
        var canonical: [UInt8] = []
        func giveInMemory() throws {
            var key = inMemory[next]
            next += 1
            guard let row = rows[CaseID(key)] else { return }
            canonical.removeAll(keepingCapacity: true)
            try P.writeRow(row, to: &canonical)
            try key.withUTF8 { key in try canonical.withUnsafeBufferPointer { try body(key, $0) } }
        }
        // Nothing was written while the projection held no stored row.
        if !viewsEmpty {
            let written = try EventRowCursor(
                db: db, sql: "SELECT key, data FROM view_row WHERE projection = ? ORDER BY key", arguments: [P.name])
            while try written.step() {
                let key = written.bytes(0)
                while next < inMemory.endIndex, inMemory[next].utf8.lexicographicallyPrecedes(key) { try giveInMemory() }
                // A row in memory is newer than its written copy.
                if next < inMemory.endIndex, inMemory[next].utf8.elementsEqual(key) {
                    try giveInMemory()
                    continue
                }
                try body(key, written.bytes(1))
            }
        }
        while next < inMemory.endIndex { try giveInMemory() }
    }

    /// Writes out and drops the rows not touched since the last flush.
    private mutating func flush() throws {
        let quiet = rows.keys.filter { !recent.contains($0) }.sorted()
        try write(quiet)
        for key in quiet { rows.removeValue(forKey: key) }
        recent.removeAll(keepingCapacity: true)
        // Rows written out may be needed again, and are read back then.
        viewsEmpty = false
    }

    /// Writes rows in key order: SQLite then appends to its tree instead of splitting pages all over it.
    private mutating func write(_ keys: some Sequence<CaseID>) throws {
        for key in keys {
            guard let row = rows[key] else { continue }
            canonical.removeAll(keepingCapacity: true)
            try P.writeRow(row, to: &canonical)
            try upsert.execute(arguments: [P.name, key.rawValue, String(decoding: canonical, as: UTF8.self)])
        }
    }
}
