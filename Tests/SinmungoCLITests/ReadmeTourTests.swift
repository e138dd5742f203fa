import Foundation
import Testing

/// The README's tour, run verbatim and in order, so that the README cannot drift from the tool.
///
/// Every `sh` block from "## A tour" up to "## Commands" runs in one bash session with
/// `set -euo pipefail`, in a scratch folder that holds only the repository's `Scripts` and
/// `Fixtures` (as a clone would), with a copy of the tool installed in a folder of its own on
/// `PATH`, on the real clock: today's date, as an office would run it.
@Suite("The README tour runs as written")
struct ReadmeTourTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The shell blocks of the tour, in order.
    static func tourBlocks() throws -> [String] {
        let readme = try String(contentsOf: repository.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: "\n## A tour\n"), let end = readme.range(of: "\n## Commands\n") else {
            return []
        }
        var blocks: [String] = []
        var current: [Substring]?
        for line in readme[start.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```sh" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else if current != nil {
                current!.append(line)
            }
        }
        return blocks
    }

    @Test("every step of the tour succeeds, from an installed copy of the tool")
    func tourRunsVerbatim() throws {
        let blocks = try Self.tourBlocks()
        #expect(blocks.count >= 5, "the README's tour has lost its shell blocks")
        let cli = CLI()
        let bin = cli.folder.appendingPathComponent("bin")
        _ = try CLI.installCopy(into: bin)
        for folder in ["Scripts", "Fixtures"] {
            try FileManager.default.createSymbolicLink(
                at: cli.folder.appendingPathComponent(folder), withDestinationURL: Self.repository.appendingPathComponent(folder))
        }
        // Each block is announced, so a failure names the step that broke.
        var script = "set -euo pipefail\n"
        for (index, block) in blocks.enumerated() {
            script += "echo '### block \(index + 1)' >&2\n" + block + "\n"
        }
        try Data(script.utf8).write(to: cli.folder.appendingPathComponent("tour.sh"))
        var environment = cli.environment
        for name in ["SINMUNGO_DB", "SINMUNGO_ACTOR", "SINMUNGO_CLOCK", "SINMUNGO_KEYS", "SINMUNGO_HOLIDAYS"] {
            environment[name] = nil
        }
        environment["PATH"] = bin.path + ":/usr/local/bin:/usr/bin:/bin"
        var tour = cli
        tour.environment = environment
        let result = try tour.run(["/bin/bash", "tour.sh"], direct: true)
        let lastBlock = result.stderr.components(separatedBy: "### block ").last?.prefix(400) ?? ""
        #expect(result.status == 0, "the tour stopped in block \(lastBlock)")
        #expect(!result.stderr.contains("Fatal error"))
    }
}
