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
}
