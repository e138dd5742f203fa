import ArgumentParser
import Foundation
import SinmungoCore
import SinmungoPostgres
import SinmungoStore
import SinmungoViews

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create an empty log (nothing changes if one is already there).")
    @OptionGroup var store: StoreOptions

    func run() throws {
        try store.checkBackendOptions()
        if store.isServer {
            let log = try PostgresEventStore.create(address: store.path, office: store.officeName)
            print("the log at \(PostgresConnectionAddress.redacted(store.path)) is set up; office \(log.office) holds \(try log.head().sequence) events")
            return
        }
        let (log, created) = try SQLiteEventStore.create(at: store.path, keysPath: store.keysPath, projections: StoreOptions.projections)
        let head = try log.head()
        if created {
            print("created an empty log at \(store.path)")
        } else {
            print("\(store.path) already holds a log with \(head.sequence) events; nothing changed")
        }
    }
}

/// Refuses, with the right status, an input path that is missing or a folder.
func checkInputFile(_ path: String) throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw CommandLineFailure.missingFile(path)
    }
    guard !isDirectory.boolValue else { throw CommandLineFailure.io("\(path) is a folder, not a file") }
}

/// Reads a whole input file, or refuses with the right status.
func readInputFile(_ path: String) throws -> Data {
    try checkInputFile(path)
    guard let data = FileManager.default.contents(atPath: path) else {
        throw CommandLineFailure.io("cannot read \(path)")
    }
    return data
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Append a JSON Lines log, all or nothing.",
        discussion:
            "Every line is checked as a new step would be; one bad line refuses the whole file, naming the line, and nothing is written."
    )
    @OptionGroup var store: StoreOptions
    @Argument(help: "The JSON Lines file, as written by `export`.") var file: String

    func run() throws {
        try checkInputFile(file)
        let log = try store.openStore()
        let bar = ProgressBar("import", total: ProgressBar.isEnabled ? try Self.countLines(of: file) : nil)
        // A log from another system has no roster: its departments and actors start one, in
        // the import's own transaction. A chained export carries its own, and adding to it
        // would break export → import → export.
        let account = try log.actingAccount()
        let outcome = try log.importLog(
            at: URL(fileURLWithPath: file), source: file, now: currentInstant(), policy: .yeongdeungpo,
            adoptingRoster: RosterAdoptionRequest(
                reason: "imported from \((file as NSString).lastPathComponent)",
                metadata: CommandMetadata(actor: account, commandID: UUID().uuidString.lowercased(), account: account))
        ) {
            bar.update($0)
        }
        bar.finish(Int64(outcome.events))
        let head = try log.head()
        print("imported \(outcome.events) events; log head \(head.sequence):\(EventHash.hex(head.hash))")
        if outcome.rosterKeptByAdministrator {
            printError(
                "the roster has an administrator, so the file's departments and officers were not added to it; an administrator adds them with `sinmungo roster adopt`"
            )
        } else if !outcome.adoptedDepartments.isEmpty || !outcome.adoptedOfficers.isEmpty {
            printRosterAdoption(departments: outcome.adoptedDepartments, officers: outcome.adoptedOfficers)
        }
    }

    /// Lines in the file, for the progress bar's time left.
    private static func countLines(of path: String) throws -> Int64 {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CommandLineFailure.io("cannot read \(path)") }
        defer { try? handle.close() }
        var lines: Int64 = 0
        while let chunk = try handle.read(upToCount: 8 << 20), !chunk.isEmpty {
            lines += Int64(chunk.withUnsafeBytes { $0.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } })
        }
        return lines
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the whole log as JSON Lines, with its hash chain; export → import → export is byte-identical.")
    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "path")) var out: String?

    func run() throws {
        let log = try store.openStore(.readOnly)
        if let out {
            let temporary = out + ".partial"
            guard FileManager.default.createFile(atPath: temporary, contents: nil),
                let handle = FileHandle(forWritingAtPath: temporary)
            else { throw CommandLineFailure.io("cannot write \(out)") }
            do {
                try log.exportLog { try handle.write(contentsOf: Data($0.utf8)) }
                try handle.synchronize()
                try handle.close()
                // rename(2) replaces atomically: readers of `out` never see half an export.
                guard rename(temporary, out) == 0 else {
                    throw CommandLineFailure.io("cannot write \(out): \(String(cString: strerror(errno)))")
                }
            } catch let failure as CommandLineFailure {
                try? FileManager.default.removeItem(atPath: temporary)
                throw failure
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw CommandLineFailure.io("cannot write \(out): \(error.localizedDescription)")
            }
        } else {
            var buffer = Data()
            try log.exportLog { line in
                buffer.append(contentsOf: line.utf8)
                if buffer.count > 1 << 16 {
                    FileHandle.standardOutput.write(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            FileHandle.standardOutput.write(buffer)
        }
    }
}

struct Rebuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild", abstract: "Drop every view and replay it from the log.")
    @OptionGroup var store: StoreOptions

    func run() throws {
        let log = try store.openStore()
        let bar = ProgressBar("rebuild", total: try log.head().sequence)
        let replayed = try log.rebuildViews { bar.update($0) }
        bar.finish(replayed)
        print("rebuilt the views from \(replayed) events")
    }
}

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Check a JSON Lines log in memory and print its counts, writing nothing.",
        discussion:
            "Runs every check `import` runs, on a database held in memory, so a log can be examined without a database file."
    )
    @OptionGroup var read: ReadOptions
    @Argument(help: "The JSON Lines file.") var file: String
    @Option(help: "Count only what was filed, held or posted in this KST year.", transform: parseYear) var year: Int?
    @ParentCommand var sinmungo: Sinmungo

    func validate() throws {
        // The root takes --db and --keys for every other command; replay opens no database.
        if sinmungo.store.db != nil || sinmungo.store.keys != nil {
            throw ValidationError("replay checks the file in memory and takes no --db or --keys")
        }
        if sinmungo.store.office != nil {
            throw ValidationError("replay checks the file in memory and takes no --office")
        }
    }

    func run() throws {
        let contents = try readInputFile(file)
        let log = try SQLiteEventStore.inMemory(projections: StoreOptions.projections)
        try log.importLog(contents, source: file, now: currentInstant())
        let head = try log.head()
        // A file that carries its chain replays to its own head. One without it (a legacy log)
        // is sealed under fresh keys in memory, so its head differs every run: the file's own
        // SHA-256 is what a person can check and keep.
        let carriesChain = Self.lastLineHash(of: contents) == EventHash.hex(head.hash)
        var report = CountsReport(counts: CaseCounts(try log.summaries(), year: year), year: year, head: head)
        report.input = CountsReport.Input(file: file, sha256: EventHash.sha256Hex(contents), carriesChain: carriesChain)
        if !carriesChain { report.logHead = nil }
        try report.print(format: read.format)
    }

    /// The `hash` of the file's last line, when it has one.
    static func lastLineHash(of contents: Data) -> String? {
        // Read back from the end: only the last line that is not blank matters.
        let isBlank = { (byte: UInt8) in byte == 32 || byte == 9 || byte == 13 || byte == 10 }
        guard let end = contents.lastIndex(where: { !isBlank($0) }) else { return nil }
        let start = contents[..<end].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? contents.startIndex
        guard let object = try? JSONSerialization.jsonObject(with: Data(contents[start...end])) as? [String: Any] else {
            return nil
        }
        return object["hash"] as? String
    }
}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a deterministic synthetic log into an empty database, for load tests and benchmarks.",
        discussion: """
            About five events a case: petitions, sessions with their proposals, and records, filed \
            evenly over five years from 2019 and taken through the lifecycle. The same --cases and \
            --seed always give the same cases and steps (sealed personal data differs by its random keys).
            """
    )
    @OptionGroup var store: StoreOptions
    @Option(parsing: .unconditional, help: "How many cases (2,000,000 give about ten million events).") var cases: Int
    @Option(help: "The seed of the generator.") var seed: UInt64 = 1

    func validate() throws {
        guard cases > 0 else { throw ValidationError("--cases must be at least 1, not \(cases)") }
        // Half a billion events is far past any load test, and keeps every count in range.
        guard cases <= 100_000_000 else { throw ValidationError("--cases must be at most 100000000, not \(cases)") }
    }

    func run() throws {
        if store.isServer {
            throw CommandLineFailure.usage(
                "generate writes an SQLite file; to load a server, generate into a file, export it and import that")
        }
        let (log, _) = try SQLiteEventStore.create(at: store.path, keysPath: store.keysPath, projections: StoreOptions.projections)
        let bar = ProgressBar("generate", total: Int64(cases) * 5)
        let written = try log.generate(SyntheticLog(cases: cases, seed: seed)) { bar.update($0) }
        bar.finish(written)
        let head = try log.head()
        print("generated \(cases) cases, \(written) events; log head \(head.sequence):\(EventHash.hex(head.hash))")
    }
}
