import Foundation
import SinmungoCore
import SinmungoPostgres
import SinmungoStore
import SinmungoTesting

/// One database for this test process, set up by `init` once; tests keep apart by office.
enum SharedLog {
    static let address: Result<String, any Error> = Result {
        let address = try TestPostgres.freshDatabase()
        _ = try PostgresEventStore.create(address: address)
        return address
    }

    /// A store on an office no other test uses.
    static func freshOffice(_ prefix: String = "office") throws -> PostgresEventStore {
        try PostgresEventStore(address: try address.get(), office: "\(prefix)-\(UUID().uuidString.prefix(8))")
    }

    /// Runs SQL as the database's owner with psql, returning its output (unaligned, tuples only).
    @discardableResult
    static func psql(_ sql: String, as login: String? = nil, address: String? = nil) throws -> String {
        var target = try address ?? self.address.get()
        if let login { target = target.replacingOccurrences(of: "//sinmungo@", with: "//\(login)@") }
        return try TestPostgres.run("psql", ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", target, "-c", sql])
    }
}

extension SQLiteEventStore {
    /// A generated log in `folder`, with the views the offices keep, and its export.
    static func generated(cases: Int, seed: UInt64, in folder: TemporaryFolder) throws -> (
        store: SQLiteEventStore, export: String
    ) {
        let store = try SQLiteEventStore.create(at: folder.path("log.sqlite"), projections: ViewCurrencyTests.projections)
            .store
        try store.generate(SyntheticLog(cases: cases, seed: seed))
        var export = ""
        try store.exportLog { export += $0 }
        return (store, export)
    }
}
