import SinmungoCore
import Testing

@Suite("Creating cases")
struct CreationTests {
    let newPetition = CaseState(initial: IDs.petition)
    let newSession = CaseState(initial: CaseID("SES-2019-002"))
    let newProposal = CaseState(initial: IDs.proposal)
    let newRecord = CaseState(initial: IDs.record)

    @Test("a petition in one of the policy's categories is filed")
    func filePetition() throws {
        let filed = PetitionFiled(title: "신길동 보도 정비", category: "생활환경·교통안전", body: "보도블록 파손", petitioner: "홍길동")
        #expect(try decide(.filePetition(filed), on: newPetition) == [.petitionFiled(filed)])
    }

    @Test("a petition in a category the policy does not have is refused", arguments: ["기타", "", "도시 "])
    func petitionCategoryOutsidePolicy(_ category: String) {
        let refused = refusal {
            _ = try decide(.filePetition(PetitionFiled(title: "보도 정비", category: category)), on: newPetition)
        }
        #expect(invalidField(of: refused) == InvalidField(caseID: IDs.petition, field: "category"))
    }

    @Test("an empty or blank title is refused", arguments: ["", " ", "\t\n", "\u{3000}"])
    func blankTitle(_ title: String) {
        let emptyTitle = Refusal.invalidValue(case: IDs.petition, field: "title", problem: "must not be empty")
        #expect(throws: emptyTitle) {
            try decide(.filePetition(PetitionFiled(title: title, category: "도시")), on: newPetition)
        }
        #expect(throws: Refusal.invalidValue(case: IDs.proposal, field: "title", problem: "must not be empty")) {
            try decide(.fileProposal(ProposalFiled(session: IDs.session, title: title)), on: newProposal)
        }
        #expect(throws: Refusal.invalidValue(case: IDs.record, field: "title", problem: "must not be empty")) {
            try decide(.postRecord(RecordPosted(title: title)), on: newRecord)
        }
    }

    @Test(
        "a session is held in a field of its kind's list",
        arguments: [(SessionKind.outreach, "교육문화"), (.outreach, "기타"), (.townhall, "교육"), (.townhall, "구정전반")]
    )
    func holdSession(_ kind: SessionKind, _ field: String) throws {
        let held = SessionHeld(kind: kind, field: field, attendees: 0, theme: "주민 의견 청취", place: "구청 별관")
        #expect(try decide(.holdSession(held), on: newSession) == [.sessionHeld(held)])
    }

    @Test(
        "a session in a field of the other kind's list is refused",
        arguments: [(SessionKind.outreach, "교육"), (.outreach, "구정전반"), (.townhall, "교육문화"), (.townhall, "기타")]
    )
    func sessionFieldOfOtherKind(_ kind: SessionKind, _ field: String) {
        let refused = refusal {
            _ = try decide(.holdSession(SessionHeld(kind: kind, field: field, attendees: 10)), on: newSession)
        }
        #expect(invalidField(of: refused) == InvalidField(caseID: newSession.id, field: "field"))
        #expect(problem(of: refused)?.hasSuffix("not \(field)") == true)
    }

    @Test("a session with fewer than zero attendees is refused")
    func negativeAttendees() {
        #expect(throws: Refusal.invalidValue(case: newSession.id, field: "attendees", problem: "must be zero or more, not -1")) {
            try decide(.holdSession(SessionHeld(kind: .outreach, field: "기타", attendees: -1)), on: newSession)
        }
    }

    @Test("a proposal is filed at or after its session")
    func fileProposal() throws {
        let filed = ProposalFiled(session: IDs.session, title: "경로당 냉방 지원", category: "보건복지", proposer: "김영등")
        // The session was held at 10:00 on 1 March.
        #expect(try decide(.fileProposal(filed), on: newProposal, at: march(1)) == [.proposalFiled(filed)])
        #expect(try decide(.fileProposal(filed), on: newProposal, at: march(5)) == [.proposalFiled(filed)])
    }

    @Test("a proposal from a session that does not exist is refused")
    func proposalFromMissingSession() {
        let missing = CaseID("SES-2019-099")
        #expect(throws: Refusal.badReference(case: IDs.proposal, field: "session", reference: missing, problem: "does not exist"))
        {
            try decide(.fileProposal(ProposalFiled(session: missing, title: "경로당 냉방 지원")), on: newProposal)
        }
    }

    @Test("a proposal whose 'session' is a petition is refused")
    func proposalFromPetition() {
        let reference = IDs.earlierPetition
        #expect(
            throws: Refusal.badReference(
                case: IDs.proposal, field: "session", reference: reference, problem: "is a petition, not a session")
        ) {
            try decide(.fileProposal(ProposalFiled(session: reference, title: "경로당 냉방 지원")), on: newProposal)
        }
    }

    @Test("a proposal dated before its session is refused")
    func proposalBeforeSession() {
        let refused = refusal {
            _ = try decide(
                .fileProposal(ProposalFiled(session: IDs.session, title: "경로당 냉방 지원")), on: newProposal, at: march(1, 9, 59))
        }
        guard case .badReference(IDs.proposal, "session", IDs.session, let problem)? = refused else {
            Issue.record("expected a bad session reference, got \(String(describing: refused))")
            return
        }
        #expect(problem.hasPrefix("was held at 2019-03-01T10:00:00+09:00"))
    }

    @Test("a record about existing cases is posted")
    func postRecord() throws {
        let posted = RecordPosted(title: "3월 소통 기록", about: [IDs.earlierPetition, IDs.session])
        #expect(try decide(.postRecord(posted), on: newRecord) == [.recordPosted(posted)])
    }

    @Test("a record about a case that does not exist is refused")
    func recordAboutMissingCase() {
        let posted = RecordPosted(title: "3월 소통 기록", about: [IDs.earlierPetition, IDs.missing])
        #expect(throws: Refusal.badReference(case: IDs.record, field: "about", reference: IDs.missing, problem: "does not exist"))
        {
            try decide(.postRecord(posted), on: newRecord)
        }
    }

    @Test(
        "creating a case that already exists is refused",
        arguments: [
            CaseCommand.filePetition(PetitionFiled(title: "보도 정비", category: "도시")),
            .holdSession(SessionHeld(kind: .townhall, field: "안전", attendees: 12)),
            .fileProposal(ProposalFiled(session: IDs.session, title: "경로당 냉방 지원")),
            .postRecord(RecordPosted(title: "3월 소통 기록")),
        ]
    )
    func alreadyExists(_ command: CaseCommand) {
        // Whatever kind the existing case is: the id is taken.
        for existing in [fold(IDs.petition, Events.petitionFiled), fold(IDs.record, Events.recordPosted)] {
            #expect(throws: Refusal.alreadyExists(case: existing.id)) {
                try decide(command, on: existing)
            }
        }
    }
}

