import Foundation
import GRDB
import SinmungoCore
import SinmungoStore
import SinmungoTesting
import SinmungoViews
import Testing

/// Layout 2: every new event records the account that ran the command inside the hash chain;
/// events written before keep layout 1 and their hashes.
@Suite("The account inside the hash chain")
struct AccountLayoutTests {
    let verification = VerificationTests()

    /// A log of a filed and reviewed petition, the review run from the account `kim-ydp`.
    func makeLog() throws -> (path: String, store: SQLiteEventStore, reviewed: CaseID) {
        let path = TemporaryFolder().path("log.sqlite")
        let store = try SQLiteEventStore.create(at: path, projections: caseViews).store
        let sinmungo = service(store)
        let filed = try sinmungo.execute(
            .filePetition(PetitionFiled(title: "보도 정비", category: "도시")), on: nil, metadata: metadata(at: march4))
        var step = metadata(at: hours(1))
        step.account = "kim-ydp"
        _ = try sinmungo.execute(.review(department: "도로과"), on: filed.caseID, metadata: step)
        return (path, store, filed.caseID)
    }

    @Test("a new event records its account, hashed in layout 2, and verifies in both verifiers")
    func aLayoutTwoEventVerifies() throws {
        let (path, store, id) = try makeLog()
        let events = try store.events(of: id)
        // Without an account from the caller, the store records the process's own.
        #expect(events.map(\.account) == [OperatingSystemAccount.current(), "kim-ydp"])
        var stored: [StoredEvent] = []
        try store.forEachStoredEvent { stored.append($0) }
        #expect(stored.map(\.layout) == [2, 2])
        let layoutOne = EventHash.compute(
            sequence: 2, caseID: id.rawValue, caseVersion: 2, type: stored[1].type, schemaVersion: stored[1].schemaVersion,
            occurredAt: stored[1].occurredAt, recordedAt: stored[1].recordedAt, actor: stored[1].actor,
            commandID: stored[1].commandID, data: stored[1].data, previousHash: stored[1].previousHash)
        #expect(stored[1].hash == stored[1].expectedHash)
        #expect(stored[1].hash != layoutOne, "the account is not in the hash")
        let export = try exportText(store)
        #expect(export.contains(#"{"account":"kim-ydp","actor":"ydp-0412","caseId":"#))
        #expect(export.contains(#","layout":2,"occurredAt":"#))
        let head = try store.verify()
        #expect(try verification.pythonVerdict(path, against: head).status == 0)
    }

    @Test("changing an event's account, or taking it away, breaks verify at that event in both verifiers")
    func changingTheAccountIsCaught() throws {
        for change in ["UPDATE event SET account = 'lee-ydp' WHERE seq = 2", "UPDATE event SET account = NULL WHERE seq = 2"] {
            let (path, _, _) = try makeLog()
            try verification.tamper(path, change)
            let failure = try verification.swiftVerdict(path)
            #expect(failure?.sequence == 2, "\(change)")
            #expect(failure?.kind == .changed, "\(change)")
            let python = try verification.pythonVerdict(path)
            #expect(python.status == 65)
            #expect(python.output.hasPrefix("bad 2: "), "\(python.output)")
        }
        // An account that is not text is a change whatever the hash says.
        let (path, _, _) = try makeLog()
        try verification.tamper(path, "UPDATE event SET account = CAST('kim-ydp' AS BLOB) WHERE seq = 2")
        #expect(try verification.swiftVerdict(path)?.detail.contains("account is stored as BLOB") == true)
        #expect(try verification.pythonVerdict(path).output.contains("account is stored as BLOB"))
    }

