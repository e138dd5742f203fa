import Foundation
internal import GRDB
import SinmungoCore

extension SQLiteEventStore {
    /// One row of `projection` as it stood at `point`, without holding every row: a first pass,
    /// from the newest event back, finds the events the row depends on (those touching it, and
    /// before them those touching any row they read), and a second folds only those.
    /// Exact for any projection, since `apply` reads no row but those `keys(touchedBy:)` names.
    public func row<P: Projection>(of projection: P.Type, key: CaseID, at point: PointInTime) throws -> P.Row? {
        guard !point.isNow else { return try row(of: P.self, key: key) }
        var needed: Set<CaseID> = [key]
        var relevant: [Int64] = []
        try forEachEvent(at: point, order: .newestFirst) { event in
            let touched = P.keys(touchedBy: event)
            guard touched.contains(where: needed.contains) else { return }
            needed.formUnion(touched)
            relevant.append(event.sequence)
        }
        var rows: [CaseID: P.Row] = [:]
        // Oldest first, a chunk of sequence numbers a query.
        for chunk in stride(from: relevant.count, to: 0, by: -500) {
            let sequences = relevant[max(chunk - 500, 0)..<chunk].reversed().map(String.init).joined(separator: ",")
            try withTranslatedErrors {
                try database.read { db in
                    try Self.forEachReplayedEvent(db, where: "seq IN (\(sequences)) ORDER BY seq") { P.apply($0, to: &rows) }
                }
            }
        }
        return rows[key]
    }
}
