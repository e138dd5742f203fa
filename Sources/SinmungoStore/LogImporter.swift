import Foundation
import SinmungoCore

/// Where an import's checked events go, and the store's events it checks them against:
/// SQLite's event table, or a PostgreSQL office sent rows by COPY.
public protocol ImportLedger {
    /// A case's or stream's stored events, in version order, to replay its state. Asked once a
    /// case, before the import writes to it; and for the roster stream once more, after the file.
    mutating func storedEvents(of caseID: CaseID) throws -> [StoredEvent]
    /// The sequence of an event that already used `commandID`, in the store or this import.
    mutating func sequence(ofCommand commandID: String) throws -> Int64?
    /// Writes `stored`, checked and chained after the head.
    mutating func write(_ stored: StoredEvent, of event: RecordedEvent) throws
    /// Stores the keys the import has sealed personal data with since the last call, in a
    /// transaction that commits with the import's, or before it, never after.
    mutating func keep(_ keys: [PersonKey]) throws
}

/// The last event of a log, which an import continues.
public struct ImportHead: Sendable {
    public var sequence: Int64
    public var hash: [UInt8]
    public var recordedAt: Instant?

    public init(sequence: Int64, hash: [UInt8], recordedAt: Instant?) {
        self.sequence = sequence
        self.hash = hash
        self.recordedAt = recordedAt
    }
}

/// Checks imported lines as a new step would be checked (sequence, versions, lifecycle,
/// references, times, command ids, hashes) and hands each to its ledger; one refusal names
/// the line, and the caller rolls back whatever was handed over.
public struct LogImporter<Ledger: ImportLedger> {
    public var ledger: Ledger
    let source: String
    /// No line may be dated later: the clock read once, when the import began.
    let now: Instant
    let policy: Policy
    public private(set) var head: ImportHead
    /// The states of the cases touched lately. One quiet for a sweep interval is dropped, and
    /// replayed from the ledger if touched again, so that memory does not grow with the file.
    var states: [CaseID: CaseState] = [:]
    /// The cases touched since the last sweep: their states stay.
    private var touched: Set<CaseID> = []
    let sweepInterval: Int
    var lastCommand: (id: String, caseID: String, type: String)?
    public private(set) var appended = 0
    /// Keys of the persons whose plain data this import sealed, not yet handed to the ledger.
    private var newKeys: [PersonKey] = []
    /// How many keys are handed to the ledger at once.
    let keyBatch: Int
    /// The names the file brings, when its import adds them to the roster.
    var adoption: RosterAdoption?
    /// A line carried a hash: the file is an export of a Sinmungo log, with its own roster.
    public private(set) var sawChainedLine = false

    public init(
        ledger: Ledger, head: ImportHead, source: String, now: Instant?, policy: Policy,
        sweepingEvery sweepInterval: Int = Int(SpilledViews.flushInterval), keepingKeysEvery keyBatch: Int = PersonKeyStore.importBatch
    ) {
        self.ledger = ledger
        self.sweepInterval = sweepInterval
        self.keyBatch = keyBatch
        self.head = head
        self.source = source
        self.now = now ?? Instant(secondsSinceEpoch: Int64(Date().timeIntervalSince1970.rounded(.down)))
        self.policy = policy
    }

    /// Checks and hands over every line of the file at `url`, read a few megabytes at a time,
    /// then adds the roster entries `adopting` calls for.
    public mutating func importFile(
        at url: URL, adopting: RosterAdoptionRequest?, progress: (Int64) -> Void
    ) throws -> ImportOutcome {
        try LineReader.reading(url) { lines in try importLines(from: &lines, adopting: adopting, progress: progress) }
    }

    mutating func importLines(
        from lines: inout LineReader, adopting: RosterAdoptionRequest?, progress: (Int64) -> Void
    ) throws -> ImportOutcome {
        if adopting != nil { adoption = RosterAdoption() }
        // Lines are parsed on a second thread while this one checks and writes the ones before.
        var ahead = WorkAhead<[(line: PreparedLine, number: Int)]>()
        defer { ahead.finish() }
        func checkOldest() throws {
            for (line, number) in ahead.takeOldest() {
                try append(line, lineNumber: number)
                if appended % Int(SQLiteEventStore.progressInterval) == 0 { progress(Int64(appended)) }
            }
        }
        var batch: [(bytes: Data, number: Int)] = []
        var lineNumber = 0
        while var line = try lines.next() {
            lineNumber += 1
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            // Editors on Windows start a UTF-8 file with a byte order mark.
            if lineNumber == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
            if line.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            batch.append((line, lineNumber))
            guard batch.count == Self.linesParsedAtOnce else { continue }
            ahead.start { [batch] in batch.map { (PreparedLine($0.bytes), $0.number) } }
            batch.removeAll(keepingCapacity: true)
            if ahead.isFull { try checkOldest() }
        }
        if !batch.isEmpty { ahead.start { [batch] in batch.map { (PreparedLine($0.bytes), $0.number) } } }
        while !ahead.isEmpty { try checkOldest() }
        var outcome = ImportOutcome(events: appended)
        if let adopting, appended > 0, !sawChainedLine {
            try adoptRoster(adopting, into: &outcome)
        }
        try keepNewKeys()
        return outcome
    }

    /// Lines handed to the second thread at once.
    static var linesParsedAtOnce: Int { 1024 }

    mutating func append(_ bytes: Data, lineNumber: Int) throws {
        try append(PreparedLine(bytes), lineNumber: lineNumber)
    }

