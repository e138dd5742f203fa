import Foundation
internal import GRDB
import SinmungoCore

/// A projection's rows replayed from the log up to its checkpoint, and compared with the
/// stored rows: `verify` folds the events into it as it checks them. The replayed rows are
/// kept as `rebuild` keeps its own, in a scratch database, so that memory stays flat at any
/// log size: one row a case in memory was 2.4 GB on ten million events.
struct ViewReplay<P: Projection>: ViewReplaying {
    /// Nil for rows of another version (or none): the next write refolds them, so there is nothing to compare.
    let checkpoint: Int64?
    private let scratch: Database
    private var folder: ViewFolder<P>?
    private var unreadable: (any Error)?

    init(checkpoint: Int64?, scratch: Database, flushingEvery interval: Int64) throws {
        self.checkpoint = checkpoint
        self.scratch = scratch
        guard checkpoint != nil else { return }
        try SQLiteEventStore.reset(P.name, version: P.version, db: scratch)
        folder = try ViewFolder(P.self, db: scratch, interval: interval)
    }

    mutating func fold(_ event: RecordedEvent) throws {
        guard unreadable == nil, let checkpoint, event.sequence <= checkpoint else { return }
        try folder?.fold(event)
    }

    mutating func refuse(_ error: any Error) {
        guard unreadable == nil else { return }
        unreadable = error
    }

    /// What is wrong with the stored rows compared with the replay, or nil: the first case,
    /// in key order, where they part.
    mutating func failure(db: Database, head: Int64) throws -> VerificationFailure? {
        guard let checkpoint, var folder else { return nil }
        if checkpoint > head {
            return VerificationFailure(
                sequence: checkpoint, kind: .views,
                detail: StoreError.viewsAheadOfLog(checkpoint: checkpoint, head: head).explanation)
        }
        if let unreadable { throw unreadable }
        try folder.finish()
        self.folder = folder
        // Both sides in key order, walked side by side.
        let query = "SELECT key, data FROM view_row WHERE projection = ? ORDER BY key"
        let stored = try EventRowCursor(db: db, sql: query, arguments: [P.name])
        let replayed = try EventRowCursor(db: scratch, sql: query, arguments: [P.name])
        var storedLeft = try stored.step()
        var replayedLeft = try replayed.step()
        while storedLeft || replayedLeft {
            if !replayedLeft || (storedLeft && stored.bytes(0).lexicographicallyPrecedes(replayed.bytes(0))) {
                return Self.disagree(
                    checkpoint, "they hold case \(stored.string(0)), which the log up to event \(checkpoint) does not")
            }
            if !storedLeft || replayed.bytes(0).lexicographicallyPrecedes(stored.bytes(0)) {
                return Self.disagree(checkpoint, "they lack case \(replayed.string(0)), which the log holds")
            }
            // Rows this program wrote are the replay's bytes; only others need decoding to compare.
            if !stored.bytes(1).elementsEqual(replayed.bytes(1)) {
                let key = stored.string(0)
                let storedRow = try ViewRows<P>(db: db, stored: true).decode(stored.bytes(1), key: key)
                let replayedRow = try ViewRows<P>(db: scratch, stored: true).decode(replayed.bytes(1), key: key)
                if storedRow != replayedRow {
                    return Self.disagree(checkpoint, "their row for case \(key) differs from a replay of the log")
                }
            }
            storedLeft = try stored.step()
            replayedLeft = try replayed.step()
        }
        return nil
    }

    private static func disagree(_ checkpoint: Int64, _ what: String) -> VerificationFailure {
        VerificationFailure(
            sequence: checkpoint, kind: .views,
            detail: "the views (up to event \(checkpoint)) disagree with the log: \(what); `sinmungo rebuild` replays them")
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
