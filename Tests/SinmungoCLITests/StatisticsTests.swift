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

    /// At the present, `stats` and `counts --effective` read the case list and fold only the
    /// cases that changed; at a recorded time (`--as-of`) they fold every case. A recorded time
    /// after every step must give the same bytes.
    @Test
    func readingTheCaseListGivesTheBytesOfTheFoldOfEveryCase() throws {
        let (cli, db) = try fixtureLog()
        let afterEveryStep = ["--as-of", "2099-01-01T00:00:00+09:00"]
        let reads = [
            ["stats", "--year", "2019", "--by", "channel"], ["stats", "--month", "2019-06", "--by", "department"],
            ["stats", "--year", "2020"], ["counts", "--effective", "2019-07-01T00:00:00+09:00"],
            ["counts", "--effective", "2019-03-15T12:00:00+09:00", "--year", "2019"],
        ]
        for read in reads {
            let changedOnly = try cli.run(db + read + ["--format", "csv"])
            let everyCase = try cli.run(db + read + afterEveryStep + ["--format", "csv"])
            #expect(changedOnly.status == 0 && everyCase.status == 0, "\(changedOnly.stderr) \(everyCase.stderr)")
            #expect(changedOnly.stdout == everyCase.stdout, "\(read)")
            #expect(changedOnly.stdout.split(separator: "\n").count > 2)
        }
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

@Suite("The year's white paper")
struct ReportTests {
    func fixtureReport() throws -> (CLI, [String], String) {
        var cli = CLI()
        cli.environment["SINMUNGO_HOLIDAYS"] = StatisticsTests.root.appendingPathComponent("Fixtures/holidays").path
        let db = ["--db", cli.path("log.sqlite")]
        #expect(try cli.run(db + ["init"]).status == 0)
        #expect(try cli.run(db + ["import", StatisticsTests.fixture]).status == 0)
        let result = try cli.run(db + ["report", "--year", "2019", "--out", cli.path("report.html")])
        #expect(result.status == 0, "\(result.stderr)")
        return (cli, db, try String(contentsOfFile: cli.path("report.html"), encoding: .utf8))
    }

    /// The rows of the table whose caption starts with `caption`, as the text of their cells.
    func table(_ html: String, caption: String) throws -> [[String]] {
        let start = try #require(html.range(of: "<caption>\(caption)"), "no table \(caption)")
        let end = try #require(html.range(of: "</table>", range: start.upperBound..<html.endIndex))
        let body = html[start.upperBound..<end.lowerBound]
        let cell = try NSRegularExpression(pattern: "<t[dh][^>]*>(.*?)</t[dh]>")
        return body.components(separatedBy: "<tr>").dropFirst(2).map { row in
            cell.matches(in: row, range: NSRange(row.startIndex..., in: row)).map { match in
                String(row[Range(match.range(at: 1), in: row)!])
            }
        }
    }

    @Test
    func thePaperIsOnePageWithNothingFromElsewhereAndNoPersonalData() throws {
        let (cli, db, html) = try fixtureReport()
        #expect(html.components(separatedBy: "<svg").count - 1 == 5)
        #expect(!html.contains("<script"))
        #expect(html.range(of: #"(src|href)="(https?:)?//"#, options: .regularExpression) == nil)
        #expect(!html.contains("010-0000-"))
        #expect(html.contains("@page { size: A4"), "no print style sheet for A4")
        #expect(try cli.run(db + ["report", "--year", "2019", "--out", "/nonexistent/folder/report.html"]).status == 74)
    }

    @Test
    func totalsCarryTheirUnitsAndTheYearBefore() throws {
        let (_, _, html) = try fixtureReport()
        let totals = try table(html, caption: "연간 총계")
        let byLabel = Dictionary(totals.map { ($0[0], Array($0.dropFirst())) }, uniquingKeysWith: { first, _ in first })
        #expect(byLabel["영등포신문고 청원"] == ["건", "139"])
        #expect(byLabel["찾아가는 영등포1번가"] == ["회", "19"])
        #expect(byLabel["찾아가는 영등포1번가 참석 구민"] == ["명", "479"])
        #expect(byLabel["접수 제안"] == ["건", "111"])
        #expect(byLabel["타운홀미팅"] == ["회", "12"])
        #expect(byLabel["타운홀미팅 참석 구민"] == ["명", "1,472"])
        // The log holds nothing of 2018: no comparison with zeros that were never recorded.
        #expect(html.contains("전년 기록이 이 로그에 없어 비교하지 않음"))
        // The attendee card says whom it counts.
        #expect(html.contains("<b>479</b>명<small>현장 소통 19회 참석자만 셈 (타운홀미팅 제외)</small>"))
    }

    @Test
    func monthlyTableAddsUpAndEveryBarPrintsItsValue() throws {
        let (_, _, html) = try fixtureReport()
        let rows = try table(html, caption: "월별 접수")
        #expect(rows.count == 13, "12 months and the year")
        let months = rows.prefix(12)
        let sum = months.reduce(0) { $0 + Int($1[4].replacingOccurrences(of: ",", with: ""))! }
        #expect(rows[12] == ["2019년 계", "139", "111", "0", String(sum)])
        #expect(sum == 250)
        // Each month with cases has its total printed on the bar, not only in a hover title.
        let chart = try #require(html.components(separatedBy: "<svg").dropFirst().first)
        let printed = chart.components(separatedBy: "class=\"value\"").count - 1
        #expect(printed == months.filter { $0[4] != "0" }.count)
        #expect(chart.contains(">(건)</text>"), "the axis has no unit")
        // No town-hall proposals in 2019: no empty series in the legend.
        #expect(!chart.contains("class=\"legend\">타운홀미팅"))
        #expect(chart.contains("class=\"legend\">찾아가는 영등포1번가"))
    }

    @Test
    func theFollowingYearComparesWithTheFixtureYear() throws {
        var (cli, db, _) = try fixtureReport()
        cli.environment["SINMUNGO_CLOCK"] = "2020-03-02T09:00:00+09:00"
        let filed = try cli.run(
            db + [
                "petition", "file", "--title", "2020년 청원", "--category", "도시", "--petitioner", "가상인",
                "--at", "2020-02-03T09:30", "--actor", "ydp-0412",
            ])
        #expect(filed.status == 0, "\(filed.stderr)")
        #expect(try cli.run(db + ["report", "--year", "2020", "--out", cli.path("2020.html")]).status == 0)
        let html = try String(contentsOfFile: cli.path("2020.html"), encoding: .utf8)
        let totals = try table(html, caption: "연간 총계와 전년 대비")
        let byLabel = Dictionary(totals.map { ($0[0], Array($0.dropFirst())) }, uniquingKeysWith: { first, _ in first })
        #expect(byLabel["영등포신문고 청원"] == ["건", "1", "139", "-138 (-99.3%)"])
        #expect(byLabel["타운홀미팅 참석 구민"] == ["명", "0", "1,472", "-1,472 (-100.0%)"])
        let monthly = try table(html, caption: "월별 접수")
        #expect(monthly.last == ["2019년 계", "139", "111", "0", "250"])
    }

    @Test
    func declinesBreakDownByGroundDepartmentAndCategory() throws {
        let (_, _, html) = try fixtureReport()
        let grounds = try table(html, caption: "사유별")
        let departments = try table(html, caption: "부서별")
        let categories = try table(html, caption: "분야별")
        let total = { (rows: [[String]]) in rows.reduce(0) { $0 + (Int($1[1]) ?? 0) } }
        #expect(total(grounds) == 7)
        #expect(total(departments) == 7)
        #expect(total(categories) == 7)
        #expect(grounds.first == ["감사·수사·재판 등 진행 중", "4"])
        #expect(html.contains("4. 불수리 7건"))
        let handling = try table(html, caption: "답변과 처리 기간")
        #expect(handling.contains { $0[0] == "기한 내 답변율" && $0[1].hasSuffix("%") })
    }

    @Test
    func outreachAndTownHallFieldsAreNotMixed() throws {
        let (_, _, html) = try fixtureReport()
        let outreach = try table(html, caption: "찾아가는 영등포1번가 분야별")
        let townHalls = try table(html, caption: "타운홀미팅 주제 분야별")
        #expect(outreach.map { $0[0] }.contains("경제도시"))
        #expect(!outreach.map { $0[0] }.contains("경제"))
        #expect(townHalls.map { $0[0] }.contains("경제"))
        #expect(!townHalls.map { $0[0] }.contains("경제도시"))
        #expect(outreach.reduce(0) { $0 + Int($1[1])! } == 19)
        #expect(outreach.reduce(0) { $0 + Int($1[2])! } == 479)
        #expect(townHalls.reduce(0) { $0 + Int($1[2].replacingOccurrences(of: ",", with: ""))! } == 1472)
    }

    @Test
    func hostileTextStaysText() throws {
        var cli = CLI()
        cli.environment["SINMUNGO_HOLIDAYS"] = StatisticsTests.root.appendingPathComponent("Fixtures/holidays").path
        cli.environment["SINMUNGO_ACTOR"] = "ydp-0412"
        let db = ["--db", cli.path("log.sqlite")]
        #expect(try cli.run(db + ["init"]).status == 0)
        let hostile = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>{{year}}"
        let filed = try cli.run(
            db + ["petition", "file", "--title", hostile, "--category", "도시", "--petitioner", "가상인", "--at", "2019-06-03T09:30"])
        #expect(filed.status == 0, "\(filed.stderr)")
        let id = filed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        for step in [
            ["review", id, "--department", hostile, "--at", "2019-06-04T10:00"],
            ["answer", id, "--summary", hostile, "--at", "2019-06-10T10:00"],
            ["reflect", id, "--outcome", "adopted", "--policy", hostile, "--at", "2019-07-01T10:00"],
        ] {
            let result = try cli.run(db + step)
            #expect(result.status == 0, "\(step[0]): \(result.stderr)")
        }
        #expect(try cli.run(db + ["report", "--year", "2019", "--out", cli.path("r.html")]).status == 0)
        let html = try String(contentsOfFile: cli.path("r.html"), encoding: .utf8)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("'>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("{{year}}"), "text that looks like a template is printed, not expanded")
    }
}

@Suite("Korean column headers for spreadsheets")
struct StatisticsLabelTests {
    @Test
    func koreanHeadersReplaceTheMachineNamesOnlyWhenAsked() throws {
        let (cli, db) = try StatisticsTests().fixtureLog()
        let machine = try cli.run(db + ["stats", "--month", "2019-03", "--format", "csv"])
        let korean = try cli.run(db + ["stats", "--month", "2019-03", "--format", "csv", "--labels", "ko"])
        #expect(machine.status == 0 && korean.status == 0)
        let machineLines = machine.stdout.split(separator: "\n")
        let koreanLines = korean.stdout.split(separator: "\n")
        #expect(machineLines.first?.hasPrefix("month,received,reviewed,declined,") == true)
        #expect(koreanLines.first?.hasPrefix("월,접수(건),검토(건),불수리(건),") == true)
        #expect(koreanLines.first?.contains("기한 내 답변율(%)") == true)
        // Only the header changes: the figures are the same bytes.
        #expect(Array(machineLines.dropFirst()) == Array(koreanLines.dropFirst()))
        #expect(machineLines.first?.split(separator: ",").count == koreanLines.first?.split(separator: ",").count)
        let json = try cli.run(db + ["stats", "--month", "2019-03", "--format", "json", "--labels", "ko"])
        #expect(json.status == 64)
        #expect(json.stderr.contains("--labels ko"))
        #expect(json.stdout.isEmpty)
    }
}
