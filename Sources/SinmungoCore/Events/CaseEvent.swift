/// Something that happened to a case. The log is a sequence of these, and it is the truth.
public enum CaseEvent: Equatable, Sendable {
    case petitionFiled(PetitionFiled)
    case endorsed(Endorsed)
    case qualified(Qualified)
    case sessionHeld(SessionHeld)
    case proposalFiled(ProposalFiled)
    case reviewed(Reviewed)
    case declined(Declined)
    case visited(Visited)
    case answered(Answered)
    case reflected(Reflected)
    case transferred(Transferred)
    case withdrawn(Withdrawn)
    case markedDuplicate(MarkedDuplicate)
    case recordPosted(RecordPosted)
    case corrected(Corrected)
    case extended(Extended)
    case personalDataErased(PersonalDataErased)
    /// A change to the roster, in the roster's own stream (`Roster.streamID`).
    case roster(RosterChange)
    case erasureRequested(ErasureRequested)
    case erasureDeclined(ErasureDeclined)
    case sentToOffice(SentToOffice)
    case receivedFromOffice(ReceivedFromOffice)

    /// The name stored in the log's `type` column.
    public var type: EventType {
        switch self {
        case .petitionFiled: .petitionFiled
        case .endorsed: .endorsed
        case .qualified: .qualified
        case .sessionHeld: .sessionHeld
        case .proposalFiled: .proposalFiled
        case .reviewed: .reviewed
        case .declined: .declined
        case .visited: .visited
        case .answered: .answered
        case .reflected: .reflected
        case .transferred: .transferred
        case .withdrawn: .withdrawn
        case .markedDuplicate: .markedDuplicate
        case .recordPosted: .recordPosted
        case .corrected: .corrected
        case .extended: .extended
        case .personalDataErased: .personalDataErased
        case .roster(let change): change.type
        case .erasureRequested: .erasureRequested
        case .erasureDeclined: .erasureDeclined
        case .sentToOffice: .sentToOffice
        case .receivedFromOffice: .receivedFromOffice
        }
    }

    /// The personal data the event carries: only the events that create a case have any.
    public var personal: PersonalRecord? {
        switch self {
        case .petitionFiled(let filed): filed.personal
        case .proposalFiled(let filed): filed.personal
        default: nil
        }
    }

    /// The same event with its personal data replaced.
    public func replacingPersonal(with personal: PersonalRecord?) -> CaseEvent {
        switch self {
        case .petitionFiled(var filed):
            filed.personal = personal
            return .petitionFiled(filed)
        case .proposalFiled(var filed):
            filed.personal = personal
            return .proposalFiled(filed)
        default:
            return self
        }
    }
}

/// The stored names of the events, stable across releases.
public enum EventType: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case petitionFiled = "petition-filed"
    case endorsed = "endorsed"
    case qualified = "qualified"
    case sessionHeld = "session-held"
    case proposalFiled = "proposal-filed"
    case reviewed = "reviewed"
    case declined = "declined"
    case visited = "site-visited"
    case answered = "answered"
    case reflected = "reflected"
    case transferred = "transferred"
    case withdrawn = "withdrawn"
    case markedDuplicate = "closed-as-duplicate"
    case recordPosted = "record-posted"
    case corrected = "corrected"
    case extended = "extended"
    case personalDataErased = "personal-data-erased"
    case departmentAdded = "department-added"
    case departmentRenamed = "department-renamed"
    case departmentsMerged = "departments-merged"
    case officerGranted = "officer-granted"
    case officerChanged = "officer-changed"
    case officerRemoved = "officer-removed"
    case erasureRequested = "erasure-requested"
    case erasureDeclined = "erasure-declined"
    case sentToOffice = "sent-to-office"
    case receivedFromOffice = "received-from-office"

    public var description: String { rawValue }

    /// The verb an officer would use for the step, for messages.
    public var step: String {
        switch self {
        case .petitionFiled, .proposalFiled: "file"
        case .endorsed: "endorse"
        case .qualified: "qualify"
        case .sessionHeld: "hold"
        case .reviewed: "review"
        case .declined: "decline"
        case .visited: "visit"
        case .answered: "answer"
        case .reflected: "reflect"
        case .transferred: "transfer"
        case .withdrawn: "withdraw"
        case .markedDuplicate: "close as duplicate"
        case .recordPosted: "post"
        case .corrected: "correct"
        case .extended: "extend"
        case .personalDataErased: "erase the personal data of"
        case .departmentAdded: "add a department to"
        case .departmentRenamed: "rename a department of"
        case .departmentsMerged: "merge departments of"
        case .officerGranted: "grant a role in"
        case .officerChanged: "change a grant in"
        case .officerRemoved: "remove an officer from"
        case .erasureRequested: "request the erasure of the personal data of"
        case .erasureDeclined: "decline the erasure of the personal data of"
        case .sentToOffice: "send to another office"
        case .receivedFromOffice: "receive from another office"
        }
    }

    /// True for the events that bring a case into existence.
    public var createsCase: Bool {
        switch self {
        case .petitionFiled, .sessionHeld, .proposalFiled, .recordPosted, .receivedFromOffice: true
        default: false
        }
    }

    /// True for the roster's events, which belong to no case.
    public var isRoster: Bool {
        switch self {
        case .departmentAdded, .departmentRenamed, .departmentsMerged, .officerGranted, .officerChanged, .officerRemoved:
            true
        default: false
        }
    }
}

