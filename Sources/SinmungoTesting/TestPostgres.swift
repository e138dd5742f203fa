import Foundation

/// A PostgreSQL server for tests: `$SINMUNGO_TEST_POSTGRES` when CI started one, else a
/// throwaway cluster that `Scripts/postgres.sh` starts once for this test process and stops
/// when it exits. A test that needs it fails when neither can be had; it never skips.
public enum TestPostgres {
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    private static let server: Result<String, Unavailable> = {
        if let given = ProcessInfo.processInfo.environment["SINMUNGO_TEST_POSTGRES"], !given.isEmpty {
            return .success(given)
        }
        do {
            // Stopped at exit, or by the script's watcher when this process dies without exiting.
            let address = try run(script, ["start", "--until-exit", String(getpid())])
            atexit {
                if case .success(let address) = TestPostgres.server { _ = try? TestPostgres.run(TestPostgres.script, ["stop", address]) }
            }
            return .success(address)
        } catch {
            return .failure(Unavailable(description: "no PostgreSQL for the tests: set SINMUNGO_TEST_POSTGRES or install postgresql (\(error))"))
        }
    }()

    /// The repository's Scripts/postgres.sh.
    public static let script: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scripts/postgres.sh").path

    /// The address of the test server's maintenance database.
    public static func address() throws -> String {
        try server.get()
    }

    /// A new, empty database on the test server, and its address.
    public static func freshDatabase() throws -> String {
        let address = try address()
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        _ = try run("/usr/bin/env", ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", address, "-c", "CREATE DATABASE \(name)"])
        guard let slash = address.lastIndex(of: "/") else { throw Unavailable(description: "odd address \(address)") }
        return String(address[..<slash]) + "/" + name
    }

    /// Runs a program and returns its standard output, trimmed; throws with its output on failure.
    /// Through popen, not Process: it is called while other tests wait on the same lazy value,
    /// and popen needs nothing but this thread.
    @discardableResult
    public static func run(_ program: String, _ arguments: [String]) throws -> String {
        let quoted = ([program] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        guard let pipe = popen(quoted.joined(separator: " ") + " 2>&1", "r") else {
            throw Unavailable(description: "cannot start \(program)")
        }
        var output = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, pipe)
            if count <= 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        let status = pclose(pipe)
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == 0 else {
            throw Unavailable(description: "\(program) \(arguments.joined(separator: " ")) failed (\(status)): \(text)")
        }
        return text
    }
}
