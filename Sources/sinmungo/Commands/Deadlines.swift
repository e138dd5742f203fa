import ArgumentParser
import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoViews

struct HolidayOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Folder of holiday files YYYY.txt that add to or replace the built-in years (default: $SINMUNGO_HOLIDAYS).",
            valueName: "dir"))
    var holidays: String?

    /// The folder named by $SINMUNGO_HOLIDAYS, if any.
    static var environmentFolder: String? {
        ProcessInfo.processInfo.environment["SINMUNGO_HOLIDAYS"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The built-in years, with the years of the option's (or the environment's) folder on top.
    func calendar() throws -> HolidayCalendar {
        try Self.calendar(adding: holidays ?? Self.environmentFolder)
    }

    /// The built-in years, with those of `folder` on top.
    static func calendar(adding folder: String?) throws -> HolidayCalendar {
        var calendar = try HolidayCalendar.builtIn()
        guard let folder else { return calendar }
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw CommandLineFailure(message: "cannot read the holiday folder \(folder)", exitStatus: ExitStatus.noInput)
        }
        var extra = HolidayCalendar()
        for file in files.sorted() where file.hasSuffix(".txt") {
            guard let year = Int(file.dropLast(4)), (1900...9999).contains(year) else { continue }
            let path = folder + "/" + file
            let contents = String(decoding: try readInputFile(path), as: UTF8.self)
            try extra.add(year: year, fileContents: contents, source: path)
        }
        calendar.merge(extra)
        return calendar
    }

    /// The clock for a deadline command, after warning when the calendar runs out within a year.
    func clock() throws -> DeadlineClock {
        let calendar = try calendar()
        let today = currentInstant().kstDate
        let horizon = today.adding(days: 365)
        if let last = calendar.lastYear, last < horizon.year {
            printError(
                "warning: the holiday calendar ends with \(last); deadlines after it cannot be counted. "
                    + "Add \(last + 1).txt with --holidays or $SINMUNGO_HOLIDAYS, or update the tool.")
        }
        return DeadlineClock(calendar: calendar)
    }
}

struct Extend: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extend",
        abstract: "Extend a petition's statutory period once, by at most 60 days, with the reason told to the petitioner."
    )
    @OptionGroup var store: StoreOptions
    @OptionGroup var write: WriteOptions
    @Argument(help: "The petition's case id.") var id: CaseIDArgument
    @Option(parsing: .unconditional, help: "Days to extend by.") var days: Int
    @Option(help: "Why (required; the petitioner is told).") var reason: String

    func run() throws {
        try perform(.extend(Extended(days: days, reason: reason)), on: id.id, store: store, write: write)
    }
}

struct Due: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due",
        abstract: "Open cases ordered by the officers' next deadline, with its kind, date and days left.",
        discussion: """
            The endorsement window is not listed: it closes by itself. A deadline that falls in a year \
            without a holiday calendar is shown as not computable, with the reason, and every other case \
            is listed as usual. "provisional" marks a deadline counted through a year whose calendar is \
            computed from the rules and not yet checked against the government's.
            """
    )
    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var when: PointInTimeOptions
    @OptionGroup var holidayOptions: HolidayOptions
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Only deadlines due within this many days (overdue ones included).", valueName: "days"))
    var within: Int?
    @Flag(help: "Only deadlines already missed.") var overdue = false
    @Option(
        help: ArgumentHelp(
            "Count from the start of this KST date instead of now (or of --effective / --as-of).", valueName: "date"))
    var today: CivilDate?

    struct Entry: Encodable {
        var caseId: String
        var kind: String
        var status: String
        var deadline: String
        var due: String?
        var daysLeft: Int?
        var overdue: Bool
        var provisional: Bool
        var problem: String?
        var title: String
    }

    func run() throws {
        if let within, within < 0 { throw CommandLineFailure.usage("--within must be zero or more, not \(within)") }
        let point = when.point
        // The moment deadlines are measured against: the one the log is read at, unless told.
        var moment = point.effective ?? point.asOf ?? currentInstant()
        if let today { moment = Instant(kst: today) }
        let todayDate = moment.kstDate
        let clock = try holidayOptions.clock()
        let log = try store.openStore(reading: .readCases)
        var entries: [Entry] = []
        for summary in try log.summaries(at: point) where !summary.status.isClosed {
            let task = clock.nextTask(of: summary.deadlineSubject, policy: Sinmungo.policy, at: moment)
            var entry = Entry(
                caseId: summary.id.rawValue, kind: summary.kind.rawValue, status: summary.status.rawValue, deadline: "",
                due: nil, daysLeft: nil, overdue: task.isOverdue, provisional: false, problem: task.problem,
                title: summary.title)
            switch task {
            case .none:
                continue
            case .open(let next, _):
                let daysLeft = next.due.kstDate.daysSinceEpoch - todayDate.daysSinceEpoch
                if overdue, !task.isOverdue { continue }
                if let within, daysLeft > within { continue }
                entry.deadline = next.kind.rawValue
                entry.due = next.due.kstDate.description
                entry.daysLeft = daysLeft
                entry.provisional = next.provisional
            case .notYetCountable(let kind, let year):
                // Not missed yet; it falls on 1 January of that year at the earliest.
                if overdue { continue }
                let earliest = CivilDate(year: year, month: 1, day: 1).map { $0.daysSinceEpoch - todayDate.daysSinceEpoch }
                if let within, let earliest, earliest > within { continue }
                entry.deadline = kind.rawValue
            case .notComputable(let kind, _):
                entry.deadline = kind.rawValue
            }
            entries.append(entry)
        }
        // Cases whose deadline cannot be counted come last, so the dated ones keep their order.
        entries.sort { ($0.due ?? "~", $0.caseId) < ($1.due ?? "~", $1.caseId) }
        let header = ["id", "kind", "status", "deadline", "due", "days left", "note", "title"]
        let rows = entries.map { entry in
            let note = entry.problem ?? (entry.provisional ? "provisional calendar" : "")
            return [
                entry.caseId, entry.kind, entry.status, entry.deadline, entry.due ?? "not computable",
                entry.daysLeft.map(String.init) ?? "", note, entry.title,
            ]
        }
        print(try Renderer.render(read.format, header: header, rows: rows, rightAligned: [5]) { entries }, terminator: "")
    }
}
