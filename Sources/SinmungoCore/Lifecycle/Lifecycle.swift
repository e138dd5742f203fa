/// The lifecycle graph: which event may follow which state, for which kinds of case.
///
/// Both the decider (for new commands) and the importer (for events from a file) check events
/// here, so there is one set of rules. Policy-dependent rules (categories, the endorsement
/// window) are the decider's: history stays importable after the policy changes.
public enum Lifecycle {
    static let caseworkKinds: [CaseKind] = [.petition, .proposal]
    static let openBeforeAnswer: [CaseStatus] = [.filed, .reviewed, .visited]
    static let inProgress: [CaseStatus] = [.reviewed, .visited]

    /// Kinds and statuses from which an event is allowed; nil for case-creating events.
    static func rule(for type: EventType) -> (kinds: [CaseKind], from: [CaseStatus])? {
        switch type {
        case .petitionFiled, .sessionHeld, .proposalFiled, .recordPosted, .receivedFromOffice: nil
        case .endorsed, .qualified: ([.petition], openBeforeAnswer)
        case .reviewed, .declined: (caseworkKinds, [.filed])
        case .visited: (caseworkKinds, inProgress)
        case .answered: (caseworkKinds, inProgress)
        case .reflected: (caseworkKinds, [.answered])
        case .transferred: (caseworkKinds, inProgress)
        case .withdrawn: (caseworkKinds, openBeforeAnswer)
        case .markedDuplicate: (caseworkKinds, [.filed, .reviewed])
        // A case sent to another office goes on there; here it is only read (and erased).
        case .corrected: (CaseKind.allCases, CaseStatus.allCases.filter { $0 != .sentToOffice })
        case .sentToOffice: ([.petition], openBeforeAnswer)
        case .extended: ([.petition], inProgress)
        // Personal data is destroyed when no longer needed, which is mostly after closing.
        case .personalDataErased, .erasureRequested, .erasureDeclined: (caseworkKinds, CaseStatus.allCases)
        // The roster's stream is checked by `Roster.check`, not as a case.
        case .departmentAdded, .departmentRenamed, .departmentsMerged, .officerGranted, .officerChanged, .officerRemoved:
            nil
        }
    }

    /// Checks that `event`, dated `occurredAt`, may be appended to a case in `state`.
    /// `lookup` gives the state of any other case the event refers to.
    public static func check(
        _ event: CaseEvent,
        occurredAt: Instant,
        on state: CaseState,
        lookup: (CaseID) throws -> CaseState
    ) throws -> Void {
        let id = state.id
        let type = event.type
        guard type.isRoster == (id == Roster.streamID) else {
            throw Refusal.invalidValue(
                case: id, field: "case id",
                problem: type.isRoster ? "must be \(Roster.streamID) for a roster event" : "\(id) is the roster's, not a case's")
        }
        if type.isRoster {
            if let previous = state.lastOccurredAt, occurredAt < previous {
                throw Refusal.outOfOrder(case: id, step: type, occurredAt: occurredAt, previous: previous)
            }
            return
        }
        if let rule = rule(for: type) {
            guard state.exists, let kind = state.kind, let status = state.status else {
                throw Refusal.noSuchCase(id)
            }
            guard rule.kinds.contains(kind) else {
                throw Refusal.wrongKind(case: id, kind: kind, step: type, allowedKinds: rule.kinds)
            }
            guard rule.from.contains(status) else {
                throw Refusal.illegalStep(case: id, kind: kind, status: status, step: type, allowedFrom: rule.from)
            }
        } else if state.exists {
            throw Refusal.alreadyExists(case: id)
        }
        if let previous = state.lastOccurredAt, occurredAt < previous {
            throw Refusal.outOfOrder(case: id, step: type, occurredAt: occurredAt, previous: previous)
        }
        try checkPayload(event, occurredAt: occurredAt, of: state, lookup: lookup)
    }

