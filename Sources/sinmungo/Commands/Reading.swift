import ArgumentParser
import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoViews

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show one case as it stands now, with the petitioner's details for officers.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var when: PointInTimeOptions
    @OptionGroup var holidayOptions: HolidayOptions
    @Argument(help: "The case id.") var id: CaseIDArgument

    func run() throws {
        let log = try store.openStore(.readOnly)
        let point = try when.point()
        let found = point.isNow ? try log.summary(of: id.id) : try log.summaries(at: point).first { $0.id == id.id }
        guard let summary = found else { throw Refusal.noSuchCase(id.id) }
        let events = try log.events(at: point, of: id.id)
        var fields = CaseFields(summary)
        if case .petitionFiled(let filed)? = events.first?.event {
            fields.append("body", filed.body)
        }
        let person = summary.kind == .proposal ? "proposer" : "petitioner"
        switch try log.personalData(in: events) {
        case .none:
            break
        case .held(let data), .unencrypted(let data):
            fields.append("body", data.body)
            fields.append(person, data.name)
            fields.append("phone", data.phone)
            fields.append("email", data.email)
        case .erased(let at, let by, let reason, let request):
            let ground = request.map { " at the data subject's request \($0)" } ?? ""
            fields.append(person, "(erased \(at) by \(by)\(ground): \(reason))")
        case .unavailable(let reason):
            fields.append(person, "(sealed; cannot be opened: \(reason))")
        }
        // A deadline in a year without a calendar says so; the case and its other deadlines still show.
        if !summary.status.isClosed {
            let clock = try holidayOptions.clock()
            let subject = summary.deadlineSubject
            var counted: [Deadline] = []
            var uncounted: [(Deadline.Kind, String)] = []
            for kind in clock.owedKinds(of: subject) {
                do {
                    counted.append(try clock.deadline(kind, of: subject, policy: .yeongdeungpo))
                } catch {
                    uncounted.append((kind, "not computable: \(error)"))
                }
            }
            for deadline in counted.sorted(by: { ($0.due, $0.kind.rawValue) < ($1.due, $1.kind.rawValue) }) {
                fields.append(
                    "due \(deadline.kind)", deadline.due.description + (deadline.provisional ? " (provisional calendar)" : ""))
            }
            for (kind, problem) in uncounted { fields.append("due \(kind)", problem) }
        }
        switch read.format {
        case .table:
            var table = TextTable(["field", "value"])
            for (name, value) in fields.pairs { table.append([name, value.text]) }
            print(table.render())
        case .json:
            print(try JSONOutput.encode(fields.dictionary))
        case .csv:
            print(try CSVOutput.render(header: fields.pairs.map(\.0), rows: [fields.pairs.map(\.1.text)]), terminator: "")
        }
    }
}

/// A field's value: JSON keeps numbers as numbers.
enum FieldValue: Encodable {
    case text(String)
    case number(Int)

    var text: String {
        switch self {
        case .text(let value): value
        case .number(let value): String(value)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        }
    }
}

/// A summary as named fields, in reading order, leaving out what does not apply.
struct CaseFields {
    var pairs: [(String, FieldValue)]

    var dictionary: [String: FieldValue] {
        Dictionary(pairs, uniquingKeysWith: { first, _ in first })
    }

    mutating func append(_ name: String, _ value: String?) {
        if let value, !value.isEmpty { pairs.append((name, .text(value))) }
    }

    init(_ summary: CaseSummary) {
        func ids(_ list: [CaseID]) -> String { list.map(\.rawValue).joined(separator: " ") }
        func text(_ value: String?) -> FieldValue? { value.map(FieldValue.text) }
        func number(_ value: Int?) -> FieldValue? { value.map(FieldValue.number) }
        let all: [(String, FieldValue?)] = [
            ("id", text(summary.id.rawValue)),
            ("kind", text(summary.kind.rawValue)),
            ("status", text(summary.status.rawValue)),
            ("version", number(summary.version)),
            ("title", text(summary.title)),
            ("category", text(summary.category)),
            ("department", text(summary.department)),
            ("filedAt", text(summary.filedAt.description)),
            ("updatedAt", text(summary.updatedAt.description)),
            ("session", text(summary.session?.rawValue)),
            ("sessionKind", text(summary.sessionKind?.rawValue)),
            ("field", text(summary.field)),
            ("theme", text(summary.theme)),
            ("place", text(summary.place)),
            ("attendees", number(summary.attendees)),
            ("proposals", number(summary.kind == .session ? summary.proposals : nil)),
            ("endorsements", number(summary.kind == .petition ? summary.endorsements : nil)),
            ("qualifiedAt", text(summary.qualifiedAt?.description)),
            ("visits", number(summary.visits > 0 ? summary.visits : nil)),
            ("transfers", number(summary.transfers > 0 ? summary.transfers : nil)),
            ("answeredAt", text(summary.answeredAt?.description)),
            ("answeredBy", text(summary.answeredBy?.rawValue)),
            ("outcome", text(summary.outcome?.rawValue)),
            ("policy", text(summary.policy)),
            ("declineGround", text(summary.declineGround?.rawValue)),
            ("duplicateOf", text(summary.duplicateOf?.rawValue)),
            ("duplicates", text(summary.duplicates.isEmpty ? nil : ids(summary.duplicates))),
            ("about", text(summary.about.isEmpty ? nil : ids(summary.about))),
            ("lastSeq", number(Int(summary.lastSequence))),
        ]
        pairs = all.compactMap { name, value in value.map { (name, $0) } }
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List cases, oldest first.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var when: PointInTimeOptions
    @Option(help: "petition, proposal, session or record.") var kind: CaseKind?
    @Option(help: ArgumentHelp("One of: \(CaseStatus.allCases.map(\.rawValue).joined(separator: ", ")).")) var status: CaseStatus?

    func run() throws {
        let summaries = try store.openStore(.readOnly).summaries(kind: kind, status: status, at: try when.point())
        let header = ["id", "kind", "status", "version", "filed", "category", "department", "title"]
        let rows = summaries.map { summary in
            [
                summary.id.rawValue, summary.kind.rawValue, summary.status.rawValue, String(summary.version),
                summary.filedAt.kstDate.description, summary.category ?? summary.field ?? "", summary.department ?? "",
                summary.title,
            ]
        }
        switch read.format {
        case .table:
            var table = TextTable(header, rightAligned: [3])
            rows.forEach { table.append($0) }
            print(table.render())
        case .json:
            print(try JSONOutput.encode(summaries.map { CaseFields($0).dictionary }))
        case .csv:
            print(try CSVOutput.render(header: header, rows: rows), terminator: "")
        }
    }
}

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Every event of a case in order: who did what, when, and why.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var when: PointInTimeOptions
    @Argument(help: "The case id.") var id: CaseIDArgument

