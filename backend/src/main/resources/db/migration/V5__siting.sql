-- Every siting check, with its inputs, result, user and time.
CREATE TABLE siting_check (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at    timestamptz NOT NULL DEFAULT now(),
    username      text        NOT NULL,
    name          text,
    industry_code text        NOT NULL,
    project_type  text        NOT NULL,
    geom          geometry(Geometry, 4490) NOT NULL,
    verdict       text        NOT NULL,
    batch         text,
    result        jsonb       NOT NULL
);
CREATE INDEX siting_check_user_idx ON siting_check (username, created_at DESC);

-- A user's GeoJSON geometry, or NULL when it does not parse (so one bad row of a batch does not fail the rest).
CREATE FUNCTION pollumap_try_geojson(geojson text) RETURNS geometry LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN ST_SetSRID(ST_GeomFromGeoJSON(geojson), 4490);
EXCEPTION WHEN OTHERS THEN
    RETURN NULL;
END;
$$;
