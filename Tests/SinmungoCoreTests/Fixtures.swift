import SinmungoCore
import Testing

// Shared givens: the cases, events and times the domain tests start from.

/// KST wall-clock time on a day of March 2019, the month the fixture cases are filed in.
func march(_ day: Int, _ hour: Int = 10, _ minute: Int = 0) -> Instant {
    Instant(kst: CivilDate(year: 2019, month: 3, day: day)!, hour: hour, minute: minute)
}

enum IDs {
    /// The petition most tests act on.
    static let petition = CaseID("PET-2019-0002")
    /// An earlier petition: the original for duplicate tests.
    static let earlierPetition = CaseID("PET-2019-0001")
    static let proposal = CaseID("PRO-2019-0002")
    static let earlierProposal = CaseID("PRO-2019-0001")
    static let session = CaseID("SES-2019-001")
    static let record = CaseID("REC-2019-001")
    /// Never filed anywhere.
    static let missing = CaseID("PET-2019-0099")
}

enum Departments {
    static let traffic = "교통행정과"
    static let urban = "도시계획과"
}

/// Valid payloads for every kind of event.
enum Events {
    static let petitionFiled = CaseEvent.petitionFiled(PetitionFiled(title: "당산역 엘리베이터 설치 건의", category: "도시"))
    static let sessionHeld = CaseEvent.sessionHeld(SessionHeld(kind: .outreach, field: "생활환경", attendees: 40))
    static let proposalFiled = CaseEvent.proposalFiled(ProposalFiled(session: IDs.session, title: "경로당 냉방 지원"))
    static let recordPosted = CaseEvent.recordPosted(RecordPosted(title: "3월 구민과의 소통 기록"))
    static let reviewed = CaseEvent.reviewed(Reviewed(department: Departments.traffic))
    static let declined = CaseEvent.declined(Declined(ground: .unclear))
    static let visited = CaseEvent.visited(Visited(place: "당산역 1번 출구"))
    static let answered = CaseEvent.answered(Answered(summary: "설치 예산을 편성했습니다", by: .department))
    static let reflected = CaseEvent.reflected(Reflected(outcome: .adopted))
    static let withdrawn = CaseEvent.withdrawn(Withdrawn(reason: "민원 해결"))

    static func endorsed(_ count: Int) -> CaseEvent { .endorsed(Endorsed(count: count)) }
    static func qualified(_ total: Int) -> CaseEvent { .qualified(Qualified(endorsements: total)) }
    static func duplicate(of original: CaseID) -> CaseEvent { .markedDuplicate(MarkedDuplicate(of: original)) }
}

/// Folds `events` onto an empty case, dating them one day apart from `start`.
func fold(_ id: CaseID, from start: Instant = march(4), _ events: CaseEvent...) -> CaseState {
    var state = CaseState(initial: id)
    for (offset, event) in events.enumerated() {
        state.apply(event, occurredAt: start.adding(seconds: Int64(offset) * 86_400))
    }
    return state
}

/// Cases other cases refer to: a session and an earlier petition and proposal, all filed
/// before the fixture cases (which are filed on 4 March).
enum Related {
    static let session = fold(IDs.session, from: march(1), Events.sessionHeld)
    static let earlierPetition = fold(IDs.earlierPetition, from: march(1), Events.petitionFiled)
    static let earlierProposal = fold(IDs.earlierProposal, from: march(2), Events.proposalFiled)
    static let all = [session, earlierPetition, earlierProposal]
}

/// `Decider.decide` under Yeongdeungpo's policy, recorded an hour after the step by default.
func decide(
    _ command: CaseCommand,
    on state: CaseState,
    at occurredAt: Instant = march(20),
    now: Instant? = nil,
    related: [CaseState] = Related.all
) throws -> [CaseEvent] {
    let context = DecisionContext(
        policy: .yeongdeungpo,
        occurredAt: occurredAt,
        now: now ?? occurredAt.adding(seconds: 3600),
        related: Dictionary(uniqueKeysWithValues: related.map { ($0.id, $0) })
    )
    return try Decider.decide(command, on: state, context: context)
}

/// The refusal `body` throws, for refusals whose `problem` text is not the point of the test.
func refusal(_ body: () throws -> Void) -> Refusal? {
    do {
        try body()
        return nil
    } catch let refusal as Refusal {
        return refusal
    } catch {
        return nil
    }
}

/// The case and field an `invalidValue` refusal names.
struct InvalidField: Equatable, CustomStringConvertible {
    var caseID: CaseID?
    var field: String
    var description: String { "\(caseID.map(\.rawValue) ?? "nil").\(field)" }
}

/// The case and field of an `invalidValue` refusal, ignoring the wording of its problem.
func invalidField(of refusal: Refusal?) -> InvalidField? {
    guard case .invalidValue(let id, let field, _)? = refusal else { return nil }
    return InvalidField(caseID: id, field: field)
}

/// The problem text of a refusal that carries one.
func problem(of refusal: Refusal?) -> String? {
    switch refusal {
    case .invalidValue(_, _, let problem)?, .badReference(_, _, _, let problem)?: problem
    default: nil
    }
}
