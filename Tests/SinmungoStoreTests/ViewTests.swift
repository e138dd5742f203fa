import Foundation
import GRDB
import SinmungoCore
import SinmungoTesting
import SinmungoViews
import Testing

@testable import SinmungoStore

@Suite("Views: incremental catch-up and full rebuild")
struct ViewTests {
    @Test(arguments: [(Backend.memory, UInt64(1)), (.disk, 2), (.memory, 3), (.memory, 4)])
    func incrementalViewsEqualAFullRebuildOnARandomLog(backend: Backend, seed: UInt64) throws {
        let store = try backend.makeStore()
        let accepted = try appendRandomCommands(to: store, count: 400, seed: seed)
        #expect(accepted > 100, "the random log should exercise many steps")
        let incremental = try store.summaries()
        try store.rebuildViews()
        let rebuilt = try store.summaries()
        #expect(incremental == rebuilt)
        // And both equal a pure replay of the log, with no database in between.
        var events: [RecordedEvent] = []
        try store.forEachStoredEvent { events.append(try $0.decoded()) }
        let replayed = CaseProjection.replay(events).values.sorted { ($0.filedAt, $0.id) < ($1.filedAt, $1.id) }
        #expect(rebuilt == replayed)
        #expect(Set(rebuilt.map(\.status)).count >= 5, "the random log should reach many states")
    }

    @Test
    func duplicatesAreLinkedBothWays() throws {
        let store = try Backend.memory.makeStore()
        let original = try reviewedPetition(in: store)
        let repeated = try reviewedPetition(in: store, at: hours(4))
        _ = try service(store).execute(.markDuplicate(of: original), on: repeated, metadata: metadata(at: hours(6)))
        #expect(try store.summary(of: repeated)?.duplicateOf == original)
        #expect(try store.summary(of: original)?.duplicates == [repeated])
        #expect(try store.summary(of: repeated)?.status == .duplicate)
    }

    @Test
    func sessionsCountTheirProposals() throws {
        let store = try Backend.memory.makeStore()
        let sinmungo = service(store)
        let session = try sinmungo.execute(
            .holdSession(SessionHeld(kind: .outreach, field: "생활환경", attendees: 31, theme: "자전거", place: "양평2동 주민센터")),
            on: nil, metadata: metadata(at: march4)
        ).caseID
        for index in 1...3 {
            _ = try sinmungo.execute(
                .fileProposal(ProposalFiled(session: session, title: "자전거 거치대 \(index)")), on: nil,
                metadata: metadata(at: hours(1))
            )
        }
        let summary = try #require(try store.summary(of: session))
        #expect(summary.proposals == 3)
        #expect(summary.attendees == 31)
        #expect(try store.summaries(kind: .proposal).count == 3)
        #expect(try store.summaries(kind: .proposal).allSatisfy { $0.field == "생활환경" && $0.sessionKind == .outreach })
    }
}

/// A projection the store has never heard of: the number of events of each case.
enum EventsPerCase: Projection {
    static let name = "events-per-case"
    static let version = 1
    static func keys(touchedBy event: RecordedEvent) -> [CaseID] { [event.caseID] }
    static func apply(_ event: RecordedEvent, to rows: inout [CaseID: Int]) { rows[event.caseID, default: 0] += 1 }
}

@Suite("Views: projections are plugged in")
struct PluggedProjectionTests {
    @Test
    func aProjectionTheStoreDoesNotKnowIsFoldedStoredAndChecked() throws {
        let path = TemporaryFolder().path("log.sqlite")
        let store = try SQLiteEventStore.create(at: path, projections: caseViews + [EventsPerCase.self]).store
        _ = try appendRandomCommands(to: store, count: 120, seed: 7)
        let events = try store.events(at: .now)
        let expected = EventsPerCase.replay(events)
        #expect(expected.count > 5)
        #expect(try store.rows(of: EventsPerCase.self, at: .now) == expected)
        // Kept in the file, not only folded on reading: a store opened without it reads them too.
        let other = try SQLiteEventStore(openingExistingAt: path, mode: .readOnly)
        #expect(try other.rows(of: EventsPerCase.self, at: .now) == expected)
        _ = try store.verify()
    }