@Suite("Endorsements")
struct EndorsementTests {
    /// A petition filed at 10:00 on 4 March with `counts` endorsed on the following days.
    func petition(endorsed counts: Int...) -> CaseState {
        var state = fold(IDs.petition, Events.petitionFiled)
        for (offset, count) in counts.enumerated() {
            state.apply(Events.endorsed(count), occurredAt: march(5 + offset))
        }
        return state
    }

    @Test("an endorsement count below one is refused", arguments: [0, -1, -500])
    func countBelowOne(_ count: Int) {
        #expect(throws: Refusal.invalidValue(case: IDs.petition, field: "count", problem: "must be at least 1, not \(count)")) {
            try decide(.endorse(count: count), on: petition())
        }
    }

    @Test("endorsements below the threshold are only recorded")
    func belowThreshold() throws {
        #expect(try decide(.endorse(count: 9), on: petition(endorsed: 990)) == [.endorsed(Endorsed(count: 9))])
    }

    @Test(
        "crossing the threshold qualifies the petition with the total",
        arguments: [(990, 20, 1010), (0, 1500, 1500), (999, 1, 1000)])
    func crossing(_ before: Int, _ count: Int, _ total: Int) throws {
        let state = before == 0 ? petition() : petition(endorsed: before)
        #expect(
            try decide(.endorse(count: count), on: state) == [
                .endorsed(Endorsed(count: count)), .qualified(Qualified(endorsements: total)),
            ])
    }

    @Test("reaching exactly the threshold qualifies")
    func exactlyAtThreshold() throws {
        #expect(try decide(.endorse(count: 10), on: petition(endorsed: 990)) == [Events.endorsed(10), Events.qualified(1000)])
    }

    @Test("an already qualified petition only records further endorsements")
    func alreadyQualified() throws {
        var state = petition(endorsed: 1200)
        state.apply(Events.qualified(1200), occurredAt: march(5))
        #expect(try decide(.endorse(count: 5), on: state) == [Events.endorsed(5)])
    }

    @Test("totals accumulate across endorsement events")
    func accumulate() throws {
        let state = petition(endorsed: 400, 300, 250)
        #expect(state.endorsements == 950)
        #expect(try decide(.endorse(count: 49), on: state) == [Events.endorsed(49)])
        #expect(try decide(.endorse(count: 50), on: state) == [Events.endorsed(50), Events.qualified(1000)])
    }

    @Test("endorsements count to the end of the 30th day after filing, the filing day not counted")
    func lastSecondOfWindow() throws {
        // Filed on 4 March: day 30 is 3 April, a Wednesday, so the window ends at 23:59:59 that day.
        let lastSecond = Instant(kst: CivilDate(year: 2019, month: 4, day: 3)!, hour: 23, minute: 59, second: 59)
        #expect(try decide(.endorse(count: 3), on: petition(), at: lastSecond) == [Events.endorsed(3)])
        // Thirty times 24 hours after filing (10:00 on 3 April) is still inside the window.
        #expect(try decide(.endorse(count: 3), on: petition(), at: march(4).adding(seconds: 30 * 86_400)) == [Events.endorsed(3)])
    }

    @Test("an endorsement after the last day of the window is refused", arguments: [1, 86_400 * 10])
    func afterWindow(_ secondsAfterClosing: Int64) {
        let closes = Instant(kst: CivilDate(year: 2019, month: 4, day: 3)!, hour: 23, minute: 59, second: 59)
        let refused = refusal {
            _ = try decide(.endorse(count: 1), on: petition(), at: closes.adding(seconds: secondsAfterClosing))
        }
        #expect(invalidField(of: refused) == InvalidField(caseID: IDs.petition, field: "endorsement window"))
    }
}

