import ArgumentParser
import Foundation
import SinmungoCore
import SinmungoPostgres
import SinmungoStore
import SinmungoViews

/// What the commands need of a log, whichever backend keeps it: SQLite for one desk, a
/// PostgreSQL server for many offices.
protocol LogBackend: EventStore, ProjectionReading, AccessRecordLog {
    func head(at point: PointInTime) throws -> LogAnchor
    /// One row of a projection as it stood at `point`.
    func row<P: Projection>(of projection: P.Type, key: CaseID, at point: PointInTime) throws -> P.Row?
    /// Each event visible at `point`, one at a time, in `order`: folds never hold the log.
    func forEachEvent(
        at point: PointInTime, of caseID: CaseID?, order: SQLiteEventStore.EventOrder, _ body: (RecordedEvent) throws -> Void
    ) throws
    /// The events of the cases `ids` visible at `point`, case by case, each case's in log order.
    func forEachEvent(at point: PointInTime, ofCases ids: some Collection<CaseID>, _ body: (RecordedEvent) throws -> Void)
        throws
    func personalData(in events: [RecordedEvent]) throws -> PersonalDataStatus
    func importLog(at url: URL, source: String, now: Instant?, policy: Policy, progress: (Int64) -> Void) throws -> Int
    /// Imports, and adds a file's names to the roster in the same transaction when it comes from another system.
    func importLog(
        at url: URL, source: String, now: Instant?, policy: Policy, adoptingRoster: RosterAdoptionRequest?,
        progress: (Int64) -> Void
    ) throws -> ImportOutcome
    func exportLog(_ write: (String) throws -> Void) throws
    func rebuildViews(progress: (Int64) -> Void) throws -> Int64
}

extension LogBackend {
    func events(at point: PointInTime) throws -> [RecordedEvent] { try events(at: point, of: nil) }

    func forEachEvent(
        at point: PointInTime, order: SQLiteEventStore.EventOrder = .log, _ body: (RecordedEvent) throws -> Void
    ) throws {
        try forEachEvent(at: point, of: nil, order: order, body)
    }
}

extension PostgresEventStore {
    func row<P: Projection>(of projection: P.Type, key: CaseID, at point: PointInTime) throws -> P.Row? {
        try rows(of: projection, at: point)[key]
    }

    /// Hands over the events at `point` in `order`: the whole log in log order or case by case
    /// as it is read; newest first, or one case's, after reading them all.
    func forEachEvent(
        at point: PointInTime, of caseID: CaseID?, order: SQLiteEventStore.EventOrder, _ body: (RecordedEvent) throws -> Void
    ) throws {
        if caseID == nil, order == .log || order == .caseByCase {
            return try forEachEvent(at: point, caseByCase: order == .caseByCase, body)
        }
        let events = try events(at: point, of: caseID)
        switch order {
        // One case's events are in log order and case by case at once.
        case .log, .caseByCase: try events.forEach(body)
        case .newestFirst: try events.reversed().forEach(body)
        }
    }
}

extension SQLiteEventStore: LogBackend {}
extension PostgresEventStore: LogBackend {}

extension StoreOptions {
    /// The views a server keeps: besides the case list, the statistics view, from which
    /// statistics staff, who may not read the log, compute `stats`.
    static let serverProjections: [any Projection.Type] = projections + [StatisticsTimeline.self]

    /// A `postgresql://` (or `postgres://`) address names a server; anything else is an SQLite file.
    var isServer: Bool { path.hasPrefix("postgresql://") || path.hasPrefix("postgres://") }

    /// The office named by --office or $SINMUNGO_OFFICE, else the default one.
    var officeName: String {
        office ?? ProcessInfo.processInfo.environment["SINMUNGO_OFFICE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? PostgresEventStore.defaultOffice
    }

    /// Refuses what only one backend can do, before anything is opened.
    func checkBackendOptions() throws {
        if isServer {
            if keys != nil || ProcessInfo.processInfo.environment["SINMUNGO_KEYS"].map({ !$0.isEmpty }) == true {
                throw CommandLineFailure.usage(
                    "--keys and SINMUNGO_KEYS name an SQLite key store; on PostgreSQL the keys are kept in the database")
            }
        } else if officeName != PostgresEventStore.defaultOffice {
            throw CommandLineFailure.usage(
                "an SQLite log holds one office's log; --office \(officeName) needs a PostgreSQL log (--db postgresql://…)")
        }
    }

    func openLog(_ mode: SQLiteEventStore.AccessMode = .readWrite) throws -> any LogBackend {
        try checkBackendOptions()
        if isServer {
            return try PostgresEventStore(
                address: path, office: officeName, readOnly: mode == .readOnly, projections: Self.serverProjections)
        }
        return try SQLiteEventStore(openingExistingAt: path, mode: mode, keysPath: keysPath, projections: Self.projections)
    }
}

extension ExitStatus {
    static func forServerFailure(_ failure: PostgresFailure) -> Int32 {
        switch failure.kind {
        case .address: usage
        case .unreachable: noInput
        case .readOnly, .forbidden: refused
        case .notALog, .server: ioError
        }
    }
}

/// Verifies each office's log in turn, one line each; fails (exit 65) naming every office
/// whose log does not verify, after checking them all.
func verifyAllOffices(_ options: StoreOptions) throws {
    try options.checkBackendOptions()
    let offices: [String]
    if options.isServer {
        offices = try PostgresEventStore(address: options.path, readOnly: true).offices()
    } else {
        offices = [PostgresEventStore.defaultOffice]
    }
    var failed: [String] = []
    for office in offices {
        var one = options
        one.office = office
        do {
            let log = try one.openLog(.readOnly)
            let head = try log.verify(against: nil, progress: { _ in })
            let access: String
            do {
                access = "access records chained through \(try log.verifyAccessRecords())"
            } catch let unreadable as AccessRecordsUnreadable {
                access = unreadable.description
            }
            print("\(office): ok: \(head.sequence) events verified; head \(head); \(access)")
        } catch let failure as VerificationFailure {
            printError("\(office): \(failure)")
            failed.append(office)
        } catch let failure as AccessRecordFailure {
            printError("\(office): \(failure)")
            failed.append(office)
        }
    }
    if !failed.isEmpty {
        throw VerificationFailureSummary(offices: failed)
    }
}

/// Some offices' logs did not verify (each was named as it was checked).
struct VerificationFailureSummary: Error, CustomStringConvertible {
    var offices: [String]
    var description: String { "\(offices.count) office(s) did not verify: \(offices.joined(separator: ", "))" }
}

extension LogBackend {
    /// For a PostgreSQL login that reads the views alone (statistics staff), the steps the
    /// statistics view holds, as events: the roster's, and the cases' case by case.
    /// Nil for a login that reads the log, which folds the log itself.
    func statisticsTimeline(at point: PointInTime) throws -> (roster: [RecordedEvent], cases: [RecordedEvent])? {
        guard let server = self as? PostgresEventStore, try !server.readsEvents else { return nil }
        return try StatisticsTimeline.events(of: server.rows(of: StatisticsTimeline.self, at: point))
    }
}
