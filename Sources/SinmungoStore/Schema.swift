internal import GRDB

/// The database schema, as GRDB migrations. A migration never changes once it has shipped,
/// and uses raw SQL only, so that it does not move with the application's types.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-event-log") { db in
            try db.execute(
                sql: """
                    CREATE TABLE event (
                        seq INTEGER PRIMARY KEY NOT NULL,
                        case_id TEXT NOT NULL,
                        case_version INTEGER NOT NULL,
                        type TEXT NOT NULL,
                        schema_version INTEGER NOT NULL,
                        occurred_at TEXT NOT NULL,
                        recorded_at TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        command_id TEXT NOT NULL,
                        data TEXT NOT NULL,
                        prev_hash BLOB NOT NULL,
                        hash BLOB NOT NULL,
                        UNIQUE (case_id, case_version)
                    );
                    CREATE INDEX event_command ON event(command_id);
                    -- Append-only. A determined attacker can drop these; the hash chain catches that.
                    CREATE TRIGGER event_no_update BEFORE UPDATE ON event
                        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
                    CREATE TRIGGER event_no_delete BEFORE DELETE ON event
                        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

                    CREATE TABLE case_view (
                        id TEXT PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL,
                        status TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        last_sequence INTEGER NOT NULL,
                        title TEXT NOT NULL,
                        category TEXT,
                        department TEXT,
                        filed_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        session TEXT,
                        session_kind TEXT,
                        field TEXT,
                        theme TEXT,
                        place TEXT,
                        attendees INTEGER,
                        proposals INTEGER NOT NULL,
                        endorsements INTEGER NOT NULL,
                        qualified_at TEXT,
                        visits INTEGER NOT NULL,
                        transfers INTEGER NOT NULL,
                        answered_at TEXT,
                        answered_by TEXT,
                        outcome TEXT,
                        policy TEXT,
                        decline_ground TEXT,
                        duplicate_of TEXT,
                        duplicates TEXT NOT NULL,
                        about TEXT NOT NULL
                    );
                    CREATE INDEX case_view_kind_status ON case_view(kind, status);
                    CREATE INDEX case_view_filed_at ON case_view(filed_at);

                    -- The last event folded into the views; views past it are caught up from the log.
                    CREATE TABLE view_checkpoint (
                        view TEXT PRIMARY KEY NOT NULL,
                        seq INTEGER NOT NULL
                    );
                    INSERT INTO view_checkpoint (view, seq) VALUES ('cases', 0);
                    """)
        }
        migrator.registerMigration("v2-extension-days") { db in
            try db.execute(sql: "ALTER TABLE case_view ADD COLUMN extension_days INTEGER")
        }
        migrator.registerMigration(projectionsMigration) { db in
            // Views are kept by the projections the store is given, each row as the JSON of its
            // `Codable` form; the old rows go, and every projection is refolded by the next write.
            try db.execute(
                sql: """
                    DROP TABLE case_view;
                    CREATE TABLE view_row (
                        projection TEXT NOT NULL,
                        key TEXT NOT NULL,
                        data TEXT NOT NULL,
                        PRIMARY KEY (projection, key)
                    ) WITHOUT ROWID;
                    DELETE FROM view_checkpoint;
                    ALTER TABLE view_checkpoint ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
                    """)
        }
        registerAccessRecords(in: &migrator)
        registerEventAccount(in: &migrator)
        return migrator
    }

    static let projectionsMigration = "v3-projection-rows"

    /// Migrations that change only the views: a read-only open may skip them, since reads
    /// fold whatever the views lack from the log.
    /// The access records' tables too: a read that finds none has none to show; and the
    /// events' account column: a read-only open reads a log without it as layout 1 throughout.
    static let viewOnlyMigrations: Set<String> = [
        "v2-extension-days", projectionsMigration, accessRecordsMigration, eventAccountMigration,
    ]
}
