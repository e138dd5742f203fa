import SinmungoJSON

/// A change to who works in the office and what they may do. Roster changes are events in
/// the same log as the cases, in a stream of their own (`Roster.streamID`), so that every
/// grant, change and removal is chained, dated and signed by who made it, like any step.
public enum RosterChange: Equatable, Sendable {
    case departmentAdded(DepartmentNamed)
    case departmentRenamed(DepartmentNamed)
    /// 조직 개편: the department's cases, figures and officers continue under `into`.
    case departmentsMerged(DepartmentsMerged)
    case officerGranted(OfficerGrant)
    case officerChanged(OfficerGrant)
    case officerRemoved(OfficerRemoved)

    public var type: EventType {
        switch self {
        case .departmentAdded: .departmentAdded
        case .departmentRenamed: .departmentRenamed
        case .departmentsMerged: .departmentsMerged
        case .officerGranted: .officerGranted
        case .officerChanged: .officerChanged
        case .officerRemoved: .officerRemoved
        }
    }

    public var reason: String {
        switch self {
        case .departmentAdded(let named), .departmentRenamed(let named): named.reason
        case .departmentsMerged(let merged): merged.reason
        case .officerGranted(let grant), .officerChanged(let grant): grant.reason
        case .officerRemoved(let removed): removed.reason
        }
    }
}

/// A department's stable id and the name it goes by from now on.
public struct DepartmentNamed: Codable, Equatable, Sendable {
    public var department: String
    public var name: String
    public var reason: String

    public init(department: String, name: String, reason: String) {
        self.department = department
        self.name = name
        self.reason = reason
    }
}

public struct DepartmentsMerged: Codable, Equatable, Sendable {
    /// The department that ceases to exist.
    public var department: String
    /// The department that carries on its cases.
    public var into: String
    public var reason: String

    public init(department: String, into: String, reason: String) {
        self.department = department
        self.into = into
        self.reason = reason
    }
}

/// An officer's roles and reach, as granted or changed: the whole grant, not a difference,
/// so that one event says what held from then on.
public struct OfficerGrant: Codable, Equatable, Sendable {
    public var officer: String
    public var roles: [Role]
    /// The departments whose cases the officer may act on; empty for the whole office.
    public var departments: [String]
    /// Operating-system accounts (or database logins) that act as this officer; empty when
    /// none is tied yet.
    public var accounts: [String]
    public var reason: String

    public init(officer: String, roles: [Role], departments: [String] = [], accounts: [String] = [], reason: String) {
        self.officer = officer
        self.roles = roles
        self.departments = departments
        self.accounts = accounts
        self.reason = reason
    }
}

public struct OfficerRemoved: Codable, Equatable, Sendable {
    public var officer: String
    public var reason: String

    public init(officer: String, reason: String) {
        self.officer = officer
        self.reason = reason
    }
}

extension RosterChange {
    var jsonObject: [String: JSONValue] {
        func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
        switch self {
        case .departmentAdded(let named), .departmentRenamed(let named):
            return ["department": .string(named.department), "name": .string(named.name), "reason": .string(named.reason)]
        case .departmentsMerged(let merged):
            return [
                "department": .string(merged.department), "into": .string(merged.into), "reason": .string(merged.reason),
            ]
        case .officerGranted(let grant), .officerChanged(let grant):
            return [
                "officer": .string(grant.officer), "roles": strings(grant.roles.map(\.rawValue)),
                "departments": strings(grant.departments), "accounts": strings(grant.accounts),
                "reason": .string(grant.reason),
            ]
        case .officerRemoved(let removed):
            return ["officer": .string(removed.officer), "reason": .string(removed.reason)]
        }
    }

    static func read(_ type: EventType, from object: inout JSONReader) throws(EventCodec.DecodingFailure) -> RosterChange {
        func grant() throws(EventCodec.DecodingFailure) -> OfficerGrant {
            let officer = try object.string("officer")
            guard let roleNames = try object.optionalStrings("roles") else { throw object.missing("roles") }
            var roles: [Role] = []
            for name in roleNames {
                guard let role = Role(rawValue: name) else {
                    throw .invalidData(type: object.type, reason: "\"\(name)\" is not a role")
                }
                roles.append(role)
            }
            return OfficerGrant(
                officer: officer, roles: roles, departments: try object.optionalStrings("departments") ?? [],
                accounts: try object.optionalStrings("accounts") ?? [], reason: try object.string("reason"))
        }
        switch type {
        case .departmentAdded, .departmentRenamed:
            let named = DepartmentNamed(
                department: try object.string("department"), name: try object.string("name"),
                reason: try object.string("reason"))
            return type == .departmentAdded ? .departmentAdded(named) : .departmentRenamed(named)
        case .departmentsMerged:
            return .departmentsMerged(
                DepartmentsMerged(
                    department: try object.string("department"), into: try object.string("into"),
                    reason: try object.string("reason")))
        case .officerGranted:
            return .officerGranted(try grant())
        case .officerChanged:
            return .officerChanged(try grant())
        default:
            return .officerRemoved(
                OfficerRemoved(officer: try object.string("officer"), reason: try object.string("reason")))
        }
    }

    /// The text fields, by their names in the log, for NFC and the limits on names.
    mutating func visitText(_ body: (String, inout String) -> Void) {
        switch self {
        case .departmentAdded(var named):
            body("department", &named.department)
            body("name", &named.name)
            body("reason", &named.reason)
            self = .departmentAdded(named)
        case .departmentRenamed(var named):
            body("department", &named.department)
            body("name", &named.name)
            body("reason", &named.reason)
            self = .departmentRenamed(named)
        case .departmentsMerged(var merged):
            body("department", &merged.department)
            body("into", &merged.into)
            body("reason", &merged.reason)
            self = .departmentsMerged(merged)
        case .officerGranted(var grant):
            Self.visit(&grant, body)
            self = .officerGranted(grant)
        case .officerChanged(var grant):
            Self.visit(&grant, body)
            self = .officerChanged(grant)
        case .officerRemoved(var removed):
            body("officer", &removed.officer)
            body("reason", &removed.reason)
            self = .officerRemoved(removed)
        }
    }

    private static func visit(_ grant: inout OfficerGrant, _ body: (String, inout String) -> Void) {
        body("officer", &grant.officer)
        for index in grant.departments.indices { body("department", &grant.departments[index]) }
        for index in grant.accounts.indices { body("account", &grant.accounts[index]) }
        body("reason", &grant.reason)
    }
}
