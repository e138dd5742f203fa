import ArgumentParser
import Foundation
import SinmungoCore
import SinmungoReport
import SinmungoStore
import SinmungoViews

struct Counts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "counts",
        abstract: "The district's figures: cases, sessions, attendance, records, and cases by state.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var when: PointInTimeOptions
    @Option(help: "Count only what was filed, held or posted in this KST year.", transform: parseYear) var year: Int?

    func run() throws {
        let log = try store.openStore(reading: .readStatistics)
        let point = when.point
        // Counting needs no order, nor all the rows at once: each is counted as it is read, and
        // in the past, as each case's own events fold it.
        var counts = CaseCounts()
        if point.isNow {
            try log.forEachRow(of: CaseProjection.self, at: point) { _, row in counts.add(row, ifFiledIn: year) }
        } else if point.asOf == nil, let moment = point.effective {
            // The case list at the head stands in for the cases that have not changed since.
            try counts.add(
                at: moment, currentRows: { visit in try log.forEachRow(of: CaseProjection.self, at: .now, visit) },
                steps: { cases, fold in try log.forEachEvent(at: point, ofCases: cases, fold) }, ifFiledIn: year)
        } else {
            try counts.add(caseByCase: { try log.forEachEvent(at: point, order: .caseByCase, $0) }, ifFiledIn: year)
        }
        try CountsReport(counts: counts, year: year, head: try log.head(at: point)).print(format: read.format)
    }
}

/// The counts in each output format; shared by `counts` and `replay`.
struct CountsReport: Encodable {
    var year: Int?
    var petitions: Int
    var proposals: Int
    var outreachSessions: Int
    var outreachAttendees: Int
    var townHalls: Int
    var townHallAttendees: Int
    var records: Int
    var byState: [String: [String: Int]]
    var outcomes: [String: Int]
    /// Nil when the head means nothing to keep: a legacy file sealed afresh by `replay`.
    var logHead: LogHead?
    /// The file `replay` read.
    var input: Input?

    struct LogHead: Encodable {
        var seq: Int64
        var hash: String
    }

    struct Input: Encodable {
        var file: String
        var sha256: String
        /// The file gave every event's hash, and `logHead` is its own, verified.
        var carriesChain: Bool
    }

    init(counts: CaseCounts, year: Int?, head: LogAnchor) {
        self.year = year
        petitions = counts.petitions
        proposals = counts.proposals
        outreachSessions = counts.outreachSessions
        outreachAttendees = counts.outreachAttendees
        townHalls = counts.townHalls
        townHallAttendees = counts.townHallAttendees
        records = counts.records
        func named(_ byStatus: [CaseStatus: Int]) -> [String: Int] {
            Dictionary(uniqueKeysWithValues: byStatus.map { ($0.key.rawValue, $0.value) })
        }
        byState = ["petition": named(counts.petitionsByStatus), "proposal": named(counts.proposalsByStatus)]
        outcomes = Dictionary(uniqueKeysWithValues: counts.outcomes.map { ($0.key.rawValue, $0.value) })
        logHead = LogHead(seq: head.sequence, hash: EventHash.hex(head.hash))
    }

    private var figures: [(String, Int)] {
        [
            ("petitions", petitions), ("proposals", proposals), ("outreach sessions", outreachSessions),
            ("outreach attendees", outreachAttendees), ("town halls", townHalls),
            ("town hall attendees", townHallAttendees), ("records", records),
        ]
    }

    private var stateRows: [(String, String, Int)] {
        var rows: [(String, String, Int)] = []
        for kind in ["petition", "proposal"] {
            for status in CaseStatus.allCases {
                if let count = byState[kind]?[status.rawValue] { rows.append((kind, status.rawValue, count)) }
            }
        }
        return rows
    }

    func print(format: ReadFormat) throws {
        let output = try Renderer.render(format, json: { self }, csv: { csv }, table: { table })
        Swift.print(output, terminator: "")
    }

    private var csv: (header: [String], rows: [[String]]) {
        var rows = figures.map { ["total", $0.0, String($0.1)] }
        rows += stateRows.map { ["\($0.0) status", $0.1, String($0.2)] }
        rows += Outcome.allCases.compactMap { outcome in
            outcomes[outcome.rawValue].map { ["outcome", outcome.rawValue, String($0)] }
        }
        return (["group", "figure", "value"], rows)
    }

    /// A heading naming what was counted, then the figures, the cases by state and the outcomes.
    private var table: String {
        var lines: [String] = []
        let scope = year.map { "filed, held or posted in \($0) (KST)" } ?? "the whole log"
        switch (input, logHead) {
        case (let input?, let head?):
            lines.append("Counts for \(scope), from \(input.file) (SHA-256 \(input.sha256))")
            lines.append("Its hash chain verifies to the head \(head.seq):\(head.hash).\n")
        case (let input?, nil):
            lines.append("Counts for \(scope), from \(input.file) (SHA-256 \(input.sha256))")
            lines.append(
                "The file carries no hash chain, so it was sealed and chained in memory under fresh keys and its head differs every run; keep the file's SHA-256 instead.\n"
            )
        case (nil, let head?):
            lines.append("Counts for \(scope), log head \(head.seq):\(head.hash.prefix(12))…\n")
        case (nil, nil):
            lines.append("Counts for \(scope)\n")
        }
        var table = TextTable(["figure", "value"], rightAligned: [1])
        figures.forEach { table.append([$0.0, grouped($0.1)]) }
        lines.append(table.render())
        lines.append("")
        var states = TextTable(["kind", "status", "cases"], rightAligned: [2])
        stateRows.forEach { states.append([$0.0, $0.1, grouped($0.2)]) }
        lines.append(states.render())
        if !outcomes.isEmpty {
            lines.append("")
            var outcomeTable = TextTable(["outcome", "cases"], rightAligned: [1])
            for outcome in Outcome.allCases {
                if let count = outcomes[outcome.rawValue] { outcomeTable.append([outcome.rawValue, grouped(count)]) }
            }
            lines.append(outcomeTable.render())
        }
        return lines.joined(separator: "\n")
    }
}