    private static func checkPayload(
        _ event: CaseEvent,
        occurredAt: Instant,
        of state: CaseState,
        lookup: (CaseID) throws -> CaseState
    ) throws {
        let id = state.id
        func requireText(_ value: String, _ field: String) throws {
            if value.allSatisfy(\.isWhitespace) {
                throw Refusal.invalidValue(case: id, field: field, problem: "must not be empty")
            }
        }
        switch event {
        case .petitionFiled(let filed):
            try requireText(filed.title, "title")
            try requireText(filed.category, "category")
        case .sessionHeld(let held):
            try requireText(held.field, "field")
            if held.attendees < 0 {
                throw Refusal.invalidValue(case: id, field: "attendees", problem: "must be zero or more, not \(held.attendees)")
            }
        case .proposalFiled(let filed):
            try requireText(filed.title, "title")
            let session = try lookup(filed.session)
            guard session.exists else {
                throw Refusal.badReference(case: id, field: "session", reference: filed.session, problem: "does not exist")
            }
            guard session.kind == .session else {
                throw Refusal.badReference(
                    case: id, field: "session", reference: filed.session, problem: "is a \(session.kind!), not a session")
            }
            if let held = session.filedAt, occurredAt < held {
                throw Refusal.badReference(
                    case: id, field: "session", reference: filed.session,
                    problem: "was held at \(held), after this proposal's filing time \(occurredAt)")
            }
        case .recordPosted(let posted):
            try requireText(posted.title, "title")
            for subject in posted.about {
                guard try lookup(subject).exists else {
                    throw Refusal.badReference(case: id, field: "about", reference: subject, problem: "does not exist")
                }
            }
        case .endorsed(let endorsed):
            if endorsed.count < 1 {
                throw Refusal.invalidValue(case: id, field: "count", problem: "must be at least 1, not \(endorsed.count)")
            }
        case .qualified:
            if state.isQualified {
                throw Refusal.invalidValue(case: id, field: "qualified", problem: "was already recorded")
            }
        case .reviewed(let reviewed):
            try requireText(reviewed.department, "department")
        case .transferred(let transferred):
            try requireText(transferred.department, "department")
            if transferred.department == state.department {
                throw Refusal.invalidValue(case: id, field: "department", problem: "is already \(transferred.department)")
            }
        case .visited(let visited):
            try requireText(visited.place, "place")
        case .answered(let answered):
            try requireText(answered.summary, "summary")
        case .markedDuplicate(let duplicate):
            guard duplicate.of != id else {
                throw Refusal.badReference(case: id, field: "of", reference: duplicate.of, problem: "is the case itself")
            }
            let original = try lookup(duplicate.of)
            guard original.exists else {
                throw Refusal.badReference(case: id, field: "of", reference: duplicate.of, problem: "does not exist")
            }
            guard original.kind == state.kind else {
                throw Refusal.badReference(
                    case: id, field: "of", reference: duplicate.of, problem: "is a \(original.kind!), not a \(state.kind!)")
            }
            guard original.status != .duplicate else {
                throw Refusal.badReference(
                    case: id, field: "of", reference: duplicate.of, problem: "is itself a duplicate of \(original.duplicateOf!)")
            }
            // The first case received wins.
            if let originalFiled = original.filedAt, let filed = state.filedAt,
                (originalFiled, original.id) > (filed, id)
            {
                throw Refusal.badReference(
                    case: id, field: "of", reference: duplicate.of,
                    problem: "was filed after \(id); the earlier case is the original")
            }
        case .corrected(let correction):
            guard let kind = state.kind, correction.field.kinds.contains(kind) else {
                throw Refusal.invalidValue(
                    case: id, field: "field",
                    problem: "\(correction.field) does not apply to a \(state.kind.map(\.rawValue) ?? "case")")
            }
            try requireText(correction.value, "value")
            try requireText(correction.reason, "reason")
            if correction.field == .attendees, (Int(correction.value) ?? -1) < 0 {
                throw Refusal.invalidValue(case: id, field: "attendees", problem: "must be zero or more, not \(correction.value)")
            }
        case .extended(let extended):
            try requireText(extended.reason, "reason")
            if extended.days < 1 {
                throw Refusal.invalidValue(case: id, field: "days", problem: "must be at least 1, not \(extended.days)")
            }
            if let earlier = state.extensionDays {
                throw Refusal.invalidValue(
                    case: id, field: "extension", problem: "was already granted (\(earlier) days); the law allows one")
            }
        case .personalDataErased(let erased):
            try requireText(erased.reason, "reason")
            let person = try erasablePerson(of: state)
            guard person == erased.person else {
                throw Refusal.invalidValue(case: id, field: "person", problem: "\(erased.person) is not this case's person")
            }
            if let request = erased.request { try ErasureRule.checkRequest(request, of: state) }
        case .erasureRequested(let requested):
            try requireText(requested.reason, "reason")
            let person = try erasablePerson(of: state)
            guard person == requested.person else {
                throw Refusal.invalidValue(case: id, field: "person", problem: "\(requested.person) is not this case's person")
            }
            if state.pendingErasure != nil {
                throw Refusal.invalidValue(
                    case: id, field: "erasure", problem: "was already requested and waits for a privacy officer's decision")
            }
            if let request = requested.request { try ErasureRule.checkRequest(request, of: state) }
        case .erasureDeclined(let declined):
            try requireText(declined.reason, "reason")
            if state.pendingErasure == nil {
                throw Refusal.invalidValue(
                    case: id, field: "erasure", problem: "was not requested, so there is nothing to decline")
            }
        case .sentToOffice(let sent):
            try requireText(sent.office, "office")
            try requireText(sent.reason, "reason")
        case .receivedFromOffice(let received):
            try requireText(received.office, "office")
            try requireText(received.title, "title")
            try requireText(received.category, "category")
            try requireText(received.reason, "reason")
            guard id.sequenceNumber?.kind == .petition else {
                throw Refusal.invalidValue(
                    case: id, field: "case id", problem: "a case received from another office is a petition")
            }
        case .declined, .reflected, .withdrawn, .roster:
            break
        }
    }

    /// The person whose key an erasure would destroy, or why there is none.
    public static func erasablePerson(of state: CaseState) throws -> String {
        guard let kind = state.kind else { throw Refusal.noSuchCase(state.id) }
        guard caseworkKinds.contains(kind) else {
            throw Refusal.wrongKind(case: state.id, kind: kind, step: .personalDataErased, allowedKinds: caseworkKinds)
        }
        switch state.personalData {
        case .sealed(let person):
            return person
        case .none:
            throw Refusal.invalidValue(case: state.id, field: "personal data", problem: "was never recorded")
        case .erased:
            throw Refusal.invalidValue(case: state.id, field: "personal data", problem: "was already erased")
        case .legacy:
            throw Refusal.invalidValue(
                case: state.id, field: "personal data",
                problem: "was recorded before encryption, in the log itself, and cannot be erased from it")
        }
    }
}
