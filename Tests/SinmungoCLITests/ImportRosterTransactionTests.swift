import Foundation
import GRDB
import SinmungoTesting
import Testing

/// An import of a log from another system and the roster entries it brings are one write.
@Suite("import adopts the file's departments and officers in the same transaction as its events")
struct ImportRosterTransactionTests {
    static let fixture = LogTransferTests.fixture

    /// Runs the import while the log refuses every roster event, as a failure between the
    /// file's events and its roster entries would; returns the result and the log's head after.
    func importRefusingRosterEvents(on backend: String) throws -> (CLI.Result, String, String) {
        var cli = CLI()
        let db: String
        if backend == "sqlite" {
            db = cli.path("log.sqlite")
            cli.environment["SINMUNGO_DB"] = db
            _ = try cli.ok("init")
            try DatabaseQueue(path: db).write { db in
                try db.execute(
                    sql: """
                        CREATE TRIGGER refuse_roster BEFORE INSERT ON event WHEN NEW.case_id = 'ROSTER'
                        BEGIN SELECT RAISE(ABORT, 'roster events are refused here'); END
                        """)
            }
        } else {
            let server: String
            (cli, server) = try ServerLogTests.serverCLI()
            db = server
            try SharedPsql.run(
                """
                CREATE FUNCTION sinmungo.refuse_roster() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'roster events are refused here'; END $$;
                CREATE TRIGGER refuse_roster BEFORE INSERT ON sinmungo.event FOR EACH ROW
                    WHEN (NEW.case_id = 'ROSTER') EXECUTE FUNCTION sinmungo.refuse_roster();
                """, address: db)
        }
        let before = try cli.ok("head")
        let result = try cli.run("import", Self.fixture)
        return (result, before, try cli.ok("head"))
    }

    @Test("when the roster entries cannot be written, none of the file is", arguments: ["sqlite", "postgresql"])
    func rosterAndEventsCommitTogether(backend: String) throws {
        let (result, before, after) = try importRefusingRosterEvents(on: backend)
        #expect(result.status != 0)
        #expect(result.stderr.contains("roster events are refused here"), "\(result.stderr)")
        #expect(after == before, "the file's events were written without their roster entries")
    }

    @Test("a legacy file brings its roster in the same import, on both backends", arguments: ["sqlite", "postgresql"])
    func legacyImportBringsItsRoster(backend: String) throws {
        var cli = CLI()
        if backend == "sqlite" {
            cli.environment["SINMUNGO_DB"] = cli.path("log.sqlite")
            _ = try cli.ok("init")
        } else {
            (cli, _) = try ServerLogTests.serverCLI()
        }
        let imported = try cli.run("import", Self.fixture)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("added to the roster from the log:"))
        let fileEvents = try String(contentsOfFile: Self.fixture, encoding: .utf8).split(separator: "\n").count
        #expect(imported.stdout.hasPrefix("imported \(fileEvents) events"))
        // The roster entries follow the file's events in the same log, and the log verifies.
        let history = try cli.ok("history", "ROSTER", "--format", "csv")
        #expect(history.contains("officer-granted") && history.contains("department-added"))
        #expect(try cli.ok("verify").hasPrefix("ok: "))
    }
}
