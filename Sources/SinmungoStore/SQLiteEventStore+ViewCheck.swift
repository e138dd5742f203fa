import Foundation
internal import GRDB
import SinmungoCore
import SinmungoViews

extension SQLiteEventStore {
    /// Refuses to use views that fold in events the log no longer holds: the log was cut
    /// after the views were written. Only `rebuild` (which starts from nothing) gets past it.
    static func requireViewsWithinLog(_ db: Database, head: Int64) throws {
        let checkpoint = try viewCheckpoint(db)
        if checkpoint > head { throw StoreError.viewsAheadOfLog(checkpoint: checkpoint, head: head) }
    }

    /// What is wrong with the views, compared with a replay of the log up to their
    /// checkpoint, or nil. The replay is held in memory, one summary a case.
    static func viewsFailure(_ db: Database, head: Int64) throws -> VerificationFailure? {
        let checkpoint = try viewCheckpoint(db)
        if checkpoint > head {
            return VerificationFailure(
                sequence: checkpoint, kind: .views,
                detail: StoreError.viewsAheadOfLog(checkpoint: checkpoint, head: head).explanation)
        }
        var replayed: [CaseID: CaseSummary] = [:]
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT \(replayColumns) FROM event WHERE seq <= ? ORDER BY seq", arguments: [checkpoint])
        while let row = try cursor.next() {
            CaseProjection.apply(try replayedEvent(row), to: &replayed)
        }
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM case_view ORDER BY id")
        while let row = try rows.next() {
            let stored = try CaseSummary(row)
            guard let replay = replayed.removeValue(forKey: stored.id) else {
                return viewsDisagree(checkpoint, "they hold case \(stored.id), which the log up to event \(checkpoint) does not")
            }
            if replay != stored {
                return viewsDisagree(checkpoint, "their row for case \(stored.id) differs from a replay of the log")
            }
        }
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
