import Foundation
import GRDB
import SinmungoCore
import SinmungoStore
import SinmungoTesting
import Testing

/// Access records, four-eyes erasure and signed anchors on a PostgreSQL log, as on SQLite.
@Suite("Access records (접속기록) and the privacy officer's checks on PostgreSQL")
struct ServerAccessRecordTests {
    static let name = "박가상"
    static let phone = "010-0000-1234"

    /// A log on a new database with one petition holding personal data.
    func office() throws -> (CLI, String, String) {
        let (cli, address) = try ServerLogTests.serverCLI()
        let id = try cli.ok(
            "petition", "file", "--title", "문래동 가로등", "--category", "도시", "--petitioner", Self.name, "--contact", Self.phone,
            "--at", "2019-03-04T10:00"
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        return (cli, address, id)
    }

    func count(_ address: String, _ table: String = "access_record") throws -> Int {
        Int(try SharedPsql.run("SELECT count(*) FROM sinmungo.\(table)", address: address)) ?? -1
    }

    /// The address as another login, created for this test in `role`, an officer of the office `default`.
    func login(_ name: String, role: String, address: String, officer: Bool = true) throws -> String {
        try SharedPsql.run(
            "CREATE ROLE \(name) LOGIN IN ROLE \(role);"
                + (officer ? "INSERT INTO sinmungo.officer VALUES ('\(name)', 'default');" : ""), address: address)
        return address.replacingOccurrences(of: "//sinmungo@", with: "//\(name)@")
    }

    static func tag() -> String { String(UUID().uuidString.lowercased().prefix(8)) }

    @Test("every show of personal data leaves exactly one record, kept with the server's login; access-log lists them")
    func everyShowLeavesOneRecord() throws {
        let (cli, address, id) = try office()
        #expect(try count(address) == 0)
        for shown in 1...3 {
            #expect(try cli.ok("show", id).contains(Self.phone))
            #expect(try count(address) == shown)
        }
        let row = try SharedPsql.run(
            "SELECT account, officer, case_id, task, at FROM sinmungo.access_record WHERE seq = 3", address: address)
        #expect(row == "sinmungo|ydp-0412|\(id)|view|2019-11-29T18:00:00+09:00")
        // A case without personal data opens none, and records nothing.
        let posted = try cli.ok("record", "post", "--title", "소통 기록", "--at", "2019-03-05T10:00")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try cli.ok("show", posted)
        #expect(try count(address) == 3)
        #expect(try cli.ok("verify").contains("access records chained through 3"))
        #expect(try cli.ok("verify", "--all-offices").contains("default: ok: 2 events verified"))
        #expect(try cli.ok("verify", "--all-offices").contains("access records chained through 3"))
        // The monthly check reads them, and is recorded in the same chain.
        let listed = try cli.run("access-log", "--month", "2019-11", "--format", "csv")
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.split(separator: "\n").count == 4)
        #expect(listed.stderr.contains("checked 2019-11: 3 records, 3 flagged; the check is access record 4"))
        #expect(try count(address) == 4)
        // On a read-only session no record can be kept, so nothing is opened.
        var readOnly = cli
        readOnly.environment["PGOPTIONS"] = "-c default_transaction_read_only=on"
        let closed = try readOnly.run("show", id)
        #expect(closed.status == 0, "\(closed.stderr)")
        #expect(!closed.stdout.contains(Self.phone) && closed.stdout.contains("not opened"))
        #expect(try count(address) == 4)
    }

