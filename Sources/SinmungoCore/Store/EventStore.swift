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
    /// The account running the command. SQLite records it (or, when nil, the process's
    /// operating-system account); PostgreSQL ignores it and records the session's login.
    public var account: String?

    public init(
        caseID: CaseID,
        expectedVersion: Int,
        events: [CaseEvent],
        occurredAt: Instant,
        recordedAt: Instant,
        actor: String,
        commandID: String,
        account: String? = nil
    ) {
        self.caseID = caseID
        self.expectedVersion = expectedVersion
        self.events = events
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
        self.actor = actor
        self.commandID = commandID
        self.account = account
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

/// The append-only log: the contract every backend implements (SQLite now, PostgreSQL next)
/// and that `SinmungoTesting`'s conformance checks hold each one to.
///
/// Synchronous on purpose: SQLite and libpq are blocking C libraries, so an `async` surface
/// would only wrap blocking calls. A server calls a store on a bounded pool of threads.
public protocol EventStore: Sendable {
    // MARK: Writing

    /// Appends atomically, sealing any plain personal data, and destroys a person's key when
    /// the events record its erasure. Throws `AppendConflict` when the case is no longer at
    /// `expectedVersion`, and `CommandAlreadyApplied` when the command id is in the log.
    func append(_ request: AppendRequest) throws -> [RecordedEvent]
    /// The next free identifier for a new case of this kind, filed in this KST year.
    func nextCaseID(for kind: CaseKind, year: Int) throws -> CaseID

    // MARK: Reading

    /// Every event of one case, in order; empty when the case does not exist.
    func events(of caseID: CaseID) throws -> [RecordedEvent]
    /// The events a command produced, or nil when the command id is new.
    func events(ofCommand commandID: String) throws -> [RecordedEvent]?
    /// The events with sequence numbers in `range`, in order.
    func events(inSequence range: ClosedRange<Int64>) throws -> [RecordedEvent]
    /// The events visible at `point` (recorded by `asOf`, happened by `effective`), in log
    /// order, of one case or of all.
    func events(at point: PointInTime, of caseID: CaseID?) throws -> [RecordedEvent]
    /// The last event's sequence number and hash: 0 and 32 zero bytes for an empty log.
    func head() throws -> LogAnchor
    /// Checks the whole chain (and that it still extends `anchor`); returns the head, or throws
    /// `VerificationFailure` at the first event where something is wrong.
    func verify(against anchor: LogAnchor?, progress: (Int64) -> Void) throws -> LogAnchor
    /// The case's personal data, opened with its person's key, or what became of it.
    func personalData(of caseID: CaseID) throws -> PersonalDataStatus
    /// Destroys the key of a case whose erasure the log records but whose key survived (the
    /// process was stopped between the two). Returns whether there was one.
    func finishErasure(of caseID: CaseID) throws -> Bool
}

extension EventStore {
    public func state(of caseID: CaseID) throws -> CaseState {
        CaseState(id: caseID, replaying: try events(of: caseID))
    }
}
