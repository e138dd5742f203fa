import Foundation
import SinmungoTesting
import Testing

/// Statistics staff on a server read the views alone, which every command keeps at the head.
@Suite("Statistics staff on PostgreSQL")
struct ServerStatisticsTests {
    /// The address as a new login in `role`, on no office's officer list.
    static func login(_ role: String, address: String) throws -> String {
        let name = "\(role.replacingOccurrences(of: "sinmungo_", with: ""))_\(UUID().uuidString.lowercased().prefix(8))"
        try SharedPsql.run("CREATE ROLE \(name) LOGIN IN ROLE \(role);", address: address)
        return address.replacingOccurrences(of: "//sinmungo@", with: "//\(name)@")
    }

    /// An office's year of work through the tool: petitions, a session and its proposal,
    /// reviews, answers, a withdrawal, a correction, a duplicate.
    static func officeAtWork() throws -> (CLI, String) {
        let (cli, address) = try ServerLogTests.serverCLI()
        func file(_ title: String, _ category: String, at: String, _ extra: String...) throws -> String {
            try cli.output(of: ["petition", "file", "--title", title, "--category", category, "--at", at] + extra)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let lamp = try file("가로등", "도시", at: "2019-03-04T10:00", "--petitioner", "박가상", "--contact", "010-0000-1234")
        let road = try file("보도 정비", "생활환경·교통안전", at: "2019-03-20T10:00")
        let park = try file("공원", "교육문화", at: "2019-04-02T10:00")
        let again = try file("가로등 다시", "도시", at: "2019-04-03T10:00")
        _ = try cli.ok("review", lamp, "--department", "치수과", "--at", "2019-03-06T10:00")
        _ = try cli.ok("answer", lamp, "--summary", "정비했습니다", "--at", "2019-04-10T10:00")
        _ = try cli.ok("review", road, "--department", "도로과", "--at", "2019-03-22T10:00")
        _ = try cli.ok("withdraw", park, "--at", "2019-04-05T10:00")
        _ = try cli.ok("duplicate", again, "--of", lamp, "--at", "2019-04-04T10:00")
        _ = try cli.ok("correct", road, "--field", "category", "--value", "도시", "--reason", "분류 정정", "--at", "2019-03-25T10:00")
        let session = try cli.ok(
            "session", "hold", "--kind", "outreach", "--field", "보건복지", "--attendees", "25", "--at", "2019-05-02T10:00"
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try cli.ok("proposal", "file", "--session", session, "--title", "경로당", "--category", "복지보건·다문화", "--at", "2019-05-02T11:00")
        return (cli, address)
    }

    @Test("a statistics login runs counts and stats from the views alone, with the figures an auditor folds from the log")
    func statisticsLoginCountsFromViews() throws {
        let (cli, address) = try Self.officeAtWork()
        let statistics = try Self.login("sinmungo_statistics", address: address)
        let auditor = try Self.login("sinmungo_auditor", address: address)
        // The auditor folds every event from the start: a point in time is never read from the views.
        let everything = ["--as-of", "2100-01-01T00:00"]
        let counted = try cli.ok("--db", statistics, "counts", "--format", "json")
        #expect(counted.contains("\"petitions\" : 4") || counted.contains("\"petitions\":4"))
        #expect(counted == (try cli.output(of: ["--db", auditor, "counts", "--format", "json"] + everything)))
        #expect(
            try cli.ok("--db", statistics, "counts", "--year", "2019")
                == cli.output(of: ["--db", auditor, "counts", "--year", "2019"] + everything))
        for by in [[], ["--by", "department"], ["--by", "category"], ["--by", "channel"]] {
            let arguments = ["stats", "--year", "2019", "--format", "csv"] + by
            let fromViews = try cli.output(of: ["--db", statistics] + arguments)
            #expect(fromViews == (try cli.output(of: ["--db", auditor] + arguments + everything)), "\(by)")
            #expect(fromViews.split(separator: "\n").count > 2, "\(fromViews)")
        }
        #expect(
            try cli.ok("--db", statistics, "stats", "--month", "2019-04", "--labels", "ko")
                == cli.output(of: ["--db", auditor, "stats", "--month", "2019-04", "--labels", "ko"] + everything))
        // What the statistics login can read holds no personal data.
        let readable = try SharedPsql.run("SELECT string_agg(data, ' ') FROM sinmungo.view_row", address: statistics)
        #expect(readable.contains("가로등"))
        #expect(!readable.contains("박가상") && !readable.contains("010-0000-1234"))
    }

