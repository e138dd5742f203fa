import SinmungoCore
import SinmungoStore

/// What every backend of `EventStore` must do, checked through the protocol alone: ordering,
/// gaplessness, conflicts, idempotency, the hash chain, point-in-time reads, sealing and
/// erasure. A backend's tests run each check on a fresh, empty store:
///
/// ```swift
/// @Test(arguments: EventStoreConformance<SQLiteEventStore>.checks)
/// func conforms(_ check: String) throws {
///     try EventStoreConformance { try SQLiteEventStore.inMemory() }.run(check)
/// }
/// ```
public struct EventStoreConformance<Store: EventStore> {
    public let makeStore: () throws -> Store

    public init(makeStore: @escaping () throws -> Store) {
        self.makeStore = makeStore
    }

    public static var checks: [String] { Check.allCases.map(\.rawValue) }

    enum Check: String, CaseIterable {
        case orderAndGaplessness = "events are numbered 1, 2, 3… with no gap, in append order"
        case conflicts = "a stale expected version is a conflict that writes nothing"
        case idempotency = "a command id already in the log returns its events and writes nothing"
        case hashChain = "every event is chained by SHA-256 as LogFormat lays it out, with its account, and verify checks anchors"
        case pointInTime = "reads at a recorded or business time see exactly the events of then"
        case recordedTimeNeverRunsBackwards = "recorded time never runs backwards"
        case caseIDs = "new case ids count up per kind and year"
        case sealing = "personal data is sealed in the log and opened with its key"
        case erasure = "erasure destroys the key, and the chain still verifies"
    }

    /// Runs one check on a fresh store; throws `ConformanceFailure` naming what did not hold.
    public func run(_ name: String) throws {
        guard let check = Check(rawValue: name) else { throw ConformanceFailure("no check named \"\(name)\"") }
        let store = try makeStore()
        guard try store.head() == LogAnchor(sequence: 0, hash: EventHash.genesis) else {
            throw ConformanceFailure("a new store is not empty")
        }
        switch check {
        case .orderAndGaplessness: try orderAndGaplessness(store)
        case .conflicts: try conflicts(store)
        case .idempotency: try idempotency(store)
        case .hashChain: try hashChain(store)
        case .pointInTime: try pointInTime(store)
        case .recordedTimeNeverRunsBackwards: try recordedTimeNeverRunsBackwards(store)
        case .caseIDs: try caseIDs(store)
        case .sealing: try sealing(store)
        case .erasure: try erasure(store)
        }
    }

    // MARK: The checks

    private func orderAndGaplessness(_ store: Store) throws {
        let ids = [petition(1), petition(2), petition(3)]
        for (index, id) in ids.enumerated() {
            try file(id, in: store, at: day(1 + index))
        }
        // An endorsement that crosses the threshold appends two events in one command.
        try append(
            id: ids[1], version: 1, [.endorsed(Endorsed(count: 1000)), .qualified(Qualified(endorsements: 1000))], to: store,
            at: day(5))
        try append(id: ids[0], version: 1, [.reviewed(Reviewed(department: "치수과"))], to: store, at: day(6))
        try append(id: ids[2], version: 1, [.withdrawn(Withdrawn(reason: nil))], to: store, at: day(7))
        let all = try store.events(inSequence: 1...100)
        try expect(all.map(\.sequence) == Array(1...7), "sequences are \(all.map(\.sequence)), not 1…7")
        let types: [EventType] = [.petitionFiled, .petitionFiled, .petitionFiled, .endorsed, .qualified, .reviewed, .withdrawn]
        try expect(all.map(\.type) == types, "events are not in append order: \(all.map(\.type))")
        try expect(try store.events(inSequence: 2...4).map(\.sequence) == [2, 3, 4], "a sequence range is not read exactly")
        let second = try store.events(of: ids[1])
        try expect(second.map(\.caseVersion) == [1, 2, 3], "case versions are \(second.map(\.caseVersion)), not 1, 2, 3")
        try expect(Set(second.map(\.commandID)).count == 2, "the two events of one command do not share its id")
        try expect(try store.head().sequence == 7, "the head is not the last event")
    }

    private func conflicts(_ store: Store) throws {
        let id = petition(1)
        try file(id, in: store, at: day(1))
        try append(id: id, version: 1, [.reviewed(Reviewed(department: "치수과"))], to: store, at: day(2))
        let before = try store.head()
        do {
            try append(id: id, version: 1, [.withdrawn(Withdrawn(reason: nil))], to: store, at: day(3))
            throw ConformanceFailure("an append decided on version 1 of a case at version 2 was accepted")
        } catch let conflict as AppendConflict {
            try expect(conflict.actualVersion == 2 && conflict.expectedVersion == 1, "the conflict names \(conflict)")
        }
        try expect(try store.head() == before, "a refused append changed the head")
        do {
            try append(id: petition(9), version: 1, [.withdrawn(Withdrawn(reason: nil))], to: store, at: day(3))
            throw ConformanceFailure("an append to a case that does not exist, expecting version 1, was accepted")
        } catch is AppendConflict {}
        try expect(try store.head() == before, "a refused append changed the head")
    }

