import Foundation
import SinmungoCore
import SinmungoTesting
import Testing

@testable import SinmungoStore

/// An import parses its lines on a second thread, a batch at a time, while it checks and
/// writes the lines before: a long file must import exactly as its log was, and a bad line in
/// any batch must be refused with its own line number and its own reason, nothing written.
@Suite("Lines parsed on a second thread")
struct ImportAheadTests {
    /// The export of a generated log longer than several batches, as lines.
    static func exported() throws -> (lines: [String], head: LogAnchor) {
        let store = try SQLiteEventStore.inMemory(projections: caseViews)
        try store.generate(SyntheticLog(cases: 1_000, seed: 9))
        var text = ""
        try store.exportLog { text += $0 }
        return (text.split(separator: "\n").map(String.init), try store.head())
    }

    @Test
    func aLongExportImportsToTheSameHead() throws {
        let (lines, head) = try Self.exported()
        #expect(lines.count > 3 * LogImporter<SQLiteImportLedger>.linesParsedAtOnce)
        let store = try SQLiteEventStore.inMemory(projections: caseViews)
        // Windows line ends and blank lines, which the import passes over.
        let file = lines.prefix(10).joined(separator: "\r\n") + "\r\n\n  \n" + lines.dropFirst(10).joined(separator: "\n")
        try store.importLog(Data(file.utf8), source: "export.jsonl")
        #expect(try store.head() == head)
    }

    /// Lines in the first batch, first and last of a batch, deep in a later one, and last.
    static let positions = [1, 1_024, 1_025, 3_000, -1]

    @Test(arguments: positions)
    func aLineThatIsNotJSONIsRefusedByItsNumber(position: Int) throws {
        let refusal = try #require(try refusal(breaking: position) { _ in "{\"caseId\": " })
        #expect(refusal.reason == "not valid JSON")
    }

    @Test(arguments: positions)
    func anEventOfAnUnknownTypeIsRefusedByItsNumber(position: Int) throws {
        let refusal = try #require(
            try refusal(breaking: position) { line in
                line.replacing(#/"type":"[a-z-]+"/#, with: #""type":"shouted""#)
            })
        #expect(refusal.reason == "unknown event type \"shouted\"")
    }

    /// Imports the export with the line at `position` (-1: the last) changed by `change`,
    /// checks that it is refused by that line's number, with nothing written, and gives the refusal.
    func refusal(breaking position: Int, _ change: (String) -> String) throws -> ImportRefusal? {
        var lines = try Self.exported().lines
        let index = position < 0 ? lines.count - 1 : position - 1
        lines[index] = change(lines[index])
        let store = try SQLiteEventStore.inMemory(projections: caseViews)
        do {
            try store.importLog(Data(lines.joined(separator: "\n").utf8), source: "export.jsonl")
        } catch let refusal as ImportRefusal {
            #expect(refusal.line == index + 1)
            #expect(try store.head().sequence == 0)
            return refusal
        }
        Issue.record("line \(index + 1) was not refused")
        return nil
    }
}
