import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoViews
import Testing

@Suite("Export and import")
struct TransferTests {
    @Test(arguments: Backend.allCases)
    func exportImportExportIsByteIdenticalWithTheSameCounts(backend: Backend) throws {
        let source = try backend.makeStore()
        try appendRandomCommands(to: source, count: 300, seed: 7)
        let exported = try exportText(source)
        let copy = try backend.makeStore()
        let imported = try copy.importLog(Data(exported.utf8), source: "export.jsonl")
        #expect(imported == exported.split(separator: "\n").count)
        #expect(try exportText(copy) == exported)
        #expect(CaseCounts(try copy.summaries()) == CaseCounts(try source.summaries()))
        #expect(try copy.head() == source.head())
    }

    @Test
    func theFixtureReproducesTheDistrictsFigures() throws {
        let fixture = fixturesFolder.appendingPathComponent("yeongdeungpo-2019.jsonl")
        let store = try Backend.memory.makeStore()
        try store.importLog(try Data(contentsOf: fixture), source: fixture.lastPathComponent)
        let counts = CaseCounts(try store.summaries(), year: 2019)
        #expect(counts.petitions == 139)
        #expect(counts.proposals == 111)
        #expect(counts.outreachSessions == 19)
        #expect(counts.outreachAttendees == 479)
        #expect(counts.townHalls == 12)
        #expect(counts.townHallAttendees == 1472)
        #expect(counts.records == 22)
        // Every 2019 case was received and processed: none is left open.
        let open = try store.summaries().filter { [.petition, .proposal].contains($0.kind) && !$0.status.isClosed }
        #expect(open.isEmpty)
    }

    /// A valid two-line log, and ways to break it, each with the line and reason expected.
    static let goodLines = [
        #"{"actor":"ydp-0412","caseId":"PET-2019-0001","caseVersion":1,"commandId":"c1","data":{"category":"도시","title":"가로등 설치"},"occurredAt":"2019-03-04T10:00:00+09:00","recordedAt":"2019-03-04T11:00:00+09:00","schemaVersion":1,"type":"petition-filed"}"#,
        #"{"actor":"ydp-0412","caseId":"PET-2019-0001","caseVersion":2,"commandId":"c2","data":{"department":"도로과"},"occurredAt":"2019-03-05T10:00:00+09:00","recordedAt":"2019-03-05T11:00:00+09:00","schemaVersion":1,"type":"reviewed"}"#,
    ]