    /// Rows handed over one at a time are the rows read whole, and the rows of a replay, also
    /// while the stored rows stand behind the log (events appended by a store without views).
    @Test
    func rowsReadOneAtATimeAreTheRowsReadWholeEvenBehindTheLog() throws {
        let path = TemporaryFolder().path("log.sqlite")
        let store = try SQLiteEventStore.create(at: path, projections: caseViews).store
        _ = try appendRandomCommands(to: store, count: 120, seed: 12)
        let withoutViews = try SQLiteEventStore(openingExistingAt: path, projections: [])
        _ = try appendRandomCommands(to: withoutViews, count: 60, seed: 13)
        // And a step of a case whose row is stored, so that a stored row is also changed.
        let stored = try #require(try store.rows(of: CaseProjection.self, at: .now).values.min { $0.id.rawValue < $1.id.rawValue })
        let last = try #require(try store.events(at: .now).last)
        _ = try withoutViews.append(
            AppendRequest(
                caseID: stored.id, expectedVersion: stored.version,
                events: [.corrected(Corrected(field: .title, value: "바로잡은 제목", reason: "오타"))],
                occurredAt: last.occurredAt, recordedAt: last.recordedAt, actor: "ydp-0412", commandID: "late-correction"))
        let behind = try store.database.read { db in
            try Int64.fetchOne(db, sql: "SELECT seq FROM view_checkpoint WHERE view = ?", arguments: [CaseProjection.name])
        }
        #expect(try behind.map { $0 < (try store.head().sequence) } == true)
        let events = try store.events(at: .now)
        for point in [PointInTime.now, PointInTime(asOf: events[events.count / 2].recordedAt, effective: nil)] {
            var streamed: [CaseID: CaseSummary] = [:]
            try store.forEachRow(of: CaseProjection.self, at: point) { key, row in
                #expect(streamed.updateValue(row, forKey: key) == nil, "row \(key) handed over twice")
            }
            if point.isNow { #expect(streamed[stored.id]?.title == "바로잡은 제목") }
            #expect(streamed == (try store.rows(of: CaseProjection.self, at: point)))
            #expect(streamed == CaseProjection.replay(try store.events(at: point)))
        }
    }

    /// `retention` reads the case list's states; a fold of the whole log is its reference.
    @Test(arguments: [UInt64(3), 8])
    func retentionFromTheCaseListIsRetentionFromTheLog(seed: UInt64) throws {
        let store = try SQLiteEventStore.inMemory(projections: caseViews)
        try store.generate(SyntheticLog(cases: 150, seed: seed))
        _ = try appendRandomCommands(to: store, count: 300, seed: seed)
        // Steps after closing that change no status: the closing day stays that of the close.
        var later = try #require(try store.events(at: .now).last).recordedAt
        let closed = try store.rows(of: CaseProjection.self, at: .now).values.filter { $0.status.isClosed }
        for row in closed.sorted(by: { $0.id.rawValue < $1.id.rawValue }).prefix(8) {
            later = later.adding(seconds: 86_400 * 40)
            _ = try store.append(
                AppendRequest(
                    caseID: row.id, expectedVersion: row.version,
                    events: [.corrected(Corrected(field: .title, value: "나중에 고친 제목", reason: "오타"))],
                    occurredAt: later, recordedAt: later, actor: "ydp-0412", commandID: "late-\(row.id)"))
        }
        let events = try store.events(at: .now)
        // Every closed case, then only those closed before a day inside the log.
        let middle = events[events.count / 2].occurredAt.kstDate
        for (closedBefore, today) in [
            (CivilDate(year: 2100, month: 1, day: 1)!, CivilDate(year: 2200, month: 1, day: 1)!),
            (middle, CivilDate(year: middle.year + 11, month: 1, day: 1)!),
        ] {
            let fromLog = Retention.expired(events, closedBefore: closedBefore, today: today, policy: .yeongdeungpo)
            let fromCaseList = try Retention.expired(closedBefore: closedBefore, today: today, policy: .yeongdeungpo) { visit in
                try store.forEachRow(of: CaseProjection.self, at: .now) { _, row in try visit(row.state) }
            }
            #expect(fromLog.count > 10)
            #expect(fromCaseList == fromLog)
        }
    }

    @Test
    func aRebuildByAStoreWithoutAProjectionKeepsThatProjectionsRows() throws {
        let path = TemporaryFolder().path("log.sqlite")
        let both = try SQLiteEventStore.create(at: path, projections: caseViews + [EventsPerCase.self]).store
        _ = try appendRandomCommands(to: both, count: 80, seed: 9)
        let counted = try both.rows(of: EventsPerCase.self, at: .now)
        let casesOnly = try SQLiteEventStore(openingExistingAt: path, projections: caseViews)
        #expect(try casesOnly.rebuildViews() > 0)
        let stored = try casesOnly.database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM view_row WHERE projection = ?", arguments: [EventsPerCase.name])
        }
        #expect(stored == counted.count)
        #expect(try both.rows(of: EventsPerCase.self, at: .now) == counted)
        // A store with both empties the table at once and folds both again.
        #expect(try both.rebuildViews() > 0)
        #expect(try both.rows(of: EventsPerCase.self, at: .now) == counted)
        _ = try both.verify()
    }

