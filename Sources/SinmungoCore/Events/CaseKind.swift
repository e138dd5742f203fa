/// What a case is.
public enum CaseKind: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// A petition filed on the online board 영등포신문고.
    case petition
    /// A proposal collected at an outreach session or a town hall.
    case proposal
    /// An outreach session (찾아가는 영등포1번가) or a town hall meeting (타운홀미팅).
    case session
    /// A posted communication record (구민과의 소통 기록).
    case record

    public var description: String { rawValue }

    var idPrefix: String {
        switch self {
        case .petition: "PET"
        case .proposal: "PRO"
        case .session: "SES"
        case .record: "REC"
        }
    }

    var numberWidth: Int {
        switch self {
        case .petition, .proposal: 4
        case .session, .record: 3
        }
    }

    init?(idPrefix: String) {
        guard let kind = CaseKind.allCases.first(where: { $0.idPrefix == idPrefix }) else { return nil }
        self = kind
    }
}

/// The two kinds of session the district holds.
public enum SessionKind: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// 찾아가는 영등포1번가: officials go to residents and collect proposals.
    case outreach
    /// 타운홀미팅: held when residents' opinion on a current project is needed.
    case townhall

    public var description: String { rawValue }
}

/// Where a case stands in its lifecycle.
public enum CaseStatus: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case filed
    case reviewed
    case visited
    case answered
    case reflected
    case declined
    case withdrawn
    case duplicate
    /// A session that took place.
    case held
    /// A communication record that was posted.
    case posted
    /// Sent to another office (이송), where it goes on as a new case.
    case sentToOffice = "sent-to-office"

    public var description: String { rawValue }

    /// True once nothing more can happen to the case.
    public var isClosed: Bool {
        switch self {
        case .reflected, .declined, .withdrawn, .duplicate, .held, .posted, .sentToOffice: true
        case .filed, .reviewed, .visited, .answered: false
        }
    }
}
