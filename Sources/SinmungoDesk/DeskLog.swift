import SinmungoCore
import SinmungoPostgres
import SinmungoStore
import SinmungoViews

/// What the desk needs of a log, whichever backend keeps it: SQLite for one desk, a
/// PostgreSQL server for many offices.
public protocol DeskLog: EventStore, AccessRecordLog {
    /// The sequence number and hash of one event, or nil when the log does not reach it:
    /// tells the work index whether what it was built from still stands in this log.
    func anchor(at sequence: Int64) throws -> LogAnchor?
    /// Every case row, when the store keeps them current itself (so that the work index is
    /// rebuilt by reading them rather than by folding the log); nil otherwise.
    func keptCaseRows() throws -> [CaseID: CaseSummary]?
    /// The events of the cases `ids` visible at `point`, case by case, each case's in log
    /// order: what the statistics fold of the cases the case rows cannot answer for.
    func forEachEvent(at point: PointInTime, ofCases ids: some Collection<CaseID>, _ body: (RecordedEvent) throws -> Void)
        throws
}

extension SQLiteEventStore: DeskLog {
    public func keptCaseRows() throws -> [CaseID: CaseSummary]? {
        try rows(of: CaseProjection.self, at: .now)
    }
}

extension PostgresEventStore: DeskLog {
    /// The server keeps no case rows current (its views are written by `rebuild`): the desk
    /// folds them from the log.
    public func keptCaseRows() throws -> [CaseID: CaseSummary]? { nil }
}
