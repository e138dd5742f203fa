import Foundation
import Testing

@Suite("The privacy officer's monthly check of the access records")
struct AccessLogCommandTests {
    func entries(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    /// An office with a department-limited officer, a team lead, a privacy officer, and two
    /// petitions with the 치수과.
    func office() throws -> (CLI, String, String) {
        var cli = CLI()
        cli.environment["SINMUNGO_DB"] = cli.path("log.sqlite")
        cli.environment["SINMUNGO_ACTOR"] = "admin"
        _ = try cli.ok("init")
        _ = try cli.ok("roster", "officer", "add", "admin", "--role", "administrator", "--reason", "초대")
        _ = try cli.ok("roster", "department", "add", "water", "--name", "치수과", "--reason", "신설")
        _ = try cli.ok("roster", "department", "add", "build", "--name", "건설과", "--reason", "신설")
        _ = try cli.ok("roster", "officer", "add", "lead", "--role", "team-lead", "--reason", "팀장")
        _ = try cli.ok("roster", "officer", "add", "kim", "--role", "officer", "--department", "water", "--reason", "담당")
        _ = try cli.ok("roster", "officer", "add", "priv", "--role", "privacy-officer", "--reason", "개인정보 보호책임자")
        cli.environment["SINMUNGO_ACTOR"] = "lead"
        var ids: [String] = []
        for (index, name) in ["박가상", "최가상"].enumerated() {
            let id = try cli.ok(
                "petition", "file", "--title", "가로등 \(index)", "--category", "도시", "--petitioner", name, "--at",
                "2019-11-0\(index + 1)T10:00"
            ).trimmingCharacters(in: .whitespacesAndNewlines)
            _ = try cli.ok("review", id, "--department", "치수과", "--at", "2019-11-0\(index + 1)T11:00")
            ids.append(id)
        }
        return (cli, ids[0], ids[1])
    }

    @Test("it lists the month's openings, flags what needs a look, filters, and records that the check was done")
    func monthlyCheck() throws {
        var (cli, first, second) = try office()
        cli.environment["SINMUNGO_ACTOR"] = "kim"
        cli.environment["SINMUNGO_CLOCK"] = "2019-11-28T10:00:00+09:00"  // a Thursday morning
        _ = try cli.ok("show", first)
        _ = try cli.ok("show", second)
        cli.environment["SINMUNGO_CLOCK"] = "2019-11-30T10:00:00+09:00"  // a Saturday
        _ = try cli.ok("show", first)
        // A print needs its reason, which the record keeps.
        #expect(try cli.run("show", second, "--task", "print").status == 64)
        cli.environment["SINMUNGO_CLOCK"] = "2019-11-29T11:00:00+09:00"
        _ = try cli.ok("show", second, "--task", "print", "--reason", "회신 우편 발송")
        // The case moves to another department after kim opened it.
        cli.environment["SINMUNGO_ACTOR"] = "lead"
        cli.environment["SINMUNGO_CLOCK"] = "2019-12-01T10:00:00+09:00"
        _ = try cli.ok("transfer", first, "--department", "건설과", "--at", "2019-11-30T12:00")

        cli.environment["SINMUNGO_ACTOR"] = "priv"
        cli.environment["SINMUNGO_CLOCK"] = "2019-12-02T10:00:00+09:00"
        let result = try cli.run("access-log", "--month", "2019-11", "--persons-per-day", "1", "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let listed = try entries(result.stdout)
        #expect(listed.map { $0["seq"] as? Int } == [1, 2, 3, 4])
        let flags = listed.map { ($0["flags"] as? [String]) ?? [] }
        #expect(flags[0] == ["many-persons", "outside-department"])
        #expect(flags[1] == ["many-persons"])
        #expect(flags[2] == ["outside-hours", "outside-department"])
        #expect(flags[3] == ["download"])
        #expect(listed[3]["reason"] as? String == "회신 우편 발송")
        #expect(result.stderr.contains("checked 2019-11: 4 records, 4 flagged; the check is access record 5, by priv"))

        // Filters.
        let bySecond = try entries(try cli.ok("access-log", "--month", "2019-11", "--case", second, "--format", "json"))
        #expect(bySecond.map { $0["case_id"] as? String ?? $0["caseId"] as? String } == [second, second])
        #expect(try entries(try cli.ok("access-log", "--month", "2019-11", "--officer", "lead", "--format", "json")).isEmpty)
        // The checks are kept in the chained records of the month they were made in (this listing adds a fourth).
        let checks = try entries(
            try cli.ok("access-log", "--month", "2019-12", "--task", "monthly-check", "--format", "json"))
        #expect(checks.count == 3)
        #expect(checks.allSatisfy { $0["officer"] as? String == "priv" })
        #expect(try cli.ok("verify").contains("access records chained through 8"))
    }

    @Test("only a privacy officer checks the records")
    func onlyThePrivacyOfficer() throws {
        var (cli, _, _) = try office()
        cli.environment["SINMUNGO_ACTOR"] = "kim"
        let refused = try cli.run("access-log", "--month", "2019-11")
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("kim (officer) may not check-access-records"))
    }
}

@Suite("head --sign and verify --against a signed anchor")
struct SignedAnchorCommandTests {
    @Test("the office signs its head with a key kept outside the database; verify checks it with the public key")
    func signAndVerify() throws {
        var cli = CLI()
        cli.environment["SINMUNGO_DB"] = cli.path("log.sqlite")
        _ = try cli.ok("init")
        _ = try cli.ok("petition", "file", "--title", "가로등", "--category", "도시", "--at", "2019-11-01T10:00")
        let keys = cli.folder.appendingPathComponent("keys")
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        let key = keys.appendingPathComponent("office.key").path
        #expect(try cli.ok("anchor-key", "--out", key).contains("office.key.pub"))
        let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try cli.run("anchor-key", "--out", key).status == 65)

        #expect(try cli.run("head", "--sign").status == 64)
        let token = try cli.ok("head", "--sign", "--signing-key", key).trimmingCharacters(in: .whitespacesAndNewlines)
        // The log's head, then the access records' head (none yet), then the time.
        #expect(
            token.hasPrefix(
                try cli.ok("head").trimmingCharacters(in: .whitespacesAndNewlines) + "/0:" + String(repeating: "0", count: 64)
                    + "/2019-11-29T18:00:00+09:00/"))
        #expect(try cli.run("verify", "--against", token).status == 64)
        let verified = try cli.run("verify", "--against", token, "--public-key", key + ".pub")
        #expect(verified.status == 0, "\(verified.stderr)")
        // A signature over another time, or under another office's key, is refused.
        let other = keys.appendingPathComponent("other.key").path
        _ = try cli.ok("anchor-key", "--out", other)
        let wrongKey = try cli.run("verify", "--against", token, "--public-key", other + ".pub")
        #expect(wrongKey.status == 65)
        #expect(wrongKey.stderr.contains("was not signed by the office"))
        let retimed = token.replacingOccurrences(of: "/2019-11-29T18:00:00+09:00/", with: "/2019-11-29T18:00:01+09:00/")
        #expect(try cli.run("verify", "--against", retimed, "--public-key", key + ".pub").status == 65)
        // The log moves on, and still extends the signed anchor.
        _ = try cli.ok("petition", "file", "--title", "보도", "--category", "도시", "--at", "2019-11-02T10:00")
        #expect(try cli.run("verify", "--against", token, "--public-key", key + ".pub").status == 0)
    }
}
