/// Events one command appends to one case, all or nothing.
public struct AppendRequest: Sendable {
    public var caseID: CaseID
    /// The case version the command was decided on; the append fails if the case moved on.
    public var expectedVersion: Int
    public var events: [CaseEvent]
    public var occurredAt: Instant
    public var recordedAt: Instant
    public var actor: String
    public var commandID: String

    public init(
        caseID: CaseID,
        expectedVersion: Int,
        events: [CaseEvent],
        occurredAt: Instant,
        recordedAt: Instant,
        actor: String,
        commandID: String
    ) {
        self.caseID = caseID
        self.expectedVersion = expectedVersion
        self.events = events
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
        self.actor = actor
        self.commandID = commandID
    }
}

/// The case moved on since the command was decided: nothing was written; decide again.
public struct AppendConflict: Error, Equatable, Sendable, CustomStringConvertible {
    public var caseID: CaseID
    public var expectedVersion: Int
    public var actualVersion: Int

    public init(caseID: CaseID, expectedVersion: Int, actualVersion: Int) {
        self.caseID = caseID
        self.expectedVersion = expectedVersion
        self.actualVersion = actualVersion
    }

    public var description: String {
        "case \(caseID) is at version \(actualVersion), not \(expectedVersion): someone else changed it first; nothing was written, so look at it again and retry"
    }
}

/// A command id that is already in the log; the events it produced are returned instead.
public struct CommandAlreadyApplied: Error, Equatable, Sendable {
    public var events: [RecordedEvent]
    public init(events: [RecordedEvent]) { self.events = events }
}

/// The append-only log, as the domain sees it. The SQLite store and the in-memory store
/// used by tests both implement it.
public protocol EventStore: Sendable {
    /// Every event of one case, in order; empty when the case does not exist.
    func events(of caseID: CaseID) throws -> [RecordedEvent]
    /// The events a command produced, or nil when the command id is new.
    func events(ofCommand commandID: String) throws -> [RecordedEvent]?
    /// The next free identifier for a new case of this kind, filed in this KST year.
    func nextCaseID(for kind: CaseKind, year: Int) throws -> CaseID
    /// Appends atomically. Throws `AppendConflict` when the case is no longer at
    /// `expectedVersion`, and `CommandAlreadyApplied` when the command id is in the log.
    func append(_ request: AppendRequest) throws -> [RecordedEvent]
}

extension EventStore {
    public func state(of caseID: CaseID) throws -> CaseState {
        CaseState(id: caseID, replaying: try events(of: caseID))
    }
}
