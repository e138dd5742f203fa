import CLibPQ
import Foundation
import SinmungoCore

/// A failure talking to the server, with its SQLSTATE when the server gave one.
public struct PostgresFailure: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The address, or how it was given, is not acceptable (exit 64).
        case address
        /// No server at the address, or it refused the login (exit 66).
        case unreachable
        /// The server is a read-only standby, or the session was opened read-only (exit 65).
        case readOnly
        /// The database login may not do this (exit 65).
        case forbidden
        /// The database holds no Sinmungo log, or a different one (exit 74).
        case notALog
        /// Anything else the server or the connection reported (exit 74).
        case server
    }

    public var kind: Kind
    public var description: String
    public var sqlState: String?

    init(_ kind: Kind, _ description: String, sqlState: String? = nil) {
        self.kind = kind
        self.description = description
        self.sqlState = sqlState
    }
}

/// One libpq connection, used by one thread at a time. Every statement goes out with its
/// parameters as text and comes back as text, so no value is ever spliced into SQL.
final class PostgresConnection: @unchecked Sendable {
    private let connection: OpaquePointer
    let address: String
    let readOnly: Bool

    /// Connects to a `postgresql://` address. A password in the address is refused: it would
    /// show in the process list and the shell's history.
    ///
    /// With `credentials`, the connection is made as that login with that password, handed
    /// to libpq apart from the address; it is refused (`PostgresSignInRefused`) unless the
    /// server checked the password.
    init(address: String, readOnly: Bool, credentials: PostgresCredentials? = nil) throws {
        self.address = address
        self.readOnly = readOnly
        if let password = try Self.option("password", in: address), !password.isEmpty {
            throw PostgresFailure(
                .address,
                "the database address holds a password; remove it and put it in PGPASSWORD or ~/.pgpass instead")
        }
        // An empty password would let libpq fall back to PGPASSWORD or ~/.pgpass: this
        // process's own, not the person's.
        if let credentials, credentials.password.isEmpty || credentials.login.isEmpty {
            throw PostgresSignInRefused(login: credentials.login)
        }
        guard let connection = credentials.map({ Self.connect(address, as: $0) }) ?? PQconnectdb(address) else {
            throw PostgresFailure(.unreachable, "cannot allocate a connection to \(Self.redacted(address))")
        }
        self.connection = connection
        guard PQstatus(connection) == CONNECTION_OK else {
            // deinit finishes the connection: every stored property is set by now.
            let reason = Self.message(PQerrorMessage(connection))
            if let credentials, Self.isAccepting(address) { throw PostgresSignInRefused(login: credentials.login) }
            throw PostgresFailure(.unreachable, "cannot connect to \(Self.redacted(address)): \(reason)")
        }
        // A login the server lets in without its password (trust, peer) is not signed in by one.
        if let credentials, PQconnectionUsedPassword(connection) != 1 {
            throw PostgresSignInRefused(login: credentials.login)
        }
        _ = PQsetClientEncoding(connection, "UTF8")
        // Notices (such as "relation already exists, skipping") are not for the user.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        if readOnly { try execute("SET default_transaction_read_only = on") }
    }

    /// After the connection was lost (the server restarted, or ended this backend), connects
    /// again as it was first made, once; returns whether it is open. An open one is left alone.
    func reopenIfLost() -> Bool {
        guard PQstatus(connection) != CONNECTION_OK else { return true }
        PQreset(connection)
        guard PQstatus(connection) == CONNECTION_OK else { return false }
        _ = PQsetClientEncoding(connection, "UTF8")
        if readOnly { return (try? execute("SET default_transaction_read_only = on")) != nil }
        return true
    }

    deinit { PQfinish(connection) }

    /// The address without anything after `?`, for messages.
    static func redacted(_ address: String) -> String {
        String(address.prefix { $0 != "?" })
    }

    /// One option of a libpq address, or nil when it is not there; throws when libpq cannot parse it.
    static func option(_ name: String, in address: String) throws -> String? {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(address, &error) else {
            let reason = error.map { message($0) } ?? "it is not a libpq connection string"
            if let error { PQfreemem(error) }
            throw PostgresFailure(.address, "cannot read the database address \(redacted(address)): \(reason)")
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == name { return option.pointee.val.map { String(cString: $0) } }
            option += 1
        }
        return nil
    }

