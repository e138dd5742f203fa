/// Who works in the office, in which departments, with which roles: the fold of the roster's
/// events. Every backend reads the same stream and folds it here, so the rules of who may do
/// what are decided once.
public struct Roster: Equatable, Sendable {
    /// The roster's stream in the log. Not a case id the engine assigns (those read
    /// `PET-2019-0001`), and refused as the id of a new case, so it never meets a case's
    /// view, count or statistic.
    public static let streamID = CaseID("ROSTER")

    public struct Department: Equatable, Sendable {
        public var id: String
        public var name: String
        /// Set once the department was merged into another.
        public var mergedInto: String?
    }

    public private(set) var departments: [String: Department] = [:]
    /// Officers with their current grant; a removed officer is no longer here.
    public private(set) var officers: [String: OfficerGrant] = [:]
    /// Every officer ever granted, removed or not: history keeps naming them.
    public private(set) var everGranted: Set<String> = []
    /// The number of roster events folded in: the stream's version.
    public private(set) var version = 0

    public init() {}

    public init(replaying events: some Sequence<RecordedEvent>) {
        for event in events where event.caseID == Self.streamID {
            if case .roster(let change) = event.event { apply(change) }
        }
    }

    /// True once any officer is on the roster: from then on every step names one.
    public var checksOfficers: Bool { !officers.isEmpty }
    /// True once any department is on the roster: from then on a case goes only to one of them.
    public var checksDepartments: Bool { !departments.isEmpty }

    public mutating func apply(_ change: RosterChange) {
        version += 1
        switch change {
        case .departmentAdded(let named):
            departments[named.department] = Department(id: named.department, name: named.name)
        case .departmentRenamed(let named):
            departments[named.department]?.name = named.name
        case .departmentsMerged(let merged):
            departments[merged.department]?.mergedInto = merged.into
        case .officerGranted(let grant), .officerChanged(let grant):
            officers[grant.officer] = grant
            everGranted.insert(grant.officer)
        case .officerRemoved(let removed):
            officers[removed.officer] = nil
        }
    }

    // MARK: Departments

    /// The department a stored department id stands for today, following merges.
    public func current(department id: String) -> String {
        var id = id
        var seen: Set<String> = []
        while let next = departments[id]?.mergedInto, seen.insert(id).inserted { id = next }
        return id
    }

    /// The name to print for a stored department id: the current name of the department it
    /// stands for today, or the id itself when the roster does not know it.
    public func name(ofDepartment id: String) -> String {
        departments[current(department: id)]?.name ?? id
    }

    /// The department an officer typed, by id or by current name, as the id to store; nil
    /// when the roster has no such department, or it was merged away.
    public func resolve(department typed: String) -> String? {
        if let department = departments[typed], department.mergedInto == nil { return typed }
        return departments.values.filter { $0.mergedInto == nil && $0.name == typed }.map(\.id).sorted().first
    }

    /// The stored department id for a step, refused when the roster does not know it.
    public func requireDepartment(_ typed: String, case id: CaseID?) throws(AccessRefusal) -> String {
        guard checksDepartments else { return typed }
        guard let resolved = resolve(department: typed) else {
            throw AccessRefusal(
                "\(id.map { "case \($0): " } ?? "")no department \"\(typed)\" in the roster; `sinmungo roster list` shows them, and an administrator adds one with `sinmungo roster department add`"
            )
        }
        return resolved
    }

    // MARK: Officers

    /// The officers an account is tied to.
    public func officers(forAccount account: String) -> [String] {
        officers.values.filter { $0.accounts.contains(account) }.map(\.officer).sorted()
    }

    /// Refuses an officer the roster does not hold, when it holds any.
    public func requireOfficer(_ officer: String, field: String = "officer", case id: CaseID?) throws(AccessRefusal) {
        guard checksOfficers, officers[officer] == nil else { return }
        let was = everGranted.contains(officer) ? " (removed from it)" : ""
        throw AccessRefusal(
            "\(id.map { "case \($0): " } ?? "")\(field) \"\(officer)\" is not an officer on the roster\(was); `sinmungo roster list` shows who is"
        )
    }

