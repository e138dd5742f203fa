import SinmungoCore
import SinmungoTesting
import Testing

@Suite("CaseService over the in-memory store")
struct CaseServiceTests {
    let store = InMemoryEventStore()
    /// The service's clock stands still at noon KST on 20 March 2019.
    static let clock = march(20, 12)

    var service: CaseService<InMemoryEventStore> {
        CaseService(store: store, now: { Self.clock })
    }

    static let petition = PetitionFiled(title: "당산역 엘리베이터 설치 건의", category: "도시")
    static let filing = CaseCommand.filePetition(petition)

    func meta(_ commandID: String, at occurredAt: Instant? = march(4), actor: String = "ydp-0412", expectedVersion: Int? = nil)
        -> CommandMetadata
    {
        CommandMetadata(actor: actor, commandID: commandID, occurredAt: occurredAt, expectedVersion: expectedVersion)
    }

    @discardableResult
    func filePetition(_ commandID: String, at occurredAt: Instant = march(4)) throws -> CaseID {
        try service.execute(Self.filing, on: nil, metadata: meta(commandID, at: occurredAt)).caseID
    }

    @Test("filing assigns PET-2019-0001, then PET-2019-0002")
    func assignsIDs() throws {
        let first = try service.execute(Self.filing, on: nil, metadata: meta("c1"))
        let second = try service.execute(Self.filing, on: nil, metadata: meta("c2", at: march(5)))
        #expect(first.caseID == CaseID("PET-2019-0001"))
        #expect(second.caseID == CaseID("PET-2019-0002"))
        #expect(!first.alreadyApplied)
        #expect(first.state.status == .filed)
        #expect(first.state.version == 1)
        #expect(second.events.map(\.sequence) == [2])
        #expect(store.allEvents.map(\.caseID) == [CaseID("PET-2019-0001"), CaseID("PET-2019-0002")])
    }

    @Test("the recorded event carries the metadata, with the clock as recording time")
    func recordsMetadata() throws {
        let outcome = try service.execute(Self.filing, on: nil, metadata: meta("c1", at: march(4), actor: "ydp-0412"))
        let event = try #require(outcome.events.first)
        #expect(outcome.events.count == 1)
        #expect(event.event == .petitionFiled(Self.petition))
        #expect(event.occurredAt == march(4))
        #expect(event.recordedAt == march(20, 12))
        #expect(event.actor == "ydp-0412")
        #expect(event.commandID == "c1")
        #expect(event.caseVersion == 1)
    }

    @Test("without a business time the step happens now")
    func occurredAtDefaultsToNow() throws {
        let outcome = try service.execute(Self.filing, on: nil, metadata: meta("c1", at: nil))
        #expect(outcome.events.map(\.occurredAt) == [march(20, 12)])
    }

    @Test(
        "case numbers count within the KST year of the business time",
        arguments: [
            ("2019-12-31T23:30:00+09:00", "PET-2019-0001"),
            ("2019-12-31T15:30:00Z", "PET-2020-0001"),
            ("2019-12-31T14:59:59Z", "PET-2019-0001"),
        ]
    )
    func idsPerKSTYear(_ occurredAt: String, _ expected: String) throws {
        let when = try #require(Instant(iso8601: occurredAt))
        let service = CaseService(store: store, now: { Instant(kst: CivilDate(year: 2020, month: 1, day: 5)!, hour: 9) })
        let outcome = try service.execute(Self.filing, on: nil, metadata: meta("c1", at: when))
        #expect(outcome.caseID == CaseID(expected))
    }

    @Test("numbering restarts each year and is separate for each kind")
    func numberingPerYearAndKind() throws {
        let service = CaseService(store: store, now: { Instant(kst: CivilDate(year: 2020, month: 1, day: 5)!, hour: 9) })
        let session = CaseCommand.holdSession(SessionHeld(kind: .outreach, field: "기타", attendees: 3))
        let december30 = Instant(kst: CivilDate(year: 2019, month: 12, day: 30)!, hour: 10)
        let january2 = Instant(kst: CivilDate(year: 2020, month: 1, day: 2)!, hour: 10)
        let steps: [(CaseCommand, Instant)] = [
            (Self.filing, december30), (Self.filing, december30), (Self.filing, january2), (session, december30),
        ]
        var ids: [CaseID] = []
        for (index, (command, when)) in steps.enumerated() {
            ids.append(try service.execute(command, on: nil, metadata: meta("c\(index)", at: when)).caseID)
        }
        #expect(ids == ["PET-2019-0001", "PET-2019-0002", "PET-2020-0001", "SES-2019-001"].map { CaseID($0) })
    }

    @Test("a case created under an explicit id keeps it, and numbering continues after it")
    func explicitID() throws {
        let outcome = try service.execute(Self.filing, on: CaseID("PET-2019-0042"), metadata: meta("c1"))
        #expect(outcome.caseID == CaseID("PET-2019-0042"))
        #expect(try filePetition("c2") == CaseID("PET-2019-0043"))
    }

