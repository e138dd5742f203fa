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
