import Crypto
import Foundation
internal import GRDB
import SinmungoCore

/// The persons' keys, in an SQLite file of their own beside the log.
///
/// Keeping them apart lets a key be destroyed while the log, which only ever holds
/// ciphertext, stays append-only and its hash chain intact. The file uses a rollback journal
/// rather than WAL, and `secure_delete`, so that a destroyed key leaves no copy in a WAL
/// frame or a free page.
public final class PersonKeyStore: Sendable {
    public let path: String
    let database: DatabaseQueue

    /// The key store's default place: `log.sqlite` keeps its keys in `log.keys.sqlite`.
    public static func defaultPath(forLog logPath: String) -> String {
        logPath.hasSuffix(".sqlite") ? String(logPath.dropLast(".sqlite".count)) + ".keys.sqlite" : logPath + ".keys"
    }

    /// Opens the key store, creating it when `readOnly` is false; nil path keeps it in memory.
    init(path: String?, readOnly: Bool) throws {
        self.path = path ?? ":memory:"
        var configuration = Configuration()
        configuration.label = "sinmungo.keys"
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(SQLiteEventStore.busyTimeout)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        do {
            database =
                try path.map {
                    try DatabaseQueue(path: readOnly ? try ReadOnlyOpening.location(of: $0) : $0, configuration: configuration)
                }
                ?? DatabaseQueue(configuration: configuration)
            if !readOnly {
                try database.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL")
                }
                try Self.migrator.migrate(database)
            } else if try !database.read({ try $0.tableExists("person_key") }) {
                throw StoreError.notALog(path: self.path, reason: "it is not a Sinmungo key store")
            }
        } catch let error as DatabaseError {
            throw SQLiteEventStore.translate(error, path: self.path)
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-person-keys") { db in
            try db.execute(
                sql: """
                    CREATE TABLE person_key (
                        person TEXT PRIMARY KEY NOT NULL,
                        case_id TEXT NOT NULL,
                        key BLOB NOT NULL
                    )
                    """)
        }
        return migrator
    }

    /// Stores new keys, committed before the events sealed with them so none is ever lost.
    func insert(_ keys: [PersonKey]) throws {
        guard !keys.isEmpty else { return }
        try inWriteTransaction { writer in try writer.insert(keys) }
    }

    func key(of person: String) throws -> SymmetricKey? {
        try withTranslatedErrors {
            try database.read { db in
                try Data.fetchOne(db, sql: "SELECT key FROM person_key WHERE person = ?", arguments: [person])
                    .map(SymmetricKey.init(data:))
            }
        }
    }

    /// Whether the person's key is still here.
    public func holdsKey(of person: String) throws -> Bool {
        try key(of: person) != nil
    }

    /// Destroys a key for good: `secure_delete` zeroes the freed bytes, and the rollback
    /// journal that briefly held the old page is deleted when the transaction commits.
    func destroyKey(of person: String) throws {
        try withTranslatedErrors {
            try database.write { db in
                try db.execute(sql: "DELETE FROM person_key WHERE person = ?", arguments: [person])
            }
        }
    }

    /// Keys an import seals before it stores them.
    public static let importBatch = 4096

    /// Runs `body` in a write transaction of the key store, committed when `body` returns and
    /// rolled back when it throws. An import stores keys as it seals data, and commits them
    /// just before the log's own transaction: no sealed event is ever without its key, and a
    /// refused import leaves none behind.
    func inWriteTransaction<T>(_ body: (PersonKeyWriter) throws -> T) throws -> T {
        try database.writeWithoutTransaction { db in
            try withTranslatedErrors { try db.execute(sql: "BEGIN IMMEDIATE") }
            let result: T
            do {
                result = try body(PersonKeyWriter(db: db, path: path))
            } catch {
                try? db.execute(sql: "ROLLBACK")
                throw error
            }
            try withTranslatedErrors { try db.execute(sql: "COMMIT") }
            return result
        }
    }

    private func withTranslatedErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw SQLiteEventStore.translate(error, path: path)
        }
    }
}

/// Inserts keys inside a transaction `PersonKeyStore.inWriteTransaction` holds open.
struct PersonKeyWriter {
    let db: Database
    let path: String

