import Foundation
import Testing

@Suite("erase and retention from the terminal")
struct PrivacyCommandTests {
    static let name = "박가상민원"
    static let email = "resident-4821@example.com"

    func filesHolding(_ text: String, in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().filter { file in
            try Data(contentsOf: folder.appendingPathComponent(file)).range(of: Data(text.utf8)) != nil
        }
    }

    @Test
    func showOpensTheDataUntilEraseDestroysItAndSaysWhenAndWhy() throws {
        var cli = CLI()
        cli.environment["SINMUNGO_CLOCK"] = "2030-03-02T10:00:00+09:00"
        let data = cli.folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        cli.environment["SINMUNGO_DB"] = data.appendingPathComponent("log.sqlite").path
        _ = try cli.ok("init")
        let id = try cli.ok(
            "petition", "file", "--title", "문래동 가로등", "--category", "도시", "--petitioner", Self.name, "--contact", Self.email,
            "--at", "2019-03-04T10:00"
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try cli.ok("review", id, "--decline", "unclear", "--at", "2019-03-05T10:00")
        #expect(try cli.ok("show", id).contains(Self.name))
        #expect(try filesHolding(Self.name, in: data) == [])
        #expect(try filesHolding(Self.email, in: data) == [])
        // The figures, without the heading that names the log head, which the erasure moves on.
        let figures = { try cli.ok("counts", "--year", "2019").split(separator: "\n").dropFirst() }
        let counts = try figures()

        // Closed in 2019, a petition is kept 10 years from 1 January 2020: due on 2030-01-01.
        let due = try cli.ok("retention", "--closed-before", "2020-01-01", "--format", "csv")
        #expect(due.contains("\(id),petition,declined,2019-03-05,10,2030-01-01,held (erase it)"))
        #expect(try cli.ok("retention", "--closed-before", "2019-03-05", "--format", "csv").split(separator: "\n").count == 1)

        _ = try cli.ok("erase", id, "--reason", "보존기간 경과")
        // One officer alone cannot erase: the one who asked may not approve.
        let alone = try cli.run("erase", id, "--approve")
        #expect(alone.status == 65)
        #expect(alone.stderr.contains("ydp-0412 asked for this erasure and cannot also decide it"))
        #expect(try cli.ok("show", id).contains(Self.name))
        _ = try cli.ok("erase", id, "--approve", "--actor", "ydp-0007")
        let shown = try cli.ok("show", id)
        #expect(shown.contains("(erased 2030-03-02T10:00:00+09:00 by ydp-0007: 보존기간 경과)"))
        #expect(!shown.contains(Self.name))
        #expect(try figures() == counts)
        #expect(try cli.ok("verify").hasPrefix("ok: 4 events verified"))
        #expect(try cli.ok("retention", "--closed-before", "2020-01-01", "--format", "csv").contains(",erased"))
        let again = try cli.run("erase", id, "--reason", "보존기간 경과")
        #expect(again.status == 65)
        #expect(again.stderr == "sinmungo: case \(id): personal data was already erased\n")
    }
}
