import Foundation
import Testing

@Suite("Progress bars stay off when standard error is not a terminal")
struct ProgressTests {
    @Test
    func longOperationsPrintOnlyTheirResult() throws {
        var cli = CLI()
        // The synthetic log spans five years from 2019; its import must not be in the future.
        cli.environment["SINMUNGO_CLOCK"] = "2026-11-27T09:00:00+09:00"
        let generated = try cli.run("generate", "--cases", "300", "--seed", "4")
        #expect(generated.status == 0)
        #expect(generated.stderr.isEmpty)
        #expect(generated.stdout.hasPrefix("generated 300 cases, "))
        for command in [["rebuild"], ["verify"], ["export", "--out", "log.jsonl"]] {
            let result = try cli.run(command)
            #expect(result.status == 0)
            #expect(result.stderr.isEmpty, "\(command[0]) wrote to standard error: \(result.stderr)")
        }
        _ = try cli.run("--db", "copy.sqlite", "init")
        let imported = try cli.run("--db", "copy.sqlite", "import", "log.jsonl")
        #expect(imported.stderr.isEmpty)
        #expect(imported.stdout.hasPrefix("imported "))
        // The copy is the same log: the same head.
        #expect(try cli.ok("--db", "copy.sqlite", "head") == (try cli.ok("head")))
    }

    @Test
    func generateRefusesALogThatHoldsEvents() throws {
        let cli = CLI()
        _ = try cli.ok("generate", "--cases", "10")
        let again = try cli.run("generate", "--cases", "10")
        // Refused (65), not an I/O failure: the file is fine, the step does not apply to it.
        #expect(again.status == 65)
        #expect(again.stderr.contains("a synthetic log goes into an empty log only"))
        #expect(try cli.run("generate", "--cases", "0").status == 64)
    }
}
