-- Every import is recorded when it starts (RUNNING) and ends LOADED, REFUSED (the file or request was at fault,
-- with the reason), FAILED (the server was: database, disk, GDAL; with the cause) or INTERRUPTED (found
-- unfinished at a start: the server died during it). What is not known at the start is filled in as the import
-- goes, so the columns that used to be written once at the end may be empty.
ALTER TABLE import_job DROP CONSTRAINT import_job_status_check;
ALTER TABLE import_job ADD CONSTRAINT import_job_status_check
    CHECK (status IN ('RUNNING', 'LOADED', 'REFUSED', 'FAILED', 'INTERRUPTED', 'ROLLED_BACK'));
ALTER TABLE import_job ALTER COLUMN file_sha256 DROP NOT NULL;
ALTER TABLE import_job ALTER COLUMN stored_path DROP NOT NULL;
ALTER TABLE import_job ALTER COLUMN read_count SET DEFAULT 0;
ALTER TABLE import_job ALTER COLUMN loaded_count SET DEFAULT 0;
ALTER TABLE import_job ALTER COLUMN repaired_count SET DEFAULT 0;
ALTER TABLE import_job ALTER COLUMN rejected_count SET DEFAULT 0;
-- the step an import is at (or stopped at): receiving, inspecting, staging, checking, publishing
ALTER TABLE import_job ADD COLUMN phase text;
ALTER TABLE import_job ADD COLUMN finished_at timestamptz;
-- why an import was refused or failed: a stable code and a {zh, en} sentence
ALTER TABLE import_job ADD COLUMN error text;
ALTER TABLE import_job ADD COLUMN error_detail jsonb;
-- features loaded with a data-quality flag (a bad credit code, an unknown industry code, ...), and the list
ALTER TABLE import_job ADD COLUMN flagged_count integer NOT NULL DEFAULT 0;
ALTER TABLE import_job ADD COLUMN flags jsonb NOT NULL DEFAULT '[]';
-- set when the archive that made this import's rollback exact was pruned (POLLUMAP_ARCHIVE_KEEP_IMPORTS)
ALTER TABLE import_job ADD COLUMN archive_pruned_at timestamptz;
CREATE INDEX import_job_running_idx ON import_job (id) WHERE status = 'RUNNING';

ALTER TABLE audit_log DROP CONSTRAINT audit_log_outcome_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_outcome_check CHECK (outcome IN ('OK', 'REFUSED', 'FAILED', 'INTERRUPTED'));

-- A feature's data-quality flags: [{field, value, issue: {zh, en}}] for each value that failed its check but did
-- not keep the feature out. Every layer has them, and its archive twin too (rows move by column name).
DO $$
DECLARE
    layer text;
BEGIN
    FOR layer IN SELECT tablename FROM pg_tables WHERE schemaname = 'archive' LOOP
        EXECUTE format('ALTER TABLE public.%I ADD COLUMN quality jsonb NOT NULL DEFAULT ''[]''', layer);
        EXECUTE format('ALTER TABLE archive.%I ADD COLUMN quality jsonb NOT NULL DEFAULT ''[]''', layer);
    END LOOP;
END;
$$;
CREATE INDEX enterprises_quality_idx ON enterprises USING gin (quality jsonb_path_ops);

-- Layers added later get the column with the others.
CREATE OR REPLACE PROCEDURE pollumap_add_layer(layer text, geometry_type text) LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE public.%1$I
        ADD COLUMN import_id bigint NOT NULL REFERENCES import_job (id),
        ADD COLUMN attrs jsonb NOT NULL DEFAULT ''{}'',
        ADD COLUMN geom geometry(%2$s, 4490) NOT NULL,
        ADD COLUMN geog geography GENERATED ALWAYS AS (geom::geography) STORED,
        ADD COLUMN quality jsonb NOT NULL DEFAULT ''[]''', layer, geometry_type);
    EXECUTE format('CREATE INDEX %1$I ON public.%2$I USING gist (geom)', layer || '_geom_idx', layer);
    EXECUTE format('CREATE INDEX %1$I ON public.%2$I USING gist (geog)', layer || '_geog_idx', layer);
    EXECUTE format('CREATE INDEX %1$I ON public.%2$I (import_id)', layer || '_import_idx', layer);
    EXECUTE format('CREATE TABLE archive.%1$I (LIKE public.%1$I, retired_by bigint NOT NULL REFERENCES import_job (id))', layer);
    EXECUTE format('CREATE INDEX %1$I ON archive.%2$I (retired_by)', layer || '_retired_idx', layer);
END;
$$;
