import Foundation
internal import GRDB
import SinmungoCore

extension SQLiteEventStore {
    /// The events visible at `point`, in log order. Within a case, business time never runs
    /// backwards, so what remains of each case is a prefix of its events.
    public func events(at point: PointInTime, of caseID: CaseID? = nil) throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        try forEachEvent(at: point, of: caseID) { events.append($0) }
        return events
    }

    /// The orders `forEachEvent` reads in.
    public enum EventOrder: Sendable {
        /// Log order.
        case log
        /// Log order backwards, newest first.
        case newestFirst
        /// Case by case, each case's events in log order (which is its business-time order):
        /// what `MonthlyStatistics` folds, holding one case at a time.
        case caseByCase
    }

    /// Calls `body` with each event visible at `point`, one at a time as it is read, so that a
    /// fold over the whole log (statistics, reports, retention, views at a point in time) never
    /// holds the log in memory.
    public func forEachEvent(
        at point: PointInTime, of caseID: CaseID? = nil, order: EventOrder = .log, _ body: (RecordedEvent) throws -> Void
    ) throws {
        let (condition, arguments) = Self.condition(at: point, of: caseID)
        // Stored times are ISO 8601 in one zone and one width, so text order is time order.
        let orderBy =
            switch order {
            case .log: "seq"
            case .newestFirst: "seq DESC"
            // The unique index on (case_id, case_version) is read in order: nothing is sorted.
            case .caseByCase: "case_id, case_version"
            }
        try withTranslatedErrors {
            try database.read { db in
                try Self.forEachReplayedEvent(
                    db, where: "\(condition) ORDER BY \(orderBy)", arguments, withCommandID: true, body)
            }
        }
    }

    /// Calls `body` with the events of the cases `ids` visible at `point`, case by case in case
    /// id order, each case's in log order: a fold over the cases a read needs, by the index on
    /// (case, version), that reads nothing of the others.
    public func forEachEvent(
        at point: PointInTime, ofCases ids: some Collection<CaseID>, _ body: (RecordedEvent) throws -> Void
    ) throws {
        let (condition, arguments) = Self.condition(at: point, of: nil)
        let sorted = ids.map(\.rawValue).sorted()
        try withTranslatedErrors {
            try database.read { db in
                // One reader for every statement, so that its decoding runs ahead across them.
                var reader = ReplayReader(withCommandID: true)
                defer { reader.stop() }
                // A few hundred ids a statement keeps each under SQLite's limit on parameters.
                for start in stride(from: 0, to: sorted.count, by: Self.casesPerRead) {
                    let chunk = sorted[start..<min(start + Self.casesPerRead, sorted.count)]
                    let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                    let cursor = try Self.replayCursor(
                        db, where: "case_id IN (\(placeholders)) AND \(condition) ORDER BY case_id, case_version",
                        StatementArguments(chunk) + arguments, withCommandID: true)
                    try reader.read(cursor, body)
                }
                try reader.finish(body)
            }
        }
    }

    static let casesPerRead = 500

    /// The last event visible at `point` and its hash.
    public func head(at point: PointInTime) throws -> LogAnchor {
        if point.isNow { return try head() }
        let (condition, arguments) = Self.condition(at: point, of: nil)
        return try withTranslatedErrors {
            try database.read { db in
                guard
                    let row = try Row.fetchOne(
                        db, sql: "SELECT seq, hash FROM event WHERE \(condition) ORDER BY seq DESC LIMIT 1",
                        arguments: arguments)
                else { return LogAnchor(sequence: 0, hash: EventHash.genesis) }
                return LogAnchor(sequence: row[0], hash: [UInt8](row[1] as Data))
            }
        }
    }

    static func condition(at point: PointInTime, of caseID: CaseID?) -> (String, StatementArguments) {
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
        return (condition, arguments)
    }
}
