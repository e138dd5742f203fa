import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoTesting
import SinmungoViews
import Testing

@testable import SinmungoPostgres

/// On PostgreSQL an import drops quiet case states and keeps filters of the ids it wrote, and
/// `verify` keeps the versions of recent cases only, looking the others up a batch at a time:
/// with the intervals and batches made small, both must still accept and refuse exactly what
/// they did when they held everything.
@Suite("Import and verify on PostgreSQL hold no state a case")
struct FlatMemoryTests {
    /// The export of a generated log of 300 cases, and a folder for the files made of it.
    static func generatedExport() throws -> (text: String, folder: TemporaryFolder) {
        let folder = TemporaryFolder()
        return (try SQLiteEventStore.generated(cases: 300, seed: 5, in: folder).export, folder)
    }

    static func office(importing text: String, sweepingEvery interval: Int, in folder: TemporaryFolder) throws
        -> PostgresEventStore
    {
        let file = URL(fileURLWithPath: folder.path("import-\(UUID().uuidString).jsonl"))
        try Data(text.utf8).write(to: file)
        let office = try ViewCurrencyTests.office("flat")
        office.importSweepInterval = interval
        _ = try office.importLog(at: file, source: "generated")
        return office
    }

    static func export(_ office: PostgresEventStore) throws -> String {
        var text = ""
        try office.exportLog { text += $0 }
        return text
    }

    @Test("states dropped after every event, every 7 events or never give the same office", arguments: [1, 7, 250_000])
    func sweptStatesGiveTheSameOffice(interval: Int) throws {
        let (text, folder) = try Self.generatedExport()
        let office = try Self.office(importing: text, sweepingEvery: interval, in: folder)
        #expect(try Self.export(office) == text)
        office.readBatchSize = 97
        #expect(try office.verify(against: nil, flushingEvery: 7) == office.head())
    }

