import Foundation
import SinmungoCore
import SinmungoStore
import Synchronization

/// The whole event-store contract held in memory: the hash chain, sealing, erasure and
/// point-in-time reads, with no SQL anywhere. That it passes the same conformance checks as
/// the SQLite store shows the contract does not lean on SQLite.
public final class InMemoryEventStore: EventStore {
    private struct Chained {
        var event: RecordedEvent
        var hash: [UInt8]
    }

    private struct State {
        var log: [Chained] = []
        var keys: [String: PersonKey] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public var allEvents: [RecordedEvent] {
        state.withLock { $0.log.map(\.event) }
    }

    // MARK: Writing

    public func append(_ request: AppendRequest) throws -> [RecordedEvent] {
        try state.withLock { state in
            let applied = state.log.filter { $0.event.commandID == request.commandID }.map(\.event)
            if !applied.isEmpty { throw CommandAlreadyApplied(events: applied) }
            let version = state.log.last(where: { $0.event.caseID == request.caseID })?.event.caseVersion ?? 0
            guard version == request.expectedVersion else {
                throw AppendConflict(caseID: request.caseID, expectedVersion: request.expectedVersion, actualVersion: version)
            }
            var newKeys: [PersonKey] = []
            let sealed = try request.events.enumerated().map { offset, event in
                try PersonalDataSeal.sealing(event, caseID: request.caseID, caseVersion: version + offset + 1, into: &newKeys)
            }
            // Recorded time never runs backwards, as in every store.
            let recordedAt = max(request.recordedAt, state.log.last?.event.recordedAt ?? request.recordedAt)
            var previousHash = state.log.last?.hash ?? EventHash.genesis
            var recorded: [RecordedEvent] = []
            for (offset, event) in sealed.enumerated() {
                let next = RecordedEvent(
                    sequence: Int64(state.log.count + 1), caseID: request.caseID, caseVersion: version + offset + 1,
                    occurredAt: request.occurredAt, recordedAt: recordedAt, actor: request.actor,
                    commandID: request.commandID, event: event,
                    account: request.account ?? OperatingSystemAccount.current())
                let hash = Self.hash(of: next, after: previousHash)
                state.log.append(Chained(event: next, hash: hash))
                previousHash = hash
                recorded.append(next)
            }
            for key in newKeys { state.keys[key.person] = key }
            for event in recorded {
                if case .personalDataErased(let erased) = event.event { state.keys[erased.person] = nil }
            }
            return recorded
        }
    }

    public func nextCaseID(for kind: CaseKind, year: Int) throws -> CaseID {
        let highest = state.withLock { state in
            state.log.compactMap { chained -> Int? in
                let event = chained.event
                guard event.caseVersion == 1, let number = event.caseID.sequenceNumber, number.kind == kind,
                    number.year == year
                else { return nil }
                return number.number
            }.max() ?? 0
        }
        return CaseID(kind: kind, year: year, number: highest + 1)
    }

    // MARK: Reading

    public func events(of caseID: CaseID) throws -> [RecordedEvent] {
        state.withLock { $0.log.map(\.event).filter { $0.caseID == caseID } }
    }

    public func events(ofCommand commandID: String) throws -> [RecordedEvent]? {
        let matching = state.withLock { $0.log.map(\.event).filter { $0.commandID == commandID } }
        return matching.isEmpty ? nil : matching
    }

    public func events(inSequence range: ClosedRange<Int64>) throws -> [RecordedEvent] {
        state.withLock { $0.log.map(\.event).filter { range.contains($0.sequence) } }
    }

    public func events(at point: PointInTime, of caseID: CaseID? = nil) throws -> [RecordedEvent] {
        state.withLock { $0.log.map(\.event).filter { point.includes($0) && (caseID == nil || $0.caseID == caseID) } }
    }

    public func head() throws -> LogAnchor {
        state.withLock { state in
            LogAnchor(sequence: Int64(state.log.count), hash: state.log.last?.hash ?? EventHash.genesis)
        }
    }

    public func verify(against anchor: LogAnchor? = nil, progress: (Int64) -> Void = { _ in }) throws -> LogAnchor {
        let log = state.withLock { $0.log }
        var previousHash = EventHash.genesis
        for (index, chained) in log.enumerated() {
            let sequence = Int64(index + 1)
            guard chained.event.sequence == sequence else {
                throw VerificationFailure(sequence: sequence, kind: .missing, detail: "the sequence is not gapless")
            }
            guard chained.hash == Self.hash(of: chained.event, after: previousHash) else {
                throw VerificationFailure(sequence: sequence, kind: .changed, detail: "its fields no longer match its hash")
            }
            if let anchor, anchor.sequence == sequence, anchor.hash != chained.hash {
                throw VerificationFailure(sequence: sequence, kind: .anchorMismatch, detail: "the log was rewritten up to here")
            }
            previousHash = chained.hash
            progress(sequence)
        }
        let head = LogAnchor(sequence: Int64(log.count), hash: previousHash)
        if let anchor, anchor.sequence > head.sequence {
            throw VerificationFailure(
                sequence: head.sequence + 1, kind: .anchorMismatch,
                detail: "the log ends at event \(head.sequence), before the anchor's event \(anchor.sequence)")
        }
        return head
    }

    public func personalData(of caseID: CaseID) throws -> PersonalDataStatus {
        try PersonalDataSeal.status(in: try events(of: caseID)) { person in
            state.withLock { $0.keys[person]?.symmetricKey }
        }
    }

    public func finishErasure(of caseID: CaseID) throws -> Bool {
        let state = try self.state(of: caseID)
        guard case .erased(let person) = state.personalData else { return false }
        return self.state.withLock { $0.keys.removeValue(forKey: person) != nil }
    }

    /// The chain hash of an event as `LogFormat` lays it out, over its canonical JSON.
    private static func hash(of event: RecordedEvent, after previousHash: [UInt8]) -> [UInt8] {
        EventHash.compute(
            sequence: event.sequence, caseID: event.caseID.rawValue, caseVersion: event.caseVersion,
            type: event.type.rawValue, schemaVersion: event.schemaVersion, occurredAt: event.occurredAt.description,
            recordedAt: event.recordedAt.description, actor: event.actor, commandID: event.commandID,
            data: EventCodec.encode(event.event), account: event.account, previousHash: previousHash)
    }
}
