import Foundation
internal import GRDB

/// A stored column whose bytes are not what the log format allows: the hash could not be
/// trusted to cover them, so the event counts as changed.
struct StoredColumnFault: Error, Equatable {
    var sequence: Int64
    var column: String
    var problem: String

    var description: String { "its \(column) \(problem)" }
}

extension SQLiteEventStore {
    /// The storage class each column of `event` must have, in `eventColumns` order.
    static let eventStorageClasses: [(column: String, storageClass: String)] = [
        ("seq", "integer"), ("case_id", "text"), ("case_version", "integer"), ("type", "text"),
        ("schema_version", "integer"), ("occurred_at", "text"), ("recorded_at", "text"), ("actor", "text"),
        ("command_id", "text"), ("data", "text"), ("prev_hash", "blob"), ("hash", "blob"),
    ]

    /// The event columns, then one column that is 1 when every storage class is right.
    /// SQLite converts between classes on reading, so only typeof() sees a BLOB put in a TEXT column.
    static let checkedEventColumns =
        eventColumns + ", "
        + eventStorageClasses.map { "typeof(\($0.column)) = '\($0.storageClass)'" }.joined(separator: " AND ")
        + " AND typeof(account) IN ('null', 'text')"

    /// `account` is TEXT in a layout 2 event and NULL in a layout 1 event.
    static let accountStorageClasses: Set<String> = ["null", "text"]

    /// Reads a row of `checkedEventColumns` as its exact stored bytes. A text column must be
    /// valid UTF-8 without NUL, so the string hashed is byte for byte the one stored (GRDB's
    /// strings stop at a NUL and repair invalid UTF-8).
    static func exactStoredEvent(_ row: Row, db: Database) throws -> StoredEvent {
        let sequence: Int64 = row[0]
        guard row[13] as Bool else {
            let classes = try Row.fetchOne(
                db,
                sql:
                    "SELECT \(eventStorageClasses.map { "typeof(\($0.column))" }.joined(separator: ", ")), typeof(account) FROM event WHERE seq = ?",
                arguments: [sequence])
            for (index, expected) in eventStorageClasses.enumerated() {
                let actual: String = classes?[index] ?? "missing"
                if actual != expected.storageClass {
                    throw StoredColumnFault(
                        sequence: sequence, column: expected.column,
                        problem: "is stored as \(actual.uppercased()), not \(expected.storageClass.uppercased())")
                }
            }
            let account: String = classes?[eventStorageClasses.count] ?? "missing"
            if !accountStorageClasses.contains(account) {
                throw StoredColumnFault(
                    sequence: sequence, column: "account", problem: "is stored as \(account.uppercased()), not TEXT or NULL")
            }
            throw StoredColumnFault(sequence: sequence, column: "row", problem: "has a column of the wrong storage class")
        }
        func text(_ index: Int) throws -> String {
            try row.withUnsafeData(atIndex: index) { data in
                let column = index < eventStorageClasses.count ? eventStorageClasses[index].column : "account"
                guard let data else {
                    throw StoredColumnFault(sequence: sequence, column: column, problem: "is NULL")
                }
                if data.contains(0) {
                    throw StoredColumnFault(sequence: sequence, column: column, problem: "holds a NUL byte")
                }
                guard let text = data.withUnsafeBytes({ String(validUTF8: $0) }) else {
                    throw StoredColumnFault(sequence: sequence, column: column, problem: "is not valid UTF-8")
                }
                return text
            }
        }
        let account: String? = try row.hasNull(atIndex: 12) ? nil : text(12)
        return StoredEvent(
            sequence: sequence, caseID: try text(1), caseVersion: row[2], type: try text(3), schemaVersion: row[4],
            occurredAt: try text(5), recordedAt: try text(6), actor: try text(7), commandID: try text(8),
            data: try text(9), previousHash: [UInt8](row[10] as Data), hash: [UInt8](row[11] as Data),
            account: account
        )
    }
}
