import Dispatch
import Foundation
import SinmungoCore

/// Reads the events of one query, or of several in turn, in their order: the first few hundred
/// decoded in place, the rest on a second thread while the caller's thread reads the next rows
/// and folds the events decoded before. Decoding is about a fifth of a replay, and SQLite's
/// connection must stay on the caller's thread, so rows are copied out of SQLite's buffers a
/// batch at a time. The events reach `body` on the caller's thread exactly as an in-place
/// replay gives them; a batch may span queries, so a read of many short queries (the cases a
/// statistic folds, a few hundred a statement) is decoded ahead as one.
struct ReplayReader {
    /// Events a read decodes in place before it takes a second thread: a command reads a
    /// case's few events, and starts no thread for them.
    static let eventsDecodedInPlace = 256
    /// Events copied out and decoded at once.
    static let batchSize = 2048

    private let withCommandID: Bool
    private var names = RepeatedStrings()
    private var decodedInPlace = 0
    private let decoder: BatchDecoder
    private var ahead = WorkAhead<(events: [RecordedEvent], failure: (any Error)?)>()
    private var rows: CopiedReplayRows

    init(withCommandID: Bool) {
        self.withCommandID = withCommandID
        decoder = BatchDecoder(withCommandID: withCommandID)
        rows = CopiedReplayRows(columns: Self.columns(withCommandID))
    }

    private static func columns(_ withCommandID: Bool) -> Int32 { withCommandID ? 11 : 9 }

    /// Reads every row of `cursor`, a query of `replayColumns` (with the command id and account
    /// when asked), giving `body` the events decoded so far; `finish` gives the rest.
    mutating func read(_ cursor: EventRowCursor, _ body: (RecordedEvent) throws -> Void) throws {
        while decodedInPlace < Self.eventsDecodedInPlace {
            guard try cursor.step() else { return }
            try body(try SQLiteEventStore.replayedEvent(cursor, withCommandID: withCommandID, names: &names))
            decodedInPlace += 1
        }
        while try cursor.step() {
            rows.append(cursor)
            guard rows.count == Self.batchSize else { continue }
            startDecoding()
            if ahead.isFull { try foldOldest(body) }
        }
    }

    /// Gives `body` the events still being decoded.
    mutating func finish(_ body: (RecordedEvent) throws -> Void) throws {
        if rows.count > 0 { startDecoding() }
        while !ahead.isEmpty { try foldOldest(body) }
    }

    /// Waits for every batch still decoding, whatever ended the read, so that none outlives it.
    mutating func stop() { ahead.finish() }

    private mutating func startDecoding() {
        let (decoder, rows) = (decoder, rows)
        ahead.start { decoder.decode(rows) }
        self.rows = CopiedReplayRows(columns: Self.columns(withCommandID))
    }

    private mutating func foldOldest(_ body: (RecordedEvent) throws -> Void) throws {
        let (events, failure) = ahead.takeOldest()
        for event in events { try body(event) }
        // The events before the one that failed are folded first, as in place.
        if let failure { throw failure }
    }
}

/// Decodes batches one after the other on `WorkAhead`'s thread: its repeated strings are
/// touched only there.
private final class BatchDecoder: @unchecked Sendable {
    private let withCommandID: Bool
    private var names = RepeatedStrings()

    init(withCommandID: Bool) { self.withCommandID = withCommandID }

    func decode(_ rows: CopiedReplayRows) -> (events: [RecordedEvent], failure: (any Error)?) {
        var events: [RecordedEvent] = []
        events.reserveCapacity(rows.count)
        do {
            for index in 0..<rows.count {
                try rows.withRow(index) { row in
                    events.append(try SQLiteEventStore.replayedEvent(row, withCommandID: withCommandID, names: &names))
                }
            }
        } catch {
            return (events, error)
        }
        return (events, nil)
    }
}

/// Work run on a second thread, one piece after another in the order started, whose results
/// are taken back in that order: the caller's thread reads ahead while the last piece runs.
struct WorkAhead<Output: Sendable> {
    private let queue = DispatchQueue(label: "sinmungo.work-ahead", qos: .userInitiated)
    private var started: [Pending] = []
    /// Pieces started and not yet taken: one running, one waiting, one being filled.
    static var depth: Int { 2 }

    var isFull: Bool { started.count > Self.depth }
    var isEmpty: Bool { started.isEmpty }

    mutating func start(_ work: @escaping @Sendable () -> Output) {
        let pending = Pending()
        queue.async {
            pending.output = work()
            pending.done.signal()
        }
        started.append(pending)
    }

    /// Waits for the oldest piece and gives its result.
    mutating func takeOldest() -> Output {
        let pending = started.removeFirst()
        pending.done.wait()
        return pending.output!
    }

    /// Waits for every piece still running, so that none outlives the caller's read.
    mutating func finish() {
        for pending in started { pending.done.wait() }
        started.removeAll()
    }

    /// A result, set on the queue before `done` is signalled and read only after.
    private final class Pending: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        var output: Output?
    }
}

/// Rows of the replay's columns copied out of SQLite's buffers: the bytes of every text column
/// end to end, and per column either its integer or where its bytes lie.
struct CopiedReplayRows: Sendable {
    let columns: Int32
    private(set) var count = 0
    private var bytes: [UInt8] = []
    /// `columns` pairs a row: an integer column's value and 0, or a text column's start and
    /// end in `bytes` (-1 and -1 for NULL).
    private var cells: [Int64] = []
    /// The columns of `replayColumns` held as integers: seq, case_version, schema_version.
    static let integerColumns: Set<Int32> = [0, 2, 4]

    init(columns: Int32) {
        self.columns = columns
        bytes.reserveCapacity(ReplayReader.batchSize * 512)
        cells.reserveCapacity(ReplayReader.batchSize * Int(columns) * 2)
    }

    mutating func append(_ cursor: EventRowCursor) {
        for column in 0..<columns {
            if Self.integerColumns.contains(column) {
                cells.append(cursor.int64(column))
                cells.append(0)
            } else if cursor.isNull(column) {
                cells.append(-1)
                cells.append(-1)
            } else {
                let start = bytes.count
                bytes.append(contentsOf: cursor.bytes(column))
                cells.append(Int64(start))
                cells.append(Int64(bytes.count))
            }
        }
        count += 1
    }

    func withRow<T>(_ index: Int, _ body: (CopiedReplayRow) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer { bytes in
            try cells.withUnsafeBufferPointer { cells in
                let width = Int(columns) * 2
                let first = index * width
                return try body(CopiedReplayRow(bytes: bytes, cells: UnsafeBufferPointer(rebasing: cells[first..<first + width])))
            }
        }
    }
}

/// One copied row, valid inside `CopiedReplayRows.withRow`.
struct CopiedReplayRow: ReplayColumns {
    let bytes: UnsafeBufferPointer<UInt8>
    let cells: UnsafeBufferPointer<Int64>

    func int64(_ column: Int32) -> Int64 { cells[Int(column) * 2] }

    func isNull(_ column: Int32) -> Bool { cells[Int(column) * 2] < 0 && cells[Int(column) * 2 + 1] < 0 }

    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        let start = Int(cells[Int(column) * 2])
        let end = Int(cells[Int(column) * 2 + 1])
        guard start >= 0, end > start else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }
}
