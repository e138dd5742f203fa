import Foundation
import SinmungoCore
import SinmungoPostgres
import SinmungoStore

extension LogBackend {
    /// The account a command acts from, which the roster ties to officers: on SQLite the
    /// operating-system account, on PostgreSQL the database login (`session_user`), which the
    /// server also records in every event. Neither is typed by the user.
    func actingAccount() throws -> String {
        if let server = self as? PostgresEventStore { return try server.sessionAccount() }
        return OperatingSystemAccount.current()
    }
}

extension StoreOptions {
    /// Opens the log read-only for a read that is a `task` of the roster's table (reading
    /// cases, or statistics), and refuses it when the reader's roles do not include it.
    ///
    /// The reader is who the roster ties to this account; for an account tied to no one, the
    /// officer `reader` or else `$SINMUNGO_ACTOR` names. With neither, the read is not asked about: on SQLite
    /// the file's own permissions decide who reads it, and on PostgreSQL the database's grants.
    func openStore(reading task: SinmungoCore.Task, reader: String? = nil) throws -> any LogBackend {
        let log = try openStore(.readOnly)
        // A login that reads the views alone has no roster to ask: its grants are the check.
        if let server = log as? PostgresEventStore, try !server.readsEvents { return log }
        let roster = try log.roster()
        guard roster.checksOfficers else { return log }
        var readers = roster.officers(forAccount: try log.actingAccount())
        let named = reader ?? ProcessInfo.processInfo.environment["SINMUNGO_ACTOR"]
        if readers.isEmpty, let named, roster.officers[named] != nil {
            readers = [named]
        }
        let allowed = readers.contains { roster.officers[$0].map { Permissions.allows($0.roles, task) } ?? false }
        if let reader = readers.first, !allowed {
            try roster.authorize(officer: reader, account: nil, task: task, caseDepartment: nil)
        }
        return log
    }
}