@Suite("Answers")
struct AnswerTests {
    let reviewed = fold(IDs.petition, Events.petitionFiled, Events.reviewed)

    var qualifiedReviewed: CaseState {
        fold(IDs.petition, Events.petitionFiled, Events.endorsed(1000), Events.qualified(1000), Events.reviewed)
    }

    @Test("a qualified petition answered by the department is refused")
    func qualifiedByDepartment() {
        let mustBeMayor = Refusal.invalidValue(
            case: IDs.petition, field: "by", problem: "must be mayor: the petition qualified for a mayoral answer")
        #expect(throws: mustBeMayor) {
            try decide(.answer(summary: "예산 반영", by: .department), on: qualifiedReviewed)
        }
    }

    @Test("a qualified petition is answered by the mayor, by default or when named")
    func qualifiedByMayor() throws {
        for by in [nil, Answerer.mayor] {
            #expect(
                try decide(.answer(summary: "예산 반영", by: by), on: qualifiedReviewed) == [
                    .answered(Answered(summary: "예산 반영", by: .mayor))
                ])
        }
    }

    @Test("an unqualified case is answered by the department unless someone else is named")
    func unqualified() throws {
        let proposal = fold(IDs.proposal, Events.proposalFiled, Events.reviewed)
        for state in [reviewed, proposal] {
            #expect(
                try decide(.answer(summary: "검토 중", by: nil), on: state) == [
                    .answered(Answered(summary: "검토 중", by: .department))
                ])
            #expect(
                try decide(.answer(summary: "검토 중", by: .mayor), on: state) == [.answered(Answered(summary: "검토 중", by: .mayor))])
        }
    }

    @Test("an answer with an empty summary is refused")
    func emptySummary() {
        #expect(throws: Refusal.invalidValue(case: IDs.petition, field: "summary", problem: "must not be empty")) {
            try decide(.answer(summary: "  ", by: nil), on: reviewed)
        }
    }
}

