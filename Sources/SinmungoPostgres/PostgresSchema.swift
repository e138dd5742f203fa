/// The schema `init` sets up on PostgreSQL: the log, the keys, the views, the roles and the
/// one function through which every command appends.
///
/// Ordering follows message-db's `write_message`: one transaction-scoped advisory lock per
/// office (its category), taken inside one server-side function, so offices append in
/// parallel and each office's chain and sequence stay exact and gapless. A reader never sees
/// a gap that fills in later, because the next number of an office is only taken by the
/// holder of its lock, which commits or rolls back before the next writer reads the head.
enum PostgresSchema {
    /// Raised whenever the layout below changes incompatibly. 2: events in hashed layout 2,
    /// which an older Sinmungo would take for changed.
    static let format = 2

    static let roles = ["sinmungo_officer", "sinmungo_auditor", "sinmungo_statistics"]

    static let setup = #"""
        CREATE SCHEMA IF NOT EXISTS sinmungo;
        SET LOCAL search_path = sinmungo, pg_temp;

        CREATE TABLE IF NOT EXISTS format (format int NOT NULL);
        INSERT INTO format SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM format);

        CREATE TABLE IF NOT EXISTS office (
            office text COLLATE "C" PRIMARY KEY CHECK (office <> '')
        );
        INSERT INTO office VALUES ('default') ON CONFLICT DO NOTHING;

        -- The log. Text columns sort by bytes, so ISO 8601 times in one zone sort as times.
        CREATE TABLE IF NOT EXISTS event (
            office text COLLATE "C" NOT NULL REFERENCES office,
            seq bigint NOT NULL CHECK (seq > 0),
            case_id text COLLATE "C" NOT NULL,
            case_version int NOT NULL CHECK (case_version > 0),
            type text COLLATE "C" NOT NULL,
            schema_version int NOT NULL,
            occurred_at text COLLATE "C" NOT NULL,
            recorded_at text COLLATE "C" NOT NULL,
            actor text COLLATE "C" NOT NULL,
            command_id text COLLATE "C" NOT NULL,
            data text COLLATE "C" NOT NULL,
            prev_hash bytea NOT NULL,
            hash bytea NOT NULL,
            -- Which hashed layout of LogFormat covers the row (1: sinmungo-event-v1, 2: sinmungo-event-v2).
            layout smallint NOT NULL DEFAULT 1,
            -- The database login that recorded the row (hashed in layout 2 only).
            account text NOT NULL DEFAULT session_user,
            PRIMARY KEY (office, seq),
            UNIQUE (office, case_id, case_version)
        );
        CREATE INDEX IF NOT EXISTS event_command ON event (office, command_id);

        -- Nobody changes the log in place, the owner included.
        CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the event log is append-only: % is refused', TG_OP USING ERRCODE = '42501';
        END $$;
        DROP TRIGGER IF EXISTS event_append_only ON event;
        CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON event
            FOR EACH ROW EXECUTE FUNCTION refuse_change();
        DROP TRIGGER IF EXISTS event_no_truncate ON event;
        CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON event
            FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

        -- Personal-data keys, apart from the log, readable only by the office's officers.
        CREATE TABLE IF NOT EXISTS person_key (
            person text COLLATE "C" PRIMARY KEY,
            office text COLLATE "C" NOT NULL REFERENCES office,
            case_id text COLLATE "C" NOT NULL,
            key bytea NOT NULL CHECK (octet_length(key) = 32)
        ) WITH (fillfactor = 100);

        -- Which login is an officer of which office.
        CREATE TABLE IF NOT EXISTS officer (
            login text COLLATE "C" NOT NULL,
            office text COLLATE "C" NOT NULL REFERENCES office,
            PRIMARY KEY (login, office)
        );

        -- The views (the case list: no personal data), written by `rebuild`, for statistics staff.
        CREATE TABLE IF NOT EXISTS view_row (
            office text COLLATE "C" NOT NULL REFERENCES office,
            projection text COLLATE "C" NOT NULL,
            case_id text COLLATE "C" NOT NULL,
            data text NOT NULL,
            PRIMARY KEY (office, projection, case_id)
        );
        CREATE TABLE IF NOT EXISTS view_checkpoint (
            office text COLLATE "C" NOT NULL REFERENCES office,
            projection text COLLATE "C" NOT NULL,
            version int NOT NULL,
            seq bigint NOT NULL,
            PRIMARY KEY (office, projection)
        );
        -- The hash of the checkpoint's event, so that readers of the views alone can name the head they cover.
        ALTER TABLE view_checkpoint ADD COLUMN IF NOT EXISTS hash bytea;

        -- One field of the hashed bytes: its length as 8 bytes big-endian, then its UTF-8 bytes.
        -- STABLE, as convert_to is: the planner inlines an SQL function only when it claims no
        -- more than its body, and one it cannot inline is parsed and planned at every call,
        -- thirteen times an event: a fifth of the server's time in an append (perf).
        CREATE OR REPLACE FUNCTION hash_field(value text) RETURNS bytea
            LANGUAGE sql STABLE STRICT PARALLEL SAFE
            RETURN int8send(octet_length(convert_to(value, 'UTF8'))::bigint) || convert_to(value, 'UTF8');

        CREATE OR REPLACE FUNCTION event_hash(
            seq bigint, case_id text, case_version int, type text, schema_version int,
            occurred_at text, recorded_at text, actor text, command_id text, data text, prev_hash bytea
        ) RETURNS bytea LANGUAGE sql STABLE STRICT PARALLEL SAFE
            RETURN sha256(
                hash_field('sinmungo-event-v1') || hash_field(seq::text) || hash_field(case_id)
                || hash_field(case_version::text) || hash_field(type) || hash_field(schema_version::text)
                || hash_field(occurred_at) || hash_field(recorded_at) || hash_field(actor)
                || hash_field(command_id) || hash_field(data)
                || int8send(octet_length(prev_hash)::bigint) || prev_hash);

        -- Layout 2: the account (here the session's login) is hashed after the actor.
        CREATE OR REPLACE FUNCTION event_hash_v2(
            seq bigint, case_id text, case_version int, type text, schema_version int,
            occurred_at text, recorded_at text, actor text, account text, command_id text, data text, prev_hash bytea
        ) RETURNS bytea LANGUAGE sql STABLE STRICT PARALLEL SAFE
            RETURN sha256(
                hash_field('sinmungo-event-v2') || hash_field(seq::text) || hash_field(case_id)
                || hash_field(case_version::text) || hash_field(type) || hash_field(schema_version::text)
                || hash_field(occurred_at) || hash_field(recorded_at) || hash_field(actor) || hash_field(account)
                || hash_field(command_id) || hash_field(data)
                || int8send(octet_length(prev_hash)::bigint) || prev_hash);

        -- May the session's login append to this office?
        -- In PL/pgSQL, whose plans last the session: an SQL function is planned at every call,
        -- which cost a fifth of an append.
        CREATE OR REPLACE FUNCTION may_write(p_office text) RETURNS boolean
            LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = sinmungo, pg_temp AS $$
        BEGIN
            RETURN EXISTS (SELECT 1 FROM officer o WHERE o.login = session_user AND o.office = p_office)
                OR pg_has_role(session_user, (SELECT nspowner FROM pg_namespace WHERE nspname = 'sinmungo'), 'MEMBER');
        END $$;

        -- Identity. The roster's ties of logins to officers (`roster officer add|change --account`),
        -- kept by the server from the roster events as they are inserted (by append or by an
        -- import's COPY alike), so append can refuse a login acting as an officer it is not
        -- tied to without trusting the client's checks.
        DO $$
        BEGIN
            IF to_regclass('sinmungo.officer_account') IS NULL THEN
                CREATE TABLE officer_account (
                    office text COLLATE "C" NOT NULL REFERENCES office,
                    account text COLLATE "C" NOT NULL,
                    officer text COLLATE "C" NOT NULL,
                    PRIMARY KEY (office, account, officer)
                );
                CREATE INDEX officer_account_officer ON officer_account (office, officer);
                -- A log from before the table: each officer's last grant, change or removal counts.
                INSERT INTO officer_account (office, account, officer)
                    SELECT g.office, a.account, g.officer
                    FROM (SELECT DISTINCT ON (e.office, e.data::jsonb ->> 'officer')
                                 e.office, e.type, e.data::jsonb ->> 'officer' AS officer, e.data::jsonb -> 'accounts' AS accounts
                          FROM event e
                          WHERE e.case_id = 'ROSTER' AND e.type IN ('officer-granted', 'officer-changed', 'officer-removed')
                          ORDER BY e.office, e.data::jsonb ->> 'officer', e.seq DESC) g
                    CROSS JOIN LATERAL jsonb_array_elements_text(
                        CASE WHEN jsonb_typeof(g.accounts) = 'array' THEN g.accounts ELSE '[]'::jsonb END) AS a(account)
                    WHERE g.type <> 'officer-removed'
                    ON CONFLICT DO NOTHING;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'event_layout'
                           AND conrelid = 'sinmungo.event'::regclass) THEN
                ALTER TABLE event ADD CONSTRAINT event_layout CHECK (layout IN (1, 2));
            END IF;
        END $$;
        UPDATE format SET format = 2 WHERE format < 2;

        -- The roster's administrators, kept like the ties above, so that append refuses a
        -- roster change by anyone else: without it, an officer calling append directly could
        -- tie their login to another officer and act as them.
        DO $$
        BEGIN
            IF to_regclass('sinmungo.roster_administrator') IS NULL THEN
                CREATE TABLE roster_administrator (
                    office text COLLATE "C" NOT NULL REFERENCES office,
                    officer text COLLATE "C" NOT NULL,
                    PRIMARY KEY (office, officer)
                );
                INSERT INTO roster_administrator (office, officer)
                    SELECT g.office, g.officer
                    FROM (SELECT DISTINCT ON (e.office, e.data::jsonb ->> 'officer')
                                 e.office, e.type, e.data::jsonb ->> 'officer' AS officer, e.data::jsonb -> 'roles' AS roles
                          FROM event e
                          WHERE e.case_id = 'ROSTER' AND e.type IN ('officer-granted', 'officer-changed', 'officer-removed')
                          ORDER BY e.office, e.data::jsonb ->> 'officer', e.seq DESC) g
                    WHERE g.type <> 'officer-removed' AND jsonb_typeof(g.roles) = 'array' AND g.roles ? 'administrator'
                    ON CONFLICT DO NOTHING;
            END IF;
        END $$;

        CREATE OR REPLACE FUNCTION keep_officer_accounts() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = sinmungo, pg_temp AS $$
        DECLARE
            v_data jsonb := NEW.data::jsonb;
        BEGIN
            DELETE FROM officer_account t WHERE t.office = NEW.office AND t.officer = v_data ->> 'officer';
            IF NEW.type <> 'officer-removed' AND jsonb_typeof(v_data -> 'accounts') = 'array' THEN
                INSERT INTO officer_account (office, account, officer)
                    SELECT NEW.office, a, v_data ->> 'officer' FROM jsonb_array_elements_text(v_data -> 'accounts') AS a
                    ON CONFLICT DO NOTHING;
            END IF;
            DELETE FROM roster_administrator r WHERE r.office = NEW.office AND r.officer = v_data ->> 'officer';
            IF NEW.type <> 'officer-removed' AND jsonb_typeof(v_data -> 'roles') = 'array' AND v_data -> 'roles' ? 'administrator' THEN
                INSERT INTO roster_administrator (office, officer) VALUES (NEW.office, v_data ->> 'officer')
                    ON CONFLICT DO NOTHING;
            END IF;
            RETURN NULL;
        END $$;
        DROP TRIGGER IF EXISTS event_officer_accounts ON event;
        CREATE TRIGGER event_officer_accounts AFTER INSERT ON event FOR EACH ROW
            WHEN (NEW.case_id = 'ROSTER' AND NEW.type IN ('officer-granted', 'officer-changed', 'officer-removed'))
            EXECUTE FUNCTION keep_officer_accounts();

        -- The rules the roster holds (Roster.authorize), for the session's login: a login tied to
        -- officers acts only as one of them, and an officer tied to logins acts only from them.
        CREATE OR REPLACE FUNCTION refuse_other_officer(p_office text, p_actor text) RETURNS void
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = sinmungo, pg_temp AS $$
        DECLARE
            v_tied text;
        BEGIN
            IF EXISTS (SELECT 1 FROM officer_account t
                       WHERE t.office = p_office AND t.account = session_user AND t.officer = p_actor) THEN
                RETURN;
            END IF;
            SELECT string_agg(t.officer, ', ' ORDER BY t.officer) INTO v_tied
                FROM officer_account t WHERE t.office = p_office AND t.account = session_user;
            IF v_tied IS NOT NULL THEN
                RAISE EXCEPTION 'the login % acts as % on the roster of office %, not as %; one officer may not act for another',
                    session_user, v_tied, p_office, p_actor USING ERRCODE = '42501';
            END IF;
            SELECT string_agg(t.account, ', ' ORDER BY t.account) INTO v_tied
                FROM officer_account t WHERE t.office = p_office AND t.officer = p_actor;
            IF v_tied IS NOT NULL THEN
                RAISE EXCEPTION '% acts only from the login(s) % on the roster of office %, not from %; one officer may not act for another',
                    p_actor, v_tied, p_office, session_user USING ERRCODE = '42501';
            END IF;
        END $$;

        -- One command: lock the office's chain, check the command id and the case version,
        -- chain and insert the events, store new keys and destroy erased ones. status is
        -- 'ok' (one row an event), 'applied' (the command id is in the office's log) or
        -- 'conflict' (actual holds the case's version); nothing is written unless 'ok'.
        --
        -- The views travel with the command: p_views names the projections (p_view_versions
        -- their versions) the client folded the events into, and p_row_* the rows it changed,
        -- each with the row it started from (p_row_bases, '' for none). The event sequences,
        -- which only the server assigns, stand in those rows as p_sentinel, p_sentinel + 1, ….
        -- The rows are stored, and the checkpoints moved, only when the views stood at the
        -- office's head and every row is still the one the client started from; otherwise the
        -- events are written all the same and views is false, so the client folds them in.
        DROP FUNCTION IF EXISTS append(text, text, int, text, text, text, text, text[], int[], text[], text[], bytea[], text[]);
        CREATE OR REPLACE FUNCTION append(
            p_office text, p_case text, p_expected int, p_command text, p_occurred text, p_recorded text,
            p_actor text, p_types text[], p_schemas int[], p_data text[],
            p_persons text[], p_keys bytea[], p_erased text[],
            p_views text[] DEFAULT NULL, p_view_versions int[] DEFAULT NULL, p_sentinel bigint DEFAULT NULL,
            p_row_views text[] DEFAULT NULL, p_row_cases text[] DEFAULT NULL, p_row_bases text[] DEFAULT NULL,
            p_row_data text[] DEFAULT NULL
        ) RETURNS TABLE (status text, seq bigint, case_version int, recorded_at text, actual int, views boolean)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = sinmungo, pg_temp AS $$
        DECLARE
            v_first bigint;
            v_current boolean := p_views IS NOT NULL;
            v_checkpoint record;
            v_row text;
            v_seq bigint := 0;
            v_hash bytea := '\x0000000000000000000000000000000000000000000000000000000000000000';
            v_last text;
            v_version int;
            v_recorded text := p_recorded;
            v_next bytea;
        BEGIN
            IF NOT may_write(p_office) THEN
                RAISE EXCEPTION 'login % is not an officer of office %', session_user, p_office USING ERRCODE = '42501';
            END IF;
            PERFORM pg_advisory_xact_lock(hashtextextended('sinmungo office ' || p_office, 0));
            -- Checked under the lock, so no roster change of the office slips in between.
            PERFORM refuse_other_officer(p_office, p_actor);
            -- Once the office has an administrator, only an administrator changes its roster.
            IF p_case = 'ROSTER'
                AND EXISTS (SELECT 1 FROM roster_administrator r WHERE r.office = p_office)
                AND NOT EXISTS (SELECT 1 FROM roster_administrator r WHERE r.office = p_office AND r.officer = p_actor) THEN
                RAISE EXCEPTION '% is not an administrator of office %: only an administrator changes its roster', p_actor, p_office
                    USING ERRCODE = '42501';
            END IF;
            -- The two halves of a transfer are written together by transfer(), never one alone.
            IF p_types && ARRAY['sent-to-office', 'received-from-office']::text[] THEN
                RAISE EXCEPTION 'a transfer between offices is written by sinmungo.transfer, not by append'
                    USING ERRCODE = '42501';
            END IF;
            INSERT INTO office VALUES (p_office) ON CONFLICT DO NOTHING;
            IF EXISTS (SELECT 1 FROM event e WHERE e.office = p_office AND e.command_id = p_command) THEN
                RETURN QUERY SELECT 'applied'::text, NULL::bigint, NULL::int, NULL::text, NULL::int, NULL::boolean;
                RETURN;
            END IF;
            -- Written as the unique index reads it: as max(), a plan made while the table was
            -- small can walk every event of the office instead, for the life of the session.
            SELECT e.case_version INTO v_version
                FROM event e WHERE e.office = p_office AND e.case_id = p_case ORDER BY e.case_version DESC LIMIT 1;
            v_version := coalesce(v_version, 0);
            IF v_version <> p_expected THEN
                RETURN QUERY SELECT 'conflict'::text, NULL::bigint, NULL::int, NULL::text, v_version, NULL::boolean;
                RETURN;
            END IF;
            SELECT e.seq, e.hash, e.recorded_at INTO v_seq, v_hash, v_last
                FROM event e WHERE e.office = p_office ORDER BY e.seq DESC LIMIT 1;
            IF NOT FOUND THEN
                v_seq := 0;
                v_hash := '\x0000000000000000000000000000000000000000000000000000000000000000';
            END IF;
            -- Recorded time never runs backwards, whatever the client's clock says.
            IF v_last IS NOT NULL AND v_last > v_recorded THEN v_recorded := v_last; END IF;
            IF coalesce(cardinality(p_persons), 0) > 0 THEN
                INSERT INTO person_key (person, office, case_id, key)
                    SELECT person, p_office, p_case, key FROM unnest(p_persons, p_keys) AS k(person, key);
            END IF;
            v_first := v_seq + 1;
            FOR i IN 1 .. cardinality(p_types) LOOP
                v_seq := v_seq + 1;
                v_version := v_version + 1;
                -- The account is the session's login, never a value the client passes.
                v_next := event_hash_v2(v_seq, p_case, v_version, p_types[i], p_schemas[i], p_occurred, v_recorded,
                                        p_actor, session_user, p_command, p_data[i], v_hash);
                INSERT INTO event (office, seq, case_id, case_version, type, schema_version, occurred_at,
                                   recorded_at, actor, command_id, data, prev_hash, hash, layout, account)
                    VALUES (p_office, v_seq, p_case, v_version, p_types[i], p_schemas[i], p_occurred,
                            v_recorded, p_actor, p_command, p_data[i], v_hash, v_next, 2, session_user);
                v_hash := v_next;
            END LOOP;
            IF coalesce(cardinality(p_erased), 0) > 0 THEN
                DELETE FROM person_key k WHERE k.office = p_office AND k.person = ANY (p_erased);
            END IF;
            FOR i IN 1 .. coalesce(cardinality(p_views), 0) LOOP
                SELECT c.version, c.seq INTO v_checkpoint FROM view_checkpoint c
                    WHERE c.office = p_office AND c.projection = p_views[i];
                IF (FOUND AND (v_checkpoint.version <> p_view_versions[i] OR v_checkpoint.seq <> v_first - 1))
                    OR (NOT FOUND AND v_first > 1) THEN
                    v_current := false;
                END IF;
            END LOOP;
            FOR j IN 1 .. coalesce(cardinality(p_row_cases), 0) LOOP
                EXIT WHEN NOT v_current;
                SELECT r.data INTO v_row FROM view_row r
                    WHERE r.office = p_office AND r.projection = p_row_views[j] AND r.case_id = p_row_cases[j];
                IF coalesce(v_row, '') <> p_row_bases[j] THEN v_current := false; END IF;
            END LOOP;
            IF v_current THEN
                FOR j IN 1 .. coalesce(cardinality(p_row_cases), 0) LOOP
                    v_row := p_row_data[j];
                    FOR k IN 0 .. v_seq - v_first LOOP
                        v_row := replace(v_row, (p_sentinel + k)::text, (v_first + k)::text);
                    END LOOP;
                    INSERT INTO view_row (office, projection, case_id, data) VALUES (p_office, p_row_views[j], p_row_cases[j], v_row)
                        ON CONFLICT ON CONSTRAINT view_row_pkey DO UPDATE SET data = excluded.data;
                END LOOP;
                INSERT INTO view_checkpoint (office, projection, version, seq, hash)
                    SELECT p_office, v.projection, v.version, v_seq, v_hash FROM unnest(p_views, p_view_versions) AS v(projection, version)
                    ON CONFLICT ON CONSTRAINT view_checkpoint_pkey
                    DO UPDATE SET version = excluded.version, seq = excluded.seq, hash = excluded.hash;
            END IF;
            RETURN QUERY SELECT 'ok'::text, e.seq, e.case_version, e.recorded_at, NULL::int, v_current
                FROM event e WHERE e.office = p_office AND e.seq >= v_first ORDER BY e.seq;
        END $$;

        -- Destroys the key of an erasure the log records but whose key survived.
        CREATE OR REPLACE FUNCTION finish_erasure(p_office text, p_person text) RETURNS boolean
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = sinmungo, pg_temp AS $$
        BEGIN
            IF NOT may_write(p_office) THEN
                RAISE EXCEPTION 'login % is not an officer of office %', session_user, p_office USING ERRCODE = '42501';
            END IF;
            DELETE FROM person_key k WHERE k.office = p_office AND k.person = p_person;
            RETURN FOUND;
        END $$;

        -- Roles: officers append only through append(); auditors read the log but no key;
        -- statistics staff read the case list only. Row-level security keeps each office's
        -- keys to its own officers.
        DO $$
        DECLARE r text;
        BEGIN
            FOREACH r IN ARRAY ARRAY['sinmungo_officer', 'sinmungo_auditor', 'sinmungo_statistics'] LOOP
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
                    -- Roles are the cluster's: init in another database may be making it too.
                    BEGIN
                        EXECUTE format('CREATE ROLE %I NOLOGIN', r);
                    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                    END;
                END IF;
            END LOOP;
        END $$;
        REVOKE ALL ON ALL TABLES IN SCHEMA sinmungo FROM PUBLIC;
        REVOKE ALL ON ALL FUNCTIONS IN SCHEMA sinmungo FROM PUBLIC;
        GRANT USAGE ON SCHEMA sinmungo TO sinmungo_officer, sinmungo_auditor, sinmungo_statistics;
        GRANT SELECT ON format, office, event, officer, view_row, view_checkpoint TO sinmungo_officer, sinmungo_auditor;
        GRANT SELECT ON person_key TO sinmungo_officer;
        GRANT SELECT ON format, office, view_row, view_checkpoint TO sinmungo_statistics;
        GRANT EXECUTE ON FUNCTION append(text, text, int, text, text, text, text, text[], int[], text[], text[], bytea[], text[],
                text[], int[], bigint, text[], text[], text[], text[]),
            finish_erasure(text, text), may_write(text) TO sinmungo_officer;
        GRANT EXECUTE ON FUNCTION hash_field(text),
            event_hash(bigint, text, int, text, int, text, text, text, text, text, bytea)
            TO sinmungo_officer, sinmungo_auditor;
        GRANT EXECUTE ON FUNCTION event_hash_v2(bigint, text, int, text, int, text, text, text, text, text, text, bytea)
            TO sinmungo_officer, sinmungo_auditor;
        GRANT SELECT ON officer_account, roster_administrator TO sinmungo_officer, sinmungo_auditor;
        ALTER TABLE person_key ENABLE ROW LEVEL SECURITY;
        DROP POLICY IF EXISTS own_office ON person_key;
        CREATE POLICY own_office ON person_key FOR SELECT TO sinmungo_officer
            USING (office IN (SELECT o.office FROM officer o WHERE o.login = session_user));
        """#
}
