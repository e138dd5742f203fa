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
        self.year = year
        self.program = program
        self.head = head
        this = YearFigures(year: year, monthly: monthly, summaries: summaries)
        // A year the log holds nothing of is left out, not compared as zero.
        let before = year > 1 ? YearFigures(year: year - 1, monthly: monthly, summaries: summaries) : nil
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

/// One KST year's figures, folded once for the page.
struct YearFigures: Sendable {
    var year: Int
    /// January to December; a month the statistics do not cover counts nothing.
    var months: [MonthRow]
    var total: MonthFigures
    var channelTotals: [Channel: MonthFigures]
    var counts: CaseCounts
    var cases: [CaseSummary]
    var sessions: [CaseSummary]

    init(year: Int, monthly: [MonthStatistics], summaries: [CaseSummary]) {
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
        let ofYear = summaries.filter { $0.filedAt.kstDate.year == year }
        counts = CaseCounts(ofYear)
        cases = ofYear.filter { $0.kind == .petition || $0.kind == .proposal }
        sessions = ofYear.filter { $0.kind == .session }
    }

    var isEmpty: Bool { cases.isEmpty && sessions.isEmpty && counts.records == 0 && total == MonthFigures() }

    var reflected: Int { (counts.outcomes[.adopted] ?? 0) + (counts.outcomes[.partlyAdopted] ?? 0) }
    var declined: [CaseSummary] { cases.filter { $0.status == .declined } }

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
    /// Adds another period's figures: a year is its months added up.
    mutating func add(_ other: MonthFigures) {
        received = received.adding(saturating: other.received)
        reviewed = reviewed.adding(saturating: other.reviewed)
        declined.merge(other.declined) { $0.adding(saturating: $1) }
        siteVisits = siteVisits.adding(saturating: other.siteVisits)
        answered = answered.adding(saturating: other.answered)
        answeredWithinDeadline = answeredWithinDeadline.adding(saturating: other.answeredWithinDeadline)
        reflected.merge(other.reflected) { $0.adding(saturating: $1) }
        withdrawn = withdrawn.adding(saturating: other.withdrawn)
        daysToAnswer += other.daysToAnswer
        endorsements = endorsements.adding(saturating: other.endorsements)
        sessions.merge(other.sessions) { $0.adding(saturating: $1) }
        attendees.merge(other.attendees) { $0.adding(saturating: $1) }
    }
}
