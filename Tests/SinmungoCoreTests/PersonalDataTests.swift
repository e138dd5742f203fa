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

    static let retentionOver = Instant(kst: CivilDate(year: 2030, month: 1, day: 1)!, hour: 9)
    static let retentionRunning = Instant(kst: CivilDate(year: 2029, month: 12, day: 31)!, hour: 17)

    @Test("closed cases are erased once retention ends, open ones never on that ground", arguments: sealedSituations)
    func erasableOnceRetentionHasEnded(_ state: CaseState) throws {
        #expect(state.personalData == .sealed(person: "person-1"))
        let erase = CaseCommand.erasePersonalData(reason: "보존기간 경과")
        guard let status = state.status, status.isClosed else {
            let refused = #expect(throws: Refusal.self) { _ = try decide(erase, on: state, at: Self.retentionOver) }
            #expect(refused?.description.contains("its records are kept until the retention period after closing ends") == true)
            return
        }
        // Closed in March 2019: petitions and proposals are kept 10 years from 1 January 2020.
        let refused = #expect(throws: Refusal.self) { _ = try decide(erase, on: state, at: Self.retentionRunning) }
        #expect(refused?.description.contains("ends on 2030-01-01") == true)
        #expect(refused?.description.contains("개인정보 보호법 §36") == true)
        // Asking destroys nothing; a privacy officer's approval does.
        let asked = try decide(erase, on: state, at: Self.retentionOver)
        #expect(asked == [.erasureRequested(ErasureRequested(person: "person-1", reason: "보존기간 경과"))])
        let requested = state.applying(asked[0], occurredAt: Self.retentionOver)
        #expect(requested.personalData == .sealed(person: "person-1"))
        let events = try decide(.approveErasure, on: requested, at: Self.retentionOver)
        #expect(events == [.personalDataErased(PersonalDataErased(person: "person-1", reason: "보존기간 경과"))])
        let after = requested.applying(events[0], occurredAt: Self.retentionOver)
        #expect(after.personalData == .erased(person: "person-1"))
        // Erasure changes neither the status nor anything the counts read.
        #expect(after.status == state.status)
    }

    @Test("the data subject's request erases a closed or withdrawn case, never an open one", arguments: sealedSituations)
    func erasableOnRequestOnceClosed(_ state: CaseState) throws {
        let erase = CaseCommand.erasePersonalData(reason: "정보주체 삭제 요구", request: "개인정보-2019-0042")
        guard let status = state.status, status.isClosed else {
            #expect(
                throws: Refusal.invalidValue(
                    case: state.id, field: "erasure",
                    problem:
                        "on the data subject's request (개인정보 보호법 §36) needs the case closed or withdrawn first; it is \(state.status!)"
                )
            ) { _ = try decide(erase, on: state, at: march(28)) }
            return
        }
        let events = try decide(erase, on: state, at: march(28))
        #expect(
            events == [
                .erasureRequested(
                    ErasureRequested(person: "person-1", reason: "정보주체 삭제 요구", request: "개인정보-2019-0042"))
            ])
        let approved = try decide(.approveErasure, on: state.applying(events[0], occurredAt: march(28)), at: march(28))
        #expect(
            approved == [
                .personalDataErased(
                    PersonalDataErased(person: "person-1", reason: "정보주체 삭제 요구", request: "개인정보-2019-0042"))
            ])
        #expect(
            throws: Refusal.invalidValue(
                case: state.id, field: "request", problem: "must name the data subject's request (e.g. its receipt number)")
        ) {
            _ = try decide(.erasePersonalData(reason: "요구", request: " "), on: state, at: march(28))
        }
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
        let withdrawn = fold(IDs.petition, Self.sealedPetition, Events.withdrawn)
        #expect(throws: Refusal.invalidValue(case: IDs.petition, field: "reason", problem: "must not be empty")) {
            _ = try decide(.erasePersonalData(reason: " ", request: "개인정보-2019-0042"), on: withdrawn, at: march(28))
        }
    }

    @Test("an erasure is approved or declined only once asked for, and asked for once at a time")
    func approvalFollowsARequest() throws {
        let withdrawn = fold(IDs.petition, Self.sealedPetition, Events.withdrawn)
        #expect(throws: Refusal.self) { _ = try decide(.approveErasure, on: withdrawn, at: march(28)) }
        #expect(throws: Refusal.self) { _ = try decide(.declineErasure(reason: "보존 필요"), on: withdrawn, at: march(28)) }
        let ask = CaseCommand.erasePersonalData(reason: "요구", request: "개인정보-2019-0042")
        let requested = withdrawn.applying(try decide(ask, on: withdrawn, at: march(28))[0], occurredAt: march(28))
        #expect(throws: Refusal.self) { _ = try decide(ask, on: requested, at: march(28)) }
        let declined = try decide(.declineErasure(reason: "수사 중인 사건"), on: requested, at: march(28))
        #expect(declined == [.erasureDeclined(ErasureDeclined(reason: "수사 중인 사건"))])
        let after = requested.applying(declined[0], occurredAt: march(28))
        #expect(after.pendingErasure == nil)
        #expect(after.personalData == .sealed(person: "person-1"))
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
