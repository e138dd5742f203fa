import SinmungoCore

/// The case list as commands read it, from any store that keeps `CaseProjection`'s rows.
extension ProjectionReading {
    /// Summaries filtered by kind and status, as they stood at `point`, oldest filing first.
    public func summaries(kind: CaseKind? = nil, status: CaseStatus? = nil, at point: PointInTime = .now) throws
        -> [CaseSummary]
    {
        try rows(of: CaseProjection.self, at: point).values
            .filter { (kind == nil || $0.kind == kind) && (status == nil || $0.status == status) }
            .sorted { ($0.filedAt, $0.id) < ($1.filedAt, $1.id) }
    }

    /// One case's summary as of the latest event.
    public func summary(of id: CaseID) throws -> CaseSummary? {
        try row(of: CaseProjection.self, key: id)
    }
}
