import Crypto
import Foundation
import GRDB
import SinmungoCore
import SinmungoStore
import SinmungoViews
import Synchronization

/// The work list's index: one row a case with the columns the list filters and sorts on
/// (status, kind, department, category, filing date, next deadline) and a trigram index of
/// the titles, in its own SQLite file beside the log (`x.desk-index.sqlite`).
///
/// It is the desk's, not the log's: the next deadline depends on the office's policy and
/// holiday calendar, which the store does not know. Each row keeps its case's summary
/// (`CaseProjection`'s row, which holds no personal data), folded here from the log by
/// sequence number, as a store folds its views: before a read, the events past its
/// checkpoint are read and only the cases they touch are folded on. So it needs of a store
/// only its events, whichever backend keeps them. A different log, policy, calendar or
/// version of the case rows rebuilds it. Deleting the file loses nothing.
///
/// Titles only are searched. Bodies are personal data, sealed with the person's key in the
/// log; a plaintext index of them would outlive an erasure.
public final class DeskWorkIndex: Sendable {
    private let database: DatabasePool
    private let basis: String
    private let policy: Policy
    private let calendar: HolidayCalendar
    /// The log head the rows were last caught up to, so that an unmoved head costs one read.
    private let caughtUp = Mutex<Int64?>(nil)
    /// One catch-up at a time.
    private let catchingUp = Mutex(())

    /// The file beside a log: `x.sqlite` keeps its work index in `x.desk-index.sqlite`.
    public static func defaultPath(forLog path: String) -> String {
        let trimmed = path.hasSuffix(".sqlite") ? String(path.dropLast(".sqlite".count)) : path
        return trimmed + ".desk-index.sqlite"
    }

