-- Indexes that a large import builds after its commit (FreshTable): those of the search box and the enterprise
-- filters, which answer without them, only slower, while they are built (the trigram index alone took 40 s of a
-- 72 s import of 1,000,000 enterprises). What the violation recompute, the tiles and the siting checks read is built
-- before the commit. The comment marks them; a swap carries every index's comment over.
COMMENT ON INDEX enterprises_text_idx IS 'deferred: the search box; answers without it, slower';
COMMENT ON INDEX enterprises_name_idx IS 'deferred: the search list''s order; answers without it, slower';
COMMENT ON INDEX enterprises_quality_idx IS 'deferred: the data-quality filter; answers without it, slower';
COMMENT ON INDEX enterprises_credit_code_idx IS 'deferred: a search by credit code; answers without it, slower';

-- The indexes a swap left to build after its commit, with their definitions; the server builds them (any instance,
-- under the table's lock) and deletes the row. error and failed_at: the last failed build, tried again later.
CREATE TABLE deferred_index (
    name        text PRIMARY KEY,
    table_name  text        NOT NULL,
    definition  text        NOT NULL,
    comment     text        NOT NULL,
    deferred_at timestamptz NOT NULL DEFAULT now(),
    error       text,
    failed_at   timestamptz
);
