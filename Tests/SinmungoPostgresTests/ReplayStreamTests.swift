import Foundation
import SinmungoCore
import SinmungoPostgres
import SinmungoStore
import Testing

/// The streamed replay that `rebuild` folds from.
@Suite("Replaying an office's log from PostgreSQL")
struct ReplayStreamTests {
    struct Stop: Error {}

    static func filled(_ count: Int) throws -> PostgresEventStore {
        let store = try SharedLog.freshOffice()
        let day = Instant(kst: CivilDate(year: 2019, month: 6, day: 3)!, hour: 10)
        for number in 1...count {
            _ = try store.append(
                AppendRequest(
                    caseID: CaseID(kind: .petition, year: 2019, number: number), expectedVersion: 0,
                    events: [.petitionFiled(PetitionFiled(title: "가로등\t\\\(number)", category: "도시"))],
                    occurredAt: day, recordedAt: day, actor: "ydp-0412", commandID: UUID().uuidString))
        }
        return store
    }

    @Test("it gives the events the stored rows decode to, in order, from any sequence")
    func sameEventsAsTheStoredRows() throws {
        let store = try Self.filled(5)
        var streamed: [RecordedEvent] = []
        try store.forEachReplayedEvent(from: 2) { streamed.append($0) }
        let stored = try store.events(inSequence: 2...5)
        #expect(streamed.map(\.sequence) == [2, 3, 4, 5])
        #expect(streamed.map(\.event) == stored.map(\.event))
        #expect(streamed.map(\.caseID) == stored.map(\.caseID))
        #expect(streamed.map(\.recordedAt) == stored.map(\.recordedAt))
    }

    @Test("a fold that stops part way leaves the connection usable")
    func stoppingPartWay() throws {
        let store = try Self.filled(5)
        var seen = 0
        #expect(throws: Stop.self) {
            try store.forEachReplayedEvent { _ in
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }
        #expect(seen == 2)
        #expect(try store.head().sequence == 5)
        #expect(try store.rebuildViews(progress: { _ in }) == 5)
    }

    @Test("the whole log comes in log order, or case by case, across batches and at points in the past")
    func walksAcrossBatches() throws {
        let store = try Self.filled(7)
        let later = Instant(kst: CivilDate(year: 2019, month: 6, day: 4)!, hour: 10)
        // A second step on cases out of their order, so that log order and case order differ.
        for number in [6, 2, 4] {
            _ = try store.append(
                AppendRequest(
                    caseID: CaseID(kind: .petition, year: 2019, number: number), expectedVersion: 1,
                    events: [.reviewed(Reviewed(department: "도로과"))], occurredAt: later, recordedAt: later,
                    actor: "ydp-0412", commandID: UUID().uuidString))
        }
        store.readBatchSize = 3
        let whole = try store.events(inSequence: 1...10)
        for point in [PointInTime.now, PointInTime(asOf: nil, effective: later.adding(seconds: -1))] {
            let visible = whole.filter(point.includes)
            var inLogOrder: [RecordedEvent] = []
            try store.forEachEvent(at: point) { inLogOrder.append($0) }
            #expect(inLogOrder.map(\.sequence) == visible.map(\.sequence))
            var caseByCase: [RecordedEvent] = []
            try store.forEachEvent(at: point, caseByCase: true) { caseByCase.append($0) }
            let expected = visible.enumerated().sorted {
                ($0.element.caseID.rawValue, $0.offset) < ($1.element.caseID.rawValue, $1.offset)
            }.map(\.element.sequence)
            #expect(caseByCase.map(\.sequence) == expected)
        }
    }
}
