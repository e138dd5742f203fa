import ArgumentParser
import Foundation
import Logging
import SinmungoCore
import SinmungoDesk
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
    @Option(help: ArgumentHelp("The log's SQLite file (default: $SINMUNGO_DB, else ./sinmungo.sqlite).", valueName: "path"))
    var db: String?

    var path: String {
        db ?? ProcessInfo.processInfo.environment["SINMUNGO_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "sinmungo.sqlite"
    }
}

/// Refuses in one line on standard error, with the tool's exit status for the kind of fault.
func refuse(_ message: String, status: Int32) -> ExitCode {
    FileHandle.standardError.write(Data("sinmungo-desk: \(message)\n".utf8))
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

    func run() async throws {
        guard FileManager.default.fileExists(atPath: log.path) else {
            throw refuse("no log at \(log.path): create one with `sinmungo init`", status: 66)
        }
        let desk = try Desk(
            configuration: DeskConfiguration(
                logPath: log.path, host: host, port: port, secureCookies: secureCookies, calendar: try HolidayCalendar.builtIn(),
                now: currentInstant))
        var logger = Logger(label: "sinmungo-desk")
        logger.logLevel = .notice
        FileHandle.standardError.write(Data("sinmungo-desk: serving \(log.path) on http://\(host):\(port)/\n".utf8))
        try await desk.application(logger: logger).runService()
    }
}

struct Password: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Set an officer's desk password, read from standard input; ends their open sessions.")
    @OptionGroup var log: LogOptions
    @Argument(help: "The officer's id on the roster.") var officer: String

    func run() throws {
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
