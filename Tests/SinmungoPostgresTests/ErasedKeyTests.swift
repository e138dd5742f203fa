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

    @Test("erase rewrites the key table: the key's bytes are in no file of it afterwards")
    func erasedKeyLeavesNoDeadTuple() throws {
        // A database of its own: VACUUM FULL keeps a dead row that an open transaction's
        // snapshot may still see, and other tests' imports run long in the shared one.
        let address = try TestPostgres.freshDatabase()
        let store = try PostgresEventStore.create(address: address, office: "영등포구")
        let id = CaseID(kind: .petition, year: 2019, number: 1)
        let day = Instant(kst: CivilDate(year: 2019, month: 6, day: 3)!, hour: 10)
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
        guard parts.count == 2, let key = EventHash.bytes(hex: parts[1]) else {
            Issue.record("no key was stored for the case: \(row)")
            return
        }
        // The scan finds the key while it is there, so finding nothing later means something.
        let before = try Self.keyTableFiles(address)
        #expect(before.bytes.range(of: Data(key)) != nil)

        _ = try store.append(
            AppendRequest(
                caseID: id, expectedVersion: 1,
                events: [.personalDataErased(PersonalDataErased(person: parts[0], reason: "보존기간 경과"))],
                occurredAt: day.adding(seconds: 3600), recordedAt: day.adding(seconds: 3600), actor: "ydp-0412",
                commandID: UUID().uuidString))
        let after = try Self.keyTableFiles(address)
        #expect(after.bytes.range(of: Data(key)) == nil, "the erased key is still in \(after.path)")
        // The files the table had before the rewrite are emptied, then removed.
        #expect(try Self.files(at: before.path).range(of: Data(key)) == nil, "the erased key is still in \(before.path)")
        guard case .erased = try store.personalData(of: id) else {
            Issue.record("the case's personal data is not erased")
            return
        }
    }
}
