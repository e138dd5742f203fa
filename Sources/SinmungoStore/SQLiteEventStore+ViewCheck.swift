import Foundation
internal import GRDB
import SinmungoCore

extension SQLiteEventStore {
    /// What is wrong with the views of the registered projections, compared with a replay of
    /// the log up to each one's checkpoint, or nil. Each replay is held in memory, one row a case.
    func viewsFailure(_ db: Database, head: Int64) throws -> VerificationFailure? {
        // A log of an older format, opened read-only, has no view rows: reads fold the log.
        guard try db.tableExists("view_row") else { return nil }
        for projection in projections {
            if let failure = try Self.viewsFailure(of: projection, db: db, head: head) { return failure }
        }
        return nil
    }

    private static func viewsFailure<P: Projection>(of projection: P.Type, db: Database, head: Int64) throws
        -> VerificationFailure?
    {
        // Rows of another version (or none) are refolded by the next write: nothing to compare.
        guard let checkpoint = try checkpoint(of: P.self, db: db) else { return nil }
        if checkpoint > head {
            return VerificationFailure(
                sequence: checkpoint, kind: .views,
                detail: StoreError.viewsAheadOfLog(checkpoint: checkpoint, head: head).explanation)
        }
        var replayed: [CaseID: P.Row] = [:]
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT \(replayColumns) FROM event WHERE seq <= ? ORDER BY seq", arguments: [checkpoint])
        while let row = try cursor.next() {
            P.apply(try replayedEvent(row), to: &replayed)
        }
        var failure: VerificationFailure?
        try ViewRows<P>(db: db, stored: true).forEach { key, stored in
            guard failure == nil else { return }
            guard let replay = replayed.removeValue(forKey: key) else {
                failure = viewsDisagree(checkpoint, "they hold case \(key), which the log up to event \(checkpoint) does not")
                return
            }
            if replay != stored {
                failure = viewsDisagree(checkpoint, "their row for case \(key) differs from a replay of the log")
            }
        }
        if let failure { return failure }
        if let missing = replayed.keys.min(by: { $0.rawValue < $1.rawValue }) {
            return viewsDisagree(checkpoint, "they lack case \(missing), which the log holds")
        }
        return nil
    }

    private static func viewsDisagree(_ checkpoint: Int64, _ what: String) -> VerificationFailure {
        VerificationFailure(
            sequence: checkpoint, kind: .views,
            detail: "the views (up to event \(checkpoint)) disagree with the log: \(what); `sinmungo rebuild` replays them")
    }
}
