extension EventStore {
    /// The roster as the log holds it now.
    public func roster() throws -> Roster {
        Roster(replaying: try events(of: Roster.streamID))
    }
}

extension Roster {
    /// The command with the departments it names as the roster's ids, refused when it names
    /// a department or an officer the roster does not hold.
    public func checkNames(in command: CaseCommand, case id: CaseID?) throws -> CaseCommand {
        switch command {
        case .review(let department):
            return .review(department: try requireDepartment(department.nfc, case: id))
        case .transfer(var transferred):
            transferred.department = try requireDepartment(transferred.department.nfc, case: id)
            return .transfer(transferred)
        case .visit(let visited):
            for officer in visited.with ?? [] { try requireOfficer(officer.nfc, field: "--with", case: id) }
            return command
        default:
            return command
        }
    }

    /// The change with the departments it names for the whole office (a grant's reach, the
    /// department a merge goes into) as ids, when they were typed by their current names.
    public func storingDepartmentIDs(of change: RosterChange) -> RosterChange {
        func id(_ typed: String) -> String { departments[typed] != nil ? typed : resolve(department: typed) ?? typed }
        switch change {
        case .officerGranted(var grant):
            grant.departments = grant.departments.map(id)
            return .officerGranted(grant)
        case .officerChanged(var grant):
            grant.departments = grant.departments.map(id)
            return .officerChanged(grant)
        case .departmentsMerged(var merged):
            merged.into = id(merged.into)
            return .departmentsMerged(merged)
        default:
            return change
        }
    }

    /// True while no one on the roster may keep it: then anyone may grant the first
    /// administrator, as `init` lets anyone start a log.
    public var needsAdministrator: Bool {
        !officers.values.contains { $0.roles.contains(.administrator) }
    }
}

/// Appends roster changes: the one way grants, changes and removals reach the log.
public struct RosterService<Store: EventStore>: Sendable {
    public let store: Store
    public let policy: Policy
    private let now: @Sendable () -> Instant

    public init(store: Store, policy: Policy = .yeongdeungpo, now: @escaping @Sendable () -> Instant) {
        self.store = store
        self.policy = policy
        self.now = now
    }

    /// Checks the change against the roster and who asks for it, then appends it. Refused
    /// with `AppendConflict` when someone changed the roster in between.
    public func apply(_ changes: [RosterChange], metadata: CommandMetadata) throws -> [RecordedEvent] {
        try Lifecycle.checkMetadata(actor: metadata.actor, commandID: metadata.commandID, case: nil, policy: policy)
        if let applied = try store.events(ofCommand: metadata.commandID) { return applied }
        let before = try store.roster()
        if !before.needsAdministrator {
            try before.authorize(officer: metadata.actor, account: metadata.account, task: .manageRoster, caseDepartment: nil)
        }
        let recordedAt = now()
        let occurredAt = metadata.occurredAt ?? recordedAt
        var roster = before
        var events: [CaseEvent] = []
        var state = try store.state(of: Roster.streamID)
        for change in changes {
            guard case .roster(let typed) = CaseEvent.roster(change).normalizingText else { continue }
            let normalized = roster.storingDepartmentIDs(of: typed)
            let event = CaseEvent.roster(normalized)
            try roster.check(normalized)
            try Lifecycle.checkPlausibility(event, occurredAt: occurredAt, now: recordedAt, on: state, policy: policy)
            try Lifecycle.check(event, occurredAt: occurredAt, on: state) { try store.state(of: $0) }
            roster.apply(normalized)
            state.apply(event, occurredAt: occurredAt)
            events.append(event)
        }
        if roster.checksOfficers, roster.needsAdministrator {
            throw AccessRefusal(
                "the roster would have officers but no administrator to keep it; grant one first (--role administrator)")
        }
        guard !events.isEmpty else { return [] }
        return try store.append(
            AppendRequest(
                caseID: Roster.streamID, expectedVersion: before.version, events: events, occurredAt: occurredAt,
                recordedAt: recordedAt, actor: metadata.actor, commandID: metadata.commandID, account: metadata.account))
    }

    /// Brings every department and actor the log names but the roster does not hold into
    /// it: departments under their names as ids, people as officers of the whole office. For
    /// logs kept before the roster, and imported ones; those who declined or extended a
    /// case are team leads too. Returns what was added.
    public func adoptFromLog(
        _ events: some Sequence<RecordedEvent>, reason: String, metadata: CommandMetadata
    ) throws -> (departments: [String], officers: [String]) {
        try adoptFromLog(reason: reason, metadata: metadata) { visit in events.forEach(visit) }
    }

    /// The same, reading the events through `forEach`, so that a long log is read in chunks
    /// and a read that fails stops the adoption before anything is written.
    public func adoptFromLog(
        reason: String, metadata: CommandMetadata,
        forEach: (_ visit: (RecordedEvent) -> Void) throws -> Void
    ) throws -> (departments: [String], officers: [String]) {
        let roster = try store.roster()
        // Once someone keeps the roster, only they bring names into it.
        if !roster.needsAdministrator {
            try roster.authorize(
                officer: metadata.actor, account: metadata.account, task: .manageRoster, caseDepartment: nil)
        }
        var adoption = RosterAdoption()
        try forEach { adoption.collect($0) }
        let (changes, newDepartments, newOfficers) = adoption.changes(to: roster, reason: reason)
        guard !changes.isEmpty else { return ([], []) }
        // Adopting names already in the log grants no one a new power over the roster.
        let recordedAt = now()
        let occurredAt = metadata.occurredAt ?? recordedAt
        var state = try store.state(of: Roster.streamID)
        var adopted: [CaseEvent] = []
        for change in changes {
            let event = CaseEvent.roster(change)
            try Lifecycle.checkPlausibility(event, occurredAt: occurredAt, now: recordedAt, on: state, policy: policy)
            try Lifecycle.check(event, occurredAt: occurredAt, on: state) { try store.state(of: $0) }
            state.apply(event, occurredAt: occurredAt)
            adopted.append(event)
        }
        _ = try store.append(
            AppendRequest(
                caseID: Roster.streamID, expectedVersion: roster.version, events: adopted, occurredAt: occurredAt,
                recordedAt: recordedAt, actor: metadata.actor, commandID: metadata.commandID, account: metadata.account))
        return (newDepartments, newOfficers)
    }
}
