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

/// Folds the log, in business-time order, into monthly figures.
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
    }

    public func compute(_ events: [RecordedEvent], months: ClosedRange<YearMonth>, by dimension: StatisticsDimension?) throws
        -> [MonthStatistics]
    {
        // Business-time order; the log's order breaks ties, so a case's steps stay in order.
        let ordered = events.enumerated().sorted { ($0.element.occurredAt, $0.offset) < ($1.element.occurredAt, $1.offset) }.map(
            \.element)
        return try compute(months: months, by: dimension) { fold in try ordered.forEach(fold) }
    }

    /// The same over events that `events` hands over one at a time, already in business-time
    /// order (the log's order breaking ties), so that the log is never held in memory: a store
    /// streams them from its rows.
    public func compute(
        months: ClosedRange<YearMonth>, by dimension: StatisticsDimension?,
        events: ((RecordedEvent) throws -> Void) throws -> Void
    ) throws -> [MonthStatistics] {
        var result: [YearMonth: MonthStatistics] = [:]
        var month = months.lowerBound
        while true {
            result[month] = MonthStatistics(month: month, total: MonthFigures(), groups: [:])
            // December 9999 has no next month to step to.
            guard month < months.upperBound,
                let next = month.month == 12
                    ? YearMonth(year: month.year + 1, month: 1) : YearMonth(year: month.year, month: month.month + 1)
            else { break }
            month = next
        }
        var cases: [CaseID: Tracked] = [:]
        // The petitions and proposals still open, which each month end counts.
        var open: Set<CaseID> = []
        var sessions: [CaseID: (kind: SessionKind, field: String, attendees: Int)] = [:]
        var pendingMonthEnds = result.keys.sorted()

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
        func record(_ month: YearMonth, _ tracked: Tracked?, _ change: (inout MonthFigures) -> Void) {
            guard result[month] != nil else { return }
            change(&result[month]!.total)
            if let tracked, let group = key(tracked) {
                change(&result[month]!.groups[group, default: MonthFigures()])
            }
        }
        func closeMonths(before instant: Instant) {
            while let next = pendingMonthEnds.first, next.end <= instant {
                pendingMonthEnds.removeFirst()
                for id in open {
                    guard let tracked = cases[id], let subject = tracked.state.deadlineSubject else { continue }
                    // The same question `due --effective` asks about that moment.
                    let task = clock.nextTask(of: subject, policy: policy, at: next.end)
                    record(next, tracked) {
                        $0.openAtMonthEnd += 1
                        if task.isOverdue { $0.overdueAtMonthEnd += 1 }
                        if case .notComputable = task { $0.deadlineNotComputable += 1 }
                    }
                }
            }
        }

        try events { event in
            // The roster's own stream is not a case.
            if event.type.isRoster { return }
            closeMonths(before: event.occurredAt)
            fold(event, into: &cases[event.caseID, default: Tracked(state: CaseState(initial: event.caseID))])
        }
        // Folds in place: the case's state is neither copied out of `cases` nor written back.
        func fold(_ event: RecordedEvent, into tracked: inout Tracked) {
            let month = YearMonth(event.occurredAt)
            // The deadline the answer was owed by, as it stood just before the answer.
            let onTime = event.type == .answered ? answeredOnTime(before: tracked.state, at: event.occurredAt) : nil
            tracked.state.apply(event.event, occurredAt: event.occurredAt)
            if (tracked.state.kind == .petition || tracked.state.kind == .proposal), let status = tracked.state.status,
                !status.isClosed
            {
                open.insert(event.caseID)
            } else {
                open.remove(event.caseID)
            }
            switch event.event {
            case .petitionFiled(let filed):
                tracked.category = filed.category
                tracked.channel = .board
                record(month, tracked) { $0.received += 1 }
            case .proposalFiled(let filed):
                tracked.category = filed.category
                let session = sessions[filed.session]
                tracked.channel = Channel(session?.kind ?? .outreach)
                tracked.field = session?.field
                tracked.sessionKind = session?.kind
                record(month, tracked) { $0.received += 1 }
            case .sessionHeld(let held):
                sessions[event.caseID] = (held.kind, held.field, held.attendees)
                tracked.channel = Channel(held.kind)
                tracked.field = held.field
                tracked.sessionKind = held.kind
                record(month, tracked) {
                    $0.sessions[held.kind, default: 0] += 1
                    $0.attendees[held.kind, default: 0] = ($0.attendees[held.kind] ?? 0).adding(saturating: held.attendees)
                }
            case .corrected(let correction):
                if correction.field == .category { tracked.category = correction.value }
                if correction.field == .attendees, let kind = tracked.sessionKind, let value = Int(correction.value),
                    let session = sessions[event.caseID]
                {
                    // The month the session was held gets the corrected figure.
                    record(YearMonth(tracked.state.filedAt ?? event.occurredAt), tracked) {
                        $0.attendees[kind, default: 0] = ($0.attendees[kind] ?? 0).adding(saturating: value - session.attendees)
                    }
                    sessions[event.caseID]?.attendees = value
                }
            case .reviewed: record(month, tracked) { $0.reviewed += 1 }
            case .declined(let declined): record(month, tracked) { $0.declined[declined.ground, default: 0] += 1 }
            case .visited: record(month, tracked) { $0.siteVisits += 1 }
            case .answered:
                let days =
                    event.occurredAt.kstDate.daysSinceEpoch - (tracked.state.filedAt ?? event.occurredAt).kstDate.daysSinceEpoch
                record(month, tracked) {
                    $0.answered += 1
                    if onTime == true { $0.answeredWithinDeadline += 1 }
                    if onTime == nil { $0.deadlineNotComputable += 1 }
                    $0.daysToAnswer.append(days)
                }
            case .reflected(let reflected): record(month, tracked) { $0.reflected[reflected.outcome, default: 0] += 1 }
            case .withdrawn: record(month, tracked) { $0.withdrawn += 1 }
            case .endorsed(let endorsed):
                record(month, tracked) { $0.endorsements = $0.endorsements.adding(saturating: endorsed.count) }
            case .sentToOffice: record(month, tracked) { $0.sentToOffice += 1 }
            case .receivedFromOffice(let received):
                // Only petitions travel between offices, and they came in by the board.
                tracked.category = received.category
                tracked.channel = .board
                record(month, tracked) { $0.receivedFromOffice += 1 }
            case .qualified, .transferred, .markedDuplicate, .recordPosted, .extended, .personalDataErased, .roster,
                .erasureRequested, .erasureDeclined:
                break
            }
        }
        closeMonths(before: months.upperBound.end)
        return result.keys.sorted().map { result[$0]! }
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
