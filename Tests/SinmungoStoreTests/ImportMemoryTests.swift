import Foundation
import SinmungoCore
import SinmungoTesting
import SinmungoViews
import Testing

@testable import SinmungoStore

/// An import holds neither every case's state nor every id it wrote: quiet states are dropped
/// and replayed from the log when touched again, and the ids written are kept in filters whose
/// "perhaps" the database settles. Whatever is dropped, an import must accept and refuse
/// exactly what it did when it held everything.
@Suite("An import's memory does not grow with the file")
struct ImportMemoryTests {
    @Test("the filter answers perhaps for every member, and certainly not for nearly every other string")
    func filterKeepsItsMembersAndFewOthers() {
        let filter = MembershipFilter()
        let members = (0..<100_000).map { "cmd-\($0)" }
        #expect(!members.contains { filter.mightContain($0) }, "an empty filter holds nothing")
        for member in members { filter.insert(member) }
        #expect(members.allSatisfy { filter.mightContain($0) })
        let falsePerhaps = (0..<100_000).count { filter.mightContain("other-\($0)") }
        // 100,000 members in 16 MB: about one string in a billion; a broken filter says perhaps to all.
        #expect(falsePerhaps < 10, "\(falsePerhaps) strings never inserted were answered perhaps")
    }

    /// The export of a generated log of 200 cases, and its last line's fields.
    static func generatedExport() throws -> (text: String, last: [String: Any]) {
        let store = try SQLiteEventStore.inMemory(projections: caseViews)
        try store.generate(SyntheticLog(cases: 200, seed: 11))
        let text = try exportText(store)
        let lastLine = try #require(text.split(separator: "\n").last)
        let last = try #require(try JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any])
        return (text, last)
    }

    static func imported(_ text: String, sweepingEvery interval: Int) throws -> SQLiteEventStore {
        let store = try SQLiteEventStore.create(at: TemporaryFolder().path("log.sqlite"), projections: caseViews).store
        _ = try store.importLog(Data(text.utf8), source: "generated", now: nil, sweepingEvery: interval)
        return store
    }

    @Test("states dropped after every event, every 7 events or never give the same log and views", arguments: [1, 7, 250_000])
    func sweptStatesGiveTheSameImport(interval: Int) throws {
        let (text, _) = try Self.generatedExport()
        let store = try Self.imported(text, sweepingEvery: interval)
        #expect(try exportText(store) == text)
        #expect(try store.verify() == store.head())
        let rebuilt = try Self.imported(text, sweepingEvery: 250_000)
        #expect(try store.rows(of: CaseProjection.self, at: .now) == rebuilt.rows(of: CaseProjection.self, at: .now))
    }

    /// A line after the export, continuing the case of its first line, which every sweep but
    /// the last interval's has dropped.
    static func lineContinuingFirstCase(of text: String, last: [String: Any], change: (inout [String: Any]) -> Void)
        throws -> String
    {
        var line = last
        line["seq"] = (last["seq"] as? Int ?? 0) + 1
        line["caseId"] = try firstLine(of: text)["caseId"]
        line["commandId"] = "continued-\(UUID().uuidString)"
        change(&line)
        return String(decoding: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]), as: UTF8.self)
    }

    static func firstLine(of text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.prefix { $0 != "\n" }.utf8)) as? [String: Any])
    }

    static func refusal(importing text: String, sweepingEvery interval: Int) throws -> String? {
        do {
            _ = try imported(text, sweepingEvery: interval)
            return nil
        } catch let refusal as ImportRefusal {
            return refusal.reason
        }
    }

    @Test("a swept case's version and a written command id are still checked", arguments: [1, 7, 250_000])
    func sweptStatesAndFilteredIdsStillRefuse(interval: Int) throws {
        let (text, last) = try Self.generatedExport()
        let first = try Self.firstLine(of: text)
        let caseID = try #require(first["caseId"] as? String)
        let commandID = try #require(first["commandId"] as? String)
        let version = text.split(separator: "\n").count { $0.contains("\"caseId\":\"\(caseID)\"") }

        let stale = try Self.lineContinuingFirstCase(of: text, last: last) { $0["caseVersion"] = version }
        #expect(
            try Self.refusal(importing: text + stale + "\n", sweepingEvery: interval)
                == "case \(caseID) is at version \(version), so the next event must have caseVersion \(version + 1), not \(version)"
        )

        let reused = try Self.lineContinuingFirstCase(of: text, last: last) { $0["commandId"] = commandID }
        #expect(
            try Self.refusal(importing: text + reused + "\n", sweepingEvery: interval)
                == "command id \(commandID) is already in the log, at event 1")
    }

    @Test(
        "keys stored a few at a time open every imported case's data, and a refused import keeps none", arguments: [1, 7, 4096])
    func keysAreStoredAsTheyAreSealed(batch: Int) throws {
        let fixture = try Data(contentsOf: fixturesFolder.appendingPathComponent("yeongdeungpo-2019.jsonl"))
        func newStore() throws -> SQLiteEventStore {
            try SQLiteEventStore.create(at: TemporaryFolder().path("log.sqlite"), projections: caseViews).store
        }
        func keyCount(_ store: SQLiteEventStore) throws -> Int? {
            try store.keys?.database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM person_key") }
        }
        let whole = try newStore()
        try whole.importLog(fixture, source: "2019.jsonl")
        let batched = try newStore()
        _ = try batched.importLog(fixture, source: "2019.jsonl", now: nil, sweepingEvery: 250_000, keepingKeysEvery: batch)
        let cases = try whole.rows(of: CaseProjection.self, at: .now).keys
        let opened = try batched.personalData(of: cases)
        #expect(opened == (try whole.personalData(of: cases)))
        #expect(opened.values.count { if case .held = $0 { true } else { false } } > 7)
        #expect(try keyCount(batched) == keyCount(whole))

        let refused = try newStore()
        #expect(throws: ImportRefusal.self) {
            try refused.importLog(
                fixture + Data("{\"seq\": 0}\n".utf8), source: "2019.jsonl", now: nil, sweepingEvery: 250_000,
                keepingKeysEvery: batch)
        }
        #expect(try keyCount(refused) == 0)
        #expect(try refused.head().sequence == 0)
    }
}
