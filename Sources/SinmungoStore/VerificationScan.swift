import Foundation
internal import GRDB
internal import GRDBSQLite
import SinmungoCore
import SinmungoJSON

/// The fast path of `verify`: checks a row of `eventColumns` on its stored bytes, in place,
/// and says only whether everything holds. Where something does not, `verify` reads the row
/// again the slow way to name what is wrong, so the two cannot disagree on a message; this
/// path only has to be as strict as the slow one.
struct VerificationScan {
    private(set) var previousSequence: Int64 = 0
    private(set) var previousHash = EventHash.genesis
    private var previousRecordedAt: [UInt8] = []
    /// Each case's last version, for the cases seen in this stretch of `interval` events and
    /// the one before; a case quiet for longer is looked up by the index on (case, version).
    /// One entry a case for the whole log grew with it: 180 MB of peak memory on two million cases.
    private var versions: [String: Int] = [:]
    private var olderVersions: [String: Int] = [:]
    private let interval: Int64
    private let lastVersionBefore: Statement

    /// What a row that passed holds, for the views' replay.
    struct Passed: Sendable {
        var occurredAt: Instant
        var recordedAt: Instant
        var type: String
        /// The event its data decodes to, for the views' replay.
        var event: Result<CaseEvent, EventCodec.DecodingFailure>
    }

    init(db: Database, flushingEvery interval: Int64) throws {
        self.interval = interval
        lastVersionBefore = try db.makeStatement(sql: "SELECT max(case_version) FROM event WHERE case_id = ? AND seq < ?")
    }

    /// The row's checks passed, with what the replay needs; nil when one did not. `alone` is
    /// what `StandaloneRowCheck` found of the row's own bytes; this adds what the rows before
    /// it decide: the sequence, the link, the time order and the case's version.
    mutating func passed(_ row: some ReplayColumns, alone: Passed?) throws -> Passed? {
        guard let alone else { return nil }
        let sequence = row.int64(0)
        guard sequence == previousSequence + 1, row.bytes(10).elementsEqual(previousHash),
            !row.bytes(6).lexicographicallyPrecedes(previousRecordedAt),
            row.int(2) == (try version(of: row.string(1), before: sequence)) + 1
        else { return nil }
        return alone
    }

    /// Moves past a row that passed every check.
    mutating func advance(_ row: some ReplayColumns) {
        previousSequence = row.int64(0)
        previousHash = Array(row.bytes(11))
        previousRecordedAt.removeAll(keepingCapacity: true)
        previousRecordedAt.append(contentsOf: row.bytes(6))
        versions[row.string(1)] = row.int(2)
        if previousSequence % interval == 0 {
            swap(&versions, &olderVersions)
            versions.removeAll(keepingCapacity: true)
        }
    }

    /// The case's last version before event `sequence`, 0 before its first event. Every
    /// earlier event passed this check in log order, so their highest version is the last.
    mutating func version(of caseID: String, before sequence: Int64) throws -> Int {
        if let version = versions[caseID] ?? olderVersions[caseID] { return version }
        return try Int.fetchOne(lastVersionBefore, arguments: [caseID, sequence]) ?? 0
    }
}

/// The checks of `verify` that need nothing but the row's own bytes: storage classes, UTF-8,
/// the hash over the fields (with the link the row itself stores), the times, the type and the
/// canonical data. They run on a second thread, ahead of the checks that need the rows before.
struct StandaloneRowCheck {
    private var hasher = InPlaceEventHash()
    private var canonical: [UInt8] = []

    init() { canonical.reserveCapacity(4096) }

