import SinmungoCore

/// One row of the case list: what people read about a case, folded from its events.
/// Holds no personal data; `show` reads that from the log when an officer asks.
public struct CaseSummary: Equatable, Sendable {
    public var id: CaseID
    public var kind: CaseKind
    public var status: CaseStatus
    public var version: Int
    /// Sequence number of the latest event applied to this row.
    public var lastSequence: Int64
    public var title: String
    public var category: String?
    public var department: String?
    public var filedAt: Instant
    public var updatedAt: Instant
    /// For a proposal, the session it was filed at.
    public var session: CaseID?
    public var sessionKind: SessionKind?
    public var field: String?
    public var theme: String?
    public var place: String?
    public var attendees: Int?
    /// For a session, the proposals filed at it.
    public var proposals: Int
    public var endorsements: Int
    public var qualifiedAt: Instant?
    public var visits: Int
    public var transfers: Int
    public var answeredAt: Instant?
    public var answeredBy: Answerer?
    public var outcome: Outcome?
    public var policy: String?
    public var declineGround: DeclineGround?
    public var duplicateOf: CaseID?
    /// Later cases closed as duplicates of this one: the link kept both ways.
    public var duplicates: [CaseID]
    /// For a record, the cases and sessions it is about.
    public var about: [CaseID]
    /// Days the statutory period was extended by.
    public var extensionDays: Int?

    public init(
        id: CaseID, kind: CaseKind, status: CaseStatus, version: Int, lastSequence: Int64, title: String,
        category: String? = nil, department: String? = nil, filedAt: Instant, updatedAt: Instant,
        session: CaseID? = nil, sessionKind: SessionKind? = nil, field: String? = nil, theme: String? = nil,
        place: String? = nil, attendees: Int? = nil, proposals: Int = 0, endorsements: Int = 0,
        qualifiedAt: Instant? = nil, visits: Int = 0, transfers: Int = 0, answeredAt: Instant? = nil,
        answeredBy: Answerer? = nil, outcome: Outcome? = nil, policy: String? = nil,
        declineGround: DeclineGround? = nil, duplicateOf: CaseID? = nil, duplicates: [CaseID] = [],
        about: [CaseID] = [], extensionDays: Int? = nil
    ) {
        self.id = id
        self.kind = kind
        self.status = status
        self.version = version
        self.lastSequence = lastSequence
        self.title = title
        self.category = category
        self.department = department
        self.filedAt = filedAt
        self.updatedAt = updatedAt
        self.session = session
        self.sessionKind = sessionKind
        self.field = field
        self.theme = theme
        self.place = place
        self.attendees = attendees
        self.proposals = proposals
        self.endorsements = endorsements
        self.qualifiedAt = qualifiedAt
        self.visits = visits
        self.transfers = transfers
        self.answeredAt = answeredAt
        self.answeredBy = answeredBy
        self.outcome = outcome
        self.policy = policy
        self.declineGround = declineGround
        self.duplicateOf = duplicateOf
        self.duplicates = duplicates
        self.about = about
        self.extensionDays = extensionDays
    }
}

extension CaseSummary {
    public var deadlineSubject: DeadlineSubject {
        DeadlineSubject(
            kind: kind, status: status, filedAt: filedAt, qualifiedAt: qualifiedAt, answeredAt: answeredAt,
            extensionDays: extensionDays
        )
    }
}
