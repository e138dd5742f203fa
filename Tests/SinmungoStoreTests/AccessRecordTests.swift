import Foundation
import GRDB
import SinmungoCore
import SinmungoStore
import SinmungoTesting
import Testing

@Suite("Access records (접속기록): chained apart from the log, verified, pruned only after retention")
struct AccessRecordTests {
    func record(_ day: Int, case id: String = "PET-2019-0001") -> AccessRecord {
        AccessRecord(
            at: Instant(kst: CivilDate(year: 2019, month: 3, day: day)!, hour: 10), account: "kim", officer: "ydp-0412",
            host: "ydp-pc-12", caseID: CaseID(id), person: "3f1c", task: .view)
    }

    func loggedStore() throws -> (SQLiteEventStore, String) {
        let path = TemporaryFolder().path("log.sqlite")
        let store = try SQLiteEventStore.create(at: path).store
        for day in 1...5 { _ = try store.recordAccess(record(day)) }
        return (store, path)
    }

    /// Changes the file behind the store's back, as an insider with the file would.
    func tamper(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS access_record_no_update; DROP TRIGGER IF EXISTS access_record_no_delete")
            try db.execute(sql: sql)
        }
    }

    @Test("records are numbered, chained and read back by time, and the chain verifies")
    func chained() throws {
        let (store, _) = try loggedStore()
        #expect(try store.verifyAccessRecords() == 5)
        let read = try store.accessRecords(in: record(2).at..<record(4).at)
        #expect(read.map(\.sequence) == [2, 3])
        #expect(read.first?.officer == "ydp-0412")
        #expect(read.first?.host == "ydp-pc-12")
        // Nothing of them is in the case log or its views.
        #expect(try store.head().sequence == 0)
    }

    @Test("a forged record is caught by verify, naming it")
    func forged() throws {
        let (store, path) = try loggedStore()
        try tamper(path, "UPDATE access_record SET officer = 'ydp-9999' WHERE seq = 3")
        let failure = #expect(throws: AccessRecordFailure.self) { try store.verifyAccessRecords() }
        #expect(failure?.sequence == 3)
        #expect(failure?.problem == "was changed after it was written")
    }

    @Test("a deleted record is caught by verify, naming it")
    func deleted() throws {
        let (store, path) = try loggedStore()
        try tamper(path, "DELETE FROM access_record WHERE seq = 2")
        let failure = #expect(throws: AccessRecordFailure.self) { try store.verifyAccessRecords() }
        #expect(failure?.sequence == 2)
        #expect(failure?.problem.hasPrefix("is missing") == true)
    }

    @Test("a record cannot be changed or deleted through SQL while the triggers stand")
    func appendOnly() throws {
        let (_, path) = try loggedStore()
        let queue = try DatabaseQueue(path: path)
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM access_record WHERE seq = 2") } }
        #expect(throws: DatabaseError.self) {
            try queue.write { try $0.execute(sql: "UPDATE access_record SET task = 'print' WHERE seq = 2") }
        }
    }

    @Test("pruning removes the oldest records only, and the chain still verifies from the first one left")
    func pruned() throws {
        let (store, path) = try loggedStore()
        #expect(try store.pruneAccessRecords(before: record(3).at) == 2)
        #expect(try store.verifyAccessRecords() == 5)
        #expect(try store.accessRecords(in: record(1).at..<record(9).at).map(\.sequence) == [3, 4, 5])
        _ = try store.recordAccess(record(6))
        #expect(try store.verifyAccessRecords() == 6)
        // The policy keeps them two years: a cutoff of today minus two years.
        let cutoff = Policy.yeongdeungpo.accessRecordCutoff(today: CivilDate(year: 2021, month: 3, day: 4)!)
        #expect(cutoff == Instant(kst: CivilDate(year: 2019, month: 3, day: 4)!))
        try tamper(path, "DELETE FROM access_record WHERE seq = 3")
        #expect(throws: AccessRecordFailure.self) { try store.verifyAccessRecords() }
    }
}
