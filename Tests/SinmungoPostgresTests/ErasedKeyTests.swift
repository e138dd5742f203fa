import Foundation
import SinmungoCore
import SinmungoPostgres
import SinmungoStore
import SinmungoTesting
import Testing

/// An erased key must not survive in a dead tuple of the key table's files.
@Suite("Erased keys on PostgreSQL")
struct ErasedKeyTests {
    /// The bytes of the key table's files, after a checkpoint has written every page out.
    static func keyTableFiles(_ address: String) throws -> (path: String, bytes: Data) {
        try SharedLog.psql("CHECKPOINT", address: address)
        let directory = try SharedLog.psql("SHOW data_directory", address: address)
        let path = directory + "/" + (try SharedLog.psql("SELECT pg_relation_filepath('sinmungo.person_key')", address: address))
        return (path, try Self.files(at: path))
    }

    /// A relation's file and its 1 GB segments (`path.1`, …); empty when they are gone.
    static func files(at path: String) throws -> Data {
        var bytes = Data()
        var segment = 0
        while let data = FileManager.default.contents(atPath: segment == 0 ? path : "\(path).\(segment)") {
            bytes.append(data)
            segment += 1
        }
        return bytes
    }

    /// A store in a database of its own, with one petition filed: its address, the case, and
    /// the petitioner's key as stored. A database of its own, because `VACUUM FULL` keeps a
    /// dead row that a transaction open in the same database may still see.
    static func filedPetition() throws -> (address: String, store: PostgresEventStore, id: CaseID, person: String, key: [UInt8]) {
        let address = try TestPostgres.freshDatabase()
        let store = try PostgresEventStore.create(address: address, office: "영등포구")
        // Other tests' long imports on the same server hold transactions the rewrite waits for.
        store.keyRewritePatience = 300
        let id = CaseID(kind: .petition, year: 2019, number: 1)
        _ = try store.append(
            AppendRequest(
                caseID: id, expectedVersion: 0,
                events: [
                    .petitionFiled(PetitionFiled(title: "가로등", category: "도시", petitioner: "가상인", contact: "010-0000-0001"))
                ],
                occurredAt: day, recordedAt: day, actor: "ydp-0412", commandID: UUID().uuidString))
        let row = try SharedLog.psql(
            "SELECT person || ' ' || encode(key, 'hex') FROM sinmungo.person_key WHERE office = '\(store.office)'",
            address: address)
        let parts = row.split(separator: " ").map(String.init)
        try #require(parts.count == 2, "no key was stored for the case: \(row)")
        let key = try #require(EventHash.bytes(hex: parts[1]), "the stored key is not hex: \(row)")
        return (address, store, id, parts[0], key)
    }

    static let day = Instant(kst: CivilDate(year: 2019, month: 6, day: 3)!, hour: 10)

    static func erase(_ person: String, of id: CaseID, in store: PostgresEventStore) throws {
        _ = try store.append(
            AppendRequest(
                caseID: id, expectedVersion: 1,
                events: [.personalDataErased(PersonalDataErased(person: person, reason: "보존기간 경과"))],
                occurredAt: day.adding(seconds: 3600), recordedAt: day.adding(seconds: 3600), actor: "ydp-0412",
                commandID: UUID().uuidString))
    }

    @Test("erase rewrites the key table: the key's bytes are in no file of it afterwards")
    func erasedKeyLeavesNoDeadTuple() throws {
        let (address, store, id, person, key) = try Self.filedPetition()
        // The scan finds the key while it is there, so finding nothing later means something.
        let before = try Self.keyTableFiles(address)
        #expect(before.bytes.range(of: Data(key)) != nil)

        try Self.erase(person, of: id, in: store)
        let after = try Self.keyTableFiles(address)
        #expect(after.bytes.range(of: Data(key)) == nil, "the erased key is still in \(after.path)")
        // The files the table had before the rewrite are emptied, then removed.
        #expect(try Self.files(at: before.path).range(of: Data(key)) == nil, "the erased key is still in \(before.path)")
        guard case .erased = try store.personalData(of: id) else {
            Issue.record("the case's personal data is not erased")
            return
        }
    }

    /// What another session holds while the key is erased: a snapshot in the same database,
    /// or a transaction id in another one, which starts the rewrite's own snapshot before the
    /// erasure. Neither touches the key table, so the rewrite's lock does not wait for it.
    enum Holder: String, CaseIterable, CustomTestStringConvertible {
        case snapshotInTheSameDatabase = "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT 1"
        case transactionInAnotherDatabase = "BEGIN; SELECT pg_current_xact_id()"
        var testDescription: String { self == .snapshotInTheSameDatabase ? "a snapshot in the same database" : "a transaction in another database" }
    }

    @Test("a transaction from before the erasure delays the rewrite until it ends, so the key still goes", arguments: Holder.allCases)
    func aTransactionOpenAcrossTheErasureIsWaitedFor(holding: Holder) throws {
        let (address, store, id, person, key) = try Self.filedPetition()
        let holderAddress = holding == .snapshotInTheSameDatabase ? address : try TestPostgres.freshDatabase()
        let tag = "held-\(UUID().uuidString)"
        let holder = Thread {
            _ = try? SharedLog.psql("/* \(tag) */ \(holding.rawValue); SELECT pg_sleep(2); COMMIT", address: holderAddress)
        }
        holder.start()
        let waitingSince = Date()
        while try SharedLog.psql(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE '%\(tag)%'", address: address) == "0"
        {
            try #require(Date().timeIntervalSince(waitingSince) < 60, "the session holding a transaction never started")
            usleep(20_000)
        }

        try Self.erase(person, of: id, in: store)
        let after = try Self.keyTableFiles(address)
        #expect(after.bytes.range(of: Data(key)) == nil, "the erased key is still in \(after.path)")
    }
}
