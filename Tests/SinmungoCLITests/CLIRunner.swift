import Foundation
import Testing

/// Runs the built `sinmungo` binary as a user would, in a folder of its own.
struct CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Removes the folder once the last copy of this runner is gone.
    private final class Lease: Sendable {
        let folder: URL
        init(_ folder: URL) { self.folder = folder }
        deinit { try? FileManager.default.removeItem(at: folder) }
    }

    private let lease: Lease
    var folder: URL { lease.folder }
    var environment: [String: String]

    init() {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinmungo-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        lease = Lease(folder)
        var environment = ProcessInfo.processInfo.environment
        environment["SINMUNGO_DB"] = nil
        environment["SINMUNGO_CLOCK"] = "2019-11-29T18:00:00+09:00"
        environment["SINMUNGO_ACTOR"] = "ydp-0412"
        self.environment = environment
    }

    func path(_ name: String) -> String {
        folder.appendingPathComponent(name).path
    }

    static let binary: URL = {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["SINMUNGO_BINARY"] {
            candidates.append(URL(fileURLWithPath: override))
        }
        // The test runner sits in the build products folder, beside the tool.
        if let runner = Bundle.main.executableURL {
            candidates.append(runner.deletingLastPathComponent().appendingPathComponent("sinmungo"))
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("sinmungo"))
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("sinmungo"))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/sinmungo"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }()

    /// Copies the tool into `folder` with cp(1), as an installer would, and returns the copy.
    /// A copy written by this process could be inherited, still open for writing, by a child
    /// another test starts at that moment; running it would then fail with "Text file busy".
    static func installCopy(into folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let copy = folder.appendingPathComponent("sinmungo")
        let cp = Process()
        cp.executableURL = URL(fileURLWithPath: "/bin/cp")
        cp.arguments = [binary.path, copy.path]
        try cp.run()
        cp.waitUntilExit()
        guard cp.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: copy.path])
        }
        return copy
    }

    /// Starts the tool without waiting, for tests of processes racing each other.
    /// `direct` runs `arguments[0]` as the program instead (to run the tool as another user).
    func start(_ arguments: [String], direct: Bool = false) throws -> (Process, URL, URL) {
        let process = Process()
        process.executableURL = direct ? URL(fileURLWithPath: arguments[0]) : Self.binary
        process.arguments = direct ? Array(arguments.dropFirst()) : arguments
        process.environment = environment
        process.currentDirectoryURL = folder
        // Files, not pipes: a full pipe would block the child while we wait for it.
        let id = UUID().uuidString
        let out = folder.appendingPathComponent("out-\(id)")
        let err = folder.appendingPathComponent("err-\(id)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        // An opened /dev/null: on Linux, Foundation's nullDevice has descriptor -1, so a child
        // inherited the runner's own standard input (seen in one CI run).
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
        return (process, out, err)
    }

    static func finish(_ started: (Process, URL, URL)) throws -> Result {
        let (process, out, err) = started
        process.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self)
        )
    }

    @discardableResult
    func run(_ arguments: String...) throws -> Result {
        try run(arguments)
    }

    @discardableResult
    func run(_ arguments: [String], direct: Bool = false) throws -> Result {
        try Self.finish(try start(arguments, direct: direct))
    }

    /// Runs a command that must succeed, and returns its standard output.
    func ok(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try run(arguments)
        #expect(
            result.status == 0, "sinmungo \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }
}