    func insert(_ keys: [PersonKey]) throws {
        do {
            let statement = try db.cachedStatement(sql: "INSERT INTO person_key (person, case_id, key) VALUES (?, ?, ?)")
            for key in keys {
                try statement.execute(arguments: [key.person, key.caseID.rawValue, key.bytes])
            }
        } catch let error as DatabaseError {
            throw SQLiteEventStore.translate(error, path: path)
        }
    }
}

/// A person's key, made when their data is first sealed.
public struct PersonKey: Sendable {
    public var person: String
    public var caseID: CaseID
    public var bytes: Data

    public var symmetricKey: SymmetricKey { SymmetricKey(data: bytes) }

    public static func make(for caseID: CaseID) -> PersonKey {
        PersonKey(
            person: UUID().uuidString.lowercased(), caseID: caseID,
            bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }
}

/// AES-GCM over a person's data, bound to the event that carries it: the one sealing every
/// backend uses, so that a log moves between them with its boxes.
public enum PersonalDataSeal {
    /// The case id and version as associated data: a sealed box moved to another event does not open.
    static func associatedData(caseID: CaseID, caseVersion: Int) -> Data {
        Data("sinmungo-personal-v1\u{0}\(caseID.rawValue)\u{0}\(caseVersion)".utf8)
    }

    /// The event with its plain personal data sealed under a new key, collected into `keys`
    /// for the key store; an event without plain data comes back as it was.
    public static func sealing(_ event: CaseEvent, caseID: CaseID, caseVersion: Int, into keys: inout [PersonKey]) throws
        -> CaseEvent
    {
        let event = event.bodyMovedIntoPersonalData
        guard let data = event.personal?.unsealed else { return event }
        let key = PersonKey.make(for: caseID)
        keys.append(key)
        return event.replacingPersonal(with: .sealed(try seal(data, with: key, caseVersion: caseVersion)))
    }

    static func seal(_ data: PersonalData, with key: PersonKey, caseVersion: Int) throws -> SealedPersonalData {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let box = try AES.GCM.seal(
            try encoder.encode(data), using: key.symmetricKey,
            authenticating: associatedData(caseID: key.caseID, caseVersion: caseVersion))
        // A nonce-first combined box always exists for AES.GCM's default 12-byte nonce.
        return SealedPersonalData(person: key.person, box: box.combined!.base64EncodedString())
    }

    /// Why a key cannot be had at all (no key store, say), as opposed to none being held.
    public struct KeyUnavailable: Error {
        public var reason: String
        public init(reason: String) { self.reason = reason }
    }

    /// A case's personal data as its events hold it, opened with the key `key` finds for the
    /// person (nil when none is held), or what became of it: every backend answers the same.
    public static func status(in events: [RecordedEvent], key: (String) throws -> SymmetricKey?) throws
        -> PersonalDataStatus
    {
        guard let filed = events.first, let personal = filed.event.personal else { return .none }
        if let erasure = events.first(where: { $0.type == .personalDataErased }),
            case .personalDataErased(let erased) = erasure.event
        {
            return .erased(at: erasure.recordedAt, by: erasure.actor, reason: erased.reason, request: erased.request)
        }
        switch personal {
        case .plain(let data), .legacy(let data):
            return .unencrypted(data)
        case .sealed(let sealed):
            let found: SymmetricKey?
            do {
                found = try key(sealed.person)
            } catch let unavailable as KeyUnavailable {
                return .unavailable(reason: unavailable.reason)
            }
            guard let found else { return .unavailable(reason: "the key store holds no key for it") }
            do {
                return .held(try open(sealed, with: found, caseID: filed.caseID, caseVersion: filed.caseVersion))
            } catch {
                return .unavailable(reason: "it does not open with its key, so it was altered or moved")
            }
        }
    }

    public static func open(_ sealed: SealedPersonalData, with key: SymmetricKey, caseID: CaseID, caseVersion: Int) throws
        -> PersonalData
    {
        guard let combined = Data(base64Encoded: sealed.box) else { throw CryptoKitError.incorrectParameterSize }
        let plaintext = try AES.GCM.open(
            try AES.GCM.SealedBox(combined: combined), using: key,
            authenticating: associatedData(caseID: caseID, caseVersion: caseVersion))
        return try JSONDecoder().decode(PersonalData.self, from: plaintext)
    }
}
