import ArgumentParser
import Foundation
import SinmungoCore
import SinmungoReport
import SinmungoStore
import SinmungoViews

extension StatisticsDimension: ExpressibleByArgument {}

/// Which names head the columns: the stable machine names, or Korean for people.
enum ColumnLabels: String, CaseIterable, ExpressibleByArgument {
    case machine
    case ko

    func label(_ column: String) -> String {
        self == .ko ? KoreanLabels.statisticsColumn(column) : column
    }
}

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Monthly figures by KST month of business time: aggregates only, no personal data.",
        discussion: """
            Every export names the log head it covers, the SHA-256 of the policy it used and the program \
            version, so the same command on the same log gives the same bytes and anyone can regenerate it. \
            In CSV they are the last columns of every row, which Excel and pandas both read as plain columns.
            """
    )
    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var holidayOptions: HolidayOptions
    @Option(help: ArgumentHelp("One KST month, YYYY-MM.", valueName: "month")) var month: YearMonth?
    @Option(help: ArgumentHelp("Every month of one year.", valueName: "year"), transform: parseYear) var year: Int?
    @Option(help: "Break each month down by category, channel, department, field or kind.") var by: StatisticsDimension?
    @Option(
        name: .customLong("suppress-below"),
        help: ArgumentHelp("Blank counts from 1 to N-1, so small groups cannot identify anyone.", valueName: "n"))
    var suppressBelow: Int?
    @Flag(help: "Start CSV with a UTF-8 byte order mark, so Excel shows Korean correctly.") var excel = false
    @Option(help: "Column headers in CSV and the table: machine (stable names, the default) or ko (Korean, for spreadsheets).")
    var labels: ColumnLabels = .machine
    @Option(name: .customLong("as-of"), help: ArgumentHelp("Use the log as it stood at this recorded time.", valueName: "time"))
    var asOf: Instant?

    func validate() throws {
        guard (month == nil) != (year == nil) else { throw ValidationError("give either --month YYYY-MM or --year YYYY") }
        if SmallCellSuppression(below: suppressBelow) == nil { throw ValidationError("--suppress-below must be at least 1") }
        if excel, read.format != .csv { throw ValidationError("--excel goes with --format csv") }
        if labels == .ko, read.format == .json { throw ValidationError("--labels ko goes with --format csv or table; JSON keeps its keys") }
    }

    func run() throws {
        let range: ClosedRange<YearMonth>
        if let month {
            range = month...month
        } else {
            guard let year, let first = YearMonth(year: year, month: 1), let last = YearMonth(year: year, month: 12) else {
                throw CommandLineFailure.usage("--year must be a year such as 2019")
            }
            range = first...last
        }
        let point = PointInTime(asOf: asOf, effective: nil)
        let log = try store.openStore(reading: .readStatistics)
        let policy = Sinmungo.policy
        var monthly = MonthlyStatistics(clock: try holidayOptions.clock(), policy: policy)
        // Statistics staff on a server read the statistics view instead of the log.
        let timeline = try log.statisticsTimeline(at: point)
        let roster = Roster(replaying: try timeline?.roster ?? log.events(at: point, of: Roster.streamID))
        monthly.departmentName = roster.name(ofDepartment:)
        // Streamed case by case: neither the log nor a state per case is held in memory.
        let statistics: [MonthStatistics]
        if let timeline {
            statistics = try monthly.compute(timeline.cases, months: range, by: by)
        } else if point.isNow {
            // The case list at the head stands in for the cases these months did not see change.
            statistics = try monthly.compute(
                months: range, by: by,
                currentRows: { visit in try log.forEachRow(of: CaseProjection.self, at: .now, visit) },
                steps: { cases, fold in try log.forEachEvent(at: .now, ofCases: cases, fold) })
        } else {
            statistics = try monthly.compute(months: range, by: by) { fold in
                try log.forEachEvent(at: point, order: .caseByCase, fold)
            }
        }
        let head = try log.head(at: point)
        let provenance = Provenance(
            logSeq: head.sequence, logHead: EventHash.hex(head.hash), policySHA256: try Self.policyDigest(policy),
            program: "sinmungo \(SinmungoVersion.current)")
        let table = StatisticsTable(
            statistics: statistics, dimension: by, suppression: SmallCellSuppression(below: suppressBelow) ?? .none)
        let output = try Renderer.render(
            read.format, json: { StatisticsJSON(table: table, provenance: provenance, policy: policy) },
            csv: { ((table.header + Provenance.columns).map(labels.label), table.rows.map { $0.map { $0 ?? "" } + provenance.values }) },
            table: {
                // Figures run down the page and months across, so the table fits a terminal.
                let leading = by == nil ? 1 : 2
                let labels = table.rows.map { $0.prefix(leading).compactMap { $0 }.joined(separator: " ") }
                var text = TextTable([self.labels == .ko ? "항목" : "figure"] + labels, rightAligned: Set(1...max(labels.count, 1)))
                for (index, name) in table.header.enumerated().dropFirst(leading) {
                    text.append([self.labels.label(name)] + table.rows.map { $0[index] ?? "" })
                }
                return text.render()
                    + "\n\nlog \(provenance.logSeq):\(provenance.logHead.prefix(12))…, policy \(provenance.policySHA256.prefix(12))…, \(provenance.program)"
            })
        print((excel ? "\u{FEFF}" : "") + output, terminator: "")
    }

    static func policyDigest(_ policy: Policy) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return EventHash.sha256Hex(try encoder.encode(policy))
    }
}

