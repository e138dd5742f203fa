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
