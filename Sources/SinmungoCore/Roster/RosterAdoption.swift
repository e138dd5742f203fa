/// The departments and people a log names, gathered one event at a time, and what the
/// roster lacks of them: what `roster adopt`, and an import of a log from another system,
/// add to it.
public struct RosterAdoption: Sendable {
    var departments: Set<String> = []
    var officers: Set<String> = []
    /// Whoever declined or extended in the log did what a team lead does.
    var leads: Set<String> = []

    public init() {}

    public mutating func collect(_ recorded: RecordedEvent) {
        guard !recorded.type.isRoster else { return }
        officers.insert(recorded.actor)
        switch recorded.event {
        case .declined, .extended: leads.insert(recorded.actor)
        case .reviewed(let reviewed): departments.insert(reviewed.department)
        case .transferred(let transferred): departments.insert(transferred.department)
        case .visited(let visited): officers.formUnion(visited.with ?? [])
        default: break
        }
    }

    /// The roster entries `roster` lacks: departments under their names as ids, then people
    /// as officers of the whole office (team leads too when they declined or extended).
    public func changes(to roster: Roster, reason: String) -> (
        changes: [RosterChange], departments: [String], officers: [String]
    ) {
        let newDepartments = departments.filter { roster.departments[$0] == nil && roster.resolve(department: $0) == nil }
            .sorted()
        let newOfficers = officers.filter { !roster.everGranted.contains($0) }.sorted()
        let changes: [RosterChange] =
            newDepartments.map { .departmentAdded(DepartmentNamed(department: $0, name: $0, reason: reason)) }
            + newOfficers.map {
                .officerGranted(
                    OfficerGrant(officer: $0, roles: leads.contains($0) ? [.officer, .teamLead] : [.officer], reason: reason))
            }
        return (changes, newDepartments, newOfficers)
    }
}
