import Synchronization
import SinmungoCore
import SinmungoTesting
import Testing

/// A store whose colleague appends a step to the case at a chosen moment: right after this
/// process has read the case, or right before its own append. Time is one shared clock, as on
/// one machine: the colleague's step moves it forward.
private final class RacingStore: EventStore {
    enum Moment { case afterFirstRead, beforeEachAppend }

    let inner = InMemoryEventStore()
    private let clock: Mutex<Instant>
    private let pending: Mutex<Int>
    private let moment: Moment

    init(startingAt start: Instant, colleagueSteps: Int, at moment: Moment) {
        clock = Mutex(start)
        pending = Mutex(colleagueSteps)
        self.moment = moment
    }

    var now: Instant { clock.withLock { $0 } }
    private let colleagueCase = Mutex<CaseID?>(nil)
    var colleague: CaseID? {
        get { colleagueCase.withLock { $0 } }
        set { colleagueCase.withLock { $0 = newValue } }
    }

    private func takeColleagueStep() -> Bool {
        pending.withLock { count in
            guard count > 0 else { return false }
            count -= 1
            return true
        }
    }

    private func colleagueActs() throws {
        guard let colleague, takeColleagueStep() else { return }
        let time = clock.withLock { time in
            time = time.adding(seconds: 1)
            return time
        }
        let version = try inner.state(of: colleague).version
        _ = try inner.append(
            AppendRequest(
                caseID: colleague, expectedVersion: version, events: [.endorsed(Endorsed(count: 1))], occurredAt: time,
                recordedAt: time, actor: "ydp-0520", commandID: "colleague-\(version)"))
    }

    func events(of caseID: CaseID) throws -> [RecordedEvent] {
        let events = try inner.events(of: caseID)
        if moment == .afterFirstRead { try colleagueActs() }
        return events
    }
    func events(ofCommand commandID: String) throws -> [RecordedEvent]? { try inner.events(ofCommand: commandID) }
    func nextCaseID(for kind: CaseKind, year: Int) throws -> CaseID { try inner.nextCaseID(for: kind, year: year) }
    func events(inSequence range: ClosedRange<Int64>) throws -> [RecordedEvent] { try inner.events(inSequence: range) }
    func events(at point: PointInTime, of caseID: CaseID?) throws -> [RecordedEvent] {
        try inner.events(at: point, of: caseID)
    }
    func head() throws -> LogAnchor { try inner.head() }
    func verify(against anchor: LogAnchor?, progress: (Int64) -> Void) throws -> LogAnchor {
        try inner.verify(against: anchor, progress: progress)
    }
    func personalData(of caseID: CaseID) throws -> PersonalDataStatus { try inner.personalData(of: caseID) }
    func finishErasure(of caseID: CaseID) throws -> Bool { try inner.finishErasure(of: caseID) }
    func append(_ request: AppendRequest) throws -> [RecordedEvent] {
        if moment == .beforeEachAppend { try colleagueActs() }
        return try inner.append(request)
    }
}

@Suite("Officers racing on one case")
struct CommandRaceTests {
    static let filed = CaseCommand.filePetition(PetitionFiled(title: "보도 정비", category: "도시"))

    private func store(colleagueSteps: Int, at moment: RacingStore.Moment) throws -> (RacingStore, CaseService<RacingStore>) {
        let store = RacingStore(startingAt: march(20, 12), colleagueSteps: colleagueSteps, at: moment)
        let service = CaseService(store: store, now: { store.now })
        let filing = try CaseService(store: store.inner, now: { march(20, 12) })
            .execute(Self.filed, on: nil, metadata: CommandMetadata(actor: "ydp-0412", commandID: "file", occurredAt: march(4)))
        store.colleague = filing.caseID
        return (store, service)
    }

    @Test("without --at, the step is dated after a colleague's step committed while the case was read")
    func nowIsTakenAfterTheRead() throws {
        let (store, service) = try store(colleagueSteps: 1, at: .afterFirstRead)
        let id = try #require(store.colleague)
        let outcome = try service.execute(
            .endorse(count: 1), on: id, metadata: CommandMetadata(actor: "ydp-0412", commandID: "mine"))
        #expect(outcome.state.endorsements == 2)
        #expect(outcome.events.map(\.occurredAt) == [march(20, 12).adding(seconds: 1)])
    }

    @Test("a lost race is decided again on the new state, up to five times, then reported")
    func retriesThenReports() throws {
        let (store, service) = try store(colleagueSteps: 4, at: .beforeEachAppend)
        let id = try #require(store.colleague)
        let outcome = try service.execute(
            .endorse(count: 1), on: id, metadata: CommandMetadata(actor: "ydp-0412", commandID: "mine"))
        // Four colleagues' steps won four races; the fifth attempt went through after them.
        #expect(outcome.state.endorsements == 5)
        #expect(outcome.state.version == 6)

        let (busier, busierService) = try self.store(colleagueSteps: 5, at: .beforeEachAppend)
        let busy = try #require(busier.colleague)
        #expect(throws: AppendConflict.self) {
            try busierService.execute(
                .endorse(count: 1), on: busy, metadata: CommandMetadata(actor: "ydp-0412", commandID: "mine"))
        }
        #expect(try busier.inner.state(of: busy).endorsements == 5)
    }

    @Test("an explicit business time earlier than the previous step is still refused")
    func explicitEarlierTimeRefused() throws {
        let (store, service) = try store(colleagueSteps: 1, at: .afterFirstRead)
        let id = try #require(store.colleague)
        #expect(throws: Refusal.self) {
            try service.execute(
                .endorse(count: 1), on: id,
                metadata: CommandMetadata(actor: "ydp-0412", commandID: "mine", occurredAt: march(20, 11)))
        }
    }
}
