import SinmungoCore

/// A KST calendar month.
public struct YearMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1])
        else { return nil }
        self.init(year: year, month: month)
    }

    public init(_ instant: Instant) {
        let date = instant.kstDate
        year = date.year
        month = date.month
    }

    /// The month's first moment.
    public var start: Instant { Instant(kst: CivilDate(year: year, month: month, day: 1)!) }

    /// The first moment of the next month: everything before it is in this month or earlier.
    /// Counted from the month's own last day, which exists even in December 9999.
    public var end: Instant {
        Instant(kst: CivilDate(year: year, month: month, day: CivilDate.daysIn(month: month, year: year))!)
            .adding(seconds: 86_400)
    }

    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }

    public static func < (lhs: YearMonth, rhs: YearMonth) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }
}

/// What a month's figures can be broken down by.
public enum StatisticsDimension: String, CaseIterable, Sendable {
    case category, channel, department, field, kind
}

/// One month's figures, for all cases or for one group of a breakdown. Aggregates only.
public struct MonthFigures: Equatable, Sendable {
    public var received = 0
    public var reviewed = 0
    public var declined: [DeclineGround: Int] = [:]
    public var siteVisits = 0
    public var answered = 0
    public var answeredWithinDeadline = 0
    public var reflected: [Outcome: Int] = [:]
    public var withdrawn = 0
    /// Cases this office sent to another office (이송), and cases it received from one, in the
    /// month: a sent case leaves the office's open cases, a received one joins them.
    public var sentToOffice = 0
    public var receivedFromOffice = 0
    public var openAtMonthEnd = 0
    public var overdueAtMonthEnd = 0
    /// Open cases at month end, and answers this month, whose deadline could not be counted
    /// (no holiday calendar for its year): neither overdue nor on time, but counted here.
    public var deadlineNotComputable = 0
    /// Days from filing to answer, of the answers given this month.
    public var daysToAnswer: [Int] = []
    public var endorsements = 0
    public var sessions: [SessionKind: Int] = [:]
    public var attendees: [SessionKind: Int] = [:]

    public init() {}

    public var answeredWithinDeadlinePercent: Double? {
        answered == 0 ? nil : Double(answeredWithinDeadline) * 100 / Double(answered)
    }

    /// Adds the figures of other cases in the same month: every one, month-end counts too.
    public mutating func merge(_ other: MonthFigures) {
        received = received.adding(saturating: other.received)
        reviewed = reviewed.adding(saturating: other.reviewed)
        declined.merge(other.declined) { $0.adding(saturating: $1) }
        siteVisits = siteVisits.adding(saturating: other.siteVisits)
        answered = answered.adding(saturating: other.answered)
        answeredWithinDeadline = answeredWithinDeadline.adding(saturating: other.answeredWithinDeadline)
        reflected.merge(other.reflected) { $0.adding(saturating: $1) }
        withdrawn = withdrawn.adding(saturating: other.withdrawn)
        sentToOffice = sentToOffice.adding(saturating: other.sentToOffice)
        receivedFromOffice = receivedFromOffice.adding(saturating: other.receivedFromOffice)
        openAtMonthEnd = openAtMonthEnd.adding(saturating: other.openAtMonthEnd)
        overdueAtMonthEnd = overdueAtMonthEnd.adding(saturating: other.overdueAtMonthEnd)
        deadlineNotComputable = deadlineNotComputable.adding(saturating: other.deadlineNotComputable)
        daysToAnswer += other.daysToAnswer
        endorsements = endorsements.adding(saturating: other.endorsements)
        sessions.merge(other.sessions) { $0.adding(saturating: $1) }
        attendees.merge(other.attendees) { $0.adding(saturating: $1) }
    }

    /// The median, by the nearest-rank method so that it is always a whole number of days.
    public var medianDaysToAnswer: Int? { percentile(50) }
    public var p90DaysToAnswer: Int? { percentile(90) }

    func percentile(_ p: Int) -> Int? {
        guard !daysToAnswer.isEmpty else { return nil }
        let sorted = daysToAnswer.sorted()
        let rank = (p * sorted.count + 99) / 100
        return sorted[max(rank, 1) - 1]
    }
}

public struct MonthStatistics: Equatable, Sendable {
    public var month: YearMonth
    public var total: MonthFigures
    /// The breakdown, by group key, when one was asked for.
    public var groups: [String: MonthFigures]

    /// A channel's figures, in a breakdown by channel.
    public func figures(of channel: Channel) -> MonthFigures? {
        groups[channel.name]
    }
}

