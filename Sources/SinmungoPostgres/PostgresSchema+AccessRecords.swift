extension PostgresSchema {
    /// The access records (접속기록) on the server, set up by `init` after `setup`: one chain per
    /// office, hashed exactly as `AccessRecordChain` lays them out, so one verifier reads
    /// SQLite's and the server's alike.
    ///
    /// Officers append only through `record_access`, which records the database login as the
    /// account; nobody updates or deletes a record, the owner included, except `prune_access_records`
    /// removing the oldest ones after their retention. Auditors read every office's records
    /// (they hold no personal data: the person is a key id), privacy officers their own
    /// offices', officers and statistics staff none.
    static let accessRecordSetup = #"""
        SET LOCAL search_path = sinmungo, pg_temp;

        CREATE TABLE IF NOT EXISTS access_record (
            office text COLLATE "C" NOT NULL REFERENCES office,
            seq bigint NOT NULL CHECK (seq > 0),
            at text COLLATE "C" NOT NULL,
            account text NOT NULL,
            officer text NOT NULL,
            host text NOT NULL,
            case_id text,
            person text,
            task text NOT NULL,
            reason text,
            prev_hash bytea NOT NULL,
            hash bytea NOT NULL,
            PRIMARY KEY (office, seq)
        );
        CREATE INDEX IF NOT EXISTS access_record_at ON access_record (office, at);
        -- Where an office's chain starts once its oldest records were pruned after their retention.
        CREATE TABLE IF NOT EXISTS access_record_start (
            office text COLLATE "C" PRIMARY KEY REFERENCES office,
            seq bigint NOT NULL,
            hash bytea NOT NULL
        );

        -- Only records the start has moved past may go; the chain catches any other loss.
        CREATE OR REPLACE FUNCTION access_record_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' AND OLD.seq <= coalesce(
                (SELECT s.seq FROM sinmungo.access_record_start s WHERE s.office = OLD.office), 0) THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION 'access records are append-only and deleted only after their retention: % is refused', TG_OP
                USING ERRCODE = '42501';
        END $$;
        DROP TRIGGER IF EXISTS access_record_append_only ON access_record;
        CREATE TRIGGER access_record_append_only BEFORE UPDATE OR DELETE ON access_record
            FOR EACH ROW EXECUTE FUNCTION access_record_refuse_change();
        DROP TRIGGER IF EXISTS access_record_no_truncate ON access_record;
        CREATE TRIGGER access_record_no_truncate BEFORE TRUNCATE ON access_record
            FOR EACH STATEMENT EXECUTE FUNCTION access_record_refuse_change();

        -- AccessRecordChain's field: 8-byte big-endian length and UTF-8 bytes; absent, 2^64-1 alone.
        -- STABLE, as convert_to is, so that it is inlined (see hash_field).
        CREATE OR REPLACE FUNCTION access_field(value text) RETURNS bytea
            LANGUAGE sql STABLE PARALLEL SAFE
            RETURN CASE WHEN value IS NULL THEN '\xffffffffffffffff'::bytea
                ELSE int8send(octet_length(convert_to(value, 'UTF8'))::bigint) || convert_to(value, 'UTF8') END;

        CREATE OR REPLACE FUNCTION access_hash(
            seq bigint, at text, account text, officer text, host text, case_id text, person text, task text,
            reason text, prev_hash bytea
        ) RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE
            RETURN sha256(
                access_field('sinmungo-access-v1') || access_field(seq::text) || access_field(at)
                || access_field(account) || access_field(officer) || access_field(host) || access_field(case_id)
                || access_field(person) || access_field(task) || access_field(reason) || prev_hash);

        -- The office's last record, or where its chain starts: (0, genesis) before any.
        CREATE OR REPLACE FUNCTION access_head(p_office text) RETURNS TABLE (seq bigint, hash bytea)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = sinmungo, pg_temp AS $$
            SELECT h.seq, h.hash FROM (
                SELECT r.seq, r.hash FROM access_record r WHERE r.office = p_office
                UNION ALL SELECT s.seq, s.hash FROM access_record_start s WHERE s.office = p_office
                UNION ALL SELECT 0, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea
            ) h ORDER BY h.seq DESC LIMIT 1
        $$;

        -- One access record, chained under the office's own lock (not the event log's, so
        -- openings never wait for appends). The account is the session's login, whatever the
        -- client says; the time never runs backwards.
        CREATE OR REPLACE FUNCTION record_access(
            p_office text, p_at text, p_officer text, p_host text, p_case text, p_person text, p_task text,
            p_reason text
        ) RETURNS TABLE (seq bigint, at text, account text)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = sinmungo, pg_temp AS $$
        DECLARE
            v_seq bigint;
            v_hash bytea;
            v_last text;
            v_at text := p_at;
        BEGIN
            IF NOT may_write(p_office) THEN
                RAISE EXCEPTION 'login % is not an officer of office %', session_user, p_office USING ERRCODE = '42501';
            END IF;
            IF p_at IS NULL OR p_at !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+09:00$' THEN
                RAISE EXCEPTION 'an access record''s time is ISO 8601 in KST, not %', p_at USING ERRCODE = '22023';
            END IF;
            IF p_task IS NULL OR p_task NOT IN ('view', 'change', 'input', 'erase', 'print', 'download', 'monthly-check') THEN
                RAISE EXCEPTION 'no access record task %', p_task USING ERRCODE = '22023';
            END IF;
            IF p_task IN ('print', 'download') AND coalesce(btrim(p_reason), '') = '' THEN
                RAISE EXCEPTION 'a % needs its reason in the access record', p_task USING ERRCODE = '22023';
            END IF;
            PERFORM pg_advisory_xact_lock(hashtextextended('sinmungo access ' || p_office, 0));
            INSERT INTO office VALUES (p_office) ON CONFLICT DO NOTHING;
            SELECT r.seq, r.hash, r.at INTO v_seq, v_hash, v_last
                FROM access_record r WHERE r.office = p_office ORDER BY r.seq DESC LIMIT 1;
            IF NOT FOUND THEN
                SELECT h.seq, h.hash INTO v_seq, v_hash FROM access_head(p_office) h;
            END IF;
            IF v_last IS NOT NULL AND v_last > v_at THEN v_at := v_last; END IF;
            v_seq := v_seq + 1;
            INSERT INTO access_record (office, seq, at, account, officer, host, case_id, person, task, reason,
                                       prev_hash, hash)
                VALUES (p_office, v_seq, v_at, session_user, p_officer, p_host, p_case, p_person, p_task, p_reason,
                        v_hash, access_hash(v_seq, v_at, session_user, p_officer, p_host, p_case, p_person, p_task,
                                            p_reason, v_hash));
            RETURN QUERY SELECT v_seq, v_at, session_user::text;
        END $$;

        -- Deletes an office's records older than p_cutoff, from the oldest end, moving the
        -- chain's start past them; only the owner or the office's privacy officer may.
        CREATE OR REPLACE FUNCTION prune_access_records(p_office text, p_cutoff text) RETURNS bigint
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = sinmungo, pg_temp AS $$
        DECLARE
            v_seq bigint;
            v_hash bytea;
            v_count bigint;
        BEGIN
            IF NOT (pg_has_role(session_user, (SELECT nspowner FROM pg_namespace WHERE nspname = 'sinmungo'), 'MEMBER')
                    OR (pg_has_role(session_user, 'sinmungo_privacy_officer', 'MEMBER')
                        AND EXISTS (SELECT 1 FROM officer o WHERE o.login = session_user AND o.office = p_office))) THEN
                RAISE EXCEPTION 'login % is not a privacy officer of office %', session_user, p_office
                    USING ERRCODE = '42501';
            END IF;
            PERFORM pg_advisory_xact_lock(hashtextextended('sinmungo access ' || p_office, 0));
            SELECT r.seq, r.hash INTO v_seq, v_hash FROM access_record r
                WHERE r.office = p_office AND r.at < p_cutoff ORDER BY r.seq DESC LIMIT 1;
            IF NOT FOUND THEN RETURN 0; END IF;
            INSERT INTO access_record_start (office, seq, hash) VALUES (p_office, v_seq, v_hash)
                ON CONFLICT (office) DO UPDATE SET seq = excluded.seq, hash = excluded.hash;
            DELETE FROM access_record r WHERE r.office = p_office AND r.seq <= v_seq;
            GET DIAGNOSTICS v_count = ROW_COUNT;
            RETURN v_count;
        END $$;

        -- Roles are the cluster's, and init in another database may make them at the same time.
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sinmungo_privacy_officer') THEN
                BEGIN
                    CREATE ROLE sinmungo_privacy_officer NOLOGIN;
                EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                END;
            END IF;
            -- A privacy officer is an officer too: approving an erasure is an append.
            IF NOT pg_has_role('sinmungo_privacy_officer', 'sinmungo_officer', 'MEMBER') THEN
                BEGIN
                    GRANT sinmungo_officer TO sinmungo_privacy_officer;
                EXCEPTION WHEN unique_violation OR internal_error THEN NULL;
                END;
            END IF;
        END $$;
        REVOKE ALL ON access_record, access_record_start FROM PUBLIC;
        REVOKE ALL ON FUNCTION access_record_refuse_change(), access_field(text),
            access_hash(bigint, text, text, text, text, text, text, text, text, bytea), access_head(text),
            record_access(text, text, text, text, text, text, text, text), prune_access_records(text, text)
            FROM PUBLIC;
        GRANT SELECT ON access_record, access_record_start TO sinmungo_auditor, sinmungo_privacy_officer;
        GRANT EXECUTE ON FUNCTION access_head(text) TO sinmungo_officer, sinmungo_auditor;
        GRANT EXECUTE ON FUNCTION record_access(text, text, text, text, text, text, text, text) TO sinmungo_officer;
        GRANT EXECUTE ON FUNCTION prune_access_records(text, text) TO sinmungo_privacy_officer;
        GRANT EXECUTE ON FUNCTION access_field(text),
            access_hash(bigint, text, text, text, text, text, text, text, text, bytea)
            TO sinmungo_auditor, sinmungo_privacy_officer;
        ALTER TABLE access_record ENABLE ROW LEVEL SECURITY;
        ALTER TABLE access_record_start ENABLE ROW LEVEL SECURITY;
        DROP POLICY IF EXISTS auditors_read_all ON access_record;
        CREATE POLICY auditors_read_all ON access_record FOR SELECT TO sinmungo_auditor USING (true);
        DROP POLICY IF EXISTS privacy_officers_own_office ON access_record;
        CREATE POLICY privacy_officers_own_office ON access_record FOR SELECT TO sinmungo_privacy_officer
            USING (office IN (SELECT o.office FROM officer o WHERE o.login = session_user));
        DROP POLICY IF EXISTS auditors_read_all ON access_record_start;
        CREATE POLICY auditors_read_all ON access_record_start FOR SELECT TO sinmungo_auditor USING (true);
        DROP POLICY IF EXISTS privacy_officers_own_office ON access_record_start;
        CREATE POLICY privacy_officers_own_office ON access_record_start FOR SELECT TO sinmungo_privacy_officer
            USING (office IN (SELECT o.office FROM officer o WHERE o.login = session_user));
        """#
}