    private func idempotency(_ store: Store) throws {
        let id = petition(1)
        let first = try file(id, in: store, at: day(1), commandID: "command-1")
        let before = try store.head()
        do {
            try append(id: id, version: 1, [.withdrawn(Withdrawn(reason: nil))], to: store, at: day(2), commandID: "command-1")
            throw ConformanceFailure("a command id already in the log was applied again")
        } catch let applied as CommandAlreadyApplied {
            try expect(applied.events == first, "a repeated command id returns other events than it produced")
        }
        try expect(try store.head() == before, "a repeated command id changed the head")
        try expect(try store.events(ofCommand: "command-1") == first, "events(ofCommand:) does not return the command's events")
        try expect(try store.events(ofCommand: "command-2") == nil, "events(ofCommand:) finds a command that never ran")
    }

    private func hashChain(_ store: Store) throws {
        try file(petition(1), in: store, at: day(1))
        let early = try store.head()
        try file(petition(2), in: store, at: day(2))
        try append(id: petition(1), version: 1, [.reviewed(Reviewed(department: "건설과"))], to: store, at: day(3))
        var previous = EventHash.genesis
        for event in try store.events(inSequence: 1...100) {
            previous = EventHash.compute(
                sequence: event.sequence, caseID: event.caseID.rawValue, caseVersion: event.caseVersion,
                type: event.type.rawValue, schemaVersion: event.schemaVersion, occurredAt: event.occurredAt.description,
                recordedAt: event.recordedAt.description, actor: event.actor, commandID: event.commandID,
                data: EventCodec.encode(event.event), account: event.account, previousHash: previous)
            try expect(event.account?.isEmpty == false, "event \(event.sequence) records no account: it is not in layout 2")
        }
        let head = try store.head()
        try expect(head.hash == previous, "the head's hash is not the chain of its events as LogFormat lays it out")
        try expect(head.hash != early.hash && early.hash != EventHash.genesis, "appending does not move the hash")
        try expect(try store.verify(against: nil, progress: { _ in }) == head, "verify does not return the head")
        try expect(try store.verify(against: early, progress: { _ in }) == head, "the log does not verify against an earlier head")
        try expect(
            try store.verify(against: LogAnchor(sequence: 0, hash: EventHash.genesis), progress: { _ in }) == head,
            "the log does not verify against the genesis")
        var forged = early
        forged.hash[0] ^= 1
        try expectVerificationFailure(store, against: forged, "a forged anchor")
        try expectVerificationFailure(store, against: LogAnchor(sequence: head.sequence + 1, hash: head.hash), "an anchor past the head")
    }

    private func pointInTime(_ store: Store) throws {
        let id = petition(1)
        // Business times on days 1 and 3; recorded on days 2 and 10: a step entered late.
        try file(id, in: store, at: day(1), recordedAt: day(2))
        try append(id: id, version: 1, [.reviewed(Reviewed(department: "치수과"))], to: store, at: day(3), recordedAt: day(10))
        try file(petition(2), in: store, at: day(4), recordedAt: day(11))
        let knownOnDay5 = try store.events(at: PointInTime(asOf: day(5)), of: nil)
        try expect(knownOnDay5.map(\.sequence) == [1], "as of day 5 the office knew \(knownOnDay5.map(\.sequence)), not [1]")
        let happenedByDay3 = try store.events(at: PointInTime(effective: day(3)), of: nil)
        try expect(happenedByDay3.map(\.sequence) == [1, 2], "by day 3, \(happenedByDay3.map(\.sequence)) had happened, not [1, 2]")
        let both = try store.events(at: PointInTime(asOf: day(10), effective: day(2)), of: id)
        try expect(both.map(\.sequence) == [1], "both axes together give \(both.map(\.sequence)), not [1]")
        try expect(try store.events(at: PointInTime(), of: nil).count == 3, "now does not see every event")
    }

    private func recordedTimeNeverRunsBackwards(_ store: Store) throws {
        try file(petition(1), in: store, at: day(1), recordedAt: day(9))
        let late = try file(petition(2), in: store, at: day(2), recordedAt: day(3))
        try expect(late.map(\.recordedAt) == [day(9)], "an append recorded before the last event kept its earlier time")
    }

