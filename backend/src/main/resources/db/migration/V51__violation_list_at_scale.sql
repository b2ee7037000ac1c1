-- The violation list and the layer list at province scale (issue 14).

-- Each violation row carries the enterprise as the recompute saw it (name, codes, town, status, key units, quality,
-- point) and its verdict, so that pages, filters and exports read this table alone, and the list's order as columns
-- under one index, so that pages go by key: sort_rank orders breaches of rules binding existing enterprises first, then
-- prohibitions, then enterprises with a town before those without (bit 4 binding, 2 outcome, 1 no town); sort_town
-- is the town, '' when there is none. The table is derived: the recompute at start fills it.
DROP TABLE violation;
CREATE TABLE violation (
    enterprise_id bigint  NOT NULL,
    rule_id       text    NOT NULL,
    outcome       text    NOT NULL CHECK (outcome IN ('PROHIBITED', 'RESTRICTED')),
    binding       text    NOT NULL CHECK (binding IN ('EXISTING', 'NEW_PROJECTS')),
    basis         text CHECK (basis IN ('TEXT', 'SETTING', 'DELINEATED')),
    layer         text,
    feature_id    bigint,
    feature_name  text,
    distance      double precision,
    inside        boolean NOT NULL,
    name          text    NOT NULL,
    credit_code   text,
    industry_code text,
    industry_name text,
    town          text,
    park          text,
    status        text,
    key_unit      text[]  NOT NULL,
    quality       jsonb   NOT NULL,
    geom          geometry(Point, 4490) NOT NULL,
    verdict       text,
    sort_rank     smallint NOT NULL,
    sort_town     text    NOT NULL,
    PRIMARY KEY (enterprise_id, rule_id)
);
CREATE INDEX violation_order_idx ON violation (sort_rank, sort_town, name, enterprise_id, rule_id);
CREATE INDEX violation_rule_idx ON violation (rule_id);
CREATE INDEX violation_layer_idx ON violation (layer);
CREATE INDEX violation_town_idx ON violation (town);
CREATE INDEX violation_industry_idx ON violation (industry_code);
CREATE INDEX violation_status_idx ON violation (status);
CREATE INDEX violation_quality_idx ON violation USING gin (quality jsonb_path_ops);
CREATE INDEX violation_geom_idx ON violation USING gist (geom);

-- The list's summary for each scope (existing, new, all; closed enterprises left out), computed with the list.
CREATE TABLE violation_summary (
    scope text PRIMARY KEY CHECK (scope IN ('existing', 'new', 'all')),
    body  jsonb NOT NULL
);

-- How many enterprises the last recompute evaluated: all of them, or those an append brought.
ALTER TABLE violation_run ADD COLUMN evaluated integer;

-- Each layer's count and extent (lon/lat), kept by the transaction that changes the layer.
CREATE TABLE layer_stats (
    layer    text PRIMARY KEY,
    features bigint NOT NULL,
    west     double precision,
    south    double precision,
    east     double precision,
    north    double precision
);
DO $$
DECLARE
    layer text;
BEGIN
    FOR layer IN SELECT tablename FROM pg_tables WHERE schemaname = 'archive' LOOP
        EXECUTE format('INSERT INTO layer_stats SELECT %L, x.n, ST_XMin(x.e), ST_YMin(x.e), ST_XMax(x.e), ST_YMax(x.e)
                        FROM (SELECT count(*) AS n, ST_Extent(geom) AS e FROM public.%I) x', layer, layer);
    END LOOP;
END;
$$;
