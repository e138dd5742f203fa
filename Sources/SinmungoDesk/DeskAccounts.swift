import Crypto
import Foundation
import GRDB
import HummingbirdBcrypt
import SinmungoCore

/// Passwords and sessions of the desk, in their own SQLite file beside the log: credentials
/// are not events, and a changed password must not survive in an append-only log. On
/// PostgreSQL the server checks the passwords; this file counts failed sign-ins of its logins
/// (`desk_login`), and the sessions are `DeskServerSessions`.
///
/// Passwords are kept only as bcrypt hashes; a session is known by the SHA-256 of its token,
/// so a copy of this file opens no session.
public final class DeskAccounts: Sendable {
    public struct Session: Sendable, Equatable {
        public var officer: String
        /// The form token of this session: every form carries it, every POST must match it.
        public var csrf: String
    }

    public enum SignIn: Sendable, Equatable {
        case signedIn(token: String, session: Session)
        case refused
        case locked(until: Instant)
    }

    /// Failed sign-ins in a row that lock an account, and for how long.
    public static let lockAfterFailures = 5
    public static let lockSeconds: Int64 = 15 * 60
    public static let sessionSeconds: Int64 = 8 * 60 * 60

    let database: DatabaseQueue
    private let bcryptCost: UInt8
    /// Checked when the account is unknown, so a wrong name costs as long as a wrong password.
    private let decoyHash: String

    /// The file beside a log: `x.sqlite` keeps its desk accounts in `x.desk.sqlite`.
    public static func defaultPath(forLog path: String) -> String {
        let trimmed = path.hasSuffix(".sqlite") ? String(path.dropLast(".sqlite".count)) : path
        return trimmed + ".desk.sqlite"
    }

    public init(path: String, bcryptCost: UInt8 = 12) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // A removed session or password is overwritten, not left in free pages.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        database = try DatabaseQueue(path: path, configuration: configuration)
        self.bcryptCost = bcryptCost
        decoyHash = Bcrypt.hash("not a password", cost: bcryptCost)
        try database.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS desk_credential (
                        officer TEXT PRIMARY KEY NOT NULL,
                        bcrypt TEXT NOT NULL,
                        failures INTEGER NOT NULL DEFAULT 0,
                        locked_until INTEGER
                    );
                    CREATE TABLE IF NOT EXISTS desk_login (
                        login TEXT PRIMARY KEY NOT NULL,
                        failures INTEGER NOT NULL DEFAULT 0,
                        locked_until INTEGER
                    );
                    CREATE TABLE IF NOT EXISTS desk_session (
                        token_sha256 BLOB PRIMARY KEY NOT NULL,
                        officer TEXT NOT NULL,
                        csrf TEXT NOT NULL,
                        expires_at INTEGER NOT NULL
                    );
                    """)
        }
    }

    /// Sets (or replaces) an officer's password, and ends their open sessions.
    public func setPassword(_ password: String, for officer: String) throws {
        let hash = Bcrypt.hash(password, cost: bcryptCost)
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO desk_credential (officer, bcrypt, failures, locked_until) VALUES (?, ?, 0, NULL)
                    ON CONFLICT(officer) DO UPDATE SET bcrypt = excluded.bcrypt, failures = 0, locked_until = NULL
                    """, arguments: [officer, hash])
            try db.execute(sql: "DELETE FROM desk_session WHERE officer = ?", arguments: [officer])
        }
    }

    public func signIn(officer: String, password: String, now: Instant) throws -> SignIn {
        let stored = try database.read { db in
            try Row.fetchOne(
                db, sql: "SELECT bcrypt, failures, locked_until FROM desk_credential WHERE officer = ?", arguments: [officer])
        }
        guard let stored else {
            _ = Bcrypt.verify(password, hash: decoyHash)
            return .refused
        }
        if let lockedUntil: Int64 = stored["locked_until"], lockedUntil > now.secondsSinceEpoch {
            return .locked(until: Instant(secondsSinceEpoch: lockedUntil))
        }
        guard Bcrypt.verify(password, hash: stored["bcrypt"]) else {
            let failures: Int = stored["failures"] + 1
            let lock = failures >= Self.lockAfterFailures ? now.secondsSinceEpoch + Self.lockSeconds : nil
            try database.write { db in
                try db.execute(
                    sql: "UPDATE desk_credential SET failures = ?, locked_until = ? WHERE officer = ?",
                    arguments: [lock == nil ? failures : 0, lock, officer])
            }
            return lock.map { .locked(until: Instant(secondsSinceEpoch: $0)) } ?? .refused
        }
        let token = Self.randomToken()
        let session = Session(officer: officer, csrf: Self.randomToken())
        try database.write { db in
            try db.execute(
                sql: "UPDATE desk_credential SET failures = 0, locked_until = NULL WHERE officer = ?", arguments: [officer])
            try db.execute(sql: "DELETE FROM desk_session WHERE expires_at <= ?", arguments: [now.secondsSinceEpoch])
            try db.execute(
                sql: "INSERT INTO desk_session (token_sha256, officer, csrf, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [Self.digest(token), officer, session.csrf, now.secondsSinceEpoch + Self.sessionSeconds])
        }
        return .signedIn(token: token, session: session)
    }

    public func session(token: String, now: Instant) throws -> Session? {
        try database.read { db in
            try Row.fetchOne(
                db, sql: "SELECT officer, csrf FROM desk_session WHERE token_sha256 = ? AND expires_at > ?",
                arguments: [Self.digest(token), now.secondsSinceEpoch]
            ).map { Session(officer: $0["officer"], csrf: $0["csrf"]) }
        }
    }

    public func signOut(token: String) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM desk_session WHERE token_sha256 = ?", arguments: [Self.digest(token)])
        }
    }

    static func digest(_ token: String) -> Data {
        Data(SHA256.hash(data: Data(token.utf8)))
    }

    /// 256 random bits, URL- and cookie-safe.
    static func randomToken() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Compares two secrets in time that does not depend on where they differ.
    static func same(_ left: String, _ right: String) -> Bool {
        let a = Array(left.utf8)
        let b = Array(right.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
