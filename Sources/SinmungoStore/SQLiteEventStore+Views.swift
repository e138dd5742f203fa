import Foundation
internal import GRDB
import SinmungoCore
import SinmungoViews

extension SQLiteEventStore {
    /// Drops every view row and replays the whole log into them, in one transaction.
    /// Returns the number of events replayed.
    @discardableResult
    public func rebuildViews(progress: (Int64) -> Void = { _ in }) throws -> Int64 {
        try rebuildViews(flushingEvery: Self.viewFlushInterval, progress: progress)
    }

    func rebuildViews(flushingEvery interval: Int64, progress: (Int64) -> Void = { _ in }) throws -> Int64 {
        try requireWritable()
        return try withTranslatedErrors {
            try database.write { db in
                try db.execute(sql: "DELETE FROM case_view; UPDATE view_checkpoint SET seq = 0 WHERE view = 'cases'")
                return try Self.catchUpViews(db, knownEmpty: true, flushingEvery: interval, progress: progress)
            }
        }
    }

    /// One case's summary as of the latest event.
    public func summary(of id: CaseID) throws -> CaseSummary? {
        try summaries { db in
            try Row.fetchOne(db, sql: "SELECT * FROM case_view WHERE id = ?", arguments: [id.rawValue]).map { [$0] } ?? []
        }.first { $0.id == id }
    }

    /// Summaries filtered by kind and status, oldest filing first.
    public func summaries(kind: CaseKind? = nil, status: CaseStatus? = nil) throws -> [CaseSummary] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let kind {
            conditions.append("kind = ?")
            arguments += [kind.rawValue]
        }
        if let status {
            conditions.append("status = ?")
            arguments += [status.rawValue]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try summaries { db in
            try Row.fetchAll(db, sql: "SELECT * FROM case_view \(filter)", arguments: arguments)
        }
        .filter { (kind == nil || $0.kind == kind) && (status == nil || $0.status == status) }
        .sorted { ($0.filedAt, $0.id) < ($1.filedAt, $1.id) }
    }

    /// Reads view rows, adding any events past the checkpoint in memory, so that a read is
    /// current without writing (the views are normally current: writes fold them in).
    private func summaries(_ fetch: (Database) throws -> [Row]) throws -> [CaseSummary] {
        try withTranslatedErrors {
            try database.read { db in
                var rows: [CaseID: CaseSummary] = [:]
                for row in try fetch(db) {
                    let summary = try CaseSummary(row)
                    rows[summary.id] = summary
                }
                try Self.requireViewsWithinLog(db, head: try Self.head(db).sequence)
                let checkpoint = try Self.viewCheckpoint(db)
                let tail = try Self.storedEvents(db, where: "seq > ? ORDER BY seq", [checkpoint])
                guard !tail.isEmpty else { return Array(rows.values) }
                var caughtUp: [CaseID: CaseSummary] = [:]
                for stored in tail {
                    let event = try stored.decoded()
                    try Self.load(CaseProjection.caseIDs(touchedBy: event), into: &caughtUp, from: db)
                    CaseProjection.apply(event, to: &caughtUp)
                }
                rows.merge(caughtUp) { _, new in new }
                return Array(rows.values)
            }
        }
    }

    static func viewCheckpoint(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT seq FROM view_checkpoint WHERE view = 'cases'") ?? 0
    }

    /// Folds every event past the checkpoint into the view rows, reading them from the log,
    /// and moves the checkpoint: for `rebuild`, and for views left behind the head.
    /// `knownEmpty` skips row look-ups when the views were just emptied.
    @discardableResult
    static func catchUpViews(
        _ db: Database, knownEmpty: Bool = false, flushingEvery interval: Int64 = viewFlushInterval,
        progress: (Int64) -> Void = { _ in }
    ) throws -> Int64 {
        var folder = try ViewFolder(db: db, viewsEmpty: knownEmpty, interval: interval)
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT \(replayColumns) FROM event WHERE seq > ? ORDER BY seq", arguments: [folder.last])
        while let row = try cursor.next() {
            try folder.fold(try replayedEvent(row))
            if folder.folded % progressInterval == 0 { progress(folder.folded) }
        }
        try folder.finish()
        return folder.folded
    }

    static let viewFlushInterval: Int64 = 250_000
    /// Events between two progress reports of a long operation.
    static let progressInterval: Int64 = 10_000