    @Test("a forged or deleted access record is caught by verify, even when the cluster's owner turned the trigger off")
    func verifyCatchesTampering() throws {
        let (cli, address, id) = try office()
        for _ in 1...3 { _ = try cli.ok("show", id) }
        let off = "ALTER TABLE sinmungo.access_record DISABLE TRIGGER access_record_append_only;"
        #expect(throws: (any Error).self) {
            try SharedPsql.run("DELETE FROM sinmungo.access_record WHERE seq = 2", address: address)
        }
        try SharedPsql.run(off + "UPDATE sinmungo.access_record SET task = 'print' WHERE seq = 2", address: address)
        let forged = try cli.run("verify")
        #expect(forged.status == 65)
        #expect(forged.stderr.contains("access record 2: was changed after it was written"), "\(forged.stderr)")
        try SharedPsql.run(off + "UPDATE sinmungo.access_record SET task = 'view' WHERE seq = 2", address: address)
        #expect(try cli.run("verify").status == 0)
        try SharedPsql.run(off + "DELETE FROM sinmungo.access_record WHERE seq = 2", address: address)
        let deleted = try cli.run("verify")
        #expect(deleted.status == 65)
        #expect(deleted.stderr.contains("access record 2: is missing"), "\(deleted.stderr)")
        let all = try cli.run("verify", "--all-offices")
        #expect(all.status == 65)
        #expect(all.stderr.contains("default: access record 2: is missing"), "\(all.stderr)")
    }

    @Test("a statistics login never sees personal data: no key, no record, and its show opens nothing")
    func statisticsNeverSeesPersonalData() throws {
        let (cli, address, id) = try office()
        _ = try cli.ok("show", id)
        let statistics = try login("ar_statistics_\(Self.tag())", role: "sinmungo_statistics", address: address, officer: false)
        for table in ["person_key", "access_record", "event"] {
            #expect(throws: (any Error).self, "statistics staff read \(table)") {
                try SharedPsql.run("SELECT count(*) FROM sinmungo.\(table)", address: statistics)
            }
        }
        let shown = try cli.run("--db", statistics, "show", id)
        #expect(shown.status != 0)
        #expect(!shown.stdout.contains(Self.name) && !shown.stdout.contains(Self.phone))
        #expect(try count(address) == 1)
        // An officer's show is recorded under the officer's own login, whatever account the client runs as.
        let officer = try login("ar_officer_\(Self.tag())", role: "sinmungo_officer", address: address)
        #expect(try cli.ok("--db", officer, "show", id).contains(Self.phone))
        let account = try SharedPsql.run("SELECT account FROM sinmungo.access_record WHERE seq = 2", address: address)
        #expect(account.hasPrefix("ar_officer_"))
        // Officers write records but read none, so their verify says it did not check them.
        #expect(try cli.ok("--db", officer, "verify").contains("the access records were not checked"))
        #expect(try cli.run("--db", officer, "access-log", "--month", "2019-11").status == 65)
    }

    @Test("a single officer cannot erase: another privacy officer approves, both steps are events, the key goes only then")
    func fourEyesErasure() throws {
        let (cli, address, id) = try office()
        let tag = Self.tag()
        let (kim, priv) = ("ar_kim_\(tag)", "ar_priv_\(tag)")
        let kimAddress = try login(kim, role: "sinmungo_officer", address: address)
        let privAddress = try login(priv, role: "sinmungo_privacy_officer", address: address)
        _ = try cli.ok("withdraw", id, "--reason", "취하", "--at", "2019-06-05T10:00")
        let asked = try cli.run(
            "--db", kimAddress, "erase", id, "--reason", "정보주체 삭제 요구", "--request", "개인정보-2019-0042", "--actor", kim)
        #expect(asked.status == 0, "\(asked.stderr)")
        #expect(asked.stderr.contains("nothing is destroyed until a privacy officer, another person, approves it"))
        let alone = try cli.run("--db", kimAddress, "erase", id, "--approve", "--actor", kim)
        #expect(alone.status == 65)
        #expect(alone.stderr.contains("asked for this erasure and cannot also decide it"), "\(alone.stderr)")
        #expect(try count(address, "person_key") == 1)
        #expect(try cli.ok("show", id).contains(Self.phone))
        _ = try cli.ok("--db", privAddress, "erase", id, "--approve", "--actor", priv)
        #expect(try count(address, "person_key") == 0)
        let history = try SharedPsql.run(
            "SELECT type || ' ' || actor FROM sinmungo.event WHERE case_id = '\(id)' ORDER BY seq", address: address)
        #expect(history == "petition-filed ydp-0412\nwithdrawn ydp-0412\nerasure-requested \(kim)\npersonal-data-erased \(priv)")
        let shown = try cli.ok("show", id)
        #expect(shown.contains("(erased 2019-11-29T18:00:00+09:00 by \(priv)"))
        #expect(!shown.contains(Self.phone))
    }

    /// Deletes access record 2 of `office` and re-hashes record 3 as the new record 2, as an
    /// insider who can write the table would; the chain verifies on its own afterwards.
    static func dropSecondRecord(
        read: () throws -> [(record: AccessRecord, hash: [UInt8])],
        write: (_ newHash: [UInt8], _ previous: [UInt8]) throws -> Void
    ) throws {
        let records = try read()
        var third = records[2].record
        third.sequence = 2
        try write(AccessRecordChain.hash(of: third, after: records[0].hash), records[0].hash)
    }

    static let columns = "CAST(seq AS TEXT), at, account, officer, host, case_id, person, task, reason"

    /// An access record from its columns as text (an empty reason is none), and its hash.
    static func record(_ fields: [String]) throws -> (record: AccessRecord, hash: [UInt8]) {
        let record = AccessRecord(
            sequence: try #require(Int64(fields[0])), at: try #require(Instant(iso8601: fields[1])), account: fields[2],
            officer: fields[3], host: fields[4], caseID: CaseID(rawValue: fields[5]), person: fields[6],
            task: try #require(AccessTask(rawValue: fields[7])), reason: fields[8].isEmpty ? nil : fields[8])
        return (record, try #require(Hex.bytes(fields[9])))
    }

    func signedHeads(_ cli: CLI, db: String) throws -> (token: String, key: String) {
        let key = cli.path("anchor.key")
        if !FileManager.default.fileExists(atPath: key) { _ = try cli.ok("anchor-key", "--out", key) }
        let token = try cli.ok("--db", db, "head", "--sign", "--signing-key", key).trimmingCharacters(in: .whitespacesAndNewlines)
        return (token, key)
    }

    @Test("head --sign signs the access records' head too, and verify --against catches them rewritten, on both backends")
    func signedAnchorCoversAccessRecords() throws {
        let (cli, address, id) = try office()
        let sqlite = cli.path("log.sqlite")
        _ = try cli.ok("--db", sqlite, "init")
        _ = try cli.ok(
            "--db", sqlite, "petition", "file", "--title", "가로등", "--category", "도시", "--petitioner", Self.name, "--at",
            "2019-03-04T10:00")
        for db in [address, sqlite] {
            for _ in 1...3 { _ = try cli.ok("--db", db, "show", db == sqlite ? "PET-2019-0001" : id) }
            let (token, key) = try signedHeads(cli, db: db)
            let parts = token.split(separator: "/")
            #expect(parts.count == 4)
            #expect(parts[1].hasPrefix("3:"))
            let good = try cli.run("--db", db, "verify", "--against", token, "--public-key", key + ".pub")
            #expect(good.status == 0, "\(good.stderr)")
            #expect(good.stdout.contains("access records extend \(parts[1])"))
            // The insider's own unsigned anchor of the rewritten records would verify; the signed one does not.
            if db == sqlite {
                let queue = try DatabaseQueue(path: sqlite)
                try Self.dropSecondRecord(
                    read: {
                        try queue.read { db in
                            try Row.fetchAll(db, sql: "SELECT \(Self.columns), hex(hash) FROM access_record ORDER BY seq").map {
                                row in try Self.record((0..<10).map { (row[$0] as String?) ?? "" })
                            }
                        }
                    },
                    write: { hash, previous in
                        try queue.writeWithoutTransaction { db in
                            try db.execute(sql: "DROP TRIGGER access_record_no_update; DROP TRIGGER access_record_no_delete")
                            try db.execute(sql: "DELETE FROM access_record WHERE seq = 2")
                            try db.execute(
                                sql: "UPDATE access_record SET seq = 2, prev_hash = ?, hash = ? WHERE seq = 3",
                                arguments: [Data(previous), Data(hash)])
                        }
                    })
            } else {
                try Self.dropSecondRecord(
                    read: {
                        try SharedPsql.run(
                            "SELECT \(Self.columns), encode(hash, 'hex') FROM sinmungo.access_record ORDER BY seq",
                            address: address
                        ).split(separator: "\n").map {
                            try Self.record($0.split(separator: "|", omittingEmptySubsequences: false).map(String.init))
                        }
                    },
                    write: { hash, previous in
                        try SharedPsql.run(
                            """
                            ALTER TABLE sinmungo.access_record DISABLE TRIGGER access_record_append_only;
                            DELETE FROM sinmungo.access_record WHERE seq = 2;
                            UPDATE sinmungo.access_record SET seq = 2, prev_hash = '\\x\(Hex.string(previous))',
                                hash = '\\x\(Hex.string(hash))' WHERE seq = 3;
                            """, address: address)
                    })
            }
            #expect(try cli.ok("--db", db, "verify").contains("access records chained through 2"))
            let caught = try cli.run("--db", db, "verify", "--against", token, "--public-key", key + ".pub")
            #expect(caught.status == 65, "\(db): \(caught.stdout)")
            #expect(caught.stderr.contains("access record 3: is missing"), "\(caught.stderr)")
        }
    }

    @Test("a token signed before access heads were anchored still verifies the event head, and says so")
    func oldTokenStillVerifies() throws {
        let (cli, address, id) = try office()
        _ = try cli.ok("show", id)
        let key = cli.path("anchor.key")
        _ = try cli.ok("anchor-key", "--out", key)
        let head = try #require(LogAnchor(try cli.ok("head").trimmingCharacters(in: .whitespacesAndNewlines)))
        let old = try SignedAnchor.sign(
            head, at: Instant(kst: CivilDate(year: 2019, month: 11, day: 1)!, hour: 9), with: AnchorKeyFile.privateKey(at: key))
        #expect(old.description.split(separator: "/").count == 3)
        let verified = try cli.run("verify", "--against", old.description, "--public-key", key + ".pub")
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("extends \(head)"))
        #expect(verified.stdout.contains("the signed anchor holds no access-record head"))
        _ = address
    }
}
