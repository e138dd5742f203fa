import ArgumentParser
import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoViews

extension AccessTask: ExpressibleByArgument {}

struct AccessLog: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access-log",
        abstract: "The privacy officer's monthly check of the access records (접속기록, 안전성 확보조치 기준 §8②).",
        discussion: """
            Lists every opening of personal data in the month, filtered by officer, case or task, and flags \
            what needs a look: many persons opened by one officer in a day, openings outside office hours \
            (09:00-18:00 KST on working days), cases outside the officer's departments, and downloads or \
            prints. Each run records that the month was checked, by whom and when, in the same chained \
            records. --prune deletes the records older than the policy's retention period.
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var holidayOptions: HolidayOptions
    @Option(help: ArgumentHelp("The KST month to check, YYYY-MM.", valueName: "month")) var month: YearMonth?
    @Option(help: ArgumentHelp("Only this officer's records.", valueName: "id")) var officer: String?
    @Option(name: .customLong("case"), help: ArgumentHelp("Only this case's records.", valueName: "id"))
    var caseID: CaseIDArgument?
    @Option(
        help: ArgumentHelp(
            "Only this task: \(AccessTask.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "task"))
    var task: AccessTask?
    @Flag(help: "Only the records that carry a flag.") var flagged = false
    @Option(
        name: .customLong("persons-per-day"),
        help: ArgumentHelp("Flag an officer who opened more persons than this in a day (default 20).", valueName: "n"))
    var personsPerDay = 20
    @Flag(help: "Delete the records older than the policy keeps them, instead of listing.") var prune = false
    @Option(
        help: ArgumentHelp(
            "The privacy officer checking (default: $SINMUNGO_ACTOR, else the officer the roster ties to this account).",
            valueName: "id"))
    var actor: String?

    func validate() throws {
        guard prune || month != nil else { throw ValidationError("give --month YYYY-MM, or --prune") }
        if personsPerDay < 1 { throw ValidationError("--persons-per-day must be at least 1") }
    }

    struct Entry: Encodable {
        var seq: Int64
        var at: String
        var account: String
        var officer: String
        var host: String
        var caseId: String?
        var person: String?
        var task: String
        var reason: String?
        var flags: [String]
    }

    func run() throws {
        let log = try store.openStore()
        let account = try log.actingAccount()
        let named = actor ?? ProcessInfo.processInfo.environment["SINMUNGO_ACTOR"].flatMap { $0.isEmpty ? nil : $0 }
        let roster = try log.roster()
        let checker = try PersonalDataAccess.reader(
            roster: roster, actor: named, account: account, task: .checkAccessRecords, caseDepartment: nil, case: nil)
        let now = currentInstant()
        if prune {
            let cutoff = Sinmungo.policy.accessRecordCutoff(today: now.kstDate)
            let removed = try log.pruneAccessRecords(before: cutoff)
            print(
                "deleted \(removed) access records from before \(cutoff), kept \(Sinmungo.policy.accessRecordRetentionYears) years"
            )
            return
        }
        guard let month else { return }
        let start = Instant(kst: CivilDate(year: month.year, month: month.month, day: 1)!)
        let all = try log.accessRecords(in: start..<month.end)
        var review = AccessReview(roster: roster, calendar: try holidayOptions.calendar())
        review.personsPerDay = personsPerDay
        let flags = try review.flags(all) { try log.summary(of: $0)?.department }
        let shown = all.filter { record in
            (officer.map { record.officer == $0 } ?? true) && (caseID.map { record.caseID == $0.id } ?? true)
                && (task.map { record.task == $0 } ?? true) && (!flagged || flags[record.sequence] != nil)
        }
        let entries = shown.map { record in
            Entry(
                seq: record.sequence, at: record.at.description, account: record.account, officer: record.officer,
                host: record.host, caseId: record.caseID?.rawValue, person: record.person, task: record.task.rawValue,
                reason: record.reason, flags: (flags[record.sequence] ?? []).map(\.rawValue))
        }
        let header = ["seq", "at", "account", "officer", "host", "case", "person", "task", "reason", "flags"]
        let rows = entries.map {
            [
                String($0.seq), $0.at, $0.account, $0.officer, $0.host, $0.caseId ?? "", $0.person ?? "", $0.task,
                $0.reason ?? "", $0.flags.joined(separator: " "),
            ]
        }
        print(try Renderer.render(read.format, header: header, rows: rows, rightAligned: [0]) { entries }, terminator: "")
        // The check itself is kept, chained with the records it looked at.
        let summary = "checked \(month): \(all.filter { $0.task != .monthlyCheck }.count) records, \(flags.count) flagged"
        let check = try log.recordAccess(
            AccessRecord(
                at: now, account: account, officer: checker, host: OperatingSystemAccount.host(), caseID: nil, person: nil,
                task: .monthlyCheck, reason: summary))
        printError("\(summary); the check is access record \(check.sequence), by \(checker) at \(check.at)")
    }
}