    @Test("an import continues an office's log, whose case and command ids it knows without a round trip each")
    func anImportContinuesTheOfficesLog() throws {
        let (text, folder) = try Self.generatedExport()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let half = lines.count / 2
        let office = try Self.office(importing: lines[..<half].joined(separator: "\n") + "\n", sweepingEvery: 7, in: folder)
        let rest = URL(fileURLWithPath: folder.path("rest.jsonl"))
        try Data(lines[half...].joined(separator: "\n").utf8).write(to: rest)
        try office.importLog(at: rest, source: "rest.jsonl")
        #expect(try Self.export(office) == text)

        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        var line = try #require(try JSONSerialization.jsonObject(with: Data(lines[lines.count - 2].utf8)) as? [String: Any])
        line["seq"] = lines.count
        line["commandId"] = first["commandId"]
        let reused = URL(fileURLWithPath: folder.path("reused.jsonl"))
        try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]).write(to: reused)
        #expect(
            throws: ImportRefusal(
                source: "reused.jsonl", line: 1,
                reason: "command id \(first["commandId"] ?? "") is already in the log, at event 1")
        ) { try office.importLog(at: reused, source: "reused.jsonl") }
    }

    @Test("a swept case's version and a written command id are still refused", arguments: [1, 250_000])
    func sweptStatesAndFilteredIdsStillRefuse(interval: Int) throws {
        let (text, folder) = try Self.generatedExport()
        let lines = text.split(separator: "\n")
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        var line = try #require(try JSONSerialization.jsonObject(with: Data(lines[lines.count - 1].utf8)) as? [String: Any])
        let caseID = try #require(first["caseId"] as? String)
        let commandID = try #require(first["commandId"] as? String)
        let version = lines.count { $0.contains("\"caseId\":\"\(caseID)\"") }
        line["seq"] = lines.count + 1
        line["caseId"] = caseID
        line["caseVersion"] = version
        line["commandId"] = "continued-\(UUID().uuidString)"
        func refusal(_ line: [String: Any]) throws -> String? {
            let extra = String(decoding: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]), as: UTF8.self)
            do {
                _ = try Self.office(importing: text + extra + "\n", sweepingEvery: interval, in: folder)
                return nil
            } catch let refusal as ImportRefusal {
                return refusal.reason
            }
        }
        #expect(
            try refusal(line)
                == "case \(caseID) is at version \(version), so the next event must have caseVersion \(version + 1), not \(version)"
        )
        line["caseVersion"] = version + 1
        line["commandId"] = commandID
        #expect(try refusal(line) == "command id \(commandID) is already in the log, at event 1")
    }

    /// A case's version changed and the chain re-hashed from there, so that only the version
    /// check can tell: named whether the case's last version is held or looked up.
    @Test("a case version out of step is named, from recent versions or from a lookup")
    func aCaseVersionOutOfStepIsNamed() throws {
        let (text, folder) = try Self.generatedExport()
        let office = try Self.office(importing: text, sweepingEvery: 250_000, in: folder)
        var events: [StoredEvent] = []
        try office.forEachStoredEvent { events.append($0) }
        let target = try #require(events.lastIndex { $0.caseVersion > 1 })
        let version = events[target].caseVersion
        events[target].caseVersion = version + 1
        var previous = events[target - 1].hash
        var sql = "ALTER TABLE sinmungo.event DISABLE TRIGGER event_append_only;"
        for index in target..<events.count {
            events[index].previousHash = previous
            events[index].hash = events[index].expectedHash
            previous = events[index].hash
            sql += """
                UPDATE sinmungo.event SET case_version = \(events[index].caseVersion),
                prev_hash = '\\x\(Hex.string(events[index].previousHash))', hash = '\\x\(Hex.string(events[index].hash))'
                WHERE office = '\(office.office)' AND seq = \(events[index].sequence);
                """
        }
        try SharedLog.psql(sql + "ALTER TABLE sinmungo.event ENABLE TRIGGER event_append_only;")
        let expected = VerificationFailure(
            sequence: events[target].sequence, kind: .reordered,
            detail: "case \(events[target].caseID) has version \(version + 1) here, after version \(version - 1)")
        for (batch, interval) in [(20_000, Int64(250_000)), (97, 7), (1, 1)] {
            office.readBatchSize = batch
            #expect(throws: expected, "batches of \(batch), interval \(interval)") {
                try office.verify(against: nil, flushingEvery: interval)
            }
        }
    }

    @Test("keys stored a few at a time open every imported case's data, and a refused import keeps none")
    func keysAreStoredAsTheyAreSealed() throws {
        let fixture = try Data(contentsOf: ViewCurrencyTests.fixture)
        func keyCount(_ office: PostgresEventStore) throws -> String {
            try SharedLog.psql("SELECT count(*) FROM sinmungo.person_key WHERE office = '\(office.office)'")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let whole = try ViewCurrencyTests.office("keys")
        try whole.importLog(at: ViewCurrencyTests.fixture, source: "2019.jsonl")
        let batched = try ViewCurrencyTests.office("keys")
        batched.importKeyBatch = 7
        try batched.importLog(at: ViewCurrencyTests.fixture, source: "2019.jsonl")
        let cases = try whole.rows(of: CaseProjection.self, at: .now).keys
        let opened = try batched.personalData(of: cases)
        #expect(opened == (try whole.personalData(of: cases)))
        #expect(opened.values.count { if case .held = $0 { true } else { false } } > 7)
        #expect(try keyCount(batched) == keyCount(whole))

        let folder = TemporaryFolder()
        let broken = URL(fileURLWithPath: folder.path("broken.jsonl"))
        try (fixture + Data("{\"seq\": 0}\n".utf8)).write(to: broken)
        let refused = try ViewCurrencyTests.office("keys")
        refused.importKeyBatch = 7
        #expect(throws: ImportRefusal.self) { try refused.importLog(at: broken, source: "broken.jsonl") }
        #expect(try keyCount(refused) == "0")
        #expect(try refused.head().sequence == 0)
    }
}
