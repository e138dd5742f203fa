import Foundation
import Testing

@Suite("export, import, rebuild and replay from the command line")
struct LogTransferTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/yeongdeungpo-2019.jsonl").path

    @Test
    func replayOfThe2019FixturePrintsTheDistrictsFigures() throws {
        let cli = CLI()
        let result = try cli.run(["replay", Self.fixture, "--year", "2019", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let counts = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(counts?["petitions"] as? Int == 139)
        #expect(counts?["proposals"] as? Int == 111)
        #expect(counts?["outreachSessions"] as? Int == 19)
        #expect(counts?["outreachAttendees"] as? Int == 479)
        #expect(counts?["townHalls"] as? Int == 12)
        #expect(counts?["townHallAttendees"] as? Int == 1472)
        #expect(counts?["records"] as? Int == 22)
        #expect(counts?["byState"] != nil)
        let table = try cli.run(["replay", Self.fixture])
        #expect(table.stdout.contains("town hall attendees  1,472"))
    }

    @Test("replay names what a person can check: the file's SHA-256, and a head only when the file carries its chain")
    func replayPrintsAStableAnchor() throws {
        let cli = CLI()
        let runs = try (0..<2).map { _ in try cli.run(["replay", Self.fixture, "--format", "json"]).stdout }
        #expect(runs[0] == runs[1], "two replays of a legacy file print different output")
        let legacy = try #require(try JSONSerialization.jsonObject(with: Data(runs[0].utf8)) as? [String: Any])
        let input = try #require(legacy["input"] as? [String: Any])
        // The digest is the file's, as sha256sum computes it independently.
        let sha256sum = try cli.run(["/usr/bin/sha256sum", Self.fixture], direct: true).stdout
        #expect(sha256sum.split(separator: " ").first.map(String.init) == input["sha256"] as? String)
        #expect(input["carriesChain"] as? Bool == false)
        #expect(legacy["logHead"] == nil)
        let table = try cli.run(["replay", Self.fixture]).stdout
        #expect(table.contains("SHA-256 \(input["sha256"] as? String ?? "?")"))
        #expect(table.contains("carries no hash chain"))

        let db = ["--db", cli.path("log.sqlite")]
        #expect(try cli.run(db + ["init"]).status == 0)
        #expect(try cli.run(db + ["import", Self.fixture]).status == 0)
        #expect(try cli.run(db + ["export", "--out", cli.path("chained.jsonl")]).status == 0)
        let head = try cli.run(db + ["head"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let chained = try cli.run(["replay", cli.path("chained.jsonl")]).stdout
        #expect(chained.contains("Its hash chain verifies to the head \(head)."))
    }

    @Test
    func exportImportExportIsByteIdenticalWithTheSameCounts() throws {
        let cli = CLI()
        let original = ["--db", cli.path("original.sqlite")]
        let copy = ["--db", cli.path("copy.sqlite")]
        #expect(try cli.run(original + ["init"]).status == 0)
        #expect(try cli.run(original + ["import", Self.fixture]).status == 0)
        #expect(try cli.run(original + ["export", "--out", cli.path("first.jsonl")]).status == 0)
        #expect(try cli.run(copy + ["init"]).status == 0)
        #expect(try cli.run(copy + ["import", cli.path("first.jsonl")]).status == 0)
        let second = try cli.run(copy + ["export"]).stdout
        let first = try String(contentsOfFile: cli.path("first.jsonl"), encoding: .utf8)
        #expect(!first.isEmpty)
        #expect(second == first)
        let countsOriginal = try cli.run(original + ["counts", "--format", "json"]).stdout
        #expect(try cli.run(copy + ["counts", "--format", "json"]).stdout == countsOriginal)
        // A rebuild from scratch gives the same views.
        #expect(try cli.run(copy + ["rebuild"]).status == 0)
        #expect(try cli.run(copy + ["counts", "--format", "json"]).stdout == countsOriginal)
        #expect(
            try cli.run(copy + ["list", "--format", "csv"]).stdout == cli.run(original + ["list", "--format", "csv"]).stdout)
    }
}
