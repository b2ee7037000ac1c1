package cn.pollumap.tiles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.industry.EnterpriseSymbols;
import cn.pollumap.layer.FieldType;
import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerField;

/**
 * A layer's tiles, each from one query on the indexed geometry: as Mapbox Vector Tiles for GIS clients, and as
 * GeoJSON for the map (Leaflet draws GeoJSON; the same rows, geometries whole but simplified to the tile's pixel).
 * Where a tile below a zoom holds too many enterprises to draw, they come counted on the server, per cell of the
 * tile: how many, how many breach a rule that binds existing enterprises, and their most frequent symbol — at a
 * province's million sources a view stays a few hundred cells. Lines and polygons are simplified to about a pixel
 * of the zoom.
 */
@Service
public class LayerTiles {

    /** The MVT grid: coordinates within a tile, and the buffer drawn past its edges. */
    private static final int EXTENT = 4096;
    private static final int BUFFER = 64;
    /** The screen tile Leaflet and most clients draw a tile into. */
    private static final int SCREEN = 256;
    /** Half the width of the world in EPSG:3857 metres. */
    private static final double HALF_WORLD = EnterpriseClusters.HALF_WORLD;

    private final JdbcClient jdbc;
    private final EnterpriseSymbols symbols;
    private final PolluMapProperties.Tiles settings;
    private final EnterpriseClusters clusters;

    LayerTiles(JdbcClient jdbc, EnterpriseSymbols symbols, PolluMapProperties properties, EnterpriseClusters clusters) {
        this.jdbc = jdbc;
        this.symbols = symbols;
        this.clusters = clusters;
        this.settings = properties.tiles();
    }

    /**
     * Whether tile {z, x, y} of {@code layer} holds clusters rather than single features: enterprises below the
     * cluster zoom, where the tile holds more of them than a map can draw one by one. A county's few thousand
     * firms thus come whole and the map clusters them itself; a province's million come counted.
     */
    private boolean clustered(LayerDefinition layer, int z, Map<String, Object> params) {
        return layer.id().equals("enterprises") && z < settings.clusterBelowZoom() && holdsMoreThan(layer, "exact", params);
    }

    /** Whether the tile ({@code exact}, or {@code box} with its buffer) holds more features than a map draws. */
    private boolean holdsMoreThan(LayerDefinition layer, String area, Map<String, Object> params) {
        // counting stops one past the limit: the index finds that many quickly, however many there are
        return jdbc.sql("WITH tile AS (" + TILE + ") SELECT count(*) > :above FROM (SELECT 1 FROM public." + layer.id()
                        + " t, tile WHERE t.geom && tile." + area + " LIMIT :above + 1) x")
                .params(params).param("above", settings.clusterAbove()).query(Boolean.class).single();
    }

    /**
     * What a layer's tiles are made of, as a short string that changes whenever they may: the layer's version
     * (layer_version, moved by any change to its features), for enterprises also the last violation recompute (the
     * breach flags) and the cells counted after it, and the tile settings.
     */
    public String version(LayerDefinition layer) {
        return jdbc.sql("""
                        SELECT concat_ws('-', pollumap_layer_versions(ARRAY[CAST(:layer AS text)]) ->> :layer,
                                         CASE WHEN :layer = 'enterprises'
                                              THEN (SELECT floor(extract(epoch FROM computed_at) * 1000) FROM violation_run) END,
                                         CASE WHEN :layer = 'enterprises'
                                              THEN (SELECT floor(extract(epoch FROM built_at) * 1000) FROM enterprise_cluster_run) END,
                                         :settings)""")
                .param("layer", layer.id()).param("settings", settings.clusterBelowZoom() + "z" + settings.clusterAbove() + "a" + settings.clusterCellPixels())
                .query(String.class).single();
    }

    /** The tile as a Mapbox Vector Tile, one layer named as the PolluMap layer; empty when nothing is there. */
    public byte[] mvt(LayerDefinition layer, int z, int x, int y) {
        Map<String, Object> params = params(z, x, y);
        Rows rows = rows(layer, z, params, "ST_AsMVTGeom(%s, tile.env, " + EXTENT + ", " + BUFFER + ", true)", true);
        return jdbc.sql("WITH tile AS (" + TILE + ") SELECT coalesce((SELECT ST_AsMVT(r, :name, " + EXTENT
                        + ", 'geom') FROM (" + rows.sql() + ") r WHERE r.geom IS NOT NULL), '')")
                .params(params).param("name", layer.id()).query(byte[].class).single();
    }

