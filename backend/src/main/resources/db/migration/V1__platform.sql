-- Staging tables are written by ogr2ogr, one per import, and dropped when the import ends.
CREATE SCHEMA IF NOT EXISTS staging;
-- Features an import replaced, kept so a rollback restores the layer exactly.
CREATE SCHEMA IF NOT EXISTS archive;
