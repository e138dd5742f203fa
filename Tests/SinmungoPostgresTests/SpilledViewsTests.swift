import Foundation
import SinmungoCore
import SinmungoStore
import SinmungoTesting
import SinmungoViews
import Testing

@testable import SinmungoPostgres

/// On PostgreSQL, `import`, `rebuild` and `verify` fold the views with their quiet rows
/// written out to a scratch database and read back when touched again, so that memory stays
/// flat; written out after every event or never, the views must come out the same.
@Suite("Views folded on PostgreSQL with their quiet rows written out as they go")
struct SpilledViewsTests {
    /// An office that imported, into no events, the export of a generated log of 300 cases
    /// (so its views were folded as the import checked them), and that log on SQLite.
    static func imported() throws -> (server: PostgresEventStore, local: SQLiteEventStore) {
        let folder = TemporaryFolder()
        let (local, exported) = try SQLiteEventStore.generated(cases: 300, seed: 3, in: folder)
        let file = URL(fileURLWithPath: folder.path("log.jsonl"))
        try Data(exported.utf8).write(to: file)
        let server = try ViewCurrencyTests.office("spill")
        _ = try server.importLog(at: file, source: "generated")
        return (server, local)
    }

    @Test("an import and a rebuild at any interval give SQLite's views of the same log")
    func rebuiltAtAnyIntervalEqualsSQLite() throws {
        let (server, local) = try Self.imported()
        let cases = try local.rows(of: CaseProjection.self, at: .now)
        let steps = try local.rows(of: StatisticsTimeline.self, at: .now)
        #expect(cases.count == 300)
        #expect(try server.rows(of: CaseProjection.self, at: .now) == cases)
        #expect(try server.rows(of: StatisticsTimeline.self, at: .now) == steps)
        let imported = try ViewCurrencyTests.views(of: server)
        for interval: Int64 in [1, 7, SpilledViews.flushInterval] {
            #expect(try server.rebuildViews(flushingEvery: interval) == local.head().sequence)
            #expect(try ViewCurrencyTests.views(of: server) == imported, "interval \(interval)")
        }
    }

    @Test("verify at any interval passes the office's views, and names a row that differs")
    func verifyAtAnyInterval() throws {
        let (server, _) = try Self.imported()
        for interval: Int64 in [1, 7, SpilledViews.flushInterval] {
            #expect(try server.verify(against: nil, flushingEvery: interval) == server.head(), "interval \(interval)")
        }
        let key = try SharedLog.psql(
            "SELECT case_id FROM sinmungo.view_row WHERE office = '\(server.office)' AND projection = 'cases' ORDER BY case_id COLLATE \"C\" OFFSET 100 LIMIT 1"
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        try SharedLog.psql(
            "UPDATE sinmungo.view_row SET data = replace(data, '\"title\":\"', '\"title\":\"바뀐 ') WHERE office = '\(server.office)' AND projection = 'cases' AND case_id = '\(key)'"
        )
        for interval: Int64 in [1, 7, SpilledViews.flushInterval] {
            do {
                try server.verify(against: nil, flushingEvery: interval)
                Issue.record("verify passed a changed row at interval \(interval)")
            } catch let failure as VerificationFailure {
                #expect(failure.kind == .views)
                #expect("\(failure)".contains("their row for case \(key) differs from a replay of the log"), "\(failure)")
            }
        }
    }
}
