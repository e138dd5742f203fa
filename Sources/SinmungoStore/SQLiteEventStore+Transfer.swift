import Foundation
internal import GRDB
import SinmungoCore

/// A line of an imported log that was refused; nothing of the file was written.
public struct ImportRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    public var source: String
    public var line: Int
    public var reason: String

    public init(source: String, line: Int, reason: String) {
        self.source = source
        self.line = line
        self.reason = reason
    }

    public var description: String {
        "\(source), line \(line): \(reason); nothing was imported"
    }
}

extension SQLiteEventStore {
    /// Appends a JSON Lines log, all or nothing, checking every line as a new step would be
    /// checked (sequence, versions, lifecycle, references, times, command ids, hashes).
    /// Returns the number of events appended. No line may be dated after `now` (default: the
    /// wall clock, read once).
    @discardableResult
    public func importLog(
        _ contents: Data, source: String, now: Instant? = nil, policy: Policy = .yeongdeungpo,
        progress: (Int64) -> Void = { _ in }
    ) throws -> Int {
        var lines = LineReader(contents)
        return try importLines(from: &lines, source: source, now: now, policy: policy, progress: progress)
    }

    /// The same, streaming the file a few megabytes at a time, so that its size does not matter.
    @discardableResult
    public func importLog(
        at url: URL, source: String, now: Instant? = nil, policy: Policy = .yeongdeungpo,
        progress: (Int64) -> Void = { _ in }
    ) throws -> Int {
        try LineReader.reading(url) { lines in
            try importLines(from: &lines, source: source, now: now, policy: policy, progress: progress)
        }
    }

    private func importLines(
        from lines: inout LineReader, source: String, now: Instant?, policy: Policy, progress: (Int64) -> Void
    ) throws -> Int {
        try importLines(from: &lines, source: source, now: now, policy: policy, adopting: nil, progress: progress).events
    }

    /// Appends a JSON Lines log as `importLog` does and, when it comes from another system
    /// (no line carries a hash) and the roster has no administrator yet, adds the departments
    /// and people it names to the roster in the same transaction, so that the file and its
    /// roster entries are written together or not at all.
    public func importLog(
        at url: URL, source: String, now: Instant? = nil, policy: Policy = .yeongdeungpo,
        adoptingRoster adoption: RosterAdoptionRequest?, progress: (Int64) -> Void = { _ in }
    ) throws -> ImportOutcome {
        try LineReader.reading(url) { lines in
            try importLines(from: &lines, source: source, now: now, policy: policy, adopting: adoption, progress: progress)
        }
    }

    /// `interval`: events between two sweeps of the import's quiet case states; `keyBatch`:
    /// keys sealed before they are stored.
    func importLog(
        _ contents: Data, source: String, now: Instant?, sweepingEvery interval: Int,
        keepingKeysEvery keyBatch: Int = PersonKeyStore.importBatch
    )
        throws -> ImportOutcome
    {
        var lines = LineReader(contents)
        return try importLines(
            from: &lines, source: source, now: now, policy: .yeongdeungpo, adopting: nil, sweepingEvery: interval,
            keepingKeysEvery: keyBatch, progress: { _ in })
    }

    private func importLines(
        from lines: inout LineReader, source: String, now: Instant?, policy: Policy, adopting: RosterAdoptionRequest?,
        sweepingEvery interval: Int = Int(SpilledViews.flushInterval),
        keepingKeysEvery keyBatch: Int = PersonKeyStore.importBatch,
        progress: (Int64) -> Void
    ) throws -> ImportOutcome {
        try requireWritable()
        let now = now ?? Instant(secondsSinceEpoch: Int64(Date().timeIntervalSince1970.rounded(.down)))
        return try withTranslatedErrors {
            try database.write { db in
                // The keys' transaction commits first, so that no sealed event is ever without its key.
                try requireKeys().inWriteTransaction { keys in
                    let writer = try LogWriter(db: db, projections: projections)
                    let head = ImportHead(
                        sequence: writer.head.sequence, hash: writer.head.hash, recordedAt: writer.head.recordedAt)
                    var importer = LogImporter(
                        ledger: SQLiteImportLedger(db: db, writer: writer, keys: keys), head: head, source: source, now: now,
                        policy: policy, sweepingEvery: interval, keepingKeysEvery: keyBatch)
                    let outcome = try importer.importLines(from: &lines, adopting: adopting, progress: progress)
                    try importer.ledger.writer.finish()
                    return outcome
                }
            }
        }
    }