    /// Checks that `officer`, run from `account`, may do `task` on a case of `caseDepartment`.
    /// An empty roster allows everything: a log kept before the roster began keeps working.
    public func authorize(
        officer: String, account: String?, task: Task, caseDepartment: String?, case id: CaseID? = nil
    ) throws(AccessRefusal) {
        guard checksOfficers else { return }
        let prefix = id.map { "case \($0): " } ?? ""
        try requireOfficer(officer, case: id)
        let grant = officers[officer]!
        if let account {
            let tied = officers(forAccount: account)
            if !tied.isEmpty, !tied.contains(officer) {
                throw AccessRefusal(
                    "\(prefix)the account \(account) acts as \(tied.joined(separator: ", ")) on the roster, not as \(officer); one officer may not act for another"
                )
            }
            if !grant.accounts.isEmpty, !grant.accounts.contains(account) {
                throw AccessRefusal(
                    "\(prefix)\(officer) acts only from the account\(grant.accounts.count == 1 ? "" : "s") \(grant.accounts.joined(separator: ", ")), not from \(account); one officer may not act for another"
                )
            }
        }
        guard Permissions.allows(grant.roles, task) else {
            let needed = Permissions.roles(for: task).sorted().map(\.rawValue).joined(separator: " or ")
            throw AccessRefusal(
                "\(prefix)\(officer) (\(grant.roles.map(\.rawValue).joined(separator: ", "))) may not \(task): it takes \(needed.isEmpty ? "a role no one has" : needed)"
            )
        }
        guard task.isDepartmental, !grant.departments.isEmpty else { return }
        let reach = Set(grant.departments.map(current(department:)))
        guard let caseDepartment, reach.contains(current(department: caseDepartment)) else {
            let whereNow = caseDepartment.map { "is with \(name(ofDepartment: $0))" } ?? "is not yet routed to a department"
            throw AccessRefusal(
                "\(prefix)\(officer) acts for \(grant.departments.map(name(ofDepartment:)).joined(separator: ", ")) only, and the case \(whereNow)"
            )
        }
    }

    // MARK: Checking changes

    /// Refuses a change that does not fit the roster as it stands.
    public func check(_ change: RosterChange) throws(AccessRefusal) {
        func requireLive(_ department: String) throws(AccessRefusal) {
            guard let found = departments[department] else {
                throw AccessRefusal("no department \"\(department)\" in the roster")
            }
            if let into = found.mergedInto {
                throw AccessRefusal("the department \"\(department)\" was merged into \"\(into)\"")
            }
        }
        if change.reason.allSatisfy(\.isWhitespace) {
            throw AccessRefusal("a roster change needs its reason (--reason)")
        }
        switch change {
        case .departmentAdded(let named):
            if departments[named.department] != nil {
                throw AccessRefusal("the department id \"\(named.department)\" is already on the roster")
            }
            if resolve(department: named.name) != nil {
                throw AccessRefusal("a department is already named \"\(named.name)\"")
            }
        case .departmentRenamed(let named):
            try requireLive(named.department)
            if let other = resolve(department: named.name), other != named.department {
                throw AccessRefusal("the department \"\(other)\" is already named \"\(named.name)\"")
            }
        case .departmentsMerged(let merged):
            try requireLive(merged.department)
            try requireLive(merged.into)
            if merged.department == merged.into {
                throw AccessRefusal("a department cannot be merged into itself")
            }
        case .officerGranted(let grant), .officerChanged(let grant):
            if case .officerGranted = change, officers[grant.officer] != nil {
                throw AccessRefusal("\(grant.officer) is already on the roster; change the grant instead")
            }
            if case .officerChanged = change, officers[grant.officer] == nil {
                throw AccessRefusal("\(grant.officer) is not on the roster")
            }
            if grant.roles.isEmpty { throw AccessRefusal("a grant names at least one role (--role)") }
            for department in grant.departments { try requireLive(department) }
            for account in grant.accounts {
                if let other = officers(forAccount: account).first(where: { $0 != grant.officer }) {
                    throw AccessRefusal("the account \(account) already acts as \(other)")
                }
            }
        case .officerRemoved(let removed):
            if officers[removed.officer] == nil {
                throw AccessRefusal("\(removed.officer) is not on the roster")
            }
        }
    }
}

/// A step refused by the roster: the person may not take it, or it names someone or
/// something the roster does not hold. Nothing was written.
public struct AccessRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