    private func caseIDs(_ store: Store) throws {
        try expect(try store.nextCaseID(for: .petition, year: 2019) == petition(1), "the first petition of 2019 is not 0001")
        try file(petition(1), in: store, at: day(1))
        try expect(try store.nextCaseID(for: .petition, year: 2019) == petition(2), "the next petition is not 0002")
        try expect(
            try store.nextCaseID(for: .petition, year: 2020) == CaseID(kind: .petition, year: 2020, number: 1),
            "numbers do not start again in a new year")
        try expect(
            try store.nextCaseID(for: .proposal, year: 2019) == CaseID(kind: .proposal, year: 2019, number: 1),
            "kinds share their numbers")
    }

    private func sealing(_ store: Store) throws {
        let id = petition(1)
        let person = PersonalData(name: "가상인", phone: "010-0000-4321")
        let filed = PetitionFiled(title: "가로등", category: "도시", body: "신길로 12 앞", personal: .plain(person))
        let recorded = try append(id: id, version: 0, [.petitionFiled(filed)], to: store, at: day(1))
        let stored = try store.events(of: id)
        try expect(stored == recorded, "the events returned by append are not the ones stored")
        let text = EventCodec.encode(stored[0].event)
        for secret in ["가상인", "010-0000-4321", "신길로 12"] {
            try expect(!text.contains(secret), "\"\(secret)\" is stored in the clear")
        }
        guard case .petitionFiled(let sealedFiling) = stored[0].event, case .sealed? = sealedFiling.personal else {
            throw ConformanceFailure("the stored filing does not hold a sealed box")
        }
        try expect(
            try store.personalData(of: id) == .held(PersonalData(name: "가상인", phone: "010-0000-4321", body: "신길로 12 앞")),
            "the sealed data does not open to what was filed")
        try expect(try store.personalData(of: petition(2)) == .none, "a missing case has personal data")
    }

    private func erasure(_ store: Store) throws {
        let id = petition(1)
        let filed = PetitionFiled(title: "가로등", category: "도시", personal: .plain(PersonalData(name: "가상인")))
        let recorded = try append(id: id, version: 0, [.petitionFiled(filed)], to: store, at: day(1))
        guard case .petitionFiled(let sealedFiling) = recorded[0].event, case .sealed(let box)? = sealedFiling.personal else {
            throw ConformanceFailure("the filing was not sealed")
        }
        try append(id: id, version: 1, [.withdrawn(Withdrawn(reason: "취하"))], to: store, at: day(2))
        let erased = PersonalDataErased(person: box.person, reason: "정보주체 삭제 요구", request: "개인정보-2019-0001")
        try append(id: id, version: 2, [.personalDataErased(erased)], to: store, at: day(3), recordedAt: day(4))
        guard case .erased(let at, let by, _, let request) = try store.personalData(of: id) else {
            throw ConformanceFailure("after erasure the data is \(try store.personalData(of: id))")
        }
        try expect(at == day(4) && by == "ydp-0412" && request == "개인정보-2019-0001", "the erasure is not reported as recorded")
        try expect(try store.events(of: id)[0] == recorded[0], "erasure changed the sealed event")
        try expect(try !store.finishErasure(of: id), "an erasure appended in full left a key to destroy")
        try expect(try store.verify(against: nil, progress: { _ in }) == store.head(), "the chain does not verify after erasure")
    }

    // MARK: Helpers

    private func petition(_ number: Int) -> CaseID { CaseID(kind: .petition, year: 2019, number: number) }

    private func day(_ number: Int) -> Instant {
        Instant(kst: CivilDate(year: 2019, month: 6, day: number)!, hour: 10)
    }

    @discardableResult
    private func file(_ id: CaseID, in store: Store, at time: Instant, recordedAt: Instant? = nil, commandID: String? = nil)
        throws -> [RecordedEvent]
    {
        try append(
            id: id, version: 0, [.petitionFiled(PetitionFiled(title: "보도 정비 \(id)", category: "도시"))], to: store, at: time,
            recordedAt: recordedAt, commandID: commandID)
    }

    @discardableResult
    private func append(
        id: CaseID, version: Int, _ events: [CaseEvent], to store: Store, at time: Instant, recordedAt: Instant? = nil,
        commandID: String? = nil
    ) throws -> [RecordedEvent] {
        try store.append(
            AppendRequest(
                caseID: id, expectedVersion: version, events: events, occurredAt: time, recordedAt: recordedAt ?? time,
                actor: "ydp-0412", commandID: commandID ?? "\(id)-\(version)-\(time)"))
    }

    private func expect(_ condition: @autoclosure () throws -> Bool, _ message: @autoclosure () -> String) throws {
        guard try condition() else { throw ConformanceFailure(message()) }
    }

    private func expectVerificationFailure(_ store: Store, against anchor: LogAnchor, _ what: String) throws {
        do {
            _ = try store.verify(against: anchor, progress: { _ in })
        } catch is VerificationFailure {
            return
        }
        throw ConformanceFailure("the log verified against \(what)")
    }
}

/// A requirement of the event-store contract that a backend did not meet.
public struct ConformanceFailure: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
