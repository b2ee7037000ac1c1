package cn.pollumap.layer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Describes layers with what is in them now: count and extent (lon/lat, EPSG:4490). */
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

    /** Count and extent of each layer, in one statement. */
    private Map<String, Map<String, Object>> stats(List<LayerDefinition> layers) {
        String sql = layers.stream().map(l -> """
                SELECT '%1$s' AS layer, n, ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax
                FROM (SELECT count(*) AS n, ST_Extent(geom) AS e FROM public.%1$s) x""".formatted(l.id()))
                .collect(java.util.stream.Collectors.joining("\nUNION ALL\n"));
        Map<String, Map<String, Object>> byLayer = new LinkedHashMap<>();
        jdbc.sql(sql).query().listOfRows().forEach(row -> byLayer.put((String) row.get("layer"), row));
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
