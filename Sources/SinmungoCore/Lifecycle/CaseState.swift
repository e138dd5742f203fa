import SinmungoJSON

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

// The view rows hold a `CaseState` in its `Codable` layout; replay writes and reads millions of
// them, so the layout is also written and read here by hand. Tests hold the two paths equal.
extension CaseState {
    package func writeCanonical(to out: inout CanonicalJSONWriter) {
        out.open()
        out.field("answeredAt", answeredAt)
        out.field("closedAt", closedAt)
        out.field("department", department)
        out.field("duplicateOf", duplicateOf?.rawValue)
        out.field("endorsements", endorsements)
        out.field("extensionDays", extensionDays)
        out.field("filedAt", filedAt)
        out.field("id", id.rawValue)
        out.field("kind", kind?.rawValue)
        out.field("lastOccurredAt", lastOccurredAt)
        if let pendingErasure {
            out.key("pendingErasure")
            out.open()
            out.field("person", pendingErasure.person)
            out.field("reason", pendingErasure.reason)
            out.field("request", pendingErasure.request)
            out.close()
        }
        out.key("personalData")
        out.open()
        // `Codable`'s layout of an enum case: its name, holding its associated values.
        switch personalData {
        case .none: out.key("none")
        case .legacy: out.key("legacy")
        case .sealed: out.key("sealed")
        case .erased: out.key("erased")
        }
        out.open()
        switch personalData {
        case .none, .legacy: break
        case .sealed(let person), .erased(let person): out.field("person", person)
        }
        out.close()
        out.close()
        out.field("qualifiedAt", qualifiedAt)
        out.field("session", session?.rawValue)
        out.field("status", status?.rawValue)
        out.field("version", version)
        out.close()
    }

    /// The state from what `writeCanonical` writes; nil for any other text.
    package init?(canonical input: inout CanonicalJSONCursor) {
        guard input.open() else { return nil }
        func instant(_ key: StaticString) -> Instant?? {
            guard input.key(key) else { return .some(nil) }
            return input.instant().map { .some($0) }
        }
        func string(_ key: StaticString) -> String?? {
            guard input.key(key) else { return .some(nil) }
            return input.string().map { .some($0) }
        }
        func integer(_ key: StaticString) -> Int?? {
            guard input.key(key) else { return .some(nil) }
            return input.integer().flatMap { Int(exactly: $0) }.map { .some($0) }
        }
        guard let answeredAt = instant("answeredAt"), let closedAt = instant("closedAt"),
            let department = string("department"), let duplicateOf = string("duplicateOf"),
            let endorsements = integer("endorsements"), let endorsements,
            let extensionDays = integer("extensionDays"), let filedAt = instant("filedAt"),
            let id = string("id"), let id, let kind = string("kind"), let lastOccurredAt = instant("lastOccurredAt")
        else { return nil }
        var pendingErasure: ErasureRequested?
        if input.key("pendingErasure") {
            guard input.open(), input.key("person"), let person = input.string(), input.key("reason"),
                let reason = input.string(), let request = string("request"), input.close()
            else { return nil }
            pendingErasure = ErasureRequested(person: person, reason: reason, request: request)
        }
        guard input.key("personalData"), input.open() else { return nil }
        let personalData: PersonalDataHolding
        if input.key("none") {
            guard input.open(), input.close() else { return nil }
            personalData = .none
        } else if input.key("legacy") {
            guard input.open(), input.close() else { return nil }
            personalData = .legacy
        } else if input.key("sealed") {
            guard input.open(), input.key("person"), let person = input.string(), input.close() else { return nil }
            personalData = .sealed(person: person)
        } else if input.key("erased") {
            guard input.open(), input.key("person"), let person = input.string(), input.close() else { return nil }
            personalData = .erased(person: person)
        } else {
            return nil
        }
        guard input.close(), let qualifiedAt = instant("qualifiedAt"), let session = string("session"),
            let status = string("status"), let version = integer("version"), let version, input.close()
        else { return nil }
        self.init(initial: CaseID(id))
        guard kind.map({ CaseKind(rawValue: $0) != nil }) ?? true, status.map({ CaseStatus(rawValue: $0) != nil }) ?? true
        else { return nil }
        self.kind = kind.flatMap(CaseKind.init(rawValue:))
        self.status = status.flatMap(CaseStatus.init(rawValue:))
        self.version = version
        self.filedAt = filedAt
        self.lastOccurredAt = lastOccurredAt
        self.endorsements = endorsements
        self.qualifiedAt = qualifiedAt
        self.department = department
        self.session = session.map { CaseID($0) }
        self.duplicateOf = duplicateOf.map { CaseID($0) }
        self.extensionDays = extensionDays
        self.answeredAt = answeredAt
        self.personalData = personalData
        self.closedAt = closedAt
        self.pendingErasure = pendingErasure
    }
}

extension CanonicalJSONWriter {
    package mutating func instant(_ instant: Instant) {
        bytes.append(UInt8(ascii: "\""))
        instant.writeDescription(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    package mutating func field(_ name: StaticString, _ instant: Instant?) {
        guard let instant else { return }
        key(name)
        self.instant(instant)
    }
}

extension CanonicalJSONCursor {
    /// A time as `Instant.description` writes it; nil for any other text.
    package mutating func instant() -> Instant? {
        guard let text = plainStringBytes(), text.count == 25 else { return nil }
        return Instant(iso8601UTF8: text.assumingMemoryBound(to: UInt8.self))
    }
}