/// Folds the log into monthly figures, one case at a time: every figure comes from its own
/// case's steps, so only one case's state is held. A proposal is grouped under its session's
/// channel and field, which the fold may meet after it: its figures wait for the session.
public struct MonthlyStatistics {
    public let clock: DeadlineClock
    public let policy: Policy
    /// The name a stored department is grouped and printed under: with a roster, the current
    /// name of the department it stands for after renames and merges (`Roster.name`).
    public var departmentName: (String) -> String = { $0 }

    public init(clock: DeadlineClock, policy: Policy) {
        self.clock = clock
        self.policy = policy
    }

    private struct Tracked {
        var state: CaseState
        var category: String?
        var channel: Channel?
        var field: String?
        var sessionKind: SessionKind?
        /// The case's own session as held, when it is one: corrections of attendance count from it.
        var held: (kind: SessionKind, attendees: Int)?
        /// The session a proposal names, while the fold has not met it.
        var awaitedSession: CaseID?
        /// Counted at each month end it is open at.
        var isOpen = false

        init(state: CaseState) {
            self.state = state
        }

        /// An open petition or proposal as its row has it: what its fold tracks after its last step.
        init(standingAs row: CaseSummary) {
            state = row.state
            category = row.category
            if row.kind == .proposal {
                channel = Channel(row.sessionKind ?? .outreach)
                field = row.field
                sessionKind = row.sessionKind
            } else {
                channel = .board
            }
            isOpen = true
        }
    }

    /// The same over events in any order: they are put case by case first.
    public func compute(_ events: [RecordedEvent], months: ClosedRange<YearMonth>, by dimension: StatisticsDimension?) throws
        -> [MonthStatistics]
    {
        // Each case's steps in business-time order, the given order breaking ties.
        let ordered = events.enumerated().sorted {
            ($0.element.caseID.rawValue, $0.element.occurredAt, $0.offset)
                < ($1.element.caseID.rawValue, $1.element.occurredAt, $1.offset)
        }.map(\.element)
        return try compute(months: months, by: dimension) { fold in try ordered.forEach(fold) }
    }

    /// Folds the events `caseByCase` hands over one at a time: each case's together, in the
    /// order they happened (a case's business time never runs backwards), cases in any order.
    public func compute(
        months: ClosedRange<YearMonth>, by dimension: StatisticsDimension?,
        caseByCase: ((RecordedEvent) throws -> Void) throws -> Void
    ) throws -> [MonthStatistics] {
        try figures(months: months, by: dimension, currentRows: nil) { _, fold in
            try withoutActuallyEscaping(fold) { try caseByCase($0) }
        }
    }

    /// The same figures, reading the log only where the case list at its head cannot tell them.
    /// `currentRows` hands over every case's row as the log's head has it. Business time never
    /// runs backwards within a case, so a row bounds all of its case's steps:
    /// - a case filed after the months adds nothing to them;
    /// - one last changed before them stood all through them as its row says: when open, it
    ///   is counted at each month end from its row, else it adds nothing;
    /// - a session names the channel and field of its proposals from its row.
    ///
    /// `steps` then hands over, case by case, the steps of the cases the months saw change.
    public func compute(
        months: ClosedRange<YearMonth>, by dimension: StatisticsDimension?,
        currentRows: ((CaseID, CaseSummary) throws -> Void) throws -> Void,
        steps: (_ cases: [CaseID], _ fold: (RecordedEvent) throws -> Void) throws -> Void
    ) throws -> [MonthStatistics] {
        try withoutActuallyEscaping(currentRows) { currentRows in
            try figures(months: months, by: dimension, currentRows: currentRows) { cases, fold in
                try withoutActuallyEscaping(fold) { try steps(cases ?? [], $0) }
            }
        }
    }

