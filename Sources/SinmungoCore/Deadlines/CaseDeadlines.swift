/// A date by which something is owed on a case.
public struct Deadline: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable, CustomStringConvertible {
        /// The 30-day window in which endorsements count closes.
        case endorsementWindow = "endorsement-window"
        /// The mayor's answer to a qualified petition.
        case mayoralAnswer = "mayoral-answer"
        /// The department's answer to a petition that did not qualify.
        case departmentAnswer = "department-answer"
        /// The Petition Act's result, 90 days from receipt (plus an extension).
        case statutoryResult = "statutory-result"
        /// The decision whether to adopt a proposal.
        case proposalDecision = "proposal-decision"

        public var description: String { rawValue }
    }

    public var kind: Kind
    /// The last moment it can be met.
    public var due: Instant
    /// Counted through a year whose calendar is provisional (computed, not yet official).
    public var provisional: Bool

    public init(kind: Kind, due: Instant, provisional: Bool = false) {
        self.kind = kind
        self.due = due
        self.provisional = provisional
    }
}

/// What the deadlines of a case depend on.
public struct DeadlineSubject: Sendable {
    public var kind: CaseKind
    public var status: CaseStatus
    public var filedAt: Instant
    public var qualifiedAt: Instant?
    public var answeredAt: Instant?
    public var extensionDays: Int?

    public init(
        kind: CaseKind, status: CaseStatus, filedAt: Instant, qualifiedAt: Instant? = nil, answeredAt: Instant? = nil,
        extensionDays: Int? = nil
    ) {
        self.kind = kind
        self.status = status
        self.filedAt = filedAt
        self.qualifiedAt = qualifiedAt
        self.answeredAt = answeredAt
        self.extensionDays = extensionDays
    }

    public var isQualified: Bool { qualifiedAt != nil }
}

extension CaseState {
    public var deadlineSubject: DeadlineSubject? {
        guard let kind, let status, let filedAt else { return nil }
        return DeadlineSubject(
            kind: kind, status: status, filedAt: filedAt, qualifiedAt: qualifiedAt, answeredAt: answeredAt,
            extensionDays: extensionDays
        )
    }
}

extension DeadlineClock {
    /// The deadlines a case still owes, earliest first; none once it is closed.
    public func openDeadlines(of state: DeadlineSubject, policy: Policy) throws -> [Deadline] {
        try owedKinds(of: state).map { try deadline($0, of: state, policy: policy) }
            .sorted { ($0.due, $0.kind.rawValue) < ($1.due, $1.kind.rawValue) }
    }

    /// The kinds of deadline a case still owes, in no particular order.
    public func owedKinds(of state: DeadlineSubject) -> [Deadline.Kind] {
        guard !state.status.isClosed else { return [] }
        switch state.kind {
        case .petition:
            guard state.answeredAt == nil else { return [] }
            var kinds: [Deadline.Kind] = []
            if !state.isQualified, state.status != .answered { kinds.append(.endorsementWindow) }
            kinds.append(state.isQualified ? .mayoralAnswer : .departmentAnswer)
            kinds.append(.statutoryResult)
            return kinds
        case .proposal:
            return [.proposalDecision]
        case .session, .record:
            return []
        }
    }
}
