import SinmungoCore
import Synchronization

/// An event store held in memory, with the same guarantees as the SQLite one: for tests.
public final class InMemoryEventStore: EventStore {
    private let log = Mutex<[RecordedEvent]>([])

    public init(events: [RecordedEvent] = []) {
        log.withLock { $0 = events }
    }

    public var allEvents: [RecordedEvent] {
        log.withLock { $0 }
    }

    public func events(of caseID: CaseID) throws -> [RecordedEvent] {
        log.withLock { $0.filter { $0.caseID == caseID } }
    }

    public func events(ofCommand commandID: String) throws -> [RecordedEvent]? {
        let matching = log.withLock { $0.filter { $0.commandID == commandID } }
        return matching.isEmpty ? nil : matching
    }

    public func nextCaseID(for kind: CaseKind, year: Int) throws -> CaseID {
        let highest = log.withLock { events in
            events.compactMap { event -> Int? in
                guard event.caseVersion == 1, let number = event.caseID.sequenceNumber,
                    number.kind == kind, number.year == year
                else { return nil }
                return number.number
            }.max() ?? 0
        }
        return CaseID(kind: kind, year: year, number: highest + 1)
    }

    public func append(_ request: AppendRequest) throws -> [RecordedEvent] {
        try log.withLock { events in
            let applied = events.filter { $0.commandID == request.commandID }
            if !applied.isEmpty { throw CommandAlreadyApplied(events: applied) }
            let version = events.last(where: { $0.caseID == request.caseID })?.caseVersion ?? 0
            guard version == request.expectedVersion else {
                throw AppendConflict(caseID: request.caseID, expectedVersion: request.expectedVersion, actualVersion: version)
            }
            let first = (events.last?.sequence ?? 0) + 1
            let recorded = request.events.enumerated().map { offset, event in
                RecordedEvent(
                    sequence: first + Int64(offset),
                    caseID: request.caseID,
                    caseVersion: version + offset + 1,
                    occurredAt: request.occurredAt,
                    recordedAt: request.recordedAt,
                    actor: request.actor,
                    commandID: request.commandID,
                    event: event
                )
            }
            events.append(contentsOf: recorded)
            return recorded
        }
    }
}
