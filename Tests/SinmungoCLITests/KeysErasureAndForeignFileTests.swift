import Foundation
import GRDB
import Testing

@Suite("Key stores, erasure rules, foreign files and views that disagree with the log")
struct KeysErasureAndForeignFileTests {
    /// A log with one petition, its contact sealed, filed on 2019-06-03 and reviewed.
    func petitionLog(_ cli: CLI) throws {
        _ = try cli.ok("init")
        _ = try cli.ok(
            "petition", "file", "--title", "도림천 산책로 조명", "--category", "생활환경·교통안전", "--petitioner", "가상인",
            "--contact", "010-0000-4321", "--body", "신도림동 12번지 앞 가로등이 꺼져 있습니다", "--at", "2019-06-03T09:30")
        _ = try cli.ok("review", "PET-2019-0001", "--department", "치수과", "--at", "2019-06-04T10:00")
    }

    func files(in folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path)
        where !name.hasPrefix("out-") && !name.hasPrefix("err-") {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }

    @Test
    func aWriteWithAMissingKeyStoreIsRefusedNamingThePath() throws {
        let cli = CLI()
        try petitionLog(cli)
        let before = try files(in: cli.folder)
        let mistyped = cli.path("distrct.keys.sqlite")
        for write in [
            ["--keys", mistyped, "init"],
            ["--keys", mistyped, "withdraw", "PET-2019-0001"],
            ["--keys", mistyped, "petition", "file", "--title", "t", "--category", "도시", "--contact", "010-0000-0001"],
            ["--keys", mistyped, "erase", "PET-2019-0001", "--reason", "r", "--request", "REF-1"],
        ] {
            let result = try cli.run(write)
            #expect(result.status == 66, "\(write): \(result.stderr)")
            #expect(result.stderr.contains("no key store at \(mistyped)"), "\(write): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: mistyped))
        #expect(try files(in: cli.folder) == before)
        // A read says why the data cannot be opened; with the right key store it opens.
        let show = try cli.run("--keys", mistyped, "show", "PET-2019-0001")
        #expect(show.status == 0)
        #expect(show.stdout.contains("(sealed; cannot be opened: there is no key store at \(mistyped) to open it with)"))
        #expect(try cli.ok("show", "PET-2019-0001").contains("010-0000-4321"))
    }

    @Test
    func eraseIsRefusedUnlessRetentionEndedOrTheSubjectAskedOfAClosedCase() throws {
        let cli = CLI()
        try petitionLog(cli)
        let open = try cli.run("erase", "PET-2019-0001", "--reason", "보존기간 경과")
        #expect(open.status == 65)
        #expect(open.stderr.contains("erasure is refused: the petition is reviewed"), "\(open.stderr)")
        let openOnRequest = try cli.run("erase", "PET-2019-0001", "--reason", "요구", "--request", "개인정보-2019-0042")
        #expect(openOnRequest.status == 65)
        #expect(openOnRequest.stderr.contains("needs the case closed or withdrawn first; it is reviewed"))
        _ = try cli.ok("withdraw", "PET-2019-0001", "--reason", "취하", "--at", "2019-06-05T10:00")
        let closedRetention = try cli.run("erase", "PET-2019-0001", "--reason", "보존기간 경과")
        #expect(closedRetention.status == 65)
        #expect(closedRetention.stderr.contains("ends on 2030-01-01"), "\(closedRetention.stderr)")
        // The body is sealed with the contact: shown to officers, in no file as plain text.
        let body = Data("신도림동 12번지".utf8)
        let before = try cli.ok("show", "PET-2019-0001")
        #expect(before.contains("010-0000-4321") && before.contains("신도림동 12번지 앞 가로등이 꺼져 있습니다"))
        #expect(try files(in: cli.folder).filter { $0.value.range(of: body) != nil }.keys.sorted() == [])
        #expect(try !cli.ok("export").contains("신도림동"))
        let asked = try cli.run("erase", "PET-2019-0001", "--reason", "정보주체 삭제 요구", "--request", "개인정보-2019-0042")
        #expect(asked.status == 0)
        #expect(asked.stderr.contains("nothing is destroyed until a privacy officer, another person, approves it"))
        #expect(try cli.ok("show", "PET-2019-0001").contains("010-0000-4321"))
        _ = try cli.ok("erase", "PET-2019-0001", "--approve", "--actor", "ydp-0007")
        let shown = try cli.ok("show", "PET-2019-0001")
        #expect(shown.contains("by ydp-0007 at the data subject's request 개인정보-2019-0042: 정보주체 삭제 요구)"))
        #expect(!shown.contains("010-0000-4321") && !shown.contains("신도림동"))
        _ = try cli.ok("verify")
    }

    @Test(arguments: ["init", "withdraw PET-2019-0001", "petition file --title t --category 도시 --contact 010-0000-0001"])
    func anotherApplicationsDatabaseIsNotALogAndKeepsEveryByte(command: String) throws {
        let cli = CLI()
        let path = cli.path("photos.sqlite")
        do {
            // Another application's database, in its default rollback-journal mode.
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in
                try db.execute(
                    sql: "CREATE TABLE photo (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO photo (name) VALUES ('a.jpg')")
            }
        }
        let before = try files(in: cli.folder)
        #expect(before.keys.sorted() == ["photos.sqlite"])
        let result = try cli.run(["--db", path] + command.split(separator: " ").map(String.init))
        #expect(result.status == 74, "\(command): \(result.stderr)")
        #expect(result.stderr.contains("is not a Sinmungo log"), "\(result.stderr)")
        #expect(try files(in: cli.folder) == before)
    }

