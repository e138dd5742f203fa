import Foundation
import SinmungoTesting
import Testing

/// `import` into a PostgreSQL office streams the file through the same checks as on SQLite.
@Suite("import into an office checks every line as SQLite does, and writes all or nothing")
struct ServerImportTests {
    /// A runner on a fresh log of `backend` and the arguments that name it.
    func fresh(_ backend: String) throws -> (CLI, [String]) {
        if backend == "sqlite" {
            let cli = CLI()
            let db = cli.path("log.sqlite")
            _ = try cli.ok("--db", db, "init")
            return (cli, ["--db", db])
        }
        let (cli, address) = try ServerLogTests.serverCLI()
        return (cli, ["--db", address, "--office", "영등포구"])
    }

    /// The fixture exported from a SQLite log, as chained lines.
    func exportedFixture(_ cli: CLI) throws -> [String] {
        let sqlite = cli.path("source.sqlite")
        _ = try cli.ok("--db", sqlite, "init")
        _ = try cli.ok("--db", sqlite, "import", ServerLogTests.fixture)
        return try cli.ok("--db", sqlite, "export").split(separator: "\n").map(String.init)
    }

    func write(_ lines: [String], to name: String, _ cli: CLI) throws -> String {
        let path = cli.path(name)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a line whose hash was altered is refused with the same sentence on both backends, and nothing is written",
        arguments: ["sqlite", "postgresql"])
    func alteredLineRefusedWhole(backend: String) throws {
        let (cli, db) = try fresh(backend)
        var lines = try exportedFixture(cli)
        // Line 40's hash altered in its first digit: a forged line deep in the file.
        let digit = try #require(lines[39].firstMatch(of: /"hash":"(.)/)?.1)
        lines[39] = lines[39].replacing(/"hash":"./, with: "\"hash\":\"" + (digit == "0" ? "1" : "0"), maxReplacements: 1)
        let file = try write(lines, to: "forged.jsonl", cli)
        let result = try cli.run(db + ["import", file])
        #expect(result.status == 65)
        #expect(result.stderr.contains("forged.jsonl, line 40: hash does not match the event's contents; nothing was imported"), "\(result.stderr)")
        #expect(try cli.succeeds(db + ["export"]).isEmpty)
    }

    @Test("a file imported in two parts continues the office's chain, and exports as the whole", arguments: ["sqlite", "postgresql"])
    func importContinuesTheLog(backend: String) throws {
        let (cli, db) = try fresh(backend)
        let lines = try exportedFixture(cli)
        let half = lines.count / 2
        _ = try cli.succeeds(db + ["import", try write(Array(lines[..<half]), to: "first.jsonl", cli)])
        _ = try cli.succeeds(db + ["import", try write(Array(lines[half...]), to: "second.jsonl", cli)])
        #expect(try cli.succeeds(db + ["export"]) == lines.joined(separator: "\n") + "\n")
        #expect(try cli.succeeds(db + ["verify"]).hasPrefix("ok: "))
    }

    @Test("a command id already in the office's log is refused, naming its event", arguments: ["sqlite", "postgresql"])
    func commandIDAlreadyInTheLog(backend: String) throws {
        let (cli, db) = try fresh(backend)
        let legacy = try String(contentsOfFile: ServerLogTests.fixture, encoding: .utf8).split(separator: "\n").map(String.init)
        _ = try cli.succeeds(db + ["import", try write(Array(legacy[..<10]), to: "first.jsonl", cli)])
        // The next line again, but with the first line's command id.
        let commandID = try #require(legacy[0].firstMatch(of: /"commandId":"([^"]*)"/)?.1)
        let reused = legacy[10].replacing(/"commandId":"[^"]*"/, with: "\"commandId\":\"\(commandID)\"")
        let before = try cli.succeeds(db + ["head"])
        let result = try cli.run(db + ["import", try write([reused], to: "again.jsonl", cli)])
        #expect(result.status == 65)
        #expect(result.stderr.contains("again.jsonl, line 1: command id \(commandID) is already in the log, at event 1"), "\(result.stderr)")
        #expect(try cli.succeeds(db + ["head"]) == before)
    }
}

extension CLI {
    /// Runs a command given as an array that must succeed, and returns its standard output.
    fileprivate func succeeds(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try run(arguments)
        #expect(
            result.status == 0, "sinmungo \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }
}
