import SinmungoCore

/// One row of the case list: what people read about a case, folded from its events.
/// Holds no personal data; `show` reads that from the log when an officer asks.
///
/// Where a case stands (status, version, department, endorsements, deadlines) is the one
/// lifecycle fold, `CaseState`; the row adds only what people read about the case.
public struct CaseSummary: Equatable, Sendable, Codable {
    /// The lifecycle fold of the case's events.
    public internal(set) var state: CaseState
    public let kind: CaseKind
    public let filedAt: Instant
    /// Sequence number of the latest event applied to this row.
    public internal(set) var lastSequence: Int64
    public internal(set) var title: String
    public internal(set) var category: String?
    public internal(set) var sessionKind: SessionKind?
    public internal(set) var field: String?
    public internal(set) var theme: String?
    public internal(set) var place: String?
    public internal(set) var attendees: Int?
    /// For a session, the proposals filed at it.
    public internal(set) var proposals = 0
    public internal(set) var visits = 0
    public internal(set) var transfers = 0
    public internal(set) var answeredBy: Answerer?
    public internal(set) var outcome: Outcome?
    public internal(set) var policy: String?
    public internal(set) var declineGround: DeclineGround?
    /// Later cases closed as duplicates of this one: the link kept both ways.
    public internal(set) var duplicates: [CaseID] = []
    /// For a record, the cases and sessions it is about.
    public internal(set) var about: [CaseID] = []

    init(state: CaseState, kind: CaseKind, filedAt: Instant, lastSequence: Int64, title: String) {
        self.state = state
        self.kind = kind
        self.filedAt = filedAt
        self.lastSequence = lastSequence
        self.title = title
    }

    public var id: CaseID { state.id }
    /// Set by the event that created the case, so never missing from a folded row.
    public var status: CaseStatus { state.status ?? Self.firstStatus(of: kind) }
    public var version: Int { state.version }
    public var updatedAt: Instant { state.lastOccurredAt ?? filedAt }
    public var department: String? { state.department }
    /// For a proposal, the session it was filed at.
    public var session: CaseID? { state.session }
    public var endorsements: Int { state.endorsements }
    public var qualifiedAt: Instant? { state.qualifiedAt }
    public var answeredAt: Instant? { state.answeredAt }
    public var duplicateOf: CaseID? { state.duplicateOf }
    /// Days the statutory period was extended by.
    public var extensionDays: Int? { state.extensionDays }

    /// How the case stood at a business time, against this row of it at the log's head.
    public enum Standing: Sendable {
        /// Not yet filed, held or posted: the case was not there.
        case notYetFiled
        /// As this row says: its last step came at or before that time.
        case asNow
        /// Otherwise: only a fold of its steps up to that time tells.
        case changedSince
    }

    /// How the case stood at `moment` (business time, as `--effective` reads it). Business time
    /// never runs backwards within a case, so its filing and last step bound all of its steps.
    public func standing(at moment: Instant) -> Standing {
        if filedAt > moment { return .notYetFiled }
        return updatedAt <= moment ? .asNow : .changedSince
    }

    private static func firstStatus(of kind: CaseKind) -> CaseStatus {
        switch kind {
        case .petition, .proposal: .filed
        case .session: .held
        case .record: .posted
        }
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
