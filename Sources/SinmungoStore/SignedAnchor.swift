import Crypto
import Foundation
import SinmungoCore

/// An anchor signed with the office's Ed25519 key: `SEQ:HASH/ASEQ:AHASH/TIME/SIGNATURE`, the
/// event log's head and the access records' head; tokens signed before access records were
/// anchored are `SEQ:HASH/TIME/SIGNATURE` and still verify the event log's head.
///
/// An unsigned anchor kept by someone who can also rewrite the log proves nothing, since
/// they can re-hash the log and keep a new anchor. A signed one cannot be made without the
/// private key, which lives outside the database, so an outside auditor can hold the office
/// to it.
public struct SignedAnchor: Equatable, Sendable, CustomStringConvertible {
    public var anchor: LogAnchor
    /// The access records' head when it was signed; nil in a token from before they were anchored.
    public var accessHead: LogAnchor?
    public var signedAt: Instant
    public var signature: [UInt8]

    /// The bytes signed: a tag, the sequence, the hash, the access records' sequence and
    /// hash when anchored (under their own tag), and the time, one a line.
    public static func message(_ anchor: LogAnchor, accessHead: LogAnchor? = nil, signedAt: Instant) -> Data {
        guard let accessHead else {
            return Data("sinmungo-anchor-v1\n\(anchor.sequence)\n\(Hex.string(anchor.hash))\n\(signedAt)\n".utf8)
        }
        return Data(
            ("sinmungo-anchor-v2\n\(anchor.sequence)\n\(Hex.string(anchor.hash))\n"
                + "\(accessHead.sequence)\n\(Hex.string(accessHead.hash))\n\(signedAt)\n").utf8)
    }

    public static func sign(
        _ anchor: LogAnchor, accessHead: LogAnchor? = nil, at signedAt: Instant, with key: Curve25519.Signing.PrivateKey
    ) throws -> SignedAnchor {
        let signature = try key.signature(for: message(anchor, accessHead: accessHead, signedAt: signedAt))
        return SignedAnchor(anchor: anchor, accessHead: accessHead, signedAt: signedAt, signature: Array(signature))
    }

    public init(anchor: LogAnchor, accessHead: LogAnchor? = nil, signedAt: Instant, signature: [UInt8]) {
        self.anchor = anchor
        self.accessHead = accessHead
        self.signedAt = signedAt
        self.signature = signature
    }

    /// Parses `SEQ:HASH/ASEQ:AHASH/TIME/SIGNATURE` or `SEQ:HASH/TIME/SIGNATURE`; nil for
    /// anything else, including a plain `SEQ:HASH`.
    public init?(_ token: String) {
        let parts = token.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 || parts.count == 4, let anchor = LogAnchor(parts[0]),
            let signedAt = Instant(iso8601: parts[parts.count - 2]), parts[parts.count - 1].count == 128,
            let signature = Hex.bytes(parts[parts.count - 1])
        else { return nil }
        var accessHead: LogAnchor?
        if parts.count == 4 {
            guard let head = LogAnchor(parts[1]) else { return nil }
            accessHead = head
        }
        self.init(anchor: anchor, accessHead: accessHead, signedAt: signedAt, signature: signature)
    }

    public var description: String {
        "\(anchor)/" + (accessHead.map { "\($0)/" } ?? "") + "\(signedAt)/\(Hex.string(signature))"
    }

    /// Whether the office's key signed exactly these heads and this time.
    public func isSigned(by key: Curve25519.Signing.PublicKey) -> Bool {
        key.isValidSignature(signature, for: Self.message(anchor, accessHead: accessHead, signedAt: signedAt))
    }
}

/// The office's anchor keys, as files outside the database: one line of hexadecimal each,
/// the private key's 32 bytes and the public key's 32 bytes.
public enum AnchorKeyFile {
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func privateKey(at path: String) throws -> Curve25519.Signing.PrivateKey {
        let bytes = try hexBytes(at: path, what: "private signing key")
        do {
            return try Curve25519.Signing.PrivateKey(rawRepresentation: bytes)
        } catch {
            throw Failure(description: "\(path) does not hold an Ed25519 private key")
        }
    }

    public static func publicKey(at path: String) throws -> Curve25519.Signing.PublicKey {
        let bytes = try hexBytes(at: path, what: "public key")
        do {
            return try Curve25519.Signing.PublicKey(rawRepresentation: bytes)
        } catch {
            throw Failure(description: "\(path) does not hold an Ed25519 public key")
        }
    }

    /// Writes a new key pair: the private key readable by its owner only, the public key
    /// beside it with `.pub` added. Refuses to replace either file.
    public static func create(at path: String) throws -> Curve25519.Signing.PublicKey {
        for file in [path, path + ".pub"] where FileManager.default.fileExists(atPath: file) {
            throw Failure(description: "\(file) already exists; a key is never overwritten, choose another path")
        }
        let key = Curve25519.Signing.PrivateKey()
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data((Hex.string(Array(key.rawRepresentation)) + "\n").utf8),
                attributes: [.posixPermissions: 0o600]),
            FileManager.default.createFile(
                atPath: path + ".pub", contents: Data((Hex.string(Array(key.publicKey.rawRepresentation)) + "\n").utf8),
                attributes: [.posixPermissions: 0o644])
        else { throw StoreError.io(path: path, detail: "the key files cannot be written") }
        return key.publicKey
    }

    private static func hexBytes(at path: String, what: String) throws -> Data {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "no \(what) at \(path)")
        }
        let text = String(decoding: contents, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.utf8.count == 64, let bytes = Hex.bytes(text) else {
            throw Failure(description: "\(path) is not a \(what): expected one line of 64 hexadecimal digits")
        }
        return Data(bytes)
    }
}