    static let brokenLogs: [(name: String, second: String, reason: String)] = [
        ("not JSON", "{not json", "not valid JSON"),
        ("an array", "[1,2]", "expected a JSON object, found an array"),
        (
            "unknown field", goodLines[1].replacingOccurrences(of: #""actor""#, with: #""extra":1,"actor""#),
            "unknown field \"extra\""
        ),
        ("missing field", goodLines[1].replacingOccurrences(of: #""actor":"ydp-0412","#, with: ""), "missing field \"actor\""),
        (
            "wrong type", goodLines[1].replacingOccurrences(of: #""caseVersion":2"#, with: #""caseVersion":"2""#),
            "field \"caseVersion\" must be a whole number, not a string"
        ),
        (
            "version gap", goodLines[1].replacingOccurrences(of: #""caseVersion":2"#, with: #""caseVersion":3"#),
            "case PET-2019-0001 is at version 1, so the next event must have caseVersion 2, not 3"
        ),
        (
            "unknown type", goodLines[1].replacingOccurrences(of: #""type":"reviewed""#, with: #""type":"approved""#),
            "unknown event type \"approved\""
        ),
        (
            "future schema", goodLines[1].replacingOccurrences(of: #""schemaVersion":1"#, with: #""schemaVersion":9"#),
            "event type reviewed has schema version 9, newer than this program's 1"
        ),
        (
            "illegal step",
            goodLines[1].replacingOccurrences(of: #""type":"reviewed""#, with: #""type":"reflected""#).replacingOccurrences(
                of: #"{"department":"도로과"}"#, with: #"{"outcome":"adopted"}"#),
            "cannot reflect petition PET-2019-0001: it is filed, and only an answered petition can take that step"
        ),
        (
            "unknown case",
            goodLines[1].replacingOccurrences(of: "PET-2019-0001", with: "PET-2019-0002").replacingOccurrences(
                of: #""caseVersion":2"#, with: #""caseVersion":1"#), "no case PET-2019-0002 in the log"
        ),
        (
            "repeated command id", goodLines[1].replacingOccurrences(of: #""commandId":"c2""#, with: #""commandId":"c1""#),
            "command id c1 was already used on the line before, for a petition-filed event of case PET-2019-0001"
        ),
        (
            "recorded before occurred", goodLines[1].replacingOccurrences(of: "2019-03-05T11:00:00", with: "2019-03-05T09:00:00"),
            "occurredAt 2019-03-05T10:00:00+09:00 is later than recordedAt 2019-03-05T09:00:00+09:00"
        ),
        (
            "wrong seq", goodLines[1].replacingOccurrences(of: #""actor""#, with: #""seq":5,"actor""#),
            "seq is 5, but the next event in the log is 2"
        ),
        (
            "wrong hash", goodLines[1].replacingOccurrences(of: #""actor""#, with: #""hash":"00","actor""#),
            "hash does not match the event's contents"
        ),
        (
            "bad case id", goodLines[1].replacingOccurrences(of: "PET-2019-0001", with: "PET 1; DROP TABLE event"),
            "case id \"PET 1; DROP TABLE event\" must be 1 to 64 letters, digits, '.', '_' or '-'"
        ),
        (
            "NUL in text", goodLines[1].replacingOccurrences(of: "ydp-0412", with: "ydp\\u00000412"),
            "field \"actor\" contains a NUL character"
        ),
    ]

    @Test(arguments: brokenLogs.map(\.name))
    func aBadLineRefusesTheWholeFileAndNamesTheLine(name: String) throws {
        let broken = try #require(Self.brokenLogs.first { $0.name == name })
        let store = try Backend.memory.makeStore()
        let text = Self.goodLines[0] + "\n" + broken.second + "\n"
        #expect(throws: ImportRefusal(source: "bad.jsonl", line: 2, reason: broken.reason)) {
            try store.importLog(Data(text.utf8), source: "bad.jsonl")
        }
        #expect(try store.head().sequence == 0)
        #expect(try store.summaries().isEmpty)
    }

    /// An import into an empty log knows its own command ids and cases without the database:
    /// an id reused lines later is still refused, and a case still continues after another.
    @Test(arguments: Backend.allCases)
    func aCommandIDReusedLinesLaterInOneFileIsRefused(backend: Backend) throws {
        let otherCase = Self.goodLines[0].replacingOccurrences(of: "PET-2019-0001", with: "PET-2019-0002")
            .replacingOccurrences(of: #""commandId":"c1""#, with: #""commandId":"c9""#)
        let reused = Self.goodLines[1].replacingOccurrences(of: #""commandId":"c2""#, with: #""commandId":"c1""#)
        let store = try backend.makeStore()
        #expect(throws: ImportRefusal(source: "reused.jsonl", line: 3, reason: "command id c1 is already in the log, at event 1")) {
            try store.importLog(Data([Self.goodLines[0], otherCase, reused].joined(separator: "\n").utf8), source: "reused.jsonl")
        }
        #expect(try store.head().sequence == 0)
        try store.importLog(Data([Self.goodLines[0], otherCase, Self.goodLines[1]].joined(separator: "\n").utf8), source: "good.jsonl")
        #expect(try store.summary(of: CaseID("PET-2019-0001"))?.department == "도로과")
    }

    @Test
    func theGoodLogImports() throws {
        let store = try Backend.memory.makeStore()
        let count = try store.importLog(Data(Self.goodLines.joined(separator: "\n").utf8), source: "good.jsonl")
        #expect(count == 2)
        #expect(try store.summary(of: CaseID("PET-2019-0001"))?.department == "도로과")
    }

    @Test
    func importingTheSameFileTwiceIsRefused() throws {
        let store = try Backend.memory.makeStore()
        let text = Data(Self.goodLines.joined(separator: "\n").utf8)
        try store.importLog(text, source: "good.jsonl")
        #expect(throws: ImportRefusal(source: "good.jsonl", line: 1, reason: "command id c1 is already in the log, at event 1")) {
            try store.importLog(text, source: "good.jsonl")
        }
        #expect(try store.head().sequence == 2)
    }
}

@Suite("Hostile import files")
struct HostileImportTests {
    func refusal(_ second: Data) throws -> ImportRefusal? {
        let store = try Backend.memory.makeStore()
        var text = Data((TransferTests.goodLines[0] + "\n").utf8)
        text.append(second)
        defer { #expect((try? store.head().sequence) == 0, "nothing may be written") }
        do {
            try store.importLog(text, source: "hostile.jsonl")
            return nil
        } catch let refusal as ImportRefusal {
            return refusal
        }
    }

    @Test
    func invalidUTF8IsRefused() throws {
        var line = Data(TransferTests.goodLines[1].utf8)
        line.replaceSubrange(20..<21, with: [0xFF, 0xFE])
        #expect(try refusal(line) == ImportRefusal(source: "hostile.jsonl", line: 2, reason: "not valid JSON"))
    }

    @Test
    func aLineOfSeveralMegabytesIsRefusedByItsSize() throws {
        let huge = String(repeating: "가", count: 1_000_000)
        let line = TransferTests.goodLines[1].replacingOccurrences(of: "도로과", with: huge)
        let refused = try #require(try refusal(Data(line.utf8)))
        #expect(refused.line == 2)
        #expect(refused.reason.hasPrefix("the line is 3000"))
    }

    @Test
    func sqlInTextIsStoredAsTextAndHarmsNothing() throws {
        let store = try Backend.memory.makeStore()
        let attack = "'); DROP TABLE event; --"
        let lines =
            TransferTests.goodLines[0].replacingOccurrences(of: "가로등 설치", with: attack) + "\n"
            + TransferTests.goodLines[1].replacingOccurrences(of: "도로과", with: attack)
        try store.importLog(Data(lines.utf8), source: "attack.jsonl")
        let summary = try #require(try store.summary(of: CaseID("PET-2019-0001")))
        #expect(summary.title == attack)
        #expect(summary.department == attack)
        #expect(try store.verify().sequence == 2)
    }
}
