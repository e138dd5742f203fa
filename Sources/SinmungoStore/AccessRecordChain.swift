import Crypto
import SinmungoCore

/// The chain of the access records, kept apart from the case log's: each record's hash covers
/// its fields and the hash of the record before it, so a changed, inserted or deleted record
/// shows. Every backend stores records with these hashes, so one verifier reads them all.
public enum AccessRecordChain {
    public static let genesis = [UInt8](repeating: 0, count: 32)
    static let domainTag = "sinmungo-access-v1"

    /// SHA-256 over the tag, then each field as an 8-byte big-endian length and its UTF-8
    /// bytes (an absent field is the length 2^64−1 alone), then the previous hash.
    public static func hash(of record: AccessRecord, after previous: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        func field(_ text: String?) {
            guard let text else {
                hasher.update(data: [UInt8](repeating: 0xFF, count: 8))
                return
            }
            let bytes = Array(text.utf8)
            var length = UInt64(bytes.count).bigEndian
            withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
            hasher.update(data: bytes)
        }
        field(domainTag)
        field(String(record.sequence))
        field(record.at.description)
        field(record.account)
        field(record.officer)
        field(record.host)
        field(record.caseID?.rawValue)
        field(record.person)
        field(record.task.rawValue)
        field(record.reason)
        hasher.update(data: previous)
        return Array(hasher.finalize())
    }

    /// Checks records read back in sequence order, the first following `start` (the record
    /// the chain was pruned after, or 0 and the genesis hash); returns the last sequence.
    public static func verify(
        _ records: some Sequence<(record: AccessRecord, previousHash: [UInt8], hash: [UInt8])>,
        start: (sequence: Int64, hash: [UInt8])
    ) throws(AccessRecordFailure) -> Int64 {
        try verify(records, start: start, against: nil).head.sequence
    }

    /// Checks records as above, and that the chain still holds `anchor` with its hash: a
    /// record changed, deleted from the end, or re-hashed since the anchor was kept fails.
    /// An anchor older than `start` cannot be checked, and says so.
    public static func verify(
        _ records: some Sequence<(record: AccessRecord, previousHash: [UInt8], hash: [UInt8])>,
        start: (sequence: Int64, hash: [UInt8]), against anchor: LogAnchor?
    ) throws(AccessRecordFailure) -> AccessRecordsVerified {
        var expected = start.sequence + 1
        var previous = start.hash
        func check(_ sequence: Int64, _ hash: [UInt8]) throws(AccessRecordFailure) {
            guard let anchor, anchor.sequence == sequence, anchor.hash != hash else { return }
            throw AccessRecordFailure(
                sequence: sequence,
                problem:
                    "its hash is \(Hex.string(hash)), not the anchor's \(Hex.string(anchor.hash)): "
                    + "the records were rewritten up to here")
        }
        try check(start.sequence, start.hash)
        for (record, previousHash, hash) in records {
            if record.sequence != expected {
                throw AccessRecordFailure(
                    sequence: expected,
                    problem: record.sequence > expected
                        ? "is missing (the next one is \(record.sequence))" : "is out of order or repeated")
            }
            guard previousHash == previous else {
                throw AccessRecordFailure(sequence: record.sequence, problem: "does not link to the record before it")
            }
            guard hash == Self.hash(of: record, after: previous) else {
                throw AccessRecordFailure(sequence: record.sequence, problem: "was changed after it was written")
            }
            try check(record.sequence, hash)
            previous = hash
            expected += 1
        }
        let head = LogAnchor(sequence: expected - 1, hash: previous)
        if let anchor, anchor.sequence > head.sequence {
            throw AccessRecordFailure(
                sequence: head.sequence + 1,
                problem: "is missing: the records end at \(head.sequence), before the anchor's \(anchor.sequence)")
        }
        return AccessRecordsVerified(head: head, anchorPruned: anchor.map { $0.sequence < start.sequence } ?? false)
    }
}
