import Foundation
import Testing

@Suite("Untrusted text stays harmless on its way out")
struct UntrustedTextTests {
    /// A title as a hostile or careless hand might type it: an escape sequence that clears the
    /// screen and turns text red, a bidi override, a zero-width space and a line break.
    static let hostileTitle = "가로등\u{1B}[2J\u{1B}[31m 고장\u{202E}gnp.exe\u{200B} 수리\n요청"

    private func logWithHostileCase() throws -> (CLI, [String], String) {
        let cli = CLI()
        let db = ["--db", cli.path("log.sqlite")]
        _ = try cli.ok("--db", cli.path("log.sqlite"), "init")
        let id = try cli.run(
            db + ["petition", "file", "--title", Self.hostileTitle, "--category", "도시", "--at", "2019-04-01T10:00"]
        ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id == "PET-2019-0001")
        return (cli, db, id)
    }

    private static func hasRawControls(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            (scalar.value < 0x20 && scalar != "\n") || (0x7F...0x9F).contains(scalar.value)
                || [0x202E, 0x200B].contains(scalar.value)
        }
    }

    @Test("tables, histories and explanations show control, bidi and zero-width characters visibly")
    func tablesShowThemVisibly() throws {
        let (cli, db, id) = try logWithHostileCase()
        for arguments in [["list"], ["show", id], ["history", id], ["why", id]] {
            let out = try cli.run(db + arguments)
            #expect(out.status == 0, "\(arguments): \(out.stderr)")
            #expect(!Self.hasRawControls(out.stdout), "\(arguments) passed a raw control character")
            #expect(out.stdout.contains("가로등^[[2J^[[31m 고장<U+202E>gnp.exe<U+200B> 수리^J요청"), "\(arguments)")
        }
    }

    @Test("an error message naming hostile text stays one visible line")
    func errorsShowThemVisibly() throws {
        let (cli, db, _) = try logWithHostileCase()
        let refused = try cli.run(db + ["petition", "file", "--title", "t", "--category", "도시\u{1B}[31m\n다음 줄"])
        #expect(refused.status == 65)
        #expect(!Self.hasRawControls(refused.stderr))
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(refused.stderr.contains("도시^[[31m^J다음 줄"))
    }

    @Test("JSON keeps the text exactly")
    func jsonIsExact() throws {
        let (cli, db, id) = try logWithHostileCase()
        let out = try cli.run(db + ["show", id, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(object["title"] as? String == Self.hostileTitle)
    }

    @Test("CSV cells a spreadsheet would run as a formula start with a quote")
    func csvFormulasNeutralised() throws {
        let cli = CLI()
        let db = ["--db", cli.path("log.sqlite")]
        _ = try cli.ok("--db", cli.path("log.sqlite"), "init")
        let titles = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "평범한 제목"]
        for (index, title) in titles.enumerated() {
            let filed = try cli.run(
                db + ["petition", "file", "--title=\(title)", "--category", "도시", "--at", "2019-04-0\(index + 1)T10:00"])
            #expect(filed.status == 0, "\(filed.stderr)")
        }
        let csv = try cli.run(db + ["list", "--format", "csv"]).stdout
        #expect(csv.contains("'=HYPERLINK("))
        #expect(csv.contains("'+1+1"))
        #expect(csv.contains("'-2+3"))
        #expect(csv.contains("'@SUM(A1)"))
        #expect(csv.contains("'\tTAB"))
        #expect(csv.contains("평범한 제목"))
        let history = try cli.run(db + ["history", "PET-2019-0001", "--format", "csv"]).stdout
        for output in [csv, history] {
            for start in ["=", "+", "-", "@", "\t", "\r"] {
                for boundary in [",", ",\"", "\n", "\n\""] {
                    #expect(!output.contains(boundary + start), "a cell starts with \(start.debugDescription)")
                }
            }
        }
    }
}
