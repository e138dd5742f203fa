import Crypto
import Foundation
import SinmungoCore

// What another backend (PostgreSQL) needs of this module to write and read the same format.

extension StoredEvent {
    /// The event as one line of an export, newline included: the same bytes whatever the backend.
    public var exportLine: String { LogLine.format(self) + "\n" }

    /// An event's columns as another backend read them.
    public static func columns(
        sequence: Int64, caseID: String, caseVersion: Int, type: String, schemaVersion: Int, occurredAt: String,
        recordedAt: String, actor: String, commandID: String, data: String, previousHash: [UInt8], hash: [UInt8],
        account: String? = nil
    ) -> StoredEvent {
        StoredEvent(
            sequence: sequence, caseID: caseID, caseVersion: caseVersion, type: type, schemaVersion: schemaVersion,
            occurredAt: occurredAt, recordedAt: recordedAt, actor: actor, commandID: commandID, data: data,
            previousHash: previousHash, hash: hash, account: account)
    }
}

extension PersonKeyStore {
    /// A person's raw key bytes, to carry keys made by an import into another backend's key store.
    public func keyBytes(of person: String) throws -> Data? {
        try key(of: person).map { $0.withUnsafeBytes { Data($0) } }
    }
}

extension StoredEvent {
    /// What breaks LogFormat's rules 5 to 7 (times, types, canonical data) in this event,
    /// given the one before it, or nil.
    public func formatProblem(after previous: StoredEvent?) -> String? {
        EventFormatRules.problem(with: self, after: previous)
    }
}
