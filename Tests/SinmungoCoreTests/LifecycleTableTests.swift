import SinmungoCore
import Testing

/// A case of one kind in one status, reached by folding the events that lead there.
struct Situation: Sendable, CustomTestStringConvertible {
    let kind: CaseKind?
    let status: CaseStatus?
    let state: CaseState

    var testDescription: String {
        guard let kind, let status else { return "no such case" }
        return "\(status) \(kind)"
    }

    static let noCase = Situation(kind: nil, status: nil, state: CaseState(initial: IDs.missing))

    /// The eight statuses a petition or a proposal can be in.
    static func casework(_ kind: CaseKind) -> [Situation] {
        let id = kind == .petition ? IDs.petition : IDs.proposal
        let filed = kind == .petition ? Events.petitionFiled : Events.proposalFiled
        let original = kind == .petition ? IDs.earlierPetition : IDs.earlierProposal
        func at(_ status: CaseStatus, _ events: CaseEvent...) -> Situation {
            var state = CaseState(initial: id)
            for (offset, event) in ([filed] + events).enumerated() {
                state.apply(event, occurredAt: march(4 + offset))
            }
            return Situation(kind: kind, status: status, state: state)
        }
        return [
            at(.filed),
            at(.reviewed, Events.reviewed),
            at(.visited, Events.reviewed, Events.visited),
            at(.answered, Events.reviewed, Events.visited, Events.answered),
            at(.reflected, Events.reviewed, Events.visited, Events.answered, Events.reflected),
            at(.declined, Events.declined),
            at(.withdrawn, Events.reviewed, Events.withdrawn),
            at(.duplicate, Events.duplicate(of: original)),
        ]
    }

    static let all: [Situation] =
        [noCase] + casework(.petition) + casework(.proposal) + [
            Situation(kind: .session, status: .held, state: fold(CaseID("SES-2019-002"), Events.sessionHeld)),
            Situation(kind: .record, status: .posted, state: fold(IDs.record, Events.recordPosted)),
        ]
}

/// The steps an officer can command on an existing case.
enum Step: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case review, decline, visit, answer, reflect, transfer, withdraw, markDuplicate, endorse, extend

    var testDescription: String { rawValue }

    var eventType: EventType {
        switch self {
        case .review: .reviewed
        case .decline: .declined
        case .visit: .visited
        case .answer: .answered
        case .reflect: .reflected
        case .transfer: .transferred
        case .withdraw: .withdrawn
        case .markDuplicate: .markedDuplicate
        case .endorse: .endorsed
        case .extend: .extended
        }
    }

    /// A valid command for the step; a duplicate points at an earlier case of the same kind.
    func command(for kind: CaseKind?) -> CaseCommand {
        switch self {
        case .review: .review(department: Departments.traffic)
        case .decline: .decline(ground: .privateMatter, reason: "사인 간 분쟁")
        case .visit: .visit(Visited(place: "영등포로 12", with: ["ydp-0413"]))
        case .answer: .answer(summary: "검토 결과를 알려드립니다", by: nil)
        case .reflect: .reflect(Reflected(outcome: .partlyAdopted, policy: "2020 보행환경 개선사업"))
        case .transfer: .transfer(Transferred(department: Departments.urban, reason: "소관 변경"))
        case .withdraw: .withdraw(Withdrawn())
        case .markDuplicate: .markDuplicate(of: original(for: kind))
        case .endorse: .endorse(count: 10)
        case .extend: .extend(Extended(days: 30, reason: "현장 조사 필요"))
        }
    }

    /// What the command records where it is allowed.
    func expectedEvents(for kind: CaseKind?) -> [CaseEvent] {
        switch self {
        case .review: [.reviewed(Reviewed(department: "교통행정과"))]
        case .decline: [.declined(Declined(ground: .privateMatter, reason: "사인 간 분쟁"))]
        case .visit: [.visited(Visited(place: "영등포로 12", with: ["ydp-0413"]))]
        case .answer: [.answered(Answered(summary: "검토 결과를 알려드립니다", by: .department))]
        case .reflect: [.reflected(Reflected(outcome: .partlyAdopted, policy: "2020 보행환경 개선사업"))]
        case .transfer: [.transferred(Transferred(department: "도시계획과", reason: "소관 변경"))]
        case .withdraw: [.withdrawn(Withdrawn())]
        case .markDuplicate: [.markedDuplicate(MarkedDuplicate(of: original(for: kind)))]
        case .endorse: [.endorsed(Endorsed(count: 10))]
        case .extend: [.extended(Extended(days: 30, reason: "현장 조사 필요"))]
        }
    }

    private func original(for kind: CaseKind?) -> CaseID {
        kind == .proposal ? IDs.earlierProposal : IDs.earlierPetition
    }
}

struct Allowed: Sendable {
    let kinds: [CaseKind]
    let from: [CaseStatus]
}

