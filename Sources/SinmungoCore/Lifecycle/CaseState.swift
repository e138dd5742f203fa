/// What the log says about one case: the fold of its events.
public struct CaseState: Equatable, Sendable, Codable {
    public let id: CaseID
    /// Nil until the case is filed, held or posted.
    public private(set) var kind: CaseKind?
    public private(set) var status: CaseStatus?
    /// The number of events in the case; 0 before it exists.
    public private(set) var version = 0
    public private(set) var filedAt: Instant?
    /// Business time of the latest event; a later step may not be dated before it.
    public private(set) var lastOccurredAt: Instant?
    public private(set) var endorsements = 0
    public private(set) var qualifiedAt: Instant?
    public private(set) var department: String?
    public private(set) var session: CaseID?
    public private(set) var duplicateOf: CaseID?
    /// Days the statutory period was extended by, if it was.
    public private(set) var extensionDays: Int?
    public private(set) var answeredAt: Instant?
    public private(set) var personalData = PersonalDataHolding.none
    /// Business time of the step that closed the case; retention is counted from it.
    public private(set) var closedAt: Instant?
    /// An erasure asked for and not yet approved or declined.
    public private(set) var pendingErasure: ErasureRequested?

    /// The state of a case before anything has happened to it.
    public init(initial id: CaseID) {
        self.id = id
    }

    public var exists: Bool { version > 0 }

    public var isQualified: Bool { qualifiedAt != nil }

    /// `events.reduce(initial, evolve)`.
    public init(id: CaseID, replaying events: some Sequence<RecordedEvent>) {
        self.init(initial: id)
        for event in events { apply(event.event, occurredAt: event.occurredAt) }
    }

    /// Advances the state by one event. Never fails and checks nothing: the log is the truth,
    /// even where today's rules would no longer allow what happened.
    public mutating func apply(_ event: CaseEvent, occurredAt: Instant) {
        version += 1
        lastOccurredAt = max(lastOccurredAt ?? occurredAt, occurredAt)
        let statusBefore = status
        defer {
            if status != statusBefore, status?.isClosed == true { closedAt = occurredAt }
        }
        switch event {
        case .petitionFiled(let filed):
            kind = .petition
            status = .filed
            filedAt = occurredAt
            personalData = Self.holding(filed.personal)
        case .sessionHeld:
            kind = .session
            status = .held
            filedAt = occurredAt
        case .proposalFiled(let filed):
            kind = .proposal
            status = .filed
            filedAt = occurredAt
            session = filed.session
            personalData = Self.holding(filed.personal)
        case .recordPosted:
            kind = .record
            status = .posted
            filedAt = occurredAt
        case .endorsed(let endorsed):
            endorsements = endorsements.adding(saturating: endorsed.count)
        case .qualified:
            qualifiedAt = occurredAt
        case .reviewed(let reviewed):
            status = .reviewed
            department = reviewed.department
        case .declined:
            status = .declined
        case .visited:
            status = .visited
        case .answered:
            status = .answered
            answeredAt = occurredAt
        case .reflected:
            status = .reflected
        case .transferred(let transferred):
            department = transferred.department
        case .withdrawn:
            status = .withdrawn
        case .markedDuplicate(let duplicate):
            status = .duplicate
            duplicateOf = duplicate.of
        case .corrected:
            break
        case .extended(let extended):
            extensionDays = extended.days
        case .personalDataErased(let erased):
            personalData = .erased(person: erased.person)
            pendingErasure = nil
        case .erasureRequested(let requested):
            pendingErasure = requested
        case .erasureDeclined:
            pendingErasure = nil
        case .roster:
            break
        case .sentToOffice:
            status = .sentToOffice
        case .receivedFromOffice:
            kind = .petition
            status = .filed
            filedAt = occurredAt
        }
    }

    private static func holding(_ personal: PersonalRecord?) -> PersonalDataHolding {
        switch personal {
        case nil: .none
        case .sealed(let sealed): .sealed(person: sealed.person)
        case .plain, .legacy: .legacy
        }
    }

    public func applying(_ event: CaseEvent, occurredAt: Instant) -> CaseState {
        var next = self
        next.apply(event, occurredAt: occurredAt)
        return next
    }
}
