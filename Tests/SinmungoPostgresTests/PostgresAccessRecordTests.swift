import Crypto
import Foundation
import SinmungoCore
import SinmungoPostgres
import SinmungoStore
import SinmungoTesting
import Testing

@Suite("Access records (접속기록) on PostgreSQL")
struct PostgresAccessRecordTests {
    @Test(
        "each office's access records keep the access-record contract",
        arguments: AccessRecordLogConformance<PostgresEventStore>.checks)
    func conforms(_ check: String) throws {
        try AccessRecordLogConformance { try SharedLog.freshOffice("access") }.run(check)
    }

    static func record(_ minute: Int, task: AccessTask = .view, reason: String? = nil) -> AccessRecord {
        AccessRecord(
            at: Instant(kst: CivilDate(year: 2019, month: 11, day: 4)!, hour: 10).adding(seconds: Int64(minute * 60)),
            account: "claimed-by-the-client", officer: "ydp-0412", host: "ydp-pc-12", caseID: CaseID("PET-2019-0001"),
            person: "3f1c", task: task, reason: reason)
    }

    @Test("the server records its login as the account, and each office numbers and chains its own records")
    func serverRecordsTheLogin() throws {
        let a = try SharedLog.freshOffice("a")
        let b = try SharedLog.freshOffice("b")
        let first = try a.recordAccess(Self.record(1))
        #expect(first.sequence == 1)
        #expect(first.account == "sinmungo")
        #expect(try a.recordAccess(Self.record(2)).sequence == 2)
        #expect(try b.recordAccess(Self.record(3)).sequence == 1)
        // The server's hash is the one AccessRecordChain computes.
        let stored = try SharedLog.psql(
            "SELECT encode(hash, 'hex') FROM sinmungo.access_record WHERE office = '\(a.office)' AND seq = 1")
        #expect(stored == Hex.string(AccessRecordChain.hash(of: first, after: AccessRecordChain.genesis)))
        #expect(try a.accessRecordHead().sequence == 2)
        #expect(try a.verifyAccessRecords() == 2)
        #expect(try b.verifyAccessRecords() == 1)
        // A time before the last record's is moved up to it: records never run backwards.
        #expect(try a.recordAccess(Self.record(0)).at == Self.record(2).at)
        // A print without its reason is refused by the server too, and nothing is written.
        #expect(throws: PostgresFailure.self) { try a.recordAccess(Self.record(5, task: .print)) }
        #expect(try a.verifyAccessRecords() == 3)
    }

    @Test("a forged, deleted or truncated access record is caught, and not even the owner changes one with the trigger on")
    func tamperingIsCaught() throws {
        let log = try SharedLog.freshOffice("tamper")
        for minute in 1...4 { _ = try log.recordAccess(Self.record(minute)) }
        let office = "'\(log.office)'"
        for sql in [
            "UPDATE sinmungo.access_record SET task = 'print' WHERE office = \(office) AND seq = 2",
            "DELETE FROM sinmungo.access_record WHERE office = \(office) AND seq = 4",
            "TRUNCATE sinmungo.access_record",
        ] {
            #expect(throws: (any Error).self, "\(sql)") { try SharedLog.psql(sql) }
        }
        #expect(try log.verifyAccessRecords() == 4)
        func failure() -> AccessRecordFailure? {
            do {
                _ = try log.verifyAccessRecords()
                return nil
            } catch {
                return error as? AccessRecordFailure
            }
        }
        // A hostile owner of the cluster turns the trigger off.
        let off = "ALTER TABLE sinmungo.access_record DISABLE TRIGGER access_record_append_only;"
        let on = "ALTER TABLE sinmungo.access_record ENABLE TRIGGER access_record_append_only;"
        try SharedLog.psql(off + "UPDATE sinmungo.access_record SET task = 'print' WHERE office = \(office) AND seq = 2;" + on)
        #expect(failure() == AccessRecordFailure(sequence: 2, problem: "was changed after it was written"))
        try SharedLog.psql(off + "UPDATE sinmungo.access_record SET task = 'view' WHERE office = \(office) AND seq = 2;" + on)
        #expect(failure() == nil)
        try SharedLog.psql(off + "DELETE FROM sinmungo.access_record WHERE office = \(office) AND seq = 2;" + on)
        #expect(failure() == AccessRecordFailure(sequence: 2, problem: "is missing (the next one is 3)"))
    }

