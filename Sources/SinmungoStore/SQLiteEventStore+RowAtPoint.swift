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
        var relevant: [Int64] = []
        if P.keysAreCasesNamedInEvents {
            relevant = try eventsNaming(key, of: P.self, at: point)
        } else {
            var needed: Set<CaseID> = [key]
            try forEachEvent(at: point, order: .newestFirst) { event in
                let touched = P.keys(touchedBy: event)
                guard touched.contains(where: needed.contains) else { return }
                needed.formUnion(touched)
                relevant.append(event.sequence)
            }
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

    /// The first pass for a projection whose keys are cases named in events, newest first:
    /// an event is decoded only when its case, or the text of its data, names a case followed,
    /// and the walk ends at the first event of the earliest case followed, as nothing before
    /// a case's first event reaches its row.
    private func eventsNaming<P: Projection>(_ key: CaseID, of projection: P.Type, at point: PointInTime) throws -> [Int64] {
        try withTranslatedErrors {
            try database.read { db in
                func firstSequence(of id: CaseID) throws -> Int64? {
                    try Int64.fetchOne(db, sql: "SELECT min(seq) FROM event WHERE case_id = ?", arguments: [id.rawValue])
                }
                guard var floor = try firstSequence(of: key) else { return [] }
                var needed: Set<CaseID> = [key]
                var neededBytes: [[UInt8]] = [Array(key.rawValue.utf8)]
                var relevant: [Int64] = []
                var names = RepeatedStrings()
                let (condition, arguments) = Self.condition(at: point, of: nil)
                // Below `ceiling` the walk has not been yet; a case met on the way may move the
                // floor down, and the walk then goes on below where it stopped.
                var ceiling = Int64.max
                while floor < ceiling {
                    let cursor = try EventRowCursor(
                        db: db, sql: "SELECT \(Self.replayColumns) FROM event WHERE \(condition) AND seq >= ? AND seq < ? ORDER BY seq DESC",
                        arguments: arguments + [floor, ceiling])
                    let bottom = floor
                    while try cursor.step() {
                        let caseBytes = cursor.bytes(1)
                        let data = cursor.bytes(8)
                        let named = neededBytes.contains { id in
                            caseBytes.elementsEqual(id) || data.firstRange(of: id) != nil
                        }
                        guard named else { continue }
                        let event = try Self.replayedEvent(cursor, names: &names)
                        let touched = P.keys(touchedBy: event)
                        guard touched.contains(where: needed.contains) else { continue }
                        relevant.append(event.sequence)
                        for id in touched where needed.insert(id).inserted {
                            neededBytes.append(Array(id.rawValue.utf8))
                            if let first = try firstSequence(of: id) { floor = min(floor, first) }
                        }
                    }
                    ceiling = bottom
                }
                return relevant
            }
        }
    }
}
