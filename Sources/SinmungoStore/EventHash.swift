import Crypto
import Foundation
import SinmungoCore

/// The hash chain: each event's hash covers every stored field of the event and the hash of
/// the event before it, so that changing, removing, inserting or reordering any event shows.
///
/// The byte layout is documented in the `LogFormat` article so that it can be re-verified
/// from the document alone.
public enum EventHash {
    public static let size = 32
    public static let genesis = [UInt8](repeating: 0, count: size)
    static let domainTag = "sinmungo-event-v1"
    /// Layout 2 adds the account that ran the command, after `actor`.
    static let accountDomainTag = "sinmungo-event-v2"

    /// The hashed layout of an event: 1 without an account, 2 with one.
    public static func layout(account: String?) -> Int { account == nil ? 1 : 2 }

    /// SHA-256 over length-prefixed fields: each is an 8-byte big-endian length, then its bytes.
    /// With `account`, layout 2 (`sinmungo-event-v2`); without, layout 1.
    public static func compute(
        sequence: Int64,
        caseID: String,
        caseVersion: Int,
        type: String,
        schemaVersion: Int,
        occurredAt: String,
        recordedAt: String,
        actor: String,
        commandID: String,
        data: String,
        account: String? = nil,
        previousHash: [UInt8]
    ) -> [UInt8] {
        var hasher = SHA256()
        func length(_ count: Int) {
            var length = UInt64(count).bigEndian
            withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
        }
        // Hashed in place, without copying each field into an array first.
        func field(_ text: String) {
            var text = text
            text.withUTF8 { bytes in
                length(bytes.count)
                hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
            }
        }
        field(account == nil ? domainTag : accountDomainTag)
        field(String(sequence))
        field(caseID)
        field(String(caseVersion))
        field(type)
        field(String(schemaVersion))
        field(occurredAt)
        field(recordedAt)
        field(actor)
        if let account { field(account) }
        field(commandID)
        field(data)
        length(previousHash.count)
        previousHash.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return Array(hasher.finalize())
    }

    /// SHA-256 of any bytes, in hexadecimal: to name a policy or a file exactly.
    public static func sha256Hex(_ bytes: some Collection<UInt8>) -> String {
        hex(Array(SHA256.hash(data: Array(bytes))))
    }

    public static func hex(_ bytes: [UInt8]) -> String { Hex.string(bytes) }

    public static func bytes(hex: String) -> [UInt8]? { Hex.bytes(hex) }
}