    public init(path: String, policy: Policy, calendar: HolidayCalendar) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        database = try DatabasePool(path: path, configuration: configuration)
        self.policy = policy
        self.calendar = calendar
        basis = Self.basis(policy: policy, calendar: calendar)
        try database.write { db in
            // Another layout is dropped and built again: the rows come from the log.
            if try Int.fetchOne(db, sql: "PRAGMA user_version") != Self.layout {
                try db.execute(
                    sql: """
                        DROP TABLE IF EXISTS work_case; DROP TABLE IF EXISTS work_title;
                        DROP TABLE IF EXISTS work_checkpoint; PRAGMA user_version = \(Self.layout)
                        """)
            }
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS work_case (
                        key INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        kind TEXT NOT NULL,
                        status TEXT NOT NULL,
                        open INTEGER NOT NULL,
                        department TEXT,
                        category TEXT,
                        filed_on TEXT NOT NULL,
                        sort_key TEXT NOT NULL,
                        task TEXT,
                        due_at INTEGER,
                        title TEXT NOT NULL,
                        summary BLOB NOT NULL
                    );
                    CREATE INDEX IF NOT EXISTS work_case_open ON work_case(open, sort_key, id);
                    CREATE INDEX IF NOT EXISTS work_case_status ON work_case(status, sort_key, id);
                    CREATE INDEX IF NOT EXISTS work_case_kind ON work_case(kind, open, sort_key, id);
                    CREATE INDEX IF NOT EXISTS work_case_department ON work_case(department, open, sort_key, id);
                    CREATE INDEX IF NOT EXISTS work_case_filed ON work_case(filed_on);
                    CREATE VIRTUAL TABLE IF NOT EXISTS work_title USING fts5(title, tokenize = 'trigram');
                    CREATE TRIGGER IF NOT EXISTS work_case_added AFTER INSERT ON work_case BEGIN
                        INSERT INTO work_title (rowid, title) VALUES (new.key, new.title);
                    END;
                    CREATE TRIGGER IF NOT EXISTS work_case_retitled AFTER UPDATE OF title ON work_case BEGIN
                        DELETE FROM work_title WHERE rowid = old.key;
                        INSERT INTO work_title (rowid, title) VALUES (new.key, new.title);
                    END;
                    CREATE TRIGGER IF NOT EXISTS work_case_removed AFTER DELETE ON work_case BEGIN
                        DELETE FROM work_title WHERE rowid = old.key;
                    END;
                    CREATE TABLE IF NOT EXISTS work_checkpoint (
                        only INTEGER PRIMARY KEY CHECK (only = 1),
                        seq INTEGER NOT NULL,
                        hash BLOB NOT NULL,
                        basis TEXT NOT NULL
                    );
                    """)
        }
    }

    /// Raised whenever the tables change. 2: each row keeps its case summary, folded here.
    static let layout = 2

    /// Names the policy and calendar the deadlines were counted with, and the case rows read.
    static func basis(policy: Policy, calendar: HolidayCalendar) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // The case rows' version too: a fold that changed may put a case elsewhere.
        var text = "\(CaseProjection.name) \(CaseProjection.version)\n"
        text += (try? encoder.encode(policy)).map { String(decoding: $0, as: UTF8.self) } ?? "\(policy)"
        for year in calendar.years {
            text += "\n\(year):" + (calendar.holidays[year] ?? []).map(\.description).sorted().joined(separator: ",")
        }
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Catching up

    /// Brings the rows up to the log's head: the cases the new events touch are folded on,
    /// or every case again when the index was made from another log, policy or calendar.
    public func catchUp(with store: some DeskLog, head: Int64? = nil) throws {
        let head = try head ?? store.head().sequence
        if caughtUp.withLock({ $0 }) == head { return }
        try catchingUp.withLock { _ in
            if caughtUp.withLock({ $0 }) == head { return }
            let checkpoint = try database.read { db in try Row.fetchOne(db, sql: "SELECT * FROM work_checkpoint") }
            if let checkpoint, (checkpoint["basis"] as String?) == basis, let seq: Int64 = checkpoint["seq"], seq <= head,
                try Self.hash(at: seq, in: store) == [UInt8](checkpoint["hash"] as Data)
            {
                try fold(store, from: seq, to: head)
            } else {
                try rebuild(from: store, head: head)
            }
            caughtUp.withLock { $0 = head }
        }
    }

    static let batch: Int64 = 10_000

    private static func hash(at sequence: Int64, in store: some DeskLog) throws -> [UInt8] {
        sequence == 0 ? [] : try store.anchor(at: sequence)?.hash ?? []
    }

    /// Folds the events after `from` into the rows, a batch at a time.
    private func fold(_ store: some DeskLog, from: Int64, to head: Int64) throws {
        var from = from
        while from < head {
            let to = min(head, from + Self.batch)
            try apply(store.events(inSequence: (from + 1)...to), store: store)
            from = to
        }
    }

    private func apply(_ events: [RecordedEvent], store: some DeskLog) throws {
        guard let last = events.last else { return }
        var touched = Set<CaseID>()
        for event in events { touched.formUnion(CaseProjection.keys(touchedBy: event)) }
        let hash = try Self.hash(at: last.sequence, in: store)
        try database.write { db in
            var rows = try self.rows(touched, db: db)
            var changed = Set<CaseID>()
            for event in events {
                // A row that already holds the event was read past the checkpoint (a rebuild
                // reads the store's rows after its head): folding it again would count it twice.
                if let row = rows[event.caseID], row.lastSequence >= event.sequence { continue }
                CaseProjection.apply(event, to: &rows)
                changed.formUnion(CaseProjection.keys(touchedBy: event))
            }
            for id in changed.sorted(by: { $0.rawValue < $1.rawValue }) {
                if let row = rows[id] { try write(row, db: db) }
            }
            try moveCheckpoint(to: last.sequence, hash: hash, db: db)
        }
    }

    /// The stored rows of `ids` that exist.
    private func rows(_ ids: Set<CaseID>, db: Database) throws -> [CaseID: CaseSummary] {
        var rows: [CaseID: CaseSummary] = [:]
        for id in ids {
            if let data = try Data.fetchOne(db, sql: "SELECT summary FROM work_case WHERE id = ?", arguments: [id.rawValue]) {
                rows[id] = try Self.decoder.decode(CaseSummary.self, from: data)
            }
        }
        return rows
    }

    /// Writes every row again from the log.
    public func rebuild(from store: some DeskLog) throws {
        try catchingUp.withLock { _ in
            let head = try store.head().sequence
            try rebuild(from: store, head: head)
            caughtUp.withLock { $0 = head }
        }
    }

    /// From the case rows the store keeps, when it keeps them (SQLite), in one transaction;
    /// else by folding the whole log from an empty index, a batch a transaction.
    private func rebuild(from store: some DeskLog, head: Int64) throws {
        let kept = try store.keptCaseRows()
        let hash = try Self.hash(at: head, in: store)
        try database.write { db in
            try db.execute(sql: "DELETE FROM work_case; DELETE FROM work_checkpoint")
            for summary in (kept ?? [:]).values { try write(summary, db: db) }
            try moveCheckpoint(to: kept == nil ? 0 : head, hash: kept == nil ? [] : hash, db: db)
        }
        if kept == nil { try fold(store, from: 0, to: head) }
    }

    private func moveCheckpoint(to sequence: Int64, hash: [UInt8], db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO work_checkpoint (only, seq, hash, basis) VALUES (1, ?, ?, ?)",
            arguments: [sequence, Data(hash), basis])
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
    static let decoder = JSONDecoder()

    private func write(_ summary: CaseSummary, db: Database) throws {
        let task = DeadlineClock(calendar: calendar).nextTask(of: summary.deadlineSubject, policy: policy, at: summary.filedAt)
        var sortKey = "~"
        var taskKind: String?
        var dueAt: Int64?
        switch task {
        case .open(let next, _):
            sortKey = next.due.kstDate.description
            taskKind = next.kind.rawValue
            dueAt = next.due.secondsSinceEpoch
        case .notYetCountable(let kind, _), .notComputable(let kind, _):
            taskKind = kind.rawValue
        case .none:
            break
        }
        try db.execute(
            sql: """
                INSERT INTO work_case (id, kind, status, open, department, category, filed_on, sort_key, task, due_at, title, summary)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, status = excluded.status, open = excluded.open,
                    department = excluded.department, category = excluded.category, filed_on = excluded.filed_on,
                    sort_key = excluded.sort_key, task = excluded.task, due_at = excluded.due_at, title = excluded.title,
                    summary = excluded.summary
                """,
            arguments: [
                summary.id.rawValue, summary.kind.rawValue, summary.status.rawValue, summary.status.isClosed ? 0 : 1,
                summary.department, summary.category, summary.filedAt.kstDate.description, sortKey, taskKind, dueAt,
                summary.title, try Self.encoder.encode(summary),
            ])
    }

    // MARK: Reading

    /// One row of the work list.
    public struct Entry: Equatable, Sendable {
        public var id: CaseID
        public var kind: CaseKind
        public var status: CaseStatus
        public var department: String?
        public var category: String?
        public var filedOn: String
        /// The next deadline's kind; nil when nothing is owed.
        public var task: Deadline.Kind?
        /// When the next deadline falls; nil when it cannot be counted (no holiday calendar).
        public var due: Instant?
        public var title: String
    }

    /// What the list is asked for: nil fields do not filter; no status means the open cases.
    public struct Query: Sendable, Equatable {
        public var text: String?
        public var kind: CaseKind?
        public var status: CaseStatus?
        /// The department ids that count as the one chosen (merged departments included).
        public var departments: [String]?
        public var category: String?
        public var filedFrom: CivilDate?
        public var filedTo: CivilDate?

        public init(
            text: String? = nil, kind: CaseKind? = nil, status: CaseStatus? = nil, departments: [String]? = nil,
            category: String? = nil, filedFrom: CivilDate? = nil, filedTo: CivilDate? = nil
        ) {
            self.text = text
            self.kind = kind
            self.status = status
            self.departments = departments
            self.category = category
            self.filedFrom = filedFrom
            self.filedTo = filedTo
        }
    }

    /// Counting stops here: a page says "more than" rather than count a whole log.
    public static let countLimit = 1_000
    /// Matches of a phrase few enough to be read and sorted rather than found in deadline order.
    static let fewTitles = 2_000
    /// Text shorter than a trigram is looked for by scanning the titles.
    public static let trigram = 3

    /// One page of the cases matching `query`, by next deadline then number, and how many
    /// match, counted up to `countLimit` (nil beyond it).
    public func page(_ query: Query, offset: Int, limit: Int) throws -> (entries: [Entry], total: Int?) {
        try page(query, offset: offset, limit: limit, fewTitles: Self.fewTitles, countLimit: Self.countLimit)
    }

    /// The matches are read once, in list order, as far as both the page and the count need
    /// (their keys only, from the indexes); then the page's rows by key.
    func page(_ query: Query, offset: Int, limit: Int, fewTitles: Int, countLimit: Int = DeskWorkIndex.countLimit) throws
        -> (entries: [Entry], total: Int?)
    {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let status = query.status {
            conditions.append("status = ?")
            arguments.append(status.rawValue)
        } else {
            conditions.append("open = 1")
        }
        if let kind = query.kind {
            conditions.append("kind = ?")
            arguments.append(kind.rawValue)
        }
        if let departments = query.departments {
            conditions.append("department IN (\(departments.map { _ in "?" }.joined(separator: ", ")))")
            arguments.append(contentsOf: departments.map { $0 as (any DatabaseValueConvertible)? })
            if departments.isEmpty { conditions[conditions.count - 1] = "0" }
        }
        if let category = query.category {
            conditions.append("category = ?")
            arguments.append(category)
        }
        if let from = query.filedFrom {
            conditions.append("filed_on >= ?")
            arguments.append(from.description)
        }
        if let to = query.filedTo {
            conditions.append("filed_on <= ?")
            arguments.append(to.description)
        }
        var phrase: String?
        var titleContains: String?
        if let text = query.text.map(Self.searchable), !text.isEmpty {
            // Escaped for LIKE, so nothing typed is a wildcard.
            titleContains = "%" + Self.escapedForLike(text) + "%"
            if text.count >= Self.trigram {
                // One FTS5 phrase: quotes doubled, so nothing typed is read as query syntax.
                phrase = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            } else {
                conditions.append("title LIKE ? ESCAPE '\\'")
                arguments.append(titleContains)
            }
        }
        let wanted = max(offset + limit, countLimit + 1)
        return try database.read { db in
            var source = "work_case"
            var sourceArguments: [(any DatabaseValueConvertible)?] = []
            var filter = conditions
            if let phrase {
                // A rare phrase's few titles are read once and their rows looked up by key; a
                // common one is found by walking the list in deadline order, which stops early.
                let titles = try Int64.fetchAll(
                    db, sql: "SELECT rowid FROM work_title WHERE work_title MATCH ? LIMIT ?", arguments: [phrase, fewTitles + 1])
                if titles.count <= fewTitles {
                    source = "json_each(?) AS matched CROSS JOIN work_case ON work_case.key = matched.value"
                    sourceArguments = [String(decoding: try JSONEncoder().encode(titles), as: UTF8.self)]
                } else {
                    // Common: many titles hold it, so walking the list in deadline order and
                    // testing each title reaches the page and the count soon, where collecting
                    // every match first (190,000 of two million titles) costs the whole set.
                    filter.append("work_case.title LIKE ? ESCAPE '\\'")
                    arguments.append(titleContains)
                }
            }
            let keys = try Int64.fetchAll(
                db,
                sql: "SELECT work_case.key FROM \(source) WHERE \(filter.joined(separator: " AND ")) ORDER BY work_case.sort_key, work_case.id LIMIT ?",
                arguments: StatementArguments(sourceArguments + arguments + [wanted]))
            let shown = Array(keys.dropFirst(offset).prefix(limit))
            var entries: [Int64: Entry] = [:]
            if !shown.isEmpty {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT key, id, kind, status, department, category, filed_on, task, due_at, title FROM work_case
                        WHERE key IN (\(shown.map { _ in "?" }.joined(separator: ", ")))
                        """,
                    arguments: StatementArguments(shown))
                for row in rows {
                    guard let kind = CaseKind(rawValue: row["kind"]), let status = CaseStatus(rawValue: row["status"]) else {
                        continue
                    }
                    let task: String? = row["task"]
                    let due: Int64? = row["due_at"]
                    entries[row["key"]] = Entry(
                        id: CaseID(row["id"] as String), kind: kind, status: status, department: row["department"],
                        category: row["category"], filedOn: row["filed_on"], task: task.flatMap(Deadline.Kind.init(rawValue:)),
                        due: due.map { Instant(secondsSinceEpoch: $0) }, title: row["title"])
                }
            }
            return (shown.compactMap { entries[$0] }, keys.count > countLimit ? nil : keys.count)
        }
    }

    /// One case's summary as the index last folded it.
    public func summary(of id: CaseID) throws -> CaseSummary? {
        try database.read { db in
            try Data.fetchOne(db, sql: "SELECT summary FROM work_case WHERE id = ?", arguments: [id.rawValue])
        }.map { try Self.decoder.decode(CaseSummary.self, from: $0) }
    }

    /// Every case's summary, oldest filing first, as the store's `summaries()` gives them.
    public func summaries() throws -> [CaseSummary] {
        try database.read { db in
            try Data.fetchAll(db, sql: "SELECT summary FROM work_case")
        }.map { try Self.decoder.decode(CaseSummary.self, from: $0) }.sorted { ($0.filedAt, $0.id) < ($1.filedAt, $1.id) }
    }

    /// How many cases there are.
    public func caseCount() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM work_case") ?? 0 }
    }

    /// Every row and its searchable title, in number order: for comparing an index caught up
    /// with one rebuilt.
    public func contents() throws -> [String] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, kind, status, open, department, category, filed_on, sort_key, task, due_at, work_case.title,
                        work_title.title, summary FROM work_case LEFT JOIN work_title ON work_title.rowid = work_case.key ORDER BY id
                    """
            ).map { row in row.databaseValues.map(Self.text).joined(separator: " | ") }
                + [String(try Int.fetchOne(db, sql: "SELECT count(*) FROM work_title") ?? -1)]
        }
    }

    private static func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: "NULL"
        case .int64(let number): String(number)
        case .double(let number): String(number)
        case .string(let text): text
        case .blob(let data): data.base64EncodedString()
        }
    }

    /// The query text as titles are stored: composed Hangul, at most 100 characters.
    static func searchable(_ text: String) -> String {
        String(text.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines).prefix(100))
    }

    static func escapedForLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

/// The roster as of the log's head: folded again only when the head has moved, which one
/// indexed read tells.
final class DeskRosterCache: Sendable {
    private let folded = Mutex<(head: Int64, roster: Roster)?>(nil)

    func roster(of store: some EventStore) throws -> Roster {
        let head = try store.head().sequence
        if let cached = folded.withLock({ $0 }), cached.head == head { return cached.roster }
        let roster = try store.roster()
        folded.withLock { current in
            if (current?.head ?? -1) <= head { current = (head, roster) }
        }
        return roster
    }
}
