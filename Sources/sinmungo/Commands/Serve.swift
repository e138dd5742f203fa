import ArgumentParser
import Foundation

/// `sinmungo serve` starts the desk, a program of its own beside this one, so that the
/// command-line tool builds and runs without a web server.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the desk (the officers' pages in a browser) on loopback, until SIGTERM or Ctrl-C.",
        discussion: """
            Runs sinmungo-desk, installed beside this tool (`swift build --product sinmungo-desk`). Officers sign \
            in with the password set by `sinmungo-desk password OFFICER`; they must be on the roster. On \
            PostgreSQL (--db postgresql://…) they sign in with their own database login and password, \
            which the roster ties to them.
            """
    )
    @OptionGroup var store: StoreOptions
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port.") var port = 8080
    @Flag(name: .customLong("secure-cookies"), help: "Mark the session cookie Secure (when reached through TLS).")
    var secureCookies = false
    @Option(
        name: .customLong("desk-files"),
        help: ArgumentHelp("On PostgreSQL, the folder of the desk's own files (failed sign-ins, the work index).", valueName: "folder"))
    var deskFiles = "."

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be from 1 to 65535, not \(port)") }
    }

    func run() throws {
        try store.checkBackendOptions()
        // This program's own file, wherever PATH found it, not the name it was called by.
        let me = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        let desk = me.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("sinmungo-desk").path
        guard FileManager.default.isExecutableFile(atPath: desk) else {
            throw CommandLineFailure(
                message: "the desk is not installed beside this tool (\(desk)); build it with `swift build --product sinmungo-desk`",
                exitStatus: ExitStatus.noInput)
        }
        guard store.isServer || FileManager.default.fileExists(atPath: store.path) else {
            throw CommandLineFailure(message: "no log at \(store.path): create one with `sinmungo init`", exitStatus: ExitStatus.noInput)
        }
        var arguments = [desk, "serve", "--db", store.path, "--host", host, "--port", String(port)]
        if store.isServer { arguments += ["--office", store.officeName, "--desk-files", deskFiles] }
        if secureCookies { arguments.append("--secure-cookies") }
        // The desk takes this process's place, so SIGTERM reaches it directly.
        let argv = arguments.map { strdup($0) } + [nil]
        execv(desk, argv)
        throw CommandLineFailure(message: "cannot start the desk \(desk): \(String(cString: strerror(errno)))", exitStatus: ExitStatus.ioError)
    }
}
