-- Rules that bind existing enterprises or only new projects, layer coverage, and the fields the revised rules read.

-- Fields the rules read: a river's basin (the Yellow River Protection Law reaches the 黄河 basin only), a
-- groundwater source's aquifer (its grade-2 rules name phreatic sources), whether a spring polygon is the key
-- protection zone or the whole spring area. The archive twins take the same columns (rows move by column name).
ALTER TABLE rivers ADD COLUMN basin text;
ALTER TABLE archive.rivers ADD COLUMN basin text;
ALTER TABLE water_source_zones ADD COLUMN aquifer text;
ALTER TABLE archive.water_source_zones ADD COLUMN aquifer text;
ALTER TABLE spring_zones ADD COLUMN type text;
ALTER TABLE archive.spring_zones ADD COLUMN type text;

-- 自然保护区条例 (2026年修订, in force 2026-03-15) zones reserves as 核心保护区 and 一般控制区.
UPDATE nature_reserves SET zone = CASE zone WHEN '实验区' THEN '一般控制区' ELSE '核心保护区' END
WHERE zone IN ('核心区', '缓冲区', '实验区');
UPDATE archive.nature_reserves SET zone = CASE zone WHEN '实验区' THEN '一般控制区' ELSE '核心保护区' END
WHERE zone IN ('核心区', '缓冲区', '实验区');

-- What a layer is complete for: administrative divisions of admin_boundaries (adcode, or a prefix of one), or
-- the whole service area (adcode NULL). Declared by an import or by GIS staff; a replace import ends the
-- declarations that described the data it replaced, and its rollback reopens them.
CREATE TABLE layer_coverage (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    layer           text        NOT NULL,
    adcode          text CHECK (adcode ~ '^[0-9]{2,12}$'),
    import_id       bigint REFERENCES import_job (id),
    declared_by     text        NOT NULL,
    declared_at     timestamptz NOT NULL DEFAULT now(),
    note            text,
    ended_at        timestamptz,
    ended_by        text,
    ended_by_import bigint REFERENCES import_job (id)
);
CREATE INDEX layer_coverage_layer_idx ON layer_coverage (layer) WHERE ended_at IS NULL;

-- The covered area of each layer, and the service area ('*': the union of admin_boundaries), as subdivided
-- pieces with a spatial index; recomputed with every change to coverage or to admin_boundaries.
CREATE TABLE coverage_area (
    layer text NOT NULL,
    geom  geometry(Geometry, 4490) NOT NULL
);
CREATE INDEX coverage_area_geom_idx ON coverage_area USING gist (geom);
CREATE INDEX coverage_area_layer_idx ON coverage_area (layer);

CREATE FUNCTION pollumap_refresh_coverage() RETURNS void LANGUAGE sql AS $$
    DELETE FROM coverage_area;
    INSERT INTO coverage_area (layer, geom)
    SELECT '*', ST_Subdivide(ST_UnaryUnion(ST_Collect(geom)), 256) FROM admin_boundaries HAVING count(*) > 0;
    INSERT INTO coverage_area (layer, geom)
    SELECT c.layer, ST_Subdivide(ST_UnaryUnion(ST_Collect(a.geom)), 256)
    FROM layer_coverage c
    JOIN admin_boundaries a ON c.adcode IS NULL OR a.adcode = c.adcode
                            OR (length(c.adcode) < 6 AND a.adcode LIKE c.adcode || '%')
    WHERE c.ended_at IS NULL
    GROUP BY c.layer;
$$;

-- Violations: a breach of a rule that binds existing enterprises (EXISTING), or a conflict with a rule for new
-- projects only (NEW_PROJECTS, shown apart as 存量冲突); basis says whether a distance came from a setting.
ALTER TABLE violation ADD COLUMN binding text NOT NULL DEFAULT 'EXISTING' CHECK (binding IN ('EXISTING', 'NEW_PROJECTS'));
ALTER TABLE violation ALTER COLUMN binding DROP DEFAULT;
ALTER TABLE violation ADD COLUMN basis text CHECK (basis IN ('TEXT', 'SETTING', 'DELINEATED'));
CREATE INDEX violation_binding_idx ON violation (binding, outcome);

-- Each enterprise's verdict under the rules that bind existing enterprises, and what could not be checked.
CREATE TABLE enterprise_verdict (
    enterprise_id bigint PRIMARY KEY,
    verdict       text  NOT NULL CHECK (verdict IN ('PROHIBITED', 'INCOMPLETE', 'RESTRICTED', 'ALLOWED')),
    missing       jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX enterprise_verdict_idx ON enterprise_verdict (verdict);
ALTER TABLE violation_run ADD COLUMN as_of date;

-- Stored checks carry the shape of their result; those of before the four verdicts are answered with a request
-- to check again rather than read with today's meaning.
ALTER TABLE siting_check ADD COLUMN result_version integer NOT NULL DEFAULT 1;
ALTER TABLE siting_check ALTER COLUMN result_version SET DEFAULT 2;
ALTER TABLE siting_check DROP CONSTRAINT IF EXISTS siting_check_verdict_check;
