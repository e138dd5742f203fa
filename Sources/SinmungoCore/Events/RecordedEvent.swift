/// An event as it stands in the log, with everything needed to say who did what, when and why.
public struct RecordedEvent: Equatable, Sendable {
    /// Position in the whole log: 1, 2, 3, … with no gaps.
    public var sequence: Int64
    public var caseID: CaseID
    /// Position within the case: 1 for the event that created it.
    public var caseVersion: Int
    public var schemaVersion: Int
    /// Business time: when it happened.
    public var occurredAt: Instant
    /// When it was written to the log.
    public var recordedAt: Instant
    /// The officer who recorded it.
    public var actor: String
    /// The command that produced it; a command produces one or more events.
    public var commandID: String
    public var event: CaseEvent
    /// The account that ran the command (an operating-system account, or on PostgreSQL the
    /// database login), inside the hash chain (layout 2); nil for an event written before.
    public var account: String?

    public init(
        sequence: Int64,
        caseID: CaseID,
        caseVersion: Int,
        schemaVersion: Int? = nil,
        occurredAt: Instant,
        recordedAt: Instant,
        actor: String,
        commandID: String,
        event: CaseEvent,
        account: String? = nil
    ) {
        self.sequence = sequence
        self.caseID = caseID
        self.caseVersion = caseVersion
        self.schemaVersion = schemaVersion ?? EventCodec.currentSchemaVersion(for: event.type)
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
        self.actor = actor
        self.commandID = commandID
        self.event = event
        self.account = account
    }

    public var type: EventType { event.type }
}
