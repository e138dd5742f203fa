import SinmungoCore

/// An event exactly as the log stores it: the columns the hash covers, and the hashes.
/// Exports and verification work on these bytes, not on a re-encoding of them.
public struct StoredEvent: Equatable, Sendable {
    public var sequence: Int64
    public var caseID: String
    public var caseVersion: Int
    public var type: String
    public var schemaVersion: Int
    public var occurredAt: String
    public var recordedAt: String
    public var actor: String
    public var commandID: String
    public var data: String
    public var previousHash: [UInt8]
    public var hash: [UInt8]
    /// The account that ran the command, hashed in layout 2; nil for a layout 1 event.
    public var account: String? = nil

    /// The hashed layout that covers the event (see LogFormat).
    public var layout: Int { EventHash.layout(account: account) }

    /// The hash these fields should have after `previousHash`.
    public var expectedHash: [UInt8] {
        EventHash.compute(
            sequence: sequence, caseID: caseID, caseVersion: caseVersion, type: type,
            schemaVersion: schemaVersion, occurredAt: occurredAt, recordedAt: recordedAt, actor: actor,
            commandID: commandID, data: data, account: account, previousHash: previousHash
        )
    }

    /// Decodes the payload and times, upgrading an older schema version on the way.
    public func decoded() throws -> RecordedEvent {
        guard let occurred = Instant(iso8601: occurredAt) else {
            throw StoreError.unreadableEvent(sequence: sequence, reason: "occurred_at \"\(occurredAt)\" is not a time")
        }
        guard let recorded = Instant(iso8601: recordedAt) else {
            throw StoreError.unreadableEvent(sequence: sequence, reason: "recorded_at \"\(recordedAt)\" is not a time")
        }
        let event: CaseEvent
        do {
            event = try EventCodec.decode(type: type, schemaVersion: schemaVersion, data: data)
        } catch {
            throw StoreError.unreadableEvent(sequence: sequence, reason: error.description)
        }
        return RecordedEvent(
            sequence: sequence, caseID: CaseID(caseID), caseVersion: caseVersion, schemaVersion: schemaVersion,
            occurredAt: occurred, recordedAt: recorded, actor: actor, commandID: commandID, event: event, account: account
        )
    }
}
