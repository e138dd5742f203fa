import Dispatch
import Foundation
internal import GRDBSQLite
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
    private var ahead: RowsAhead<(events: [RecordedEvent], failure: (any Error)?)>

    init(withCommandID: Bool) {
        self.withCommandID = withCommandID
        let decoder = BatchDecoder(withCommandID: withCommandID)
        ahead = RowsAhead(columns: withCommandID ? 11 : 9) { decoder.decode($0) }
    }

    /// Reads every row of `cursor`, a query of `replayColumns` (with the command id and account
    /// when asked), giving `body` the events decoded so far; `finish` gives the rest.
    mutating func read(_ cursor: EventRowCursor, _ body: (RecordedEvent) throws -> Void) throws {
        while decodedInPlace < Self.eventsDecodedInPlace {
            guard try cursor.step() else { return }
            try body(try SQLiteEventStore.replayedEvent(cursor, withCommandID: withCommandID, names: &names))
            decodedInPlace += 1
        }
        while try cursor.step() {
            if let decoded = ahead.add(cursor) { try fold(decoded, body) }
        }
    }

    /// Gives `body` the events still being decoded.
    mutating func finish(_ body: (RecordedEvent) throws -> Void) throws {
        while let decoded = ahead.next() { try fold(decoded, body) }
    }

    /// Waits for every batch still decoding, whatever ended the read, so that none outlives it.
    mutating func stop() { ahead.stop() }

    private func fold(_ decoded: (events: [RecordedEvent], failure: (any Error)?), _ body: (RecordedEvent) throws -> Void)
        throws
    {
        for event in decoded.events { try body(event) }
        // The events before the one that failed are folded first, as in place.
        if let failure = decoded.failure { throw failure }
    }
}

/// Decodes batches one after the other on `WorkAhead`'s thread: its repeated strings are
/// touched only there.
private final class BatchDecoder: @unchecked Sendable {
    private let withCommandID: Bool
    private var names = RepeatedStrings()

    init(withCommandID: Bool) { self.withCommandID = withCommandID }

    func decode(_ rows: CopiedRows) -> (events: [RecordedEvent], failure: (any Error)?) {
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
    /// Pieces left running or waiting when the caller takes the oldest: enough that the second
    /// thread never waits for the first, few enough that memory stays a few batches.
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

/// A cursor's rows copied out a batch at a time, each full batch given to `work` on
/// `WorkAhead`'s thread; the results come back in the rows' order.
struct RowsAhead<Output: Sendable> {
    private var ahead = WorkAhead<Output>()
    private var rows: CopiedRows
    private let work: @Sendable (CopiedRows) -> Output

    init(columns: Int32, work: @escaping @Sendable (CopiedRows) -> Output) {
        rows = CopiedRows(columns: columns)
        self.work = work
    }

    /// Copies the cursor's row; gives the oldest result when the batches started are many
    /// enough that the caller should take one.
    mutating func add(_ cursor: EventRowCursor) -> Output? {
        rows.append(cursor)
        guard rows.count == ReplayReader.batchSize else { return nil }
        startBatch()
        return ahead.isFull ? ahead.takeOldest() : nil
    }

    /// Once the cursor is done: the results left, oldest first, then nil.
    mutating func next() -> Output? {
        if rows.count > 0 { startBatch() }
        return ahead.isEmpty ? nil : ahead.takeOldest()
    }

    /// Waits for every batch still running, so that none outlives the caller's read.
    mutating func stop() { ahead.finish() }

    private mutating func startBatch() {
        let (rows, work) = (rows, work)
        ahead.start { work(rows) }
        self.rows = CopiedRows(columns: rows.columns)
    }
}

/// Rows copied out of SQLite's buffers, to be read on another thread exactly as in place: per
/// column, its storage class, its integer value, and its bytes (the text SQLite renders for a
/// number), all bytes end to end in one array.
struct CopiedRows: Sendable {
    let columns: Int32
    private(set) var count = 0
    private var bytes: [UInt8] = []
    /// Three a column: the integer value, and the start and end of the bytes (-1, -1 for NULL).
    private var cells: [Int64] = []
    private var storageClasses: [Int32] = []

    init(columns: Int32) {
        self.columns = columns
        bytes.reserveCapacity(ReplayReader.batchSize * 512)
        cells.reserveCapacity(ReplayReader.batchSize * Int(columns) * 3)
        storageClasses.reserveCapacity(ReplayReader.batchSize * Int(columns))
    }

    mutating func append(_ cursor: EventRowCursor) {
        for column in 0..<columns {
            let storageClass = cursor.storageClassCode(column)
            storageClasses.append(storageClass)
            guard storageClass != SQLITE_NULL else {
                cells.append(contentsOf: [0, -1, -1])
                continue
            }
            // A conversion may move the bytes SQLite hands out, so each is read before the next
            // conversion: a number's value before its text, a text's bytes before its value.
            let isNumber = storageClass == SQLITE_INTEGER || storageClass == SQLITE_FLOAT
            let numberFirst = isNumber ? cursor.int64(column) : 0
            let start = bytes.count
            bytes.append(contentsOf: cursor.bytes(column))
            cells.append(isNumber ? numberFirst : cursor.int64(column))
            cells.append(Int64(start))
            cells.append(Int64(bytes.count))
        }
        count += 1
    }

    func withRow<T>(_ index: Int, _ body: (CopiedRow) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer { bytes in
            try cells.withUnsafeBufferPointer { cells in
                try storageClasses.withUnsafeBufferPointer { storageClasses in
                    let width = Int(columns)
                    let first = index * width
                    return try body(
                        CopiedRow(
                            bytes: bytes, cells: UnsafeBufferPointer(rebasing: cells[first * 3..<(first + width) * 3]),
                            storageClasses: UnsafeBufferPointer(rebasing: storageClasses[first..<first + width])))
                }
            }
        }
    }
}

/// One copied row, valid inside `CopiedRows.withRow`.
struct CopiedRow: ReplayColumns {
    let bytes: UnsafeBufferPointer<UInt8>
    let cells: UnsafeBufferPointer<Int64>
    let storageClasses: UnsafeBufferPointer<Int32>

    func int64(_ column: Int32) -> Int64 { cells[Int(column) * 3] }

    func isNull(_ column: Int32) -> Bool { storageClasses[Int(column)] == SQLITE_NULL }

    func storageClassCode(_ column: Int32) -> Int32 { storageClasses[Int(column)] }

    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        let start = Int(cells[Int(column) * 3 + 1])
        let end = Int(cells[Int(column) * 3 + 2])
        guard start >= 0, end > start else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }
}