    @Test("pruning is for the owner and the office's privacy officer only; officers and statistics staff read no record")
    func whoMayReadAndPrune() throws {
        let tag = String(UUID().uuidString.lowercased().prefix(8))
        let office = "영등포구-\(tag)"
        let other = "구로구-\(tag)"
        let (officer, privacy, otherPrivacy, auditor, statistician) =
            ("ar_officer_\(tag)", "ar_privacy_\(tag)", "ar_privacy2_\(tag)", "ar_auditor_\(tag)", "ar_statistics_\(tag)")
        try SharedLog.psql(
            """
            CREATE ROLE \(officer) LOGIN IN ROLE sinmungo_officer;
            CREATE ROLE \(privacy) LOGIN IN ROLE sinmungo_privacy_officer;
            CREATE ROLE \(otherPrivacy) LOGIN IN ROLE sinmungo_privacy_officer;
            CREATE ROLE \(auditor) LOGIN IN ROLE sinmungo_auditor;
            CREATE ROLE \(statistician) LOGIN IN ROLE sinmungo_statistics;
            INSERT INTO sinmungo.office VALUES ('\(office)'), ('\(other)');
            INSERT INTO sinmungo.officer VALUES ('\(officer)', '\(office)'), ('\(privacy)', '\(office)'), ('\(otherPrivacy)', '\(other)');
            """)
        func store(_ login: String, _ office: String) throws -> PostgresEventStore {
            try PostgresEventStore(
                address: try SharedLog.address.get().replacingOccurrences(of: "//sinmungo@", with: "//\(login)@"), office: office)
        }
        let written = try store(officer, office).recordAccess(Self.record(1))
        #expect(written.account == officer)
        #expect(try store(privacy, office).recordAccess(Self.record(2)).account == privacy)
        // Not into another office's records.
        #expect(throws: PostgresFailure.self) { try store(officer, other).recordAccess(Self.record(3)) }
        // Officers and statistics staff read none; statistics staff write none either.
        for login in [officer, statistician] {
            let read = #expect(throws: PostgresFailure.self) {
                try store(login, office).accessRecords(in: Self.record(0).at..<Self.record(9).at)
            }
            #expect(read?.kind == .forbidden)
            #expect(throws: AccessRecordsUnreadable.self) { try store(login, office).verifyAccessRecords() }
        }
        #expect(throws: PostgresFailure.self) { try store(statistician, office).recordAccess(Self.record(4)) }
        for sql in [
            "SELECT count(*) FROM sinmungo.access_record", "SELECT count(*) FROM sinmungo.person_key",
            "SELECT sinmungo.prune_access_records('\(office)', '2030-01-01T00:00:00+09:00')",
        ] {
            #expect(PostgresRoleTests.refusal(sql, as: statistician)?.contains("permission denied") == true, "\(sql)")
        }
        // Nobody but the owner writes a record other than through record_access, or changes one.
        for sql in [
            "INSERT INTO sinmungo.access_record SELECT * FROM sinmungo.access_record LIMIT 1",
            "UPDATE sinmungo.access_record SET task = 'view'",
            "DELETE FROM sinmungo.access_record",
            "UPDATE sinmungo.access_record_start SET seq = 0",
        ] {
            for login in [officer, privacy, auditor] {
                #expect(PostgresRoleTests.refusal(sql, as: login)?.contains("permission denied") == true, "\(login): \(sql)")
            }
        }
        // Auditors read every office's records; privacy officers their own offices' only.
        #expect(try store(auditor, office).accessRecords(in: Self.record(0).at..<Self.record(9).at).count == 2)
        #expect(try store(auditor, office).verifyAccessRecords() == 2)
        #expect(try store(privacy, office).verifyAccessRecords() == 2)
        #expect(throws: AccessRecordsUnreadable.self) { try store(otherPrivacy, office).verifyAccessRecords() }
        // An officer may not prune; the other office's privacy officer may not either; the office's may.
        #expect(
            PostgresRoleTests.refusal(
                "SELECT sinmungo.prune_access_records('\(office)', '2030-01-01T00:00:00+09:00')", as: officer)?.contains(
                    "permission denied") == true)
        #expect(throws: PostgresFailure.self) { try store(otherPrivacy, office).pruneAccessRecords(before: Self.record(2).at) }
        #expect(try store(privacy, office).pruneAccessRecords(before: Self.record(2).at) == 1)
        #expect(try store(auditor, office).verifyAccessRecords() == 2)
    }

    @Test("a signed anchor catches a rewritten and re-hashed log that the insider's unsigned anchor would not")
    func signedAnchorCatchesARewrite() throws {
        let log = try SharedLog.freshOffice("anchor")
        let time = Instant(kst: CivilDate(year: 2019, month: 6, day: 3)!, hour: 10)
        for number in 1...12 {
            _ = try log.append(
                AppendRequest(
                    caseID: CaseID(kind: .petition, year: 2019, number: number), expectedVersion: 0,
                    events: [.petitionFiled(PetitionFiled(title: "가로등 \(number)", category: "도시"))],
                    occurredAt: time, recordedAt: time, actor: "ydp-0412", commandID: UUID().uuidString))
        }
        for minute in 1...3 { _ = try log.recordAccess(Self.record(minute)) }
        let before = try log.verify()
        let accessBefore = try log.accessRecordHead()
        let office = Curve25519.Signing.PrivateKey()
        let signed = try SignedAnchor.sign(before, accessHead: accessBefore, at: time, with: office)

        // The insider, as the cluster's owner, makes event 5 someone else's and re-hashes the rest.
        var events: [StoredEvent] = []
        try log.forEachStoredEvent { events.append($0) }
        events[4].actor = "ydp-9999"
        var previous = events[3].hash
        var sql = "ALTER TABLE sinmungo.event DISABLE TRIGGER event_append_only;"
        for index in 4..<events.count {
            events[index].previousHash = previous
            events[index].hash = events[index].expectedHash
            previous = events[index].hash
            sql += """
                UPDATE sinmungo.event SET actor = '\(events[index].actor)', prev_hash = '\\x\(Hex.string(events[index].previousHash))',
                hash = '\\x\(Hex.string(events[index].hash))' WHERE office = '\(log.office)' AND seq = \(events[index].sequence);
                """
        }
        try SharedLog.psql(sql + "ALTER TABLE sinmungo.event ENABLE TRIGGER event_append_only;")
        let after = try log.verify()
        #expect(after.sequence == before.sequence && after.hash != before.hash)
        // The unsigned anchor the insider keeps is rewritten with the log, and verifies.
        #expect(try log.verify(against: after) == after)
        // The signed one does not match the log, and cannot be changed to.
        let token = try #require(SignedAnchor(signed.description))
        #expect(token.isSigned(by: office.publicKey))
        #expect(throws: VerificationFailure.self) { try log.verify(against: token.anchor) }
        var forged = token
        forged.anchor = after
        #expect(!forged.isSigned(by: office.publicKey))

        // The same insider drops access record 2 and re-hashes the records after it.
        let records = try log.accessRecords(in: Self.record(0).at..<Self.record(9).at)
        var third = records[2]
        third.sequence = 2
        let first = try #require(try hashOfAccessRecord(1, in: log))
        let hash = AccessRecordChain.hash(of: third, after: first)
        try SharedLog.psql(
            """
            ALTER TABLE sinmungo.access_record DISABLE TRIGGER access_record_append_only;
            DELETE FROM sinmungo.access_record WHERE office = '\(log.office)' AND seq = 2;
            UPDATE sinmungo.access_record SET seq = 2, prev_hash = '\\x\(Hex.string(first))', hash = '\\x\(Hex.string(hash))' WHERE office = '\(log.office)' AND seq = 3;
            ALTER TABLE sinmungo.access_record ENABLE TRIGGER access_record_append_only;
            """)
        let rewritten = try log.accessRecordHead()
        #expect(try log.verifyAccessRecords(against: rewritten) == AccessRecordsVerified(head: rewritten))
        let caught = #expect(throws: AccessRecordFailure.self) { try log.verifyAccessRecords(against: token.accessHead) }
        #expect(caught?.sequence == 3)
    }

    func hashOfAccessRecord(_ sequence: Int64, in log: PostgresEventStore) throws -> [UInt8]? {
        Hex.bytes(
            try SharedLog.psql(
                "SELECT encode(hash, 'hex') FROM sinmungo.access_record WHERE office = '\(log.office)' AND seq = \(sequence)"))
    }
}
