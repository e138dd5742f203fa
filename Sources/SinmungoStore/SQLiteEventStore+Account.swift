internal import GRDB

extension Schema {
    /// Events record the account that ran the command, hashed in layout 2. Events written
    /// before keep NULL, and with it layout 1 and their hashes.
    static let eventAccountMigration = "v5-event-account"

    static func registerEventAccount(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration(eventAccountMigration) { db in
            try db.execute(sql: "ALTER TABLE event ADD COLUMN account TEXT")
        }
    }

    /// A read-only open of a log from before the account column: a temporary view of the
    /// same name, which SQLite resolves before the file's table, reads every event as
    /// layout 1 (account NULL). Nothing is written to the file.
    static func readAccountlessEvents(_ database: DatabaseQueue) throws {
        try database.writeWithoutTransaction { db in
            guard try db.tableExists("event"), try !db.columns(in: "event").contains(where: { $0.name == "account" })
            else { return }
            try db.execute(sql: "CREATE TEMP VIEW event AS SELECT *, NULL AS account FROM main.event")
        }
    }
}
