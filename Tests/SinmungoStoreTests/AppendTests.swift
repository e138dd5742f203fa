import Foundation
import GRDB
import SinmungoCore
import SinmungoStore
import SinmungoTesting
import SinmungoViews
import Testing

@Suite("Appending to the SQLite log")
struct AppendTests {
    @Test(arguments: Backend.allCases)
    func appendedEventsReadBackInOrderWithGaplessSequence(backend: Backend) throws {
        let store = try backend.makeStore()
        let first = try reviewedPetition(in: store)
        let second = try reviewedPetition(in: store, at: hours(5))
        let events = try store.events(of: first) + store.events(of: second)
        #expect(events.map(\.sequence) == [1, 2, 3, 4])
        #expect(events.map(\.caseVersion) == [1, 2, 1, 2])
        #expect(events.map(\.type) == [.petitionFiled, .reviewed, .petitionFiled, .reviewed])
        #expect(first == CaseID("PET-2019-0001"))
        #expect(second == CaseID("PET-2019-0002"))
        #expect(try store.head().sequence == 4)
    }

    @Test(arguments: Backend.allCases)
    func staleExpectedVersionIsAConflictAndWritesNothing(backend: Backend) throws {
        let store = try backend.makeStore()
        let id = try reviewedPetition(in: store)
        let before = try exportText(store)
        #expect(throws: AppendConflict(caseID: id, expectedVersion: 1, actualVersion: 2)) {
            _ = try store.append(
                AppendRequest(
                    caseID: id, expectedVersion: 1, events: [.visited(Visited(place: "당산역"))],
                    occurredAt: hours(2), recordedAt: hours(2), actor: "ydp-0412", commandID: "late"
                ))
        }
        #expect(try exportText(store) == before)
    }

    @Test(arguments: Backend.allCases)
    func repeatedCommandIDIsNotAppliedTwice(backend: Backend) throws {
        let store = try backend.makeStore()
        let id = try reviewedPetition(in: store)
        let sinmungo = service(store)
        let first = try sinmungo.execute(
            .visit(Visited(place: "당산역")), on: id, metadata: metadata(at: hours(3), commandID: "visit-1"))
        let again = try sinmungo.execute(
            .visit(Visited(place: "당산역")), on: id, metadata: metadata(at: hours(3), commandID: "visit-1"))
        #expect(first.alreadyApplied == false)
        #expect(again.alreadyApplied == true)
        #expect(again.events == first.events)
        #expect(try store.events(of: id).count == 3)
    }

    @Test(arguments: Backend.allCases)
    func refusedCommandLeavesTheLogUnchanged(backend: Backend) throws {
        let store = try backend.makeStore()
        let id = try reviewedPetition(in: store)
        let before = try exportText(store)
        let sinmungo = service(store)
        #expect(throws: Refusal.self) {
            _ = try sinmungo.execute(.reflect(Reflected(outcome: .adopted)), on: id, metadata: metadata(at: hours(3)))
        }
        #expect(throws: Refusal.noSuchCase(CaseID("PET-2019-0404"))) {
            _ = try sinmungo.execute(.withdraw(Withdrawn()), on: CaseID("PET-2019-0404"), metadata: metadata(at: hours(3)))
        }
        #expect(throws: Refusal.self) {
            _ = try sinmungo.execute(
                .fileProposal(ProposalFiled(session: CaseID("SES-2019-999"), title: "자전거 거치대")), on: nil,
                metadata: metadata(at: hours(3))
            )
        }
        #expect(try exportText(store) == before)
    }

    @Test
    func diskLogUsesWALWithFullSynchronousWrites() throws {
        let store = try Backend.disk.makeStore()
        let settings = try store.durabilitySettings()
        #expect(settings.journalMode == "wal")
        // 2 = FULL; GRDB would leave NORMAL (1) after turning WAL on.
        #expect(settings.synchronous == 2)
    }

    @Test
    func triggersRefuseUpdatesAndDeletesOfEvents() throws {
        let folder = TemporaryFolder()
        let path = folder.path("log.sqlite")
        let store = try SQLiteEventStore.create(at: path, projections: caseViews).store
        try reviewedPetition(in: store)
        let queue = try DatabaseQueue(path: path)
        #expect(throws: DatabaseError.self) {
            try queue.write { try $0.execute(sql: "UPDATE event SET actor = 'someone' WHERE seq = 1") }
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { try $0.execute(sql: "DELETE FROM event WHERE seq = 2") }
        }
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM event") } == 2)
    }

    @Test
    func eachEventHashCoversThePreviousOne() throws {
        let store = try Backend.memory.makeStore()
        try reviewedPetition(in: store)
        var events: [StoredEvent] = []
        try store.forEachStoredEvent { events.append($0) }
        #expect(events[0].previousHash == EventHash.genesis)
        #expect(events[1].previousHash == events[0].hash)
        for event in events { #expect(event.hash == event.expectedHash) }
        #expect(try store.head().hash == events[1].hash)
    }
}

@Suite("Opening files that are not a usable log")
struct OpeningTests {
    @Test
    func missingFileIsReportedAndNotCreated() throws {
        let path = TemporaryFolder().path("absent.sqlite")
        #expect(throws: StoreError.missing(path: path)) {
            _ = try SQLiteEventStore(openingExistingAt: path, projections: caseViews)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test
    func fileThatIsNotADatabaseIsRefusedAndLeftAlone() throws {
        let path = TemporaryFolder().path("notes.sqlite")
        let contents = Data("이것은 데이터베이스가 아닙니다\n".utf8)
        #expect(FileManager.default.createFile(atPath: path, contents: contents))
        #expect(throws: StoreError.notALog(path: path, reason: "the file is not a database")) {
            _ = try SQLiteEventStore(openingExistingAt: path, projections: caseViews)
        }
        #expect(FileManager.default.contents(atPath: path) == contents)
    }

    @Test
    func otherSQLiteDatabaseIsNotALog() throws {
        let path = TemporaryFolder().path("other.sqlite")
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "CREATE TABLE t (x)") }
        #expect(throws: StoreError.notALog(path: path, reason: "it is an SQLite database without an event log")) {
            _ = try SQLiteEventStore(openingExistingAt: path, projections: caseViews)
        }
    }

    @Test
    func anInitCutShortIsFinishedOnTheNextOpen() throws {
        let path = TemporaryFolder().path("half.sqlite")
        // What a full disk left behind: GRDB's bookkeeping table and nothing else.
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)") }
        // `init` again finishes it, key store included.
        let store = try SQLiteEventStore.create(at: path, projections: caseViews).store
        #expect(try store.head().sequence == 0)
        try reviewedPetition(in: store)
        #expect(try store.verify().sequence == 2)
    }

    @Test
    func logFromANewerVersionIsRefused() throws {
        let path = TemporaryFolder().path("newer.sqlite")
        _ = try SQLiteEventStore.create(at: path, projections: caseViews)
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
        #expect(throws: StoreError.newerFormat(path: path)) {
            _ = try SQLiteEventStore(openingExistingAt: path, projections: caseViews)
        }
    }
}
