import Foundation
import SinmungoCore
import SinmungoStore

/// The office's access records (접속기록) on the server: written only by `sinmungo.record_access`,
/// which records the database login as the account, and chained as `AccessRecordChain` lays out.
extension PostgresEventStore: AccessRecordLog {
    static let accessColumns = "seq, at, account, officer, host, case_id, person, task, reason, prev_hash, hash"

    public func recordAccess(_ record: AccessRecord) throws -> AccessRecord {
        let address = PostgresConnection.redacted(connection.address)
        guard !readOnly else { throw StoreError.readOnly(path: address, reason: "it was opened for reading") }
        let rows: PostgresConnection.Rows
        do {
            rows = try withConnection { connection in
                try connection.execute(
                    "SELECT seq, at, account FROM sinmungo.record_access($1, $2, $3, $4, $5, $6, $7, $8)",
                    [
                        office, record.at.description, record.officer, record.host, record.caseID?.rawValue, record.person,
                        record.task.rawValue, record.reason,
                    ])
            }
        } catch let failure as PostgresFailure where failure.kind == .readOnly {
            throw StoreError.readOnly(path: address, reason: "the server is a read-only standby")
        }
        guard let row = rows.rows.first, let sequence = row[0].flatMap(Int64.init),
            let at = row[1].flatMap(Instant.init(iso8601:)), let account = row[2] ?? nil
        else { throw PostgresFailure(.server, "the record_access function returned a row it should not") }
        var written = record
        written.sequence = sequence
        written.at = at
        written.account = account
        return written
    }

    public func accessRecords(in range: Range<Instant>) throws -> [AccessRecord] {
        try accessRecordRows(
            where: "at >= $2 AND at < $3 ORDER BY seq", [range.lowerBound.description, range.upperBound.description]
        ).map(\.record)
    }

    public func verifyAccessRecords(against anchor: LogAnchor?) throws -> AccessRecordsVerified {
        let (readable, login) = try withConnection { connection in
            let row = try connection.execute(
                "SELECT has_table_privilege('sinmungo.access_record', 'SELECT'), session_user"
            ).rows.first
            return (row?[0] == "t", (row?[1] ?? nil) ?? "")
        }
        guard readable else { throw AccessRecordsUnreadable(login: login) }
        let start = try withConnection { connection in
            try connection.execute(
                "SELECT seq, hash FROM sinmungo.access_record_start WHERE office = $1", [office]
            ).rows.first.map { row in
                (Int64(row[0] ?? "") ?? 0, PostgresConnection.bytes(fromHex: row[1] ?? ""))
            }
        }
        var records: [(record: AccessRecord, previousHash: [UInt8], hash: [UInt8])] = []
        while true {
            let batch = try accessRecordRows(
                where: "seq > $2 ORDER BY seq LIMIT \(readBatchSize)", [String(records.last?.record.sequence ?? 0)])
            records += batch
            if batch.count < readBatchSize { break }
        }
        // Row-level security shows a privacy officer only their own offices' records.
        if start == nil, records.isEmpty, try accessRecordHead().sequence > 0 {
            throw AccessRecordsUnreadable(login: login)
        }
        return try AccessRecordChain.verify(records, start: start ?? (0, AccessRecordChain.genesis), against: anchor)
    }

    public func accessRecordHead() throws -> LogAnchor {
        try withConnection { connection in
            let row = try connection.execute("SELECT seq, hash FROM sinmungo.access_head($1)", [office]).rows.first
            return LogAnchor(
                sequence: Int64(row?[0] ?? "") ?? 0,
                hash: row.map { PostgresConnection.bytes(fromHex: $0[1] ?? "") } ?? AccessRecordChain.genesis)
        }
    }

    public func pruneAccessRecords(before cutoff: Instant) throws -> Int {
        let rows = try withConnection { connection in
            try connection.execute("SELECT sinmungo.prune_access_records($1, $2)", [office, cutoff.description])
        }
        return (rows.rows.first?.first ?? nil).flatMap(Int.init) ?? 0
    }

    /// The office's records that meet `condition` ($1 is the office), with their hashes.
    private func accessRecordRows(where condition: String, _ parameters: [String?]) throws
        -> [(record: AccessRecord, previousHash: [UInt8], hash: [UInt8])]
    {
        try withConnection { connection in
            var records: [(record: AccessRecord, previousHash: [UInt8], hash: [UInt8])] = []
            try connection.forEachRow(
                "SELECT \(Self.accessColumns) FROM sinmungo.access_record WHERE office = $1 AND \(condition)",
                [office] + parameters
            ) { row in
                let sequence = row.integer(0)
                func damaged(_ field: String) -> AccessRecordFailure {
                    AccessRecordFailure(sequence: sequence, problem: "its \(field) cannot be read")
                }
                guard let at = Instant(iso8601: row.text(1)) else { throw damaged("time") }
                guard let task = AccessTask(rawValue: row.text(7)) else { throw damaged("task") }
                func optional(_ column: Int32) -> String? { row.isNull(column) ? nil : row.text(column) }
                let record = AccessRecord(
                    sequence: sequence, at: at, account: row.text(2), officer: row.text(3), host: row.text(4),
                    caseID: optional(5).map(CaseID.init(rawValue:)), person: optional(6), task: task, reason: optional(8))
                records.append((record, row.bytes(9), row.bytes(10)))
            }
            return records
        }
    }
}
