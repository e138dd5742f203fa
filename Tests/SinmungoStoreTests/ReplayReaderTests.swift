import Foundation
import GRDB
import SinmungoCore
import SinmungoTesting
import SinmungoViews
import Testing

@testable import SinmungoStore

/// A long read decodes its events on a second thread: what reaches the fold must be exactly
/// what decoding in place gives, in the same order, and a bad event must stop the read where
/// it stands, after every event before it.
@Suite("Events decoded on a second thread")
struct ReplayReaderTests {
    /// A generated log longer than the events decoded in place and several batches.
    func makeLog(cases: Int = 1_500) throws -> (path: String, store: SQLiteEventStore) {
        let path = TemporaryFolder().path("log.sqlite")
        let store = try SQLiteEventStore.create(at: path, projections: caseViews).store
        try store.generate(SyntheticLog(cases: cases, seed: 5))
        let events = try store.head().sequence
        #expect(events > Int64(ReplayReader.eventsDecodedInPlace + 3 * ReplayReader.batchSize))
        return (path, store)
    }

    /// Each stored event decoded on its own, through `StoredEvent`: not the replay's path.
    func decodedOneByOne(_ store: SQLiteEventStore) throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        try store.forEachStoredEvent { events.append(try $0.decoded()) }
        return events
    }

    @Test
    func everyReadGivesTheEventsDecodedOneByOne() throws {
        let store = try makeLog().store
        let expected = try decodedOneByOne(store)
        expectSame(try store.events(at: .now), expected)
        var newestFirst: [RecordedEvent] = []
        try store.forEachEvent(at: .now, order: .newestFirst) { newestFirst.append($0) }
        expectSame(newestFirst, expected.reversed())
        var caseByCase: [RecordedEvent] = []
        try store.forEachEvent(at: .now, order: .caseByCase) { caseByCase.append($0) }
        let byCase = expected.sorted {
            ($0.caseID.rawValue, $0.caseVersion) < ($1.caseID.rawValue, $1.caseVersion)
        }
        expectSame(caseByCase, byCase)
    }

    /// The cases of a statistic are read a few hundred a statement; one reader decodes ahead
    /// across the statements, and must give each case's events whole, in case id order.
    @Test
    func theEventsOfManyCasesComeAcrossStatementsInCaseOrder() throws {
        let store = try makeLog().store
        let expected = try decodedOneByOne(store)
        // Nine cases in ten: more than two statements read, and rows enough for several batches.
        let allCases = Set(expected.map(\.caseID)).sorted { $0.rawValue < $1.rawValue }
        let chosen = Set(allCases.enumerated().filter { $0.offset % 10 != 0 }.map(\.element))
        #expect(chosen.count > 2 * SQLiteEventStore.casesPerRead)
        var read: [RecordedEvent] = []
        try store.forEachEvent(at: .now, ofCases: chosen) { read.append($0) }
        let byCase = expected.filter { chosen.contains($0.caseID) }.sorted {
            ($0.caseID.rawValue, $0.caseVersion) < ($1.caseID.rawValue, $1.caseVersion)
        }
        #expect(byCase.count > ReplayReader.eventsDecodedInPlace + ReplayReader.batchSize)
        expectSame(read, byCase)
    }

    /// `verify` checks each row's own bytes a batch ahead on the second thread, and the chain
    /// on this one: a change deep in a later batch, and a gap where two batches meet, must be
    /// named at their own event.
    @Test
    func verifyNamesAChangeOrAGapInAnyBatch() throws {
        let (path, store) = try makeLog()
        let head = try store.verify()
        #expect(head == (try store.head()))
        let changed = Int64(2 * ReplayReader.batchSize + 100)
        let removed = Int64(3 * ReplayReader.batchSize + 1)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS event_no_update; DROP TRIGGER IF EXISTS event_no_delete")
            try db.execute(sql: "DELETE FROM event WHERE seq = ?", arguments: [removed])
        }
        #expect(
            throws: VerificationFailure(
                sequence: removed, kind: .missing, detail: "the sequence jumps from \(removed - 1) to \(removed + 1)")
        ) {
            try store.verify()
        }
        try queue.write { db in
            try db.execute(sql: "UPDATE event SET actor = 'someone-else' WHERE seq = ?", arguments: [changed])
        }
        #expect(
            throws: VerificationFailure(sequence: changed, kind: .changed, detail: "its stored fields no longer match its hash")
        ) {
            try store.verify()
        }
    }

    /// The case list is decoded a batch ahead too: every row must come as a fold of the log
    /// gives it, and a row that does not decode must stop the read at its own case.
    @Test
    func theCaseListComesWholeAndStopsAtARowThatDoesNotDecode() throws {
        let (path, store) = try makeLog(cases: 5_000)
        let folded = CaseProjection.replay(try store.events(at: .now))
        #expect(folded.count > ReplayReader.eventsDecodedInPlace + 2 * ReplayReader.batchSize)
        var read: [CaseID: CaseSummary] = [:]
        try store.forEachRow(of: CaseProjection.self, at: .now) { read[$0] = $1 }
        let sameRows = read == folded
        #expect(sameRows, "read \(read.count) rows, folded \(folded.count)")
        let sameAsAll = try store.rows(of: CaseProjection.self, at: .now) == folded
        #expect(sameAsAll)

        let keys = folded.keys.map(\.rawValue).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let broken = keys[ReplayReader.eventsDecodedInPlace + ReplayReader.batchSize + 10]
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "UPDATE view_row SET data = 'not json' WHERE key = ?", arguments: [broken])
        }
        var given: [String] = []
        #expect(throws: StoreError.unreadableView(view: CaseProjection.name, key: broken, reason: "it is not JSON")) {
            try store.forEachRow(of: CaseProjection.self, at: .now) { key, _ in given.append(key.rawValue) }
        }
        let everyRowBefore = given == Array(keys.prefix { $0 != broken })
        #expect(everyRowBefore, "gave \(given.count) rows before case \(broken)")
    }

    /// Compared as one truth, so that a failure names the first event that differs, not thousands.
    func expectSame(_ read: [RecordedEvent], _ expected: [RecordedEvent], sourceLocation: SourceLocation = #_sourceLocation) {
        let same = read == expected
        let firstDifference = zip(read, expected).first { $0 != $1 }.map { "event \($0.0.sequence)" } ?? "none"
        #expect(
            same, "read \(read.count) events, expected \(expected.count); the first to differ: \(firstDifference)",
            sourceLocation: sourceLocation)
    }

    /// Bad events in place, in the first batch, in the middle of a later one and last.
    @Test(arguments: [
        100, ReplayReader.eventsDecodedInPlace + 1, ReplayReader.eventsDecodedInPlace + ReplayReader.batchSize + 700, -1,
    ])
    func anUnreadableEventStopsTheReadAfterEveryEventBeforeIt(position: Int) throws {
        let (path, store) = try makeLog()
        let head = try store.head().sequence
        let bad = position < 0 ? head : Int64(position)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS event_no_update")
            try db.execute(sql: "UPDATE event SET occurred_at = 'not a time' WHERE seq = ?", arguments: [bad])
        }
        var folded: [Int64] = []
        #expect(throws: StoreError.unreadableEvent(sequence: bad, reason: "occurred_at \"not a time\" is not a time")) {
            try store.forEachEvent(at: .now) { folded.append($0.sequence) }
        }
        let everyEventBefore = folded.elementsEqual(1..<bad)
        #expect(everyEventBefore, "folded \(folded.count) events, the last \(folded.last ?? 0), before event \(bad)")
    }

    @Test
    func aFoldThatStopsEndsTheRead() throws {
        struct Enough: Error {}
        let store = try makeLog().store
        var folded = 0
        #expect(throws: Enough.self) {
            try store.forEachEvent(at: .now) { _ in
                if folded == ReplayReader.batchSize + 10 { throw Enough() }
                folded += 1
            }
        }
        #expect(folded == ReplayReader.batchSize + 10)
        // The store reads again at once: nothing of the stopped read holds it.
        #expect(try store.events(at: .now).count == Int(try store.head().sequence))
    }
}
