import Foundation
import SinmungoCore

extension PostgresEventStore {
    /// Rewrites the key table into new files (`VACUUM FULL`), so that a key deleted by an
    /// erasure survives in no dead tuple of them: plain VACUUM frees a dead tuple's space but
    /// leaves its bytes in the page until something overwrites them. Only the table's owner
    /// may run it, and not inside a transaction; returns false when this login may not.
    ///
    /// The rewrite copies a deleted row that some transaction may still see, so it first
    /// waits, up to `keyRewritePatience` seconds, for the transactions that began before it to end.
    @discardableResult
    public func compactKeys() throws -> Bool {
        try withConnection { connection in
            let owns = try connection.execute(
                "SELECT pg_has_role(session_user, relowner, 'MEMBER') FROM pg_class WHERE oid = 'sinmungo.person_key'::regclass")
            guard owns.rows.first?.first == "t" else { return false }
            try Self.waitForOlderTransactions(on: connection, patience: keyRewritePatience)
            try connection.execute("VACUUM (FULL) sinmungo.person_key")
            return true
        }
    }

    /// Returns when no session holds what would make the rewrite keep a row deleted before
    /// the call, or when `patience` seconds have passed: a snapshot from before the call in this
    /// database, or a transaction id from before it in any database, since the rewrite's own
    /// snapshot starts at the oldest transaction still running on the server.
    private static func waitForOlderTransactions(on connection: PostgresConnection, patience: Double) throws {
        // Every transaction id below the snapshot's xmax had begun before this call.
        let before = try connection.execute(
            "SELECT (pg_snapshot_xmax(pg_current_snapshot())::text::numeric % 4294967296)::text")
        guard let horizon = before.rows.first?.first ?? nil else { return }
        let deadline = Date().addingTimeInterval(patience)
        while Date() < deadline {
            let older = try connection.execute(
                """
                SELECT count(*) FROM pg_stat_activity
                WHERE pid <> pg_backend_pid()
                  AND (age(backend_xid) > age($1::xid)
                       OR (datname = current_database() AND age(backend_xmin) > age($1::xid)))
                """, [horizon])
            if older.rows.first?.first == "0" { return }
            usleep(20_000)
        }
    }
}