    @Test("export and import carry the account and layout: the round trip is byte-identical and verifies")
    func roundTripKeepsTheAccount() throws {
        let (_, store, _) = try makeLog()
        let export = try exportText(store)
        let copy = try SQLiteEventStore.inMemory(projections: caseViews)
        try copy.importLog(Data(export.utf8), source: "export.jsonl")
        #expect(try exportText(copy) == export)
        #expect(try copy.verify() == store.verify())
        // A changed account in the file no longer matches the line's hash.
        let forged = export.replacingOccurrences(of: #""account":"kim-ydp""#, with: #""account":"lee-ydp""#)
        #expect(throws: ImportRefusal(source: "forged.jsonl", line: 2, reason: "hash does not match the event's contents")) {
            try SQLiteEventStore.inMemory().importLog(Data(forged.utf8), source: "forged.jsonl")
        }
    }

    @Test(
        "a line's account and layout must agree",
        arguments: [
            (#","layout":2"#, "layout 2 needs the field \"account\""),
            (#","account":"kim-ydp""#, "field \"account\" needs \"layout\": 2"),
            (#","account":"kim-ydp","layout":3"#, "field \"layout\" must be 1 or 2, not 3"),
            (#","account":" ","layout":2"#, "field \"account\" must not be empty"),
        ])
    func accountAndLayoutAgree(_ fields: String, _ reason: String) throws {
        let line =
            #"{"actor":"ydp-0412","caseId":"PET-2019-0001","caseVersion":1,"commandId":"c1","data":{"category":"도시","title":"t"},"occurredAt":"2019-03-04T10:00:00+09:00","recordedAt":"2019-03-04T10:00:00+09:00","schemaVersion":4,"type":"petition-filed""#
            + fields + "}\n"
        let store = try SQLiteEventStore.inMemory()
        #expect(throws: ImportRefusal(source: "in.jsonl", line: 1, reason: reason)) {
            try store.importLog(Data(line.utf8), source: "in.jsonl")
        }
        #expect(try store.head().sequence == 0)
    }

    @Test("a log of layout 1 events keeps its hashes, and new steps after them are layout 2: the mix verifies")
    func layoutOneLogsKeepTheirHashes() throws {
        let path = try SchemaEvolutionTests().copy()
        // Before any migration: no account column at all, and the independent verifier still agrees.
        #expect(try verification.pythonVerdict(path, against: SchemaEvolutionTests.head).status == 0)
        let store = try SQLiteEventStore(openingExistingAt: path, projections: caseViews)
        var step = metadata(at: Instant(kst: CivilDate(year: 2019, month: 12, day: 3)!, hour: 10))
        step.account = "kim-ydp"
        _ = try service(store).execute(.review(department: "도로과"), on: CaseID("PET-2019-0002"), metadata: step)
        let head = try store.verify(against: SchemaEvolutionTests.head)
        #expect(head.sequence == SchemaEvolutionTests.head.sequence + 1)
        var layouts: [Int] = []
        try store.forEachStoredEvent { layouts.append($0.layout) }
        #expect(layouts == Array(repeating: 1, count: 9) + [2])
        #expect(try verification.pythonVerdict(path, against: SchemaEvolutionTests.head).status == 0)
        // Read-only, as an auditor's copy is opened, the mix verifies too.
        #expect(try SQLiteEventStore(openingExistingAt: path, mode: .readOnly).verify(against: head) == head)
    }

    @Test("the 2019 fixture imports as layout 1 events, as before, and replays to the same counts")
    func theFixtureStaysLayoutOne() throws {
        let store = try SQLiteEventStore.inMemory(projections: caseViews)
        try store.importLog(
            Data(contentsOf: fixturesFolder.appendingPathComponent("yeongdeungpo-2019.jsonl")), source: "2019.jsonl")
        let export = try exportText(store)
        #expect(!export.contains(#""account":"#) && !export.contains(#""layout":"#))
        let counts = CaseCounts(CaseProjection.replay(try store.events(at: .now)).values)
        #expect(counts.petitions == 139)
        #expect(counts.proposals == 111)
        #expect(try store.verify().sequence == 1291)
    }
}
