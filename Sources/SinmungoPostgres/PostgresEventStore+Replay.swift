import Foundation
import SinmungoCore
import SinmungoStore

extension PostgresEventStore {
    /// The columns a replay needs: no hashes, no command id.
    static let replayColumns = "seq, case_id, case_version, type, schema_version, occurred_at, recorded_at, actor, data"

    /// Calls `body` with every event of the office from `first` on, in order, streamed in one
    /// query and decoded from the received bytes in place, as SQLite's replay path does.
    public func forEachReplayedEvent(from first: Int64 = 1, _ body: (RecordedEvent) throws -> Void) throws {
        try withConnection { connection in
            try connection.streamRows(
                "SELECT \(Self.replayColumns) FROM sinmungo.event WHERE office = $1 AND seq >= $2 ORDER BY seq",
                [office, String(first)]
            ) { row in try body(try Self.replayedEvent(row)) }
        }
    }

    static func replayedEvent(_ row: PostgresConnection.RowReader) throws -> RecordedEvent {
        let sequence = row.integer(0)
        let type = row.text(3)
        let schemaVersion = Int(row.integer(4))
        guard let occurredAt = Instant(iso8601UTF8: row.bytesInPlace(5)) else {
            throw StoreError.unreadableEvent(sequence: sequence, reason: "occurred_at \"\(row.text(5))\" is not a time")
        }
        guard let recordedAt = Instant(iso8601UTF8: row.bytesInPlace(6)) else {
            throw StoreError.unreadableEvent(sequence: sequence, reason: "recorded_at \"\(row.text(6))\" is not a time")
        }
        let event: CaseEvent
        do {
            event = try EventCodec.decode(
                type: type, schemaVersion: schemaVersion, dataUTF8: UnsafeRawBufferPointer(row.bytesInPlace(8)))
        } catch {
            throw StoreError.unreadableEvent(sequence: sequence, reason: error.description)
        }
        return RecordedEvent(
            sequence: sequence, caseID: CaseID(row.text(1)), caseVersion: Int(row.integer(2)), schemaVersion: schemaVersion,
            occurredAt: occurredAt, recordedAt: recordedAt, actor: row.text(7), commandID: "", event: event)
    }
}
