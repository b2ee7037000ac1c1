-- Each layer's version: a new number (from one sequence, so never repeated) whenever the layer's features or its
-- coverage declarations change, set by triggers in the transaction that makes the change. What is computed from
-- layers and kept (the suitability maps) records the versions it read and is served only while they are still
-- current: a change that commits while a computation runs is never lost, whatever the order of events.
CREATE SEQUENCE layer_version_seq;
CREATE TABLE layer_version (
    layer      text PRIMARY KEY,
    version    bigint      NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION pollumap_layer_changed(changed text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO layer_version AS v (layer, version) VALUES (changed, nextval('layer_version_seq'))
    ON CONFLICT (layer) DO UPDATE SET version = excluded.version, changed_at = now();
$$;

-- {layer: version} of the layers given; a layer never changed is version 0.
CREATE FUNCTION pollumap_layer_versions(layers text[]) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_object_agg(l.layer, coalesce(v.version, 0)), '{}')
    FROM unnest(layers) AS l(layer) LEFT JOIN layer_version v ON v.layer = l.layer;
$$;

-- True while every layer of a {layer: version} record is still at that version.
CREATE FUNCTION pollumap_layer_versions_current(versions jsonb) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT NOT EXISTS (SELECT 1 FROM jsonb_each_text(versions) r LEFT JOIN layer_version v ON v.layer = r.key
                       WHERE coalesce(v.version, 0) <> r.value::bigint);
$$;

CREATE FUNCTION pollumap_layer_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pollumap_layer_changed(TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

CREATE FUNCTION pollumap_layer_coverage_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE layer_version SET version = nextval('layer_version_seq'), changed_at = now();
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM pollumap_layer_changed(OLD.layer);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM pollumap_layer_changed(NEW.layer);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER layer_version AFTER INSERT OR UPDATE OR DELETE ON layer_coverage
    FOR EACH ROW EXECUTE FUNCTION pollumap_layer_coverage_changed();
CREATE TRIGGER layer_version_truncate AFTER TRUNCATE ON layer_coverage
    FOR EACH STATEMENT EXECUTE FUNCTION pollumap_layer_coverage_changed();

-- Gives a layer table its version trigger. Every layer's migration calls it after pollumap_add_layer
-- (HealthAndSchemaTest checks that each layer of the registry has it).
CREATE PROCEDURE pollumap_track_layer(layer text) LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER layer_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.%I
                    FOR EACH STATEMENT EXECUTE FUNCTION pollumap_layer_rows_changed()', layer);
    PERFORM pollumap_layer_changed(layer);
END;
$$;

DO $$
DECLARE
    layer text;
BEGIN
    FOR layer IN SELECT tablename FROM pg_tables WHERE schemaname = 'archive' LOOP
        CALL pollumap_track_layer(layer);
    END LOOP;
END;
$$;