struct Provenance: Encodable {
    static let columns = ["log_seq", "log_head", "policy_sha256", "program"]
    var logSeq: Int64
    var logHead: String
    var policySHA256: String
    var program: String
    var values: [String] { [String(logSeq), logHead, policySHA256, program] }
}

/// The statistics as named columns, with small cells blanked.
struct StatisticsTable {
    var header: [String] = []
    var rows: [[String?]] = []
    var numericColumns: [Int] = []
    /// Each row's values by column name, for JSON.
    var records: [[String: StatisticsJSON.Value]] = []

    init(statistics: [MonthStatistics], dimension: StatisticsDimension?, suppression: SmallCellSuppression) {
        typealias Column = (name: String, value: (MonthFigures) -> Int)
        var countColumns: [Column] = [("received", \.received), ("reviewed", \.reviewed)]
        countColumns.append(("declined", { $0.declined.values.reduce(0, +) }))
        for ground in DeclineGround.allCases {
            countColumns.append(("declined_\(ground.rawValue)", { $0.declined[ground] ?? 0 }))
        }
        countColumns.append(("site_visits", \.siteVisits))
        countColumns.append(("answered", \.answered))
        countColumns.append(("answered_within_deadline", \.answeredWithinDeadline))
        for outcome in Outcome.allCases {
            countColumns.append(("reflected_\(outcome.rawValue)", { $0.reflected[outcome] ?? 0 }))
        }
        countColumns.append(("withdrawn", \.withdrawn))
        countColumns.append(("sent_to_office", \.sentToOffice))
        countColumns.append(("received_from_office", \.receivedFromOffice))
        countColumns.append(("open_at_month_end", \.openAtMonthEnd))
        countColumns.append(("overdue_at_month_end", \.overdueAtMonthEnd))
        countColumns.append(("deadline_not_computable", \.deadlineNotComputable))
        countColumns.append(("endorsements", \.endorsements))
        countColumns.append(("outreach_sessions", { $0.sessions[.outreach] ?? 0 }))
        countColumns.append(("outreach_attendees", { $0.attendees[.outreach] ?? 0 }))
        countColumns.append(("townhalls", { $0.sessions[.townhall] ?? 0 }))
        countColumns.append(("townhall_attendees", { $0.attendees[.townhall] ?? 0 }))
        let derivedColumns = ["answered_within_deadline_pct", "median_days_to_answer", "p90_days_to_answer"]
        let leading = ["month"] + (dimension.map { [$0.rawValue] } ?? [])
        header = leading + countColumns.map(\.0) + derivedColumns
        numericColumns = Array(leading.count..<header.count)
        for month in statistics {
            let groups: [(String?, MonthFigures)] =
                dimension == nil ? [(nil, month.total)] : month.groups.keys.sorted().map { ($0, month.groups[$0]!) }
            for (group, figures) in groups {
                var row: [String?] = [month.month.description] + (dimension == nil ? [] : [group])
                var record: [String: StatisticsJSON.Value] = [:]
                if let dimension, let group { record[dimension.rawValue] = .text(group) }
                for (name, value) in countColumns {
                    let count = suppression.published(value(figures))
                    row.append(count.map(String.init))
                    record[name] = count.map { .number(Double($0)) } ?? .suppressed
                }
                let hide = suppression.hidesRates(of: figures)
                let percent = hide ? nil : figures.answeredWithinDeadlinePercent.map { ($0 * 10).rounded() / 10 }
                let derived: [Double?] = [
                    percent, hide ? nil : figures.medianDaysToAnswer.map(Double.init),
                    hide ? nil : figures.p90DaysToAnswer.map(Double.init),
                ]
                for (name, value) in zip(derivedColumns, derived) {
                    row.append(value.map { $0 == $0.rounded() && name != derivedColumns[0] ? String(Int($0)) : String($0) })
                    record[name] = value.map { .number($0) } ?? .suppressed
                }
                rows.append(row)
                record["month"] = .text(month.month.description)
                records.append(record)
            }
        }
    }
}

struct StatisticsJSON: Encodable {
    enum Value: Encodable {
        case text(String)
        case number(Double)
        /// Blanked (or not defined, like a median of no answers): null.
        case suppressed

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .number(let number):
                if number == number.rounded(), abs(number) < 1e15 {
                    try container.encode(Int64(number))
                } else {
                    try container.encode(number)
                }
            case .suppressed: try container.encodeNil()
            }
        }
    }

    var program: String
    var log: [String: String]
    var policySHA256: String
    var policy: Policy
    var months: [[String: Value]]

    init(table: StatisticsTable, provenance: Provenance, policy: Policy) {
        program = provenance.program
        log = ["seq": String(provenance.logSeq), "head": provenance.logHead]
        policySHA256 = provenance.policySHA256
        self.policy = policy
        months = table.records
    }
}
