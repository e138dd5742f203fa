import Foundation
import SinmungoStore
import Testing

@Suite("The roster on the command line: who may do what")
struct RosterCommandTests {
    static let fixture = StatisticsTests.fixture
    static let me = OperatingSystemAccount.current()

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The 2019 fixture imported, and the account running the tests made the administrator,
    /// who is also a team lead.
    func importedLog() throws -> (CLI, [String], CLI.Result) {
        var cli = CLI()
        cli.environment["SINMUNGO_HOLIDAYS"] = StatisticsTests.root.appendingPathComponent("Fixtures/holidays").path
        let db = ["--db", cli.path("log.sqlite")]
        #expect(try cli.run(db + ["init"]).status == 0)
        let imported = try cli.run(db + ["import", Self.fixture])
        #expect(imported.status == 0, "\(imported.stderr)")
        let admin = try cli.run(
            db + [
                "roster", "officer", "add", "admin", "--role", "administrator", "--role", "team-lead", "--account", Self.me,
                "--reason", "초대 관리자",
                "--actor", "admin",
            ])
        #expect(admin.status == 0, "\(admin.stderr)")
        return (cli, db, imported)
    }

    @Test("the 2019 fixture imports with a roster built from its departments and actors, and replays to the same counts")
    func fixtureImportsWithARoster() throws {
        let (cli, db, imported) = try importedLog()
        #expect(imported.stderr.contains("added to the roster from the log:"))
        let listing = try json(try cli.run(db + ["roster", "list", "--format", "json"]).stdout)
        let departments = try #require(listing["departments"] as? [[String: Any]])
        let officers = try #require(listing["officers"] as? [[String: Any]])
        #expect(departments.contains { $0["id"] as? String == "치수과" && $0["name"] as? String == "치수과" })
        #expect(officers.contains { $0["id"] as? String == "ydp-0412" })
        #expect(officers.contains { $0["id"] as? String == "admin" })
        // The counts of the fixture itself, of the imported log, and of its export with the roster in it.
        func counts(_ arguments: [String]) throws -> NSDictionary {
            let result = try cli.run(arguments + ["--format", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            var object = try json(result.stdout)
            object["input"] = nil
            object["log_head"] = nil
            object["logHead"] = nil
            return object as NSDictionary
        }
        let expected = try counts(["replay", Self.fixture])
        #expect((expected["petitions"] as? Int) == 139)
        #expect(try counts(db + ["counts"]) == expected)
        _ = try cli.ok("--db", cli.path("log.sqlite"), "export", "--out", cli.path("export.jsonl"))
        let exported = try String(contentsOfFile: cli.path("export.jsonl"), encoding: .utf8)
        #expect(exported.contains("\"type\":\"officer-granted\""))
        #expect(try counts(["replay", cli.path("export.jsonl")]) == expected)
        #expect(try cli.run(db + ["verify"]).status == 0)
        // The independent verifier knows the roster's event types too.
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = [
            "python3", StatisticsTests.root.appendingPathComponent("Scripts/verify_log.py").path, cli.path("log.sqlite"),
        ]
        python.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try python.run()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
        // A chained export carries its roster: importing it adds nothing, so export → import → export holds.
        let copy = ["--db", cli.path("copy.sqlite")]
        _ = try cli.ok("--db", cli.path("copy.sqlite"), "init")
        let reimported = try cli.run(copy + ["import", cli.path("export.jsonl")])
        #expect(!reimported.stderr.contains("added to the roster"))
        _ = try cli.ok("--db", cli.path("copy.sqlite"), "export", "--out", cli.path("again.jsonl"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.path("again.jsonl"))) == Data(exported.utf8))
    }

    @Test("a step naming an unknown department or officer is refused with exit 65, naming it, and writes nothing")
    func unknownNamesAreRefused() throws {
        let (cli, db, _) = try importedLog()
        let id = try cli.ok(
            "--db", cli.path("log.sqlite"), "petition", "file", "--title", "보도 정비", "--category", "도시", "--actor",
            "admin", "--at", "2019-11-01T10:00"
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        let head = try cli.run(db + ["head"]).stdout
        let typo = try cli.run(db + ["review", id, "--department", "치수 과", "--actor", "admin", "--at", "2019-11-02T10:00"])
        #expect(typo.status == 65)
        #expect(typo.stderr.contains("no department \"치수 과\" in the roster"))
        let stranger = try cli.run(db + ["review", id, "--department", "치수과", "--actor", "ydp-9999"])
        #expect(stranger.status == 65)
        #expect(stranger.stderr.contains("\"ydp-9999\" is not an officer on the roster"))
        let companion = try cli.run(
            db + ["visit", id, "--place", "x", "--with", "ghost", "--actor", "admin", "--at", "2019-11-02T10:00"])
        #expect(companion.status == 65)
        #expect(try cli.run(db + ["head"]).stdout == head)
    }

    @Test("statistics group by the roster's department ids and print the current names, through renames and merges")
    func statisticsFollowRenamesAndMerges() throws {
        let (cli, db, _) = try importedLog()
        func byDepartment() throws -> [String: Int] {
            let result = try cli.run(db + ["stats", "--year", "2019", "--by", "department", "--format", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            let months = try #require(try json(result.stdout)["months"] as? [[String: Any]])
            var received: [String: Int] = [:]
            for month in months {
                guard let name = month["department"] as? String else { continue }
                received[name, default: 0] += (month["reviewed"] as? Int) ?? 0
            }
            return received
        }
        let before = try byDepartment()
        let water = try #require(before["치수과"])
        let building = try #require(before["도로과"])
        let admin = ["--actor", "admin"]
        _ = try cli.run(db + ["roster", "department", "rename", "치수과", "--name", "물관리과", "--reason", "조직 개편"] + admin)
        var after = try byDepartment()
        #expect(after["물관리과"] == water)
        #expect(after["치수과"] == nil)
        let merged = try cli.run(db + ["roster", "department", "merge", "도로과", "--into", "치수과", "--reason", "통합"] + admin)
        #expect(merged.status == 0, "\(merged.stderr)")
        after = try byDepartment()
        #expect(after["물관리과"] == water + building)
        #expect(after["도로과"] == nil)
        // Lists print the current name; the merged department's name no longer takes cases.
        let list = try cli.run(db + ["list", "--format", "csv"])
        #expect(list.stdout.contains(",물관리과,"))
        #expect(!list.stdout.contains(",도로과,") && !list.stdout.contains(",치수과,"))
        let id = try cli.ok(
            "--db", cli.path("log.sqlite"), "petition", "file", "--title", "보도", "--category", "도시", "--actor", "admin",
            "--at", "2019-11-01T10:00"
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        let routed = try cli.run(db + ["review", id, "--department", "도로과", "--actor", "admin"])
        #expect(routed.status == 65)
        _ = try cli.ok("--db", cli.path("log.sqlite"), "review", id, "--department", "물관리과", "--actor", "admin")
        #expect(try cli.ok("--db", cli.path("log.sqlite"), "show", id, "--actor", "admin").contains("물관리과"))
    }

    @Test("an officer cannot act for another: once the roster ties this account to an officer, naming another is refused")
    func officerCannotActForAnother() throws {
        let (cli, db, _) = try importedLog()
        let id = try cli.ok(
            "--db", cli.path("log.sqlite"), "petition", "file", "--title", "보도 정비", "--category", "도시", "--actor",
            "admin", "--at", "2019-11-01T10:00"
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        // ydp-0412 acts from another account from now on; this account is the administrator's.
        let tie = try cli.run(
            db + [
                "roster", "officer", "change", "ydp-0412", "--role", "officer", "--account", "kim-ydp", "--reason", "계정 연결",
                "--actor", "admin",
            ])
        #expect(tie.status == 0, "\(tie.stderr)")
        let head = try cli.run(db + ["head"]).stdout
        let impersonation = try cli.run(
            db + ["review", id, "--department", "치수과", "--actor", "ydp-0412", "--at", "2019-11-02T10:00"])
        #expect(impersonation.status == 65)
        #expect(impersonation.stderr.contains("one officer may not act for another"))
        #expect(impersonation.stderr.split(separator: "\n").count == 1)
        #expect(try cli.run(db + ["head"]).stdout == head, "a refused step wrote something")
        // The administrator's own account may not take a step in another officer's name either.
        let other = try cli.run(db + ["review", id, "--department", "치수과", "--actor", "ydp-0415", "--at", "2019-11-02T10:00"])
        #expect(other.status == 65)
        #expect(other.stderr.contains("acts as admin"))
        // Naming no one, a step is taken as the officer the roster ties to this account.
        var unnamed = cli
        unnamed.environment["SINMUNGO_ACTOR"] = nil
        let reviewed = try unnamed.run(db + ["review", id, "--department", "치수과", "--at", "2019-11-02T10:00"])
        #expect(reviewed.status == 0, "\(reviewed.stderr)")
        #expect(try cli.run(db + ["history", id, "--format", "csv"]).stdout.contains(",admin,reviewed,"))
        // The step records the account it ran from inside the hash chain.
        #expect(try cli.run(db + ["export"]).stdout.contains(#"{"account":"\#(Self.me)","actor":"admin","#))
    }

    @Test("reads follow the roster's roles: statistics staff read the figures but no case, an officer both")
    func readsFollowTheRoles() throws {
        var (cli, db, _) = try importedLog()
        let log = cli.path("log.sqlite")
        _ = try cli.ok("--db", log, "roster", "officer", "add", "stat", "--role", "statistics-staff", "--reason", "통계 담당", "--actor", "admin")
        _ = try cli.ok("--db", log, "roster", "officer", "add", "kim", "--role", "officer", "--reason", "민원 담당", "--actor", "admin")
        // Untie this account from the administrator, so the officer named below is the reader.
        _ = try cli.ok("--db", log, "roster", "officer", "change", "admin", "--role", "administrator", "--reason", "계정 해제", "--actor", "admin")

        cli.environment["SINMUNGO_ACTOR"] = "stat"
        #expect(try cli.run(db + ["counts"]).status == 0)
        #expect(try cli.run(db + ["stats", "--year", "2019"]).status == 0)
        let caseReads = [["list"], ["history", "PET-2019-0001"], ["show", "PET-2019-0001"], ["why", "PET-2019-0001"], ["due"]]
        for read in caseReads {
            let refused = try cli.run(db + read)
            #expect(refused.status == 65, "\(read): \(refused.stderr)")
            #expect(refused.stdout.isEmpty, "\(read)")
            #expect(refused.stderr.contains("stat (statistics-staff) may not read-cases"), "\(read): \(refused.stderr)")
            #expect(refused.stderr.split(separator: "\n").count == 1, "\(read): \(refused.stderr)")
        }

        // Naming the reader on `show` itself is the same as naming them in the environment.
        cli.environment["SINMUNGO_ACTOR"] = nil
        #expect(try cli.run(db + ["show", "PET-2019-0001", "--actor", "stat"]).status == 65)
        cli.environment["SINMUNGO_ACTOR"] = "kim"
        for read in caseReads + [["counts"], ["stats", "--year", "2019"]] {
            #expect(try cli.run(db + read).status == 0, "\(read)")
        }
    }

    @Test("an auditor cannot write, and only an administrator changes the roster")
    func auditorCannotWrite() throws {
        let (cli, db, _) = try importedLog()
        _ = try cli.ok(
            "--db", cli.path("log.sqlite"), "roster", "officer", "add", "audit", "--role", "auditor", "--reason", "감사관",
            "--actor", "admin")
        // This account no longer acts only as the administrator, so the role is what refuses.
        _ = try cli.ok(
            "--db", cli.path("log.sqlite"), "roster", "officer", "change", "admin", "--role", "administrator", "--reason",
            "계정 해제", "--actor", "admin")
        let write = try cli.run(
            db + ["petition", "file", "--title", "t", "--category", "도시", "--actor", "audit", "--at", "2019-11-01T10:00"])
        #expect(write.status == 65)
        #expect(write.stderr.contains("audit (auditor) may not file-petition"))
        let grant = try cli.run(
            db + ["roster", "officer", "add", "x", "--role", "officer", "--reason", "r", "--actor", "ydp-0412"])
        #expect(grant.status == 65)
        let history = try cli.run(db + ["history", "ROSTER", "--format", "json"])
        #expect(history.status == 0)
        #expect(history.stdout.contains("감사관"))
    }
}

@Suite("Four-eyes erasure: an officer asks, a privacy officer who is another person decides")
struct FourEyesErasureTests {
    func office() throws -> (CLI, String) {
        var cli = CLI()
        cli.environment["SINMUNGO_DB"] = cli.path("log.sqlite")
        cli.environment["SINMUNGO_CLOCK"] = "2019-11-29T18:00:00+09:00"
        cli.environment["SINMUNGO_ACTOR"] = "admin"
        _ = try cli.ok("init")
        _ = try cli.ok("roster", "officer", "add", "admin", "--role", "administrator", "--reason", "초대")
        _ = try cli.ok("roster", "officer", "add", "kim", "--role", "officer", "--reason", "담당")
        _ = try cli.ok("roster", "officer", "add", "priv", "--role", "privacy-officer", "--reason", "보호책임자")
        _ = try cli.ok(
            "roster", "officer", "add", "both", "--role", "officer", "--role", "privacy-officer", "--reason", "겸직")
        cli.environment["SINMUNGO_ACTOR"] = "kim"
        let id = try cli.ok(
            "petition", "file", "--title", "가로등", "--category", "도시", "--petitioner", "박가상", "--at", "2019-11-01T10:00"
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try cli.ok("withdraw", id, "--reason", "취하", "--at", "2019-11-02T10:00")
        return (cli, id)
    }

    @Test("a single officer cannot erase: neither an officer, nor a privacy officer deciding their own request")
    func aSingleOfficerCannotErase() throws {
        let (cli, id) = try office()
        let request = ["erase", id, "--reason", "정보주체 삭제 요구", "--request", "개인정보-2019-0042"]
        // An officer asks, and cannot approve.
        #expect(try cli.run(request + ["--actor", "kim"]).status == 0)
        let own = try cli.run("erase", id, "--approve", "--actor", "kim")
        #expect(own.status == 65)
        #expect(own.stderr.contains("kim (officer) may not decide-erasure"))
        // The privacy officer turns it down, with a reason: the data stays.
        _ = try cli.ok("erase", id, "--decline", "--reason", "수사 중", "--actor", "priv")
        #expect(try cli.ok("show", id, "--actor", "kim").contains("박가상"))
        // A privacy officer who asked cannot approve their own request either.
        #expect(try cli.run(request + ["--actor", "both"]).status == 0)
        let ownDecision = try cli.run("erase", id, "--approve", "--actor", "both")
        #expect(ownDecision.status == 65)
        #expect(ownDecision.stderr.contains("both asked for this erasure and cannot also decide it"))
        #expect(try cli.ok("show", id, "--actor", "kim").contains("박가상"))
        // Another privacy officer approves: only now is the key destroyed.
        _ = try cli.ok("erase", id, "--approve", "--actor", "priv")
        let shown = try cli.ok("show", id, "--actor", "kim")
        #expect(!shown.contains("박가상"))
        #expect(shown.contains("by priv at the data subject's request"))
        let steps = try cli.ok("history", id, "--format", "csv")
        for step in ["erasure-requested", "erasure-declined", "personal-data-erased"] { #expect(steps.contains(step)) }
    }
}
