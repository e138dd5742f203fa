import Foundation
import GRDB
import SinmungoStore
import Testing

@Suite("Every opening of personal data leaves one access record (접속기록)")
struct AccessRecordCommandTests {
    static let me = OperatingSystemAccount.current()

    func records(_ cli: CLI) throws -> [Row] {
        try DatabaseQueue(path: cli.path("log.sqlite")).read {
            try Row.fetchAll($0, sql: "SELECT * FROM access_record ORDER BY seq")
        }
    }

    func office() throws -> (CLI, String) {
        var cli = CLI()
        cli.environment["SINMUNGO_DB"] = cli.path("log.sqlite")
        _ = try cli.ok("init")
        let id = try cli.ok(
            "petition", "file", "--title", "문래동 가로등", "--category", "도시", "--petitioner", "박가상", "--contact",
            "010-0000-1234", "--at", "2019-03-04T10:00"
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        return (cli, id)
    }

    @Test("every show of personal data leaves exactly one record, with account, time, host, case, person and task")
    func everyShowLeavesOneRecord() throws {
        let (cli, id) = try office()
        #expect(try records(cli).isEmpty)
        for count in 1...3 {
            #expect(try cli.ok("show", id).contains("010-0000-1234"))
            #expect(try records(cli).count == count)
        }
        let record = try #require(try records(cli).last)
        #expect(record["account"] as String == Self.me)
        #expect(record["officer"] as String == "ydp-0412")
        #expect(record["case_id"] as String == id)
        #expect(record["task"] as String == "view")
        #expect(record["at"] as String == "2019-11-29T18:00:00+09:00")
        #expect(!(record["host"] as String).isEmpty)
        #expect((record["person"] as String?) != nil)
        // A case without personal data opens none, and records nothing.
        let posted = try cli.ok("record", "post", "--title", "소통 기록", "--at", "2019-03-05T10:00")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try cli.ok("show", posted)
        #expect(try records(cli).count == 3)
        // The records are not in the case log: its head and views are as they were.
        #expect(try cli.ok("history", id).split(separator: "\n").count == 3)
        #expect(try cli.ok("verify").contains("access records chained through 3"))
    }

    @Test("a forged or deleted access record is caught by verify (exit 65)")
    func verifyCatchesTampering() throws {
        let (cli, id) = try office()
        for _ in 1...3 { _ = try cli.ok("show", id) }
        let queue = try DatabaseQueue(path: cli.path("log.sqlite"))
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER access_record_no_update; DROP TRIGGER access_record_no_delete")
            try db.execute(sql: "UPDATE access_record SET task = 'print' WHERE seq = 2")
        }
        let forged = try cli.run("verify")
        #expect(forged.status == 65)
        #expect(forged.stderr.contains("access record 2: was changed after it was written"))
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "UPDATE access_record SET task = 'view' WHERE seq = 2")
            try db.execute(sql: "DELETE FROM access_record WHERE seq = 2")
        }
        let deleted = try cli.run("verify")
        #expect(deleted.status == 65)
        #expect(deleted.stderr.contains("access record 2: is missing"))
    }

    @Test("a statistics role never sees personal data, and its refused look leaves no record")
    func statisticsNeverSeesPersonalData() throws {
        var (cli, id) = try office()
        _ = try cli.ok(
            "roster", "officer", "add", "admin", "--role", "administrator", "--reason", "초대", "--actor", "admin")
        _ = try cli.ok(
            "roster", "officer", "add", "stat-01", "--role", "statistics-staff", "--account", Self.me, "--reason", "통계 담당",
            "--actor", "admin")
        cli.environment["SINMUNGO_ACTOR"] = nil
        // Statistics staff read figures, not cases: the case itself is refused, in every format.
        for format in ["table", "json", "csv"] {
            let shown = try cli.run("show", id, "--format", format)
            #expect(shown.status == 65, "\(format): \(shown.stderr)")
            #expect(shown.stderr.contains("stat-01 (statistics-staff) may not read-cases"), "\(format): \(shown.stderr)")
            #expect(!(shown.stdout + shown.stderr).contains("010-0000-1234") && !(shown.stdout + shown.stderr).contains("박가상"))
        }
        #expect(try records(cli).isEmpty)
        #expect(try cli.run("counts").status == 0)
    }
}
