import Foundation
internal import GRDB
import SinmungoCore

/// Views folded from a log read elsewhere (a PostgreSQL office's, or SQLite's own inside
/// `verify`), kept as SQLite's `rebuild` keeps its rows: rows quiet for `interval` events are
/// written to a scratch database that SQLite deletes when it closes, and read back when
/// touched again, so that memory stays flat at any log size. Usable only inside `with`, which
/// owns the scratch database.
public final class SpilledViews {
    /// Events between two writes of the quiet rows: `rebuild`'s own.
    public static let flushInterval: Int64 = SQLiteEventStore.viewFlushInterval
    public let projections: [any Projection.Type]
    /// The last event each projection folds in; later ones pass it by.
    public let limits: [Int64]
    private let db: Database
    private var folders: [any ProjectionFolding]
    /// Per projection, the error of an event it needed and could not have.
    private var unreadable: [(any Error)?]
    private var finished = false

    private init(_ projections: [any Projection.Type], limits: [Int64], db: Database, interval: Int64) throws {
        self.projections = projections
        self.limits = limits
        self.db = db
        unreadable = Array(repeating: nil, count: projections.count)
        for projection in projections {
            try SQLiteEventStore.reset(projection.name, version: projection.version, db: db)
        }
        folders = try projections.map { try SQLiteEventStore.folder(for: $0, db: db, interval: interval) }
    }

    /// Calls `body` with empty views of `projections`, to be folded from a log's first event,
    /// each through its limit (by default, to the end).
    public static func with<T>(
        _ projections: [any Projection.Type], through limits: [Int64]? = nil,
        flushingEvery interval: Int64 = SpilledViews.flushInterval, _ body: (SpilledViews) throws -> T
    ) throws -> T {
        let limits = limits ?? Array(repeating: .max, count: projections.count)
        precondition(limits.count == projections.count, "one limit a projection")
        return try ScratchViews.open().write { db in
            try body(SpilledViews(projections, limits: limits, db: db, interval: interval))
        }
    }

    /// True when some projection folds event `sequence`: a caller may skip decoding others.
    public func needs(_ sequence: Int64) -> Bool {
        limits.indices.contains { sequence <= limits[$0] && unreadable[$0] == nil }
    }

    /// Folds the log's next event: events come in log order, each once, from the first.
    public func fold(_ event: RecordedEvent) throws {
        for index in folders.indices where event.sequence <= limits[index] && unreadable[index] == nil {
            try folders[index].fold(event)
        }
    }

    /// Event `sequence` could not be decoded: the projections that needed it stop folding, and
    /// `rows(of:)` throws `error` for them.
    public func refuse(_ error: any Error, at sequence: Int64) {
        for index in folders.indices where sequence <= limits[index] && unreadable[index] == nil {
            unreadable[index] = error
        }
    }

    /// The rows of `projection`, in key order (by bytes), as the canonical JSON the SQLite
    /// store keeps. No event may be folded once they are read.
    public func rows(of projection: any Projection.Type) throws -> SpilledRows {
        if let index = index(of: projection), let error = unreadable[index] { throw error }
        if !finished {
            for index in folders.indices { try folders[index].finish() }
            finished = true
        }
        return try SpilledRows(db: db, projection: projection.name)
    }

    /// Calls `body` with each row of `projection`, in key order (by bytes), as the canonical
    /// JSON the SQLite store keeps, merging the rows in memory with the written ones rather
    /// than writing the rest first; key and bytes are valid only during the call.
    public func forEachRow(
        of projection: any Projection.Type, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws {
        guard let index = index(of: projection) else { return }
        if let error = unreadable[index] { throw error }
        try folders[index].forEachRow(body)
    }

    private func index(of projection: any Projection.Type) -> Int? {
        projections.firstIndex { ObjectIdentifier($0) == ObjectIdentifier(projection) }
    }
}

/// A projection's spilled rows, read one at a time in key order. `key` and `data` are valid
/// until the next call of `next`.
public struct SpilledRows {
    let db: Database
    private let cursor: EventRowCursor

    init(db: Database, projection: String) throws {
        self.db = db
        cursor = try EventRowCursor(
            db: db, sql: "SELECT key, data FROM view_row WHERE projection = ? ORDER BY key", arguments: [projection])
    }

    /// Moves to the next row; false after the last.
    public func next() throws -> Bool { try cursor.step() }

    public var key: UnsafeBufferPointer<UInt8> { cursor.bytes(0) }
    public var data: UnsafeBufferPointer<UInt8> { cursor.bytes(1) }
}

/// Walks a view's stored rows, given in key order, beside its replay, and names the first
/// case where they part: a row the replay lacks, a row the stored view lacks, or a row that
/// differs. Each store puts the words into its own failure.
public struct ViewRowComparison<P: Projection> {
    private let replayed: SpilledRows
    private var replayedLeft: Bool
    private let checkpoint: Int64

    /// `checkpoint`: the last event the stored rows fold in.
    public init(replayed: SpilledRows, checkpoint: Int64) throws {
        self.replayed = replayed
        self.checkpoint = checkpoint
        replayedLeft = try replayed.next()
    }

    /// What the next stored row shows wrong, or nil.
    public mutating func disagreement(key: UnsafeBufferPointer<UInt8>, data: UnsafeBufferPointer<UInt8>) throws -> String? {
        let storedKey = String(decoding: key, as: UTF8.self)
        guard replayedLeft, !key.lexicographicallyPrecedes(replayed.key) else {
            return "they hold case \(storedKey), which the log up to event \(checkpoint) does not"
        }
        if replayed.key.lexicographicallyPrecedes(key) { return lacking() }
        // Rows this program wrote are the replay's bytes; only others need decoding to compare.
        if !data.elementsEqual(replayed.data) {
            let differs = "their row for case \(storedKey) differs from a replay of the log"
            let rows = ViewRows<P>(db: replayed.db, stored: true)
            let stored: P.Row
            do {
                stored = try rows.decode(data, key: storedKey)
            } catch StoreError.unreadableView(_, _, let reason) {
                return "\(differs): \(reason)"
            }
            guard try stored == rows.decode(replayed.data, key: storedKey) else { return differs }
        }
        replayedLeft = try replayed.next()
        return nil
    }

    /// What is wrong once the stored rows have all been given, or nil.
    public func end() -> String? { replayedLeft ? lacking() : nil }

    private func lacking() -> String {
        "they lack case \(String(decoding: replayed.key, as: UTF8.self)), which the log holds"
    }
}

/// A private database that SQLite deletes when it is closed, or when the process ends however
/// it ends: room on disk for rows too many to hold in memory.
enum ScratchViews {
    static func open() throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // Nothing here outlives the process: no journal on disk, no sync; a bigger page cache, as `rebuild` takes.
            try db.execute(
                sql:
                    "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA cache_size = \(SQLiteEventStore.rebuildCacheSize)"
            )
        }
        // An empty path is SQLite's private temporary database.
        let queue = try DatabaseQueue(path: "", configuration: configuration)
        try queue.write { db in
            // The layout of the store's own view tables, which `ViewFolder` writes.
            try db.execute(
                sql: """
                    CREATE TABLE view_row (
                        projection TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (projection, key)
                    ) WITHOUT ROWID;
                    CREATE TABLE view_checkpoint (
                        view TEXT PRIMARY KEY NOT NULL, seq INTEGER NOT NULL, version INTEGER NOT NULL DEFAULT 0
                    );
                    """)
        }
        return queue
    }
}
