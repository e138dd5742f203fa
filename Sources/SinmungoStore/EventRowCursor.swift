import Foundation
internal import GRDB
internal import GRDBSQLite
import SinmungoCore
import SinmungoJSON

/// Steps a query over the log and reads each column in place through SQLite's C API: the
/// replay path makes no Swift value for a field it does not need (GRDB's rows make a string or
/// `Data` per field read). A column's bytes stay valid until the next step.
struct EventRowCursor {
    private let statement: Statement
    private let handle: OpaquePointer
    private let db: Database

    /// `cached` reuses the connection's prepared statement: for a query run once a row.
    init(db: Database, sql: String, arguments: StatementArguments = [], cached: Bool = false) throws {
        statement = try cached ? db.cachedStatement(sql: sql) : db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        handle = statement.sqliteStatement
        self.db = db
    }

    /// Moves to the next row; false at the end.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    /// Ends the query, so that a cached statement holds no read open.
    func reset() { sqlite3_reset(handle) }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// SQLite's code for the column's storage class (`SQLITE_INTEGER`, …).
    func storageClassCode(_ column: Int32) -> Int32 { sqlite3_column_type(handle, column) }

    /// The column's stored bytes (text as UTF-8, as stored), empty for NULL.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        // sqlite3_column_blob gives a text column's bytes unconverted; ask for them before their count.
        guard let base = sqlite3_column_blob(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        let count = Int(sqlite3_column_bytes(handle, column))
        return UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: count)
    }
}

/// One event's stored columns, as a replay or `verify` reads them: in place in SQLite's
/// buffers, or copied out of them for another thread.
protocol ReplayColumns {
    func int64(_ column: Int32) -> Int64
    func isNull(_ column: Int32) -> Bool
    /// The column's stored bytes, empty for NULL.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>
    /// SQLite's code for the column's storage class (`SQLITE_INTEGER`, …).
    func storageClassCode(_ column: Int32) -> Int32
}

extension ReplayColumns {
    func int(_ column: Int32) -> Int { Int(int64(column)) }
    func string(_ column: Int32) -> String { String(decoding: bytes(column), as: UTF8.self) }

    /// The storage class SQLite holds for the column, as `typeof()` names it.
    func storageClass(_ column: Int32) -> String {
        switch storageClassCode(column) {
        case SQLITE_INTEGER: "integer"
        case SQLITE_FLOAT: "real"
        case SQLITE_TEXT: "text"
        case SQLITE_BLOB: "blob"
        default: "null"
        }
    }
}

extension EventRowCursor: ReplayColumns {}

extension SQLiteEventStore {
    /// Calls `body` with every event a query of `replayColumns` finds, in its order, decoded
    /// straight from the stored bytes. Past the first few hundred, the events are decoded on a
    /// second thread while this one reads on (`ReplayReader`).
    /// The views need no command id or account: `withCommandID` reads both too, for callers
    /// that show them.
    static func forEachReplayedEvent(
        _ db: Database, where condition: String, _ arguments: StatementArguments = [], withCommandID: Bool = false,
        _ body: (RecordedEvent) throws -> Void
    ) throws {
        var reader = ReplayReader(withCommandID: withCommandID)
        defer { reader.stop() }
        try reader.read(replayCursor(db, where: condition, arguments, withCommandID: withCommandID), body)
        try reader.finish(body)
    }

    /// A query of `replayColumns`, and with `withCommandID` of the command id and account after them.
    static func replayCursor(
        _ db: Database, where condition: String, _ arguments: StatementArguments, withCommandID: Bool
    ) throws -> EventRowCursor {
        let columns = withCommandID ? replayColumns + ", command_id, account" : replayColumns
        return try EventRowCursor(db: db, sql: "SELECT \(columns) FROM event WHERE \(condition)", arguments: arguments)
    }

    /// The event at a row of `replayColumns` (and, `withCommandID`, the command id and account
    /// after them): what `StoredEvent.decoded()` gives, with the times and data read in place.
    static func replayedEvent(
        _ row: some ReplayColumns, withCommandID: Bool = false, names: inout RepeatedStrings
    ) throws -> RecordedEvent {
        let sequence = row.int64(0)
        let type = names.string(row.bytes(3))
        let schemaVersion = row.int(4)
        guard let occurredAt = Instant(iso8601UTF8: row.bytes(5)) else {
            throw StoreError.unreadableEvent(
                sequence: sequence, reason: "occurred_at \"\(row.string(5))\" is not a time")
        }
        guard let recordedAt = Instant(iso8601UTF8: row.bytes(6)) else {
            throw StoreError.unreadableEvent(
                sequence: sequence, reason: "recorded_at \"\(row.string(6))\" is not a time")
        }
        let event: CaseEvent
        do {
            event = try EventCodec.decode(
                type: type, schemaVersion: schemaVersion, dataUTF8: UnsafeRawBufferPointer(row.bytes(8)))
        } catch {
            throw StoreError.unreadableEvent(sequence: sequence, reason: error.description)
        }
        return RecordedEvent(
            sequence: sequence, caseID: CaseID(row.string(1)), caseVersion: row.int(2),
            schemaVersion: schemaVersion, occurredAt: occurredAt, recordedAt: recordedAt, actor: names.string(row.bytes(7)),
            commandID: withCommandID ? row.string(9) : "", event: event,
            account: withCommandID && !row.isNull(10) ? row.string(10) : nil)
    }
}

/// The few strings a log repeats on every event (its types, its officers), made once each: a
/// replay would otherwise make two strings an event that it drops at once. Kept in a small
/// open-addressing table by a hash of their bytes, so that a district's hundreds of officers
/// cost one probe, not a search.
struct RepeatedStrings {
    private var keys: [[UInt8]]
    private var strings: [String]
    private var filled = 0
    private let mask: Int

    /// `slots`, a power of two: at most half of them are filled, so that probes stay short;
    /// values past that are made afresh each time.
    init(slots: Int = 1024) {
        precondition(slots > 1 && slots & (slots - 1) == 0, "a power of two")
        keys = Array(repeating: [], count: slots)
        strings = Array(repeating: "", count: slots)
        mask = slots - 1
    }

    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        // An empty slot holds no bytes, so the empty string is never kept.
        guard !bytes.isEmpty else { return "" }
        var slot = Self.hash(bytes) & mask
        while !keys[slot].isEmpty {
            let same = keys[slot].withUnsafeBufferPointer { stored in
                stored.count == bytes.count && memcmp(stored.baseAddress!, bytes.baseAddress!, bytes.count) == 0
            }
            if same { return strings[slot] }
            slot = (slot + 1) & mask
        }
        let string = String(decoding: bytes, as: UTF8.self)
        if filled < (mask + 1) / 2 {
            keys[slot] = Array(bytes)
            strings[slot] = string
            filled += 1
        }
        return string
    }

    /// FNV-1a: short keys, no allocation.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: hash ^ (hash >> 32))
    }
}