    @Test
    func everySummaryTakesItsStateFromTheOneLifecycleFold() throws {
        let store = try Backend.memory.makeStore()
        _ = try appendRandomCommands(to: store, count: 300, seed: 11)
        let summaries = try store.summaries()
        #expect(summaries.count > 5)
        for summary in summaries {
            let state = CaseState(id: summary.id, replaying: try store.events(of: summary.id))
            #expect(summary.state == state)
            #expect(summary.status == state.status)
            #expect(summary.version == state.version)
        }
    }
}

/// `EventsPerCase` as a later version would fold it: the same name, another row.
enum EventsPerCaseTimesTen: Projection {
    static let name = EventsPerCase.name
    static let version = 2
    static func keys(touchedBy event: RecordedEvent) -> [CaseID] { [event.caseID] }
    static func apply(_ event: RecordedEvent, to rows: inout [CaseID: Int]) { rows[event.caseID, default: 0] += 10 }
}

@Suite("Views: a projection's new version is refolded")
struct ProjectionVersionTests {
    @Test
    func rowsOfAnotherVersionAreNeverReadAndTheNextWriteRefoldsThem() throws {
        let path = TemporaryFolder().path("log.sqlite")
        let old = try SQLiteEventStore.create(at: path, projections: [EventsPerCase.self]).store
        _ = try appendRandomCommands(to: old, count: 60, seed: 3)
        let upgraded = try SQLiteEventStore(openingExistingAt: path, projections: [EventsPerCaseTimesTen.self])
        let expected = EventsPerCaseTimesTen.replay(try upgraded.events(at: .now))
        #expect(try upgraded.rows(of: EventsPerCaseTimesTen.self, at: .now) == expected)
        _ = try upgraded.verify()
        _ = try appendRandomCommands(to: upgraded, count: 20, seed: 4)
        let after = EventsPerCaseTimesTen.replay(try upgraded.events(at: .now))
        // Read back from a store that folds nothing itself: the rows are in the file.
        let reader = try SQLiteEventStore(openingExistingAt: path, mode: .readOnly)
        #expect(try reader.rows(of: EventsPerCaseTimesTen.self, at: .now) == after)
        let checkpoint = try DatabaseQueue(path: path).read { db in
            try Row.fetchOne(db, sql: "SELECT seq, version FROM view_checkpoint WHERE view = ?", arguments: [EventsPerCase.name])
        }
        #expect(checkpoint?["version"] == 2)
        #expect(checkpoint?["seq"] == (try upgraded.head().sequence))
        _ = try upgraded.verify()
    }
}