/// Where each step is allowed, written out from the issue (not read from `Lifecycle.rule`).
let allowedSteps: [Step: Allowed] = [
    .review: Allowed(kinds: [.petition, .proposal], from: [.filed]),
    .decline: Allowed(kinds: [.petition, .proposal], from: [.filed]),
    .visit: Allowed(kinds: [.petition, .proposal], from: [.reviewed, .visited]),
    .answer: Allowed(kinds: [.petition, .proposal], from: [.reviewed, .visited]),
    .reflect: Allowed(kinds: [.petition, .proposal], from: [.answered]),
    .transfer: Allowed(kinds: [.petition, .proposal], from: [.reviewed, .visited]),
    .withdraw: Allowed(kinds: [.petition, .proposal], from: [.filed, .reviewed, .visited]),
    .markDuplicate: Allowed(kinds: [.petition, .proposal], from: [.filed, .reviewed]),
    .endorse: Allowed(kinds: [.petition], from: [.filed, .reviewed, .visited]),
    // Not in the list (added with the deadline clock): a petition's statutory period
    // is extended while it is being processed.
    .extend: Allowed(kinds: [.petition], from: [.reviewed, .visited]),
]

@Suite("Lifecycle table: every step from every kind and status")
struct LifecycleTableTests {
    @Test("the step is allowed exactly where the table says, refused otherwise", arguments: Situation.all, Step.allCases)
    func step(_ situation: Situation, _ step: Step) throws {
        let allowed = try #require(allowedSteps[step])
        let state = situation.state
        let command = step.command(for: situation.kind)
        // Dated 20 March: after every fixture event, and inside the endorsement window.
        let decision = { _ = try decide(command, on: state, at: march(20)) }

        guard let kind = situation.kind, let status = situation.status else {
            #expect(throws: Refusal.noSuchCase(IDs.missing), performing: decision)
            return
        }
        if !allowed.kinds.contains(kind) {
            #expect(
                throws: Refusal.wrongKind(case: state.id, kind: kind, step: step.eventType, allowedKinds: allowed.kinds),
                performing: decision
            )
        } else if !allowed.from.contains(status) {
            #expect(
                throws: Refusal.illegalStep(
                    case: state.id, kind: kind, status: status, step: step.eventType, allowedFrom: allowed.from),
                performing: decision
            )
        } else {
            #expect(try decide(command, on: state, at: march(20)) == step.expectedEvents(for: kind))
        }
    }

    @Test("each situation's folded state is the kind and status it is named for", arguments: Situation.all)
    func situationIsWhatItSays(_ situation: Situation) {
        #expect(situation.state.kind == situation.kind)
        #expect(situation.state.status == situation.status)
        #expect(situation.state.exists == (situation.kind != nil))
    }

    @Test("the table has a step for every event type an officer commands on an existing case")
    func tableCoversEveryStep() {
        let commanded = Set(Step.allCases.map(\.eventType))
        // Qualified follows from endorsements, corrections apply everywhere and erasure depends
        // on the personal data held: all three are tested apart.
        // Roster events belong to no case: RosterTests covers them. Sending a case to another
        // office takes two offices' chains: OfficeTransferTests covers it on PostgreSQL.
        let expected = Set(EventType.allCases.filter { !$0.createsCase && !$0.isRoster }).subtracting([
            .qualified, .corrected, .personalDataErased, .erasureRequested, .erasureDeclined, .sentToOffice,
        ])
        #expect(commanded == expected)
        #expect(Set(allowedSteps.keys) == Set(Step.allCases))
    }

    @Test("qualified may follow only an open petition", arguments: Situation.all)
    func qualified(_ situation: Situation) throws {
        let state = situation.state
        let check = {
            try Lifecycle.check(Events.qualified(1000), occurredAt: march(20), on: state) { CaseState(initial: $0) }
        }
        switch (situation.kind, situation.status) {
        case (nil, _), (_, nil):
            #expect(throws: Refusal.noSuchCase(state.id), performing: check)
        case (.petition, .filed), (.petition, .reviewed), (.petition, .visited):
            try check()
        case (.petition, let status?):
            #expect(
                throws: Refusal.illegalStep(
                    case: state.id, kind: .petition, status: status, step: .qualified, allowedFrom: [.filed, .reviewed, .visited]),
                performing: check
            )
        case (let kind?, _):
            #expect(
                throws: Refusal.wrongKind(case: state.id, kind: kind, step: .qualified, allowedKinds: [.petition]),
                performing: check)
        }
    }

    @Test("a correction is allowed for every kind in every status", arguments: Situation.all)
    func correction(_ situation: Situation) throws {
        let correction =
            situation.kind == .session
            ? Corrected(field: .attendees, value: "45", reason: "참석자 명부 재확인")
            : Corrected(field: .title, value: "당산역 승강기 설치 건의", reason: "오타")
        let decision = { try decide(.correct(correction), on: situation.state, at: march(20)) }
        if situation.kind == nil {
            #expect(throws: Refusal.noSuchCase(IDs.missing)) { _ = try decision() }
        } else {
            #expect(try decision() == [.corrected(correction)])
        }
    }

    @Test("a correction of a field the kind does not have is refused")
    func correctionOfForeignField() {
        let petition = fold(IDs.petition, Events.petitionFiled)
        let refused = refusal { _ = try decide(.correct(Corrected(field: .attendees, value: "3", reason: "r")), on: petition) }
        #expect(invalidField(of: refused) == InvalidField(caseID: IDs.petition, field: "field"))
    }
}
