-- The versions of the layers the last recompute read ({layer: version}): the list is behind, on every app instance,
-- while a layer it reads has moved on since, whichever instance took the change.
ALTER TABLE violation_run ADD COLUMN read_versions jsonb;
