import Foundation
internal import GRDB
import SinmungoCore

/// The one way events reach the log, inside a write transaction: each is chained after the
/// head, inserted, and folded into the views from memory, never read back. Commands, import
/// and generate all write through it; a batch is whatever one transaction holds.
struct LogWriter {
    let db: Database
    private(set) var head: SQLiteEventStore.Head
    private var views: [any ProjectionFolding]
    private(set) var written = 0

    /// `projections` are the views the store runs; each is folded in with every event written.
    init(db: Database, projections: [any Projection.Type]) throws {
        self.db = db
        head = try SQLiteEventStore.head(db)
        try SQLiteEventStore.prepareViews(projections, db: db, head: head.sequence)
        // Views behind the head (not registered at an earlier write, or just reset) catch up first.
        try SQLiteEventStore.catchUpViews(projections, db: db)
        views = try projections.map { try SQLiteEventStore.folder(for: $0, db: db) }
    }

    /// `event` as the log would store it next. `data` keeps bytes that came with an event of an
    /// older schema version, so that its hash still holds.
    func chained(_ event: RecordedEvent, keepingData data: String? = nil) -> StoredEvent {
        var stored = SQLiteEventStore.stored(event, after: head.hash)
        if let data, data != stored.data {
            stored.data = data
            stored.hash = stored.expectedHash
        }
        return stored
    }

    /// Inserts `stored`, made by `chained` from `event`, and folds `event` into the views.
    mutating func write(_ stored: StoredEvent, of event: RecordedEvent) throws {
        try SQLiteEventStore.insert(stored, into: db)
        head = SQLiteEventStore.Head(sequence: stored.sequence, hash: stored.hash, recordedAt: event.recordedAt)
        for index in views.indices { try views[index].fold(event) }
        written += 1
    }

    @discardableResult
    mutating func append(_ event: RecordedEvent) throws -> StoredEvent {
        let stored = chained(event)
        try write(stored, of: event)
        return stored
    }

    /// Writes the last view rows and moves their checkpoint to the head.
    mutating func finish() throws {
        for index in views.indices { try views[index].finish() }
    }
}
