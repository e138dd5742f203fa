import ArgumentParser
import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoViews

struct HolidayOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Folder of holiday files YYYY.txt (default: $SINMUNGO_HOLIDAYS, else Fixtures/holidays).", valueName: "dir"))
    var holidays: String?

    /// Looks where the option says, else beside the working directory, else up from the tool.
    var folder: String? {
        if let holidays { return holidays }
        if let fromEnvironment = ProcessInfo.processInfo.environment["SINMUNGO_HOLIDAYS"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        var candidates = [FileManager.default.currentDirectoryPath]
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(folder.path)
            folder = folder.deletingLastPathComponent()
        }
        return candidates.map { $0 + "/Fixtures/holidays" }.first { FileManager.default.fileExists(atPath: $0) }
    }

    func clock() throws -> DeadlineClock {
        guard let folder else {
            throw CommandLineFailure(
                message: "no holiday calendar folder: give --holidays DIR or set SINMUNGO_HOLIDAYS",
                exitStatus: ExitStatus.noInput)
        }
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw CommandLineFailure(message: "cannot read the holiday folder \(folder)", exitStatus: ExitStatus.noInput)
        }
        var calendar = HolidayCalendar()
        for file in files.sorted() where file.hasSuffix(".txt") {
            guard let year = Int(file.dropLast(4)), (1900...9999).contains(year) else { continue }
            let path = folder + "/" + file
            let contents = String(decoding: try readInputFile(path), as: UTF8.self)
            try calendar.add(year: year, fileContents: contents, source: path)
        }
        return DeadlineClock(calendar: calendar)
    }
}

struct Extend: ParsableCommand {
    static let configuration = CommandConfiguration(
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
        abstract: "Open cases ordered by their next deadline, with its kind, date and days left."
    )
    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var holidayOptions: HolidayOptions
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Only deadlines due within this many days (overdue ones included).", valueName: "days"))
    var within: Int?
    @Flag(help: "Only deadlines already missed.") var overdue = false
    @Option(help: ArgumentHelp("Count from this KST date instead of today.", valueName: "date")) var today: String?

    struct Entry: Encodable {
        var caseId: String
        var kind: String
        var status: String
        var deadline: String
        var due: String
        var daysLeft: Int
        var title: String
    }

    func run() throws {
        var todayDate = currentInstant().kstDate
        if let today {
            guard let parsed = Instant(iso8601: today) else {
                throw CommandLineFailure.usage("--today \"\(today)\" is not a date such as 2019-07-01")
            }
            todayDate = parsed.kstDate
        }
        if let within, within < 0 { throw CommandLineFailure.usage("--within must be zero or more, not \(within)") }
        let clock = try holidayOptions.clock()
        let log = try store.openStore(.readOnly)
        var entries: [Entry] = []
        for summary in try log.summaries() where !summary.status.isClosed {
            guard let next = try clock.openDeadlines(of: summary.deadlineSubject, policy: .yeongdeungpo).first else { continue }
            let daysLeft = next.due.kstDate.daysSinceEpoch - todayDate.daysSinceEpoch
            if overdue, daysLeft >= 0 { continue }
            if let within, daysLeft > within { continue }
            entries.append(
                Entry(
                    caseId: summary.id.rawValue, kind: summary.kind.rawValue, status: summary.status.rawValue,
                    deadline: next.kind.rawValue, due: next.due.kstDate.description, daysLeft: daysLeft, title: summary.title
                ))
        }
        entries.sort { ($0.due, $0.caseId) < ($1.due, $1.caseId) }
        let header = ["id", "kind", "status", "deadline", "due", "days left", "title"]
        let rows = entries.map { [$0.caseId, $0.kind, $0.status, $0.deadline, $0.due, String($0.daysLeft), $0.title] }
        switch read.format {
        case .json:
            print(try JSONOutput.encode(entries))
        case .csv:
            print(try CSVOutput.render(header: header, rows: rows), terminator: "")
        case .table:
            var table = TextTable(header, rightAligned: [5])
            rows.forEach { table.append($0) }
            print(table.render())
        }
    }
}
