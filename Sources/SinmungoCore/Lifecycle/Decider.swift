/// What a decision needs besides the case's own state.
public struct DecisionContext: Sendable {
    public var policy: Policy
    /// Business time of the step.
    public var occurredAt: Instant
    /// The moment the step is being recorded.
    public var now: Instant
    /// States of the cases the command refers to.
    public var related: [CaseID: CaseState]
    /// Holidays, for periods that end on a working day.
    public var calendar: HolidayCalendar

    public init(
        policy: Policy, occurredAt: Instant, now: Instant, related: [CaseID: CaseState] = [:],
        calendar: HolidayCalendar = .standard
    ) {
        self.policy = policy
        self.occurredAt = occurredAt
        self.now = now
        self.related = related
        self.calendar = calendar
    }
}

/// `decide(command, state) throws -> [event]`: every rule of the lifecycle applies here.
public enum Decider {
    public static func decide(_ command: CaseCommand, on state: CaseState, context: DecisionContext) throws -> [CaseEvent] {
        let id = state.id
        let policy = context.policy
        if context.occurredAt > context.now {
            throw Refusal.inTheFuture(case: id, occurredAt: context.occurredAt, now: context.now)
        }
        let events: [CaseEvent]
        switch command {
        case .filePetition(let filed):
            guard policy.petitionCategories.contains(filed.category) else {
                throw Refusal.invalidValue(
                    case: id, field: "category",
                    problem: "must be one of \(policy.petitionCategories.joined(separator: ", ")), not \(filed.category)")
            }
            events = [.petitionFiled(filed)]
        case .holdSession(let held):
            let fields = policy.fields(for: held.kind)
            guard fields.contains(held.field) else {
                throw Refusal.invalidValue(
                    case: id, field: "field",
                    problem: "of a \(held.kind) session must be one of \(fields.joined(separator: ", ")), not \(held.field)")
            }
            events = [.sessionHeld(held)]
        case .fileProposal(let filed):
            events = [.proposalFiled(filed)]
        case .postRecord(let posted):
            events = [.recordPosted(posted)]
        case .endorse(let count):
            events = try endorse(count: count, on: state, context: context)
        case .review(let department):
            events = [.reviewed(Reviewed(department: department))]
        case .decline(let ground, let reason):
            events = [.declined(Declined(ground: ground, reason: reason))]
        case .visit(let visit):
            events = [.visited(visit)]
        case .answer(let summary, let by):
            let answerer = by ?? (state.isQualified ? .mayor : .department)
            if state.isQualified, answerer != .mayor {
                throw Refusal.invalidValue(
                    case: id, field: "by", problem: "must be mayor: the petition qualified for a mayoral answer")
            }
            events = [.answered(Answered(summary: summary, by: answerer))]
        case .reflect(let reflected):
            events = [.reflected(reflected)]
        case .transfer(let transferred):
            events = [.transferred(transferred)]
        case .withdraw(let withdrawn):
            events = [.withdrawn(withdrawn)]
        case .markDuplicate(let original):
            events = [.markedDuplicate(MarkedDuplicate(of: original))]
        case .correct(let correction):
            if correction.field == .category, state.kind == .petition, !policy.petitionCategories.contains(correction.value) {
                throw Refusal.invalidValue(
                    case: id, field: "category",
                    problem: "must be one of \(policy.petitionCategories.joined(separator: ", ")), not \(correction.value)")
            }
            events = [.corrected(correction)]
        case .extend(let extending):
            if extending.days > policy.statutoryExtensionMaxDays {
                throw Refusal.invalidValue(
                    case: id, field: "days", problem: "may be at most \(policy.statutoryExtensionMaxDays), not \(extending.days)")
            }
            events = [.extended(extending)]
        case .erasePersonalData(let reason, let request):
            let person = try Lifecycle.erasablePerson(of: state)
            try ErasureRule.check(state, request: request, on: context.occurredAt.kstDate, policy: policy)
            events = [.erasureRequested(ErasureRequested(person: person, reason: reason, request: request))]
        case .approveErasure:
            guard let pending = state.pendingErasure else {
                throw Refusal.invalidValue(
                    case: id, field: "erasure", problem: "was not requested, so there is nothing to approve")
            }
            // The grounds must still hold on the day it is approved.
            try ErasureRule.check(state, request: pending.request, on: context.occurredAt.kstDate, policy: policy)
            events = [
                .personalDataErased(PersonalDataErased(person: pending.person, reason: pending.reason, request: pending.request))
            ]
        case .declineErasure(let reason):
            events = [.erasureDeclined(ErasureDeclined(reason: reason))]
        }
        // Text typed in any normal form is stored in NFC.
        let normalized = events.map(\.normalizingText)
        var next = state
        for event in normalized {
            try Lifecycle.checkPlausibility(
                event, occurredAt: context.occurredAt, now: context.now, on: next, policy: policy)
            try Lifecycle.check(event, occurredAt: context.occurredAt, on: next) { reference in
                context.related[reference] ?? CaseState(initial: reference)
            }
            next.apply(event, occurredAt: context.occurredAt)
        }
        return normalized
    }

    /// Endorsements count only within the window; crossing the threshold qualifies the petition.
    private static func endorse(count: Int, on state: CaseState, context: DecisionContext) throws -> [CaseEvent] {
        let policy = context.policy
        if state.kind == .petition, let subject = state.deadlineSubject {
            let closes: Instant
            do {
                closes = try DeadlineClock(calendar: context.calendar).due(.endorsementWindow, of: subject, policy: policy)
            } catch {
                // Holidays only lengthen the window: up to its plain length it is open either way.
                let plain = DeadlineClock.endOfDay(subject.filedAt.kstDate.adding(days: policy.endorsementWindowDays))
                guard context.occurredAt <= plain else {
                    throw Refusal.invalidValue(
                        case: state.id, field: "endorsement window", problem: "cannot be counted: \(error)")
                }
                closes = plain
            }
            if context.occurredAt > closes {
                throw Refusal.invalidValue(
                    case: state.id, field: "endorsement window",
                    problem:
                        "closed at \(closes), \(policy.endorsementWindowDays) days after filing (the filing day not counted)")
            }
        }
        var events: [CaseEvent] = [.endorsed(Endorsed(count: count))]
        let total = state.endorsements.adding(saturating: max(count, 0))
        if !state.isQualified, total >= policy.endorsementThreshold {
            events.append(.qualified(Qualified(endorsements: total)))
        }
        return events
    }
}
