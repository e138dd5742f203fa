import Foundation
import SinmungoTesting
import Testing

/// The tool on a PostgreSQL log: the same commands, many offices, one server.
@Suite("Many offices, one server")
struct ServerLogTests {
    static let fixture = LogTransferTests.fixture

    /// A runner pointed at a new database on the test server, set up by `init`.
    static func serverCLI() throws -> (CLI, String) {
        var cli = CLI()
        let address = try TestPostgres.freshDatabase()
        cli.environment["SINMUNGO_DB"] = address
        _ = try cli.ok("init")
        return (cli, address)
    }

    @Test("export from SQLite, import into an office on PostgreSQL, export again: the same bytes")
    func movingAnOfficeKeepsEveryByte() throws {
        let (cli, address) = try Self.serverCLI()
        let sqlite = cli.path("district.sqlite")
        _ = try cli.ok("--db", sqlite, "init")
        _ = try cli.ok("--db", sqlite, "import", Self.fixture)
        _ = try cli.ok("--db", sqlite, "export", "--out", cli.path("from-sqlite.jsonl"))
        _ = try cli.ok("--db", address, "--office", "영등포구", "import", cli.path("from-sqlite.jsonl"))
        _ = try cli.ok("--db", address, "--office", "영등포구", "export", "--out", cli.path("from-server.jsonl"))
        let original = try Data(contentsOf: URL(fileURLWithPath: cli.path("from-sqlite.jsonl")))
        let moved = try Data(contentsOf: URL(fileURLWithPath: cli.path("from-server.jsonl")))
        #expect(original.count > 100_000)
        #expect(moved == original)
        // The same head, and the same counts, from either backend.
        #expect(try cli.ok("--db", sqlite, "head") == cli.ok("--db", address, "--office", "영등포구", "head"))
        #expect(
            try cli.ok("--db", sqlite, "counts", "--year", "2019", "--format", "json")
                == cli.ok("--db", address, "--office", "영등포구", "counts", "--year", "2019", "--format", "json"))
        // A second import of the same file is refused whole, and writes nothing.
        let again = try cli.run(["--db", address, "--office", "영등포구", "import", cli.path("from-sqlite.jsonl")])
        #expect(again.status == 65)
        #expect(try cli.ok("--db", address, "--office", "영등포구", "verify").contains("ok: "))
        #expect(try cli.ok("--db", address, "--office", "영등포구", "export") == String(decoding: original, as: UTF8.self))
    }

    @Test("each office numbers and chains its own log, and verify checks one office or all")
    func officesKeepTheirOwnChains() throws {
        let (cli, address) = try Self.serverCLI()
        for office in ["영등포구", "구로구"] {
            let id = try cli.ok(
                "--office", office, "petition", "file", "--title", "가로등", "--category", "도시", "--at", "2019-06-03T09:30")
            #expect(id == "PET-2019-0001\n")
            _ = try cli.ok("--office", office, "review", "PET-2019-0001", "--department", "치수과", "--at", "2019-06-04T09:30")
        }
        _ = try cli.ok("--office", "구로구", "withdraw", "PET-2019-0001", "--at", "2019-06-05T09:30")
        #expect(try cli.ok("--office", "영등포구", "head").hasPrefix("2:"))
        #expect(try cli.ok("--office", "구로구", "head").hasPrefix("3:"))
        #expect(try cli.ok("--office", "구로구", "show", "PET-2019-0001").contains("withdrawn"))
        #expect(try cli.ok("--office", "영등포구", "show", "PET-2019-0001").contains("reviewed"))
        let all = try cli.ok("verify", "--all-offices")
        #expect(all.contains("구로구: ok: 3 events verified"))
        #expect(all.contains("영등포구: ok: 2 events verified"))
        // A changed event in one office fails that office, and the whole check, naming it.
        try SharedPsql.run(
            "ALTER TABLE sinmungo.event DISABLE TRIGGER event_append_only; UPDATE sinmungo.event SET actor = 'x' WHERE office = '구로구' AND seq = 2",
            address: address)
        let failed = try cli.run(["verify", "--all-offices"])
        #expect(failed.status == 65)
        #expect(failed.stdout.contains("영등포구: ok"))
        #expect(failed.stderr.contains("구로구") && failed.stderr.contains("event 2"))
    }

    @Test("a streaming standby serves reads and verify with the primary's head and counts, and refuses writes clearly")
    func standbyServesAuditors() throws {
        let (cli, address) = try Self.serverCLI()
        _ = try cli.ok("petition", "file", "--title", "가로등", "--category", "도시", "--at", "2019-06-03T09:30")
        let cluster = try TestPostgres.address()
        let standbyCluster = try TestPostgres.run(TestPostgres.script, ["standby", cluster])
        defer { _ = try? TestPostgres.run(TestPostgres.script, ["stop", standbyCluster]) }
        let database = address[address.index(after: address.lastIndex(of: "/")!)...]
        let standby = String(standbyCluster[..<standbyCluster.lastIndex(of: "/")!]) + "/" + database
        // Written after the base backup: only streaming brings these to the standby.
        _ = try cli.ok("review", "PET-2019-0001", "--department", "치수과", "--at", "2019-06-04T09:30")
        _ = try cli.ok("petition", "file", "--title", "보도", "--category", "도시", "--at", "2019-06-05T09:30")
        let written = try SharedPsql.run("SELECT pg_current_wal_lsn()", address: address)
        var replayed = false
        for _ in 0..<600 where !replayed {
            replayed = try SharedPsql.run("SELECT pg_last_wal_replay_lsn() >= '\(written)'::pg_lsn", address: standby) == "t"
            if !replayed { usleep(100_000) }
        }
        #expect(replayed, "the standby did not replay the primary's writes within a minute")
        #expect(try cli.ok("--db", standby, "head") == cli.ok("--db", address, "head"))
        #expect(
            try cli.ok("--db", standby, "counts", "--format", "json") == cli.ok("--db", address, "counts", "--format", "json"))
        #expect(try cli.ok("--db", standby, "verify").contains("ok: 3 events verified"))
        #expect(try cli.ok("--db", standby, "list").contains("PET-2019-0002"))
        let write = try cli.run(["--db", standby, "withdraw", "PET-2019-0001"])
        #expect(write.status == 65)
        #expect(write.stderr.contains("read-only standby"))
        #expect(try cli.ok("--db", address, "head").hasPrefix("3:"))
    }

    @Test("a password in the address is refused, and offices on SQLite are refused, each with a usage status")
    func addressesAndOfficesAreChecked() throws {
        let cli = CLI()
        let withPassword = try cli.run(["--db", "postgresql://sinmungo:secret@127.0.0.1:1/sinmungo", "head"])
        #expect(withPassword.status == 64)
        #expect(withPassword.stderr.contains("PGPASSWORD or ~/.pgpass"))
        #expect(!withPassword.stderr.contains("secret"))
        let office = try cli.run(["--db", cli.path("x.sqlite"), "--office", "구로구", "init"])
        #expect(office.status == 64)
        #expect(office.stderr.contains("needs a PostgreSQL log"))
        #expect(!FileManager.default.fileExists(atPath: cli.path("x.sqlite")))
        let unreachable = try cli.run(["--db", "postgresql://sinmungo@127.0.0.1:1/sinmungo", "head"])
        #expect(unreachable.status == 66)
    }
}

/// psql as the database's owner.
enum SharedPsql {
    @discardableResult
    static func run(_ sql: String, address: String) throws -> String {
        try TestPostgres.run("psql", ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", address, "-c", sql])
    }
}