public struct PetitionFiled: Equatable, Sendable {
    public var title: String
    public var category: String
    public var body: String?
    /// The petitioner's name and contact.
    public var personal: PersonalRecord?

    public init(title: String, category: String, body: String? = nil, personal: PersonalRecord? = nil) {
        self.title = title
        self.category = category
        self.body = body
        self.personal = personal
    }

    /// A petition as an officer files it, with the petitioner's details still in plain text.
    public init(title: String, category: String, body: String? = nil, petitioner: String?, contact: String? = nil) {
        let data = PersonalData(name: petitioner, contact: contact)
        self.init(title: title, category: category, body: body, personal: data.isEmpty ? nil : .plain(data))
    }
}

extension PetitionFiled: Codable {
    private enum CodingKeys: String, CodingKey {
        case title, category, body, sealed
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decode(String.self, forKey: .title)
        category = try container.decode(String.self, forKey: .category)
        body = try container.decodeIfPresent(String.self, forKey: .body)
        personal = try container.decodeIfPresent(SealedPersonalData.self, forKey: .sealed).map(PersonalRecord.sealed)
    }

    /// Only sealed personal data has a field: plain text cannot reach the log.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(title, forKey: .title)
        try container.encode(category, forKey: .category)
        try container.encodeIfPresent(body, forKey: .body)
        if case .sealed(let sealed)? = personal { try container.encode(sealed, forKey: .sealed) }
    }
}

/// Residents' endorsements (공감) counted since the last such event.
public struct Endorsed: Codable, Equatable, Sendable {
    public var count: Int
    public init(count: Int) { self.count = count }
}

/// The petition reached the endorsement threshold within its window and is owed a mayoral answer.
public struct Qualified: Codable, Equatable, Sendable {
    public var endorsements: Int
    public init(endorsements: Int) { self.endorsements = endorsements }
}

public struct SessionHeld: Codable, Equatable, Sendable {
    public var kind: SessionKind
    public var field: String
    public var attendees: Int
    public var theme: String?
    public var place: String?

    public init(kind: SessionKind, field: String, attendees: Int, theme: String? = nil, place: String? = nil) {
        self.kind = kind
        self.field = field
        self.attendees = attendees
        self.theme = theme
        self.place = place
    }
}

public struct ProposalFiled: Equatable, Sendable {
    public var session: CaseID
    public var title: String
    public var category: String?
    /// The proposer's name, when given.
    public var personal: PersonalRecord?

    public init(session: CaseID, title: String, category: String? = nil, personal: PersonalRecord? = nil) {
        self.session = session
        self.title = title
        self.category = category
        self.personal = personal
    }

    /// A proposal as an officer files it, with the proposer's name still in plain text.
    public init(session: CaseID, title: String, category: String? = nil, proposer: String?) {
        self.init(
            session: session, title: title, category: category, personal: proposer.map { .plain(PersonalData(name: $0)) })
    }
}

extension ProposalFiled: Codable {
    private enum CodingKeys: String, CodingKey {
        case session, title, category, sealed
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        session = try container.decode(CaseID.self, forKey: .session)
        title = try container.decode(String.self, forKey: .title)
        category = try container.decodeIfPresent(String.self, forKey: .category)
        personal = try container.decodeIfPresent(SealedPersonalData.self, forKey: .sealed).map(PersonalRecord.sealed)
    }

