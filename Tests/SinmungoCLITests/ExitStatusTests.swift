import Foundation
import Testing

@Suite("Bad input: one sentence, a distinct status, nothing written")
struct ExitStatusTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var status: Int32
        var message: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "illegal step", arguments: ["answer", "PET-2019-0001", "--summary", "답변"], status: 65,
            message:
                "cannot answer petition PET-2019-0001: it is filed, and only a reviewed or visited petition can take that step"),
        Case(
            name: "unknown case", arguments: ["show", "PET-2019-0404"], status: 66, message: "no case PET-2019-0404 in the log"),
        Case(
            name: "review without a decision", arguments: ["review", "PET-2019-0001"], status: 64,
            message: "give either --department D or --decline GROUND"),
        Case(
            name: "time that is not a time", arguments: ["withdraw", "PET-2019-0001", "--at", "yesterday"], status: 64,
            message: "--at \"yesterday\" is not an ISO 8601 time"),
        Case(
            name: "negative attendance", arguments: ["session", "hold", "--kind", "townhall", "--field", "안전", "--attendees=-5"],
            status: 65, message: "attendees must be zero or more, not -5"),
        Case(
            name: "proposal for a missing session",
            arguments: ["proposal", "file", "--session", "SES-2019-099", "--title", "벤치 설치"], status: 65,
            message: "session SES-2019-099 does not exist"),
        Case(
            name: "category not on the board", arguments: ["petition", "file", "--title", "t", "--category", "기타"], status: 65,
            message: "category must be one of"),
        Case(
            name: "stale version", arguments: ["withdraw", "PET-2019-0001", "--expected-version", "0"], status: 75,
            message: "is at version 1, not 0"),
        Case(name: "missing import file", arguments: ["import", "absent.jsonl"], status: 66, message: "no file at absent.jsonl"),
        Case(
            name: "malformed import", arguments: ["import", "broken.jsonl"], status: 65,
            message: "broken.jsonl, line 1: not valid JSON; nothing was imported"),
        Case(
            name: "step in the future", arguments: ["withdraw", "PET-2019-0001", "--at", "2030-01-01"], status: 65,
            message: "is later than now"),
        Case(
            name: "unknown outcome", arguments: ["reflect", "PET-2019-0001", "--outcome", "maybe"], status: 64, message: "maybe"),
        Case(
            name: "negative count", arguments: ["petition", "endorse", "PET-2019-0001", "--count", "-5", "--at", "2019-04-02"],
            status: 65, message: "count must be"),
        Case(
            name: "unknown decline ground", arguments: ["review", "PET-2019-0001", "--decline", "nope"], status: 64,
            message: "secret, proceedings-pending, false-accusation, false-against-agency, private-matter, unclear"),
        Case(
            // `show` takes --actor now: the officer reading, for the access record.
            name: "an option the command does not take", arguments: ["history", "PET-2019-0001", "--actor", "ydp-0412"],
            status: 64, message: "`sinmungo history` takes no option --actor"),
        Case(
            name: "a version never reached", arguments: ["withdraw", "PET-2019-0001", "--expected-version", "9"], status: 64,
            message: "case PET-2019-0001 is at version 1, so the expected version 9 cannot have been seen"),
        Case(name: "a two-digit year", arguments: ["stats", "--year", "19"], status: 64, message: "all four digits"),
        Case(name: "a two-digit year for counts", arguments: ["counts", "--year", "19"], status: 64, message: "all four digits"),
        Case(
            name: "a folder as the log", arguments: ["--db", ".", "list"], status: 74,
            message: "is not a Sinmungo log: it is a folder"),
        // Times, dates and months are parsed by argument-parser; each refusal names the option and shows an example.
        Case(
            name: "an impossible date for --at", arguments: ["withdraw", "PET-2019-0001", "--at", "2019-02-30"], status: 64,
            message: "--at \"2019-02-30\" is not an ISO 8601 time such as 2019-06-30T18:00"),
        Case(
            name: "--as-of that is not a time", arguments: ["list", "--as-of", "noon"], status: 64,
            message: "--as-of \"noon\" is not an ISO 8601 time such as 2019-06-30T18:00"),
        Case(
            name: "--effective that is not a time", arguments: ["show", "PET-2019-0001", "--effective", "2019-13-01"],
            status: 64, message: "--effective \"2019-13-01\" is not an ISO 8601 time"),
        Case(
            name: "stats --as-of that is not a time", arguments: ["stats", "--year", "2019", "--as-of", "later"], status: 64,
            message: "--as-of \"later\" is not an ISO 8601 time"),
        Case(
            name: "--today that is not a date", arguments: ["due", "--today", "tomorrow"], status: 64,
            message: "--today \"tomorrow\" is not a date such as 2019-07-01"),
        Case(
            name: "--closed-before that is not a date", arguments: ["retention", "--closed-before", "2020"], status: 64,
            message: "--closed-before \"2020\" is not a date such as 2019-07-01"),
        Case(
            name: "--month that is not a month", arguments: ["stats", "--month", "2019-13"], status: 64,
            message: "--month \"2019-13\" is not a month YYYY-MM such as 2019-10"),
    ]

    @Test(arguments: cases)
    func refusedWithItsStatusAndNothingWritten(_ test: Case) throws {
        let cli = CLI()
        let db = ["--db", cli.path("log.sqlite")]
        #expect(try cli.run(db + ["init"]).status == 0)
        #expect(
            try cli.run(db + ["petition", "file", "--title", "가로등 고장", "--category", "도시", "--at", "2019-04-01T10:00"]).status
                == 0)
        try Data("{oops\n".utf8).write(to: URL(fileURLWithPath: cli.path("broken.jsonl")))
        let before = try cli.run(db + ["export"]).stdout
        let result = try cli.run(db + test.arguments)
        #expect(result.status == test.status, "stderr: \(result.stderr)")
        #expect(result.stderr.contains(test.message), "stderr: \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
        #expect(result.stderr.split(separator: "\n").count == 1, "one line, not a trace: \(result.stderr)")
        #expect(result.stderr.hasPrefix("sinmungo: "))
        #expect(try cli.run(db + ["export"]).stdout == before)
    }

    @Test
    func aWriteWithoutAnActorIsRefused() throws {
        var cli = CLI()
        cli.environment["SINMUNGO_ACTOR"] = nil
        let db = ["--db", cli.path("log.sqlite")]
        #expect(try cli.run(db + ["init"]).status == 0)
        let result = try cli.run(db + ["petition", "file", "--title", "t", "--category", "도시"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--actor"))
        #expect(try cli.run(db + ["export"]).stdout.isEmpty)
    }

    @Test
    func noDatabaseAndNotADatabase() throws {
        let cli = CLI()
        let missing = try cli.run(["--db", cli.path("absent.sqlite"), "list"])
        #expect(missing.status == 66)
        #expect(!FileManager.default.fileExists(atPath: cli.path("absent.sqlite")))
        let text = Data("plain text, not SQLite\n".utf8)
        try text.write(to: URL(fileURLWithPath: cli.path("notes.txt")))
        let notADatabase = try cli.run(["--db", cli.path("notes.txt"), "petition", "file", "--title", "t", "--category", "도시"])
        #expect(notADatabase.status == 74)
        #expect(notADatabase.stderr.contains("is not a Sinmungo log"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.path("notes.txt"))) == text)
    }

    @Test("an empty file is not set up by a write, only by init")
    func emptyFileIsNotALog() throws {
        let cli = CLI()
        let empty = cli.path("empty.sqlite")
        _ = FileManager.default.createFile(atPath: empty, contents: nil)
        let write = try cli.run(["--db", empty, "petition", "file", "--title", "t", "--category", "도시", "--at", "2019-04-01"])
        #expect(write.status == 74)
        #expect(write.stderr.contains("the file is empty"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: empty)).isEmpty)
        let read = try cli.run(["--db", empty, "list"])
        #expect(read.status == 74)
        #expect(try cli.run(["--db", empty, "init"]).stdout.contains("created an empty log"))
    }

    @Test("options may come before the subcommand, as in git")
    func optionsBeforeTheSubcommand() throws {
        let cli = CLI()
        let db = cli.path("a.sqlite")
        let keys = cli.path("k.sqlite")
        #expect(try cli.run(["--db", db, "--keys", keys, "init"]).status == 0)
        let filed = try cli.run([
            "--db=\(db)", "--keys", keys, "petition", "file", "--actor", "ydp-0520", "--format", "json", "--title", "t",
            "--category", "도시", "--petitioner", "가상인", "--at", "2019-04-01",
        ])
        #expect(filed.status == 0, "\(filed.stderr)")
        #expect(filed.stdout.contains("\"caseId\" : \"PET-2019-0001\""))
        #expect(try cli.run(["--db", db, "history", "PET-2019-0001", "--format", "csv"]).stdout.contains(",ydp-0520,"))
        #expect(try cli.run(["--db", db, "--keys", keys, "show", "PET-2019-0001"]).stdout.contains("가상인"))
        // Only --db and --keys belong to every command; any other option goes after its subcommand.
        let misplaced = try cli.run(["--db", db, "--actor", "ydp-0520", "petition", "file", "--title", "t", "--category", "도시"])
        #expect(misplaced.status == 64)
        #expect(
            misplaced.stderr
                == "sinmungo: --actor goes after the subcommand, as in `sinmungo petition file --actor ...`; only --db and --keys may come before it\n"
        )
        #expect(try cli.run(["--db", db, "list", "--format", "csv"]).stdout.split(separator: "\n").count == 2)
        let replay = try cli.run(["--db", db, "replay", "absent.jsonl"])
        #expect(replay.status == 64)
        #expect(replay.stderr.contains("replay checks the file in memory and takes no --db or --keys"))
    }

    @Test
    func dbOptionWorksBeforeAndAfterTheSubcommandAndFromTheEnvironment() throws {
        var cli = CLI()
        #expect(try cli.run(["--db", cli.path("a.sqlite"), "init"]).status == 0)
        #expect(
            try cli.run(["petition", "file", "--db", cli.path("a.sqlite"), "--title", "t", "--category", "도시"]).stdout
                == "PET-2019-0001\n")
        cli.environment["SINMUNGO_DB"] = cli.path("a.sqlite")
        let listed = try cli.run(["list", "--format", "csv"])
        #expect(listed.status == 0)
        #expect(listed.stdout.split(separator: "\n").count == 2)
    }
}
