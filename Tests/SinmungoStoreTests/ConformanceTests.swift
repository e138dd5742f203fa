import SinmungoCore
import SinmungoStore
import SinmungoTesting
import Testing

@Suite("Every store keeps the event-store contract")
struct ConformanceTests {
    @Test("the SQLite store, on a file", arguments: EventStoreConformance<SQLiteEventStore>.checks)
    func sqliteOnDisk(_ check: String) throws {
        try EventStoreConformance { try SQLiteEventStore.create(at: TemporaryFolder().path("log.sqlite")).store }.run(check)
    }

    @Test("the SQLite store, in memory", arguments: EventStoreConformance<SQLiteEventStore>.checks)
    func sqliteInMemory(_ check: String) throws {
        try EventStoreConformance { try SQLiteEventStore.inMemory() }.run(check)
    }

    @Test("the in-memory store, which has no SQL at all", arguments: EventStoreConformance<InMemoryEventStore>.checks)
    func inMemory(_ check: String) throws {
        try EventStoreConformance { InMemoryEventStore() }.run(check)
    }
}

@Suite("Every backend keeps the access-record contract")
struct AccessRecordConformanceTests {
    @Test("the SQLite store, on a file", arguments: AccessRecordLogConformance<SQLiteEventStore>.checks)
    func sqliteOnDisk(_ check: String) throws {
        try AccessRecordLogConformance { try SQLiteEventStore.create(at: TemporaryFolder().path("log.sqlite")).store }.run(check)
    }

    @Test("the SQLite store, in memory", arguments: AccessRecordLogConformance<SQLiteEventStore>.checks)
    func sqliteInMemory(_ check: String) throws {
        try AccessRecordLogConformance { try SQLiteEventStore.inMemory() }.run(check)
    }

    @Test("records held in memory, with no SQL", arguments: AccessRecordLogConformance<InMemoryAccessRecordLog>.checks)
    func inMemory(_ check: String) throws {
        try AccessRecordLogConformance { InMemoryAccessRecordLog() }.run(check)
    }
}