    /// Checks a line in the order a refusal is reported: what was parsed ahead is only looked at here.
    mutating func append(_ input: PreparedLine, lineNumber: Int) throws {
        let source = source
        func refuse(_ reason: String) -> ImportRefusal {
            ImportRefusal(source: source, line: lineNumber, reason: reason)
        }
        let prepared: PreparedLine.Parsed
        switch input.parsed {
        case .success(let parsed): prepared = parsed
        case .failure(let problem): throw refuse(problem.reason)
        }
        let line = prepared.line
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
        guard let occurredAt = prepared.occurredAt else {
            throw refuse("occurredAt \"\(line.occurredAt)\" is not an ISO 8601 time")
        }
        guard let recordedAt = prepared.recordedAt else {
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
        switch prepared.event {
        case .success(let decoded): event = decoded
        case .failure(let failure): throw refuse(failure.description)
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
            if newKeys.count >= keyBatch { try keepNewKeys() }
            schemaVersion = EventCodec.currentSchemaVersion(for: event.type)
        }
        let recorded = RecordedEvent(
            sequence: sequence, caseID: caseID, caseVersion: line.caseVersion, schemaVersion: schemaVersion,
            occurredAt: occurredAt, recordedAt: recordedAt, actor: actor, commandID: line.commandID, event: event,
            account: line.account
        )
        // An older schema version is stored as it came, so that its hash still holds.
        let stored = chained(
            recorded, keepingData: schemaVersion != EventCodec.currentSchemaVersion(for: event.type) ? line.data : nil)
        if let given = line.previousHash, given.lowercased() != EventHash.hex(stored.previousHash) {
            throw refuse("prevHash does not match the hash of event \(head.sequence)")
        }
        if let given = line.hash, given.lowercased() != EventHash.hex(stored.hash) {
            throw refuse("hash does not match the event's contents")
        }
        try write(stored, of: recorded)
        states[caseID] = state.applying(event, occurredAt: occurredAt)
        lastCommand = (line.commandID, line.caseID, line.type)
        appended += 1
        if appended % sweepInterval == 0 { sweepQuietStates() }
        adoption?.collect(recorded)
        if isChained { sawChainedLine = true }
    }

    /// `event` as the log would store it next. `data` keeps bytes that came with an event of an
    /// older schema version, so that its hash still holds.
    private func chained(_ event: RecordedEvent, keepingData data: String? = nil) -> StoredEvent {
        var stored = SQLiteEventStore.stored(event, after: head.hash)
        if let data, data != stored.data {
            stored.data = data
            stored.hash = stored.expectedHash
        }
        return stored
    }

    private mutating func write(_ stored: StoredEvent, of event: RecordedEvent) throws {
        try ledger.write(stored, of: event)
        head = ImportHead(sequence: stored.sequence, hash: stored.hash, recordedAt: event.recordedAt)
    }

    /// Appends the roster entries the file's names call for, after its last line, checked as
    /// `roster adopt` checks them; leaves the roster alone once it has an administrator.
    mutating func adoptRoster(_ request: RosterAdoptionRequest, into outcome: inout ImportOutcome) throws {
        guard let adoption else { return }
        var state = try state(of: Roster.streamID)
        let roster = Roster(replaying: try ledger.storedEvents(of: Roster.streamID).map { try $0.decoded() })
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
            try write(chained(recorded), of: recorded)
            state.apply(event, occurredAt: occurredAt)
        }
        states[Roster.streamID] = state
        outcome.adoptedDepartments = departments
        outcome.adoptedOfficers = officers
    }

    /// A command id is used once. The commands that yield several events (an endorsement
    /// that qualifies a petition, a change of several roster entries) write them on
    /// consecutive lines of the same case or stream.
    private mutating func checkCommandID(_ line: LogLine, refuse: (String) -> ImportRefusal) throws {
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
        if let sequence = try ledger.sequence(ofCommand: line.commandID) {
            throw refuse("command id \(line.commandID) is already in the log, at event \(sequence)")
        }
    }

    private mutating func state(of id: CaseID) throws -> CaseState {
        touched.insert(id)
        if let known = states[id] { return known }
        let state = CaseState(id: id, replaying: try ledger.storedEvents(of: id).map { try $0.decoded() })
        states[id] = state
        return state
    }

    private mutating func keepNewKeys() throws {
        guard !newKeys.isEmpty else { return }
        try ledger.keep(newKeys)
        newKeys.removeAll(keepingCapacity: true)
    }

    /// Drops the states of the cases not touched since the last sweep.
    private mutating func sweepQuietStates() {
        states = states.filter { touched.contains($0.key) }
        touched.removeAll(keepingCapacity: true)
    }
}

/// A line parsed, its times read and its event decoded, each as far as it goes: work that
/// needs nothing of the lines before, done on a second thread. What it found wrong is
/// reported only when the line's checks reach it, so refusals come in the same order.
struct PreparedLine: Sendable {
    struct Parsed: Sendable {
        let line: LogLine
        let occurredAt: Instant?
        let recordedAt: Instant?
        let event: Result<CaseEvent, EventCodec.DecodingFailure>
    }

    let parsed: Result<Parsed, LogLine.Problem>

    init(_ bytes: Data) {
        parsed = Result { () throws(LogLine.Problem) in
            let line = try LogLine(parsing: bytes)
            return Parsed(
                line: line, occurredAt: Instant(iso8601: line.occurredAt), recordedAt: Instant(iso8601: line.recordedAt),
                event: Result { () throws(EventCodec.DecodingFailure) in
                    try EventCodec.decode(type: line.type, schemaVersion: line.schemaVersion, payload: line.payload)
                })
        }
    }
}
