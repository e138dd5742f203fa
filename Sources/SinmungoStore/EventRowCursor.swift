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

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// The storage class SQLite holds for the column, as `typeof()` names it.
    func storageClass(_ column: Int32) -> String {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: "integer"
        case SQLITE_FLOAT: "real"
        case SQLITE_TEXT: "text"
        case SQLITE_BLOB: "blob"
        default: "null"
        }
    }

    /// The column's stored bytes (text as UTF-8, as stored), empty for NULL.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        // sqlite3_column_blob gives a text column's bytes unconverted; ask for them before their count.
        guard let base = sqlite3_column_blob(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        let count = Int(sqlite3_column_bytes(handle, column))
        return UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: count)
    }

    func string(_ column: Int32) -> String { String(decoding: bytes(column), as: UTF8.self) }
}

extension SQLiteEventStore {
    /// Calls `body` with every event a query of `replayColumns` finds, in its order, decoded
    /// straight from the stored bytes.
    /// The views need no command id or account: `withCommandID` reads both too, for callers
    /// that show them.
    static func forEachReplayedEvent(
        _ db: Database, where condition: String, _ arguments: StatementArguments = [], withCommandID: Bool = false,
        _ body: (RecordedEvent) throws -> Void
    ) throws {
        let columns = withCommandID ? replayColumns + ", command_id, account" : replayColumns
        let cursor = try EventRowCursor(db: db, sql: "SELECT \(columns) FROM event WHERE \(condition)", arguments: arguments)
        var names = RepeatedStrings()
        while try cursor.step() {
            var event = try replayedEvent(cursor, names: &names)
            if withCommandID {
                event.commandID = cursor.string(9)
                event.account = cursor.isNull(10) ? nil : cursor.string(10)
            }
            try body(event)
        }
    }

    /// The event at the cursor's row of `replayColumns`: what `StoredEvent.decoded()` gives,
    /// with the times and data read in place.
    static func replayedEvent(_ cursor: EventRowCursor, names: inout RepeatedStrings) throws -> RecordedEvent {
        let sequence = cursor.int64(0)
        let type = names.string(cursor.bytes(3))
        let schemaVersion = cursor.int(4)
        let occurred = cursor.bytes(5)
        guard let occurredAt = Instant(iso8601UTF8: occurred) else {
            throw StoreError.unreadableEvent(
                sequence: sequence, reason: "occurred_at \"\(cursor.string(5))\" is not a time")
        }
        guard let recordedAt = Instant(iso8601UTF8: cursor.bytes(6)) else {
            throw StoreError.unreadableEvent(
                sequence: sequence, reason: "recorded_at \"\(cursor.string(6))\" is not a time")
        }
        let event: CaseEvent
        do {
            event = try EventCodec.decode(
                type: type, schemaVersion: schemaVersion, dataUTF8: UnsafeRawBufferPointer(cursor.bytes(8)))
        } catch {
            throw StoreError.unreadableEvent(sequence: sequence, reason: error.description)
        }
        return RecordedEvent(
            sequence: sequence, caseID: CaseID(cursor.string(1)), caseVersion: cursor.int(2),
            schemaVersion: schemaVersion, occurredAt: occurredAt, recordedAt: recordedAt, actor: names.string(cursor.bytes(7)),
            commandID: "", event: event)
    }
}

/// The few strings a log repeats on every event (its types, its officers), made once each: a
/// replay would otherwise make two strings an event that it drops at once.
struct RepeatedStrings {
    private var known: [(bytes: [UInt8], string: String)] = []
    /// More distinct values than this are made afresh each time: the search stays short.
    private static let capacity = 64

    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        for entry in known where entry.bytes.count == bytes.count {
            let same = entry.bytes.withUnsafeBufferPointer { stored in
                bytes.isEmpty || memcmp(stored.baseAddress!, bytes.baseAddress!, bytes.count) == 0
            }
            if same { return entry.string }
        }
        let string = String(decoding: bytes, as: UTF8.self)
        if known.count < Self.capacity { known.append((Array(bytes), string)) }
        return string
    }
}
