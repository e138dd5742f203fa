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

    public init(kind: Kind, due: Instant) {
        self.kind = kind
        self.due = due
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
        let kind = state.kind
        let status = state.status
        let filed = state.filedAt
        guard !status.isClosed else { return [] }
        var deadlines: [Deadline] = []
        switch kind {
        case .petition:
            let windowCloses = try calendarDays(policy.endorsementWindowDays, after: filed)
            let answered = state.answeredAt != nil
            if !answered, !state.isQualified, status != .answered {
                deadlines.append(Deadline(kind: .endorsementWindow, due: windowCloses))
            }
            if !answered {
                if let qualified = state.qualifiedAt {
                    deadlines.append(
                        Deadline(kind: .mayoralAnswer, due: try processingDays(policy.mayoralAnswerDays, from: qualified)))
                } else {
                    // Counting starts the day after the window closes.
                    let start = Instant(kst: windowCloses.kstDate.adding(days: 1))
                    deadlines.append(
                        Deadline(kind: .departmentAnswer, due: try processingDays(policy.departmentAnswerDays, from: start)))
                }
                let days = policy.statutoryResultDays + (state.extensionDays ?? 0)
                deadlines.append(Deadline(kind: .statutoryResult, due: try calendarDays(days, after: filed)))
            }
        case .proposal:
            deadlines.append(
                Deadline(kind: .proposalDecision, due: try calendarMonths(policy.proposalDecisionMonths, after: filed)))
        case .session, .record:
            break
        }
        return deadlines.sorted { ($0.due, $0.kind.rawValue) < ($1.due, $1.kind.rawValue) }
    }
}
