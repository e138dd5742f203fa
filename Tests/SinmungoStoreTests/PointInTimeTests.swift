import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoViews
import Testing

@Suite("Point in time: what the office knew, and what was so")
struct PointInTimeTests {
    func day(_ month: Int, _ day: Int, _ hour: Int = 10) -> Instant {
        Instant(kst: CivilDate(year: 2019, month: month, day: day)!, hour: hour)
    }

    func execute(_ store: SQLiteEventStore, _ command: CaseCommand, on id: CaseID?, happened: Instant, recorded: Instant) throws
        -> CaseID
    {
        try CaseService(store: store, now: { recorded }).execute(command, on: id, metadata: metadata(at: happened)).caseID
    }

    @Test(arguments: Backend.allCases)
    func aLateEntryAndACorrectionOnBothAxes(backend: Backend) throws {
        let store = try backend.makeStore()
        // A town hall on 4 June, recorded that day with 130 attendees.
        let session = try execute(
            store, .holdSession(SessionHeld(kind: .townhall, field: "생활환경", attendees: 130, theme: "주차")), on: nil,
            happened: day(6, 4, 19), recorded: day(6, 4, 21))
        // A petition filed 3 June and reviewed 5 June, but the review was entered only on 20 June.
        let petition = try execute(
            store, .filePetition(PetitionFiled(title: "이면도로 주차", category: "도시")), on: nil, happened: day(6, 3),
            recorded: day(6, 3, 11))
        _ = try execute(store, .review(department: "주차관리과"), on: petition, happened: day(6, 5), recorded: day(6, 20))
        // On 1 July the sign-in sheets were recounted: 142 attended.
        _ = try execute(
            store, .correct(Corrected(field: .attendees, value: "142", reason: "출석부 재집계")), on: session, happened: day(7, 1),
            recorded: day(7, 1, 11))

        func status(_ point: PointInTime) throws -> CaseStatus? {
            try store.summaries(at: point).first { $0.id == petition }?.status
        }
        func attendees(_ point: PointInTime) throws -> Int? {
            try store.summaries(at: point).first { $0.id == session }?.attendees
        }
        // What the office knew on 10 June: the petition was still waiting for review.
        #expect(try status(PointInTime(asOf: day(6, 10))) == .filed)
        // What was so on 10 June, as known now: it had been reviewed on the 5th.
        #expect(try status(PointInTime(effective: day(6, 10))) == .reviewed)
        // Both axes: known on 10 June about 10 June.
        #expect(try status(PointInTime(asOf: day(6, 10), effective: day(6, 10))) == .filed)
        #expect(try status(.now) == .reviewed)

        #expect(try attendees(PointInTime(asOf: day(6, 30))) == 130)
        #expect(try attendees(PointInTime(effective: day(6, 30))) == 130)
        #expect(try attendees(.now) == 142)
        // The superseded fact is still in the log, as it was recorded.
        #expect(
            try store.events(of: session).first?.event
                == .sessionHeld(SessionHeld(kind: .townhall, field: "생활환경", attendees: 130, theme: "주차")))
        // Before anything happened, nothing is there.
        #expect(try store.summaries(at: PointInTime(asOf: day(6, 1))).isEmpty)
        #expect(try store.head(at: PointInTime(asOf: day(6, 1))).sequence == 0)
    }

    @Test(arguments: [UInt64(21), 22, 23])
    func asOfViewsEqualTheLogCutAtThatMomentAndImportedAfresh(seed: UInt64) throws {
        let store = try Backend.memory.makeStore()
        try appendRandomCommands(to: store, count: 250, seed: seed)
        let lines = try exportText(store).split(separator: "\n").map(String.init)
        var events: [RecordedEvent] = []
        try store.forEachStoredEvent { events.append(try $0.decoded()) }
        var random = SeededGenerator(seed: seed)
        for _ in 0..<6 {
            let cut = events[Int.random(in: 0..<events.count, using: &random)].recordedAt
            let kept = zip(lines, events).filter { $0.1.recordedAt <= cut }.map(\.0)
            let fresh = try Backend.memory.makeStore()
            try fresh.importLog(Data(kept.joined(separator: "\n").utf8), source: "cut.jsonl")
            #expect(try store.summaries(at: PointInTime(asOf: cut)) == fresh.summaries())
            #expect(try store.head(at: PointInTime(asOf: cut)) == fresh.head())
        }
    }
}