    @Test
    func viewsPastTheHeadOfACutLogFailVerifyAndRefuseWritesUntilRebuild() throws {
        let cli = CLI()
        try petitionLog(cli)
        try tamper(cli, "DROP TRIGGER event_no_delete; DELETE FROM event WHERE seq = 2")
        let verify = try cli.run("verify")
        #expect(verify.status == 65)
        #expect(verify.stderr.contains("(views disagree)"), "\(verify.stderr)")
        #expect(verify.stderr.contains("the log ends at event 1, so the log was cut"), "\(verify.stderr)")
        let write = try cli.run("withdraw", "PET-2019-0001")
        #expect(write.status == 65)
        #expect(write.stderr.contains("`sinmungo rebuild` replays the views"))
        #expect(try cli.run("list").status == 65)
        _ = try cli.ok("rebuild")
        _ = try cli.ok("verify")
        #expect(try cli.ok("list").contains("filed"))
        _ = try cli.ok("withdraw", "PET-2019-0001")
    }

    @Test
    func aViewRowThatDiffersFromAReplayFailsVerify() throws {
        let cli = CLI()
        try petitionLog(cli)
        try tamper(cli, "UPDATE view_row SET data = json_set(data, '$.state.department', '재무과')")
        let verify = try cli.run("verify")
        #expect(verify.status == 65)
        #expect(verify.stderr.contains("their row for case PET-2019-0001 differs from a replay of the log"), "\(verify.stderr)")
        _ = try cli.ok("rebuild")
        _ = try cli.ok("verify")
    }

    @Test
    func aViewRowWithABadStoredTimeIsRefusedNotReadAsTheEpoch() throws {
        let cli = CLI()
        try petitionLog(cli)
        try tamper(cli, "UPDATE view_row SET data = json_set(data, '$.filedAt', 'yesterday')")
        for command in [["list"], ["show", "PET-2019-0001"], ["due"]] {
            let result = try cli.run(command)
            #expect(result.status == 65, "\(command)")
            #expect(
                result.stderr.contains("the cases view's row for PET-2019-0001 cannot be read: field filedAt is wrong"),
                "\(result.stderr)")
            #expect(!result.stdout.contains("1970"))
        }
        _ = try cli.ok("rebuild")
        #expect(try cli.ok("list").contains("2019-06-03"))
    }

    /// Changes the log behind the tool's back, as someone with the file could.
    private func tamper(_ cli: CLI, _ sql: String) throws {
        try DatabaseQueue(path: cli.path("sinmungo.sqlite")).write { db in try db.execute(sql: sql) }
    }
}
