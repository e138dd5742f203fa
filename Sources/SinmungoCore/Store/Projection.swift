import SinmungoJSON

/// A read model folded from the log: rows keyed by case, changed only by events, in log order.
///
/// Pure: a store runs the projections it is given inside its append transaction, keeps their
/// rows wherever it keeps things, and refolds them from the log when `version` changes.
public protocol Projection: SendableMetatype {
    /// One row, as the store keeps it. `Codable` is its whole storage layout.
    associatedtype Row: Codable & Equatable & Sendable

    /// Names the projection's rows and checkpoint in a store; never changes.
    static var name: String { get }
    /// Raised whenever the fold or the row's layout changes, so that stored rows are refolded.
    static var version: Int { get }
    /// The rows `event` changes; `apply` reads no other row.
    static func keys(touchedBy event: RecordedEvent) -> [CaseID]
    /// Applies one event to the rows it touches. `rows` holds every row named by
    /// `keys(touchedBy:)` that exists.
    static func apply(_ event: RecordedEvent, to rows: inout [CaseID: Row])
    /// Appends the row's canonical JSON: exactly what `Codable` gives, written faster where a
    /// projection knows its row's fields.
    static func writeRow(_ row: Row, to out: inout [UInt8]) throws
    /// The row from the canonical JSON `writeRow` gives, or nil for any other text (a store
    /// then decodes it through `Codable`, which names what is wrong).
    static func readRow(_ canonical: UnsafeRawBufferPointer) -> Row?
    /// True when every key `keys(touchedBy:)` gives is the event's own case or a case id
    /// written in its data, and a case's row is made only by its own events: then a reader of
    /// one row at a point in time need decode only events that name a case it follows, back to
    /// those cases' first events.
    static var keysAreCasesNamedInEvents: Bool { get }
}

extension Projection {
    public static func writeRow(_ row: Row, to out: inout [UInt8]) throws {
        try JSONValueEncoder().encode(row).write(to: &out)
    }

    public static func readRow(_ canonical: UnsafeRawBufferPointer) -> Row? { nil }

    public static var keysAreCasesNamedInEvents: Bool { false }

    /// The row's canonical JSON, as a store keeps it in a text column.
    public static func canonicalText(of row: Row) throws -> String {
        var out: [UInt8] = []
        try writeRow(row, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

extension Projection {
    /// Every row, by replaying a whole log from the start.
    public static func replay(_ events: some Sequence<RecordedEvent>) -> [CaseID: Row] {
        var rows: [CaseID: Row] = [:]
        for event in events { apply(event, to: &rows) }
        return rows
    }
}

/// A store whose projections' rows can be read, current or as they stood at a point in time.
public protocol ProjectionReading {
    /// Every row of `projection` at `point`.
    func rows<P: Projection>(of projection: P.Type, at point: PointInTime) throws -> [CaseID: P.Row]
    /// One row of `projection` as of the latest event.
    func row<P: Projection>(of projection: P.Type, key: CaseID) throws -> P.Row?
    /// Calls `body` with every row of `projection` at `point`, in no set order: a store that
    /// keeps the rows hands them over as it reads them, without holding them all. `body` may
    /// be called while the store is reading, so it must not use the store.
    func forEachRow<P: Projection>(of projection: P.Type, at point: PointInTime, _ body: (CaseID, P.Row) throws -> Void)
        throws
}

extension ProjectionReading {
    public func forEachRow<P: Projection>(
        of projection: P.Type, at point: PointInTime, _ body: (CaseID, P.Row) throws -> Void
    ) throws {
        for (key, row) in try rows(of: P.self, at: point) { try body(key, row) }
    }
}
