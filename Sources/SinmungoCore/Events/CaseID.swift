/// The identifier of a case: a petition, a proposal, a session or a communication record.
///
/// Identifiers the engine assigns read `PET-2019-0001`, `PRO-2019-0001`, `SES-2019-001` and
/// `REC-2019-001`: kind, KST year of filing, then a number within that year.
public struct CaseID: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public init(kind: CaseKind, year: Int, number: Int) {
        let digits = String(number)
        let width = kind.numberWidth
        let padded = digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        self.rawValue = "\(kind.idPrefix)-\(year)-\(padded)"
    }

    /// The number within its kind and year, for ids the engine assigned.
    public var sequenceNumber: (kind: CaseKind, year: Int, number: Int)? {
        let parts = rawValue.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let kind = CaseKind(idPrefix: String(parts[0])),
            let year = Int(parts[1]), let number = Int(parts[2])
        else { return nil }
        return (kind, year, number)
    }

    /// Letters, digits, `.`, `_` and `-`, 1 to 64 of them, starting with a letter or digit:
    /// safe in file names, shell arguments and space-separated lists.
    public var isWellFormed: Bool {
        let bytes = Array(rawValue.utf8)
        guard (1...64).contains(bytes.count) else { return false }
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
        }
        return isAlphanumeric(bytes[0]) && bytes.allSatisfy { isAlphanumeric($0) || $0 == 45 || $0 == 46 || $0 == 95 }
    }

    public var description: String { rawValue }

    public static func < (lhs: CaseID, rhs: CaseID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
