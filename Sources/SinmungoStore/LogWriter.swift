import Foundation
internal import GRDB
import SinmungoCore
import SinmungoViews

/// The one way events reach the log, inside a write transaction: each is chained after the
/// head, inserted, and folded into the views from memory, never read back. Commands, import
/// and generate all write through it; a batch is whatever one transaction holds.
struct LogWriter {
    let db: Database
    private(set) var head: SQLiteEventStore.Head
    private var views: ViewFolder
    private(set) var written = 0

    /// `viewsEmpty` says the views hold no row yet, so that no row is looked up.
    init(db: Database, viewsEmpty: Bool = false) throws {
        self.db = db
        head = try SQLiteEventStore.head(db)
        try SQLiteEventStore.requireViewsWithinLog(db, head: head.sequence)
        // Views behind the head (written by a version that folded later) catch up first.
        if try SQLiteEventStore.viewCheckpoint(db) < head.sequence { try SQLiteEventStore.catchUpViews(db) }
        views = try ViewFolder(db: db, viewsEmpty: viewsEmpty)
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
        try views.fold(event)
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
        try views.finish()
    }
}

/// Folds events, in log order, into the case views inside a write transaction. Rows are read
/// when first touched, changed in memory, and written out every `interval` events, so memory
/// stays flat however many events pass.
struct ViewFolder {
    let db: Database
    private let checkpoint: Int64
    private let interval: Int64
    private var viewsEmpty: Bool
    private var rows: [CaseID: CaseSummary] = [:]
    private var changed = Set<CaseID>()
    private(set) var last: Int64
    private let upsert: Statement

    init(db: Database, viewsEmpty: Bool = false, interval: Int64 = SQLiteEventStore.viewFlushInterval) throws {
        self.db = db
        self.viewsEmpty = viewsEmpty
        self.interval = interval
        checkpoint = try SQLiteEventStore.viewCheckpoint(db)
        last = checkpoint
        upsert = try db.cachedStatement(sql: CaseSummary.upsertSQL)
    }

    var folded: Int64 { last - checkpoint }

    mutating func fold(_ event: RecordedEvent) throws {
        guard event.sequence == last + 1 else {
            throw StoreError.unreadableEvent(
                sequence: event.sequence, reason: "the views are at event \(last), so it cannot be folded in next")
        }
        let touched = CaseProjection.caseIDs(touchedBy: event)
        if !viewsEmpty {
            // The event that creates a case never finds its row: no need to look.
            try load(event.type.createsCase ? Array(touched.dropFirst()) : touched)
        }
        CaseProjection.apply(event, to: &rows)
        changed.formUnion(touched)
        last = event.sequence
        if folded % interval == 0 { try flush() }
    }

    mutating func finish() throws {
        guard last > checkpoint else { return }
        try flush()
        try db.execute(sql: "UPDATE view_checkpoint SET seq = ? WHERE view = 'cases'", arguments: [last])
    }

    private mutating func flush() throws {
        for id in changed {
            if let summary = rows[id] { try upsert.execute(arguments: summary.databaseArguments) }
        }
        rows.removeAll(keepingCapacity: true)
        changed.removeAll(keepingCapacity: true)
        // Rows written out may be needed again, and are read back then.
        viewsEmpty = false
    }

    private mutating func load(_ ids: [CaseID]) throws {
        for id in ids where rows[id] == nil {
            let statement = try db.cachedStatement(sql: "SELECT * FROM case_view WHERE id = ?")
            if let row = try Row.fetchOne(statement, arguments: [id.rawValue]) {
                rows[id] = try CaseSummary(row)
            }
        }
    }
}