@Suite("Duplicates")
struct DuplicateTests {
    let petition = fold(IDs.petition, Events.petitionFiled)

    func markDuplicate(of original: CaseID, related: [CaseState] = Related.all) throws -> [CaseEvent] {
        try decide(.markDuplicate(of: original), on: petition, related: related)
    }

    @Test("a duplicate of an earlier case of the same kind is recorded")
    func ofEarlier() throws {
        #expect(try markDuplicate(of: IDs.earlierPetition) == [.markedDuplicate(MarkedDuplicate(of: CaseID("PET-2019-0001")))])
    }

    @Test("a duplicate of itself is refused")
    func ofItself() {
        #expect(
            throws: Refusal.badReference(case: IDs.petition, field: "of", reference: IDs.petition, problem: "is the case itself")
        ) {
            try markDuplicate(of: IDs.petition, related: Related.all + [petition])
        }
    }

    @Test("a duplicate of a case that does not exist is refused")
    func ofMissing() {
        #expect(throws: Refusal.badReference(case: IDs.petition, field: "of", reference: IDs.missing, problem: "does not exist"))
        {
            try markDuplicate(of: IDs.missing)
        }
    }

    @Test("a duplicate of a case of another kind is refused")
    func ofOtherKind() {
        #expect(
            throws: Refusal.badReference(
                case: IDs.petition, field: "of", reference: IDs.earlierProposal, problem: "is a proposal, not a petition")
        ) {
            try markDuplicate(of: IDs.earlierProposal)
        }
    }

    @Test("a duplicate of a case that is itself a duplicate is refused")
    func ofDuplicate() {
        let first = CaseID("PET-2019-0000")
        let closed = fold(IDs.earlierPetition, from: march(1), Events.petitionFiled, Events.duplicate(of: first))
        #expect(
            throws: Refusal.badReference(
                case: IDs.petition, field: "of", reference: IDs.earlierPetition, problem: "is itself a duplicate of PET-2019-0000"
            )
        ) {
            try markDuplicate(of: IDs.earlierPetition, related: [closed])
        }
    }

    @Test("a duplicate of a case filed later is refused: the first received wins")
    func ofLater() {
        let later = fold(CaseID("PET-2019-0003"), from: march(5), Events.petitionFiled)
        #expect(
            throws: Refusal.badReference(
                case: IDs.petition, field: "of", reference: later.id,
                problem: "was filed after PET-2019-0002; the earlier case is the original")
        ) {
            try markDuplicate(of: later.id, related: [later])
        }
    }

    @Test("between cases filed at the same moment, the lower id is the original")
    func sameMoment() throws {
        let lower = fold(CaseID("PET-2019-0001"), from: march(4), Events.petitionFiled)
        let higher = fold(CaseID("PET-2019-0003"), from: march(4), Events.petitionFiled)
        #expect(try markDuplicate(of: lower.id, related: [lower]) == [Events.duplicate(of: lower.id)])
        let refused = refusal { _ = try markDuplicate(of: higher.id, related: [higher]) }
        #expect(problem(of: refused) == "was filed after PET-2019-0002; the earlier case is the original")
    }
}

@Suite("Transfers")
struct TransferTests {
    let reviewed = fold(IDs.petition, Events.petitionFiled, Events.reviewed)