    /// The fold of both: with `currentRows`, `steps` is given the cases whose steps it must
    /// hand over; without, nil, and it hands over every case's.
    private func figures(
        months: ClosedRange<YearMonth>, by dimension: StatisticsDimension?,
        currentRows: (((CaseID, CaseSummary) throws -> Void) throws -> Void)?,
        steps: (_ cases: [CaseID]?, _ fold: (RecordedEvent) throws -> Void) throws -> Void
    ) throws -> [MonthStatistics] {
        // The months in order; a month's place is its distance from the first.
        var result: [MonthStatistics] = []
        var month = months.lowerBound
        while true {
            result.append(MonthStatistics(month: month, total: MonthFigures(), groups: [:]))
            // December 9999 has no next month to step to.
            guard month < months.upperBound,
                let next = month.month == 12
                    ? YearMonth(year: month.year + 1, month: 1) : YearMonth(year: month.year, month: month.month + 1)
            else { break }
            month = next
        }
        func place(of month: YearMonth) -> Int? {
            let place = (month.year - months.lowerBound.year) * 12 + month.month - months.lowerBound.month
            return result.indices.contains(place) ? place : nil
        }
        // The sessions met so far, and the figures of proposals grouped by a session not yet met.
        var sessions: [CaseID: (kind: SessionKind, field: String)] = [:]
        var awaiting: [CaseID: [YearMonth: MonthFigures]] = [:]
        let groupsBySession = dimension == .channel || dimension == .field
        var current: CaseID?
        var tracked = Tracked(state: CaseState(initial: CaseID("")))
        // The month ends of the range not yet passed in the current case's steps.
        var nextMonthEnd = 0

        func key(_ tracked: Tracked) -> String? {
            switch dimension {
            case nil: nil
            case .category?: tracked.category ?? "(none)"
            case .channel?: tracked.channel?.name ?? ""
            case .department?: tracked.state.department.map(departmentName) ?? "(unassigned)"
            case .field?: tracked.field ?? "(none)"
            case .kind?: tracked.state.kind?.rawValue ?? "(none)"
            }
        }
        // Where the current case's figures go besides the total: a session it waits for, or its group.
        typealias Destination = (session: CaseID?, group: String?)
        func destination() -> Destination {
            tracked.awaitedSession.map { ($0, nil) } ?? (nil, key(tracked))
        }
        func record(_ month: YearMonth, _ change: (inout MonthFigures) -> Void) {
            guard let place = place(of: month) else { return }
            record(at: place, to: destination(), change)
        }
        func record(at place: Int, to destination: Destination, _ change: (inout MonthFigures) -> Void) {
            change(&result[place].total)
            if let session = destination.session {
                change(&awaiting[session, default: [:]][result[place].month, default: MonthFigures()])
            } else if let group = destination.group {
                change(&result[place].groups[group, default: MonthFigures()])
            }
        }
        // Counts the case at each month end before `instant`, as it stood then.
        func passMonthEnds(before instant: Instant) {
            // The case does not change between these month ends: its tasks and its group are
            // worked out once.
            var owed: (tasks: OwedTasks, destination: Destination)?
            while nextMonthEnd < result.count, result[nextMonthEnd].month.end <= instant {
                let place = nextMonthEnd
                nextMonthEnd += 1
                guard tracked.isOpen, let subject = tracked.state.deadlineSubject else { continue }
                if owed == nil { owed = (clock.owedTasks(of: subject, policy: policy), destination()) }
                // The same question `due --effective` asks about that moment.
                let task = owed!.tasks.next(at: result[place].month.end)
                record(at: place, to: owed!.destination) {
                    $0.openAtMonthEnd += 1
                    if task.isOverdue { $0.overdueAtMonthEnd += 1 }
                    if case .notComputable = task { $0.deadlineNotComputable += 1 }
                }
            }
        }

        // The cases the case list cannot answer for, when it is read.
        var changing: [CaseID]?
        if let currentRows {
            let start = months.lowerBound.start
            let end = months.upperBound.end
            var changed: [CaseID] = []
            try currentRows { id, row in
                if row.kind == .session, let kind = row.sessionKind, let field = row.field { sessions[id] = (kind, field) }
                guard row.filedAt < end else { return }
                if row.updatedAt >= start {
                    changed.append(id)
                    return
                }
                guard Self.isCountedOpen(kind: row.kind, status: row.status) else { return }
                tracked = Tracked(standingAs: row)
                nextMonthEnd = 0
                passMonthEnds(before: end)
            }
            tracked = Tracked(state: CaseState(initial: CaseID("")))
            changing = changed
        }

        try steps(changing) { event in
            // The roster's own stream is not a case.
            if event.type.isRoster { return }
            if event.caseID != current {
                passMonthEnds(before: months.upperBound.end)
                current = event.caseID
                tracked = Tracked(state: CaseState(initial: event.caseID))
                nextMonthEnd = 0
            }
            passMonthEnds(before: event.occurredAt)
            fold(event)
        }
        passMonthEnds(before: months.upperBound.end)
        // Every session is met by now: the proposals that waited for theirs join its group.
        for (session, figures) in awaiting {
            var proposal = Tracked(state: CaseState(initial: session))
            take(sessions[session], into: &proposal)
            guard let group = key(proposal) else { continue }
            for (month, figures) in figures {
                result[place(of: month)!].groups[group, default: MonthFigures()].merge(figures)
            }
        }

        // A proposal's channel and field are its session's (an outreach session's, when it names none held).
        func take(_ session: (kind: SessionKind, field: String)?, into tracked: inout Tracked) {
            tracked.channel = Channel(session?.kind ?? .outreach)
            tracked.field = session?.field
            tracked.sessionKind = session?.kind
        }

        // Folds in place: the case's state is never copied.
        func fold(_ event: RecordedEvent) {
            let month = YearMonth(event.occurredAt)
            // The deadline the answer was owed by, as it stood just before the answer.
            let onTime = event.type == .answered ? answeredOnTime(before: tracked.state, at: event.occurredAt) : nil
            tracked.state.apply(event.event, occurredAt: event.occurredAt)
            let kind = tracked.state.kind
            tracked.isOpen = kind.map { Self.isCountedOpen(kind: $0, status: tracked.state.status) } ?? false
            switch event.event {
            case .petitionFiled(let filed):
                tracked.category = filed.category
                tracked.channel = .board
                record(month) { $0.received += 1 }
            case .proposalFiled(let filed):
                tracked.category = filed.category
                if let session = sessions[filed.session] {
                    take(session, into: &tracked)
                } else if groupsBySession {
                    tracked.awaitedSession = filed.session
                } else {
                    take(nil, into: &tracked)
                }
                record(month) { $0.received += 1 }
            case .sessionHeld(let held):
                sessions[event.caseID] = (held.kind, held.field)
                tracked.held = (held.kind, held.attendees)
                tracked.channel = Channel(held.kind)
                tracked.field = held.field
                tracked.sessionKind = held.kind
                record(month) {
                    $0.sessions[held.kind, default: 0] += 1
                    $0.attendees[held.kind, default: 0] = ($0.attendees[held.kind] ?? 0).adding(saturating: held.attendees)
                }
            case .corrected(let correction):
                if correction.field == .category { tracked.category = correction.value }
                if correction.field == .attendees, let kind = tracked.sessionKind, let value = Int(correction.value),
                    let held = tracked.held
                {
                    // The month the session was held gets the corrected figure.
                    record(YearMonth(tracked.state.filedAt ?? event.occurredAt)) {
                        $0.attendees[kind, default: 0] = ($0.attendees[kind] ?? 0).adding(saturating: value - held.attendees)
                    }
                    tracked.held?.attendees = value
                }
            case .reviewed: record(month) { $0.reviewed += 1 }
            case .declined(let declined): record(month) { $0.declined[declined.ground, default: 0] += 1 }
            case .visited: record(month) { $0.siteVisits += 1 }
            case .answered:
                let days =
                    event.occurredAt.kstDate.daysSinceEpoch - (tracked.state.filedAt ?? event.occurredAt).kstDate.daysSinceEpoch
                record(month) {
                    $0.answered += 1
                    if onTime == true { $0.answeredWithinDeadline += 1 }
                    if onTime == nil { $0.deadlineNotComputable += 1 }
                    $0.daysToAnswer.append(days)
                }
            case .reflected(let reflected): record(month) { $0.reflected[reflected.outcome, default: 0] += 1 }
            case .withdrawn: record(month) { $0.withdrawn += 1 }
            case .endorsed(let endorsed):
                record(month) { $0.endorsements = $0.endorsements.adding(saturating: endorsed.count) }
            case .sentToOffice: record(month) { $0.sentToOffice += 1 }
            case .receivedFromOffice(let received):
                // Only petitions travel between offices, and they came in by the board.
                tracked.category = received.category
                tracked.channel = .board
                record(month) { $0.receivedFromOffice += 1 }
            case .qualified, .transferred, .markedDuplicate, .recordPosted, .extended, .personalDataErased, .roster,
                .erasureRequested, .erasureDeclined:
                break
            }
        }
        // Days in order, so that the figures are the same whatever order the cases came in.
        return result.map { month in
            var statistics = month
            statistics.total.daysToAnswer.sort()
            for group in statistics.groups.keys { statistics.groups[group]!.daysToAnswer.sort() }
            return statistics
        }
    }

    /// Whether a case is counted among the open cases at a month end it stands so at.
    static func isCountedOpen(kind: CaseKind, status: CaseStatus?) -> Bool {
        (kind == .petition || kind == .proposal) && status.map { !$0.isClosed } ?? false
    }

    /// Whether an answer at `moment` met the deadline owed just before it; nil when that
    /// deadline cannot be counted.
    private func answeredOnTime(before state: CaseState, at moment: Instant) -> Bool? {
        guard let subject = state.deadlineSubject,
            let kind = clock.owedKinds(of: subject).first(where: {
                [.mayoralAnswer, .departmentAnswer, .proposalDecision].contains($0)
            })
        else { return true }
        do {
            return moment <= (try clock.due(kind, of: subject, policy: policy))
        } catch HolidayCalendar.Failure.missingYear(let year) {
            // Counting only moves forward: a deadline in a later year than the answer was met.
            guard let yearStarts = CivilDate(year: year, month: 1, day: 1) else { return nil }
            return moment < Instant(kst: yearStarts) ? true : nil
        } catch {
            return nil
        }
    }
}
