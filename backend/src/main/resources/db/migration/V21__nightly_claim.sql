-- The day whose nightly recompute some app instance has claimed: with several instances, one runs it.
ALTER TABLE violation_run ADD COLUMN nightly_on date;