    @Test("a transfer to the department already responsible is refused")
    func sameDepartment() {
        #expect(throws: Refusal.invalidValue(case: IDs.petition, field: "department", problem: "is already 교통행정과")) {
            try decide(.transfer(Transferred(department: "교통행정과")), on: reviewed)
        }
    }

    @Test("after a transfer the case can be transferred back")
    func transferBack() throws {
        let transferred = reviewed.applying(.transferred(Transferred(department: Departments.urban)), occurredAt: march(10))
        #expect(
            try decide(.transfer(Transferred(department: Departments.traffic)), on: transferred) == [
                .transferred(Transferred(department: "교통행정과"))
            ])
        #expect(throws: Refusal.invalidValue(case: IDs.petition, field: "department", problem: "is already 도시계획과")) {
            try decide(.transfer(Transferred(department: Departments.urban)), on: transferred)
        }
    }

    @Test("a transfer or review to a blank department is refused")
    func blankDepartment() {
        #expect(throws: Refusal.invalidValue(case: IDs.petition, field: "department", problem: "must not be empty")) {
            try decide(.transfer(Transferred(department: " ")), on: reviewed)
        }
        #expect(throws: Refusal.invalidValue(case: IDs.petition, field: "department", problem: "must not be empty")) {
            try decide(.review(department: ""), on: fold(IDs.petition, Events.petitionFiled))
        }
    }
}

@Suite("Business time")
struct BusinessTimeTests {
    /// Filed on 4 March, reviewed on 5 March.
    let reviewed = fold(IDs.petition, Events.petitionFiled, Events.reviewed)

    @Test("a step dated before the case's previous step is refused")
    func outOfOrder() {
        let early = march(5, 9, 59)
        #expect(throws: Refusal.outOfOrder(case: IDs.petition, step: .visited, occurredAt: early, previous: march(5))) {
            try decide(.visit(Visited(place: "당산역")), on: reviewed, at: early)
        }
    }

    @Test("a step dated at the same moment as the previous step is allowed")
    func sameMomentAsPrevious() throws {
        #expect(try decide(.visit(Visited(place: "당산역")), on: reviewed, at: march(5)) == [.visited(Visited(place: "당산역"))])
    }

    @Test("a step dated after now is refused, for new and existing cases")
    func inTheFuture() {
        let later = march(20, 11)
        let now = march(20, 10)
        #expect(throws: Refusal.inTheFuture(case: IDs.petition, occurredAt: later, now: now)) {
            try decide(.visit(Visited(place: "당산역")), on: reviewed, at: later, now: now)
        }
        #expect(throws: Refusal.inTheFuture(case: IDs.record, occurredAt: later, now: now)) {
            try decide(.postRecord(RecordPosted(title: "기록")), on: CaseState(initial: IDs.record), at: later, now: now)
        }
    }

    @Test("a step dated exactly now is allowed")
    func exactlyNow() throws {
        #expect(try decide(.withdraw(Withdrawn()), on: reviewed, at: march(20), now: march(20)) == [.withdrawn(Withdrawn())])
    }
}

@Suite("Statutory extension")
struct ExtensionTests {
    let reviewed = fold(IDs.petition, Events.petitionFiled, Events.reviewed)

    @Test("an extension of up to the policy's 60 days is recorded", arguments: [1, 60])
    func withinLimit(_ days: Int) throws {
        let extending = Extended(days: days, reason: "관계 기관 협의")
        #expect(try decide(.extend(extending), on: reviewed) == [.extended(extending)])
    }

    @Test("an extension of fewer than 1 or more than 60 days is refused", arguments: [0, -3, 61])
    func outOfRange(_ days: Int) {
        let refused = refusal { _ = try decide(.extend(Extended(days: days, reason: "협의")), on: reviewed) }
        #expect(invalidField(of: refused) == InvalidField(caseID: IDs.petition, field: "days"))
    }

    @Test("an extension without a reason is refused")
    func blankReason() {
        #expect(throws: Refusal.invalidValue(case: IDs.petition, field: "reason", problem: "must not be empty")) {
            try decide(.extend(Extended(days: 10, reason: " ")), on: reviewed)
        }
    }

    @Test("a second extension is refused: the law allows one")
    func onlyOnce() {
        let extended = reviewed.applying(.extended(Extended(days: 10, reason: "협의")), occurredAt: march(10))
        let refused = refusal { _ = try decide(.extend(Extended(days: 5, reason: "추가 협의")), on: extended) }
        #expect(invalidField(of: refused) == InvalidField(caseID: IDs.petition, field: "extension"))
    }
}
