import Crypto
import Foundation
import SinmungoCore

/// An anchor signed with the office's Ed25519 key: `SEQ:HASH/TIME/SIGNATURE`.
///
/// An unsigned anchor kept by someone who can also rewrite the log proves nothing, since
/// they can re-hash the log and keep a new anchor. A signed one cannot be made without the
/// private key, which lives outside the database, so an outside auditor can hold the office
/// to it.
public struct SignedAnchor: Equatable, Sendable, CustomStringConvertible {
    public var anchor: LogAnchor
    public var signedAt: Instant
    public var signature: [UInt8]

    /// The bytes signed: a tag, the sequence, the hash and the time, one a line.
    public static func message(_ anchor: LogAnchor, signedAt: Instant) -> Data {
        Data("sinmungo-anchor-v1\n\(anchor.sequence)\n\(Hex.string(anchor.hash))\n\(signedAt)\n".utf8)
    }

    public static func sign(_ anchor: LogAnchor, at signedAt: Instant, with key: Curve25519.Signing.PrivateKey) throws
        -> SignedAnchor
    {
        let signature = try key.signature(for: message(anchor, signedAt: signedAt))
        return SignedAnchor(anchor: anchor, signedAt: signedAt, signature: Array(signature))
    }

    public init(anchor: LogAnchor, signedAt: Instant, signature: [UInt8]) {
        self.anchor = anchor
        self.signedAt = signedAt
        self.signature = signature
    }

    /// Parses `SEQ:HASH/TIME/SIGNATURE`; nil for anything else, including a plain `SEQ:HASH`.
    public init?(_ token: String) {
        let parts = token.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, let anchor = LogAnchor(String(parts[0])), let signedAt = Instant(iso8601: String(parts[1])),
            parts[2].count == 128, let signature = Hex.bytes(String(parts[2]))
        else { return nil }
        self.init(anchor: anchor, signedAt: signedAt, signature: signature)
    }

    public var description: String { "\(anchor)/\(signedAt)/\(Hex.string(signature))" }

    /// Whether the office's key signed exactly this sequence, hash and time.
    public func isSigned(by key: Curve25519.Signing.PublicKey) -> Bool {
        key.isValidSignature(signature, for: Self.message(anchor, signedAt: signedAt))
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
