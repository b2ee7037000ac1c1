-- The areas of each suitability map kept as geometries, for its vector tiles; each map gets an id of its own
-- (a new one each time it is computed, so that its tiles never change under a URL).
DELETE FROM suitability_cache;
ALTER TABLE suitability_cache ADD COLUMN id text NOT NULL UNIQUE;
CREATE TABLE suitability_area (
    map_id text                          NOT NULL REFERENCES suitability_cache (id) ON DELETE CASCADE,
    class  text                          NOT NULL,
    rules  text[]                        NOT NULL,
    geom   geometry(MultiPolygon, 4490)  NOT NULL
);
CREATE INDEX suitability_area_map_idx ON suitability_area (map_id);
