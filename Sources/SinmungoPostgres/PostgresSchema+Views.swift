extension PostgresSchema {
    /// How the views are kept current beside `append`: by a client that folds events the
    /// append could not store rows for (a transfer, a race on a row, views left behind), and
    /// how statistics staff, who read no event, learn how far the log has gone.
    static let viewSetup = #"""
        SET LOCAL search_path = sinmungo, pg_temp;

        -- Stores rows a client folded from the events after each view's checkpoint p_from, up
        -- to the office's event p_to (whose hash is p_hash); p_from 0 replaces the view's rows.
        -- Refused unless each checkpoint still stands where the client read it.
        CREATE OR REPLACE FUNCTION store_views(
            p_office text, p_views text[], p_versions int[], p_from bigint[], p_to bigint, p_hash bytea,
            p_row_views text[], p_row_cases text[], p_row_data text[]
        ) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = sinmungo, pg_temp AS $$
        DECLARE
            v_checkpoint record;
        BEGIN
            IF NOT may_write(p_office) THEN
                RAISE EXCEPTION 'login % is not an officer of office %', session_user, p_office USING ERRCODE = '42501';
            END IF;
            PERFORM pg_advisory_xact_lock(hashtextextended('sinmungo office ' || p_office, 0));
            IF (p_to > 0 AND NOT EXISTS (SELECT 1 FROM event e WHERE e.office = p_office AND e.seq = p_to AND e.hash = p_hash))
                OR EXISTS (SELECT 1 FROM event e WHERE e.office = p_office AND e.seq > p_to) THEN
                RAISE EXCEPTION 'the views of office % can only be brought to its head', p_office USING ERRCODE = '40001';
            END IF;
            FOR i IN 1 .. cardinality(p_views) LOOP
                SELECT c.version, c.seq INTO v_checkpoint FROM view_checkpoint c
                    WHERE c.office = p_office AND c.projection = p_views[i];
                IF p_from[i] = 0 THEN
                    DELETE FROM view_row r WHERE r.office = p_office AND r.projection = p_views[i];
                ELSIF NOT FOUND OR v_checkpoint.version <> p_versions[i] OR v_checkpoint.seq <> p_from[i] THEN
                    RAISE EXCEPTION 'the view % of office % moved while it was folded', p_views[i], p_office
                        USING ERRCODE = '40001';
                END IF;
            END LOOP;
            INSERT INTO view_row (office, projection, case_id, data)
                SELECT p_office, r.projection, r.case_id, r.data FROM unnest(p_row_views, p_row_cases, p_row_data) AS r(projection, case_id, data)
                ON CONFLICT ON CONSTRAINT view_row_pkey DO UPDATE SET data = excluded.data;
            INSERT INTO view_checkpoint (office, projection, version, seq, hash)
                SELECT p_office, v.projection, v.version, p_to, p_hash FROM unnest(p_views, p_versions) AS v(projection, version)
                ON CONFLICT ON CONSTRAINT view_checkpoint_pkey
                DO UPDATE SET version = excluded.version, seq = excluded.seq, hash = excluded.hash;
        END $$;

        -- The office's last event, for readers of the views alone: a sequence and a hash say
        -- nothing of anyone.
        CREATE OR REPLACE FUNCTION office_head(p_office text) RETURNS TABLE (seq bigint, hash bytea)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = sinmungo, pg_temp AS $$
            SELECT e.seq, e.hash FROM event e WHERE e.office = p_office ORDER BY e.seq DESC LIMIT 1
        $$;

        REVOKE ALL ON FUNCTION store_views(text, text[], int[], bigint[], bigint, bytea, text[], text[], text[]),
            office_head(text) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION store_views(text, text[], int[], bigint[], bigint, bytea, text[], text[], text[])
            TO sinmungo_officer;
        GRANT EXECUTE ON FUNCTION office_head(text) TO sinmungo_officer, sinmungo_auditor, sinmungo_statistics;
        """#
}
