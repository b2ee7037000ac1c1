-- Suitability maps already computed, per industry, project type, region, day and catalogue version; dropped when a
-- layer they read (or the administrative boundaries, or any coverage) changes.
CREATE TABLE suitability_cache (
    key         text PRIMARY KEY,
    layers      text[]      NOT NULL,
    computed_at timestamptz NOT NULL DEFAULT now(),
    duration_ms integer     NOT NULL,
    result      jsonb       NOT NULL
);
CREATE INDEX suitability_cache_layers_idx ON suitability_cache USING gin (layers);
