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
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw StoreError.io(path: url.path, detail: "cannot read it")
        }
        defer { try? handle.close() }
        var lines = LineReader(handle)
        return try importLines(from: &lines, source: source, now: now, policy: policy, progress: progress)
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
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw StoreError.io(path: url.path, detail: "cannot read it")
        }
        defer { try? handle.close() }
        var lines = LineReader(handle)
        return try importLines(from: &lines, source: source, now: now, policy: policy, adopting: adoption, progress: progress)
    }

    private func importLines(
        from lines: inout LineReader, source: String, now: Instant?, policy: Policy, adopting: RosterAdoptionRequest?,
        progress: (Int64) -> Void
    ) throws -> ImportOutcome {
        try requireWritable()
        let now = now ?? Instant(secondsSinceEpoch: Int64(Date().timeIntervalSince1970.rounded(.down)))
        return try withTranslatedErrors {
            try database.write { db in
                var importer = try LogImporter(db: db, source: source, now: now, policy: policy, projections: projections)
                if adopting != nil { importer.adoption = RosterAdoption() }
                var lineNumber = 0
                while var line = try lines.next() {
                    lineNumber += 1
                    if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                    // Editors on Windows start a UTF-8 file with a byte order mark.
                    if lineNumber == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
                    if line.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
                    try importer.append(line, lineNumber: lineNumber)
                    if importer.appended % Int(Self.progressInterval) == 0 { progress(Int64(importer.appended)) }
                }
                var outcome = ImportOutcome(events: importer.appended)
                if let adopting, importer.appended > 0, !importer.sawChainedLine {
                    try importer.adoptRoster(adopting, into: &outcome)
                }
                // Committed before the log, so that no sealed event is ever without its key.
                try requireKeys().insert(importer.newKeys)
                try importer.writer.finish()
                return outcome
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

/// Checks and inserts imported lines inside one write transaction.
private struct LogImporter {
    let db: Database
    let source: String
    /// No line may be dated later: the clock read once, when the import began.
    let now: Instant
    let policy: Policy
    var writer: LogWriter
    var head: SQLiteEventStore.Head { writer.head }
    var states: [CaseID: CaseState] = [:]
    var lastCommand: (id: String, caseID: String, type: String)?
    var appended = 0
    /// Keys of the persons whose plain data this import sealed.
    var newKeys: [PersonKey] = []
    /// The names the file brings, when its import adds them to the roster.
    var adoption: RosterAdoption?
    /// A line carried a hash: the file is an export of a Sinmungo log, with its own roster.
    var sawChainedLine = false

    init(db: Database, source: String, now: Instant, policy: Policy, projections: [any Projection.Type]) throws {
        self.db = db
        self.source = source
        self.now = now
        self.policy = policy
        writer = try LogWriter(db: db, projections: projections)
    }

    mutating func append(_ bytes: Data, lineNumber: Int) throws {
        func refuse(_ reason: String) -> ImportRefusal {
            ImportRefusal(source: source, line: lineNumber, reason: reason)
        }
        let line: LogLine
        do {
            line = try LogLine(parsing: bytes)
        } catch {
            throw refuse(error.reason)
        }
        let sequence = head.sequence + 1
        if let given = line.sequence, given != sequence {
            throw refuse("seq is \(given), but the next event in the log is \(sequence)")
        }
        let caseID = CaseID(line.caseID)
        guard caseID.isWellFormed else {
            throw refuse("case id \"\(line.caseID)\" must be 1 to 64 letters, digits, '.', '_' or '-'")
        }
        guard !line.actor.allSatisfy(\.isWhitespace) else { throw refuse("actor must not be empty") }
        guard !line.commandID.allSatisfy(\.isWhitespace) else { throw refuse("commandId must not be empty") }
        try checkCommandID(line, refuse: refuse)
        guard let occurredAt = Instant(iso8601: line.occurredAt) else {
            throw refuse("occurredAt \"\(line.occurredAt)\" is not an ISO 8601 time")
        }
        guard let recordedAt = Instant(iso8601: line.recordedAt) else {
            throw refuse("recordedAt \"\(line.recordedAt)\" is not an ISO 8601 time")
        }
        if occurredAt > now {
            throw refuse("occurredAt \(occurredAt) is later than now (\(now))")
        }
        if recordedAt > now {
            throw refuse("recordedAt \(recordedAt) is later than now (\(now))")
        }
        if occurredAt > recordedAt {
            throw refuse("occurredAt \(occurredAt) is later than recordedAt \(recordedAt)")
        }
        if let previous = head.recordedAt, recordedAt < previous {
            throw refuse("recordedAt \(recordedAt) is earlier than the previous event's \(previous)")
        }
        var event: CaseEvent
        do {
            event = try EventCodec.decode(type: line.type, schemaVersion: line.schemaVersion, payload: line.payload)
        } catch {
            throw refuse(error.description)
        }
        // A chained line keeps its bytes, or its hashes would no longer hold; text from another
        // system is brought into NFC on the way in.
        let isChained = line.hash != nil || line.previousHash != nil
        var actor = line.actor
        var schemaVersion = line.schemaVersion
        if !isChained {
            // Written in the current schema, as the old one's bytes no longer match. (Swift's
            // `==` on strings holds NFC and NFD equal, so the bytes are what is compared.)
            if event.textFields.contains(where: { !$0.text.isNFC }) {
                event = event.normalizingText
                schemaVersion = EventCodec.currentSchemaVersion(for: event.type)
            }
            actor = actor.nfc
        }
        let state = try self.state(of: caseID)
        guard line.caseVersion == state.version + 1 else {
            throw refuse(
                "case \(caseID) is at version \(state.version), so the next event must have caseVersion \(state.version + 1), not \(line.caseVersion)"
            )
        }
        do {
            try Lifecycle.checkMetadata(actor: actor, commandID: line.commandID, case: caseID, policy: policy)
            try Lifecycle.checkPlausibility(event, occurredAt: occurredAt, now: now, on: state, policy: policy)
            try Lifecycle.check(event, occurredAt: occurredAt, on: state) { try self.state(of: $0) }
        } catch let refusal as Refusal {
            throw refuse(refusal.description)
        }
        // A log without hashes comes from another system and is sealed on the way in; a
        // chained one keeps its bytes, or its hashes would no longer hold.
        if line.hash == nil, line.previousHash == nil, event.holdsPlainPersonalData {
            event = try PersonalDataSeal.sealing(event, caseID: caseID, caseVersion: line.caseVersion, into: &newKeys)
            schemaVersion = EventCodec.currentSchemaVersion(for: event.type)
        }
        let recorded = RecordedEvent(
            sequence: sequence, caseID: caseID, caseVersion: line.caseVersion, schemaVersion: schemaVersion,
            occurredAt: occurredAt, recordedAt: recordedAt, actor: actor, commandID: line.commandID, event: event,
            account: line.account
        )
        // An older schema version is stored as it came, so that its hash still holds.
        let stored = writer.chained(
            recorded, keepingData: schemaVersion != EventCodec.currentSchemaVersion(for: event.type) ? line.data : nil)
        if let given = line.previousHash, given.lowercased() != EventHash.hex(stored.previousHash) {
            throw refuse("prevHash does not match the hash of event \(head.sequence)")
        }
        if let given = line.hash, given.lowercased() != EventHash.hex(stored.hash) {
            throw refuse("hash does not match the event's contents")
        }
        try writer.write(stored, of: recorded)
        states[caseID] = state.applying(event, occurredAt: occurredAt)
        lastCommand = (line.commandID, line.caseID, line.type)
        appended += 1
        adoption?.collect(recorded)
        if isChained { sawChainedLine = true }
    }

    /// Appends the roster entries the file's names call for, after its last line, checked as
    /// `roster adopt` checks them; leaves the roster alone once it has an administrator.
    mutating func adoptRoster(_ request: RosterAdoptionRequest, into outcome: inout ImportOutcome) throws {
        guard let adoption else { return }
        var state = try state(of: Roster.streamID)
        let roster = Roster(
            replaying: try SQLiteEventStore.storedEvents(
                db, where: "case_id = ? ORDER BY case_version", [Roster.streamID.rawValue]
            ).map { try $0.decoded() })
        guard roster.needsAdministrator else {
            outcome.rosterKeptByAdministrator = true
            return
        }
        let (changes, departments, officers) = adoption.changes(to: roster, reason: request.reason)
        guard !changes.isEmpty else { return }
        let recordedAt = max(now, head.recordedAt ?? now)
        let occurredAt = request.metadata.occurredAt ?? now
        for change in changes {
            let event = CaseEvent.roster(change)
            try Lifecycle.checkPlausibility(event, occurredAt: occurredAt, now: recordedAt, on: state, policy: policy)
            try Lifecycle.check(event, occurredAt: occurredAt, on: state) { try self.state(of: $0) }
            let recorded = RecordedEvent(
                sequence: head.sequence + 1, caseID: Roster.streamID, caseVersion: state.version + 1,
                occurredAt: occurredAt, recordedAt: recordedAt, actor: request.metadata.actor,
                commandID: request.metadata.commandID, event: event)
            try writer.write(writer.chained(recorded), of: recorded)
            state.apply(event, occurredAt: occurredAt)
        }
        states[Roster.streamID] = state
        outcome.adoptedDepartments = departments
        outcome.adoptedOfficers = officers
    }

    /// A command id is used once. The commands that yield several events (an endorsement
    /// that qualifies a petition, a change of several roster entries) write them on
    /// consecutive lines of the same case or stream.
    private func checkCommandID(_ line: LogLine, refuse: (String) -> ImportRefusal) throws {
        if let last = lastCommand, last.id == line.commandID {
            guard last.caseID == line.caseID,
                (last.type == EventType.endorsed.rawValue && line.type == EventType.qualified.rawValue)
                    || line.caseID == Roster.streamID.rawValue
            else {
                throw refuse(
                    "command id \(line.commandID) was already used on the line before, for a \(last.type) event of case \(last.caseID)"
                )
            }
            return
        }
        if let sequence = try Int64.fetchOne(
            try db.cachedStatement(sql: "SELECT seq FROM event WHERE command_id = ? LIMIT 1"), arguments: [line.commandID])
        {
            throw refuse("command id \(line.commandID) is already in the log, at event \(sequence)")
        }
    }

    private mutating func state(of id: CaseID) throws -> CaseState {
        if let known = states[id] { return known }
        let events = try SQLiteEventStore.storedEvents(db, where: "case_id = ? ORDER BY case_version", [id.rawValue])
        let state = CaseState(id: id, replaying: try events.map { try $0.decoded() })
        states[id] = state
        return state
    }
}

/// The lines of a file or of bytes in memory, without their newline; the last line may lack one.
struct LineReader {
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