    struct Entry: Encodable {
        var seq: Int64
        var caseVersion: Int
        var occurredAt: String
        var recordedAt: String
        var actor: String
        var commandId: String
        var step: String
        var reason: String?
        var details: [String: String]
    }

    func run() throws {
        let events = try store.openStore(.readOnly).events(at: try when.point(), of: id.id)
        guard !events.isEmpty else { throw Refusal.noSuchCase(id.id) }
        let header = ["seq", "version", "occurred", "recorded", "actor", "step", "reason", "details"]
        let rows = events.map { event in
            [
                String(event.sequence), String(event.caseVersion), event.occurredAt.description, event.recordedAt.description,
                event.actor, event.type.rawValue, event.event.reason ?? "", event.event.detailsLine,
            ]
        }
        switch read.format {
        case .table:
            var table = TextTable(header, rightAligned: [0, 1])
            rows.forEach { table.append($0) }
            print(table.render())
        case .json:
            let entries = events.map { event in
                Entry(
                    seq: event.sequence, caseVersion: event.caseVersion, occurredAt: event.occurredAt.description,
                    recordedAt: event.recordedAt.description, actor: event.actor, commandId: event.commandID,
                    step: event.type.rawValue, reason: event.event.reason,
                    details: Dictionary(
                        event.event.details.filter { $0.name != "reason" }.map { ($0.name, $0.value) },
                        uniquingKeysWith: { a, _ in a }
                    )
                )
            }
            print(try JSONOutput.encode(entries))
        case .csv:
            print(try CSVOutput.render(header: header, rows: rows), terminator: "")
        }
    }
}

struct Counts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The district's figures: cases, sessions, attendance, records, and cases by state.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var when: PointInTimeOptions
    @Option(help: "Count only what was filed, held or posted in this KST year.", transform: parseYear) var year: Int?

    func run() throws {
        let log = try store.openStore(.readOnly)
        let point = try when.point()
        try CountsReport(counts: CaseCounts(try log.summaries(at: point), year: year), year: year, head: try log.head(at: point))
            .print(format: read.format)
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
        switch format {
        case .json:
            Swift.print(try JSONOutput.encode(self))
        case .csv:
            var rows = figures.map { ["total", $0.0, String($0.1)] }
            rows += stateRows.map { ["\($0.0) status", $0.1, String($0.2)] }
            rows += Outcome.allCases.compactMap { outcome in
                outcomes[outcome.rawValue].map { ["outcome", outcome.rawValue, String($0)] }
            }
            Swift.print(try CSVOutput.render(header: ["group", "figure", "value"], rows: rows), terminator: "")
        case .table:
            let scope = year.map { "filed, held or posted in \($0) (KST)" } ?? "the whole log"
            switch (input, logHead) {
            case (let input?, let head?):
                Swift.print("Counts for \(scope), from \(input.file) (SHA-256 \(input.sha256))")
                Swift.print("Its hash chain verifies to the head \(head.seq):\(head.hash).\n")
            case (let input?, nil):
                Swift.print("Counts for \(scope), from \(input.file) (SHA-256 \(input.sha256))")
                Swift.print(
                    "The file carries no hash chain, so it was sealed and chained in memory under fresh keys and its head differs every run; keep the file's SHA-256 instead.\n"
                )
            case (nil, let head?):
                Swift.print("Counts for \(scope), log head \(head.seq):\(head.hash.prefix(12))…\n")
            case (nil, nil):
                Swift.print("Counts for \(scope)\n")
            }
            var table = TextTable(["figure", "value"], rightAligned: [1])
            figures.forEach { table.append([$0.0, grouped($0.1)]) }
            Swift.print(table.render())
            Swift.print("")
            var states = TextTable(["kind", "status", "cases"], rightAligned: [2])
            stateRows.forEach { states.append([$0.0, $0.1, grouped($0.2)]) }
            Swift.print(states.render())
            if !outcomes.isEmpty {
                Swift.print("")
                var outcomeTable = TextTable(["outcome", "cases"], rightAligned: [1])
                for outcome in Outcome.allCases {
                    if let count = outcomes[outcome.rawValue] { outcomeTable.append([outcome.rawValue, grouped(count)]) }
                }
                Swift.print(outcomeTable.render())
            }
        }
    }
}