    /// Only sealed personal data has a field: plain text cannot reach the log.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(session, forKey: .session)
        try container.encode(title, forKey: .title)
        try container.encodeIfPresent(category, forKey: .category)
        if case .sealed(let sealed)? = personal { try container.encode(sealed, forKey: .sealed) }
    }
}

/// Accepted for processing and routed to the responsible department.
public struct Reviewed: Codable, Equatable, Sendable {
    public var department: String
    public init(department: String) { self.department = department }
}

/// Not processed, on one of the Petition Act's grounds.
public struct Declined: Codable, Equatable, Sendable {
    public var ground: DeclineGround
    public var reason: String?
    public init(ground: DeclineGround, reason: String? = nil) {
        self.ground = ground
        self.reason = reason
    }
}

/// Officials went to the place the case is about.
public struct Visited: Codable, Equatable, Sendable {
    public var place: String
    public var findings: String?
    /// Officers who went besides the one recording the visit.
    public var with: [String]?

    public init(place: String, findings: String? = nil, with: [String]? = nil) {
        self.place = place
        self.findings = findings
        self.with = with
    }
}

public struct Answered: Codable, Equatable, Sendable {
    public var summary: String
    public var by: Answerer
    public init(summary: String, by: Answerer) {
        self.summary = summary
        self.by = by
    }
}

/// Who gives the official answer.
public enum Answerer: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// The district mayor (구청장), owed for a qualified petition.
    case mayor
    /// The responsible department.
    case department
    public var description: String { rawValue }
}

public struct Reflected: Codable, Equatable, Sendable {
    public var outcome: Outcome
    /// The policy or project the case became.
    public var policy: String?
    public init(outcome: Outcome, policy: String? = nil) {
        self.outcome = outcome
        self.policy = policy
    }
}

/// What became of a case in policy (국민 제안 규정's outcomes).
public enum Outcome: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case adopted
    case partlyAdopted = "partly-adopted"
    case notAdopted = "not-adopted"
    case longTerm = "long-term"
    public var description: String { rawValue }
}

public struct Transferred: Codable, Equatable, Sendable {
    public var department: String
    public var reason: String?
    public init(department: String, reason: String? = nil) {
        self.department = department
        self.reason = reason
    }
}

public struct Withdrawn: Codable, Equatable, Sendable {
    public var reason: String?
    public init(reason: String? = nil) { self.reason = reason }
}

/// Closed as a repeat of an earlier case, which stays the one that is processed.
public struct MarkedDuplicate: Codable, Equatable, Sendable {
    public var of: CaseID
    public init(of original: CaseID) { self.of = original }
}

public struct RecordPosted: Codable, Equatable, Sendable {
    public var title: String
    public var about: [CaseID]
    public init(title: String, about: [CaseID] = []) {
        self.title = title
        self.about = about
    }
}

/// A fact recorded earlier was wrong: this event supersedes it from now on. The earlier event
/// stays in the log as it was, so the past can still be replayed as it was known.
public struct Corrected: Codable, Equatable, Sendable {
    public var field: CorrectableField
    public var value: String
    public var reason: String

    public init(field: CorrectableField, value: String, reason: String) {
        self.field = field
        self.value = value
        self.reason = reason
    }
}

/// The statutory period was extended once (청원법: up to 60 days, with the reason and the new
/// expected date notified to the petitioner).
public struct Extended: Codable, Equatable, Sendable {
    public var days: Int
    public var reason: String

    public init(days: Int, reason: String) {
        self.days = days
        self.reason = reason
    }
}

/// The recorded facts a correction can supersede.
public enum CorrectableField: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case title
    case category
    case attendees
    case theme
    case place

    public var description: String { rawValue }

    /// The kinds of case that have the field.
    public var kinds: [CaseKind] {
        switch self {
        case .title: [.petition, .proposal, .record]
        case .category: [.petition, .proposal]
        case .attendees, .theme, .place: [.session]
        }
    }
}

/// The Petition Act's grounds for not processing a petition (청원법 제6조).
public enum DeclineGround: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// State or official secrets.
    case secret
    /// An audit, investigation, trial, administrative appeal, mediation or arbitration is in progress.
    case proceedingsPending = "proceedings-pending"
    /// False facts meant to get someone punished or disciplined.
    case falseAccusation = "false-accusation"
    /// False facts that damage a state agency.
    case falseAgainstAgency = "false-against-agency"
    /// Private rights between individuals, or someone's private life.
    case privateMatter = "private-matter"
    /// The petitioner's name or address, or the content, is unclear.
    case unclear

    public var description: String { rawValue }
}
