import SinmungoCore
import Testing

@Suite("Evolve: CaseState as the fold of its events")
struct CaseStateTests {
    @Test("a case nobody filed does not exist and has no kind, status or version")
    func initial() {
        let state = CaseState(initial: IDs.missing)
        #expect(!state.exists)
        #expect(state.kind == nil)
        #expect(state.status == nil)
        #expect(state.version == 0)
        #expect(state.filedAt == nil)
        #expect(state.lastOccurredAt == nil)
    }

    @Test("a petition's history gives its status, version, department, endorsements and qualification")
    func petitionHistory() {
        let state = fold(
            IDs.petition,
            Events.petitionFiled,  // 4 March
            Events.endorsed(600),  // 5 March
            Events.endorsed(500),  // 6 March
            Events.qualified(1100),  // 7 March
            Events.reviewed,  // 8 March
            .transferred(Transferred(department: Departments.urban)),  // 9 March
            Events.visited,  // 10 March
            .answered(Answered(summary: "예산 반영", by: .mayor))  // 11 March
        )
        #expect(state.exists)
        #expect(state.kind == .petition)
        #expect(state.status == .answered)
        #expect(state.version == 8)
        #expect(state.department == "도시계획과")
        #expect(state.endorsements == 1100)
        #expect(state.isQualified)
        #expect(state.qualifiedAt == march(7))
        #expect(state.filedAt == march(4))
        #expect(state.lastOccurredAt == march(11))
    }

    @Test("an extension and an answer are remembered with their days and time")
    func extensionAndAnswer() {
        let state = fold(
            IDs.petition, Events.petitionFiled, Events.reviewed, .extended(Extended(days: 45, reason: "협의")), Events.answered)
        #expect(state.extensionDays == 45)
        #expect(state.answeredAt == march(7))
        #expect(state.status == .answered)
        #expect(fold(IDs.petition, Events.petitionFiled).extensionDays == nil)
    }

    @Test("a transfer changes the department but not the status", arguments: [CaseStatus.reviewed, .visited])
    func transferKeepsStatus(_ status: CaseStatus) {
        let before =
            status == .reviewed
            ? fold(IDs.petition, Events.petitionFiled, Events.reviewed)
            : fold(IDs.petition, Events.petitionFiled, Events.reviewed, Events.visited)
        let after = before.applying(.transferred(Transferred(department: Departments.urban)), occurredAt: march(20))
        #expect(after.status == status)
        #expect(after.department == "도시계획과")
        #expect(after.version == before.version + 1)
    }

    @Test("a proposal remembers its session; a duplicate remembers its original")
    func references() {
        let proposal = fold(IDs.proposal, Events.proposalFiled, Events.duplicate(of: IDs.earlierProposal))
        #expect(proposal.kind == .proposal)
        #expect(proposal.session == IDs.session)
        #expect(proposal.status == .duplicate)
        #expect(proposal.duplicateOf == CaseID("PRO-2019-0001"))
    }

    @Test(
        "each creation event sets the kind and first status",
        arguments: [
            (Events.petitionFiled, CaseKind.petition, CaseStatus.filed),
            (Events.sessionHeld, .session, .held),
            (Events.proposalFiled, .proposal, .filed),
            (Events.recordPosted, .record, .posted),
        ]
    )
    func creation(_ event: CaseEvent, _ kind: CaseKind, _ status: CaseStatus) {
        let state = CaseState(initial: CaseID("X-1")).applying(event, occurredAt: march(4, 15))
        #expect(state.kind == kind)
        #expect(state.status == status)
        #expect(state.version == 1)
        #expect(state.filedAt == march(4, 15))
    }

    @Test("evolve applies events the rules would refuse: the log is the truth")
    func neverChecks() {
        // An answer straight after filing skips review; the fold records it anyway.
        let answered = fold(IDs.petition, Events.petitionFiled).applying(Events.answered, occurredAt: march(5))
        #expect(answered.status == .answered)
        #expect(answered.version == 2)

        // A step on a case that was never filed: counted, but the case has no kind.
        let orphan = CaseState(initial: IDs.missing).applying(Events.reviewed, occurredAt: march(5))
        #expect(orphan.version == 1)
        #expect(orphan.status == .reviewed)
        #expect(orphan.kind == nil)

        // Endorsements past a closed case still add up.
        let withdrawn = fold(IDs.petition, Events.petitionFiled, Events.withdrawn, Events.endorsed(7))
        #expect(withdrawn.status == .withdrawn)
        #expect(withdrawn.endorsements == 7)
    }

    @Test("an event dated before the latest one does not move lastOccurredAt back")
    func lastOccurredAtIsTheLatest() {
        let state = fold(IDs.petition, Events.petitionFiled, Events.reviewed)  // 4 and 5 March
            .applying(Events.visited, occurredAt: march(1))
        #expect(state.lastOccurredAt == march(5))
        #expect(state.status == .visited)
        #expect(state.version == 3)
    }

    @Test("replaying recorded events gives the same state as folding the events")
    func replaying() {
        let history: [(CaseEvent, Instant)] = [
            (Events.petitionFiled, march(4)), (Events.endorsed(20), march(5)), (Events.reviewed, march(6)),
        ]
        let recorded = history.enumerated().map { offset, entry in
            RecordedEvent(
                sequence: Int64(offset + 1), caseID: IDs.petition, caseVersion: offset + 1, occurredAt: entry.1,
                recordedAt: march(20), actor: "ydp-0412", commandID: "c\(offset)", event: entry.0)
        }
        let replayed = CaseState(id: IDs.petition, replaying: recorded)
        #expect(replayed == fold(IDs.petition, Events.petitionFiled, Events.endorsed(20), Events.reviewed))
        #expect(replayed.version == 3)
        #expect(replayed.endorsements == 20)
        #expect(replayed.department == "교통행정과")
    }
}