    /// The columns the views need: not the hashes or the command id.
    static let replayColumns = "seq, case_id, case_version, type, schema_version, occurred_at, recorded_at, actor, data"

    static func replayedEvent(_ row: Row) throws -> RecordedEvent {
        try StoredEvent(
            sequence: row[0], caseID: row[1], caseVersion: row[2], type: row[3], schemaVersion: row[4],
            occurredAt: row[5], recordedAt: row[6], actor: row[7], commandID: "", data: row[8],
            previousHash: [], hash: []
        ).decoded()
    }

    private static func load(_ ids: [CaseID], into rows: inout [CaseID: CaseSummary], from db: Database) throws {
        for id in ids where rows[id] == nil {
            let statement = try db.cachedStatement(sql: "SELECT * FROM case_view WHERE id = ?")
            if let row = try Row.fetchOne(statement, arguments: [id.rawValue]) {
                rows[id] = try CaseSummary(row)
            }
        }
    }
}

extension CaseSummary {
    static let columns = [
        "id", "kind", "status", "version", "last_sequence", "title", "category", "department", "filed_at", "updated_at",
        "session", "session_kind", "field", "theme", "place", "attendees", "proposals", "endorsements", "qualified_at",
        "visits", "transfers", "answered_at", "answered_by", "outcome", "policy", "decline_ground", "duplicate_of",
        "duplicates", "about", "extension_days",
    ]

    static let upsertSQL =
        "INSERT OR REPLACE INTO case_view (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"

    var databaseArguments: StatementArguments {
        [
            id.rawValue, kind.rawValue, status.rawValue, version, lastSequence, title, category, department,
            filedAt.description, updatedAt.description, session?.rawValue, sessionKind?.rawValue, field, theme, place,
            attendees, proposals, endorsements, qualifiedAt?.description, visits, transfers, answeredAt?.description,
            answeredBy?.rawValue, outcome?.rawValue, policy, declineGround?.rawValue, duplicateOf?.rawValue,
            Self.joined(duplicates), Self.joined(about), extensionDays,
        ]
    }

    init(_ row: Row) throws {
        func required<T: RawRepresentable>(_ type: T.Type, _ column: String) throws -> T where T.RawValue == String {
            let text: String = row[column]
            guard let value = T(rawValue: text) else {
                throw StoreError.notALog(path: "case_view", reason: "column \(column) holds \"\(text)\"")
            }
            return value
        }
        func instant(_ column: String) -> Instant? {
            (row[column] as String?).flatMap(Instant.init(iso8601:))
        }
        self.init(
            id: CaseID(row["id"] as String),
            kind: try required(CaseKind.self, "kind"),
            status: try required(CaseStatus.self, "status"),
            version: row["version"],
            lastSequence: row["last_sequence"],
            title: row["title"],
            category: row["category"],
            department: row["department"],
            filedAt: instant("filed_at") ?? Instant(secondsSinceEpoch: 0),
            updatedAt: instant("updated_at") ?? Instant(secondsSinceEpoch: 0),
            session: (row["session"] as String?).map(CaseID.init(rawValue:)),
            sessionKind: (row["session_kind"] as String?).flatMap(SessionKind.init(rawValue:)),
            field: row["field"],
            theme: row["theme"],
            place: row["place"],
            attendees: row["attendees"],
            proposals: row["proposals"],
            endorsements: row["endorsements"],
            qualifiedAt: instant("qualified_at"),
            visits: row["visits"],
            transfers: row["transfers"],
            answeredAt: instant("answered_at"),
            answeredBy: (row["answered_by"] as String?).flatMap(Answerer.init(rawValue:)),
            outcome: (row["outcome"] as String?).flatMap(Outcome.init(rawValue:)),
            policy: row["policy"],
            declineGround: (row["decline_ground"] as String?).flatMap(DeclineGround.init(rawValue:)),
            duplicateOf: (row["duplicate_of"] as String?).map(CaseID.init(rawValue:)),
            duplicates: Self.split(row["duplicates"]),
            about: Self.split(row["about"]),
            extensionDays: row["extension_days"]
        )
    }

    // Case ids never contain spaces, so a space-separated list is unambiguous.
    private static func joined(_ ids: [CaseID]) -> String {
        ids.map(\.rawValue).joined(separator: " ")
    }

    private static func split(_ text: String) -> [CaseID] {
        text.split(separator: " ").map { CaseID(String($0)) }
    }
}
