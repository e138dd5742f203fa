import Foundation
import Testing

@Suite("Deadlines every day, wherever the tool is installed")
struct DailyDeadlineTests {
    /// A runner on 27 November 2026 with no holiday folder: only the built-in calendars.
    func today() -> CLI {
        var cli = CLI()
        cli.environment["SINMUNGO_HOLIDAYS"] = nil
        cli.environment["SINMUNGO_CLOCK"] = "2026-11-27T10:00:00+09:00"
        return cli
    }

    @Test
    func anInstalledCopyCountsDeadlinesIntoNextYearFromAnUnrelatedFolder() throws {
        let cli = today()
        // The tool copied alone into a folder of its own, run from yet another folder.
        let tool = try CLI.installCopy(into: cli.folder.appendingPathComponent("bin")).path
        let db = ["--db", cli.path("office.sqlite")]
        func run(_ arguments: String...) throws -> CLI.Result { try cli.run([tool] + db + arguments, direct: true) }
        #expect(try run("init").status == 0)
        let filed = try run("petition", "file", "--title", "가로등 고장", "--category", "도시")
        #expect(filed.stdout == "PET-2026-0001\n", "\(filed.stderr)")
        let due = try run("due", "--format", "csv")
        #expect(due.status == 0, "\(due.stderr)")
        #expect(
            due.stdout == """
                id,kind,status,deadline,due,days left,note,title
                PET-2026-0001,petition,filed,department-answer,2027-01-12,46,provisional calendar,가로등 고장

                """)
        #expect(due.stderr.isEmpty)
        let stats = try run("stats", "--year", "2026", "--format", "csv")
        #expect(stats.status == 0, "\(stats.stderr)")
        #expect(stats.stdout.contains("\n2026-11,1,"))
        let report = try run("report", "--year", "2026", "--out", cli.path("report.html"))
        #expect(report.status == 0, "\(report.stderr)")
        let shown = try run("show", "PET-2026-0001", "--format", "json").stdout
        #expect(shown.contains(#""due endorsement-window" : "2026-12-28T23:59:59+09:00""#))
        #expect(shown.contains(#""due department-answer" : "2027-01-12T23:59:59+09:00 (provisional calendar)""#))
    }

    @Test
    func aHolidayFolderAddsAnAdHocHolidayOnTopOfTheBuiltInYears() throws {
        var cli = today()
        let db = ["--db", cli.path("log.sqlite")]
        #expect(try cli.run(db + ["init"]).status == 0)
        #expect(try cli.run(db + ["petition", "file", "--title", "t", "--category", "도시"]).status == 0)
        let folder = cli.folder.appendingPathComponent("holidays")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let builtIn = try String(contentsOfFile: DueTests.holidays + "/2027.txt", encoding: .utf8)
        try (builtIn + "2027-01-04 임시공휴일\n").write(
            to: folder.appendingPathComponent("2027.txt"), atomically: true, encoding: .utf8)
        let withOption = try cli.run(db + ["due", "--format", "csv", "--holidays", folder.path]).stdout
        #expect(withOption.contains(",department-answer,2027-01-13,47,"))
        cli.environment["SINMUNGO_HOLIDAYS"] = folder.path
        #expect(try cli.run(db + ["due", "--format", "csv"]).stdout == withOption)
    }

    @Test
    func aCaseInAYearWithoutACalendarSaysSoAndEveryOtherRowStillPrints() throws {
        var cli = today()
        cli.environment["SINMUNGO_CLOCK"] = "2030-12-20T10:00:00+09:00"
        let db = ["--db", cli.path("log.sqlite")]
        #expect(try cli.run(db + ["init"]).status == 0)
        #expect(
            try cli.run(db + ["petition", "file", "--title", "이른", "--category", "도시", "--at", "2030-10-01T10:00"]).status == 0)
        #expect(try cli.run(db + ["petition", "file", "--title", "늦은", "--category", "도시"]).status == 0)
        cli.environment["SINMUNGO_CLOCK"] = "2031-02-02T10:00:00+09:00"
        let due = try cli.run(db + ["due", "--format", "csv"])
        #expect(due.status == 0, "\(due.stderr)")
        #expect(
            due.stdout == """
                id,kind,status,deadline,due,days left,note,title
                PET-2030-0001,petition,filed,department-answer,2030-11-14,-80,provisional calendar,이른
                PET-2030-0002,petition,filed,department-answer,not computable,,no holiday calendar for 2031,늦은

                """)
        #expect(due.stderr.contains("warning: the holiday calendar ends with 2030"))
        let shown = try cli.run(db + ["show", "PET-2030-0002", "--format", "json"])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains(#""due department-answer" : "not computable: no holiday calendar for 2031""#))
        let stats = try cli.run(db + ["stats", "--month", "2031-01", "--format", "json"])
        #expect(stats.status == 0, "\(stats.stderr)")
        #expect(stats.stdout.contains(#""deadline_not_computable" : 1"#))
        #expect(try cli.run(db + ["report", "--year", "2030", "--out", cli.path("r.html")]).status == 0)
    }

    @Test
    func everyDeadlineCommandWarnsWhenTheCalendarEndsWithinAYear() throws {
        var cli = today()
        let db = ["--db", cli.path("log.sqlite")]
        #expect(try cli.run(db + ["init"]).status == 0)
        #expect(try cli.run(db + ["petition", "file", "--title", "t", "--category", "도시"]).status == 0)
        let commands = [
            ["due"], ["show", "PET-2026-0001"], ["stats", "--year", "2026"],
            ["report", "--year", "2026", "--out", cli.path("r.html")],
        ]
        for command in commands {
            #expect(try cli.run(db + command).stderr.isEmpty, "\(command)")
        }
        cli.environment["SINMUNGO_CLOCK"] = "2030-01-02T10:00:00+09:00"
        for command in commands {
            let result = try cli.run(db + command)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect(result.stderr.hasPrefix("sinmungo: warning: the holiday calendar ends with 2030"), "\(command)")
        }
    }

    @Test
    func dueSkipsTheClosedWindowAndCanBeAskedAboutAPastDayLikeStats() throws {
        let cli = today()
        let db = ["--db", cli.path("log.sqlite")]
        #expect(try cli.run(db + ["init"]).status == 0)
        for day in ["2026-09-01", "2026-10-05"] {
            #expect(
                try cli.run(db + ["petition", "file", "--title", day, "--category", "도시", "--at", day + "T10:00"]).status == 0)
        }
        #expect(try cli.run(db + ["review", "PET-2026-0001", "--department", "도로과", "--at", "2026-09-02T10:00"]).status == 0)
        #expect(try cli.run(db + ["answer", "PET-2026-0001", "--summary", "조치함", "--at", "2026-11-20T10:00"]).status == 0)
        // On 1 November both windows are over or running; neither is listed, only the answers owed.
        // The first closed on 1 Oct, so its answer was due 10 working days later, on 19 Oct.
        let past = try cli.run(db + ["due", "--effective", "2026-11-01", "--format", "csv"])
        #expect(past.status == 0, "\(past.stderr)")
        let rows = past.stdout.split(separator: "\n").dropFirst()
        #expect(rows.count == 2)
        #expect(!past.stdout.contains("endorsement-window"))
        #expect(rows.first?.hasPrefix("PET-2026-0001,petition,reviewed,department-answer,2026-10-19,-13,") == true)
        // Now the first is answered. The second's window closed on 4 Nov: only its answer is overdue.
        let now = try cli.run(db + ["due", "--overdue", "--format", "csv"]).stdout
        #expect(now.split(separator: "\n").count == 2)
        #expect(now.contains("PET-2026-0002,petition,filed,department-answer,2026-11-18,-9,"))
        // What stats counts as overdue at the end of October is what due says at that moment.
        let overdueThen = try cli.run(db + ["due", "--effective", "2026-11-01", "--overdue", "--format", "csv"]).stdout
        let stats = try cli.run(db + ["stats", "--month", "2026-10", "--format", "json"]).stdout
        #expect(overdueThen.split(separator: "\n").count - 1 == 1)
        #expect(stats.contains(#""overdue_at_month_end" : 1"#))
    }
}
