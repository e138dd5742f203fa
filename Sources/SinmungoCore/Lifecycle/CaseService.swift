/// Who asks for a step, when it happened, and which version they decided on.
public struct CommandMetadata: Sendable {
    public var actor: String
    /// Makes a retried command safe: the same id is never applied twice.
    public var commandID: String
    /// Business time; nil means now.
    public var occurredAt: Instant?
    /// The version the officer saw; when given, the step is refused as a conflict if the case
    /// has moved on since, instead of being decided again on the newer state.
    public var expectedVersion: Int?
    /// The account the command runs under (an operating-system account, or a database login),
    /// checked against the accounts the roster ties to officers; nil when it cannot be told.
    public var account: String?

    public init(
        actor: String, commandID: String, occurredAt: Instant? = nil, expectedVersion: Int? = nil, account: String? = nil
    ) {
        self.actor = actor
        self.commandID = commandID
        self.occurredAt = occurredAt
        self.expectedVersion = expectedVersion
        self.account = account
    }
}

/// What a command did.
public struct CommandOutcome: Equatable, Sendable {
    public var caseID: CaseID
    public var state: CaseState
    /// The events the command produced, now or (when `alreadyApplied`) the first time.
    public var events: [RecordedEvent]
    /// True when the command id was already in the log and nothing new was written.
    public var alreadyApplied: Bool
    /// True when an erasure found its step already in the log and only destroyed the key
    /// that had outlived it; nothing new was written.
    public var finishedEarlierErasure = false
}

/// Loads a case, decides a command on it, and appends the result: the one way officers'
/// steps reach the log.
public struct CaseService<Store: EventStore>: Sendable {
    public let store: Store
    public let policy: Policy
    public let calendar: HolidayCalendar
    private let now: @Sendable () -> Instant
    /// Attempts before a conflict is reported when the officer did not pin a version.
    private let attempts = 5

    public init(
        store: Store, policy: Policy = .yeongdeungpo, calendar: HolidayCalendar = .standard,
        now: @escaping @Sendable () -> Instant
    ) {
        self.store = store
        self.policy = policy
        self.calendar = calendar
        self.now = now
    }

    public func execute(_ command: CaseCommand, on target: CaseID?, metadata: CommandMetadata) throws -> CommandOutcome {
        var metadata = metadata
        metadata.actor = metadata.actor.nfc
        if metadata.actor.allSatisfy(\.isWhitespace) {
            throw Refusal.invalidValue(case: target, field: "actor", problem: "must name the officer taking the step")
        }
        try Lifecycle.checkMetadata(actor: metadata.actor, commandID: metadata.commandID, case: target, policy: policy)
        if let applied = try store.events(ofCommand: metadata.commandID) {
            return try alreadyApplied(applied, target: target, commandID: metadata.commandID)
        }
        // An erasure already recorded whose key survived is finished, not refused as done.
        if command.isErasure, let target, try store.finishErasure(of: target) {
            return CommandOutcome(
                caseID: target, state: try store.state(of: target), events: [], alreadyApplied: true,
                finishedEarlierErasure: true)
        }
        let roster = try store.roster()
        let command = try roster.checkNames(in: command, case: target)
        var lastConflict: AppendConflict?
        for _ in 0..<attempts {
            let state: CaseState
            let recordedAt: Instant
            let occurredAt: Instant
            if let kind = command.createdKind {
                recordedAt = now()
                occurredAt = metadata.occurredAt ?? recordedAt
                // An id chosen by the caller may be taken already: decide on what the log holds.
                state =
                    try target.map { try store.state(of: $0) }
                    ?? CaseState(initial: try store.nextCaseID(for: kind, year: occurredAt.kstDate.year))
            } else {
                guard let target else { throw Refusal.invalidValue(case: nil, field: "case id", problem: "is required") }
                state = try store.state(of: target)
                guard state.exists else { throw Refusal.noSuchCase(target) }
                // "Now" is read after the case: a colleague's step committed before this read
                // cannot be later than it, and one committed after fails the version check below.
                recordedAt = now()
                occurredAt = metadata.occurredAt ?? recordedAt
            }
            if let expected = metadata.expectedVersion, expected != state.version {
                // A version the case never reached is a typing mistake, not a lost race.
                if expected > state.version {
                    throw ExpectedVersionAhead(caseID: state.id, expectedVersion: expected, actualVersion: state.version)
                }
                throw AppendConflict(caseID: state.id, expectedVersion: expected, actualVersion: state.version)
            }
            try roster.authorize(
                officer: metadata.actor, account: metadata.account, task: Permissions.task(for: command),
                caseDepartment: state.department, case: state.id)
            try requireSecondPerson(for: command, on: state, actor: metadata.actor)
            var related: [CaseID: CaseState] = [:]
            for reference in command.references {
                related[reference] = try store.state(of: reference)
            }
            let context = DecisionContext(
                policy: policy, occurredAt: occurredAt, now: recordedAt, related: related, calendar: calendar)
            let events = try Decider.decide(command, on: state, context: context)
            let request = AppendRequest(
                caseID: state.id,
                expectedVersion: state.version,
                events: events,
                occurredAt: occurredAt,
                recordedAt: recordedAt,
                actor: metadata.actor,
                commandID: metadata.commandID,
                account: metadata.account
            )
            do {
                let recorded = try store.append(request)
                var after = state
                for event in recorded { after.apply(event.event, occurredAt: event.occurredAt) }
                return CommandOutcome(caseID: state.id, state: after, events: recorded, alreadyApplied: false)
            } catch let conflict as AppendConflict {
                // A pinned version means the officer wants to see the new state first.
                if metadata.expectedVersion != nil { throw conflict }
                lastConflict = conflict
            } catch let applied as CommandAlreadyApplied {
                return try alreadyApplied(applied.events, target: target, commandID: metadata.commandID)
            }
        }
        throw lastConflict!
    }

    /// Four eyes: whoever asked for an erasure may not decide it.
    private func requireSecondPerson(for command: CaseCommand, on state: CaseState, actor: String) throws {
        switch command {
        case .approveErasure, .declineErasure: break
        default: return
        }
        guard state.pendingErasure != nil,
            let request = try store.events(of: state.id).last(where: { $0.type == .erasureRequested })
        else { return }
        if request.actor == actor { throw SamePersonForBothSteps(caseID: state.id, officer: actor) }
    }

    private func alreadyApplied(_ events: [RecordedEvent], target: CaseID?, commandID: String) throws -> CommandOutcome {
        let caseID = events[0].caseID
        if let target, target != caseID {
            throw Refusal.commandIDReused(commandID: commandID, usedFor: caseID)
        }
        return CommandOutcome(caseID: caseID, state: try store.state(of: caseID), events: events, alreadyApplied: true)
    }
}

/// The officer named a version the case has never reached: nothing was written.
public struct ExpectedVersionAhead: Error, Equatable, Sendable, CustomStringConvertible {
    public var caseID: CaseID
    public var expectedVersion: Int
    public var actualVersion: Int

    public var description: String {
        "case \(caseID) is at version \(actualVersion), so the expected version \(expectedVersion) cannot have been seen: versions are never skipped; check the number"
    }
}
