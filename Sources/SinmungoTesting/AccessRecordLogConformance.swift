import SinmungoCore
import SinmungoStore
import Synchronization

/// What every backend's access records must do, through the protocol alone: number them
/// without gaps, chain them as `AccessRecordChain` lays out, read them by time, and prune only
/// the oldest while the chain still verifies. Tampering is the backend's own to test, since it
/// goes around the protocol.
public struct AccessRecordLogConformance<Log: AccessRecordLog> {
    public let makeLog: () throws -> Log

    public init(makeLog: @escaping () throws -> Log) {
        self.makeLog = makeLog
    }

    public static var checks: [String] { Check.allCases.map(\.rawValue) }

    enum Check: String, CaseIterable {
        case numbered = "records are numbered 1, 2, 3… and read back by time, in order"
        case pruned = "pruning removes the oldest only, and the chain still verifies and goes on"
        case anchored = "the head is the last record's, and verifying against a kept head catches a different one"
    }

    /// The record as the backend wrote it matches what was given, but for its sequence and
    /// its account: a server records its own login there, whatever the client says.
    static func matches(_ written: AccessRecord, _ given: AccessRecord) -> Bool {
        var given = given
        given.sequence = written.sequence
        given.account = written.account
        return written == given && !written.account.isEmpty
    }

    static func record(_ day: Int) -> AccessRecord {
        AccessRecord(
            at: Instant(kst: CivilDate(year: 2026, month: 11, day: day)!, hour: 10), account: "kim", officer: "ydp-0412",
            host: "ydp-pc-12", caseID: CaseID("PET-2026-0001"), person: "3f1c", task: .view)
    }

    public func run(_ name: String) throws {
        guard let check = Check(rawValue: name) else { throw ConformanceFailure("no check named \"\(name)\"") }
        let log = try makeLog()
        guard try log.verifyAccessRecords() == 0 else { throw ConformanceFailure("a new log holds access records") }
        let written = try (1...5).map { try log.recordAccess(Self.record($0)) }
        guard written.map(\.sequence) == [1, 2, 3, 4, 5] else {
            throw ConformanceFailure("records were numbered \(written.map(\.sequence))")
        }
        guard zip(written, 1...5).allSatisfy({ Self.matches($0, Self.record($1)) }) else {
            throw ConformanceFailure("records were written as \(written), not as given")
        }
        switch check {
        case .numbered:
            let read = try log.accessRecords(in: Self.record(2).at..<Self.record(4).at)
            guard read == Array(written[1...2]) else { throw ConformanceFailure("reading days 2 and 3 gave \(read)") }
            guard try log.verifyAccessRecords() == 5 else { throw ConformanceFailure("verify did not reach record 5") }
        case .pruned:
            guard try log.pruneAccessRecords(before: Self.record(3).at) == 2 else {
                throw ConformanceFailure("pruning before day 3 did not remove two records")
            }
            guard try log.verifyAccessRecords() == 5 else { throw ConformanceFailure("the pruned chain does not verify") }
            guard try log.recordAccess(Self.record(6)).sequence == 6, try log.verifyAccessRecords() == 6 else {
                throw ConformanceFailure("the chain does not go on after pruning")
            }
        case .anchored:
            let head = try log.accessRecordHead()
            guard head.sequence == 5, try log.verifyAccessRecords(against: head) == AccessRecordsVerified(head: head) else {
                throw ConformanceFailure("the head \(head) is not the verified chain's")
            }
            var changed = try log.verifyAccessRecords(against: nil).head
            changed.sequence = 3
            do {
                _ = try log.verifyAccessRecords(against: changed)
                throw ConformanceFailure("record 3 verified against record 5's hash")
            } catch let failure as AccessRecordFailure where failure.sequence == 3 {}
            do {
                _ = try log.verifyAccessRecords(against: LogAnchor(sequence: 9, hash: head.hash))
                throw ConformanceFailure("a chain of 5 verified against an anchor at 9")
            } catch let failure as AccessRecordFailure where failure.sequence == 6 {}
            _ = try log.pruneAccessRecords(before: Self.record(3).at)
            guard try log.verifyAccessRecords(against: LogAnchor(sequence: 1, hash: head.hash)).anchorPruned,
                try log.verifyAccessRecords(against: head) == AccessRecordsVerified(head: head)
            else { throw ConformanceFailure("an anchor before the pruned start was not told apart") }
        }
    }
}

/// Access records held in memory, chained as every backend chains them.
public final class InMemoryAccessRecordLog: AccessRecordLog {
    private struct State {
        var records: [(record: AccessRecord, previousHash: [UInt8], hash: [UInt8])] = []
        var start: (sequence: Int64, hash: [UInt8]) = (0, AccessRecordChain.genesis)
    }

    private let state = Mutex(State())

    public init() {}

    public func recordAccess(_ record: AccessRecord) throws -> AccessRecord {
        state.withLock { state in
            var written = record
            let previous = state.records.last.map { ($0.record.sequence, $0.hash) } ?? state.start
            written.sequence = previous.0 + 1
            state.records.append((written, previous.1, AccessRecordChain.hash(of: written, after: previous.1)))
            return written
        }
    }

    public func accessRecords(in range: Range<Instant>) throws -> [AccessRecord] {
        state.withLock { $0.records.map(\.record).filter { range.contains($0.at) } }
    }

    public func verifyAccessRecords(against anchor: LogAnchor?) throws -> AccessRecordsVerified {
        let (records, start) = state.withLock { ($0.records, $0.start) }
        return try AccessRecordChain.verify(records, start: start, against: anchor)
    }

    public func accessRecordHead() throws -> LogAnchor {
        state.withLock { state in
            let last = state.records.last.map { ($0.record.sequence, $0.hash) } ?? state.start
            return LogAnchor(sequence: last.0, hash: last.1)
        }
    }

    public func pruneAccessRecords(before cutoff: Instant) throws -> Int {
        state.withLock { state in
            guard let last = state.records.lastIndex(where: { $0.record.at < cutoff }) else { return 0 }
            state.start = (state.records[last].record.sequence, state.records[last].hash)
            state.records.removeFirst(last + 1)
            return last + 1
        }
    }
}
