package cn.pollumap.layer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Describes layers with what is in them now: count and extent (lon/lat, EPSG:4490), kept in {@code layer_stats} by
 * the transaction that changes the layer (counting a layer of a million features on every request took half a
 * second).
 */
@Service
public class LayerCatalog {

    private final LayerRegistry registry;
    private final JdbcClient jdbc;

    LayerCatalog(LayerRegistry registry, JdbcClient jdbc) {
        this.registry = registry;
        this.jdbc = jdbc;
    }

    public List<Map<String, Object>> describeAll() {
        Map<String, Map<String, Object>> stats = stats(registry.all());
        return registry.all().stream().map(l -> describe(l, stats.get(l.id()))).toList();
    }

    public Map<String, Object> describe(String id) {
        LayerDefinition layer = registry.require(id, "id");
        return describe(layer, stats(List.of(layer)).get(layer.id()));
    }

    /**
     * Keeps a layer's count and extent, in the transaction that changed it: {@code rows} (an SQL relation with a
     * {@code geom} column: the features just added) added to what the layer held, or with {@code replacing}, instead.
     */
    public void added(String layer, String rows, boolean replacing) {
        jdbc.sql("""
                        INSERT INTO layer_stats (layer, features, west, south, east, north)
                        SELECT :layer, n, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
                        FROM (SELECT count(*) AS n, ST_Extent(geom) AS e FROM %s) x
                        ON CONFLICT (layer) DO UPDATE SET
                            features = CASE WHEN :replacing THEN 0 ELSE layer_stats.features END + EXCLUDED.features,
                            west = CASE WHEN :replacing THEN EXCLUDED.west ELSE least(layer_stats.west, EXCLUDED.west) END,
                            south = CASE WHEN :replacing THEN EXCLUDED.south ELSE least(layer_stats.south, EXCLUDED.south) END,
                            east = CASE WHEN :replacing THEN EXCLUDED.east ELSE greatest(layer_stats.east, EXCLUDED.east) END,
                            north = CASE WHEN :replacing THEN EXCLUDED.north ELSE greatest(layer_stats.north, EXCLUDED.north) END"""
                        .formatted(rows))
                .param("layer", registry.require(layer, "layer").id()).param("replacing", replacing).update();
    }

    /** The features a layer holds, as kept (0 for a layer never loaded). */
    public long count(String layer) {
        return ((Number) stats(List.of(registry.require(layer, "layer"))).get(layer).get("n")).longValue();
    }

    /** Counts a layer again (after a rollback, which may take features from anywhere). */
    public void recount(String layer) {
        added(registry.require(layer, "layer").id(), "public." + layer, true);
    }

    /** Count and extent of each layer, as kept; a layer never loaded holds nothing. */
    private Map<String, Map<String, Object>> stats(List<LayerDefinition> layers) {
        Map<String, Map<String, Object>> byLayer = new LinkedHashMap<>();
        layers.forEach(l -> byLayer.put(l.id(), Map.of("n", 0L)));
        jdbc.sql("""
                        SELECT layer, features AS n, west AS xmin, south AS ymin, east AS xmax, north AS ymax FROM layer_stats
                        WHERE layer = ANY (CAST(:layers AS text[]))""")
                .param("layers", layers.stream().map(LayerDefinition::id).toArray(String[]::new))
                .query().listOfRows().forEach(row -> byLayer.put((String) row.get("layer"), row));
        return byLayer;
    }

    private Map<String, Object> describe(LayerDefinition layer, Map<String, Object> stats) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", layer.id());
        d.put("title", Map.of("zh", layer.zh(), "en", layer.en()));
        d.put("geometryType", layer.geometry().label());
        d.put("fields", layer.fields().stream().map(f -> {
            Map<String, Object> fd = new LinkedHashMap<>();
            fd.put("name", f.name());
            fd.put("type", f.type().name());
            fd.put("title", Map.of("zh", f.zh(), "en", f.en()));
            fd.put("required", f.required());
            if (!f.values().isEmpty()) {
                fd.put("values", f.values().keySet().stream().filter(v -> !v.isEmpty()).toList());
            }
            return fd;
        }).toList());
        d.put("count", ((Number) stats.get("n")).longValue());
        d.put("extent", stats.get("xmin") == null ? null
                : List.of(stats.get("xmin"), stats.get("ymin"), stats.get("xmax"), stats.get("ymax")));
        return d;
    }

    /** The extent of the features import {@code importId} brought into layer {@code id} (null: none there now). */
    public List<Double> extentOfImport(String id, long importId) {
        LayerDefinition layer = registry.require(id, "id");
        Map<String, Object> e = jdbc.sql("SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n "
                        + "FROM (SELECT ST_Extent(geom) AS e FROM public." + layer.id() + " WHERE import_id = :import) x")
                .param("import", importId).query().singleRow();
        return e.get("w") == null ? null : List.of(((Number) e.get("w")).doubleValue(), ((Number) e.get("s")).doubleValue(),
                ((Number) e.get("e")).doubleValue(), ((Number) e.get("n")).doubleValue());
    }
}
