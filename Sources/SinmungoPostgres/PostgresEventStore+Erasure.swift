import SinmungoCore

extension PostgresEventStore {
    /// Rewrites the key table into new files (`VACUUM FULL`), so that a key deleted by an
    /// erasure survives in no dead tuple of them: plain VACUUM frees a dead tuple's space but
    /// leaves its bytes in the page until something overwrites them. Only the table's owner
    /// may run it, and not inside a transaction; returns false when this login may not.
    @discardableResult
    public func compactKeys() throws -> Bool {
        try withConnection { connection in
            let owns = try connection.execute(
                "SELECT pg_has_role(session_user, relowner, 'MEMBER') FROM pg_class WHERE oid = 'sinmungo.person_key'::regclass")
            guard owns.rows.first?.first == "t" else { return false }
            try connection.execute("VACUUM (FULL) sinmungo.person_key")
            return true
        }
    }
}
