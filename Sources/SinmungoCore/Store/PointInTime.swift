/// A moment to read the log at, on either or both time axes.
public struct PointInTime: Equatable, Sendable {
    /// Only events recorded by then: what the office knew at that moment.
    public var asOf: Instant?
    /// Only events that happened by then, whenever they were recorded: the state of affairs.
    public var effective: Instant?

    public init(asOf: Instant? = nil, effective: Instant? = nil) {
        self.asOf = asOf
        self.effective = effective
    }

    public static let now = PointInTime()

    public var isNow: Bool { asOf == nil && effective == nil }

    public func includes(_ event: RecordedEvent) -> Bool {
        (asOf.map { event.recordedAt <= $0 } ?? true) && (effective.map { event.occurredAt <= $0 } ?? true)
    }
}
