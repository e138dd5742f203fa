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
        switch check {
        case .numbered:
            let read = try log.accessRecords(in: Self.record(2).at..<Self.record(4).at)
            var expected = [Self.record(2), Self.record(3)]
            expected[0].sequence = 2
            expected[1].sequence = 3
            guard read == expected else { throw ConformanceFailure("reading days 2 and 3 gave \(read)") }
            guard try log.verifyAccessRecords() == 5 else { throw ConformanceFailure("verify did not reach record 5") }
        case .pruned:
            guard try log.pruneAccessRecords(before: Self.record(3).at) == 2 else {
                throw ConformanceFailure("pruning before day 3 did not remove two records")
            }
            guard try log.verifyAccessRecords() == 5 else { throw ConformanceFailure("the pruned chain does not verify") }
            guard try log.recordAccess(Self.record(6)).sequence == 6, try log.verifyAccessRecords() == 6 else {
                throw ConformanceFailure("the chain does not go on after pruning")
            }
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

    public func verifyAccessRecords() throws -> Int64 {
        let (records, start) = state.withLock { ($0.records, $0.start) }
        return try AccessRecordChain.verify(records, start: start)
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
