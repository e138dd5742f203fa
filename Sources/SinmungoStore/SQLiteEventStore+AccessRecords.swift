import Foundation
internal import GRDB
import SinmungoCore

extension Schema {
    static let accessRecordsMigration = "v4-access-records"

    /// The access records' own tables: not the event log, not its views.
    static func registerAccessRecords(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration(accessRecordsMigration) { db in
            try db.execute(
                sql: """
                    CREATE TABLE access_record (
                        seq INTEGER PRIMARY KEY NOT NULL,
                        at TEXT NOT NULL,
                        account TEXT NOT NULL,
                        officer TEXT NOT NULL,
                        host TEXT NOT NULL,
                        case_id TEXT,
                        person TEXT,
                        task TEXT NOT NULL,
                        reason TEXT,
                        prev_hash BLOB NOT NULL,
                        hash BLOB NOT NULL
                    );
                    CREATE INDEX access_record_at ON access_record(at);
                    -- Where the chain starts once the oldest records were pruned after their retention.
                    CREATE TABLE access_record_start (
                        id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
                        seq INTEGER NOT NULL,
                        hash BLOB NOT NULL
                    );
                    CREATE TRIGGER access_record_no_update BEFORE UPDATE ON access_record
                        BEGIN SELECT RAISE(ABORT, 'access records are append-only'); END;
                    -- Only records the start has moved past may go; the chain catches any other loss.
                    CREATE TRIGGER access_record_no_delete BEFORE DELETE ON access_record
                        WHEN OLD.seq > coalesce((SELECT seq FROM access_record_start), 0)
                        BEGIN SELECT RAISE(ABORT, 'access records are deleted only after their retention'); END;
                    """)
        }
    }
}

extension SQLiteEventStore: AccessRecordLog {
    public func recordAccess(_ record: AccessRecord) throws -> AccessRecord {
        try requireWritable()
        return try withTranslatedErrors {
            try database.write { db in
                let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM access_record ORDER BY seq DESC LIMIT 1")
                let start = try Self.accessStart(db)
                let previousSequence: Int64 = last?["seq"] ?? start.sequence
                let previousHash: [UInt8] = last.map { [UInt8]($0["hash"] as Data) } ?? start.hash
                var written = record
                written.sequence = previousSequence + 1
                let hash = AccessRecordChain.hash(of: written, after: previousHash)
                try db.execute(
                    sql: """
                        INSERT INTO access_record (seq, at, account, officer, host, case_id, person, task, reason, prev_hash, hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        written.sequence, written.at.description, written.account, written.officer, written.host,
                        written.caseID?.rawValue, written.person, written.task.rawValue, written.reason,
                        Data(previousHash), Data(hash),
                    ])
                return written
            }
        }
    }

    public func accessRecords(in range: Range<Instant>) throws -> [AccessRecord] {
        try withTranslatedErrors {
            try database.read { db in
                guard try db.tableExists("access_record") else { return [] }
                // Times are stored in KST with a fixed offset, so their text sorts as they do.
                return try Row.fetchAll(
                    db, sql: "SELECT * FROM access_record WHERE at >= ? AND at < ? ORDER BY seq",
                    arguments: [range.lowerBound.description, range.upperBound.description]
                ).map { try Self.accessRecord($0).record }
            }
        }
    }

    public func verifyAccessRecords(against anchor: LogAnchor?) throws -> AccessRecordsVerified {
        try withTranslatedErrors {
            try database.read { db in
                guard try db.tableExists("access_record") else {
                    return try AccessRecordChain.verify([], start: (0, AccessRecordChain.genesis), against: anchor)
                }
                let start = try Self.accessStart(db)
                let rows = try Row.fetchCursor(db, sql: "SELECT * FROM access_record ORDER BY seq")
                var records: [(record: AccessRecord, previousHash: [UInt8], hash: [UInt8])] = []
                while let row = try rows.next() { records.append(try Self.accessRecord(row)) }
                return try AccessRecordChain.verify(records, start: start, against: anchor)
            }
        }
    }

    public func accessRecordHead() throws -> LogAnchor {
        try withTranslatedErrors {
            try database.read { db in
                guard try db.tableExists("access_record") else { return LogAnchor(sequence: 0, hash: AccessRecordChain.genesis) }
                if let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM access_record ORDER BY seq DESC LIMIT 1") {
                    return LogAnchor(sequence: last["seq"], hash: [UInt8](last["hash"] as Data))
                }
                let start = try Self.accessStart(db)
                return LogAnchor(sequence: start.sequence, hash: start.hash)
            }
        }
    }

    public func pruneAccessRecords(before cutoff: Instant) throws -> Int {
        try requireWritable()
        return try withTranslatedErrors {
            try database.write { db in
                guard
                    let last = try Row.fetchOne(
                        db, sql: "SELECT seq, hash FROM access_record WHERE at < ? ORDER BY seq DESC LIMIT 1",
                        arguments: [cutoff.description])
                else { return 0 }
                let sequence: Int64 = last["seq"]
                try db.execute(
                    sql: "INSERT OR REPLACE INTO access_record_start (id, seq, hash) VALUES (1, ?, ?)",
                    arguments: [sequence, last["hash"] as Data])
                try db.execute(sql: "DELETE FROM access_record WHERE seq <= ?", arguments: [sequence])
                return db.changesCount
            }
        }
    }

    private static func accessStart(_ db: Database) throws -> (sequence: Int64, hash: [UInt8]) {
        guard let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM access_record_start WHERE id = 1") else {
            return (0, AccessRecordChain.genesis)
        }
        return (row["seq"], [UInt8](row["hash"] as Data))
    }

    private static func accessRecord(_ row: Row) throws -> (record: AccessRecord, previousHash: [UInt8], hash: [UInt8]) {
        let sequence: Int64 = row["seq"]
        func damaged(_ field: String) -> AccessRecordFailure {
            AccessRecordFailure(sequence: sequence, problem: "its \(field) cannot be read")
        }
        guard let at = Instant(iso8601: row["at"] as String) else { throw damaged("time") }
        guard let task = AccessTask(rawValue: row["task"] as String) else { throw damaged("task") }
        let record = AccessRecord(
            sequence: sequence, at: at, account: row["account"], officer: row["officer"], host: row["host"],
            caseID: (row["case_id"] as String?).map(CaseID.init(rawValue:)), person: row["person"], task: task,
            reason: row["reason"])
        return (record, [UInt8](row["prev_hash"] as Data), [UInt8](row["hash"] as Data))
    }
}
