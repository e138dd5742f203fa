import Dispatch
import Foundation
import SinmungoCore

/// Decodes a long replay's events on a second thread while the caller's thread reads the next
/// rows and folds the events decoded before: decoding is about a fifth of a replay, and
/// SQLite's connection must stay on the caller's thread. Rows are copied out of SQLite's
/// buffers a batch at a time; batches are decoded in order, and the events reach `body` in
/// the query's order, on the caller's thread, exactly as an in-place replay gives them.
enum DecodeAhead {
    /// Events a query decodes in place before it takes a second thread.
    static let eventsDecodedInPlace = 256
    /// Events copied out and decoded at once.
    static let batchSize = 2048
    /// Batches read ahead of the fold: one being decoded, one waiting.
    static let batchesInFlight = 2

    static func forEachEvent(
        stepping cursor: EventRowCursor, withCommandID: Bool, _ body: (RecordedEvent) throws -> Void
    ) throws {
        let decoder = BatchDecoder(withCommandID: withCommandID)
        var inFlight: [DecodedBatch] = []
        // Whatever ends the read, no batch is left decoding after it.
        defer { for batch in inFlight { batch.wait() } }
        func foldOldest() throws {
            let batch = inFlight.removeFirst()
            batch.wait()
            for event in batch.events { try body(event) }
            if let failure = batch.failure { throw failure }
        }
        let columns: Int32 = withCommandID ? 11 : 9
        var rows = CopiedReplayRows(columns: columns)
        while try cursor.step() {
            rows.append(cursor)
            guard rows.count == batchSize else { continue }
            inFlight.append(decoder.decode(rows))
            rows = CopiedReplayRows(columns: columns)
            if inFlight.count > batchesInFlight { try foldOldest() }
        }
        if rows.count > 0 { inFlight.append(decoder.decode(rows)) }
        while !inFlight.isEmpty { try foldOldest() }
    }
}

/// One serial queue's worth of decoding: its repeated strings are touched only there.
private final class BatchDecoder: @unchecked Sendable {
    private let queue = DispatchQueue(label: "sinmungo.decode-ahead", qos: .userInitiated)
    private let withCommandID: Bool
    private var names = RepeatedStrings()

    init(withCommandID: Bool) { self.withCommandID = withCommandID }

    func decode(_ rows: CopiedReplayRows) -> DecodedBatch {
        let batch = DecodedBatch()
        queue.async {
            var events: [RecordedEvent] = []
            events.reserveCapacity(rows.count)
            do {
                for index in 0..<rows.count {
                    try rows.withRow(index) { row in
                        events.append(
                            try SQLiteEventStore.replayedEvent(row, withCommandID: self.withCommandID, names: &self.names))
                    }
                }
            } catch {
                // The events before the one that failed are folded first, as in place.
                batch.failure = error
            }
            batch.events = events
            batch.done.signal()
        }
        return batch
    }
}

/// A batch's events, set on the decoding thread before `done` is signalled and read only after.
private final class DecodedBatch: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    var events: [RecordedEvent] = []
    var failure: (any Error)?
    private var waited = false

    func wait() {
        guard !waited else { return }
        done.wait()
        waited = true
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
        bytes.reserveCapacity(DecodeAhead.batchSize * 512)
        cells.reserveCapacity(DecodeAhead.batchSize * Int(columns) * 2)
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
