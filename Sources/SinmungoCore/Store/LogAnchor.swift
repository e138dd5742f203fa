/// Hexadecimal text of bytes, as hashes are shown and kept.
public enum Hex {
    public static func string(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of even-length hexadecimal text, in either case; nil for anything else.
    public static func bytes(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = nibble(chars[index]), let low = nibble(chars[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}

/// What is wrong with the log, at the first event where something is.
public struct VerificationFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case changed
        case missing
        case inserted
        case reordered
        /// The log no longer reaches the anchor, or reaches it with another hash.
        case anchorMismatch = "anchor mismatch"
        /// The views do not match the log: cut after they were written, or changed.
        case views = "views disagree"
    }

    public var sequence: Int64
    public var kind: Kind
    public var detail: String

    public init(sequence: Int64, kind: Kind, detail: String) {
        self.sequence = sequence
        self.kind = kind
        self.detail = detail
    }

    public var description: String {
        "the log fails verification at event \(sequence) (\(kind.rawValue)): \(detail)"
    }
}

/// A point of the chain kept outside the database: `SEQ:HASH`.
public struct LogAnchor: Equatable, Sendable, CustomStringConvertible {
    public var sequence: Int64
    public var hash: [UInt8]

    public init(sequence: Int64, hash: [UInt8]) {
        self.sequence = sequence
        self.hash = hash
    }

    /// Parses `SEQ:HASH` with a 64-digit hexadecimal hash.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let sequence = Int64(parts[0]), sequence >= 0,
            parts[1].count == 64, let hash = Hex.bytes(String(parts[1]))
        else { return nil }
        self.init(sequence: sequence, hash: hash)
    }

    public var description: String { "\(sequence):\(Hex.string(hash))" }
}
