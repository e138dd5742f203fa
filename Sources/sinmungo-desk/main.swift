import ArgumentParser
import Foundation
import Logging
import SinmungoCore
import SinmungoDesk
import SinmungoPostgres
import SinmungoStore

/// The desk's program: `sinmungo serve` runs it, and it sets officers' desk passwords.
@main
struct DeskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sinmungo-desk",
        abstract: "The desk: Sinmungo's pages for officers, auditors and statistics staff, in a browser.",
        subcommands: [Serve.self, Password.self],
        defaultSubcommand: Serve.self
    )
}

struct LogOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The log's SQLite file, or a postgresql:// address (default: $SINMUNGO_DB, else ./sinmungo.sqlite).",
            valueName: "path"))
    var db: String?

    var path: String {
        db ?? ProcessInfo.processInfo.environment["SINMUNGO_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "sinmungo.sqlite"
    }

    var isServer: Bool { DeskConfiguration.isServer(path) }
}

/// Refuses in one line on standard error, with the tool's exit status for the kind of fault.
func refuse(_ message: String, status: Int32) -> ExitCode {
    // One line, whatever the server's message spread over.
    let line = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    FileHandle.standardError.write(Data("sinmungo-desk: \(line)\n".utf8))
    return ExitCode(status)
}

func currentInstant() -> Instant { Instant.current() }

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the desk on loopback until SIGTERM or SIGINT.",
        discussion: "Each request is logged as one JSON line on standard output, with no personal data.")
    @OptionGroup var log: LogOptions
    @Option(help: "The address to listen on; loopback unless a proxy in front of it needs another.") var host = "127.0.0.1"
    @Option(help: "The port.") var port = 8080
    @Flag(name: .customLong("secure-cookies"), help: "Mark the session cookie Secure (when reached through TLS).")
    var secureCookies = false
    @Option(
        help: ArgumentHelp(
            "On PostgreSQL, the office whose log is served (default: $SINMUNGO_OFFICE, else default).", valueName: "name"))
    var office: String?
    @Option(
        name: .customLong("desk-files"),
        help: ArgumentHelp(
            "On PostgreSQL, the folder of the desk's own files: failed sign-ins and the work index (default: .).",
            valueName: "folder"))
    var deskFiles = "."

    var officeName: String {
        office ?? ProcessInfo.processInfo.environment["SINMUNGO_OFFICE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? PostgresEventStore.defaultOffice
    }

    func run() async throws {
        let configuration: DeskConfiguration
        let calendar = try HolidayCalendar.builtIn()
        if log.isServer {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: deskFiles, isDirectory: &isFolder), isFolder.boolValue else {
                throw refuse("no folder at \(deskFiles) for the desk's own files (--desk-files)", status: 66)
            }
            configuration = DeskConfiguration(
                serverAddress: log.path, office: officeName, folder: deskFiles, host: host, port: port,
                secureCookies: secureCookies, calendar: calendar, now: currentInstant)
        } else {
            if office != nil { throw refuse("--office names an office on a PostgreSQL server; an SQLite log holds one", status: 64) }
            guard FileManager.default.fileExists(atPath: log.path) else {
                throw refuse("no log at \(log.path): create one with `sinmungo init`", status: 66)
            }
            configuration = DeskConfiguration(
                logPath: log.path, host: host, port: port, secureCookies: secureCookies, calendar: calendar, now: currentInstant)
        }
        let desk: Desk
        do {
            desk = try Desk(configuration: configuration)
        } catch let failure as PostgresFailure {
            throw refuse(failure.description, status: Self.status(of: failure))
        }
        var logger = Logger(label: "sinmungo-desk")
        logger.logLevel = .notice
        let served = log.isServer ? "office \(officeName) at \(PostgresConnectionAddress.redacted(log.path))" : log.path
        FileHandle.standardError.write(Data("sinmungo-desk: serving \(served) on http://\(host):\(port)/\n".utf8))
        try await desk.application(logger: logger).runService()
        // Every session's own connection is closed before the program ends.
        desk.serverSessions?.removeAll()
    }

    /// The exit statuses `sinmungo` gives the same failures.
    static func status(of failure: PostgresFailure) -> Int32 {
        switch failure.kind {
        case .address: 64
        case .unreachable: 66
        case .readOnly, .forbidden: 65
        case .notALog, .server: 74
        }
    }
}

struct Password: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Set an officer's desk password, read from standard input; ends their open sessions.")
    @OptionGroup var log: LogOptions
    @Argument(help: "The officer's id on the roster.") var officer: String

    func run() throws {
        if log.isServer {
            throw refuse(
                "desk passwords are for an SQLite log; on PostgreSQL officers sign in with their database login and password",
                status: 64)
        }
        guard FileManager.default.fileExists(atPath: log.path) else {
            throw refuse("no log at \(log.path): create one with `sinmungo init`", status: 66)
        }
        let line = readLine(strippingNewline: true) ?? ""
        guard line.count >= 10 else { throw refuse("a desk password needs at least 10 characters; nothing was set", status: 64) }
        let accounts = try DeskAccounts(path: DeskAccounts.defaultPath(forLog: log.path))
        try accounts.setPassword(line, for: officer)
        print("set the desk password of \(officer)")
    }
}
