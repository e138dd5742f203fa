import Foundation
import Testing

@Suite("What is due, whatever the machine's time zone")
struct DueTests {
    static let holidays = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/holidays").path

    @Test
    func dueListsOpenCasesByNextDeadlineTheSameInEveryTimeZone() throws {
        var cli = CLI()
        cli.environment["SINMUNGO_HOLIDAYS"] = Self.holidays
        let db = ["--db", cli.path("log.sqlite")]
        #expect(try cli.run(db + ["init"]).status == 0)
        // Filed 23:30 KST on 31 October: that is still 31 October in Seoul, 14:30 UTC.
        let late = try cli.run(db + ["petition", "file", "--title", "가로등", "--category", "도시", "--at", "2019-10-31T23:30"]).stdout
        let early = try cli.run(db + ["petition", "file", "--title", "보도블록", "--category", "도시", "--at", "2019-11-01T00:10"])
            .stdout
        #expect(late == "PET-2019-0001\n")
        #expect(early == "PET-2019-0002\n")
        #expect(try cli.run(db + ["review", "PET-2019-0002", "--department", "도로과", "--at", "2019-11-04T10:00"]).status == 0)
        var outputs: [String] = []
        for zone in ["UTC", "America/Los_Angeles", "Asia/Seoul"] {
            var zoned = cli
            zoned.environment["TZ"] = zone
            let result = try zoned.run(db + ["due", "--today", "2019-11-25", "--format", "csv"])
            #expect(result.status == 0, "\(zone): \(result.stderr)")
            outputs.append(result.stdout)
        }
        #expect(Set(outputs).count == 1, "due differs by time zone: \(outputs)")
        // Windows close 30 days after filing (30 Nov, a Saturday → 2 Dec; 1 Dec, a Sunday → 2 Dec) by
        // themselves; the officers' next task is the answer, 10 working days from 3 Dec.
        #expect(
            outputs[0] == """
                id,kind,status,deadline,due,days left,note,title
                PET-2019-0001,petition,filed,department-answer,2019-12-16,21,,가로등
                PET-2019-0002,petition,reviewed,department-answer,2019-12-16,21,,보도블록

                """)
        let closedWindows = try cli.run(db + ["due", "--today", "2019-12-03", "--overdue", "--format", "csv"]).stdout
        #expect(closedWindows.split(separator: "\n").count == 1)
        let overdue = try cli.run(db + ["due", "--today", "2019-12-17", "--overdue", "--format", "csv"]).stdout
        #expect(overdue.split(separator: "\n").count == 3)
        let within = try cli.run(db + ["due", "--today", "2019-11-01", "--within", "5"]).stdout
        #expect(!within.contains("PET-2019"))
        // show gives every open deadline: window, department answer, statutory result (1 Nov + 90 = 30 Jan 2020).
        let shown = try cli.run(db + ["show", "PET-2019-0002", "--format", "json"]).stdout
        #expect(shown.contains(#""due endorsement-window" : "2019-12-02T23:59:59+09:00""#))
        #expect(shown.contains(#""due department-answer" : "2019-12-16T23:59:59+09:00""#))
        #expect(shown.contains(#""due statutory-result" : "2020-01-30T23:59:59+09:00""#))
    }

    @Test
    func aHolidayFolderThatCannotBeReadIsAClearError() throws {
        let cli = CLI()
        let db = ["--db", cli.path("log.sqlite")]
        #expect(try cli.run(db + ["init"]).status == 0)
        let result = try cli.run(db + ["due", "--holidays", cli.path("nowhere")])
        #expect(result.status == 66)
        #expect(result.stderr == "sinmungo: cannot read the holiday folder \(cli.path("nowhere"))\n")
    }
}