    @Test("on the district's 2019 log, imported, the statistics view gives every breakdown the log gives")
    func statisticsViewMatchesTheLogOnTheFixture() throws {
        let (cli, address) = try ServerLogTests.serverCLI()
        _ = try cli.ok("--office", "영등포구", "import", ServerLogTests.fixture)
        let statistics = try Self.login("sinmungo_statistics", address: address)
        let auditor = try Self.login("sinmungo_auditor", address: address)
        for by in [[], ["--by", "department"], ["--by", "category"], ["--by", "channel"], ["--by", "field"], ["--by", "kind"]] {
            let arguments = ["--office", "영등포구", "stats", "--year", "2019", "--format", "csv"] + by
            let fromViews = try cli.output(of: ["--db", statistics] + arguments)
            #expect(fromViews.split(separator: "\n").count > 12, "\(fromViews)")
            #expect(fromViews == (try cli.output(of: ["--db", auditor] + arguments + ["--as-of", "2100-01-01T00:00"])), "\(by)")
        }
        #expect(
            try cli.ok("--db", statistics, "--office", "영등포구", "counts", "--format", "json")
                == cli.output(of: ["--db", auditor, "--office", "영등포구", "counts", "--format", "json", "--as-of", "2100-01-01T00:00"]))
        // The white paper needs nothing but the views either: the same page as an auditor's.
        _ = try cli.ok("--db", statistics, "--office", "영등포구", "report", "--year", "2019", "--out", cli.path("views.html"))
        _ = try cli.ok("--db", auditor, "--office", "영등포구", "report", "--year", "2019", "--out", cli.path("log.html"))
        let fromViews = try String(contentsOfFile: cli.path("views.html"), encoding: .utf8)
        #expect(fromViews.count > 10_000)
        #expect(fromViews == (try String(contentsOfFile: cli.path("log.html"), encoding: .utf8)))
    }

    @Test("a statistics login asking for a point in the past is refused in one sentence, exit 65")
    func statisticsLoginRefusesThePast() throws {
        let (cli, address) = try Self.officeAtWork()
        let statistics = try Self.login("sinmungo_statistics", address: address)
        for arguments in [
            ["counts", "--as-of", "2019-12-01T00:00"], ["counts", "--effective", "2019-04-01T00:00"],
            ["stats", "--year", "2019", "--as-of", "2019-12-01T00:00"],
        ] {
            let refused = try cli.run(["--db", statistics] + arguments)
            #expect(refused.status == 65, "\(arguments): \(refused.stderr)")
            #expect(refused.stdout.isEmpty)
            #expect(refused.stderr.contains("--as-of and --effective need the log"), "\(refused.stderr)")
            #expect(refused.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)
        }
    }

    @Test("views left behind by a direct call of append are refused to statistics staff until an officer's next command")
    func viewsBehindAreNamed() throws {
        let (cli, address) = try ServerLogTests.serverCLI()
        let id = try cli.ok("petition", "file", "--title", "가로등", "--category", "도시", "--at", "2019-03-04T10:00")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try SharedPsql.run(
            """
            SELECT status FROM sinmungo.append('default', '\(id)', 1, 'direct-1', '2019-03-05T10:00:00+09:00',
                '2019-11-29T18:00:00+09:00', 'ydp-0412', ARRAY['reviewed'], ARRAY[1], ARRAY['{"department":"치수과"}'],
                ARRAY[]::text[], ARRAY[]::bytea[], ARRAY[]::text[])
            """, address: address)
        let statistics = try Self.login("sinmungo_statistics", address: address)
        let behind = try cli.run("--db", statistics, "counts")
        #expect(behind.status == 65)
        #expect(behind.stderr.contains("stand at event 1 but its log at 2"), "\(behind.stderr)")
        _ = try cli.ok("answer", id, "--summary", "정비했습니다", "--at", "2019-03-10T10:00")
        #expect(try cli.ok("--db", statistics, "counts", "--format", "csv").contains("petition status,answered,1"))
    }

    @Test("stats counts the cases an office sent to another and received from one (이송), per KST month, from the views too")
    func transfersInMonthlyStatistics() throws {
        let (cli, address) = try ServerLogTests.serverCLI()
        let id = try cli.ok("--office", "영등포구", "petition", "file", "--title", "가로등", "--category", "도시", "--at", "2019-06-03T10:00")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try cli.ok("--office", "구로구", "petition", "file", "--title", "보도", "--category", "생활환경·교통안전", "--at", "2019-06-04T10:00")
        _ = try cli.ok(
            "--office", "영등포구", "transfer", id, "--to-office", "구로구", "--reason", "소관 기관", "--at", "2019-07-02T10:00")
        let statistics = try Self.login("sinmungo_statistics", address: address)
        let auditor = try Self.login("sinmungo_auditor", address: address)
        /// The month's figure named `column`, from the CSV of `stats --month`.
        func figure(_ csv: String, _ column: String) -> String? {
            let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            guard lines.count == 2, let index = lines[0].firstIndex(where: { $0 == column }) else { return nil }
            return String(lines[1][index])
        }
        for (office, sent, received) in [("영등포구", "1", "0"), ("구로구", "0", "1")] {
            let arguments = ["--office", office, "stats", "--month", "2019-07", "--format", "csv"]
            let csv = try cli.output(of: ["--db", statistics] + arguments)
            #expect(figure(csv, "sent_to_office") == sent, "\(office): \(csv)")
            #expect(figure(csv, "received_from_office") == received, "\(office): \(csv)")
            #expect(csv == (try cli.output(of: ["--db", auditor] + arguments + ["--as-of", "2100-01-01T00:00"])))
            // June saw neither.
            let june = try cli.output(of: ["--db", statistics, "--office", office, "stats", "--month", "2019-06", "--format", "csv"])
            #expect(figure(june, "sent_to_office") == "0" && figure(june, "received_from_office") == "0")
        }
        let korean = try cli.ok("--office", "구로구", "stats", "--month", "2019-07", "--format", "csv", "--labels", "ko")
        #expect(korean.hasPrefix("월,") && korean.contains(",이송 보냄(건),이송 받음(건),"))
    }

    @Test("a transfer by an officer of the sending office alone leaves the receiving office's views to its next command")
    func transferByAnOfficerOfOneOffice() throws {
        let (cli, address) = try ServerLogTests.serverCLI()
        _ = try cli.ok("--office", "구로구", "petition", "file", "--title", "보도", "--category", "도시", "--at", "2019-06-01T10:00")
        let id = try cli.ok("--office", "영등포구", "petition", "file", "--title", "가로등", "--category", "도시", "--at", "2019-06-03T10:00")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let login = "ydp_only_\(UUID().uuidString.lowercased().prefix(8))"
        try SharedPsql.run(
            "CREATE ROLE \(login) LOGIN IN ROLE sinmungo_officer; INSERT INTO sinmungo.officer VALUES ('\(login)', '영등포구');",
            address: address)
        let officer = address.replacingOccurrences(of: "//sinmungo@", with: "//\(login)@")
        let sent = try cli.run(
            "--db", officer, "--office", "영등포구", "transfer", id, "--to-office", "구로구", "--reason", "소관 기관", "--at",
            "2019-06-04T10:00")
        #expect(sent.status == 0, "\(sent.stderr)")
        let statistics = try Self.login("sinmungo_statistics", address: address)
        #expect(try cli.ok("--db", statistics, "--office", "영등포구", "counts", "--format", "csv").contains("sent-to-office,1"))
        let behind = try cli.run("--db", statistics, "--office", "구로구", "counts")
        #expect(behind.status == 65)
        #expect(behind.stderr.contains("stand at event 1 but its log at 2"), "\(behind.stderr)")
        _ = try cli.ok("--office", "구로구", "review", "PET-2019-0002", "--department", "도로과", "--at", "2019-06-05T10:00")
        let auditor = try Self.login("sinmungo_auditor", address: address)
        #expect(
            try cli.ok("--db", statistics, "--office", "구로구", "counts", "--format", "json")
                == cli.ok("--db", auditor, "--office", "구로구", "counts", "--format", "json", "--as-of", "2100-01-01T00:00"))
    }
}

extension CLI {
    /// Runs a command given as an array that must succeed, and returns its standard output.
    fileprivate func output(of arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try run(arguments)
        #expect(
            result.status == 0, "sinmungo \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }
}
