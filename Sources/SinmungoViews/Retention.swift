import SinmungoCore

/// A closed case whose records have been kept as long as their series requires.
public struct RetentionEntry: Equatable, Sendable {
    public var id: CaseID
    public var kind: CaseKind
    public var status: CaseStatus
    /// The KST day of the step that closed the case.
    public var closedOn: CivilDate
    public var years: Int
    /// The first day the records are no longer kept.
    public var expiredOn: CivilDate
    public var personalData: PersonalDataHolding
}

public enum Retention {
    /// Cases closed before `closedBefore` whose retention period has ended by `today`, in
    /// the order they closed. A case's closing day is that of its last change of status.
    public static func expired(
        _ events: some Sequence<RecordedEvent>, closedBefore: CivilDate, today: CivilDate, policy: Policy
    ) -> [RetentionEntry] {
        // A sequence never throws.
        (try? expired(closedBefore: closedBefore, today: today, policy: policy) { fold in try events.forEach(fold) }) ?? []
    }

    /// The same over events that `events` hands over one at a time in log order, so that the
    /// log is never held in memory: a store streams them from its rows.
    public static func expired(
        closedBefore: CivilDate, today: CivilDate, policy: Policy,
        events: ((RecordedEvent) throws -> Void) throws -> Void
    ) throws -> [RetentionEntry] {
        var states: [CaseID: CaseState] = [:]
        var statusChangedOn: [CaseID: CivilDate] = [:]
        try events { recorded in
            // The roster's own stream is not a case.
            if recorded.type.isRoster { return }
            var state = states[recorded.caseID] ?? CaseState(initial: recorded.caseID)
            let before = state.status
            state.apply(recorded.event, occurredAt: recorded.occurredAt)
            if state.status != before { statusChangedOn[recorded.caseID] = recorded.occurredAt.kstDate }
            states[recorded.caseID] = state
        }
        let entries = states.compactMap { id, state in
            entry(state, closedOn: statusChangedOn[id], closedBefore: closedBefore, today: today, policy: policy)
        }
        return entries.sorted { ($0.closedOn, $0.id.rawValue) < ($1.closedOn, $1.id.rawValue) }
    }

    /// The same from each case's current state, as the case list keeps it, handed over one at
    /// a time: a closed case's `closedAt` is its last change of status, since that change
    /// closed it, so the log need not be folded again and only the entries are held.
    public static func expired(
        closedBefore: CivilDate, today: CivilDate, policy: Policy, states: ((CaseState) throws -> Void) throws -> Void
    ) throws -> [RetentionEntry] {
        var entries: [RetentionEntry] = []
        try states { state in
            if let entry = entry(
                state, closedOn: state.closedAt?.kstDate, closedBefore: closedBefore, today: today, policy: policy)
            {
                entries.append(entry)
            }
        }
        return entries.sorted { ($0.closedOn, $0.id.rawValue) < ($1.closedOn, $1.id.rawValue) }
    }

    private static func entry(
        _ state: CaseState, closedOn: CivilDate?, closedBefore: CivilDate, today: CivilDate, policy: Policy
    ) -> RetentionEntry? {
        guard let kind = state.kind, let status = state.status, status.isClosed,
            let closedOn, closedOn < closedBefore,
            let years = policy.retention.years(for: kind),
            let expiredOn = policy.retention.expiry(of: kind, closedOn: closedOn), expiredOn <= today
        else { return nil }
        return RetentionEntry(
            id: state.id, kind: kind, status: status, closedOn: closedOn, years: years, expiredOn: expiredOn,
            personalData: state.personalData)
    }
}