    // Bug: CaseService.execute starts a creating command from CaseState(initial:) without reading
    // the log, so the Decider never sees that the id is taken; the append then conflicts five
    // times and an AppendConflict ("retry") is thrown, which no retry can ever resolve.
    @Test("creating a case under an id that is already in the log is refused as existing")
    func explicitIDAlreadyTaken() throws {
        let id = try filePetition("c1")
        #expect(throws: Refusal.alreadyExists(case: id)) {
            try service.execute(Self.filing, on: id, metadata: meta("c2", at: march(5)))
        }
        #expect(store.allEvents.count == 1)
    }

    @Test("a repeated command id returns the first outcome and writes nothing")
    func repeatedCommand() throws {
        let first = try service.execute(Self.filing, on: nil, metadata: meta("c1"))
        let count = store.allEvents.count
        let again = try service.execute(Self.filing, on: nil, metadata: meta("c1"))
        #expect(again.alreadyApplied)
        #expect(again.caseID == first.caseID)
        #expect(again.events == first.events)
        #expect(store.allEvents.count == count)
    }

    @Test("a repeated step on an existing case is applied once")
    func repeatedStep() throws {
        let id = try filePetition("c1")
        _ = try service.execute(.review(department: Departments.traffic), on: id, metadata: meta("c2", at: march(5)))
        let again = try service.execute(.review(department: Departments.traffic), on: id, metadata: meta("c2", at: march(5)))
        #expect(again.alreadyApplied)
        #expect(again.state.version == 2)
        #expect(again.state.status == .reviewed)
        #expect(store.allEvents.count == 2)
    }

    @Test("a command id used for another case is refused")
    func commandIDReused() throws {
        let first = try filePetition("c1")
        let second = try filePetition("c2")
        #expect(throws: Refusal.commandIDReused(commandID: "c1", usedFor: first)) {
            try service.execute(.review(department: Departments.traffic), on: second, metadata: meta("c1", at: march(5)))
        }
        #expect(store.allEvents.count == 2)
    }

    @Test("a step decided on a version the case has moved past is a conflict, and nothing is written")
    func expectedVersionMismatch() throws {
        let id = try filePetition("c1")
        let before = store.allEvents
        #expect(throws: AppendConflict(caseID: id, expectedVersion: 0, actualVersion: 1)) {
            try service.execute(
                .review(department: Departments.traffic), on: id, metadata: meta("c2", at: march(5), expectedVersion: 0))
        }
        #expect(store.allEvents == before)
    }

    @Test("a step decided on the current version is applied")
    func expectedVersionMatch() throws {
        let id = try filePetition("c1")
        let outcome = try service.execute(
            .review(department: Departments.traffic), on: id, metadata: meta("c2", at: march(5), expectedVersion: 1))
        #expect(outcome.events.map(\.caseVersion) == [2])
        #expect(outcome.state.department == "교통행정과")
    }

    @Test("a command without an officer is refused", arguments: ["", "   "])
    func emptyActor(_ actor: String) {
        #expect(throws: Refusal.invalidValue(case: nil, field: "actor", problem: "must name the officer taking the step")) {
            try service.execute(Self.filing, on: nil, metadata: meta("c1", actor: actor))
        }
        #expect(store.allEvents.isEmpty)
    }

    @Test("a refused command leaves the log as it was")
    func refusedWritesNothing() throws {
        let id = try filePetition("c1")
        let before = store.allEvents
        // Answering needs a review first.
        #expect(
            throws: Refusal.illegalStep(
                case: id, kind: .petition, status: .filed, step: .answered, allowedFrom: [.reviewed, .visited])
        ) {
            try service.execute(.answer(summary: "답변", by: nil), on: id, metadata: meta("c2", at: march(5)))
        }
        #expect(store.allEvents == before)
        // The refused command id stays free for a correct retry.
        #expect(try store.events(ofCommand: "c2") == nil)
    }

    @Test("a step on a case that is not in the log is refused")
    func noSuchCase() {
        #expect(throws: Refusal.noSuchCase(IDs.missing)) {
            try service.execute(.review(department: Departments.traffic), on: IDs.missing, metadata: meta("c1"))
        }
    }

    @Test("a step without a case id is refused")
    func missingTarget() {
        #expect(throws: Refusal.invalidValue(case: nil, field: "case id", problem: "is required")) {
            try service.execute(.review(department: Departments.traffic), on: nil, metadata: meta("c1"))
        }
    }

    @Test("crossing the threshold writes both events under one command")
    func qualifyingEndorsement() throws {
        let id = try filePetition("c1")
        let outcome = try service.execute(.endorse(count: 1000), on: id, metadata: meta("c2", at: march(6)))
        #expect(outcome.events.map(\.event) == [Events.endorsed(1000), Events.qualified(1000)])
        #expect(outcome.events.map(\.caseVersion) == [2, 3])
        #expect(outcome.events.map(\.commandID) == ["c2", "c2"])
        #expect(outcome.state.qualifiedAt == march(6))
    }

    @Test("referenced cases are read from the log")
    func referencesFromTheLog() throws {
        let original = try filePetition("c1", at: march(4))
        let repeated = try filePetition("c2", at: march(5))
        let outcome = try service.execute(.markDuplicate(of: original), on: repeated, metadata: meta("c3", at: march(6)))
        #expect(outcome.state.status == .duplicate)
        #expect(outcome.state.duplicateOf == original)
        // The original cannot in turn be closed as a duplicate of its duplicate.
        let refused = refusal {
            _ = try service.execute(.markDuplicate(of: repeated), on: original, metadata: meta("c4", at: march(6)))
        }
        #expect(problem(of: refused) == "is itself a duplicate of PET-2019-0001")
    }

    @Test("a proposal is filed against a session in the log")
    func proposalAgainstLoggedSession() throws {
        let session = try service.execute(
            .holdSession(SessionHeld(kind: .outreach, field: "기타", attendees: 25)), on: nil, metadata: meta("c1", at: march(2)))
        let proposal = try service.execute(
            .fileProposal(ProposalFiled(session: session.caseID, title: "경로당 냉방 지원")), on: nil,
            metadata: meta("c2", at: march(2, 11)))
        #expect(session.caseID == CaseID("SES-2019-001"))
        #expect(proposal.caseID == CaseID("PRO-2019-0001"))
        #expect(proposal.state.session == CaseID("SES-2019-001"))
    }
}
