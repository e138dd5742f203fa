import SinmungoCore
import SinmungoViews

/// The year in figures as the district's 백서 prints it: totals beside the year before, monthly
/// tables beside the charts, the answered-on-time rate, declines by ground, department and
/// category, and what became policy. The model behind `sinmungo report` and the desk's
/// statistics page; it holds no personal data.
public struct WhitePaper: Sendable {
    public let year: Int
    public let program: String
    public let head: LogAnchor
    let this: YearFigures
    let before: YearFigures?

    /// - Parameters:
    ///   - monthly: monthly statistics broken down by channel, covering at least `year` and,
    ///     for the comparison, the year before.
    ///   - summaries: the case list; cases count in the KST year they were filed (or held).
    public init(
        year: Int, monthly: [MonthStatistics], summaries: [CaseSummary], head: LogAnchor, program: String
    ) {
        var cases = WhitePaperCases(year: year)
        for summary in summaries { cases.add(summary) }
        self.init(year: year, monthly: monthly, cases: cases, head: head, program: program)
    }

    /// - Parameters:
    ///   - cases: the case list as the page reads it, gathered for `year`.
    public init(year: Int, monthly: [MonthStatistics], cases: WhitePaperCases, head: LogAnchor, program: String) {
        self.year = year
        self.program = program
        self.head = head
        this = YearFigures(year: year, monthly: monthly, cases: cases)
        // A year the log holds nothing of is left out, not compared as zero.
        let before = year > 1 ? YearFigures(year: year - 1, monthly: monthly, cases: cases) : nil
        self.before = before?.isEmpty == false ? before : nil
    }

    /// The months a white paper for `year` needs statistics for.
    public static func months(of year: Int) -> ClosedRange<YearMonth>? {
        guard let last = YearMonth(year: year, month: 12), let first = YearMonth(year: max(year - 1, 1), month: 1) else {
            return nil
        }
        return first...last
    }
}

/// The case list as a white paper reads it, one row at a time: the counts of every case filed
/// (or held, or posted) in the year and the year before, and of the cases the page breaks down
/// or lists only what it prints, so that a large office's year is never held whole.
public struct WhitePaperCases: Sendable {
    public let years: ClosedRange<Int>
    var ofYear: [Int: YearCases] = [:]

    struct YearCases: Sendable {
        var counts = CaseCounts()
        var declined: [Declined] = []
        var adopted: [Adopted] = []
        var sessions: [Held] = []
    }

    struct Declined: Sendable {
        var declineGround: DeclineGround?
        var department: String?
        var category: String?
    }

    /// A petition or proposal reflected in policy, adopted in whole or in part.
    struct Adopted: Sendable {
        var id: CaseID
        var title: String
        var department: String?
        var outcome: Outcome?
        var policy: String?
    }

    struct Held: Sendable {
        var sessionKind: SessionKind?
        var field: String?
        var attendees: Int?
    }

    public init(year: Int) {
        years = max(year - 1, 1)...year
    }

    public mutating func add(_ summary: CaseSummary) {
        let year = summary.filedAt.kstDate.year
        guard years.contains(year) else { return }
        ofYear[year, default: YearCases()].counts.add(summary)
        switch summary.kind {
        case .petition, .proposal:
            if summary.status == .declined {
                ofYear[year]!.declined.append(
                    Declined(declineGround: summary.declineGround, department: summary.department, category: summary.category))
            }
            if summary.status == .reflected, summary.outcome == .adopted || summary.outcome == .partlyAdopted {
                ofYear[year]!.adopted.append(
                    Adopted(
                        id: summary.id, title: summary.title, department: summary.department, outcome: summary.outcome,
                        policy: summary.policy))
            }
        case .session:
            ofYear[year]!.sessions.append(
                Held(sessionKind: summary.sessionKind, field: summary.field, attendees: summary.attendees))
        case .record:
            break
        }
    }
}

/// One KST year's figures, folded once for the page.
struct YearFigures: Sendable {
    var year: Int
    /// January to December; a month the statistics do not cover counts nothing.
    var months: [MonthRow]
    var total: MonthFigures
    var channelTotals: [Channel: MonthFigures]
    var counts: CaseCounts
    var declined: [WhitePaperCases.Declined]
    /// In case order.
    var adopted: [WhitePaperCases.Adopted]
    var sessions: [WhitePaperCases.Held]

    init(year: Int, monthly: [MonthStatistics], cases gathered: WhitePaperCases) {
        self.year = year
        let months = (1...12).map { month in
            let statistics = monthly.first { $0.month.year == year && $0.month.month == month }
            return MonthRow(
                month: month, total: statistics?.total ?? MonthFigures(),
                byChannel: Dictionary(uniqueKeysWithValues: Channel.allCases.map { ($0, statistics?.figures(of: $0) ?? MonthFigures()) }))
        }
        self.months = months
        total = months.reduce(into: MonthFigures()) { $0.add($1.total) }
        channelTotals = Dictionary(
            uniqueKeysWithValues: Channel.allCases.map { channel in
                (channel, months.reduce(into: MonthFigures()) { $0.add($1.byChannel[channel] ?? MonthFigures()) })
            })
        let cases = gathered.ofYear[year] ?? WhitePaperCases.YearCases()
        counts = cases.counts
        declined = cases.declined
        adopted = cases.adopted.sorted { $0.id < $1.id }
        sessions = cases.sessions
    }

    var isEmpty: Bool { counts == CaseCounts() && total == MonthFigures() }

    var reflected: Int { (counts.outcomes[.adopted] ?? 0) + (counts.outcomes[.partlyAdopted] ?? 0) }

    func attendance(_ kind: SessionKind) -> [(field: String, sessions: Int, attendees: Int)] {
        let held = sessions.filter { $0.sessionKind == kind }
        return Set(held.map { $0.field ?? "" }).sorted().map { field in
            let ofField = held.filter { ($0.field ?? "") == field }
            return (field, ofField.count, ofField.reduce(0) { $0.adding(saturating: $1.attendees ?? 0) })
        }
    }
}

struct MonthRow: Sendable {
    var month: Int
    var total: MonthFigures
    var byChannel: [Channel: MonthFigures]
}

extension MonthFigures {
    /// Adds another period's figures: a year is its months added up. How many cases stood
    /// open at each month's end does not add up over months, so those are left out.
    mutating func add(_ other: MonthFigures) {
        var flows = other
        flows.openAtMonthEnd = 0
        flows.overdueAtMonthEnd = 0
        flows.deadlineNotComputable = 0
        merge(flows)
    }
}
