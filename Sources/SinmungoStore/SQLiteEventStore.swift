import Foundation
internal import GRDB
import SinmungoCore

/// The event log in one SQLite file (WAL, `synchronous = FULL`), with the views beside it.
///
/// Every write is one `BEGIN IMMEDIATE` transaction that appends the events and folds them
/// into the views, so a reader sees either all of a command or none of it.
public final class SQLiteEventStore: EventStore {
    public enum AccessMode: Sendable {
        case readWrite
        /// Never writes, not even to catch views up: for auditors' archived copies.
        case readOnly
    }

    public let path: String
    public let mode: AccessMode
    let database: DatabaseQueue
    /// The persons' keys; nil when a read-only open finds no key store.
    public let keys: PersonKeyStore?
    /// The views this store keeps: folded in with every write, checked by `verify`, refolded
    /// by `rebuildViews`. The store knows nothing else of them.
    public let projections: [any Projection.Type]

    /// Seconds a writer waits for another process's transaction before giving up.
    static let busyTimeout: TimeInterval = 30

    /// Opens an existing log; refuses a missing file rather than creating one. The key store
    /// is at `keysPath`, by default beside the log; only `create` makes a new one.
    public convenience init(
        openingExistingAt path: String, mode: AccessMode = .readWrite, keysPath: String? = nil,
        projections: [any Projection.Type] = []
    ) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.missing(path: path) }
        try Self.refuseFolder(at: path)
        // SQLite would take an empty file for an empty database, and a write would set it up.
        if (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == 0 {
            throw StoreError.notALog(path: path, reason: "the file is empty; `sinmungo init` sets up a log")
        }
        try self.init(
            path: path, mode: mode, keysPath: keysPath ?? PersonKeyStore.defaultPath(forLog: path), creatingKeys: false,
            projections: projections)
    }

    /// Creates a new log, or opens the one already there, with its key store (made when
    /// missing: this is the one place a key store is created). Returns whether the log was created.
    public static func create(at path: String, keysPath: String? = nil, projections: [any Projection.Type] = []) throws -> (
        store: SQLiteEventStore, created: Bool
    ) {
        try refuseFolder(at: path)
        // An empty file is where a log is set up, as with no file at all.
        let existed = ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) > 0
        let store = try SQLiteEventStore(
            path: path, mode: .readWrite, keysPath: keysPath ?? PersonKeyStore.defaultPath(forLog: path), creatingKeys: true,
            projections: projections)
        return (store, !existed)
    }

    private static func refuseFolder(at path: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw StoreError.notALog(path: path, reason: "it is a folder; give the path of the log's file")
        }
    }

    /// A log held in memory only, keys too: for tests, and for replaying a file without a database.
    public static func inMemory(projections: [any Projection.Type] = []) throws -> SQLiteEventStore {
        try SQLiteEventStore(path: nil, mode: .readWrite, keysPath: nil, creatingKeys: true, projections: projections)
    }

    /// The path of the key store this store uses, or would use.
    public let keysPath: String?

    private init(
        path: String?, mode: AccessMode, keysPath: String?, creatingKeys: Bool, projections: [any Projection.Type]
    ) throws {
        self.path = path ?? ":memory:"
        self.mode = mode
        self.keysPath = keysPath
        self.projections = projections
        var configuration = Configuration()
        configuration.label = "sinmungo"
        configuration.readonly = mode == .readOnly
        configuration.busyMode = .timeout(Self.busyTimeout)
        let path = self.path
        do {
            if path == ":memory:" {
                database = try DatabaseQueue(configuration: configuration)
            } else {
                // WAL is turned on only once the file is known to be a Sinmungo log (or empty):
                // switching another application's database to WAL would change its header.
                database = try DatabaseQueue(
                    path: mode == .readOnly ? try ReadOnlyOpening.location(of: path) : path, configuration: configuration)
            }
            try Self.checkFormat(of: database, path: path, mode: mode)
        } catch let error as DatabaseError {
            throw Self.translate(error, path: path)
        }
        keys = try Self.openKeys(at: keysPath, logPath: path, mode: mode, creating: creatingKeys, log: database)
    }

    /// The key store: created only when asked, and never for a log that already holds sealed
    /// data, whose keys are elsewhere; missing, it is refused for a write to such a log, since
    /// a new empty store would split the keys across two files.
    private static func openKeys(
        at keysPath: String?, logPath: String, mode: AccessMode, creating: Bool, log: DatabaseQueue
    ) throws -> PersonKeyStore? {
        guard let keysPath, logPath != ":memory:" else { return try PersonKeyStore(path: nil, readOnly: false) }
        if FileManager.default.fileExists(atPath: keysPath) {
            return try PersonKeyStore(path: keysPath, readOnly: mode == .readOnly)
        }
        if mode == .readWrite, try holdsSealedData(log, path: logPath) {
            throw StoreError.missingKeyStore(path: keysPath, logPath: logPath)
        }
        return creating ? try PersonKeyStore(path: keysPath, readOnly: false) : nil
    }

    /// Whether any event carries sealed personal data. Only asked when the key store is
    /// missing, so the scan costs nothing in daily use.
    private static func holdsSealedData(_ database: DatabaseQueue, path: String) throws -> Bool {
        do {
            return try database.read { db in
                try Bool.fetchOne(
                    db, sql: #"SELECT EXISTS (SELECT 1 FROM event WHERE instr(data, '"sealed":{') > 0)"#) ?? false
            }
        } catch let error as DatabaseError {
            throw translate(error, path: path)
        }
    }

    /// The key store, for steps that need it.
    func requireKeys() throws -> PersonKeyStore {
        guard let keys else {
            throw StoreError.missingKeyStore(path: keysPath ?? PersonKeyStore.defaultPath(forLog: path), logPath: path)
        }
        return keys
    }

    private static func checkFormat(of database: DatabaseQueue, path: String, mode: AccessMode) throws {
        let migrator = Schema.migrator
        let (superseded, complete, pending, isEmpty, hasLog) = try database.read { db in
            (
                try migrator.hasBeenSuperseded(db),
                try migrator.hasCompletedMigrations(db),
                Set(migrator.migrations).subtracting(try migrator.appliedIdentifiers(db)),
                // An init cut short (a full disk, a kill) may leave GRDB's own table and nothing else.
                try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb%'")
                    == 0,
                try db.tableExists("event")
            )
        }
        if superseded { throw StoreError.newerFormat(path: path) }
        guard complete || isEmpty || hasLog else {
            throw StoreError.notALog(path: path, reason: "it is an SQLite database without an event log")
        }
        guard mode == .readWrite else {
            // Reads fold from the log whatever views an older format lacks.
            if complete { return }
            if hasLog && pending.isSubset(of: Schema.viewOnlyMigrations) {
                if pending.contains(Schema.eventAccountMigration) { try Schema.readAccountlessEvents(database) }
                return
            }
            throw StoreError.readOnly(path: path, reason: "the database needs upgrading, which a read-only open cannot do")
        }
        if path != ":memory:" {
            try database.writeWithoutTransaction { db in
                guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
                    throw StoreError.io(path: path, detail: "the database cannot be switched to WAL mode")
                }
                // An officer's step must survive a power cut.
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
        }
        if !complete { try migrator.migrate(database) }
    }

    /// `PRAGMA journal_mode` and `PRAGMA synchronous` as the connection really has them.
    public func durabilitySettings() throws -> (journalMode: String, synchronous: Int) {
        try withTranslatedErrors {
            try database.read { db in
                (
                    try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
                    try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
                )
            }
        }
    }

    // MARK: EventStore

    public func events(of caseID: CaseID) throws -> [RecordedEvent] {
        try withTranslatedErrors {
            try database.read { db in
                try Self.storedEvents(db, where: "case_id = ? ORDER BY case_version", [caseID.rawValue])
                    .map { try $0.decoded() }
            }
        }
    }

    public func events(ofCommand commandID: String) throws -> [RecordedEvent]? {
        try withTranslatedErrors {
            try database.read { db in
                let events = try Self.storedEvents(db, where: "command_id = ? ORDER BY seq", [commandID])
                return events.isEmpty ? nil : try events.map { try $0.decoded() }
            }
        }
    }

    public func nextCaseID(for kind: CaseKind, year: Int) throws -> CaseID {
        let prefix = CaseID(kind: kind, year: year, number: 0).rawValue.dropLast(kind == .petition || kind == .proposal ? 4 : 3)
        // "." sorts right after "-", so the range holds exactly the ids with this prefix.
        let upper = prefix.dropLast() + "."
        return try withTranslatedErrors {
            try database.read { db in
                let highest = try Int.fetchOne(
                    db,
                    sql: """
                        SELECT max(CAST(substr(case_id, ?) AS INTEGER)) FROM event
                        WHERE case_version = 1 AND case_id >= ? AND case_id < ?
                        """,
                    arguments: [prefix.count + 1, String(prefix), String(upper)]
                )
                return CaseID(kind: kind, year: year, number: (highest ?? 0) + 1)
            }
        }
    }

    public func append(_ request: AppendRequest) throws -> [RecordedEvent] {
        try requireWritable()
        let recorded = try withTranslatedErrors {
            try database.write { db in
                let applied = try Self.storedEvents(db, where: "command_id = ? ORDER BY seq", [request.commandID])
                if !applied.isEmpty {
                    throw CommandAlreadyApplied(events: try applied.map { try $0.decoded() })
                }
                let version =
                    try Int.fetchOne(
                        db, sql: "SELECT max(case_version) FROM event WHERE case_id = ?", arguments: [request.caseID.rawValue]
                    ) ?? 0
                guard version == request.expectedVersion else {
                    throw AppendConflict(caseID: request.caseID, expectedVersion: request.expectedVersion, actualVersion: version)
                }
                var writer = try LogWriter(db: db, projections: projections)
                // Recorded time never runs backwards, even when this machine's clock is behind.
                let recordedAt = max(request.recordedAt, writer.head.recordedAt ?? request.recordedAt)
                let account = request.account ?? OperatingSystemAccount.current()
                let events = try sealingPersonalData(of: request.events, caseID: request.caseID, firstVersion: version + 1)
                var recorded: [RecordedEvent] = []
                for (offset, event) in events.enumerated() {
                    let event = RecordedEvent(
                        sequence: writer.head.sequence + 1,
                        caseID: request.caseID,
                        caseVersion: version + offset + 1,
                        occurredAt: request.occurredAt,
                        recordedAt: recordedAt,
                        actor: request.actor,
                        commandID: request.commandID,
                        event: event,
                        account: account
                    )
                    try writer.append(event)
                    recorded.append(event)
                }
                try writer.finish()
                return recorded
            }
        }
        try destroyErasedKeys(in: recorded)
        return recorded
    }

    // MARK: Head and raw events

    /// The last event's sequence number and hash: 0 and the genesis hash for an empty log.
    public func head() throws -> LogAnchor {
        try withTranslatedErrors {
            try database.read { db in
                let head = try Self.head(db)
                return LogAnchor(sequence: head.sequence, hash: head.hash)
            }
        }
    }

    public func events(inSequence range: ClosedRange<Int64>) throws -> [RecordedEvent] {
        try withTranslatedErrors {
            try database.read { db in
                try Self.storedEvents(db, where: "seq BETWEEN ? AND ? ORDER BY seq", [range.lowerBound, range.upperBound])
                    .map { try $0.decoded() }
            }
        }
    }

    /// Calls `body` with every stored event in sequence order, streaming from the file.
    public func forEachStoredEvent(_ body: (StoredEvent) throws -> Void) throws {
        try withTranslatedErrors {
            try database.read { db in
                let cursor = try Row.fetchCursor(db, sql: "SELECT \(Self.checkedEventColumns) FROM event ORDER BY seq")
                while let row = try cursor.next() {
                    try body(Self.storedEvent(row, db: db))
                }
            }
        }
    }

    // MARK: Internals shared with import, views and export

    struct Head {
        var sequence: Int64
        var hash: [UInt8]
        var recordedAt: Instant?
    }

    static func head(_ db: Database) throws -> Head {
        guard let row = try Row.fetchOne(db, sql: "SELECT seq, hash, recorded_at FROM event ORDER BY seq DESC LIMIT 1") else {
            return Head(sequence: 0, hash: EventHash.genesis, recordedAt: nil)
        }
        let recordedAt: String = row[2]
        return Head(sequence: row[0], hash: [UInt8](row[1] as Data), recordedAt: Instant(iso8601: recordedAt))
    }

    /// `account` (NULL in a layout 1 event) comes last, so the layout 1 columns keep their places.
    static let eventColumns =
        "seq, case_id, case_version, type, schema_version, occurred_at, recorded_at, actor, command_id, data, prev_hash, hash, account"

    static func storedEvents(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [StoredEvent] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT \(checkedEventColumns) FROM event WHERE \(condition)"), arguments: arguments
        )
        .map { try storedEvent($0, db: db) }
    }

    /// A stored event as its exact bytes; one that breaks the format cannot be read.
    static func storedEvent(_ row: Row, db: Database) throws -> StoredEvent {
        do {
            return try exactStoredEvent(row, db: db)
        } catch let fault as StoredColumnFault {
            throw StoreError.unreadableEvent(sequence: fault.sequence, reason: fault.description)
        }
    }

    static func stored(_ event: RecordedEvent, after previousHash: [UInt8]) -> StoredEvent {
        var stored = StoredEvent(
            sequence: event.sequence, caseID: event.caseID.rawValue, caseVersion: event.caseVersion,
            type: event.type.rawValue, schemaVersion: event.schemaVersion, occurredAt: event.occurredAt.description,
            recordedAt: event.recordedAt.description, actor: event.actor, commandID: event.commandID,
            data: EventCodec.encode(event.event), previousHash: previousHash, hash: [], account: event.account
        )
        stored.hash = stored.expectedHash
        return stored
    }

    static func insert(_ event: StoredEvent, into db: Database) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO event (\(eventColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        try statement.execute(arguments: [
            event.sequence, event.caseID, event.caseVersion, event.type, event.schemaVersion, event.occurredAt,
            event.recordedAt, event.actor, event.commandID, event.data, Data(event.previousHash), Data(event.hash),
            event.account,
        ])
    }

    func requireWritable() throws {
        if mode == .readOnly { throw StoreError.readOnly(path: path, reason: "it was opened read-only") }
    }

    func withTranslatedErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw Self.translate(error, path: path)
        }
    }

    static func translate(_ error: DatabaseError, path: String) -> StoreError {
        let reason = error.message ?? "\(error.resultCode)"
        switch error.resultCode.primaryResultCode {
        case .SQLITE_NOTADB:
            return .notALog(path: path, reason: "the file is not a database")
        case .SQLITE_CORRUPT:
            return .damaged(path: path, detail: reason)
        case .SQLITE_READONLY:
            return .readOnly(path: path, reason: "the database or its folder is read-only")
        case .SQLITE_FULL:
            return .diskFull(path: path)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .busy(path: path, seconds: Int(busyTimeout))
        case .SQLITE_CANTOPEN:
            return .io(path: path, detail: "the file cannot be opened")
        default:
            return .io(path: path, detail: reason)
        }
    }
}
