import SinmungoCore

extension RosterChange {
    /// The change in words, as `name: value` pairs, for history and audit views.
    public var details: [(name: String, value: String)] {
        switch self {
        case .departmentAdded(let named), .departmentRenamed(let named):
            [("department", named.department), ("name", named.name), ("reason", named.reason)]
        case .departmentsMerged(let merged):
            [("department", merged.department), ("into", merged.into), ("reason", merged.reason)]
        case .officerGranted(let grant), .officerChanged(let grant):
            [
                ("officer", grant.officer), ("roles", grant.roles.map(\.rawValue).joined(separator: ", ")),
                ("departments", grant.departments.isEmpty ? "(the whole office)" : grant.departments.joined(separator: ", ")),
                ("accounts", grant.accounts.joined(separator: ", ")), ("reason", grant.reason),
            ]
        case .officerRemoved(let removed):
            [("officer", removed.officer), ("reason", removed.reason)]
        }
    }
}
