-- Coverage is evaluated by division code (a layer covers a site when every division the site touches is declared for
-- it), so only the service area needs its geometry: coverage_area keeps the union of admin_boundaries ('*'), in
-- subdivided pieces for polygon sites.
CREATE OR REPLACE FUNCTION pollumap_refresh_coverage() RETURNS void LANGUAGE sql AS $$
    DELETE FROM coverage_area;
    INSERT INTO coverage_area (layer, geom)
    SELECT '*', ST_Subdivide(ST_UnaryUnion(ST_Collect(geom)), 256) FROM admin_boundaries HAVING count(*) > 0;
$$;
SELECT pollumap_refresh_coverage();
