import Foundation
import Testing

@Suite("Monthly statistics for statistics staff")
struct StatisticsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixture = root.appendingPathComponent("Fixtures/yeongdeungpo-2019.jsonl").path

    /// A log holding the 2019 fixture.
    func fixtureLog() throws -> (CLI, [String]) {
        var cli = CLI()
        cli.environment["SINMUNGO_HOLIDAYS"] = Self.root.appendingPathComponent("Fixtures/holidays").path
        let db = ["--db", cli.path("log.sqlite")]
        #expect(try cli.run(db + ["init"]).status == 0)
        #expect(try cli.run(db + ["import", Self.fixture]).status == 0)
        return (cli, db)
    }

    func months(_ json: String) throws -> [[String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return try #require(object["months"] as? [[String: Any]])
    }

    func sum(_ months: [[String: Any]], _ key: String) -> Int {
        months.reduce(0) { $0 + (($1[key] as? Int) ?? 0) }
    }

    @Test
    func theYear2019AddsUpToTheReportsFigures() throws {
        let (cli, db) = try fixtureLog()
        let result = try cli.run(db + ["stats", "--year", "2019", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let year = try months(result.stdout)
        #expect(year.count == 12)
        #expect(sum(year, "received") == 139 + 111)
        #expect(sum(year, "outreach_sessions") == 19)
        #expect(sum(year, "outreach_attendees") == 479)
        #expect(sum(year, "townhalls") == 12)
        #expect(sum(year, "townhall_attendees") == 1472)
        // Every case was processed: nothing open at the end of the year.
        #expect(year.last?["open_at_month_end"] as? Int == 0)
        // The outcomes add up to the cases reflected in policy, as counted from the views.
        let counts = try #require(
            try JSONSerialization.jsonObject(with: Data(cli.run(db + ["counts", "--format", "json"]).stdout.utf8))
                as? [String: Any])
        let outcomes = try #require(counts["outcomes"] as? [String: Int])
        for outcome in ["adopted", "partly-adopted", "not-adopted", "long-term"] {
            #expect(sum(year, "reflected_\(outcome)") == outcomes[outcome] ?? 0)
        }
        let byKind = try months(try cli.run(db + ["stats", "--year", "2019", "--by", "kind", "--format", "json"]).stdout)
        #expect(byKind.filter { $0["kind"] as? String == "petition" }.reduce(0) { $0 + (($1["received"] as? Int) ?? 0) } == 139)
    }

    @Test
    func theSameCommandOnTheSameLogGivesTheSameBytesAndNamesWhatItCovers() throws {
        let (cli, db) = try fixtureLog()
        for format in ["csv", "json"] {
            let first = try cli.run(db + ["stats", "--year", "2019", "--by", "category", "--format", format]).stdout
            let second = try cli.run(db + ["stats", "--year", "2019", "--by", "category", "--format", format]).stdout
            #expect(first == second)
            let head = try cli.run(db + ["head"]).stdout.split(separator: ":")
            #expect(first.contains(String(head[1]).trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(first.contains("sinmungo 0.1.0"))
        }
        let csv = try cli.run(db + ["stats", "--month", "2019-07", "--format", "csv"]).stdout
        #expect(csv.hasPrefix("month,received,reviewed,"))
        #expect(csv.split(separator: "\n").first?.hasSuffix("log_seq,log_head,policy_sha256,program") == true)
    }

    @Test
    func noPersonalDataAndSmallCellsBlanked() throws {
        let (cli, db) = try fixtureLog()
        // Every name, contact and free text in the log.
        var personal = Set<String>()
        for line in try String(contentsOfFile: Self.fixture, encoding: .utf8).split(separator: "\n") {
            let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let data = try #require(event["data"] as? [String: Any])
            for key in ["petitioner", "contact", "proposer", "body", "summary", "findings", "reason"] {
                if let value = data[key] as? String { personal.insert(value) }
            }
        }
        #expect(personal.count > 100)
        for by in ["category", "channel", "department", "field", "kind"] {
            for format in ["csv", "json", "table"] {
                let output = try cli.run(db + ["stats", "--year", "2019", "--by", by, "--format", format]).stdout
                #expect(personal.allSatisfy { !output.contains($0) }, "\(by) \(format)")
            }
        }
        let suppressed = try cli.run(
            db + ["stats", "--year", "2019", "--by", "department", "--suppress-below", "5", "--format", "json"]
        ).stdout
        for month in try months(suppressed) {
            for (key, value) in month where key != "department" && key != "month" {
                if let count = value as? Int, !key.hasSuffix("days_to_answer") {
                    #expect(count == 0 || count >= 5, "\(key) = \(count)")
                }
            }
        }
        #expect(suppressed.contains("null"))
    }

    @Test
    func excelGetsAByteOrderMark() throws {
        let (cli, db) = try fixtureLog()
        let result = try cli.run(db + ["stats", "--month", "2019-05", "--by", "field", "--format", "csv", "--excel"])
        #expect(Array(result.stdout.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(result.stdout.contains("보건복지"))
        #expect(try cli.run(db + ["stats", "--month", "2019-05", "--excel"]).status == 64)
    }

    @Test
    func monthsAreKSTMonthsWhateverTheMachinesZone() throws {
        var cli = CLI()
        cli.environment["SINMUNGO_HOLIDAYS"] = Self.root.appendingPathComponent("Fixtures/holidays").path
        cli.environment["TZ"] = "America/Los_Angeles"
        let db = ["--db", cli.path("log.sqlite")]
        #expect(try cli.run(db + ["init"]).status == 0)
        #expect(
            try cli.run(db + ["petition", "file", "--title", "a", "--category", "도시", "--at", "2019-10-31T23:59:59+09:00"]).status
                == 0)
        #expect(
            try cli.run(db + ["petition", "file", "--title", "b", "--category", "도시", "--at", "2019-10-31T15:00:00Z"]).status == 0
        )
        let october = try months(try cli.run(db + ["stats", "--month", "2019-10", "--format", "json"]).stdout)
        let november = try months(try cli.run(db + ["stats", "--month", "2019-11", "--format", "json"]).stdout)
        #expect(october.first?["received"] as? Int == 1)
        #expect(november.first?["received"] as? Int == 1)
        #expect(october.first?["open_at_month_end"] as? Int == 1)
    }
}

