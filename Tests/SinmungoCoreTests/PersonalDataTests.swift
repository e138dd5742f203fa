import SinmungoCore
import Testing

@Suite("Erasing personal data")
struct PersonalDataTests {
    static let sealed = SealedPersonalData(person: "person-1", box: "Ym94")
    static let sealedPetition = CaseEvent.petitionFiled(
        PetitionFiled(title: "당산역 엘리베이터 설치 건의", category: "도시", personal: .sealed(sealed)))
    static let sealedProposal = CaseEvent.proposalFiled(
        ProposalFiled(session: IDs.session, title: "경로당 냉방 지원", personal: .sealed(sealed)))

    /// Every status a petition can be in, its personal data sealed.
    static let sealedSituations: [CaseState] = [
        fold(IDs.petition, sealedPetition),
        fold(IDs.petition, sealedPetition, Events.reviewed),
        fold(IDs.petition, sealedPetition, Events.reviewed, Events.visited, Events.answered),
        fold(IDs.petition, sealedPetition, Events.reviewed, Events.visited, Events.answered, Events.reflected),
        fold(IDs.petition, sealedPetition, Events.declined),
        fold(IDs.petition, sealedPetition, Events.withdrawn),
        fold(IDs.proposal, sealedProposal, Events.reviewed),
    ]

    @Test("sealed data can be erased in every status, closed or not, naming its person", arguments: sealedSituations)
    func erasableInEveryStatus(_ state: CaseState) throws {
        #expect(state.personalData == .sealed(person: "person-1"))
        let events = try decide(.erasePersonalData(reason: "보존기간 경과"), on: state, at: march(28))
        #expect(events == [.personalDataErased(PersonalDataErased(person: "person-1", reason: "보존기간 경과"))])
        #expect(state.applying(events[0], occurredAt: march(28)).personalData == .erased(person: "person-1"))
        // Erasure changes neither the status nor anything the counts read.
        #expect(state.applying(events[0], occurredAt: march(28)).status == state.status)
    }

    @Test
    func nothingToEraseIsRefusedWithTheReason() throws {
        let none = fold(IDs.petition, Events.petitionFiled)
        let legacy = fold(
            IDs.petition,
            .petitionFiled(PetitionFiled(title: "보도", category: "도시", personal: .legacy(PersonalData(name: "홍길동")))))
        let erased = fold(
            IDs.petition, Self.sealedPetition, .personalDataErased(PersonalDataErased(person: "person-1", reason: "요청")))
        for (state, problem) in [
            (none, "was never recorded"), (erased, "was already erased"),
            (legacy, "was recorded before encryption, in the log itself, and cannot be erased from it"),
        ] {
            #expect(throws: Refusal.invalidValue(case: IDs.petition, field: "personal data", problem: problem)) {
                _ = try decide(.erasePersonalData(reason: "요청"), on: state, at: march(28))
            }
        }
        #expect(throws: Refusal.noSuchCase(IDs.missing)) {
            _ = try decide(.erasePersonalData(reason: "요청"), on: CaseState(initial: IDs.missing))
        }
    }

    @Test
    func anErasureMustNameTheCasesPersonAndGiveAReason() throws {
        let state = fold(IDs.petition, Self.sealedPetition)
        #expect(
            throws: Refusal.invalidValue(case: IDs.petition, field: "person", problem: "someone-else is not this case's person")
        ) {
            try Lifecycle.check(
                .personalDataErased(PersonalDataErased(person: "someone-else", reason: "요청")), occurredAt: march(28), on: state
            ) { CaseState(initial: $0) }
        }
        #expect(throws: Refusal.invalidValue(case: IDs.petition, field: "reason", problem: "must not be empty")) {
            _ = try decide(.erasePersonalData(reason: " "), on: state, at: march(28))
        }
    }

    @Test
    func aSessionHasNoPersonToErase() {
        #expect(
            throws: Refusal.wrongKind(
                case: IDs.session, kind: .session, step: .personalDataErased, allowedKinds: [.petition, .proposal])
        ) {
            _ = try decide(.erasePersonalData(reason: "요청"), on: Related.session, at: march(28))
        }
    }

    @Test("retention counts whole years from 1 January after closing; nil keeps a series for good")
    func retentionExpiry() {
        let schedule = RetentionSchedule(petition: 10, proposal: 3, session: 30, record: nil)
        let closed = CivilDate(year: 2019, month: 12, day: 31)!
        #expect(schedule.expiry(of: .petition, closedOn: closed) == CivilDate(year: 2030, month: 1, day: 1))
        #expect(
            schedule.expiry(of: .proposal, closedOn: CivilDate(year: 2019, month: 1, day: 1)!)
                == CivilDate(year: 2023, month: 1, day: 1))
        #expect(schedule.expiry(of: .record, closedOn: closed) == nil)
    }
}
