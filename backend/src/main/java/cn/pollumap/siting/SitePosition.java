package cn.pollumap.siting;

import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The site's coordinates as a planning file states them: CGCS2000 longitude/latitude and X (northing) / Y (easting)
 * in the 3° Gauss-Krüger zone the site lies in, with the zone number before Y so that the figures name their zone on
 * paper. PostGIS projects them; a polygon gives its vertices ring by ring (the closing vertex once) and its centroid.
 */
@Component
class SitePosition {

    private final JdbcClient jdbc;

    SitePosition(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One point in both systems: {@code x} the northing, {@code y} the easting with the zone number; {@code number}
     * counts the vertices of the site from 1 (0: the centroid).
     */
    record Vertex(int number, double lon, double lat, double x, double y) {
    }

    /** A ring of a polygon site: its part and number in the part (1-based; 1 is the outline, others holes). */
    record Ring(int part, int number, List<Vertex> vertices) {

        public boolean hole() {
            return number > 1;
        }
    }

    private record Row(int part, int ring, Vertex vertex) {
    }

    /** {@code rings} is empty for a point site, whose one point is its centroid. */
    record Position(GaussKruger.Zone zone, Vertex centroid, List<Ring> rings) {

        public boolean point() {
            return rings.isEmpty();
        }
    }

    Position of(SitingResult r) {
        GaussKruger.Zone zone = GaussKruger.containing(3, r.site().lon(), true).orElseThrow(() ->
                new IllegalStateException("a checked site lies in China's Gauss-Krüger zones: " + r.site().lon()));
        // the first row (part 0) is the centroid; ST_Multi gives every polygon vertex the path {part, ring, index},
        // and the row number, in that order, numbers the vertices
        List<Row> rows = jdbc.sql("""
                        WITH s AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(:site), 4490) AS g),
                             p AS (SELECT 0 AS part, 0 AS ring, 0 AS idx, ST_Centroid(s.g) AS geom, 1 AS n FROM s
                                   UNION ALL
                                   SELECT (d.path)[1], (d.path)[2], (d.path)[3], d.geom,
                                          count(*) OVER (PARTITION BY (d.path)[1], (d.path)[2])
                                   FROM s, ST_DumpPoints(ST_Multi(s.g)) d
                                   WHERE GeometryType(s.g) <> 'POINT')
                        SELECT part, ring, ST_X(geom) AS lon, ST_Y(geom) AS lat,
                               ST_Y(ST_Transform(geom, :srid)) AS x, ST_X(ST_Transform(geom, :srid)) AS y
                        FROM p WHERE idx < n OR part = 0 ORDER BY part, ring, idx""")
                .param("site", r.geometry().toString()).param("srid", zone.epsg())
                .query((rs, n) -> new Row(rs.getInt("part"), rs.getInt("ring"), new Vertex(n, rs.getDouble("lon"),
                        rs.getDouble("lat"), rs.getDouble("x"), rs.getDouble("y")))).list();
        List<Ring> rings = new ArrayList<>();
        for (Row row : rows.subList(1, rows.size())) {
            Ring last = rings.isEmpty() ? null : rings.get(rings.size() - 1);
            if (last == null || last.part() != row.part() || last.number() != row.ring()) {
                last = new Ring(row.part(), row.ring(), new ArrayList<>());
                rings.add(last);
            }
            last.vertices().add(row.vertex());
        }
        Vertex centroid = rows.get(0).vertex();
        return new Position(zone, centroid, rings);
    }
}
