-- A suitability map records the version of each layer it read ({layer: version}, see V40) instead of their names:
-- it is served, and its tiles too, only while they are all current. used_at says when it was last asked for, so
-- that the cache can be pruned (POLLUMAP_SUITABILITY_KEEP_DAYS, POLLUMAP_SUITABILITY_KEEP_MAPS).
-- The kept areas become subdivided pieces with a spatial index: a tile reads only the few pieces under it.
-- Maps kept before hold neither, and are computed again when asked for.
DELETE FROM suitability_cache;
DROP INDEX suitability_cache_layers_idx;
ALTER TABLE suitability_cache DROP COLUMN layers;
ALTER TABLE suitability_cache ADD COLUMN versions jsonb NOT NULL;
ALTER TABLE suitability_cache ADD COLUMN used_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX suitability_cache_used_idx ON suitability_cache (used_at);
ALTER TABLE suitability_area ALTER COLUMN geom TYPE geometry(Polygon, 4490) USING ST_GeometryN(geom, 1);
CREATE INDEX suitability_area_geom_idx ON suitability_area USING gist (geom);
