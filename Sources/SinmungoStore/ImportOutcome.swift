import SinmungoCore

/// Who adds the names of a file from another system to the roster when it is imported, and why.
public struct RosterAdoptionRequest: Sendable {
    public var reason: String
    public var metadata: CommandMetadata

    public init(reason: String, metadata: CommandMetadata) {
        self.reason = reason
        self.metadata = metadata
    }
}

/// What an import wrote: the file's events, and the roster entries it added in the same transaction.
public struct ImportOutcome: Equatable, Sendable {
    /// The file's events appended.
    public var events: Int
    public var adoptedDepartments: [String] = []
    public var adoptedOfficers: [String] = []
    /// The roster has an administrator, so the file's names were left for them to adopt.
    public var rosterKeptByAdministrator = false

    public init(events: Int) {
        self.events = events
    }
}