    mutating func passed(_ row: some ReplayColumns) -> VerificationScan.Passed? {
        for (column, storageClass) in Self.storageClasses where row.storageClass(column) != storageClass { return nil }
        for column in Self.textColumns {
            let bytes = row.bytes(column)
            guard Self.isValidUTF8WithoutNUL(bytes) else { return nil }
        }
        // The account: NULL in layout 1, text in layout 2.
        let account: UnsafeBufferPointer<UInt8>?
        switch row.storageClass(Self.accountColumn) {
        case "null": account = nil
        case "text":
            let bytes = row.bytes(Self.accountColumn)
            guard Self.isValidUTF8WithoutNUL(bytes) else { return nil }
            account = bytes
        default: return nil
        }
        guard
            hasher.matches(
                row.bytes(11), sequence: row.int64(0), caseID: row.bytes(1), caseVersion: row.int64(2), type: row.bytes(3),
                schemaVersion: row.int64(4), occurredAt: row.bytes(5), recordedAt: row.bytes(6), actor: row.bytes(7),
                commandID: row.bytes(8), data: row.bytes(9), account: account, previousHash: row.bytes(10))
        else { return nil }
        // EventFormatRules, on the bytes.
        guard let occurredAt = Self.kstTime(row.bytes(5)), let recordedAt = Self.kstTime(row.bytes(6)) else { return nil }
        let type = row.string(3)
        guard let eventType = EventType(rawValue: type),
            (1...EventCodec.currentSchemaVersion(for: eventType)).contains(row.int(4))
        else { return nil }
        let data = row.bytes(9)
        // Canonical: keys in ascending byte order, so the text's own order, then the bytes
        // JSONValue would write for the object.
        guard let payload = try? JSONValue.parseObjectFields(UnsafeRawBufferPointer(data)),
            zip(payload, payload.dropFirst()).allSatisfy({ $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }),
            !payload.contains(where: { $0.value.holdsFraction })
        else { return nil }
        canonical.removeAll(keepingCapacity: true)
        JSONValue.writeObject(payload, to: &canonical)
        guard canonical.elementsEqual(data) else { return nil }
        let event = Result { () throws(EventCodec.DecodingFailure) in
            try EventCodec.decode(type: type, schemaVersion: row.int(4), fields: payload)
        }
        return VerificationScan.Passed(occurredAt: occurredAt, recordedAt: recordedAt, type: type, event: event)
    }

    private static let storageClasses: [(Int32, String)] = SQLiteEventStore.eventStorageClasses.enumerated().map {
        (Int32($0.offset), $0.element.storageClass)
    }
    private static let textColumns: [Int32] = storageClasses.filter { $0.1 == "text" }.map(\.0)
    private static let accountColumn = Int32(storageClasses.count)

    /// `YYYY-MM-DDTHH:MM:SS+09:00` naming a real moment: what `EventFormatRules.isKSTTime` accepts.
    static func kstTime(_ bytes: UnsafeBufferPointer<UInt8>) -> Instant? {
        guard bytes.count == 25 else { return nil }
        func digits(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for index in from..<from + count {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        let separators: [(Int, UInt8)] = [
            (4, 45), (7, 45), (10, 84), (13, 58), (16, 58), (19, 43), (20, 48), (21, 57), (22, 58), (23, 48), (24, 48),
        ]
        for (index, byte) in separators where bytes[index] != byte { return nil }
        guard let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2), let hour = digits(11, 2),
            let minute = digits(14, 2), let second = digits(17, 2),
            let instant = Instant(iso8601UTF8: bytes), let date = CivilDate(year: year, month: month, day: day),
            instant.kstDate == date, instant.kstSecondOfDay == hour * 3600 + minute * 60 + second
        else { return nil }
        return instant
    }

    /// Valid UTF-8 (no overlong form, surrogate or value past U+10FFFF) with no NUL byte.
    static func isValidUTF8WithoutNUL(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                guard lead != 0 else { return false }
                index += 1
                continue
            }
            let following: Int
            var scalar: UInt32
            let least: UInt32
            switch lead {
            case 0xC0...0xDF: (following, scalar, least) = (1, UInt32(lead & 0x1F), 0x80)
            case 0xE0...0xEF: (following, scalar, least) = (2, UInt32(lead & 0x0F), 0x800)
            case 0xF0...0xF7: (following, scalar, least) = (3, UInt32(lead & 0x07), 0x10000)
            default: return false
            }
            guard index + following < count else { return false }
            for offset in 1...following {
                let byte = bytes[index + offset]
                guard byte & 0xC0 == 0x80 else { return false }
                scalar = scalar << 6 | UInt32(byte & 0x3F)
            }
            guard scalar >= least, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return false }
            index += following + 1
        }
        return true
    }
}
