import Foundation
internal import GRDB
import SinmungoCore

/// A projection's rows replayed from the log up to its checkpoint, held in memory one row a
/// case, and compared with the stored rows: `verify` folds the events into it as it checks them.
struct ViewReplay<P: Projection>: ViewReplaying {
    /// Nil for rows of another version (or none): the next write refolds them, so there is nothing to compare.
    let checkpoint: Int64?
    private var replayed: [CaseID: P.Row] = [:]
    private var unreadable: (any Error)?

    /// `expectedRows`, the stored rows' count, sizes the replay's table once instead of growing it.
    init(checkpoint: Int64?, expectedRows: Int = 0) {
        self.checkpoint = checkpoint
        replayed.reserveCapacity(expectedRows)
    }

    mutating func fold(_ event: RecordedEvent) {
        guard unreadable == nil, let checkpoint, event.sequence <= checkpoint else { return }
        P.apply(event, to: &replayed)
    }

    mutating func refuse(_ error: any Error) {
        guard unreadable == nil else { return }
        unreadable = error
    }

    /// What is wrong with the stored rows compared with the replay, or nil.
    mutating func failure(db: Database, head: Int64) throws -> VerificationFailure? {
        guard let checkpoint else { return nil }
        if checkpoint > head {
            return VerificationFailure(
                sequence: checkpoint, kind: .views,
                detail: StoreError.viewsAheadOfLog(checkpoint: checkpoint, head: head).explanation)
        }
        if let unreadable { throw unreadable }
        var failure: VerificationFailure?
        var canonical: [UInt8] = []
        let rows = ViewRows<P>(db: db, stored: true)
        try rows.forEachStored { key, stored in
            guard failure == nil else { return }
            guard let replay = replayed.removeValue(forKey: key) else {
                failure = Self.disagree(checkpoint, "they hold case \(key), which the log up to event \(checkpoint) does not")
                return
            }
            // Rows this program wrote are the replay's bytes; only others need decoding to compare.
            canonical.removeAll(keepingCapacity: true)
            try P.writeRow(replay, to: &canonical)
            if !canonical.elementsEqual(stored), try rows.decode(stored, key: key.rawValue) != replay {
                failure = Self.disagree(checkpoint, "their row for case \(key) differs from a replay of the log")
            }
        }
        if let failure { return failure }
        if let missing = replayed.keys.min(by: { $0.rawValue < $1.rawValue }) {
            return Self.disagree(checkpoint, "they lack case \(missing), which the log holds")
        }
        return nil
    }

    private static func disagree(_ checkpoint: Int64, _ what: String) -> VerificationFailure {
        VerificationFailure(
            sequence: checkpoint, kind: .views,
            detail: "the views (up to event \(checkpoint)) disagree with the log: \(what); `sinmungo rebuild` replays them")
    }
}
