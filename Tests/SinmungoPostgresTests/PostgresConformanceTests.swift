import SinmungoCore
import SinmungoPostgres
import SinmungoStore
import SinmungoTesting
import Testing

@Suite("The PostgreSQL store keeps the event-store contract")
struct PostgresConformanceTests {
    @Test("each office's log, on a server", arguments: EventStoreConformance<PostgresEventStore>.checks)
    func conforms(_ check: String) throws {
        try EventStoreConformance { try SharedLog.freshOffice() }.run(check)
    }
}
