extension PostgresSchema {
    /// Transfer between offices (이송): one transaction appends `sent-to-office` to the
    /// sending office's chain and `received-from-office` to the receiving one's, or neither.
    ///
    /// The client reads both heads under both locks, builds the two payloads (each names the
    /// other) and computes the sending event's hash, which the receiving payload names; this
    /// function then checks every cross-reference against what it chains itself, with the
    /// same `event_hash_v2` as `append`, and inserts both rows. Set up after `setup`.
    static let transferSetup = #"""
        SET LOCAL search_path = sinmungo, pg_temp;

        -- Both offices' chain locks, always in name order, so that transfers A→B and B→A
        -- running at once wait for each other instead of deadlocking. Appends and imports
        -- hold one office's lock only, so they cannot close a cycle with these.
        CREATE OR REPLACE FUNCTION lock_offices(p_one text, p_other text) RETURNS void
        LANGUAGE plpgsql SET search_path = sinmungo, pg_temp AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtextextended('sinmungo office ' || least(p_one COLLATE "C", p_other COLLATE "C"), 0));
            PERFORM pg_advisory_xact_lock(hashtextextended('sinmungo office ' || greatest(p_one COLLATE "C", p_other COLLATE "C"), 0));
        END $$;

        -- status: 'ok' (out_hash, in_hash are the rows' hashes), 'applied' (the command id is
        -- in the sending office's log), 'conflict' (actual holds the case's version),
        -- 'no-office' (no receiving office), 'case-taken' (the new case id is in use there) or
        -- 'moved' (a head is not the one the client built on). Nothing is written unless 'ok'.
        CREATE OR REPLACE FUNCTION transfer(
            p_from text, p_to text, p_case text, p_expected int, p_new_case text, p_command text,
            p_occurred text, p_recorded text, p_actor text,
            p_out_schema int, p_out_data text, p_in_schema int, p_in_data text
        ) RETURNS TABLE (status text, actual int, out_seq bigint, out_hash bytea, in_seq bigint, in_hash bytea)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = sinmungo, pg_temp AS $$
        DECLARE
            v_genesis constant bytea := '\x0000000000000000000000000000000000000000000000000000000000000000';
            v_version int;
            v_from_seq bigint;
            v_from_hash bytea;
            v_from_last text;
            v_to_seq bigint;
            v_to_hash bytea;
            v_to_last text;
            v_out_hash bytea;
            v_in_hash bytea;
            v_out jsonb := p_out_data::jsonb;
            v_in jsonb := p_in_data::jsonb;
        BEGIN
            IF NOT may_write(p_from) THEN
                RAISE EXCEPTION 'login % is not an officer of office %', session_user, p_from USING ERRCODE = '42501';
            END IF;
            IF p_from = p_to THEN
                RAISE EXCEPTION 'a case is transferred to another office, not to its own (%)', p_from USING ERRCODE = '22023';
            END IF;
            PERFORM lock_offices(p_from, p_to);
            -- Checked under the locks, as `append` does: one officer may not act for another.
            PERFORM refuse_other_officer(p_from, p_actor);
            IF NOT EXISTS (SELECT 1 FROM office o WHERE o.office = p_to) THEN
                RETURN QUERY SELECT 'no-office'::text, NULL::int, NULL::bigint, NULL::bytea, NULL::bigint, NULL::bytea;
                RETURN;
            END IF;
            IF EXISTS (SELECT 1 FROM event e WHERE e.office = p_from AND e.command_id = p_command) THEN
                RETURN QUERY SELECT 'applied'::text, NULL::int, NULL::bigint, NULL::bytea, NULL::bigint, NULL::bytea;
                RETURN;
            END IF;
            SELECT coalesce(max(e.case_version), 0) INTO v_version FROM event e WHERE e.office = p_from AND e.case_id = p_case;
            IF v_version <> p_expected THEN
                RETURN QUERY SELECT 'conflict'::text, v_version, NULL::bigint, NULL::bytea, NULL::bigint, NULL::bytea;
                RETURN;
            END IF;
            IF EXISTS (SELECT 1 FROM event e WHERE e.office = p_to AND e.case_id = p_new_case) THEN
                RETURN QUERY SELECT 'case-taken'::text, NULL::int, NULL::bigint, NULL::bytea, NULL::bigint, NULL::bytea;
                RETURN;
            END IF;
            SELECT e.seq, e.hash, e.recorded_at INTO v_from_seq, v_from_hash, v_from_last
                FROM event e WHERE e.office = p_from ORDER BY e.seq DESC LIMIT 1;
            SELECT e.seq, e.hash, e.recorded_at INTO v_to_seq, v_to_hash, v_to_last
                FROM event e WHERE e.office = p_to ORDER BY e.seq DESC LIMIT 1;
            v_from_seq := coalesce(v_from_seq, 0);
            v_to_seq := coalesce(v_to_seq, 0);
            v_from_hash := coalesce(v_from_hash, v_genesis);
            v_to_hash := coalesce(v_to_hash, v_genesis);
            -- The client built the payloads on these heads and this recorded time; if either
            -- moved since it read them, it builds again.
            IF (v_out->>'sequence')::bigint IS DISTINCT FROM v_to_seq + 1
                OR v_out->>'chained-on' IS DISTINCT FROM encode(v_to_hash, 'hex')
                OR (v_in->>'sequence')::bigint IS DISTINCT FROM v_from_seq + 1
                OR p_recorded < coalesce(v_from_last, '') OR p_recorded < coalesce(v_to_last, '') THEN
                RETURN QUERY SELECT 'moved'::text, NULL::int, NULL::bigint, NULL::bytea, NULL::bigint, NULL::bytea;
                RETURN;
            END IF;
            -- Layout 2, as `append` writes: the account is the session's login.
            v_out_hash := event_hash_v2(v_from_seq + 1, p_case, v_version + 1, 'sent-to-office', p_out_schema, p_occurred,
                                        p_recorded, p_actor, session_user, p_command, p_out_data, v_from_hash);
            -- Each event names the other: refuse payloads that do not.
            IF v_out->>'office' IS DISTINCT FROM p_to OR v_out->>'case' IS DISTINCT FROM p_new_case
                OR v_in->>'office' IS DISTINCT FROM p_from OR v_in->>'case' IS DISTINCT FROM p_case
                OR v_in->>'hash' IS DISTINCT FROM encode(v_out_hash, 'hex') THEN
                RAISE EXCEPTION 'the two events of a transfer do not name each other' USING ERRCODE = '22023';
            END IF;
            v_in_hash := event_hash_v2(v_to_seq + 1, p_new_case, 1, 'received-from-office', p_in_schema, p_occurred,
                                       p_recorded, p_actor, session_user, p_command, p_in_data, v_to_hash);
            INSERT INTO event (office, seq, case_id, case_version, type, schema_version, occurred_at, recorded_at, actor,
                               command_id, data, prev_hash, hash, layout, account)
                VALUES (p_from, v_from_seq + 1, p_case, v_version + 1, 'sent-to-office', p_out_schema, p_occurred,
                        p_recorded, p_actor, p_command, p_out_data, v_from_hash, v_out_hash, 2, session_user);
            INSERT INTO event (office, seq, case_id, case_version, type, schema_version, occurred_at, recorded_at, actor,
                               command_id, data, prev_hash, hash, layout, account)
                VALUES (p_to, v_to_seq + 1, p_new_case, 1, 'received-from-office', p_in_schema, p_occurred,
                        p_recorded, p_actor, p_command, p_in_data, v_to_hash, v_in_hash, 2, session_user);
            RETURN QUERY SELECT 'ok'::text, NULL::int, v_from_seq + 1, v_out_hash, v_to_seq + 1, v_in_hash;
        END $$;

        REVOKE ALL ON FUNCTION lock_offices(text, text), transfer(text, text, text, int, text, text, text, text, text, int, text, int, text) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION lock_offices(text, text),
            transfer(text, text, text, int, text, text, text, text, text, int, text, int, text) TO sinmungo_officer;
        """#
}
