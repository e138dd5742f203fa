extension Deadline.Kind {
    /// Whether an officer has to act by it. The endorsement window closes by itself.
    public var isOfficerTask: Bool { self != .endorsementWindow }
}

extension DeadlineClock {
    /// When a deadline of `kind` falls for a case. Every legal period is counted here and only
    /// here, from the numbers in `policy`: the decider, `due`, `show`, `stats` and the report
    /// all ask this function.
    public func due(_ kind: Deadline.Kind, of state: DeadlineSubject, policy: Policy) throws -> Instant {
        switch kind {
        case .endorsementWindow:
            // Civil Code: the filing day is not counted; a period ending on a holiday runs on.
            return try calendarDays(policy.endorsementWindowDays, after: state.filedAt)
        case .mayoralAnswer:
            return try processingDays(policy.mayoralAnswerDays, from: state.qualifiedAt ?? state.filedAt)
        case .departmentAnswer:
            // Counting starts the day after the window closes.
            let windowCloses = try due(.endorsementWindow, of: state, policy: policy)
            return try processingDays(policy.departmentAnswerDays, from: Instant(kst: windowCloses.kstDate.adding(days: 1)))
        case .statutoryResult:
            return try calendarDays(policy.statutoryResultDays + (state.extensionDays ?? 0), after: state.filedAt)
        case .proposalDecision:
            return try calendarMonths(policy.proposalDecisionMonths, after: state.filedAt)
        }
    }

    /// The deadline of `kind`, marked provisional when a year it was counted through is.
    public func deadline(_ kind: Deadline.Kind, of state: DeadlineSubject, policy: Policy) throws -> Deadline {
        let due = try due(kind, of: state, policy: policy)
        var deadline = Deadline(kind: kind, due: due)
        deadline.provisional = calendar.isProvisional(from: state.filedAt.kstDate, through: due.kstDate)
        return deadline
    }

    /// What an officer owes on a case at `moment`: the earliest task, whether it has been missed,
    /// or why it cannot be counted. `due` and the month-end figures of `stats` both ask this.
    public func nextTask(of state: DeadlineSubject, policy: Policy, at moment: Instant) -> NextTask {
        owedTasks(of: state, policy: policy).next(at: moment)
    }

    /// The tasks owed on a case as it stands, counted once: `nextTask` at any moment from them.
    public func owedTasks(of state: DeadlineSubject, policy: Policy) -> OwedTasks {
        var tasks = OwedTasks(filedOn: state.filedAt.kstDate)
        for kind in owedKinds(of: state) where kind.isOfficerTask {
            do {
                let deadline = try deadline(kind, of: state, policy: policy)
                if tasks.earliest.map({ (deadline.due, deadline.kind.rawValue) < ($0.due, $0.kind.rawValue) }) ?? true {
                    tasks.earliest = deadline
                }
            } catch HolidayCalendar.Failure.missingYear(let year) {
                if tasks.missing.map({ year < $0.year }) ?? true { tasks.missing = (kind, year) }
            } catch {
                tasks.missing = tasks.missing ?? (kind, state.filedAt.kstDate.year)
            }
        }
        return tasks
    }
}

/// The tasks owed on a case in one state: the earliest that could be counted, and the earliest
/// year without a holiday calendar that another ran into.
public struct OwedTasks: Sendable {
    var filedOn: CivilDate
    var earliest: Deadline?
    var missing: (kind: Deadline.Kind, year: Int)?

    /// The next task at `moment`.
    public func next(at moment: Instant) -> NextTask {
        // Counting only moves forward, so a deadline that ran into a year without a calendar
        // falls in that year or later: one counted before that year is still the earliest.
        if let missing {
            let yearStarts = Instant(kst: CivilDate(year: missing.year, month: 1, day: 1) ?? filedOn)
            if let earliest, earliest.due < yearStarts {
                return .open(earliest, overdue: earliest.due < moment)
            }
            if moment <= yearStarts, missing.year > moment.kstDate.year {
                return .notYetCountable(missing.kind, year: missing.year)
            }
            return .notComputable(missing.kind, year: missing.year)
        }
        guard let earliest else { return .none }
        return .open(earliest, overdue: earliest.due < moment)
    }
}

/// An officer's next task on a case, as `DeadlineClock.nextTask` finds it.
public enum NextTask: Equatable, Sendable {
    /// Nothing is owed.
    case none
    /// The earliest task, and whether it was missed by the moment asked about.
    case open(Deadline, overdue: Bool)
    /// The task falls in a year with no calendar, after the moment asked about: not yet missed.
    case notYetCountable(Deadline.Kind, year: Int)
    /// The task cannot be counted, and may already have been missed.
    case notComputable(Deadline.Kind, year: Int)

    public var isOverdue: Bool {
        if case .open(_, overdue: true) = self { return true }
        return false
    }

    /// Why the task has no date, or nil when it has one.
    public var problem: String? {
        switch self {
        case .none, .open: nil
        case .notYetCountable(_, let year), .notComputable(_, let year): "no holiday calendar for \(year)"
        }
    }
}
