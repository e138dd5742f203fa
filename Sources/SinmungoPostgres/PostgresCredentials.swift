import CLibPQ
import Foundation
import SinmungoCore

/// A login and the password its owner typed, for a connection made as that person (the
/// desk's sign-in). The password goes to libpq as its own parameter, never into an address,
/// a message or a log line.
public struct PostgresCredentials: Sendable, CustomStringConvertible {
    public var login: String
    public var password: String

    public init(login: String, password: String) {
        self.login = login
        self.password = password
    }

    public var description: String { "login \(login)" }
}

/// The server is up but did not let this login in with this password (or let it in without
/// asking for one, which signs no one in).
public struct PostgresSignInRefused: Error, Sendable, CustomStringConvertible {
    public var login: String
    public var description: String { "the server did not sign in the login \(login) with that password" }
}

extension PostgresConnection {
    /// Connects as `credentials`: the address's own settings, then the login and password.
    static func connect(_ address: String, as credentials: PostgresCredentials) -> OpaquePointer? {
        // Later keywords override what the expanded address says.
        let keywords = ["dbname", "user", "password"]
        let values = [address, credentials.login, credentials.password]
        return withCStringArrays(keywords, values) { keywords, values in PQconnectdbParams(keywords, values, 1) }
    }

    /// Whether a server answers at `address` and accepts connections, whoever logs in.
    static func isAccepting(_ address: String) -> Bool {
        withCStringArrays(["dbname"], [address]) { keywords, values in PQpingParams(keywords, values, 1) } == PQPING_OK
    }
}

/// Two NULL-terminated arrays of C strings, alive for the call.
private func withCStringArrays<R>(
    _ first: [String], _ second: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) -> R
) -> R {
    let a = first.map { strdup($0)! }
    let b = second.map { strdup($0)! }
    defer {
        a.forEach { free($0) }
        b.forEach { free($0) }
    }
    let aPointers: [UnsafePointer<CChar>?] = a.map { UnsafePointer($0) } + [nil]
    let bPointers: [UnsafePointer<CChar>?] = b.map { UnsafePointer($0) } + [nil]
    return aPointers.withUnsafeBufferPointer { keys in
        bPointers.withUnsafeBufferPointer { values in body(keys.baseAddress!, values.baseAddress!) }
    }
}

extension PostgresEventStore {
    /// The sequence number and hash of one event of the office, or nil when its log does not
    /// reach it: lets a reader that kept an anchor tell whether it still stands in this log.
    public func anchor(at sequence: Int64) throws -> LogAnchor? {
        try storedEvents(where: "seq = $2", [String(sequence)]).first.map { LogAnchor(sequence: $0.sequence, hash: $0.hash) }
    }
}

extension PostgresEventStore {
    /// Connects again, as before, when the connection was lost; returns whether it is open.
    /// A long-lived holder (the desk) calls it before using the store after a failure.
    public func reopenIfLost() -> Bool {
        (try? withConnection { $0.reopenIfLost() }) ?? false
    }
}
