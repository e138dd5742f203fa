import Foundation
import GRDB
import SinmungoCore
import SinmungoPostgres
import Synchronization

/// The desk's sessions on PostgreSQL. Each keeps the connection opened at sign-in with the
/// officer's own login and password, so that every append, read and access record of the
/// session is the server's to grant or refuse, and the server records that login.
///
/// Kept in memory only: the password is never stored, so a session cannot outlive its
/// connection. Signing out, expiry and shutdown close it; a restarted desk signs everyone out.
public final class DeskServerSessions: Sendable {
    struct Entry {
        var session: DeskAccounts.Session
        var login: String
        var log: PostgresEventStore
        var expiresAt: Int64
    }

    private let entries = Mutex<[Data: Entry]>([:])

    public init() {}

    /// Opens a session for `officer` over `log`; returns its token.
    func add(officer: String, login: String, log: PostgresEventStore, now: Instant) -> (token: String, session: DeskAccounts.Session) {
        let token = DeskAccounts.randomToken()
        let session = DeskAccounts.Session(officer: officer, csrf: DeskAccounts.randomToken())
        let expired = entries.withLock { entries in
            let expired = Self.takeExpired(from: &entries, now: now)
            entries[DeskAccounts.digest(token)] = Entry(
                session: session, login: login, log: log, expiresAt: now.secondsSinceEpoch + DeskAccounts.sessionSeconds)
            return expired
        }
        withExtendedLifetime(expired) {}
        return (token, session)
    }

    /// The live session the token names; an expired one is ended (its connection closed).
    func entry(token: String, now: Instant) -> Entry? {
        let (found, expired) = entries.withLock { entries in
            let key = DeskAccounts.digest(token)
            guard let entry = entries[key] else { return (nil as Entry?, [] as [Entry]) }
            guard entry.expiresAt > now.secondsSinceEpoch else { return (nil, [entries.removeValue(forKey: key)!]) }
            return (entry, [])
        }
        // Connections close here, outside the lock.
        withExtendedLifetime(expired) {}
        return found
    }

    /// Ends the session the token names, closing its connection once no request uses it.
    func remove(token: String) {
        let removed = entries.withLock { $0.removeValue(forKey: DeskAccounts.digest(token)) }
        withExtendedLifetime(removed) {}
    }

    /// Ends every session: at shutdown.
    public func removeAll() {
        let removed = entries.withLock { entries in
            defer { entries.removeAll() }
            return Array(entries.values)
        }
        withExtendedLifetime(removed) {}
    }

    /// How many sessions are open.
    public var count: Int { entries.withLock { $0.count } }

    private static func takeExpired(from entries: inout [Data: Entry], now: Instant) -> [Entry] {
        let keys = entries.filter { $0.value.expiresAt <= now.secondsSinceEpoch }.map(\.key)
        return keys.compactMap { entries.removeValue(forKey: $0) }
    }
}

extension DeskAccounts {
    /// A server login whose sign-ins failed too often in a row, and until when, if it is locked.
    func loginLockedUntil(_ login: String, now: Instant) throws -> Instant? {
        try database.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT locked_until FROM desk_login WHERE login = ? AND locked_until > ?",
                arguments: [login, now.secondsSinceEpoch])
        }.map { Instant(secondsSinceEpoch: $0) }
    }

    /// Counts a failed sign-in of a server login; returns until when it is now locked, if it is.
    func recordLoginFailure(_ login: String, now: Instant) throws -> Instant? {
        try database.write { db in
            let failures =
                (try Int.fetchOne(db, sql: "SELECT failures FROM desk_login WHERE login = ?", arguments: [login]) ?? 0) + 1
            let lock = failures >= Self.lockAfterFailures ? now.secondsSinceEpoch + Self.lockSeconds : nil
            try db.execute(
                sql: """
                    INSERT INTO desk_login (login, failures, locked_until) VALUES (?, ?, ?)
                    ON CONFLICT (login) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until
                    """, arguments: [login, lock == nil ? failures : 0, lock])
            return lock.map { Instant(secondsSinceEpoch: $0) }
        }
    }

    /// A sign-in that worked clears the login's count.
    func recordLoginSuccess(_ login: String) throws {
        try database.write { db in try db.execute(sql: "DELETE FROM desk_login WHERE login = ?", arguments: [login]) }
    }
}