@Suite("The year report page")
struct ReportTests {
    @Test
    func theReportIsOnePageWithItsChartsAndNothingFromElsewhere() throws {
        var cli = CLI()
        cli.environment["SINMUNGO_HOLIDAYS"] = StatisticsTests.root.appendingPathComponent("Fixtures/holidays").path
        let db = ["--db", cli.path("log.sqlite")]
        #expect(try cli.run(db + ["init"]).status == 0)
        #expect(try cli.run(db + ["import", StatisticsTests.fixture]).status == 0)
        let result = try cli.run(db + ["report", "--year", "2019", "--out", cli.path("report.html")])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOfFile: cli.path("report.html"), encoding: .utf8)
        #expect(html.components(separatedBy: "<svg").count - 1 == 4)
        #expect(!html.contains("<script"))
        #expect(html.range(of: #"(src|href)="(https?:)?//"#, options: .regularExpression) == nil)
        for figure in ["<b>139</b>", "<b>111</b>", "<b>479</b>", "<b>1,472</b>", "<b>22</b>", "영등포신문고", "백서"] {
            #expect(html.contains(figure), "missing \(figure)")
        }
        // Personal data stays out of a page meant to be published.
        #expect(!html.contains("010-0000-"))
        #expect(try cli.run(db + ["report", "--year", "2019", "--out", "/nonexistent/folder/report.html"]).status == 74)
    }
}
