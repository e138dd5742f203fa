import Foundation
internal import GRDB
import SinmungoCore

extension SQLiteEventStore {
    /// The events visible at `point`, in log order. Within a case, business time never runs
    /// backwards, so what remains of each case is a prefix of its events.
    public func events(at point: PointInTime, of caseID: CaseID? = nil) throws -> [RecordedEvent] {
        try withTranslatedErrors {
            try database.read { db in
                var condition = "1"
                var arguments: StatementArguments = []
                if let caseID {
                    condition = "case_id = ?"
                    arguments += [caseID.rawValue]
                }
                // Stored times are ISO 8601 in one zone and one width, so text order is time order.
                if let asOf = point.asOf {
                    condition += " AND recorded_at <= ?"
                    arguments += [asOf.description]
                }
                if let effective = point.effective {
                    condition += " AND occurred_at <= ?"
                    arguments += [effective.description]
                }
                return try Self.storedEvents(db, where: "\(condition) ORDER BY seq", arguments).map { try $0.decoded() }
            }
        }
    }

    /// The last event visible at `point` and its hash.
    public func head(at point: PointInTime) throws -> LogAnchor {
        if point.isNow { return try head() }
        guard let last = try events(at: point).last else { return LogAnchor(sequence: 0, hash: EventHash.genesis) }
        return try withTranslatedErrors {
            try database.read { db in
                let hash = try Self.storedEvents(db, where: "seq = ?", [last.sequence]).first?.hash ?? EventHash.genesis
                return LogAnchor(sequence: last.sequence, hash: hash)
            }
        }
    }
}