    private static func message(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "no reason given" }
        return String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Rows of text values, nil for SQL NULL.
    struct Rows {
        var rows: [[String?]]
        var count: Int { rows.count }
        subscript(row: Int, column: Int) -> String? { rows[row][column] }
    }

    /// Runs one statement with text parameters, all in one round trip.
    @discardableResult
    func execute(_ sql: String, _ parameters: [String?] = []) throws -> Rows {
        let result = try run(sql, parameters)
        defer { PQclear(result) }
        return Self.rows(of: result)
    }

    /// Runs several statements in one string (no parameters), as `init` does.
    func executeScript(_ sql: String) throws {
        guard let result = PQexec(connection, sql) else { throw failure() }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { throw failure(result) }
    }

    /// Runs a query and hands each row to `body` as it is read from the result, without
    /// building an array of all of them.
    func forEachRow(_ sql: String, _ parameters: [String?] = [], _ body: (RowReader) throws -> Void) throws {
        let result = try run(sql, parameters)
        defer { PQclear(result) }
        let count = PQntuples(result)
        for index in 0..<count {
            try body(RowReader(result: result, row: index))
        }
    }

    /// Runs a query in single-row mode and hands each row to `body` as it arrives: the server
    /// keeps sending while the rows are worked on, and only one row is held at a time.
    func streamRows(_ sql: String, _ parameters: [String?] = [], _ body: (RowReader) throws -> Void) throws {
        let sent = withCStrings(parameters) { values in
            PQsendQueryParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        guard sent == 1 else { throw failure() }
        _ = PQsetSingleRowMode(connection)
        var firstFailure: (any Error)?
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE:
                guard firstFailure == nil else { continue }
                do {
                    try body(RowReader(result: result, row: 0))
                } catch {
                    firstFailure = error
                    // Stop the server sending the rest; what is already on its way is read and dropped.
                    if let cancel = PQgetCancel(connection) {
                        var buffer = [CChar](repeating: 0, count: 256)
                        _ = PQcancel(cancel, &buffer, Int32(buffer.count))
                        PQfreeCancel(cancel)
                    }
                }
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                break
            default:
                if firstFailure == nil { firstFailure = failure(result) }
            }
        }
        if let firstFailure { throw firstFailure }
    }

    /// Reads one row's columns in place.
    struct RowReader {
        let result: OpaquePointer
        let row: Int32

        func isNull(_ column: Int32) -> Bool { PQgetisnull(result, row, column) == 1 }

        func text(_ column: Int32) -> String {
            let length = Int(PQgetlength(result, row, column))
            guard let value = PQgetvalue(result, row, column) else { return "" }
            return value.withMemoryRebound(to: UInt8.self, capacity: length) {
                String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
            }
        }

        func integer(_ column: Int32) -> Int64 { Int64(text(column)) ?? 0 }

        /// The column's bytes in place, valid while the row's result lives.
        func bytesInPlace(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
            let length = Int(PQgetlength(result, row, column))
            guard let value = PQgetvalue(result, row, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
            return value.withMemoryRebound(to: UInt8.self, capacity: length) { UnsafeBufferPointer(start: $0, count: length) }
        }

        /// A bytea column in the server's hex output (`\x…`).
        func bytes(_ column: Int32) -> [UInt8] {
            let text = text(column)
            return PostgresConnection.bytes(fromHex: text)
        }
    }

    static func bytes(fromHex text: String) -> [UInt8] {
        guard text.hasPrefix("\\x") else { return [] }
        return Hex.bytesOrEmpty(String(text.dropFirst(2)))
    }

    static func hexLiteral(_ bytes: [UInt8]) -> String { "\\x" + Hex.string(bytes) }

    /// Sends COPY … FROM STDIN data, then ends it; the rows go in the statement's transaction.
    func copyIn(_ sql: String, _ write: ((String) throws -> Void) throws -> Void) throws {
        try beginCopy(sql)
        var buffer = [UInt8]()
        buffer.reserveCapacity(1 << 20)
        do {
            try write { line in
                buffer.append(contentsOf: line.utf8)
                if buffer.count >= 1 << 20 {
                    try sendCopyData(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try sendCopyData(buffer)
        } catch {
            _ = PQputCopyEnd(connection, "the import was abandoned")
            while let result = PQgetResult(connection) { PQclear(result) }
            throw error
        }
        try endCopy()
    }

    // MARK: A COPY fed across calls

    /// Starts COPY … FROM STDIN for `sendCopyData` to feed and `endCopy` to finish: the server
    /// takes rows in while the next ones are being made.
    func beginCopy(_ sql: String) throws {
        PQclear(try run(sql, [], expecting: PGRES_COPY_IN))
    }

    func sendCopyData(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        let sent = bytes.withUnsafeBufferPointer { bytes in
            bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                PQputCopyData(connection, $0, Int32(bytes.count))
            }
        }
        guard sent == 1 else { throw failure() }
    }

    /// Ends the COPY and reports the first failure the server found in its rows.
    func endCopy() throws {
        guard PQputCopyEnd(connection, nil) == 1 else { throw failure() }
        var firstFailure: PostgresFailure?
        while let result = PQgetResult(connection) {
            if PQresultStatus(result) != PGRES_COMMAND_OK, firstFailure == nil { firstFailure = failure(result) }
            PQclear(result)
        }
        if let firstFailure { throw firstFailure }
    }

    /// Ends the COPY as failed, so that the connection can roll back.
    func abandonCopy() {
        _ = PQputCopyEnd(connection, "the import was abandoned")
        while let result = PQgetResult(connection) { PQclear(result) }
    }

    private func run(_ sql: String, _ parameters: [String?], expecting expected: ExecStatusType? = nil) throws -> OpaquePointer {
        let result: OpaquePointer? = withCStrings(parameters) { values in
            PQexecParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        guard let result else { throw failure() }
        let status = PQresultStatus(result)
        let ok = expected.map { status == $0 } ?? (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        guard ok else {
            let error = failure(result)
            PQclear(result)
            throw error
        }
        return result
    }

    private func failure(_ result: OpaquePointer? = nil) -> PostgresFailure {
        let state = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
        let primary = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "M"))) }.map { String(cString: $0) }
        let text = primary ?? Self.message(PQerrorMessage(connection))
        switch state {
        case "25006":
            return PostgresFailure(
                .readOnly,
                "the server at \(Self.redacted(address)) is a read-only standby (or this command only reads); write on the primary",
                sqlState: state)
        case "42501":
            return PostgresFailure(.forbidden, "the database login may not do this: \(text)", sqlState: state)
        case "3F000", "42P01", "42883":
            return PostgresFailure(
                .notALog, "the database at \(Self.redacted(address)) holds no Sinmungo log (`sinmungo init` sets one up): \(text)",
                sqlState: state)
        default:
            return PostgresFailure(.server, "the server at \(Self.redacted(address)) reported: \(text)", sqlState: state)
        }
    }

    private static func rows(of result: OpaquePointer) -> Rows {
        let count = PQntuples(result)
        let columns = PQnfields(result)
        var rows: [[String?]] = []
        rows.reserveCapacity(Int(count))
        for row in 0..<count {
            let reader = RowReader(result: result, row: row)
            rows.append((0..<columns).map { reader.isNull($0) ? nil : reader.text($0) })
        }
        return Rows(rows: rows)
    }
}

/// Hands C strings of `values` to `body`, keeping them alive for the call.
private func withCStrings<R>(_ values: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let pointers = values.map { $0.map { strdup($0)! } }
    defer { pointers.forEach { free($0) } }
    return body(pointers.map { $0.map { UnsafePointer($0) } })
}

extension Hex {
    static func bytesOrEmpty(_ text: String) -> [UInt8] { bytes(text) ?? [] }
}

/// A server address as messages may show it: without the parameters after `?`.
public enum PostgresConnectionAddress {
    public static func redacted(_ address: String) -> String { PostgresConnection.redacted(address) }
}
