import Foundation

/// A set of strings that answers "certainly not" or "perhaps", in 16 MB at most whatever it
/// holds: a blocked Bloom filter. An import checks each case and command id against the ids
/// it has written without holding them; a "perhaps" is settled by asking the store.
///
/// Memory comes zeroed from the system and is only made resident where a bit is set, so a
/// small import costs a few pages. Up to about ten million members one answer in a few
/// hundred is a false "perhaps"; past that the filter fills and the store is asked more often.
public final class MembershipFilter {
    /// Each member sets `bitsPerMember` bits within one 512-bit block: one cache line a lookup.
    private static let blockCount = 1 << 18
    private static let wordsPerBlock = 8
    private let words: UnsafeMutablePointer<UInt64>

    public init() {
        let count = Self.blockCount * Self.wordsPerBlock
        guard let memory = calloc(count, MemoryLayout<UInt64>.stride) else { fatalError("out of memory") }
        words = memory.bindMemory(to: UInt64.self, capacity: count)
    }

    deinit { free(words) }

    public func insert(_ member: String) {
        let (block, mixed) = Self.place(member)
        for word in 0..<Self.wordsPerBlock { words[block + word] |= Self.bit(word, of: mixed) }
    }

    /// False only when `member` was never inserted.
    public func mightContain(_ member: String) -> Bool {
        let (block, mixed) = Self.place(member)
        for word in 0..<Self.wordsPerBlock where words[block + word] & Self.bit(word, of: mixed) == 0 { return false }
        return true
    }

    /// The first word of the member's block, and the hash the bits within it are drawn from.
    private static func place(_ member: String) -> (block: Int, mixed: UInt64) {
        let hash = UInt64(bitPattern: Int64(member.hashValue))
        let block = Int(truncatingIfNeeded: hash) & (blockCount - 1)
        // The block took the low bits; the positions come from a multiplicative mix of all of them.
        return (block * wordsPerBlock, hash &* 0x9E37_79B9_7F4A_7C15)
    }

    /// One of 64 bits of a block's `word`, from six bits of the mixed hash.
    private static func bit(_ word: Int, of mixed: UInt64) -> UInt64 {
        1 << ((mixed >> UInt64(16 + 6 * word)) & 63)
    }
}