    /**
     * The same tile as a GeoJSON FeatureCollection in CGCS2000 lon/lat, for the map. A tile of lines or polygons that
     * holds more features than a map draws (a province's protection zones at a province's zoom) comes empty, marked
     * {@code "dense": true}: the map says to zoom in.
     */
    public String geojson(LayerDefinition layer, int z, int x, int y) {
        Map<String, Object> params = params(z, x, y);
        if (!layer.id().equals("enterprises") && holdsMoreThan(layer, "box", params)) {
            return "{\"type\":\"FeatureCollection\",\"features\":[],\"dense\":true}";
        }
        Rows rows = rows(layer, z, params, "ST_Transform(%s, 4490)", false);
        // the properties named one by one: a whole row through JSON would carry the geometry only to drop it
        String properties = rows.properties().stream().map(p -> "'" + p + "', r." + p).collect(Collectors.joining(", "));
        return jdbc.sql("WITH tile AS (" + TILE + ") SELECT json_build_object('type', 'FeatureCollection', 'features', "
                        + "coalesce(json_agg(json_build_object('type', 'Feature', 'id', r.id, 'geometry', "
                        + "ST_AsGeoJSON(r.geom, 6, 0)::json, 'properties', json_build_object(" + properties + "))), "
                        + "'[]'))::text FROM (" + rows.sql() + ") r")
                .params(params).query(String.class).single();
    }

    /** The tile's envelope in EPSG:3857, and the box (with the drawing buffer) to find features with, in 4490. */
    private static final String TILE = """
            SELECT ST_TileEnvelope(:z, :x, :y) AS env,
                   ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => :margin), 4490) AS box,
                   ST_Transform(ST_TileEnvelope(:z, :x, :y), 4490) AS exact""";

    private static Map<String, Object> params(int z, int x, int y) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("z", z);
        params.put("x", x);
        params.put("y", y);
        params.put("margin", (double) BUFFER / EXTENT);
        // a pixel of this zoom, in metres of EPSG:3857
        params.put("pixel", 2 * HALF_WORLD / (1L << z) / SCREEN);
        return params;
    }

    /** A tile's rows as SQL, and the names of their properties (besides id and geom). */
    private record Rows(String sql, List<String> properties) {
    }

    /**
     * The rows of the tile: {@code id}, the attributes, and {@code geom} in EPSG:3857 wrapped by {@code place}
     * (a format with one %s). Clusters are the cells of the exact tile only, so that no firm counts twice.
     */
    private Rows rows(LayerDefinition layer, int z, Map<String, Object> params, String place, boolean mvt) {
        if (clustered(layer, z, params)) {
            // the cells counted after the last recompute (EnterpriseClusters) that lie in this tile
            int cells = clusters.cells();
            params.put("cx0", ((Number) params.get("x")).longValue() * cells);
            params.put("cy0", ((Number) params.get("y")).longValue() * cells);
            params.put("cells", cells);
            return new Rows("""
                    SELECT c.cx::bigint * 100000000 + c.cy AS id, c.n AS count, c.breaches, c.symbol, %s AS geom
                    FROM enterprise_cluster c, tile
                    WHERE c.z = :z AND c.cx >= :cx0 AND c.cx < :cx0 + :cells AND c.cy >= :cy0 AND c.cy < :cy0 + :cells"""
                    .formatted(place.formatted("ST_SetSRID(ST_MakePoint(c.mx, c.my), 3857)")),
                    List.of("count", "breaches", "symbol"));
        }
        List<String> properties = new ArrayList<>(layer.fields().stream().map(LayerField::name).toList());
        String attributes = layer.fields().stream()
                .map(f -> f.type() == FieldType.KEY_UNITS && mvt ? "array_to_string(t." + f.name() + ", ',') AS " + f.name()
                        : "t." + f.name())
                .collect(Collectors.joining(", "));
        String extra = "";
        if (layer.id().equals("enterprises")) {
            extra = ", " + symbols.sql("t.industry_code", params) + " AS symbol, EXISTS (SELECT 1 FROM violation v "
                    + "WHERE v.enterprise_id = t.id AND v.binding = 'EXISTING') AS breach";
            properties.addAll(List.of("symbol", "breach"));
        }
        properties.add("flagged");
        return new Rows("""
                SELECT t.id, %s%s, jsonb_array_length(t.quality) > 0 AS flagged,
                       %s AS geom
                FROM public.%s t, tile
                WHERE t.geom && tile.box""".formatted(attributes, extra,
                place.formatted("ST_Simplify(ST_Transform(t.geom, 3857), :pixel / 2, true)"), layer.id()), properties);
    }
}