    /// Writes the whole log as JSON Lines, one event a line, in sequence order.
    public func exportLog(_ write: (String) throws -> Void) throws {
        try forEachStoredEvent { event in
            try write(LogLine.format(event) + "\n")
        }
    }
}

/// The SQLite store's side of an import: its event table and views, in one write transaction.
struct SQLiteImportLedger: ImportLedger {
    let db: Database
    var writer: LogWriter
    /// Whether the log had events before the import. When it had none, a case is stored only
    /// once the import has written it, and a command id is in the log only once the import
    /// has written it: a miss in the filters below is known without asking the database.
    private let hadEvents: Bool
    /// The streams and cases this import wrote, while the log had no events before.
    private let writtenCases = MembershipFilter()
    /// The command ids this import wrote, while the log had no events before: a "perhaps",
    /// a rare false one or a real reuse, is asked of the database.
    private let writtenCommands = MembershipFilter()
    /// The key store's transaction the import holds open, into which its keys go.
    let keys: PersonKeyWriter

    init(db: Database, writer: LogWriter, keys: PersonKeyWriter) {
        self.db = db
        self.writer = writer
        self.keys = keys
        hadEvents = writer.head.sequence > 0
    }

    func keep(_ keys: [PersonKey]) throws { try self.keys.insert(keys) }

    func storedEvents(of caseID: CaseID) throws -> [StoredEvent] {
        guard hadEvents || writtenCases.mightContain(caseID.rawValue) else { return [] }
        return try SQLiteEventStore.storedEvents(db, where: "case_id = ? ORDER BY case_version", [caseID.rawValue])
    }

    func sequence(ofCommand commandID: String) throws -> Int64? {
        guard hadEvents || writtenCommands.mightContain(commandID) else { return nil }
        return try Int64.fetchOne(
            try db.cachedStatement(sql: "SELECT seq FROM event WHERE command_id = ? LIMIT 1"), arguments: [commandID])
    }

    mutating func write(_ stored: StoredEvent, of event: RecordedEvent) throws {
        try writer.write(stored, of: event)
        if !hadEvents {
            writtenCases.insert(event.caseID.rawValue)
            writtenCommands.insert(stored.commandID)
        }
    }
}

/// The lines of a file or of bytes in memory, without their newline; the last line may lack one.
struct LineReader {
    /// Runs `body` on the lines of the file at `url`, read a few megabytes at a time.
    static func reading<Result>(_ url: URL, _ body: (inout LineReader) throws -> Result) throws -> Result {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw StoreError.io(path: url.path, detail: "cannot read it")
        }
        defer { try? handle.close() }
        var lines = LineReader(handle)
        return try body(&lines)
    }

    private var buffer = Data()
    private var start = 0
    private var finished = false
    private let read: () throws -> Data?

    init(_ contents: Data) {
        buffer = contents
        finished = true
        read = { nil }
    }

    init(_ handle: FileHandle) {
        read = {
            do {
                return try handle.read(upToCount: 4 << 20)
            } catch {
                throw StoreError.io(path: "the import file", detail: "it could not be read: \(error.localizedDescription)")
            }
        }
    }

    mutating func next() throws -> Data? {
        while true {
            let from = start
            let newline = buffer.withUnsafeBytes { bytes -> Int? in
                guard from < bytes.count, let base = bytes.baseAddress,
                    let found = memchr(base + from, 10, bytes.count - from)
                else { return nil }
                return base.distance(to: UnsafeRawPointer(found))
            }
            if let newline {
                let line = buffer[(buffer.startIndex + start)..<(buffer.startIndex + newline)]
                start = newline + 1
                return Data(line)
            }
            // A line past the limit is handed over as it is, to be refused for its size.
            if buffer.count - start > LogLine.maximumLength {
                let line = buffer[(buffer.startIndex + start)...]
                start = buffer.count
                return Data(line)
            }
            if finished {
                guard buffer.startIndex + start < buffer.endIndex else { return nil }
                let line = buffer[(buffer.startIndex + start)...]
                start = buffer.count
                return Data(line)
            }
            // Keep the partial line, drop what was read, and append the next chunk.
            buffer = Data(buffer[(buffer.startIndex + start)...])
            start = 0
            if let chunk = try read(), !chunk.isEmpty {
                buffer.append(chunk)
            } else {
                finished = true
            }
        }
    }
}
